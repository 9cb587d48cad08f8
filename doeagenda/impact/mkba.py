"""The MKBA view: costs and benefits per actor against the nulalternatief.

A social cost-benefit analysis (maatschappelijke kosten-batenanalyse, MKBA) compares the
project alternative with a *nulalternatief* (what happens without the initiative). In the
value map the nulalternatief is already in the numbers: ``deadweight`` is the part of an
outcome that would have happened anyway, ``attribution`` the part due to others,
``displacement`` the part that only moved elsewhere. What the MKBA view adds is the
question *who* pays and *who* gains:

* benefits (baten) of an outcome go to its ``actor`` column (default: the stakeholder),
  e.g. fewer GP consultations are a saving for the zorgverzekeraar;
* costs (kosten) are the investment rows, each with its own ``actor`` (gemeente,
  fonds, woningcorporatie, vrijwilligers ...).

Both are discounted with the same rate as the SROI. An actor that pays while the gain
lands elsewhere shows a *split incentive* (negative balance while the total is positive).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from doeagenda.impact.actors import MKBAResult, per_actor
from doeagenda.impact.result import SROIResult
from doeagenda.impact.sroi import sroi
from doeagenda.impact.valuemap import ValueMap

logger = logging.getLogger(__name__)

__all__ = ["MKBAResult", "mkba"]


def mkba(
    value_map: SROIResult | ValueMap | pd.DataFrame | str | Path,
    investment=None,
    discount_rate: float | None = None,
    horizon: int | None = None,
    *,
    discount_rate_costs: float | None = None,
    discount_rate_effects: float | None = None,
    regime: str | None = None,
) -> MKBAResult:
    """Costs and benefits per actor (MKBA view of a value map).

    Parameters
    ----------
    value_map : SROIResult, ValueMap, DataFrame, str or Path
        A computed SROI result, or anything :func:`~doeagenda.impact.sroi` accepts.
    investment, discount_rate, horizon
        Passed to :func:`~doeagenda.impact.sroi` when ``value_map`` is not a result yet.
    discount_rate_costs, discount_rate_effects, regime
        Separate rates for costs and effects, or a named regime (``"zorginstituut2024"``:
        3% costs, 1.5% effects); see :func:`~doeagenda.impact.sroi`.

    Returns
    -------
    MKBAResult
    """
    if isinstance(value_map, SROIResult):
        return per_actor(value_map)
    result = sroi(
        value_map,
        investment,
        discount_rate=discount_rate,
        horizon=horizon,
        discount_rate_costs=discount_rate_costs,
        discount_rate_effects=discount_rate_effects,
        regime=regime,
    )
    return per_actor(result)
