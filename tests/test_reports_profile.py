"""The default plan on the real gemeenteprofiel: same outputs as plain papermill, offline HTML.

Runs two gemeenten of ``params/batch/utrecht.yaml`` through the batch runner, then
compares the executed notebook with a plain ``papermill.execute_notebook`` run of the same
job, and opens ``index.html`` and the report in headless Chromium without network.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat
import pytest
import yaml

from doeagenda.reports.export import find_external_urls
from doeagenda.reports.runner import run_batch

pytestmark = pytest.mark.slow

UNIT = "GM0344"


@pytest.fixture(scope="module")
def profile_run(repo: Path, tmp_path_factory):
    """Batch run of the default plan; with one worker, UNIT runs second on the same warm kernel."""
    out = tmp_path_factory.mktemp("profiel")
    # the default plan, restricted to its first notebook (the profile) to keep the test short
    plan = yaml.safe_load((repo / "params" / "batch" / "utrecht.yaml").read_text(encoding="utf-8"))
    plan["notebooks"] = [
        nb for nb in plan["notebooks"] if nb["path"] == "notebooks/gemeenteprofiel.ipynb"
    ]
    plan["notebooks"][0]["path"] = str(repo / "notebooks" / "gemeenteprofiel.ipynb")
    plan_file = out / "utrecht.yaml"
    plan_file.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    result = run_batch(
        plan_file,
        only=f"GM0307,{UNIT}",
        workers=1,
        out=out,
        progress=False,
    )
    starts = {j["unit"]: j["kernel_start"] for j in result.manifest["jobs"]}
    assert starts[UNIT] == 0.0  # no new kernel: the warm one was reused
    assert result.exit_code == 0, result.to_frame().to_string()
    return result


def _normalise(nb) -> dict:
    """What must be identical: cells, sources, execution counts, outputs (not timings, ids)."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        cell.pop("id", None)
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            output.pop("transient", None)
        cells.append(cell)
    meta = nb.metadata
    papermill = {
        k: v
        for k, v in meta.pop("papermill", {}).items()
        if k in {"parameters", "default_parameters"}
    }
    return {"cells": cells, "metadata": meta, "papermill": papermill}


def test_outputs_equal_plain_papermill(
    profile_run, repo: Path, tmp_path: Path, monkeypatch
) -> None:
    import papermill

    job = next(j for j in profile_run.manifest["jobs"] if j["unit"] == UNIT)
    monkeypatch.setenv("DOEAGENDA_RENDERER", "svg")  # what the runner gives its kernels
    monkeypatch.chdir(repo)
    plain = papermill.execute_notebook(
        job["notebook"],
        str(tmp_path / "plain.ipynb"),
        parameters=job["parameters"],
        progress_bar=False,
    )
    ours = nbformat.read(profile_run.run_dir / job["outputs"]["ipynb"], as_version=4)
    left, right = _normalise(ours), _normalise(plain)
    assert len(left["cells"]) == len(right["cells"])
    for index, (a, b) in enumerate(zip(left["cells"], right["cells"], strict=True)):
        assert a == b, f"cell {index} differs"
    assert left["metadata"] == right["metadata"]
    assert left["papermill"] == right["papermill"]
    charts = [
        o
        for c in ours.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "image/svg+xml" in o.get("data", {})
    ]
    assert len(charts) >= 3


def test_report_html_is_offline_and_in_report_mode(profile_run) -> None:
    job = next(j for j in profile_run.manifest["jobs"] if j["unit"] == UNIT)
    page = (profile_run.run_dir / job["outputs"]["html"]).read_text(encoding="utf-8")
    assert '<html lang="nl">' in page
    assert "<script" not in page
    assert find_external_urls(page) == []
    assert "from doeagenda.reports.profile import" not in page  # input hidden
    assert "@media print" in page
    index = (profile_run.run_dir / "index.html").read_text(encoding="utf-8")
    # the overview has one small inline sort script; nothing is loaded from elsewhere
    assert find_external_urls(index) == [] and "<script src" not in index
    manifest = json.loads((profile_run.run_dir / "manifest.json").read_text())
    assert {j["parameters"]["gemeente"] for j in manifest["jobs"]} == {"GM0307", UNIT}


@pytest.mark.browser
def test_charts_render_in_headless_chromium_without_network(profile_run, offline_view) -> None:
    job = next(j for j in profile_run.manifest["jobs"] if j["unit"] == UNIT)
    nb = nbformat.read(profile_run.run_dir / job["outputs"]["ipynb"], as_version=4)
    expected = sum(
        "image/svg+xml" in o.get("data", {})
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    with offline_view(warnings=True) as view:
        page = view.page
        page.goto((profile_run.run_dir / "index.html").as_uri())
        map_paths = page.locator(".da-map svg path").count()
        assert map_paths == 26
        page.locator(f'a[href="{job["outputs"]["html"]}"]').first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(job["outputs"]["html"])
        sizes = page.evaluate(
            """() => Array.from(document.querySelectorAll('figure.da-chart svg')).map(s => {
                const r = s.getBoundingClientRect();
                return [r.width, r.height, s.querySelectorAll('path, rect, text, line').length];
            })"""
        )
    requests, problems = view.requests, view.problems
    assert len(sizes) == expected >= 3
    for width, height, marks in sizes:
        assert width > 50 and height > 50 and marks > 5
    assert problems == []
    assert all(url.startswith("file://") for url in requests), requests
