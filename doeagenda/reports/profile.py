"""The municipality profile (*gemeenteprofiel*): every number of the report, as functions.

``notebooks/gemeenteprofiel.ipynb`` only calls these. The report is Dutch; the code is
English. Comparisons follow one rule, stated in every table: the *provincie* and
*Nederland* columns of a rate are means over gemeenten **weighted by inhabitants** (or by
households for household income) of the same source year, except where CBS publishes a
national figure itself (KWB 2024 age groups, Regionale kerncijfers 2025, income 2024),
which is then used as is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
from IPython.display import Markdown

from doeagenda import data
from doeagenda.charts import HIGHLIGHT, MUTED, PALETTE, nl_format
from doeagenda.data import api as data_api
from doeagenda.data.build import NL_CODE
from doeagenda.errors import AreaCodeError, ParameterError
from doeagenda.iorw import write_csv

logger = logging.getLogger(__name__)

AGE_GROUPS = {
    "a_00_14": "0–14 jaar",
    "a_15_24": "15–24 jaar",
    "a_25_44": "25–44 jaar",
    "a_45_64": "45–64 jaar",
    "a_65_oo": "65 jaar of ouder",
}
HOUSEHOLDS = [
    "rk25_particuliere_huishoudens",
    "rk25_eenpersoonshuishoudens_pct",
    "rk25_meerpersoonshuishoudens_met_kinderen_pct",
    "rk25_gemiddelde_huishoudensgrootte",
    "rk25_grijze_druk",
    "rk25_groene_druk",
]
INCOME = [
    "ink24_gem_gestandaardiseerd_inkomen",
    "ink24_mediaan_gestandaardiseerd_inkomen",
    "ink24_mediaan_besteedbaar_inkomen",
    "kwb21_low_income_households_pct",
    "kwb21_social_minimum_households_pct",
]
CARE = [
    "kwb21_wmo_clients_per_1000",
    "kwb21_youth_care_pct",
    "kwb21_bijstand_per_1000",
    "kwb21_disability_benefit_per_1000",
    "kwb21_aow_per_1000",
]
SERVICES = [
    "kwb21_distance_gp_km",
    "kwb21_distance_supermarket_km",
    "kwb21_distance_school_km",
    "kwb21_distance_daycare_km",
]
KEY_FIGURES = ["a_inw", HOUSEHOLDS[0], INCOME[0], CARE[0], SERVICES[0]]
#: Wijk table: shares computed from same-year KWB counts, then KWB rates where shipped.
#: Each entry: column -> (label, numerator, denominator, factor); denominator None = as is.
WIJK_COLUMNS = {
    "a_inw": ("Inwoners", "a_inw", None, 1),
    "p_00_14": ("0–14 jaar (%)", "a_00_14", "a_inw", 100),
    "p_65_oo": ("65+ (%)", "a_65_oo", "a_inw", 100),
    "p_1p_hh": ("Eenpersoonshuish. (%)", "a_1p_hh", "a_hh", 100),
    "bijstand": ("Bijstand per 1.000 inw.", "a_soz_wb", "a_inw", 1000),
    "p_huurw": ("Huurwoningen (%)", "p_huurw", None, 1),
    "g_wozbag": ("WOZ-waarde (x € 1.000)", "g_wozbag", None, 1),
    "p_hh_li": ("Huish. laag inkomen (%)", "p_hh_li", None, 1),
    "p_wmo_t": ("Wmo-cliënten per 1.000", "p_wmo_t", None, 1),
    "g_afs_hp": ("Afstand huisarts (km)", "g_afs_hp", None, 1),
}
_WEIGHT = {
    "kwb21_": "kwb21_population",
    "rk25_": "rk25_inwoners",
    "ink24_": "ink24_particuliere_huishoudens_x1000",
}
_COUNT_UNITS = {"aantal"}

#: RIVM indicators (``rivm_<name>_<age>``) of the section *Gezondheid en welzijn*.
HEALTH = (
    "ervaren_gezondheid_goed",
    "beperkt_gezondheid",
    "overgewicht",
    "beweegrichtlijn",
    "angst_depressie_risico",
    "eenzaam",
    "ernstig_eenzaam",
    "emotioneel_eenzaam",
    "sociaal_eenzaam",
    "mantelzorger",
    "vrijwilligerswerk",
    "moeite_rondkomen",
)
#: The trend chart keeps to the indicators RIVM published in all three rounds (18+).
HEALTH_TREND = ("ervaren_gezondheid_goed", "eenzaam", "angst_depressie_risico", "mantelzorger")
HEALTH_AGES = {"18plus": "18+", "65plus": "65+"}
#: KWB 2024 inhabitants used to weight the gemeenten into a provincie figure, per age group.
HEALTH_WEIGHTS = {"18plus": "a_inw", "65plus": "a_65_oo"}
HEALTH_NOTE = (
    "Deze cijfers zijn kleine-domeinschattingen van het RIVM: modelschattingen op basis van "
    "de Gezondheidsmonitor Volwassenen en Ouderen, geen tellingen."
)


def _weight_column(indicator: str) -> str | None:
    return next((w for prefix, w in _WEIGHT.items() if indicator.startswith(prefix)), None)


def compare(gemeente: str, indicators: list[str], provincie: str | None = None) -> pd.DataFrame:
    """Compare a gemeente with its provincie and the Netherlands on some indicators.

    Parameters
    ----------
    gemeente : str
        GM code.
    indicators : list of str
        Indicator ids (see :func:`doeagenda.data.dictionary`), each at its latest year.
    provincie : str, optional
        Default: the gemeente's own provincie.

    Returns
    -------
    DataFrame
        Index: Dutch label. Columns ``indicator, eenheid, jaar, gemeente, provincie,
        nederland, rang`` where ``rang`` is the gemeente's position in its provincie
        (1 = highest value) as "r van n".
    """
    row = data.area(gemeente)
    if row["level"] != "gemeente":
        msg = f"{gemeente!r} is a {row['level']}, not a gemeente; use a GM code such as GM0344"
        raise AreaCodeError(msg)
    provincie = provincie or row["provincie"]
    records = []
    for indicator in indicators:
        figures = _indicator_figures(indicator, provincie)
        values, in_province = figures["values"], figures["in_province"]
        own = values.get(gemeente, float("nan"))
        rank = int((in_province > own).sum() + 1) if own == own else None
        records.append(
            {
                "omschrijving": figures["label"],
                "indicator": indicator,
                "eenheid": figures["unit"],
                "jaar": figures["year"],
                "gemeente": own,
                "provincie": figures["provincie"],
                "nederland": figures["nederland"],
                "rang": f"{rank} van {len(in_province)}" if rank else "geen gegevens",
            }
        )
    return pd.DataFrame.from_records(records).set_index("omschrijving")


# Province and national figures per (indicator, provincie) are the same in every
# gemeente's report: a warm batch kernel computes them once instead of filtering the
# 73,000-row gemeente table ten times per report (~1 s a report). Valid while the shipped
# tables in memory are the same objects (``data.clear_cache()`` makes new ones).
_FIGURES: dict[str, Any] = {"source": None, "by_indicator": {}, "figures": {}}


def _process_cache() -> dict[str, Any]:
    source = (
        data_api._indicators_at("gemeente"),
        data_api._indicators_at("land"),
        data_api._tidy("areas"),
    )
    if _FIGURES["source"] is None or any(
        a is not b for a, b in zip(_FIGURES["source"], source, strict=True)
    ):
        every = data.indicators("gemeente")
        _FIGURES.update(
            source=source,
            by_indicator=dict(tuple(every.groupby("indicator", sort=False))),
            figures={},
        )
    return _FIGURES


def _indicator_figures(indicator: str, provincie: str) -> dict[str, Any]:
    _process_cache()
    key = (indicator, provincie)
    if key in _FIGURES["figures"]:
        return _FIGURES["figures"][key]
    by_indicator = _FIGURES["by_indicator"]
    empty = pd.DataFrame({"code": [], "year": [], "value": []})
    values = by_indicator.get(indicator, empty).dropna(subset=["value"])
    if values.empty:
        msg = (
            f"indicator {indicator!r} has no values for gemeenten; see `doeagenda data dictionary`"
        )
        raise ParameterError(msg)
    land = data.indicators("land")
    members = set(data.areas("gemeente", provincie)["code"])
    labels = data.dictionary().set_index("indicator")
    year = int(values["year"].max())
    values = values[values["year"] == year].set_index("code")["value"]
    unit = labels.at[indicator, "unit"]
    in_province = values[values.index.isin(members)]
    weight_id = _weight_column(indicator)
    weights = None
    if weight_id and weight_id != indicator:
        weight_rows = by_indicator.get(weight_id, empty)
        weights = weight_rows[weight_rows["year"] == year].set_index("code")["value"]
    national = land[(land["indicator"] == indicator) & (land["year"] == year)]
    official = national[~national["note"].str.contains("ongewogen")]["value"].dropna()
    figures = {
        "label": labels.at[indicator, "label_nl"],
        "unit": unit,
        "year": year,
        "values": values,
        "in_province": in_province,
        "provincie": _aggregate(in_province, weights, unit),
        "nederland": official.iloc[0] if len(official) else _aggregate(values, weights, unit),
    }
    _FIGURES["figures"][key] = figures
    return figures


def _aggregate(values: pd.Series, weights: pd.Series | None, unit: str) -> float:
    if unit in _COUNT_UNITS:
        return float(values.sum())
    if weights is None:
        return float(values.mean())
    aligned = weights.reindex(values.index)
    usable = aligned.notna()
    return float((values[usable] * aligned[usable]).sum() / aligned[usable].sum())


def age_structure(gemeente: str, year: int = 2024) -> pd.DataFrame:
    """Return the share of inhabitants per age group: gemeente, provincie, Nederland.

    Returns
    -------
    DataFrame
        Long: ``gebied, leeftijd, aandeel`` (percent), ``inwoners``.
    """
    row = data.area(gemeente)
    wide = data.indicators("gemeente", year=year, wide=True)
    land = data.indicators("land", year=year, wide=True)
    members = data.areas("gemeente", row["provincie"])["code"]
    columns = ["a_inw", *AGE_GROUPS]
    totals = {
        row["name"]: wide.loc[gemeente, columns],
        f"Provincie {row['provincie']}": wide.loc[wide.index.isin(members), columns].sum(),
        "Nederland": land.loc[NL_CODE, columns],
    }
    records = []
    for area_name, counts in totals.items():
        for column, group in AGE_GROUPS.items():
            records.append(
                {
                    "gebied": area_name,
                    "leeftijd": group,
                    "aandeel": 100 * counts[column] / counts["a_inw"],
                    "inwoners": counts[column],
                }
            )
    return pd.DataFrame.from_records(records)


def age_chart(table: pd.DataFrame) -> alt.Chart:
    """Grouped bar chart of :func:`age_structure` (gemeente highlighted)."""
    areas_order = list(dict.fromkeys(table["gebied"]))
    return (
        alt.Chart(table, title="Leeftijdsopbouw: aandeel inwoners per leeftijdsgroep")
        .mark_bar()
        .encode(
            x=alt.X("leeftijd:N", title=None, sort=list(AGE_GROUPS.values())),
            xOffset=alt.XOffset("gebied:N", sort=areas_order),
            y=alt.Y("aandeel:Q", title="Aandeel inwoners (%)"),
            color=alt.Color(
                "gebied:N",
                sort=areas_order,
                scale=alt.Scale(domain=areas_order, range=[HIGHLIGHT, PALETTE[0], MUTED]),
                title=None,
            ),
            tooltip=[
                alt.Tooltip("gebied:N", title="Gebied"),
                alt.Tooltip("leeftijd:N", title="Leeftijd"),
                alt.Tooltip("aandeel:Q", title="Aandeel (%)", format=".1f"),
                alt.Tooltip("inwoners:Q", title="Inwoners", format=",.0f"),
            ],
        )
        .properties(width=520, height=260)
    )


def distribution_chart(gemeente: str, indicator: str, provincie: str | None = None) -> alt.Chart:
    """Dot plot of one indicator over the gemeenten of a provincie, the gemeente highlighted."""
    row = data.area(gemeente)
    provincie = provincie or row["provincie"]
    long = data.indicators("gemeente", provincie=provincie)
    long = long[long["indicator"] == indicator].dropna(subset=["value"])
    if long.empty:
        msg = f"indicator {indicator!r} has no values in provincie {provincie}"
        raise ParameterError(msg)
    long = long[long["year"] == long["year"].max()]
    names = data.areas("gemeente", provincie).set_index("code")["name"]
    table = pd.DataFrame(
        {
            "gemeente": long["code"].map(names).to_numpy(),
            "waarde": long["value"].to_numpy(),
            "deze": (long["code"] == gemeente)
            .map({True: row["name"], False: "andere gemeenten"})
            .to_numpy(),
        }
    )
    label = data.label(indicator)
    unit = data.dictionary().set_index("indicator").at[indicator, "unit"]
    return (
        alt.Chart(table, title=f"{label}: {row['name']} tussen de gemeenten van {provincie}")
        .mark_circle(size=110, opacity=0.85)
        .encode(
            x=alt.X("waarde:Q", title=f"{label} ({unit})", scale=alt.Scale(zero=False)),
            y=alt.Y("deze:N", title=None, sort=[row["name"], "andere gemeenten"]),
            color=alt.Color(
                "deze:N",
                scale=alt.Scale(domain=[row["name"], "andere gemeenten"], range=[HIGHLIGHT, MUTED]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("gemeente:N", title="Gemeente"),
                alt.Tooltip("waarde:Q", title=label),
            ],
        )
        .properties(width=520, height=90)
    )


def _province_features(provincie: str) -> list[dict[str, Any]]:
    # Boundaries with inhabitants, the same for every gemeente of a provincie: built once
    # per process (see _process_cache). Each map copies the features and their properties;
    # the geometries are shared and never modified.
    cache = _process_cache()["figures"]
    key = ("map", provincie)
    if key not in cache:
        features = data.boundaries(provincie=provincie)["features"]
        population = data.population(provincie=provincie)
        for feature in features:
            props = feature["properties"]
            props["inwoners"] = float(population.get(props["code"], float("nan")))
        cache[key] = features
    return cache[key]


def province_map(gemeente: str) -> alt.Chart:
    """Map of the gemeente's provincie with the gemeente highlighted."""
    row = data.area(gemeente)
    features = [
        {
            **feature,
            "properties": {
                **feature["properties"],
                "status": row["name"]
                if feature["properties"]["code"] == gemeente
                else "andere gemeenten",
            },
        }
        for feature in _province_features(row["provincie"])
    ]
    return (
        alt.Chart(alt.Data(values=features), title=f"{row['name']} in provincie {row['provincie']}")
        .mark_geoshape(stroke="white", strokeWidth=0.8)
        .encode(
            color=alt.Color(
                "properties.status:N",
                scale=alt.Scale(domain=[row["name"], "andere gemeenten"], range=[HIGHLIGHT, MUTED]),
                title=None,
            ),
            tooltip=[
                alt.Tooltip("properties.name:N", title="Gemeente"),
                alt.Tooltip("properties.inwoners:Q", title="Inwoners (2024)", format=",.0f"),
            ],
        )
        .project(type="mercator")
        .properties(width=460, height=380)
    )


def wijk_table(gemeente: str) -> pd.DataFrame:
    """Return the wijken of a gemeente with the indicators shipped for them.

    Every column uses the latest year in which its numerator has values; a share is
    computed from numerator and denominator of that same year (never across years). Columns
    without any value are left out: for most gemeenten only population and age are shipped
    at wijk level, for gemeente Utrecht the full KWB set.
    """
    wijken = data.areas("wijk").query("gemeente_code == @gemeente")
    names = wijken.set_index("code")["name"]
    long = data.indicators("wijk", codes=list(wijken["code"])).dropna(subset=["value"])
    table = pd.DataFrame({"Wijk": names})
    for label, numerator, denominator, factor in WIJK_COLUMNS.values():
        rows = long[long["indicator"] == numerator]
        if rows.empty:
            continue
        year = rows["year"].max()
        same_year = long[long["year"] == year].pivot(
            index="code", columns="indicator", values="value"
        )
        if denominator is not None and denominator not in same_year.columns:
            continue
        values = (
            same_year[numerator]
            if denominator is None
            else same_year[numerator] / same_year[denominator]
        )
        column = f"{label} {year}" if numerator != "a_inw" else label
        table[column] = (factor * values).round(0 if numerator == "a_inw" else 1)
    if "Inwoners" in table:
        table["Inwoners"] = table["Inwoners"].astype("Int64")
    table.index.name = "code"
    return table.sort_values("Inwoners", ascending=False) if "Inwoners" in table else table


def _rivm_values(level: str, indicator_ids: list[str], years: tuple[int, ...]) -> pd.DataFrame:
    long = data.indicators(level)
    long = long[long["indicator"].isin(indicator_ids) & long["year"].isin(years)]
    return long.dropna(subset=["value"])


def _province_health(
    values: pd.DataFrame, members: set[str], weights: pd.DataFrame, age: str
) -> pd.Series:
    """Population-weighted mean over the provincie's gemeenten, per (indicator, year)."""
    inside = values[values["code"].isin(members)]
    weight = weights[HEALTH_WEIGHTS[age]]
    return inside.groupby(["indicator", "year"]).apply(
        lambda group: _aggregate(group.set_index("code")["value"], weight, "%"),
        include_groups=False,
    )


def health_figures(
    gemeente: str,
    year: int = 2020,
    ages: tuple[str, ...] = tuple(HEALTH_AGES),
    names: tuple[str, ...] = HEALTH,
) -> pd.DataFrame:
    """Compare a gemeente's RIVM health estimates with its provincie and the Netherlands.

    The *provincie* figure is not published by RIVM: it is the mean of the provincie's
    gemeenten weighted by inhabitants (KWB 1 January 2024: all inhabitants for 18+,
    inhabitants aged 65 or over for 65+); gemeenten without an estimate are left out.
    *Nederland* is RIVM's own national figure (NL01).

    Parameters
    ----------
    gemeente : str
        GM code.
    year : int
        Survey year: 2012, 2016 or 2020.
    ages : tuple of str
        Age parts of the ids: ``"18plus"``, ``"65plus"`` (``"18_64"`` exists for 2012 and
        2016 only).
    names : tuple of str
        Indicator names (the ``<name>`` of ``rivm_<name>_<age>``).

    Returns
    -------
    DataFrame
        One row per indicator and age group: ``indicator, omschrijving, leeftijd, jaar,
        gemeente, provincie, nederland`` (percentages; NaN where RIVM has no estimate or
        did not ask the question that year).
    """
    return _health_long(gemeente, (int(year),), ages, names)


def _health_long(
    gemeente: str, years: tuple[int, ...], ages: tuple[str, ...], names: tuple[str, ...]
) -> pd.DataFrame:
    row = data.area(gemeente)
    if row["level"] != "gemeente":
        msg = f"{gemeente!r} is a {row['level']}, not a gemeente; use a GM code such as GM0344"
        raise AreaCodeError(msg)
    unknown = sorted(set(years) - {2012, 2016, 2020})
    if unknown:
        msg = f"jaar {unknown[0]} has no RIVM health estimates; choose 2012, 2016 or 2020"
        raise ParameterError(msg)
    ids = {f"rivm_{name}_{age}": (name, age) for name in names for age in ages}
    labels = data.dictionary().set_index("indicator")
    unknown_ids = sorted(set(ids) - set(labels.index))
    if unknown_ids:
        msg = f"unknown RIVM indicator {unknown_ids[0]!r}; see `doeagenda data dictionary rivm_`"
        raise ParameterError(msg)
    gemeenten, province, national = _health_context(tuple(ids), years, ages, row["provincie"])
    own = gemeenten[gemeenten["code"] == gemeente].set_index(["indicator", "year"])["value"]
    records = []
    for indicator, (name, age) in ids.items():
        for year in years:
            key = (indicator, year)
            records.append(
                {
                    "indicator": indicator,
                    "omschrijving": labels.at[f"rivm_{name}_18plus", "label_nl"].removesuffix(
                        " (18+)"
                    ),
                    "leeftijd": HEALTH_AGES.get(age, age),
                    "jaar": year,
                    "gemeente": own.get(key, float("nan")),
                    "provincie": province.get(key, float("nan")),
                    "nederland": national.get(key, float("nan")),
                }
            )
    return pd.DataFrame.from_records(records)


def _health_context(
    ids: tuple[str, ...], years: tuple[int, ...], ages: tuple[str, ...], provincie: str
) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    # The same for every gemeente of a provincie: computed once per process (see
    # _process_cache); callers only read these objects.
    cache = _process_cache()["figures"]
    key = ("health", ids, years, ages, provincie)
    if key not in cache:
        gemeenten = _rivm_values("gemeente", list(ids), years)
        land = _rivm_values("land", list(ids), years)
        members = set(data.areas("gemeente", provincie)["code"])
        weights = data.indicators("gemeente", provincie=provincie, year=2024, wide=True)
        province = pd.concat(
            [
                _province_health(
                    gemeenten[gemeenten["indicator"].str.endswith(a)], members, weights, a
                )
                for a in ages
            ]
        )
        national = land.set_index(["indicator", "year"])["value"]
        cache[key] = (gemeenten, province, national)
    return cache[key]


def health_trend(
    gemeente: str, names: tuple[str, ...] = HEALTH_TREND, age: str = "18plus"
) -> pd.DataFrame:
    """Return the RIVM estimates of 2012, 2016 and 2020 for gemeente, provincie and NL.

    Same rules as :func:`health_figures`. Long: ``indicator, omschrijving, leeftijd, jaar,
    gebied, waarde``; a year in which RIVM did not publish an indicator has no row.
    """
    wide = _health_long(gemeente, (2012, 2016, 2020), (age,), names)
    row = data.area(gemeente)
    long = wide.melt(
        id_vars=["indicator", "omschrijving", "leeftijd", "jaar"],
        value_vars=["gemeente", "provincie", "nederland"],
        var_name="gebied",
        value_name="waarde",
    )
    long["gebied"] = long["gebied"].map(
        {
            "gemeente": row["name"],
            "provincie": f"Provincie {row['provincie']}",
            "nederland": "Nederland",
        }
    )
    return long.dropna(subset=["waarde"]).reset_index(drop=True)


def health_chart(figures: pd.DataFrame, name: str, provincie: str) -> alt.Chart:
    """Dot chart of :func:`health_figures`: gemeente, provincie and NL per indicator and age."""
    long = figures.melt(
        id_vars=["omschrijving", "leeftijd", "jaar"],
        value_vars=["gemeente", "provincie", "nederland"],
        var_name="gebied",
        value_name="waarde",
    ).dropna(subset=["waarde"])
    order = [name, f"Provincie {provincie}", "Nederland"]
    long["gebied"] = long["gebied"].map(
        dict(zip(["gemeente", "provincie", "nederland"], order, strict=True))
    )
    year = int(figures["jaar"].max())
    return (
        alt.Chart(long, title=f"Gezondheid en welzijn {year}: {name}, provincie en Nederland")
        .mark_point(filled=True, size=90, opacity=0.9)
        .encode(
            x=alt.X("waarde:Q", title="Aandeel van de leeftijdsgroep (%, schatting)"),
            y=alt.Y(
                "omschrijving:N", title=None, sort=list(dict.fromkeys(figures["omschrijving"]))
            ),
            color=alt.Color(
                "gebied:N",
                sort=order,
                scale=alt.Scale(domain=order, range=[HIGHLIGHT, PALETTE[0], MUTED]),
                title=None,
            ),
            shape=alt.Shape("gebied:N", sort=order, title=None),
            column=alt.Column("leeftijd:N", title=None, sort=list(HEALTH_AGES.values())),
            tooltip=[
                alt.Tooltip("gebied:N", title="Gebied"),
                alt.Tooltip("omschrijving:N", title="Indicator"),
                alt.Tooltip("leeftijd:N", title="Leeftijd"),
                alt.Tooltip("waarde:Q", title="Schatting (%)", format=".1f"),
            ],
        )
        .properties(width=260, height=300)
    )


def health_trend_chart(trend: pd.DataFrame, name: str) -> alt.Chart:
    """Line chart of :func:`health_trend`: one panel per indicator, gemeente highlighted."""
    order = list(dict.fromkeys([name, *trend["gebied"]]))
    colours = [HIGHLIGHT, PALETTE[0], MUTED][: len(order)]
    return (
        alt.Chart(trend, title=f"{name}: ontwikkeling 2012–2020 (18+, schattingen)")
        .mark_line(point=True)
        .encode(
            x=alt.X("jaar:O", title=None),
            y=alt.Y("waarde:Q", title="%", scale=alt.Scale(zero=False)),
            color=alt.Color(
                "gebied:N", sort=order, scale=alt.Scale(domain=order, range=colours), title=None
            ),
            facet=alt.Facet("omschrijving:N", title=None, columns=2),
            tooltip=[
                alt.Tooltip("gebied:N", title="Gebied"),
                alt.Tooltip("jaar:O", title="Jaar"),
                alt.Tooltip("waarde:Q", title="Schatting (%)", format=".1f"),
            ],
        )
        .properties(width=220, height=140)
        .resolve_scale(y="independent")
    )


@dataclass
class GemeenteProfiel:
    """A municipality profile: the data of one gemeente and how to show them.

    Create it with :func:`gemeenteprofiel`. Each method returns one table, chart or text
    block of the report.
    """

    code: str
    year: int
    name: str = field(init=False)
    provincie: str = field(init=False)

    def __post_init__(self) -> None:
        row = data.area(self.code)
        if row["level"] != "gemeente":
            msg = f"{self.code!r} is a {row['level']}, not a gemeente; use a GM code such as GM0344"
            raise AreaCodeError(msg)
        years = data.indicators("gemeente", codes=[self.code]).query("indicator == 'a_inw'")["year"]
        if self.year not in set(years):
            msg = f"jaar {self.year} has no population figures for {self.code}; choose one of {sorted(set(years))}"
            raise ParameterError(msg)
        self.name = row["name"]
        self.provincie = row["provincie"]

    def _repr_markdown_(self) -> str:
        return self.header().data

    @cached_property
    def _population(self) -> pd.Series:
        return data.population(provincie=self.provincie)

    def header(self) -> Markdown:
        """Title block with the gemeente's size and place in the provincie."""
        inhabitants = self._population[self.code]
        share = 100 * inhabitants / self._population.sum()
        rank = int((self._population > inhabitants).sum() + 1)
        wijken = len(data.areas("wijk").query("gemeente_code == @self.code"))
        buurten = len(data.areas("buurt").query("gemeente_code == @self.code"))
        return Markdown(
            f"## {self.name} ({self.code})\n\n"
            f"{self.name} telt **{nl_format(inhabitants)} inwoners** (1 januari {self.year}): "
            f"{nl_format(share, 1)}% van provincie {self.provincie}, de nummer {rank} van "
            f"{len(self._population)} gemeenten naar inwonertal. De gemeente is door CBS ingedeeld "
            f"in {wijken} wijken en {buurten} buurten."
        )

    def key_figures(self) -> pd.DataFrame:
        """Key figures with provincie and Nederland for comparison."""
        return _present(
            compare(
                self.code,
                ["a_inw", *HOUSEHOLDS[:1], INCOME[0], CARE[0], SERVICES[0]],
                self.provincie,
            )
        )

    def age_shares(self) -> pd.DataFrame:
        """Age structure as numbers: percent per age group (rows) and area (columns)."""
        table = age_structure(self.code, self.year)
        wide = table.pivot(index="leeftijd", columns="gebied", values="aandeel")
        return wide[list(dict.fromkeys(table["gebied"]))].reindex(list(AGE_GROUPS.values()))

    def age_table(self) -> pd.DataFrame:
        """Age structure for the report: percentages in Dutch number format."""
        return self.age_shares().map(lambda value: nl_format(value, 1))

    def age_chart(self) -> alt.Chart:
        """Age structure chart: gemeente vs provincie vs Nederland."""
        return age_chart(age_structure(self.code, self.year))

    def households(self) -> pd.DataFrame:
        """Households (Regionale kerncijfers 2025)."""
        return _present(compare(self.code, HOUSEHOLDS, self.provincie))

    def income(self) -> pd.DataFrame:
        """Income (2024, provisional) and low-income shares (KWB 2021)."""
        return _present(compare(self.code, INCOME, self.provincie))

    def income_chart(self) -> alt.Chart:
        """Standardised household income of every gemeente in the provincie."""
        return distribution_chart(self.code, INCOME[0], self.provincie)

    def care(self) -> pd.DataFrame:
        """Care and welfare: Wmo, jeugdzorg, bijstand, AO, AOW (KWB 2021)."""
        return _present(compare(self.code, CARE, self.provincie))

    def care_chart(self) -> alt.Chart:
        """Wmo-clients per 1,000 inhabitants across the provincie."""
        return distribution_chart(self.code, CARE[0], self.provincie)

    def services(self) -> pd.DataFrame:
        """Distance to services (KWB 2021)."""
        return _present(compare(self.code, SERVICES, self.provincie))

    def services_chart(self) -> alt.Chart:
        """Distance to the nearest GP practice across the provincie."""
        return distribution_chart(self.code, SERVICES[0], self.provincie)

    def map(self) -> alt.Chart:
        """Map of the provincie with this gemeente highlighted."""
        return province_map(self.code)

    def wijken(self) -> pd.DataFrame:
        """The gemeente's wijken with the indicators shipped for them."""
        return wijk_table(self.code)

    def health_note(self) -> Markdown:
        """Dutch text for *Gezondheid en welzijn*: what the figures are, how provincie is made."""
        return Markdown(
            f"{HEALTH_NOTE} Het cijfer voor de provincie publiceert het RIVM niet: het is "
            f"hier het gemiddelde van de {len(data.areas('gemeente', self.provincie))} gemeenten "
            f"van provincie {self.provincie}, gewogen naar het aantal inwoners (18+: alle "
            "inwoners, 65+: inwoners van 65 jaar of ouder; CBS, 1 januari 2024). Nederland is "
            "het landelijke cijfer van het RIVM. Percentages van de leeftijdsgroep; peiljaar 2020."
        )

    def health_figures(self, year: int = 2020) -> pd.DataFrame:
        """RIVM health estimates (numbers): gemeente, provincie, Nederland, 18+ and 65+."""
        return health_figures(self.code, year)

    def health(self, year: int = 2020) -> pd.DataFrame:
        """RIVM health estimates for the report: Dutch numbers, one column per area and age."""
        figures = self.health_figures(year)
        areas_nl = {"gemeente": self.name, "provincie": "Provincie", "nederland": "Nederland"}
        table = figures.pivot(index="omschrijving", columns="leeftijd", values=list(areas_nl))
        table = table.reindex(list(dict.fromkeys(figures["omschrijving"])))
        table.columns = [f"{areas_nl[area]} {age}" for area, age in table.columns]
        ordered = [f"{areas_nl[a]} {age}" for age in HEALTH_AGES.values() for a in areas_nl]
        shown = table[ordered].map(lambda value: nl_format(value, 1))
        return shown.rename_axis(f"Indicator (%, {year})")

    def health_chart(self, year: int = 2020) -> alt.Chart:
        """RIVM health estimates as a dot chart: gemeente vs provincie vs Nederland."""
        return health_chart(self.health_figures(year), self.name, self.provincie)

    def health_trend_chart(self) -> alt.Chart:
        """Ervaren gezondheid, eenzaamheid, angst/depressie en mantelzorg 2012–2020 (18+)."""
        return health_trend_chart(health_trend(self.code), self.name)

    def sources(self) -> Markdown:
        """The sources and comparison rules, for the end of the report."""
        return Markdown(
            "### Bronnen en werkwijze\n\n"
            "* Bron: CBS (CC BY 4.0): Kerncijfers wijken en buurten 2021, 2023 en 2024; "
            "Regionale kerncijfers Nederland 2025; Inkomen van huishoudens 2024 (voorlopig); "
            "gemeentegrenzen CBS/PDOK 2022.\n"
            "* *Provincie* en *Nederland* bij percentages en aantallen per 1.000 inwoners: "
            "gemiddelde van de gemeenten, gewogen naar inwoners (inkomen: naar huishoudens), "
            "tenzij CBS zelf een landelijk cijfer publiceert.\n"
            "* *Rang*: plaats binnen de provincie, 1 = hoogste waarde (dat is niet altijd de beste).\n"
            "* 'geen gegevens' betekent dat CBS of RIVM het cijfer niet publiceert (geheim of "
            "ontbrekend).\n"
            "* Gezondheid en welzijn: RIVM, Gezondheid per wijk en buurt (Gezondheidsmonitor "
            "Volwassenen en Ouderen van GGD'en, CBS en RIVM), 2012, 2016 en 2020. Dit zijn "
            "kleine-domeinschattingen (modelschattingen), geen tellingen; de provincie is het "
            "naar inwoners gewogen gemiddelde van haar gemeenten."
        )

    def export(self, directory: str | Path | None) -> Markdown:
        """Write the profile's tables as CSV files into ``directory`` (atomically).

        Returns a short Dutch note listing the files; nothing is written when
        ``directory`` is None or empty.
        """
        if not directory:
            return Markdown("*Geen uitvoermap opgegeven: de tabellen zijn niet apart opgeslagen.*")
        target = Path(directory)
        tables = {
            "kerncijfers": compare(self.code, KEY_FIGURES, self.provincie),
            "leeftijd": self.age_shares().round(2),
            "huishoudens": compare(self.code, HOUSEHOLDS, self.provincie),
            "inkomen": compare(self.code, INCOME, self.provincie),
            "zorg_en_welzijn": compare(self.code, CARE, self.provincie),
            "voorzieningen": compare(self.code, SERVICES, self.provincie),
            "gezondheid": self.health_figures(),
            "wijken": self.wijken(),
        }
        written = []
        for name, table in tables.items():
            written.append(write_csv(table, target / f"{self.code}_{name}.csv").name)
        return Markdown("Tabellen opgeslagen als CSV: " + ", ".join(f"`{n}`" for n in written))


def _present(table: pd.DataFrame) -> pd.DataFrame:
    """Format a :func:`compare` table for the report: Dutch numbers, Dutch headers."""
    shown = table.drop(columns=["indicator"]).copy()
    decimals = shown["eenheid"].map(lambda unit: 0 if unit in _COUNT_UNITS else 1)
    for column in ("gemeente", "provincie", "nederland"):
        shown[column] = [nl_format(v, d) for v, d in zip(shown[column], decimals, strict=True)]
    return shown.rename(
        columns={
            "eenheid": "Eenheid",
            "jaar": "Jaar",
            "gemeente": "Gemeente",
            "provincie": "Provincie",
            "nederland": "Nederland",
            "rang": "Rang in provincie",
        }
    ).rename_axis("Indicator")


def gemeenteprofiel(gemeente: str = "GM0344", jaar: int = 2024) -> GemeenteProfiel:
    """Build the profile of one gemeente.

    Parameters
    ----------
    gemeente : str
        CBS code, e.g. ``"GM0344"`` (Utrecht).
    jaar : int
        Year of the population figures (KWB); 2024 for every gemeente.

    Returns
    -------
    GemeenteProfiel

    Examples
    --------
    >>> profiel = gemeenteprofiel("GM0307")
    >>> profiel.name
    'Amersfoort'
    """
    return GemeenteProfiel(gemeente, int(jaar))
