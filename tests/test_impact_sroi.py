"""SROI arithmetic checked against hand computations (SROI Guide definitions)."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd
import pytest

from doeagenda.impact import sroi


def one_outcome(**changes) -> pd.DataFrame:
    row = {
        "outcome": "minder_huisarts",
        "stakeholder": "ouderen",
        "quantity": 10.0,
        "proxy_value": 100.0,
        "duration": 3,
        "deadweight": 0.2,
        "attribution": 0.25,
        "displacement": 0.1,
        "drop_off": 0.5,
        "proxy_source": "test",
    }
    row.update(changes)
    return pd.DataFrame([row])


# year 1: 10 * 100 * (1 - 0.2) * (1 - 0.1) * (1 - 0.25) = 540; drop-off 50%: 270, 135
HAND_PV = 540 / 1.05 + 270 / 1.05**2 + 135 / 1.05**3


def test_closed_form_one_outcome_three_years():
    result = sroi(one_outcome(), 1000, discount_rate=0.05)
    assert result.by_year["value"].tolist() == pytest.approx([540, 270, 135])
    assert result.present_value == pytest.approx(HAND_PV)
    assert result.present_value == pytest.approx(875.8017, abs=1e-3)
    assert result.npv == pytest.approx(HAND_PV - 1000)
    assert result.ratio == pytest.approx(HAND_PV / 1000)
    assert math.isnan(result.payback_years)  # never paid back


def test_by_year_columns_and_discounting():
    result = sroi(one_outcome(), 1000, discount_rate=0.05)
    frame = result.by_year
    for column in ("year", "outcome", "stakeholder", "value", "discounted"):
        assert column in frame.columns
    assert frame["year"].tolist() == [1, 2, 3]
    assert frame["discounted"].tolist() == pytest.approx([540 / 1.05, 270 / 1.05**2, 135 / 1.05**3])


def test_payback_interpolated_within_first_year():
    result = sroi(one_outcome(), 500, discount_rate=0.05)
    assert result.payback_years == pytest.approx(500 / (540 / 1.05))


def test_investment_series_by_year():
    investment = pd.Series({0: 600.0, 1: 420.0})
    result = sroi(one_outcome(), investment, discount_rate=0.05)
    assert result.investment_pv == pytest.approx(600 + 420 / 1.05)
    assert result.ratio == pytest.approx(HAND_PV / 1000)


def test_horizon_cuts_years():
    result = sroi(one_outcome(), 1000, discount_rate=0.05, horizon=2)
    assert result.present_value == pytest.approx(540 / 1.05 + 270 / 1.05**2)


def test_start_year_shifts_discounting():
    result = sroi(one_outcome(start_year=2), 1000, discount_rate=0.05)
    assert result.present_value == pytest.approx(HAND_PV / 1.05)
    assert result.by_year["year"].tolist() == [2, 3, 4]


def test_zero_corrections_give_gross_value():
    frame = one_outcome(deadweight=0, attribution=0, displacement=0, drop_off=0)
    result = sroi(frame, 1000, discount_rate=0.0)
    assert result.present_value == pytest.approx(10 * 100 * 3)


def test_ratio_scales_with_proxy_value():
    frame = pd.concat(
        [one_outcome(), one_outcome(outcome="b", quantity=3.0, duration=2)], ignore_index=True
    )
    base = sroi(frame, 800, discount_rate=0.03)
    doubled = sroi(frame.assign(proxy_value=frame["proxy_value"] * 2), 800, discount_rate=0.03)
    assert doubled.ratio == pytest.approx(2 * base.ratio)
    # invariant to the currency unit: scale prices and investment together
    cents = sroi(frame.assign(proxy_value=frame["proxy_value"] * 100), 80000, discount_rate=0.03)
    assert cents.ratio == pytest.approx(base.ratio)


def test_by_stakeholder_sums_to_present_value():
    frame = pd.concat(
        [one_outcome(), one_outcome(outcome="b", stakeholder="gemeente")], ignore_index=True
    )
    result = sroi(frame, 1000, discount_rate=0.05)
    assert result.by_stakeholder["discounted"].sum() == pytest.approx(result.present_value)
    assert result.by_stakeholder["share"].sum() == pytest.approx(1.0)
    assert set(result.by_stakeholder.index) == {"ouderen", "gemeente"}


def test_summary_waterfall_and_charts():
    result = sroi(one_outcome(), 500, discount_rate=0.05)
    summary = result.summary()
    assert summary.loc["SROI-ratio (€ waarde per geïnvesteerde €)", "waarde"] == pytest.approx(
        result.ratio
    )
    steps = result.waterfall()
    assert steps.iloc[0]["bedrag"] == pytest.approx(10 * 100 * 3)  # gross
    assert steps.loc[steps["stap"] == "Contante waarde", "bedrag"].item() == pytest.approx(HAND_PV)
    # the deductions add up from gross to present value
    deductions = steps[steps["soort"] == "aftrek"]["bedrag"].iloc[:5].sum()
    assert 3000 + deductions == pytest.approx(HAND_PV)
    assert steps.iloc[-1]["bedrag"] == pytest.approx(result.npv)
    for chart in (result.chart(), result.chart("tijd"), result.chart("beide")):
        assert isinstance(chart.to_dict(), dict)
    assert isinstance(result.chart(), alt.Chart)


def test_kernel_matches_year_loop_on_many_random_maps():
    rng = np.random.default_rng(3)
    for _ in range(20):
        k = 5
        frame = pd.DataFrame(
            {
                "outcome": [f"o{i}" for i in range(k)],
                "stakeholder": "s",
                "quantity": rng.uniform(0, 100, k),
                "proxy_value": rng.uniform(0, 50, k),
                "duration": rng.integers(1, 8, k),
                "deadweight": rng.uniform(0, 1, k),
                "attribution": rng.uniform(0, 1, k),
                "displacement": rng.uniform(0, 1, k),
                "drop_off": rng.uniform(0, 1, k),
                "start_year": rng.integers(1, 4, k),
                "proxy_source": "test",
            }
        )
        result = sroi(frame, 1000.0, discount_rate=float(rng.uniform(0, 0.1)), horizon=6)
        kernel = result._model().evaluate({}, 1)
        assert kernel["present_value"][0] == pytest.approx(result.present_value, rel=1e-10)
