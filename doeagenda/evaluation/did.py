"""Difference-in-differences with two-way fixed effects, and event studies.

:func:`did` estimates ``y_it = a_i + l_t + beta * treated_i * post_t (+ X_it g) + e_it``
by OLS with the unit and period effects absorbed (see :mod:`._fe`), standard errors
clustered by unit (or ``cluster``) with the small-sample correction of Stata ``xtreg,
vce(cluster)`` and R ``fixest``, and — with fewer than 30 clusters — a wild cluster
bootstrap p-value and confidence interval (:mod:`._wild`), because analytic clustered
standard errors are unreliable with few clusters (Cameron, Gelbach & Miller 2008;
MacKinnon & Webb 2017).

:func:`event_study` replaces the single treatment dummy by one dummy per period
relative to the start (leads and lags, reference period -1) and tests the leads jointly
for pre-trends.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats

from doeagenda.charts import HIGHLIGHT, PALETTE, highlight_color, reference_line
from doeagenda.errors import DataError, EstimationError, ParameterError
from doeagenda.evaluation._common import (
    PreTrendWarning,
    SingleTreatedUnitWarning,
    check_binary,
    check_choice,
    check_numeric,
    estimate_rows,
    excludes_zero,
    prepare_panel,
    summary_frame,
    warn,
    warn_unbalanced,
)
from doeagenda.evaluation._fe import codes_of, fe_ols
from doeagenda.evaluation._wild import wild_cluster_bootstrap
from doeagenda.results import ResultMixin

logger = logging.getLogger(__name__)

__all__ = ["DiDResult", "EventStudyResult", "did", "event_study"]

#: Below this number of clusters the wild cluster bootstrap is added automatically.
FEW_CLUSTERS = 30


@dataclass
class DiDResult(ResultMixin):
    """Result of :func:`did`.

    Attributes
    ----------
    estimate, se : float
        The DiD coefficient and its CR1 cluster-robust standard error.
    ci : tuple of float
        95% (``1 - alpha``) confidence interval, Student-t with ``G - 1`` df.
    pvalue : float
        Two-sided p-value of the analytic test.
    n_units, n_obs : int
        Units and rows used.
    method : str
        Description of the estimator.
    n_treated_units, n_clusters : int
    boot_pvalue : float
        Wild cluster bootstrap p-value (NaN when not computed).
    boot_ci : tuple of float
        Wild cluster bootstrap confidence interval (test inversion).
    boot_weights : str
        ``"rademacher"``, ``"webb"`` or ``""``.
    coefficients : DataFrame
        All non-absorbed coefficients (term, estimate, se, pvalue).
    trends : DataFrame
        Mean outcome by group (behandeld/controle) and period, for the chart.
    warnings : list of str
        Honesty warnings (also in ``summary()``).
    """

    estimate: float
    se: float
    ci: tuple[float, float]
    pvalue: float
    n_units: int
    n_obs: int
    method: str
    n_treated_units: int = 0
    n_clusters: int = 0
    alpha: float = 0.05
    boot_pvalue: float = float("nan")
    boot_ci: tuple[float, float] = (float("nan"), float("nan"))
    boot_weights: str = ""
    coefficients: pd.DataFrame = field(default_factory=pd.DataFrame)
    trends: pd.DataFrame = field(default_factory=pd.DataFrame)
    outcome: str = ""
    time: str = ""
    start: object = None
    warnings: list[str] = field(default_factory=list)

    @property
    def significant(self) -> bool:
        """True when the preferred interval (bootstrap if computed) excludes zero."""
        return excludes_zero(self.preferred_ci)

    @property
    def preferred_ci(self) -> tuple[float, float]:
        """The bootstrap CI when computed (few clusters), else the analytic CI."""
        return self.boot_ci if self.boot_weights else self.ci

    @property
    def preferred_pvalue(self) -> float:
        """The bootstrap p-value when computed (few clusters), else the analytic one."""
        return self.boot_pvalue if self.boot_weights else self.pvalue

    def summary(self) -> pd.DataFrame:
        """Summarise the estimate, its uncertainty and the warnings (Dutch labels)."""
        rows = estimate_rows(
            self.method, self.estimate, self.se, self.ci, self.pvalue, self.alpha,
            se_label="standaardfout (CR1, geclusterd)",
        )  # fmt: skip
        if self.boot_weights:
            rows += [
                (f"wild cluster bootstrap p-waarde ({self.boot_weights})", self.boot_pvalue),
                ("wild cluster bootstrap interval", self.boot_ci),
            ]
        rows += [
            ("eenheden", self.n_units),
            ("behandelde eenheden", self.n_treated_units),
            ("clusters", self.n_clusters),
            ("waarnemingen", self.n_obs),
        ]
        return summary_frame(rows, self.warnings)

    def to_frame(self) -> pd.DataFrame:
        """One row with the main numbers."""
        low, high = self.ci
        blow, bhigh = self.boot_ci
        return pd.DataFrame(
            [
                {
                    "methode": self.method,
                    "effect": self.estimate,
                    "se": self.se,
                    "ci_laag": low,
                    "ci_hoog": high,
                    "p_waarde": self.pvalue,
                    "bootstrap_p": self.boot_pvalue,
                    "bootstrap_ci_laag": blow,
                    "bootstrap_ci_hoog": bhigh,
                    "eenheden": self.n_units,
                    "waarnemingen": self.n_obs,
                }
            ]
        )

    def chart(self) -> alt.Chart:
        """Mean outcome over time for treated and control units, start marked."""
        data = self.trends.rename(columns={self.time: "periode", self.outcome: "gemiddelde"})
        lines = (
            alt.Chart(data)
            .mark_line(point=True)
            .encode(
                x=alt.X("periode:O", title="Periode"),
                y=alt.Y(
                    "gemiddelde:Q", title=f"Gemiddelde {self.outcome}", scale=alt.Scale(zero=False)
                ),
                color=highlight_color("groep", "behandeld", "controle", title="Groep"),
                tooltip=["groep:N", "periode:O", alt.Tooltip("gemiddelde:Q", format=".2f")],
            )
        )
        title = (
            f"Verschil-in-verschillen: effect {self.estimate:.2f} "
            f"(interval {self.preferred_ci[0]:.2f} tot {self.preferred_ci[1]:.2f})"
        )
        return lines.properties(title=title)


@dataclass
class EventStudyResult(ResultMixin):
    """Result of :func:`event_study`.

    Attributes
    ----------
    table : DataFrame
        ``event_time, estimate, se, ci_low, ci_high, pvalue`` (reference period has 0).
    pretrend_f, pretrend_pvalue : float
        Joint F-test that all leads (event time <= -2) are zero (analytic CR1; it
        over-rejects with few treated clusters).
    pretrend_slope, pretrend_slope_pvalue : float
        Differential linear trend of the treated units before their start and its
        p-value (wild cluster bootstrap with fewer than 30 clusters). This one-degree
        test drives the :class:`PreTrendWarning`.
    """

    table: pd.DataFrame
    pretrend_f: float
    pretrend_pvalue: float
    reference: int
    n_units: int
    n_obs: int
    method: str
    pretrend_slope: float = float("nan")
    pretrend_slope_pvalue: float = float("nan")
    alpha: float = 0.05
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> pd.DataFrame:
        """Summarise the pre-trend test and the warnings (Dutch labels)."""
        rows = [
            ("methode", self.method),
            ("referentieperiode (t.o.v. start)", self.reference),
            ("toets op pre-trends: F", self.pretrend_f),
            ("toets op pre-trends: p-waarde", self.pretrend_pvalue),
            ("verschil in lineaire pre-trend per periode", self.pretrend_slope),
            (
                "pre-trend p-waarde (lineair; wild bootstrap bij < 30 clusters)",
                self.pretrend_slope_pvalue,
            ),
            ("eenheden", self.n_units),
            ("waarnemingen", self.n_obs),
        ]
        return summary_frame(rows, self.warnings)

    def chart(self) -> alt.LayerChart:
        """Estimates per event time with confidence intervals."""
        data = self.table.assign(fase=np.where(self.table["event_time"] < 0, "voor", "na"))
        base = alt.Chart(data).encode(x=alt.X("event_time:Q", title="Perioden t.o.v. de start"))
        bars = base.mark_rule(strokeWidth=2).encode(
            y=alt.Y("ci_low:Q", title="Effect"),
            y2="ci_high:Q",
            color=alt.Color(
                "fase:N",
                title="",
                scale=alt.Scale(domain=["voor", "na"], range=[PALETTE[0], HIGHLIGHT]),
            ),
        )
        points = base.mark_point(size=60).encode(
            y="estimate:Q",
            color="fase:N",
            tooltip=[
                alt.Tooltip("event_time:Q", title="t.o.v. start"),
                alt.Tooltip("estimate:Q", title="effect", format=".2f"),
                alt.Tooltip("ci_low:Q", title="ondergrens", format=".2f"),
                alt.Tooltip("ci_high:Q", title="bovengrens", format=".2f"),
            ],
        )
        zero = reference_line(0.0)
        start = reference_line(-0.5, "x", strokeDash=[4, 4])
        p_pre = self.pretrend_slope_pvalue
        if not np.isfinite(p_pre):
            p_pre = self.pretrend_pvalue
        return alt.layer(zero, start, bars, points).properties(
            title=f"Effect per periode t.o.v. de start (pre-trendtoets p = {p_pre:.2f})"
        )


def _weights_of(frame: pd.DataFrame, weights: str | None) -> np.ndarray | None:
    if weights is None:
        return None
    w = check_numeric(frame, weights, role="weights")
    if np.any(~np.isfinite(w)) or np.any(w <= 0):
        msg = f"gewichtenkolom {weights!r} moet positieve getallen bevatten, zonder lege cellen"
        raise DataError(msg)
    return w


def _covariate_matrix(frame: pd.DataFrame, covariates: list[str] | None) -> np.ndarray:
    if not covariates:
        return np.empty((len(frame), 0))
    cols = [check_numeric(frame, c, role="covariate") for c in covariates]
    x = np.column_stack(cols)
    if np.isnan(x).any():
        row = int(np.argmax(np.isnan(x).any(axis=1)))
        msg = (
            f"covariaatwaarden ontbreken in rij {row} "
            f"({', '.join(covariates)}); vul ze in of laat de covariaat weg"
        )
        raise DataError(msg)
    return x


def _as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def did(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    treated: str,
    post: str,
    covariates: list[str] | None = None,
    cluster: str | None = None,
    weights: str | None = None,
    *,
    alpha: float = 0.05,
    bootstrap: bool | None = None,
    boot_weights: str | None = None,
    n_boot: int = 9999,
    seed: int | None = 12345,
) -> DiDResult:
    """Estimate a difference-in-differences effect with two-way fixed effects.

    Parameters
    ----------
    data : DataFrame
        Long panel, one row per unit and period.
    outcome, unit, time : str
        Column names.
    treated : str
        0/1 column: the unit is (ever) treated.
    post : str
        0/1 column: the period is after the start. The treatment dummy is
        ``treated * post``; unit and period fixed effects absorb the main effects.
    covariates : list of str, optional
        Time-varying control variables.
    cluster : str, optional
        Cluster column (default ``unit``).
    weights : str, optional
        Analytic (e.g. population) weights column.
    alpha : float
        1 - confidence level.
    bootstrap : bool, optional
        Add the wild cluster bootstrap (default: when there are fewer than 30 clusters).
    boot_weights : {"rademacher", "webb"}, optional
        Default Webb with fewer than 12 clusters (Rademacher has only ``2**G`` distinct
        draws, Webb 2014), else Rademacher.
    n_boot : int
        Bootstrap draws.
    seed : int, optional
        Seed of the bootstrap draws.

    Returns
    -------
    DiDResult

    Raises
    ------
    DataError
        Missing columns, duplicate rows, non-numeric outcome, non-0/1 indicators.
    EstimationError
        No treated or no control units, no pre- or post-period.
    """
    covariates = _as_list(covariates)
    cluster = cluster or unit
    frame = prepare_panel(
        data, outcome, unit, time, extra=[treated, post, cluster, weights, *covariates]
    )
    notes: list[str] = []
    tr = check_binary(frame, treated)
    po = check_binary(frame, post)
    dummy = tr * po
    frame = frame.assign(_d=dummy)
    treated_units = frame.loc[frame["_d"] == 1, unit].unique()
    if len(treated_units) == 0:
        msg = f"geen behandelde waarnemingen: {treated!r} * {post!r} is nooit 1; controleer beide kolommen"
        raise EstimationError(msg)
    ever = frame.groupby(unit)["_d"].transform("max")
    if (ever == 0).sum() == 0:
        msg = "geen controle-eenheden: elke eenheid wordt ooit behandeld; DiD vraagt onbehandelde eenheden"
        raise EstimationError(msg)
    pre_treated = ((ever == 1) & (frame["_d"] == 0)).sum()
    if pre_treated == 0:
        msg = (
            f"geen voorperiode: de behandelde eenheden hebben geen rijen met {post!r} = 0; DiD "
            "vraagt perioden voor de start"
        )
        raise EstimationError(msg)
    warn_unbalanced(frame, unit, time, notes)
    w = _weights_of(frame, weights)
    xcov = _covariate_matrix(frame, covariates)
    x = np.column_stack([dummy, xcov])
    fit = fe_ols(
        frame[outcome].to_numpy(float),
        x,
        [codes_of(frame[unit]), codes_of(frame[time])],
        codes_of(frame[cluster]),
        weights=w,
        names=["treated x post", *covariates],
    )
    se_all = np.sqrt(np.diag(fit.vcov))
    t_all = fit.beta / se_all
    p_all = 2 * stats.t.sf(np.abs(t_all), fit.df)
    crit = stats.t.ppf(1 - alpha / 2, fit.df)
    est, se = float(fit.beta[0]), float(se_all[0])
    n_treated_clusters = frame.loc[frame["_d"] == 1, cluster].nunique()
    if n_treated_clusters == 1:
        warn(
            notes,
            SingleTreatedUnitWarning,
            "Eén behandelde eenheid (cluster): geclusterde standaardfouten en ook de wild "
            "bootstrap zijn dan onbetrouwbaar (Conley & Taber 2011; MacKinnon & Webb 2017). "
            "Gebruik synthetische controle met de placebotoets.",
        )
    result = DiDResult(
        estimate=est,
        se=se,
        ci=(est - crit * se, est + crit * se),
        pvalue=float(p_all[0]),
        n_units=int(frame[unit].nunique()),
        n_obs=int(fit.n),
        method="verschil-in-verschillen (twee-weg vaste effecten, CR1 geclusterd)",
        n_treated_units=len(treated_units),
        n_clusters=fit.n_clusters,
        alpha=alpha,
        coefficients=pd.DataFrame(
            {
                "term": ["treated x post", *covariates],
                "estimate": fit.beta,
                "se": se_all,
                "pvalue": p_all,
            }
        ),
        trends=_trends(frame, outcome, unit, time, ever),
        outcome=outcome,
        time=time,
        warnings=notes,
    )
    use_boot = fit.n_clusters < FEW_CLUSTERS if bootstrap is None else bootstrap
    if use_boot:
        kind = boot_weights or ("webb" if fit.n_clusters < 12 else "rademacher")
        check_choice(kind, "boot_weights", ("rademacher", "webb"))
        boot = wild_cluster_bootstrap(
            fit, 0, weights=w, kind=kind, n_boot=n_boot, alpha=alpha, seed=seed
        )
        result.boot_pvalue = boot.pvalue
        result.boot_ci = boot.ci
        result.boot_weights = kind
    return result


def _trends(
    frame: pd.DataFrame, outcome: str, unit: str, time: str, ever: pd.Series
) -> pd.DataFrame:
    grouped = frame.assign(groep=np.where(ever.to_numpy() == 1, "behandeld", "controle"))
    return grouped.groupby(["groep", time], as_index=False)[outcome].mean()


def _first_treated_from(
    frame: pd.DataFrame,
    unit: str,
    time: str,
    first_treated: str | None,
    treated: str | None,
    post: str | None,
) -> pd.Series:
    """First treated period per row (NaN for never treated)."""
    if first_treated is not None:
        values = frame[first_treated]
        if not pd.api.types.is_datetime64_any_dtype(values):
            values = pd.Series(check_numeric(frame, first_treated, role="first_treated"))
            values = values.where(values != 0)
        return values
    if treated is None or post is None:
        msg = "event_study vraagt first_treated=... of zowel treated=... als post=..."
        raise ParameterError(msg)
    d = check_binary(frame, treated) * check_binary(frame, post)
    first = frame.loc[d == 1].groupby(unit)[time].min()
    return frame[unit].map(first)


def event_study(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str | None = None,
    *,
    treated: str | None = None,
    post: str | None = None,
    leads: int | None = None,
    lags: int | None = None,
    reference: int = -1,
    covariates: list[str] | None = None,
    cluster: str | None = None,
    weights: str | None = None,
    alpha: float = 0.05,
) -> EventStudyResult:
    """Estimate leads and lags relative to the start (two-way fixed effects event study).

    Each treated unit gets dummies for its periods relative to its own start
    (``event time = period rank - start rank``); the reference period (default -1) is
    left out; event times beyond ``-leads`` and ``lags`` are binned into the end
    dummies. Never-treated units have no dummies. Standard errors as in :func:`did`.
    The leads (event time <= -2) are tested jointly (Wald F with ``G - 1`` df); a
    :class:`PreTrendWarning` is issued when p < 0.05.

    With staggered starts and effects that change over time the TWFE event study can
    be biased (Sun & Abraham 2021); :func:`doeagenda.evaluation.staggered_did` with
    ``.aggregate("dynamic")`` is the robust alternative.

    Parameters
    ----------
    data : DataFrame
        Long panel.
    outcome, unit, time : str
        Column names.
    first_treated : str, optional
        Column with each unit's first treated period (0 or missing: never treated).
    treated, post : str, optional
        Alternative to ``first_treated``: the 0/1 columns of :func:`did`.
    leads, lags : int, optional
        Number of pre and post periods shown (default: all).
    reference : int
        Omitted event time.
    covariates, cluster, weights, alpha
        As in :func:`did`.

    Returns
    -------
    EventStudyResult
    """
    covariates = _as_list(covariates)
    cluster = cluster or unit
    frame = prepare_panel(
        data,
        outcome,
        unit,
        time,
        extra=[first_treated, treated, post, cluster, weights, *covariates],
    )
    notes: list[str] = []
    first = _first_treated_from(frame, unit, time, first_treated, treated, post)
    times = np.sort(frame[time].unique())
    rank_t = np.searchsorted(times, frame[time].to_numpy())
    is_treated = first.notna().to_numpy()
    if not is_treated.any():
        msg = "geen behandelde eenheden: first_treated is leeg of 0 voor elke eenheid"
        raise EstimationError(msg)
    if is_treated.all():
        logger.info("event study without never-treated units: identified from timing only")
    rank_g = np.searchsorted(times, first.to_numpy()[is_treated], side="left")
    event = np.full(len(frame), np.nan)
    event[is_treated] = rank_t[is_treated] - rank_g
    lo = int(np.nanmin(event)) if leads is None else -int(leads)
    hi = int(np.nanmax(event)) if lags is None else int(lags)
    if lo > -1 or reference < lo:
        msg = "geen voorperiode: de behandelde eenheden zijn niet waargenomen voor hun start"
        raise EstimationError(msg)
    binned = np.clip(event, lo, hi)
    ev_values = [e for e in range(lo, hi + 1) if e != reference and np.any(binned == e)]
    x = np.column_stack([(binned == e).astype(float) for e in ev_values])
    warn_unbalanced(frame, unit, time, notes)
    w = _weights_of(frame, weights)
    xcov = _covariate_matrix(frame, covariates)
    fit = fe_ols(
        frame[outcome].to_numpy(float),
        np.column_stack([x, xcov]),
        [codes_of(frame[unit]), codes_of(frame[time])],
        codes_of(frame[cluster]),
        weights=w,
        names=[f"event time {e}" for e in ev_values] + covariates,
    )
    k = len(ev_values)
    beta = fit.beta[:k]
    vcov = fit.vcov[:k, :k]
    se = np.sqrt(np.diag(vcov))
    crit = stats.t.ppf(1 - alpha / 2, fit.df)
    table = pd.DataFrame(
        {
            "event_time": ev_values,
            "estimate": beta,
            "se": se,
            "ci_low": beta - crit * se,
            "ci_high": beta + crit * se,
            "pvalue": 2 * stats.t.sf(np.abs(beta / se), fit.df),
        }
    )
    ref = pd.DataFrame(
        [
            {
                "event_time": reference,
                "estimate": 0.0,
                "se": 0.0,
                "ci_low": 0.0,
                "ci_high": 0.0,
                "pvalue": np.nan,
            }
        ]
    )
    table = (
        pd.concat([table, ref], ignore_index=True).sort_values("event_time").reset_index(drop=True)
    )
    lead_idx = [i for i, e in enumerate(ev_values) if e <= -2]
    f_stat, f_p = float("nan"), float("nan")
    if lead_idx:
        b = beta[lead_idx]
        v = vcov[np.ix_(lead_idx, lead_idx)]
        q = len(lead_idx)
        f_stat = float(b @ np.linalg.pinv(v) @ b) / q
        f_p = float(stats.f.sf(f_stat, q, fit.df))
    trend, trend_p = _linear_pretrend(
        frame, outcome, unit, time, cluster, is_treated, event, rank_t, w
    )
    if np.isfinite(trend_p) and trend_p < 0.05:
        warn(
            notes,
            PreTrendWarning,
            f"Pre-trends: voor de start liepen behandelde en controle-eenheden al uiteen "
            f"({trend:+.3g} per periode, p = {trend_p:.3f}); de aanname van parallelle "
            "trends is twijfelachtig.",
        )
    n_treated_clusters = frame.loc[is_treated, cluster].nunique()
    if n_treated_clusters == 1:
        warn(
            notes,
            SingleTreatedUnitWarning,
            "Eén behandelde eenheid (cluster): geclusterde standaardfouten zijn onbetrouwbaar.",
        )
    return EventStudyResult(
        table=table,
        pretrend_f=f_stat,
        pretrend_pvalue=f_p,
        pretrend_slope=trend,
        pretrend_slope_pvalue=trend_p,
        reference=reference,
        n_units=int(frame[unit].nunique()),
        n_obs=fit.n,
        method="event study (twee-weg vaste effecten, CR1 geclusterd)",
        alpha=alpha,
        warnings=notes,
    )


def _linear_pretrend(
    frame: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    cluster: str,
    is_treated: np.ndarray,
    event: np.ndarray,
    rank_t: np.ndarray,
    w: np.ndarray | None,
) -> tuple[float, float]:
    """Differential linear pre-trend of treated units (TWFE on pre-period rows)."""
    keep = ~is_treated | (event < 0)
    sub = frame.loc[keep]
    slope = np.where(is_treated, rank_t, 0.0)[keep].astype(float)
    pre_counts = sub.loc[is_treated[keep]].groupby(unit)[time].nunique()
    if len(pre_counts) == 0 or pre_counts.max() < 2 or (~is_treated).sum() == 0:
        return float("nan"), float("nan")
    try:
        fit = fe_ols(
            sub[outcome].to_numpy(float),
            slope[:, None],
            [codes_of(sub[unit]), codes_of(sub[time])],
            codes_of(sub[cluster]),
            weights=None if w is None else w[keep],
            names=["pre-trend"],
        )
    except EstimationError:
        return float("nan"), float("nan")
    est = float(fit.beta[0])
    if fit.n_clusters < FEW_CLUSTERS:
        kind = "webb" if fit.n_clusters < 12 else "rademacher"
        boot = wild_cluster_bootstrap(
            fit, 0, weights=None if w is None else w[keep], kind=kind, n_boot=1999
        )
        return est, boot.pvalue
    se = float(np.sqrt(fit.vcov[0, 0]))
    return est, float(2 * stats.t.sf(abs(est / se), fit.df))
