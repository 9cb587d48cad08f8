"""Staggered adoption: Callaway & Sant'Anna (2021) group-time average treatment effects.

Implements the defaults of their R package ``did`` (``att_gt``):

* panel data, balanced (units that miss a period are dropped, as ``did`` does);
* doubly robust estimation (``est_method="dr"``: Sant'Anna & Zhao 2020, ``DRDID::
  drdid_panel``): logit propensity score and OLS outcome regression of the change in
  the outcome on covariates measured in the base period; without covariates this is
  exactly the 2×2 DiD ``mean(ΔY | G=g) - mean(ΔY | control)``;
* ``base_period="varying"``: post-periods compare with period ``g - 1``, pre-periods
  ``t`` with ``t - 1`` (so pre-period estimates are placebo one-period changes);
* ``control_group``: ``"never_treated"`` (units with first_treated 0 or missing) or
  ``"not_yet_treated"`` (also units whose start lies after both ``t`` and the base
  period); with not-yet-treated controls and no never-treated units the last cohort
  only serves as control and the periods from its start are dropped (as ``did`` does);
* units already treated in the first period are dropped; a start after the last
  period counts as never treated within the window;
* standard errors from the influence functions (``bstrap=FALSE`` in ``did``); the
  aggregations (``simple``, ``dynamic``, ``group``, ``calendar``) follow
  ``did::aggte`` including the influence function of the estimated group weights.
  ``aggregate(..., bootstrap=True)`` adds ``did``'s multiplier bootstrap (Mammen
  weights; standard error from the interquartile range).

Checked against csdid (the Python port of ``did``): every ATT(g, t) agrees to 1e-6 on a
generated staggered panel with a known effect (``tests/test_peers.py``,
``benchmarks/bench_peers.py``). csdid is not used at run time: it is several times
slower, prints its tables, and brings plotnine and twine as dependencies.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats

from doeagenda.charts import HIGHLIGHT, PALETTE, interval_layer, interval_tooltip
from doeagenda.errors import DataError, EstimationError
from doeagenda.evaluation._common import (
    EvaluationWarning,
    PreTrendWarning,
    SingleTreatedUnitWarning,
    balance,
    check_choice,
    check_numeric,
    estimate_rows,
    excludes_zero,
    prepare_panel,
    summary_frame,
    warn,
)
from doeagenda.results import ResultMixin

logger = logging.getLogger(__name__)

__all__ = ["AggregateResult", "StaggeredResult", "staggered_did"]

_KINDS = ("simple", "dynamic", "group", "calendar")


@dataclass
class AggregateResult(ResultMixin):
    """An aggregation of group-time ATTs (``did::aggte``).

    Attributes
    ----------
    kind : str
        ``simple``, ``dynamic``, ``group`` or ``calendar``.
    estimate, se : float
        Overall summary and its standard error.
    ci : tuple of float
    pvalue : float
    table : DataFrame
        Per event time / group / period: ``att, se, ci_low, ci_high`` (empty for simple).
    """

    kind: str
    estimate: float
    se: float
    ci: tuple[float, float]
    pvalue: float
    table: pd.DataFrame
    alpha: float = 0.05
    bootstrap: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def significant(self) -> bool:
        """True when the confidence interval excludes zero."""
        return excludes_zero(self.ci)

    def summary(self) -> pd.DataFrame:
        """Summarise the overall estimate (Dutch labels)."""
        method = f"Callaway & Sant'Anna (2021), aggregatie '{self.kind}'"
        rows = [
            *estimate_rows(method, self.estimate, self.se, self.ci, self.pvalue, self.alpha),
            ("standaardfout via", "multiplier bootstrap" if self.bootstrap else "invloedsfunctie"),
        ]
        return summary_frame(rows, self.warnings)

    def chart(self) -> alt.LayerChart:
        """Estimates with confidence intervals per event time, group or period."""
        if self.table.empty:
            data = pd.DataFrame(
                [{"x": "totaal", "att": self.estimate, "ci_low": self.ci[0], "ci_high": self.ci[1]}]
            )
            xcol, title = "x", ""
        else:
            xcol = self.table.columns[0]
            data = self.table
            title = {
                "event_time": "Perioden t.o.v. de start",
                "group": "Startperiode (groep)",
                "time": "Periode",
            }[xcol]
        base = alt.Chart(data).encode(x=alt.X(f"{xcol}:O", title=title))
        tooltip = [
            alt.Tooltip(f"{xcol}:O"),
            *interval_tooltip("att", "ci_low", "ci_high", "effect"),
        ]
        return interval_layer(
            base, "att", "ci_low", "ci_high", title="Effect (ATT)", tooltip=tooltip
        ).properties(title=f"Gespreide invoering: effect {self.estimate:.2f} ({self.kind})")


@dataclass
class StaggeredResult(ResultMixin):
    """Result of :func:`staggered_did`.

    Attributes
    ----------
    att_gt : DataFrame
        ``group, time, att, se, ci_low, ci_high, post`` per group-time cell.
    influence : ndarray
        Influence functions, shape (n_units, n_cells), as in ``did`` (``n/n1`` scaled).
    pretest_chi2, pretest_pvalue : float
        Wald pre-test that all pre-period ATT(g,t) are zero (as ``did`` reports; it
        over-rejects with tens of units).
    pretrend_mean, pretrend_mean_pvalue : float
        Mean of the pre-period ATT(g,t) (one-period placebo changes) and its p-value
        (t with n - 1 df); this one-degree test drives the :class:`PreTrendWarning`.
    """

    att_gt: pd.DataFrame
    influence: np.ndarray
    group_of_unit: np.ndarray
    n_units: int
    n_obs: int
    control: str
    pretest_chi2: float = float("nan")
    pretest_pvalue: float = float("nan")
    pretrend_mean: float = float("nan")
    pretrend_mean_pvalue: float = float("nan")
    alpha: float = 0.05
    warnings: list[str] = field(default_factory=list)

    def aggregate(
        self,
        kind: str = "simple",
        *,
        bootstrap: bool = False,
        n_boot: int = 999,
        seed: int | None = 12345,
    ) -> AggregateResult:
        """Aggregate the group-time ATTs as ``did::aggte``.

        Parameters
        ----------
        kind : {"simple", "dynamic", "group", "calendar"}
            ``simple``: post-period ATT(g,t) weighted by group size; ``dynamic``: by
            event time ``e = t - g`` (overall: mean over ``e >= 0``); ``group``: by
            start group (overall: weighted by group size); ``calendar``: by period
            (overall: mean over periods).
        bootstrap : bool
            Multiplier bootstrap (Mammen weights) instead of analytic standard errors.
        n_boot : int
            Bootstrap draws.
        seed : int, optional

        Returns
        -------
        AggregateResult
        """
        check_choice(kind, "kind", _KINDS)
        table = self.att_gt
        att = table["att"].to_numpy()
        group = table["group"].to_numpy(dtype=float)
        tcol = table["time"].to_numpy(dtype=float)
        inf = self.influence
        n = inf.shape[0]
        gunit = self.group_of_unit
        glist = np.unique(group)
        pg_of = {g: float(np.mean(gunit == g)) for g in glist}
        pg = np.array([pg_of[g] for g in group])
        post = tcol >= group

        def wif(keepers: np.ndarray, pgk: np.ndarray, groups: np.ndarray) -> np.ndarray:
            ind = np.column_stack([(gunit == g).astype(float) for g in groups])
            if1 = (ind - pgk) / pgk.sum()
            if2 = np.outer((ind - pgk).sum(axis=1), pgk / pgk.sum() ** 2)
            return if1 - if2

        def agg(idx: np.ndarray, weights: np.ndarray, with_wif: bool) -> tuple[float, np.ndarray]:
            est = float(att[idx] @ weights)
            func = inf[:, idx] @ weights
            if with_wif:
                func = func + wif(idx, pg[idx], group[idx]) @ att[idx]
            return est, func

        rows = []
        if kind == "simple":
            idx = np.flatnonzero(post)
            est, func = agg(idx, pg[idx] / pg[idx].sum(), True)
            key = None
        elif kind == "dynamic":
            key = "event_time"
            e_all = tcol - group
            parts = []
            for e in np.unique(e_all):
                idx = np.flatnonzero(e_all == e)
                parts.append((e, *agg(idx, pg[idx] / pg[idx].sum(), True)))
            rows = parts
            pos = [p for p in parts if p[0] >= 0]
            est = float(np.mean([p[1] for p in pos]))
            func = np.mean(np.column_stack([p[2] for p in pos]), axis=1)
        elif kind == "group":
            key = "group"
            parts = []
            for g in glist:
                idx = np.flatnonzero((group == g) & post)
                if len(idx) == 0:
                    continue
                parts.append((g, *agg(idx, np.full(len(idx), 1 / len(idx)), False)))
            rows = parts
            gs = np.array([p[0] for p in parts])
            pgg = np.array([pg_of[g] for g in gs])
            att_g = np.array([p[1] for p in parts])
            inf_g = np.column_stack([p[2] for p in parts])
            est = float(att_g @ (pgg / pgg.sum()))
            func = inf_g @ (pgg / pgg.sum()) + wif(np.arange(len(gs)), pgg, gs) @ att_g
        else:
            key = "time"
            parts = []
            for t1 in np.unique(tcol[tcol >= glist.min()]):
                idx = np.flatnonzero((tcol == t1) & post)
                if len(idx) == 0:
                    continue
                parts.append((t1, *agg(idx, pg[idx] / pg[idx].sum(), True)))
            rows = parts
            est = float(np.mean([p[1] for p in parts]))
            func = np.mean(np.column_stack([p[2] for p in parts]), axis=1)
        rng = np.random.default_rng(seed)
        crit = stats.norm.ppf(1 - self.alpha / 2)

        def se_of(f: np.ndarray) -> float:
            if bootstrap:
                return _mammen_se(f, n_boot, rng)
            return float(np.sqrt(np.mean(f**2) / n))

        se = se_of(func)
        out = pd.DataFrame()
        if key is not None:
            out = pd.DataFrame(
                {
                    key: [_num(p[0]) for p in rows],
                    "att": [p[1] for p in rows],
                    "se": [se_of(p[2]) for p in rows],
                }
            )
            out["ci_low"] = out["att"] - crit * out["se"]
            out["ci_high"] = out["att"] + crit * out["se"]
        pvalue = float(2 * stats.norm.sf(abs(est / se))) if se > 0 else float("nan")
        return AggregateResult(
            kind=kind,
            estimate=est,
            se=se,
            ci=(est - crit * se, est + crit * se),
            pvalue=pvalue,
            table=out,
            alpha=self.alpha,
            bootstrap=bootstrap,
            warnings=list(self.warnings),
        )

    def summary(self) -> pd.DataFrame:
        """Summarise the design, the overall (simple) ATT and the pre-test."""
        simple = self.aggregate("simple")
        rows = [
            ("methode", "Callaway & Sant'Anna (2021), doubly robust, variërende basisperiode"),
            (
                "controlegroep",
                {"never_treated": "nooit behandeld", "not_yet_treated": "nog niet behandeld"}[
                    self.control
                ],
            ),
            ("effect (gemiddeld, 'simple')", simple.estimate),
            ("standaardfout", simple.se),
            (f"{1 - self.alpha:.0%}-betrouwbaarheidsinterval", simple.ci),
            ("pre-toets parallelle trends: chi²", self.pretest_chi2),
            ("pre-toets parallelle trends: p-waarde", self.pretest_pvalue),
            ("gemiddeld pre-effect per periode", self.pretrend_mean),
            ("gemiddeld pre-effect: p-waarde", self.pretrend_mean_pvalue),
            ("groepen", int(self.att_gt["group"].nunique())),
            ("eenheden", self.n_units),
            ("waarnemingen", self.n_obs),
        ]
        return summary_frame(rows, self.warnings)

    #: :meth:`to_frame` copies the ATT(g,t) table.
    frame_attribute = "att_gt"

    def chart(self) -> alt.Chart:
        """ATT(g,t) per group over time with confidence intervals."""
        data = self.att_gt.assign(
            groep=self.att_gt["group"].astype(str),
            fase=np.where(self.att_gt["post"], "na start", "voor start"),
        )
        base = alt.Chart(data).encode(
            x=alt.X("time:O", title="Periode"),
            color=alt.Color(
                "fase:N",
                title="",
                scale=alt.Scale(domain=["voor start", "na start"], range=[PALETTE[0], HIGHLIGHT]),
            ),
        )
        tooltip = [
            "groep:N",
            "time:O",
            alt.Tooltip("att:Q", format=".2f"),
            alt.Tooltip("se:Q", format=".2f"),
        ]
        intervals = interval_layer(
            base,
            "att",
            "ci_low",
            "ci_high",
            title="ATT(g,t)",
            tooltip=tooltip,
            size=50,
            colored=False,
            zero=False,
        )
        return (
            intervals.properties(width=220, height=160)
            .facet(facet=alt.Facet("groep:N", title="Startgroep"), columns=3)
            .properties(title="Effect per startgroep en periode (Callaway & Sant'Anna)")
        )


def _num(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


def _mammen_se(func: np.ndarray, n_boot: int, rng: np.random.Generator) -> float:
    """Multiplier bootstrap standard error as ``did`` (Mammen weights, IQR / 1.349)."""
    n = len(func)
    sq5 = np.sqrt(5.0)
    kappa = (sq5 + 1) / 2
    a, b = 1 - kappa, kappa
    p_a = kappa / sq5
    draws = np.where(rng.random((n_boot, n)) < p_a, a, b)
    boot = draws @ func / n
    q75, q25 = np.quantile(boot, [0.75, 0.25])
    return float((q75 - q25) / (stats.norm.ppf(0.75) - stats.norm.ppf(0.25)))


def _logit(x: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Maximum likelihood logit coefficients by Newton–Raphson."""
    beta = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-(x @ beta)))
        grad = x.T @ (d - p)
        hess = (x * (p * (1 - p))[:, None]).T @ x
        step = np.linalg.solve(hess, grad)
        beta += step
        if np.max(np.abs(step)) < 1e-10:
            break
    return beta


def drdid_panel(dy: np.ndarray, d: np.ndarray, x: np.ndarray) -> tuple[float, np.ndarray]:
    """Doubly robust DiD for panel data (Sant'Anna & Zhao 2020; ``DRDID::drdid_panel``).

    Parameters
    ----------
    dy : ndarray
        Change in the outcome between the base and the current period.
    d : ndarray
        1 for the treated group, 0 for controls.
    x : ndarray
        Covariates including an intercept column.

    Returns
    -------
    att : float
    influence : ndarray
        Influence function (length ``len(dy)``).
    """
    n = len(dy)
    ps = np.full(n, d.mean()) if x.shape[1] == 1 else 1 / (1 + np.exp(-(x @ _logit(x, d))))
    ps = np.minimum(ps, 1 - 1e-6)
    trim = np.where(d == 1, True, ps < 0.995).astype(float)
    ctrl = d == 0
    xc = x[ctrl]
    coef = np.linalg.lstsq(xc, dy[ctrl], rcond=None)[0]
    out_delta = x @ coef
    w_treat = trim * d
    w_cont = trim * ps * (1 - d) / (1 - ps)
    att_treat = w_treat * (dy - out_delta)
    att_cont = w_cont * (dy - out_delta)
    eta_treat = att_treat.mean() / w_treat.mean()
    eta_cont = att_cont.mean() / w_cont.mean()
    att = eta_treat - eta_cont
    w_ols = 1 - d
    xpx_inv = np.linalg.inv((x * w_ols[:, None]).T @ x / n)
    lin_ols = (w_ols * (dy - out_delta))[:, None] * x @ xpx_inv
    hess_ps = np.linalg.inv((x * (ps * (1 - ps))[:, None]).T @ x / n)
    lin_ps = ((d - ps)[:, None] * x) @ hess_ps
    inf_treat = (
        att_treat - w_treat * eta_treat - lin_ols @ (w_treat[:, None] * x).mean(axis=0)
    ) / w_treat.mean()
    m2 = (w_cont * (dy - out_delta - eta_cont))[:, None] * x
    inf_cont = (
        att_cont
        - w_cont * eta_cont
        + lin_ps @ m2.mean(axis=0)
        - lin_ols @ (w_cont[:, None] * x).mean(axis=0)
    ) / w_cont.mean()
    return float(att), inf_treat - inf_cont


def staggered_did(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    control: str = "never_treated",
    covariates: list[str] | None = None,
    *,
    alpha: float = 0.05,
) -> StaggeredResult:
    """Estimate group-time ATTs for staggered adoption (Callaway & Sant'Anna 2021).

    Parameters
    ----------
    data : DataFrame
        Long panel with numeric periods (e.g. years).
    outcome, unit, time : str
        Column names.
    first_treated : str
        Column with the first treated period of the unit (0 or missing: never treated).
    control : {"never_treated", "not_yet_treated"}
        Comparison group.
    covariates : list of str, optional
        Covariates (values of the base period are used) for the doubly robust estimator.
    alpha : float
        1 - confidence level (pointwise intervals).

    Returns
    -------
    StaggeredResult
    """
    check_choice(control, "control", ("never_treated", "not_yet_treated"))
    covariates = [covariates] if isinstance(covariates, str) else list(covariates or [])
    frame = prepare_panel(data, outcome, unit, time, extra=[first_treated, *covariates])
    notes: list[str] = []
    tvals = frame[time]
    if not pd.api.types.is_numeric_dtype(tvals):
        msg = f"tijdkolom {time!r} moet getallen bevatten (bijvoorbeeld jaren) voor staggered_did"
        raise DataError(msg)
    frame[first_treated] = np.nan_to_num(
        check_numeric(frame, first_treated, role="first_treated"), nan=0.0
    )
    varies = frame.groupby(unit)[first_treated].nunique() > 1
    if varies.any():
        msg = (
            f"first_treated-kolom {first_treated!r} verschilt tussen perioden voor eenheid "
            f"{varies.index[varies.to_numpy()][0]!r}; geef één startperiode per eenheid"
        )
        raise DataError(msg)
    frame = balance(frame, unit, time, notes)
    tlist = np.sort(frame[time].unique())
    gcol = frame.groupby(unit)[first_treated].first()
    late = gcol > tlist.max()
    if late.any():
        logger.info(
            "%d units start after the last period: treated as never treated", int(late.sum())
        )
        gcol[late] = 0.0
    early = (gcol > 0) & (gcol <= tlist.min())
    if early.any():
        warn(
            notes,
            EvaluationWarning,
            f"{int(early.sum())} eenheid/eenheden waren al behandeld in de eerste periode en "
            "zijn weggelaten (geen voorperiode).",
        )
        frame = frame.loc[~frame[unit].isin(gcol.index[early.to_numpy()])]
        gcol = gcol[~early]
    if (gcol > 0).sum() == 0:
        msg = f"geen behandelde eenheden: {first_treated!r} is 0 of leeg voor elke eenheid"
        raise EstimationError(msg)
    wide = frame.pivot(index=unit, columns=time, values=outcome).loc[gcol.index, tlist]
    y = wide.to_numpy(float)
    covs = [
        frame.pivot(index=unit, columns=time, values=c).loc[gcol.index, tlist].to_numpy(float)
        for c in covariates
    ]
    for c, m in zip(covariates, covs, strict=True):
        if np.isnan(m).any():
            msg = f"covariaat {c!r} heeft lege waarden; vul ze in of laat de covariaat weg"
            raise DataError(msg)
    g = gcol.to_numpy(float)
    glist = np.unique(g[g > 0])
    if not (g == 0).any():
        if control == "never_treated":
            msg = (
                "geen nooit-behandelde eenheden: elke eenheid start binnen het panel; gebruik "
                "control='not_yet_treated'"
            )
            raise EstimationError(msg)
        last = glist.max()
        keep_t = tlist < last
        tlist, y = tlist[keep_t], y[:, keep_t]
        covs = [m[:, keep_t] for m in covs]
        glist = glist[glist < last]
        warn(
            notes,
            EvaluationWarning,
            f"Geen nooit-behandelde eenheden: groep {_num(last)} dient alleen als controle en "
            f"perioden vanaf {_num(last)} vallen weg.",
        )
    n = len(g)
    cells, infs = [], []
    for gg in glist:
        for ti in range(1, len(tlist)):
            t = tlist[ti]
            if t >= gg:
                before = np.flatnonzero(tlist < gg)
                if len(before) == 0:
                    continue
                base = int(before[-1])
            else:
                base = ti - 1
            treat = g == gg
            if control == "never_treated":
                ctrl = g == 0
            else:
                ctrl = (g == 0) | ((g > max(t, tlist[base])) & (g != gg))
            if ctrl.sum() == 0:
                continue
            sel = treat | ctrl
            dy = y[sel, ti] - y[sel, base]
            x = np.column_stack([np.ones(sel.sum())] + [m[sel, base] for m in covs])
            att, inf_sub = drdid_panel(dy, treat[sel].astype(float), x)
            n1 = int(sel.sum())
            full = np.zeros(n)
            full[sel] = (n / n1) * inf_sub
            cells.append({"group": _num(gg), "time": _num(t), "att": att, "post": bool(t >= gg)})
            infs.append(full)
    if not cells:
        msg = "geen groep-tijd-effect te schatten: er zijn voor geen enkele start controle-eenheden"
        raise EstimationError(msg)
    inf = np.column_stack(infs)
    table = pd.DataFrame(cells)
    table["se"] = np.sqrt((inf**2).mean(axis=0) / n)
    crit = stats.norm.ppf(1 - alpha / 2)
    table["ci_low"] = table["att"] - crit * table["se"]
    table["ci_high"] = table["att"] + crit * table["se"]
    table = table[["group", "time", "att", "se", "ci_low", "ci_high", "post"]]
    sizes = pd.Series(g[g > 0]).value_counts()
    if (g > 0).sum() == 1:
        warn(
            notes,
            SingleTreatedUnitWarning,
            "Eén behandelde eenheid: de standaardfouten weerspiegelen alleen de spreiding van de "
            "controle-eenheden en zijn onbetrouwbaar; gebruik synthetische controle.",
        )
    elif (sizes == 1).any():
        warn(
            notes,
            SingleTreatedUnitWarning,
            f"{int((sizes == 1).sum())} startgroep(en) bestaan uit één eenheid: de "
            "standaardfouten onderschatten dan de onzekerheid (de eigen spreiding van de "
            "behandelde eenheid telt niet mee).",
        )
    pre = ~table["post"].to_numpy()
    chi2, p_pre, pre_avg, p_avg = float("nan"), float("nan"), float("nan"), float("nan")
    if pre.any():
        b = table.loc[pre, "att"].to_numpy()
        v = inf[:, pre].T @ inf[:, pre] / n / n
        rank = np.linalg.matrix_rank(v)
        if rank > 0:
            chi2 = float(b @ np.linalg.pinv(v) @ b)
            p_pre = float(stats.chi2.sf(chi2, rank))
        # one-degree test of the average pre-period effect: the joint chi² test
        # over-rejects badly with tens of units (it is asymptotic in the number of units)
        wts = np.full(int(pre.sum()), 1 / pre.sum())
        pre_avg = float(b @ wts)
        se_avg = float(np.sqrt(np.mean((inf[:, pre] @ wts) ** 2) / n))
        if se_avg > 0:
            p_avg = float(2 * stats.t.sf(abs(pre_avg / se_avg), max(n - 1, 1)))
        singleton = bool((sizes == 1).any())
        if singleton:
            p_avg = float("nan")
            notes.append(
                "Pre-toets niet beoordeeld: met startgroepen van één eenheid is de "
                "standaardfout te klein en verwerpt de toets te vaak; zie de event study."
            )
        elif np.isfinite(p_avg) and p_avg < 0.05:
            warn(
                notes,
                PreTrendWarning,
                f"Pre-toets: vóór de start wijken behandelde groepen gemiddeld al af "
                f"({pre_avg:+.3g} per periode, p = {p_avg:.3f}); parallelle trends zijn "
                "twijfelachtig.",
            )
    return StaggeredResult(
        att_gt=table,
        influence=inf,
        group_of_unit=g,
        n_units=n,
        n_obs=int(y.size),
        control=control,
        pretest_chi2=chi2,
        pretest_pvalue=p_pre,
        pretrend_mean=pre_avg,
        pretrend_mean_pvalue=p_avg,
        alpha=alpha,
        warnings=notes,
    )
