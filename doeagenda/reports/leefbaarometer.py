"""The section *Leefbaarometer* of the wijk and gemeente profiles.

One area (a wijk or a gemeente) against its gemeente, its provincie and the Netherlands on
the Leefbaarometer 3.0 of the ministry of BZK: the liveability score 2002–2022 and its five
dimensions 2014–2022 (:func:`doeagenda.data.leefbaarometer`). Gemeente, provincie and
Nederland are means of their wijken weighted by inhabitants (KWB 1 January 2024).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from IPython.display import Markdown

from doeagenda import data
from doeagenda.charts import HIGHLIGHT, MUTED, PALETTE, nl_format
from doeagenda.data import lbm

if TYPE_CHECKING:
    import altair as alt

__all__ = ["LBM_NOTE", "lbm_chart", "lbm_long", "lbm_note", "lbm_table"]

LBM_NOTE = (
    "De Leefbaarometer 3.0 (ministerie van BZK) schat de leefbaarheid van elke wijk uit zo'n "
    "honderd kenmerken van de omgeving, geijkt op het oordeel van bewoners: modelschattingen, "
    "geen metingen, zonder marges. De score loopt van 2002 tot 2022; de vijf dimensies (2014, "
    "2018, 2020 en 2022) zijn bijdragen aan de score, als afwijking van het landelijk "
    "gemiddelde (boven 0 is beter). Gemeente, provincie en Nederland zijn gemiddelden van hun "
    "wijken, gewogen naar inwoners (1 januari 2024). Kleine verschillen, tussen gebieden of "
    "jaren, zijn geen verandering."
)
#: Short Dutch names of the ids, for chart panels and table rows.
SHORT = {
    "lbm_score": "Leefbaarheidsscore",
    "lbm_afwijking": "Afwijking van het landelijk gemiddelde",
    "lbm_fysieke_omgeving": "Fysieke omgeving",
    "lbm_overlast_onveiligheid": "Overlast en onveiligheid",
    "lbm_sociale_samenhang": "Sociale samenhang",
    "lbm_voorzieningen": "Voorzieningen",
    "lbm_woningvoorraad": "Woningvoorraad",
}
#: What the wijk profile shows (the deviation is the score minus a constant: left out).
WIJK_IDS = (
    "lbm_score",
    "lbm_fysieke_omgeving",
    "lbm_overlast_onveiligheid",
    "lbm_sociale_samenhang",
    "lbm_voorzieningen",
    "lbm_woningvoorraad",
)
GEMEENTE_IDS = ("lbm_score", "lbm_sociale_samenhang")


def _areas(code: str) -> dict[str, str]:
    row = data.area(code)
    gemeente = (
        row["name"] if row["level"] == "gemeente" else data.area(row["gemeente_code"])["name"]
    )
    areas = {"wijk": str(row["name"])} if row["level"] == "wijk" else {}
    areas |= {
        "gemeente": f"Gemeente {gemeente}",
        "provincie": f"Provincie {row['provincie']}",
        "nederland": "Nederland",
    }
    return areas


def lbm_long(code: str, indicators: tuple[str, ...] = WIJK_IDS) -> pd.DataFrame:
    """Return the Leefbaarometer figures of an area and its comparisons in long form.

    Returns
    -------
    DataFrame
        ``indicator, onderdeel, jaar, gebied, waarde`` (NaN dropped); ``gebied`` is the
        Dutch name of the area, its gemeente, provincie or Nederland.
    """
    table = data.leefbaarometer(code)
    table = table[table["indicator"].isin(indicators)]
    areas = _areas(code)
    long = table.melt(
        id_vars=["indicator", "jaar"], value_vars=list(areas), var_name="soort", value_name="waarde"
    ).dropna(subset=["waarde"])
    long["gebied"] = long["soort"].map(areas)
    long["onderdeel"] = long["indicator"].map(SHORT)
    return long[["indicator", "onderdeel", "jaar", "gebied", "waarde"]].reset_index(drop=True)


def lbm_table(code: str, indicators: tuple[str, ...] = WIJK_IDS) -> pd.DataFrame:
    """Return the figures for the report: one row per part and year, one column per area.

    Values are shown with three decimals (the dimensions are small deviations); an area
    without a figure shows *geen gegevens*.
    """
    table = data.leefbaarometer(code)
    table = table[table["indicator"].isin(indicators)].copy()
    areas = _areas(code)
    shown = pd.DataFrame(
        {
            "Onderdeel": table["indicator"].map(SHORT).to_numpy(),
            "Jaar": table["jaar"].to_numpy(),
        }
    )
    for column, name in areas.items():
        shown[name] = [nl_format(v, 3) if v == v else "geen gegevens" for v in table[column]]
    return shown.set_index(["Onderdeel", "Jaar"])


def lbm_chart(code: str, indicators: tuple[str, ...] = WIJK_IDS) -> alt.FacetChart:
    """Lines per year, one panel per part: the area, its gemeente, provincie and NL."""
    import altair as alt

    long = lbm_long(code, indicators)
    areas = list(_areas(code).values())
    colours = [HIGHLIGHT, PALETTE[0], PALETTE[5], MUTED][-len(areas) :]
    name = data.area(code)["name"]
    order = [SHORT[i] for i in indicators]
    return (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("jaar:O", title="Jaar"),
            y=alt.Y("waarde:Q", title=None, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "gebied:N", sort=areas, scale=alt.Scale(domain=areas, range=colours), title=None
            ),
            tooltip=[
                alt.Tooltip("gebied:N", title="Gebied"),
                alt.Tooltip("onderdeel:N", title="Onderdeel"),
                alt.Tooltip("jaar:O", title="Jaar"),
                alt.Tooltip("waarde:Q", title="Waarde", format=".3f"),
            ],
        )
        .properties(width=220, height=160)
        .facet(facet=alt.Facet("onderdeel:N", title=None, sort=order), columns=3)
        .resolve_scale(x="independent", y="independent")
        .properties(
            title={
                "text": f"Leefbaarometer: {name}",
                "subtitle": "Score 2002–2022; dimensies 2014–2022 als afwijking van het "
                "landelijk gemiddelde. Modelschattingen (BZK).",
            }
        )
    )


def lbm_note(code: str) -> Markdown:
    """The Dutch note on the figures, or why this area has none (never a copied value)."""
    row = data.area(code)
    name = row["name"]
    if row["level"] == "wijk":
        coverage = data.lbm_coverage("wijk", provincie=row["provincie"]).set_index("code")
        entry = coverage.loc[code]
        if not entry["has_lbm"]:
            return Markdown(
                f"**{name}: {entry['note']}.** De Leefbaarometer volgt de wijkindeling van "
                f"{lbm.LBM_INDELING}; de code {code} bestond toen niet, en cijfers worden nooit "
                "overgezet naar een andere code. De gemeente, de provincie en Nederland staan er "
                f"ter vergelijking wel. {LBM_NOTE}"
            )
        extra = ""
        if entry["last_year"] < lbm.LATEST_YEAR:
            extra = f" Voor {name} is er geen score na {int(entry['last_year'])}."
        if entry["boundary_changed"]:
            extra += f" Let op: {entry['note']}."
        return Markdown(LBM_NOTE + extra)
    coverage = data.lbm_coverage("gemeente").set_index("code")
    note = coverage.at[code, "note"]
    if not coverage.at[code, "has_lbm"]:
        return Markdown(
            f"**{name} heeft geen Leefbaarometer-cijfer: {note}.** Provincie en Nederland "
            f"staan er ter vergelijking wel. {LBM_NOTE}"
        )
    return Markdown(f"{LBM_NOTE} {name}: {note}.")
