"""ITS against exact recovery, a hand-computed Newey–West sandwich, the fully interacted
comparative model and the Nile series; power simulation against refits of did(), the
nominal size and the analytic t-test formula."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.datasets as smd

from doeagenda.errors import EstimationError, ParameterError
from doeagenda.evaluation import PowerWarning, did, interrupted_time_series, power_simulation
from doeagenda.evaluation.power import simulate_did_tests, unit_changes


def series(n=40, start=20, level=3.0, slope=0.5, noise=0.0, seed=0):
    rng = np.random.default_rng(seed)
    k = np.arange(n)
    post = k >= start
    y = 10 + 0.2 * k + level * post + slope * (k - start) * post + noise * rng.normal(size=n)
    return pd.DataFrame({"t": 2000 + k, "y": y})


def test_its_recovers_level_and_slope_exactly_without_noise():
    res = interrupted_time_series(series(), "y", "t", 2020)
    assert res.level_change == pytest.approx(3.0, abs=1e-9)
    assert res.slope_change == pytest.approx(0.5, abs=1e-9)
    assert res.estimate == pytest.approx(3.0 + 0.5 * np.mean(np.arange(20)), abs=1e-9)
    cf = res.series
    assert cf["counterfactual"].iloc[-1] == pytest.approx(10 + 0.2 * 39, abs=1e-9)


def test_its_hac_se_matches_hand_newey_west():
    df = series(noise=1.0, seed=1)
    res = interrupted_time_series(df, "y", "t", 2020, maxlags=3)
    k = np.arange(40.0)
    post = (k >= 20).astype(float)
    x = np.column_stack([np.ones(40), k, post, (k - 20) * post])
    beta, *_ = np.linalg.lstsq(x, df["y"].to_numpy(), rcond=None)
    u = df["y"].to_numpy() - x @ beta
    s = (x * u[:, None]).T @ (x * u[:, None])
    for lag in range(1, 4):
        gamma = (x[lag:] * u[lag:, None]).T @ (x[:-lag] * u[:-lag, None])
        s += (1 - lag / 4) * (gamma + gamma.T)
    bread = np.linalg.inv(x.T @ x)
    v = 40 / (40 - 4) * bread @ s @ bread
    assert res.level_se == pytest.approx(np.sqrt(v[2, 2]), rel=1e-9)
    assert res.slope_se == pytest.approx(np.sqrt(v[3, 3]), rel=1e-9)


def test_comparative_its_equals_fully_interacted_model():
    rng = np.random.default_rng(2)
    k = np.arange(30)
    common = np.cumsum(rng.normal(size=30))
    rows = []
    for unit in ("A", "B", "C"):
        y = common + rng.normal(size=30) + (unit == "A") * 2.0 * (k >= 15)
        rows += [{"u": unit, "t": 1990 + i, "y": y[i]} for i in range(30)]
    df = pd.DataFrame(rows)
    res = interrupted_time_series(df, "y", "t", 2005, unit="u", treated_unit="A")
    wide = df.pivot(index="t", columns="u", values="y")
    stacked = pd.DataFrame(
        {
            "y": np.r_[wide["A"], wide[["B", "C"]].mean(axis=1)],
            "g": np.r_[np.ones(30), np.zeros(30)],
            "k": np.r_[k, k],
            "p": np.r_[k >= 15, k >= 15].astype(float),
        }
    )
    stacked["kp"] = (stacked["k"] - 15) * stacked["p"]
    x = sm.add_constant(stacked[["k", "p", "kp"]])
    x = x.join(x.mul(stacked["g"], axis=0).add_prefix("g_"))
    fit = sm.OLS(stacked["y"], x).fit()
    assert res.level_change == pytest.approx(fit.params["g_p"], abs=1e-9)
    assert res.slope_change == pytest.approx(fit.params["g_kp"], abs=1e-9)
    assert "vergelijkende" in res.method


def test_its_seasonal_dummies_absorb_a_monthly_pattern():
    df = series(n=72, start=48, level=2.0, slope=0.0)
    df["y"] += np.tile([0, 1, 3, 1, 0, -1, -2, -3, -1, 0, 1, 1], 6)
    res = interrupted_time_series(df, "y", "t", 2048, seasonal=12)
    assert res.level_change == pytest.approx(2.0, abs=1e-8)


def test_its_on_nile_finds_the_published_drop_after_the_aswan_dam():
    # Cobb (1978), Balke (1993): the Nile flow at Aswan drops by about 250 (1e8 m3) from 1899
    nile = smd.nile.load_pandas().data
    res = interrupted_time_series(nile, "volume", "year", 1899)
    assert -400 < res.level_change < -150
    assert res.ci[1] < 0
    assert "layer" in res.chart().to_dict()


def test_its_errors():
    with pytest.raises(EstimationError, match="te korte voorperiode"):
        interrupted_time_series(series(), "y", "t", 2001)
    with pytest.raises(ParameterError, match="treated_unit"):
        interrupted_time_series(
            pd.DataFrame({"u": [1, 1, 2, 2], "t": [1, 2, 1, 2], "y": [1.0, 2, 3, 4]}),
            "y",
            "t",
            2,
            unit="u",
        )


def history(n_units=26, n_times=10, seed=0):
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(n_units), n_times)
    time = np.tile(np.arange(2010, 2010 + n_times), n_units)
    y = rng.normal(0, 3, n_units)[unit] + 0.2 * (time - 2010) + rng.normal(size=len(unit))
    return pd.DataFrame({"u": unit, "t": time, "y": y})


def test_vectorised_simulation_equals_did_refits():
    df = history(seed=1)
    delta, n_periods, start = unit_changes(df, "y", "u", "t")
    beta, se, assign = simulate_did_tests(delta, n_periods, 5, 4, np.random.default_rng(3))
    for s in range(4):
        treated = np.isin(df["u"], np.flatnonzero(assign[s])).astype(int)
        ref = did(
            df.assign(tr=treated, po=(df["t"] >= start).astype(int)),
            "y",
            "u",
            "t",
            "tr",
            "po",
            bootstrap=False,
        )
        assert beta[s] == pytest.approx(ref.estimate, abs=1e-10)
        assert se[s] == pytest.approx(ref.se, rel=1e-9)


def test_power_size_is_nominal_with_many_treated_and_matches_formula():
    df = history(n_units=40, seed=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = power_simulation(df, "y", "u", "t", 20, [0.0, 0.5, 1.0], n_sims=2000)
    assert 0.03 <= res.size <= 0.08
    table = res.table.set_index("effect")
    assert np.all(np.abs(table["power"] - table["power_analytic"]) < 0.1)
    assert res.mde == pytest.approx(res.mde_analytic, rel=0.15)
    assert table["power"].is_monotonic_increasing


def test_power_one_treated_unit_over_rejects_and_warns():
    df = history(seed=3)
    with pytest.warns(PowerWarning):
        res = power_simulation(df, "y", "u", "t", 1, [0.0, 1.0, 2.0], n_sims=500)
    assert res.size > 0.1
    # 26 possible assignments only: the placebo test is conservative, never above alpha
    assert res.table.loc[0, "power_size_adjusted"] <= 0.06
    assert res.mde_size_adjusted > res.mde
    assert "layer" in res.chart().to_dict()


@pytest.mark.filterwarnings("ignore::doeagenda.evaluation.PowerWarning")
def test_more_treated_units_lower_the_mde():
    df = history(seed=4)
    mdes = [
        power_simulation(df, "y", "u", "t", n, [0.0, 1.0], n_sims=500).mde_size_adjusted
        for n in (3, 8, 13)
    ]
    assert mdes[0] > mdes[1] > mdes[2]


def test_power_parameter_errors():
    df = history()
    with pytest.raises(ParameterError, match="n_treated"):
        power_simulation(df, "y", "u", "t", 30, [1.0])
    with pytest.raises(ParameterError, match="method"):
        power_simulation(df, "y", "u", "t", 3, [1.0], method="synth")
    with pytest.raises(ParameterError, match="effect_sizes"):
        power_simulation(df, "y", "u", "t", 3, [])
