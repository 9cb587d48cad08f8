"""Wijkprofiel data: the numbers of the wijk report as tables (population and age, RIVM health
figures against gemeente, provincie and Nederland, the wijk's buurten).

Split out of :mod:`doeagenda.reports.wijkprofiel` (see its docstring for the sources and
comparison rules), which re-exports every name here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from doeagenda import data
from doeagenda.data.build import NL_CODE
from doeagenda.errors import AreaCodeError, ParameterError

# the same age groups as the gemeente profile, so wijk and gemeente figures line up
from doeagenda.reports.profile_figures import AGE_GROUPS

__all__ = [
    "AGES",
    "AGE_GROUPS",
    "ESTIMATE_NOTE",
    "HEALTH_INDICATORS",
    "KWB_YEAR",
    "REGROUPED",
    "RIVM_YEARS",
    "buurten_table",
    "has_health_figures",
    "health_comparison",
    "wijk_age_structure",
]

#: Survey rounds of the RIVM health estimates.
RIVM_YEARS = (2012, 2016, 2020)
#: Health and wellbeing indicators of the report (name part of ``rivm_<name>_<age>``).
HEALTH_INDICATORS = {
    "ervaren_gezondheid_goed": "Ervaren gezondheid goed of zeer goed",
    "eenzaam": "Eenzaam",
    "ernstig_eenzaam": "Ernstig of zeer ernstig eenzaam",
    "angst_depressie_risico": "Hoog risico op angststoornis of depressie",
    "beperkt_gezondheid": "Beperkt vanwege gezondheid",
    "beweegrichtlijn": "Voldoet aan de beweegrichtlijn",
    "overgewicht": "Overgewicht",
    "mantelzorger": "Mantelzorger",
    "vrijwilligerswerk": "Doet vrijwilligerswerk",
    "moeite_rondkomen": "Moeite met rondkomen",
}
AGES = {"18plus": "18 jaar en ouder", "65plus": "65 jaar en ouder", "18_64": "18 tot 65 jaar"}
#: The one sentence every table and chart of RIVM figures carries.
ESTIMATE_NOTE = (
    "Dit zijn modelschattingen van het RIVM voor kleine gebieden (kleine-domeinschattingen) "
    "op basis van de Gezondheidsmonitor, geen tellingen."
)
REGROUPED = "geen gegevens (indeling gewijzigd na 2020)"
KWB_YEAR = 2024


def _rivm_id(name: str, age: str) -> str:
    return f"rivm_{name}_{age}"


def _check_wijk(code: object) -> pd.Series:
    """Return the area row of a wijk code, or raise one clear line."""
    text = str(code).strip() if code is not None else ""
    try:
        row = data.area(text)
    except AreaCodeError:
        msg = (
            f"wijkcode {code!r} bestaat niet in de CBS-indeling 2024; een wijkcode ziet eruit "
            "als WK034401 (zoek codes op met `doeagenda data areas --level wijk`)"
        )
        raise AreaCodeError(msg) from None
    if row["level"] != "wijk":
        msg = (
            f"{text!r} is een {row['level']} ({row['name']}), geen wijk; geef een wijkcode "
            "zoals WK034401"
        )
        raise AreaCodeError(msg)
    return row


def _check_age(leeftijd: str) -> str:
    if leeftijd not in AGES:
        msg = f"leeftijd {leeftijd!r} is onbekend; kies uit {', '.join(AGES)}"
        raise ParameterError(msg)
    return leeftijd


def wijk_age_structure(wijk: str, year: int = KWB_YEAR) -> pd.DataFrame:
    """Return the share of inhabitants per age group: wijk, gemeente, provincie, Nederland.

    Parameters
    ----------
    wijk : str
        WK code of CBS indeling 2024.
    year : int
        KWB year (2024).

    Returns
    -------
    DataFrame
        Long: ``gebied, leeftijd, aandeel`` (percent of the area's inhabitants; NaN for a
        wijk without inhabitants), ``inwoners`` (people in the age group). Shares are
        computed from counts that CBS rounds to multiples of 5 at wijk level.
    """
    row = _check_wijk(wijk)
    columns = ["a_inw", *AGE_GROUPS]
    own = data.indicators("wijk", year=year, wide=True, codes=[row.name])
    if own.empty or own.reindex(columns=columns).loc[row.name].isna().any():
        msg = f"KWB {year} heeft geen bevolkings- of leeftijdsaantallen voor wijk {row.name}; kies jaar=2024"
        raise ParameterError(msg)
    gemeenten = data.indicators("gemeente", provincie=row["provincie"], year=year, wide=True)
    land = data.indicators("land", year=year, wide=True)
    gemeente_name = data.area(row["gemeente_code"])["name"]
    totals = {
        str(row["name"]): own.loc[row.name, columns],
        f"Gemeente {gemeente_name}": gemeenten.loc[row["gemeente_code"], columns],
        f"Provincie {row['provincie']}": gemeenten[columns].sum(),
        "Nederland": land.loc[NL_CODE, columns],
    }
    records = []
    for area_name, counts in totals.items():
        total = float(counts["a_inw"])
        for column, group in AGE_GROUPS.items():
            records.append(
                {
                    "gebied": area_name,
                    "leeftijd": group,
                    # a wijk without inhabitants (new or industrial area) has no age shares
                    "aandeel": 100 * float(counts[column]) / total if total > 0 else np.nan,
                    "inwoners": float(counts[column]),
                }
            )
    return pd.DataFrame.from_records(records)


def _rivm_values(level: str, indicator_ids: list[str], **selection) -> pd.DataFrame:
    long = data.indicators(level, **selection)
    return long[long["indicator"].isin(indicator_ids) & long["year"].isin(RIVM_YEARS)]


def has_health_figures(code: str) -> bool:
    """Return whether an area of indeling 2024 has RIVM health estimates.

    A wijk or buurt whose code did not exist in 2020 has none (its indeling changed after
    2020); RIVM values are never copied to it from an old code (see
    :func:`doeagenda.data.has_rivm`).
    """
    return data.has_rivm(code)


def health_comparison(wijk: str, leeftijd: str = "18plus") -> pd.DataFrame:
    """Return the RIVM health figures of a wijk against gemeente, provincie and Nederland.

    Parameters
    ----------
    wijk : str
        WK code of CBS indeling 2024.
    leeftijd : {"18plus", "65plus", "18_64"}
        Age group (RIVM published no 18–64 figures for 2020).

    Returns
    -------
    DataFrame
        One row per indicator and survey year: ``indicator, omschrijving, jaar, wijk,
        gemeente, provincie, nederland`` (percent). ``wijk`` is NaN for every row when the
        wijk's code changed after 2020 (see :func:`has_health_figures`). ``provincie`` is
        the mean over the provincie's gemeenten weighted by inhabitants (KWB 2024).
    """
    row = _check_wijk(wijk)
    _check_age(leeftijd)
    ids = [_rivm_id(name, leeftijd) for name in HEALTH_INDICATORS]
    gemeenten = _rivm_values("gemeente", ids, provincie=row["provincie"]).dropna(subset=["value"])
    if gemeenten.empty:
        msg = (
            "er zijn geen RIVM-gezondheidscijfers (rivm_*-indicatoren) meegeleverd; werk "
            "doeagenda bij of zie `doeagenda data dictionary`"
        )
        raise ParameterError(msg)
    weights = data.population(provincie=row["provincie"])
    gemeenten = gemeenten.assign(weight=gemeenten["code"].map(weights))
    usable = gemeenten.dropna(subset=["weight"])
    province = (
        usable.assign(product=usable["value"] * usable["weight"])
        .groupby(["indicator", "year"])[["product", "weight"]]
        .sum()
    )
    province = (province["product"] / province["weight"]).rename("provincie")
    own_gemeente = (
        gemeenten[gemeenten["code"] == row["gemeente_code"]]
        .set_index(["indicator", "year"])["value"]
        .rename("gemeente")
    )
    land = _rivm_values("land", ids).set_index(["indicator", "year"])["value"].rename("nederland")
    own = (
        _rivm_values("wijk", ids, codes=[row.name])
        .set_index(["indicator", "year"])["value"]
        .rename("wijk")
    )
    grid = pd.MultiIndex.from_product([ids, RIVM_YEARS], names=["indicator", "year"])
    table = pd.concat(
        [s.reindex(grid) for s in (own, own_gemeente, province, land)], axis=1
    ).reset_index()
    # Drop (indicator, year) pairs RIVM did not publish at all (e.g. 18-64 in 2020).
    table = table.dropna(subset=["gemeente", "nederland"], how="all")
    names = {_rivm_id(name, leeftijd): label for name, label in HEALTH_INDICATORS.items()}
    table.insert(1, "omschrijving", table["indicator"].map(names))
    return table.rename(columns={"year": "jaar"}).reset_index(drop=True)


def buurten_table(wijk: str) -> pd.DataFrame:
    """Return the buurten of a wijk with inhabitants (KWB 2024) and RIVM figures of 2020.

    Returns
    -------
    DataFrame
        Index ``code``; columns ``buurt, inwoners, aandeel_65_oo`` (percent),
        ``eenzaam`` and ``ervaren_gezondheid_goed`` (RIVM 2020, 18+, percent; NaN for a
        buurt without RIVM estimate) and ``toelichting`` (*geen gegevens (indeling
        gewijzigd na 2020)* where the buurt's code has no RIVM figures at all). Sorted by
        inhabitants, largest first.
    """
    row = _check_wijk(wijk)
    buurten = data.areas("buurt", provincie=row["provincie"])
    buurten = buurten[buurten["wijk_code"] == row.name].set_index("code")
    codes = list(buurten.index)
    table = pd.DataFrame({"buurt": buurten["name"]})
    if not codes:
        return table.assign(inwoners=pd.Series(dtype=float))
    long = data.indicators("buurt", codes=codes)
    kwb = long[long["year"] == KWB_YEAR].pivot_table(
        index="code", columns="indicator", values="value", aggfunc="first"
    )
    kwb = kwb.reindex(index=codes, columns=["a_inw", "a_65_oo"])
    table["inwoners"] = kwb["a_inw"]
    table["aandeel_65_oo"] = (100 * kwb["a_65_oo"] / kwb["a_inw"]).where(kwb["a_inw"] > 0)
    rivm = long[long["indicator"].str.startswith("rivm_")]
    latest = rivm[rivm["year"] == RIVM_YEARS[-1]].pivot_table(
        index="code", columns="indicator", values="value", aggfunc="first"
    )
    for name in ("eenzaam", "ervaren_gezondheid_goed"):
        column = _rivm_id(name, "18plus")
        table[name] = latest[column].reindex(codes) if column in latest else np.nan
    coverage = data.rivm_coverage("buurt", provincie=row["provincie"]).set_index("code")
    table["toelichting"] = coverage["note"].reindex(table.index).fillna(REGROUPED)
    table.index.name = "code"
    return table.sort_values("inwoners", ascending=False, na_position="last")
