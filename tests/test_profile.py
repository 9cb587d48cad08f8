"""The gemeenteprofiel functions, checked against figures computed here from the raw tables."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from doeagenda import data
from doeagenda.errors import AreaCodeError, ParameterError
from doeagenda.reports.profile import age_structure, compare, gemeenteprofiel, wijk_table


def test_age_shares_against_raw_counts():
    table = age_structure("GM0344").set_index(["gebied", "leeftijd"])["aandeel"]
    # KWB 2024 CSV, row Utrecht: inhabitants 374238, 65+ 40261
    assert table[("Utrecht", "65 jaar of ouder")] == pytest.approx(100 * 40261 / 374238)
    # Nederland: 17942942 inhabitants, 3677228 aged 65+
    assert table[("Nederland", "65 jaar of ouder")] == pytest.approx(100 * 3677228 / 17942942)
    for area in table.index.get_level_values(0).unique():
        assert table[area].sum() == pytest.approx(100)


def test_compare_province_is_population_weighted():
    result = compare("GM0344", ["kwb21_wmo_clients_per_1000"])
    row = result.iloc[0]
    wide = data.indicators("gemeente", provincie="Utrecht", year=2021, wide=True)
    usable = wide["kwb21_wmo_clients_per_1000"].notna()
    weights = wide.loc[usable, "kwb21_population"]
    expected = (wide.loc[usable, "kwb21_wmo_clients_per_1000"] * weights).sum() / weights.sum()
    assert row["provincie"] == pytest.approx(expected)
    assert row["gemeente"] == 56.0
    # Rank: number of Utrecht gemeenten with a higher value, plus one
    higher = (wide["kwb21_wmo_clients_per_1000"] > 56.0).sum()
    assert row["rang"] == f"{higher + 1} van {usable.sum()}"


def test_compare_uses_cbs_national_figure_when_published():
    row = compare("GM0307", ["rk25_eenpersoonshuishoudens_pct"]).iloc[0]
    national = data.indicators("land", year=2025, wide=True).loc[
        "NL00", "rk25_eenpersoonshuishoudens_pct"
    ]
    assert row["nederland"] == national
    counts = compare("GM0307", ["a_inw"]).iloc[0]
    assert counts["provincie"] == data.population(provincie="Utrecht").sum()


def test_wijk_table_keeps_years_apart():
    table = wijk_table("GM0344")
    assert len(table) == 10
    bijstand = [c for c in table.columns if c.startswith("Bijstand")]
    assert bijstand == ["Bijstand per 1.000 inw. 2023"]  # a_soz_wb exists for 2023 only
    long = data.indicators("wijk", year=2023, codes=["WK034403"], wide=True)
    expected = round(1000 * long.loc["WK034403", "a_soz_wb"] / long.loc["WK034403", "a_inw"], 1)
    assert table.loc["WK034403", bijstand[0]] == expected
    small = wijk_table("GM0339")  # Renswoude: population and age only
    assert list(small.columns) == ["Wijk", "Inwoners", "0–14 jaar (%) 2024", "65+ (%) 2024"]


def test_profile_charts_and_export(tmp_path):
    profiel = gemeenteprofiel("GM0307")
    assert "Amersfoort" in profiel._repr_markdown_()
    for chart in (profiel.map(), profiel.age_chart(), profiel.income_chart(), profiel.care_chart()):
        spec = chart.to_dict()
        assert spec["data"]
    highlighted = [
        f["properties"]["status"] for f in json.loads(profiel.map().to_dict()["data"]["values"])
    ]
    assert highlighted.count("Amersfoort") == 1
    note = profiel.export(tmp_path / "uit")
    files = sorted(p.name for p in (tmp_path / "uit").iterdir())
    assert "GM0307_kerncijfers.csv" in files and not any(f.startswith(".") for f in files)
    assert "GM0307_kerncijfers.csv" in note.data
    assert pd.read_csv(tmp_path / "uit" / "GM0307_kerncijfers.csv").shape[0] == 5


def test_profile_bad_input():
    with pytest.raises(AreaCodeError, match="geen gemeente"):
        gemeenteprofiel("WK034401")
    with pytest.raises(AreaCodeError):
        gemeenteprofiel("GM9999")
    with pytest.raises(ParameterError, match="jaar 2019"):
        gemeenteprofiel("GM0307", 2019)


def test_age_table_is_dutch_formatted_and_matches_shares():
    profiel = gemeenteprofiel("GM0352")
    shares = profiel.age_shares()
    table = profiel.age_table()
    assert table.shape == shares.shape
    value = shares.loc["65 jaar of ouder", "Wijk bij Duurstede"]
    assert table.loc["65 jaar of ouder", "Wijk bij Duurstede"] == f"{value:.1f}".replace(".", ",")
