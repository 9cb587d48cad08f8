"""Module 01 *Ken je gemeente*: the shipped indicators of a gemeente, its wijken and province.

Pure view functions (tested) and the widget builders that wire them:

* :func:`key_figures_view` / :func:`key_figures` — a few key figures vs the province;
* :func:`compare_view` / :func:`compare_gemeenten` — all gemeenten of the province on one
  indicator, absolute or per 1.000 inwoners (why per-inhabitant rates matter);
* :func:`wijken_view` / :func:`wijk_distribution` — the wijken of the gemeente on one age
  share, with a threshold slider (averages vs distributions);
* :func:`wijk_health_view` / :func:`wijk_health` — the wijken of the gemeente on loneliness
  and ervaren gezondheid (RIVM model estimates, 2020).
"""

from __future__ import annotations

import functools

import altair as alt
import ipywidgets as widgets
import pandas as pd

from doeagenda.charts import HIGHLIGHT, MUTED, PALETTE, nl_format
from doeagenda.errors import ParameterError
from doeagenda.learning.exercise import Exercise, ExerciseRegistry
from doeagenda.learning.lesson import (
    View,
    check_gemeente,
    gemeente_name,
    message_view,
    provincie_of,
)
from doeagenda.learning.widgets import Explorer, explorer, wide

__all__ = [
    "COMPARE_INDICATORS",
    "HEALTH_INDICATORS",
    "WIJK_INDICATORS",
    "compare_gemeenten",
    "compare_table",
    "compare_view",
    "key_figures",
    "key_figures_view",
    "wijk_distribution",
    "wijk_health",
    "wijk_health_table",
    "wijk_health_view",
    "wijken_table",
    "wijken_view",
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


# --- views ------------------------------------------------------------------------------

_KEY = [
    ("a_inw", "Inwoners (2024)", 0),
    ("aandeel_65_oo", "65 jaar of ouder (%, 2024)", 1),
    ("aandeel_00_14", "0 tot 15 jaar (%, 2024)", 1),
    ("rk25_eenpersoonshuishoudens_pct", "Eenpersoonshuishoudens (%, 2025)", 1),
    (
        "ink24_gem_gestandaardiseerd_inkomen",
        "Gem. gestandaardiseerd inkomen (x 1.000 euro, 2024)",
        1,
    ),
    ("kwb21_wmo_clients_per_1000", "Wmo-cliënten per 1.000 inwoners (2021)", 0),
    ("kwb21_distance_gp_km", "Afstand tot huisarts (km, 2021)", 1),
]


def key_figures_view(gemeente: str) -> View:
    """Return key figures of a gemeente next to the province's lowest, median and highest.

    Parameters
    ----------
    gemeente : str

    Returns
    -------
    View
        ``values`` holds the gemeente's value per figure.
    """
    code = check_gemeente(gemeente)
    provincie = provincie_of(code)
    wide = _gemeenten_wide(provincie).copy()
    for key, (_label, count) in WIJK_INDICATORS.items():
        wide[key] = wide[count] / wide["a_inw"] * 100
    rows = []
    values = {}
    for key, label, decimals in _KEY:
        column = wide[key].astype(float)
        values[key] = float(column[code])
        rows.append(
            {
                "Kengetal": label,
                gemeente_name(code): nl_format(column[code], decimals),
                "Laagste in provincie": nl_format(column.min(), decimals),
                "Middelste (mediaan)": nl_format(column.median(), decimals),
                "Hoogste in provincie": nl_format(column.max(), decimals),
            }
        )
    text = (
        f"Kerncijfers van {gemeente_name(code)} naast de {len(wide)} gemeenten van provincie "
        f"{provincie}. Bron: CBS (CC BY 4.0)."
    )
    return View("Kerncijfers", text, table=pd.DataFrame(rows), values=values)


def compare_view(gemeente: str, indicator: str = "a_65_oo", per_inwoner: bool = False) -> View:
    """Return a bar chart of all gemeenten of the province, the chosen one highlighted.

    Parameters
    ----------
    gemeente : str
    indicator : str
        A key of :data:`COMPARE_INDICATORS`.
    per_inwoner : bool
        For counts: per 1.000 inwoners.

    Returns
    -------
    View
        ``values``: ``waarde`` and ``plaats`` of the gemeente, ``hoogste`` (name of the
        gemeente with the highest value), ``gemiddelde`` of the gemeenten.
    """
    table = compare_table(gemeente, indicator, per_inwoner)
    label, is_count = COMPARE_INDICATORS[indicator]
    if per_inwoner and is_count:
        label = f"{label} per 1.000 inwoners"
    code = check_gemeente(gemeente)
    row = table[table["gekozen"]].iloc[0]
    if pd.isna(row["waarde"]):
        msg = (
            f"Voor {gemeente_name(code)} heeft het CBS geen cijfer '{label}' (bijvoorbeeld "
            "omdat de gemeente na dat jaar is ontstaan). Kies een ander cijfer."
        )
        raise ParameterError(msg)
    mean = float(table["waarde"].mean())
    plot = table.assign(kleur=table["gekozen"].map({True: "gekozen", False: "andere"}))
    bars = (
        alt.Chart(plot)
        .mark_bar()
        .encode(
            x=alt.X("waarde:Q", title=label),
            y=alt.Y("naam:N", sort="-x", title=None),
            color=alt.Color(
                "kleur:N",
                scale=alt.Scale(domain=["gekozen", "andere"], range=[HIGHLIGHT, MUTED]),
                legend=None,
            ),
            tooltip=["naam", alt.Tooltip("waarde:Q", format=",.1f")],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"gemiddelde": [mean]}))
        .mark_rule(color=PALETTE[0], strokeDash=[4, 3])
        .encode(x="gemiddelde:Q")
    )
    chart = (bars + rule).properties(
        title=f"{label}: {gemeente_name(code)} en de andere gemeenten", width=420, height=360
    )
    if is_count and not per_inwoner:
        text = (
            "Dit zijn aantallen: grote gemeenten staan bijna altijd bovenaan. "
            "Zet 'per 1.000 inwoners' aan om gemeenten eerlijk te vergelijken."
        )
    elif is_count:
        text = "Per 1.000 inwoners: nu telt niet hoe groot de gemeente is, maar hoe vaak iets voorkomt."
    else:
        text = "Dit is al een verhouding of gemiddelde; 'per 1.000 inwoners' verandert hier niets."
    decimals = 0 if is_count and not per_inwoner else 1
    text += (
        f" {gemeente_name(code)}: {nl_format(row['waarde'], decimals)} "
        f"(plaats {int(row['plaats'])} van {len(table)}). De stippellijn is het gemiddelde "
        f"van de gemeenten: {nl_format(mean, decimals)}."
    )
    shown = table.head(5)[["plaats", "naam", "waarde"]].copy()
    shown["waarde"] = shown["waarde"].map(lambda v: nl_format(v, decimals))
    shown = shown.rename(columns={"plaats": "Plaats", "naam": "Gemeente", "waarde": label})
    shown["Plaats"] = shown["Plaats"].astype(int)
    values = {
        "waarde": float(row["waarde"]),
        "plaats": int(row["plaats"]),
        "hoogste": str(table.iloc[0]["naam"]),
        "gemiddelde": mean,
    }
    return View("Vergelijk de gemeenten", text, chart=chart, table=shown, values=values)


def wijken_view(gemeente: str, indicator: str = "aandeel_65_oo", drempel: float = 15.0) -> View:
    """Return the wijken of a gemeente on one age share, marking those above a threshold.

    Parameters
    ----------
    gemeente : str
    indicator : str
        A key of :data:`WIJK_INDICATORS`.
    drempel : float
        Threshold in percent.

    Returns
    -------
    View
        ``values``: ``boven`` (number of wijken above the threshold), ``wijken``,
        ``gemeente`` (share of the gemeente as a whole), ``gemiddelde`` (unweighted mean of
        the wijken), ``mediaan``, ``provincie`` (share of the province as a whole).
    """
    code = check_gemeente(gemeente)
    table = wijken_table(code, indicator).dropna(subset=["aandeel"])
    label = WIJK_INDICATORS[indicator][0]
    if table.empty:
        return message_view(f"Voor de wijken van {gemeente_name(code)} zijn geen cijfers.")
    drempel = float(drempel)
    above = table["aandeel"] > drempel
    overall = gemeente_share(code, indicator)
    province = provincie_share(code, indicator)
    mean = float(table["aandeel"].mean())
    median = float(table["aandeel"].median())
    plot = table.assign(kleur=above.map({True: f"boven {drempel:g}%", False: "niet erboven"}))
    bars = (
        alt.Chart(plot)
        .mark_bar()
        .encode(
            x=alt.X("aandeel:Q", title=label, scale=alt.Scale(domain=[0, 60])),
            y=alt.Y("naam:N", sort="-x", title=None),
            color=alt.Color(
                "kleur:N",
                scale=alt.Scale(
                    domain=[f"boven {drempel:g}%", "niet erboven"], range=[HIGHLIGHT, MUTED]
                ),
                title=None,
            ),
            tooltip=["naam", alt.Tooltip("aandeel:Q", format=".1f"), "inwoners:Q"],
        )
    )
    lines = pd.DataFrame(
        {
            "lijn": ["gemeente als geheel", "mediaan van de wijken", "provincie als geheel"],
            "waarde": [overall, median, province],
        }
    )
    rules = (
        alt.Chart(lines)
        .mark_rule(strokeDash=[4, 3])
        .encode(
            x="waarde:Q",
            stroke=alt.Stroke(
                "lijn:N",
                scale=alt.Scale(
                    domain=["gemeente als geheel", "mediaan van de wijken", "provincie als geheel"],
                    range=[PALETTE[0], PALETTE[2], PALETTE[4]],
                ),
                title=None,
            ),
        )
    )
    threshold = (
        alt.Chart(pd.DataFrame({"drempel": [drempel]}))
        .mark_rule(color="#000000")
        .encode(x="drempel:Q")
    )
    height = max(120, 18 * len(table))
    chart = (bars + rules + threshold).properties(
        title=f"{label} per wijk in {gemeente_name(code)}", width=420, height=height
    )
    text = (
        f"{int(above.sum())} van de {len(table)} wijken liggen boven {nl_format(drempel, 0)}%. "
        f"De gemeente als geheel: {nl_format(overall, 1)}%. Het gemiddelde van de wijken: "
        f"{nl_format(mean, 1)}%, de mediaan: {nl_format(median, 1)}%. De provincie als geheel: "
        f"{nl_format(province, 1)}%. Eén getal voor de hele gemeente verbergt hoe verschillend "
        "de wijken zijn."
    )
    shown = table[["naam", "inwoners", "aandeel"]].copy()
    shown["inwoners"] = shown["inwoners"].map(lambda v: nl_format(v, 0))
    shown["aandeel"] = shown["aandeel"].map(lambda v: nl_format(v, 1))
    shown = shown.rename(columns={"naam": "Wijk", "inwoners": "Inwoners", "aandeel": label})
    values = {
        "boven": int(above.sum()),
        "wijken": len(table),
        "gemeente": overall,
        "gemiddelde": mean,
        "mediaan": median,
        "provincie": province,
    }
    return View("De wijken van je gemeente", text, chart=chart, table=shown, values=values)


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


def wijk_health_view(gemeente: str, indicator: str = "rivm_eenzaam_18plus") -> View:
    """Return the wijken of a gemeente on loneliness or ervaren gezondheid (RIVM, 2020).

    Parameters
    ----------
    gemeente : str
    indicator : str
        A key of :data:`HEALTH_INDICATORS`.

    Returns
    -------
    View
        ``values``: ``hoogste`` and ``laagste`` (names of the wijken with the highest and
        lowest value), ``gemeente`` (RIVM's figure for the gemeente), ``boven_gemeente``
        (wijken above it), ``wijken`` (wijken with a figure), ``geen_gegevens`` (wijken
        whose indeling changed after 2020).
    """
    code = check_gemeente(gemeente)
    table = wijk_health_table(code, indicator)
    label = HEALTH_INDICATORS[indicator][0]
    shown_rows = table.dropna(subset=["waarde"])
    missing = table[table["waarde"].isna()]
    if shown_rows.empty:
        return message_view(
            f"Voor de wijken van {gemeente_name(code)} zijn geen RIVM-cijfers: de wijkindeling is "
            "na 2020 veranderd."
        )
    overall = gemeente_health(code, indicator)
    above = shown_rows["waarde"] > overall
    bars = (
        alt.Chart(
            shown_rows.assign(kleur=above.map({True: "boven de gemeente", False: "niet erboven"}))
        )
        .mark_bar()
        .encode(
            x=alt.X("waarde:Q", title=label),
            y=alt.Y("naam:N", sort="-x", title=None),
            color=alt.Color(
                "kleur:N",
                scale=alt.Scale(
                    domain=["boven de gemeente", "niet erboven"], range=[HIGHLIGHT, MUTED]
                ),
                title=None,
            ),
            tooltip=["naam", alt.Tooltip("waarde:Q", title=label, format=".1f")],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"gemeente": [overall]}))
        .mark_rule(color=PALETTE[0], strokeDash=[4, 3])
        .encode(x="gemeente:Q")
    )
    chart = (bars + rule).properties(
        title={
            "text": f"{label} per wijk in {gemeente_name(code)} ({HEALTH_YEAR})",
            "subtitle": "Modelschattingen van het RIVM, geen tellingen.",
        },
        width=420,
        height=max(120, 18 * len(shown_rows)),
    )
    text = (
        f"{HEALTH_NOTE} Hoogste waarde: {shown_rows.iloc[0]['naam']} "
        f"({nl_format(shown_rows.iloc[0]['waarde'], 1)}%), laagste: {shown_rows.iloc[-1]['naam']} "
        f"({nl_format(shown_rows.iloc[-1]['waarde'], 1)}%). De stippellijn is de schatting voor "
        f"de hele gemeente: {nl_format(overall, 1)}%. {int(above.sum())} van de "
        f"{len(shown_rows)} wijken liggen erboven."
    )
    if len(missing):
        text += (
            f" {len(missing)} wijk(en) zonder cijfer ({', '.join(missing['naam'])}): {REGROUPED}."
        )
    shown = table[["naam", "waarde", "toelichting"]].copy()
    shown["waarde"] = [
        nl_format(v, 1) if v == v else note
        for v, note in zip(shown["waarde"], shown["toelichting"], strict=True)
    ]
    shown = shown.drop(columns="toelichting").rename(columns={"naam": "Wijk", "waarde": label})
    values = {
        "hoogste": str(shown_rows.iloc[0]["naam"]),
        "laagste": str(shown_rows.iloc[-1]["naam"]),
        "gemeente": overall,
        "boven_gemeente": int(above.sum()),
        "wijken": len(shown_rows),
        "geen_gegevens": len(missing),
    }
    return View(
        "Eenzaamheid en gezondheid in de wijken", text, chart=chart, table=shown, values=values
    )


# --- widget builders --------------------------------------------------------------------


def key_figures(gemeente: str) -> View:
    """Show the key figures of a gemeente (a static view; see :func:`key_figures_view`)."""
    from doeagenda.learning.widgets import safe_view

    return safe_view(key_figures_view, gemeente=gemeente)


def compare_gemeenten(gemeente: str) -> Explorer | View:
    """Build the gemeente comparison: an indicator dropdown and a per-1.000 switch."""
    options = [(label, key) for key, (label, _count) in COMPARE_INDICATORS.items()]
    controls = {
        "indicator": widgets.Dropdown(
            options=options,
            value="a_65_oo",
            description="Indicator:",
            layout=widgets.Layout(width="420px"),
        ),
        "per_inwoner": widgets.Checkbox(value=False, description="per 1.000 inwoners"),
    }
    return explorer(compare_view, controls, gemeente=gemeente)


def wijk_distribution(gemeente: str) -> Explorer | View:
    """Build the wijken explorer: an age-share dropdown and a threshold slider."""
    options = [(label, key) for key, (label, _count) in WIJK_INDICATORS.items()]
    controls = {
        "indicator": widgets.Dropdown(
            options=options, value="aandeel_65_oo", description="Leeftijd:"
        ),
        "drempel": widgets.FloatSlider(
            value=15.0,
            min=0.0,
            max=60.0,
            step=1.0,
            description="Drempel (%):",
            **wide(),
            continuous_update=False,
            readout_format=".0f",
        ),
    }
    return explorer(wijken_view, controls, gemeente=gemeente)


def wijk_health(gemeente: str) -> Explorer | View:
    """Build the wijk health explorer: a dropdown with loneliness and ervaren gezondheid."""
    options = [(label, key) for key, (label, _better) in HEALTH_INDICATORS.items()]
    controls = {
        "indicator": widgets.Dropdown(
            options=options,
            value="rivm_eenzaam_18plus",
            description="Cijfer:",
            layout=widgets.Layout(width="520px"),
        ),
    }
    return explorer(wijk_health_view, controls, gemeente=gemeente)


# --- exercises --------------------------------------------------------------------------


def _wijk_names(gemeente: str) -> list[str]:
    return sorted(wijken_table(gemeente)["naam"].dropna().tolist())


def _top_wijk_65(gemeente: str) -> str:
    table = wijken_table(gemeente).dropna(subset=["aandeel"])
    return str(table.iloc[0]["naam"])


def _gemeente_names(gemeente: str) -> list[str]:
    return sorted(_gemeenten_wide(provincie_of(check_gemeente(gemeente)))["naam"].tolist())


def _top_gemeente_65_rate(gemeente: str) -> str:
    return str(compare_table(gemeente, "a_65_oo", per_inwoner=True).iloc[0]["naam"])


#: The exercises of this module (joined by :mod:`doeagenda.learning.catalogue`).
EXERCISES = ExerciseRegistry()

EXERCISES.add(
    Exercise(
        id="01.1",
        kind="number",
        question="Hoeveel inwoners had {naam} in 2024? Zoek het op in de kerncijfers.",
        compute=inhabitants,
        hint="Kijk in de tabel 'Kerncijfers' naar de regel 'Inwoners (2024)'.",
        close_hint="Je zit in de buurt. Neem het getal precies over uit de tabel.",
        explanation="{naam} had in 2024 {antwoord} inwoners (CBS, Kerncijfers wijken en buurten).",
        rel_tol=0.005,
        close_tol=0.1,
        lines=1,
    )
)
EXERCISES.add(
    Exercise(
        id="01.2",
        kind="number",
        question="Hoeveel procent van de inwoners van {naam} is 65 jaar of ouder (2024)?",
        compute=gemeente_share,
        abs_tol=0.25,
        rel_tol=0.0,
        close_tol=0.0,
        hint=(
            "Deel het aantal 65-plussers door het aantal inwoners en doe dat keer 100. "
            "Of kijk in de kerncijfers."
        ),
        close_hint="Bijna. Reken nog eens precies: aantal 65-plussers / inwoners x 100.",
        explanation=(
            "In {naam} is {antwoord} van de inwoners 65 jaar of ouder: het aantal 65-plussers "
            "gedeeld door het aantal inwoners, keer 100."
        ),
        unit="%",
        decimals=1,
        lines=2,
    )
)
EXERCISES.add(
    Exercise(
        id="01.4",
        kind="choice",
        question=(
            "Welke wijk van {naam} heeft naar verhouding de meeste 65-plussers? "
            "Gebruik de wijkgrafiek."
        ),
        compute=_top_wijk_65,
        options_from=_wijk_names,
        hint=(
            "Kies in de wijkgrafiek '65 jaar of ouder (%)'. De bovenste staaf is de wijk met "
            "het hoogste aandeel."
        ),
        explanation=(
            "{antwoord} heeft het hoogste aandeel 65-plussers. Let op: dat is een "
            "aandeel, niet het grootste aantal ouderen."
        ),
        lines=1,
    )
)
EXERCISES.add(
    Exercise(
        id="01.5",
        kind="choice",
        question=(
            "Een gemeente heeft tien wijken. In negen wijken is 15% van de inwoners 65-plus, "
            "in één wijk met een groot verzorgingshuis is dat 45%. Wat is waar over de "
            "wijken?"
        ),
        options=(
            "Het gemiddelde van de wijken is hoger dan de mediaan.",
            "Het gemiddelde en de mediaan van de wijken zijn gelijk.",
            "De mediaan van de wijken is hoger dan het gemiddelde.",
            "Zonder de inwonertallen kun je hier niets over zeggen.",
        ),
        answer_hashes=("5bf7eee58a133944632a2fb248dd63f9a15abcc63f902fbd846c2d0f1b7ba7ad",),
        close_hashes=(),
        hint=(
            "Zet de tien waarden op een rij. De mediaan is de middelste; het gemiddelde "
            "telt alles op en deelt door tien. Welke van de twee trekt die ene wijk omhoog?"
        ),
        explanation=(
            "Het gemiddelde is (9 x 15 + 45) / 10 = 18%, de mediaan blijft 15%. Eén "
            "uitschieter trekt het gemiddelde omhoog, de mediaan niet. Daarom tonen we "
            "altijd ook de verdeling."
        ),
        lines=3,
    )
)
EXERCISES.add(
    Exercise(
        id="01.3",
        kind="choice",
        question=(
            "Welke gemeente in de provincie heeft per 1.000 inwoners de meeste 65-plussers? "
            "Zet in de vergelijking 'per 1.000 inwoners' aan."
        ),
        compute=_top_gemeente_65_rate,
        options_from=_gemeente_names,
        hint=(
            "Kies '65-plussers' en zet het vinkje 'per 1.000 inwoners' aan. Zonder vinkje "
            "staat de grootste gemeente bovenaan, niet de 'oudste'."
        ),
        explanation=(
            "{antwoord} heeft per 1.000 inwoners de meeste 65-plussers. In aantallen staat "
            "meestal de grootste gemeente bovenaan: vergelijk dus per inwoner."
        ),
        lines=1,
    )
)


def _wijken_with_health(gemeente: str) -> list[str]:
    table = wijk_health_table(gemeente).dropna(subset=["waarde"])
    return sorted(table["naam"].tolist())


def _most_lonely_wijk(gemeente: str) -> str:
    return str(wijk_health_table(gemeente, "rivm_eenzaam_18plus").iloc[0]["naam"])


EXERCISES.add(
    Exercise(
        id="01.6",
        kind="choice",
        question=(
            "In welke wijk van {naam} voelen naar schatting de meeste volwassenen zich eenzaam "
            "(2020)? Gebruik de grafiek 'Eenzaamheid en gezondheid in de wijken'."
        ),
        compute=_most_lonely_wijk,
        options_from=_wijken_with_health,
        hint="Kies 'Eenzaam' in de keuzelijst. De bovenste staaf is de wijk met het hoogste percentage.",
        explanation=(
            "In {antwoord} is het geschatte aandeel eenzame volwassenen het hoogst. Het is een "
            "modelschatting: gebruik het om het gesprek te beginnen, niet als telling."
        ),
        lines=1,
    )
)
