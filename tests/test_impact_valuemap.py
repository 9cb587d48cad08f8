"""Value-map validation, over-claiming warnings and the reference price table."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest
import yaml

from doeagenda.errors import ParameterError
from doeagenda.impact import (
    check_overclaiming,
    cpi_factor,
    default_discount_rate,
    load_price_table,
    load_value_map,
    prices,
    sroi,
    validate_outcomes,
)
from doeagenda.impact.prices import PARAMS_DIR


def good_rows() -> list[dict]:
    return [
        {
            "outcome": "a",
            "stakeholder": "ouderen",
            "quantity": 10,
            "proxy_value": 40.0,
            "duration": 2,
            "deadweight": 0.2,
            "attribution": 0.3,
            "displacement": 0.0,
            "drop_off": 0.1,
        },
        {
            "outcome": "b",
            "stakeholder": "gemeente",
            "quantity": 5,
            "proxy": "huisarts_consult",
            "duration": 1,
            "deadweight": 0.1,
            "attribution": 0.2,
            "displacement": 0.0,
            "drop_off": 0.0,
        },
    ]


@pytest.mark.parametrize(
    ("row", "column", "value", "pattern"),
    [
        (0, "deadweight", 1.2, r"rij 1 \(uitkomst 'a'\), kolom 'deadweight'.*1\.2"),
        (1, "attribution", -0.1, r"rij 2 \(uitkomst 'b'\), kolom 'attribution'"),
        (0, "quantity", -3, r"rij 1 \(uitkomst 'a'\), kolom 'quantity'"),
        (0, "proxy_value", -1.0, r"rij 1 \(uitkomst 'a'\), kolom 'proxy_value'"),
        (1, "duration", 0, r"rij 2 \(uitkomst 'b'\), kolom 'duration'"),
        (0, "duration", 1.5, r"rij 1 \(uitkomst 'a'\), kolom 'duration'.*geheel aantal"),
        (
            1,
            "proxy",
            "tandarts",
            r"rij 2 \(uitkomst 'b'\), kolom 'proxy'.*onbekende proxynaam.*tandarts",
        ),
    ],
)
def test_invalid_values_name_row_and_column(row, column, value, pattern):
    rows = good_rows()
    rows[row][column] = value
    with pytest.raises(ParameterError, match=pattern):
        validate_outcomes(pd.DataFrame(rows))


def test_missing_and_unknown_columns():
    frame = pd.DataFrame(good_rows()).drop(columns=["drop_off"])
    with pytest.raises(ParameterError, match=r"ontbrekende kolom\(men\) \['drop_off'\]"):
        validate_outcomes(frame)
    frame = pd.DataFrame(good_rows()).assign(deadwieght=0.1)
    with pytest.raises(ParameterError, match=r"onbekende kolom\(men\) \['deadwieght'\]"):
        validate_outcomes(frame)


def test_duplicate_outcomes_rejected():
    rows = good_rows()
    rows[1]["outcome"] = "a"
    with pytest.raises(ParameterError, match="uniek"):
        validate_outcomes(pd.DataFrame(rows))


def test_named_proxy_is_indexed_and_sourced():
    frame = validate_outcomes(pd.DataFrame(good_rows()), price_year=2024)
    row = frame.set_index("outcome").loc["b"]
    assert row["proxy_value"] == pytest.approx(30.87 * cpi_factor(2022, 2024))
    assert "Kostenhandleiding" in row["proxy_source"]
    assert not row["aanname"]
    # a row without a source counts as an assumption
    assert frame.set_index("outcome").loc["a", "aanname"]


def test_overclaiming_warning(caplog):
    rows = good_rows()
    for row in rows:
        row["deadweight"] = 0.0
        row["attribution"] = 0.0
    frame = validate_outcomes(pd.DataFrame(rows))
    with caplog.at_level(logging.WARNING, logger="doeagenda.impact.valuemap"):
        messages = check_overclaiming(frame)
    assert any("Overclaiming" in m for m in messages)
    assert "Overclaiming" in caplog.text
    result = sroi(pd.DataFrame(rows), 100.0)
    assert any("Overclaiming" in m for m in result.warnings)
    # a credible map does not trigger it
    assert not any(
        "Overclaiming" in m
        for m in check_overclaiming(validate_outcomes(pd.DataFrame(good_rows())))
    )


def test_every_price_has_a_source_or_is_an_assumption():
    table = load_price_table()
    assert table["bron"].str.len().gt(0).all()
    assert table["prijsjaar"].between(2000, 2030).all()
    assert (table["waarde"] > 0).all()
    published = table[~table["aanname"]]
    assert len(published) >= 6
    for name in (
        "huisarts_consult",
        "huisarts_visite",
        "seh_bezoek",
        "mantelzorg_uur",
        "verpleeghuis_dag",
        "vrijwilligersuur",
        "wmo_begeleiding_uur",
    ):
        assert name in table.index
    assert set(table.loc[table["aanname"], "bron"]) == {"aanname"}


def test_cpi_indexation_and_discount_rate():
    assert cpi_factor(2020, 2020) == 1.0
    # CBS inflation 2022 (CPI) was 10.0%
    assert cpi_factor(2021, 2022) == pytest.approx(1.10, abs=0.002)
    assert cpi_factor(2014, 2024) * cpi_factor(2024, 2014) == pytest.approx(1.0)
    table = prices(2020)
    assert table.loc["huisarts_visite", "waarde_geindexeerd"] == pytest.approx(
        43.31 * cpi_factor(2022, 2020)
    )
    assert table.loc["huisarts_consult", "waarde_geindexeerd"] == pytest.approx(
        30.87 * cpi_factor(2022, 2020)
    )
    assert default_discount_rate() == pytest.approx(0.0225)
    with pytest.raises(ParameterError, match="geen CPI-waarde voor prijsjaar 1990"):
        cpi_factor(1990, 2024)


def test_voorbeeld_maps_load_and_are_labelled():
    for name in ("voorbeeld_maaltijden_ouderen", "voorbeeld_buurtcooperatie"):
        value_map = load_value_map(name)
        assert value_map.example
        assert "voorbeeld" in value_map.name.lower()
        assert value_map.distributions
        assert len(value_map.outcomes) >= 5
        assert not any("Overclaiming" in w for w in value_map.warnings)
        table = value_map.table()
        assert "AANNAME" in set(table["bron prijs"])
        assert value_map.investment["amount"].sum() > 0


def write_map(tmp_path: Path, change) -> Path:
    raw = yaml.safe_load((PARAMS_DIR / "voorbeeld_maaltijden_ouderen.yaml").read_text("utf-8"))
    raw.pop("verdelingen")
    change(raw)
    path = tmp_path / "kaart.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_yaml_errors_name_file_row_and_column(tmp_path):
    def bad_fraction(raw):
        raw["outcomes"][2]["displacement"] = 2

    path = write_map(tmp_path, bad_fraction)
    with pytest.raises(
        ParameterError,
        match=r"kaart\.yaml.*rij 3 \(uitkomst 'uitgestelde_verpleeghuisopname'\), kolom 'displacement'",
    ):
        load_value_map(path)

    def unknown_key(raw):
        raw["investeringen"] = 5

    with pytest.raises(ParameterError, match="investeringen"):
        load_value_map(write_map(tmp_path, unknown_key))

    with pytest.raises(ParameterError, match="niet gevonden"):
        load_value_map(tmp_path / "bestaat_niet.yaml")


def test_validated_table_can_be_passed_back_to_sroi():
    from doeagenda.impact import load_value_map, sroi

    value_map = load_value_map("voorbeeld_buurtcooperatie")
    direct = sroi(value_map, value_map.investment).ratio
    again = sroi(value_map.outcomes, value_map.investment).ratio
    assert again == pytest.approx(direct)
