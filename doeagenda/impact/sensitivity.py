"""One-at-a-time sensitivity (tornado) and break-even values of a value map's assumptions."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
from scipy import optimize

from doeagenda.charts import HIGHLIGHT, PALETTE, reference_line
from doeagenda.impact.model import VOLUNTEER_HOUR, AssumptionModel, label
from doeagenda.impact.valuemap import FRACTIONS
from doeagenda.results import ResultMixin

logger = logging.getLogger(__name__)

__all__ = ["SensitivityResult", "run_sensitivity"]


def run_sensitivity(
    model: AssumptionModel,
    base_ratio: float,
    name: str,
    pct: float = 0.2,
    points: float = 0.1,
    ranges: dict[str, tuple[float, float]] | None = None,
) -> SensitivityResult:
    """One-at-a-time sensitivity of the ratio (see :meth:`SROIResult.sensitivity`).

    Parameters
    ----------
    model : AssumptionModel
    base_ratio : float
        The ratio at the base values.
    name : str
        Name of the value map.
    pct, points : float
        Relative swing of amounts and absolute swing of fractions.
    ranges : dict, optional
        ``{assumption: (low, high)}`` overriding the default swing.

    Returns
    -------
    SensitivityResult
    """
    ranges = dict(ranges or {})
    model.check_keys(ranges, "sensitivity ranges")
    keys = model.keys()
    lows, highs, bases = [], [], []
    for key in keys:
        base = model.value(key)
        column = key.split(".", 1)[1] if "." in key else key
        if key in ranges:
            low, high = (float(v) for v in ranges[key])
        elif column in FRACTIONS:
            low, high = max(base - points, 0.0), min(base + points, 1.0)
        elif column == "duration":
            low, high = max(base - 1, 1.0), base + 1
        elif column == "discount_rate":
            low, high = max(base - 0.01, 0.0), base + 0.01
        else:
            low, high = base * (1 - pct), base * (1 + pct)
        lows.append(low)
        highs.append(high)
        bases.append(base)
    ratio_low = [
        model.evaluate({k: np.array([v])}, 1)["ratio"][0] for k, v in zip(keys, lows, strict=True)
    ]
    ratio_high = [
        model.evaluate({k: np.array([v])}, 1)["ratio"][0] for k, v in zip(keys, highs, strict=True)
    ]
    breaks = [_break_even(model, key, base_ratio) for key in keys]
    table = pd.DataFrame(
        {
            "assumption": keys,
            "label": [label(k) for k in keys],
            "base": bases,
            "low": lows,
            "high": highs,
            "ratio_low": ratio_low,
            "ratio_high": ratio_high,
            "break_even": [b[0] for b in breaks],
            "break_even_feasible": [b[1] for b in breaks],
        }
    )
    table["swing"] = (table["ratio_high"] - table["ratio_low"]).abs()
    table = table.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    return SensitivityResult(table=table, base_ratio=base_ratio, name=name)


def _break_even(model: AssumptionModel, key: str, base_ratio: float) -> tuple[float, bool]:
    """Value of one assumption at which the ratio is exactly 1 (others fixed)."""
    column = key.split(".", 1)[1] if "." in key else key

    def ratio_at(values) -> np.ndarray:
        values = np.atleast_1d(np.asarray(values, dtype="float64"))
        return model.evaluate({key: values}, values.size)["ratio"]

    if column == "investment":
        return model.inv_total * base_ratio, True
    if column == VOLUNTEER_HOUR:
        # the investment PV is linear in the hour price: solve PV = investment PV directly
        at = model.evaluate({key: np.array([0.0, 1.0])}, 2)
        present_value = float(at["present_value"][0])
        i0, i1 = (float(v) for v in at["investment_pv"])
        if i1 == i0:
            return float("nan"), False
        value = (present_value - i0) / (i1 - i0)
        return float(value), bool(value >= 0)
    if column in ("quantity", "proxy_value", "deadweight", "attribution", "displacement"):
        r0, r1 = ratio_at([0.0, 1.0])
        slope = r1 - r0
        if slope == 0:
            return float("nan"), False
        value = float((1 - r0) / slope)
        upper = 1.0 if column in FRACTIONS else np.inf
        return value, bool(0 <= value <= upper)
    if column == "duration":
        durations = np.arange(1, 101)
        ratios = ratio_at(durations)
        above = np.nonzero(ratios >= 1)[0]
        if above.size == 0:
            return float("nan"), False
        return float(durations[above[0]]), True
    # drop_off in [0, 1] and discount_rate in [0, 1): monotone, solve numerically
    low, high = (0.0, 1.0) if column == "drop_off" else (0.0, 0.99)
    f_low, f_high = ratio_at([low, high]) - 1
    if f_low == 0:
        return low, True
    if np.sign(f_low) == np.sign(f_high):
        return float("nan"), False
    root = optimize.brentq(lambda v: float(ratio_at(v)[0] - 1), low, high, xtol=1e-10)
    return float(root), True


@dataclass
class SensitivityResult(ResultMixin):
    """One-at-a-time sensitivity of the SROI ratio.

    Attributes
    ----------
    table : DataFrame
        One row per assumption, sorted by swing: ``assumption, label, base, low, high,
        ratio_low, ratio_high, break_even, break_even_feasible, swing``. ``break_even``
        is the value of the assumption at which the ratio is 1:1 with all others at
        their base values (NaN when no such value exists); ``break_even_feasible`` says
        whether it lies in the admissible range (fractions in [0, 1], amounts >= 0).
    base_ratio : float
    name : str
    """

    table: pd.DataFrame
    base_ratio: float
    name: str = "waardekaart"

    def summary(self, top: int = 10) -> pd.DataFrame:
        """The assumptions that move the ratio most, with Dutch column names.

        Parameters
        ----------
        top : int
            Number of rows.

        Returns
        -------
        DataFrame
        """
        frame = self.table.head(top)
        return pd.DataFrame(
            {
                "aanname": frame["label"],
                "basiswaarde": frame["base"],
                "laag": frame["low"],
                "hoog": frame["high"],
                "ratio bij laag": frame["ratio_low"].round(2),
                "ratio bij hoog": frame["ratio_high"].round(2),
                "omslagpunt (ratio 1:1)": frame["break_even"],
                "omslagpunt haalbaar": frame["break_even_feasible"],
            }
        ).set_index("aanname")

    def chart(self, top: int = 12) -> alt.LayerChart:
        """Tornado chart of the ratio for the low and high value of each assumption.

        Parameters
        ----------
        top : int
            Number of assumptions shown (largest swing first).

        Returns
        -------
        altair.LayerChart
        """
        frame = self.table.head(top)
        order = list(frame["label"])
        long = pd.concat(
            [
                pd.DataFrame(
                    {"aanname": frame["label"], "ratio": frame["ratio_low"], "kant": "laag"}
                ),
                pd.DataFrame(
                    {"aanname": frame["label"], "ratio": frame["ratio_high"], "kant": "hoog"}
                ),
            ],
            ignore_index=True,
        )
        long["basis"] = self.base_ratio
        bars = (
            alt.Chart(long, title=f"Gevoeligheid van de SROI-ratio — {self.name}")
            .mark_bar()
            .encode(
                y=alt.Y("aanname:N", sort=order, title=None),
                x=alt.X("ratio:Q", title="SROI-ratio"),
                x2="basis:Q",
                color=alt.Color(
                    "kant:N",
                    title="Aanname",
                    scale=alt.Scale(domain=["laag", "hoog"], range=[PALETTE[5], PALETTE[0]]),
                ),
                tooltip=[
                    alt.Tooltip("aanname:N", title="Aanname"),
                    alt.Tooltip("kant:N", title="Waarde"),
                    alt.Tooltip("ratio:Q", title="Ratio", format=".2f"),
                ],
            )
        )
        base = reference_line(self.base_ratio, "x", color="black")
        one = reference_line(1.0, "x", color=HIGHLIGHT, strokeDash=[4, 4])
        return alt.layer(bars, base, one)
