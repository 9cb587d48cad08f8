"""Module 02 *Bouw je eigen index*: checked against a hand-computed weighted min-max index."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from doeagenda import data, learning
from doeagenda.learning.modules import eigen_index as m02


def _hand_index(weights: dict[str, float]) -> pd.Series:
    """Weighted mean of min-max scores (0-100, direction applied) over available values."""
    wide = data.indicators("gemeente", provincie="Utrecht", wide=True)
    total = pd.Series(0.0, index=wide.index)
    weight_sum = pd.Series(0.0, index=wide.index)
    for key, weight in weights.items():
        if weight == 0:
            continue
        column, direction, _label = m02.INDICATORS[key]
        x = wide[column]
        scaled = (x - x.min()) / (x.max() - x.min()) * 100
        if direction == -1:
            scaled = 100 - scaled
        total += (weight * scaled).fillna(0.0)
        weight_sum += weight * scaled.notna()
    return total / weight_sum


@pytest.mark.parametrize(
    "weights",
    [
        dict.fromkeys(m02.INDICATORS, 1.0),
        {"inkomen": 2.0, "armoede": 0.0, "werk": 1.0, "zorg": 0.5, "huisarts": 3.0, "alleen": 0.0},
    ],
)
def test_index_matches_hand_computation(weights):
    expected = _hand_index(weights)
    result = m02.build_own_index("GM0344", **weights)
    assert result.index.to_dict() == pytest.approx(expected.to_dict())
    view = m02.index_view("GM0344", **weights)
    hand_rank = int(expected.rank(ascending=False, method="min")["GM0344"])
    assert view.values["rang"] == hand_rank
    assert view.values["n"] == 26
    assert view.values["eerste"] == data.area(expected.idxmax())["name"]


def test_missing_value_is_averaged_over_the_other_indicators():
    view = m02.index_view("GM0339")  # Renswoude has no Wmo figure for 2021
    assert view.ok
    assert "ontbreekt" in view.text
    assert view.values["rang"] >= 1


def test_all_weights_zero_is_a_friendly_message_in_the_widget():
    widget = learning.index_builder("GM0344")
    assert widget.view.ok
    for control in widget.controls.values():
        control.value = 0.0
    assert not widget.view.ok
    assert "Alle gewichten staan op 0" in widget.view.message
    page = widget.output.outputs[0]["data"]["text/html"]
    assert "doeagenda-melding" in page
    assert "Traceback" not in page
    widget.controls["werk"].value = 1.0
    assert widget.view.ok
    assert widget.view.values == m02.index_view("GM0344", **widget.values()).values


def test_slider_changes_ranking_as_the_function_says():
    widget = learning.index_builder("GM0344")
    before = widget.output.outputs[0]["data"]["text/html"]
    widget.controls["huisarts"].value = 3.0
    expected = _hand_index({**m02.DEFAULT_WEIGHTS, "huisarts": 3.0})  # sliders start at defaults
    assert widget.view.values["rang"] == int(expected.rank(ascending=False, method="min")["GM0344"])
    assert widget.output.outputs[0]["data"]["text/html"] != before


def test_no_variation_means_no_rank_uncertainty():
    view = m02.uncertainty_view("GM0344", spreiding=0.0, methoden=False, weglaten=False)
    assert view.values["laag"] == view.values["hoog"] == view.values["rang"]
    wide = m02.uncertainty_view("GM0344", spreiding=50.0, methoden=True, weglaten=True)
    assert wide.values["hoog"] - wide.values["laag"] > 0


def test_uncertainty_widget_follows_the_function():
    widget = learning.index_uncertainty("GM0307")
    widget.controls["methoden"].value = False
    widget.controls["weglaten"].value = False
    widget.controls["spreiding"].value = 0.0
    assert widget.view.values["laag"] == widget.view.values["hoog"]
    assert np.isfinite(widget.view.values["mediaan"])


def test_exercises_of_module_02():
    # 02.1: the rank of Utrecht at the sliders' start (the six CBS figures at 1, the health
    # and Leefbaarometer figures at 0), by hand
    cbs = ("inkomen", "armoede", "werk", "zorg", "huisarts", "alleen")
    start = {key: 1.0 if key in cbs else 0.0 for key in m02.INDICATORS}
    equal = _hand_index(start)
    rank = int(equal.rank(ascending=False, method="min")["GM0344"])
    assert learning.correct_answer("02.1") == rank
    assert learning.check("02.1", str(rank)).correct
    assert learning.check("02.1", rank + 5).status == "wrong"
    # 02.2 (distance to the GP only) gave way to 02.7 (sociale samenhang only, issue 20):
    # tests/test_learning_lbm.py computes that answer from the source files
    assert "02.2" not in {ex.id for ex in learning.exercises("02")}
    assert learning.check("02.5", "b").correct
    assert learning.check("02.3", "a").status == "wrong"


def test_unknown_gemeente_in_module_02():
    for builder in (learning.index_builder, learning.index_uncertainty):
        view = builder("GM0000")
        assert not view.ok
        assert "kennen we niet" in view.message


def test_rank_one_place_off_is_close():
    right = learning.correct_answer("02.1")
    assert learning.check("02.1", right + 1).status == "close"
    assert learning.check("02.1", right - 3).status == "wrong"
