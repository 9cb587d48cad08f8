"""Loaders and derivations, checked against figures read by hand from the raw CBS files."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import pytest

from doeagenda import data
from doeagenda.data import build
from doeagenda.data.io import NOTE_SECRET, to_number
from doeagenda.errors import AreaCodeError, DataError, ParameterError


def test_area_counts_match_kwb_2024():
    counts = data.areas()["level"].value_counts()
    assert counts.to_dict() == {"buurt": 14574, "wijk": 3393, "gemeente": 342}
    utrecht = data.areas(provincie="Utrecht")["level"].value_counts()
    assert utrecht.to_dict() == {"buurt": 970, "wijk": 222, "gemeente": 26}


def test_area_hierarchy_codes():
    row = data.area("BU03440111")
    assert row["name"] == "Welgelegen, Den Hommel"
    assert row["gemeente_code"] == "GM0344"
    assert row["wijk_code"] == "WK034401"
    assert row["provincie"] == "Utrecht"
    assert data.area("GM1992")["provincie"] == "Zuid-Holland"  # Voorne aan Zee, new in 2023


def test_population_values_from_raw_files():
    # kwb2024_nl_gemeente_wijk_buurt_bevolking_leeftijd.csv: rows "Utrecht", "Nederland", "Aa en Hunze"
    pop = data.population()
    assert pop["GM0344"] == 374238
    assert pop["GM1680"] == 25845
    land = data.indicators("land", year=2024, wide=True)
    assert land.loc["NL00", "a_inw"] == 17942942
    # Age groups of the gemeenten add up to the inhabitants (CBS does not round at gemeente level)
    wide = data.indicators("gemeente", year=2024, wide=True)
    ages = wide[["a_00_14", "a_15_24", "a_25_44", "a_45_64", "a_65_oo"]].sum(axis=1)
    assert (ages == wide["a_inw"]).all()


def test_income_and_kwb2021_values_from_raw_files():
    # inkomen_huishoudens_2024_gemeenten.csv, row "Utrecht (gemeente)": 189,2;40,2;35,9;56;42,7
    income = data.indicators("gemeente", year=2024, wide=True, codes=["GM0344"])
    assert income.loc["GM0344", "ink24_gem_gestandaardiseerd_inkomen"] == pytest.approx(40.2)
    assert income.loc["GM0344", "ink24_mediaan_besteedbaar_inkomen"] == pytest.approx(42.7)
    # kwb2021_gemeenten_indicatoren_nlstat.json, GM0344: WelfareCare / Wmo care clients 56.0
    kwb21 = data.indicators("gemeente", year=2021, wide=True, codes=["GM0344"])
    assert kwb21.loc["GM0344", "kwb21_wmo_clients_per_1000"] == 56.0
    assert kwb21.loc["GM0344", "kwb21_distance_gp_km"] == 0.6


def test_income_rows_are_provisional():
    long = data.indicators("gemeente", year=2024, codes=["GM0344"])
    notes = long.loc[long["indicator"].str.startswith("ink24_"), "note"]
    assert (notes == "voorlopig cijfer (CBS 2024*)").all()


def test_cbs_dot_is_missing_with_reason():
    long = data.indicators("gemeente", codes=["GM0344"])
    woz_2024 = long[(long["indicator"] == "g_wozbag") & (long["year"] == 2024)].iloc[0]
    assert math.isnan(woz_2024["value"])
    assert woz_2024["note"] == NOTE_SECRET
    woz_2023 = long[(long["indicator"] == "g_wozbag") & (long["year"] == 2023)].iloc[0]
    assert woz_2023["value"] == 458


def test_wide_takes_latest_year_with_values():
    wide = data.indicators("gemeente", provincie="Utrecht", wide=True)
    # 2024 WOZ is '.' in the 2024 release, so the wide table falls back to 2023
    assert wide.loc["GM0344", "g_wozbag"] == 458
    assert len(wide) == 26


def test_merged_gemeenten_are_flagged_not_joined():
    long = data.indicators("gemeente", year=2021)
    # Weesp (GM0457) merged into Amsterdam in 2022: kept with its 2021 code and a note
    weesp = long[long["code"] == "GM0457"]
    assert not weesp.empty
    assert weesp["note"].str.contains("bestaat niet meer").all()
    assert "GM0457" not in set(data.areas("gemeente")["code"])


def test_to_number_handles_cbs_conventions():
    values, notes = to_number(pd.Series(["1,5", "       .", "", "12"]))
    assert values.iloc[0] == 1.5 and values.iloc[3] == 12
    assert math.isnan(values.iloc[1]) and notes.iloc[1] == NOTE_SECRET
    assert math.isnan(values.iloc[2]) and notes.iloc[2] != ""
    with pytest.raises(DataError, match="is geen getal"):
        to_number(pd.Series(["abc"]))


def test_dictionary_covers_every_indicator():
    dictionary = data.dictionary()
    used = set(data.indicators("gemeente")["indicator"]) | set(
        data.indicators("buurt")["indicator"]
    )
    assert used <= set(dictionary["indicator"])
    assert dictionary["label_nl"].str.len().min() > 0
    assert set(dictionary["direction"].dropna()) <= {-1.0, 1.0}
    assert data.label("a_inw") == dictionary.set_index("indicator").at["a_inw", "label_nl"]


def test_boundaries_geojson_for_altair():
    geo = data.boundaries(provincie="Utrecht")
    assert geo["type"] == "FeatureCollection"
    codes = {f["properties"]["code"] for f in geo["features"]}
    assert codes == set(data.areas("gemeente", "Utrecht")["code"])
    chart = (
        alt.Chart(alt.Data(values=geo["features"]))
        .mark_geoshape()
        .encode(color="properties.name:N")
    )
    assert chart.to_dict()["mark"]["type"] == "geoshape"
    # a fresh copy each call: callers may modify it
    geo["features"].clear()
    assert len(data.boundaries(provincie="Utrecht")["features"]) == 26


def test_bad_arguments_are_clear():
    with pytest.raises(ParameterError, match=r"onbekend niveau 'gemeenten'.*'gemeente'"):
        data.areas("gemeenten")
    with pytest.raises(AreaCodeError, match=r"onbekende provincie 'Utrect'.*Bedoelde u 'Utrecht'"):
        data.indicators(provincie="Utrect")
    with pytest.raises(AreaCodeError, match="onbekende gebiedscode 'GM9999'"):
        data.area("GM9999")
    with pytest.raises(
        ParameterError, match=r"'buurt' zitten niet in het pakket.*gerangschikte grafiek"
    ):
        data.boundaries("buurt")


def test_level_of_rejects_garbage():
    assert build.level_of("WK034401") == "wijk"
    with pytest.raises(DataError):
        build.level_of("XX12")


@pytest.mark.slow
def test_shipped_tables_equal_fresh_rebuild():
    from doeagenda.data.api import stale_tables
    from doeagenda.data.schemas import AREAS, DICTIONARY, INDICATORS, LEEFBAAROMETER, RIVM

    tables = build.rebuild()
    AREAS.validate(tables["areas"].fillna(""))
    INDICATORS.validate(tables["indicators"])
    DICTIONARY.validate(tables["dictionary"])
    RIVM.validate(tables["rivm"])
    LEEFBAAROMETER.validate(tables["leefbaarometer"])
    assert stale_tables(tables) == []
    # and the comparison can fail: a changed value is noticed
    tables["indicators"].loc[0, "value"] = -1.0
    assert stale_tables(tables) == ["indicators"]


@pytest.mark.parametrize(
    ("level", "provincie", "codes"),
    [
        ("gemeente", "Utrecht", None),
        ("gemeente", None, ["GM0014", "GM0344", "GM0014"]),  # repeated code, other provincie
        ("gemeente", "Utrecht", ["GM0344", "GM0014"]),  # GM0014 is not in Utrecht
        ("wijk", "Groningen", None),
        ("buurt", None, ["BU03440111", "BU00140000"]),
        ("gemeente", None, []),
    ],
)
def test_indicators_for_areas_are_the_rows_a_plain_filter_gives(level, provincie, codes):
    from doeagenda.data.core import _indicators_at

    whole = _indicators_at(level)
    keep = pd.Series(True, index=whole.index)
    if provincie is not None:
        keep &= whole["code"].isin(data.areas(level, provincie)["code"])
    if codes is not None:
        keep &= whole["code"].isin(codes)
    expected = whole[keep].reset_index(drop=True)
    got = data.indicators(level, provincie=provincie, codes=codes)
    pd.testing.assert_frame_equal(got, expected)
    assert codes == [] or len(got) > 0
