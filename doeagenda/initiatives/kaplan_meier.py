"""Kaplan–Meier curves per group with a log-rank test.

Estimators are statsmodels': :class:`~statsmodels.duration.survfunc.SurvfuncRight`
(Kaplan–Meier with Greenwood standard errors, log-log intervals) and
:func:`~statsmodels.duration.survfunc.survdiff` (log-rank). Checked against lifelines'
``KaplanMeierFitter`` (``tests/test_peers.py``, ``benchmarks/bench_peers.py``), which is
not used at run time: statsmodels is already a dependency and lifelines pins ``pandas<3``.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from doeagenda.charts import nl_format
from doeagenda.errors import ParameterError
from doeagenda.initiatives.lifetimes import PROFILES, _as_survival, survival_gate
from doeagenda.initiatives.privacy import chart_safe
from doeagenda.results import NotApplicable, TextResultMixin

__all__ = ["KaplanMeierResult", "kaplan_meier"]

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- Kaplan–Meier
@dataclass
class KaplanMeierResult(TextResultMixin):
    """Kaplan–Meier curves per group and the log-rank test.

    Attributes
    ----------
    curves : DataFrame
        ``groep, jaren, overleving, onder, boven, at_risk`` (step function; 95%
        pointwise log(-log) intervals).
    groups : DataFrame
        Per group ``n, gestopt, mediaan_jaren, overleving_3_jaar, overleving_5_jaar``.
    chi2, df, p : float
        Log-rank test that all groups share one survival curve.
    by : str
        Column used for the groups.
    """

    curves: pd.DataFrame
    groups: pd.DataFrame
    chi2: float
    df: int
    p: float
    by: str

    frame_attribute = "curves"  # to_frame(): a copy of the step curves

    def summary(self) -> pd.DataFrame:
        """Return the per-group table with the log-rank test in its attrs."""
        out = self.groups.copy()
        out.attrs["logrank"] = {"chi2": self.chi2, "df": self.df, "p": self.p}
        return out

    def text(self) -> str:
        """Return a plain-Dutch sentence about the log-rank test."""
        if self.df == 0:
            return "Er is maar één groep: geen vergelijking mogelijk."
        if not np.isfinite(self.p):
            return (
                f"Te weinig gegevens om de overlevingscurven per "
                f"{self.by.replace('_', ' ')} te vergelijken (geen log-ranktoets)."
            )
        verdict = (
            "verschillen duidelijk"
            if self.p < 0.05
            else "verschillen niet duidelijk (het verschil kan toeval zijn)"
        )
        p_text = "p < 0,001" if self.p < 0.001 else f"p = {nl_format(self.p, 3)}"
        return (
            f"De overlevingscurven per {self.by.replace('_', ' ')} {verdict}: "
            f"log-ranktoets chi² = {nl_format(self.chi2, 1)} ({self.df} vrijheidsgraden), "
            f"{p_text}."
        )

    def chart(self):
        """Return the Kaplan–Meier curves as a step chart with confidence bands."""
        import altair as alt

        data = self.curves
        base = alt.Chart(chart_safe(data)).encode(
            x=alt.X("jaren:Q", title="jaren sinds de start"),
            color=alt.Color(
                "groep:N",
                title=self.by.replace("_", " "),
                sort=list(dict.fromkeys(self.curves["groep"])),
            ),
        )
        band = base.mark_area(interpolate="step-after", opacity=0.15).encode(
            y=alt.Y("onder:Q"), y2="boven:Q"
        )
        line = base.mark_line(interpolate="step-after").encode(
            y=alt.Y(
                "overleving:Q",
                title="aandeel nog actief",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            tooltip=[
                alt.Tooltip("groep:N", title="groep"),
                alt.Tooltip("jaren:Q", title="jaren", format=".1f"),
                alt.Tooltip("overleving:Q", title="nog actief", format=".0%"),
                alt.Tooltip("at_risk:Q", title="nog gevolgd"),
            ],
        )
        return (band + line).properties(
            title=f"Hoe lang blijven initiatieven bestaan? (per {self.by.replace('_', ' ')})"
        )


def _km_curve(time: np.ndarray, status: np.ndarray) -> tuple[pd.DataFrame, SurvfuncRight]:
    sf = SurvfuncRight(time, status)
    t = np.concatenate([[0.0], sf.surv_times])
    s = np.concatenate([[1.0], sf.surv_prob])
    se = np.concatenate([[0.0], sf.surv_prob_se])
    at_risk = np.concatenate([[len(time)], sf.n_risk])
    with np.errstate(divide="ignore", invalid="ignore"):
        log_s = np.log(s)
        sd = se / np.abs(s * log_s)
        cll = np.log(-log_s)
        lower = np.exp(-np.exp(cll + 1.96 * sd))
        upper = np.exp(-np.exp(cll - 1.96 * sd))
    ok = np.isfinite(lower) & np.isfinite(upper)
    lower = np.where(ok, lower, s)
    upper = np.where(ok, upper, s)
    frame = pd.DataFrame(
        {"jaren": t, "overleving": s, "onder": lower, "boven": upper, "at_risk": at_risk}
    )
    frame["at_risk"] = frame["at_risk"].astype("int64")
    # carry the curve to the last follow-up time so censored tails are visible
    last = float(np.max(time))
    if last > t[-1]:
        tail = frame.iloc[[-1]].assign(jaren=last, at_risk=int(np.sum(time >= last)))
        frame = pd.concat([frame, tail], ignore_index=True)
    return frame, sf


def _surv_at(frame: pd.DataFrame, years: float) -> float:
    if frame["jaren"].max() < years:
        return float("nan")
    return float(frame.loc[frame["jaren"] <= years, "overleving"].iloc[-1])


def kaplan_meier(
    register, by: str = "financieringsprofiel", peildatum=None
) -> KaplanMeierResult | NotApplicable:
    """Estimate Kaplan–Meier curves per group and test their equality (log-rank).

    Parameters
    ----------
    register : DataFrame, path or ``"voorbeeld"``
        The register, or the output of :func:`survival_data`.
    by : str
        Grouping column of :func:`survival_data` (default ``financieringsprofiel``;
        also ``domein``, ``gemeente_code``, or ``None`` for one curve).
    peildatum : date-like, optional
        See :func:`survival_data`.

    Returns
    -------
    KaplanMeierResult or NotApplicable
        A :class:`~doeagenda.results.NotApplicable` sentence when the register cannot
        show how long initiatives last: a snapshot without stop dates (``energie_2019``)
        or a register in which no initiative stopped (never "all survived").
    """
    gate = survival_gate(register, peildatum)
    if gate is not None:
        return gate
    data = _as_survival(register, peildatum)
    if by is None:
        data = data.assign(alle="alle initiatieven")
        by = "alle"
    if by not in data.columns:
        msg = f"onbekende groepering {by!r}; kies uit {', '.join(data.columns)}"
        raise ParameterError(msg)
    order = [p for p in PROFILES if p in set(data[by])] if by == "financieringsprofiel" else None
    order = order or sorted(data[by].dropna().unique())
    curves, rows = [], []
    for group in order:
        part = data.loc[data[by] == group]
        frame, sf = _km_curve(part["duur_jaren"].to_numpy(), part["gestopt"].to_numpy())
        curves.append(frame.assign(groep=group))
        try:
            median = float(sf.quantile(0.5))
        except (ValueError, IndexError):
            median = float("nan")
        rows.append(
            {
                "groep": group,
                "n": len(part),
                "gestopt": int(part["gestopt"].sum()),
                "mediaan_jaren": median,
                "overleving_3_jaar": _surv_at(frame, 3.0),
                "overleving_5_jaar": _surv_at(frame, 5.0),
            }
        )
    curves_df = pd.concat(curves, ignore_index=True)[
        ["groep", "jaren", "overleving", "onder", "boven", "at_risk"]
    ]
    groups = pd.DataFrame(rows)
    chi2, p, df = float("nan"), float("nan"), len(order) - 1
    if len(order) > 1 and data["gestopt"].sum() > 0:
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                chi2, p = survdiff(
                    data["duur_jaren"].to_numpy(),
                    data["gestopt"].to_numpy(),
                    data[by].astype(str).to_numpy(),
                )
        except np.linalg.LinAlgError:
            logger.info("log-ranktoets niet te berekenen: te weinig gegevens per groep")
    return KaplanMeierResult(curves_df, groups, float(chi2), df, float(p), by)
