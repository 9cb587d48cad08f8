"""The construction steps of a composite index, as pure functions.

Order (OECD/JRC Handbook, COINr): denominate -> impute -> treat -> transform ->
normalise -> aggregate. Each step takes and returns a DataFrame indexed by unit code
with one column per indicator; the numerical kernels below work on numpy arrays so the
uncertainty analysis can reuse them on many runs at once.

Definitions follow COINr (``n_minmax``, ``n_goalposts``, ``n_zscore``, ``n_rank``,
``n_prank``, ``n_dist2targ``, ``winsorise``, ``log_CT``, ``a_amean``, ``a_gmean``,
``a_hmean``, ``dat_thresh``) with the choices pinned in the doeagenda issue:

- directions are applied by multiplying by -1 before normalising (COINr), so
  ``minmax`` with direction -1 is ``(max - x) / (max - min)``;
- ``goalposts`` is ``(x - low) / (high - low)`` clipped to [0, 1] (direction -1:
  ``(high - x) / (high - low)``), mapped to ``range``; with ``transform: log`` the
  goalposts are logged too;
- geometric aggregation of a value <= 0 and harmonic aggregation of a 0 raise a
  :class:`~doeagenda.errors.FrameworkError` (never a silent NaN); the fix is a
  normalisation whose range starts above 0, e.g. ``range: [1, 100]``.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from doeagenda.errors import DataError, FrameworkError
from doeagenda.index.framework import Framework, ImputeSpec, NormaliseSpec, TreatSpec

__all__ = [
    "aggregate",
    "aggregate_values",
    "ctlog",
    "denominate",
    "impute",
    "kurtosis_g2",
    "normalise",
    "normalise_values",
    "rank_desc",
    "skewness_g1",
    "transform",
    "treat",
    "treat_values",
    "winsorise",
]

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- statistics
def _moment_sample(x: np.ndarray, minimum: int) -> np.ndarray | None:
    """Non-NaN values, or None when there are too few or they do not vary."""
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    if x.size < minimum or np.all(x == x[0]):
        return None
    return x


def _g1_g2(x: np.ndarray) -> tuple[float, float]:
    """Bias-corrected skewness G1 and excess kurtosis G2 from one set of central moments.

    The closed forms of scipy's ``skew(bias=False)`` and ``kurtosis(bias=False)`` (checked
    against both in the tests), without their per-call argument handling: winsorising
    evaluates them once per round and indicator, and that overhead was most of its cost.
    """
    sample = _moment_sample(x, 3)
    if sample is None:
        return float("nan"), float("nan")
    n = sample.size
    d = sample - sample.mean()
    d2 = d * d
    m2 = d2.mean()
    m3 = (d2 * d).mean()
    m4 = (d2 * d2).mean()
    g1 = math.sqrt(n * (n - 1)) / (n - 2) * m3 / m2**1.5
    if n < 4:
        return float(g1), float("nan")
    g2 = ((n + 1) * (m4 / m2**2 - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return float(g1), float(g2)


def skewness_g1(x: np.ndarray) -> float:
    """Return the bias-corrected sample skewness G1 (e1071 type 2, SAS, SPSS, Excel SKEW).

    ``G1 = sqrt(n (n - 1)) / (n - 2) * m3 / m2**1.5`` with central moments ``m_k``
    (scipy's ``skew(bias=False)``). NaN values are ignored; fewer than 3 values or zero
    variance give NaN.
    """
    return _g1_g2(x)[0]


def kurtosis_g2(x: np.ndarray) -> float:
    """Return the bias-corrected sample excess kurtosis G2 (e1071 type 2, SAS, SPSS, Excel KURT).

    ``G2 = ((n + 1) g2 + 6) (n - 1) / ((n - 2) (n - 3))`` with ``g2 = m4 / m2**2 - 3``
    (scipy's ``kurtosis(bias=False)``). NaN values are ignored; fewer than 4 values or
    zero variance give NaN.
    """
    return _g1_g2(x)[1]


def ctlog(x: np.ndarray) -> np.ndarray:
    """COIN Tool log: ``ln(x - min(x) + 0.01 (max(x) - min(x)))`` (COINr ``log_CT``)."""
    x = np.asarray(x, dtype=float)
    lo, hi = np.nanmin(x), np.nanmax(x)
    return np.log(x - lo + 0.01 * (hi - lo))


@dataclass
class WinsoriseResult:
    """Outcome of :func:`winsorise` for one indicator."""

    values: np.ndarray
    rounds: int
    high: int
    low: int
    passed: bool


def winsorise(
    x: np.ndarray, skew: float = 2.0, kurt: float = 3.5, winmax: int | None = None
) -> WinsoriseResult:
    """Winsorise one indicator while |G1| > skew and G2 > kurt, at most ``winmax`` rounds.

    Each round treats the side given by the current sign of the skewness (>= 0: high):
    every point equal to the maximum (minimum) is set to the largest (smallest) value
    among the others.

    Parameters
    ----------
    x : array
        Values (NaN ignored).
    skew, kurt : float
        Thresholds on |G1| and G2.
    winmax : int, optional
        Maximum number of rounds; default 10% of the non-missing values, rounded up.

    Returns
    -------
    WinsoriseResult
    """
    x = np.array(x, dtype=float)
    ok = ~np.isnan(x)
    if winmax is None:
        winmax = math.ceil(0.1 * ok.sum())
    high_pts: set[int] = set()
    low_pts: set[int] = set()
    rounds = 0
    # One G1 and one G2 per round: the test and the side to treat use the same moments.
    g1, g2 = _g1_g2(x)
    failing = bool(abs(g1) > skew and g2 > kurt)
    while failing and rounds < winmax:
        # the side the skew points to: its extreme values take the next value inward
        extreme, inward, points = (
            (np.nanmax, np.max, high_pts) if g1 >= 0 else (np.nanmin, np.min, low_pts)
        )
        hit = ok & (x == extreme(x))
        rest = x[ok & ~hit]
        if rest.size == 0:
            break
        x[hit] = inward(rest)
        points.update(np.flatnonzero(hit).tolist())
        rounds += 1
        g1, g2 = _g1_g2(x)
        failing = bool(abs(g1) > skew and g2 > kurt)
    return WinsoriseResult(x, rounds, len(high_pts), len(low_pts), not failing)


def treat_values(
    x: np.ndarray, spec: TreatSpec, name: str = "indicator"
) -> tuple[np.ndarray, dict[str, Any]]:
    """Treat one indicator for outliers (COINr ``Treat`` with winsorise then fallback).

    Returns
    -------
    (np.ndarray, dict)
        The treated values and a record of what was done.
    """
    x = np.asarray(x, dtype=float)
    skew_before = skewness_g1(x)
    kurtosis_before = kurtosis_g2(x)
    record: dict[str, Any] = {
        "indicator": name,
        "skew_before": skew_before,
        "kurtosis_before": kurtosis_before,
        "rounds": 0,
        "winsorised_high": 0,
        "winsorised_low": 0,
        "transform": "none",
        "treated": False,
    }
    out = x
    fails = abs(skew_before) > spec.skew and kurtosis_before > spec.kurtosis
    if spec.method == "winsorise" and fails:
        result = winsorise(x, spec.skew, spec.kurtosis, spec.winmax)
        if result.passed:
            out = result.values
            record.update(
                rounds=result.rounds,
                winsorised_high=result.high,
                winsorised_low=result.low,
                treated=True,
            )
        else:
            record["rounds"] = result.rounds
            if spec.fallback == "ctlog":
                out = ctlog(x)
                record.update(transform="ctlog", treated=True)
            elif spec.fallback == "log":
                if np.nanmin(x) <= 0:
                    msg = (
                        f"indicator '{name}': treat fallback 'log' vraagt waarden > 0, het minimum "
                        f"is {np.nanmin(x):g}; gebruik fallback: ctlog"
                    )
                    raise DataError(msg)
                out = np.log(x)
                record.update(transform="log", treated=True)
            else:
                record.update(transform="none (winsorising failed)")
    record["skew_after"] = skewness_g1(out)
    record["kurtosis_after"] = kurtosis_g2(out)
    return out, record


# --------------------------------------------------------------------------- normalise
def _to_range(y: np.ndarray, rng: tuple[float, float]) -> np.ndarray:
    lo, hi = rng
    return y * (hi - lo) + lo


def normalise_values(
    x: np.ndarray, spec: NormaliseSpec, direction: int = 1, log: bool = False
) -> np.ndarray:
    """Normalise the columns of ``x`` (units along axis 0) with one specification.

    Parameters
    ----------
    x : array
        One indicator (1-d) or several (2-d, one per column); NaN allowed.
    spec : NormaliseSpec
        The method and its parameters.
    direction : int
        1 (higher is better) or -1 (lower is better).
    log : bool
        Whether the indicator was log-transformed (goalposts and target are logged too).

    Returns
    -------
    array
        Same shape as ``x``.
    """
    x = np.asarray(x, dtype=float)
    method = spec.method
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "goalposts":
            # NormaliseSpec's validator makes goalposts carry low and high
            assert spec.low is not None and spec.high is not None
            low, high = float(spec.low), float(spec.high)
            if log:
                low, high = np.log(low), np.log(high)
            y = (x - low) / (high - low) if direction == 1 else (high - x) / (high - low)
            return _to_range(np.clip(y, 0.0, 1.0), spec.range)
        if method == "distance_to_target":
            assert spec.target is not None  # NormaliseSpec's validator requires it
            target = float(spec.target)
            if log:
                target = np.log(target)
            if direction == 1:
                lo = np.nanmin(x, axis=0)
                y = (x - lo) / (target - lo)
            else:
                hi = np.nanmax(x, axis=0)
                y = (hi - x) / (hi - target)
            if spec.cap:
                y = np.minimum(y, 1.0)
            return _to_range(y, spec.range)
        z = x * direction
        if method == "minmax":
            lo, hi = np.nanmin(z, axis=0), np.nanmax(z, axis=0)
            return _to_range((z - lo) / (hi - lo), spec.range)
        if method == "zscore":
            mean = np.nanmean(z, axis=0)
            sd = np.nanstd(z, axis=0, ddof=1)
            return (z - mean) / sd * spec.sd + spec.mean
        if method == "rank":
            return rankdata(z, method="min", axis=0, nan_policy="omit")
        if method == "percentile":
            r = rankdata(z, method="min", axis=0, nan_policy="omit")
            n = np.sum(~np.isnan(z), axis=0)
            return _to_range((r - 1) / (n - 1), spec.range)
        if method == "none":
            return z
    msg = f"unknown normalisation method {method!r}"
    raise FrameworkError(msg)


# --------------------------------------------------------------------------- aggregate
def aggregate_values(
    values: np.ndarray,
    weights: np.ndarray,
    method: str,
    min_coverage: float = 1.0,
    *,
    group: str = "group",
    units: pd.Index | None = None,
    children: list[str] | None = None,
    check: bool = True,
) -> np.ndarray:
    """Aggregate children values (last axis) into one value per unit.

    Weights are relative within the group. Missing children are skipped (their weights
    dropped) when the share of children present is at least ``min_coverage``; otherwise
    the result is NaN (COINr ``dat_thresh``).

    Parameters
    ----------
    values : array (..., k)
        Children values; NaN = missing.
    weights : array (k,) or broadcastable to ``values``
        Non-negative weights.
    method : str
        ``arithmetic``, ``geometric`` or ``harmonic``.
    min_coverage : float
        Minimum share of children present.
    group, units, children : optional
        Used in error messages.
    check : bool
        Raise on values <= 0 (geometric) or 0 (harmonic).

    Returns
    -------
    array (...)
    """
    values = np.asarray(values, dtype=float)
    k = values.shape[-1]
    present = ~np.isnan(values)
    w = np.broadcast_to(np.asarray(weights, dtype=float), values.shape)
    wp = np.where(present, w, 0.0)
    wsum = wp.sum(axis=-1)
    filled = np.where(present, values, 1.0)
    if check and method in ("geometric", "harmonic"):
        bad = present & ((values <= 0) if method == "geometric" else (values == 0))
        if bad.any():
            idx = np.argwhere(bad)[0]
            unit = units[idx[0]] if units is not None and values.ndim == 2 else idx[:-1]
            child = children[idx[-1]] if children else idx[-1]
            what = "<= 0" if method == "geometric" else "= 0"
            msg = (
                f"groep '{group}': aggregatie {method} vraagt waarden {'> 0' if what == '<= 0' else '!= 0'}, "
                f"maar '{child}' is {values[tuple(idx)]:g} voor eenheid {unit}; normaliseer naar "
                f"een bereik boven 0 (bijvoorbeeld range: [1, 100]) of gebruik aggregate: arithmetic"
            )
            raise FrameworkError(msg)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "arithmetic":
            out = (wp * filled).sum(axis=-1) / wsum
        elif method == "geometric":
            out = np.exp((wp * np.log(filled)).sum(axis=-1) / wsum)
        elif method == "harmonic":
            out = wsum / (wp / filled).sum(axis=-1)
        else:
            msg = f"onbekende aggregatiemethode {method!r}; kies arithmetic, geometric of harmonic"
            raise FrameworkError(msg)
    coverage = present.sum(axis=-1) / k
    out = np.where((coverage >= min_coverage - 1e-12) & (wsum > 0), out, np.nan)
    return out


def rank_desc(values: np.ndarray, axis: int = 0) -> np.ndarray:
    """Rank so that 1 is the highest value; ties get the lowest rank ('min'); NaN stays NaN."""
    values = np.asarray(values, dtype=float)
    return rankdata(-values, method="min", axis=axis, nan_policy="omit")


# --------------------------------------------------------------------------- DataFrame steps
def denominate(data: pd.DataFrame, framework: Framework, leaves: list[str]) -> pd.DataFrame:
    """Divide each leaf with a ``denominator`` by that data column.

    A zero denominator gives a missing value (logged), not infinity.
    """
    out = data[leaves].copy()
    for leaf in leaves:
        den = framework.node(leaf).denominator
        if den is None:
            continue
        if den not in data.columns:
            msg = (
                f"indicator '{leaf}' heeft noemer '{den}', die geen kolom van de gegevens is; "
                f"voeg de kolom toe of verwijder 'denominator'"
            )
            raise DataError(msg)
        d = data[den].astype(float)
        zero = d == 0
        if zero.any():
            logger.info("denominator %s is 0 for %d units: %s set missing", den, zero.sum(), leaf)
        out[leaf] = out[leaf] / d.where(~zero)
    return out


def impute(
    frame: pd.DataFrame, framework: Framework, data: pd.DataFrame, spec: ImputeSpec | None = None
) -> pd.DataFrame:
    """Fill missing values per indicator (``none``, ``mean``, ``median``, ``group_mean``).

    Parameters
    ----------
    frame : DataFrame
        Indicators (after denominating).
    framework : Framework
        Gives the imputation of each leaf (unless ``spec`` overrides all).
    data : DataFrame
        The full data (holds the ``by`` column of ``group_mean``).
    spec : ImputeSpec, optional
        Use this for every leaf instead of the framework's choice.
    """
    out = frame.copy()
    for leaf in frame.columns:
        s = spec or framework.impute_spec(leaf)
        col = out[leaf]
        if s.method == "none" or not col.isna().any():
            continue
        if s.method == "mean":
            out[leaf] = col.fillna(col.mean())
        elif s.method == "median":
            out[leaf] = col.fillna(col.median())
        else:
            if s.by not in data.columns:
                msg = (
                    f"impute group_mean voor '{leaf}' gebruikt by: '{s.by}', die geen kolom van de "
                    f"gegevens is; voeg de kolom toe of wijzig 'by'"
                )
                raise DataError(msg)
            means = col.groupby(data[s.by]).transform("mean")
            out[leaf] = col.fillna(means)
    return out


def treat(frame: pd.DataFrame, framework: Framework) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Treat outliers per indicator; return the treated frame and a record per indicator."""
    out = frame.copy()
    records = []
    for leaf in frame.columns:
        values, record = treat_values(frame[leaf].to_numpy(float), framework.treat_spec(leaf), leaf)
        out[leaf] = values
        records.append(record)
    return out, pd.DataFrame(records).set_index("indicator")


def transform(frame: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Apply ``transform: log`` where asked (a clear error for values <= 0)."""
    out = frame.copy()
    for leaf in frame.columns:
        if framework.node(leaf).transform != "log":
            continue
        col = out[leaf]
        if (col <= 0).any():
            bad = col[col <= 0]
            msg = (
                f"indicator '{leaf}' heeft transform: log maar {len(bad)} waarde(n) <= 0 "
                f"(bijvoorbeeld {bad.iloc[0]:g} voor {bad.index[0]}); verwijder de transform of "
                f"verbeter de gegevens"
            )
            raise DataError(msg)
        out[leaf] = np.log(col)
    return out


def normalise(
    frame: pd.DataFrame, framework: Framework, spec: NormaliseSpec | None = None
) -> pd.DataFrame:
    """Normalise every indicator with its own (or the given) specification."""
    out = frame.copy()
    for leaf in frame.columns:
        node = framework.node(leaf)
        s = spec or framework.normalise_spec(leaf)
        out[leaf] = normalise_values(
            frame[leaf].to_numpy(float), s, node.direction, log=node.transform == "log"
        )
    return out


def aggregate(
    normalised: pd.DataFrame, framework: Framework, active: set[str] | None = None
) -> pd.DataFrame:
    """Aggregate bottom-up; return all nodes (leaves as given, groups and root computed).

    Parameters
    ----------
    normalised : DataFrame
        Normalised leaves.
    framework : Framework
    active : set of str, optional
        Nodes with data. Inactive nodes (survey dimensions without a file) are left out
        of their parent's aggregate and appear as NaN ("geen gegevens").
    """
    scores = {c: normalised[c].to_numpy(float) for c in normalised.columns}
    n = len(normalised)
    active = set(framework.leaves) if active is None else active
    for group in framework.groups:
        kids = [k for k in framework.children(group) if k in active and k in scores]
        if not kids:
            scores[group] = np.full(n, np.nan)
            continue
        values = np.column_stack([scores[k] for k in kids])
        weights = np.array([framework.node(k).weight for k in kids])
        scores[group] = aggregate_values(
            values,
            weights,
            framework.aggregate_method(group),
            framework.coverage(group),
            group=group,
            units=normalised.index,
            children=kids,
        )
    order = [n.id for n in framework.nodes]
    return pd.DataFrame({k: scores[k] for k in order if k in scores}, index=normalised.index)
