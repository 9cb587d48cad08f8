"""power_on_panel against simulations with a known effect and a closed form.

The reference is independent of the code under test: panels are drawn with known noise,
and the minimum detectable effect it reports is checked (a) against the closed form of a
two-sample z-test on the unit changes and (b) by drawing fresh panels with exactly that
effect and counting how often an ordinary two-sample t-test (scipy) rejects.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from doeagenda.errors import ParameterError
from doeagenda.evaluation import PowerWarning, power_on_panel, rivm_wijk_panel

N_UNITS = 200
WAVES = (2012, 2016, 2020)
SIGMA = 2.0


def _panel(rng: np.random.Generator, n_units: int = N_UNITS) -> pd.DataFrame:
    """Three waves, unit and wave effects plus iid normal noise (sd SIGMA)."""
    level = rng.normal(40, 8, n_units)
    wave = {2012: 0.0, 2016: 1.5, 2020: 3.0}
    rows = [
        {"code": f"WK{i:06d}", "year": year, "value": level[i] + wave[year] + rng.normal(0, SIGMA)}
        for i in range(n_units)
        for year in WAVES
    ]
    return pd.DataFrame(rows)


def _closed_form_mde(n_treated: int, n_units: int = N_UNITS) -> float:
    # change = y2020 - mean(y2012, y2016): variance SIGMA^2 * (1 + 1/2)
    sd_change = SIGMA * np.sqrt(1.5)
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    return float(z * sd_change * np.sqrt(1 / n_treated + 1 / (n_units - n_treated)))


@pytest.fixture(scope="module")
def result():
    panel = _panel(np.random.default_rng(1))
    with pytest.warns(PowerWarning):  # few treated units: CR1 over-rejects, and says so
        return power_on_panel(
            panel, n_treated=[5, 10, 20], effect_sizes=[0, 1, 2, 4, 8], n_sims=2000, seed=3
        )


def test_mde_matches_the_closed_form_of_a_two_sample_test(result):
    # with 10 or 20 treated units the estimated standard error is nearly the known one
    for n in (10, 20):
        assert result.mde(n) == pytest.approx(_closed_form_mde(n), rel=0.15)
    # with 5 the standard error itself is uncertain: a test that estimates it cannot beat
    # the known-variance test
    assert result.mde(5) > _closed_form_mde(5)
    assert result.table["mde_size_adjusted"].is_monotonic_decreasing


def test_power_is_alpha_without_effect_and_rises_with_it(result):
    for _n, curve in result.curves.groupby("n_treated"):
        curve = curve.sort_values("effect")
        assert curve["power_size_adjusted"].iloc[0] == pytest.approx(0.05, abs=0.015)
        assert curve["power_size_adjusted"].is_monotonic_increasing
        assert curve["power_size_adjusted"].iloc[-1] > 0.95
    # with 20 treated of 200 the ordinary CR1 test keeps its level reasonably well
    at20 = result.curves.query("n_treated == 20 and effect == 0")["power"].iloc[0]
    assert at20 < 0.09


@pytest.mark.parametrize("n_treated", [5, 10])
def test_a_real_pilot_of_the_reported_size_is_found_80_percent_of_the_time(result, n_treated):
    rng = np.random.default_rng(7)
    effect = result.mde(n_treated)
    trials = 2000
    # fresh panels with a true effect of the reported size on n_treated units, judged by
    # Welch's t-test on the unit changes (an estimated, unequal variance, as in CR1)
    y = rng.normal(0, SIGMA, (trials, N_UNITS, 3))
    change = y[:, :, 2] - y[:, :, :2].mean(axis=2)
    change[:, :n_treated] += effect
    p = stats.ttest_ind(
        change[:, :n_treated], change[:, n_treated:], axis=1, equal_var=False
    ).pvalue
    assert (p < 0.05).mean() == pytest.approx(0.8, abs=0.06)


def test_summary_and_chart(result):
    summary = result.summary()
    assert "kleinste aantoonbaar effect bij 5 proeftuinen" in set(summary["onderdeel"])
    assert "waarschuwing" in set(summary["onderdeel"])
    spec = result.chart().to_dict()
    assert spec["mark"]["type"] == "line"
    assert set(result.to_frame()["n_treated"]) == {5, 10, 20}


def test_bad_inputs_raise_one_clear_error():
    with pytest.raises(ParameterError, match="geen RIVM-gezondheidsschatting"):
        rivm_wijk_panel("a_inw")
    with pytest.raises(ParameterError, match="ten minste twee"):
        rivm_wijk_panel(years=(2020,))
    panel = _panel(np.random.default_rng(2), n_units=30)
    with pytest.raises(ParameterError, match="n_treated is leeg"):
        power_on_panel(panel, n_treated=[])


def test_rivm_wijk_panel_of_utrecht_is_balanced_over_three_waves():
    from doeagenda import data

    panel = rivm_wijk_panel("rivm_eenzaam_18plus", "Utrecht")
    assert panel["code"].nunique() == 190  # the wijken that keep their 2020 code
    assert panel.attrs["left_out"] == 222 - 190
    waves = panel.groupby("code")["year"].apply(tuple)
    assert set(waves) == {(2012, 2016, 2020)}
    raw = data.indicators("wijk", codes=["WK034401"])
    raw = raw.query("indicator == 'rivm_eenzaam_18plus'").set_index("year")["value"]
    mine = panel[panel["code"] == "WK034401"].set_index("year")["value"]
    assert mine.to_dict() == pytest.approx(raw.reindex(mine.index).to_dict())


def test_rivm_power_on_the_real_panel_keeps_its_level_and_shrinks_with_more_pilots():
    from doeagenda.evaluation import rivm_power

    with pytest.warns(PowerWarning):
        result = rivm_power(n_treated=[5, 20], n_sims=1000)
    zero = result.curves.query("effect == 0")["power_size_adjusted"]
    assert zero.between(0.03, 0.07).all()
    assert result.mde(20) < result.mde(5)
    assert result.n_periods == 3 and result.start == 2020
