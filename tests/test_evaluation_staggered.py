"""Callaway & Sant'Anna: group-time ATTs equal their 2x2 definitions; aggregations equal
their weighted-average definitions; SEs equal the closed form; coverage and DR checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from doeagenda.errors import EstimationError, ParameterError
from doeagenda.evaluation import SingleTreatedUnitWarning, staggered_did

GROUPS = [0] * 20 + [4] * 15 + [6] * 15 + [7] * 10


def panel(seed=0, effect=1.5, groups=GROUPS, n_times=8, dynamic=0.0, x_trend=0.0, x_shift=0.0):
    rng = np.random.default_rng(seed)
    g_unit = np.asarray(groups)
    n = len(g_unit)
    unit = np.repeat(np.arange(n), n_times)
    time = np.tile(np.arange(1, n_times + 1), n)
    g = g_unit[unit]
    x = rng.normal(size=n) + x_shift * (g_unit > 0)
    post = (g > 0) & (time >= g)
    y = (
        rng.normal(size=n)[unit]
        + 0.5 * time
        + x_trend * x[unit] * time
        + np.where(post, effect + dynamic * (time - g), 0.0)
        + rng.normal(size=n * n_times)
    )
    return pd.DataFrame({"id": unit, "t": time, "y": y, "g": g, "x": x[unit]})


def two_by_two(df, g, t, base, control):
    wide = df.pivot(index="id", columns="t", values="y")
    groups = df.groupby("id")["g"].first()
    change = wide[t] - wide[base]
    return change[groups == g].mean() - change[control(groups)].mean()


def test_att_gt_equals_two_by_two_never_treated_all_cells():
    df = panel(seed=1)
    res = staggered_did(df, "y", "id", "t", "g")
    assert len(res.att_gt) == 3 * 7
    for row in res.att_gt.itertuples():
        base = row.group - 1 if row.time >= row.group else row.time - 1
        expected = two_by_two(df, row.group, row.time, base, lambda gr: gr == 0)
        assert row.att == pytest.approx(expected, abs=1e-10)


def test_att_gt_equals_two_by_two_not_yet_treated():
    df = panel(seed=2)
    res = staggered_did(df, "y", "id", "t", "g", control="not_yet_treated")
    for row in res.att_gt.itertuples():
        base = row.group - 1 if row.time >= row.group else row.time - 1
        later = max(row.time, base)

        def control(gr, g=row.group, later=later):
            return (gr == 0) | ((gr > later) & (gr != g))

        assert row.att == pytest.approx(
            two_by_two(df, row.group, row.time, base, control), abs=1e-10
        )


def test_att_gt_se_equals_difference_of_means_closed_form():
    df = panel(seed=3)
    res = staggered_did(df, "y", "id", "t", "g")
    wide = df.pivot(index="id", columns="t", values="y")
    groups = df.groupby("id")["g"].first()
    row = res.att_gt.query("group == 6 and time == 7").iloc[0]
    change = wide[7] - wide[5]
    a, b = change[groups == 6], change[groups == 0]
    closed = np.sqrt(a.var(ddof=0) / len(a) + b.var(ddof=0) / len(b))
    assert row.se == pytest.approx(closed, rel=1e-10)


def test_aggregations_equal_their_definitions():
    df = panel(seed=4, dynamic=0.3)
    res = staggered_did(df, "y", "id", "t", "g")
    att = res.att_gt
    size = pd.Series(GROUPS).value_counts()
    post = att[att["time"] >= att["group"]]
    w = post["group"].map(size)
    assert res.aggregate("simple").estimate == pytest.approx(np.average(post["att"], weights=w))
    event = att.assign(e=att["time"] - att["group"])
    dyn = res.aggregate("dynamic")
    by_e = {e: np.average(s["att"], weights=s["group"].map(size)) for e, s in event.groupby("e")}
    assert dict(zip(dyn.table["event_time"], dyn.table["att"], strict=True)) == pytest.approx(by_e)
    assert dyn.estimate == pytest.approx(np.mean([v for e, v in by_e.items() if e >= 0]))
    grp = res.aggregate("group")
    by_g = post.groupby("group")["att"].mean()
    assert grp.table.set_index("group")["att"].to_dict() == pytest.approx(by_g.to_dict())
    assert grp.estimate == pytest.approx(np.average(by_g, weights=by_g.index.map(size)))
    cal = res.aggregate("calendar")
    by_t = {t: np.average(s["att"], weights=s["group"].map(size)) for t, s in post.groupby("time")}
    assert dict(zip(cal.table["time"], cal.table["att"], strict=True)) == pytest.approx(by_t)
    assert cal.estimate == pytest.approx(np.mean(list(by_t.values())))


@pytest.mark.filterwarnings("ignore::doeagenda.evaluation.PreTrendWarning")
def test_dynamic_effects_recovered_and_coverage_nominal():
    n_sims = 300
    hits_simple, hits_e2 = [], []
    for seed in range(n_sims):
        res = staggered_did(panel(seed=100 + seed, dynamic=0.5), "y", "id", "t", "g")
        dyn = res.aggregate("dynamic").table.set_index("event_time")
        hits_e2.append(dyn.loc[2, "ci_low"] <= 2.5 <= dyn.loc[2, "ci_high"])
        grp = res.aggregate("group").table.set_index("group")
        # group 6 is observed at e = 0, 1, 2: mean effect 1.5 + 0.5 * 1
        hits_simple.append(grp.loc[6, "ci_low"] <= 2.0 <= grp.loc[6, "ci_high"])
    # two-sided: z = 3 binomial sds of the hit rate around the nominal 0.95 (an infinitely
    # wide interval, coverage 1, fails)
    sd = np.sqrt(0.95 * 0.05 / n_sims)
    low, high = 0.95 - 3 * sd, 0.95 + 3 * sd
    assert high < 1.0
    assert low <= np.mean(hits_e2) <= high
    assert low <= np.mean(hits_simple) <= high


@pytest.mark.filterwarnings("ignore::doeagenda.evaluation.PreTrendWarning")
def test_doubly_robust_covariates_remove_confounding():
    errors_dr, errors_plain = [], []
    for seed in range(20):
        df = panel(seed=200 + seed, x_trend=0.8, x_shift=1.0, effect=1.0)
        dr = staggered_did(df, "y", "id", "t", "g", covariates=["x"]).aggregate("simple")
        plain = staggered_did(df, "y", "id", "t", "g").aggregate("simple")
        errors_dr.append(dr.estimate - 1.0)
        errors_plain.append(plain.estimate - 1.0)
    assert abs(np.mean(errors_dr)) < 0.15
    assert np.mean(errors_plain) > 0.5


def test_multiplier_bootstrap_se_close_to_analytic():
    res = staggered_did(panel(seed=5), "y", "id", "t", "g")
    analytic = res.aggregate("simple")
    boot = res.aggregate("simple", bootstrap=True, n_boot=4000)
    assert boot.se == pytest.approx(analytic.se, rel=0.1)
    assert boot.bootstrap and "bootstrap" in " ".join(map(str, boot.summary()["waarde"]))


def test_all_units_treated_needs_not_yet_treated():
    df = panel(seed=6, groups=[4] * 20 + [6] * 20 + [7] * 20)
    with pytest.raises(EstimationError, match="geen nooit-behandelde"):
        staggered_did(df, "y", "id", "t", "g")
    with pytest.warns(UserWarning, match="alleen als controle"):
        res = staggered_did(df, "y", "id", "t", "g", control="not_yet_treated")
    assert res.att_gt["time"].max() < 7 and set(res.att_gt["group"]) == {4, 6}


def test_singleton_groups_warn_and_bad_control_raises():
    df = panel(seed=7, groups=[0] * 20 + [4, 6, 7])
    with pytest.warns(SingleTreatedUnitWarning):
        res = staggered_did(df, "y", "id", "t", "g")
    assert np.isnan(res.pretrend_mean_pvalue)
    with pytest.raises(ParameterError, match="control"):
        staggered_did(df, "y", "id", "t", "g", control="later")


def test_first_treated_missing_means_never_treated_and_charts():
    df = panel(seed=8)
    df["g"] = df["g"].astype(float).where(df["g"] > 0)
    res = staggered_did(df, "y", "id", "t", "g")
    assert res.att_gt["group"].nunique() == 3
    assert "facet" in res.chart().to_dict()
    assert "layer" in res.aggregate("dynamic").chart().to_dict()
