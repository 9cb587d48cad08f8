"""Variance-based (Sobol) sensitivity indices: the one estimator of the package.

Both the composite index (:mod:`doeagenda.index.uncertainty`) and the SROI Monte Carlo
(:mod:`doeagenda.impact.uncertainty`) use :func:`saltelli_jansen`. With ``A`` and ``B``
two independent ``n x k`` input samples and ``AB_i`` equal to ``A`` with column *i*
taken from ``B``:

* first order (Saltelli et al. 2010, table 2 (b)):
  ``S_i = mean(f_c(B) (f(AB_i) - f(A))) / V``, with ``f_c`` centred on the mean of
  ``f(A)`` and ``f(B)``; centring keeps the estimator unbiased and lowers its variance;
* total order (Jansen 1999): ``ST_i = mean((f(A) - f(AB_i))^2) / (2 V)``;

with ``V`` the variance of ``f`` over ``A`` and ``B`` together. When the output does
not vary (``V`` zero up to rounding) the indices are undefined and returned as NaN.

Why not SALib
-------------
SALib (``SALib.sample.sobol`` + ``SALib.analyze.sobol``) was checked side by side on
the Ishigami function and agrees with this estimator within 0.013 (see
``tests/test_sensitivity.py`` and ``benchmarks/bench_peers.py``). It is not used at
run time because (1) its bootstrap loops in Python over resamples and inputs, where
ours is one vectorised array pass (far faster, see the benchmark), (2) it wants the
model evaluated on its own ``N (2k + 2)`` design even when only first and total
orders are needed (``n (k + 2)`` here), and (3) the SROI Monte Carlo reuses the
``A`` sample as its output distribution and swaps one assumption at a time on
precomputed components, which needs the estimator separate from the design.
SALib stays a test and benchmark reference (the ``test`` and ``bench`` extras).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.stats import qmc

__all__ = [
    "ishigami",
    "ishigami_indices",
    "saltelli_jansen",
    "sobol_design",
    "sobol_table",
]

#: Relative variance below which the output counts as constant (rounding noise).
_CONSTANT_VARIANCE = 1e-24


def saltelli_jansen(
    y_a: np.ndarray, y_b: np.ndarray, y_ab: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Estimate first- and total-order Sobol indices from model outputs.

    Parameters
    ----------
    y_a, y_b : ndarray
        Outputs on the ``A`` and ``B`` samples, shape ``(n,)``.
    y_ab : ndarray
        Outputs on ``AB_i`` for each input *i*, shape ``(k, n)`` (or a list of k arrays).

    Returns
    -------
    first, total : ndarray
        Shape ``(k,)``; NaN when the output does not vary.
    """
    y_a = np.asarray(y_a, dtype=float)
    y_b = np.asarray(y_b, dtype=float)
    y_ab = np.asarray(y_ab, dtype=float).reshape(-1, y_a.shape[0])
    k = y_ab.shape[0]
    both = np.concatenate([y_a, y_b])
    variance = float(np.var(both))
    scale = max(1.0, float(np.mean(both)) ** 2)
    if k == 0 or not np.isfinite(variance) or variance <= _CONSTANT_VARIANCE * scale:
        return np.full(k, np.nan), np.full(k, np.nan)
    centred_b = y_b - float(np.mean(both))
    first = np.mean(centred_b * (y_ab - y_a), axis=1) / variance
    total = 0.5 * np.mean((y_a - y_ab) ** 2, axis=1) / variance
    return first, total


def sobol_design(k: int, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Draw the ``A`` and ``B`` samples of k uniforms on [0, 1) from a scrambled Sobol' sequence.

    Parameters
    ----------
    k : int
        Number of inputs.
    n : int
        Base sample size (a power of 2 keeps the sequence balanced).
    seed : int

    Returns
    -------
    a, b : ndarray
        Shape ``(n, k)`` each.
    """
    sampler = qmc.Sobol(d=2 * k, scramble=True, rng=np.random.default_rng(seed))
    base = sampler.random(n)
    return base[:, :k], base[:, k:]


def _swapped(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Stack ``AB_1 .. AB_k`` into one ``(k n, k)`` array."""
    n, k = a.shape
    stacked = np.broadcast_to(a, (k, n, k)).copy()
    cols = np.arange(k)
    stacked[cols, :, cols] = b.T
    return stacked.reshape(k * n, k)


def sobol_table(
    model: Callable[[np.ndarray], np.ndarray],
    k: int,
    n: int = 1024,
    seed: int = 0,
    n_boot: int = 200,
    names: list[str] | None = None,
) -> pd.DataFrame:
    """Estimate first- and total-order Sobol indices of a model of k uniform inputs.

    The model is evaluated once on ``n (k + 2)`` rows (:func:`sobol_design`), the indices
    come from :func:`saltelli_jansen` and their 95% half-widths from a bootstrap over the
    ``n`` base rows, all resamples in one array pass.

    Parameters
    ----------
    model : callable
        Takes an ``(m, k)`` array of uniforms on [0, 1) and returns m outputs.
    k : int
        Number of inputs.
    n : int
        Base sample size (a power of 2 is best).
    seed : int
    n_boot : int
        Bootstrap resamples for the confidence half-widths (0 = none).
    names : list of str, optional
        Input names (default ``x1 .. xk``).

    Returns
    -------
    DataFrame
        Index = input (``factor``), columns ``S1, S1_conf, ST, ST_conf``.
    """
    a, b = sobol_design(k, n, seed)
    y = np.asarray(model(np.concatenate([a, b, _swapped(a, b)])), dtype=float)
    y_a, y_b, y_ab = y[:n], y[n : 2 * n], y[2 * n :].reshape(k, n)
    first, total = saltelli_jansen(y_a, y_b, y_ab)
    first_conf = np.full(k, np.nan)
    total_conf = np.full(k, np.nan)
    if n_boot:
        idx = np.random.default_rng(seed + 1).integers(n, size=(n_boot, n))
        boot_a, boot_b, boot_ab = y_a[idx], y_b[idx], y_ab[:, idx]  # (B, n), (k, B, n)
        both = np.concatenate([boot_a, boot_b], axis=1)
        variance = np.var(both, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            centred_b = boot_b - both.mean(axis=1, keepdims=True)
            s1 = np.mean(centred_b * (boot_ab - boot_a), axis=2) / variance
            st = 0.5 * np.mean((boot_a - boot_ab) ** 2, axis=2) / variance
        if np.all(np.isfinite(first)):
            first_conf = 1.96 * np.std(s1, axis=1, ddof=1)
            total_conf = 1.96 * np.std(st, axis=1, ddof=1)
    table = pd.DataFrame(
        {"S1": first, "S1_conf": first_conf, "ST": total, "ST_conf": total_conf},
        index=pd.Index(names or [f"x{i + 1}" for i in range(k)], name="factor"),
    )
    return table


def ishigami(u: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """Evaluate the Ishigami function on three inputs given as uniforms on [0, 1].

    The uniforms are mapped onto [-pi, pi], the function's usual domain.
    """
    x = -np.pi + 2 * np.pi * np.asarray(u, dtype=float)
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[list[float], list[float]]:
    """Return the analytic first- and total-order indices of :func:`ishigami`.

    Closed form from Saltelli et al. (2008), *Global Sensitivity Analysis: The Primer*;
    for a = 7, b = 0.1: S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
    """
    v1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * math.pi**8 * (1 / 18 - 1 / 50)
    var = v1 + v2 + v13
    return [v1 / var, v2 / var, 0.0], [(v1 + v13) / var, v2 / var, v13 / var]
