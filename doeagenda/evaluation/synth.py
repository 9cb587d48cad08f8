"""Synthetic control (Abadie, Diamond & Hainmueller 2010) with in-space placebo test.

Choices (documented in ``docs/proeftuinen.md``):

* **Predictors.** With ``predictors=None`` the predictors are the outcome in every
  pre-treatment period. The donor weights then minimise the pre-period mean squared
  prediction error (MSPE) of the outcome directly: with every lag as a predictor the
  nested problem's optimum puts equal weight on each period, so no outer search is
  needed (Abadie 2021, sec. 3; Kaul et al. 2022). With named ``predictors`` each is
  averaged over ``predictor_periods`` (default: all pre-periods), scaled by its
  standard deviation across all units (as the R package ``Synth``), and the nested
  optimisation of ADH (2010) is run: the inner problem gives donor weights
  ``W(V) = argmin (X1 - X0 W)' V (X1 - X0 W)`` with ``W >= 0, sum W = 1``; the outer
  problem picks the diagonal predictor weights ``V`` (non-negative, summing to 1) that
  minimise the pre-period MSPE of the outcome.
* **Inner solver.** The simplex-constrained least squares is solved with
  ``scipy.optimize.nnls`` (Lawson–Hanson) with the adding-up constraint imposed by a
  heavily weighted extra row (Lawson & Hanson 1974, ch. 20), then renormalised.
* **Outer solver.** ``scipy.optimize.minimize`` Nelder–Mead on an unconstrained
  parametrisation ``V = softmax(theta)`` from several starting points (equal weights
  and each predictor emphasised); the best is kept.
* **Order.** Donors are sorted by their identifier before fitting, so the result does
  not depend on the row order of the data.
* **Placebo test.** Every donor in turn is treated as if it had started, with the
  other donors (not the treated unit) as its donor pool. The p-value is the rank of
  the treated unit's post/pre RMSPE ratio among all units (ADH 2015; Abadie 2021):
  ``#{units with ratio >= treated ratio} / (J + 1)``.

Checked against pysyncon (the Python port of R ``Synth``) on the same problem: the
synthetic outcome paths agree within 0.05 on a generated 39 x 31 panel
(``tests/test_peers.py``, ``benchmarks/bench_peers.py``). pysyncon is not used at run
time: its SLSQP inner solver makes it orders of magnitude slower, which the placebo test
(one fit per donor) multiplies.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
from scipy import optimize

from doeagenda.charts import PALETTE, highlight_color, highlight_width, reference_line
from doeagenda.errors import DataError, EstimationError
from doeagenda.evaluation._common import (
    PoorFitWarning,
    balance,
    check_numeric,
    prepare_panel,
    summary_frame,
    time_label,
    warn,
)
from doeagenda.results import ResultMixin

logger = logging.getLogger(__name__)

__all__ = ["PlaceboResult", "SynthResult", "simplex_least_squares", "synthetic_control"]


def simplex_least_squares(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve ``min ||a w - b||`` subject to ``w >= 0`` and ``sum(w) = 1``.

    Parameters
    ----------
    a : ndarray, shape (m, J)
    b : ndarray, shape (m,)

    Returns
    -------
    ndarray, shape (J,)
    """
    scale = max(float(np.abs(a).max()), float(np.abs(b).max()), 1e-12)
    big = 1e4 * scale
    aug_a = np.vstack([a, np.full((1, a.shape[1]), big)])
    aug_b = np.append(b, big)
    w, _ = optimize.nnls(aug_a, aug_b, maxiter=50 * a.shape[1])
    total = w.sum()
    if total <= 0:
        return np.full(a.shape[1], 1 / a.shape[1])
    return w / total


@dataclass
class _Fit:
    weights: np.ndarray
    v: np.ndarray
    synthetic: np.ndarray


def _fit(
    y1: np.ndarray,
    y0: np.ndarray,
    pre: np.ndarray,
    x1: np.ndarray | None,
    x0: np.ndarray | None,
    inner=None,
) -> _Fit:
    """Fit one synthetic control; ``y1`` (T,), ``y0`` (T, J), ``x1`` (k,), ``x0`` (k, J)."""
    inner = inner or simplex_least_squares
    z1, z0 = y1[pre], y0[pre]
    if x1 is None:
        w = inner(z0, z1)
        return _Fit(w, np.full(int(pre.sum()), 1 / pre.sum()), y0 @ w)
    k = len(x1)

    def weights_for(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        e = np.exp(theta - theta.max())
        v = e / e.sum()
        sv = np.sqrt(v)
        return inner(x0 * sv[:, None], x1 * sv), v

    def loss(theta: np.ndarray) -> float:
        w, _ = weights_for(theta)
        r = z1 - z0 @ w
        return float(r @ r) / len(r)

    starts = [np.zeros(k)]
    if k > 1:
        for j in range(k):
            s = np.zeros(k)
            s[j] = 2.0
            starts.append(s)
    best: Any = None  # scipy's OptimizeResult of the best start
    for s in starts:
        res = optimize.minimize(
            loss,
            s,
            method="Nelder-Mead",
            options={"xatol": 1e-4, "fatol": 1e-10, "maxiter": 400 * k},
        )
        if best is None or res.fun < best.fun:
            best = res
    w, v = weights_for(best.x)
    return _Fit(w, v, y0 @ w)


@dataclass
class PlaceboResult(ResultMixin):
    """In-space placebo test of a synthetic control.

    Attributes
    ----------
    pvalue : float
        Share of units (treated included) whose post/pre RMSPE ratio is at least the
        treated unit's.
    gaps : DataFrame
        Long table ``unit, time, gap, treated`` for every unit (the spaghetti chart).
    ratios : DataFrame
        ``unit, pre_rmspe, post_rmspe, ratio, treated`` sorted by ratio (descending).
    """

    pvalue: float
    gaps: pd.DataFrame
    ratios: pd.DataFrame
    treated_unit: object
    treatment_time: object
    rank: int
    n_units: int
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> pd.DataFrame:
        """Summarise the placebo test (Dutch labels)."""
        rows = [
            ("methode", "placebotoets in de ruimte (alle donoren als nep-behandelde)"),
            ("rang van de behandelde eenheid (post/pre RMSPE)", f"{self.rank} van {self.n_units}"),
            ("p-waarde", self.pvalue),
            ("kleinst mogelijke p-waarde", 1 / self.n_units),
        ]
        return summary_frame(rows, self.warnings)

    #: :meth:`to_frame` copies the RMSPE ratios per unit.
    frame_attribute = "ratios"

    def chart(self, mspe_cutoff: float | None = None) -> alt.LayerChart:
        """Spaghetti chart: the treated gap over the placebo gaps.

        Parameters
        ----------
        mspe_cutoff : float, optional
            Hide placebos whose pre-period MSPE is more than this multiple of the
            treated unit's (ADH 2010 use 20, 5 and 2).
        """
        gaps = self.gaps
        if mspe_cutoff is not None:
            treated_pre = float(self.ratios.loc[self.ratios["treated"], "pre_rmspe"].iloc[0]) ** 2
            keep = self.ratios.loc[
                self.ratios["pre_rmspe"] ** 2 <= mspe_cutoff * treated_pre, "unit"
            ]
            gaps = gaps[gaps["unit"].isin(keep)]
        data = gaps.assign(
            eenheid=gaps["unit"].astype(str),
            rol=np.where(gaps["treated"], "behandeld", "placebo"),
        )
        lines = (
            alt.Chart(data)
            .mark_line()
            .encode(
                x=alt.X("time:O", title="Periode"),
                y=alt.Y("gap:Q", title="Verschil met synthetische controle"),
                detail="eenheid:N",
                color=highlight_color("rol", "behandeld", "placebo"),
                strokeWidth=highlight_width("rol", "behandeld"),
                order=alt.Order("rol:N", sort="descending"),
                tooltip=["eenheid:N", "time:O", alt.Tooltip("gap:Q", format=".2f")],
            )
        )
        zero = reference_line(0.0)
        return alt.layer(zero, lines).properties(
            title=f"Placebotoets: p = {self.pvalue:.2f} (rang {self.rank} van {self.n_units})"
        )


@dataclass
class SynthResult(ResultMixin):
    """Result of :func:`synthetic_control`.

    Attributes
    ----------
    weights : Series
        Donor weights (non-negative, summing to 1), indexed by donor.
    predictor_weights : Series
        Diagonal of V (predictor importance).
    gap : Series
        Treated minus synthetic outcome, by period.
    att : float
        Mean post-period gap.
    pre_rmspe, post_rmspe : float
    treated, synthetic : Series
        The two outcome paths.
    balance : DataFrame
        Predictor values of the treated unit, its synthetic control and the donor mean.
    """

    weights: pd.Series
    predictor_weights: pd.Series
    gap: pd.Series
    att: float
    pre_rmspe: float
    post_rmspe: float
    treated: pd.Series
    synthetic: pd.Series
    balance: pd.DataFrame
    treated_unit: object
    treatment_time: object
    outcome: str
    n_donors: int
    warnings: list[str] = field(default_factory=list)
    _placebo_inputs: dict = field(default_factory=dict, repr=False)
    _placebo: PlaceboResult | None = field(default=None, repr=False)

    @property
    def estimate(self) -> float:
        """Alias of :attr:`att` (common name across results)."""
        return self.att

    def placebo_test(self) -> PlaceboResult:
        """Run the in-space placebo test (every donor as fake treated unit); cached."""
        if self._placebo is None:
            self._placebo = _placebo(self)
        return self._placebo

    def summary(self) -> pd.DataFrame:
        """Summarise the fit and the effect (Dutch labels)."""
        top = self.weights[self.weights > 0.001].sort_values(ascending=False).head(5)
        rows = [
            ("methode", "synthetische controle (Abadie, Diamond & Hainmueller 2010)"),
            ("behandelde eenheid", self.treated_unit),
            ("start", time_label(self.treatment_time)),
            ("effect (gemiddeld verschil na start)", self.att),
            ("pre-RMSPE (fit vóór de start)", self.pre_rmspe),
            ("post-RMSPE", self.post_rmspe),
            ("donoren", self.n_donors),
            ("grootste gewichten", ", ".join(f"{k}: {v:.2f}" for k, v in top.items())),
        ]
        if self._placebo is not None:
            rows.append(("placebotoets p-waarde", self._placebo.pvalue))
        return summary_frame(rows, self.warnings)

    def to_frame(self) -> pd.DataFrame:
        """Treated, synthetic and gap by period."""
        return pd.DataFrame(
            {
                "time": self.gap.index,
                "behandeld": self.treated.to_numpy(),
                "synthetisch": self.synthetic.to_numpy(),
                "verschil": self.gap.to_numpy(),
            }
        )

    def chart(self) -> alt.LayerChart:
        """The treated unit and its synthetic control over time, start marked."""
        frame = self.to_frame().melt(
            id_vars="time",
            value_vars=["behandeld", "synthetisch"],
            var_name="reeks",
            value_name="waarde",
        )
        lines = (
            alt.Chart(frame)
            .mark_line(point=True)
            .encode(
                x=alt.X("time:O", title="Periode"),
                y=alt.Y("waarde:Q", title=self.outcome, scale=alt.Scale(zero=False)),
                color=highlight_color("reeks", "behandeld", "synthetisch", other_color=PALETTE[0]),
                strokeDash=alt.StrokeDash("reeks:N", legend=None),
                tooltip=["reeks:N", "time:O", alt.Tooltip("waarde:Q", format=".2f")],
            )
        )
        start = reference_line(time_label(self.treatment_time), "x", kind="O", strokeDash=[4, 4])
        return alt.layer(lines, start).properties(
            title=f"{self.treated_unit} en synthetische controle: effect {self.att:.2f}"
        )


def _predictor_matrix(
    frame: pd.DataFrame,
    unit: str,
    time: str,
    units: list,
    predictors: list[str],
    periods: np.ndarray,
) -> np.ndarray:
    sub = frame[frame[time].isin(periods)]
    rows = []
    for p in predictors:
        values = pd.Series(check_numeric(sub, p, role="predictor"), index=sub.index)
        means = values.groupby(sub[unit]).mean().reindex(units)
        if means.isna().any():
            bad = means.index[means.isna().to_numpy()][0]
            msg = (
                f"predictor {p!r} heeft geen waarden voor eenheid {bad!r} in de predictorperioden; "
                "vul ze in, kies andere predictor_periods of laat de predictor weg"
            )
            raise DataError(msg)
        rows.append(means.to_numpy(float))
    return np.vstack(rows)


def synthetic_control(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    treated_unit,
    treatment_time,
    predictors: list[str] | None = None,
    predictor_periods: list | None = None,
    *,
    donors: list | None = None,
    fit_tolerance: float = 0.25,
) -> SynthResult:
    """Build a synthetic control for one treated unit.

    Parameters
    ----------
    data : DataFrame
        Long panel.
    outcome, unit, time : str
        Column names.
    treated_unit
        Value of ``unit`` that was treated.
    treatment_time
        First treated period.
    predictors : list of str, optional
        Columns averaged over ``predictor_periods`` (may include ``outcome``); default:
        the outcome in each pre-period.
    predictor_periods : list, optional
        Periods over which predictors are averaged (default: all pre-periods).
    donors : list, optional
        Donor pool (default: all other units).
    fit_tolerance : float
        A :class:`PoorFitWarning` is raised when the pre-RMSPE exceeds this fraction of
        the outcome's standard deviation (over units and pre-periods).

    Returns
    -------
    SynthResult
    """
    predictors = (
        [predictors] if isinstance(predictors, str) else (list(predictors) if predictors else None)
    )
    frame = prepare_panel(data, outcome, unit, time, extra=predictors or [])
    notes: list[str] = []
    units = frame[unit].unique().tolist()
    if treated_unit not in units:
        examples = ", ".join(map(str, sorted(units, key=str)[:8]))
        msg = (
            f"behandelde eenheid {treated_unit!r} staat niet in kolom {unit!r}; eenheden zijn "
            f"onder meer {examples}. Controleer de spelling (codes als 'GM0344')."
        )
        raise DataError(msg)
    times = np.sort(frame[time].unique())
    pre = times < treatment_time
    if not pre.any():
        msg = (
            f"geen voorperiode: geen periode voor treatment_time={treatment_time!r} "
            f"(eerste periode {time_label(times[0])!r}); de synthetische controle vraagt "
            "gegevens van voor de start"
        )
        raise EstimationError(msg)
    if pre.all():
        msg = f"geen naperiode: treatment_time={treatment_time!r} ligt na de laatste periode"
        raise EstimationError(msg)
    treated_rows = frame[frame[unit] == treated_unit]
    if len(treated_rows) < len(times):
        msg = f"behandelde eenheid {treated_unit!r} mist perioden; de synthetische controle vraagt alle perioden"
        raise DataError(msg)
    frame = balance(frame, unit, time, notes)
    pool = [u for u in frame[unit].unique().tolist() if u != treated_unit]
    if donors is not None:
        missing = [d for d in donors if d not in pool]
        if missing:
            msg = f"donor {missing[0]!r} staat niet in de gegevens (of is de behandelde eenheid); verbeter de donorlijst"
            raise DataError(msg)
        pool = list(donors)
    pool = sorted(pool, key=lambda v: (str(type(v)), v))
    if not pool:
        msg = "geen donoren: de gegevens hebben geen onbehandelde eenheden om een synthetische controle van te maken"
        raise EstimationError(msg)
    wide = frame.pivot(index=time, columns=unit, values=outcome).loc[times]
    y1 = wide[treated_unit].to_numpy(float)
    y0 = wide[pool].to_numpy(float)
    x1 = x0 = None
    pred_names = [f"{outcome} ({time_label(t)})" for t in times[pre]]
    xall = None
    if predictors:
        periods = times[pre] if predictor_periods is None else np.asarray(predictor_periods)
        xall = _predictor_matrix(frame, unit, time, [treated_unit, *pool], predictors, periods)
        sd = xall.std(axis=1, ddof=1)
        if np.any(sd == 0):
            bad = predictors[int(np.argmax(sd == 0))]
            msg = f"predictor {bad!r} is voor alle eenheden gelijk; hij helpt niet, laat hem weg"
            raise DataError(msg)
        xs = xall / sd[:, None]
        x1, x0 = xs[:, 0], xs[:, 1:]
        pred_names = list(predictors)
    fit = _fit(y1, y0, pre, x1, x0)
    gap = y1 - fit.synthetic
    pre_rmspe = float(np.sqrt(np.mean(gap[pre] ** 2)))
    post_rmspe = float(np.sqrt(np.mean(gap[~pre] ** 2)))
    scale = (
        float(np.nanstd(wide.to_numpy(float)[pre], ddof=1))
        if pre.sum() * wide.shape[1] > 1
        else 0.0
    )
    if scale > 0 and pre_rmspe > fit_tolerance * scale:
        warn(
            notes,
            PoorFitWarning,
            f"Slechte fit vóór de start: pre-RMSPE {pre_rmspe:.3g} is meer dan "
            f"{fit_tolerance:.0%} van de spreiding van {outcome} ({scale:.3g}); de synthetische "
            "controle lijkt niet op de behandelde eenheid en het effect is niet betrouwbaar.",
        )
    if int(pre.sum()) < len(pool) and pre_rmspe < 1e-6 * max(scale, 1.0):
        notes.append(
            f"Perfecte fit vóór de start met {int(pre.sum())} pre-perioden en {len(pool)} donoren: "
            "met meer donoren dan pre-perioden past bijna elke reeks (overfitting); "
            "beoordeel het effect vooral met de placebotoets."
        )
    if xall is not None:
        bal = pd.DataFrame(
            {
                "predictor": predictors,
                "behandeld": xall[:, 0],
                "synthetisch": xall[:, 1:] @ fit.weights,
                "gemiddelde donoren": xall[:, 1:].mean(axis=1),
            }
        )
    else:
        bal = pd.DataFrame(
            {
                "predictor": pred_names,
                "behandeld": y1[pre],
                "synthetisch": fit.synthetic[pre],
                "gemiddelde donoren": y0[pre].mean(axis=1),
            }
        )
    index = pd.Index(times, name=time)
    return SynthResult(
        weights=pd.Series(fit.weights, index=pd.Index(pool, name=unit), name="gewicht"),
        predictor_weights=pd.Series(fit.v, index=pred_names, name="v"),
        gap=pd.Series(gap, index=index, name="verschil"),
        att=float(gap[~pre].mean()),
        pre_rmspe=pre_rmspe,
        post_rmspe=post_rmspe,
        treated=pd.Series(y1, index=index, name=str(treated_unit)),
        synthetic=pd.Series(fit.synthetic, index=index, name="synthetisch"),
        balance=bal,
        treated_unit=treated_unit,
        treatment_time=treatment_time,
        outcome=outcome,
        n_donors=len(pool),
        warnings=notes,
        _placebo_inputs={
            "y1": y1,
            "y0": y0,
            "pre": pre,
            "x1": x1,
            "x0": x0,
            "pool": pool,
            "times": times,
        },
    )


def _placebo(result: SynthResult, inner=None) -> PlaceboResult:
    inp = result._placebo_inputs
    _y1, y0, pre, x1, x0 = inp["y1"], inp["y0"], inp["pre"], inp["x1"], inp["x0"]
    pool, times = inp["pool"], inp["times"]
    if len(pool) < 2:
        msg = "de placebotoets vraagt ten minste 2 donoren"
        raise EstimationError(msg)
    gaps = {result.treated_unit: result.gap.to_numpy()}
    for j, name in enumerate(pool):
        others = [i for i in range(len(pool)) if i != j]
        if x1 is None:
            fit = _fit(y0[:, j], y0[:, others], pre, None, None, inner=inner)
        else:
            fit = _fit(y0[:, j], y0[:, others], pre, x0[:, j], x0[:, others], inner=inner)
        gaps[name] = y0[:, j] - fit.synthetic
    rows = []
    for name, g in gaps.items():
        pre_r = float(np.sqrt(np.mean(g[pre] ** 2)))
        post_r = float(np.sqrt(np.mean(g[~pre] ** 2)))
        rows.append(
            {
                "unit": name,
                "pre_rmspe": pre_r,
                "post_rmspe": post_r,
                "ratio": post_r / pre_r if pre_r > 0 else np.inf,
                "treated": name == result.treated_unit,
            }
        )
    ratios = pd.DataFrame(rows).sort_values("ratio", ascending=False).reset_index(drop=True)
    treated_ratio = float(ratios.loc[ratios["treated"], "ratio"].iloc[0])
    rank = int((ratios["ratio"] >= treated_ratio - 1e-12).sum())
    n = len(ratios)
    long = pd.concat(
        [
            pd.DataFrame(
                {"unit": name, "time": times, "gap": g, "treated": name == result.treated_unit}
            )
            for name, g in gaps.items()
        ],
        ignore_index=True,
    )
    notes: list[str] = []
    if n < 20:
        notes.append(
            f"Met {n} eenheden is de kleinst mogelijke p-waarde {1 / n:.2f}; de toets kan "
            "dan geen sterk bewijs leveren."
        )
    return PlaceboResult(
        pvalue=rank / n,
        gaps=long,
        ratios=ratios,
        treated_unit=result.treated_unit,
        treatment_time=result.treatment_time,
        rank=rank,
        n_units=n,
        warnings=notes,
    )
