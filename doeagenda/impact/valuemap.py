"""SROI value maps: validation of outcome tables and loading of YAML value maps.

A value map has one row per outcome with the columns ``outcome, stakeholder, quantity,
proxy_value, duration, deadweight, attribution, displacement, drop_off`` and optionally
``start_year`` (default 1), ``proxy`` (a name from ``prijzen.yaml``; fills
``proxy_value`` when that is missing), ``proxy_source``, ``actor`` (who gains in money, for
the MKBA view; default the stakeholder) and ``toelichting`` (a description).

Every error names the file or table, the row and the column, the value and the fix.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from doeagenda.config import load_model, pydantic_message
from doeagenda.errors import ParameterError
from doeagenda.impact.prices import (
    ASSUMPTION,
    MAX_DISCOUNT_RATE,
    PARAMS_DIR,
    cpi_factors,
    prices,
)
from doeagenda.results import nl_table

logger = logging.getLogger(__name__)

__all__ = [
    "FRACTIONS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "ValueMap",
    "check_overclaiming",
    "investment_frame",
    "load_value_map",
    "validate_outcomes",
]

#: Columns every value map needs (``proxy_value`` may be replaced by ``proxy``).
REQUIRED_COLUMNS = (
    "outcome",
    "stakeholder",
    "quantity",
    "proxy_value",
    "duration",
    "deadweight",
    "attribution",
    "displacement",
    "drop_off",
)
#: Columns a value map may have.
OPTIONAL_COLUMNS = ("start_year", "proxy", "proxy_source", "actor", "toelichting")
#: Columns that are fractions in [0, 1].
FRACTIONS = ("deadweight", "attribution", "displacement", "drop_off")


class _OutcomeRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: str = Field(min_length=1)
    stakeholder: str = Field(min_length=1)
    quantity: float = Field(ge=0, allow_inf_nan=False)
    proxy_value: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    duration: int = Field(ge=1)
    deadweight: float = Field(ge=0, le=1)
    attribution: float = Field(ge=0, le=1)
    displacement: float = Field(ge=0, le=1)
    drop_off: float = Field(ge=0, le=1)
    start_year: int = Field(default=1, ge=1)
    proxy: str | None = None
    proxy_source: str | None = None
    actor: str | None = None
    toelichting: str | None = None

    @field_validator("outcome")
    @classmethod
    def _no_dots(cls, value: str) -> str:
        if "." in value:
            msg = (
                "een uitkomstnaam mag geen '.' bevatten (die scheidt 'uitkomst.kolom' in sleutels)"
            )
            raise ValueError(msg)
        return value.strip()

    @field_validator("duration", "start_year", mode="before")
    @classmethod
    def _whole_years(cls, value: Any) -> Any:
        if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
            msg = "moet een geheel aantal jaren zijn"
            raise ValueError(msg)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value


class _Investment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bedrag: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    vrijwilligersuren: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    jaar: int = Field(default=0, ge=0)
    actor: str = "financier"
    omschrijving: str | None = None

    @model_validator(mode="after")
    def _amount_or_hours(self) -> _Investment:
        if (self.bedrag is None) == (self.vrijwilligersuren is None):
            msg = (
                "geef bedrag (euro) of vrijwilligersuren (uren, geprijsd tegen het "
                "vrijwilligersuur van prijzen.yaml): precies een van beide"
            )
            raise ValueError(msg)
        return self


class _ValueMapFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    naam: str
    beschrijving: str | None = None
    voorbeeld: bool = False
    gemeente: str | None = None
    prijsjaar: int | None = None
    nulalternatief: str | None = None
    disconteringsvoet: float | None = Field(default=None, ge=0, le=MAX_DISCOUNT_RATE)
    horizon: int | None = Field(default=None, ge=1)
    verdelingen: str | None = None
    bronnen: list[str] = Field(default_factory=list)
    investering: float | list[_Investment]
    outcomes: list[dict[str, Any]] = Field(min_length=1)


def _describe_row(frame: pd.DataFrame, position: int) -> str:
    name = frame["outcome"].iloc[position] if "outcome" in frame.columns else None
    label = f"rij {position + 1}"
    if isinstance(name, str) and name:
        label += f" (uitkomst '{name}')"
    return label


def _clean(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


def validate_outcomes(
    outcomes: pd.DataFrame,
    *,
    source: str = "outcomes",
    price_year: int | None = None,
    price_path: str | Path | None = None,
) -> pd.DataFrame:
    """Validate an outcome table and resolve named proxies to euros.

    Parameters
    ----------
    outcomes : DataFrame
        One row per outcome with the value-map columns (see module docstring).
    source : str
        Name of the table or file, used in error messages.
    price_year : int, optional
        Price year to which named proxies (``proxy`` column) are indexed with the CPI;
        default the standard price year of the price table.
    price_path : str or Path, optional
        Another price table than ``params/impact/prijzen.yaml``.

    Returns
    -------
    DataFrame
        The validated table with all value-map columns, ``proxy_value`` filled,
        ``actor`` defaulting to ``stakeholder``, and a boolean column ``aanname`` (the
        proxy value is an assumption, not from a published source).

    Raises
    ------
    ParameterError
        Missing or unknown columns, values out of range, unknown proxy names, duplicate
        outcome names. The message names the row and the column.
    """
    if not isinstance(outcomes, pd.DataFrame):
        msg = f"{source}: verwacht een DataFrame (of een YAML-waardekaart), niet {type(outcomes).__name__}"
        raise ParameterError(msg)
    # 'aanname' is derived here from proxy_source; a validated table passed back in is
    # accepted and the flag recomputed, so validation is idempotent.
    outcomes = outcomes.drop(columns=["aanname"], errors="ignore")
    columns = list(outcomes.columns)
    required = [c for c in REQUIRED_COLUMNS if c != "proxy_value"]
    missing = [c for c in required if c not in columns]
    if "proxy_value" not in columns and "proxy" not in columns:
        missing.append("proxy_value")
    if missing:
        msg = (
            f"{source}: ontbrekende kolom(men) {missing}; een waardekaart vraagt "
            f"{list(REQUIRED_COLUMNS)} (proxy_value mag als benoemde 'proxy' gegeven worden)"
        )
        raise ParameterError(msg)
    unknown = [c for c in columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        msg = (
            f"{source}: onbekende kolom(men) {unknown}; toegestaan zijn "
            f"{list(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)} (controleer de spelling)"
        )
        raise ParameterError(msg)
    if outcomes.empty:
        msg = f"{source}: de waardekaart heeft geen uitkomsten; voeg ten minste één rij toe"
        raise ParameterError(msg)

    table = prices(price_year, price_path)
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for position in range(len(outcomes)):
        record = {c: _clean(outcomes[c].iloc[position]) for c in columns}
        record = {k: v for k, v in record.items() if v is not None}
        label = _describe_row(outcomes, position)
        try:
            row = _OutcomeRow.model_validate(record)
        except ValidationError as error:
            for item in error.errors():
                column = ".".join(str(p) for p in item["loc"]) or "?"
                value = record.get(column, "ontbreekt")
                problems.append(
                    f"{label}, kolom '{column}': {pydantic_message(item)} (waarde {value!r})"
                )
            continue
        data = row.model_dump()
        assumption = False
        if data["proxy"] is not None:
            name = data["proxy"]
            if name not in table.index:
                problems.append(
                    f"{label}, kolom 'proxy': onbekende proxynaam {name!r}; kies uit "
                    f"{sorted(table.index)} of geef proxy_value met proxy_source"
                )
                continue
            price = table.loc[name]
            if data["proxy_value"] is None:
                data["proxy_value"] = float(price["waarde_geindexeerd"])
                assumption = bool(price["aanname"])
                if data["proxy_source"] is None:
                    if assumption:
                        data["proxy_source"] = ASSUMPTION
                    else:
                        data["proxy_source"] = (
                            f"{price['bron']} (prijsjaar {int(price['prijsjaar'])}, "
                            f"CPI-geïndexeerd naar {int(price['doeljaar'])})"
                        )
        if data["proxy_value"] is None:
            problems.append(
                f"{label}, column 'proxy_value': no value; give proxy_value or a proxy name"
            )
            continue
        if data["proxy_source"] is None:
            data["proxy_source"] = ASSUMPTION
        if data["proxy_source"].strip().lower() == ASSUMPTION:
            assumption = True
        data["aanname"] = assumption
        if data["actor"] is None:
            data["actor"] = data["stakeholder"]
        rows.append(data)
    if problems:
        msg = f"{source}: " + "; ".join(problems)
        raise ParameterError(msg)
    frame = pd.DataFrame(rows)
    duplicated = frame["outcome"][frame["outcome"].duplicated()].tolist()
    if duplicated:
        msg = f"{source}: uitkomstnamen moeten uniek zijn, herhaald: {duplicated}; hernoem ze"
        raise ParameterError(msg)
    order = [*REQUIRED_COLUMNS, "start_year", "proxy", "proxy_source", "actor", "toelichting"]
    frame = frame[[*order, "aanname"]]
    frame["duration"] = frame["duration"].astype("int64")
    frame["start_year"] = frame["start_year"].astype("int64")
    for column in ("quantity", "proxy_value", *FRACTIONS):
        frame[column] = frame[column].astype("float64")
    return frame


def check_overclaiming(outcomes: pd.DataFrame) -> list[str]:
    """Warnings (Dutch) about a value map that probably claims too much.

    Parameters
    ----------
    outcomes : DataFrame
        A validated outcome table (:func:`validate_outcomes`).

    Returns
    -------
    list of str
        Empty when nothing looks suspicious. Each warning is also logged.
    """
    messages: list[str] = []
    no_correction = (outcomes["deadweight"] + outcomes["attribution"]) == 0
    if no_correction.all():
        messages.append(
            "Overclaiming: op geen enkele rij is deadweight of attributie ingevuld. Geen "
            "geloofwaardige SROI neemt aan dat alles zonder het initiatief niet was gebeurd "
            "en dat niemand anders eraan bijdroeg."
        )
    elif no_correction.any():
        names = ", ".join(outcomes.loc[no_correction, "outcome"])
        messages.append(
            f"Let op: deadweight en attributie zijn beide 0 voor {names}; verantwoord dat."
        )
    long_flat = (outcomes["duration"] > 3) & (outcomes["drop_off"] == 0)
    if long_flat.any():
        names = ", ".join(outcomes.loc[long_flat, "outcome"])
        messages.append(
            f"Let op: {names} duurt langer dan 3 jaar zonder afname (drop-off 0); "
            "effecten nemen meestal af."
        )
    gross = outcomes["quantity"] * outcomes["proxy_value"] * outcomes["duration"]
    if "aanname" in outcomes.columns and gross.sum() > 0:
        share = gross[outcomes["aanname"]].sum() / gross.sum()
        if share > 0.5:
            messages.append(
                f"Let op: {share:.0%} van de bruto waarde rust op prijzen die een aanname "
                "zijn (bron: aanname)."
            )
    for message in messages:
        logger.warning(message)
    return messages


def investment_frame(investment: Any, *, source: str = "investment") -> pd.DataFrame:
    """Normalise an investment to a frame with columns ``year, actor, amount``.

    Parameters
    ----------
    investment : float, Series or DataFrame
        A number (spent in year 0), a Series of amounts indexed by year, or a DataFrame
        with columns ``year, amount`` and optionally ``actor`` and ``omschrijving``.
    source : str
        Name used in error messages.

    Returns
    -------
    DataFrame
    """
    if isinstance(investment, bool):
        msg = f"{source}: verwacht een bedrag, niet {investment!r}"
        raise ParameterError(msg)
    if isinstance(investment, int | float):
        frame = pd.DataFrame({"year": [0], "actor": ["financier"], "amount": [float(investment)]})
    elif isinstance(investment, pd.Series):
        frame = pd.DataFrame(
            {
                "year": [int(y) for y in investment.index],
                "actor": "financier",
                "amount": investment.to_numpy(dtype="float64"),
            }
        )
    elif isinstance(investment, pd.DataFrame):
        missing = [c for c in ("year", "amount") if c not in investment.columns]
        if missing:
            msg = f"{source}: ontbrekende kolom(men) {missing}; geef kolommen year, amount[, actor]"
            raise ParameterError(msg)
        frame = pd.DataFrame(
            {
                "year": investment["year"].astype("int64"),
                "actor": (
                    investment["actor"].astype(str) if "actor" in investment else "financier"
                ),
                "amount": investment["amount"].astype("float64"),
            }
        )
        if "omschrijving" in investment.columns:
            frame["omschrijving"] = investment["omschrijving"].astype(str)
        # volunteer hours (and their price) let analyses vary the price of an hour
        for column in ("volunteer_hours", "hour_price"):
            if column in investment.columns:
                frame[column] = investment[column].fillna(0.0).astype("float64")
    else:
        msg = (
            f"{source}: verwacht een getal, een Series per jaar of een DataFrame, "
            f"niet {type(investment).__name__}"
        )
        raise ParameterError(msg)
    bad = frame[(frame["amount"] < 0) | ~frame["amount"].map(math.isfinite)]
    if not bad.empty:
        msg = f"{source}: bedragen moeten eindig en >= 0 zijn, niet {bad['amount'].tolist()}"
        raise ParameterError(msg)
    if (frame["year"] < 0).any():
        msg = f"{source}: jaren moeten >= 0 zijn, niet {frame['year'].tolist()}"
        raise ParameterError(msg)
    if frame["amount"].sum() <= 0:
        msg = f"{source}: de totale investering moet positief zijn om een ratio te berekenen"
        raise ParameterError(msg)
    return frame.reset_index(drop=True)


@dataclass
class ValueMap:
    """A validated value map (from a YAML file under ``params/impact/``).

    Attributes
    ----------
    name : str
        Title of the value map.
    outcomes : DataFrame
        Validated outcome table (:func:`validate_outcomes`).
    investment : DataFrame
        ``year, actor, amount[, omschrijving]``.
    path : Path or None
        The YAML file.
    description, gemeente, nulalternatief : str or None
        Free text and the gemeente code the map is about.
    price_year : int
        Price year of all euro amounts.
    discount_rate : float or None
        Discount rate set in the map (overrides the default, not an explicit argument).
    horizon : int or None
        Last year counted.
    distributions : dict or None
        Monte Carlo distributions from the file named under ``verdelingen``.
    example : bool
        True for invented *voorbeeld* maps.
    sources : list of str
        Literature behind quantities and fractions.
    warnings : list of str
        Over-claiming warnings (Dutch).
    price_path : Path or None
        The price table the map was priced with (None: ``params/impact/prijzen.yaml``).
    """

    name: str
    outcomes: pd.DataFrame
    investment: pd.DataFrame
    path: Path | None = None
    description: str | None = None
    gemeente: str | None = None
    nulalternatief: str | None = None
    price_year: int = 2024
    discount_rate: float | None = None
    horizon: int | None = None
    distributions: dict[str, Any] | None = None
    example: bool = False
    sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    price_path: Path | None = None

    def table(self) -> pd.DataFrame:
        """The value map as a Dutch table (one row per outcome).

        Returns
        -------
        DataFrame
        """
        frame = self.outcomes.rename(
            columns={
                "outcome": "uitkomst",
                "stakeholder": "belanghebbende",
                "quantity": "aantal",
                "proxy_value": "prijs (€)",
                "duration": "duur (jaar)",
                "deadweight": "deadweight",
                "attribution": "attributie",
                "displacement": "verdringing",
                "drop_off": "afname per jaar",
                "start_year": "startjaar",
                "proxy_source": "bron prijs",
            }
        )
        frame["bron prijs"] = [
            "AANNAME" if flag else text
            for flag, text in zip(frame["aanname"], frame["bron prijs"], strict=True)
        ]
        keep = [
            "uitkomst",
            "belanghebbende",
            "aantal",
            "prijs (€)",
            "duur (jaar)",
            "startjaar",
            "deadweight",
            "attributie",
            "verdringing",
            "afname per jaar",
            "bron prijs",
        ]
        return frame[keep].set_index("uitkomst")

    def _repr_html_(self) -> str:
        return nl_table(self.table()).to_html()


def _resolve_path(path: str | Path) -> Path:
    candidate = Path(path)
    if candidate.is_file():
        return candidate
    options = [PARAMS_DIR / candidate]
    if candidate.parts and candidate.parts[0] == "params":
        # "params/impact/x.yaml" relative to the checkout, also inside an installed wheel
        options.append(PARAMS_DIR.parent.joinpath(*candidate.parts[1:]))
    if not candidate.suffix:
        options = [p.with_suffix(".yaml") for p in options] + options
    for option in options:
        if option.is_file():
            return option
    known = sorted(
        p.stem
        for p in PARAMS_DIR.glob("*.yaml")
        if p.stem != "prijzen" and not p.stem.endswith("_verdelingen")
    )
    msg = (
        f"waardekaart {path} niet gevonden (ook gezocht in {PARAMS_DIR}); geef het pad van een "
        f"YAML-bestand of een van {known}"
    )
    raise ParameterError(msg)


def load_value_map(
    path: str | Path,
    *,
    gemeente: str | None = None,
    price_path: str | Path | None = None,
) -> ValueMap:
    """Load and validate a YAML value map.

    Parameters
    ----------
    path : str or Path
        A YAML file, or the bare name of a map under ``params/impact/`` (e.g.
        ``"voorbeeld_maaltijden_ouderen"``).
    gemeente : str, optional
        Gemeente code (``GMxxxx``) the calculation is made for; overrides the map's own.
    price_path : str or Path, optional
        Another price table.

    Returns
    -------
    ValueMap

    Raises
    ------
    ParameterError
        Unreadable YAML, unknown keys, or an invalid outcome row (named by row and column).
    """
    from doeagenda.impact.distributions import load_distributions

    resolved = _resolve_path(path)
    model = load_model(resolved, _ValueMapFile, what="waardekaart")
    series = cpi_factors()
    if model.prijsjaar is not None and model.prijsjaar not in series.index:
        msg = (
            f"{resolved}: prijsjaar: {model.prijsjaar} valt buiten de CPI-reeks "
            f"({series.index.min()}-{series.index.max()}); kies een prijsjaar binnen die reeks"
        )
        raise ParameterError(msg)
    columns = list(dict.fromkeys(k for row in model.outcomes for k in row))
    frame = pd.DataFrame([{c: row.get(c) for c in columns} for row in model.outcomes])
    outcomes = validate_outcomes(
        frame, source=f"waardekaart {resolved}", price_year=model.prijsjaar, price_path=price_path
    )
    table = prices(model.prijsjaar, price_path)
    price_year = int(table["doeljaar"].iloc[0])
    if isinstance(model.investering, float | int):
        investment = investment_frame(float(model.investering), source=f"{resolved} investering")
    else:
        uses_hours = any(item.vrijwilligersuren is not None for item in model.investering)
        if uses_hours and "vrijwilligersuur" not in table.index:
            msg = (
                f"{resolved}: investering telt vrijwilligersuren, maar de prijzentabel heeft geen "
                "prijs 'vrijwilligersuur'; voeg die toe aan prijzen.yaml of geef bedrag"
            )
            raise ParameterError(msg)
        hour_price = (
            float(table.loc["vrijwilligersuur", "waarde_geindexeerd"]) if uses_hours else 0.0
        )
        investment = investment_frame(
            pd.DataFrame(
                [
                    {
                        "year": item.jaar,
                        "actor": item.actor,
                        "amount": (
                            item.bedrag
                            if item.bedrag is not None
                            # the validator requires hours when bedrag is absent
                            else cast(float, item.vrijwilligersuren) * hour_price
                        ),
                        "omschrijving": item.omschrijving or "",
                        "volunteer_hours": item.vrijwilligersuren or 0.0,
                        "hour_price": hour_price if item.vrijwilligersuren else 0.0,
                    }
                    for item in model.investering
                ]
            ),
            source=f"{resolved} investering",
        )
    distributions = None
    if model.verdelingen:
        dist_path = resolved.parent / model.verdelingen
        distributions = load_distributions(dist_path)
    value_map = ValueMap(
        name=model.naam,
        outcomes=outcomes,
        investment=investment,
        path=resolved,
        description=model.beschrijving,
        gemeente=gemeente if gemeente is not None else model.gemeente,
        nulalternatief=model.nulalternatief,
        price_year=int(price_year),
        discount_rate=model.disconteringsvoet,
        horizon=model.horizon,
        distributions=distributions,
        example=model.voorbeeld,
        sources=list(model.bronnen),
        price_path=Path(price_path) if price_path is not None else None,
    )
    value_map.warnings = check_overclaiming(outcomes)
    return value_map
