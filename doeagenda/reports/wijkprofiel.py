"""The wijk profile (*wijkprofiel*): every number of the report on one wijk, as functions.

``notebooks/wijkprofiel.ipynb`` only calls these. The report is Dutch; the code is English.

Sections:

* population and age of the wijk (CBS Kerncijfers wijken en buurten 2024) against its
  gemeente, the provincie and the Netherlands;
* health and wellbeing in the survey rounds 2012, 2016 and 2020 (RIVM *Gezondheid per wijk
  en buurt*, 50090NED) against the gemeente, the provincie and the Netherlands. RIVM
  publishes gemeente and national figures itself; the *provincie* column is the mean over
  the provincie's gemeenten **weighted by inhabitants (KWB 2024)**, because RIVM publishes
  no provincie figure and the shipped data hold no population of 2012–2020. The RIVM
  figures follow the CBS indeling of 2020: a wijk whose code changed after 2020 has none and
  shows *geen gegevens (indeling gewijzigd na 2020)*; nothing is copied across a boundary
  change;
* its place on the provincie-wide wijk index (:func:`doeagenda.index.wijk_position`);
* its buurten as a ranked chart (no buurt boundaries are shipped).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property

import altair as alt
import numpy as np
import pandas as pd
from IPython.display import Markdown

from doeagenda import data
from doeagenda.charts import HIGHLIGHT, MUTED, PALETTE, nl_format
from doeagenda.data.build import NL_CODE
from doeagenda.errors import AreaCodeError, ParameterError

__all__ = [
    "ESTIMATE_NOTE",
    "HEALTH_INDICATORS",
    "REGROUPED",
    "RIVM_YEARS",
    "WijkProfiel",
    "buurten_table",
    "health_comparison",
    "wijk_age_structure",
    "wijkprofiel",
]

logger = logging.getLogger(__name__)

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
AGE_GROUPS = {
    "a_00_14": "0–14 jaar",
    "a_15_24": "15–24 jaar",
    "a_25_44": "25–44 jaar",
    "a_45_64": "45–64 jaar",
    "a_65_oo": "65 jaar of ouder",
}
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
        msg = f"KWB {year} has no population or age counts for wijk {row.name}; choose jaar=2024"
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
            "no RIVM health figures (rivm_* indicators) are shipped; update doeagenda or see "
            "`doeagenda data dictionary`"
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


@dataclass
class WijkProfiel:
    """The profile of one wijk: its data and how to show them.

    Create it with :func:`wijkprofiel`. Each method returns one table, chart or text block of
    the report.
    """

    code: str
    year: int = KWB_YEAR
    name: str = field(init=False)
    gemeente: str = field(init=False)
    gemeente_name: str = field(init=False)
    provincie: str = field(init=False)

    def __post_init__(self) -> None:
        row = _check_wijk(self.code)
        self.code = str(row.name)
        if self.year != KWB_YEAR:
            msg = (
                f"jaar {self.year} is not available for wijken; the wijkprofiel uses KWB {KWB_YEAR}"
            )
            raise ParameterError(msg)
        self.name = str(row["name"])
        self.gemeente = str(row["gemeente_code"])
        self.gemeente_name = str(data.area(self.gemeente)["name"])
        self.provincie = str(row["provincie"])

    def _repr_markdown_(self) -> str:
        return self.header().data

    @cached_property
    def _wide(self) -> pd.Series:
        wide = data.indicators("wijk", year=self.year, wide=True, codes=[self.code])
        return wide.loc[self.code] if self.code in wide.index else pd.Series(dtype=float)

    @cached_property
    def has_health_figures(self) -> bool:
        """Whether RIVM published estimates for this wijk's code (see :func:`has_health_figures`)."""
        return has_health_figures(self.code)

    def summary(self) -> pd.DataFrame:
        """Return the wijk's key numbers: inhabitants, 65+ share, loneliness 2020 (18+)."""
        ages = self.age_shares()
        health = health_comparison(self.code) if self.has_health_figures else None
        lonely = float("nan")
        if health is not None:
            match = health[
                (health["indicator"] == "rivm_eenzaam_18plus") & (health["jaar"] == RIVM_YEARS[-1])
            ]
            lonely = float(match["wijk"].iloc[0]) if len(match) else float("nan")
        return pd.DataFrame(
            {
                "waarde": [
                    float(self._wide.get("a_inw", np.nan)),
                    float(ages.loc["65 jaar of ouder", self.name]),
                    lonely,
                ]
            },
            index=pd.Index(
                ["inwoners (2024)", "65 jaar of ouder (%, 2024)", "eenzaam (%, 18+, 2020)"],
                name="kengetal",
            ),
        )

    def to_frame(self) -> pd.DataFrame:
        """Return the health comparison (18+) in long form (all numbers of that section)."""
        return health_comparison(self.code)

    def header(self) -> Markdown:
        """Title block with the wijk's size within its gemeente."""
        inhabitants = float(self._wide.get("a_inw", np.nan))
        gemeente_total = float(data.population(provincie=self.provincie).get(self.gemeente, np.nan))
        buurten = data.areas("buurt", provincie=self.provincie).query("wijk_code == @self.code")
        where = (
            f"Wijk {self.name} in gemeente {self.gemeente_name} ({self.gemeente}), provincie "
            f"{self.provincie},"
        )
        if inhabitants > 0:
            size = (
                f"{where} telt **{nl_format(inhabitants)} inwoners** (1 januari {self.year}): "
                f"{nl_format(100 * inhabitants / gemeente_total, 1)}% van de gemeente."
            )
        else:
            size = (
                f"{where} had op 1 januari {self.year} **geen inwoners** volgens het CBS; "
                "leeftijdsaandelen zijn er dan niet."
            )
        return Markdown(
            f"## {self.name} ({self.code})\n\n{size} De wijk bestaat uit "
            f"{len(buurten)} buurt{'en' if len(buurten) != 1 else ''}."
        )

    # --- population ---------------------------------------------------------------------

    def age_shares(self) -> pd.DataFrame:
        """Age structure as numbers: percent per age group (rows) and area (columns)."""
        table = wijk_age_structure(self.code, self.year)
        wide = table.pivot(index="leeftijd", columns="gebied", values="aandeel")
        return wide[list(dict.fromkeys(table["gebied"]))].reindex(list(AGE_GROUPS.values()))

    def age_table(self) -> pd.DataFrame:
        """Age structure for the report: percentages in Dutch number format."""
        return self.age_shares().map(lambda value: nl_format(value, 1))

    def age_chart(self) -> alt.Chart:
        """Grouped bars: age shares of wijk, gemeente, provincie and Nederland."""
        table = wijk_age_structure(self.code, self.year).dropna(subset=["aandeel"])
        order = list(dict.fromkeys(table["gebied"]))
        return (
            alt.Chart(table, title=f"Leeftijdsopbouw van {self.name} (1 januari {self.year})")
            .mark_bar()
            .encode(
                x=alt.X("leeftijd:N", title=None, sort=list(AGE_GROUPS.values())),
                xOffset=alt.XOffset("gebied:N", sort=order),
                y=alt.Y("aandeel:Q", title="Aandeel inwoners (%)"),
                color=alt.Color(
                    "gebied:N",
                    sort=order,
                    scale=alt.Scale(
                        domain=order,
                        range=[HIGHLIGHT, PALETTE[0], PALETTE[5], MUTED][-len(order) :],
                    ),
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

    # --- health ---------------------------------------------------------------------------

    def health_note(self) -> Markdown:
        """The estimate sentence, or why this wijk has no health figures."""
        if not self.has_health_figures:
            return Markdown(
                f"**{self.name}: {REGROUPED}.** De RIVM-cijfers volgen de wijkindeling van 2020; "
                f"de code {self.code} bestond toen niet. De kolommen gemeente, provincie en "
                f"Nederland staan er ter vergelijking wel. {ESTIMATE_NOTE}"
            )
        return Markdown(
            f"{ESTIMATE_NOTE} De kolom *provincie* is het gemiddelde van de gemeenten, gewogen "
            "naar inwoners (2024). Een verschil van een paar procentpunten tussen wijken of "
            "jaren kan binnen de onzekerheid van de schatting vallen."
        )

    def health(self, leeftijd: str = "18plus") -> pd.DataFrame:
        """Health and wellbeing 2012–2020 for the report: Dutch numbers and headers."""
        table = health_comparison(self.code, leeftijd)
        shown = table.drop(columns=["indicator"]).copy()
        for column in ("wijk", "gemeente", "provincie", "nederland"):
            shown[column] = [nl_format(v, 1) if v == v else "" for v in shown[column]]
        if not self.has_health_figures:
            shown["wijk"] = REGROUPED
        return shown.rename(
            columns={
                "omschrijving": "Indicator (%)",
                "jaar": "Jaar",
                "wijk": self.name,
                "gemeente": f"Gemeente {self.gemeente_name}",
                "provincie": f"Provincie {self.provincie}",
                "nederland": "Nederland",
            }
        ).set_index(["Indicator (%)", "Jaar"])

    def health_chart(
        self,
        indicators: tuple[str, ...] = ("eenzaam", "ervaren_gezondheid_goed"),
        leeftijd: str = "18plus",
    ) -> alt.FacetChart:
        """Lines 2012–2016–2020 per indicator: wijk, gemeente, provincie and Nederland."""
        unknown = [name for name in indicators if name not in HEALTH_INDICATORS]
        if unknown:
            msg = (
                f"unknown health indicator(s) {unknown}; choose from {', '.join(HEALTH_INDICATORS)}"
            )
            raise ParameterError(msg)
        table = health_comparison(self.code, leeftijd)
        table = table[table["indicator"].isin([_rivm_id(n, leeftijd) for n in indicators])]
        areas = {
            "wijk": self.name,
            "gemeente": f"Gemeente {self.gemeente_name}",
            "provincie": f"Provincie {self.provincie}",
            "nederland": "Nederland",
        }
        long = table.melt(
            id_vars=["omschrijving", "jaar"],
            value_vars=list(areas),
            var_name="gebied",
            value_name="procent",
        ).dropna(subset=["procent"])
        long["gebied"] = long["gebied"].map(areas)
        order = list(areas.values())
        return (
            alt.Chart(long)
            .mark_line(point=True)
            .encode(
                x=alt.X("jaar:O", title="Peiljaar Gezondheidsmonitor"),
                y=alt.Y("procent:Q", title="Procent (modelschatting)", scale=alt.Scale(zero=False)),
                color=alt.Color(
                    "gebied:N",
                    sort=order,
                    scale=alt.Scale(domain=order, range=[HIGHLIGHT, PALETTE[0], PALETTE[5], MUTED]),
                    title=None,
                ),
                tooltip=[
                    alt.Tooltip("gebied:N", title="Gebied"),
                    alt.Tooltip("jaar:O", title="Jaar"),
                    alt.Tooltip("procent:Q", title="Procent", format=".1f"),
                ],
            )
            .properties(width=260, height=200)
            .facet(
                column=alt.Column("omschrijving:N", title=None),
            )
            .resolve_scale(y="independent")
            .properties(
                title={
                    "text": f"Gezondheid en welzijn in {self.name} ({AGES[leeftijd]})",
                    "subtitle": ESTIMATE_NOTE,
                }
            )
        )

    # --- map ------------------------------------------------------------------------------

    def map(self, indicator: str = "rivm_eenzaam_18plus") -> alt.LayerChart:
        """Map of the gemeente's wijken coloured by one RIVM figure of 2020, this wijk outlined.

        Wijken without a RIVM figure (indeling changed after 2020) are grey.
        """
        geo = data.boundaries(level="wijk", provincie=self.provincie)
        features = [f for f in geo["features"] if f["properties"]["gemeente_code"] == self.gemeente]
        long = data.indicators("wijk", codes=[f["properties"]["code"] for f in features])
        values = long[(long["indicator"] == indicator) & (long["year"] == RIVM_YEARS[-1])]
        values = values.set_index("code")["value"]
        label = data.label(indicator)
        for feature in features:
            props = feature["properties"]
            value = values.get(props["code"], np.nan)
            props["waarde"] = None if pd.isna(value) else float(value)
            props["toelichting"] = "" if data.has_rivm(props["code"]) else REGROUPED
        base = alt.Data(values=features)
        colour = (
            alt.Chart(base)
            .mark_geoshape(stroke="white", strokeWidth=0.8)
            .encode(
                color=alt.condition(
                    "isValid(datum.properties.waarde)",
                    alt.Color(
                        "properties.waarde:Q",
                        title=f"{label} (2020)",
                        scale=alt.Scale(scheme="oranges"),
                    ),
                    alt.value(MUTED),
                ),
                tooltip=[
                    alt.Tooltip("properties.name:N", title="Wijk"),
                    alt.Tooltip("properties.waarde:Q", title=label, format=".1f"),
                    alt.Tooltip("properties.toelichting:N", title="Let op"),
                ],
            )
        )
        outline = alt.Chart(
            alt.Data(values=[f for f in features if f["properties"]["code"] == self.code])
        ).mark_geoshape(filled=False, stroke="#000000", strokeWidth=2.5)
        return (
            alt.layer(colour, outline)
            .project(type="mercator")
            .properties(
                width=460,
                height=380,
                title={
                    "text": f"{self.name} tussen de wijken van {self.gemeente_name}",
                    "subtitle": ESTIMATE_NOTE,
                },
            )
        )

    # --- index ----------------------------------------------------------------------------

    @cached_property
    def _position(self):
        from doeagenda.index import wijk_position

        return wijk_position(self.code)

    def index_position(self) -> pd.DataFrame:
        """The wijk's score, rank and 90% rank interval on the provincie-wide wijk index."""
        return self._position.summary()

    def index_text(self) -> Markdown:
        """One Dutch sentence on the wijk's place on the wijk index (or why there is none)."""
        return self._position.text()

    def index_ranks(self) -> pd.DataFrame:
        """The gemeente's wijken on the provincie-wide wijk index: score, rank and interval.

        Returns
        -------
        DataFrame
            Index ``code``; ``naam, score, rank, rank_low, rank_high, deze`` (True for this
            wijk), best rank first. Wijken without RIVM figures are not ranked.
        """
        from doeagenda.index import area_index

        ranks = area_index("buurzaamheid_wijken", self.provincie).ranks()
        ranks = ranks[ranks["gemeente_code"] == self.gemeente].drop(columns="gemeente_code")
        return ranks.assign(deze=ranks.index == self.code).sort_values("rank")

    def index_chart(self) -> alt.LayerChart:
        """Rank and 90% interval of the gemeente's wijken (provincie scale), this wijk in orange."""
        table = self.index_ranks().reset_index()
        table["wijk"] = table["deze"].map({True: self.name, False: "andere wijken"})
        order = table["naam"].tolist()
        y = alt.Y("naam:N", sort=order, title=None)
        colour = alt.Color(
            "wijk:N",
            scale=alt.Scale(domain=[self.name, "andere wijken"], range=[HIGHLIGHT, PALETTE[0]]),
            title=None,
        )
        base = alt.Chart(table)
        rule = base.mark_rule(strokeWidth=2).encode(
            x=alt.X(
                "rank_low:Q", title="Rang in de provincie (1 = best)", scale=alt.Scale(zero=False)
            ),
            x2="rank_high:Q",
            y=y,
            color=colour,
        )
        point = base.mark_point(size=60, filled=True).encode(
            x="rank:Q",
            y=y,
            color=colour,
            tooltip=[
                alt.Tooltip("naam:N", title="Wijk"),
                alt.Tooltip("score:Q", title="Score", format=".1f"),
                alt.Tooltip("rank:Q", title="Rang"),
                alt.Tooltip("rank_low:Q", title="5%-grens", format=".0f"),
                alt.Tooltip("rank_high:Q", title="95%-grens", format=".0f"),
            ],
        )
        return alt.layer(rule, point).properties(
            width=420,
            height=max(120, 18 * len(table)),
            title={
                "text": f"De wijken van {self.gemeente_name} op de Buurzaamheidsindex",
                "subtitle": "Punt: rang onder alle wijken van de provincie; lijn: 90%-interval. "
                + ESTIMATE_NOTE,
            },
        )

    # --- buurten --------------------------------------------------------------------------

    def buurten(self) -> pd.DataFrame:
        """The wijk's buurten: inhabitants, 65+ share and RIVM 2020 figures (Dutch headers)."""
        table = buurten_table(self.code)
        shown = pd.DataFrame({"Buurt": table["buurt"]})
        shown["Inwoners (2024)"] = [nl_format(v, 0) if v == v else "" for v in table["inwoners"]]
        shown["65+ (%, 2024)"] = [nl_format(v, 1) if v == v else "" for v in table["aandeel_65_oo"]]
        shown["Eenzaam (%, 18+, 2020)"] = [
            nl_format(v, 1) if v == v else (note or "geen schatting")
            for v, note in zip(table["eenzaam"], table["toelichting"], strict=True)
        ]
        shown["Ervaren gezondheid goed (%, 18+, 2020)"] = [
            nl_format(v, 1) if v == v else (note or "geen schatting")
            for v, note in zip(table["ervaren_gezondheid_goed"], table["toelichting"], strict=True)
        ]
        return shown

    def buurten_chart(self, indicator: str = "eenzaam") -> alt.Chart:
        """Ranked bars of the buurten on one column of :func:`buurten_table`."""
        labels = {
            "eenzaam": "Eenzaam (%, 18+, 2020, modelschatting)",
            "ervaren_gezondheid_goed": "Ervaren gezondheid goed (%, 18+, 2020, modelschatting)",
            "aandeel_65_oo": "65 jaar of ouder (%, 2024)",
            "inwoners": "Inwoners (2024)",
        }
        if indicator not in labels:
            msg = f"indicator {indicator!r} is not a buurt column; choose from {', '.join(labels)}"
            raise ParameterError(msg)
        table = buurten_table(self.code).reset_index()
        plot = table.dropna(subset=[indicator])
        if plot.empty and indicator != "inwoners":
            indicator = "inwoners"
            plot = table.dropna(subset=[indicator])
        title = f"De buurten van {self.name}: {labels[indicator]}"
        return (
            alt.Chart(
                plot,
                title={"text": title, "subtitle": ESTIMATE_NOTE}
                if indicator in ("eenzaam", "ervaren_gezondheid_goed")
                else title,
            )
            .mark_bar(color=PALETTE[0])
            .encode(
                x=alt.X(f"{indicator}:Q", title=labels[indicator]),
                y=alt.Y("buurt:N", sort="-x", title=None),
                tooltip=[
                    alt.Tooltip("buurt:N", title="Buurt"),
                    alt.Tooltip("code:N", title="Code"),
                    alt.Tooltip(f"{indicator}:Q", title=labels[indicator], format=",.1f"),
                    alt.Tooltip("inwoners:Q", title="Inwoners", format=",.0f"),
                ],
            )
            .properties(width=420, height=max(60, 18 * len(plot)))
        )

    def sources(self) -> Markdown:
        """The sources and comparison rules, for the end of the report."""
        return Markdown(
            "### Bronnen en werkwijze\n\n"
            "* Bevolking en leeftijd: CBS, Kerncijfers wijken en buurten 2024 (CC BY 4.0). CBS "
            "rondt aantallen per wijk en buurt af op vijftallen.\n"
            "* Gezondheid en welzijn: RIVM, *Gezondheid per wijk en buurt* (50090NED), op basis "
            "van de Gezondheidsmonitor Volwassenen en Ouderen van GGD'en, CBS en RIVM, peiljaren "
            f"2012, 2016 en 2020. {ESTIMATE_NOTE} Het RIVM publiceert geen marges bij deze "
            "bestanden en veranderde het model tussen de rondes: kleine verschillen zijn geen "
            "verandering.\n"
            "* De RIVM-cijfers volgen de indeling van 2020. Een wijk of buurt waarvan de code na "
            f"2020 veranderde, krijgt *{REGROUPED}*; cijfers worden nooit overgezet naar een "
            "nieuwe indeling.\n"
            "* *Provincie* bij de gezondheidscijfers: gemiddelde van de gemeenten, gewogen naar "
            "inwoners (2024). *Nederland*: het landelijke cijfer van het RIVM.\n"
            "* Er zijn geen buurtgrenzen beschikbaar: buurten staan in een gerangschikte grafiek."
        )


def wijkprofiel(wijk: str = "WK034401", jaar: int = KWB_YEAR) -> WijkProfiel:
    """Build the profile of one wijk.

    Parameters
    ----------
    wijk : str
        CBS wijk code of indeling 2024, e.g. ``"WK034401"`` (Utrecht, West).
    jaar : int
        Year of the population figures (KWB); only 2024 is shipped for every wijk.

    Returns
    -------
    WijkProfiel

    Raises
    ------
    AreaCodeError
        When ``wijk`` is not a wijk code of indeling 2024.

    Examples
    --------
    >>> wijkprofiel("WK034401").gemeente_name
    'Utrecht'
    """
    return WijkProfiel(str(wijk), int(jaar))
