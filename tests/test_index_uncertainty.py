"""Uncertainty (vectorised Monte Carlo) and Sobol sensitivity."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from doeagenda.errors import ParameterError
from doeagenda.index import Framework, build_index, ishigami, sobol_indices


def ishigami_truth(a: float = 7.0, b: float = 0.1):
    """Analytic Sobol indices of the Ishigami function."""
    v1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * math.pi**8 * (1 / 18 - 1 / 50)
    var = v1 + v2 + v13
    return [v1 / var, v2 / var, 0.0], [(v1 + v13) / var, v2 / var, v13 / var]


def test_sobol_estimator_on_ishigami():
    s1_true, st_true = ishigami_truth()
    assert s1_true[0] == pytest.approx(0.3139, abs=1e-4)
    assert st_true[2] == pytest.approx(0.2437, abs=1e-4)
    table = sobol_indices(ishigami, 3, n=2**13, seed=0, n_boot=50)
    np.testing.assert_allclose(table["S1"], s1_true, atol=0.03)
    np.testing.assert_allclose(table["ST"], st_true, atol=0.03)
    assert (table["S1_conf"] < 0.1).all()


def make_case(seed: int = 3, n: int = 40):
    rng = np.random.default_rng(seed)
    data = pd.DataFrame(
        {
            "a": rng.normal(10, 2, n),
            "b": rng.lognormal(0, 1, n),
            "c": rng.uniform(0, 5, n),
            "d": rng.normal(0, 1, n),
            "e": rng.uniform(1, 2, n),
        },
        index=[f"U{i:02d}" for i in range(n)],
    )
    data.iloc[3, 1] = np.nan
    data.iloc[7, 2] = np.nan
    data.iloc[11, :] = np.nan  # a unit without any value
    fw = {
        "name": "mc",
        "normalise": {"method": "minmax", "range": [1, 100]},
        "min_coverage": 0.5,
        "nodes": [
            {"id": "a", "parent": "g1"},
            {"id": "b", "parent": "g1", "weight": 2, "direction": -1},
            {"id": "c", "parent": "g2"},
            {"id": "d", "parent": "g2"},
            {"id": "e", "parent": "g3"},
            {"id": "g1", "parent": "root"},
            {"id": "g2", "parent": "root", "weight": 2},
            {"id": "g3", "parent": "root"},
            {"id": "root"},
        ],
    }
    return data, Framework.from_dict(fw)


def per_run_reference(data, fw: Framework, run: pd.Series, factors: pd.Series) -> pd.Series:
    """Rebuild the index for one run through the pandas path (build_index)."""
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
    return build_index(data, Framework.from_dict(d)).scores["root"]


def test_vectorised_runs_equal_per_run_build_index():
    data, fw = make_case()
    result = build_index(data, fw)
    vary = {
        "weights": 0.25,
        "normalise": ["framework", "zscore", "percentile", "rank"],
        "aggregate": ["arithmetic"],
        "impute": ["framework", "mean", "median"],
        "leave_out": True,
    }
    unc = result.uncertainty(n=12, seed=5, vary=vary)
    assert set(unc.runs["left_out"]) - {"-"}  # some runs leave an indicator out
    for r in range(12):
        expected = per_run_reference(data, fw, unc.runs.iloc[r], unc.weight_factors.iloc[r])
        np.testing.assert_allclose(unc.scores[r], expected.to_numpy(), rtol=1e-9)
        exp_rank = expected.rank(ascending=False, method="min").to_numpy()
        np.testing.assert_allclose(unc.ranks[r], exp_rank)


def test_vectorised_geometric_and_harmonic_equal_build_index():
    data, fw = make_case(seed=4)
    result = build_index(data, fw)
    vary = {
        "normalise": ["framework"],
        "aggregate": ["geometric", "harmonic"],
        "impute": ["framework"],
    }
    unc = result.uncertainty(n=6, seed=2, vary=vary)
    for r in range(6):
        expected = per_run_reference(data, fw, unc.runs.iloc[r], unc.weight_factors.iloc[r])
        np.testing.assert_allclose(unc.scores[r], expected.to_numpy(), rtol=1e-9)


def test_fixed_choices_reproduce_nominal_ranks():
    data, fw = make_case()
    result = build_index(data, fw)
    fixed = {
        "weights": 0.0,
        "normalise": ["framework"],
        "aggregate": ["framework"],
        "impute": ["framework"],
        "leave_out": False,
    }
    unc = result.uncertainty(n=5, vary=fixed)
    table = unc.table.dropna(subset=["nominal_rank"])
    np.testing.assert_allclose(table["median_rank"], table["nominal_rank"])
    np.testing.assert_allclose(table["rank_p05"], table["rank_p95"])


def test_uncertainty_is_reproducible_and_among_subset():
    data, fw = make_case()
    result = build_index(data, fw)
    one = result.uncertainty(n=200, seed=1)
    two = result.uncertainty(n=200, seed=1)
    pd.testing.assert_frame_equal(one.table, two.table)
    other = result.uncertainty(n=200, seed=2)
    assert not np.array_equal(one.ranks, other.ranks)
    assert ((one.table["rank_p05"] <= one.table["median_rank"]) & (
        one.table["median_rank"] <= one.table["rank_p95"])).all()  # fmt: skip
    among = list(data.index[:10])
    sub = result.uncertainty(n=50, seed=1, among=among)
    assert sub.ranks.shape == (50, 10) and np.nanmax(sub.ranks) <= 10
    spec = sub.chart(highlight="U03").to_dict()
    assert spec["layer"][0]["mark"]["type"] == "rule"


def test_bad_vary_is_a_parameter_error():
    data, fw = make_case()
    result = build_index(data, fw)
    with pytest.raises(ParameterError, match="onbekend alternatief 'median_polish'"):
        result.uncertainty(n=5, vary={"normalise": ["median_polish"]})
    with pytest.raises(ParameterError, match="toegestane sleutels"):
        result.uncertainty(n=5, vary={"weight": 0.1})


def test_sensitivity_finds_the_only_varied_choice():
    data, fw = make_case()
    result = build_index(data, fw)
    vary = {"weights": 0.0, "normalise": ["framework", "rank"], "aggregate": ["framework"],
            "impute": ["framework"], "leave_out": True}  # fmt: skip
    sens = result.sensitivity(n=128, seed=0, vary=vary)
    table = sens.summary()
    assert list(table.index) == ["normalise", "leave_out"]
    assert (table["ST"] >= -0.05).all() and (table["ST"] <= 1.2).all()
    assert table["ST"].sum() > 0.5
    assert sens.chart().to_dict()["mark"]["type"] == "bar"
    unit = result.sensitivity(n=64, seed=0, vary=vary, output="U05").summary()
    assert unit.shape == (2, 4)
