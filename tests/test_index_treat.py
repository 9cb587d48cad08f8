"""Outlier treatment: G1/G2 against closed forms, winsorising rounds, ctlog fallback."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from doeagenda.errors import DataError
from doeagenda.index import Framework, TreatSpec, build_index, ctlog, kurtosis_g2, skewness_g1
from doeagenda.index.steps import treat_values, winsorise


def test_g1_g2_closed_forms():
    # Excel: SKEW(0,0,0,1) = 2, KURT(0,0,0,1) = 4; KURT(1..5) = -1.2, SKEW(1..5) = 0
    assert skewness_g1([0, 0, 0, 1]) == pytest.approx(2.0)
    assert kurtosis_g2([0, 0, 0, 1]) == pytest.approx(4.0)
    assert skewness_g1([1, 2, 3, 4, 5]) == pytest.approx(0.0, abs=1e-12)
    assert kurtosis_g2([1, 2, 3, 4, 5]) == pytest.approx(-1.2)


def test_g1_g2_general_closed_form_one_outlier():
    # n - 1 zeros and one 1: the moment skewness is g1 = (n - 2) / sqrt(n - 1), so
    # G1 = g1 * sqrt(n (n - 1)) / (n - 2) = sqrt(n)
    for n in (5, 8, 20):
        x = np.zeros(n)
        x[-1] = 1
        assert skewness_g1(x) == pytest.approx(math.sqrt(n))
        g2 = (n - 2) ** 2 / (n - 1) + 1 - 3  # m4/m2^2 - 3 for this sample
        expected = ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3))
        assert kurtosis_g2(x) == pytest.approx(expected)


def test_g1_g2_match_scipy_unbiased():
    x = np.random.default_rng(1).lognormal(size=50)
    assert skewness_g1(x) == pytest.approx(stats.skew(x, bias=False))
    assert kurtosis_g2(x) == pytest.approx(stats.kurtosis(x, bias=False))


def test_winsorise_one_round_high():
    x = np.append(np.arange(1.0, 21.0), 100.0)
    result = winsorise(x, 2.0, 3.5, winmax=5)
    assert result.passed and result.rounds == 1 and result.high == 1 and result.low == 0
    assert result.values[-1] == 20.0
    np.testing.assert_array_equal(result.values[:-1], x[:-1])


def test_winsorise_ties_and_low_side():
    # negative skew: the two equal minima are set to the smallest other value together
    x = np.concatenate([np.arange(10.0, 40.0), [-500.0, -500.0]])
    result = winsorise(x, 2.0, 3.5, winmax=5)
    assert result.low == 2 and result.high == 0 and result.rounds == 1
    assert np.all(result.values[-2:] == 10.0)


def test_winsorise_stops_at_winmax_then_ctlog_on_original():
    x = 2.0 ** np.arange(20)
    spec = TreatSpec(method="winsorise", winmax=1, fallback="ctlog")
    out, record = treat_values(x, spec, "groei")
    expected = np.log(x - x.min() + 0.01 * (x.max() - x.min()))
    np.testing.assert_allclose(out, expected)
    np.testing.assert_allclose(ctlog(x), expected)
    assert record["transform"] == "ctlog" and record["winsorised_high"] == 0
    assert record["rounds"] == 1


def test_default_winmax_is_ten_percent_rounded_up():
    # 40 values -> winmax 4; this sample needs 5 rounds, so winsorising fails at 4
    x = np.concatenate([np.zeros(34), 10.0 ** np.arange(6)])
    assert winsorise(x, 2.0, 3.5, winmax=100).rounds == 5
    result = winsorise(x, 2.0, 3.5)
    assert result.rounds == 4 and not result.passed


def test_log_fallback_refuses_non_positive():
    x = np.concatenate([[0.0], 2.0 ** np.arange(19)])
    with pytest.raises(DataError, match="fallback 'log'"):
        treat_values(x, TreatSpec(method="winsorise", winmax=1, fallback="log"), "x")


def test_treatment_record_in_build():
    fw = Framework.from_dict(
        {
            "name": "t",
            "treat": {"method": "winsorise"},
            "nodes": [{"id": "a", "parent": "r"}, {"id": "b", "parent": "r"}, {"id": "r"}],
        }
    )
    data = pd.DataFrame({"a": np.append(np.arange(1.0, 21.0), 100.0), "b": np.arange(21.0)})
    result = build_index(data, fw)
    assert result.treatment.loc["a", "winsorised_high"] == 1
    assert result.treatment.loc["b", "treated"] is False or not result.treatment.loc["b", "treated"]
    assert result.stages["treated"]["a"].max() == 20.0
    assert result.stages["raw"]["a"].max() == 100.0
