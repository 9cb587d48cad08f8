"""Wijkprofiel charts: the altair charts of :class:`~doeagenda.reports.wijkprofiel.WijkProfiel`.

Split out of :mod:`doeagenda.reports.wijkprofiel`; the methods live on a mixin so that
``WijkProfiel`` keeps them under the same names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import numpy as np
import pandas as pd

from doeagenda import data
from doeagenda.charts import HIGHLIGHT, MUTED, PALETTE, geo_data, rank_interval
from doeagenda.errors import ParameterError
from doeagenda.reports.profile_charts import _age_bars
from doeagenda.reports.wijkprofiel_data import (
    AGES,
    ESTIMATE_NOTE,
    HEALTH_INDICATORS,
    REGROUPED,
    RIVM_YEARS,
    _rivm_id,
    buurten_table,
    health_comparison,
    wijk_age_structure,
)

__all__ = ["WijkProfielCharts"]


class WijkProfielCharts:
    """The chart methods of :class:`~doeagenda.reports.wijkprofiel.WijkProfiel` (a mixin)."""

    # set by WijkProfiel (a dataclass); declared here for readers and type checkers
    code: str
    year: int
    name: str
    gemeente: str
    gemeente_name: str
    provincie: str

    if TYPE_CHECKING:

        def index_ranks(self) -> pd.DataFrame: ...

    def age_chart(self) -> alt.Chart:
        """Grouped bars: age shares of wijk, gemeente, provincie and Nederland."""
        table = wijk_age_structure(self.code, self.year).dropna(subset=["aandeel"])
        areas = len(dict.fromkeys(table["gebied"]))
        return _age_bars(
            table,
            f"Leeftijdsopbouw van {self.name} (1 januari {self.year})",
            [HIGHLIGHT, PALETTE[0], PALETTE[5], MUTED][-areas:],
        )

    def health_chart(
        self,
        indicators: tuple[str, ...] = ("eenzaam", "ervaren_gezondheid_goed"),
        leeftijd: str = "18plus",
    ) -> alt.FacetChart:
        """Lines 2012–2016–2020 per indicator: wijk, gemeente, provincie and Nederland."""
        unknown = [name for name in indicators if name not in HEALTH_INDICATORS]
        if unknown:
            msg = f"onbekende gezondheidsindicator(en) {unknown}; kies uit {', '.join(HEALTH_INDICATORS)}"
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
        base = geo_data(features)
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
            geo_data([f for f in features if f["properties"]["code"] == self.code])
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
        tooltip = [
            alt.Tooltip("naam:N", title="Wijk"),
            alt.Tooltip("score:Q", title="Score", format=".1f"),
            alt.Tooltip("rank:Q", title="Rang"),
        ]
        fields = ("rank", "rank_low", "rank_high")
        title = "Rang in de provincie (1 = best)"
        rule, point = rank_interval(base, y, colour, fields, title, tooltip, size=60)
        return alt.layer(rule, point).properties(
            width=420,
            height=max(120, 18 * len(table)),
            title={
                "text": f"De wijken van {self.gemeente_name} op de Buurzaamheidsindex",
                "subtitle": "Punt: rang onder alle wijken van de provincie; lijn: 90%-interval. "
                + ESTIMATE_NOTE,
            },
        )

    def buurten_chart(self, indicator: str = "eenzaam") -> alt.Chart:
        """Ranked bars of the buurten on one column of :func:`buurten_table`."""
        labels = {
            "eenzaam": "Eenzaam (%, 18+, 2020, modelschatting)",
            "ervaren_gezondheid_goed": "Ervaren gezondheid goed (%, 18+, 2020, modelschatting)",
            "aandeel_65_oo": "65 jaar of ouder (%, 2024)",
            "inwoners": "Inwoners (2024)",
        }
        if indicator not in labels:
            msg = f"indicator {indicator!r} is geen buurtkolom; kies uit {', '.join(labels)}"
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
