"""Strict layer: OLS with absorbed fixed effects and CR1 cluster-robust variance.

The fixed effects are absorbed by (weighted) alternating projections, the method of
``reghdfe`` and ``fixest`` (Guimarães & Portugal 2010; Gaure 2013). For a balanced
two-way panel it converges after two sweeps. The coefficients are then OLS on the
demeaned data (Frisch–Waugh–Lovell).

Small-sample correction (CR1) as Stata ``xtreg, fe vce(cluster)`` / ``reghdfe`` and R
``fixest`` with its default ``ssc(adj=TRUE, fixef.K="nested", cluster.adj=TRUE)``::

    V = G/(G-1) * (n-1)/(n-K) * (X'WX)^-1 [sum_g s_g s_g'] (X'WX)^-1,
    s_g = sum_{i in g} w_i x_i u_i,
    K = k + 1 + sum over fixed effects NOT nested in the clusters of (levels - 1),

with ``k`` the number of non-absorbed regressors; fixed effects nested in the clusters
(unit effects when clustering by unit) do not count. Inference uses Student-t with
``G - 1`` degrees of freedom (Stata, fixest ``t.df="min"``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from doeagenda.errors import EstimationError

__all__ = ["Absorber", "FEFit", "fe_ols"]


class Absorber:
    """Weighted projection off a set of fixed effects (the ``M_Z`` of FWL).

    Parameters
    ----------
    codes : list of ndarray
        One integer code array (0..levels-1) per fixed effect.
    weights : ndarray
        Observation weights (all ones for OLS).
    """

    def __init__(self, codes: list[np.ndarray], weights: np.ndarray):
        self.weights = weights
        self.codes = codes
        self._dummies = []
        self._wsum = []
        n = len(weights)
        for code in codes:
            levels = int(code.max()) + 1 if len(code) else 0
            dummy = sp.csr_matrix((np.ones(n), (np.arange(n), code)), shape=(n, levels))
            self._dummies.append(dummy)
            self._wsum.append(np.asarray(dummy.T @ weights).ravel())

    def demean(self, matrix: np.ndarray, tol: float = 1e-13, maxiter: int = 10_000) -> np.ndarray:
        """Return ``matrix`` with all fixed effects projected out (weighted)."""
        out = np.array(matrix, dtype=float, copy=True)
        if not self.codes:
            return out
        one_dim = out.ndim == 1
        if one_dim:
            out = out[:, None]
        scale = max(float(np.abs(out).max()), 1.0)
        wcol = self.weights[:, None]
        for _ in range(maxiter):
            change = 0.0
            for dummy, wsum in zip(self._dummies, self._wsum, strict=True):
                means = np.asarray(dummy.T @ (wcol * out)) / wsum[:, None]
                step = np.asarray(dummy @ means)
                out -= step
                change = max(change, float(np.abs(step).max()))
            if len(self.codes) == 1 or change <= tol * scale:
                break
        return out[:, 0] if one_dim else out


@dataclass
class FEFit:
    """Result of :func:`fe_ols` (strict layer; arrays only)."""

    beta: np.ndarray
    vcov: np.ndarray
    resid: np.ndarray
    xt: np.ndarray
    yt: np.ndarray
    n: int
    k_dof: int
    n_clusters: int
    correction: float
    df: int
    cluster_codes: np.ndarray
    absorber: Absorber


def _nested(fe_code: np.ndarray, cluster_code: np.ndarray) -> bool:
    """True when every level of the fixed effect lies within one cluster."""
    levels = int(fe_code.max()) + 1
    first = np.full(levels, -1)
    first[fe_code[::-1]] = cluster_code[::-1]
    return bool(np.all(first[fe_code] == cluster_code))


def fe_ols(
    y: np.ndarray,
    x: np.ndarray,
    fe_codes: list[np.ndarray],
    cluster_codes: np.ndarray,
    weights: np.ndarray | None = None,
    names: list[str] | None = None,
) -> FEFit:
    """OLS/WLS of ``y`` on ``x`` with absorbed fixed effects and CR1 clustered variance.

    Parameters
    ----------
    y : ndarray, shape (n,)
    x : ndarray, shape (n, k)
        Regressors (no constant: the fixed effects absorb it). With no fixed effects a
        constant must be included by the caller.
    fe_codes : list of ndarray
        Integer codes of the fixed effects to absorb.
    cluster_codes : ndarray
        Integer cluster codes.
    weights : ndarray, optional
        Analytic weights.
    names : list of str, optional
        Regressor names for error messages.

    Returns
    -------
    FEFit
    """
    n = len(y)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    absorber = Absorber(fe_codes, w)
    x = np.asarray(x, dtype=float).reshape(n, -1)
    k = x.shape[1]
    both = absorber.demean(np.column_stack([y, x]))
    yt, xt = both[:, 0], both[:, 1:]
    names = names or [f"x{j}" for j in range(k)]
    for j in range(k):
        original = np.abs(x[:, j] - x[:, j].mean()).max() if fe_codes else np.abs(x[:, j]).max()
        if np.abs(xt[:, j]).max() <= 1e-9 * max(original, 1.0):
            msg = (
                f"regressor {names[j]!r} varieert niet meer na het verwijderen van de vaste "
                "effecten van eenheid en periode (hij is constant binnen eenheden of perioden); "
                "er is geen effect te schatten. Controleer dat er behandelde en onbehandelde "
                "eenheden zijn, en perioden voor en na de start."
            )
            raise EstimationError(msg)
    sw = np.sqrt(w)
    xw = xt * sw[:, None]
    xtx = xw.T @ xw
    if np.linalg.matrix_rank(xtx) < k:
        msg = (
            f"de regressoren {', '.join(names)} zijn collineair na het verwijderen van de "
            "vaste effecten; laat een covariaat weg of beperk de leads/lags"
        )
        raise EstimationError(msg)
    bread = np.linalg.inv(xtx)
    beta = bread @ (xw.T @ (yt * sw))
    resid = yt - xt @ beta
    n_clusters = int(cluster_codes.max()) + 1
    scores = np.zeros((n_clusters, k))
    np.add.at(scores, cluster_codes, (w * resid)[:, None] * xt)
    meat = scores.T @ scores
    k_dof = k
    if fe_codes:
        k_dof += 1 + sum(int(code.max()) for code in fe_codes if not _nested(code, cluster_codes))
    if n_clusters < 2:
        msg = "clusterrobuuste standaardfouten vragen ten minste 2 clusters"
        raise EstimationError(msg)
    if n - k_dof <= 0:
        msg = f"te weinig waarnemingen ({n}) voor {k_dof} parameters; voeg perioden of eenheden toe"
        raise EstimationError(msg)
    correction = n_clusters / (n_clusters - 1) * (n - 1) / (n - k_dof)
    vcov = correction * bread @ meat @ bread
    return FEFit(
        beta=beta,
        vcov=vcov,
        resid=resid,
        xt=xt,
        yt=yt,
        n=n,
        k_dof=k_dof,
        n_clusters=n_clusters,
        correction=correction,
        df=n_clusters - 1,
        cluster_codes=cluster_codes,
        absorber=absorber,
    )


def codes_of(values) -> np.ndarray:
    """Integer codes 0..levels-1 of a column (sorted levels)."""
    import pandas as pd

    codes, _ = pd.factorize(pd.Series(values), sort=True)
    return np.asarray(codes, dtype=np.int64)
