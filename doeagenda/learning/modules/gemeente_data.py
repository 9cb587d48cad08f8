"""Module 01 *Ken je gemeente*, the data: indicator lists and the cached, pure tables of a
gemeente, its wijken and its province.

Split out of :mod:`doeagenda.learning.modules.gemeente`, which re-exports every name here.
"""

from __future__ import annotations

import functools

import pandas as pd

from doeagenda.errors import ParameterError
from doeagenda.learning.lesson import check_gemeente, provincie_of

__all__ = [
    "COMPARE_INDICATORS",
    "HEALTH_INDICATORS",
    "HEALTH_NOTE",
    "HEALTH_YEAR",
    "KWB_YEAR",
    "REGROUPED",
    "WIJK_INDICATORS",
    "compare_table",
    "gemeente_health",
    "gemeente_share",
    "inhabitants",
    "provincie_share",
    "wijk_health_table",
    "wijken_table",
]


KWB_YEAR = 2024

#: Indicators of the gemeente comparison: id -> (Dutch label, is a count).
COMPARE_INDICATORS: dict[str, tuple[str, bool]] = {
    "a_65_oo": ("65-plussers", True),
    "a_00_14": ("Kinderen van 0 tot 15 jaar", True),
    "a_woning": ("Woningen", True),
    "kwb21_wmo_clients_per_1000": ("Wmo-cliënten per 1.000 inwoners (2021)", False),
    "kwb21_bijstand_per_1000": ("Mensen met bijstand per 1.000 inwoners (2021)", False),
    "ink24_gem_gestandaardiseerd_inkomen": ("Gem. gestandaardiseerd inkomen (x 1.000 euro)", False),
    "rk25_eenpersoonshuishoudens_pct": ("Eenpersoonshuishoudens (%)", False),
    "kwb21_distance_gp_km": ("Afstand tot huisarts (km, 2021)", False),
}

#: Age shares of the wijken: id -> (Dutch label, count column).
WIJK_INDICATORS: dict[str, tuple[str, str]] = {
    "aandeel_65_oo": ("65 jaar of ouder (%)", "a_65_oo"),
    "aandeel_45_64": ("45 tot 65 jaar (%)", "a_45_64"),
    "aandeel_25_44": ("25 tot 45 jaar (%)", "a_25_44"),
    "aandeel_15_24": ("15 tot 25 jaar (%)", "a_15_24"),
    "aandeel_00_14": ("0 tot 15 jaar (%)", "a_00_14"),
}

_AGE_COUNTS = ["a_inw", "a_00_14", "a_15_24", "a_25_44", "a_45_64", "a_65_oo"]

#: Health figures of the wijken (RIVM, latest survey round): id -> (Dutch label, higher is better).
HEALTH_INDICATORS: dict[str, tuple[str, bool]] = {
    "rivm_eenzaam_18plus": ("Eenzaam (% van de volwassenen)", False),
    "rivm_ervaren_gezondheid_goed_18plus": (
        "Ervaren gezondheid goed of zeer goed (% van de volwassenen)",
        True,
    ),
}
HEALTH_YEAR = 2020
HEALTH_NOTE = (
    "Dit zijn modelschattingen van het RIVM voor kleine gebieden, geen tellingen: een wijk "
    "krijgt een schatting op basis van de Gezondheidsmonitor en van wie er woont."
)
REGROUPED = "geen gegevens (indeling gewijzigd na 2020)"


# --- data (cached, pure) ----------------------------------------------------------------


@functools.cache
def _gemeenten_wide(provincie: str) -> pd.DataFrame:
    from doeagenda import data

    names = data.areas("gemeente", provincie=provincie).set_index("code")["name"]
    kwb = data.indicators("gemeente", provincie=provincie, year=KWB_YEAR, wide=True)
    other = data.indicators("gemeente", provincie=provincie, wide=True)
    rest = other.drop(columns=[c for c in kwb.columns if c in other.columns])
    parts = [names.reindex(kwb.index.union(rest.index)).rename("naam"), kwb, rest]
    return pd.concat(parts, axis=1)


@functools.cache
def _wijken_wide(gemeente: str) -> pd.DataFrame:
    from doeagenda import data

    areas = data.areas("wijk")
    areas = areas[areas["gemeente_code"] == gemeente].set_index("code")
    wide = data.indicators("wijk", year=KWB_YEAR, wide=True, codes=list(areas.index))
    wide = wide.reindex(columns=_AGE_COUNTS)
    return pd.concat([areas["name"].reindex(wide.index).rename("naam"), wide], axis=1)


def _check_indicator(indicator: str, known: dict) -> None:
    if indicator not in known:
        options = ", ".join(known)
        msg = f"De indicator '{indicator}' zit niet in deze module. Kies uit: {options}."
        raise ParameterError(msg)


def compare_table(gemeente: str, indicator: str, per_inwoner: bool = False) -> pd.DataFrame:
    """Return the gemeenten of the gemeente's province on one indicator.

    Parameters
    ----------
    gemeente : str
        Gemeente code (its province is used).
    indicator : str
        A key of :data:`COMPARE_INDICATORS`.
    per_inwoner : bool
        For counts: divide by the number of inhabitants (KWB 2024) and multiply by 1.000.

    Returns
    -------
    DataFrame
        ``code, naam, waarde, plaats, gekozen``, sorted from high to low; ``plaats`` 1 is
        the highest value.
    """
    code = check_gemeente(gemeente)
    _check_indicator(indicator, COMPARE_INDICATORS)
    wide = _gemeenten_wide(provincie_of(code))
    values = wide[indicator].astype(float)
    if per_inwoner and COMPARE_INDICATORS[indicator][1]:
        values = values / wide["a_inw"] * 1000
    table = pd.DataFrame({"code": wide.index, "naam": wide["naam"], "waarde": values.values})
    table = table.sort_values("waarde", ascending=False, na_position="last")
    table["plaats"] = table["waarde"].rank(ascending=False, method="min")
    table["gekozen"] = table["code"] == code
    return table.reset_index(drop=True)


def wijken_table(gemeente: str, indicator: str = "aandeel_65_oo") -> pd.DataFrame:
    """Return the wijken of a gemeente with inhabitants and one age share (KWB 2024).

    Parameters
    ----------
    gemeente : str
    indicator : str
        A key of :data:`WIJK_INDICATORS`, e.g. ``"aandeel_65_oo"``.

    Returns
    -------
    DataFrame
        ``code, naam, inwoners, aantal, aandeel`` (share in %, from counts that CBS rounds
        to multiples of 5 at wijk level), sorted by ``aandeel`` from high to low.
    """
    code = check_gemeente(gemeente)
    _check_indicator(indicator, WIJK_INDICATORS)
    count = WIJK_INDICATORS[indicator][1]
    wide = _wijken_wide(code)
    table = pd.DataFrame(
        {
            "code": wide.index,
            "naam": wide["naam"].values,
            "inwoners": wide["a_inw"].values,
            "aantal": wide[count].values,
        }
    )
    table["aandeel"] = (table["aantal"] / table["inwoners"] * 100).where(table["inwoners"] > 0)
    return table.sort_values("aandeel", ascending=False).reset_index(drop=True)


def gemeente_share(gemeente: str, indicator: str = "aandeel_65_oo") -> float:
    """Return an age share (%) of the gemeente as a whole (KWB 2024)."""
    code = check_gemeente(gemeente)
    _check_indicator(indicator, WIJK_INDICATORS)
    row = _gemeenten_wide(provincie_of(code)).loc[code]
    return float(row[WIJK_INDICATORS[indicator][1]] / row["a_inw"] * 100)


def provincie_share(gemeente: str, indicator: str = "aandeel_65_oo") -> float:
    """Return an age share (%) of the gemeente's whole province (all its inhabitants, 2024)."""
    code = check_gemeente(gemeente)
    _check_indicator(indicator, WIJK_INDICATORS)
    wide = _gemeenten_wide(provincie_of(code))
    return float(wide[WIJK_INDICATORS[indicator][1]].sum() / wide["a_inw"].sum() * 100)


def inhabitants(gemeente: str) -> float:
    """Return the number of inhabitants of a gemeente (KWB 2024)."""
    code = check_gemeente(gemeente)
    return float(_gemeenten_wide(provincie_of(code)).at[code, "a_inw"])


def wijk_health_table(gemeente: str, indicator: str = "rivm_eenzaam_18plus") -> pd.DataFrame:
    """Return the wijken of a gemeente on one RIVM health figure of 2020.

    Parameters
    ----------
    gemeente : str
    indicator : str
        A key of :data:`HEALTH_INDICATORS`.

    Returns
    -------
    DataFrame
        ``code, naam, waarde, toelichting``: ``waarde`` in percent (NaN for a wijk whose code
        changed after 2020, with ``toelichting`` *geen gegevens (indeling gewijzigd na
        2020)*), sorted from high to low with those wijken last.
    """
    from doeagenda import data

    code = check_gemeente(gemeente)
    _check_indicator(indicator, HEALTH_INDICATORS)
    areas = data.areas("wijk")
    areas = areas[areas["gemeente_code"] == code].set_index("code")
    long = data.indicators("wijk", codes=list(areas.index))
    rivm = long[long["indicator"].str.startswith("rivm_")].dropna(subset=["value"])
    with_figures = set(rivm["code"])
    values = rivm[(rivm["indicator"] == indicator) & (rivm["year"] == HEALTH_YEAR)]
    values = values.set_index("code")["value"]
    table = pd.DataFrame(
        {
            "code": areas.index,
            "naam": areas["name"].values,
            "waarde": values.reindex(areas.index).values,
        }
    )
    table["toelichting"] = ["" if c in with_figures else REGROUPED for c in table["code"]]
    return table.sort_values("waarde", ascending=False, na_position="last").reset_index(drop=True)


def gemeente_health(gemeente: str, indicator: str = "rivm_eenzaam_18plus") -> float:
    """Return the RIVM figure of 2020 for the gemeente as a whole (RIVM's own estimate)."""
    from doeagenda import data

    code = check_gemeente(gemeente)
    _check_indicator(indicator, HEALTH_INDICATORS)
    long = data.indicators("gemeente", codes=[code], year=HEALTH_YEAR)
    values = long[long["indicator"] == indicator]["value"].dropna()
    return float(values.iloc[0]) if len(values) else float("nan")
