"""The per-actor table of costs and benefits behind the MKBA view.

:func:`per_actor` splits a computed SROI by ``actor``: benefits (baten) go to an outcome's
actor, costs (kosten) to each investment row's actor, both discounted as in the SROI.
:mod:`doeagenda.impact.mkba` explains what the MKBA view adds (who pays, who gains) and is
the public entry point.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from doeagenda.charts import PALETTE, nl_format
from doeagenda.results import ResultMixin

if TYPE_CHECKING:
    from doeagenda.impact.result import SROIResult

logger = logging.getLogger(__name__)

__all__ = ["MKBAResult", "per_actor"]


def per_actor(result: SROIResult) -> MKBAResult:
    """Costs and benefits per actor of a computed SROI.

    Benefits are discounted with the effects rate, costs with the costs rate (the same
    rate unless the regime separates them).

    Parameters
    ----------
    result : SROIResult

    Returns
    -------
    MKBAResult
    """
    benefits = result.by_year.groupby("actor", sort=False)["discounted"].sum()
    inv = result.investment
    costs = (
        (inv["amount"] / (1 + result.cost_rate) ** inv["year"])
        .groupby(inv["actor"], sort=False)
        .sum()
    )
    actors = list(dict.fromkeys([*costs.index, *benefits.index]))
    table = pd.DataFrame(
        {
            "actor": actors,
            "baten": [float(benefits.get(a, 0.0)) for a in actors],
            "kosten": [float(costs.get(a, 0.0)) for a in actors],
        }
    )
    table["saldo"] = table["baten"] - table["kosten"]
    total_balance = float(table["saldo"].sum())
    table["split_incentive"] = (table["kosten"] > 0) & (table["saldo"] < 0) & (total_balance > 0)
    table = table.sort_values("saldo", kind="stable").reset_index(drop=True)
    return MKBAResult(table=table, result=result)


def _join(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " en " + names[-1]


@dataclass
class MKBAResult(ResultMixin):
    """Costs and benefits per actor (present values in euros).

    Attributes
    ----------
    table : DataFrame
        ``actor, baten, kosten, saldo, split_incentive`` sorted by balance.
    result : SROIResult
        The underlying SROI calculation.
    """

    table: pd.DataFrame
    result: SROIResult

    @property
    def total_benefits(self) -> float:
        """Present value of all benefits (equals the SROI present value)."""
        return float(self.table["baten"].sum())

    @property
    def total_costs(self) -> float:
        """Present value of all costs (equals the SROI investment PV)."""
        return float(self.table["kosten"].sum())

    @property
    def balance(self) -> float:
        """Net benefit for society (equals the SROI NPV)."""
        return self.total_benefits - self.total_costs

    @property
    def split_incentives(self) -> list[str]:
        """Actors who pay more than they gain while society as a whole gains."""
        return list(self.table.loc[self.table["split_incentive"], "actor"])

    def summary(self) -> pd.DataFrame:
        """Per-actor table with Dutch headings and a total row.

        Returns
        -------
        DataFrame
        """
        frame = self.table.rename(
            columns={
                "baten": "baten (cw, €)",
                "kosten": "kosten (cw, €)",
                "saldo": "saldo (€)",
                "split_incentive": "betaalt, baat elders",
            }
        ).set_index("actor")
        frame.loc["Totaal (maatschappij)"] = [
            self.total_benefits,
            self.total_costs,
            self.balance,
            False,
        ]
        for column in ("baten (cw, €)", "kosten (cw, €)", "saldo (€)"):
            frame[column] = frame[column].astype("float64").round(0)
        return frame

    def reading(self) -> str:
        """One Dutch paragraph on who pays and who gains.

        Returns
        -------
        str
        """
        best = self.table.iloc[-1]
        parts = [
            f"Maatschappelijk saldo: € {nl_format(self.balance)} "
            f"(baten € {nl_format(self.total_benefits)}, kosten € {nl_format(self.total_costs)}).",
            f"De grootste winnaar is {best['actor']} (saldo € {nl_format(best['saldo'])}).",
        ]
        if self.split_incentives:
            payers = self.split_incentives
            verb = "betaalt" if len(payers) == 1 else "betalen"
            parts.append(
                f"Gesplitste prikkel: {_join(payers)} {verb} meer dan terugkomt, terwijl de "
                "maatschappij als geheel wint."
            )
        gainers = self.free_gainers
        if gainers:
            parts.append(f"Wie wint zonder mee te betalen: {_join(gainers)}.")
            if self.split_incentives:
                parts.append(
                    "Afspraken over gedeelde financiering tussen wie betaalt en wie wint "
                    "liggen dan voor de hand."
                )
        return " ".join(parts)

    @property
    def free_gainers(self) -> list[str]:
        """Actors with benefits who bear none of the costs."""
        table = self.table
        return list(table.loc[(table["baten"] > 0) & (table["kosten"] == 0), "actor"])

    def chart(self) -> alt.LayerChart:
        """Benefits (up) and costs (down) per actor with the balance as a tick.

        Returns
        -------
        altair.LayerChart
        """
        long = pd.concat(
            [
                pd.DataFrame(
                    {"actor": self.table["actor"], "soort": "baten", "bedrag": self.table["baten"]}
                ),
                pd.DataFrame(
                    {
                        "actor": self.table["actor"],
                        "soort": "kosten",
                        "bedrag": -self.table["kosten"],
                    }
                ),
            ],
            ignore_index=True,
        )
        order = list(self.table["actor"])
        bars = (
            alt.Chart(long, title=f"Wie betaalt, wie wint? — {self.result.name}")
            .mark_bar()
            .encode(
                x=alt.X("actor:N", sort=order, title=None, axis=alt.Axis(labelAngle=-30)),
                y=alt.Y("bedrag:Q", title="Contante waarde (€)"),
                color=alt.Color(
                    "soort:N",
                    title=None,
                    scale=alt.Scale(domain=["baten", "kosten"], range=[PALETTE[2], PALETTE[3]]),
                ),
                tooltip=[
                    alt.Tooltip("actor:N", title="Actor"),
                    alt.Tooltip("soort:N", title="Soort"),
                    alt.Tooltip("bedrag:Q", title="Bedrag (€)", format=",.0f"),
                ],
            )
        )
        ticks = (
            alt.Chart(self.table)
            .mark_tick(color="black", thickness=3, size=30)
            .encode(
                x=alt.X("actor:N", sort=order),
                y=alt.Y("saldo:Q"),
                tooltip=[alt.Tooltip("saldo:Q", title="Saldo (€)", format=",.0f")],
            )
        )
        return alt.layer(bars, ticks).properties(width=480)
