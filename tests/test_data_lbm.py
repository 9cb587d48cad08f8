"""Leefbaarometer 3.0 per wijk: extract, ids, indeling match, population-weighted means.

References are independent of the package: the source CSV read with the ``csv`` module, the
raw KWB 2024 population CSV read with plain pandas, and the counts written down in
``shared/data/PROVENANCE.md`` (section ``leefbaarometer/``). The source lives outside the
repository (``$DOEAGENDA_SHARED_DATA`` or ``<repo>/../shared/data``); the tests that need it
skip when it is absent.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from doeagenda import data
from doeagenda.data import lbm
from doeagenda.data.io import raw_file
from doeagenda.errors import AreaCodeError

REPO = Path(__file__).resolve().parents[1]
IDS = {
    "lbm_score": "lbm",
    "lbm_afwijking": "afw",
    "lbm_fysieke_omgeving": "fys",
    "lbm_overlast_onveiligheid": "onv",
    "lbm_sociale_samenhang": "soc",
    "lbm_voorzieningen": "vrz",
    "lbm_woningvoorraad": "won",
}
KWB_RAW = (
    REPO / "doeagenda" / "data" / "raw" / "kwb2024_nl_gemeente_wijk_buurt_bevolking_leeftijd.csv"
)


def _source() -> Path:
    base = os.environ.get("DOEAGENDA_SHARED_DATA")
    shared = Path(base) if base else REPO.parent / "shared" / "data"
    path = shared / lbm.SOURCE_FILE
    if not path.is_file():
        pytest.skip(f"Leefbaarometer source not found at {path}; set DOEAGENDA_SHARED_DATA")
    return path


@pytest.fixture(scope="module")
def source_rows() -> list[dict[str, str]]:
    with _source().open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def kwb() -> pd.DataFrame:
    """The raw KWB 2024 file, read with plain pandas: code, soort, inwoners, flag."""
    frame = pd.read_csv(KWB_RAW, sep=";", encoding="utf-8-sig", dtype=str)
    frame = frame.rename(
        columns={
            "Regioaanduiding/Codering (code)": "code",
            "Regioaanduiding/Soort regio (omschrijving)": "soort",
            "Bevolking/Aantal inwoners (aantal)": "inwoners",
            "Regioaanduiding/Indelingswijziging gemeente, wijk, buurt (code)": "flag",
        }
    )
    for column in ("code", "soort", "flag"):
        frame[column] = frame[column].str.strip()
    frame["inwoners"] = pd.to_numeric(frame["inwoners"].str.strip(), errors="coerce")
    return frame[["code", "soort", "inwoners", "flag"]]


def test_source_matches_provenance_checksum():
    digest = hashlib.sha256(_source().read_bytes()).hexdigest()
    assert digest == "3bb7b1dd3e122dd9da6555ee534b39a469912a3a09924ac112265f96117d2be4"


def test_shipped_extract_equals_fresh_extraction(source_rows):
    with raw_file(lbm.EXTRACT_FILE).open("rb") as handle:
        shipped = lbm.read_extract(handle)
    fresh = lbm.extract_leefbaarometer(_source())
    pd.testing.assert_frame_equal(shipped, fresh)
    assert raw_file(lbm.EXTRACT_FILE).read_bytes() == lbm.extract_bytes(fresh)
    # and the extract is the source's text, row by row (names dropped, NA -> "")
    assert len(shipped) == len(source_rows) == 26366
    for i in (0, 3, 12345, 26365):
        row = source_rows[i]
        assert shipped.at[i, "code"] == row["wk_code"] and shipped.at[i, "year"] == row["jaar"]
        for column in IDS.values():
            assert shipped.at[i, column] == ("" if row[column] == "NA" else row[column])


def test_extraction_refuses_a_broken_file(tmp_path):
    from doeagenda.errors import DataError

    bad = tmp_path / "lbm.csv"
    bad.write_text("wk_code,jaar,lbm\nWK001400,2002,4.1\n", encoding="utf-8")
    with pytest.raises(DataError, match="kopregel"):
        lbm.extract_leefbaarometer(bad)
    header = ",".join(lbm.SOURCE_COLUMNS)
    bad.write_text(f"{header}\nWK001400,Centrum,2002,vier,0,NA,NA,NA,NA,NA\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"regel 2, kolom 'lbm': 'vier'"):
        lbm.extract_leefbaarometer(bad)


def test_binding_ids_in_dictionary():
    table = data.dictionary().set_index("indicator")
    rows = table[table.index.str.startswith("lbm_")]
    assert set(rows.index) == set(IDS)
    assert rows["estimate"].all()
    assert (rows["direction"] == 1.0).all()
    assert rows["source"].str.contains("Leefbaarometer 3.0, ministerie van BZK").all()
    assert rows["note"].str.contains("modelschatting").all()
    assert rows["note"].str.contains("gewogen naar inwoners \\(KWB 1 januari 2024\\)").all()
    years = "2002, 2008, 2012, 2014, 2016, 2018, 2020, 2022"
    assert rows.at["lbm_score", "years"] == years
    assert rows.at["lbm_afwijking", "years"] == years
    # the five dimensions exist from 2014, not in 2016 (the source has only the score then)
    assert rows.at["lbm_sociale_samenhang", "years"] == "2014, 2018, 2020, 2022"
    assert set(rows["levels"]) == {"land, gemeente, wijk"}
    assert rows.at["lbm_sociale_samenhang", "label_nl"] == "Leefbaarometer: sociale samenhang"


def test_match_counts_on_2024_codes(source_rows, kwb):
    # independent count: source codes with a 2022 score against the raw KWB 2024 wijken
    wijken_2024 = set(kwb.loc[kwb["soort"] == "Wijk", "code"])
    scored_2022 = {r["wk_code"] for r in source_rows if r["jaar"] == "2022" and r["lbm"] != "NA"}
    assert (len(wijken_2024), len(scored_2022 & wijken_2024)) == (3393, 3176)
    coverage = data.lbm_coverage("wijk")
    assert len(coverage) == 3393
    assert int((coverage["last_year"] == 2022).sum()) == 3176  # shared/data/PROVENANCE.md
    # two more wijken have scores up to 2020 or 2014 only (no score in 2022)
    assert int(coverage["has_lbm"].sum()) == 3178
    older = coverage[coverage["has_lbm"] & (coverage["last_year"] < 2022)]
    assert sorted(older["code"]) == ["WK051801", "WK071808"]
    utrecht = data.lbm_coverage("wijk", provincie="Utrecht")
    assert (len(utrecht), int(utrecht["has_lbm"].sum())) == (222, 220)
    unmatched = utrecht[~utrecht["has_lbm"]]
    assert sorted(unmatched["code"]) == ["WK030732", "WK032141"]
    assert set(unmatched["note"]) == {
        "geen gegevens (wijkcode niet in de Leefbaarometer, indeling 2022)"
    }
    # Vijfheerenlanden's wijken that the 2020 RIVM figures lack do have Leefbaarometer figures
    vijfheerenlanden = utrecht[utrecht["gemeente_code"] == "GM1961"]
    assert vijfheerenlanden["has_lbm"].all() and len(vijfheerenlanden) == 39
    assert data.has_lbm("WK196111") and not data.has_rivm("WK196111")


def test_boundary_flag_of_kwb_2024(kwb):
    # KWB 2024 marks areas whose boundary moved since 2023 with code 3; matched on code, they
    # are kept but flagged (in provincie Utrecht: 22 wijken of Nieuwegein)
    flagged = set(kwb.loc[(kwb["soort"] == "Wijk") & (kwb["flag"] == "3"), "code"])
    coverage = data.lbm_coverage("wijk")
    assert set(coverage.loc[coverage["boundary_changed"], "code"]) == flagged & set(
        coverage.loc[coverage["has_lbm"], "code"]
    )
    assert int(coverage["boundary_changed"].sum()) == 165
    utrecht = data.lbm_coverage("wijk", provincie="Utrecht")
    changed = utrecht[utrecht["boundary_changed"]]
    assert len(changed) == 22 and set(changed["gemeente_code"]) == {"GM0356"}
    assert changed["note"].str.contains("grens in 2024 gewijzigd").all()


def test_never_a_value_across_a_code_change(source_rows):
    # WK036350 (IJburg Oost, Amsterdam) is in the Leefbaarometer but not in KWB 2024
    assert any(r["wk_code"] == "WK036350" for r in source_rows)
    wijk = data.indicators("wijk")
    lbm_rows = wijk[wijk["indicator"].str.startswith("lbm_")]
    assert "WK036350" not in set(lbm_rows["code"])
    # a 2024 wijk new since 2022 gets no lbm_ row at all (never a copied or imputed value)
    assert not data.has_lbm("WK030732")
    own = data.indicators("wijk", codes=["WK030732"])
    assert not own["indicator"].str.startswith("lbm_").any()
    # matched values are the source's numbers, unchanged
    expected = {
        (r["jaar"], name): float(r[column])
        for r in source_rows
        if r["wk_code"] == "WK196111"
        for name, column in IDS.items()
        if r[column] != "NA"
    }
    got = data.indicators("wijk", codes=["WK196111"])
    got = got[got["indicator"].str.startswith("lbm_")].dropna(subset=["value"])
    assert {
        (str(y), i): v for y, i, v in zip(got["year"], got["indicator"], got["value"], strict=True)
    } == expected
    with pytest.raises(AreaCodeError, match="WK999999"):
        data.has_lbm("WK999999")


def _by_hand(source_rows, kwb, wijken: set[str], year: str, column: str) -> tuple[float, float]:
    """Population-weighted mean over ``wijken`` and the share of inhabitants covered."""
    pop = kwb.set_index("code")["inwoners"]
    values = {
        r["wk_code"]: float(r[column])
        for r in source_rows
        if r["jaar"] == year and r["wk_code"] in wijken and r[column] != "NA"
    }
    weights = np.array([pop[c] for c in values])
    mean = float(np.dot(np.array(list(values.values())), weights) / weights.sum())
    share = float(weights.sum() / sum(pop[c] for c in wijken))
    return mean, share


def test_gemeente_value_is_population_weighted_mean_by_hand(source_rows, kwb):
    # Zeist (GM0355): its wijken are the KWB 2024 wijk codes WK0355..
    zeist = set(kwb.loc[(kwb["soort"] == "Wijk") & kwb["code"].str.startswith("WK0355"), "code"])
    assert len(zeist) > 3
    wide22 = data.indicators("gemeente", codes=["GM0355"], year=2022, wide=True).loc["GM0355"]
    wide14 = data.indicators("gemeente", codes=["GM0355"], year=2014, wide=True).loc["GM0355"]
    for name, column in IDS.items():
        mean, share = _by_hand(source_rows, kwb, zeist, "2022", column)
        assert share == 1.0
        assert wide22[name] == pytest.approx(mean, rel=1e-12), name
        mean14, _ = _by_hand(source_rows, kwb, zeist, "2014", column)
        assert wide14[name] == pytest.approx(mean14, rel=1e-12), name
    # the weights matter: the plain mean differs
    plain = np.mean(
        [float(r["soc"]) for r in source_rows if r["jaar"] == "2022" and r["wk_code"] in zeist]
    )
    assert abs(plain - wide22["lbm_sociale_samenhang"]) > 1e-6


def test_provincie_and_nl_follow_the_same_rule(source_rows, kwb):
    areas = data.areas("wijk")
    utrecht = set(areas.loc[areas["provincie"] == "Utrecht", "code"])
    table = data.leefbaarometer("GM0355").set_index(["indicator", "jaar"])
    mean, share = _by_hand(source_rows, kwb, utrecht, "2022", "lbm")
    assert 0.9 < share < 1.0  # WK030732 and WK032141 have no score
    assert table.at[("lbm_score", 2022), "provincie"] == pytest.approx(mean, rel=1e-12)
    everywhere = set(areas["code"])
    mean, share = _by_hand(source_rows, kwb, everywhere, "2018", "soc")
    assert table.at[("lbm_sociale_samenhang", 2018), "nederland"] == pytest.approx(mean, rel=1e-12)
    land = data.indicators("land", year=2018, wide=True).loc["NL00"]
    assert land["lbm_sociale_samenhang"] == pytest.approx(mean, rel=1e-12)
    # the source's own reference: lbm - afw is one constant (4.1023) in every year, and the
    # five dimensions add up to afw (so the score without sociale samenhang is lbm - soc)
    reference = {round(float(r["lbm"]) - float(r["afw"]), 6) for r in source_rows}
    assert reference == {4.102265}
    dims = ("fys", "onv", "soc", "vrz", "won")
    with_dims = [r for r in source_rows if r["soc"] != "NA"]
    assert len(with_dims) == 13202
    assert max(abs(sum(float(r[c]) for c in dims) - float(r["afw"])) for r in with_dims) < 1e-12


def test_gemeente_without_enough_matched_wijken_has_no_value():
    # Amsterdam's wijken were all recoded after 2022; Nieuwkoop's wijken with a score hold
    # 37.7% of its inhabitants: no gemeente figure, and the note says why
    wide = data.indicators("gemeente", year=2022, wide=True)
    assert np.isnan(wide.at["GM0363", "lbm_score"]) and np.isnan(wide.at["GM0569", "lbm_score"])
    assert not data.has_lbm("GM0363")
    coverage = data.lbm_coverage("gemeente").set_index("code")
    assert (
        "37,7%" in coverage.at["GM0569", "note"] and "minstens 90%" in coverage.at["GM0569", "note"]
    )
    assert int(coverage["has_lbm"].sum()) == 329
    long = data.indicators("gemeente", codes=["GM0344"], year=2022)
    note = long.loc[long["indicator"] == "lbm_score", "note"].iloc[0]
    assert note.startswith("gemiddelde van 10 wijken gewogen naar inwoners (KWB 2024)")


def test_comparison_table_for_a_wijk_and_a_gemeente():
    table = data.leefbaarometer("WK196111")
    assert list(table.columns) == [
        "indicator", "omschrijving", "jaar", "wijk", "gemeente", "provincie", "nederland"
    ]  # fmt: skip
    score = table[table["indicator"] == "lbm_score"]
    assert list(score["jaar"]) == [2002, 2008, 2012, 2014, 2016, 2018, 2020, 2022]
    samenhang = table[table["indicator"] == "lbm_sociale_samenhang"]
    assert list(samenhang["jaar"]) == [2014, 2018, 2020, 2022]
    assert samenhang[["wijk", "gemeente", "provincie", "nederland"]].notna().all().all()
    missing = data.leefbaarometer("WK030732")
    assert missing["wijk"].isna().all() and missing["gemeente"].notna().any()
    gemeente = data.leefbaarometer("GM0344")
    assert "wijk" not in gemeente.columns
    with pytest.raises(AreaCodeError, match="per wijk en gemeente"):
        data.leefbaarometer("BU03440111")


def test_cli_show_lists_lbm_and_says_when_missing():
    from typer.testing import CliRunner

    from doeagenda.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["data", "show", "WK196111"])
    assert result.exit_code == 0
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert lines["lbm_sociale_samenhang"].split()[-3] == "2022"
    assert "Leefbaarometer" in result.stdout and "modelschatting" in result.stdout
    result = runner.invoke(app, ["data", "show", "WK030732"])
    assert result.exit_code == 0
    assert "wijkcode niet in de Leefbaarometer" in result.stdout


def test_extract_bytes_are_reproducible():
    frame = pd.DataFrame({c: ["1"] for c in lbm.EXTRACT_COLUMNS})
    assert lbm.extract_bytes(frame) == lbm.extract_bytes(frame.copy())
    back = lbm.read_extract(io.BytesIO(lbm.extract_bytes(frame)))
    pd.testing.assert_frame_equal(back, frame)
