"""Issue 20: samenlevingskracht measured (Leefbaarometer), the index against an outside measure.

References are independent of the code under test: correlations from ``scipy.stats``, the
index without ``lbm_`` inputs rebuilt from an edited copy of the YAML, the Leefbaarometer
values from the tidy table (itself checked by hand against the source in
``test_data_lbm.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats
from typer.testing import CliRunner

from doeagenda import data
from doeagenda.cli import app
from doeagenda.errors import AreaCodeError, EstimationError, FrameworkError, ParameterError
from doeagenda.index import (
    Framework,
    build_index,
    buurzaamheidsindex,
    cohesion_trend,
    index_data,
    load_framework,
)
from doeagenda.results import NotApplicable

runner = CliRunner()


@pytest.fixture(scope="module")
def zeist():
    return buurzaamheidsindex("GM0355", n=50)


# --------------------------------------------------------------------- the frameworks
@pytest.mark.parametrize("name", ["buurzaamheid_gemeenten", "buurzaamheid_wijken"])
def test_samenlevingskracht_rests_on_sociale_samenhang(name):
    fw = load_framework(name)
    assert "samenlevingskracht" in fw.dimensions
    children = fw.children("samenlevingskracht")
    weights = {leaf: fw.node(leaf).weight for leaf in children}
    main = max(weights, key=lambda leaf: weights[leaf])
    assert main == "lbm_sociale_samenhang"
    assert weights[main] >= sum(weights.values()) / 2  # the main measure: half or more
    assert "HOOFDMAAT" in fw.node(main).rationale
    # what does not measure community strength is out of the dimension (and the index)
    assert not {"rk25_eenpersoonshuishoudens_pct", "kwb21_youth_care_pct"} & set(fw.leaves)
    for leaf in children:
        assert "samenlevingskracht" in fw.node(leaf).rationale.lower() or leaf == main
    assert fw.label("samenlevingskracht") == "Samenlevingskracht (sociale samenhang)"
    # the six dimension labels of Positieve Gezondheid are kept
    assert [fw.label(d) for d in fw.dimensions][:6] == [
        "Lichaamsfuncties", "Mentaal welbevinden", "Zingeving", "Kwaliteit van leven",
        "Meedoen", "Dagelijks functioneren",
    ]  # fmt: skip


def test_framework_table_shows_the_reasoning(zeist):
    table = zeist.framework_table().set_index("indicator")
    row = table.loc["Sociale samenhang (Leefbaarometer, 2022)"]
    assert row["dimensie"] == "Samenlevingskracht (sociale samenhang)"
    assert row["gegevens"] == "ja" and row["gewicht"] == 1.0
    assert "oordeel van bewoners" in row["waarom"] and "Zwakte" in row["waarom"]
    assert "Leefbaarometer 3.0" in row["bron"]
    vrijwilligers = table.loc["Doet vrijwilligerswerk (%, 18+)"]
    assert vrijwilligers["dimensie"] == "Samenlevingskracht (sociale samenhang)"


def test_index_takes_the_2022_value_of_sociale_samenhang():
    fw = load_framework("buurzaamheid_gemeenten")
    frame = index_data(fw)
    expected = data.indicators("gemeente", year=2022, wide=True)["lbm_sociale_samenhang"]
    pd.testing.assert_series_equal(
        frame["lbm_sociale_samenhang"], expected.reindex(frame.index), check_names=False
    )
    # Amsterdam has no Leefbaarometer figure (wijken recoded after 2022): samenlevingskracht
    # rests on volunteering there, by the dimension's rule (1 of 2 indicators), not imputed
    result = build_index(frame, fw)
    assert np.isnan(frame.at["GM0363", "lbm_sociale_samenhang"])
    assert not np.isnan(result.scores.at["GM0363", "samenlevingskracht"])


def _framework(year_key: dict) -> dict:
    return {
        "name": "Proef",
        "level": "gemeente",
        **year_key.get("framework", {}),
        "nodes": [
            {"id": "lbm_sociale_samenhang", "parent": "sk", **year_key.get("node", {})},
            {"id": "rivm_vrijwilligerswerk_18plus", "parent": "sk"},
            {"id": "sk", "parent": "r"},
            {"id": "r"},
        ],
    }


@pytest.mark.parametrize(
    "year_key", [{"framework": {"year": 2012}}, {"node": {"year": 2008}}, {"node": {"year": 2016}}]
)
def test_lbm_dimension_before_2014_is_refused_on_load(tmp_path, year_key):
    spec = _framework(year_key)
    with pytest.raises(FrameworkError) as caught:
        Framework.from_dict(spec, source="proef.yaml")
    message = str(caught.value)
    assert "\n" not in message and "proef.yaml" in message
    assert "lbm_sociale_samenhang" in message and "2014, 2018, 2020 en 2022" in message
    # the CLI: one line, exit code 2, nothing written
    path = tmp_path / "proef.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    out = tmp_path / "scores.csv"
    for args in (["index", "check", str(path)], ["index", "build", str(path), "--out", str(out)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        assert result.stderr.startswith("fout: ") and result.stderr.count("\n") == 1
        assert "Traceback" not in result.output
    assert not out.exists()


def test_lbm_score_may_go_back_to_2002_and_a_pinned_year_is_used():
    fw = Framework.from_dict(
        {
            "name": "Proef",
            "level": "gemeente",
            "nodes": [
                {"id": "lbm_score", "parent": "r", "year": 2002},
                {"id": "lbm_sociale_samenhang", "parent": "r", "year": 2018},
                {"id": "r"},
            ],
        }
    )
    frame = index_data(fw, provincie="Utrecht")
    for leaf, year in (("lbm_score", 2002), ("lbm_sociale_samenhang", 2018)):
        expected = data.indicators("gemeente", provincie="Utrecht", year=year, wide=True)[leaf]
        assert np.allclose(frame[leaf], expected.reindex(frame.index))
    latest = data.indicators("gemeente", provincie="Utrecht", year=2022, wide=True)["lbm_score"]
    assert not np.allclose(frame["lbm_score"], latest.reindex(frame.index))
    with pytest.raises(FrameworkError, match=r"lbm_score.*2005"):
        Framework.from_dict(
            {"name": "x", "nodes": [{"id": "lbm_score", "parent": "r", "year": 2005}, {"id": "r"}]}
        )


# --------------------------------------------------------------------- validity
def _without_lbm_by_hand(repo) -> pd.Series:
    spec = yaml.safe_load((repo / "params/frameworks/buurzaamheid_gemeenten.yaml").read_text())
    spec["nodes"] = [n for n in spec["nodes"] if not n["id"].startswith("lbm_")]
    fw = Framework.from_dict(spec)
    return build_index(index_data(fw), fw).scores[fw.root]


def test_validity_summary_against_scipy(repo, zeist):
    result = zeist.validity()
    summary = result.summary()
    assert {"level", "n", "spearman", "pearson"} <= set(summary.columns)
    main = summary[summary["maat"] == "Leefbaarometer-score 2022"].set_index(["level", "gebied"])
    assert list(main.index) == [
        ("gemeente", "provincie Utrecht"), ("gemeente", "Nederland"), ("wijk", "provincie Utrecht")
    ]  # fmt: skip
    built = zeist.result.scores[zeist.framework.root]
    plain = _without_lbm_by_hand(repo)
    outside = data.indicators("gemeente", year=2022, wide=True)["lbm_score"]
    utrecht = list(data.areas("gemeente", "Utrecht")["code"])
    for gebied, codes in (("provincie Utrecht", utrecht), ("Nederland", list(built.index))):
        frame = pd.DataFrame(
            {"x": built.reindex(codes), "p": plain.reindex(codes), "y": outside.reindex(codes)}
        ).dropna()
        row = main.loc[("gemeente", gebied)]
        assert row["n"] == len(frame)
        assert row["spearman"] == pytest.approx(stats.spearmanr(frame["x"], frame["y"])[0])
        assert row["pearson"] == pytest.approx(stats.pearsonr(frame["x"], frame["y"])[0])
        assert row["spearman_zonder_lbm"] == pytest.approx(
            stats.spearmanr(frame["p"], frame["y"])[0]
        )
        assert row["pearson_zonder_lbm"] == pytest.approx(stats.pearsonr(frame["p"], frame["y"])[0])
    assert main.loc[("gemeente", "provincie Utrecht"), "n"] == 26
    assert main.loc[("wijk", "provincie Utrecht"), "n"] >= 180
    # the second outside measure: the score without its sociale samenhang contribution
    other = summary[summary["maat"].str.contains("zonder sociale samenhang")]
    assert len(other) == 3
    wide = data.indicators("gemeente", year=2022, wide=True)
    minus = (wide["lbm_score"] - wide["lbm_sociale_samenhang"]).reindex(utrecht)
    x = built.reindex(utrecht)
    row = other[other["gebied"] == "provincie Utrecht"].iloc[0]
    assert row["spearman"] == pytest.approx(stats.spearmanr(x, minus)[0])


def test_validity_text_chart_and_which_number_to_believe(zeist):
    result = zeist.validity()
    text = result.text().data
    assert "Geloof daarom het getal zonder lbm_-indicatoren" in text
    assert "Wat dit wel laat zien" in text and "Wat niet" in text
    assert "oorzaak en gevolg" in text
    believe = result.believe()
    main = result.summary()
    main = main[main["maat"] == "Leefbaarometer-score 2022"]
    assert list(believe) == list(main["spearman_zonder_lbm"])
    spec = result.chart().to_dict()
    assert len(spec["hconcat"]) == 2  # gemeenten and wijken
    as_text = str(spec)
    assert "Zeist" in as_text and "deze gemeente" in as_text and "wijken van de gemeente" in as_text
    points = result.to_frame()
    assert set(points.loc[points["deze"] & (points["level"] == "gemeente"), "code"]) == {"GM0355"}
    wijken = points[(points["level"] == "wijk") & points["deze"]]
    assert len(wijken) and wijken["code"].str.startswith("WK0355").all()


def test_validity_outside_the_wijk_scale_and_a_small_provincie():
    # Almere (Flevoland: 6 gemeenten) has no wijk scale and too few gemeenten in its provincie
    almere = buurzaamheidsindex("GM0034", n=50)
    result = almere.validity()
    summary = result.summary()
    assert set(summary["gebied"]) == {"Nederland"} and set(summary["level"]) == {"gemeente"}
    text = result.text().data
    assert "Niet op wijkniveau" in text and "Te weinig gebieden" in text
    assert "gemeenten van provincie Flevoland" in text and "minstens 10 nodig" in text
    with pytest.raises(ParameterError) as caught:
        almere.validity(level="wijk")
    assert "\n" not in str(caught.value) and "wijkniveau" in str(caught.value)


def test_validity_with_fewer_than_ten_areas_is_one_clear_line(tmp_path):
    # a wijk index of one small provincie selection: Oudewater's 4 wijken on their own scale
    spec = yaml.safe_load(
        load_framework("buurzaamheid_wijken").to_yaml(tmp_path / "w.yaml").read_text()
    )
    spec.pop("provincie")
    spec["gemeente"] = "GM0589"
    spec["min_coverage"] = 0.5
    path = tmp_path / "oudewater.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    story = buurzaamheidsindex("GM0589", framework=path, n=20)
    with pytest.raises(EstimationError) as caught:
        story.validity()
    message = str(caught.value)
    assert "\n" not in message and "minstens 10 nodig" in message
    out = tmp_path / "validity.csv"
    result = runner.invoke(
        app, ["index", "validity", "GM0589", "--framework", str(path), "--out", str(out)]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("fout: ") and result.stderr.count("\n") == 1
    assert not out.exists()


def test_validity_of_a_buurt_index_does_not_apply():
    story = buurzaamheidsindex("GM0344", framework="buurzaamheid_wijken_utrecht", n=20)
    result = story.validity()
    assert isinstance(result, NotApplicable) and "niet per buurt" in result.reason
    assert result.chart() is None
    with pytest.raises(ParameterError):
        story.validity(level="gemeente")


def test_cli_validity_prints_the_table():
    result = runner.invoke(app, ["index", "validity", "GM0355"])
    assert result.exit_code == 0, result.output
    assert "Leefbaarometer-score 2022" in result.stdout and "Nederland" in result.stdout
    assert "spearman_zonder_lbm" in result.stdout


# --------------------------------------------------------------------- cohesion trend
def test_cohesion_trend_of_vijfheerenlanden_includes_its_new_wijken():
    trend = cohesion_trend("GM1961")
    table = trend.to_frame()
    assert set(table["jaar"]) == {2014, 2018, 2020, 2022}
    wijken = table[table["soort"] == "wijk"]
    assert wijken["code"].nunique() == 39  # all 39, also the 29 RIVM lacks
    assert "WK196111" in set(wijken["code"])
    value = wijken[(wijken["code"] == "WK196111") & (wijken["jaar"] == 2018)]["waarde"].iloc[0]
    long = data.indicators("wijk", codes=["WK196111"], year=2018)
    assert value == long.loc[long["indicator"] == "lbm_sociale_samenhang", "value"].iloc[0]
    summary = trend.summary()
    assert list(summary.columns) == [2014, 2018, 2020, 2022, "verandering"]
    row = summary.loc[("gemeente", "Vijfheerenlanden")]
    assert row["verandering"] == pytest.approx(row[2022] - row[2014])
    text = trend.text().data
    assert "kleiner is dan de onzekerheid is geen verandering" in text
    assert "geen marges" in text
    spec = trend.chart().to_dict()
    assert spec["layer"][0]["mark"]["type"] == "line"


def test_cohesion_trend_says_what_is_missing():
    amersfoort = cohesion_trend("GM0307")
    assert "Vathorst-Bovenduist (WK030732)" in amersfoort.text().data
    nieuwegein = cohesion_trend("GM0356")
    assert "grens in 2024 is gewijzigd" in nieuwegein.text().data
    amsterdam = cohesion_trend("GM0363")
    assert isinstance(amsterdam, NotApplicable) and "Amsterdam" in amsterdam.reason
    with pytest.raises(AreaCodeError):
        cohesion_trend("GM9999")


# --------------------------------------------------------------------- every gemeente
def test_gemeente_outside_utrecht_ranks_in_its_own_provincie():
    groningen = buurzaamheidsindex("GM0014", n=50)
    assert groningen.provincie == "Groningen"
    summary = groningen.summary()
    provincie = set(data.areas("gemeente", "Groningen")["code"])
    assert set(groningen.among) <= provincie
    assert summary.loc["Buurzaamheidsindex", "aantal in NL"] >= 330
    assert summary.loc["Buurzaamheidsindex", "aantal in provincie"] <= len(provincie)
    assert "Samenlevingskracht (sociale samenhang)" in summary.index
    wijken = groningen.wijken()
    assert isinstance(wijken, NotApplicable)
    assert "provincie Utrecht" in wijken.reason and "Groningen" in wijken.reason
    assert groningen.wijk_trend().chart() is None
    assert groningen.wijken().table() is None
    # but the Leefbaarometer covers its wijken
    assert groningen.cohesion_trend().to_frame()["soort"].eq("wijk").any()
    with pytest.raises(AreaCodeError, match="provincie Groningen"):
        buurzaamheidsindex("GM0014", framework="buurzaamheid_wijken", n=20)


# --------------------------------------------------------------------- the notebook
@pytest.mark.slow
@pytest.mark.parametrize(
    ("gemeente", "naam", "provincie"),
    [("GM0014", "Groningen", "Groningen"), ("GM0034", "Almere", "Flevoland")],
)
def test_notebook_runs_for_gemeenten_outside_utrecht(
    repo, tmp_path, gemeente, naam, provincie, outputs_text, chart_outputs
):
    import papermill

    notebook = papermill.execute_notebook(
        str(repo / "notebooks" / "buurzaamheidsindex.ipynb"),
        str(tmp_path / "uit.ipynb"),
        parameters={"gemeente": gemeente, "runs": 100},
        cwd=str(repo / "notebooks"),
        progress_bar=False,
        kernel_name="python3",
    )
    text = outputs_text(notebook)
    assert f"**{naam}** ({gemeente}) tussen 342 gemeenten" in text
    assert "in 90% van de gevallen" in text
    # its wijken are not on the Utrecht wijk scale: one sentence, the section goes on
    assert f"De wijken van {naam} staan niet op een wijkschaal" in text
    assert f"provincie {provincie}" in text
    assert "Hangt de Buurzaamheidsindex samen met wat bewoners zelf leefbaar vinden?" in text
    assert "Niet op wijkniveau" in text
    assert "De **sociale samenhang** van de Leefbaarometer 3.0" in text
    assert "kleiner is dan de onzekerheid is geen verandering" in text
    assert "Traceback" not in text
    # ranking, map, profile, contributions, uncertainty, Sobol, validity, cohesion, trend
    assert len(chart_outputs(notebook)) >= 9
