"""Zichtbaarheid: counts per gemeente and per 10,000 inhabitants, map, white spots."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import doeagenda.initiatives as ini
from doeagenda import data
from doeagenda.errors import AreaCodeError, ParameterError
from doeagenda.results import NotApplicable


@pytest.fixture(scope="module")
def voorbeeld():
    return ini.load_register("voorbeeld")


def test_counts_per_gemeente_against_population(voorbeeld):
    table = ini.counts_per_gemeente(voorbeeld).set_index("gemeente_code")
    assert len(table) == 26
    assert table["initiatieven"].sum() == len(voorbeeld)
    peil = pd.Timestamp("2026-01-01")
    running = voorbeeld.loc[
        (voorbeeld["gemeente_code"] == "GM0344")
        & ~(voorbeeld["einddatum"].notna() & (voorbeeld["einddatum"] <= peil))
    ]
    pop = data.population("gemeente", "Utrecht")["GM0344"]
    assert table.loc["GM0344", "lopend"] == len(running)
    assert table.loc["GM0344", "per_10000"] == pytest.approx(len(running) / pop * 10_000)


def test_voorbeeld_counts_scale_with_population(voorbeeld):
    table = ini.counts_per_gemeente(voorbeeld)
    assert table["initiatieven"].corr(table["inwoners"]) > 0.9


def test_counts_by_domain_and_target_group(voorbeeld):
    domains = ini.counts_by(voorbeeld, "domein", "GM0344")
    assert domains["provincie"].sum() == len(ini.running(voorbeeld))
    assert domains["aandeel_provincie"].sum() == pytest.approx(1.0)
    assert domains["aandeel_gemeente"].sum() == pytest.approx(1.0)
    groups = ini.counts_by(voorbeeld, "doelgroep")
    assert set(groups["doelgroep"]) <= set(ini.TARGET_GROUPS) | {"onbekend"}
    with pytest.raises(ParameterError):
        ini.counts_by(voorbeeld, "naam")


def test_counts_view_shows_shares_in_whole_percent_under_dutch_headers():
    # the real register in Zeist: 2 of the provincie's 34 cooperatives (PROVENANCE), and all
    # of Zeist's initiatives are cooperatives, so the gemeente's share is 100%
    energie = ini.load_register("energie_2019")
    view = ini.counts_view(energie, "thema", "GM0355")
    shown = view.data.set_index("thema")
    assert list(shown.columns) == [
        "provincie (aantal)",
        "provincie (%)",
        "gemeente (aantal)",
        "gemeente (%)",
    ]
    assert shown.loc["energiecoöperatie", "provincie (aantal)"] == 34
    assert shown.loc["energiecoöperatie", "gemeente (%)"] == 100
    assert shown.loc["energiecoöperatie", "provincie (%)"] == 100  # only cooperatives run
    html = view.to_html()
    assert "0," not in html.split("<tbody>")[1]  # whole percentages, no fractions
    empty = ini.counts_view(energie, "doelgroep", "GM0355")
    assert isinstance(empty, NotApplicable) and "doelgroep" in empty.reason


def test_counts_by_counts_the_provincie_of_a_national_register():
    # the LEM register covers the country: the provincie column is provincie Utrecht's
    # 34 cooperatives (PROVENANCE of ../shared/data), not the 449 of the country
    energie = ini.load_register("energie_2019")
    kinds = ini.counts_by(energie, "thema", "GM0355").set_index("thema")
    assert kinds.loc["energiecoöperatie", "provincie"] == 34
    assert kinds.loc["energiecoöperatie", "gemeente"] == 2


def test_map_and_visibility_result(voorbeeld):
    vis = ini.visibility(voorbeeld, "GM0355")
    summary = vis.summary()
    assert list(summary["gebied"]) == ["Zeist", "provincie Utrecht"]
    assert summary.iloc[1]["per 10.000 inwoners"] == pytest.approx(vis.rate_province())
    spec = vis.chart().to_dict()
    features = json.loads(spec["layer"][0]["data"]["values"])
    assert len(features) == 26
    assert json.loads(spec["layer"][1]["data"]["values"])[0]["properties"]["code"] == "GM0355"
    assert vis.rate_chart().to_dict()["title"].startswith("Initiatieven per 10.000")
    assert set(vis.wijken["weergave"]) - {"<5", "afgeschermd"} <= {
        str(v) for v in vis.wijken["lopend"].dropna()
    }
    with pytest.raises(AreaCodeError, match="GM9999"):
        ini.visibility(voorbeeld, "GM9999")


def test_white_spots_with_an_own_need_measure(voorbeeld):
    counts = ini.counts_per_gemeente(voorbeeld)
    # need = minus the initiative rate: every low-rate gemeente is high-need
    need = pd.Series(-counts["per_10000"].to_numpy(), index=counts["gemeente_code"], name="test")
    result = ini.white_spots(voorbeeld, need=need)
    table = result.to_frame()
    expected = (table["behoefte_pct"] >= 200 / 3) & (table["aanbod_pct"] <= 100 / 3)
    assert (table["witte_vlek"] == expected).all()
    assert (
        result.summary()["gemeente_code"]
        .isin(counts.nsmallest(9, "per_10000")["gemeente_code"])
        .all()
    )
    assert len(result.summary()) >= 8


def test_white_spots_on_a_shipped_indicator(voorbeeld):
    result = ini.white_spots(voorbeeld, need=ini.DEFAULT_NEED)
    table = result.to_frame().set_index("gemeente_code")
    wide = data.indicators("gemeente", "Utrecht", wide=True)[ini.DEFAULT_NEED]
    # direction -1 (lower is better): need rises with the indicator
    assert table["behoefte"].corr(wide.reindex(table.index)) == pytest.approx(1.0)
    assert "laag inkomen" in result.need_label
    assert result.chart().to_dict()["title"].startswith("Witte vlekken")
    with pytest.raises(ParameterError, match="onbekende behoeftemaat"):
        ini.white_spots(voorbeeld, need="bestaat_niet")


def test_white_spots_on_the_buurzaamheidsindex(voorbeeld):
    from doeagenda.initiatives._index_bridge import buurzaamheid_scores

    result = ini.white_spots(voorbeeld, need="buurzaamheid")
    table = result.to_frame().set_index("gemeente_code")
    scores = buurzaamheid_scores().reindex(table.index)
    # need is the index turned around: low community strength = high need
    assert (table["behoefte"] == -scores).all()
    assert result.need_label.startswith("Buurzaamheidsindex")
