"""The Leefbaarometer sections of the wijk and gemeente profiles (issue 20)."""

from __future__ import annotations

import pandas as pd
import papermill
import pytest

from doeagenda import data
from doeagenda.charts import nl_format
from doeagenda.reports.profile import gemeenteprofiel
from doeagenda.reports.wijkprofiel import wijkprofiel

SCORE_YEARS = [2002, 2008, 2012, 2014, 2016, 2018, 2020, 2022]
DIMENSION_YEARS = [2014, 2018, 2020, 2022]


def test_wijkprofiel_score_and_five_dimensions_against_gemeente_provincie_nl():
    profiel = wijkprofiel("WK196111")  # Leerbroek, Vijfheerenlanden: no RIVM, but Leefbaarometer
    table = profiel.leefbaarometer()
    assert list(table.columns) == [
        "Leerbroek", "Gemeente Vijfheerenlanden", "Provincie Utrecht", "Nederland"
    ]  # fmt: skip
    parts = list(dict.fromkeys(table.index.get_level_values(0)))
    assert parts == [
        "Leefbaarheidsscore", "Fysieke omgeving", "Overlast en onveiligheid",
        "Sociale samenhang", "Voorzieningen", "Woningvoorraad",
    ]  # fmt: skip
    assert list(table.loc["Leefbaarheidsscore"].index) == SCORE_YEARS
    assert list(table.loc["Sociale samenhang"].index) == DIMENSION_YEARS
    numbers = data.leefbaarometer("WK196111").set_index(["indicator", "jaar"])
    expected = numbers.at[("lbm_sociale_samenhang", 2018), "wijk"]
    assert table.loc[("Sociale samenhang", 2018), "Leerbroek"] == nl_format(expected, 3)
    expected = numbers.at[("lbm_score", 2002), "provincie"]
    assert table.loc[("Leefbaarheidsscore", 2002), "Provincie Utrecht"] == nl_format(expected, 3)
    assert "geen gegevens" not in table.to_numpy()
    note = profiel.leefbaarometer_note().data
    assert "modelschattingen" in note and "gewogen naar inwoners (1 januari 2024)" in note
    spec = profiel.leefbaarometer_chart().to_dict()
    assert spec["facet"]["field"] == "onderdeel" and spec["columns"] == 3
    assert "Leerbroek" in str(spec)


def test_wijkprofiel_without_a_leefbaarometer_match_says_so():
    profiel = wijkprofiel("WK030732")  # Vathorst-Bovenduist: code new since 2022
    table = profiel.leefbaarometer()
    assert set(table["Vathorst-Bovenduist"]) == {"geen gegevens"}
    assert (table["Gemeente Amersfoort"] != "geen gegevens").all()
    note = profiel.leefbaarometer_note().data
    assert "wijkcode niet in de Leefbaarometer" in note and "WK030732" in note
    assert "nooit overgezet" in note
    profiel.leefbaarometer_chart().to_dict()  # the comparison lines still draw


def test_wijkprofiel_flags_a_boundary_change():
    note = wijkprofiel("WK035601").leefbaarometer_note().data  # Nieuwegein, CBS flag 3 in 2024
    assert "grens in 2024 gewijzigd" in note


def test_gemeenteprofiel_score_and_sociale_samenhang_against_provincie_and_nl(tmp_path):
    profiel = gemeenteprofiel("GM0355")
    table = profiel.leefbaarometer()
    assert list(table.columns) == ["Gemeente Zeist", "Provincie Utrecht", "Nederland"]
    assert list(dict.fromkeys(table.index.get_level_values(0))) == [
        "Leefbaarheidsscore",
        "Sociale samenhang",
    ]
    wide = data.indicators("gemeente", codes=["GM0355"], year=2022, wide=True)
    value = wide.at["GM0355", "lbm_sociale_samenhang"]
    assert table.loc[("Sociale samenhang", 2022), "Gemeente Zeist"] == nl_format(value, 3)
    assert "10 wijken" not in profiel.leefbaarometer_note().data  # Zeist has 5
    assert "Zeist: gemiddelde van 5 wijken" in profiel.leefbaarometer_note().data
    spec = profiel.leefbaarometer_chart().to_dict()
    assert "Sociale samenhang" in str(spec)
    profiel.export(tmp_path)
    written = pd.read_csv(tmp_path / "GM0355_leefbaarometer.csv")
    assert {"indicator", "jaar", "gemeente", "provincie", "nederland"} <= set(written.columns)


def test_gemeenteprofiel_of_a_gemeente_without_figures():
    profiel = gemeenteprofiel("GM0363")  # Amsterdam: all wijk codes changed after 2022
    table = profiel.leefbaarometer()
    assert set(table["Gemeente Amsterdam"]) == {"geen gegevens"}
    assert (table["Nederland"] != "geen gegevens").all()
    note = profiel.leefbaarometer_note().data
    assert "Amsterdam heeft geen Leefbaarometer-cijfer" in note


@pytest.mark.slow
@pytest.mark.parametrize("wijk", ["WK030732", "WK196111"])
def test_wijkprofiel_notebook_runs_with_leefbaarometer(repo, tmp_path, wijk, outputs_text):
    notebook = papermill.execute_notebook(
        str(repo / "notebooks" / "wijkprofiel.ipynb"),
        str(tmp_path / "uit.ipynb"),
        parameters={"wijk": wijk},
        cwd=str(repo / "notebooks"),
        progress_bar=False,
        kernel_name="python3",
    )
    text = outputs_text(notebook)
    assert "Leefbaarometer 3.0" in text
    if wijk == "WK030732":
        assert "wijkcode niet in de Leefbaarometer" in text
    else:
        assert "Leefbaarheidsscore" in text
