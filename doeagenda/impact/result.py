"""The result of an SROI calculation: key figures, price origins, charts and analyses."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import altair as alt
import numpy as np
import pandas as pd

from doeagenda.charts import MUTED, PALETTE, nl_format
from doeagenda.errors import ParameterError
from doeagenda.impact import engine
from doeagenda.impact.actors import MKBAResult, per_actor
from doeagenda.impact.model import VOLUNTEER_HOUR, AssumptionModel
from doeagenda.impact.origins import assumption_share, price_origins, without_flagged
from doeagenda.impact.prices import price_ranges
from doeagenda.impact.sensitivity import SensitivityResult, run_sensitivity
from doeagenda.impact.uncertainty import UncertaintyResult, run_uncertainty
from doeagenda.results import KeyFiguresMixin

if TYPE_CHECKING:
    from doeagenda.impact.valuemap import ValueMap

logger = logging.getLogger(__name__)

__all__ = ["SROIResult"]


@dataclass
class SROIResult(KeyFiguresMixin):
    """Result of :func:`sroi`.

    Attributes
    ----------
    present_value : float
        Present value of all outcomes.
    investment_pv : float
        Present value of the investment.
    npv : float
        ``present_value - investment_pv``.
    ratio : float
        ``present_value / investment_pv`` (euros of value per euro invested).
    payback_years : float
        Years until cumulative discounted value covers the investment (NaN if never).
    by_year : DataFrame
        ``year, outcome, stakeholder, actor, value, discounted``.
    by_stakeholder : DataFrame
        Index ``stakeholder``; ``value, discounted, share``.
    outcomes, investment : DataFrame
        The validated inputs.
    discount_rate : float
        Discount rate of effects (outcome values); the only rate in a one-rate regime.
    horizon : int or None
    value_map : ValueMap or None
        The YAML value map the result came from.
    warnings : list of str
        Over-claiming warnings (Dutch).
    discount_rate_costs : float or None
        Discount rate of costs (the investment); None means ``discount_rate``.
    regime : str or None
        Name of the discounting regime (``"mkba"``, ``"zorginstituut2024"``) if one was
        chosen.
    price_year : int
        Price year of all euro amounts.
    """

    outcomes: pd.DataFrame
    investment: pd.DataFrame
    discount_rate: float
    horizon: int | None
    present_value: float
    investment_pv: float
    npv: float
    ratio: float
    payback_years: float
    by_year: pd.DataFrame
    by_stakeholder: pd.DataFrame
    value_map: ValueMap | None = None
    warnings: list[str] = field(default_factory=list)
    discount_rate_costs: float | None = None
    regime: str | None = None
    price_year: int = 2024

    # -- model access ------------------------------------------------------------------
    def _model(self) -> AssumptionModel:
        return AssumptionModel(
            self.outcomes, self.investment, self.discount_rate, self.horizon, self.cost_rate
        )

    @property
    def cost_rate(self) -> float:
        """Discount rate of costs (equals :attr:`discount_rate` in a one-rate regime)."""
        return self.discount_rate if self.discount_rate_costs is None else self.discount_rate_costs

    @property
    def assumption_share(self) -> float:
        """Share of the present value that rests on prices that are an assumption (0-1)."""
        return assumption_share(self)

    @property
    def ratios_without(self) -> dict[str, float]:
        """Ratio without each flagged outcome (``ook_zonder_rapporteren`` prices)."""
        return without_flagged(self)

    def price_origins(self) -> pd.DataFrame:
        """Where every price of the value map comes from (*Herkomst van de prijzen*).

        Returns
        -------
        DataFrame
            One row per price used (see :func:`doeagenda.impact.origins.price_origins`).
        """
        return price_origins(self)

    @property
    def name(self) -> str:
        """Name of the value map (or 'waardekaart')."""
        return self.value_map.name if self.value_map is not None else "waardekaart"

    @property
    def assumptions(self) -> list[str]:
        """Outcomes whose price is an assumption (``bron: aanname``)."""
        return list(self.outcomes.loc[self.outcomes["aanname"], "outcome"])

    # -- tables ------------------------------------------------------------------------
    def _key_figures(self) -> pd.DataFrame:
        """Key figures (``summary()``/``formatted()``/``view()`` of :class:`KeyFiguresMixin`).

        ``waarde`` holds euros, the ratio, years, discount rates in percent, the share
        resting on assumptions as a fraction (0-1) and the number of prices that are an
        assumption; ``tekst`` the same in Dutch format.
        """
        rows = [
            ("Contante waarde maatschappelijke waarde (€)", self.present_value, 0),
            ("Contante waarde investering (€)", self.investment_pv, 0),
            ("Netto contante waarde (€)", self.npv, 0),
            ("SROI-ratio (€ waarde per geïnvesteerde €)", self.ratio, 2),
            ("Terugverdientijd (jaar)", self.payback_years, 1),
            ("Disconteringsvoet", self.discount_rate * 100, 2),
        ]
        if self.cost_rate != self.discount_rate:
            rows[-1] = ("Disconteringsvoet effecten", self.discount_rate * 100, 2)
            rows.append(("Disconteringsvoet kosten", self.cost_rate * 100, 2))
        rows.append(("aandeel op aannames", self.assumption_share * 100, 0))
        rows.extend(
            (f"SROI-ratio zonder {outcome}", ratio, 2)
            for outcome, ratio in self.ratios_without.items()
        )
        frame = pd.DataFrame(
            {
                "kengetal": [r[0] for r in rows],
                "waarde": [float(r[1]) for r in rows],
                "tekst": [nl_format(r[1], r[2]) for r in rows],
            }
        )
        percent = frame["kengetal"].isin(
            [
                "Disconteringsvoet",
                "Disconteringsvoet effecten",
                "Disconteringsvoet kosten",
                "aandeel op aannames",
            ]
        )
        frame.loc[percent, "tekst"] += "%"
        # the share is a fraction in 'waarde' (0-1) and a percentage in 'tekst'
        frame.loc[frame["kengetal"] == "aandeel op aannames", "waarde"] = self.assumption_share
        if self.assumptions:
            extra = pd.DataFrame(
                {
                    "kengetal": ["Prijzen die een aanname zijn"],
                    "waarde": [float(len(self.assumptions))],
                    "tekst": [", ".join(self.assumptions)],
                }
            )
            frame = pd.concat([frame, extra], ignore_index=True)
        return frame.set_index("kengetal")

    #: :meth:`to_frame` copies the year-by-year values (:attr:`by_year`).
    frame_attribute = "by_year"

    def waterfall(self) -> pd.DataFrame:
        """Steps from gross value to net present value.

        Returns
        -------
        DataFrame
            ``stap, bedrag, begin, eind`` in chart order: gross value, minus deadweight,
            displacement, attribution, drop-off and discounting, the present value, minus
            the investment and the net present value.
        """
        o = self.outcomes
        years = o["duration"].to_numpy(dtype="float64")
        if self.horizon is not None:
            years = np.clip(np.minimum(years, self.horizon - o["start_year"] + 1), 0, None)
        gross_year = o["quantity"] * o["proxy_value"]
        gross = float((gross_year * years).sum())
        deadweight = float((gross_year * o["deadweight"] * years).sum())
        after_dw = gross_year * (1 - o["deadweight"])
        displacement = float((after_dw * o["displacement"] * years).sum())
        after_disp = after_dw * (1 - o["displacement"])
        attribution = float((after_disp * o["attribution"] * years).sum())
        first = after_disp * (1 - o["attribution"])
        undiscounted = float(
            (first * engine.year_weights(o["drop_off"], years, o["start_year"], 0.0)).sum()
        )
        drop_off = float((first * years).sum()) - undiscounted
        discounting = undiscounted - self.present_value
        steps = [
            ("Bruto waarde", gross, "totaal"),
            ("− deadweight", -deadweight, "aftrek"),
            ("− verdringing", -displacement, "aftrek"),
            ("− attributie", -attribution, "aftrek"),
            ("− afname (drop-off)", -drop_off, "aftrek"),
            ("− disconteren", -discounting, "aftrek"),
            ("Contante waarde", self.present_value, "totaal"),
            ("− investering (cw)", -self.investment_pv, "aftrek"),
            ("Netto contante waarde", self.npv, "totaal"),
        ]
        records = []
        level = 0.0
        for label, amount, kind in steps:
            if kind == "totaal":
                begin, end = 0.0, amount
                level = amount
            else:
                begin, end = level, level + amount
                level = end
            records.append(
                {"stap": label, "bedrag": amount, "begin": begin, "eind": end, "soort": kind}
            )
        return pd.DataFrame(records)

    # -- charts ------------------------------------------------------------------------
    def chart(self, kind: str = "waterval") -> alt.Chart | alt.VConcatChart:
        """Waterfall from gross to net value, or value over time by stakeholder.

        Parameters
        ----------
        kind : {"waterval", "tijd", "beide"}
            ``"waterval"`` (also ``"waterfall"``): gross value to net present value;
            ``"tijd"`` (also ``"time"``): discounted value per year, stacked by stakeholder;
            ``"beide"`` (also ``"both"``): the two stacked.

        Returns
        -------
        altair.Chart
        """
        if kind in ("waterval", "waterfall"):
            data = self.waterfall()
            order = list(data["stap"])
            return (
                alt.Chart(data, title=f"Van bruto naar netto waarde — {self.name}")
                .mark_bar()
                .encode(
                    x=alt.X("stap:N", sort=order, title=None, axis=alt.Axis(labelAngle=-30)),
                    y=alt.Y("begin:Q", title="Bedrag (€)"),
                    y2="eind:Q",
                    color=alt.Color(
                        "soort:N",
                        scale=alt.Scale(domain=["totaal", "aftrek"], range=[PALETTE[0], MUTED]),
                        legend=None,
                    ),
                    tooltip=[
                        alt.Tooltip("stap:N", title="Stap"),
                        alt.Tooltip("bedrag:Q", title="Bedrag (€)", format=",.0f"),
                    ],
                )
                .properties(width=480)
            )
        if kind in ("tijd", "time"):
            data = self.by_year.groupby(["year", "stakeholder"], as_index=False)["discounted"].sum()
            return (
                alt.Chart(data, title=f"Contante waarde per jaar en belanghebbende — {self.name}")
                .mark_bar()
                .encode(
                    x=alt.X("year:O", title="Jaar", axis=alt.Axis(labelAngle=0)),
                    y=alt.Y("discounted:Q", title="Contante waarde (€)", stack=True),
                    color=alt.Color("stakeholder:N", title="Belanghebbende"),
                    tooltip=[
                        alt.Tooltip("year:O", title="Jaar"),
                        alt.Tooltip("stakeholder:N", title="Belanghebbende"),
                        alt.Tooltip("discounted:Q", title="Contante waarde (€)", format=",.0f"),
                    ],
                )
                .properties(width=480)
            )
        if kind in ("beide", "both"):
            return alt.vconcat(self.chart("waterval"), self.chart("tijd")).resolve_scale(
                color="independent"
            )
        msg = f"grafieksoort {kind!r} onbekend; kies 'waterval', 'tijd' of 'beide'"
        raise ParameterError(msg)

    # -- analyses ----------------------------------------------------------------------
    def sensitivity(
        self,
        pct: float = 0.2,
        points: float = 0.1,
        ranges: dict[str, tuple[float, float]] | None = None,
    ) -> SensitivityResult:
        """One-at-a-time sensitivity (tornado) and break-even value of every assumption.

        Parameters
        ----------
        pct : float
            Relative swing of amounts (quantity, proxy_value, investment): ±20% by default.
        points : float
            Absolute swing of fractions (deadweight, attribution, displacement, drop_off):
            ±0.10 by default, kept within [0, 1]. Durations swing ±1 year (at least 1),
            the discount rate ±1 percentage point (at least 0). The price of a
            volunteer hour runs from ``pct`` below the minimum wage up to the KH2024
            replacement cost of unpaid work (18.80 per hour in 2022, CPI-indexed).
        ranges : dict, optional
            ``{assumption: (low, high)}`` overriding the default swing of those assumptions.

        Returns
        -------
        SensitivityResult
        """
        model = self._model()
        ranges = dict(ranges or {})
        if model.hour_price is not None and VOLUNTEER_HOUR not in ranges:
            # the KH2024 replacement cost of unpaid work is the upper bound of a volunteer hour
            price_path = self.value_map.price_path if self.value_map is not None else None
            bound = _volunteer_upper_bound(self.price_year, price_path)
            if bound is not None:
                ranges[VOLUNTEER_HOUR] = (model.hour_price * (1 - pct), bound)
        return run_sensitivity(model, self.ratio, self.name, pct=pct, points=points, ranges=ranges)

    def uncertainty(
        self, distributions: Any = None, n: int = 10000, seed: int = 0
    ) -> UncertaintyResult:
        """Monte Carlo of the ratio with first- and total-order Sobol indices.

        Parameters
        ----------
        distributions : dict, str or Path, optional
            ``{assumption: distribution}`` or a distributions YAML (see
            :mod:`doeagenda.impact.distributions`); default the value map's own.
        n : int
            Number of draws (the Sobol design evaluates ``n * (d + 2)`` sets for ``d``
            uncertain assumptions).
        seed : int
            Seed of the random generator.

        Returns
        -------
        UncertaintyResult
        """
        if distributions is None:
            if self.value_map is None or self.value_map.distributions is None:
                msg = (
                    "uncertainty: geen verdelingen gegeven en de waardekaart noemt er geen; geef "
                    "distributions= (een dict of een YAML-bestand)"
                )
                raise ParameterError(msg)
            distributions = self.value_map.distributions
        return run_uncertainty(self, distributions, n=n, seed=seed)

    def mkba(self) -> MKBAResult:
        """The MKBA view: costs and benefits per actor (:func:`doeagenda.impact.mkba`).

        Returns
        -------
        MKBAResult
        """
        return per_actor(self)


def _volunteer_upper_bound(price_year: int, price_path) -> float | None:
    bounds = price_ranges(price_year, price_path)
    if "vrijwilligersuur" not in bounds.index:
        return None
    return float(bounds.loc["vrijwilligersuur", "bovengrens"])
