"""Evaluation of proeftuinen (pilot experiments): did it work, and how sure are we?

Estimators on a long panel DataFrame (one row per unit and period) with column names:

* :func:`did` and :func:`event_study` — difference-in-differences with two-way fixed
  effects, CR1 clustered standard errors and a wild cluster bootstrap with few clusters;
* :func:`staggered_did` — Callaway & Sant'Anna (2021) for staggered starts;
* :func:`synthetic_control` — Abadie, Diamond & Hainmueller (2010) with placebo test;
* :func:`interrupted_time_series` — segmented regression with Newey–West errors;
* :func:`power_simulation` — power and minimum detectable effect for the next pilot;
* :func:`power_on_panel` / :func:`rivm_wijk_panel` — the same for 5 to 20 pilots on the
  real RIVM wijk panel (loneliness 2012/2016/2020);
* :func:`voorbeeld_panel` — the invented (*voorbeeld*) proeftuin panel with a known effect.

The friendly layer for the notebook and ``doeagenda evaluate`` is
:mod:`doeagenda.evaluation.proeftuin`.

Honesty warnings are :class:`EvaluationWarning` subclasses and also appear in each
result's ``.summary()``. See ``docs/proeftuinen.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from doeagenda._lazy import attach

if TYPE_CHECKING:  # static analysers see the names; at run time each loads on first use
    from doeagenda.evaluation._common import (
        EvaluationWarning,
        PoorFitWarning,
        PowerWarning,
        PreTrendWarning,
        SingleTreatedUnitWarning,
        UnbalancedPanelWarning,
    )
    from doeagenda.evaluation.did import DiDResult, EventStudyResult, did, event_study
    from doeagenda.evaluation.its import ITSResult, interrupted_time_series
    from doeagenda.evaluation.power import (
        PanelPowerResult,
        PowerResult,
        power_on_panel,
        power_simulation,
        rivm_power,
        rivm_wijk_panel,
    )
    from doeagenda.evaluation.staggered import AggregateResult, StaggeredResult, staggered_did
    from doeagenda.evaluation.synth import PlaceboResult, SynthResult, synthetic_control
    from doeagenda.evaluation.voorbeeld import voorbeeld_panel

# Public name -> (module, attribute): loaded on first access, so importing this package
# (and ``doeagenda --help``) does not pay for pandas, scipy, statsmodels or altair.
_LAZY = {
    "EvaluationWarning": ("doeagenda.evaluation._common", "EvaluationWarning"),
    "PoorFitWarning": ("doeagenda.evaluation._common", "PoorFitWarning"),
    "PowerWarning": ("doeagenda.evaluation._common", "PowerWarning"),
    "PreTrendWarning": ("doeagenda.evaluation._common", "PreTrendWarning"),
    "SingleTreatedUnitWarning": ("doeagenda.evaluation._common", "SingleTreatedUnitWarning"),
    "UnbalancedPanelWarning": ("doeagenda.evaluation._common", "UnbalancedPanelWarning"),
    "DiDResult": ("doeagenda.evaluation.did", "DiDResult"),
    "EventStudyResult": ("doeagenda.evaluation.did", "EventStudyResult"),
    "did": ("doeagenda.evaluation.did", "did"),
    "event_study": ("doeagenda.evaluation.did", "event_study"),
    "ITSResult": ("doeagenda.evaluation.its", "ITSResult"),
    "interrupted_time_series": ("doeagenda.evaluation.its", "interrupted_time_series"),
    "PowerResult": ("doeagenda.evaluation.power", "PowerResult"),
    "power_simulation": ("doeagenda.evaluation.power", "power_simulation"),
    "PanelPowerResult": ("doeagenda.evaluation.power", "PanelPowerResult"),
    "power_on_panel": ("doeagenda.evaluation.power", "power_on_panel"),
    "rivm_power": ("doeagenda.evaluation.power", "rivm_power"),
    "rivm_wijk_panel": ("doeagenda.evaluation.power", "rivm_wijk_panel"),
    "AggregateResult": ("doeagenda.evaluation.staggered", "AggregateResult"),
    "StaggeredResult": ("doeagenda.evaluation.staggered", "StaggeredResult"),
    "staggered_did": ("doeagenda.evaluation.staggered", "staggered_did"),
    "PlaceboResult": ("doeagenda.evaluation.synth", "PlaceboResult"),
    "SynthResult": ("doeagenda.evaluation.synth", "SynthResult"),
    "synthetic_control": ("doeagenda.evaluation.synth", "synthetic_control"),
    "voorbeeld_panel": ("doeagenda.evaluation.voorbeeld", "voorbeeld_panel"),
}

__all__ = [
    "AggregateResult",
    "DiDResult",
    "EvaluationWarning",
    "EventStudyResult",
    "ITSResult",
    "PanelPowerResult",
    "PlaceboResult",
    "PoorFitWarning",
    "PowerResult",
    "PowerWarning",
    "PreTrendWarning",
    "SingleTreatedUnitWarning",
    "StaggeredResult",
    "SynthResult",
    "UnbalancedPanelWarning",
    "did",
    "event_study",
    "interrupted_time_series",
    "power_on_panel",
    "power_simulation",
    "rivm_power",
    "rivm_wijk_panel",
    "staggered_did",
    "synthetic_control",
    "voorbeeld_panel",
]

__getattr__, __dir__ = attach(__name__, _LAZY)
