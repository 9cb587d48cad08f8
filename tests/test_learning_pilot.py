"""Module 03 *Werkt het?*: the three estimates behave as their closed forms say."""

from __future__ import annotations

import pytest

from doeagenda import learning
from doeagenda.learning.modules import werkt_het as m03

GEMEENTE = "GM0308"  # Baarn: a gemeente a mix of others can imitate


def test_before_after_is_the_difference_of_means():
    panel = m03.pilot_panel(GEMEENTE, effect=2.0, trend=0.0)
    own = panel[panel["gemeente_code"] == GEMEENTE].set_index("jaar")["deelname"]
    expected = own.loc[2020:].mean() - own.loc[:2019].mean()
    assert m03.before_after(panel, GEMEENTE) == pytest.approx(expected)


def test_common_trend_fools_before_after_but_not_did_or_synth():
    base = m03.pilot_view(GEMEENTE, effect=2.0, trend=0.0).values
    trended = m03.pilot_view(GEMEENTE, effect=2.0, trend=1.0).values
    # years 2020-2024 average 2022, years 2015-2019 average 2017: the trend adds 5 x 1.0
    assert trended["voor_na"] - base["voor_na"] == pytest.approx(5.0)
    assert trended["did"] == pytest.approx(base["did"], abs=1e-6)
    assert trended["synth"] == pytest.approx(base["synth"], abs=0.05)


def test_did_moves_one_for_one_with_the_true_effect():
    low = m03.pilot_view(GEMEENTE, effect=0.0).values
    high = m03.pilot_view(GEMEENTE, effect=3.0).values
    assert high["did"] - low["did"] == pytest.approx(3.0, abs=1e-6)
    assert abs(high["did"] - 3.0) < 1.0  # close to the truth on the voorbeeld data
    assert high["did_laag"] < high["did"] < high["did_hoog"]


def test_pilot_widget_follows_the_function():
    widget = learning.pilot_explorer(GEMEENTE)
    assert widget.view.values == m03.pilot_view(GEMEENTE).values
    before = widget.output.outputs[0]["data"]["text/html"]
    widget.controls["trend"].value = 1.0
    assert widget.view.values == m03.pilot_view(GEMEENTE, 2.0, 1.0).values
    assert widget.output.outputs[0]["data"]["text/html"] != before


def test_more_proeftuinen_give_more_power():
    few = m03.power_view(GEMEENTE, proeftuinen=1, effect=0.5).values
    many = m03.power_view(GEMEENTE, proeftuinen=12, effect=0.5).values
    assert many["kans"] > few["kans"]
    assert many["mde"] < few["mde"]
    needed = m03.treated_needed(GEMEENTE, effect=0.5)
    assert m03.power_view(GEMEENTE, needed, 0.5).values["kans"] >= 0.8
    if needed > 1:
        assert m03.power_view(GEMEENTE, needed - 1, 0.5).values["kans"] < 0.8


def test_power_widget_and_bad_effect():
    widget = learning.power_explorer(GEMEENTE)
    widget.controls["proeftuinen"].value = 6
    assert widget.view.values == m03.power_view(GEMEENTE, 6, 0.5).values
    assert not learning.pilot_explorer("GM9999").ok
    assert (
        "Kies een effect"
        in learning.widgets.safe_view(
            m03.power_view, gemeente=GEMEENTE, proeftuinen=3, effect=9.0
        ).message
    )


def test_exercises_of_module_03():
    # the answers by hand from the panel the participant sees (default sliders: effect 2,
    # trend 0.3): voor/na is a difference of means; DiD with one treated gemeente in a
    # balanced panel is the 2x2 difference of the four group means
    panel = m03.pilot_panel(GEMEENTE, effect=2.0, trend=0.3)
    after = panel["jaar"] >= 2020
    own = panel["gemeente_code"] == GEMEENTE
    y = panel["deelname"]
    naive = y[own & after].mean() - y[own & ~after].mean()
    others = y[~own & after].mean() - y[~own & ~after].mean()
    assert learning.correct_answer("03.1", GEMEENTE) == pytest.approx(naive, abs=1e-9)
    assert learning.correct_answer("03.2", GEMEENTE) == pytest.approx(naive - others, abs=1e-6)
    assert learning.check("03.1", f"{naive:.2f}".replace(".", ","), GEMEENTE).correct
    assert learning.check("03.2", f"{naive - others:.2f}".replace(".", ","), GEMEENTE).correct
    assert learning.check("03.1", f"{naive - others:.2f}", GEMEENTE).status == "wrong"
    assert learning.check("03.3", "b", GEMEENTE).correct
    assert learning.check("03.4", "c", GEMEENTE).correct
    assert learning.check("03.4", "b", GEMEENTE).status == "wrong"
