"""Module 01 *Ken je gemeente*: pure view functions and the widgets wired to them."""

from __future__ import annotations

import pandas as pd
import pytest

from doeagenda import data, learning
from doeagenda.learning import lesson
from doeagenda.learning.modules import gemeente as m01

# Independent references, read from CBS KWB 2024 (85984NED) for gemeente Utrecht.
UTRECHT_INWONERS = 374238
UTRECHT_65_PLUS = 40261


def test_inhabitants_and_share_match_cbs_figures():
    assert m01.inhabitants("GM0344") == UTRECHT_INWONERS
    assert m01.gemeente_share("GM0344") == pytest.approx(UTRECHT_65_PLUS / UTRECHT_INWONERS * 100)
    assert learning.check("01.1", "374.238", "GM0344").status == "right"
    assert learning.check("01.2", "10,8", "GM0344").status == "right"
    assert learning.check("01.2", "25", "GM0344").status == "wrong"


def test_compare_table_per_inwoner_is_count_over_population():
    table = m01.compare_table("GM0344", "a_65_oo", per_inwoner=True).set_index("code")
    wide = data.indicators("gemeente", provincie="Utrecht", year=2024, wide=True)
    expected = wide["a_65_oo"] / wide["a_inw"] * 1000
    assert len(table) == 26
    assert table["waarde"].to_dict() == pytest.approx(expected.to_dict())
    assert table.loc["GM0344", "gekozen"]
    assert table["plaats"].min() == 1


def test_absolute_counts_put_the_big_city_first_but_rates_do_not():
    absolute = m01.compare_view("GM0344", "a_65_oo", per_inwoner=False)
    rate = m01.compare_view("GM0344", "a_65_oo", per_inwoner=True)
    assert absolute.values["hoogste"] == "Utrecht"
    assert rate.values["hoogste"] != "Utrecht"
    assert rate.values["plaats"] > absolute.values["plaats"]


def test_wijken_view_counts_wijken_above_threshold():
    table = m01.wijken_table("GM0344")
    view = m01.wijken_view("GM0344", "aandeel_65_oo", drempel=10)
    assert view.values["wijken"] == 10  # gemeente Utrecht has 10 wijken
    assert view.values["boven"] == int((table["aandeel"] > 10).sum())
    assert view.values["mediaan"] == pytest.approx(table["aandeel"].median())
    wijken = data.areas("wijk")
    assert set(table["code"]) == set(wijken.loc[wijken["gemeente_code"] == "GM0344", "code"])


def test_key_figures_view_lists_the_gemeente():
    view = m01.key_figures_view("GM0307")
    assert view.ok
    assert "Amersfoort" in view.table.columns
    assert view.values["a_inw"] == data.population().loc["GM0307"]


def test_compare_widget_follows_the_pure_function():
    widget = learning.compare_gemeenten("GM0344")
    assert isinstance(widget, learning.Explorer)
    before = widget.output.outputs[0]["data"]["text/html"]
    assert widget.view.values == m01.compare_view("GM0344").values
    widget.controls["per_inwoner"].value = True
    assert widget.view.values == m01.compare_view("GM0344", "a_65_oo", True).values
    widget.controls["indicator"].value = "kwb21_wmo_clients_per_1000"
    expected = m01.compare_view("GM0344", "kwb21_wmo_clients_per_1000", True)
    assert widget.view.values == expected.values
    after = widget.output.outputs[0]["data"]["text/html"]
    assert after != before
    assert "<svg" in after


def test_wijk_slider_changes_the_count_as_the_function_says():
    widget = learning.wijk_distribution("GM0344")
    counts = {}
    for drempel in (5.0, 12.0, 40.0):
        widget.controls["drempel"].value = drempel
        counts[drempel] = widget.view.values["boven"]
        assert counts[drempel] == m01.wijken_view("GM0344", drempel=drempel).values["boven"]
    assert counts[5.0] > counts[40.0]
    assert len(widget.output.outputs) == 1


@pytest.mark.parametrize(
    "builder", [learning.compare_gemeenten, learning.wijk_distribution, learning.key_figures]
)
def test_unknown_gemeente_gives_a_friendly_message(builder):
    view = builder("GM9999")
    assert isinstance(view, lesson.View)
    assert not view.ok
    assert "kennen we niet" in view.message
    assert "Traceback" not in view.html()


def test_view_errors_become_messages_in_the_widget():
    widget = learning.compare_gemeenten("GM0344")
    widget.controls["indicator"].options = [("Onbekend", "bestaat_niet")]
    assert not widget.view.ok
    assert "niet in deze module" in widget.view.message
    assert "doeagenda-melding" in widget.output.outputs[0]["data"]["text/html"]


def test_start_banner_and_gemeente_by_name():
    assert lesson.check_gemeente("utrecht") == "GM0344"
    assert lesson.check_gemeente(" gm0307 ") == "GM0307"
    banner = learning.start("01", "GM0307")
    assert banner.ok
    assert "Amersfoort" in banner.text
    assert not learning.start("01", "Atlantis").ok
    assert not learning.start("09", "GM0344").ok


def test_question_box_gives_feedback():
    box = learning.question("01.1", "GM0344")
    assert isinstance(box, learning.QuestionBox)
    box.answer.value = "374238"
    assert box.submit().status == "right"
    assert 'data-status="right"' in box.output.outputs[0]["data"]["text/html"]
    box.answer.value = "1"
    assert box.submit().status == "wrong"
    choice = learning.question("01.3", "GM0344")
    choice.answer.value = learning.correct_answer("01.3", "GM0344")
    assert choice.submit().status == "right"
    assert not learning.question("01.1", "GM9999").ok


def test_gemeente_without_2021_figures_gets_messages_not_errors():
    """Land van Cuijk (GM1982) was formed in 2022: no KWB 2021 figures."""
    widget = learning.compare_gemeenten("GM1982")
    assert widget.view.ok
    widget.controls["indicator"].value = "kwb21_wmo_clients_per_1000"
    assert "geen cijfer" in widget.view.message
    for builder in (learning.index_builder, learning.pilot_explorer):
        view = builder("GM1982").view
        assert not view.ok
        assert "ontbreken" in view.message
    assert "ontbreken" in learning.power_explorer("GM1982").message
    assert learning.check("03.1", "1", "GM1982").status == "wrong"


def test_trainer_mode_shows_worked_answer_under_the_question(monkeypatch):
    monkeypatch.delenv("DOEAGENDA_TRAINER", raising=False)
    learning.trainer_mode(False)
    hidden = learning.question("01.1", "GM0344")
    assert not any("Uitwerking" in getattr(child, "value", "") for child in hidden.children)
    try:
        learning.trainer_mode(True)
        shown = learning.question("01.1", "GM0344")
        texts = [getattr(child, "value", "") for child in shown.children]
        assert any("374.238" in text and "Uitwerking" in text for text in texts)
    finally:
        learning.trainer_mode(False)


@pytest.mark.parametrize(
    "builder",
    [
        "compare_gemeenten", "wijk_distribution", "index_builder", "index_uncertainty",
        "pilot_explorer", "power_explorer", "sroi_explorer", "sensitivity_explorer",
    ],
)  # fmt: skip
def test_every_builder_answers_an_unknown_gemeente_with_a_message(builder):
    view = getattr(learning, builder)("GM9999")
    assert isinstance(view, lesson.View)
    assert "kennen we niet" in view.message


def test_province_share_is_all_inhabitants_of_the_province():
    wide = data.indicators("gemeente", provincie="Utrecht", year=2024, wide=True)
    expected = wide["a_65_oo"].sum() / wide["a_inw"].sum() * 100
    view = m01.wijken_view("GM0310")
    assert view.values["provincie"] == pytest.approx(expected)
    assert "provincie als geheel" in view.text


def test_app_gemeente_reads_the_voila_address_only_under_voila(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "gemeente=GM0307&theme=light")
    monkeypatch.delenv("SERVER_SOFTWARE", raising=False)
    assert learning.app_gemeente("GM0344") == "GM0344"
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    assert learning.app_gemeente("GM0344") == "GM0307"
    monkeypatch.setenv("QUERY_STRING", "theme=light")
    assert learning.app_gemeente("GM0344") == "GM0344"


def _local_cooperatives_from_the_workbook() -> pd.DataFrame:
    """The monitor's local cooperatives read with plain pandas (header row 4 of the sheet)."""
    from doeagenda.data.io import raw_file

    with raw_file("LEM2019_BIJLAGE_ENERGIECOOPERATIES.xlsx").open("rb") as handle:
        frame = pd.read_excel(handle, sheet_name="LOKALE COÖPERATIES", header=3)
    frame = frame.dropna(subset=["GEMEENTE"])
    frame["GEMEENTE"] = frame["GEMEENTE"].astype(str).str.strip()
    # the one row founded "in oprichting" has no year: the monitor does not count it as founded
    return frame.loc[frame["JAAR"].astype(str).str.fullmatch(r"\d{4}")]


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("GM0355", "Zeist"),
        ("GM0344", "Utrecht"),
        ("GM0313", "Bunschoten"),
        ("GM0736", "De Ronde Venen"),
    ],
)
def test_energy_exercise_answer_is_recounted_from_the_workbook(code, name):
    local = _local_cooperatives_from_the_workbook()
    mine = local.loc[local["GEMEENTE"] == name]
    expected = len(mine)
    view = m01.energy_view(code)
    assert view.values["cooperaties"] == expected
    assert sorted(view.values["namen"]) == sorted(" ".join(str(n).split()) for n in mine["NAAM"])
    assert learning.check("01.7", str(expected), code).status == "right"
    assert learning.check("01.7", str(expected + 1), code).status != "right"
    inwoners = data.population("gemeente")[code]
    assert view.values["per_10000"] == pytest.approx(expected / inwoners * 10_000)
    in_province = (local["PROVINCIE"] == "Utrecht").sum()
    assert in_province == 34
    province = data.population("gemeente", provincie="Utrecht").sum()
    assert view.values["provincie"] == pytest.approx(in_province / province * 10_000)
    assert "Lokale Energie Monitor 2019" in view.text


def test_energy_cooperatives_builder_is_a_static_view():
    view = learning.energy_cooperatives("GM0355")
    assert isinstance(view, lesson.View) and view.ok
    assert list(view.table.columns) == ["Energiecoöperatie", "Opgericht"]
    assert view.chart.to_dict()["layer"]
    assert "kennen we niet" in learning.energy_cooperatives("GM9999").message
