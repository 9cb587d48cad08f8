"""Continuity analysis against hand-computed and simulated truths."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import doeagenda.initiatives as ini
from doeagenda.initiatives.register import check_frame
from doeagenda.initiatives.voorbeeld import TRUE_HAZARD_RATIOS, generate_register
from doeagenda.results import NotApplicable


def _frame(times, status, groups=None):
    return pd.DataFrame(
        {
            "duur_jaren": np.asarray(times, dtype=float),
            "gestopt": np.asarray(status, dtype=int),
            "financieringsprofiel": groups
            if groups is not None
            else ["alleen gemeente"] * len(times),
        }
    )


def test_kaplan_meier_by_hand():
    # times 1, 2, 2+, 3, 4+, 5: events before censorings at a tie
    km = ini.kaplan_meier(_frame([1, 2, 2, 3, 4, 5], [1, 1, 0, 1, 0, 1]))
    curve = km.curves
    steps = curve.drop_duplicates("jaren").set_index("jaren")["overleving"]
    assert steps[0.0] == 1.0
    assert steps[1.0] == pytest.approx(5 / 6)
    assert steps[2.0] == pytest.approx(5 / 6 * 4 / 5)
    assert steps[3.0] == pytest.approx(5 / 6 * 4 / 5 * 2 / 3)
    assert steps[5.0] == pytest.approx(0.0)
    # Greenwood: var S(3) = S(3)^2 * (1/(6*5) + 1/(5*4) + 1/(3*2)); log(-log) interval
    s3 = 4 / 9
    var = s3**2 * (1 / 30 + 1 / 20 + 1 / 6)
    sd = math.sqrt(var) / abs(s3 * math.log(s3))
    lower = math.exp(-math.exp(math.log(-math.log(s3)) + 1.96 * sd))
    row = curve.loc[curve["jaren"] == 3.0].iloc[0]
    assert row["onder"] == pytest.approx(lower, rel=1e-6)
    assert row["at_risk"] == 3
    groups = km.summary().set_index("groep")
    assert groups.loc["alleen gemeente", "mediaan_jaren"] == pytest.approx(3.0)
    assert groups.loc["alleen gemeente", "overleving_3_jaar"] == pytest.approx(4 / 9)


def test_logrank_by_hand():
    a = ([1, 3, 5], [1, 1, 0])
    b = ([2, 4, 6, 7], [1, 1, 1, 0])
    times = np.array(a[0] + b[0], dtype=float)
    status = np.array(a[1] + b[1])
    group = np.array(["geen financiers"] * 3 + ["meerdere financiers"] * 4)
    # hand computation: at each event time, observed-minus-expected in group a and the
    # hypergeometric variance
    o_minus_e, var = 0.0, 0.0
    for t in sorted(set(times[status == 1])):
        at_risk = times >= t
        n, n_a = at_risk.sum(), (at_risk & (group == group[0])).sum()
        d = ((times == t) & (status == 1)).sum()
        d_a = ((times == t) & (status == 1) & (group == group[0])).sum()
        o_minus_e += d_a - d * n_a / n
        if n > 1:
            var += d * (n_a / n) * (1 - n_a / n) * (n - d) / (n - 1)
    chi2 = o_minus_e**2 / var
    km = ini.kaplan_meier(_frame(times, status, group))
    assert km.chi2 == pytest.approx(chi2, rel=1e-8)
    assert km.df == 1
    from scipy import stats

    assert km.p == pytest.approx(stats.chi2.sf(chi2, 1), rel=1e-8)


def test_durations_and_right_censoring_from_dates(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "id,naam,gemeente_code,domein,startdatum,einddatum,financiers\n"
        "1,A,GM0344,zorg,2020-01-01,2021-01-01,gemeente\n"
        "2,B,GM0344,zorg,2020-01-01,,gemeente; fonds\n"
        "3,C,GM0344,zorg,2020-01-01,2024-06-01,\n"  # stops after the peildatum: censored
        "4,D,GM0344,zorg,2023-06-01,,fonds\n"  # starts after the peildatum: left out
    )
    data = ini.survival_data(str(path), peildatum="2023-01-01").set_index("id")
    assert list(data.index) == ["1", "2", "3"]
    assert data.loc["1", "duur_jaren"] == pytest.approx(366 / 365.25)
    assert data.loc["1", "gestopt"] == 1
    assert data.loc["2", "gestopt"] == 0
    assert data.loc["2", "duur_jaren"] == pytest.approx(1096 / 365.25)
    assert data.loc["3", "gestopt"] == 0
    assert data.loc["3", "duur_jaren"] == pytest.approx(1096 / 365.25)
    assert data.loc["2", "financieringsprofiel"] == "meerdere financiers"
    assert data.loc["3", "financieringsprofiel"] == "geen financiers"
    # municipal share imputed as an equal share when not given
    assert data.loc["2", "aandeel_gemeente"] == pytest.approx(50.0)
    assert data.loc["1", "aandeel_gemeente"] == pytest.approx(100.0)


@pytest.fixture(scope="module")
def voorbeeld():
    return ini.load_register("voorbeeld")


def test_cox_recovers_the_known_hazard_ratios_on_the_voorbeeld(voorbeeld):
    cox = ini.cox_model(voorbeeld)
    for name, truth in TRUE_HAZARD_RATIOS.items():
        hr, lower, upper = cox.hazard_ratio(name)
        assert lower <= truth <= upper, (name, truth, hr, lower, upper)


def test_cox_is_consistent_on_a_large_generated_register():
    """With 2,000 initiatives (another seed) the estimates are close to the truth."""
    register = check_frame(generate_register(n=2000, seed=7))
    assert register.ok, register.text()[:500]
    reg = register.register
    reg.attrs["peildatum"] = pd.Timestamp("2026-01-01")
    cox = ini.cox_model(reg, formula="aantal_financiers + aandeel_gemeente_10 + vrijwilligers_10")
    frame = cox.to_frame().set_index("variabele")
    for name, truth in TRUE_HAZARD_RATIOS.items():
        z = (frame.loc[name, "coef"] - math.log(truth)) / frame.loc[name, "se"]
        assert abs(z) < 3, (name, frame.loc[name, "hazard_ratio"], truth)


def test_ph_check_flags_a_time_varying_effect():
    rng = np.random.default_rng(3)
    n = 800
    x = rng.integers(0, 2, n)
    # group x=1: hazard 3.0 during the first year, 0.2 afterwards; x=0: hazard 0.6 always
    t0 = rng.exponential(1 / 3.0, n)
    late = 1 + rng.exponential(1 / 0.2, n)
    t1 = np.where(t0 < 1, t0, late)
    t_ref = rng.exponential(1 / 0.6, n)
    time = np.where(x == 1, t1, t_ref)
    cens = rng.uniform(2, 8, n)
    data = pd.DataFrame(
        {"duur_jaren": np.minimum(time, cens), "gestopt": (time <= cens).astype(int), "x": x}
    )
    check = ini.cox_model(data, formula="x").ph_check().set_index("variabele")
    assert check.loc["x", "p"] < 0.001
    assert "verandert" in check.loc["x", "oordeel"]
    # under proportional hazards the same check does not flag it
    time_ph = rng.exponential(1 / (0.6 * np.exp(0.7 * x)))
    data_ph = pd.DataFrame(
        {"duur_jaren": np.minimum(time_ph, cens), "gestopt": (time_ph <= cens).astype(int), "x": x}
    )
    check_ph = ini.cox_model(data_ph, formula="x").ph_check().set_index("variabele")
    assert check_ph.loc["x", "p"] > 0.01


def test_continuity_risk_lists_only_running_initiatives(voorbeeld):
    risk = ini.continuity_risk(voorbeeld, top=15, threshold=1.0)
    table = risk.to_frame()
    assert 0 < len(table) <= 15
    running_ids = set(voorbeeld.loc[voorbeeld["einddatum"].isna(), "id"])
    assert set(table["id"]) <= running_ids
    assert table["relatief_risico"].is_monotonic_decreasing
    assert (table["relatief_risico"] >= 1.0).all()
    # the riskiest profile of the generator: few funders, all money from the gemeente
    top = voorbeeld.set_index("id").loc[table["id"].iloc[0]]
    assert len(top["financiers"]) <= 1
    assert risk.text().startswith("Lopende initiatieven")
    gm = ini.continuity_risk(voorbeeld, gemeente="GM0344", threshold=0.0)
    assert set(gm.to_frame()["gemeente_code"]) == {"GM0344"}


def test_too_few_events_is_one_sentence_not_an_error():
    data = _frame([1, 2, 3, 4, 5, 6], [1, 0, 0, 0, 0, 1])
    data["x"] = [0, 1, 0, 1, 0, 1]
    result = ini.cox_model(data, formula="x")
    assert isinstance(result, NotApplicable)
    assert "minstens 5 gestopte initiatieven" in result.reason and "heeft er 2" in result.reason
    assert result.view() is None and result.ph_check() is None
    # with no stop at all Kaplan-Meier does not pretend every initiative survived
    none = ini.kaplan_meier(_frame([1, 2, 3], [0, 0, 0]))
    assert isinstance(none, NotApplicable) and "einddatum" in none.reason


def test_km_summary_and_chart_on_voorbeeld(voorbeeld):
    km = ini.kaplan_meier(voorbeeld)
    groups = km.summary()
    assert groups["n"].sum() == len(voorbeeld)
    assert set(groups["groep"]) <= set(ini.PROFILES)
    assert km.p < 0.05  # the generator makes financing matter
    spec = km.chart().to_dict()
    assert spec["title"].startswith("Hoe lang")


def test_own_cox_matches_statsmodels_phreg_with_ties():
    # statsmodels' PHReg (Efron ties) is an independent implementation of the same model
    from statsmodels.duration.hazard_regression import PHReg

    from doeagenda.initiatives.coxph import fit_cox

    rng = np.random.default_rng(11)
    n = 250
    x = np.column_stack([rng.normal(size=n), rng.integers(0, 2, n)])
    time = np.round(rng.exponential(1, n) * np.exp(-(x @ [0.5, -0.7])), 1)  # many ties
    status = (rng.uniform(size=n) < 0.7).astype(int)
    assert len(np.unique(time)) < n / 2
    ours = fit_cox(x, time, status, ["a", "b"])
    ref = PHReg(time, x, status=status, ties="efron").fit()
    np.testing.assert_allclose(ours.params, ref.params, atol=1e-8)
    np.testing.assert_allclose(ours.bse, ref.bse, atol=1e-8)
    np.testing.assert_allclose(
        ours.schoenfeld_residuals, ref.schoenfeld_residuals, atol=1e-8, equal_nan=True
    )
    assert ours.params[0] == pytest.approx(0.5, abs=0.25)
