"""The wijkprofiel (report functions, notebook) and the wijk batch plans.

Numbers are checked against raw values of :func:`doeagenda.data.indicators`, recomputed
here with plain pandas; the RIVM match count (190 of 222 wijken keep their 2020 code) is
the figure published in issue 12 / PROVENANCE.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import papermill
import pytest

from doeagenda import data
from doeagenda.errors import AreaCodeError, PlanError
from doeagenda.reports.plan import expand_jobs, load_plan, plan_from_dict
from doeagenda.reports.wijkprofiel import (
    ESTIMATE_NOTE,
    REGROUPED,
    buurten_table,
    has_health_figures,
    health_comparison,
    wijk_age_structure,
    wijkprofiel,
)

WIJK = "WK034401"  # Utrecht, Wijk 01 West: RIVM figures exist for its 2020 code


def _rivm_wijken(provincie: str = "Utrecht") -> set[str]:
    long = data.indicators("wijk", provincie=provincie)
    rivm = long[long["indicator"].str.startswith("rivm_")].dropna(subset=["value"])
    return set(rivm["code"])


# --- batch plans --------------------------------------------------------------------------


def test_provincie_plan_lists_every_wijk_of_the_26_gemeenten(repo):
    loaded = load_plan(repo / "params" / "batch" / "wijken_provincie_utrecht.yaml")
    jobs = expand_jobs(loaded)
    assert len(jobs) == 222
    assert {job.stem for job in jobs} == {"wijkprofiel"}
    assert all(job.parameters == {"wijk": job.unit.code, "jaar": 2024} for job in jobs)
    assert len({job.unit.gemeente for job in jobs}) == 26
    assert {job.unit.code for job in jobs} == set(data.areas("wijk", provincie="Utrecht")["code"])
    assert loaded.plan.units.describe() == "alle wijken van provincie Utrecht"


def test_utrecht_wijken_plan_uses_the_wijkprofiel(repo):
    jobs = expand_jobs(load_plan(repo / "params" / "batch" / "utrecht_wijken.yaml"))
    assert len(jobs) == 10
    assert {job.notebook for job in jobs} == {"notebooks/wijkprofiel.ipynb"}
    assert all(job.unit.code.startswith("WK0344") for job in jobs)
    assert jobs[0].parameters == {"wijk": "WK034401", "jaar": 2024}


def test_wijken_unit_rejects_an_unknown_provincie(repo):
    plan = {
        "units": {"wijken": "Atlantis"},
        "notebooks": [{"path": "notebooks/wijkprofiel.ipynb", "parameters": {"wijk": "{code}"}}],
    }
    loaded = plan_from_dict(plan, source=repo / "params" / "batch" / "x.yaml")
    with pytest.raises(PlanError, match=r"'Atlantis' is geen gemeentecode.*en geen provincie"):
        expand_jobs(loaded)
    plan["units"] = {"wijken": "GM0307"}
    jobs = expand_jobs(plan_from_dict(plan, source=repo / "params" / "batch" / "x.yaml"))
    assert {j.unit.gemeente for j in jobs} == {"GM0307"}


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("WK999999", "wijkcode 'WK999999' bestaat niet in de CBS-indeling 2024"),
        ("GM0344", "'GM0344' is een gemeente \\(Utrecht\\), geen wijk"),
        ("BU03440111", "is een buurt"),
    ],
)
def test_a_code_that_is_not_a_wijk_gives_one_clear_line(code, expected):
    with pytest.raises(AreaCodeError, match=expected) as info:
        wijkprofiel(code)
    assert "\n" not in str(info.value)


# --- population -----------------------------------------------------------------------------


def test_age_shares_are_counts_over_inhabitants():
    table = wijk_age_structure(WIJK)
    wijk = data.indicators("wijk", year=2024).query("code == @WIJK").set_index("indicator")
    own = table[table["gebied"] == "Wijk 01 West"].set_index("leeftijd")["aandeel"]
    assert own["65 jaar of ouder"] == pytest.approx(
        100 * wijk.at["a_65_oo", "value"] / wijk.at["a_inw", "value"]
    )
    assert own.sum() == pytest.approx(100, abs=0.5)  # CBS rounds wijk counts to fives
    gemeenten = data.indicators("gemeente", provincie="Utrecht", year=2024)
    totals = gemeenten.groupby("indicator")["value"].sum()
    province = table[table["gebied"] == "Provincie Utrecht"].set_index("leeftijd")["aandeel"]
    assert province["0–14 jaar"] == pytest.approx(100 * totals["a_00_14"] / totals["a_inw"])
    profile = wijkprofiel(WIJK)
    assert profile.summary().loc["inwoners (2024)", "waarde"] == wijk.at["a_inw", "value"]
    assert "Wijk 01 West" in profile.header().data and "gemeente Utrecht" in profile.header().data


def test_buurten_are_the_buurten_of_the_wijk_with_their_inhabitants():
    table = buurten_table(WIJK)
    buurten = data.areas("buurt").query("wijk_code == @WIJK")
    assert set(table.index) == set(buurten["code"])
    raw = data.indicators("buurt", year=2024).query("indicator == 'a_inw'").set_index("code")
    for code, row in table.iterrows():
        assert row["inwoners"] == raw.at[code, "value"]
    assert table["inwoners"].is_monotonic_decreasing
    chart = wijkprofiel(WIJK).buurten_chart("inwoners").to_dict()
    assert chart["mark"]["type"] == "bar"


# --- health (RIVM) --------------------------------------------------------------------------


def test_190_of_the_222_wijken_keep_their_2020_code():
    wijken = data.areas("wijk", provincie="Utrecht")["code"]
    with_figures = _rivm_wijken()
    assert len(wijken) == 222
    assert int(wijken.isin(with_figures).sum()) == 190
    assert has_health_figures(WIJK)


def test_health_figures_match_the_raw_rivm_values():
    table = health_comparison(WIJK, "18plus").set_index(["indicator", "jaar"])
    assert set(table.index.get_level_values("jaar")) == {2012, 2016, 2020}
    key = ("rivm_eenzaam_18plus", 2020)
    wijk = data.indicators("wijk", codes=[WIJK])
    expected_wijk = wijk.query("indicator == @key[0] and year == @key[1]")["value"].iloc[0]
    assert table.loc[key, "wijk"] == pytest.approx(expected_wijk)
    gemeente = data.indicators("gemeente", codes=["GM0344"])
    expected_gm = gemeente.query("indicator == @key[0] and year == @key[1]")["value"].iloc[0]
    assert table.loc[key, "gemeente"] == pytest.approx(expected_gm)
    land = data.indicators("land").query("indicator == @key[0] and year == @key[1]")
    assert table.loc[key, "nederland"] == pytest.approx(land["value"].iloc[0])
    # provincie: mean of the 26 gemeenten weighted by inhabitants 2024, by hand
    every = data.indicators("gemeente", provincie="Utrecht")
    values = every.query("indicator == @key[0] and year == @key[1]").set_index("code")["value"]
    weights = every.query("indicator == 'a_inw' and year == 2024").set_index("code")["value"]
    weights = weights.reindex(values.dropna().index)
    expected_pv = float(np.average(values.dropna(), weights=weights))
    assert table.loc[key, "provincie"] == pytest.approx(expected_pv)


def test_issue_example_gemeente_utrecht_loneliness_2020():
    table = health_comparison(WIJK).set_index(["indicator", "jaar"])
    assert table.loc[("rivm_eenzaam_18plus", 2020), "gemeente"] == pytest.approx(48.9)


def test_a_wijk_whose_code_changed_says_so_and_shows_no_value():
    wijken = data.areas("wijk", provincie="Utrecht")
    changed = sorted(set(wijken["code"]) - _rivm_wijken())[0]
    profile = wijkprofiel(changed)
    assert not profile.has_health_figures
    assert REGROUPED in profile.health_note().data
    assert health_comparison(changed)["wijk"].isna().all()
    assert set(profile.health()[profile.name]) == {REGROUPED}
    assert ESTIMATE_NOTE in profile.health_note().data


def test_65plus_table_and_chart():
    profile = wijkprofiel(WIJK)
    table = health_comparison(WIJK, "65plus")
    assert table["indicator"].str.endswith("_65plus").all()
    assert ESTIMATE_NOTE in profile.health_note().data
    spec = profile.health_chart().to_dict()
    assert ESTIMATE_NOTE in spec["title"]["subtitle"]


# --- notebook -------------------------------------------------------------------------------


@pytest.mark.slow
def test_wijkprofiel_notebook_runs_on_its_defaults(repo, tmp_path, outputs_text, chart_outputs):
    notebook = papermill.execute_notebook(
        str(repo / "notebooks" / "wijkprofiel.ipynb"),
        str(tmp_path / "wijkprofiel.ipynb"),
        cwd=str(repo / "notebooks"),
        progress_bar=False,
        kernel_name="python3",
    )
    text = outputs_text(notebook)
    assert "## Wijk 01 West (WK034401)" in text
    assert "modelschattingen" in text
    assert len(chart_outputs(notebook)) >= 5


@pytest.mark.slow
def test_wijkprofiel_notebook_runs_for_a_wijk_whose_code_changed(repo, tmp_path, outputs_text):
    notebook = papermill.execute_notebook(
        str(repo / "notebooks" / "wijkprofiel.ipynb"),
        str(tmp_path / "wijkprofiel.ipynb"),
        parameters={"wijk": "WK196111"},
        cwd=str(repo / "notebooks"),
        progress_bar=False,
        kernel_name="python3",
    )
    text = outputs_text(notebook)
    assert "## Leerbroek (WK196111)" in text
    assert REGROUPED in text


def test_notebook_parameters_are_wijk_and_jaar(repo):
    from doeagenda.reports.plan import notebook_parameters

    params = notebook_parameters(repo / "notebooks" / "wijkprofiel.ipynb")
    assert set(params) == {"wijk", "jaar"}
    assert pd.Series([params["wijk"]["type"], params["jaar"]["type"]]).tolist() == ["str", "int"]


def test_a_wijk_without_inhabitants_gets_a_profile_without_age_shares():
    wijk = data.indicators("wijk", provincie="Utrecht", year=2024, wide=True)
    empty = sorted(wijk.index[wijk["a_inw"] == 0])[0]  # e.g. a new-build area of Amersfoort
    profile = wijkprofiel(empty)
    assert "geen inwoners" in profile.header().data
    assert profile.age_shares()[profile.name].isna().all()
    chart = profile.age_chart().to_dict()
    assert profile.name not in {
        row["gebied"] for row in chart["datasets"][next(iter(chart["datasets"]))]
    }
    assert profile.summary().loc["inwoners (2024)", "waarde"] == 0


def _manifest(codes: list[str]) -> dict:
    jobs = [
        {
            "unit": code,
            "name": str(data.area(code)["name"]),
            "unit_dir": code,
            "notebook": "notebooks/wijkprofiel.ipynb",
            "status": "ok",
            "outputs": {"html": f"{code}/wijkprofiel.html"},
        }
        for code in codes
    ]
    return {"plan": {"title": "Wijkprofielen"}, "jobs": jobs, "status": "finished"}


def test_overview_page_groups_wijken_per_gemeente():
    from doeagenda.reports.overview import render_index

    page = render_index(_manifest(["WK030701", "WK030702", "WK034401"]))
    assert page.count('class="da-group"') == 2
    assert "Gemeente Amersfoort (GM0307)" in page
    assert (
        page.index("Gemeente Amersfoort") < page.index("WK030701") < page.index("Gemeente Utrecht")
    )
    one_gemeente = render_index(_manifest(["WK034401", "WK034402"]))
    assert one_gemeente.count('class="da-group"') == 1  # its header carries the gemeente
    assert 'class="da-group"' not in render_index(_manifest(["GM0307", "GM0344"]))


def test_index_place_lists_the_ranked_wijken_of_the_gemeente():
    from doeagenda.index import wijk_position

    profile = wijkprofiel("WK030701")  # Amersfoort: 3 of its wijken have no RIVM figures
    ranks = profile.index_ranks()
    coverage = data.rivm_coverage("wijk", provincie="Utrecht").query("gemeente_code == 'GM0307'")
    assert set(ranks.index) == set(coverage.loc[coverage["has_rivm"], "code"])
    assert ranks["rank"].is_monotonic_increasing
    assert (ranks["rank_low"] <= ranks["rank"]).all() and (
        ranks["rank"] <= ranks["rank_high"]
    ).all()
    assert ranks["deze"].sum() == 1
    assert ranks.loc["WK030701", "rank"] == wijk_position("WK030701").rank
    assert ranks["rank"].max() <= 190  # ranks are on the scale of the provincie's wijken
    spec = profile.index_chart().to_dict()
    assert len(spec["layer"]) == 2
