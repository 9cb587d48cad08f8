"""One altair theme for every chart of the workbench, and offline rendering.

Importing :mod:`doeagenda` arranges that the ``doeagenda`` theme is registered and enabled
as soon as altair is imported (by the package or by the user in the same session), so every
chart looks the same. altair itself is not imported by :mod:`doeagenda` (it costs about a
second), only by the modules that draw charts.

Rendering: in JupyterLab charts use altair's default (interactive) renderer. In batch
reports the environment variable ``DOEAGENDA_RENDERER`` is set (by the report runner)
to ``svg``: charts are then rendered to inline SVG by vl-convert inside the kernel, so
the exported HTML has no ``<script>`` that loads vega from a CDN and opens offline.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd

__all__ = [
    "HIGHLIGHT",
    "MUTED",
    "PALETTE",
    "REFERENCE",
    "SEQUENTIAL",
    "enable_theme",
    "geo_data",
    "highlight_color",
    "highlight_width",
    "install_theme_hook",
    "interval_layer",
    "interval_tooltip",
    "nl_format",
    "rank_bounds_tooltip",
    "rank_interval",
    "ranked_bars",
    "reference_line",
    "use_renderer",
]

#: Categorical colours (colour-blind safe, Okabe-Ito order).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
#: Colour of the unit a chart is about (the chosen gemeente, wijk, proeftuin).
HIGHLIGHT = "#D55E00"
#: Colour of everything else.
MUTED = "#B8C2CC"
#: Colour of reference lines (zero, the start of a proeftuin, a target).
REFERENCE = "#888888"
#: Sequential scheme for maps.
SEQUENTIAL = "blues"

_FONT = "Helvetica, Arial, sans-serif"

# Dutch number and time formatting (decimal comma, thousands dot) in every chart.
_NL_FORMAT = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]}


def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": _FONT,
            "view": {"continuousWidth": 480, "continuousHeight": 300, "stroke": None},
            "title": {"fontSize": 15, "anchor": "start", "fontWeight": "bold", "offset": 10},
            # labelLimit 0: labels are never cut off ("Hoog risico op angststoornis of de...");
            # a long one widens the chart, which reports scale to the page. Cutting also
            # costs a text measurement per tried length: a third of a chart's SVG time.
            # aria False on axes and legends: vega describes them for screen readers in
            # English ("X-axis titled ... for a linear scale"); the marks keep their
            # descriptions, which read the charts' Dutch field titles and values.
            "axis": {
                "aria": False,
                "labelLimit": 0,
                "labelFontSize": 11,
                "titleFontSize": 12,
                "grid": True,
                "gridColor": "#EEEEEE",
                "domainColor": "#888888",
                "tickColor": "#888888",
            },
            "legend": {
                "aria": False,
                "labelLimit": 0,
                "labelFontSize": 11,
                "titleFontSize": 12,
                "orient": "bottom",
            },
            "range": {"category": PALETTE},
            "bar": {"color": PALETTE[0]},
            "line": {"color": PALETTE[0], "strokeWidth": 2},
            "point": {"color": PALETTE[0], "filled": True},
            "locale": {"number": _NL_FORMAT},
        }
    }


def enable_theme() -> None:
    """Register and enable the doeagenda altair theme (idempotent)."""
    import altair as alt

    if "doeagenda" not in alt.theme.names():
        alt.theme.register("doeagenda", enable=False)(_theme)
    alt.theme.enable("doeagenda")


def use_renderer(name: str | None = None) -> str:
    """Enable an altair renderer; default from ``DOEAGENDA_RENDERER`` (else altair's own).

    Parameters
    ----------
    name : str, optional
        ``"svg"`` for static, offline charts (reports), ``"default"`` for interactive ones.

    Returns
    -------
    str
        The renderer now active.
    """
    import altair as alt

    name = name or os.environ.get("DOEAGENDA_RENDERER") or "default"
    alt.renderers.enable(name)
    return name


def geo_data(features: list[dict[str, Any]]) -> alt.Data:
    """Inline GeoJSON features for a map, as one JSON text rather than nested lists.

    Why not ``alt.Data(values=features)``: altair walks every coordinate of inline values
    when it builds, converts and validates a spec, which took about 0.15 s per provincie
    map, a fifth of a whole gemeenteprofiel report. Vega parses the text itself, so the
    chart (and its SVG) is the same.

    Parameters
    ----------
    features : list of dict
        GeoJSON features.

    Returns
    -------
    altair.Data
    """
    import altair as alt

    return alt.Data(
        values=json.dumps(features, separators=(",", ":"), ensure_ascii=False),
        format=alt.DataFormat(type="json"),
    )


def reference_line(
    value: object,
    axis: str = "y",
    *,
    field: str | None = None,
    kind: str = "Q",
    color: str | None = REFERENCE,
    **mark: Any,
) -> alt.Chart:
    """Return a rule across a chart at one value (zero, a start, a target) to layer on it.

    Parameters
    ----------
    value : object
        Where the line stands.
    axis : {"x", "y"}
        ``"y"`` for a horizontal line, ``"x"`` for a vertical one.
    field : str, optional
        Name of the line's data field; default the axis name (layered charts that share
        a field with the other layers name it).
    kind : str
        Encoding type of the field: ``"Q"`` (a number) or ``"O"`` (a period label).
    color : str or None
        Line colour; default :data:`REFERENCE` grey, ``None`` for the theme's colour.
    **mark
        Further mark properties (``strokeDash``, ``size``, ...).

    Returns
    -------
    altair.Chart
    """
    import altair as alt
    import pandas as pd

    name = field or axis
    if color is not None:
        mark["color"] = color
    return (
        alt.Chart(pd.DataFrame({name: [value]}))
        .mark_rule(**mark)
        .encode(**{axis: f"{name}:{kind}"})
    )


def highlight_color(
    field: str, highlighted: str, other: str, title: str | None = "", other_color: str = MUTED
) -> alt.Color:
    """Return the colour encoding that picks out one group (``HIGHLIGHT``) from the rest (``MUTED``).

    Parameters
    ----------
    field : str
        Nominal field holding the group.
    highlighted, other : str
        Its two values: the group the chart is about and everything else.
    title : str or None
        Legend title.
    other_color : str
        Colour of ``other``; ``PALETTE[0]`` when it is a comparison worth reading (the
        synthetic control, the trend without the proeftuin) rather than background.

    Returns
    -------
    altair.Color
    """
    import altair as alt

    return alt.Color(
        f"{field}:N",
        title=title,
        scale=alt.Scale(domain=[highlighted, other], range=[HIGHLIGHT, other_color]),
    )


def highlight_width(field: str, highlighted: str) -> Any:
    """Return the line width encoding: 3 for the ``highlighted`` group, 1 for the rest.

    Parameters
    ----------
    field : str
        Nominal field holding the group.
    highlighted : str
        The value drawn thick.

    Returns
    -------
    altair condition
    """
    import altair as alt

    return alt.condition(getattr(alt.datum, field) == highlighted, alt.value(3), alt.value(1))


def ranked_bars(
    data: pd.DataFrame,
    x: alt.X | str,
    y: str,
    chosen: pd.Series,
    tooltip: list,
    labels: tuple[str, str] = ("gekozen", "andere"),
    *,
    field: str = "kleur",
    legend: bool = False,
) -> alt.Chart:
    """Return horizontal bars, the largest on top, the chosen rows in HIGHLIGHT, the rest MUTED.

    The ranking of gemeenten or wijken on one figure with the one a reader asked about
    picked out; layer a :func:`reference_line` on it for the province or the mean.

    Parameters
    ----------
    data : DataFrame
        One row per bar.
    x : altair.X or str
        The value encoding (field, axis title, scale).
    y : str
        Nominal field naming the bars.
    chosen : Series of bool
        Which rows are picked out (aligned with ``data``).
    tooltip : list
        The tooltip encoding.
    labels : (str, str)
        The values of ``field`` for chosen and other rows (the legend's text when shown).
    field : str
        Name of the colour field added to ``data``.
    legend : bool
        Show the colour legend (without a title).

    Returns
    -------
    altair.Chart
    """
    import altair as alt

    highlighted, other = labels
    plot = data.assign(**{field: chosen.map({True: highlighted, False: other})})
    if legend:
        color = highlight_color(field, highlighted, other, title=None)
    else:
        color = alt.Color(
            f"{field}:N",
            scale=alt.Scale(domain=[highlighted, other], range=[HIGHLIGHT, MUTED]),
            legend=None,
        )
    return (
        alt.Chart(plot)
        .mark_bar()
        .encode(x=x, y=alt.Y(f"{y}:N", sort="-x", title=None), color=color, tooltip=tooltip)
    )


def interval_layer(
    base: alt.Chart,
    estimate: str,
    low: str,
    high: str,
    *,
    title: str,
    tooltip: list,
    axis: str = "y",
    size: int = 60,
    colored: bool = True,
    filled: bool = False,
    zero: bool = True,
) -> alt.LayerChart:
    """Return estimates with their intervals: a rule from ``low`` to ``high``, a point at ``estimate``.

    Parameters
    ----------
    base : altair.Chart
        The chart with the data and the other axis (categories, periods) encoded.
    estimate, low, high : str
        Quantitative fields of the estimate and of the interval's bounds.
    title : str
        Title of the value axis.
    tooltip : list
        Tooltip of the points (e.g. with :func:`interval_tooltip`).
    axis : {"y", "x"}
        The value axis: ``"y"`` for upright intervals, ``"x"`` for lying ones.
    size : int
        Size of the points.
    colored : bool
        Rules in ``PALETTE[0]``, points in ``HIGHLIGHT``; ``False`` leaves the colours to
        ``base`` (e.g. before and after the start).
    filled : bool
        Filled points.
    zero : bool
        Put a :func:`reference_line` at zero under the intervals.

    Returns
    -------
    altair.LayerChart
        Layers: the zero line (if asked), the rules, the points.
    """
    import altair as alt

    value = alt.X if axis == "x" else alt.Y
    rule_mark: dict[str, Any] = {"strokeWidth": 2}
    point_mark: dict[str, Any] = {"size": size}
    if colored:
        rule_mark["color"] = PALETTE[0]
        point_mark["color"] = HIGHLIGHT
    if filled:
        point_mark["filled"] = True
    rules = base.mark_rule(**rule_mark).encode(
        **{axis: value(f"{low}:Q", title=title), f"{axis}2": f"{high}:Q"}
    )
    points = base.mark_point(**point_mark).encode(**{axis: f"{estimate}:Q", "tooltip": tooltip})
    layers = [reference_line(0.0, axis), rules, points] if zero else [rules, points]
    return alt.layer(*layers)


def interval_tooltip(
    estimate: str, low: str, high: str, title: str, fmt: str = ".2f"
) -> list[alt.Tooltip]:
    """Return the tooltip of an estimate with its interval: the value, *ondergrens*, *bovengrens*.

    Parameters
    ----------
    estimate, low, high : str
        Quantitative fields of the estimate and of the interval's bounds.
    title : str
        Dutch name of the estimate (``"effect"``, ``"hazard ratio"``).
    fmt : str
        d3 number format of all three.

    Returns
    -------
    list of altair.Tooltip
    """
    import altair as alt

    return [
        alt.Tooltip(f"{estimate}:Q", title=title, format=fmt),
        alt.Tooltip(f"{low}:Q", title="ondergrens", format=fmt),
        alt.Tooltip(f"{high}:Q", title="bovengrens", format=fmt),
    ]


# -- rank intervals (index and reports) ------------------------------------------------------
def rank_interval(
    base: alt.Chart,
    y: alt.Y,
    color: Any,
    fields: tuple[str, str, str],
    title: str,
    tooltip: list[alt.Tooltip],
    *,
    size: int = 50,
) -> tuple[alt.Chart, alt.Chart]:
    """Return the layers of a rank with its 90% interval: a rule from low to high, a point.

    The rank uncertainty of an index (Monte Carlo runs): one row per unit, the rank as a
    filled point on a line from its 5% to its 95% bound; layer them (and a tick for the
    nominal rank where there is one).

    Parameters
    ----------
    base : altair.Chart
        The chart of the table (one row per unit).
    y : altair.Y
        The units' axis.
    color : altair colour encoding
        Colour of rule and point.
    fields : (str, str, str)
        Quantitative fields of the rank and of the interval's 5% and 95% bounds.
    title : str
        Dutch title of the rank axis.
    tooltip : list of altair.Tooltip
        The tooltip's first entries; the bounds (*5%-grens*, *95%-grens*) follow.
    size : int
        Size of the point.

    Returns
    -------
    (altair.Chart, altair.Chart)
        The rule and the point.
    """
    import altair as alt

    rank, low, high = fields
    rule = base.mark_rule(strokeWidth=2).encode(
        x=alt.X(f"{low}:Q", title=title, scale=alt.Scale(zero=False)),
        x2=f"{high}:Q",
        y=y,
        color=color,
    )
    point = base.mark_point(size=size, filled=True).encode(
        x=f"{rank}:Q",
        y=y,
        color=color,
        tooltip=[*tooltip, *rank_bounds_tooltip(low, high)],
    )
    return rule, point


def rank_bounds_tooltip(low: str, high: str) -> list[alt.Tooltip]:
    """Return the tooltip entries of a rank interval's bounds: *5%-grens*, *95%-grens*.

    Parameters
    ----------
    low, high : str
        Quantitative fields of the 5% and the 95% bound.

    Returns
    -------
    list of altair.Tooltip
    """
    import altair as alt

    return [
        alt.Tooltip(f"{low}:Q", title="5%-grens", format=".0f"),
        alt.Tooltip(f"{high}:Q", title="95%-grens", format=".0f"),
    ]


def nl_format(value: float, decimals: int = 0) -> str:
    """Format a number the Dutch way (``12.345,6``); NaN becomes ``"geen gegevens"``.

    Parameters
    ----------
    value : float
        The number.
    decimals : int
        Digits after the decimal comma.

    Returns
    -------
    str
    """
    if value is None or value != value:  # NaN check without numpy
        return "geen gegevens"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _apply() -> None:
    enable_theme()
    use_renderer()


class _ThemeOnAltairImport:
    """Meta-path finder that runs :func:`enable_theme` right after altair is imported.

    Why a hook and not an ``import altair`` here: the theme must apply to every chart,
    also to charts users make with altair in the same session, but importing altair at
    ``import doeagenda`` costs about a second for every command and kernel that draws
    nothing. The finder removes itself on first use and only wraps altair's own loader.
    """

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != "altair":
            return None
        with contextlib.suppress(ValueError):  # already removed by another thread
            sys.meta_path.remove(self)
        spec = importlib.util.find_spec("altair")
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        exec_module = loader.exec_module

        def exec_then_theme(module: Any) -> None:
            exec_module(module)
            _apply()

        loader.exec_module = exec_then_theme
        return spec


def install_theme_hook() -> None:
    """Enable the theme now if altair is loaded, else as soon as it is imported (idempotent)."""
    if "altair" in sys.modules:
        _apply()
        return
    if not any(isinstance(finder, _ThemeOnAltairImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _ThemeOnAltairImport())
