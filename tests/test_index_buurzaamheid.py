"""The Buurzaamheid frameworks build on the shipped data; survey dimensions fill from a file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from doeagenda import data
from doeagenda.index import Framework, build_index, index_data

PG_DIMS = (
    "lichaamsfuncties",
    "mentaal_welbevinden",
    "zingeving",
    "kwaliteit_van_leven",
    "meedoen",
    "dagelijks_functioneren",
)


@pytest.fixture(scope="module")
def gemeenten(repo):
    fw = Framework.from_yaml(repo / "params/frameworks/buurzaamheid_gemeenten.yaml")
    return fw, build_index(index_data(fw), fw)


@pytest.fixture(scope="module")
def utrecht_codes():
    return list(data.areas("gemeente", "Utrecht")["code"])


def test_framework_documents_every_indicator(repo):
    files = {
        "buurzaamheid_gemeenten.yaml": 7,
        "buurzaamheid_wijken_utrecht.yaml": 7,
        "buurzaamheid_wijken.yaml": 7,
        "buurzaamheid_buurten.yaml": 6,
    }
    shipped = set(data.dictionary()["indicator"])
    for name, n_dims in files.items():
        fw = Framework.from_yaml(repo / "params/frameworks" / name)
        assert len(fw.dimensions) == n_dims, name
        for leaf in fw.leaves:
            node = fw.node(leaf)
            assert node.source and node.rationale and node.label, leaf
            assert (leaf in shipped) != (node.status == "needs_input"), leaf


def test_gemeenten_build_all_gemeenten(gemeenten, utrecht_codes):
    fw, result = gemeenten
    assert len(result.scores) >= 330
    assert set(utrecht_codes) <= set(result.scores.index)
    root = result.scores[fw.root]
    assert root.loc[utrecht_codes].notna().all()
    assert root.between(0, 100).all() or root.dropna().between(0, 100).all()
    for dim in PG_DIMS:
        assert result.scores.loc[utrecht_codes, dim].notna().all(), dim
        assert dim not in result.missing_nodes
    table = result.summary(among=utrecht_codes)
    assert len(table) == 26 and table["rang_selectie"].min() == 1


def test_survey_file_fills_ph22_zingeving(tmp_path, gemeenten):
    fw, before = gemeenten
    assert "ph_zingeving" in before.missing_nodes  # the real zingeving measure needs a survey
    codes = list(before.scores.index)
    rng = np.random.default_rng(0)
    own = pd.DataFrame(
        {"code": codes, "indicator": "ph_zingeving", "year": 2025,
         "value": rng.uniform(5, 9, len(codes))}
    )  # fmt: skip
    frame = index_data(fw, extra=own)
    assert frame["ph_zingeving"].notna().all()
    after = build_index(frame, fw)
    assert "ph_zingeving" not in after.missing_nodes
    # the zingeving score moves: the survey now counts next to the proxies
    assert not np.allclose(after.scores["zingeving"], before.scores["zingeving"])


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
    assert "geen gegevens" not in str(specs[2])  # all six dimensions have data now
    contrib = result.contributions(unit)
    assert contrib["contribution"].sum() == pytest.approx(result.scores.at[unit, fw.root])


@pytest.mark.slow
def test_story_for_every_utrecht_gemeente(utrecht_codes):
    from doeagenda.index import buurzaamheidsindex

    for code in utrecht_codes:
        story = buurzaamheidsindex(code, n=50)
        summary = story.summary()
        assert summary.loc["Buurzaamheidsindex", "aantal in provincie"] == 26
        assert 1 <= summary.loc["Buurzaamheidsindex", "rang in provincie"] <= 26
        assert summary["score"].notna().all()
        assert "van 26" in story.summary_text()
        assert story.contributions()["bijdrage"].sum() > 0
        assert "van de 26" in story.uncertainty_text().data
