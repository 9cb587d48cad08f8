"""Module 04 *Wat levert het op?*: the SROI sliders follow the SROI Guide's closed forms."""

from __future__ import annotations

import pytest

from doeagenda import learning
from doeagenda.learning.modules import levert_op as m04


def test_ratio_scales_with_one_minus_deadweight_and_attribution():
    base = m04.lesson_sroi(deadweight=0.0, attributie=0.0).ratio
    for deadweight, attributie in [(25.0, 30.0), (50.0, 0.0), (10.0, 60.0)]:
        ratio = m04.lesson_sroi(deadweight=deadweight, attributie=attributie).ratio
        expected = base * (1 - deadweight / 100) * (1 - attributie / 100)
        assert ratio == pytest.approx(expected)


def test_break_even_deadweight_gives_ratio_one():
    omslag = m04.break_even_deadweight()
    assert 0 < omslag < 100
    assert m04.lesson_sroi(deadweight=omslag).ratio == pytest.approx(1.0)
    assert learning.check("04.3", f"{omslag:.0f}%").correct


def test_higher_discount_rate_lowers_the_ratio():
    ratios = [m04.lesson_sroi(disconteringsvoet=r).ratio for r in (0.0, 2.25, 8.0)]
    assert ratios[0] > ratios[1] > ratios[2]
    assert learning.check("04.4", "b").correct


def test_no_drop_off_and_no_discount_gives_undiscounted_sum():
    table = m04.lesson_outcomes(deadweight=0.0, attributie=0.0, afname=0.0)
    gross = (
        table["quantity"] * table["proxy_value"] * (1 - table["displacement"]) * table["duration"]
    ).sum()
    result = m04.lesson_sroi(deadweight=0.0, attributie=0.0, afname=0.0, disconteringsvoet=0.0)
    assert result.present_value == pytest.approx(gross)


@pytest.mark.parametrize(
    ("control", "word"), [("deadweight", "deadweight"), ("attributie", "attributie")]
)
def test_hundred_percent_is_a_friendly_message(control, word):
    widget = learning.sroi_explorer("GM0344")
    widget.controls[control].value = 100.0
    assert not widget.view.ok
    assert word in widget.view.message.lower()
    assert widget.view.values["ratio"] == 0.0
    assert "Traceback" not in widget.output.outputs[0]["data"]["text/html"]


def test_sroi_widget_follows_the_function():
    widget = learning.sroi_explorer("GM0344")
    assert widget.view.values["ratio"] == pytest.approx(m04.lesson_sroi().ratio)
    before = widget.output.outputs[0]["data"]["text/html"]
    widget.controls["deadweight"].value = 50.0
    assert widget.view.values["ratio"] == pytest.approx(m04.lesson_sroi(deadweight=50.0).ratio)
    assert widget.output.outputs[0]["data"]["text/html"] != before
    widget.controls["waardekaart"].value = "voorbeeld_buurtcooperatie"
    expected = m04.lesson_sroi("voorbeeld_buurtcooperatie", deadweight=50.0).ratio
    assert widget.view.values["ratio"] == pytest.approx(expected)


def test_overclaiming_is_named_in_the_text():
    view = m04.sroi_view("GM0344", deadweight=0.0, attributie=0.0)
    assert "verclaiming" in view.text


def test_tornado_names_the_largest_swing():
    view = m04.sensitivity_view("GM0344")
    table = m04.tornado().table
    assert view.values["grootste"] == table.loc[table["swing"].idxmax(), "label"]


def _ratio_by_hand(deadweight, attributie, afname=0.30, rate=0.0225):
    """SROI ratio by the SROI Guide's closed form, from the value map's own numbers.

    Year y = start_year + t - 1 of an outcome lasting ``duration`` years carries
    quantity x proxy x (1 - deadweight)(1 - attribution)(1 - displacement)(1 - drop_off)^(t-1),
    discounted by (1 + r)^y; investments by (1 + r)^year.
    """
    value_map = m04._value_map("voorbeeld_maaltijden_ouderen")
    present = 0.0
    for row in value_map.outcomes.itertuples():
        impact = row.quantity * row.proxy_value * (1 - deadweight) * (1 - attributie)
        impact *= 1 - row.displacement
        for t in range(1, int(row.duration) + 1):
            year = row.start_year + t - 1
            present += impact * (1 - afname) ** (t - 1) / (1 + rate) ** year
    invested = sum(row.amount / (1 + rate) ** row.year for row in value_map.investment.itertuples())
    return present / invested


def test_exercises_of_module_04():
    default = _ratio_by_hand(0.25, 0.30)
    assert learning.correct_answer("04.1") == pytest.approx(default, rel=1e-9)
    assert learning.check("04.1", f"{default:.2f}".replace(".", ",")).correct
    half = _ratio_by_hand(0.50, 0.30)
    assert learning.correct_answer("04.2") == pytest.approx(half, rel=1e-9)
    assert learning.check("04.2", f"{half:.2f}").correct
    assert learning.check("04.2", f"{default:.2f}").status == "wrong"
    # the ratio is linear in (1 - deadweight): it is 1 where 1 - dw = 1 / ratio(dw = 0)
    break_even = 100 * (1 - 1 / _ratio_by_hand(0.0, 0.30))
    assert learning.correct_answer("04.3") == pytest.approx(break_even, abs=0.05)
    assert learning.check("04.5", "b").correct
    assert not learning.sroi_explorer("onbekend").ok


def test_value_map_view_lists_every_outcome():
    from doeagenda.impact import load_value_map

    value_map = load_value_map("voorbeeld_buurtcooperatie")
    view = m04.value_map_view("GM0344", "voorbeeld_buurtcooperatie")
    assert view.values["uitkomsten"] == len(value_map.outcomes)
    assert view.values["investering"] == pytest.approx(value_map.investment["amount"].sum())
    assert "verzonnen voorbeeld" in view.text
    widget = learning.value_map_explorer("GM0344")
    widget.controls["waardekaart"].value = "voorbeeld_buurtcooperatie"
    assert widget.view.values == view.values
