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

import altair as alt
import pandas as pd
from IPython.display import Markdown

from doeagenda import data
from doeagenda.charts import nl_format
from doeagenda.errors import AreaCodeError, ParameterError
from doeagenda.iorw import write_csv
from doeagenda.reports.leefbaarometer import GEMEENTE_IDS, lbm_chart, lbm_note, lbm_table
from doeagenda.reports.profile_charts import (
    age_chart,
    distribution_chart,
    health_chart,
    health_trend_chart,
    province_map,
)
from doeagenda.reports.profile_figures import (
    _COUNT_UNITS,
    AGE_GROUPS,
    CARE,
    HOUSEHOLDS,
    INCOME,
    KEY_FIGURES,
    SERVICES,
    WIJK_COLUMNS,
    age_structure,
    compare,
    wijk_table,
)
from doeagenda.reports.profile_health import (
    HEALTH,
    HEALTH_AGES,
    HEALTH_NOTE,
    HEALTH_TREND,
    HEALTH_WEIGHTS,
    health_figures,
    health_trend,
)

# The figures, the health section and the charts live in their own modules; every name
# stays importable from here.
__all__ = [
    "AGE_GROUPS",
    "CARE",
    "HEALTH",
    "HEALTH_AGES",
    "HEALTH_NOTE",
    "HEALTH_TREND",
    "HEALTH_WEIGHTS",
    "HOUSEHOLDS",
    "INCOME",
    "KEY_FIGURES",
    "SERVICES",
    "WIJK_COLUMNS",
    "GemeenteProfiel",
    "age_chart",
    "age_structure",
    "compare",
    "distribution_chart",
    "gemeenteprofiel",
    "health_chart",
    "health_figures",
    "health_trend",
    "health_trend_chart",
    "province_map",
    "wijk_table",
]

logger = logging.getLogger(__name__)


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
            msg = (
                f"{self.code!r} is een {row['level']}, geen gemeente; geef een GM-code zoals GM0344"
            )
            raise AreaCodeError(msg)
        years = data.indicators("gemeente", codes=[self.code]).query("indicator == 'a_inw'")["year"]
        if self.year not in set(years):
            msg = f"jaar {self.year} heeft geen bevolkingscijfers voor {self.code}; kies uit {sorted(set(years))}"
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

    def leefbaarometer_note(self) -> Markdown:
        """What the Leefbaarometer figures are (or why the gemeente has none)."""
        return lbm_note(self.code)

    def leefbaarometer(self) -> pd.DataFrame:
        """Leefbaarometer score 2002–2022 and sociale samenhang 2014–2022: gemeente,
        provincie and Nederland (Dutch numbers; *geen gegevens* where there is no figure)."""
        return lbm_table(self.code, GEMEENTE_IDS)

    def leefbaarometer_chart(self) -> alt.FacetChart:
        """Leefbaarometer score and sociale samenhang over the years, against provincie and NL."""
        return lbm_chart(self.code, GEMEENTE_IDS)

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
            "naar inwoners gewogen gemiddelde van haar gemeenten.\n"
            "* Leefbaarometer 3.0, ministerie van BZK (wijken, indeling 2022, op code gekoppeld "
            "aan 2024): modelschattingen. Gemeente, provincie en Nederland zijn gemiddelden van "
            "hun wijken, gewogen naar inwoners (1 januari 2024), alleen als de wijken met een "
            "score minstens 90% van de inwoners hebben."
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
            "leefbaarometer": data.leefbaarometer(self.code).drop(columns="omschrijving"),
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
