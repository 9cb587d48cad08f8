"""The Buurzaamheid frameworks build on the shipped data; survey dimensions fill from a file."""

from __future__ import annotations

import numpy as np
import pytest

from doeagenda import data
from doeagenda.index import Framework, build_index, index_data

SURVEY_DIMS = ("mentaal_welbevinden", "zingeving")


@pytest.fixture(scope="module")
def gemeenten(repo):
    fw = Framework.from_yaml(repo / "params/frameworks/buurzaamheid_gemeenten.yaml")
    return fw, build_index(index_data(fw), fw)


@pytest.fixture(scope="module")
def utrecht_codes():
    return list(data.areas("gemeente", "Utrecht")["code"])


def test_framework_documents_every_indicator(repo):
    for name in ("buurzaamheid_gemeenten.yaml", "buurzaamheid_wijken_utrecht.yaml"):
        fw = Framework.from_yaml(repo / "params/frameworks" / name)
        assert len(fw.dimensions) == 7
        for leaf in fw.leaves:
            node = fw.node(leaf)
            assert node.source and node.rationale and node.label, leaf
        shipped = set(data.dictionary()["indicator"])
        for leaf in fw.leaves:
            assert (leaf in shipped) != (fw.node(leaf).status == "needs_input"), leaf


def test_gemeenten_build_all_gemeenten(gemeenten, utrecht_codes):
    fw, result = gemeenten
    assert len(result.scores) >= 330
    assert set(utrecht_codes) <= set(result.scores.index)
    root = result.scores[fw.root]
    assert root.loc[utrecht_codes].notna().all()
    assert root.between(0, 100).all() or root.dropna().between(0, 100).all()
    for dim in SURVEY_DIMS:
        assert result.scores[dim].isna().all()
        assert dim in result.missing_nodes
    table = result.summary(among=utrecht_codes)
    assert len(table) == 26 and table["rang_selectie"].min() == 1


def test_survey_file_fills_mentaal_welbevinden(repo, tmp_path, gemeenten):
    fw, before = gemeenten
    codes = list(before.scores.index)
    rng = np.random.default_rng(0)
    path = tmp_path / "voorbeeld_gezondheidsmonitor.csv"
    lines = ["code;jaar;Ernstig eenzaam (%);Hoog risico op angst of depressie (%)"]
    lines += [f"{c};2022;{rng.uniform(5, 20):.1f};{rng.uniform(5, 25):.1f}" for c in codes]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame = index_data(fw, extra=path)
    assert frame["ernstig_eenzaam"].notna().all()
    after = build_index(frame, fw)
    assert after.scores["mentaal_welbevinden"].notna().all()
    assert "mentaal_welbevinden" not in after.missing_nodes
    assert "zingeving" in after.missing_nodes


def test_wijken_utrecht_builds_buurten_and_wijken(repo):
    fw = Framework.from_yaml(repo / "params/frameworks/buurzaamheid_wijken_utrecht.yaml")
    buurten = index_data(fw)
    assert buurten.index.str.startswith("BU0344").all() and len(buurten) > 100
    result = build_index(buurten, fw)
    assert result.scores[fw.root].notna().sum() > 90
    assert result.treatment["treated"].any()  # small buurten give outliers
    wijken = build_index(index_data(fw, level="wijk"), fw)
    assert len(wijken.scores) == 10
    unc = result.uncertainty(n=100, seed=0)
    assert unc.ranks.shape[0] == 100


def test_charts_are_valid_vega_lite(gemeenten, utrecht_codes):
    fw, result = gemeenten
    unit = "GM0344"
    specs = [
        result.chart(highlight=unit, among=utrecht_codes).to_dict(),
        result.map_chart(provincie="Utrecht", highlight=unit).to_dict(),
        result.profile_chart(unit).to_dict(),
        result.contributions_chart(unit).to_dict(),
    ]
    assert specs[0]["mark"]["type"] == "bar"
    assert "geen gegevens" in str(specs[2])
    contrib = result.contributions(unit)
    assert contrib["contribution"].sum() == pytest.approx(result.scores.at[unit, fw.root])


@pytest.mark.slow
def test_story_for_every_utrecht_gemeente(utrecht_codes):
    from doeagenda.index import buurzaamheidsindex

    for code in utrecht_codes:
        story = buurzaamheidsindex(code, n=50)
        summary = story.summary()
        assert summary.loc["Buurzaamheidsindex", "rang in provincie"].endswith("van 26")
        assert "geen gegevens" in summary["score"].tolist()
        assert story.contributions()["bijdrage"].sum() > 0
        assert "van de 26" in story.uncertainty_text().data
