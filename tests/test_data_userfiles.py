"""A user's own indicator file: accepted layouts and every kind of bad input."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from doeagenda import data
from doeagenda.cli import app
from doeagenda.errors import DataError


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_long_csv_is_read_and_merges(tmp_path):
    path = write(
        tmp_path,
        "monitor.csv",
        "code,indicator,year,value,unit\nGM0344,eenzaam_pct,2022,47.5,%\nGM0307,eenzaam_pct,2022,.,%\n",
    )
    frame = data.read_indicator_file(path)
    assert list(frame.columns) == ["code", "indicator", "year", "value", "unit", "source", "note"]
    assert frame.loc[0, "value"] == 47.5
    assert pd.isna(frame.loc[1, "value"]) and frame.loc[1, "note"] != ""
    merged = pd.concat([data.indicators("gemeente", "Utrecht"), frame], ignore_index=True)
    wide = merged.pivot_table(index="code", columns="indicator", values="value", aggfunc="first")
    assert wide.loc["GM0344", "eenzaam_pct"] == 47.5


def test_wide_semicolon_decimal_comma(tmp_path):
    path = write(
        tmp_path,
        "ggd.csv",
        "code;jaar;Ernstig eenzaam (%);Mantelzorger (%)\nGM0344;2022;12,5;14\nGM0307;2022;10,1;15,2\n",
    )
    frame = data.read_indicator_file(path, source="GGD Gezondheidsmonitor 2022")
    assert set(frame["indicator"]) == {"ernstig_eenzaam", "mantelzorger"}
    value = frame.query("code == 'GM0344' and indicator == 'ernstig_eenzaam'")["value"].item()
    assert value == 12.5
    assert (frame["source"] == "GGD Gezondheidsmonitor 2022").all()


def test_wide_xlsx_without_year_needs_year(tmp_path):
    path = tmp_path / "eigen.xlsx"
    pd.DataFrame({"code": ["WK034401", "BU03440111"], "vrijwilligers_pct": [30.0, 28.0]}).to_excel(
        path, index=False
    )
    with pytest.raises(DataError, match="geen kolom 'year'"):
        data.read_indicator_file(path)
    frame = data.read_indicator_file(path, year=2023)
    assert (frame["year"] == 2023).all() and len(frame) == 2


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "unknown.csv",
            "code,indicator,year,value\nGM9999,x,2022,1\n",
            r"rij 2, kolom 'code': waarde 'GM9999'",
        ),
        (
            "misspelt.csv",
            "cdoe,indicator,year,value\nGM0344,x,2022,1\n",
            r"geen kolom 'code'.*'cdoe'",
        ),
        (
            "valeu.csv",
            "code,indicator,year,valeu\nGM0344,x,2022,1\n",
            r"'valeu'.*bedoelde u 'value'",
        ),
        (
            "text.csv",
            "code,indicator,year,value\nGM0344,x,2022,1\nGM0307,x,2022,veel\n",
            r"rij 3, kolom 'value': waarde 'veel', verwacht een getal",
        ),
        ("empty.csv", "", r"bestand is leeg"),
        ("header.csv", "code,indicator,year,value\n", r"geen rijen met gegevens"),
        ("delimiter.csv", "code|indicator|year|value\nGM0344|x|2022|1\n", r"maar één kolom"),
        (
            "duplicate.csv",
            "code,indicator,year,value\nGM0344,x,2022,1\nGM0344,x,2022,2\n",
            r"rij 3",
        ),
    ],
)
def test_bad_files_name_file_row_column_value(tmp_path, name, text, expected):
    path = write(tmp_path, name, text)
    with pytest.raises(DataError, match=expected) as info:
        data.read_indicator_file(path)
    assert name in str(info.value)


def test_unreadable_xlsx_and_missing_file(tmp_path):
    path = write(tmp_path, "kapot.xlsx", "this is not a workbook")
    with pytest.raises(DataError, match=r"kapot.xlsx: niet te lezen als Excel"):
        data.read_indicator_file(path)
    with pytest.raises(DataError, match="bestand niet gevonden"):
        data.read_indicator_file(tmp_path / "weg.csv")


def test_cli_check_one_line_error_exit_2(tmp_path):
    runner = CliRunner()
    bad = write(tmp_path, "bad.csv", "code,indicator,year,value\nGM0344,x,2022,veel\n")
    result = runner.invoke(app, ["data", "check", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("fout: ")
    assert "Traceback" not in result.output
    good = write(tmp_path, "good.csv", "code,indicator,year,value\nGM0344,x,2022,1\n")
    result = runner.invoke(app, ["data", "check", str(good)])
    assert result.exit_code == 0 and "OK: 1 waarden" in result.stdout


def test_cli_data_commands():
    runner = CliRunner()
    result = runner.invoke(
        app, ["data", "areas", "--level", "gemeente", "--provincie", "Utrecht", "--csv"]
    )
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 27  # header + 26 gemeenten
    result = runner.invoke(app, ["data", "show", "GM0344"])
    assert result.exit_code == 0 and "374238" in result.stdout.replace(".0", "")
    result = runner.invoke(app, ["data", "show", "GM9999"])
    assert result.exit_code == 2 and "onbekende gebiedscode 'GM9999'" in result.stderr
    result = runner.invoke(
        app, ["data", "indicators", "--provincie", "Utrecht", "--wide", "-i", "a_inw", "--csv"]
    )
    assert result.exit_code == 0 and "GM0344,374238.0" in result.stdout
    for command in ([], ["data"], ["data", "indicators"]):
        assert runner.invoke(app, [*command, "--help"]).exit_code == 0
