"""Uncertainty and sensitivity analysis of a composite index (OECD/JRC Handbook, step 7).

The analyst's choices are varied at once in a Monte Carlo experiment:

- **weights**: every node weight multiplied by a factor drawn uniformly from
  ``[1 - p, 1 + p]`` (default p = 0.25);
- **normalisation**: the framework's own per-indicator choice, or one method for all
  indicators (``minmax``, ``zscore``, ``percentile``, ``rank``, ``none``);
- **aggregation**: the framework's own per-group choice, or one method for all groups
  (``arithmetic``, ``geometric``, ``harmonic``);
- **imputation**: the framework's own, or ``none``/``mean``/``median`` for all indicators;
- **leaving one indicator out** (only indicators that have a sibling, so no group empties).

Documented rule for zeros and negatives: in a run that aggregates geometrically or
harmonically, an indicator whose normalised values are not all > 0 is linearly rescaled
onto [1, 100] (the COINr advice to normalise onto [1, 100] before a geometric mean).

The evaluation is vectorised over runs and units: its cost is O(runs x units x
indicators) with numpy, in chunks of runs, and without any per-unit Python loop. In a run
that aggregates every group the same way, a unit with all its values gets its score from
one weighted mean over the leaves with effective weights (one product per block of runs);
the other units and runs are evaluated group by group with missing values and coverage.
Both paths are checked against a per-run rebuild with :func:`~doeagenda.index.build_index`.
Sobol indices come from the package's one estimator, :mod:`doeagenda.sensitivity`
(Saltelli 2010 first order, Jansen 1999 total order, checked on Ishigami and against SALib).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from doeagenda.errors import ParameterError
from doeagenda.index import steps

# re-exported: public name since 0.x
from doeagenda.index.labels import FACTOR_LABELS as FACTOR_LABELS
from doeagenda.index.uncertainty_results import SensitivityResult, UncertaintyResult
from doeagenda.index.uncertainty_spec import (
    _AGG_CODE,
    Vary,
    _as_vary,
    _prepare,
    _Prepared,
    _runs_table,
    _sample_runs,
)
from doeagenda.sensitivity import ishigami, sobol_table

if TYPE_CHECKING:  # type names only
    from doeagenda.index.build import IndexResult

__all__ = [
    "SensitivityResult",
    "UncertaintyResult",
    "Vary",
    "ishigami",
    "sensitivity",
    "sobol_indices",
    "uncertainty",
]

logger = logging.getLogger(__name__)

#: Bytes of leaf values held at once while evaluating runs.
_CHUNK_BYTES = 64 * 2**20
#: Bytes of a block of results that should stay in the CPU cache (collapsed path, ranks).
_CACHE_BYTES = 2**20


def _run_codes(prep: _Prepared, agg: np.ndarray) -> dict[str, np.ndarray]:
    """Aggregation method code (0 arithmetic, 1 geometric, 2 harmonic) per group and run."""
    run_alt = np.array(prep.agg_alts)[agg]
    codes = {}
    for g in prep.groups:
        code = np.full(len(agg), prep.fw_agg[g])
        for name, value in _AGG_CODE.items():
            code = np.where(run_alt == name, value, code)
        codes[g] = code
    return codes


def _effective_weights(prep: _Prepared, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weight of every leaf in the root score, per run, for runs that aggregate one way.

    ``w`` holds the node weights per run (runs x nodes, a left-out leaf at 0). A leaf's
    effective weight is the product of its weight shares (weight / sum over the siblings)
    on the path up to the root. Also returns, per run, whether every group has a positive
    weight sum (else the group is empty and the nested evaluation must decide).
    """
    n_leaves = len(prep.leaves)
    eff = np.zeros_like(w)
    eff[:, -1] = 1.0  # the root is the last node
    valid = np.ones(len(w), dtype=bool)
    for gi in range(len(prep.groups) - 1, -1, -1):  # top-down: groups are listed bottom-up
        kids = prep.children[prep.groups[gi]]
        if not kids:
            valid[:] = False
            continue
        total = w[:, kids].sum(axis=1)
        valid &= total > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            eff[:, kids] = eff[:, [n_leaves + gi]] * (w[:, kids] / total[:, None])
    return eff[:, :n_leaves], valid


def _evaluate_complete(
    x: np.ndarray, eff: np.ndarray, code: np.ndarray, out: np.ndarray, rows: np.ndarray,
    cols: np.ndarray | None,
) -> None:  # fmt: skip
    """Root scores of units with every leaf value, for runs that aggregate one way.

    Each group's score is then a weighted mean with the same weights for every unit, so
    the nested means collapse into one weighted mean over the leaves with the effective
    weights: ``f^-1(f(x) @ eff)``, f = identity, log or reciprocal. One matrix product per
    chunk of runs instead of a pass over (runs x units) per group and child. The result
    equals the nested evaluation up to rounding (a few ulp).
    """
    n_units = x.shape[0]
    chunk = max(1, _CACHE_BYTES // (8 * max(n_units, 1)))
    for method in np.unique(code):
        if method == 0:
            f_x = x.T
        else:
            with np.errstate(invalid="ignore", divide="ignore"):
                f_x = np.log(x).T if method == 1 else (1.0 / x).T
        f_x = np.ascontiguousarray(f_x)  # (L, U): contiguous rows for the matrix product
        idx = np.flatnonzero(code == method)
        for start in range(0, len(idx), chunk):
            part = idx[start : start + chunk]
            # einsum, not @: a product this small costs OpenBLAS more in waking its threads
            # than in arithmetic (measured 10x the CPU time on a shared machine).
            num = np.einsum("cl,lu->cu", eff[part], f_x)  # (c, U)
            with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
                if method == 1:
                    np.exp(num, out=num)
                elif method == 2:
                    np.divide(1.0, num, out=num)
            if cols is None:
                out[rows[part]] = num
            else:
                out[np.ix_(rows[part], cols)] = num


def _evaluate_nested(
    prep: _Prepared,
    x: np.ndarray,
    rows: np.ndarray,
    codes_all: dict[str, np.ndarray],
    leaf_on_all: np.ndarray,
    wmult: np.ndarray,
    out: np.ndarray,
    cols: np.ndarray | None,
) -> None:
    """Root scores group by group, with missing values, coverage and per-group methods.

    ``x`` are the leaf values of the units ``cols`` (all units when None); results go to
    ``out[rows, cols]``. Groups of indicators are weighted sums over the indicators, i.e.
    one matrix product (runs x indicators) @ (indicators x units); groups of groups are
    weighted sums over per-run values. Cost O(runs x units x children).
    """
    n_leaves = len(prep.leaves)
    n_keep = x.shape[0]
    if n_keep == 0 or len(rows) == 0:
        return
    max_k = max(len(k) for k in prep.children.values())
    chunk = max(1, int(_CHUNK_BYTES // (8 * n_keep * max_k)))
    parts = {}
    for g in prep.groups:
        kids = np.array(prep.children[g], dtype=int)
        is_leaf = kids < n_leaves
        parts[g] = (kids, np.flatnonzero(is_leaf), np.flatnonzero(~is_leaf))
    present = ~np.isnan(x)
    complete = present.all(axis=0)  # leaves without missing values here
    pf = present.astype(float)
    safe = np.where(present, x, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        terms = {
            0: np.where(present, x, 0.0),
            1: np.where(present, np.log(safe), 0.0),
            2: np.where(present, 1.0 / safe, 0.0),
        }
    for start in range(0, len(rows), chunk):
        rows_c = rows[start : start + chunk]
        c = len(rows_c)
        values: dict[int, np.ndarray] = {}
        for gi, g in enumerate(prep.groups):
            kids, li, gi_idx = parts[g]
            kid_on = np.ones((c, len(kids)), dtype=bool)
            kid_on[:, li] = leaf_on_all[rows_c][:, kids[li]]
            w = prep.base_w[kids][None, :] * wmult[rows_c][:, kids] * kid_on
            wl, wg = w[:, li], w[:, gi_idx]
            leaf_cols = kids[li]
            if complete[leaf_cols].all():  # no missing leaf values: (c, 1) suffices
                den = wl.sum(axis=1, keepdims=True)
                count = kid_on[:, li].sum(axis=1, keepdims=True).astype(float)
            else:
                den = np.einsum("ck,uk->cu", wl, pf[:, leaf_cols])
                count = np.einsum("ck,uk->cu", kid_on[:, li].astype(float), pf[:, leaf_cols])
            group_kids = kids[gi_idx]
            present_g = [~np.isnan(values[k]) for k in group_kids]  # each (c, U)
            if present_g:  # in place from here on: these are (c, U) arrays
                den = np.broadcast_to(den, (c, n_keep)).copy()
                count = np.broadcast_to(count, (c, n_keep)).copy()
            for j, p_j in enumerate(present_g):
                den += wg[:, j, None] * p_j
                count += p_j
            code = codes_all[g][rows_c]
            res = np.full((c, n_keep), np.nan)
            with np.errstate(invalid="ignore", divide="ignore"):
                for method in np.unique(code):
                    r = code == method
                    num = np.einsum(
                        "ck,uk->cu", wl[r], terms[method][:, leaf_cols]
                    )  # not @: see _evaluate_complete
                    all_r = r.all()
                    for j, k in enumerate(group_kids):
                        v_r = values[k] if all_r else values[k][r]
                        if method == 0:
                            # == nan_to_num(nan=0) keeping infinities, in one pass
                            p_r = present_g[j] if all_r else present_g[j][r]
                            t = np.where(p_r, v_r, 0.0)
                        elif method == 1:
                            t = np.nan_to_num(np.log(v_r), nan=0.0, posinf=np.inf, neginf=-np.inf)
                        else:
                            t = np.nan_to_num(1.0 / v_r, nan=0.0, posinf=np.inf, neginf=-np.inf)
                        t *= wg[r, j, None]
                        num = num + t
                    if method == 0:
                        res[r] = num / den[r]
                    elif method == 1:
                        res[r] = np.exp(num / den[r])
                    else:
                        res[r] = den[r] / num
                cover = count / np.maximum(kid_on.sum(-1), 1)[:, None]
            ok = (cover >= prep.coverage[g] - 1e-12) & (den > 0)
            values[n_leaves + gi] = np.where(ok, res, np.nan)
        root = values[n_leaves + len(prep.groups) - 1]
        if cols is None:
            out[rows_c] = root
        else:
            out[np.ix_(rows_c, cols)] = root


def _evaluate(
    prep: _Prepared,
    imp: np.ndarray,
    norm: np.ndarray,
    agg: np.ndarray,
    wmult: np.ndarray,
    drop: np.ndarray,
) -> np.ndarray:
    """Root scores (runs x units) for runs given by choice indices.

    Runs that share the same leaf matrix (imputation x normalisation x rescaling) are
    evaluated together, without any per-unit Python loop. Where a run aggregates every
    group the same way, the units with all leaf values take the collapsed path
    (:func:`_evaluate_complete`, one matrix product); the other units and runs take the
    nested path (:func:`_evaluate_nested`), which handles missing values and coverage.
    """
    n_runs = len(imp)
    _, n_units, n_leaves = prep.stack.shape
    out = np.full((n_runs, n_units), np.nan)
    ab = prep.n_imp * prep.n_norm
    sel_all = imp * prep.n_norm + norm + ab * prep.positive[agg].astype(int)
    codes_all = _run_codes(prep, agg)
    leaf_on_all = np.arange(n_leaves)[None, :] != drop[:, None]
    code_matrix = np.stack([codes_all[g] for g in prep.groups])  # groups x runs
    one_way = (code_matrix == code_matrix[0]).all(axis=0)
    w_nodes = prep.base_w[None, :] * wmult
    w_nodes[:, :n_leaves] *= leaf_on_all
    eff, valid = _effective_weights(prep, w_nodes)
    collapsible = one_way & valid
    for s in np.unique(sel_all):
        idx_s = np.flatnonzero(sel_all == s)
        x_all = prep.stack[s]  # (U, L)
        missing = np.isnan(x_all)
        full = ~missing.any(axis=1)  # units with every leaf value
        partial = np.flatnonzero(~full & ~missing.all(axis=1))  # some, not all
        fast = idx_s[collapsible[idx_s]]
        slow = idx_s[~collapsible[idx_s]]
        if len(fast):
            full_cols = None if full.all() else np.flatnonzero(full)
            x_full = x_all if full_cols is None else x_all[full_cols]
            _evaluate_complete(x_full, eff[fast], code_matrix[0, fast], out, fast, full_cols)
            _evaluate_nested(prep, x_all[partial], fast, codes_all, leaf_on_all, wmult, out,
                             partial)  # fmt: skip
        if len(slow):
            keep = np.flatnonzero(~missing.all(axis=1))
            keep_cols = None if len(keep) == n_units else keep
            _evaluate_nested(prep, x_all[keep], slow, codes_all, leaf_on_all, wmult, out,
                             keep_cols)  # fmt: skip
    return out


def nan_quantiles(a: np.ndarray, qs: list[float]) -> list[np.ndarray]:
    """Quantiles per column ignoring NaN (numpy's 'linear' method), vectorised over columns.

    ``np.nanpercentile`` loops over the columns in Python when there are NaNs; this sorts
    once (NaN last) and interpolates for all columns at once.
    """
    s = np.sort(a, axis=0)
    count = (~np.isnan(a)).sum(axis=0)
    cols = np.arange(a.shape[1])
    out = []
    for q in qs:
        pos = q * np.maximum(count - 1, 0)
        lo = np.floor(pos).astype(int)
        hi = np.minimum(lo + 1, np.maximum(count - 1, 0))
        frac = pos - lo
        value = s[lo, cols] + frac * (s[hi, cols] - s[lo, cols])
        out.append(np.where(count > 0, value, np.nan))
    return out


def rank_rows(scores: np.ndarray) -> np.ndarray:
    """Rank each row so that 1 is the highest value; ties share the best rank; NaN stays NaN.

    Vectorised over rows (one argsort per block of rows), unlike
    ``scipy.stats.rankdata(nan_policy='omit')``. Rows are ranked in blocks of about
    ``_CACHE_BYTES`` so that the sort order, the sorted keys and the ranks of a block stay in
    the CPU cache (one pass over memory instead of five); the running maximum that gives
    ties their best rank only runs for a block with a tie.
    """
    scores = np.asarray(scores, dtype=float)
    n_rows, n = scores.shape
    ranks = np.empty((n_rows, n))
    if n == 0:
        return ranks
    block = max(1, _CACHE_BYTES // (8 * n))
    plain = np.arange(1.0, n + 1)
    positions = np.arange(n)
    for start in range(0, n_rows, block):
        part = scores[start : start + block]
        missing = np.isnan(part)
        key = np.where(missing, np.inf, -part)
        order = np.argsort(key, axis=1)
        ordered = np.take_along_axis(key, order, axis=1)
        # NaN (inf here) sort last and are masked below, so only ties among values matter.
        tie = (ordered[:, 1:] == ordered[:, :-1]) & np.isfinite(ordered[:, 1:])
        if tie.any():
            new = np.ones(order.shape, dtype=bool)
            new[:, 1:] = ~tie
            first = np.maximum.accumulate(np.where(new, positions, 0), axis=1)
            sorted_ranks = first + 1.0
        else:
            sorted_ranks = np.broadcast_to(plain, order.shape)
        out = ranks[start : start + block]
        np.put_along_axis(out, order, sorted_ranks, axis=1)
        out[missing] = np.nan
    return ranks


def _ranks(scores: np.ndarray, cols: np.ndarray | None) -> np.ndarray:
    sub = scores if cols is None else scores[:, cols]
    return rank_rows(sub)


def _among_cols(result: IndexResult, among: list[str] | None) -> tuple[pd.Index, np.ndarray | None]:
    units = result.scores.index
    if among is None:
        return units, None
    among = [u for u in among if u in units]
    if not among:
        msg = (
            "geen van de eenheden in 'among' staat in de index; geef eenheidscodes uit de gegevens"
        )
        raise ParameterError(msg)
    return pd.Index(among), units.get_indexer(among)


# --------------------------------------------------------------------------- uncertainty
def uncertainty(
    result: IndexResult,
    n: int = 1000,
    seed: int = 0,
    vary: Any = None,
    among: list[str] | None = None,
) -> UncertaintyResult:
    """Monte Carlo uncertainty analysis of the ranks over the analyst's choices.

    Parameters
    ----------
    result : IndexResult
        A built index.
    n : int
        Number of runs.
    seed : int
        Seed of the random generator (same seed, same result).
    vary : dict or Vary, optional
        Which choices vary; see :class:`Vary` (default: weights +-25%, normalisation
        framework/zscore/percentile, aggregation framework/geometric, imputation
        framework/mean/median, leave one indicator out).
    among : list of str, optional
        Rank within these units only (e.g. the 26 Utrecht gemeenten).

    Returns
    -------
    UncertaintyResult
    """
    if n < 1:
        msg = f"n moet ten minste 1 zijn, niet {n}"
        raise ParameterError(msg)
    vary = _as_vary(vary)
    prep = _prepare(result, vary)
    rng = np.random.default_rng(seed)
    runs = _sample_runs(prep, vary, n, rng)
    scores = _evaluate(prep, runs["imp"], runs["norm"], runs["agg"], runs["wmult"], runs["drop"])
    units, cols = _among_cols(result, among)
    ranks = _ranks(scores, cols)
    sub_scores = scores if cols is None else scores[:, cols]
    nominal = result.scores[result.framework.root].reindex(units).to_numpy(float)
    with np.errstate(invalid="ignore"):
        nominal_rank = steps.rank_desc(nominal)
    p05, median, p95 = nan_quantiles(ranks, [0.05, 0.5, 0.95])
    count = (~np.isnan(ranks)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_rank = np.where(count > 0, np.nansum(ranks, axis=0) / count, np.nan)
    table = pd.DataFrame(
        {
            "name": result.names_of(units),
            "nominal_rank": nominal_rank,
            "median_rank": median,
            "rank_p05": p05,
            "rank_p95": p95,
            "mean_rank": mean_rank,
            "score": nominal,
        },
        index=units,
    )
    table.index.name = "code"
    table = table.sort_values(["median_rank", "nominal_rank"], na_position="last")
    return UncertaintyResult(
        table=table,
        ranks=ranks,
        scores=sub_scores,
        runs=_runs_table(prep, vary, runs),
        weight_factors=pd.DataFrame(runs["wmult"], columns=prep.nodes),
        units=units,
        seed=seed,
    )


# --------------------------------------------------------------------------- Sobol
# One estimator for the package (doeagenda.sensitivity); the index's public names stay.
sobol_indices = sobol_table


def sensitivity(
    result: IndexResult,
    n: int = 256,
    seed: int = 0,
    vary: Any = None,
    output: str | None = None,
    among: list[str] | None = None,
) -> SensitivityResult:
    """Sobol sensitivity of the ranks to the analyst's choices.

    The factors are the choices of :class:`Vary` that have more than one alternative:
    ``weights`` (a pool of ``weight_sets`` perturbed weight sets), ``normalise``,
    ``aggregate``, ``impute`` and ``leave_out``. Each factor is a uniform input mapped
    onto its discrete alternatives.

    Parameters
    ----------
    result : IndexResult
    n : int
        Base sample size; the cost is ``n (k + 2)`` index evaluations.
    seed : int
    vary : dict or Vary, optional
    output : str, optional
        ``None`` (default): the mean absolute rank shift over the units against the
        nominal ranks; or a unit code: the rank of that unit.
    among : list of str, optional
        Rank within these units only.

    Returns
    -------
    SensitivityResult
    """
    vary = _as_vary(vary)
    prep = _prepare(result, vary)
    units, cols = _among_cols(result, among)
    rng = np.random.default_rng(seed)
    pool = rng.uniform(1 - vary.weights, 1 + vary.weights, size=(vary.weight_sets, len(prep.nodes)))
    levels = {
        "weights": vary.weight_sets if vary.weights > 0 else 1,
        "normalise": prep.n_norm,
        "aggregate": len(prep.agg_alts),
        "impute": prep.n_imp,
        "leave_out": len(prep.drop_alts),
    }
    factors = [f for f, m in levels.items() if m > 1]
    if not factors:
        msg = "vary legt elke keuze vast; geef ten minste één factor twee alternatieven"
        raise ParameterError(msg)
    nominal = result.scores[result.framework.root].reindex(units).to_numpy(float)
    nominal_rank = steps.rank_desc(nominal)
    if output is not None and output not in units:
        msg = f"output {output!r} is geen eenheid van de index (of van 'among'); geef een eenheidscode"
        raise ParameterError(msg)

    def model(u: np.ndarray) -> np.ndarray:
        m = len(u)
        idx = {f: np.zeros(m, dtype=int) for f in levels}
        for j, f in enumerate(factors):
            idx[f] = np.minimum((u[:, j] * levels[f]).astype(int), levels[f] - 1)
        wmult = pool[idx["weights"]] if vary.weights > 0 else np.ones((m, len(prep.nodes)))
        scores = _evaluate(
            prep, idx["impute"], idx["normalise"], idx["aggregate"], wmult,
            prep.drop_alts[idx["leave_out"]],
        )  # fmt: skip
        ranks = _ranks(scores, cols)
        if output is None:
            with np.errstate(invalid="ignore"):
                return np.nanmean(np.abs(ranks - nominal_rank[None, :]), axis=1)
        return ranks[:, units.get_loc(output)]

    table = sobol_indices(model, len(factors), n=n, seed=seed, names=factors)
    return SensitivityResult(table=table, output=output or "mean_abs_rank_shift", n=n, seed=seed)
