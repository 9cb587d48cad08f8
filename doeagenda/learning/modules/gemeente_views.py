"""Module 01 *Ken je gemeente*, the views: pure functions that turn the tables of
:mod:`~doeagenda.learning.modules.gemeente_data` into a :class:`~doeagenda.learning.lesson.View`
(text, chart, table and the values the exercises check).

Split out of :mod:`doeagenda.learning.modules.gemeente`, which re-exports every name here.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from doeagenda.charts import PALETTE, nl_format, ranked_bars, reference_line
from doeagenda.errors import ParameterError
from doeagenda.learning.lesson import (
    View,
    check_gemeente,
    gemeente_name,
    message_view,
    provincie_of,
)
from doeagenda.learning.modules.gemeente_data import (
    COMPARE_INDICATORS,
    HEALTH_INDICATORS,
    HEALTH_NOTE,
    HEALTH_YEAR,
    REGROUPED,
    WIJK_INDICATORS,
    _gemeenten_wide,
    compare_table,
    gemeente_health,
    gemeente_share,
    provincie_share,
    wijk_health_table,
    wijken_table,
)

__all__ = [
    "ENERGY_NOTE",
    "ENERGY_REGISTER",
    "compare_view",
    "energy_table",
    "energy_view",
    "key_figures_view",
    "wijk_health_view",
    "wijken_view",
]


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


def _height(rows: pd.DataFrame) -> int:
    """Height of a ranking chart: 18 pixels a bar, at least 120."""
    return max(120, 18 * len(rows))


def _ranking(
    bars: alt.Chart, value: float, field: str, title: str | dict, height: int | None = None
) -> alt.LayerChart:
    """A ranking (:func:`~doeagenda.charts.ranked_bars`), 420 pixels wide, with its dashed line.

    The line stands at the gemeente's, the province's or the mean ``value``; ``height``
    defaults to :func:`_height` of the bars' rows.
    """
    line = reference_line(value, "x", field=field, color=PALETTE[0], strokeDash=[4, 3])
    if height is None:
        height = _height(bars.data)
    return (bars + line).properties(title=title, width=420, height=height)


def key_figures_view(gemeente: str) -> View:
    """Return key figures of a gemeente next to the province's lowest, median and highest.

    Parameters
    ----------
    gemeente : str
        CBS gemeente code (``"GM0344"``); the other gemeenten of its province set the range.

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
    gemeente, indicator, per_inwoner
        As for :func:`compare_table`, the table this view draws.

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
    bars = ranked_bars(
        table,
        alt.X("waarde:Q", title=label),
        "naam",
        table["gekozen"],
        ["naam", alt.Tooltip("waarde:Q", format=",.1f")],
    )
    chart = _ranking(
        bars, mean, "gemiddelde", f"{label}: {gemeente_name(code)} en de andere gemeenten", 360
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
    gemeente, indicator : str
        As for :func:`wijken_table`, the table this view draws.
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
    bars = ranked_bars(
        table,
        alt.X("aandeel:Q", title=label, scale=alt.Scale(domain=[0, 60])),
        "naam",
        above,
        ["naam", alt.Tooltip("aandeel:Q", format=".1f"), "inwoners:Q"],
        (f"boven {drempel:g}%", "niet erboven"),
        legend=True,
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
    threshold = reference_line(drempel, "x", field="drempel", color="#000000")
    chart = (bars + rules + threshold).properties(
        title=f"{label} per wijk in {gemeente_name(code)}", width=420, height=_height(table)
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


def wijk_health_view(gemeente: str, indicator: str = "rivm_eenzaam_18plus") -> View:
    """Return the wijken of a gemeente on loneliness or ervaren gezondheid (RIVM, 2020).

    Parameters
    ----------
    gemeente, indicator : str
        As for :func:`wijk_health_table`, the table this view shows.

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
    bars = ranked_bars(
        shown_rows,
        alt.X("waarde:Q", title=label),
        "naam",
        above,
        ["naam", alt.Tooltip("waarde:Q", title=label, format=".1f")],
        ("boven de gemeente", "niet erboven"),
        legend=True,
    )
    title = f"{label} per wijk in {gemeente_name(code)} ({HEALTH_YEAR})"
    subtitle = "Modelschattingen van het RIVM, geen tellingen."
    chart = _ranking(bars, overall, "gemeente", {"text": title, "subtitle": subtitle})
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


#: The real register the energy exercise uses (Lokale Energie Monitor 2019, HIER opgewekt).
ENERGY_REGISTER = "energie_2019"
ENERGY_NOTE = (
    "Bron: Lokale Energie Monitor 2019, HIER opgewekt. Het zijn alle lokale "
    "energiecoöperaties die de monitor eind 2019 kende; inwoners van 2024 (CBS)."
)


def energy_table(gemeente: str) -> pd.DataFrame:
    """Return the local energy cooperatives of a gemeente (name and founding year), 2019.

    Parameters
    ----------
    gemeente : str
        CBS gemeente code (``"GM0344"``); the cooperatives of :data:`ENERGY_REGISTER` in it.

    Returns
    -------
    DataFrame
        ``naam, jaar``, oldest first.
    """
    from doeagenda.initiatives import KIND_LOCAL, load_register

    code = check_gemeente(gemeente)
    register = load_register(ENERGY_REGISTER)
    rows = register.loc[(register["gemeente_code"] == code) & (register["soort"] == KIND_LOCAL)]
    table = pd.DataFrame({"naam": rows["naam"], "jaar": rows["startdatum"].dt.year.astype(int)})
    return table.sort_values(["jaar", "naam"]).reset_index(drop=True)


def energy_view(gemeente: str) -> View:
    """Return the energy cooperatives of a gemeente, and all gemeenten of the province per 10.000.

    Parameters
    ----------
    gemeente : str
        CBS gemeente code (``"GM0344"``), highlighted in the ranking of its province.

    Returns
    -------
    View
        ``values``: ``cooperaties`` (number in the gemeente), ``per_10000``, ``provincie``
        (per 10.000 in the whole province), ``hoogste`` (name of the gemeente with the most
        per 10.000 inhabitants), ``namen`` (the gemeente's cooperatives).
    """
    from doeagenda.initiatives import cooperatives_per_gemeente

    code = check_gemeente(gemeente)
    provincie = provincie_of(code)
    own = energy_table(code)
    counts = cooperatives_per_gemeente(ENERGY_REGISTER)
    table = counts.loc[counts["provincie"] == provincie].reset_index(drop=True)
    row = table.set_index("gemeente_code").loc[code]
    province_rate = float(table["cooperaties"].sum() / table["inwoners"].sum() * 10_000)
    highest = str(table.sort_values("per_10000", ascending=False).iloc[0]["gemeente"])
    bars = ranked_bars(
        table,
        alt.X("per_10000:Q", title="energiecoöperaties per 10.000 inwoners"),
        "gemeente",
        table["gemeente_code"] == code,
        [
            alt.Tooltip("gemeente:N"),
            alt.Tooltip("cooperaties:Q", title="coöperaties"),
            alt.Tooltip("per_10000:Q", title="per 10.000", format=".2f"),
        ],
    )
    title = f"Lokale energiecoöperaties per 10.000 inwoners, provincie {provincie} (2019)"
    subtitle = "Stippellijn: de provincie als geheel. Bron: Lokale Energie Monitor 2019."
    chart = _ranking(bars, province_rate, "provincie", {"text": title, "subtitle": subtitle})
    name = gemeente_name(code)
    count = int(row["cooperaties"])
    if count == 0:
        text = f"De monitor kende eind 2019 in {name} geen lokale energiecoöperatie."
    else:
        listed = "; ".join(f"{n} ({y})" for n, y in zip(own["naam"], own["jaar"], strict=True))
        word = "lokale energiecoöperatie" if count == 1 else "lokale energiecoöperaties"
        text = (
            f"De monitor kende eind 2019 in {name} {count} {word}: {listed}. Dat is "
            f"{nl_format(row['per_10000'], 2)} per 10.000 inwoners; in de provincie "
            f"{nl_format(province_rate, 2)}."
        )
    text += f" {ENERGY_NOTE} Energiecoöperaties zijn één soort bewonersinitiatief, niet alle."
    shown = own.rename(columns={"naam": "Energiecoöperatie", "jaar": "Opgericht"})
    values = {
        "cooperaties": count,
        "per_10000": float(row["per_10000"]),
        "provincie": province_rate,
        "hoogste": highest,
        "namen": list(own["naam"]),
    }
    return View("Energiecoöperaties in je gemeente", text, chart=chart, table=shown, values=values)
