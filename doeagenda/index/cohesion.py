"""Sociale samenhang over time (Leefbaarometer 3.0, 2014–2022): a gemeente and its wijken.

The samenlevingskracht dimension of the Buurzaamheidsindex rests on the Leefbaarometer's
*sociale samenhang*. :func:`cohesion_trend` shows it for 2014, 2018, 2020 and 2022 (the
years the Leefbaarometer publishes its dimensions) for one gemeente, each of its wijken,
its provincie and the Netherlands. It works for every gemeente of the country: the
Leefbaarometer covers every wijk (matched to 2024 codes; see :mod:`doeagenda.data.lbm`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from doeagenda import data
from doeagenda.charts import HIGHLIGHT, MUTED, PALETTE
from doeagenda.data import lbm
from doeagenda.results import NotApplicable, ResultMixin, nl_table

if TYPE_CHECKING:  # type names only; these load lazily at run time
    import altair as alt
    from IPython.display import Markdown
    from pandas.io.formats.style import Styler

__all__ = ["COHESION", "CohesionTrend", "cohesion_trend"]

logger = logging.getLogger(__name__)

COHESION = "lbm_sociale_samenhang"
KINDS = ("wijk", "gemeente", "provincie", "nederland")


@dataclass
class CohesionTrend(ResultMixin):
    """Sociale samenhang 2014–2022 of a gemeente, its wijken, its provincie and NL.

    Attributes
    ----------
    table : DataFrame
        Long: ``code, naam, soort`` (wijk, gemeente, provincie, nederland), ``jaar``,
        ``waarde`` (the Leefbaarometer contribution, a deviation from the national average).
    gemeente, gemeente_name, provincie : str
    missing : Series
        Wijk code -> why it has no figures (its code is new since 2022).
    changed : list of str
        Wijk codes whose boundary CBS flags as changed in 2024 (same code).
    """

    table: pd.DataFrame
    gemeente: str
    gemeente_name: str
    provincie: str
    missing: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))
    changed: list[str] = field(default_factory=list)

    def _repr_markdown_(self) -> str:
        return str(self.text().data)

    def to_frame(self) -> pd.DataFrame:
        """Return the long table (all areas, all years)."""
        return self.table.copy()

    def summary(self) -> pd.DataFrame:
        """Return one row per area, one column per year and the change 2014–2022.

        Returns
        -------
        DataFrame
            Index ``(soort, naam)``; columns the years and ``verandering`` (last year minus
            first year with a value). The gemeente, provincie and Nederland come first,
            then the wijken from high to low in the last year.
        """
        wide = self.table.pivot_table(
            index=["soort", "naam"], columns="jaar", values="waarde", aggfunc="first"
        )
        wide.columns = [int(c) for c in wide.columns]
        years = sorted(wide.columns)
        first = wide[years].bfill(axis=1).iloc[:, 0]
        last = wide[years].ffill(axis=1).iloc[:, -1]
        wide["verandering"] = last - first
        order = {kind: i for i, kind in enumerate(("gemeente", "provincie", "nederland", "wijk"))}
        wide = wide.reset_index()
        wide["_order"] = wide["soort"].map(order)
        wide["_last"] = -last.to_numpy()
        wide = wide.sort_values(["_order", "_last"]).drop(columns=["_order", "_last"])
        return wide.set_index(["soort", "naam"])

    def view(self) -> Styler:
        """The summary for Dutch readers (three decimals: the values are small deviations)."""
        return nl_table(self.summary(), decimals=3)

    def chart(self) -> alt.TopLevelMixin:
        """Lines per year: the wijken thin, the gemeente in colour, provincie and NL for scale."""
        import altair as alt

        frame = self.table.dropna(subset=["waarde"]).copy()
        frame["jaar"] = frame["jaar"].astype(str)
        frame["lijn"] = np.where(frame["soort"] == "wijk", "wijken", frame["naam"])
        named = [n for n in frame["lijn"].unique() if n != "wijken"]
        domain = [*named, "wijken"]
        colours = [*[HIGHLIGHT, PALETTE[0], "#000000"][: len(named)], MUTED]
        x = alt.X("jaar:O", title="Jaar (Leefbaarometer)")
        y = alt.Y("waarde:Q", title="Sociale samenhang (t.o.v. landelijk gemiddelde)")
        colour = alt.Color("lijn:N", title=None, scale=alt.Scale(domain=domain, range=colours))
        tooltip = [
            alt.Tooltip("naam:N", title="Gebied"),
            alt.Tooltip("jaar:O", title="Jaar"),
            alt.Tooltip("waarde:Q", title="Sociale samenhang", format=".3f"),
        ]
        base = alt.Chart()
        wijken = (
            base.transform_filter(alt.datum.soort == "wijk")
            .mark_line(strokeWidth=1, opacity=0.6)
            .encode(x=x, y=y, detail="code:N", color=colour, tooltip=tooltip)
        )
        areas = (
            base.transform_filter(alt.datum.soort != "wijk")
            .mark_line(point=True, strokeWidth=3)
            .encode(x=x, y=y, color=colour, tooltip=tooltip)
        )
        return alt.layer(wijken, areas, data=frame).properties(
            title=alt.Title(
                f"Sociale samenhang {lbm.DIMENSION_YEARS[0]}–{lbm.DIMENSION_YEARS[-1]}: "
                f"{self.gemeente_name} en haar wijken",
                subtitle="Leefbaarometer 3.0 (BZK): modelschatting, afwijking van het "
                "landelijk gemiddelde; hoger is meer samenhang.",
            ),
            width=420,
            height=300,
        )

    def text(self) -> Markdown:
        """Dutch text: what the figures are, and the caveat on small changes."""
        from IPython.display import Markdown  # IPython: only when shown in a notebook

        years = ", ".join(str(y) for y in lbm.DIMENSION_YEARS)
        n_wijken = self.table.loc[self.table["soort"] == "wijk", "code"].nunique()
        lines = [
            f"De **sociale samenhang** van de Leefbaarometer 3.0 (ministerie van BZK) in {years}: "
            f"gemeente {self.gemeente_name}, haar {n_wijken} wijken met cijfers, provincie "
            f"{self.provincie} en Nederland. Het is de hoofdmaat van samenlevingskracht in de "
            "Buurzaamheidsindex. De waarde is de bijdrage van sociale samenhang aan de "
            "leefbaarheidsscore, als afwijking van het landelijk gemiddelde: boven 0 is meer "
            "samenhang dan gemiddeld. Gemeente, provincie en Nederland zijn gemiddelden van hun "
            "wijken, gewogen naar inwoners (1 januari 2024).",
            "**Een verandering die kleiner is dan de onzekerheid is geen verandering.** Dit zijn "
            "modelschattingen uit kenmerken van de omgeving, geen metingen per jaar, en de "
            "Leefbaarometer levert geen marges mee. Lees alleen een duidelijke verschuiving die "
            "over meerdere metingen dezelfde kant op gaat als een verandering, en zeker geen "
            "verschil in de derde decimaal.",
        ]
        if len(self.missing):
            lines.append(
                "Zonder Leefbaarometer-cijfers (wijkcode na 2022 gewijzigd): "
                + "; ".join(f"{name} ({code})" for code, name in self.missing.items())
                + "."
            )
        if self.changed:
            lines.append(
                f"Bij {len(self.changed)} wijk(en) meldt het CBS dat de grens in 2024 is "
                "gewijzigd (zelfde wijkcode): hun cijfers horen bij de wijk zoals die in 2022 was."
            )
        return Markdown("\n\n".join(lines))


def cohesion_trend(gemeente: str) -> CohesionTrend | NotApplicable:
    """Return sociale samenhang 2014–2022 of a gemeente, its wijken, provincie and NL.

    Parameters
    ----------
    gemeente : str
        GM code of indeling 2024 (any gemeente of the country).

    Returns
    -------
    CohesionTrend or NotApplicable
        NotApplicable (one Dutch sentence) when neither the gemeente nor any of its wijken
        has a Leefbaarometer figure (all its wijk codes changed after 2022).

    Raises
    ------
    AreaCodeError
        When the code is not a gemeente of indeling 2024.
    """
    row = data.area(gemeente)
    name = str(row["name"])
    provincie = str(row["provincie"])
    comparison = data.leefbaarometer(gemeente)
    comparison = comparison[comparison["indicator"] == COHESION]
    labels = {
        "gemeente": (gemeente, name),
        "provincie": (provincie, f"Provincie {provincie}"),
        "nederland": ("NL00", "Nederland"),
    }
    parts = [
        pd.DataFrame(
            {
                "code": code,
                "naam": label,
                "soort": kind,
                "jaar": comparison["jaar"].to_numpy(),
                "waarde": comparison[kind].to_numpy(),
            }
        )
        for kind, (code, label) in labels.items()
    ]
    coverage = data.lbm_coverage("wijk", provincie=provincie)
    own = coverage[coverage["gemeente_code"] == gemeente].set_index("code")
    matched = list(own.index[own["has_lbm"]])
    if matched:
        long = data.indicators("wijk", codes=matched)
        long = long[long["indicator"] == COHESION]
        parts.append(
            pd.DataFrame(
                {
                    "code": long["code"].to_numpy(),
                    "naam": long["code"].map(own["name"]).to_numpy(),
                    "soort": "wijk",
                    "jaar": long["year"].to_numpy(),
                    "waarde": long["value"].to_numpy(),
                }
            )
        )
    table = pd.concat(parts, ignore_index=True)
    table = table[table["jaar"].isin(lbm.DIMENSION_YEARS)].reset_index(drop=True)
    has_own = table.loc[table["soort"].isin(["gemeente", "wijk"]), "waarde"].notna().any()
    if not has_own:
        return NotApplicable(
            f"Geen sociale samenhang voor {name}: geen van haar wijkcodes staat in de "
            "Leefbaarometer (indeling 2022; de wijken zijn daarna opnieuw gecodeerd), dus er "
            "is ook geen gemeentecijfer."
        )
    missing = own.loc[~own["has_lbm"], "name"]
    changed = list(own.index[own["boundary_changed"]])
    return CohesionTrend(table, gemeente, name, provincie, missing, changed)
