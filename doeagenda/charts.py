"""One altair theme for every chart of the workbench, and offline rendering.

Importing :mod:`doeagenda` registers and enables the ``doeagenda`` theme, so every
chart made by the package (and by users in the same session) looks the same.

Rendering: in JupyterLab charts use altair's default (interactive) renderer. In batch
reports the environment variable ``DOEAGENDA_RENDERER`` is set (by the report runner)
to ``svg``: charts are then rendered to inline SVG by vl-convert inside the kernel, so
the exported HTML has no ``<script>`` that loads vega from a CDN and opens offline.
"""

from __future__ import annotations

import os

import altair as alt

__all__ = [
    "HIGHLIGHT",
    "MUTED",
    "PALETTE",
    "SEQUENTIAL",
    "enable_theme",
    "nl_format",
    "use_renderer",
]

#: Categorical colours (colour-blind safe, Okabe-Ito order).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
#: Colour of the unit a chart is about (the chosen gemeente, wijk, proeftuin).
HIGHLIGHT = "#D55E00"
#: Colour of everything else.
MUTED = "#B8C2CC"
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
            "axis": {
                "labelFontSize": 11,
                "titleFontSize": 12,
                "grid": True,
                "gridColor": "#EEEEEE",
                "domainColor": "#888888",
                "tickColor": "#888888",
            },
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom"},
            "range": {"category": PALETTE},
            "bar": {"color": PALETTE[0]},
            "line": {"color": PALETTE[0], "strokeWidth": 2},
            "point": {"color": PALETTE[0], "filled": True},
            "locale": {"number": _NL_FORMAT},
        }
    }


def enable_theme() -> None:
    """Register and enable the doeagenda altair theme (idempotent)."""
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
    name = name or os.environ.get("DOEAGENDA_RENDERER") or "default"
    alt.renderers.enable(name)
    return name


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
