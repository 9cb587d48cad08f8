"""Closed-form checks of every normalisation and aggregation, and a hand-computed index."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from doeagenda.errors import FrameworkError
from doeagenda.index import (
    Framework,
    NormaliseSpec,
    aggregate_values,
    build_index,
    normalise_values,
)

X = np.array([2.0, 4.0, 6.0, 10.0])


def spec(**kw) -> NormaliseSpec:
    return NormaliseSpec(**kw)


def test_minmax_default_range_and_direction():
    np.testing.assert_allclose(normalise_values(X, spec()), [0, 25, 50, 100])
    np.testing.assert_allclose(normalise_values(X, spec(), direction=-1), [100, 75, 50, 0])
    np.testing.assert_allclose(normalise_values(X, spec(range=(1, 11))), [1, 3.5, 6, 11])


def test_goalposts_clip_direction_and_log():
    gp = spec(method="goalposts", low=0, high=8, range=(0, 1))
    np.testing.assert_allclose(normalise_values(X, gp), [0.25, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(normalise_values(X, gp, direction=-1), [0.75, 0.5, 0.25, 0.0])
    gp100 = spec(method="goalposts", low=0, high=8)
    np.testing.assert_allclose(normalise_values(X, gp100), [25, 50, 75, 100])
    # transform: log -> the (already logged) value and both goalposts are logged
    raw = np.array([1.0, math.e, math.e**2, math.e**4])
    logged = spec(method="goalposts", low=1, high=math.e**3, range=(0, 1))
    np.testing.assert_allclose(
        normalise_values(np.log(raw), logged, log=True), [0, 1 / 3, 2 / 3, 1.0]
    )


def test_zscore_uses_sample_sd_and_direction():
    sd = math.sqrt(35 / 3)
    expected = (X - 5.5) / sd
    np.testing.assert_allclose(normalise_values(X, spec(method="zscore")), expected)
    np.testing.assert_allclose(normalise_values(X, spec(method="zscore"), direction=-1), -expected)
    np.testing.assert_allclose(
        normalise_values(X, spec(method="zscore", mean=100, sd=10)), 100 + 10 * expected
    )


def test_rank_and_percentile_with_ties():
    np.testing.assert_allclose(normalise_values(X, spec(method="rank")), [1, 2, 3, 4])
    np.testing.assert_allclose(normalise_values(X, spec(method="rank"), direction=-1), [4, 3, 2, 1])
    ties = np.array([5.0, 5.0, 7.0, np.nan])
    out = normalise_values(ties, spec(method="rank"))
    np.testing.assert_allclose(out[:3], [1, 1, 3])
    assert np.isnan(out[3])
    np.testing.assert_allclose(
        normalise_values(X, spec(method="percentile")), [0, 100 / 3, 200 / 3, 100]
    )


def test_distance_to_target_and_cap():
    d = spec(method="distance_to_target", target=8)
    np.testing.assert_allclose(normalise_values(X, d), [0, 100 / 3, 200 / 3, 400 / 3])
    capped = spec(method="distance_to_target", target=8, cap=True)
    np.testing.assert_allclose(normalise_values(X, capped), [0, 100 / 3, 200 / 3, 100])
    down = spec(method="distance_to_target", target=4)
    np.testing.assert_allclose(normalise_values(X, down, direction=-1), [800 / 6, 100, 400 / 6, 0])


def test_none_keeps_values_times_direction():
    np.testing.assert_allclose(normalise_values(X, spec(method="none")), X)
    np.testing.assert_allclose(normalise_values(X, spec(method="none"), direction=-1), -X)


def test_aggregations_closed_form():
    v = np.array([[1.0, 4.0], [2.0, 8.0]])
    w = np.array([1.0, 3.0])
    np.testing.assert_allclose(aggregate_values(v, w, "arithmetic"), [13 / 4, 26 / 4])
    np.testing.assert_allclose(aggregate_values(v, w, "geometric"), [4**0.75, 2**0.25 * 8**0.75])
    np.testing.assert_allclose(aggregate_values(v, w, "harmonic"), [4 / 1.75, 4 / (0.5 + 3 / 8)])
    # weights are relative
    np.testing.assert_allclose(
        aggregate_values(v, 10 * w, "geometric"), [4**0.75, 2**0.25 * 8**0.75]
    )


def test_aggregation_coverage_rule():
    v = np.array([[np.nan, 4.0], [2.0, 8.0], [np.nan, np.nan]])
    w = np.array([1.0, 3.0])
    full = aggregate_values(v, w, "arithmetic", min_coverage=1.0)
    assert np.isnan(full[0]) and full[1] == pytest.approx(6.5) and np.isnan(full[2])
    half = aggregate_values(v, w, "arithmetic", min_coverage=0.5)
    np.testing.assert_allclose(half[:2], [4.0, 6.5])
    assert np.isnan(half[2])


def test_geometric_and_harmonic_refuse_zero():
    v = np.array([[0.0, 4.0], [2.0, 8.0]])
    with pytest.raises(FrameworkError, match=r"geometric.*range: \[1, 100\]"):
        aggregate_values(v, np.ones(2), "geometric", group="g")
    with pytest.raises(FrameworkError, match="harmonic"):
        aggregate_values(v, np.ones(2), "harmonic", group="g")


THREE_LEVEL = {
    "name": "drie niveaus",
    "nodes": [
        {"id": "i1", "parent": "g1", "weight": 1},
        {"id": "i2", "parent": "g1", "weight": 3, "direction": -1},
        {"id": "i3", "parent": "g2"},
        {"id": "g1", "parent": "root", "weight": 2},
        {"id": "g2", "parent": "root", "weight": 1},
        {"id": "root"},
    ],
}


def test_hand_computed_three_level_index():
    data = pd.DataFrame(
        {"i1": [0.0, 5, 10], "i2": [10.0, 30, 20], "i3": [1.0, 2, 3]}, index=["A", "B", "C"]
    )
    result = build_index(data, Framework.from_dict(THREE_LEVEL))
    np.testing.assert_allclose(result.scores["i2"], [100, 0, 50])
    np.testing.assert_allclose(result.scores["g1"], [75, 12.5, 62.5])
    np.testing.assert_allclose(result.scores["root"], [50, 25, 75])
    assert result.ranks["root"].tolist() == [2, 3, 1]
    contrib = result.contributions("A").set_index("indicator")
    np.testing.assert_allclose(contrib.loc[["i1", "i2", "i3"], "contribution"], [0, 50, 0])
    np.testing.assert_allclose(contrib.loc["i2", "effective_weight"], 0.5)
    contrib_c = result.contributions("C")
    assert contrib_c["contribution"].sum() == pytest.approx(75)
    assert set(result.stages) >= {
        "raw", "denominated", "imputed", "treated", "normalised", "aggregated"
    }  # fmt: skip


def test_published_hdi_values(repo):
    """UNDP HDR 2020 (data 2019): Norway 0.957, Niger 0.394 from the published inputs."""
    fw = Framework.from_yaml(repo / "params/frameworks/voorbeeld_hdi.yaml")
    data = pd.DataFrame(
        {
            "le": [82.4, 62.4],
            "eys": [18.1, 6.5],
            "mys": [12.9, 2.1],
            "gnipc": [66494.0, 1201.0],
        },
        index=["NOR", "NER"],
    )
    hdi = build_index(data, fw).scores["hdi"]
    assert round(hdi["NOR"], 3) == 0.957
    assert round(hdi["NER"], 3) == 0.394


def test_denominator_and_impute_group_mean():
    fw = Framework.from_dict(
        {
            "name": "d",
            "impute": {"method": "group_mean", "by": "regio"},
            "nodes": [
                {"id": "x", "parent": "r", "denominator": "pop"},
                {"id": "y", "parent": "r"},
                {"id": "r"},
            ],
        }
    )
    data = pd.DataFrame(
        {
            "x": [10.0, 30, 50, 80],
            "pop": [10.0, 10, 10, 20],
            "y": [1.0, np.nan, 3, 5],
            "regio": ["a", "a", "b", "b"],
        },
        index=list("ABCD"),
    )
    result = build_index(data, fw)
    np.testing.assert_allclose(result.stages["denominated"]["x"], [1, 3, 5, 4])
    assert result.stages["imputed"].loc["B", "y"] == pytest.approx(1.0)  # mean of group a
    assert result.stages["imputed"].loc["A", "y"] == pytest.approx(1.0)
