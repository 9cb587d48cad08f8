"""Health figures in learning modules 01 and 02, checked against answers computed here.

The references are plain pandas on :func:`doeagenda.data.indicators` (RIVM estimates of
2020), never the module functions that produce the exercises' answers.
"""

from __future__ import annotations

import pandas as pd
import pytest

from doeagenda import data, learning
from doeagenda.learning.modules import eigen_index as m02
from doeagenda.learning.modules import gemeente as m01

LONELY = "rivm_eenzaam_18plus"
HEALTHY = "rivm_ervaren_gezondheid_goed_18plus"


def _wijk_values(gemeente: str, indicator: str) -> tuple[pd.Series, set[str]]:
    """2020 values of the gemeente's wijken, and the wijken without any RIVM figure."""
    wijken = data.areas("wijk").query("gemeente_code == @gemeente")
    long = data.indicators("wijk", provincie=data.area(gemeente)["provincie"])
    long = long[long["code"].isin(wijken["code"])]
    rivm = long[long["indicator"].str.startswith("rivm_")].dropna(subset=["value"])
    values = rivm[(rivm["indicator"] == indicator) & (rivm["year"] == 2020)]
    names = wijken.set_index("code")["name"]
    return values.set_index("code")["value"].rename(index=names), set(wijken["code"]) - set(
        rivm["code"]
    )


def _gemeente_value(gemeente: str, indicator: str) -> float:
    long = data.indicators("gemeente", provincie="Utrecht")
    row = long[(long["code"] == gemeente) & (long["indicator"] == indicator)]
    return float(row[row["year"] == 2020]["value"].iloc[0])


@pytest.mark.parametrize("gemeente", ["GM0344", "GM0307", "GM1961"])
def test_module_01_wijken_on_loneliness(gemeente):
    values, without = _wijk_values(gemeente, LONELY)
    view = m01.wijk_health_view(gemeente, LONELY)
    assert view.values["hoogste"] == values.idxmax()
    assert view.values["laagste"] == values.idxmin()
    assert view.values["wijken"] == len(values)
    assert view.values["geen_gegevens"] == len(without)
    overall = _gemeente_value(gemeente, LONELY)
    assert view.values["boven_gemeente"] == int((values > overall).sum())
    assert "modelschattingen" in view.text
    if without:
        assert "geen gegevens (indeling gewijzigd na 2020)" in view.text
    assert learning.check("01.6", values.idxmax(), gemeente).correct


def test_module_01_wijken_healthier_than_the_gemeente():
    values, _ = _wijk_values("GM0344", HEALTHY)
    expected = int((values > _gemeente_value("GM0344", HEALTHY)).sum())
    view = m01.wijk_health_view("GM0344", HEALTHY)
    assert view.values["boven_gemeente"] == expected
    assert view.values["hoogste"] == values.idxmax()


def test_module_01_widget_follows_the_function():
    widget = learning.wijk_health("GM0344")
    assert isinstance(widget, learning.Explorer)
    assert widget.view.values == m01.wijk_health_view("GM0344", LONELY).values
    widget.controls["indicator"].value = HEALTHY
    assert widget.view.values == m01.wijk_health_view("GM0344", HEALTHY).values


def _hand_rank(gemeente: str, columns: dict[str, int]) -> int:
    """Rank in an equal-weight min-max index of the 26 gemeenten (2020 RIVM values)."""
    long = data.indicators("gemeente", provincie="Utrecht", year=2020)
    wide = long.pivot(index="code", columns="indicator", values="value")
    scores = []
    for column, direction in columns.items():
        x = wide[column]
        scaled = (x - x.min()) / (x.max() - x.min()) * 100
        scores.append(scaled if direction == 1 else 100 - scaled)
    index = pd.concat(scores, axis=1).mean(axis=1)
    return int(index.rank(ascending=False, method="min")[gemeente])


@pytest.mark.parametrize("gemeente", ["GM0344", "GM0307"])
def test_module_02_health_only_index(gemeente):
    expected = _hand_rank(gemeente, {LONELY: -1, HEALTHY: 1})
    assert learning.correct_answer("02.6", gemeente) == expected
    assert learning.check("02.6", str(expected), gemeente).correct


def test_module_02_health_figures_start_at_zero_and_can_be_raised():
    widget = learning.index_builder("GM0344")
    for key in m02.HEALTH_KEYS:
        assert widget.controls[key].value == 0.0
    before = widget.view.values["rang"]
    assert before == m02.index_view("GM0344").values["rang"]
    widget.controls["eenzaam"].value = 3.0
    raised = m02.index_view("GM0344", eenzaam=3.0)
    assert widget.view.values == raised.values
    assert "Eenzaam" in raised.text
