"""MKBA per-actor view and one-at-a-time sensitivity with break-even values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from doeagenda.impact import load_value_map, mkba, sroi


def two_actor_map() -> pd.DataFrame:
    base = {
        "stakeholder": "ouderen",
        "duration": 1,
        "deadweight": 0.0,
        "attribution": 0.0,
        "displacement": 0.0,
        "drop_off": 0.0,
        "proxy_source": "test",
    }
    return pd.DataFrame(
        [
            {
                **base,
                "outcome": "zorg",
                "actor": "zorgverzekeraar",
                "quantity": 100,
                "proxy_value": 30.0,
            },
            {
                **base,
                "outcome": "welzijn",
                "actor": "bewoners",
                "quantity": 10,
                "proxy_value": 100.0,
            },
        ]
    )


def test_costs_and_benefits_per_actor():
    investment = pd.DataFrame(
        {"year": [0, 1], "actor": ["gemeente", "gemeente"], "amount": [2000.0, 1050.0]}
    )
    view = mkba(two_actor_map(), investment, discount_rate=0.05)
    table = view.table.set_index("actor")
    assert table.loc["zorgverzekeraar", "baten"] == pytest.approx(3000 / 1.05)
    assert table.loc["bewoners", "baten"] == pytest.approx(1000 / 1.05)
    assert table.loc["gemeente", "kosten"] == pytest.approx(2000 + 1050 / 1.05)
    assert table.loc["gemeente", "baten"] == 0
    # totals equal the SROI figures
    result = view.result
    assert view.total_benefits == pytest.approx(result.present_value)
    assert view.total_costs == pytest.approx(result.investment_pv)
    assert view.balance == pytest.approx(result.npv)
    # gemeente pays, zorgverzekeraar gains: split incentive
    assert view.split_incentives == ["gemeente"]
    assert "Gesplitste prikkel: gemeente betaalt" in view.reading()
    assert view.free_gainers == ["bewoners", "zorgverzekeraar"]
    assert "Wie wint zonder mee te betalen: bewoners en zorgverzekeraar." in view.reading()
    assert view.summary().loc["Totaal (maatschappij)", "saldo (€)"] == pytest.approx(
        round(result.npv)
    )
    assert isinstance(view.chart().to_dict(), dict)


def test_mkba_of_voorbeeld_map():
    view = sroi(load_value_map("voorbeeld_buurtcooperatie")).mkba()
    assert "gemeente" in set(view.table["actor"])
    assert view.total_benefits > 0


def test_tornado_and_break_even_closed_form():
    frame = two_actor_map()
    result = sroi(frame, 2500.0, discount_rate=0.0)  # PV 4000, ratio 1.6
    sens = result.sensitivity(pct=0.2, points=0.1)
    table = sens.table.set_index("assumption")
    # quantity of 'zorg': ratio 1 when 30 q + 1000 = 2500 -> q = 50
    assert table.loc["zorg.quantity", "break_even"] == pytest.approx(50)
    assert table.loc["zorg.quantity", "break_even_feasible"]
    assert table.loc["zorg.quantity", "ratio_high"] == pytest.approx((120 * 30 + 1000) / 2500)
    # deadweight of 'zorg': 3000 (1 - d) + 1000 = 2500 -> d = 1/2
    assert table.loc["zorg.deadweight", "break_even"] == pytest.approx(0.5)
    assert table.loc["zorg.deadweight", "high"] == pytest.approx(0.1)
    assert table.loc["zorg.deadweight", "low"] == 0.0  # clipped at 0
    # investment: break-even equals the present value
    assert table.loc["investment", "break_even"] == pytest.approx(4000)
    # 'welzijn' price: ratio stays above 1 even at price 0 -> break-even infeasible
    assert not table.loc["welzijn.proxy_value", "break_even_feasible"]
    # sorted by swing
    assert np.all(np.diff(sens.table["swing"].to_numpy()) <= 1e-12)
    assert isinstance(sens.chart().to_dict(), dict)
    assert "omslagpunt (ratio 1:1)" in sens.summary().columns


def test_break_even_nonlinear_assumptions_give_ratio_one():
    frame = two_actor_map().assign(duration=4, drop_off=0.2)
    result = sroi(frame, 9000.0, discount_rate=0.03)
    table = result.sensitivity().table.set_index("assumption")
    for key in ("discount_rate", "zorg.drop_off"):
        value = table.loc[key, "break_even"]
        assert table.loc[key, "break_even_feasible"]
        if key == "discount_rate":
            check = sroi(frame, 9000.0, discount_rate=value)
        else:
            changed = frame.copy()
            changed.loc[changed["outcome"] == "zorg", "drop_off"] = value
            check = sroi(changed, 9000.0, discount_rate=0.03)
        assert check.ratio == pytest.approx(1.0, abs=1e-8)


def test_given_ranges_override_default_swing():
    result = sroi(two_actor_map(), 3000.0, discount_rate=0.0)
    sens = result.sensitivity(ranges={"zorg.quantity": (0, 1000)})
    row = sens.table.set_index("assumption").loc["zorg.quantity"]
    assert (row["low"], row["high"]) == (0, 1000)
    assert row["ratio_low"] == pytest.approx(1000 / 3000)
