"""Module 01 *Ken je gemeente*: the shipped indicators of a gemeente, its wijken and province.

Pure view functions (tested) and the widget builders that wire them:

* :func:`key_figures_view` / :func:`key_figures` — a few key figures vs the province;
* :func:`compare_view` / :func:`compare_gemeenten` — all gemeenten of the province on one
  indicator, absolute or per 1.000 inwoners (why per-inhabitant rates matter);
* :func:`wijken_view` / :func:`wijk_distribution` — the wijken of the gemeente on one age
  share, with a threshold slider (averages vs distributions);
* :func:`wijk_health_view` / :func:`wijk_health` — the wijken of the gemeente on loneliness
  and ervaren gezondheid (RIVM model estimates, 2020);
* :func:`energy_view` / :func:`energy_cooperatives` — the gemeente's real energy
  cooperatives (Lokale Energie Monitor 2019) and all gemeenten of the province per 10.000.

The tables are in :mod:`~doeagenda.learning.modules.gemeente_data`, the views in
:mod:`~doeagenda.learning.modules.gemeente_views` and the exercises in
:mod:`~doeagenda.learning.modules.gemeente_exercises`; this module holds the widget builders
and re-exports every name.
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as widgets

from doeagenda.learning.lesson import View
from doeagenda.learning.modules import gemeente_data, gemeente_views
from doeagenda.learning.modules.gemeente_data import *  # noqa: F403 - re-exported as it is
from doeagenda.learning.modules.gemeente_data import (
    COMPARE_INDICATORS,
    HEALTH_INDICATORS,
    WIJK_INDICATORS,
)
from doeagenda.learning.modules.gemeente_exercises import EXERCISES
from doeagenda.learning.modules.gemeente_views import *  # noqa: F403 - re-exported as it is
from doeagenda.learning.modules.gemeente_views import (
    compare_view,
    energy_view,
    key_figures_view,
    wijk_health_view,
    wijken_view,
)
from doeagenda.learning.widgets import Explorer, explorer, slider

# the builders here; every name of the data and views modules is re-exported as it is
__all__ = [
    "EXERCISES",
    "compare_gemeenten",
    "energy_cooperatives",
    "key_figures",
    "wijk_distribution",
    "wijk_health",
]
__all__ += gemeente_data.__all__
__all__ += gemeente_views.__all__


# --- widget builders --------------------------------------------------------------------


def key_figures(gemeente: str) -> View:
    """Show the key figures of a gemeente (a static view; see :func:`key_figures_view`)."""
    from doeagenda.learning.widgets import safe_view

    return safe_view(key_figures_view, gemeente=gemeente)


def energy_cooperatives(gemeente: str) -> View:
    """Show the gemeente's energy cooperatives (a static view; see :func:`energy_view`)."""
    from doeagenda.learning.widgets import safe_view

    return safe_view(energy_view, gemeente=gemeente)


def _indicator_dropdown(
    indicators: Mapping[str, tuple[str, object]],
    value: str,
    description: str,
    width: str | None = None,
) -> widgets.Dropdown:
    """Return a builder's dropdown: one option per indicator, shown by its Dutch label."""
    options = [(label, key) for key, (label, _detail) in indicators.items()]
    layout = {} if width is None else {"layout": widgets.Layout(width=width)}
    return widgets.Dropdown(options=options, value=value, description=description, **layout)


def compare_gemeenten(gemeente: str) -> Explorer | View:
    """Build the gemeente comparison: an indicator dropdown and a per-1.000 switch."""
    controls = {
        "indicator": _indicator_dropdown(COMPARE_INDICATORS, "a_65_oo", "Indicator:", "420px"),
        "per_inwoner": widgets.Checkbox(value=False, description="per 1.000 inwoners"),
    }
    return explorer(compare_view, controls, gemeente=gemeente)


def wijk_distribution(gemeente: str) -> Explorer | View:
    """Build the wijken explorer: an age-share dropdown and a threshold slider."""
    controls = {
        "indicator": _indicator_dropdown(WIJK_INDICATORS, "aandeel_65_oo", "Leeftijd:"),
        "drempel": slider("Drempel (%):", 15.0, 0.0, 60.0, 1.0, readout_format=".0f"),
    }
    return explorer(wijken_view, controls, gemeente=gemeente)


def wijk_health(gemeente: str) -> Explorer | View:
    """Build the wijk health explorer: a dropdown with loneliness and ervaren gezondheid."""
    controls = {
        "indicator": _indicator_dropdown(
            HEALTH_INDICATORS, "rivm_eenzaam_18plus", "Cijfer:", "520px"
        ),
    }
    return explorer(wijk_health_view, controls, gemeente=gemeente)
