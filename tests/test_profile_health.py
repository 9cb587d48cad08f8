"""Gemeenteprofiel, section *Gezondheid en welzijn*: RIVM figures against raw values.

The gemeente and NL figures are checked against values read by hand from the RIVM Excel
files (shared/data/PROVENANCE.md, "Checked here"); the provincie figure is recomputed here
from the shipped extract text and the KWB inhabitants, with plain arithmetic.
"""

from __future__ import annotations

import pandas as pd
import pytest

from doeagenda import data
from doeagenda.data import rivm
from doeagenda.data.io import raw_file
from doeagenda.errors import AreaCodeError, ParameterError
from doeagenda.reports.profile import gemeenteprofiel, health_figures, health_trend


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return health_figures("GM0344").set_index("indicator")


def _raw_2020(name: str, age: str) -> pd.Series:
    with raw_file(rivm.EXTRACT_FILE).open("rb") as handle:
        extract = rivm.read_extract(handle)
    rows = extract[(extract["year"] == "2020") & (extract["age"] == age)]
    return pd.to_numeric(rows.set_index("code")[name].replace({"": None, ".": None}))


def test_gemeente_and_nl_values_are_the_raw_values(figures):
    assert figures.at["rivm_eenzaam_18plus", "gemeente"] == 48.9
    assert figures.at["rivm_eenzaam_18plus", "nederland"] == 47.0
    assert figures.at["rivm_ernstig_eenzaam_18plus", "nederland"] == 11.2
    assert figures.at["rivm_vrijwilligerswerk_18plus", "gemeente"] == 23.2
    assert figures.at["rivm_mantelzorger_18plus", "gemeente"] == 9.9
    assert set(figures["jaar"]) == {2020}
    assert set(figures["leeftijd"]) == {"18+", "65+"}
    assert len(figures) == 24  # 12 indicators x 2 age groups


@pytest.mark.parametrize(("age", "weight"), [("18plus", "a_inw"), ("65plus", "a_65_oo")])
def test_provincie_is_population_weighted_mean_of_its_gemeenten(figures, age, weight):
    raw = _raw_2020("eenzaam", age)
    members = data.areas("gemeente", provincie="Utrecht")["code"]
    kwb = data.indicators("gemeente", provincie="Utrecht", year=2024, wide=True)[weight]
    numerator = sum(raw[code] * kwb[code] for code in members)
    expected = numerator / sum(kwb[code] for code in members)
    assert figures.at[f"rivm_eenzaam_{age}", "provincie"] == pytest.approx(expected, rel=1e-12)
    # not the unweighted mean: the weighting matters here
    unweighted = sum(raw[code] for code in members) / len(members)
    assert abs(expected - unweighted) > 0.1


def test_trend_2012_2020_against_raw_values():
    trend = health_trend("GM0344")
    own = trend[trend["gebied"] == "Utrecht"].pivot(
        index="jaar", columns="indicator", values="waarde"
    )
    assert list(own["rivm_ervaren_gezondheid_goed_18plus"]) == [78.3, 77.0, 80.8]
    assert list(own["rivm_eenzaam_18plus"]) == [39.9, 42.5, 48.9]
    assert list(own["rivm_angst_depressie_risico_18plus"]) == [7.6, 8.1, 7.7]
    assert set(trend["gebied"]) == {"Utrecht", "Provincie Utrecht", "Nederland"}
    # vrijwilligerswerk was not asked in 2012: asked for, it has no 2012 row
    volunteers = health_trend("GM0344", names=("vrijwilligerswerk",))
    assert sorted(volunteers["jaar"].unique()) == [2016, 2020]


def test_report_table_chart_and_note_are_dutch():
    profiel = gemeenteprofiel("GM0344")
    table = profiel.health()
    assert table.at["Eenzaam", "Utrecht 18+"] == "48,9"
    assert table.at["Eenzaam", "Nederland 18+"] == "47,0"
    assert list(table.columns) == [
        "Utrecht 18+", "Provincie 18+", "Nederland 18+",
        "Utrecht 65+", "Provincie 65+", "Nederland 65+",
    ]  # fmt: skip
    note = profiel.health_note().data
    assert "kleine-domeinschattingen" in note and "geen tellingen" in note
    assert "gewogen naar het aantal inwoners" in note
    for chart in (profiel.health_chart(), profiel.health_trend_chart()):
        spec = chart.to_dict()
        assert spec["datasets"]
    assert "RIVM" in profiel.sources().data


def test_bad_input():
    with pytest.raises(AreaCodeError, match="geen gemeente"):
        health_figures("WK034401")
    with pytest.raises(ParameterError, match=r"jaar 2019.*2012, 2016 of 2020"):
        health_figures("GM0344", 2019)
    with pytest.raises(ParameterError, match="rivm_geluk_18plus"):
        health_figures("GM0344", names=("geluk",))
