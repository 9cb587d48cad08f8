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
