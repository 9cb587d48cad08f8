"""The RIVM-based Buurzaamheidsindex: coverage, wijk scale, trend API and bad input (issue 12)."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from doeagenda import data
from doeagenda.errors import AreaCodeError, DataError, FrameworkError
from doeagenda.index import (
    Framework,
    TrendWarning,
    buurzaamheidsindex,
    index_data,
    index_trend,
    load_framework,
    wijk_position,
)
from doeagenda.index import (
    wijken as wijken_module,
)
from doeagenda.index.wijken import REGROUPED, area_index

PG_LABELS = [
    "Lichaamsfuncties",
    "Mentaal welbevinden",
    "Zingeving",
    "Kwaliteit van leven",
    "Meedoen",
    "Dagelijks functioneren",
]


@pytest.fixture(scope="module")
def utrecht():
    return list(data.areas("gemeente", "Utrecht")["code"])


@pytest.fixture(scope="module")
def wijk_index():
    return area_index("buurzaamheid_wijken", "Utrecht", n=200, seed=0)


# --------------------------------------------------------------------- framework coverage
def test_every_pg_dimension_has_two_indicators_with_data_for_all_26(utrecht):
    fw = load_framework("buurzaamheid_gemeenten")
    assert [fw.label(d) for d in fw.dimensions][:6] == PG_LABELS
    wide = data.indicators(level="gemeente", provincie="Utrecht", wide=True).reindex(utrecht)
    for dim in fw.dimensions[:6]:
        with_data = [leaf for leaf in fw.children(dim) if leaf in wide and wide[leaf].notna().all()]
        if dim == "zingeving":
            # issue 20: vrijwilligerswerk moved to samenlevingskracht; the young adults'
            # confidence in their future lacks an estimate for Lopik, Oudewater and Renswoude,
            # where zingeving rests on mantelzorg alone
            assert with_data == ["rivm_mantelzorger_18plus"]
            missing = wide.index[wide["rivm_jv_vertrouwen_toekomst"].isna()]
            assert sorted(missing) == ["GM0331", "GM0339", "GM0589"]
            continue
        assert len(with_data) >= 2, (dim, with_data)


def test_every_indicator_says_why_and_its_weakness_and_zingeving_is_a_proxy():
    for name in ("buurzaamheid_gemeenten", "buurzaamheid_wijken", "buurzaamheid_buurten"):
        fw = load_framework(name)
        for leaf in fw.leaves:
            assert "Zwakte" in fw.node(leaf).rationale, (name, leaf)
        shipped = [leaf for leaf in fw.children("zingeving") if fw.node(leaf).status == "data"]
        assert shipped
        for leaf in shipped:
            # a proxy says so; the one direct measure (young adults' confidence in their own
            # future, gemeenten only) names the aspect of zingeving it measures
            direct = "aspecten van zingeving" in fw.node(leaf).rationale
            assert direct or "PROXY" in fw.node(leaf).rationale, (name, leaf)
            assert direct == (leaf == "rivm_jv_vertrouwen_toekomst"), (name, leaf)


def test_summary_for_amersfoort_has_no_missing_dimension():
    summary = buurzaamheidsindex("GM0307", n=50).summary()
    assert set(PG_LABELS) <= set(summary.index)
    assert summary["score"].notna().all()


def test_rivm_value_reaches_the_index_unchanged():
    # issue 12: rivm_eenzaam_18plus = 48.9 for gemeente Utrecht in 2020 (PROVENANCE check)
    fw = load_framework("buurzaamheid_gemeenten")
    frame = index_data(fw)
    assert frame.at["GM0344", "rivm_ernstig_eenzaam_18plus"] == pytest.approx(
        data.indicators("gemeente", year=2020, wide=True).at[
            "GM0344", "rivm_ernstig_eenzaam_18plus"
        ]
    )


# --------------------------------------------------------------------- wijken
def test_wijk_score_does_not_depend_on_the_gemeente_that_asks():
    wijken_module._cached_area_index.cache_clear()
    amersfoort = buurzaamheidsindex("GM0307", framework="buurzaamheid_wijken", n=50)
    wijken_module._cached_area_index.cache_clear()
    utrecht = buurzaamheidsindex("GM0344", framework="buurzaamheid_wijken", n=50)
    assert amersfoort.result is not utrecht.result  # two separate builds
    pd.testing.assert_series_equal(
        amersfoort.result.index.loc[amersfoort.among], utrecht.result.index.loc[amersfoort.among]
    )
    assert amersfoort.result.index.index.str.startswith("WK").all()
    assert set(amersfoort.among) == {c for c in amersfoort.among if c.startswith("WK0307")}


def test_wijken_are_normalised_on_the_scale_of_the_provincie(wijk_index):
    normalised = wijk_index.result.stages["normalised"]
    n_gemeenten = wijk_index.areas.loc[normalised.index, "gemeente_code"].nunique()
    assert n_gemeenten == 26
    # min-max over all 190 wijken of the provincie: 0 and 100 are reached somewhere in the
    # provincie, but not within one small gemeente
    assert (normalised.min() == 0).all() and (normalised.max() == 100).all()
    oudewater = wijk_index.of_gemeente("GM0589")
    assert not (normalised.loc[oudewater].max() == 100).all()


def test_unmatched_wijken_show_no_data_and_are_not_imputed(wijk_index):
    coverage = data.rivm_coverage("wijk", provincie="Utrecht")
    not_in_2020 = set(coverage.loc[~coverage["has_rivm"], "code"])
    assert len(not_in_2020) == 222 - 190
    assert not_in_2020 <= set(wijk_index.unmatched.index)
    assert not not_in_2020 & set(wijk_index.result.scores.index)
    assert set(wijk_index.reasons[list(not_in_2020)]) == {REGROUPED}
    code = sorted(not_in_2020)[0]
    position = wijk_position(code, n=200)
    assert np.isnan(position.score) and position.reason == REGROUPED


def test_rank_interval_contains_the_rank(wijk_index):
    table = wijk_index.ranks()
    assert len(table) == 190 and table["rank"].min() == 1
    assert ((table["rank_low"] <= table["rank"]) & (table["rank"] <= table["rank_high"])).all()


def test_wijk_position_matches_an_independent_rank(wijk_index):
    position = wijk_position("WK034401", n=200)
    root = wijk_index.result.index
    assert position.rank == 1 + int((root > root["WK034401"]).sum())
    assert position.n == 190
    assert position.rank_low <= position.rank <= position.rank_high
    assert position.summary().shape == (1, 5)


@pytest.mark.parametrize("code", ["WK999999", "GM0344", "BU03440000"])
def test_wijk_position_rejects_codes_that_are_not_wijken(code):
    with pytest.raises(AreaCodeError, match=code):
        wijk_position(code)


@pytest.mark.slow
def test_wijk_index_works_for_every_utrecht_gemeente(utrecht):
    for code in utrecht:
        story = buurzaamheidsindex(code, framework="buurzaamheid_wijken", n=50)
        assert story.among and all(c.startswith("WK" + code[2:]) for c in story.among)
        section = buurzaamheidsindex(code, n=50).wijken()
        assert (
            len(section.table()) == (data.areas("wijk", "Utrecht")["gemeente_code"] == code).sum()
        )


def test_standouts_are_in_the_extreme_tenth_of_the_provincie(wijk_index):
    from doeagenda.index.wijken import LONELINESS, WijkenSection

    section = WijkenSection("GM0344", "Utrecht", wijk_index)
    table = section.standouts()
    values = data.indicators("wijk", provincie="Utrecht", year=2020, wide=True)[LONELINESS]
    values = values.reindex(wijk_index.result.scores.index)
    high = values.quantile(0.9)
    lonely = table.index[table["valt op"].str.contains("veel eenzaamheid")]
    assert (values[lonely] >= high - 1e-9).all()


# --------------------------------------------------------------------- trend
def test_trend_columns_dropped_attribute_and_warning():
    with pytest.warns(TrendWarning) as caught:
        frame = index_trend("buurzaamheid_gemeenten", years=(2016, 2020), n=100)
    assert "rivm_beperkt_gezondheid_18plus" in str(caught[0].message)
    assert list(frame.columns) == ["code", "year", "score", "rank", "rank_low", "rank_high"]
    assert "rivm_beperkt_gezondheid_18plus" in frame.attrs["dropped"]  # 2020 only
    assert "rivm_vrijwilligerswerk_18plus" not in frame.attrs["dropped"]
    assert sorted(frame["year"].unique()) == [2016, 2020]
    assert len(frame) == 2 * 26
    assert ((frame["rank_low"] <= frame["rank"]) & (frame["rank"] <= frame["rank_high"])).all()


def test_trend_drops_an_empty_dimension_with_a_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = index_trend("buurzaamheid_gemeenten", years=(2012, 2016, 2020), n=50)
    messages = " ".join(str(w.message) for w in caught if w.category is TrendWarning)
    assert "Dagelijks functioneren" in messages
    assert "Dagelijks functioneren" in frame.attrs["dropped_dimensions"]
    assert "rivm_vrijwilligerswerk_18plus" in frame.attrs["dropped"]  # not asked in 2012


def test_trend_scores_equal_an_independent_min_max_over_all_waves():
    fw = {
        "name": "twee indicatoren",
        "nodes": [
            {"id": "rivm_eenzaam_18plus", "parent": "r", "direction": -1},
            {"id": "rivm_ervaren_gezondheid_goed_18plus", "parent": "r"},
            {"id": "r"},
        ],
    }
    frame = index_trend(fw, years=(2012, 2020), n=20)
    long = data.indicators("gemeente", provincie="Utrecht")
    long = long[long["year"].isin([2012, 2020])]
    wide = long.pivot_table(index=["code", "year"], columns="indicator", values="value")
    lonely, health = wide["rivm_eenzaam_18plus"], wide["rivm_ervaren_gezondheid_goed_18plus"]
    expected = 50 * (lonely.max() - lonely) / (lonely.max() - lonely.min()) + 50 * (
        health - health.min()
    ) / (health.max() - health.min())
    got = frame.set_index(["code", "year"])["score"]
    pd.testing.assert_series_equal(
        got.sort_index(), expected.reindex(got.index).sort_index(), check_names=False
    )
    year_2020 = frame[frame["year"] == 2020].set_index("code")["score"]
    assert frame.loc[frame["year"] == 2020, "rank"].tolist() == (
        year_2020.rank(ascending=False, method="min").astype(int).tolist()
    )


def test_trend_with_fewer_than_two_indicators_is_a_clear_error():
    fw = {
        "name": "te weinig",
        "nodes": [
            {"id": "rivm_vrijwilligerswerk_18plus", "parent": "r"},
            {"id": "rivm_beweegrichtlijn_18plus", "parent": "r"},
            {"id": "rivm_eenzaam_18plus", "parent": "r", "direction": -1},
            {"id": "r"},
        ],
    }
    with pytest.raises(DataError, match=r"ten minste twee.*rivm_vrijwilligerswerk_18plus"):
        index_trend(fw, years=(2012, 2020), n=10)


# --------------------------------------------------------------------- bad input
def test_rivm_indicator_without_data_at_the_level_is_one_clear_error():
    fw = {
        "name": "verkeerde leeftijd",
        "level": "wijk",
        "nodes": [
            {"id": "rivm_eenzaam_18plus", "parent": "r", "direction": -1},
            {"id": "rivm_beperkt_gezondheid_18_64", "parent": "r", "direction": -1},
            {"id": "r"},
        ],
    }
    with pytest.raises(FrameworkError, match=r"rivm_beperkt_gezondheid_18_64.*niveau 'wijk'"):
        index_data(fw, provincie="Utrecht")
    with pytest.raises(FrameworkError, match="rivm_beperkt_gezondheid_18_64"):
        index_trend(fw, years=(2016, 2020), level="wijk")


def test_gemeente_only_indicator_in_a_wijk_framework_names_the_levels():
    fw = {
        "name": "gemeente-indicator op wijkniveau",
        "level": "wijk",
        "nodes": [
            {"id": "rivm_eenzaam_18plus", "parent": "r", "direction": -1},
            {"id": "kwb21_wmo_clients_per_1000", "parent": "r", "direction": -1},
            {"id": "r"},
        ],
    }
    with pytest.raises(FrameworkError, match=r"kwb21_wmo_clients_per_1000.*gemeente"):
        index_data(fw, provincie="Utrecht")


def test_wijk_map_shows_every_wijk_of_the_gemeente_grey_without_data():
    story = buurzaamheidsindex("GM0307", framework="buurzaamheid_wijken", n=50)
    spec = story.map().to_dict()
    codes = {f["properties"]["code"] for f in json.loads(spec["data"]["values"])}
    wijken = set(data.areas("wijk", "Utrecht").query("gemeente_code == 'GM0307'")["code"])
    assert codes == wijken
    assert "isValid(datum.score)" in str(spec)  # wijken without a score are drawn grey


def test_young_adult_rivm_indicator_in_a_wijk_framework_is_one_clear_error():
    # rivm_jv_* (50140NED) exist for NL and gemeenten only
    fw = {
        "name": "jongvolwassenen per wijk",
        "level": "wijk",
        "nodes": [
            {"id": "rivm_eenzaam_18plus", "parent": "r", "direction": -1},
            {"id": "rivm_jv_eenzaam", "parent": "r", "direction": -1},
            {"id": "r"},
        ],
    }
    with pytest.raises(
        FrameworkError, match=r"'rivm_jv_eenzaam' heeft geen gegevens op niveau 'wijk'.*gemeente"
    ):
        index_data(fw, provincie="Utrecht")
    with pytest.raises(FrameworkError, match="rivm_jv_eenzaam"):
        wijken_module._build_area_index(Framework.from_dict(fw), "Utrecht", 10, 0)
