"""Social return on investment (SROI) with the SROI Guide's definitions.

Impact in year 1 of an outcome is ``quantity × proxy_value × (1 − deadweight) ×
(1 − displacement) × (1 − attribution)``; in year *t* of its duration it is the year-1
impact × ``(1 − drop_off)^(t − 1)``. The value in year *y* (year 1 = the first year after
the investment, ``start_year`` shifts an outcome) is discounted by ``(1 + r)^y``.
Investments are discounted the same way, year 0 undiscounted. ``ratio = PV / PV(investment)``,
``npv = PV − PV(investment)``; the payback period is the time (in years, interpolated
within a year) at which cumulative discounted value first covers cumulative discounted
investment.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import altair as alt
import numpy as np
import pandas as pd
from scipy import optimize

from doeagenda.charts import HIGHLIGHT, MUTED, PALETTE, nl_format
from doeagenda.errors import ParameterError
from doeagenda.impact import engine
from doeagenda.impact.prices import default_discount_rate
from doeagenda.impact.valuemap import (
    FRACTIONS,
    ValueMap,
    check_overclaiming,
    investment_frame,
    load_value_map,
    validate_outcomes,
)

if TYPE_CHECKING:
    from doeagenda.impact.mkba import MKBAResult
    from doeagenda.impact.uncertainty import UncertaintyResult

logger = logging.getLogger(__name__)

__all__ = ["GLOBAL_ASSUMPTIONS", "OUTCOME_ASSUMPTIONS", "SROIResult", "SensitivityResult", "sroi"]

#: Columns of an outcome that can be varied in sensitivity and uncertainty analyses.
OUTCOME_ASSUMPTIONS = (
    "quantity",
    "proxy_value",
    "deadweight",
    "attribution",
    "displacement",
    "drop_off",
    "duration",
)
#: Assumptions that are not tied to one outcome.
GLOBAL_ASSUMPTIONS = ("discount_rate", "investment")

#: Dutch labels of the assumptions (charts and reports).
LABELS_NL = {
    "quantity": "aantal",
    "proxy_value": "prijs",
    "deadweight": "deadweight",
    "attribution": "attributie",
    "displacement": "verdringing",
    "drop_off": "afname per jaar",
    "duration": "duur",
    "discount_rate": "disconteringsvoet",
    "investment": "investering",
}


def _label(key: str) -> str:
    if "." in key:
        outcome, column = key.split(".", 1)
        return f"{outcome}: {LABELS_NL.get(column, column)}"
    return LABELS_NL.get(key, key)


class _Model:
    """Vectorised evaluation of the ratio for many assumption sets at once.

    Drawn fractions are kept within [0, 1] and drawn durations are rounded to whole years
    (at least 1); quantities and prices are used as drawn (a negative quantity is harm).
    """

    def __init__(
        self,
        outcomes: pd.DataFrame,
        investment: pd.DataFrame,
        rate: float,
        horizon: int | None,
    ) -> None:
        self.names = list(outcomes["outcome"])
        self.base = {c: outcomes[c].to_numpy(dtype="float64") for c in OUTCOME_ASSUMPTIONS}
        self.start = outcomes["start_year"].to_numpy(dtype="float64")
        self.inv_years = investment["year"].to_numpy(dtype="float64")
        self.inv_amounts = investment["amount"].to_numpy(dtype="float64")
        self.inv_total = float(self.inv_amounts.sum())
        self.rate = float(rate)
        self.horizon = horizon
        self._static_weights: np.ndarray | None = None

    def keys(self) -> list[str]:
        keys = [f"{name}.{column}" for name in self.names for column in OUTCOME_ASSUMPTIONS]
        return [*keys, *GLOBAL_ASSUMPTIONS]

    def check_keys(self, keys, source: str) -> None:
        known = set(self.keys())
        unknown = [key for key in keys if key not in known]
        if unknown:
            msg = (
                f"{source}: unknown assumption(s) {unknown}; use '<outcome>.<column>' with "
                f"outcomes {self.names} and columns {list(OUTCOME_ASSUMPTIONS)}, or "
                f"{list(GLOBAL_ASSUMPTIONS)}"
            )
            raise ParameterError(msg)

    def components(self, overrides: dict[str, np.ndarray], n: int) -> dict[str, Any]:
        """Per-outcome first-year impact and year weights for ``n`` assumption sets."""
        columns: dict[str, np.ndarray] = dict(self.base)
        rate = None
        scale = np.ones(n)
        for key, values in overrides.items():
            values = np.asarray(values, dtype="float64")
            if key == "discount_rate":
                rate = values
            elif key == "investment":
                scale = values / self.inv_total
            else:
                outcome, column = key.split(".", 1)
                if columns[column].ndim == 1:
                    columns[column] = np.tile(columns[column], (n, 1))
                columns[column][:, self.names.index(outcome)] = values
        if columns["duration"].ndim == 2:
            columns["duration"] = np.maximum(np.rint(columns["duration"]), 1)
        for column in FRACTIONS:
            if columns[column].ndim == 2:
                columns[column] = np.clip(columns[column], 0.0, 1.0)
        base = engine.base_impact(
            columns["quantity"],
            columns["proxy_value"],
            columns["deadweight"],
            columns["attribution"],
            columns["displacement"],
        )
        static = rate is None and columns["drop_off"].ndim == 1 and columns["duration"].ndim == 1
        if static:
            weights = self.static_weights
        else:
            weights = engine.year_weights(
                columns["drop_off"],
                columns["duration"],
                self.start,
                self.rate if rate is None else rate[:, None],
                self.horizon,
            )
        k = len(self.names)
        rates = np.full(n, self.rate) if rate is None else rate
        if rate is None:
            inv = np.full(n, self.static_investment_pv)
        else:
            inv = engine.investment_present_value(self.inv_years, self.inv_amounts, rate)
        return {
            "columns": columns,
            "base": np.broadcast_to(base, (n, k)),
            "weights": np.broadcast_to(weights, (n, k)),
            "rate": rates,
            "investment_pv": inv * scale,
        }

    @property
    def static_weights(self) -> np.ndarray:
        if self._static_weights is None:
            self._static_weights = engine.year_weights(
                self.base["drop_off"], self.base["duration"], self.start, self.rate, self.horizon
            )
        return self._static_weights

    @property
    def static_investment_pv(self) -> float:
        return float(engine.investment_present_value(self.inv_years, self.inv_amounts, self.rate))

    @staticmethod
    def _outputs(pv: np.ndarray, inv: np.ndarray) -> dict[str, np.ndarray]:
        return {"present_value": pv, "investment_pv": inv, "ratio": pv / inv, "npv": pv - inv}

    def evaluate(self, overrides: dict[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
        """Present value, investment PV, ratio and NPV for ``n`` assumption sets."""
        comp = self.components(overrides, n)
        pv = (comp["base"] * comp["weights"]).sum(axis=1)
        return self._outputs(pv, comp["investment_pv"])

    def evaluate_swapped(
        self,
        comp: dict[str, Any],
        pv: np.ndarray,
        overrides: dict[str, np.ndarray],
        key: str,
        values: np.ndarray,
    ) -> dict[str, np.ndarray]:
        """Outputs when only ``key`` differs from the sets in ``comp`` (Saltelli's AB_i).

        Only the outcome that ``key`` belongs to is recomputed, so the Sobol design costs
        O(n) per assumption instead of O(n × outcomes); the discount rate changes every
        outcome and is evaluated in full.
        """
        n = pv.shape[0]
        if key == "discount_rate":
            return self.evaluate({**overrides, key: values}, n)
        if key == "investment":
            return self._outputs(pv, comp["investment_pv"] * (values / overrides[key]))
        outcome, column = key.split(".", 1)
        o = self.names.index(outcome)
        cols = comp["columns"]

        def current(name: str) -> np.ndarray:
            array = cols[name]
            return array[:, o] if array.ndim == 2 else np.full(n, array[o])

        base_o = comp["base"][:, o]
        weights_o = comp["weights"][:, o]
        if column in FRACTIONS:
            values = np.clip(values, 0.0, 1.0)
        if column in ("drop_off", "duration"):
            drop_off = values if column == "drop_off" else current("drop_off")
            duration = (
                np.maximum(np.rint(values), 1) if column == "duration" else current("duration")
            )
            weights_o = engine.year_weights(
                drop_off, duration, self.start[o], comp["rate"], self.horizon
            )
        else:
            args = {name: current(name) for name in OUTCOME_ASSUMPTIONS[:5]}
            args[column] = values
            base_o = engine.base_impact(
                args["quantity"],
                args["proxy_value"],
                args["deadweight"],
                args["attribution"],
                args["displacement"],
            )
        new_pv = pv - comp["base"][:, o] * comp["weights"][:, o] + base_o * weights_o
        return self._outputs(new_pv, comp["investment_pv"])

    def value(self, key: str) -> float:
        if key == "discount_rate":
            return self.rate
        if key == "investment":
            return self.inv_total
        outcome, column = key.split(".", 1)
        return float(self.base[column][self.names.index(outcome)])


def _by_year(outcomes: pd.DataFrame, rate: float, horizon: int | None) -> pd.DataFrame:
    """Year-by-year values written out as the SROI Guide's spreadsheet does."""
    records = []
    for row in outcomes.itertuples(index=False):
        first = (
            row.quantity
            * row.proxy_value
            * (1 - row.deadweight)
            * (1 - row.displacement)
            * (1 - row.attribution)
        )
        for t in range(1, int(row.duration) + 1):
            year = int(row.start_year) + t - 1
            if horizon is not None and year > horizon:
                break
            value = first * (1 - row.drop_off) ** (t - 1)
            records.append(
                {
                    "year": year,
                    "outcome": row.outcome,
                    "stakeholder": row.stakeholder,
                    "actor": row.actor,
                    "value": value,
                    "discounted": value / (1 + rate) ** year,
                }
            )
    columns = ["year", "outcome", "stakeholder", "actor", "value", "discounted"]
    frame = pd.DataFrame(records, columns=columns)
    frame["year"] = frame["year"].astype("int64")
    for column in ("value", "discounted"):
        frame[column] = frame[column].astype("float64")
    return frame


def _payback(by_year: pd.DataFrame, investment: pd.DataFrame, rate: float) -> float:
    last = int(max(by_year["year"].max() if not by_year.empty else 0, investment["year"].max()))
    years = np.arange(0, last + 1)
    benefit = by_year.groupby("year")["discounted"].sum().reindex(years, fill_value=0.0)
    cost = (
        investment.assign(pv=investment["amount"] / (1 + rate) ** investment["year"])
        .groupby("year")["pv"]
        .sum()
        .reindex(years, fill_value=0.0)
    )
    net = (benefit - cost).cumsum().to_numpy()
    if net[0] >= 0:
        return 0.0
    for year in range(1, len(net)):
        if net[year] >= 0:
            return float(year - 1 + (-net[year - 1]) / (net[year] - net[year - 1]))
    return float("nan")


def _resolve_inputs(outcomes, investment, discount_rate, horizon):
    value_map = None
    if isinstance(outcomes, str | Path):
        outcomes = load_value_map(outcomes)
    if isinstance(outcomes, ValueMap):
        value_map = outcomes
        table = value_map.outcomes
        if investment is None:
            investment = value_map.investment
        if discount_rate is None:
            discount_rate = value_map.discount_rate
        if horizon is None:
            horizon = value_map.horizon
        warnings = list(value_map.warnings)
    else:
        table = validate_outcomes(outcomes)
        warnings = check_overclaiming(table)
    if investment is None:
        msg = "sroi: no investment given; pass investment= (a number, or amounts by year)"
        raise ParameterError(msg)
    investment = investment_frame(investment)
    if discount_rate is None:
        discount_rate = default_discount_rate()
    discount_rate = float(discount_rate)
    if not 0 <= discount_rate < 1:
        msg = f"sroi: discount_rate must be in [0, 1), got {discount_rate}; e.g. 0.0225 for 2.25%"
        raise ParameterError(msg)
    if horizon is not None and int(horizon) < 1:
        msg = f"sroi: horizon must be a whole number of years >= 1, got {horizon}"
        raise ParameterError(msg)
    horizon = None if horizon is None else int(horizon)
    return value_map, table, investment, discount_rate, horizon, warnings


def sroi(
    outcomes: pd.DataFrame | ValueMap | str | Path,
    investment: float | pd.Series | pd.DataFrame | None = None,
    discount_rate: float | None = None,
    horizon: int | None = None,
) -> SROIResult:
    """Compute the SROI of a value map.

    Parameters
    ----------
    outcomes : DataFrame, ValueMap, str or Path
        The value map: a DataFrame with one row per outcome (columns ``outcome,
        stakeholder, quantity, proxy_value, duration, deadweight, attribution,
        displacement, drop_off``, optionally ``start_year, proxy, proxy_source, actor``),
        a loaded :class:`ValueMap`, or the path/name of a YAML value map.
    investment : float, Series or DataFrame, optional
        A number (spent in year 0), a Series of amounts by year, or a DataFrame ``year,
        amount[, actor]``. Taken from the value map when omitted.
    discount_rate : float, optional
        Real discount rate per year; default the value map's, else 2.25% (Werkgroep
        discontovoet 2020, see ``params/impact/prijzen.yaml``).
    horizon : int, optional
        Last year counted (years after it are cut off).

    Returns
    -------
    SROIResult
    """
    value_map, table, investment, rate, horizon, warnings = _resolve_inputs(
        outcomes, investment, discount_rate, horizon
    )
    by_year = _by_year(table, rate, horizon)
    present_value = float(by_year["discounted"].sum())
    investment_pv = float((investment["amount"] / (1 + rate) ** investment["year"]).sum())
    by_stakeholder = (
        by_year.groupby("stakeholder", sort=False)[["value", "discounted"]]
        .sum()
        .reindex(pd.unique(table["stakeholder"]), fill_value=0.0)
    )
    by_stakeholder.index.name = "stakeholder"
    total = by_stakeholder["discounted"].sum()
    by_stakeholder["share"] = by_stakeholder["discounted"] / total if total > 0 else np.nan
    return SROIResult(
        outcomes=table,
        investment=investment,
        discount_rate=rate,
        horizon=horizon,
        present_value=present_value,
        investment_pv=investment_pv,
        npv=present_value - investment_pv,
        ratio=present_value / investment_pv,
        payback_years=_payback(by_year, investment, rate),
        by_year=by_year,
        by_stakeholder=by_stakeholder,
        value_map=value_map,
        warnings=warnings,
    )


@dataclass
class SROIResult:
    """Result of :func:`sroi`.

    Attributes
    ----------
    present_value : float
        Present value of all outcomes.
    investment_pv : float
        Present value of the investment.
    npv : float
        ``present_value - investment_pv``.
    ratio : float
        ``present_value / investment_pv`` (euros of value per euro invested).
    payback_years : float
        Years until cumulative discounted value covers the investment (NaN if never).
    by_year : DataFrame
        ``year, outcome, stakeholder, actor, value, discounted``.
    by_stakeholder : DataFrame
        Index ``stakeholder``; ``value, discounted, share``.
    outcomes, investment : DataFrame
        The validated inputs.
    discount_rate : float
    horizon : int or None
    value_map : ValueMap or None
        The YAML value map the result came from.
    warnings : list of str
        Over-claiming warnings (Dutch).
    """

    outcomes: pd.DataFrame
    investment: pd.DataFrame
    discount_rate: float
    horizon: int | None
    present_value: float
    investment_pv: float
    npv: float
    ratio: float
    payback_years: float
    by_year: pd.DataFrame
    by_stakeholder: pd.DataFrame
    value_map: ValueMap | None = None
    warnings: list[str] = field(default_factory=list)

    # -- model access ------------------------------------------------------------------
    def _model(self) -> _Model:
        return _Model(self.outcomes, self.investment, self.discount_rate, self.horizon)

    @property
    def name(self) -> str:
        """Name of the value map (or 'waardekaart')."""
        return self.value_map.name if self.value_map is not None else "waardekaart"

    @property
    def assumptions(self) -> list[str]:
        """Outcomes whose price is an assumption (``bron: aanname``)."""
        return list(self.outcomes.loc[self.outcomes["aanname"], "outcome"])

    # -- tables ------------------------------------------------------------------------
    def summary(self) -> pd.DataFrame:
        """Key figures with Dutch labels.

        Returns
        -------
        DataFrame
            Index ``kengetal``; columns ``waarde`` (number) and ``tekst`` (Dutch format).
        """
        rows = [
            ("Contante waarde maatschappelijke waarde (€)", self.present_value, 0),
            ("Contante waarde investering (€)", self.investment_pv, 0),
            ("Netto contante waarde (€)", self.npv, 0),
            ("SROI-ratio (€ waarde per geïnvesteerde €)", self.ratio, 2),
            ("Terugverdientijd (jaar)", self.payback_years, 1),
            ("Disconteringsvoet", self.discount_rate * 100, 2),
        ]
        frame = pd.DataFrame(
            {
                "kengetal": [r[0] for r in rows],
                "waarde": [float(r[1]) for r in rows],
                "tekst": [nl_format(r[1], r[2]) for r in rows],
            }
        )
        frame.loc[frame["kengetal"] == "Disconteringsvoet", "tekst"] += "%"
        if self.assumptions:
            extra = pd.DataFrame(
                {
                    "kengetal": ["Prijzen die een aanname zijn"],
                    "waarde": [float(len(self.assumptions))],
                    "tekst": [", ".join(self.assumptions)],
                }
            )
            frame = pd.concat([frame, extra], ignore_index=True)
        return frame.set_index("kengetal")

    def to_frame(self) -> pd.DataFrame:
        """The year-by-year values (:attr:`by_year`).

        Returns
        -------
        DataFrame
        """
        return self.by_year.copy()

    def waterfall(self) -> pd.DataFrame:
        """Steps from gross value to net present value.

        Returns
        -------
        DataFrame
            ``stap, bedrag, begin, eind`` in chart order: gross value, minus deadweight,
            displacement, attribution, drop-off and discounting, the present value, minus
            the investment and the net present value.
        """
        o = self.outcomes
        years = o["duration"].to_numpy(dtype="float64")
        if self.horizon is not None:
            years = np.clip(np.minimum(years, self.horizon - o["start_year"] + 1), 0, None)
        gross_year = o["quantity"] * o["proxy_value"]
        gross = float((gross_year * years).sum())
        deadweight = float((gross_year * o["deadweight"] * years).sum())
        after_dw = gross_year * (1 - o["deadweight"])
        displacement = float((after_dw * o["displacement"] * years).sum())
        after_disp = after_dw * (1 - o["displacement"])
        attribution = float((after_disp * o["attribution"] * years).sum())
        first = after_disp * (1 - o["attribution"])
        undiscounted = float(
            (first * engine.year_weights(o["drop_off"], years, o["start_year"], 0.0)).sum()
        )
        drop_off = float((first * years).sum()) - undiscounted
        discounting = undiscounted - self.present_value
        steps = [
            ("Bruto waarde", gross, "totaal"),
            ("− deadweight", -deadweight, "aftrek"),
            ("− verdringing", -displacement, "aftrek"),
            ("− attributie", -attribution, "aftrek"),
            ("− afname (drop-off)", -drop_off, "aftrek"),
            ("− disconteren", -discounting, "aftrek"),
            ("Contante waarde", self.present_value, "totaal"),
            ("− investering (cw)", -self.investment_pv, "aftrek"),
            ("Netto contante waarde", self.npv, "totaal"),
        ]
        records = []
        level = 0.0
        for label, amount, kind in steps:
            if kind == "totaal":
                begin, end = 0.0, amount
                level = amount
            else:
                begin, end = level, level + amount
                level = end
            records.append(
                {"stap": label, "bedrag": amount, "begin": begin, "eind": end, "soort": kind}
            )
        return pd.DataFrame(records)

    # -- charts ------------------------------------------------------------------------
    def chart(self, kind: str = "waterval") -> alt.Chart | alt.VConcatChart:
        """Waterfall from gross to net value, or value over time by stakeholder.

        Parameters
        ----------
        kind : {"waterval", "tijd", "beide"}
            ``"waterval"`` (also ``"waterfall"``): gross value to net present value;
            ``"tijd"`` (also ``"time"``): discounted value per year, stacked by stakeholder;
            ``"beide"`` (also ``"both"``): the two stacked.

        Returns
        -------
        altair.Chart
        """
        if kind in ("waterval", "waterfall"):
            data = self.waterfall()
            order = list(data["stap"])
            return (
                alt.Chart(data, title=f"Van bruto naar netto waarde — {self.name}")
                .mark_bar()
                .encode(
                    x=alt.X("stap:N", sort=order, title=None, axis=alt.Axis(labelAngle=-30)),
                    y=alt.Y("begin:Q", title="Bedrag (€)"),
                    y2="eind:Q",
                    color=alt.Color(
                        "soort:N",
                        scale=alt.Scale(domain=["totaal", "aftrek"], range=[PALETTE[0], MUTED]),
                        legend=None,
                    ),
                    tooltip=[
                        alt.Tooltip("stap:N", title="Stap"),
                        alt.Tooltip("bedrag:Q", title="Bedrag (€)", format=",.0f"),
                    ],
                )
                .properties(width=480)
            )
        if kind in ("tijd", "time"):
            data = self.by_year.groupby(["year", "stakeholder"], as_index=False)["discounted"].sum()
            return (
                alt.Chart(data, title=f"Contante waarde per jaar en belanghebbende — {self.name}")
                .mark_bar()
                .encode(
                    x=alt.X("year:O", title="Jaar", axis=alt.Axis(labelAngle=0)),
                    y=alt.Y("discounted:Q", title="Contante waarde (€)", stack=True),
                    color=alt.Color("stakeholder:N", title="Belanghebbende"),
                    tooltip=[
                        alt.Tooltip("year:O", title="Jaar"),
                        alt.Tooltip("stakeholder:N", title="Belanghebbende"),
                        alt.Tooltip("discounted:Q", title="Contante waarde (€)", format=",.0f"),
                    ],
                )
                .properties(width=480)
            )
        if kind in ("beide", "both"):
            return alt.vconcat(self.chart("waterval"), self.chart("tijd")).resolve_scale(
                color="independent"
            )
        msg = f"chart kind {kind!r} unknown; use 'waterval', 'tijd' or 'beide'"
        raise ParameterError(msg)

    # -- analyses ----------------------------------------------------------------------
    def sensitivity(
        self,
        pct: float = 0.2,
        points: float = 0.1,
        ranges: dict[str, tuple[float, float]] | None = None,
    ) -> SensitivityResult:
        """One-at-a-time sensitivity (tornado) and break-even value of every assumption.

        Parameters
        ----------
        pct : float
            Relative swing of amounts (quantity, proxy_value, investment): ±20% by default.
        points : float
            Absolute swing of fractions (deadweight, attribution, displacement, drop_off):
            ±0.10 by default, kept within [0, 1]. Durations swing ±1 year (at least 1),
            the discount rate ±1 percentage point (at least 0).
        ranges : dict, optional
            ``{assumption: (low, high)}`` overriding the default swing of those assumptions.

        Returns
        -------
        SensitivityResult
        """
        model = self._model()
        ranges = dict(ranges or {})
        model.check_keys(ranges, "sensitivity ranges")
        keys = model.keys()
        lows, highs, bases = [], [], []
        for key in keys:
            base = model.value(key)
            column = key.split(".", 1)[1] if "." in key else key
            if key in ranges:
                low, high = (float(v) for v in ranges[key])
            elif column in FRACTIONS:
                low, high = max(base - points, 0.0), min(base + points, 1.0)
            elif column == "duration":
                low, high = max(base - 1, 1.0), base + 1
            elif column == "discount_rate":
                low, high = max(base - 0.01, 0.0), base + 0.01
            else:
                low, high = base * (1 - pct), base * (1 + pct)
            lows.append(low)
            highs.append(high)
            bases.append(base)
        ratio_low = [
            model.evaluate({k: np.array([v])}, 1)["ratio"][0]
            for k, v in zip(keys, lows, strict=True)
        ]
        ratio_high = [
            model.evaluate({k: np.array([v])}, 1)["ratio"][0]
            for k, v in zip(keys, highs, strict=True)
        ]
        breaks = [_break_even(model, key, self.ratio) for key in keys]
        table = pd.DataFrame(
            {
                "assumption": keys,
                "label": [_label(k) for k in keys],
                "base": bases,
                "low": lows,
                "high": highs,
                "ratio_low": ratio_low,
                "ratio_high": ratio_high,
                "break_even": [b[0] for b in breaks],
                "break_even_feasible": [b[1] for b in breaks],
            }
        )
        table["swing"] = (table["ratio_high"] - table["ratio_low"]).abs()
        table = table.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
        return SensitivityResult(table=table, base_ratio=self.ratio, name=self.name)

    def uncertainty(
        self, distributions: Any = None, n: int = 10000, seed: int = 0
    ) -> UncertaintyResult:
        """Monte Carlo of the ratio with first- and total-order Sobol indices.

        Parameters
        ----------
        distributions : dict, str or Path, optional
            ``{assumption: distribution}`` or a distributions YAML (see
            :mod:`doeagenda.impact.distributions`); default the value map's own.
        n : int
            Number of draws (the Sobol design evaluates ``n * (d + 2)`` sets for ``d``
            uncertain assumptions).
        seed : int
            Seed of the random generator.

        Returns
        -------
        UncertaintyResult
        """
        from doeagenda.impact.uncertainty import run_uncertainty

        if distributions is None:
            if self.value_map is None or self.value_map.distributions is None:
                msg = (
                    "uncertainty: no distributions given and the value map names none; pass "
                    "distributions= (a dict or a YAML file)"
                )
                raise ParameterError(msg)
            distributions = self.value_map.distributions
        return run_uncertainty(self, distributions, n=n, seed=seed)

    def mkba(self) -> MKBAResult:
        """The MKBA view: costs and benefits per actor (:func:`doeagenda.impact.mkba`).

        Returns
        -------
        MKBAResult
        """
        from doeagenda.impact.mkba import mkba

        return mkba(self)


def _break_even(model: _Model, key: str, base_ratio: float) -> tuple[float, bool]:
    """Value of one assumption at which the ratio is exactly 1 (others fixed)."""
    column = key.split(".", 1)[1] if "." in key else key

    def ratio_at(values) -> np.ndarray:
        values = np.atleast_1d(np.asarray(values, dtype="float64"))
        return model.evaluate({key: values}, values.size)["ratio"]

    if column == "investment":
        return model.inv_total * base_ratio, True
    if column in ("quantity", "proxy_value", "deadweight", "attribution", "displacement"):
        r0, r1 = ratio_at([0.0, 1.0])
        slope = r1 - r0
        if slope == 0:
            return float("nan"), False
        value = float((1 - r0) / slope)
        upper = 1.0 if column in FRACTIONS else np.inf
        return value, bool(0 <= value <= upper)
    if column == "duration":
        durations = np.arange(1, 101)
        ratios = ratio_at(durations)
        above = np.nonzero(ratios >= 1)[0]
        if above.size == 0:
            return float("nan"), False
        return float(durations[above[0]]), True
    # drop_off in [0, 1] and discount_rate in [0, 1): monotone, solve numerically
    low, high = (0.0, 1.0) if column == "drop_off" else (0.0, 0.99)
    f_low, f_high = ratio_at([low, high]) - 1
    if f_low == 0:
        return low, True
    if np.sign(f_low) == np.sign(f_high):
        return float("nan"), False
    root = optimize.brentq(lambda v: float(ratio_at(v)[0] - 1), low, high, xtol=1e-10)
    return float(root), True


@dataclass
class SensitivityResult:
    """One-at-a-time sensitivity of the SROI ratio.

    Attributes
    ----------
    table : DataFrame
        One row per assumption, sorted by swing: ``assumption, label, base, low, high,
        ratio_low, ratio_high, break_even, break_even_feasible, swing``. ``break_even``
        is the value of the assumption at which the ratio is 1:1 with all others at
        their base values (NaN when no such value exists); ``break_even_feasible`` says
        whether it lies in the admissible range (fractions in [0, 1], amounts >= 0).
    base_ratio : float
    name : str
    """

    table: pd.DataFrame
    base_ratio: float
    name: str = "waardekaart"

    def to_frame(self) -> pd.DataFrame:
        """The full table.

        Returns
        -------
        DataFrame
        """
        return self.table.copy()

    def summary(self, top: int = 10) -> pd.DataFrame:
        """The assumptions that move the ratio most, with Dutch column names.

        Parameters
        ----------
        top : int
            Number of rows.

        Returns
        -------
        DataFrame
        """
        frame = self.table.head(top)
        return pd.DataFrame(
            {
                "aanname": frame["label"],
                "basiswaarde": frame["base"],
                "laag": frame["low"],
                "hoog": frame["high"],
                "ratio bij laag": frame["ratio_low"].round(2),
                "ratio bij hoog": frame["ratio_high"].round(2),
                "omslagpunt (ratio 1:1)": frame["break_even"],
                "omslagpunt haalbaar": frame["break_even_feasible"],
            }
        ).set_index("aanname")

    def chart(self, top: int = 12) -> alt.LayerChart:
        """Tornado chart of the ratio for the low and high value of each assumption.

        Parameters
        ----------
        top : int
            Number of assumptions shown (largest swing first).

        Returns
        -------
        altair.LayerChart
        """
        frame = self.table.head(top)
        order = list(frame["label"])
        long = pd.concat(
            [
                pd.DataFrame(
                    {"aanname": frame["label"], "ratio": frame["ratio_low"], "kant": "laag"}
                ),
                pd.DataFrame(
                    {"aanname": frame["label"], "ratio": frame["ratio_high"], "kant": "hoog"}
                ),
            ],
            ignore_index=True,
        )
        long["basis"] = self.base_ratio
        bars = (
            alt.Chart(long, title=f"Gevoeligheid van de SROI-ratio — {self.name}")
            .mark_bar()
            .encode(
                y=alt.Y("aanname:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
                x=alt.X("ratio:Q", title="SROI-ratio"),
                x2="basis:Q",
                color=alt.Color(
                    "kant:N",
                    title="Aanname",
                    scale=alt.Scale(domain=["laag", "hoog"], range=[PALETTE[5], PALETTE[0]]),
                ),
                tooltip=[
                    alt.Tooltip("aanname:N", title="Aanname"),
                    alt.Tooltip("kant:N", title="Waarde"),
                    alt.Tooltip("ratio:Q", title="Ratio", format=".2f"),
                ],
            )
        )
        base = (
            alt.Chart(pd.DataFrame({"x": [self.base_ratio]}))
            .mark_rule(color="black")
            .encode(x="x:Q")
        )
        one = (
            alt.Chart(pd.DataFrame({"x": [1.0]}))
            .mark_rule(color=HIGHLIGHT, strokeDash=[4, 4])
            .encode(x="x:Q")
        )
        return alt.layer(bars, base, one)
