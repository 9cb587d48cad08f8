"""The assumption model behind sensitivity and uncertainty: the ratio for many inputs at once.

Every assumption of a value map has a key: ``<outcome>.<column>`` for the outcome columns
(:data:`OUTCOME_ASSUMPTIONS`), ``discount_rate`` and ``investment`` for the whole map, and
``volunteer_hour`` (the price of a volunteer hour) when the investment counts volunteer
hours. :class:`AssumptionModel` evaluates present value, ratio and NPV for ``n`` sets of
overrides in a few array passes (:mod:`doeagenda.impact.engine`).

Discounting: effects (outcome values) use the effects rate, costs (the investment) the costs
rate; both are the same except in a regime with separate rates (``zorginstituut2024``).
Overriding ``discount_rate`` moves the effects rate, and the costs rate with it when the two
are equal; with separate rates the costs rate stays at its own value.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from doeagenda.errors import ParameterError
from doeagenda.impact import engine
from doeagenda.impact.valuemap import FRACTIONS

logger = logging.getLogger(__name__)

__all__ = [
    "GLOBAL_ASSUMPTIONS",
    "LABELS_NL",
    "OUTCOME_ASSUMPTIONS",
    "VOLUNTEER_HOUR",
    "AssumptionModel",
    "label",
]

#: Columns of an outcome that can be varied in sensitivity and uncertainty analyses.
OUTCOME_ASSUMPTIONS = (
    "quantity",
    "proxy_value",
    "deadweight",
    "attribution",
    "displacement",
    "drop_off",
    "duration",
)
#: Assumptions that are not tied to one outcome.
GLOBAL_ASSUMPTIONS = ("discount_rate", "investment")
#: Key of the price of a volunteer hour (only when the investment counts volunteer hours).
VOLUNTEER_HOUR = "volunteer_hour"

#: Dutch labels of the assumptions (charts and reports).
LABELS_NL = {
    "quantity": "aantal",
    "proxy_value": "prijs",
    "deadweight": "deadweight",
    "attribution": "attributie",
    "displacement": "verdringing",
    "drop_off": "afname per jaar",
    "duration": "duur",
    "discount_rate": "disconteringsvoet",
    "investment": "investering",
    VOLUNTEER_HOUR: "prijs vrijwilligersuur (tot KH2024-vervangingskosten)",
}


def label(key: str) -> str:
    """Dutch label of an assumption key (``"a.deadweight"`` -> ``"a: deadweight"``).

    Parameters
    ----------
    key : str
        ``"<outcome>.<column>"`` for a column of one outcome (see
        :data:`OUTCOME_ASSUMPTIONS`), or a global assumption (:data:`GLOBAL_ASSUMPTIONS`,
        :data:`VOLUNTEER_HOUR`).

    Returns
    -------
    str
    """
    if "." in key:
        outcome, column = key.split(".", 1)
        return f"{outcome}: {LABELS_NL.get(column, column)}"
    return LABELS_NL.get(key, key)


class AssumptionModel:
    """Vectorised evaluation of the ratio for many assumption sets at once.

    Drawn fractions are kept within [0, 1] and drawn durations are rounded to whole years
    (at least 1); quantities and prices are used as drawn (a negative quantity is harm).

    Parameters
    ----------
    outcomes : DataFrame
        Validated outcome table.
    investment : DataFrame
        ``year, amount`` and optionally ``volunteer_hours, hour_price``.
    rate : float
        Discount rate of effects.
    horizon : int or None
    cost_rate : float, optional
        Discount rate of costs; default ``rate``.
    """

    def __init__(
        self,
        outcomes: pd.DataFrame,
        investment: pd.DataFrame,
        rate: float,
        horizon: int | None,
        cost_rate: float | None = None,
    ) -> None:
        self.names = list(outcomes["outcome"])
        self.base = {c: outcomes[c].to_numpy(dtype="float64") for c in OUTCOME_ASSUMPTIONS}
        self.start = outcomes["start_year"].to_numpy(dtype="float64")
        self.inv_years = investment["year"].to_numpy(dtype="float64")
        self.inv_amounts = investment["amount"].to_numpy(dtype="float64")
        self.inv_total = float(self.inv_amounts.sum())
        hours = investment.get("volunteer_hours")
        self.inv_hours = (
            np.zeros_like(self.inv_amounts) if hours is None else hours.to_numpy(dtype="float64")
        )
        has_hours = self.inv_hours > 0
        self.hour_price = (
            float(investment.loc[has_hours, "hour_price"].iloc[0]) if has_hours.any() else None
        )
        self.rate = float(rate)
        self.cost_rate = self.rate if cost_rate is None else float(cost_rate)
        self.horizon = horizon
        self._static_weights: np.ndarray | None = None

    def keys(self) -> list[str]:
        """Every assumption key of the map."""
        keys = [f"{name}.{column}" for name in self.names for column in OUTCOME_ASSUMPTIONS]
        extra = [VOLUNTEER_HOUR] if self.hour_price is not None else []
        return [*keys, *GLOBAL_ASSUMPTIONS, *extra]

    def check_keys(self, keys, source: str) -> None:
        """Raise when a key is not an assumption of this map."""
        known = set(self.keys())
        unknown = [key for key in keys if key not in known]
        if unknown:
            msg = (
                f"{source}: onbekende aanname(s) {unknown}; gebruik '<uitkomst>.<kolom>' met "
                f"uitkomsten {self.names} en kolommen {list(OUTCOME_ASSUMPTIONS)}, of "
                f"{[k for k in self.keys() if '.' not in k]}"
            )
            raise ParameterError(msg)

    def _investment_pv(self, rate: np.ndarray | None, hour_price: np.ndarray | None, n: int):
        amounts: np.ndarray = self.inv_amounts
        if hour_price is not None:
            # volunteer rows are hours x price: move them with the drawn price
            amounts = amounts + self.inv_hours * (hour_price[:, None] - self.hour_price)
        if rate is not None and self.cost_rate == self.rate:
            cost_rate: Any = rate
        else:
            cost_rate = np.full(n, self.cost_rate)
        return engine.investment_present_value(self.inv_years, amounts, cost_rate)

    def components(self, overrides: dict[str, np.ndarray], n: int) -> dict[str, Any]:
        """Per-outcome first-year impact and year weights for ``n`` assumption sets."""
        columns: dict[str, np.ndarray] = dict(self.base)
        rate = None
        hour_price = None
        scale = np.ones(n)
        for key, values in overrides.items():
            values = np.asarray(values, dtype="float64")
            if key == "discount_rate":
                rate = values
            elif key == "investment":
                scale = values / self.inv_total
            elif key == VOLUNTEER_HOUR:
                hour_price = values
            else:
                outcome, column = key.split(".", 1)
                if columns[column].ndim == 1:
                    columns[column] = np.tile(columns[column], (n, 1))
                columns[column][:, self.names.index(outcome)] = values
        if columns["duration"].ndim == 2:
            columns["duration"] = np.maximum(np.rint(columns["duration"]), 1)
        for column in FRACTIONS:
            if columns[column].ndim == 2:
                columns[column] = np.clip(columns[column], 0.0, 1.0)
        base = engine.base_impact(
            columns["quantity"],
            columns["proxy_value"],
            columns["deadweight"],
            columns["attribution"],
            columns["displacement"],
        )
        static = rate is None and columns["drop_off"].ndim == 1 and columns["duration"].ndim == 1
        if static:
            weights = self.static_weights
        else:
            weights = engine.year_weights(
                columns["drop_off"],
                columns["duration"],
                self.start,
                self.rate if rate is None else rate[:, None],
                self.horizon,
            )
        k = len(self.names)
        rates = np.full(n, self.rate) if rate is None else rate
        if rate is None and hour_price is None:
            inv = np.full(n, self.static_investment_pv)
        else:
            inv = self._investment_pv(rate, hour_price, n)
        return {
            "columns": columns,
            "base": np.broadcast_to(base, (n, k)),
            "weights": np.broadcast_to(weights, (n, k)),
            "rate": rates,
            "investment_pv": inv * scale,
        }

    @property
    def static_weights(self) -> np.ndarray:
        """Year weights of every outcome at the base assumptions."""
        if self._static_weights is None:
            self._static_weights = engine.year_weights(
                self.base["drop_off"], self.base["duration"], self.start, self.rate, self.horizon
            )
        return self._static_weights

    @property
    def static_investment_pv(self) -> float:
        """Present value of the investment at the base assumptions."""
        return float(
            engine.investment_present_value(self.inv_years, self.inv_amounts, self.cost_rate)
        )

    @staticmethod
    def _outputs(pv: np.ndarray, inv: np.ndarray) -> dict[str, np.ndarray]:
        return {"present_value": pv, "investment_pv": inv, "ratio": pv / inv, "npv": pv - inv}

    def evaluate(self, overrides: dict[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
        """Present value, investment PV, ratio and NPV for ``n`` assumption sets."""
        comp = self.components(overrides, n)
        pv = (comp["base"] * comp["weights"]).sum(axis=1)
        return self._outputs(pv, comp["investment_pv"])

    def evaluate_swapped(
        self,
        comp: dict[str, Any],
        pv: np.ndarray,
        overrides: dict[str, np.ndarray],
        key: str,
        values: np.ndarray,
    ) -> dict[str, np.ndarray]:
        """Outputs when only ``key`` differs from the sets in ``comp`` (Saltelli's AB_i).

        Only the outcome that ``key`` belongs to is recomputed, so the Sobol design costs
        O(n) per assumption instead of O(n × outcomes); the discount rate changes every
        outcome and the volunteer-hour price the investment, so both are evaluated in full.
        """
        n = pv.shape[0]
        if key in ("discount_rate", VOLUNTEER_HOUR):
            return self.evaluate({**overrides, key: values}, n)
        if key == "investment":
            return self._outputs(pv, comp["investment_pv"] * (values / overrides[key]))
        outcome, column = key.split(".", 1)
        o = self.names.index(outcome)
        cols = comp["columns"]

        def current(name: str) -> np.ndarray:
            array = cols[name]
            return array[:, o] if array.ndim == 2 else np.full(n, array[o])

        base_o = comp["base"][:, o]
        weights_o = comp["weights"][:, o]
        if column in FRACTIONS:
            values = np.clip(values, 0.0, 1.0)
        if column in ("drop_off", "duration"):
            drop_off = values if column == "drop_off" else current("drop_off")
            duration = (
                np.maximum(np.rint(values), 1) if column == "duration" else current("duration")
            )
            weights_o = engine.year_weights(
                drop_off, duration, self.start[o], comp["rate"], self.horizon
            )
        else:
            args = {name: current(name) for name in OUTCOME_ASSUMPTIONS[:5]}
            args[column] = values
            base_o = engine.base_impact(
                args["quantity"],
                args["proxy_value"],
                args["deadweight"],
                args["attribution"],
                args["displacement"],
            )
        new_pv = pv - comp["base"][:, o] * comp["weights"][:, o] + base_o * weights_o
        return self._outputs(new_pv, comp["investment_pv"])

    def value(self, key: str) -> float:
        """Base value of one assumption."""
        if key == "discount_rate":
            return self.rate
        if key == "investment":
            return self.inv_total
        if key == VOLUNTEER_HOUR:
            if self.hour_price is None:
                msg = "volunteer_hour: de investering telt geen vrijwilligersuren"
                raise ParameterError(msg)
            return self.hour_price
        outcome, column = key.split(".", 1)
        return float(self.base[column][self.names.index(outcome)])
