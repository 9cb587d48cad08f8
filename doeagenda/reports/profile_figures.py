"""The figures of the municipality profile: comparisons, age structure, wijken.

Province and national figures are cached per process (see :func:`_process_cache`), so a
warm batch kernel computes them once for all the gemeenten of a provincie. Comparison rule:
see :mod:`doeagenda.reports.profile`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from doeagenda import data
from doeagenda.data import core as data_core
from doeagenda.data.build import NL_CODE
from doeagenda.errors import AreaCodeError, ParameterError

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
        msg = f"{gemeente!r} is een {row['level']}, geen gemeente; geef een GM-code zoals GM0344"
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
        data_core._indicators_at("gemeente"),
        data_core._indicators_at("land"),
        data_core._tidy("areas"),
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
        msg = f"indicator {indicator!r} heeft geen waarden voor gemeenten; zie `doeagenda data dictionary`"
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
