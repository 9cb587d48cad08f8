"""Dutch reference prices (financial proxies), CPI indexation and the discount rates.

The table lives in ``params/impact/prijzen.yaml``; it is validated on load (pydantic,
``extra="forbid"``). A price either refers to a row of the Kostenhandleiding 2024 table
shipped in ``doeagenda/impact/tables/`` (``kh2024: gp_homevisit_avg``) and takes its value
and price year from there, or gives its own ``waarde`` with a ``bron``; a value that comes
from no published source has ``bron: aanname`` and is flagged wherever it is used.

All prices are brought to one price year with the CBS CPI cumulative factors shipped beside
the table (``tables/cbs_cpi_factoren.csv``); a price year outside that series is an error.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import logging
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from doeagenda.config import load_model
from doeagenda.errors import ParameterError
from doeagenda.paths import params_path

logger = logging.getLogger(__name__)

__all__ = [
    "ASSUMPTION",
    "CPI_FILE",
    "KH2024_FILE",
    "KH2024_SOURCE",
    "MAX_DISCOUNT_RATE",
    "PARAMS_DIR",
    "PRICES_FILE",
    "check_discount_rate",
    "cpi_factor",
    "cpi_factors",
    "default_discount_rate",
    "discount_rates",
    "discount_regimes",
    "kh2024_table",
    "load_price_table",
    "price_ranges",
    "prices",
    "search_prices",
]

#: Folder with the impact configuration (prices, voorbeeld value maps, distributions).
PARAMS_DIR = params_path("impact")
#: The reference price table.
PRICES_FILE = PARAMS_DIR / "prijzen.yaml"
#: The ``bron`` value that marks a price as an assumption.
ASSUMPTION = "aanname"
_TABLES = resources.files("doeagenda.impact").joinpath("tables")
#: Kostenhandleiding 2024 reference prices (160 rows, prijspeil 2022); see tables/PROVENANCE.md.
KH2024_FILE = Path(str(_TABLES.joinpath("kh2024_referentieprijzen.csv")))
#: CBS CPI factors (year-on-year and cumulative to 2024); see tables/PROVENANCE.md.
CPI_FILE = Path(str(_TABLES.joinpath("cbs_cpi_factoren.csv")))
#: How a Kostenhandleiding price is cited (the row's ``short_var`` is appended).
KH2024_SOURCE = "Zorginstituut Nederland, Kostenhandleiding 2024 (prijspeil 2022)"
#: Price year of the Kostenhandleiding 2024 table.
KH2024_PRICE_YEAR = 2022
#: Highest discount rate accepted anywhere (a real rate above 15% is a typo, not a choice).
MAX_DISCOUNT_RATE = 0.15

# The KH2024 table is in English; these Dutch search words are translated so that
# ``doeagenda impact prijzen --zoek thuis`` finds "at home". Extend when a word is missing.
SEARCH_WORDS_NL = {
    "thuis": ("home",),
    "huisarts": ("general practitioner", "gp_"),
    "visite": ("home visit",),
    "consult": ("consult",),
    "verpleging": ("nursing",),
    "verzorging": ("personal care", "care"),
    "begeleiding": ("guidance",),
    "huishoudelijk": ("household",),
    "mantelzorg": ("informal care",),
    "ziekenhuis": ("hospital",),
    "spoed": ("emergency",),
    "seh": ("emergency",),
    "verpleeghuis": ("nursing & care",),
    "ouderen": ("elderly",),
    "dagbesteding": ("daytime activities",),
    "fysiotherapie": ("physiotherapy",),
    "ggz": ("mental health", "ggz"),
    "vervoer": ("transport",),
    "reiskosten": ("travel",),
    "onderwijs": ("education",),
    "productiviteit": ("productivity",),
    "werk": ("work", "worker"),
    "uur": ("hour",),
    "dag": ("day",),
    "gehandicapten": ("disab",),
    "criminaliteit": ("justice", "theft", "vandalism"),
}


class _DatedValue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vanaf: dt.date
    waarde: float = Field(ge=0, allow_inf_nan=False)


class _Price(BaseModel):
    model_config = ConfigDict(extra="forbid")

    omschrijving: str
    kh2024: str | None = None
    waarde: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    gedateerd: list[_DatedValue] | None = None
    eenheid: str
    prijsjaar: int | None = None
    bron: str | None = Field(default=None, min_length=1)
    actor: str | None = None
    opmerking: str | None = None
    ook_zonder_rapporteren: bool = False
    bovengrens_kh2024: str | None = None

    @model_validator(mode="after")
    def _one_origin(self) -> _Price:
        if self.kh2024 is not None:
            if self.waarde is not None or self.gedateerd is not None:
                msg = "kh2024 neemt de waarde uit de tabel; verwijder waarde/gedateerd"
                raise ValueError(msg)
            if self.bron is not None:
                msg = "kh2024 noemt zelf de bron; verwijder bron (gebruik opmerking voor aantekeningen)"
                raise ValueError(msg)
            if self.prijsjaar not in (None, KH2024_PRICE_YEAR):
                msg = f"een kh2024-prijs heeft prijsjaar {KH2024_PRICE_YEAR}; verwijder prijsjaar"
                raise ValueError(msg)
            return self
        if self.waarde is None and self.gedateerd is None:
            msg = (
                "een prijs vraagt kh2024 (een rij van de KH2024-tabel), of waarde met bron "
                "(een bron, of 'aanname')"
            )
            raise ValueError(msg)
        if self.bron is None:
            msg = "waarde vraagt bron: een gepubliceerde bron, of 'aanname'"
            raise ValueError(msg)
        if self.prijsjaar is None:
            msg = "waarde vraagt prijsjaar (het jaar waarin de euro's gelden)"
            raise ValueError(msg)
        if self.waarde is not None and self.gedateerd is not None:
            msg = "geef waarde of gedateerd (waarden met datum, gemiddeld over het prijsjaar), niet allebei"
            raise ValueError(msg)
        return self


class _Build(BaseModel):
    model_config = ConfigDict(extra="forbid")

    risicovrij: float
    risico_opslag: float


class _DiscountRate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    waarde: float = Field(ge=0, le=MAX_DISCOUNT_RATE)
    eenheid: str
    opbouw: _Build | None = None
    bron: str
    toelichting: str | None = None

    @model_validator(mode="after")
    def _build_adds_up(self) -> _DiscountRate:
        if self.opbouw is not None:
            total = self.opbouw.risicovrij + self.opbouw.risico_opslag
            if abs(total - self.waarde) > 1e-9:
                msg = (
                    f"opbouw telt op tot {total:.4f} (risicovrij + risico_opslag), niet tot "
                    f"waarde {self.waarde}; verbeter een van beide"
                )
                raise ValueError(msg)
        return self


class _Regime(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kosten: float = Field(ge=0, le=MAX_DISCOUNT_RATE)
    effecten: float = Field(ge=0, le=MAX_DISCOUNT_RATE)
    bron: str
    toelichting: str | None = None


class _PriceFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    standaard_prijsjaar: int
    disconteringsvoet: _DiscountRate
    discontoregimes: dict[str, _Regime] = Field(default_factory=dict)
    prijzen: dict[str, _Price]


@lru_cache(maxsize=1)
def kh2024_table() -> pd.DataFrame:
    """The Kostenhandleiding 2024 reference-price table as shipped.

    Returns
    -------
    DataFrame
        Index ``short_var``; columns ``Domain, Category, Unit`` and the prices ``2022``
        (the handleiding's own price level), ``2023`` and ``2024`` (indexed by the
        tatooheene package with the CBS CPI).
    """
    frame = pd.read_csv(KH2024_FILE)
    frame.columns = [str(c) for c in frame.columns]
    return frame.set_index("short_var")


@lru_cache(maxsize=1)
def cpi_factors() -> pd.Series:
    """Cumulative CBS CPI factors from each year to the last year of the series.

    Returns
    -------
    Series
        Indexed by year (2012 ... 2024); the value brings euros of that year to euros of
        the last year (2022 -> 2024 is 1.073). The last year has factor 1.
    """
    raw = pd.read_csv(CPI_FILE)
    to_year = int(raw["Year to'"].max())
    factors = pd.Series(
        raw["Factor'"].to_numpy(dtype="float64"),
        index=raw["Year from'"].astype("int64").to_numpy(),
        name=f"factor_naar_{to_year}",
    )
    factors.loc[to_year] = 1.0
    factors.index.name = "jaar"
    return factors.sort_index()


def _suggest(name: str, options) -> str:
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.0)
    return f"; bedoelde u {close[0]!r}?" if close else ""


def _check_year(year: int, where: str) -> None:
    series = cpi_factors()
    if year not in series.index:
        msg = (
            f"{where}: prijsjaar {year} valt buiten de CPI-reeks "
            f"({series.index.min()}-{series.index.max()}, {CPI_FILE.name}); "
            "kies een prijsjaar binnen die reeks"
        )
        raise ParameterError(msg)


def _year_average(values: list[_DatedValue], year: int, where: str) -> float:
    """Day-weighted average over ``year`` of values that each hold from their date on."""
    ordered = sorted(values, key=lambda v: v.vanaf)
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    if ordered[0].vanaf > start:
        msg = f"{where}: de eerste gedateerde waarde begint na 1 januari {year}; voeg er een vanaf die datum toe"
        raise ParameterError(msg)
    total = 0.0
    for position, item in enumerate(ordered):
        begin = max(item.vanaf, start)
        stop = ordered[position + 1].vanaf if position + 1 < len(ordered) else end
        stop = min(stop, end)
        if stop > begin:
            total += item.waarde * (stop - begin).days
    return total / (366 if calendar.isleap(year) else 365)


@lru_cache(maxsize=8)
def _load(path_text: str) -> tuple[_PriceFile, pd.DataFrame]:
    path = Path(path_text)
    model = load_model(path, _PriceFile, what="prijzentabel")
    _check_year(model.standaard_prijsjaar, f"{path}: standaard_prijsjaar")
    kh = kh2024_table()
    rows = []
    for key, price in model.prijzen.items():
        where = f"{path}: prijzen.{key}"
        for field_name in ("kh2024", "bovengrens_kh2024"):
            ref = getattr(price, field_name)
            if ref is not None and ref not in kh.index:
                msg = (
                    f"{where}.{field_name}: {ref!r} is geen rij (short_var) van de "
                    f"KH2024-tabel{_suggest(ref, kh.index)}"
                )
                raise ParameterError(msg)
        if price.kh2024 is not None:
            value = float(kh.loc[price.kh2024, str(KH2024_PRICE_YEAR)])
            year = KH2024_PRICE_YEAR
            source = f"{KH2024_SOURCE}, rij {price.kh2024}"
        else:
            # the validator guarantees a price year, and waarde when gedateerd is absent
            assert price.prijsjaar is not None
            year = int(price.prijsjaar)
            _check_year(year, f"{where}.prijsjaar")
            if price.gedateerd is None:
                assert price.waarde is not None
                value = price.waarde
            else:
                value = _year_average(price.gedateerd, year, f"{where}.gedateerd")
            source = str(price.bron)
        rows.append(
            {
                "proxy": key,
                "omschrijving": price.omschrijving,
                "waarde": float(value),
                "eenheid": price.eenheid,
                "prijsjaar": year,
                "bron": source,
                "actor": price.actor,
                "opmerking": price.opmerking,
                "kh2024": price.kh2024 or "",
                "ook_zonder": price.ook_zonder_rapporteren,
                "bovengrens_kh2024": price.bovengrens_kh2024 or "",
            }
        )
    frame = pd.DataFrame(rows).set_index("proxy")
    frame["aanname"] = frame["bron"].str.strip().str.lower() == ASSUMPTION
    return model, frame


def _price_file(path: str | Path | None) -> _PriceFile:
    return _load(str(Path(path) if path is not None else PRICES_FILE))[0]


def check_discount_rate(rate: float, what: str = "discount_rate") -> float:
    """Return ``rate`` as float after checking it lies in [0, 0.15].

    Parameters
    ----------
    rate : float
        A real discount rate per year.
    what : str
        Name of the key or option, for the message.

    Returns
    -------
    float
    """
    try:
        value = float(rate)
    except (TypeError, ValueError):
        msg = f"{what}: {rate!r} is geen getal; geef bijvoorbeeld 0.0225 voor 2,25%"
        raise ParameterError(msg) from None
    if not 0 <= value <= MAX_DISCOUNT_RATE:
        msg = (
            f"{what}: {value} valt buiten 0-{MAX_DISCOUNT_RATE}; geef een fractie, bijvoorbeeld "
            "0.0225 voor 2,25%"
        )
        raise ParameterError(msg)
    return value


def default_discount_rate(path: str | Path | None = None) -> float:
    """The default discount rate (real, per year) from ``prijzen.yaml``.

    Parameters
    ----------
    path : str or Path, optional
        Another price table; default ``params/impact/prijzen.yaml``.

    Returns
    -------
    float
        0.0225 in the shipped table (Dutch MKBA standard, −1% risk-free + 3.25% premium).
    """
    return _price_file(path).disconteringsvoet.waarde


def discount_regimes(path: str | Path | None = None) -> pd.DataFrame:
    """The named discounting regimes of ``prijzen.yaml``.

    Parameters
    ----------
    path : str or Path, optional
        Another price table.

    Returns
    -------
    DataFrame
        Index ``regime``; columns ``kosten, effecten, bron``.
    """
    regimes = _price_file(path).discontoregimes
    frame = pd.DataFrame(
        [
            {"regime": name, "kosten": r.kosten, "effecten": r.effecten, "bron": r.bron}
            for name, r in regimes.items()
        ],
        columns=["regime", "kosten", "effecten", "bron"],
    )
    return frame.set_index("regime")


def discount_rates(regime: str, path: str | Path | None = None) -> tuple[float, float]:
    """Discount rates for costs and for effects of a named regime.

    Parameters
    ----------
    regime : str
        ``"mkba"`` (2.25% for both) or ``"zorginstituut2024"`` (3% costs, 1.5% effects).
    path : str or Path, optional
        Another price table.

    Returns
    -------
    (float, float)
        ``(costs, effects)``.
    """
    regimes = _price_file(path).discontoregimes
    if regime not in regimes:
        msg = (
            f"regime {regime!r} unknown{_suggest(regime, regimes)} Known regimes "
            f"(discontoregimes in {PRICES_FILE.name}): {', '.join(regimes)}"
        )
        raise ParameterError(msg)
    chosen = regimes[regime]
    return chosen.kosten, chosen.effecten


def cpi_factor(from_year: int, to_year: int, path: str | Path | None = None) -> float:
    """Factor that brings a price from ``from_year`` euros to ``to_year`` euros (CBS CPI).

    Parameters
    ----------
    from_year, to_year : int
        Price years; both must be in the shipped CPI series (2012-2024).
    path : str or Path, optional
        Kept for compatibility; the CPI series is the shipped CBS file for every table.

    Returns
    -------
    float
        Ratio of the cumulative factors: ``F[from_year] / F[to_year]``.
    """
    series = cpi_factors()
    for year in (from_year, to_year):
        if year not in series.index:
            msg = (
                f"geen CPI-waarde voor prijsjaar {year} in {CPI_FILE.name} (beschikbaar: "
                f"{series.index.min()}-{series.index.max()}); kies een prijsjaar binnen die reeks"
            )
            raise ParameterError(msg)
    return float(series[int(from_year)] / series[int(to_year)])


def load_price_table(path: str | Path | None = None) -> pd.DataFrame:
    """The reference prices as listed, in their own price years.

    Parameters
    ----------
    path : str or Path, optional
        Another price table; default ``params/impact/prijzen.yaml``.

    Returns
    -------
    DataFrame
        Index ``proxy``; columns ``omschrijving, waarde, eenheid, prijsjaar, bron, actor,
        opmerking, kh2024, ook_zonder, bovengrens_kh2024, aanname``. ``kh2024`` is the
        row of the Kostenhandleiding table (empty for other sources); ``aanname`` is True
        where ``bron`` is ``aanname``; ``ook_zonder`` marks prices whose outcomes every
        report also leaves out once (the ratio without them).
    """
    return _load(str(Path(path) if path is not None else PRICES_FILE))[1].copy()


def prices(price_year: int | None = None, path: str | Path | None = None) -> pd.DataFrame:
    """Reference prices brought to one price year with the CPI.

    Parameters
    ----------
    price_year : int, optional
        Target price year; default ``standaard_prijsjaar`` of the table (2024).
    path : str or Path, optional
        Another price table.

    Returns
    -------
    DataFrame
        The columns of :func:`load_price_table` plus ``factor`` (CPI factor),
        ``waarde_geindexeerd`` (value in ``price_year`` euros) and ``doeljaar``.
    """
    model = _price_file(path)
    year = model.standaard_prijsjaar if price_year is None else int(price_year)
    table = load_price_table(path)
    table["factor"] = [cpi_factor(int(y), year) for y in table["prijsjaar"]]
    table["waarde_geindexeerd"] = table["waarde"] * table["factor"]
    table["doeljaar"] = year
    return table


def price_ranges(price_year: int | None = None, path: str | Path | None = None) -> pd.DataFrame:
    """Upper bounds of prices that name one (``bovengrens_kh2024``), indexed.

    Parameters
    ----------
    price_year : int, optional
        Target price year; default the table's standard price year.
    path : str or Path, optional
        Another price table.

    Returns
    -------
    DataFrame
        Index ``proxy``; columns ``waarde`` (indexed price), ``bovengrens`` (the KH2024
        row's 2022 value indexed to ``price_year``) and ``kh2024`` (that row).
    """
    table = prices(price_year, path)
    bounded = table[table["bovengrens_kh2024"] != ""]
    kh = kh2024_table()
    year = int(table["doeljaar"].iloc[0])
    upper = [
        float(kh.loc[row, str(KH2024_PRICE_YEAR)]) * cpi_factor(KH2024_PRICE_YEAR, year)
        for row in bounded["bovengrens_kh2024"]
    ]
    return pd.DataFrame(
        {
            "waarde": bounded["waarde_geindexeerd"],
            "bovengrens": upper,
            "kh2024": bounded["bovengrens_kh2024"],
        },
        index=bounded.index,
    )


def search_prices(
    term: str, price_year: int | None = None, path: str | Path | None = None
) -> pd.DataFrame:
    """Rows of the KH2024 table that match a search word (Dutch or English).

    Parameters
    ----------
    term : str
        Case-insensitive text searched in the category, description and ``short_var``;
        a few Dutch words (``thuis``, ``huisarts``, ``verpleging`` ...) are translated
        because the table is in English.
    price_year : int, optional
        Year to index the 2022 prices to; default the standard price year of the price
        table (2024).
    path : str or Path, optional
        Another price table (for its standard price year).

    Returns
    -------
    DataFrame
        Index ``short_var``; columns ``categorie, omschrijving, waarde_2022,
        waarde_<year>``.
    """
    text = str(term).strip().lower()
    if not text:
        msg = "--zoek: geef een zoekwoord, bijvoorbeeld 'thuis' of 'huisarts'"
        raise ParameterError(msg)
    year = _price_file(path).standaard_prijsjaar if price_year is None else int(price_year)
    factor = cpi_factor(KH2024_PRICE_YEAR, year)
    kh = kh2024_table()
    needles = {text}
    for word, translations in SEARCH_WORDS_NL.items():
        if word in text or text in word:
            needles.update(translations)
    haystack = (kh["Category"] + " | " + kh["Unit"] + " | " + kh.index.to_series()).str.lower()
    mask = pd.Series(False, index=kh.index)
    for needle in needles:
        mask |= haystack.str.contains(needle, regex=False)
    hits = kh[mask]
    return pd.DataFrame(
        {
            "categorie": hits["Category"],
            "omschrijving": hits["Unit"],
            "waarde_2022": hits[str(KH2024_PRICE_YEAR)].astype("float64"),
            f"waarde_{year}": (hits[str(KH2024_PRICE_YEAR)] * factor).astype("float64"),
        },
        index=hits.index,
    )
