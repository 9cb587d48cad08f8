"""Continuity of initiatives as survival: Kaplan–Meier, log-rank, Cox model, PH check.

The time scale is years since ``startdatum``. An initiative with an ``einddatum`` on or
before the *peildatum* (the date the register was last checked) has stopped (event);
every other initiative is right-censored at the peildatum: we only know it lasted at
least that long. Initiatives that started after the peildatum are left out.

Estimators are statsmodels': :class:`~statsmodels.duration.survfunc.SurvfuncRight`
(Kaplan–Meier with Greenwood standard errors), :func:`~statsmodels.duration.survfunc.survdiff`
(log-rank test); the Cox model (Efron ties) is our own Newton–Raphson,
:mod:`~doeagenda.initiatives.coxph`. The proportional-hazards check correlates the (unscaled) Schoenfeld
residuals of each covariate with the rank of the event time and tests that correlation
(Pearson); this is the idea of R's ``cox.zph(transform = "rank")``, which uses scaled
residuals and a score test, so p-values differ somewhat from R's.

The work is split by concern, and every name stays importable from here:
:mod:`~doeagenda.initiatives.lifetimes` (survival data),
:mod:`~doeagenda.initiatives.kaplan_meier` (curves and log-rank),
:mod:`~doeagenda.initiatives.cox` (Cox model and proportional-hazards check) and
:mod:`~doeagenda.initiatives.continuity` (the continuity-risk list).
"""

from doeagenda.initiatives.continuity import RiskList, continuity_risk
from doeagenda.initiatives.cox import CoxResult, cox_model
from doeagenda.initiatives.kaplan_meier import KaplanMeierResult, kaplan_meier
from doeagenda.initiatives.lifetimes import (
    COX_FORMULA,
    PROFILES,
    financing_profile,
    survival_data,
)

__all__ = [
    "COX_FORMULA",
    "PROFILES",
    "CoxResult",
    "KaplanMeierResult",
    "RiskList",
    "continuity_risk",
    "cox_model",
    "financing_profile",
    "kaplan_meier",
    "survival_data",
]
