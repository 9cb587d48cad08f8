"""Register format: reading CSV/XLSX, validation reporting every problem at once."""

from __future__ import annotations

import textwrap

import openpyxl
import pandas as pd
import pytest

from doeagenda.errors import DataError
from doeagenda.initiatives import check_register, load_register

HEADER = (
    "id,naam,gemeente_code,wijk_code,domein,thema,doelgroep,startdatum,einddatum,status,"
    "vrijwilligers,deelnemers,begroting_per_jaar,aandeel_gemeente,financiers,partners,"
    "contactpersoon"
)

# One row per kind of error; the comment gives the row number as a spreadsheet shows it.
BAD_ROWS = [
    # 2: valid
    "A1,Buurtkamer,GM0344,WK034401,welzijn,ontmoeting,ouderen,2019-03-01,,actief,5,40,"
    '"1000",50,"gemeente; fonds","Gemeente Utrecht (gemeente); Fonds X (fonds)",Jan Jansen',
    # 3: duplicate id
    "A1,Tweede,GM0344,,wonen,,,2019-03-01,,,,,,,,,Piet",
    # 4: unknown gemeente code (suggestion GM0344)
    "A3,Moestuin,GM0345X,,groen,,,2019-03-01,,,,,,,,,",
    # 5: unknown but well-formed gemeente code
    "A4,Moestuin 2,GM9999,,groen,,,2019-03-01,,,,,,,,,",
    # 6: unknown wijk code
    "A5,Buurtbus,GM0344,WK999999,mobiliteit,,,2019-03-01,,,,,,,,,",
    # 7: wijk of another gemeente (WK030701 lies in Amersfoort)
    "A6,Buurtbus 2,GM0344,WK030701,mobiliteit,,,2019-03-01,,,,,,,,,",
    # 8: unknown domain with suggestion
    "A7,Koor,GM0344,,welzjn,,,2019-03-01,,,,,,,,,",
    # 9: unreadable dates (start) and a year only (end)
    "A8,Taalcafe,GM0344,,onderwijs,,,32-13-2020,2021,gestopt,,,,,,,",
    # 10: end before start
    "A9,Repaircafe,GM0344,,voedsel,,,2020-05-01,2019-05-01,gestopt,,,,,,,",
    # 11: negative numbers and text in a number column
    "A10,Klusbus,GM0344,,werk,,,2020-05-01,,,-3,veel,-100,,,,",
    # 12: lists with the wrong separator
    'A11,Zonnedak,GM0344,,energie,,,2020-05-01,,,,,,,"gemeente, fonds",'
    '"Gemeente Utrecht (gemeente), Fonds X (fonds)",',
    # 13: unknown funder (suggestion), partner without type, unknown partner type
    'A12,Wandelgroep,GM0344,,sport,,,2020-05-01,,,,,,,gemeetne,"Buurthuis; X (wonig)",',
    # 14: status gestopt without einddatum; unknown target group
    "A13,Buurtpreventie,GM0344,,veiligheid,,oudren,2020-05-01,,gestopt,,,,,,,",
    # 15: einddatum but status actief
    "A14,Voedseltafel,GM0344,,voedsel,,,2020-05-01,2021-05-01,actief,,,,,,,",
    # 16: empty required naam; e-mail address in thema
    "A15,,GM0344,,zorg,mail info@example.org,,2020-05-01,,,,,,,,,",
    # 17: share above 100 % and a fraction of a volunteer
    "A16,Kookclub,GM0344,,voedsel,,,2020-05-01,,,2.5,,,150,gemeente,,",
    # 18: too many fields (a list with ';' not quoted in a ';'-free CSV is fine, but
    #     an unquoted ',' inside partners adds fields)
    "A17,Pluktuin,GM0344,,groen,,,2020-05-01,,,,,,,,Gemeente Utrecht (gemeente),x,extra,more",
    # 19: unknown status with suggestion; share without gemeente as funder
    "A18,Buurtfeest,GM0344,,ontmoeting,,,2020-05-01,,actif,,,,30,fonds,,",
]


@pytest.fixture
def bad_register(tmp_path):
    path = tmp_path / "fouten.csv"
    path.write_text("\n".join([HEADER, *BAD_ROWS]) + "\n", encoding="utf-8")
    return path


def _problems(path):
    frame = check_register(path).to_frame()
    return {(int(r.rij) if pd.notna(r.rij) else None, r.kolom): r for r in frame.itertuples()}


def test_every_kind_of_error_is_reported_at_once(bad_register):
    result = check_register(bad_register)
    assert not result.ok
    found = _problems(bad_register)
    expected = {
        (3, "id"),
        (4, "gemeente_code"),
        (5, "gemeente_code"),
        (6, "wijk_code"),
        (7, "wijk_code"),
        (8, "domein"),
        (9, "startdatum"),
        (9, "einddatum"),
        (10, "einddatum"),
        (11, "vrijwilligers"),
        (11, "deelnemers"),
        (11, "begroting_per_jaar"),
        (12, "financiers"),
        (12, "partners"),
        (13, "financiers"),
        (13, "partners"),
        (14, "einddatum"),
        (14, "doelgroep"),
        (15, "status"),
        (16, "naam"),
        (16, "thema"),
        (17, "aandeel_gemeente"),
        (17, "vrijwilligers"),
        (18, ""),
        (19, "status"),
        (19, "aandeel_gemeente"),
    }
    assert expected <= set(found), expected - set(found)
    # the valid row has no problem at all
    assert not [k for k in found if k[0] == 2]
    # every problem names what was expected
    assert all(p.expected for p in result.problems)


def test_problem_details_and_suggestions(bad_register):
    found = _problems(bad_register)
    assert found[(3, "id")].probleem.startswith("dubbele id (ook in rij 2)")
    assert found[(8, "domein")].suggestie == "welzijn"
    assert found[(8, "domein")].waarde == "welzjn"
    assert found[(14, "doelgroep")].suggestie == "ouderen"
    assert found[(13, "financiers")].suggestie == "gemeente"
    assert found[(19, "status")].suggestie == "actief"
    assert found[(4, "gemeente_code")].waarde == "GM0345X"
    assert "ligt in GM0307" in found[(7, "wijk_code")].probleem
    assert "2021-07-01" in found[(9, "einddatum")].verwacht
    assert "scheidingsteken" in found[(12, "financiers")].probleem
    assert "scheidingsteken" in found[(12, "partners")].probleem
    # personal data in a free-text cell is reported but not shown
    assert "example.org" not in found[(16, "thema")].waarde
    text = check_register(bad_register).text()
    assert "example.org" not in text
    assert "rij 8, kolom domein" in text and "bedoelt u 'welzijn'?" in text


def test_load_register_raises_with_the_full_list(bad_register):
    with pytest.raises(DataError) as info:
        load_register(bad_register)
    message = str(info.value)
    assert "rij 3, kolom id" in message and "rij 19, kolom status" in message


def test_missing_required_column_with_suggestion(tmp_path):
    path = tmp_path / "kolom.csv"
    path.write_text("id,naam,gemeentecode,domein,startdatum\n1,X,GM0344,zorg,2020-01-01\n")
    problems = check_register(path).problems
    assert [(p.row, p.column, p.suggestion) for p in problems] == [
        (None, "gemeente_code", "gemeentecode")
    ]


def test_semicolon_csv_with_decimal_commas(tmp_path):
    path = tmp_path / "puntkomma.csv"
    path.write_text(
        textwrap.dedent(
            """\
            id;naam;gemeente_code;domein;startdatum;einddatum;begroting_per_jaar;aandeel_gemeente;financiers;partners
            1;Buurtkamer;GM0344;welzijn;01-03-2019;;1.234,50;37,5;"gemeente; fonds";"Gemeente Utrecht (gemeente); Fonds X (fonds)"
            2;Moestuin;GM0307;groen;15-06-2018;01-02-2022;800;0;fonds;
            """
        ),
        encoding="cp1252",
    )
    reg = load_register(path)
    assert len(reg) == 2
    assert reg.loc[0, "begroting_per_jaar"] == pytest.approx(1234.5)
    assert reg.loc[0, "aandeel_gemeente"] == pytest.approx(37.5)
    assert reg.loc[0, "financiers"] == ("gemeente", "fonds")
    assert reg.loc[0, "partners"] == ("Gemeente Utrecht", "Fonds X")
    assert reg.loc[0, "startdatum"] == pd.Timestamp("2019-03-01")
    assert reg.loc[1, "status"] == "gestopt"  # derived from einddatum
    assert reg.loc[0, "status"] == "actief"


def _write_book(path, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)


def test_xlsx_with_data_on_another_sheet(tmp_path):
    import datetime as dt

    path = tmp_path / "register.xlsx"
    _write_book(
        path,
        {
            "Toelichting": [["Dit is het register van 2025"], ["Zie tabblad Register"]],
            "Register": [
                ["Register bewonersinitiatieven"],
                [
                    "id",
                    "naam",
                    "gemeente_code",
                    "domein",
                    "startdatum",
                    "vrijwilligers",
                    "aandeel_gemeente",
                    "begroting_per_jaar",
                ],
                [1, "Buurtkamer", "GM0344", "Welzijn", dt.datetime(2019, 3, 1), 12, 1.234, 1234.5],
                [2, "Pluktuin", "GM0355", "groen", "2020-04-01", 3.0, 37.5, "1.234,50"],
            ],
        },
    )
    result = check_register(path)
    assert result.ok, result.text()
    assert result.sheet == "Register"
    reg = result.register
    assert list(reg["id"]) == ["1", "2"]
    assert list(reg["_rij"]) == [3, 4]  # rows as Excel shows them
    assert reg.loc[0, "domein"] == "welzijn"
    assert reg.loc[0, "startdatum"] == pd.Timestamp("2019-03-01")
    assert reg.loc[1, "vrijwilligers"] == 3
    # native numbers keep their value; text with a decimal comma is read the Dutch way
    assert reg.loc[0, "aandeel_gemeente"] == pytest.approx(1.234)
    assert reg.loc[0, "begroting_per_jaar"] == pytest.approx(1234.5)
    assert reg.loc[1, "aandeel_gemeente"] == pytest.approx(37.5)
    assert reg.loc[1, "begroting_per_jaar"] == pytest.approx(1234.5)


def test_xlsx_without_register_sheet_names_the_sheets(tmp_path):
    path = tmp_path / "leeg.xlsx"
    _write_book(path, {"Blad1": [["a", "b"]], "Overzicht": [["x"]]})
    with pytest.raises(DataError, match="Blad1, Overzicht"):
        check_register(path)
    with pytest.raises(DataError, match="tabblad 'Data' bestaat niet; tabbladen in dit bestand"):
        check_register(path, sheet="Data")


def test_empty_register(tmp_path):
    empty = tmp_path / "leeg.csv"
    empty.write_text("")
    result = check_register(empty)
    assert not result.ok and "leeg" in result.problems[0].problem
    only_header = tmp_path / "kop.csv"
    only_header.write_text(HEADER + "\n")
    result = check_register(only_header)
    assert [p.problem for p in result.problems] == ["het register bevat geen initiatieven"]
    with pytest.raises(DataError, match="geen initiatieven"):
        load_register(only_header)


def test_unreadable_or_missing_files(tmp_path):
    with pytest.raises(DataError, match="bestaat niet"):
        check_register(tmp_path / "nergens.csv")
    other = tmp_path / "register.json"
    other.write_text("{}")
    with pytest.raises(DataError, match="onbekend bestandstype"):
        check_register(other)
    broken = tmp_path / "kapot.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(DataError, match="kan niet worden gelezen"):
        check_register(broken)


def test_hand_written_register_from_the_documentation(tmp_path):
    """The example in docs/register.md, typed by hand, loads without problems."""
    path = tmp_path / "mijn_register.csv"
    path.write_text(
        textwrap.dedent(
            """\
            id,naam,gemeente_code,wijk_code,domein,thema,doelgroep,startdatum,einddatum,status,vrijwilligers,deelnemers,begroting_per_jaar,aandeel_gemeente,financiers,partners,contactpersoon
            Z001,Buurtkamer De Linde,GM0355,,ontmoeting,koffieochtend,ouderen,2018-09-01,,actief,12,80,4500,60,gemeente; fonds,Gemeente Zeist (gemeente); Welzijn Zeist (welzijnsorganisatie),Anna de Vries
            Z002,Repaircafé Noord,GM0355,,voedsel,repaircafé,iedereen,2016-03-15,2023-12-31,gestopt,6,,900,100,gemeente,,Bram Bos
            """
        ),
        encoding="utf-8",
    )
    reg = load_register(path)
    assert len(reg) == 2
    assert "contactpersoon" not in reg.columns
    assert not reg.astype(str).apply(lambda c: c.str.contains("Anna|Bram")).any().any()


def test_analyses_on_a_small_hand_written_register(tmp_path):
    """Too little data for a model gives plain-Dutch sentences, not a crash."""
    from doeagenda.initiatives import summary

    path = tmp_path / "klein.csv"
    path.write_text(
        "id,naam,gemeente_code,domein,startdatum,einddatum,financiers,partners\n"
        "1,Buurtkamer,GM0355,ontmoeting,2018-09-01,,gemeente,Welzijn Zeist (welzijnsorganisatie)\n"
        "2,Repaircafe,GM0355,voedsel,2016-03-15,2023-12-31,,\n"
        "3,Moestuin,GM0307,groen,2019-04-01,,fonds; gemeente,\n",
        encoding="utf-8",
    )
    result = summary(str(path), "GM0355", peildatum="2025-01-01")
    text = result.text()
    assert "Het register telt 3 initiatieven; 1 daarvan zijn gestopt" in text
    # one stop: Kaplan-Meier runs (one profile group each), the Cox model says what it needs
    assert "het vraagt minstens 5 gestopte initiatieven" in text and "heeft er 1" in text
    assert "Welzijn Zeist" in text


def test_a_plain_table_is_validated_like_a_file():
    from doeagenda.initiatives import as_register, kaplan_meier

    table = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "naam": ["A", "B", "C"],
            "gemeente_code": ["GM0344", "GM0344", "GM0307"],
            "domein": ["zorg", "wonen", "groen"],
            "startdatum": pd.to_datetime(["2019-01-01", "2020-01-01", "2021-01-01"]),
            "einddatum": [None, "2022-01-01", None],
            "vrijwilligers": [3.0, None, 12.0],
            "contactpersoon": ["X", "Y", "Z"],
        }
    )
    reg = as_register(table)
    assert list(reg["id"]) == ["1", "2", "3"]
    assert reg.loc[1, "status"] == "gestopt"
    assert reg.loc[2, "vrijwilligers"] == 12
    assert "contactpersoon" not in reg.columns
    assert kaplan_meier(table, peildatum="2024-01-01").groups["n"].sum() == 3
    with pytest.raises(DataError, match="rij 4, kolom domein"):
        as_register(table.assign(domein=["zorg", "wonen", "groenn"]))


def test_semicolon_csv_with_a_title_line_above_the_header(tmp_path):
    path = tmp_path / "titel.csv"
    path.write_text(
        "Register bewonersinitiatieven gemeente Zeist\n"
        "id;naam;gemeente_code;domein;startdatum;begroting_per_jaar\n"
        "1;Buurtkamer;GM0355;welzijn;2019-03-01;2.500,75\n",
        encoding="utf-8",
    )
    reg = load_register(path)
    assert reg.loc[0, "begroting_per_jaar"] == pytest.approx(2500.75)
    assert reg.loc[0, "_rij"] == 3


def test_an_unchanged_file_is_checked_once_and_an_edited_one_again(tmp_path, monkeypatch):
    from doeagenda.initiatives import register as register_module
    from doeagenda.initiatives.columns import VOORBEELD, register_path

    path = tmp_path / "register.csv"
    lines = register_path(VOORBEELD).read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:6]), encoding="utf-8")
    calls = []
    real = register_module.check_frame
    monkeypatch.setattr(
        register_module, "check_frame", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    first = check_register(path)
    assert first.ok and len(first.register) == 5
    first.register.loc[:, "naam"] = "veranderd door de gebruiker"  # a caller's own copy
    second = check_register(path)
    assert len(calls) == 1  # read and checked once
    assert "veranderd door de gebruiker" not in set(second.register["naam"])
    pd.testing.assert_frame_equal(second.register, load_register(path))

    header, *rows = lines[:6]
    path.write_text(header + rows[0].replace("GM0", "GX0", 1) + "".join(rows[1:]), encoding="utf-8")
    third = check_register(path)
    assert len(calls) == 2  # the edited file is checked again
    assert not third.ok and any(p.column == "gemeente_code" for p in third.problems)
