"""The overview page of a run: figures per gemeente, choropleth, sorting, wijk grouping.

Rendering is checked with hand-made figures (so each number on the page is known); the
figures themselves are checked against values computed here from the shipped data; and a
headless Chromium with networking off checks that the page renders and sorts.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from doeagenda.reports.export import find_external_urls
from doeagenda.reports.overview import map_svg, render_index
from doeagenda.reports.overview_data import COLUMNS, LONELINESS, ProvinceFigures

SQUARES = {
    code: [
        [[5.0 + i * 0.1, 52.0], [5.1 + i * 0.1, 52.0], [5.1 + i * 0.1, 52.1], [5.0 + i * 0.1, 52.0]]
    ]
    for i, code in enumerate(["GM0001", "GM0002", "GM0003"])
}


def _features() -> list[dict]:
    return [
        {
            "type": "Feature",
            "properties": {"code": code, "name": f"Dorp {code[-1]}"},
            "geometry": {"type": "Polygon", "coordinates": rings},
        }
        for code, rings in SQUARES.items()
    ]


def _figures() -> ProvinceFigures:
    table = pd.DataFrame(
        {
            "naam": ["Dorp 1", "Dorp 2", "Dorp 3"],
            "provincie": ["Utrecht"] * 3,
            "inwoners": [12345.0, 2000.0, 500000.0],
            "index_score": [40.0, 80.0, np.nan],
            "rang": [2.0, 1.0, np.nan],
            "rang_p05": [1.0, 1.0, np.nan],
            "rang_p95": [2.0, 2.0, np.nan],
            "rang_van": [2.0, 2.0, np.nan],
            "eenzaam_pct": [np.nan, 51.25, 40.0],
            "energiecooperaties_per_10000": [1.5, 0.0, np.nan],
        },
        index=pd.Index(["GM0001", "GM0002", "GM0003"], name="code"),
    )[list(COLUMNS)]
    return ProvinceFigures(table, ["een notitie"], runs=1000)


def _manifest(units: list[tuple[str, str]], failed: str | None = None) -> dict:
    jobs = []
    for code, name in units:
        status = "failed" if code == failed else "ok"
        jobs.append(
            {
                "id": f"{code}/profiel",
                "unit": code,
                "name": name,
                "unit_dir": f"{code}-x",
                "notebook": "notebooks/profiel.ipynb",
                "status": status,
                "outputs": {"html": f"{code}-x/profiel.html", "ipynb": f"{code}-x/profiel.ipynb"},
                "error": {"execution_count": 7, "ename": "KeyError", "evalue": "'jaar'"}
                if status == "failed"
                else None,
            }
        )
    return {
        "run_id": "r1",
        "status": "finished",
        "plan": {"title": "Proef"},
        "notebooks": ["notebooks/profiel.ipynb"],
        "jobs": jobs,
    }


GEMEENTEN = [("GM0001", "Dorp 1"), ("GM0002", "Dorp 2"), ("GM0003", "Dorp 3")]


def _row_of(page: str, code: str) -> str:
    match = re.search(rf"<tr>\s*<td[^>]*>{code}</td>.*?</tr>", page, re.S)
    assert match, code
    return match.group(0)


def test_table_shows_the_figures_in_dutch_and_missing_ones_as_geen_gegevens() -> None:
    page = render_index(_manifest(GEMEENTEN), _features(), figures=_figures())
    first = _row_of(page, "GM0001")
    assert "12.345" in first and "40,0" in first and "1–2" in first and "1,50" in first
    assert '<span class="da-missing">geen gegevens</span>' in first  # loneliness missing
    assert "51,2 %" in _row_of(page, "GM0002")
    third = _row_of(page, "GM0003")
    assert "500.000" in third and third.count("geen gegevens") == 4  # no index for GM0003
    assert "1.000 Monte Carlo-runs" in page and "een notitie" in page
    assert find_external_urls(page) == []


def test_one_line_per_failed_job_with_its_error() -> None:
    page = render_index(_manifest(GEMEENTEN, failed="GM0002"), _features(), figures=_figures())
    section = page.split("Mislukte jobs", 1)[1].split("</section>", 1)[0]
    assert section.count("<li>") == 1
    assert "GM0002" in section and "cel [7]: KeyError: &#39;jaar&#39;" in section
    clean = render_index(_manifest(GEMEENTEN), _features(), figures=_figures())
    assert "Mislukte jobs" not in clean


def test_choropleth_is_darker_for_a_higher_score_and_grey_without_one() -> None:
    status = dict.fromkeys(SQUARES, "ok")
    svg = map_svg(_features(), status, {}, {}, scores={"GM0001": 40.0, "GM0002": 80.0})
    pattern = r'fill="(#[0-9A-F]{6})" fill-rule="evenodd"><title>Dorp \d \((GM\d+)\)'
    fills = {code: colour for colour, code in re.findall(pattern, svg)}

    def lightness(colour: str) -> int:
        return sum(int(colour[i : i + 2], 16) for i in (1, 3, 5))

    assert lightness(fills["GM0002"]) < lightness(fills["GM0001"])  # higher score, darker
    assert fills["GM0003"] == "#C9CED3"  # in the run without a score: grey
    assert svg.count("<circle") == 3  # a status dot per unit in the run


def test_wijk_plan_is_grouped_per_gemeente(monkeypatch) -> None:
    import doeagenda.reports.overview as overview

    wijken = [("WK000201", "Noord"), ("WK000101", "Centrum"), ("WK000102", "Zuid")]
    monkeypatch.setattr(
        overview,
        "_gemeente_of",
        lambda manifest: {"WK000101": "GM0001", "WK000102": "GM0001", "WK000201": "GM0002"},
    )
    page = render_index(_manifest(wijken), None, figures=_figures())
    groups = re.findall(r'<tr class="da-group"><th colspan="4">(.*?)</th>', page)
    assert [g.split(" · ")[0] for g in groups] == [
        "Gemeente Dorp 1 (GM0001)",
        "Gemeente Dorp 2 (GM0002)",
    ]
    assert "index 40,0, rang 2 van 2 (interval 1–2)" in groups[0]
    bodies = page.split("<tbody>")[1:]
    assert "WK000101" in bodies[0] and "WK000102" in bodies[0] and "WK000201" in bodies[1]
    assert "<svg" not in page  # no wijk boundaries are shipped, so no map


@pytest.mark.slow
def test_province_figures_agree_with_the_data_and_the_register() -> None:
    from doeagenda import data
    from doeagenda.data.io import raw_file
    from doeagenda.reports.overview_data import province_figures

    codes = list(data.areas("gemeente", "Utrecht")["code"])
    figures = province_figures(codes, runs=200, seed=1)
    table = figures.table
    assert list(table.index) == codes
    # ranks within the 26 Utrecht gemeenten: a permutation of 1..26, each inside its interval
    assert sorted(table["rang"].astype(int)) == list(range(1, 27))
    assert (table["rang_p05"] <= table["rang"]).all() and (table["rang"] <= table["rang_p95"]).all()
    assert (table["rang_van"] == 26).all()
    # a higher score never has a worse (larger) nominal rank
    ordered = table.sort_values("index_score", ascending=False)
    assert list(ordered["rang"].astype(int)) == list(range(1, 27))
    # energy cooperatives per 10,000, recounted here from the shipped monitor workbook
    with raw_file("LEM2019_BIJLAGE_ENERGIECOOPERATIES.xlsx").open("rb") as handle:
        local = pd.read_excel(handle, sheet_name="LOKALE COÖPERATIES", header=3)
    in_utrecht = int((local["GEMEENTE"].astype(str).str.strip() == "Utrecht").sum())
    assert in_utrecht == 3  # Energie-U, Rijne Energie, Uwind
    inwoners = float(
        data.indicators("gemeente", codes=["GM0344"], year=2024, wide=True).at["GM0344", "a_inw"]
    )
    assert table.at["GM0344", "inwoners"] == inwoners
    assert table.at["GM0344", "energiecooperaties_per_10000"] == pytest.approx(
        in_utrecht / inwoners * 1e4
    )
    assert table.at["GM0313", "energiecooperaties_per_10000"] == 0  # Bunschoten: none
    assert not any("voorbeeld" in note for note in figures.notes)
    # loneliness: the RIVM value where the indicator is shipped, else "geen gegevens"
    rivm = data.indicators("gemeente", year=2020)
    rivm = rivm[rivm["indicator"] == LONELINESS].set_index("code")["value"]
    if rivm.empty:
        assert table["eenzaam_pct"].isna().all()
        assert any("geen gegevens" in note for note in figures.notes)
    else:
        assert table.at["GM0344", "eenzaam_pct"] == pytest.approx(rivm["GM0344"])


@pytest.mark.slow
@pytest.mark.browser
def test_overview_renders_and_sorts_in_chromium_without_network(tmp_path, offline_view) -> None:
    path = tmp_path / "index.html"
    path.write_text(
        render_index(_manifest(GEMEENTEN, failed="GM0003"), _features(), figures=_figures()),
        encoding="utf-8",
    )
    with offline_view() as view:
        page = view.page
        page.goto(path.as_uri())
        assert page.locator(".da-map svg path").count() == 3
        assert page.locator(".da-map svg circle").count() == 3
        box = page.locator(".da-map svg").bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 20

        def codes() -> list[str]:
            return page.locator("table.da-units tbody tr td:first-child").all_inner_texts()

        assert codes() == ["GM0001", "GM0002", "GM0003"]
        page.get_by_role("button", name=re.compile(r"^Inwoners")).click()
        assert codes() == ["GM0002", "GM0001", "GM0003"]  # 2.000 < 12.345 < 500.000
        page.get_by_role("button", name=re.compile(r"^Inwoners")).click()
        assert codes() == ["GM0003", "GM0001", "GM0002"]
        page.get_by_role("button", name="Index").click()
        assert codes() == ["GM0001", "GM0002", "GM0003"]  # 40 < 80, no score last
        page.get_by_role("button", name="Gemeente").click()
        page.get_by_role("button", name="Gemeente").click()
        assert codes() == ["GM0003", "GM0002", "GM0001"]
    requests, problems = view.requests, view.problems
    assert problems == []
    assert all(url.startswith("file://") for url in requests), requests


def test_map_colours_use_the_province_range_not_only_the_run() -> None:
    # two gemeenten in the middle of the provincie's range must not look like its extremes
    status = {"GM0001": "ok", "GM0002": "ok"}
    scores = {"GM0001": 52.0, "GM0002": 56.0}
    pattern = r'fill="(#[0-9A-F]{6})" fill-rule="evenodd"><title>Dorp \d \((GM\d+)\)'
    run_only = dict(
        (c, f) for f, c in re.findall(pattern, map_svg(_features(), status, {}, {}, scores=scores))
    )
    province = dict(
        (c, f)
        for f, c in re.findall(
            pattern, map_svg(_features(), status, {}, {}, scores=scores, score_range=(0.0, 100.0))
        )
    )
    assert run_only["GM0001"] == "#DEEBF7" and run_only["GM0002"] == "#08519C"
    assert province["GM0001"] == province["GM0002"] == "#6BAED6"  # both mid-scale
