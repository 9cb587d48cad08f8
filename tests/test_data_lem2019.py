"""Lokale Energie Monitor 2019: the shipped workbooks, their reading and the gemeente map.

References are independent of the code under test: the counts written down in
``shared/data/PROVENANCE.md`` (section ``initiatieven/lem2019/``) and plain pandas reads of
the workbooks. The shared copies live outside the repository (``$DOEAGENDA_SHARED_DATA``
or ``<repo>/../shared/data``); the test that compares with them skips when neither exists.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest

from doeagenda import data
from doeagenda.data import lem2019
from doeagenda.data.io import raw_file

REPO = Path(__file__).resolve().parents[1]

# sha256 copied from shared/data/PROVENANCE.md (section initiatieven/lem2019/)
SHA256 = {
    "LEM2019_BIJLAGE_ENERGIECOOPERATIES.xlsx": "2721282fdd6ddacb86c07850e7c439fba8bb9c41ef0e047a5d4644f43d83e9e3",
    "LEM2019_BIJLAGE_COLLECTIEVE_ZON.xlsx": "28878bba227a6030c6aea1936a1332921e1fbfbfca488e4d2e84aa0748aef33b",
    "LEM2019_BIJLAGE_COLLECTIEVE_WIND.xlsx": "94987b32e7eacc0148c1b9cbc6b49e857a2b493cc8016801ac6f189d7ad91f94",
}


def _shared_dir() -> Path:
    base = os.environ.get("DOEAGENDA_SHARED_DATA")
    shared = Path(base) if base else REPO.parent / "shared" / "data"
    source = shared / lem2019.SOURCE_DIR
    if not source.is_dir():
        pytest.skip(
            f"LEM 2019 workbooks not found at {source}; set DOEAGENDA_SHARED_DATA to the "
            "shared/data folder (CI places shared/ beside the clone)"
        )
    return source


def test_shipped_workbooks_are_the_published_files_byte_for_byte():
    assert set(SHA256) == set(lem2019.LEM_FILES)
    for name, digest in SHA256.items():
        assert hashlib.sha256(raw_file(name).read_bytes()).hexdigest() == digest


def test_shipped_workbooks_equal_the_shared_source():
    source = _shared_dir()
    for name in lem2019.LEM_FILES:
        assert raw_file(name).read_bytes() == (source / name).read_bytes(), name


def _plain(name: str, sheet: str, header: int) -> pd.DataFrame:
    """The sheet read by plain pandas: header row given by hand, blank rows dropped."""
    with raw_file(name).open("rb") as handle:
        frame = pd.read_excel(handle, sheet_name=sheet, header=header, engine="openpyxl")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.dropna(subset=["GEMEENTE"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def monitor() -> pd.DataFrame:
    return lem2019.monitor_table()


def test_row_counts_per_sheet_match_provenance_and_a_plain_read(monitor):
    counts = monitor.groupby("blad").size()
    # shared/data/PROVENANCE.md: 450, 253, 651 + 400, 93 + 86 rows
    expected = {
        "LOKALE COÖPERATIES": 450,
        "PRODUCTIE-COÖPERATIES": 253,
        "ZON GEREALISEERD": 651,
        "PIJPLIJN GEPLAND+VOORBEREIDING": 400,
        "GEREALISEERD": 93,
        "PIJPLIJN GEPLAND+ VOORBEREIDING": 86,
    }
    assert counts.to_dict() == expected
    files = lem2019.LEM_FILES
    plain = _plain(files[0], "LOKALE COÖPERATIES", header=3)
    assert len(plain) == 450
    by_sheet = monitor.loc[monitor["blad"] == "LOKALE COÖPERATIES"]
    assert by_sheet["naam"].tolist() == [" ".join(str(n).split()) for n in plain["NAAM"]]
    assert len(_plain(files[1], "ZON GEREALISEERD ", header=7)) == 651
    assert len(_plain(files[2], "GEREALISEERD", header=6)) + 1 == 93 + 1  # header row 7


def test_provincie_utrecht_counts_match_provenance(monitor):
    utrecht = set(data.areas("gemeente", provincie="Utrecht")["code"])
    mine = monitor.loc[monitor["gemeente_code"].isin(utrecht)]
    counts = mine.groupby("blad").size()
    assert counts["LOKALE COÖPERATIES"] == 34
    local = mine.loc[mine["blad"] == "LOKALE COÖPERATIES"]
    assert local["gemeente_code"].nunique() == 20
    assert counts["PRODUCTIE-COÖPERATIES"] == 19
    assert counts["ZON GEREALISEERD"] == 48
    assert counts["GEREALISEERD"] == 2
    assert counts["PIJPLIJN GEPLAND+ VOORBEREIDING"] == 3
    # the monitor puts 27 planned solar projects under provincie Utrecht; one of them lies
    # in Bennekom (gemeente Ede, Gelderland), so 26 are in a Utrecht gemeente of 2024
    assert counts["PIJPLIJN GEPLAND+VOORBEREIDING"] == 26
    planned = monitor.loc[monitor["blad"] == "PIJPLIJN GEPLAND+VOORBEREIDING"]
    assert (planned["provincie_lem"] == "Utrecht").sum() == 27
    moved = planned.loc[
        (planned["provincie_lem"] == "Utrecht") & ~planned["gemeente_code"].isin(utrecht)
    ]
    assert moved["gemeente_lem"].tolist() == ["Bennekom"]
    initiators = mine.loc[mine["blad"] == "PRODUCTIE-COÖPERATIES", "initiatiefnemer"].value_counts()
    assert initiators.to_dict() == {
        "bewonersinitiatief": 8,
        "lokale coöperatie": 7,
        "ontwikkelaar": 4,
    }


def test_every_gemeente_name_is_mapped_and_none_is_guessed(monitor):
    # no name is left unmapped; one planned row has an empty gemeente cell (said so)
    assert lem2019.unmapped().empty
    empty = monitor.loc[monitor["gemeente_koppeling"] == "geen gemeente in de monitor"]
    assert empty["gemeente_lem"].tolist() == [""] and empty["gepland"].all()
    assert monitor["gemeente_code"].isna().sum() == len(empty) + 5  # and 5 of several gemeenten
    assert set(monitor["gemeente_koppeling"]) >= {"naam", "meerdere gemeenten"}
    several = monitor.loc[monitor["gemeente_koppeling"] == "meerdere gemeenten", "gemeente_lem"]
    assert set(several) == set(lem2019.NOT_A_GEMEENTE)
    names = set(data.areas("gemeente")["name"])
    for monitor_name, (target, why) in lem2019.GEMEENTE_MAP.items():
        assert target in names, monitor_name
        assert why, monitor_name
    # each merger names its year
    for _target, why in lem2019.GEMEENTE_MAP.values():
        if "samengevoegd" in why:
            assert any(str(year) in why for year in range(2018, 2024)), why
    # two different places called Zuidwolde: one in Groningen, one in Drenthe
    zuidwolde = monitor.loc[monitor["gemeente_lem"] == "Zuidwolde"]
    by_province = dict(zip(zuidwolde["provincie_lem"], zuidwolde["gemeente_code"], strict=False))
    assert by_province == {"Groningen": "GM1966", "Drenthe": "GM1690"}


def test_known_rows_read_as_in_provenance(monitor):
    local = monitor.loc[monitor["blad"] == "LOKALE COÖPERATIES"].set_index("naam")
    # shared/data/PROVENANCE.md names these, with gemeente and year
    assert (
        local.at["Energie-U", "jaar"] == 2010 and local.at["Energie-U", "gemeente_code"] == "GM0344"
    )
    uwind = local.loc[local.index.str.contains("Uwind")]
    assert uwind["jaar"].tolist() == [1989] and uwind["gemeente_code"].tolist() == ["GM0344"]
    zeist = local.loc[local.index.str.startswith("Stichting Energie Zeist")]
    assert zeist["jaar"].tolist() == [2016] and zeist["gemeente_code"].tolist() == ["GM0355"]
    assert monitor["jaar_lem"].isin(["in oprichting"]).sum() == 1
    assert (monitor["jaar_lem"] == "voor 2012").sum() == 20
