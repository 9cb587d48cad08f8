"""Charts of a composite index (altair, the doeagenda theme; Dutch titles and labels)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import altair as alt
import numpy as np
import pandas as pd

from doeagenda import data
from doeagenda.charts import (
    HIGHLIGHT,
    MUTED,
    PALETTE,
    SEQUENTIAL,
    geo_data,
    rank_bounds_tooltip,
    rank_interval,
)
from doeagenda.errors import DataError
from doeagenda.index.labels import FACTOR_LABELS, NO_DATA

if TYPE_CHECKING:  # type names only: the result modules import this one, never the reverse
    from doeagenda.index.build import IndexResult
    from doeagenda.index.uncertainty import SensitivityResult, UncertaintyResult

__all__ = [
    "contributions_chart",
    "map_chart",
    "profile_chart",
    "ranking_chart",
    "sensitivity_chart",
    "uncertainty_chart",
    "validity_chart",
]


def _colour(highlight: str | None) -> alt.Color | alt.Value:
    if highlight is None:
        return alt.value(PALETTE[0])
    return alt.condition(alt.datum.code == highlight, alt.value(HIGHLIGHT), alt.value(MUTED))


def _sorted_bars(
    table: pd.DataFrame,
    title: str,
    x: alt.X,
    y: str,
    color: Any,
    tooltip: list[alt.Tooltip],
    height: int,
) -> alt.Chart:
    """Horizontal bars named by ``y``, the largest on top."""
    return (
        alt.Chart(table, title=title)
        .mark_bar()
        .encode(x=x, y=alt.Y(f"{y}:N", sort="-x", title=None), color=color, tooltip=tooltip)
        .properties(height=height)
    )


def _score_shapes(
    base: alt.Chart, fill: alt.Color, stroke_width: float, tooltip: list[alt.Tooltip]
) -> alt.Chart:
    """The areas of a map filled by their score; areas without one (no data) in MUTED."""
    return base.mark_geoshape(stroke="white", strokeWidth=stroke_width).encode(
        color=alt.condition("isValid(datum.score)", fill, alt.value(MUTED)), tooltip=tooltip
    )


def ranking_chart(
    result: IndexResult,
    highlight: str | None = None,
    among: list[str] | None = None,
    node: str | None = None,
) -> alt.TopLevelMixin:
    """Horizontal bar chart of the scores of one node (default the index), best on top.

    Parameters
    ----------
    result : IndexResult
    highlight : str, optional
        Unit code drawn in the highlight colour.
    among : list of str, optional
        Only these units (e.g. the gemeenten of a provincie).
    node : str, optional
        Node to rank (default the root).
    """
    fw = result.framework
    node = node or fw.root
    scores = result.scores[node]
    if among is not None:
        scores = scores.reindex([u for u in among if u in scores.index])
    frame = pd.DataFrame(
        {
            "code": scores.index,
            "naam": result.names_of(scores.index),
            "score": scores.values,
        }
    ).dropna(subset=["score"])
    frame["rang"] = frame["score"].rank(ascending=False, method="min").astype(int)
    tooltip = [
        alt.Tooltip("naam:N", title="Naam"),
        alt.Tooltip("code:N", title="Code"),
        alt.Tooltip("score:Q", title="Score", format=".1f"),
        alt.Tooltip("rang:Q", title="Rang"),
    ]
    x = alt.X("score:Q", title="Score")
    height = max(120, min(16 * len(frame), 2400))
    return _sorted_bars(
        frame, f"{fw.label(node)}: rangorde", x, "naam", _colour(highlight), tooltip, height
    )


def map_chart(
    result: IndexResult,
    provincie: str | None = "Utrecht",
    node: str | None = None,
    highlight: str | None = None,
) -> alt.TopLevelMixin:
    """Choropleth map of a node's scores over the gemeenten of a provincie.

    Uses :func:`doeagenda.data.boundaries`; units without a score are grey
    ("geen gegevens").
    """
    fw = result.framework
    node = node or fw.root
    level = fw.level or "gemeente"
    try:
        geo = data.boundaries(level=level, provincie=provincie)
    except Exception as error:  # boundaries exist for gemeenten only
        if level == "gemeente":
            raise
        msg = f"geen grenzen voor niveau {level!r} ({error}); de kaart is er voor gemeenten"
        raise DataError(msg) from None
    scores = result.scores[node]
    lookup = pd.DataFrame(
        {
            "code": scores.index,
            "score": scores.values,
            "rang": result.ranks[node].reindex(scores.index).values,
        }
    )
    features = geo["features"]
    # only the rows the map shows: altair validates the lookup table on every chained
    # call, and a national index has 342 rows for a provincie map of 26 gemeenten
    lookup = lookup[lookup["code"].isin([f["properties"]["code"] for f in features])]
    base = (
        alt.Chart(geo_data(features))
        .transform_calculate(code="datum.properties.code", naam="datum.properties.name")
        .transform_lookup(
            lookup="code", from_=alt.LookupData(data=lookup, key="code", fields=["score", "rang"])
        )
    )
    title = f"{fw.label(node)}" + (f" in provincie {provincie}" if provincie else "")
    fill = alt.Color(
        "score:Q",
        title="Score",
        scale=alt.Scale(scheme=SEQUENTIAL),
        legend=alt.Legend(orient="right"),
    )
    tooltip = [
        alt.Tooltip("naam:N", title="Gemeente"),
        alt.Tooltip("score:Q", title="Score", format=".1f"),
        alt.Tooltip("rang:Q", title="Rang (alle eenheden)"),
    ]
    layer = _score_shapes(base, fill, 0.5, tooltip)
    layers = [layer]
    if highlight is not None:
        layers.append(
            base.transform_filter(alt.datum.code == highlight).mark_geoshape(
                fillOpacity=0, stroke=HIGHLIGHT, strokeWidth=2.5
            )
        )
    return (
        alt.layer(*layers).project(type="mercator").properties(title=title, width=480, height=420)
    )


def profile_chart(result: IndexResult, unit: str) -> alt.TopLevelMixin:
    """Profile of one unit over the dimensions, with the median of all units as reference.

    Dimensions without data are listed with the text "geen gegevens" rather than left
    out. (This is a bar profile of the index dimensions; the spider web of Positieve
    Gezondheid is a conversation tool, not a measurement.)
    """
    fw = result.framework
    if unit not in result.scores.index:
        msg = f"eenheid {unit!r} staat niet in de index"
        raise DataError(msg)
    rows = []
    for dim in fw.dimensions:
        value = float(result.scores.at[unit, dim])
        median = (
            float(np.nanmedian(result.scores[dim])) if result.scores[dim].notna().any() else np.nan
        )
        rows.append(
            {
                "dimensie": fw.label(dim),
                "score": value if not np.isnan(value) else None,
                "mediaan": median if not np.isnan(median) else None,
                "tekst": "" if not np.isnan(value) else NO_DATA,
            }
        )
    frame = pd.DataFrame(rows)
    order = frame["dimensie"].tolist()
    y = alt.Y("dimensie:N", sort=order, title=None)
    base = alt.Chart(frame)
    bars = base.mark_bar(color=PALETTE[0]).encode(
        x=alt.X("score:Q", title="Score"),
        y=y,
        tooltip=[
            alt.Tooltip("dimensie:N", title="Dimensie"),
            alt.Tooltip("score:Q", title="Score", format=".1f"),
            alt.Tooltip("mediaan:Q", title="Mediaan alle eenheden", format=".1f"),
        ],
    )
    ticks = base.mark_tick(color=HIGHLIGHT, thickness=3, size=18).encode(x="mediaan:Q", y=y)
    text = base.mark_text(align="left", dx=4, color="#666666", fontStyle="italic").encode(
        x=alt.value(0), y=y, text="tekst:N"
    )
    return alt.layer(bars, ticks, text).properties(
        title=alt.Title(
            f"Profiel van {result.name(unit)}",
            subtitle="Balk: score; streep: mediaan van alle eenheden",
        ),
        height=max(120, 32 * len(frame)),
    )


def contributions_chart(result: IndexResult, unit: str) -> alt.TopLevelMixin:
    """Bar chart of how much each indicator adds to one unit's index score."""
    table = result.contributions(unit).dropna(subset=["contribution"])
    tooltip = [
        alt.Tooltip("label:N", title="Indicator"),
        alt.Tooltip("dimension:N", title="Dimensie"),
        alt.Tooltip("value:Q", title="Genormaliseerde waarde", format=".1f"),
        alt.Tooltip("effective_weight:Q", title="Effectief gewicht", format=".3f"),
        alt.Tooltip("contribution:Q", title="Bijdrage", format=".2f"),
    ]
    title = f"Bijdrage per indicator: {result.name(unit)}"
    x = alt.X("contribution:Q", title="Bijdrage aan de indexscore")
    colour = alt.Color("dimension:N", title="Dimensie")
    return _sorted_bars(table, title, x, "label", colour, tooltip, max(120, 18 * len(table)))


def uncertainty_chart(
    unc: UncertaintyResult, highlight: str | None = None, units: list[str] | None = None
) -> alt.TopLevelMixin:
    """Median rank with the 5-95% rank interval per unit (from the Monte Carlo runs)."""
    table = unc.table.reset_index()
    if units is not None:
        table = table[table["code"].isin(list(units))]
    table = table.dropna(subset=["median_rank"])
    order = table.sort_values(["median_rank", "nominal_rank"])["name"].tolist()
    y = alt.Y("name:N", sort=order, title=None)
    base = alt.Chart(table)
    tooltip = [
        alt.Tooltip("name:N", title="Naam"),
        alt.Tooltip("nominal_rank:Q", title="Rang (index)"),
        alt.Tooltip("median_rank:Q", title="Mediane rang"),
    ]
    fields = ("median_rank", "rank_p05", "rank_p95")
    rule, point = rank_interval(base, y, _colour(highlight), fields, "Rang (1 = best)", tooltip)
    nominal = base.mark_tick(color="#333333", thickness=2, size=12).encode(x="nominal_rank:Q", y=y)
    n_runs = unc.ranks.shape[0]
    return alt.layer(rule, point, nominal).properties(
        title=alt.Title(
            "Hoe zeker is de rang?",
            subtitle=f"Punt: mediane rang; lijn: 90%-interval over {n_runs} varianten; "
            "streepje: rang in de index",
        ),
        height=max(120, 16 * len(table)),
    )


def sensitivity_chart(sens: SensitivityResult) -> alt.TopLevelMixin:
    """Bar chart of first-order and total-order Sobol indices per factor."""
    table = sens.table.reset_index()
    long = pd.concat(
        [
            pd.DataFrame(
                {"factor": table["factor"], "soort": "Eerste orde (S1)", "index": table["S1"]}
            ),
            pd.DataFrame(
                {"factor": table["factor"], "soort": "Totale orde (ST)", "index": table["ST"]}
            ),
        ]
    )
    long["label"] = [FACTOR_LABELS.get(f, f) for f in long["factor"]]
    return (
        alt.Chart(long, title="Welke keuzes bepalen de onzekerheid in de rangen?")
        .mark_bar()
        .encode(
            x=alt.X("index:Q", title="Sobol-index", scale=alt.Scale(domain=[0, 1], clamp=True)),
            y=alt.Y("label:N", title=None),
            yOffset="soort:N",
            color=alt.Color("soort:N", title=None),
            tooltip=[
                alt.Tooltip("label:N", title="Keuze"),
                alt.Tooltip("soort:N", title="Soort"),
                alt.Tooltip("index:Q", title="Index", format=".2f"),
            ],
        )
    )


def trend_chart(frame: pd.DataFrame, highlight: list[str] | None = None) -> alt.TopLevelMixin:
    """Rank per survey year with its 5-95% interval; highlighted units in colour, others grey.

    Parameters
    ----------
    frame : DataFrame
        Output of :func:`doeagenda.index.index_trend`.
    highlight : list of str, optional
        Unit codes drawn in colour.
    """
    highlight = list(highlight or [])
    names = frame.attrs.get("names", {})
    table = frame.dropna(subset=["rank"]).copy()
    table["naam"] = table["code"].map(names).fillna(table["code"])
    table["jaar"] = table["year"].astype(str)
    table["gekozen"] = table["code"].isin(highlight)
    # The data goes on the layer, not on each part: altair validates a chart on every
    # chained call, so parts without data stay cheap (a wijk trend has 570 rows).
    table = table[["code", "naam", "jaar", "score", "rank", "rank_low", "rank_high", "gekozen"]]
    base = alt.Chart()
    x = alt.X("jaar:O", title="Jaar (ronde Gezondheidsmonitor)")
    y = alt.Y("rank:Q", title="Rang (1 = best)", scale=alt.Scale(reverse=True, zero=False))
    others = base.transform_filter(~alt.datum.gekozen).mark_line(color=MUTED, opacity=0.4)
    lines = others.encode(x=x, y=y, detail="code:N")
    chosen = base.transform_filter(alt.datum.gekozen)
    colour = alt.Color("naam:N", title=None, scale=alt.Scale(range=[HIGHLIGHT, *PALETTE]))
    band = chosen.mark_rule(strokeWidth=3, opacity=0.5).encode(
        x=x, y="rank_low:Q", y2="rank_high:Q", color=colour
    )
    line = chosen.mark_line(point=True).encode(
        x=x,
        y=y,
        color=colour,
        tooltip=[
            alt.Tooltip("naam:N", title="Naam"),
            alt.Tooltip("jaar:O", title="Jaar"),
            alt.Tooltip("score:Q", title="Score", format=".1f"),
            alt.Tooltip("rank:Q", title="Rang"),
            *rank_bounds_tooltip("rank_low", "rank_high"),
        ],
    )
    return alt.layer(lines, band, line, data=table).properties(
        title=alt.Title(
            "Rang door de jaren",
            subtitle="Lijn: rang in de index; balk: 90%-interval over de varianten. "
            "Modelschattingen (RIVM).",
        ),
        width=360,
        height=300,
    )


def area_rank_chart(table: pd.DataFrame, title: str) -> alt.TopLevelMixin:
    """Rank with its 5-95% interval per area (wijk or buurt), best on top.

    Parameters
    ----------
    table : DataFrame
        Columns ``naam, rank, rank_low, rank_high, score`` (index = code).
    title : str
    """
    table = table.reset_index().dropna(subset=["rank"])
    order = table.sort_values("rank")["naam"].tolist()
    y = alt.Y("naam:N", sort=order, title=None)
    base = alt.Chart(table)
    rule = base.mark_rule(strokeWidth=2, color=PALETTE[0]).encode(
        x=alt.X("rank_low:Q", title="Rang in de provincie (1 = best)", scale=alt.Scale(zero=False)),
        x2="rank_high:Q",
        y=y,
    )
    point = base.mark_point(size=50, filled=True, color=HIGHLIGHT).encode(
        x="rank:Q",
        y=y,
        tooltip=[
            alt.Tooltip("naam:N", title="Naam"),
            alt.Tooltip("score:Q", title="Score", format=".1f"),
            alt.Tooltip("rank:Q", title="Rang"),
            *rank_bounds_tooltip("rank_low", "rank_high"),
        ],
    )
    return alt.layer(rule, point).properties(
        title=alt.Title(title, subtitle="Punt: rang in de index; lijn: 90%-interval"),
        height=max(120, 16 * len(table)),
    )


def area_map_chart(
    table: pd.DataFrame, geo: dict[str, Any], gemeente: str, gemeente_name: str
) -> alt.TopLevelMixin:
    """Map of one gemeente's wijken coloured by their score on the provincie-wide wijk index.

    Parameters
    ----------
    table : DataFrame
        Index code; columns ``score, rank, rank_low, rank_high`` (e.g.
        :meth:`doeagenda.index.AreaIndex.ranks`). Wijken not in it are grey
        (*geen gegevens*).
    geo : dict
        GeoJSON of :func:`doeagenda.data.boundaries` (``level="wijk"``).
    gemeente, gemeente_name : str
    """
    features = [f for f in geo["features"] if f["properties"].get("gemeente_code") == gemeente]
    if not features:
        msg = f"geen wijkgrenzen voor gemeente {gemeente} in het meegeleverde grenzenbestand"
        raise DataError(msg)
    lookup = table.reset_index()[["code", "score", "rank", "rank_low", "rank_high"]]
    lookup = lookup[lookup["code"].isin([f["properties"]["code"] for f in features])]
    base = (
        alt.Chart(geo_data(features))
        .transform_calculate(code="datum.properties.code", naam="datum.properties.name")
        .transform_lookup(
            lookup="code",
            from_=alt.LookupData(
                data=lookup, key="code", fields=["score", "rank", "rank_low", "rank_high"]
            ),
        )
    )
    fill = alt.Color("score:Q", title="Score", scale=alt.Scale(scheme=SEQUENTIAL))
    tooltip = [
        alt.Tooltip("naam:N", title="Wijk"),
        alt.Tooltip("score:Q", title="Score", format=".1f"),
        alt.Tooltip("rank:Q", title="Rang in provincie"),
        *rank_bounds_tooltip("rank_low", "rank_high"),
    ]
    layer = _score_shapes(base, fill, 0.7, tooltip)
    return layer.project(type="mercator").properties(
        title=alt.Title(
            f"De wijken van {gemeente_name}",
            subtitle="Score op de wijkindex van de provincie; grijs: geen gegevens",
        ),
        width=480,
        height=420,
    )


_PLURAL = {"gemeente": "gemeenten", "wijk": "wijken"}


def validity_chart(points: pd.DataFrame, table: pd.DataFrame) -> alt.TopLevelMixin:
    """Index against the Leefbaarometer score: one panel per level, the report's areas in colour.

    Parameters
    ----------
    points : DataFrame
        :meth:`doeagenda.index.validity.ValidityResult.to_frame`.
    table : DataFrame
        Its summary (for the correlations in the panel titles).
    """
    panels = []
    for level in ("gemeente", "wijk"):
        at_level = points[points["level"] == level]
        if at_level.empty:
            continue
        sizes = at_level.groupby("gebied").size().sort_values(ascending=False)
        widest = str(sizes.index[0])
        frame = at_level[at_level["gebied"] == widest].copy()
        inner = set(at_level.loc[at_level["gebied"] != widest, "code"])
        smaller = [str(g) for g in sizes.index[1:]]
        frame["groep"] = np.where(
            frame["deze"],
            "deze " + level if level == "gemeente" else "wijken van de gemeente",
            np.where(frame["code"].isin(inner), smaller[0] if smaller else widest, "overige"),
        )
        rows = table[(table["level"] == level) & (table["gebied"] == widest)]
        main = rows.iloc[0] if len(rows) else None
        subtitle = (
            f"Spearman {main['spearman']:.2f} (zonder lbm_-indicatoren "
            f"{main['spearman_zonder_lbm']:.2f}), n = {main['n']}".replace(".", ",")
            if main is not None
            else ""
        )
        palette = {"overige": MUTED, **dict.fromkeys(smaller, PALETTE[0])}
        order = [g for g in ("overige", *smaller) if g in set(frame["groep"])]
        order += [g for g in frame["groep"].unique() if g not in order]
        colours = [palette.get(g, HIGHLIGHT) for g in order]
        frame["volgorde"] = frame["groep"].map({g: i for i, g in enumerate(order)})
        base = alt.Chart(frame.sort_values("volgorde")).encode(
            x=alt.X("index:Q", title="Buurzaamheidsindex (0-100)", scale=alt.Scale(zero=False)),
            y=alt.Y("lbm_score:Q", title="Leefbaarometer-score 2022", scale=alt.Scale(zero=False)),
        )
        dots = base.mark_circle(size=40, opacity=0.8).encode(
            color=alt.Color("groep:N", title=None, scale=alt.Scale(domain=order, range=colours)),
            order=alt.Order("volgorde:Q"),
            tooltip=[
                alt.Tooltip("naam:N", title="Naam"),
                alt.Tooltip("index:Q", title="Index", format=".1f"),
                alt.Tooltip("index_zonder_lbm:Q", title="Index zonder lbm_", format=".1f"),
                alt.Tooltip("lbm_score:Q", title="Leefbaarometer", format=".3f"),
            ],
        )
        labels = (
            base.transform_filter(alt.datum.deze)
            .mark_text(align="left", dx=6, fontSize=11, color=HIGHLIGHT)
            .encode(text="naam:N")
        )
        title = f"{_PLURAL[level].capitalize()} van {widest}"
        # one name is readable; the wijken of a gemeente overlap, they have tooltips
        layers = [dots, labels] if frame["deze"].sum() == 1 else [dots]
        panels.append(
            alt.layer(*layers).properties(
                title=alt.Title(title, subtitle=subtitle), width=340, height=300
            )
        )
    if not panels:
        msg = "geen punten om te tekenen: de vergelijking met de Leefbaarometer is leeg"
        raise DataError(msg)
    chart = (
        panels[0] if len(panels) == 1 else alt.hconcat(*panels).resolve_scale(color="independent")
    )
    return chart.properties(
        title=alt.Title(
            "Index en Leefbaarometer",
            subtitle="Elk punt is een gebied; modelschattingen (RIVM, Leefbaarometer), geen tellingen.",
        )
    )
