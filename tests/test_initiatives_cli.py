"""``doeagenda initiatieven check|summary`` via CliRunner."""

from __future__ import annotations

from typer.testing import CliRunner

from doeagenda.cli import app

runner = CliRunner()


def test_check_ok():
    result = runner.invoke(app, ["initiatieven", "check", "voorbeeld"])
    assert result.exit_code == 0
    assert result.output.strip() == "OK: 300 initiatieven"


def test_check_lists_every_problem_and_exits_1(tmp_path):
    path = tmp_path / "fout.csv"
    path.write_text(
        "id,naam,gemeente_code,domein,startdatum\n"
        "1,A,GM0344,welzjn,2020-01-01\n"
        "1,B,GM9999,zorg,31-31-2020\n"
    )
    result = runner.invoke(app, ["initiatieven", "check", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("- ")]
    assert len(lines) == 4
    assert "4 problemen gevonden" in result.output
    assert "rij 2, kolom domein" in result.output and "bedoelt u 'welzijn'?" in result.output
    assert "rij 3, kolom id" in result.output
    assert "rij 3, kolom gemeente_code" in result.output
    assert "rij 3, kolom startdatum" in result.output


def test_unreadable_file_is_one_line_and_exit_2(tmp_path):
    result = runner.invoke(app, ["initiatieven", "check", str(tmp_path / "nergens.csv")])
    assert result.exit_code == 2
    assert result.output.startswith("fout: ") or "fout: " in (result.stderr or "")


def test_summary_for_a_gemeente():
    result = runner.invoke(app, ["initiatieven", "summary", "voorbeeld", "--gemeente", "GM0344"])
    assert result.exit_code == 0, result.output
    assert "Het register telt 300 initiatieven" in result.output
    assert "In Utrecht lopen" in result.output
    assert "hazard ratio per extra financier" in result.output


def test_summary_bad_gemeente_is_a_friendly_error():
    result = runner.invoke(app, ["initiatieven", "summary", "voorbeeld", "--gemeente", "GM9999"])
    assert result.exit_code == 2
    assert "GM9999" in result.output + (result.stderr or "")


def test_help_texts():
    for args in (["initiatieven", "--help"], ["initiatieven", "check", "--help"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0
        assert "REGISTER" in result.output or "register" in result.output


def test_check_xlsx_sheet_option(tmp_path):
    import openpyxl

    path = tmp_path / "r.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Oud"
    book.active.append(["id", "naam", "gemeente_code", "domein", "startdatum"])
    book.active.append([1, "A", "GM0344", "zorg", "2020-01-01"])
    new = book.create_sheet("Nieuw")
    new.append(["id", "naam", "gemeente_code", "domein", "startdatum"])
    new.append([1, "A", "GM0344", "zorg", "2020-01-01"])
    new.append([2, "B", "GM0355", "wonen", "2021-01-01"])
    book.save(path)
    result = runner.invoke(app, ["initiatieven", "check", str(path)])
    assert result.exit_code == 2
    assert "Oud, Nieuw" in result.output + (result.stderr or "")
    result = runner.invoke(app, ["initiatieven", "check", str(path), "--sheet", "Nieuw"])
    assert result.exit_code == 0
    assert result.output.strip() == "OK: 2 initiatieven"


def _one_error_line(result) -> str:
    text = result.output  # click's runner mixes stderr into output
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert lines[0].startswith("fout: ")
    return lines[0]


def test_binary_file_is_one_line_naming_the_file(tmp_path):
    # fuzz finding: undecodable bytes used to raise UnboundLocalError in the CSV reader
    path = tmp_path / "register.csv"
    path.write_bytes(bytes(range(256)) * 8)
    result = runner.invoke(app, ["initiatieven", "check", str(path)])
    assert result.exit_code == 2
    assert "register.csv" in _one_error_line(result)


def test_bytes_undecodable_as_utf8_and_cp1252_are_one_line(tmp_path):
    # 0x81 is undefined in Windows-1252 and invalid UTF-8 (no NUL byte, so not "binary")
    path = tmp_path / "kapot.csv"
    path.write_bytes(
        b"id,naam,gemeente_code,domein,startdatum\n1,\x81\x8d,GM0344,welzijn,2020-01-01\n"
    )
    result = runner.invoke(app, ["initiatieven", "check", str(path)])
    assert result.exit_code == 2
    assert "kapot.csv" in _one_error_line(result)
