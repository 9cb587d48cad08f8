"""DiD and event study against closed forms, hand-computed sandwiches, statsmodels,
published Grunfeld within estimates, a brute-force wild bootstrap and coverage simulations."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.datasets as smd

from doeagenda.errors import DataError, EstimationError
from doeagenda.evaluation import (
    PreTrendWarning,
    SingleTreatedUnitWarning,
    UnbalancedPanelWarning,
    did,
    event_study,
)
from doeagenda.evaluation._fe import codes_of, fe_ols


def panel(n_units=30, n_times=6, n_treated=10, start=3, effect=1.5, seed=0, trend_gap=0.0):
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(n_units), n_times)
    time = np.tile(np.arange(n_times), n_units)
    treated = (unit < n_treated).astype(int)
    post = (time >= start).astype(int)
    y = (
        rng.normal(0, 2, n_units)[unit]
        + rng.normal(0, 1, n_times)[time]
        + effect * treated * post
        + trend_gap * treated * time
        + rng.normal(0, 1, n_units * n_times)
    )
    first = np.where(treated == 1, start, 0)
    return pd.DataFrame({"unit": unit, "time": time, "y": y, "tr": treated, "po": post, "g": first})


def test_two_by_two_equals_difference_of_mean_changes():
    df = panel(n_times=2, start=1, seed=1)
    res = did(df, "y", "unit", "time", "tr", "po", bootstrap=False)
    m = df.groupby(["tr", "po"])["y"].mean()
    closed = (m[1, 1] - m[1, 0]) - (m[0, 1] - m[0, 0])
    assert res.estimate == pytest.approx(closed, abs=1e-10)
    assert res.n_units == 30 and res.n_obs == 60


def test_multi_period_common_start_equals_pre_post_mean_difference():
    df = panel(seed=2)
    res = did(df, "y", "unit", "time", "tr", "po", bootstrap=False)
    m = df.groupby(["tr", "po"])["y"].mean()
    assert res.estimate == pytest.approx((m[1, 1] - m[1, 0]) - (m[0, 1] - m[0, 0]), abs=1e-10)


def _demeaned(df):
    out = df[["y", "d"]].astype(float).copy()
    for _ in range(200):
        out = out - out.groupby(df["unit"]).transform("mean")
        out = out - out.groupby(df["time"]).transform("mean")
    return out


def test_cr1_matches_hand_sandwich_and_statsmodels_with_nested_fe_dof():
    df = panel(n_units=20, n_times=5, n_treated=7, seed=3)
    df["d"] = df["tr"] * df["po"]
    res = did(df, "y", "unit", "time", "tr", "po", bootstrap=False)
    dm = _demeaned(df)
    x, y = dm["d"].to_numpy(), dm["y"].to_numpy()
    beta = x @ y / (x @ x)
    u = y - beta * x
    scores = pd.Series(x * u).groupby(df["unit"]).sum().to_numpy()
    n, g = len(df), df["unit"].nunique()
    k = 1 + 5  # the regressor + the period effects (unit effects are nested in the clusters)
    hand = np.sqrt(g / (g - 1) * (n - 1) / (n - k) * (scores @ scores)) / (x @ x)
    assert res.estimate == pytest.approx(beta, rel=1e-9)
    assert res.se == pytest.approx(hand, rel=1e-9)
    sm_fit = sm.OLS(y, x[:, None]).fit(
        cov_type="cluster", cov_kwds={"groups": df["unit"].to_numpy()}
    )
    # statsmodels counts only the one demeaned regressor: rescale its (n-1)/(n-1) to (n-1)/(n-k)
    assert res.se == pytest.approx(float(sm_fit.bse[0]) * np.sqrt((n - 1) / (n - k)), rel=1e-8)


def test_naive_dummy_ols_inflates_two_period_se_by_about_forty_percent():
    df = panel(n_units=60, n_times=2, n_treated=30, start=1, seed=4)
    df["d"] = df["tr"] * df["po"]
    res = did(df, "y", "unit", "time", "tr", "po", bootstrap=False)
    x = pd.get_dummies(df[["unit", "time"]].astype(str), drop_first=True).astype(float)
    x["d"] = df["d"]
    naive = sm.OLS(df["y"], sm.add_constant(x)).fit(
        cov_type="cluster", cov_kwds={"groups": df["unit"].to_numpy()}
    )
    ratio = float(naive.bse["d"]) / res.se
    assert naive.params["d"] == pytest.approx(res.estimate, abs=1e-8)
    assert 1.35 < ratio < 1.45


def test_grunfeld_within_estimates_match_baltagi():
    # Baltagi, Econometric Analysis of Panel Data, Grunfeld (10 firms): one-way within
    # 0.1101 / 0.3101 (table 2.1), two-way within 0.118 / 0.358 (table 3.1, 3 decimals)
    data = smd.grunfeld.load_pandas().data
    data = data[data["firm"] != "American Steel"]
    x = data[["value", "capital"]].to_numpy()
    one = fe_ols(data["invest"].to_numpy(), x, [codes_of(data["firm"])], codes_of(data["firm"]))
    two = fe_ols(
        data["invest"].to_numpy(),
        x,
        [codes_of(data["firm"]), codes_of(data["year"])],
        codes_of(data["firm"]),
    )
    assert one.beta == pytest.approx([0.1101, 0.3101], abs=5e-5)
    assert two.beta == pytest.approx([0.118, 0.358], abs=5e-4)


def test_weighted_did_equals_weighted_mean_changes_two_periods():
    df = panel(n_times=2, start=1, seed=5)
    rng = np.random.default_rng(0)
    w_unit = rng.uniform(1, 5, df["unit"].nunique())
    df["w"] = w_unit[df["unit"]]
    res = did(df, "y", "unit", "time", "tr", "po", weights="w", bootstrap=False)
    wide = df.pivot(index="unit", columns="time", values="y")
    change = wide[1] - wide[0]
    tr = df.groupby("unit")["tr"].first().to_numpy() == 1
    closed = np.average(change[tr], weights=w_unit[tr]) - np.average(
        change[~tr], weights=w_unit[~tr]
    )
    assert res.estimate == pytest.approx(closed, abs=1e-9)


def test_covariates_absorb_a_time_varying_confounder():
    df = panel(n_units=40, seed=6, effect=1.0)
    rng = np.random.default_rng(1)
    df["x"] = rng.normal(size=len(df)) + 2 * df["tr"] * df["po"]
    df["y"] = df["y"] + 3 * df["x"]
    res = did(df, "y", "unit", "time", "tr", "po", covariates=["x"], bootstrap=False)
    dummies = pd.get_dummies(df[["unit", "time"]].astype(str), drop_first=True).astype(float)
    ref = sm.OLS(
        df["y"],
        sm.add_constant(pd.concat([df[["x"]], dummies], axis=1)).assign(d=df["tr"] * df["po"]),
    ).fit()
    assert res.estimate == pytest.approx(ref.params["d"], abs=1e-8)
    assert res.coefficients.loc[1, "estimate"] == pytest.approx(ref.params["x"], abs=1e-8)
    assert abs(res.coefficients.loc[1, "estimate"] - 3.0) < 4 * res.coefficients.loc[1, "se"]
    assert res.ci[0] < 1.0 < res.ci[1]


def test_ci_coverage_over_seeds_is_nominal():
    hits = []
    for seed in range(150):
        res = did(panel(seed=100 + seed), "y", "unit", "time", "tr", "po", bootstrap=False)
        hits.append(res.ci[0] <= 1.5 <= res.ci[1])
    assert 0.90 <= np.mean(hits) <= 0.99


def test_wild_bootstrap_pvalue_equals_brute_force_enumeration():
    df = panel(n_units=8, n_times=4, n_treated=3, start=2, effect=0.7, seed=7)
    df["d"] = df["tr"] * df["po"]
    res = did(df, "y", "unit", "time", "tr", "po", boot_weights="rademacher", n_boot=999)
    assert res.boot_weights == "rademacher"
    # brute force: impose beta = 0, refit OLS with dummies for every one of the 2^8 sign vectors
    dummies = pd.get_dummies(df[["unit", "time"]].astype(str), drop_first=True).astype(float)
    z = sm.add_constant(dummies).to_numpy()
    xfull = np.column_stack([df["d"].to_numpy(), z])
    restricted = sm.OLS(df["y"].to_numpy(), z).fit()
    u_r, fitted_r = restricted.resid, restricted.fittedvalues
    groups = df["unit"].to_numpy()
    n, g = len(df), 8
    k_fixest = 1 + 4  # D + period effects; unit effects nested

    def t_stat(yv):
        fit = sm.OLS(yv, xfull).fit()
        bread = np.linalg.inv(xfull.T @ xfull)
        s = np.zeros((g, xfull.shape[1]))
        np.add.at(s, groups, fit.resid[:, None] * xfull)
        v = g / (g - 1) * (n - 1) / (n - k_fixest) * bread @ s.T @ s @ bread
        return fit.params[0] / np.sqrt(v[0, 0])

    t_hat = t_stat(df["y"].to_numpy())
    signs = ((np.arange(2**g)[:, None] >> np.arange(g)) & 1) * 2 - 1
    t_boot = np.array([t_stat(fitted_r + u_r * s[groups]) for s in signs])
    brute = np.mean(np.abs(t_boot) >= abs(t_hat) - 1e-12)
    assert res.boot_pvalue == pytest.approx(brute, abs=1e-12)
    assert res.boot_ci[0] < res.estimate < res.boot_ci[1]


def test_wild_bootstrap_ci_is_test_inversion():
    df = panel(n_units=12, n_times=4, n_treated=4, start=2, seed=8)
    res = did(df, "y", "unit", "time", "tr", "po", n_boot=999)
    assert res.boot_weights == "rademacher"
    df["d"] = df["tr"] * df["po"]
    fit = fe_ols(
        df["y"].to_numpy(),
        df[["d"]].to_numpy(float),
        [codes_of(df["unit"]), codes_of(df["time"])],
        codes_of(df["unit"]),
    )
    # shifting y by -c*d moves the null to c: p(c) at the bounds crosses alpha
    low, high = res.boot_ci
    for bound, inside in ((low, low + 0.01 * res.se), (high, high - 0.01 * res.se)):
        shifted = df.assign(y=df["y"] - inside * df["d"])
        p_in = did(shifted, "y", "unit", "time", "tr", "po", n_boot=999).boot_pvalue
        outside = bound - (inside - bound)
        p_out = did(
            df.assign(y=df["y"] - outside * df["d"]), "y", "unit", "time", "tr", "po", n_boot=999
        )
        assert p_in >= 0.05 > p_out.boot_pvalue
    assert fit.n_clusters == 12


def test_few_clusters_use_webb_weights_and_many_clusters_skip_bootstrap():
    few = did(panel(n_units=10, n_treated=4, seed=9), "y", "unit", "time", "tr", "po", n_boot=499)
    many = did(panel(n_units=40, seed=9), "y", "unit", "time", "tr", "po")
    assert few.boot_weights == "webb" and np.isfinite(few.boot_pvalue)
    assert many.boot_weights == "" and np.isnan(many.boot_pvalue)
    assert "wild cluster bootstrap" in " ".join(few.summary()["onderdeel"])


def test_single_treated_unit_warns_and_summary_says_so():
    df = panel(n_treated=1, seed=10)
    with pytest.warns(SingleTreatedUnitWarning):
        res = did(df, "y", "unit", "time", "tr", "po", n_boot=199)
    assert (res.summary()["onderdeel"] == "waarschuwing").sum() == 1


def test_unbalanced_panel_warns():
    df = panel(seed=11).drop(index=[3, 50])
    with pytest.warns(UnbalancedPanelWarning):
        res = did(df, "y", "unit", "time", "tr", "po", bootstrap=False)
    assert res.n_obs == len(df)


@pytest.mark.parametrize(
    ("mutate", "error", "text"),
    [
        (lambda d: d.drop(columns="y"), DataError, "'y'"),
        (lambda d: pd.concat([d, d.iloc[[0]]]), DataError, "dubbele rijen"),
        (
            lambda d: d.assign(y=d["y"].astype(str).where(d.index != 4, "veel")),
            DataError,
            "moet getallen bevatten",
        ),
        (lambda d: d.assign(po=1), EstimationError, "geen voorperiode"),
        (lambda d: d.assign(tr=1), EstimationError, "control"),
        (lambda d: d.assign(tr=d["tr"] * 2), DataError, "0/1"),
    ],
)
def test_bad_input_gives_one_clear_error(mutate, error, text):
    with pytest.raises(error, match=text):
        did(mutate(panel(seed=12)), "y", "unit", "time", "tr", "po", bootstrap=False)


def test_event_study_recovers_dynamic_effects():
    rng = np.random.default_rng(13)
    n_units, n_times = 200, 8
    unit = np.repeat(np.arange(n_units), n_times)
    time = np.tile(np.arange(n_times), n_units)
    start = np.where(np.arange(n_units) < 100, rng.choice([3, 4, 5], n_units), 0)[unit]
    event = np.where(start > 0, time - start, -99)
    effect = np.where(event >= 0, 1.0 + 0.5 * event, 0.0)
    y = rng.normal(0, 1, n_units)[unit] + 0.3 * time + effect + rng.normal(0, 0.3, len(unit))
    df = pd.DataFrame({"unit": unit, "time": time, "y": y, "g": start})
    res = event_study(df, "y", "unit", "time", "g")
    table = res.table.set_index("event_time")
    for e in (0, 1, 2):
        assert table.loc[e, "estimate"] == pytest.approx(1.0 + 0.5 * e, abs=0.15)
    for e in (-3, -2):
        assert abs(table.loc[e, "estimate"]) < 0.15
    assert table.loc[-1, "estimate"] == 0.0
    chart = res.chart().to_dict()
    assert "layer" in chart


def test_event_study_flags_diverging_pre_trends_only_when_present():
    parallel = panel(n_units=40, n_times=8, n_treated=15, start=5, seed=14)
    diverging = panel(n_units=40, n_times=8, n_treated=15, start=5, seed=14, trend_gap=0.8)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ok = event_study(parallel, "y", "unit", "time", "g")
    assert ok.pretrend_slope_pvalue > 0.05
    with pytest.warns(PreTrendWarning):
        bad = event_study(diverging, "y", "unit", "time", "g")
    assert bad.pretrend_slope == pytest.approx(0.8, abs=0.3)
    assert any("Pre-trends" in str(w) for w in bad.summary()["waarde"])


def test_event_study_accepts_treated_and_post_columns():
    df = panel(seed=15)
    a = event_study(df, "y", "unit", "time", "g")
    b = event_study(df, "y", "unit", "time", treated="tr", post="po")
    assert np.allclose(a.table["estimate"], b.table["estimate"])


def test_did_chart_and_frames():
    res = did(panel(seed=16), "y", "unit", "time", "tr", "po", bootstrap=False)
    spec = res.chart().to_dict()
    assert spec["mark"]["type"] == "line"
    assert set(res.to_frame().columns) >= {"effect", "ci_laag", "ci_hoog"}


def test_weighted_wild_bootstrap_with_covariate_equals_brute_force():
    df = panel(n_units=7, n_times=4, n_treated=3, start=2, effect=0.5, seed=17)
    rng = np.random.default_rng(2)
    df["w"] = rng.uniform(1, 4, 7)[df["unit"]]
    df["x"] = rng.normal(size=len(df))
    df["d"] = df["tr"] * df["po"]
    res = did(
        df,
        "y",
        "unit",
        "time",
        "tr",
        "po",
        covariates=["x"],
        weights="w",
        boot_weights="rademacher",
        n_boot=999,
    )
    dummies = pd.get_dummies(df[["unit", "time"]].astype(str), drop_first=True).astype(float)
    z = np.column_stack([np.ones(len(df)), df["x"], dummies])
    xfull = np.column_stack([df["d"], z])
    w = df["w"].to_numpy()
    restricted = sm.WLS(df["y"].to_numpy(), z, weights=w).fit()
    groups = df["unit"].to_numpy()

    def t_stat(yv):
        fit = sm.WLS(yv, xfull, weights=w).fit()
        bread = np.linalg.inv(xfull.T @ (w[:, None] * xfull))
        s = np.zeros((7, xfull.shape[1]))
        np.add.at(s, groups, (w * fit.resid)[:, None] * xfull)
        v = bread @ s.T @ s @ bread
        return fit.params[0] / np.sqrt(v[0, 0]), fit.params[0]

    t_hat, b_hat = t_stat(df["y"].to_numpy())
    signs = ((np.arange(2**7)[:, None] >> np.arange(7)) & 1) * 2 - 1
    t_boot = np.array(
        [t_stat(restricted.fittedvalues + restricted.resid * s[groups])[0] for s in signs]
    )
    assert res.estimate == pytest.approx(b_hat, abs=1e-9)
    assert res.boot_pvalue == pytest.approx(
        np.mean(np.abs(t_boot) >= abs(t_hat) - 1e-12), abs=1e-12
    )


def coverage_band(n_sims, nominal=0.95, z=3.0):
    """Two-sided band for the hit rate of a nominal interval over ``n_sims`` simulations.

    The hit count is binomial(n_sims, nominal); z binomial sds either side. Too wide an
    interval (coverage near 1) fails as surely as too narrow a one.
    """
    sd = np.sqrt(nominal * (1 - nominal) / n_sims)
    low, high = nominal - z * sd, nominal + z * sd
    assert high < 1.0, "too few simulations: an infinitely wide interval would pass"
    return low, high


def test_wild_bootstrap_ci_coverage_with_ten_clusters():
    n_sims = 400
    hits = []
    for seed in range(n_sims):
        df = panel(n_units=10, n_times=6, n_treated=4, seed=500 + seed)
        res = did(df, "y", "unit", "time", "tr", "po", n_boot=399)
        hits.append(res.boot_ci[0] <= 1.5 <= res.boot_ci[1])
    assert res.boot_weights == "webb"
    low, high = coverage_band(n_sims)
    assert low <= np.mean(hits) <= high
