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
from collections.abc import Callable, Sequence

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
    y_a: np.ndarray, y_b: np.ndarray, y_ab: np.ndarray | Sequence[np.ndarray]
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
    if n_boot and np.all(np.isfinite(first)):
        first_conf, total_conf = _bootstrap_half_widths(y_a, y_b, y_ab, n_boot, seed + 1)
    table = pd.DataFrame(
        {"S1": first, "S1_conf": first_conf, "ST": total, "ST_conf": total_conf},
        index=pd.Index(names or [f"x{i + 1}" for i in range(k)], name="factor"),
    )
    return table


def _bootstrap_half_widths(
    y_a: np.ndarray, y_b: np.ndarray, y_ab: np.ndarray, n_boot: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return 95% half-widths of S1 and ST from a bootstrap over the n base rows.

    A resample is a vector of counts (how often each row is drawn), so every mean over a
    resample is a row of ``counts @ columns / n``: one matrix product for all resamples,
    instead of gathering ``n_boot`` copies of the outputs.
    """
    n = y_a.shape[0]
    draws = np.random.default_rng(seed).integers(n, size=(n_boot, n))
    offsets = np.arange(n_boot)[:, None] * n  # one bincount for all resamples
    counts = np.bincount((draws + offsets).ravel(), minlength=n_boot * n).reshape(n_boot, n)
    diff = (y_ab - y_a).T  # (n, k)
    columns = np.column_stack([y_a, y_b, y_a**2, y_b**2, y_b[:, None] * diff, diff, diff**2])
    sums = counts @ columns / n  # (n_boot, 4 + 3k)
    k = diff.shape[1]
    mean_a, mean_b, sq_a, sq_b = sums[:, 0], sums[:, 1], sums[:, 2], sums[:, 3]
    b_diff, mean_diff, sq_diff = (
        sums[:, 4 : 4 + k],
        sums[:, 4 + k : 4 + 2 * k],
        sums[:, 4 + 2 * k :],
    )
    mean = (mean_a + mean_b) / 2
    variance = (sq_a + sq_b) / 2 - mean**2
    with np.errstate(invalid="ignore", divide="ignore"):
        first = (b_diff - mean[:, None] * mean_diff) / variance[:, None]
        total = 0.5 * sq_diff / variance[:, None]
    return 1.96 * np.std(first, axis=0, ddof=1), 1.96 * np.std(total, axis=0, ddof=1)


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
