"""Social return on investment (SROI) with the SROI Guide's definitions.

Impact in year 1 of an outcome is ``quantity × proxy_value × (1 − deadweight) ×
(1 − displacement) × (1 − attribution)``; in year *t* of its duration it is the year-1
impact × ``(1 − drop_off)^(t − 1)``. The value in year *y* (year 1 = the first year after
the investment, ``start_year`` shifts an outcome) is discounted by ``(1 + r)^y``.
Investments are discounted the same way, year 0 undiscounted. With separate rates for costs
and effects (``regime="zorginstituut2024"``: 3% and 1.5%), outcome values are discounted
with the effects rate and the investment with the costs rate. ``ratio = PV / PV(investment)``,
``npv = PV − PV(investment)``; the payback period is the time (in years, interpolated
within a year) at which cumulative discounted value first covers cumulative discounted
investment.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from doeagenda.errors import ParameterError
from doeagenda.impact.model import (
    GLOBAL_ASSUMPTIONS,
    LABELS_NL,
    OUTCOME_ASSUMPTIONS,
    AssumptionModel,
    label,
)
from doeagenda.impact.prices import (
    check_discount_rate,
    default_discount_rate,
    discount_rates,
    prices,
)
from doeagenda.impact.result import SROIResult
from doeagenda.impact.sensitivity import SensitivityResult
from doeagenda.impact.valuemap import (
    ValueMap,
    check_overclaiming,
    investment_frame,
    load_value_map,
    validate_outcomes,
)

logger = logging.getLogger(__name__)

__all__ = [
    "GLOBAL_ASSUMPTIONS",
    "LABELS_NL",
    "OUTCOME_ASSUMPTIONS",
    "SROIResult",
    "SensitivityResult",
    "resolve_discount_rates",
    "sroi",
]

# Private names kept importable from here for code written before the split into modules.
_Model = AssumptionModel
_label = label


def _by_year(outcomes: pd.DataFrame, rate: float, horizon: int | None) -> pd.DataFrame:
    """Year-by-year values written out as the SROI Guide's spreadsheet does."""
    records = []
    for row in outcomes.itertuples(index=False):
        first = (
            row.quantity
            * row.proxy_value
            * (1 - row.deadweight)
            * (1 - row.displacement)
            * (1 - row.attribution)
        )
        for t in range(1, int(row.duration) + 1):
            year = int(row.start_year) + t - 1
            if horizon is not None and year > horizon:
                break
            value = first * (1 - row.drop_off) ** (t - 1)
            records.append(
                {
                    "year": year,
                    "outcome": row.outcome,
                    "stakeholder": row.stakeholder,
                    "actor": row.actor,
                    "value": value,
                    "discounted": value / (1 + rate) ** year,
                }
            )
    columns = ["year", "outcome", "stakeholder", "actor", "value", "discounted"]
    frame = pd.DataFrame(records, columns=columns)
    frame["year"] = frame["year"].astype("int64")
    for column in ("value", "discounted"):
        frame[column] = frame[column].astype("float64")
    return frame


def _payback(by_year: pd.DataFrame, investment: pd.DataFrame, rate: float) -> float:
    last = int(max(by_year["year"].max() if not by_year.empty else 0, investment["year"].max()))
    years = np.arange(0, last + 1)
    benefit = by_year.groupby("year")["discounted"].sum().reindex(years, fill_value=0.0)
    cost = (
        investment.assign(pv=investment["amount"] / (1 + rate) ** investment["year"])
        .groupby("year")["pv"]
        .sum()
        .reindex(years, fill_value=0.0)
    )
    net = (benefit - cost).cumsum().to_numpy()
    if net[0] >= 0:
        return 0.0
    for year in range(1, len(net)):
        if net[year] >= 0:
            return float(year - 1 + (-net[year - 1]) / (net[year] - net[year - 1]))
    return float("nan")


def resolve_discount_rates(
    discount_rate: float | None = None,
    *,
    discount_rate_costs: float | None = None,
    discount_rate_effects: float | None = None,
    regime: str | None = None,
    map_rate: float | None = None,
) -> tuple[float, float]:
    """Discount rates for costs and effects from the ways a caller can give them.

    Parameters
    ----------
    discount_rate : float, optional
        One rate for costs and effects.
    discount_rate_costs, discount_rate_effects : float, optional
        Separate rates; each overrides what the other arguments give for it.
    regime : str, optional
        ``"mkba"`` (one rate, 2.25% unless ``discount_rate`` says otherwise) or
        ``"zorginstituut2024"`` (3% costs, 1.5% effects; cannot be combined with
        ``discount_rate``).
    map_rate : float, optional
        The value map's own ``disconteringsvoet``, used when nothing else is given.

    Returns
    -------
    (float, float)
        ``(costs, effects)``, each checked to lie in [0, 0.15].
    """
    if regime is not None:
        costs, effects = discount_rates(regime)
        if discount_rate is not None:
            if costs != effects:
                msg = (
                    f"regime {regime!r} heeft eigen voeten (kosten {costs}, effecten {effects}); "
                    "laat discount_rate (--disconteringsvoet) weg, of wijzig één voet met "
                    "discount_rate_costs= / discount_rate_effects="
                )
                raise ParameterError(msg)
            costs = effects = check_discount_rate(discount_rate)
    else:
        single = discount_rate if discount_rate is not None else map_rate
        if single is None:
            single = default_discount_rate()
        costs = effects = check_discount_rate(single)
    if discount_rate_costs is not None:
        costs = check_discount_rate(discount_rate_costs, "discount_rate_costs")
    if discount_rate_effects is not None:
        effects = check_discount_rate(discount_rate_effects, "discount_rate_effects")
    return check_discount_rate(costs), check_discount_rate(effects)


def _resolve_inputs(
    outcomes: pd.DataFrame | ValueMap | str | Path,
    investment: float | pd.Series | pd.DataFrame | None,
    horizon: int | None,
) -> tuple[ValueMap | None, pd.DataFrame, pd.DataFrame, int | None, list[str]]:
    value_map = None
    if isinstance(outcomes, str | Path):
        outcomes = load_value_map(outcomes)
    if isinstance(outcomes, ValueMap):
        value_map = outcomes
        table = value_map.outcomes
        if investment is None:
            investment = value_map.investment
        if horizon is None:
            horizon = value_map.horizon
        warnings = list(value_map.warnings)
    else:
        table = validate_outcomes(outcomes)
        warnings = check_overclaiming(table)
    if investment is None:
        msg = "sroi: geen investering gegeven; geef investment= (een getal, of bedragen per jaar)"
        raise ParameterError(msg)
    investment = investment_frame(investment)
    if horizon is not None and int(horizon) < 1:
        msg = f"sroi: horizon moet een geheel aantal jaren >= 1 zijn, niet {horizon}"
        raise ParameterError(msg)
    horizon = None if horizon is None else int(horizon)
    return value_map, table, investment, horizon, warnings


def sroi(
    outcomes: pd.DataFrame | ValueMap | str | Path,
    investment: float | pd.Series | pd.DataFrame | None = None,
    discount_rate: float | None = None,
    horizon: int | None = None,
    *,
    discount_rate_costs: float | None = None,
    discount_rate_effects: float | None = None,
    regime: str | None = None,
) -> SROIResult:
    """Compute the SROI of a value map.

    Parameters
    ----------
    outcomes : DataFrame, ValueMap, str or Path
        The value map: a DataFrame with one row per outcome (columns ``outcome,
        stakeholder, quantity, proxy_value, duration, deadweight, attribution,
        displacement, drop_off``, optionally ``start_year, proxy, proxy_source, actor``),
        a loaded :class:`ValueMap`, or the path/name of a YAML value map.
    investment : float, Series or DataFrame, optional
        A number (spent in year 0), a Series of amounts by year, or a DataFrame ``year,
        amount[, actor]``. Taken from the value map when omitted.
    discount_rate : float, optional
        Real discount rate per year for costs and effects alike (0-0.15); default the
        value map's, else 2.25% (Dutch MKBA standard: −1% risk-free + 3.25% risk
        premium, see ``params/impact/prijzen.yaml``).
    horizon : int, optional
        Last year counted (years after it are cut off).
    discount_rate_costs, discount_rate_effects : float, optional
        Separate rates for costs (the investment) and effects (the outcome values);
        each overrides the rate the other arguments give.
    regime : str, optional
        A named regime from ``prijzen.yaml``: ``"mkba"`` (one rate, 2.25%) or
        ``"zorginstituut2024"`` (Richtlijn economische evaluaties 2024: 3% for costs,
        1.5% for effects).

    Returns
    -------
    SROIResult
    """
    value_map, table, investment_table, horizon, warnings = _resolve_inputs(
        outcomes, investment, horizon
    )
    cost_rate, rate = resolve_discount_rates(
        discount_rate,
        discount_rate_costs=discount_rate_costs,
        discount_rate_effects=discount_rate_effects,
        regime=regime,
        map_rate=value_map.discount_rate if value_map is not None else None,
    )
    by_year = _by_year(table, rate, horizon)
    present_value = float(by_year["discounted"].sum())
    investment_pv = float(
        (investment_table["amount"] / (1 + cost_rate) ** investment_table["year"]).sum()
    )
    by_stakeholder = (
        by_year.groupby("stakeholder", sort=False)[["value", "discounted"]]
        .sum()
        .reindex(pd.unique(table["stakeholder"]), fill_value=0.0)
    )
    by_stakeholder.index.name = "stakeholder"
    total = by_stakeholder["discounted"].sum()
    by_stakeholder["share"] = by_stakeholder["discounted"] / total if total > 0 else np.nan
    return SROIResult(
        outcomes=table,
        investment=investment_table,
        discount_rate=rate,
        horizon=horizon,
        present_value=present_value,
        investment_pv=investment_pv,
        npv=present_value - investment_pv,
        ratio=present_value / investment_pv,
        payback_years=_payback(by_year, investment_table, cost_rate),
        by_year=by_year,
        by_stakeholder=by_stakeholder,
        value_map=value_map,
        warnings=warnings,
        discount_rate_costs=cost_rate if cost_rate != rate else None,
        regime=regime,
        price_year=value_map.price_year if value_map is not None else _standard_year(),
    )


def _standard_year() -> int:
    return int(prices()["doeljaar"].iloc[0])
