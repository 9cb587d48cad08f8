"""The fast paths of the uncertainty analysis against straightforward references (issue 12).

The collapsed path (effective leaf weights, one product per block of runs) and the ranks in
cache-sized blocks are checked against references written here: a per-run rebuild of the
index with :func:`build_index` and ``scipy.stats.rankdata``. Spies make sure each path ran,
so the comparison cannot pass by exercising only the nested path.
"""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest
from scipy.stats import rankdata

from doeagenda.index import Framework, build_index

unc_module = importlib.import_module("doeagenda.index.uncertainty")


def make_case(seed: int = 11, n: int = 60) -> tuple[pd.DataFrame, Framework]:
    """Complete units, units with some values missing and one without any value."""
    rng = np.random.default_rng(seed)
    data = pd.DataFrame(
        {
            "a": rng.normal(10, 2, n),
            "b": rng.lognormal(0, 1, n),
            "c": rng.uniform(0, 5, n),
            "d": rng.normal(0, 1, n),
            "e": rng.uniform(1, 2, n),
            "f": rng.integers(0, 4, n).astype(float),  # many ties
        },
        index=[f"U{i:02d}" for i in range(n)],
    )
    data.iloc[3, 1] = np.nan
    data.iloc[7, 2] = np.nan
    data.iloc[8, [2, 3]] = np.nan  # a whole group missing: coverage decides
    data.iloc[11, :] = np.nan
    fw = {
        "name": "snel",
        "normalise": {"method": "minmax", "range": [1, 100]},
        "min_coverage": 0.5,
        "nodes": [
            {"id": "a", "parent": "g1"},
            {"id": "b", "parent": "g1", "weight": 2, "direction": -1},
            {"id": "c", "parent": "g2"},
            {"id": "d", "parent": "g2"},
            {"id": "e", "parent": "g3"},
            {"id": "f", "parent": "g3", "weight": 0.5},
            {"id": "g1", "parent": "mid"},
            {"id": "g2", "parent": "mid", "weight": 2},
            {"id": "mid", "parent": "root", "aggregate": "geometric"},
            {"id": "g3", "parent": "root"},
            {"id": "root"},
        ],
    }
    return data, Framework.from_dict(fw)


def reference_scores(data: pd.DataFrame, fw: Framework, run: pd.Series, factors: pd.Series):
    """One run rebuilt through the pandas path: the framework edited, then build_index."""
    d = fw.to_dict()
    nodes = []
    for node in d["nodes"]:
        if node["id"] == run["left_out"]:
            continue
        node = dict(node)
        node["weight"] = node.get("weight", 1.0) * factors[node["id"]]
        if run["normalise"] != "framework" and node["id"] in fw.leaves:
            node["normalise"] = {"method": run["normalise"]}
        if run["aggregate"] != "framework" and node["id"] in fw.groups:
            node["aggregate"] = run["aggregate"]
        nodes.append(node)
    d["nodes"] = nodes
    if run["impute"] != "framework":
        d["impute"] = {"method": run["impute"]}
    return build_index(data, Framework.from_dict(d)).scores["root"].to_numpy()


@pytest.fixture
def path_calls(monkeypatch):
    calls = {"complete": 0, "nested": 0}
    for name, key in (("_evaluate_complete", "complete"), ("_evaluate_nested", "nested")):
        original = getattr(unc_module, name)

        def spy(*args, _original=original, _key=key, **kwargs):
            calls[_key] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(unc_module, name, spy)
    return calls


def test_fast_and_nested_paths_equal_a_per_run_rebuild(path_calls, monkeypatch):
    monkeypatch.setattr(unc_module, "_CACHE_BYTES", 8 * 60 * 3)  # blocks of 3 runs
    data, fw = make_case()
    result = build_index(data, fw)
    vary = {
        "weights": 0.3,
        "normalise": ["framework", "rank"],  # values > 0, as build_index needs them
        "aggregate": ["framework", "arithmetic", "geometric", "harmonic"],
        "impute": ["framework", "none", "mean"],
        "leave_out": True,
    }
    unc = result.uncertainty(n=40, seed=7, vary=vary)
    # both paths ran: one-way runs (collapsed) and the framework's mixed runs (nested)
    assert path_calls["complete"] > 0
    assert path_calls["nested"] > 0
    assert {"framework", "geometric", "harmonic"} <= set(unc.runs["aggregate"])
    assert set(unc.runs["left_out"]) - {"-"}
    for r in range(len(unc.runs)):
        expected = reference_scores(data, fw, unc.runs.iloc[r], unc.weight_factors.iloc[r])
        np.testing.assert_allclose(unc.scores[r], expected, rtol=1e-9, atol=1e-12)
        np.testing.assert_array_equal(np.isnan(unc.scores[r]), np.isnan(expected))
        expected_rank = pd.Series(expected).rank(ascending=False, method="min").to_numpy()
        np.testing.assert_array_equal(unc.ranks[r], expected_rank)


def test_ranks_in_blocks_equal_rankdata(monkeypatch):
    monkeypatch.setattr(unc_module, "_CACHE_BYTES", 8 * 50 * 4)  # blocks of 4 rows
    rng = np.random.default_rng(1)
    scores = rng.integers(0, 12, size=(23, 50)).astype(float)  # ties in every row
    scores[:5] = rng.normal(size=(5, 50))  # rows without ties
    scores[rng.random(scores.shape) < 0.1] = np.nan
    scores[6] = np.nan  # a row without any score
    ranks = unc_module.rank_rows(scores)
    for row, got in zip(scores, ranks, strict=True):
        expected = np.full(row.shape, np.nan)
        ok = ~np.isnan(row)
        if ok.any():
            expected[ok] = rankdata(-row[ok], method="min")
        np.testing.assert_array_equal(got, expected)
