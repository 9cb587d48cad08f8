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

import ipywidgets as widgets

from doeagenda.learning.lesson import View
from doeagenda.learning.modules.gemeente_data import (
    COMPARE_INDICATORS,
    HEALTH_INDICATORS,
    HEALTH_NOTE,
    HEALTH_YEAR,
    KWB_YEAR,
    REGROUPED,
    WIJK_INDICATORS,
    compare_table,
    gemeente_health,
    gemeente_share,
    inhabitants,
    provincie_share,
    wijk_health_table,
    wijken_table,
)
from doeagenda.learning.modules.gemeente_exercises import EXERCISES
from doeagenda.learning.modules.gemeente_views import (
    ENERGY_NOTE,
    ENERGY_REGISTER,
    compare_view,
    energy_table,
    energy_view,
    key_figures_view,
    wijk_health_view,
    wijken_view,
)
from doeagenda.learning.widgets import Explorer, explorer, wide

__all__ = [
    "COMPARE_INDICATORS",
    "ENERGY_NOTE",
    "ENERGY_REGISTER",
    "EXERCISES",
    "HEALTH_INDICATORS",
    "HEALTH_NOTE",
    "HEALTH_YEAR",
    "KWB_YEAR",
    "REGROUPED",
    "WIJK_INDICATORS",
    "compare_gemeenten",
    "compare_table",
    "compare_view",
    "energy_cooperatives",
    "energy_table",
    "energy_view",
    "gemeente_health",
    "gemeente_share",
    "inhabitants",
    "key_figures",
    "key_figures_view",
    "provincie_share",
    "wijk_distribution",
    "wijk_health",
    "wijk_health_table",
    "wijk_health_view",
    "wijken_table",
    "wijken_view",
]


# --- widget builders --------------------------------------------------------------------


def key_figures(gemeente: str) -> View:
    """Show the key figures of a gemeente (a static view; see :func:`key_figures_view`)."""
    from doeagenda.learning.widgets import safe_view

    return safe_view(key_figures_view, gemeente=gemeente)


def energy_cooperatives(gemeente: str) -> View:
    """Show the gemeente's energy cooperatives (a static view; see :func:`energy_view`)."""
    from doeagenda.learning.widgets import safe_view

    return safe_view(energy_view, gemeente=gemeente)


def compare_gemeenten(gemeente: str) -> Explorer | View:
    """Build the gemeente comparison: an indicator dropdown and a per-1.000 switch."""
    options = [(label, key) for key, (label, _count) in COMPARE_INDICATORS.items()]
    controls = {
        "indicator": widgets.Dropdown(
            options=options,
            value="a_65_oo",
            description="Indicator:",
            layout=widgets.Layout(width="420px"),
        ),
        "per_inwoner": widgets.Checkbox(value=False, description="per 1.000 inwoners"),
    }
    return explorer(compare_view, controls, gemeente=gemeente)


def wijk_distribution(gemeente: str) -> Explorer | View:
    """Build the wijken explorer: an age-share dropdown and a threshold slider."""
    options = [(label, key) for key, (label, _count) in WIJK_INDICATORS.items()]
    controls = {
        "indicator": widgets.Dropdown(
            options=options, value="aandeel_65_oo", description="Leeftijd:"
        ),
        "drempel": widgets.FloatSlider(
            value=15.0,
            min=0.0,
            max=60.0,
            step=1.0,
            description="Drempel (%):",
            **wide(),
            continuous_update=False,
            readout_format=".0f",
        ),
    }
    return explorer(wijken_view, controls, gemeente=gemeente)


def wijk_health(gemeente: str) -> Explorer | View:
    """Build the wijk health explorer: a dropdown with loneliness and ervaren gezondheid."""
    options = [(label, key) for key, (label, _better) in HEALTH_INDICATORS.items()]
    controls = {
        "indicator": widgets.Dropdown(
            options=options,
            value="rivm_eenzaam_18plus",
            description="Cijfer:",
            layout=widgets.Layout(width="520px"),
        ),
    }
    return explorer(wijk_health_view, controls, gemeente=gemeente)
