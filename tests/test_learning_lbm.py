"""Module 02 offers the Leefbaarometer (issue 20): exercise 02.7 computed independently.

The reference answer is computed from the Leefbaarometer source CSV and the raw KWB 2024
population file with plain pandas (the gemeente value is the mean of its wijken weighted by
inhabitants), not from the package's tables.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from doeagenda import learning
from doeagenda.learning.modules import eigen_index as m02

REPO = Path(__file__).resolve().parents[1]
KWB_RAW = REPO / "doeagenda/data/raw/kwb2024_nl_gemeente_wijk_buurt_bevolking_leeftijd.csv"
UTRECHT = [
    "GM0307",
    "GM0308",
    "GM0310",
    "GM0312",
    "GM0313",
    "GM0317",
    "GM0321",
    "GM0327",
    "GM0331",
    "GM0335",
    "GM0339",
    "GM0340",
    "GM0342",
    "GM0344",
    "GM0345",
    "GM0351",
    "GM0352",
    "GM0353",
    "GM0355",
    "GM0356",
    "GM0589",
    "GM0632",
    "GM0736",
    "GM1581",
    "GM1904",
    "GM1961",
]


def _source() -> Path:
    base = os.environ.get("DOEAGENDA_SHARED_DATA")
    shared = Path(base) if base else REPO.parent / "shared" / "data"
    path = shared / "leefbaarometer" / "leefbaarometer3_wijken_2002_2022.csv"
    if not path.is_file():
        pytest.skip(f"Leefbaarometer source not found at {path}; set DOEAGENDA_SHARED_DATA")
    return path


def _cohesion_by_hand() -> pd.Series:
    """Sociale samenhang 2022 of the 26 Utrecht gemeenten, from the source files."""
    lbm = pd.read_csv(_source(), na_values=["NA"], keep_default_na=False)
    lbm = lbm[lbm["jaar"] == 2022].set_index("wk_code")["soc"]
    kwb = pd.read_csv(KWB_RAW, sep=";", encoding="utf-8-sig", dtype=str)
    code = kwb["Regioaanduiding/Codering (code)"].str.strip()
    wijk = kwb["Regioaanduiding/Soort regio (omschrijving)"].str.strip() == "Wijk"
    people = pd.to_numeric(kwb["Bevolking/Aantal inwoners (aantal)"], errors="coerce")
    wijken = pd.DataFrame({"code": code[wijk], "inwoners": people[wijk]})
    wijken["gemeente"] = "GM" + wijken["code"].str[2:6]
    wijken = wijken[wijken["gemeente"].isin(UTRECHT)]
    wijken["soc"] = wijken["code"].map(lbm)
    scored = wijken.dropna(subset=["soc"])
    weighted = (scored["soc"] * scored["inwoners"]).groupby(scored["gemeente"]).sum()
    return weighted / scored.groupby("gemeente")["inwoners"].sum()


@pytest.mark.parametrize("gemeente", ["GM0344", "GM1961", "GM0339"])
def test_exercise_02_7_rank_on_sociale_samenhang(gemeente):
    cohesion = _cohesion_by_hand()
    assert len(cohesion) == 26
    expected = int(cohesion.rank(ascending=False, method="min")[gemeente])
    assert learning.correct_answer("02.7", gemeente) == expected
    assert learning.check("02.7", str(expected), gemeente).correct
    assert learning.check("02.7", expected + 3, gemeente).status == "wrong"


def test_leefbaarometer_sliders_start_at_zero_and_count_when_raised():
    widget = learning.index_builder("GM0344")
    for key in m02.LBM_KEYS:
        assert widget.controls[key].value == 0.0
    assert m02.INDICATORS["samenhang"][0] == "lbm_sociale_samenhang"
    assert m02.INDICATORS["leefbaarheid"][0] == "lbm_score"
    before = widget.view.values
    widget.controls["samenhang"].value = 3.0
    raised = m02.index_view("GM0344", samenhang=3.0)
    assert widget.view.values == raised.values
    assert "Sociale samenhang (Leefbaarometer)" in raised.text
    assert raised.values != before
