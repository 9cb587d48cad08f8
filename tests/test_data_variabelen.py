"""Checks on the hand-compiled variable dictionary ``doeagenda/data/meta/variabelen.csv``.

The dictionary must cover every data column of the raw CBS files it describes, so the
coverage tests read the raw headers (not the dictionary) as the independent reference.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
META = ROOT / "doeagenda" / "data" / "meta" / "variabelen.csv"
RAW = ROOT / "doeagenda" / "data" / "raw"

COLUMNS = [
    "source_file",
    "source_column",
    "indicator",
    "label_nl",
    "label_en",
    "unit",
    "direction",
    "note",
]
SOURCE_PREFIX = {
    "kwb2021_nlstat": "kwb21_",
    "rk2025_csv": "rk25_",
    "inkomen2024_csv": "ink24_",
    "nabijheid2023_csv": "nab23_",
}
KWB_ID_COLUMNS = {"gwb_code_10", "gwb_code_8", "regio", "gm_naam", "recs", "gwb_code", "ind_wbi"}
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def _raw(name: str) -> Path:
    path = RAW / name
    assert path.is_file(), f"raw file {name} is missing from doeagenda/data/raw"
    return path


@pytest.fixture(scope="module")
def meta() -> pd.DataFrame:
    return pd.read_csv(META, dtype=str, keep_default_na=False, encoding="utf-8")


def _covered(meta: pd.DataFrame, source_file: str) -> set[str]:
    return set(meta.loc[meta["source_file"] == source_file, "source_column"])


def test_columns_exact_and_parseable_as_plain_csv() -> None:
    with META.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == COLUMNS
    assert all(len(r) == len(COLUMNS) for r in rows[1:])
    assert len(rows) > 300


def test_source_files_are_known_tokens(meta: pd.DataFrame) -> None:
    expected = {
        "kwb_utrecht_xlsx",
        "kwb2024_bevolking_csv",
        "kwb2021_nlstat",
        "rk2025_csv",
        "inkomen2024_csv",
        "nabijheid2023_csv",
        "kwb2024_wijk_8vars_json",
    }
    assert set(meta["source_file"]) == expected


def test_no_duplicate_source_columns(meta: pd.DataFrame) -> None:
    dup = meta[meta.duplicated(["source_file", "source_column"], keep=False)]
    assert dup.empty, dup[["source_file", "source_column"]].to_string()


def test_required_fields_and_direction(meta: pd.DataFrame) -> None:
    for field in ("source_column", "indicator", "label_nl", "label_en", "unit"):
        empty = meta[meta[field].str.strip() == ""]
        assert empty.empty, f"empty {field}: {empty['source_column'].tolist()}"
    assert set(meta["direction"]) <= {"1", "-1", ""}


def test_indicator_ids_valid(meta: pd.DataFrame) -> None:
    bad = [i for i in meta["indicator"] if not SNAKE.match(i)]
    assert not bad, bad
    for source, prefix in SOURCE_PREFIX.items():
        ids = meta.loc[meta["source_file"] == source, "indicator"]
        wrong = [i for i in ids if not i.startswith(prefix)]
        assert not wrong, f"{source}: {wrong}"
    # KWB sources use the CBS short names, which must be columns of the kwb xlsx
    kwb_ids = set(meta.loc[meta["source_file"] == "kwb_utrecht_xlsx", "indicator"])
    for source in ("kwb2024_bevolking_csv", "kwb2024_wijk_8vars_json"):
        ids = set(meta.loc[meta["source_file"] == source, "indicator"])
        assert ids <= kwb_ids, ids - kwb_ids


def test_shared_indicator_has_same_label_and_unit(meta: pd.DataFrame) -> None:
    per_id = meta.groupby("indicator")[["label_nl", "label_en", "unit", "direction"]].nunique()
    inconsistent = per_id[(per_id > 1).any(axis=1)]
    assert inconsistent.empty, inconsistent.to_string()


def test_prefixed_ids_unique_per_source_except_identical_duplicates(meta: pd.DataFrame) -> None:
    nab = meta[meta["source_file"] == "nabijheid2023_csv"]
    assert nab["indicator"].is_unique
    rk = meta[meta["source_file"] == "rk2025_csv"]
    assert rk["indicator"].is_unique


def test_kwb_xlsx_covered() -> None:
    import openpyxl

    meta = pd.read_csv(META, dtype=str, keep_default_na=False)
    rows = meta[meta["source_file"] == "kwb_utrecht_xlsx"]
    for name in (
        "kwb2024_gemeente_utrecht_wijk_buurt.xlsx",
        "kwb2023_gemeente_utrecht_wijk_buurt.xlsx",
    ):
        wb = openpyxl.load_workbook(_raw(name), read_only=True)
        header = next(wb.worksheets[0].iter_rows(max_row=1, values_only=True))
        wb.close()
        data_cols = list(header[header.index("a_inw") :])
        assert data_cols[-1] == "ste_oad"
        assert set(rows["source_column"]) == set(data_cols)
        assert not set(rows["source_column"]) & KWB_ID_COLUMNS
    assert (rows["indicator"] == rows["source_column"]).all()
    assert rows["note"].str.contains("statline_key=").sum() >= 110


def test_kwb_statline_keys_exist_and_units_match(meta: pd.DataFrame) -> None:
    props = json.loads(_raw("kwb2024_85984NED_DataProperties.json").read_text(encoding="utf-8"))
    unit_by_key = {p["Key"]: (p.get("Unit") or "").strip() for p in props if p.get("Key")}
    keys = meta["note"].str.extract(r"statline_key=([A-Za-z0-9_]+)")[0].dropna()
    missing = sorted(set(keys) - set(unit_by_key))
    assert not missing, missing
    # spot checks against the official OData units
    by_key = dict(zip(keys, meta.loc[keys.index, "unit"], strict=True))
    assert (
        unit_by_key["GemiddeldeWOZWaardeVanWoningen_39"]
        == by_key["GemiddeldeWOZWaardeVanWoningen_39"]
    )
    assert by_key["WmoClientenRelatief_101"] == unit_by_key["WmoClientenRelatief_101"]
    assert by_key["OppervlakteTotaal_122"] == unit_by_key["OppervlakteTotaal_122"] == "ha"


def test_bevolking_csv_covered(meta: pd.DataFrame) -> None:
    header = pd.read_csv(
        _raw("kwb2024_nl_gemeente_wijk_buurt_bevolking_leeftijd.csv"),
        sep=";",
        encoding="utf-8-sig",
        nrows=0,
    ).columns
    numeric = list(header[header.get_loc("Bevolking/Aantal inwoners (aantal)") :])
    assert len(numeric) == 8
    rows = meta[meta["source_file"] == "kwb2024_bevolking_csv"]
    assert set(rows["source_column"]) == set(numeric)
    mapping = dict(zip(rows["source_column"], rows["indicator"], strict=True))
    assert mapping["Bevolking/Aantal inwoners (aantal)"] == "a_inw"
    assert mapping["Bevolking/Leeftijdsgroepen/65 jaar of ouder (aantal)"] == "a_65_oo"


def _nlstat_flat() -> pd.DataFrame:
    data = json.loads(_raw("kwb2021_gemeenten_indicatoren_nlstat.json").read_text("utf-8"))
    records = []
    for code, g in data["Gemeente"].items():
        rec = {"gemeentecode": code, "population": g["Population"]}
        for group, values in g.items():
            if isinstance(values, dict):
                for label, value in values.items():
                    rec[f"{group}|{label}"] = value
        records.append(rec)
    return pd.DataFrame(records).set_index("gemeentecode")


def test_nlstat_covered_and_shared_ids_identical(meta: pd.DataFrame) -> None:
    flat = _nlstat_flat()
    rows = meta[meta["source_file"] == "kwb2021_nlstat"]
    assert set(rows["source_column"]) == set(flat.columns)
    for indicator, grp in rows.groupby("indicator"):
        cols = grp["source_column"].tolist()
        for other in cols[1:]:
            assert flat[cols[0]].equals(flat[other]), f"{indicator}: {cols[0]} != {other}"
    # labels that appear in several groups share one id
    by_label = rows.assign(label=rows["source_column"].str.split("|").str[-1])
    assert (by_label.groupby("label")["indicator"].nunique() == 1).all()
    assert "kwb21_wmo_clients_per_1000" in set(rows["indicator"])
    density = rows[rows["source_column"] == "Demographics|Population density (per km²)"]
    assert density["label_nl"].item() == "Omgevingsadressendichtheid"


def test_regionale_kerncijfers_non_empty_columns_covered(meta: pd.DataFrame) -> None:
    df = pd.read_csv(
        _raw("regionale_kerncijfers_2025_gemeenten.csv"), sep=";", decimal=",", encoding="utf-8-sig"
    )
    data_cols = [c for c in df.columns[2:] if df[c].notna().any()]
    rows = meta[meta["source_file"] == "rk2025_csv"]
    assert set(rows["source_column"]) == set(data_cols)
    assert len(data_cols) == 30


def test_inkomen_covered(meta: pd.DataFrame) -> None:
    text = _raw("inkomen_huishoudens_2024_gemeenten.csv").read_text("utf-8-sig").replace('"', "")
    df = pd.read_csv(io.StringIO(text), sep=";", decimal=",")
    assert df.shape == (343, 9)
    numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
    rows = meta[meta["source_file"] == "inkomen2024_csv"]
    assert set(rows["source_column"]) == set(numeric)
    assert len(numeric) == 5


def test_nabijheid_covered(meta: pd.DataFrame) -> None:
    header = pd.read_csv(
        _raw("nabijheid_voorzieningen_2023_gemeente_utrecht_buurt.csv"),
        sep=";",
        encoding="utf-8-sig",
        nrows=0,
    ).columns
    numeric = [c for c in header if c.endswith("(km)") or c.endswith("(aantal)")]
    assert len(numeric) == len(header) - 5
    rows = meta[meta["source_file"] == "nabijheid2023_csv"]
    assert set(rows["source_column"]) == set(numeric)
    gp = rows[rows["source_column"].str.endswith("Afstand tot huisartsenpraktijk (km)")]
    assert gp["indicator"].item() == "nab23_afstand_huisartsenpraktijk_km"
    assert gp["direction"].item() == "-1"


def test_8vars_json_covered_and_area_unit_is_hectare(meta: pd.DataFrame) -> None:
    data = json.loads(_raw("kwb2024_gemeente_wijk_8vars.json").read_text("utf-8"))
    keys = set().union(*(set(v) for v in data.values()))
    rows = meta[meta["source_file"] == "kwb2024_wijk_8vars_json"]
    assert set(rows["source_column"]) == keys
    mapping = dict(zip(rows["source_column"], rows["indicator"], strict=True))
    assert mapping["AantalInwoners_5"] == "a_inw"
    assert mapping["OppervlakteTotaal_122"] == "a_opp_ha"
    # independent unit check: the 2023 xlsx (a_opp_ha in hectare) has the same areas
    xlsx = pd.read_excel(_raw("kwb2023_gemeente_utrecht_wijk_buurt.xlsx"), dtype=str)
    xlsx = xlsx.set_index("gwb_code")
    for code in ("GM0344", "WK034401"):
        assert int(xlsx.loc[code, "a_opp_ha"]) == data[code]["OppervlakteTotaal_122"]
        assert int(xlsx.loc[code, "a_lan_ha"]) == data[code]["OppervlakteLand_123"]
