"""Cox proportional-hazards regression: Newton–Raphson on the Efron partial likelihood.

A direct numpy implementation (no Python loop over event times): the risk-set sums
``S0, S1, S2`` of ``r = exp(x b)``, ``r x`` and ``r x x'`` come from reverse cumulative
sums over the rows sorted by time; tied events get Efron's correction, one "slot" per
tied event. Standard errors from the inverse observed information, Wald z-tests.

Checked against lifelines ``CoxPHFitter`` and statsmodels ``PHReg`` (both Efron ties):
the coefficients agree to 1e-5 or better (``tests/test_peers.py``,
``benchmarks/bench_peers.py``). Neither is used at run time: statsmodels' ``PHReg``
loops in Python over event times and was 2.3x slower than lifelines, and lifelines
pins ``pandas<3`` and brings autograd; this one is faster than both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import stats

__all__ = ["CoxFit", "fit_cox"]

#: Newton–Raphson stops when no coefficient moves more than this.
_STEP_TOLERANCE = 1e-10
_MAX_ITERATIONS = 60


@dataclass
class CoxFit:
    """A fitted Cox model (the numbers; :class:`~doeagenda.initiatives.cox.CoxResult` explains them).

    Attributes
    ----------
    exog_names : list of str
        Covariate names (design-matrix columns).
    exog : ndarray
        Design matrix ``(n, p)``.
    endog : ndarray
        Follow-up time per row.
    status : ndarray
        1 = event (stopped), 0 = censored.
    params : ndarray
        Coefficients (log hazard ratios).
    cov_params : ndarray
        Their covariance (inverse observed information).
    loglike : float
        Efron log partial likelihood at ``params``.
    iterations : int
    """

    exog_names: list[str]
    exog: np.ndarray = field(repr=False)
    endog: np.ndarray = field(repr=False)
    status: np.ndarray = field(repr=False)
    params: np.ndarray
    cov_params: np.ndarray = field(repr=False)
    loglike: float
    iterations: int

    @property
    def model(self) -> CoxFit:
        """The fit itself (keeps ``results.model.exog``-style access working)."""
        return self

    @property
    def bse(self) -> np.ndarray:
        """Standard errors of the coefficients."""
        return np.sqrt(np.diag(self.cov_params))

    @property
    def pvalues(self) -> np.ndarray:
        """Two-sided Wald p-values."""
        return 2 * stats.norm.sf(np.abs(self.params / self.bse))

    def conf_int(self, alpha: float = 0.05) -> np.ndarray:
        """Return Wald confidence intervals, shape ``(p, 2)``."""
        z = stats.norm.ppf(1 - alpha / 2)
        return np.column_stack([self.params - z * self.bse, self.params + z * self.bse])

    @property
    def schoenfeld_residuals(self) -> np.ndarray:
        """Covariate minus its risk-weighted mean at the event time (NaN for censored rows)."""
        prep = _Prepared(self.endog, self.status, self.exog)
        r = np.exp(self.exog[prep.order] @ self.params)
        s0 = np.cumsum(r[::-1])[::-1][prep.first]
        s1 = np.cumsum((r[:, None] * self.exog[prep.order])[::-1], axis=0)[::-1][prep.first]
        mean_at_time = s1 / s0[:, None]
        resid = np.full(self.exog.shape, np.nan)
        events = np.flatnonzero(self.status.astype(bool))
        slot = np.searchsorted(prep.event_times, self.endog[events])
        resid[events] = self.exog[events] - mean_at_time[slot]
        return resid


class _Prepared:
    """Sort order, distinct event times and Efron tie slots of one data set."""

    def __init__(self, time: np.ndarray, status: np.ndarray, x: np.ndarray) -> None:
        self.order = np.argsort(time, kind="stable")
        sorted_time = time[self.order]
        event = status[self.order].astype(bool)
        self.event_rows = np.flatnonzero(event)
        self.event_times, self.tie_index, self.ties = np.unique(
            sorted_time[event], return_inverse=True, return_counts=True
        )
        # the risk set of an event time starts at the first row with that time
        self.first = np.searchsorted(sorted_time, self.event_times, side="left")
        starts = np.concatenate([[0], np.cumsum(self.ties)[:-1]])
        self.slot_time = np.repeat(np.arange(len(self.ties)), self.ties)
        self.slot_fraction = (np.arange(self.ties.sum()) - starts[self.slot_time]) / self.ties[
            self.slot_time
        ]
        self.x = x[self.order]
        self.x_events_sum = self.x[self.event_rows].sum(axis=0)


def _efron(beta: np.ndarray, prep: _Prepared) -> tuple[float, np.ndarray, np.ndarray]:
    """Return the log partial likelihood, its gradient and its Hessian at ``beta``."""
    x = prep.x
    eta = x @ beta
    shift = float(eta.max())  # exp(eta - shift) cannot overflow
    r = np.exp(eta - shift)
    rx = r[:, None] * x
    rxx = rx[:, :, None] * x[:, None, :]
    s0 = np.cumsum(r[::-1])[::-1][prep.first]
    s1 = np.cumsum(rx[::-1], axis=0)[::-1][prep.first]
    s2 = np.cumsum(rxx[::-1], axis=0)[::-1][prep.first]
    m, p = len(prep.ties), x.shape[1]
    ev = prep.event_rows
    d0 = np.bincount(prep.tie_index, weights=r[ev], minlength=m)
    d1 = np.zeros((m, p))
    np.add.at(d1, prep.tie_index, rx[ev])
    d2 = np.zeros((m, p, p))
    np.add.at(d2, prep.tie_index, rxx[ev])
    j, frac = prep.slot_time, prep.slot_fraction
    phi = s0[j] - frac * d0[j]
    mean = (s1[j] - frac[:, None] * d1[j]) / phi[:, None]
    second = (s2[j] - frac[:, None, None] * d2[j]) / phi[:, None, None]
    loglike = float(eta[ev].sum() - np.sum(np.log(phi) + shift))
    gradient = prep.x_events_sum - mean.sum(axis=0)
    hessian = -(second.sum(axis=0) - mean.T @ mean)
    return loglike, gradient, hessian


def fit_cox(x: np.ndarray, time: np.ndarray, status: np.ndarray, names: list[str]) -> CoxFit:
    """Fit a Cox model by Newton–Raphson with step halving.

    Parameters
    ----------
    x : ndarray
        Design matrix ``(n, p)`` without intercept.
    time : ndarray
        Follow-up times.
    status : ndarray
        1 = event, 0 = censored.
    names : list of str
        Column names of ``x``.

    Returns
    -------
    CoxFit
        Coefficients are NaN-free but may be huge when the data separate (a covariate
        that predicts stopping perfectly); the caller checks the standard errors.

    Raises
    ------
    numpy.linalg.LinAlgError
        When the information matrix is singular (collinear covariates).
    """
    x = np.asarray(x, dtype=float)
    time = np.asarray(time, dtype=float)
    status = np.asarray(status).astype(int)
    prep = _Prepared(time, status, x)
    beta = np.zeros(x.shape[1])
    loglike, gradient, hessian = _efron(beta, prep)
    iterations = 0
    for iterations in range(1, _MAX_ITERATIONS + 1):  # noqa: B007 (the count is reported)
        step = np.linalg.solve(-hessian, gradient)
        new = beta + step
        new_loglike, new_gradient, new_hessian = _efron(new, prep)
        halvings = 0
        while new_loglike < loglike - 1e-12 and halvings < 30:
            step /= 2
            new = beta + step
            new_loglike, new_gradient, new_hessian = _efron(new, prep)
            halvings += 1
        beta, loglike, gradient, hessian = new, new_loglike, new_gradient, new_hessian
        if np.max(np.abs(step)) < _STEP_TOLERANCE:
            break
    cov = np.linalg.inv(-hessian)
    return CoxFit(names, x, time, status, beta, cov, loglike, iterations)
