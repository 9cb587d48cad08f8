"""Collaboration network against a hand-built example."""

from __future__ import annotations

import pandas as pd
import pytest

import doeagenda.initiatives as ini
from doeagenda.results import NotApplicable


@pytest.fixture
def register(tmp_path):
    path = tmp_path / "netwerk.csv"
    path.write_text(
        "id,naam,gemeente_code,domein,startdatum,partners\n"
        'I1,Een,GM0344,zorg,2020-01-01,"Gemeente Utrecht (gemeente); Fonds B (fonds)"\n'
        'I2,Twee,GM0344,zorg,2020-01-01,"gemeente  utrecht (gemeente); Corporatie C (woningcorporatie)"\n'
        'I3,Drie,GM0344,zorg,2020-01-01,"Gemeente Utrecht (gemeente); Fonds B (fonds); Bank D (bank)"\n'
        "I4,Vier,GM0307,zorg,2020-01-01,\n",
        encoding="utf-8",
    )
    return ini.load_register(path)


def test_bipartite_graph_and_projection(register):
    net = ini.network(register)
    g = net.graph
    assert g.number_of_nodes() == 4 + 4  # 4 initiatives, 4 partners (case/space merged)
    assert g.number_of_edges() == 2 + 2 + 3
    assert g.nodes["p:gemeente utrecht"]["naam"] == "Gemeente Utrecht"
    proj = net.projection
    weights = {frozenset((u[2:], v[2:])): d["weight"] for u, v, d in proj.edges(data=True)}
    assert weights == {
        frozenset(("gemeente utrecht", "fonds b")): 2,
        frozenset(("gemeente utrecht", "corporatie c")): 1,
        frozenset(("gemeente utrecht", "bank d")): 1,
        frozenset(("fonds b", "bank d")): 1,
    }


def test_centrality_by_hand(register):
    cent = ini.network(register).centrality().set_index("partner")
    assert cent["initiatieven"].to_dict() == {
        "Gemeente Utrecht": 3,
        "Fonds B": 2,
        "Bank D": 1,
        "Corporatie C": 1,
    }
    assert cent.index[0] == "Gemeente Utrecht"
    # betweenness in the projection A-B, A-C, A-D, B-D: A lies on C-B and C-D of 3 pairs
    assert cent.loc["Gemeente Utrecht", "tussenpositie"] == pytest.approx(2 / 3)
    assert cent.loc["Fonds B", "tussenpositie"] == pytest.approx(0.0)
    assert cent.loc["Gemeente Utrecht", "verbonden_partners"] == 3
    assert cent.loc["Gemeente Utrecht", "gemeenten"] == 1


def test_partner_type_co_occurrence(register):
    matrix = ini.network(register).co_occurrence()
    assert list(matrix.index) == ["gemeente", "woningcorporatie", "fonds", "bank"]
    assert matrix.loc["gemeente", "gemeente"] == 3
    assert matrix.loc["fonds", "fonds"] == 2
    assert matrix.loc["gemeente", "fonds"] == 2
    assert matrix.loc["fonds", "gemeente"] == 2
    assert matrix.loc["gemeente", "woningcorporatie"] == 1
    assert matrix.loc["fonds", "bank"] == 1
    assert matrix.loc["fonds", "woningcorporatie"] == 0


def test_sector_share_per_gemeente(register):
    share = ini.network(register).sector_share().set_index(["gemeente_code", "type"])["aandeel"]
    assert share[("GM0344", "gemeente")] == pytest.approx(1.0)
    assert share[("GM0344", "fonds")] == pytest.approx(2 / 3)
    assert share[("GM0344", "bank")] == pytest.approx(1 / 3)
    assert share[("GM0307", "gemeente")] == pytest.approx(0.0)


def test_charts_and_gemeente_filter(register):
    net = ini.network(register, gemeente="GM0344")
    assert len(net.register) == 3
    assert net.summary().set_index("kenmerk").loc["partners", "waarde"] == 4
    for chart in (net.chart(), net.sector_chart("GM0344"), net.node_link_chart()):
        spec = chart.to_dict()
        assert spec["title"]
    datasets = net.node_link_chart().to_dict()["datasets"].values()
    nodes = pd.DataFrame(next(d for d in datasets if d and "partner" in d[0]))
    assert set(nodes["partner"]) == {"Gemeente Utrecht", "Fonds B", "Bank D", "Corporatie C"}
    # a gemeente without initiatives: one sentence instead of a network, never an error
    none = ini.network(register, gemeente="GM0355")
    assert isinstance(none, NotApplicable)
    assert "geen initiatieven in Zeist" in none.reason
    assert none.chart() is None and none.centrality() is None


@pytest.mark.slow
def test_node_link_chart_is_the_same_in_every_process():
    import os
    import subprocess
    import sys

    script = (
        "import hashlib, json\n"
        "from doeagenda.initiatives import network\n"
        "spec = network('voorbeeld').node_link_chart().to_dict()\n"
        "print(hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest())\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_betweenness_is_computed_once_and_travels_with_the_result(monkeypatch):
    import importlib
    import pickle

    import networkx as nx

    # the package exports a function ``network``; the module is imported by name
    network_module = importlib.import_module("doeagenda.initiatives.network")

    calls = []
    real = nx.betweenness_centrality
    monkeypatch.setattr(
        network_module.nx, "betweenness_centrality", lambda g: calls.append(1) or real(g)
    )
    net = ini.network("voorbeeld")
    assert len(calls) == 1
    first = net.centrality()
    copied = pickle.loads(pickle.dumps(net))  # as a batch run shares it between kernels
    pd.testing.assert_frame_equal(copied.centrality(), first)
    pd.testing.assert_frame_equal(net.centrality(), first)
    assert len(calls) == 1
    expected = real(net.projection)
    partners = first.set_index("partner")["tussenpositie"]
    names = {n: d["naam"] for n, d in net.graph.nodes(data=True) if d["kind"] == "partner"}
    assert partners.to_dict() == {names[n]: expected.get(n, 0.0) for n in names}
