"""RIVM 50090NED health estimates: extract, ids, indeling match, wijk boundaries.

Reference values are the figures read by hand from the raw Excel files and written down in
``shared/data/PROVENANCE.md`` ("Checked here"), not values produced by the package.
The raw files live outside the repository: ``$DOEAGENDA_SHARED_DATA`` or
``<repo>/../shared/data``; the tests that need them skip when neither exists.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from doeagenda import data
from doeagenda.data import rivm
from doeagenda.data.io import raw_file
from doeagenda.errors import AreaCodeError

REPO = Path(__file__).resolve().parents[1]

# sha256 of the raw files, copied from shared/data/PROVENANCE.md (section rivm/, Checksums).
RAW_SHA256 = {
    "2012_18+.xlsx": "f7a97203f8005a20103d394ac457b49d65e8b4b0563f7ac980e04a316bebe0fb",
    "2012_18_65.xlsx": "1df9ad01bcdbad278f81ed5466597fe6340bf4660630be1d1a0c78fee405ceb4",
    "2012_65+.xlsx": "dc36636e28812128dd70d21a00069fc20c24998f307c9a17957a5381c3a680f7",
    "2016_18+.xlsx": "9497c762459f59fb82b09f1d3c615f99ab6df8b981552ef8af94fc0eb32dcb79",
    "2016_18_65.xlsx": "bc5a86e7b005ed116bd73f7f01345fe7756302dbe10caae83374605cb112c388",
    "2016_65+.xlsx": "ea4e70f0abedbba4d66740e64de735d981d2705fa101418100877e9dbb258c8e",
    "RIVM_gezondheid2020_18+.xlsx": "caa2d8aa7006401126b90e970f25e0e5a78c0baef047d0e71fdd1d5286a0d4ad",
    "RIVM_gezondheid2020_65+.xlsx": "39d74c4594ddedc2978587d86d626fd34d24c437ee6a5a9d9c37b65a8aace6fe",
}
WIJK_GEOJSON_SHA256 = "475cde506f94f4438875ef3bb1540411280e7de2a8bae7ac50f429a783222379"


def _shared_rivm_dir() -> Path:
    base = os.environ.get("DOEAGENDA_SHARED_DATA")
    shared = Path(base) if base else REPO.parent / "shared" / "data"
    source = shared / rivm.RIVM_SOURCE_DIR
    if not source.is_dir():
        pytest.skip(
            f"raw RIVM files not found at {source}; set DOEAGENDA_SHARED_DATA to the "
            "shared/data folder (CI places shared/ beside the clone)"
        )
    return source


@pytest.fixture(scope="module")
def extract() -> pd.DataFrame:
    with raw_file(rivm.EXTRACT_FILE).open("rb") as handle:
        return rivm.read_extract(handle)


def test_raw_files_match_provenance_checksums():
    source = _shared_rivm_dir()
    for name, expected in RAW_SHA256.items():
        assert hashlib.sha256((source / name).read_bytes()).hexdigest() == expected, name


@pytest.mark.slow
def test_shipped_extract_equals_fresh_extraction_from_xlsx(extract):
    fresh = rivm.extract_rivm(_shared_rivm_dir())
    pd.testing.assert_frame_equal(extract, fresh)
    # the shipped bytes are exactly what the extraction writes (reproducible gzip)
    assert raw_file(rivm.EXTRACT_FILE).read_bytes() == rivm.extract_bytes(fresh)


def test_extract_shape_matches_provenance(extract):
    # 8 files of 17,341 rows: 1 Land, 355 gemeenten, 3,177 wijken, 13,808 buurten (indeling 2020)
    assert len(extract) == 8 * 17341
    sizes = extract.groupby(["year", "age"]).size()
    assert set(sizes) == {17341}
    one = extract[(extract["year"] == "2020") & (extract["age"] == "18plus")]
    assert one["code"].str[:2].value_counts().to_dict() == {
        "BU": 13808,
        "WK": 3177,
        "GM": 355,
        "NL": 1,
    }
    assert list(extract.columns) == ["code", "year", "age", *rivm.RIVM_NAMES]


def test_binding_ids_in_dictionary_with_estimate_flag():
    names = [
        "ervaren_gezondheid_goed", "beweegrichtlijn", "overgewicht", "beperkt_gezondheid",
        "angst_depressie_risico", "eenzaam", "ernstig_eenzaam", "emotioneel_eenzaam",
        "sociaal_eenzaam", "mantelzorger", "vrijwilligerswerk", "moeite_rondkomen",
    ]  # fmt: skip
    expected = {f"rivm_{n}_{a}" for n in names for a in ("18plus", "18_64", "65plus")}
    table = data.dictionary().set_index("indicator")
    rows = table[table.index.str.startswith("rivm_") & ~table.index.str.startswith("rivm_jv_")]
    assert set(rows.index) == expected
    assert rows["estimate"].all()
    assert not table.loc["a_inw", "estimate"]
    assert set(rows["unit"]) == {"%"}
    assert rows.at["rivm_eenzaam_18plus", "direction"] == -1.0
    assert rows.at["rivm_ervaren_gezondheid_goed_65plus", "direction"] == 1.0
    assert rows.at["rivm_vrijwilligerswerk_18plus", "direction"] == 1.0
    assert rows["source"].str.contains("RIVM").all()
    assert rows.at["rivm_eenzaam_18plus", "years"] == "2012, 2016, 2020"
    assert rows.at["rivm_eenzaam_18_64", "years"] == "2012, 2016"  # no 18-64 file for 2020
    assert rows.at["rivm_vrijwilligerswerk_18plus", "years"] == "2016, 2020"
    assert rows.at["rivm_beperkt_gezondheid_18plus", "years"] == "2020"
    assert rows.at["rivm_eenzaam_18plus", "levels"] == "land, gemeente, wijk, buurt"
    assert "Eenzaam" in rows.at["rivm_eenzaam_18plus", "label_nl"]


def test_checked_values_gemeente_utrecht_and_nl():
    long = data.indicators(level="gemeente", provincie="Utrecht")
    utrecht = long[long["code"] == "GM0344"].pivot(
        index="year", columns="indicator", values="value"
    )
    # shared/data/PROVENANCE.md, "Checked here" (18+, %)
    assert utrecht.at[2020, "rivm_eenzaam_18plus"] == 48.9
    expected = {
        "rivm_ervaren_gezondheid_goed_18plus": (78.3, 77.0, 80.8),
        "rivm_eenzaam_18plus": (39.9, 42.5, 48.9),
        "rivm_mantelzorger_18plus": (9.5, 10.3, 9.9),
        "rivm_angst_depressie_risico_18plus": (7.6, 8.1, 7.7),
    }
    for indicator, values in expected.items():
        assert tuple(utrecht.loc[[2012, 2016, 2020], indicator]) == values, indicator
    assert tuple(utrecht.loc[[2016, 2020], "rivm_vrijwilligerswerk_18plus"]) == (26.7, 23.2)
    # vrijwilligerswerk was not asked in 2012: no row at all, not a missing value
    vrijwilligers = long[long["indicator"] == "rivm_vrijwilligerswerk_18plus"]
    assert 2012 not in set(vrijwilligers["year"])
    land = data.indicators(level="land", year=2020, wide=True)
    assert land.at["NL00", "rivm_eenzaam_18plus"] == 47.0
    assert land.at["NL00", "rivm_ernstig_eenzaam_18plus"] == 11.2
    row = long[(long["code"] == "GM0344") & (long["indicator"] == "rivm_eenzaam_18plus")].iloc[0]
    assert row["unit"] == "%"
    assert "RIVM" in row["source"]


def test_extract_values_are_the_raw_text(extract):
    # first data rows of 2012_18+.xlsx (NL01) and RIVM_gezondheid2020_65+.xlsx (GM1680, Aa en Hunze)
    nl = extract[
        (extract["code"] == "NL01") & (extract["year"] == "2012") & (extract["age"] == "18plus")
    ]
    assert nl.iloc[0]["ervaren_gezondheid_goed"] == "76.1"
    assert nl.iloc[0]["beweegrichtlijn"] == ""  # not in the 2012 round
    aa = extract[
        (extract["code"] == "GM1680") & (extract["year"] == "2020") & (extract["age"] == "65plus")
    ]
    assert aa.iloc[0]["eenzaam"] == "46.6"
    assert aa.iloc[0]["moeite_rondkomen"] == "5.3"


def test_indeling_match_counts_provincie_utrecht(extract):
    wijken = data.rivm_coverage("wijk", provincie="Utrecht")
    buurten = data.rivm_coverage("buurt", provincie="Utrecht")
    gemeenten = data.rivm_coverage("gemeente", provincie="Utrecht")
    assert (len(wijken), int(wijken["has_rivm"].sum())) == (222, 190)
    assert (len(buurten), int(buurten["has_rivm"].sum())) == (970, 817)
    assert (len(gemeenten), int(gemeenten["has_rivm"].sum())) == (26, 26)
    # gemeenten: 355 codes in RIVM's 2020 table against 342 in 2024; 337 codes are in both
    codes_2020 = set(extract.loc[extract["code"].str.startswith("GM"), "code"])
    codes_2024 = set(data.areas("gemeente")["code"])
    assert (len(codes_2020), len(codes_2024), len(codes_2020 & codes_2024)) == (355, 342, 337)
    # the 2020 wijken of Utrecht's gemeenten that are gone in 2024 (192 in RIVM, 190 kept)
    utrecht_gm = set(data.areas("gemeente", provincie="Utrecht")["code"])
    wk_2020 = {c for c in extract["code"] if c.startswith("WK") and "GM" + c[2:6] in utrecht_gm}
    assert sorted(wk_2020 - set(wijken["code"])) == ["WK030723", "WK196100"]
    unmatched = wijken[~wijken["has_rivm"]]
    assert set(unmatched["note"]) == {"geen gegevens (indeling gewijzigd na 2020)"}
    assert set(unmatched["gemeente_code"]) == {"GM0307", "GM1961"}  # Amersfoort, Vijfheerenlanden


def test_no_value_for_areas_without_2020_code():
    # WK196111 (Vijfheerenlanden) is new since 2020: no RIVM row, never a copied value
    assert not data.has_rivm("WK196111")
    assert data.has_rivm("WK034401")
    assert data.has_rivm("NL00")
    wide = data.indicators(level="wijk", provincie="Utrecht", year=2020, wide=True)
    health = wide[[c for c in wide.columns if c.startswith("rivm_")]].dropna(how="all")
    assert "WK196111" not in health.index
    assert len(health) == 190
    # the wijk is in the 2020 table for its Leefbaarometer figures only
    assert wide.loc["WK196111", [c for c in wide.columns if c.startswith("lbm_")]].notna().all()
    long = data.indicators(level="wijk", codes=["WK196111"])
    assert not long["indicator"].str.startswith("rivm_").any()
    with pytest.raises(AreaCodeError, match="WK999999"):
        data.has_rivm("WK999999")


def test_unmatched_2020_codes_are_not_in_the_indicators():
    # WK030723 existed in RIVM's 2020 indeling but not in 2024: its values are dropped
    buurt = data.indicators(level="wijk")
    assert "WK030723" not in set(buurt["code"])


def test_wijk_boundaries_provincie_utrecht():
    geo = data.boundaries("wijk", provincie="Utrecht")
    codes = {f["properties"]["code"] for f in geo["features"]}
    assert codes == set(data.areas("wijk", "Utrecht")["code"])
    first = geo["features"][0]["properties"]
    assert set(first) == {"code", "name", "provincie", "grensjaar", "gemeente_code"}
    assert first["grensjaar"] == 2024
    west = next(f for f in geo["features"] if f["properties"]["code"] == "WK034401")
    assert west["properties"]["gemeente_code"] == "GM0344"
    # the shipped file is the byte copy named in PROVENANCE, with 224 Utrecht features:
    # the two extra are "Groot water" wijken that KWB 2024 does not list
    raw = raw_file(data.api.WIJK_BOUNDARY_FILE).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == WIJK_GEOJSON_SHA256
    features = json.loads(raw)["features"]
    utrecht_gm = set(data.areas("gemeente", "Utrecht")["code"])
    in_file = {
        f["properties"]["wijkcode"]
        for f in features
        if f["properties"]["gemeentecode"] in utrecht_gm
    }
    assert len(in_file) == 224
    assert sorted(in_file - codes) == ["WK031399", "WK031799"]
    # gemeente behaviour unchanged
    assert len(data.boundaries(provincie="Utrecht")["features"]) == 26


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_file_with_codes_of_indeling_2020_is_refused(tmp_path):
    # WK030723 (Amersfoort) is in RIVM's 2020 table but not in KWB 2024
    path = _write(
        tmp_path, "eigen.csv", "code,indicator,year,value\nWK034401,x,2020,1\nWK030723,x,2020,2\n"
    )
    with pytest.raises(AreaCodeError) as caught:
        data.read_indicator_file(path)
    message = str(caught.value)
    assert "eigen.csv" in message and "rij 3" in message and "'WK030723'" in message
    assert "indeling 2020 die in de indeling 2024 niet meer bestaat" in message
    assert "\n" not in message


def test_user_file_with_a_wijk_that_never_existed(tmp_path):
    path = _write(tmp_path, "eigen.csv", "code,eenzaam\nWK034499,40\nBU99990001,3\n")
    with pytest.raises(AreaCodeError) as caught:
        data.read_indicator_file(path, year=2020)
    message = str(caught.value)
    assert "rij 2, kolom 'code': waarde 'WK034499'" in message
    assert "geen wijk van gemeente GM0344 (Utrecht)" in message and "WK034401" in message
    assert "rij 3, kolom 'code': waarde 'BU99990001'" in message
    assert "geen gemeente GM9999" in message


def test_unknown_wijk_code_in_api_and_cli():
    from typer.testing import CliRunner

    from doeagenda.cli import app

    with pytest.raises(AreaCodeError, match=r"'WK999999' is geen wijk.*geen gemeente GM9999"):
        data.area("WK999999")
    with pytest.raises(AreaCodeError, match=r"'WK030723' is een wijkcode van de CBS-indeling 2020"):
        data.area("WK030723")
    runner = CliRunner()
    result = runner.invoke(app, ["data", "show", "WK999999"])
    assert result.exit_code == 2
    assert result.stderr.startswith("fout: ") and result.stderr.count("\n") == 1
    assert "WK999999" in result.stderr and "WK034401" in result.stderr
    assert "Traceback" not in result.output


def test_cli_show_and_dictionary_list_rivm():
    from typer.testing import CliRunner

    from doeagenda.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["data", "show", "WK031001"])
    assert result.exit_code == 0
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    eenzaam = lines["rivm_eenzaam_18plus"].split()
    # RIVM_gezondheid2020_18+.xlsx, row WK031001 (Westbroek, De Bilt): Eenzaam_28 = 38.0
    assert eenzaam[-3:] == ["2020", "38.0", "%"]
    assert "kleine-domeinschattingen" in result.stdout
    result = runner.invoke(app, ["data", "show", "WK196111"])
    assert result.exit_code == 0
    assert "geen gegevens (indeling gewijzigd na 2020)" in result.stdout
    result = runner.invoke(app, ["data", "dictionary", "rivm_", "--csv"])
    assert result.exit_code == 0
    listed = pd.read_csv(io.StringIO(result.stdout))
    assert len(listed) == 36 + len(rivm.RIVM_JV_INDICATORS) and listed["estimate"].all()


def test_young_adults_50140_against_raw_csv():
    raw = raw_file(rivm.JV_FILE).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == (
        "fda7101d3650632ae43f6847435021d30b018e5176fdd5be17b6354cb2a453d2"
    )  # shared/data/PROVENANCE.md: an unmodified StatLine download
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    by_region = {row["RegioS"].strip(): row for row in rows}
    utrecht = data.indicators("gemeente", codes=["GM0344"], year=2024, wide=True).loc["GM0344"]
    for indicator in rivm.RIVM_JV_INDICATORS:
        expected = float(by_region["GM0344"][indicator.column])
        assert utrecht[f"rivm_jv_{indicator.name}"] == expected, indicator.name
    land = data.indicators("land", year=2024, wide=True).loc["NL00"]
    assert land["rivm_jv_eenzaam"] == float(by_region["NL01"]["EnigszinsTotSterkEenzaam_53"])
    # gemeenten only (GGD regions and CG01 are not areas of the package); all 26 of Utrecht
    long = data.indicators("gemeente", provincie="Utrecht")
    young = long[long["indicator"].str.startswith("rivm_jv_")]
    assert young["code"].nunique() == 26 and set(young["year"]) == {2024}
    table = data.dictionary().set_index("indicator")
    ids = [f"rivm_jv_{i.name}" for i in rivm.RIVM_JV_INDICATORS]
    assert table.loc[ids, "estimate"].all() and set(table.loc[ids, "unit"]) == {"%"}
    assert table.loc[ids, "label_nl"].str.contains("16-25 jaar").all()


def test_index_cli_extra_file_with_2020_wijk_code_changes_nothing(tmp_path):
    from typer.testing import CliRunner

    from doeagenda.cli import app

    extra = _write(
        tmp_path, "ggd.csv", "code,jaar,eenzaam_eigen\nWK034401,2020,40\nWK030723,2020,41\n"
    )
    out = tmp_path / "scores.csv"
    framework = REPO / "params" / "frameworks" / "buurzaamheid_wijken_utrecht.yaml"
    result = CliRunner().invoke(
        app,
        ["index", "build", str(framework), "--extra", str(extra), "--out", str(out)],
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("fout: ") and result.stderr.count("\n") == 1
    assert "'WK030723'" in result.stderr and "indeling 2020" in result.stderr
    assert not out.exists()
