"""Monte Carlo and Sobol indices checked against closed forms and published values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from doeagenda.errors import ParameterError
from doeagenda.impact import Distribution, load_value_map, parse_distributions, sobol_indices, sroi


def frame(rows) -> pd.DataFrame:
    base = {
        "stakeholder": "s",
        "proxy_value": 1.0,
        "duration": 1,
        "deadweight": 0.0,
        "attribution": 0.0,
        "displacement": 0.0,
        "drop_off": 0.0,
        "proxy_source": "test",
    }
    return pd.DataFrame([{**base, **row} for row in rows])


def test_degenerate_distributions_reproduce_deterministic_result():
    value_map = load_value_map("voorbeeld_buurtcooperatie")
    result = sroi(value_map)
    o = result.outcomes.set_index("outcome")
    constant = {
        "minder_eenzaamheid.quantity": {
            "verdeling": "constant",
            "value": o.loc["minder_eenzaamheid", "quantity"],
        },
        "ontlaste_mantelzorg.deadweight": {
            "verdeling": "uniform",
            "min": o.loc["ontlaste_mantelzorg", "deadweight"],
            "max": o.loc["ontlaste_mantelzorg", "deadweight"],
        },
        "minder_wijkverpleging.duration": {"verdeling": "constant", "value": 3},
        "discount_rate": {"verdeling": "normal", "mean": result.discount_rate, "sd": 0.0},
        "investment": {"verdeling": "constant", "value": float(result.investment["amount"].sum())},
    }
    mc = result.uncertainty(constant, n=500, seed=1)
    assert np.allclose(mc.draws["ratio"], result.ratio, rtol=1e-12)
    assert np.allclose(mc.draws["present_value"], result.present_value, rtol=1e-12)
    assert mc.probability_positive == (1.0 if result.ratio > 1 else 0.0)
    assert mc.sobol.empty  # nothing varies


def test_ratio_distribution_and_probability_closed_form():
    # ratio = q / 2 with q ~ U(0, 4): ratio ~ U(0, 2), P(ratio > 1) = 0.5
    result = sroi(frame([{"outcome": "a", "quantity": 2.0}]), 2.0, discount_rate=0.0)
    mc = result.uncertainty({"a.quantity": {"verdeling": "uniform", "min": 0, "max": 4}}, n=20000)
    assert mc.probability_positive == pytest.approx(0.5, abs=0.015)
    low, high = mc.interval(0.9)
    assert low == pytest.approx(0.1, abs=0.02)
    assert high == pytest.approx(1.9, abs=0.02)


def test_mean_of_linear_model_equals_deterministic_at_means():
    result = sroi(frame([{"outcome": "a", "quantity": 5.0}]), 2.0, discount_rate=0.0)
    tri = {"verdeling": "triangular", "min": 1, "mode": 2, "max": 6}  # mean 3
    mc = result.uncertainty({"a.quantity": tri}, n=40000, seed=5)
    assert mc.draws["ratio"].mean() == pytest.approx(3 / 2, rel=0.01)


def test_sobol_additive_value_map():
    # ratio = q1 + q2, q1 ~ U(0,1), q2 ~ U(0,2): S = ST = Var_i / Var = (1/12, 4/12) / (5/12)
    result = sroi(
        frame([{"outcome": "a", "quantity": 0.5}, {"outcome": "b", "quantity": 1.0}]),
        1.0,
        discount_rate=0.0,
    )
    dists = {
        "a.quantity": {"verdeling": "uniform", "min": 0, "max": 1},
        "b.quantity": {"verdeling": "uniform", "min": 0, "max": 2},
    }
    mc = result.uncertainty(dists, n=20000, seed=0)
    sobol = mc.sobol.set_index("assumption")
    assert sobol.loc["a.quantity", "first_order"] == pytest.approx(0.2, abs=0.03)
    assert sobol.loc["b.quantity", "first_order"] == pytest.approx(0.8, abs=0.03)
    assert sobol.loc["a.quantity", "total_order"] == pytest.approx(0.2, abs=0.03)
    assert sobol.loc["b.quantity", "total_order"] == pytest.approx(0.8, abs=0.03)


def test_sobol_product_with_interaction():
    # ratio = q * p, q ~ U(1,3), p ~ U(2,4): Var = 40/9,
    # S_q = 27/40, S_p = 12/40, ST_q = 28/40, ST_p = 13/40
    result = sroi(
        frame([{"outcome": "a", "quantity": 2.0, "proxy_value": 3.0}]), 1.0, discount_rate=0.0
    )
    dists = {
        "a.quantity": {"verdeling": "uniform", "min": 1, "max": 3},
        "a.proxy_value": {"verdeling": "uniform", "min": 2, "max": 4},
    }
    mc = result.uncertainty(dists, n=30000, seed=2)
    sobol = mc.sobol.set_index("assumption")
    assert sobol.loc["a.quantity", "first_order"] == pytest.approx(27 / 40, abs=0.03)
    assert sobol.loc["a.proxy_value", "first_order"] == pytest.approx(12 / 40, abs=0.03)
    assert sobol.loc["a.quantity", "total_order"] == pytest.approx(28 / 40, abs=0.03)
    assert sobol.loc["a.proxy_value", "total_order"] == pytest.approx(13 / 40, abs=0.03)


def test_sobol_estimator_on_ishigami():
    # published analytic values (a=7, b=0.1), e.g. Saltelli et al. 2008, Global Sensitivity
    # Analysis: The Primer: S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437)
    def ishigami(x):
        return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])

    def sampler(rng, size):
        return rng.uniform(-np.pi, np.pi, size)

    first, total, _, _ = sobol_indices(ishigami, [sampler] * 3, 2**15, np.random.default_rng(0))
    assert first == pytest.approx([0.3139, 0.4424, 0.0], abs=0.03)
    assert total == pytest.approx([0.5576, 0.4424, 0.2437], abs=0.03)


def test_distribution_inverse_cdfs_match_scipy():
    u = np.linspace(0.001, 0.999, 101)
    tri = Distribution(verdeling="triangular", min=1, mode=2, max=5)
    assert tri.ppf(u) == pytest.approx(stats.triang(c=0.25, loc=1, scale=4).ppf(u))
    pert = Distribution(verdeling="pert", min=0, mode=3, max=10)
    draws = pert.ppf(np.random.default_rng(0).random(200000))
    assert draws.mean() == pytest.approx((0 + 4 * 3 + 10) / 6, rel=0.01)
    logn = Distribution(verdeling="lognormal", mean=50, sd=20)
    draws = logn.ppf(np.random.default_rng(1).random(400000))
    assert draws.mean() == pytest.approx(50, rel=0.01)
    assert draws.std() == pytest.approx(20, rel=0.02)
    trunc = Distribution(verdeling="normal", mean=0, sd=1, min=0)
    assert trunc.ppf(np.array([0.5]))[0] == pytest.approx(stats.halfnorm.ppf(0.5))


@pytest.mark.parametrize(
    "spec",
    [
        {"verdeling": "uniform", "min": 2, "max": 5},
        {"verdeling": "triangular", "min": 1, "mode": 2, "max": 5},
        {"verdeling": "pert", "min": 0, "mode": 3, "max": 10},
        {"verdeling": "beta", "alpha": 3, "beta": 7},
        {"verdeling": "normal", "mean": 5, "sd": 2},
        {"verdeling": "normal", "mean": 1, "sd": 2, "min": 0},
        {"verdeling": "lognormal", "mean": 50, "sd": 20},
    ],
)
def test_sampling_agrees_with_inverse_cdf(spec):
    # the fast generators and the inverse CDF describe the same distribution (KS test)
    dist = Distribution.model_validate(spec)
    draws = dist.sample(np.random.default_rng(0), 20000)
    grid = np.linspace(0.0005, 0.9995, 2000)
    reference = dist.ppf(grid)
    assert stats.ks_2samp(draws, reference).pvalue > 0.01


def test_unknown_assumption_key_is_an_error():
    result = sroi(frame([{"outcome": "a", "quantity": 2.0}]), 1.0)
    with pytest.raises(ParameterError, match=r"onbekende aanname.*b\.quantity"):
        result.uncertainty({"b.quantity": {"verdeling": "constant", "value": 1}}, n=10)


def test_bad_distribution_named_in_error():
    result = sroi(frame([{"outcome": "a", "quantity": 2.0}]), 1.0)
    with pytest.raises(ParameterError, match=r"a\.quantity.*modus"):
        result.uncertainty(
            {"a.quantity": {"verdeling": "triangular", "min": 0, "mode": 9, "max": 1}}, n=10
        )


def test_voorbeeld_maps_run_with_their_distributions():
    for name in ("voorbeeld_maaltijden_ouderen", "voorbeeld_buurtcooperatie"):
        result = sroi(load_value_map(name))
        mc = result.uncertainty(n=2000, seed=0)
        assert 0 <= mc.probability_positive <= 1
        assert mc.sobol["total_order"].notna().all()
        assert mc.sobol["total_order"].sum() > 0.8  # nearly additive maps
        assert isinstance(mc.chart().to_dict(), dict)
        assert isinstance(mc.chart("sobol").to_dict(), dict)
        assert "5e percentiel" in mc.summary().index


def test_fast_sobol_design_equals_brute_force_evaluation():
    # the incremental AB_i evaluation must give exactly what a full re-evaluation gives
    result = sroi(load_value_map("voorbeeld_buurtcooperatie"))
    specs = {
        "minder_eenzaamheid.drop_off": {"verdeling": "uniform", "min": 0.0, "max": 0.5},
        "minder_wijkverpleging.duration": {"verdeling": "uniform", "min": 1, "max": 5},
        "ontlaste_mantelzorg.quantity": {
            "verdeling": "pert",
            "min": 3000,
            "mode": 5000,
            "max": 6500,
        },
        "ontlaste_mantelzorg.attribution": {"verdeling": "beta", "alpha": 2, "beta": 6},
        "investment": {"verdeling": "uniform", "min": 200000, "max": 280000},
        "discount_rate": {"verdeling": "uniform", "min": 0.0, "max": 0.05},
    }
    dists = parse_distributions(specs)
    keys = list(dists)
    model = result._model()

    def func(x):
        return model.evaluate({k: x[:, j] for j, k in enumerate(keys)}, x.shape[0])["ratio"]

    first, total, _, y_a = sobol_indices(
        func, [dists[k].sample for k in keys], 3000, np.random.default_rng(7)
    )
    mc = result.uncertainty(dists, n=3000, seed=7)
    sobol = mc.sobol.set_index("assumption").loc[keys]
    assert np.allclose(mc.draws["ratio"], y_a, rtol=1e-12)
    assert np.allclose(sobol["first_order"], first, rtol=1e-9, atol=1e-12)
    assert np.allclose(sobol["total_order"], total, rtol=1e-9, atol=1e-12)


def test_drawn_fractions_are_kept_within_bounds():
    # deadweight ~ N(0.5, 1) is mostly outside [0, 1]; clipped draws give PV in [0, gross]
    result = sroi(frame([{"outcome": "a", "quantity": 10.0}]), 5.0, discount_rate=0.0)
    mc = result.uncertainty(
        {"a.deadweight": {"verdeling": "normal", "mean": 0.5, "sd": 1.0}}, n=5000
    )
    assert mc.draws["present_value"].between(0, 10).all()
    assert (mc.draws["present_value"] == 0).mean() == pytest.approx(stats.norm.sf(0.5), abs=0.02)
