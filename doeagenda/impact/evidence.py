"""From evidence to euros: an estimated effect with its CI becomes an outcome quantity.

An evaluation (for example a difference-in-differences estimate from
:mod:`doeagenda.evaluation`) gives an effect with a confidence interval, e.g. "12 fewer GP
consultations per 1,000 inhabitants per year, 95% CI 4 to 20". The bridge turns that into

* the point ``quantity`` of a value-map row (effect × population / per), and
* a normal distribution of that quantity whose standard deviation is the standard error
  implied by the CI, so the evaluation's uncertainty is carried into the Monte Carlo.

Two honest ways to handle deadweight:

1. The quantity is a *net* effect (DiD, synthetic control, RCT): the control group's
   change is already subtracted, so the row's deadweight must be 0
   (:func:`apply_evidence` sets it).
2. The quantity is the *gross* before/after change in the initiative's area: the
   deadweight is the share of that change the control group also saw,
   :func:`deadweight_from_control`. ``gross × (1 − deadweight)`` then equals the net
   effect of (1); a test checks that the two routes agree.

The effect may be plain numbers (``estimate, ci_low, ci_high``) or any object with an
``estimate`` attribute and a ``ci`` pair (and optionally ``se`` and ``level``), such as
the evaluation module's ``DiDResult``.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
from scipy import stats

from doeagenda.errors import ParameterError
from doeagenda.impact.distributions import Distribution, parse_distributions
from doeagenda.impact.valuemap import ValueMap, check_overclaiming

logger = logging.getLogger(__name__)

__all__ = [
    "Effect",
    "QuantityEvidence",
    "apply_evidence",
    "as_effect",
    "deadweight_from_control",
    "quantity_from_effect",
]


@dataclass(frozen=True)
class Effect:
    """An effect estimate with its confidence interval.

    Attributes
    ----------
    estimate, ci_low, ci_high : float
    level : float
        Coverage of the interval (0.95 for a 95% CI).
    """

    estimate: float
    ci_low: float
    ci_high: float
    level: float = 0.95

    @property
    def se(self) -> float:
        """Standard error implied by the interval (normal approximation)."""
        z = stats.norm.ppf(0.5 + self.level / 2)
        return (self.ci_high - self.ci_low) / (2 * z)


def _number(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        msg = f"evidence: {name} moet een getal zijn, niet {value!r}"
        raise ParameterError(msg) from None
    if not math.isfinite(number):
        msg = f"evidence: {name} moet eindig zijn, niet {value!r}"
        raise ParameterError(msg)
    return number


def as_effect(
    effect: Any,
    ci_low: float | None = None,
    ci_high: float | None = None,
    *,
    level: float | None = None,
) -> Effect:
    """Normalise an effect given as numbers or as a result object.

    Parameters
    ----------
    effect : float or object
        The point estimate, or an object with ``.estimate`` and ``.ci`` (a pair) and
        optionally ``.se`` and ``.level`` (or ``.alpha``), e.g. a ``DiDResult``. When the
        object has a finite ``.preferred_ci`` (DiDResult: the wild-bootstrap interval with
        few clusters) that interval is used.
    ci_low, ci_high : float, optional
        The interval when ``effect`` is a number.
    level : float, optional
        Coverage of the interval; default the object's ``level`` (or ``1 - alpha``), else 0.95.

    Returns
    -------
    Effect
    """
    if hasattr(effect, "estimate"):
        estimate = _number(effect.estimate, "estimate")
        if level is None:
            if getattr(effect, "level", None) is not None:
                level = float(effect.level)
            elif getattr(effect, "alpha", None) is not None:
                level = 1 - float(effect.alpha)
        level = 0.95 if level is None else level
        ci = getattr(effect, "ci", None)
        preferred = getattr(effect, "preferred_ci", None)
        if preferred is not None and all(math.isfinite(float(v)) for v in preferred):
            ci = preferred  # e.g. DiDResult: the wild-bootstrap CI when there are few clusters
        if ci is not None:
            try:
                low, high = (float(v) for v in ci)
            except (TypeError, ValueError):
                msg = f"evidence: .ci moet een paar (laag, hoog) zijn, niet {ci!r}"
                raise ParameterError(msg) from None
        elif getattr(effect, "se", None) is not None:
            z = stats.norm.ppf(0.5 + level / 2)
            se = _number(effect.se, "se")
            low, high = estimate - z * se, estimate + z * se
        else:
            msg = "evidence: het effectobject heeft geen .ci en geen .se; geef ci_low en ci_high"
            raise ParameterError(msg)
    else:
        estimate = _number(effect, "estimate")
        if ci_low is None or ci_high is None:
            msg = "evidence: geef ci_low en ci_high bij een los getal als schatting"
            raise ParameterError(msg)
        low, high = _number(ci_low, "ci_low"), _number(ci_high, "ci_high")
        level = 0.95 if level is None else level
    if low > high:
        low, high = high, low
    if not low <= estimate <= high:
        msg = f"evidence: estimate {estimate} lies outside its interval ({low}, {high})"
        raise ParameterError(msg)
    if not 0 < level < 1:
        msg = f"evidence: level moet tussen 0 en 1 liggen, niet {level}"
        raise ParameterError(msg)
    return Effect(estimate=estimate, ci_low=low, ci_high=high, level=float(level))


@dataclass(frozen=True)
class QuantityEvidence:
    """An outcome quantity derived from an effect estimate.

    Attributes
    ----------
    quantity : float
        Point value for the value map (never negative; 0 when the effect points the
        wrong way).
    distribution : Distribution
        Normal distribution (mean = signed quantity, sd = scaled standard error) for the
        Monte Carlo; draws below 0 mean the initiative may have made things worse.
    effect : Effect
    scale : float
        ``population / per``.
    """

    quantity: float
    distribution: Distribution
    effect: Effect
    scale: float


def quantity_from_effect(
    effect: Any,
    ci_low: float | None = None,
    ci_high: float | None = None,
    *,
    population: float = 1.0,
    per: float = 1.0,
    direction: Literal["decrease", "increase"] = "decrease",
    level: float | None = None,
    source: str | None = None,
) -> QuantityEvidence:
    """Turn an effect estimate into a value-map quantity with its uncertainty.

    Parameters
    ----------
    effect, ci_low, ci_high, level
        The effect and its interval, as for :func:`as_effect`.
    population : float
        Size of the group the effect applies to (e.g. inhabitants aged 65+ in the wijk).
    per : float
        Unit of the effect (1000 for "per 1,000 inhabitants").
    direction : {"decrease", "increase"}
        ``"decrease"`` when the valued outcome is a reduction (fewer GP consultations:
        a negative estimate is a positive quantity), ``"increase"`` otherwise.
    source : str, optional
        Text for the distribution's ``bron``.

    Returns
    -------
    QuantityEvidence
    """
    if direction not in ("decrease", "increase"):
        msg = f"evidence: direction moet 'decrease' of 'increase' zijn, niet {direction!r}"
        raise ParameterError(msg)
    if population <= 0 or per <= 0:
        msg = f"evidence: population en per moeten positief zijn, niet {population}, {per}"
        raise ParameterError(msg)
    eff = as_effect(effect, ci_low, ci_high, level=level)
    sign = -1.0 if direction == "decrease" else 1.0
    scale = population / per
    mean = sign * eff.estimate * scale
    sd = eff.se * scale
    if mean < 0:
        logger.warning(
            "evidence: de schatting (%s) wijst de andere kant op dan '%s'; quantity wordt 0",
            eff.estimate,
            direction,
        )
    text = source or (
        f"effectschatting {eff.estimate:g} ({eff.level:.0%}-interval {eff.ci_low:g} tot "
        f"{eff.ci_high:g}) × {population:g}/{per:g}"
    )
    distribution = Distribution(verdeling="normal", mean=mean, sd=sd, bron=text)
    return QuantityEvidence(
        quantity=max(mean, 0.0), distribution=distribution, effect=eff, scale=scale
    )


def deadweight_from_control(treated_change: float, control_change: float) -> float:
    """Deadweight as the share of the treated area's change that the control group also saw.

    Parameters
    ----------
    treated_change : float
        Before/after change in the initiative's area (e.g. -15 GP consultations per 1,000).
    control_change : float
        Change over the same period in the control group (e.g. -3 per 1,000).

    Returns
    -------
    float
        ``control_change / treated_change`` kept within [0, 1]: 0 when the control
        group moved the other way, 1 when it moved at least as much.
    """
    treated = _number(treated_change, "treated_change")
    control = _number(control_change, "control_change")
    if treated == 0:
        msg = "evidence: treated_change is 0, dus er is geen verandering toe te rekenen; geen deadweight"
        raise ParameterError(msg)
    share = control / treated
    clipped = min(max(share, 0.0), 1.0)
    if clipped != share:
        logger.warning("evidence: deadweight %.3f buiten [0, 1], afgekapt op %.3f", share, clipped)
    return clipped


def apply_evidence(
    value_map: ValueMap | pd.DataFrame,
    outcome: str,
    effect: Any,
    ci_low: float | None = None,
    ci_high: float | None = None,
    *,
    population: float = 1.0,
    per: float = 1.0,
    direction: Literal["decrease", "increase"] = "decrease",
    level: float | None = None,
    net: bool = True,
    control_change: float | None = None,
    distributions: dict | None = None,
) -> tuple[ValueMap | pd.DataFrame, dict[str, Distribution]]:
    """Put an effect estimate into one outcome row and its uncertainty into the distributions.

    Parameters
    ----------
    value_map : ValueMap or DataFrame
        The value map (not changed; a copy is returned).
    outcome : str
        Name of the outcome row.
    effect, ci_low, ci_high, population, per, direction, level
        See :func:`quantity_from_effect`.
    net : bool
        True (default) when the effect is already net of the counterfactual (DiD etc.):
        the row's deadweight is set to 0. False when it is a gross before/after change:
        give ``control_change`` (same units) to set the deadweight.
    control_change : float, optional
        The control group's change, used when ``net`` is False.
    distributions : dict, optional
        Existing distributions (e.g. the value map's); the outcome's ``quantity`` entry is
        replaced.

    Returns
    -------
    value_map, distributions
        The updated copy and the distributions including ``"<outcome>.quantity"``.
    """
    frame = value_map.outcomes if isinstance(value_map, ValueMap) else value_map
    if outcome not in set(frame["outcome"]):
        msg = f"evidence: uitkomst {outcome!r} staat niet in de waardekaart ({list(frame['outcome'])})"
        raise ParameterError(msg)
    evidence = quantity_from_effect(
        effect, ci_low, ci_high, population=population, per=per, direction=direction, level=level
    )
    updated = frame.copy()
    row = updated["outcome"] == outcome
    updated.loc[row, "quantity"] = evidence.quantity
    if net:
        updated.loc[row, "deadweight"] = 0.0
    else:
        if control_change is None:
            msg = "evidence: net=False vraagt control_change om de deadweight af te leiden"
            raise ParameterError(msg)
        treated = evidence.effect.estimate
        updated.loc[row, "deadweight"] = deadweight_from_control(treated, control_change)
    base = dict(distributions) if distributions is not None else {}
    if isinstance(value_map, ValueMap) and distributions is None and value_map.distributions:
        base = dict(value_map.distributions)
    merged = parse_distributions(base) if base else {}
    merged[f"{outcome}.quantity"] = evidence.distribution
    if isinstance(value_map, ValueMap):
        from dataclasses import replace

        new_map = replace(value_map, outcomes=updated, distributions=merged)
        new_map.warnings = check_overclaiming(updated)
        return new_map, merged
    return updated, merged
