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
* the Leefbaarometer 3.0 (BZK): the score 2002–2022 and its five dimensions 2014–2022
  against the gemeente, the provincie and NL (:mod:`doeagenda.reports.leefbaarometer`);
  a wijk whose code is new since 2022 has none and says so;
* its place on the provincie-wide wijk index (:func:`doeagenda.index.wijk_position`);
* its buurten as a ranked chart (no buurt boundaries are shipped).

The numbers are in :mod:`~doeagenda.reports.wijkprofiel_data`, the charts in
:mod:`~doeagenda.reports.wijkprofiel_charts`; every name stays importable from here.
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
from doeagenda.charts import nl_format
from doeagenda.errors import ParameterError
from doeagenda.reports import wijkprofiel_data
from doeagenda.reports.leefbaarometer import WIJK_IDS, lbm_chart, lbm_note, lbm_table
from doeagenda.reports.wijkprofiel_charts import WijkProfielCharts
from doeagenda.reports.wijkprofiel_data import *  # noqa: F403 - re-exported as it is
from doeagenda.reports.wijkprofiel_data import (
    AGE_GROUPS,
    ESTIMATE_NOTE,
    KWB_YEAR,
    REGROUPED,
    RIVM_YEARS,
    _check_wijk,
    buurten_table,
    has_health_figures,
    health_comparison,
    wijk_age_structure,
)

__all__ = ["WijkProfiel", "wijkprofiel"]
__all__ += wijkprofiel_data.__all__

logger = logging.getLogger(__name__)


@dataclass
class WijkProfiel(WijkProfielCharts):
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
                f"jaar {self.year} is er niet voor wijken; het wijkprofiel gebruikt KWB {KWB_YEAR}"
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

    # --- Leefbaarometer -------------------------------------------------------------------

    def leefbaarometer_note(self) -> Markdown:
        """What the Leefbaarometer figures are, or why this wijk has none."""
        return lbm_note(self.code)

    def leefbaarometer(self) -> pd.DataFrame:
        """Score 2002–2022 and five dimensions 2014–2022: wijk, gemeente, provincie, NL."""
        return lbm_table(self.code, WIJK_IDS)

    def leefbaarometer_chart(self) -> alt.FacetChart:
        """The Leefbaarometer figures as lines per year, one panel per part."""
        return lbm_chart(self.code, WIJK_IDS)

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
            "* Leefbaarometer 3.0, ministerie van BZK: modelschattingen per wijk (indeling 2022, "
            "op code gekoppeld aan 2024; een wijk met een nieuwe code heeft geen cijfer). "
            "Gemeente, provincie en Nederland: gemiddelde van hun wijken, gewogen naar inwoners "
            "(1 januari 2024).\n"
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
