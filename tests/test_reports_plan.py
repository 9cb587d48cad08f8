"""Batch plans, job expansion, CLI input errors, HTML hygiene and atomic writes (no kernels)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from doeagenda.cli import app
from doeagenda.errors import OutputError, PlanError
from doeagenda.reports.export import clean_html, find_external_urls, inline_svg
from doeagenda.reports.kernel import KernelConfig, KernelStartError, WarmKernel
from doeagenda.reports.manifest import atomic_write
from doeagenda.reports.overview import map_svg, render_index
from doeagenda.reports.plan import (
    expand_jobs,
    load_plan,
    notebook_parameters,
    plan_from_dict,
    resolve_units,
    slugify,
)
from doeagenda.reports.runner import prepare_run

UTRECHT_GEMEENTEN = {
    "GM0307", "GM0308", "GM0310", "GM0312", "GM0313", "GM0317", "GM0321", "GM0327", "GM0331",
    "GM0335", "GM0339", "GM0340", "GM0342", "GM0344", "GM0345", "GM0351", "GM0352", "GM0353",
    "GM0355", "GM0356", "GM0589", "GM0632", "GM0736", "GM1581", "GM1904", "GM1961",
}  # fmt: skip


@pytest.fixture
def fixture_plan(repo: Path, tmp_path: Path):
    """Write a plan (dict) next to a copy of the fixture notebooks; return a writer."""
    notebooks = tmp_path / "tests" / "notebooks"
    notebooks.mkdir(parents=True)
    for name in ("goed.ipynb", "kapot.ipynb"):
        (notebooks / name).write_bytes((repo / "tests" / "notebooks" / name).read_bytes())

    def write(plan: dict, name: str = "plan.yaml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
        return path

    return write


def _plan(**changes) -> dict:
    plan = {
        "title": "Test",
        "units": {"codes": ["GM0344", "GM0307"]},
        "notebooks": [{"path": "tests/notebooks/goed.ipynb", "parameters": {"gemeente": "{code}"}}],
    }
    plan.update(changes)
    return plan


def test_default_plan_is_the_26_utrecht_gemeenten(repo: Path, monkeypatch) -> None:
    monkeypatch.chdir(repo)
    loaded = load_plan(repo / "params" / "batch" / "utrecht.yaml")
    jobs = expand_jobs(loaded, run_id="r1", out="outputs")
    units = {job.unit.code for job in jobs}
    assert units == UTRECHT_GEMEENTEN
    profile = next(j for j in jobs if j.unit.code == "GM0344" and j.stem == "gemeenteprofiel")
    assert profile.parameters == {
        "gemeente": "GM0344",
        "jaar": 2024,
        "uitvoer": "outputs/r1/GM0344-utrecht",
    }
    assert isinstance(profile.parameters["jaar"], int)


@pytest.mark.parametrize(
    ("name", "expected_units"),
    [("alle_gemeenten.yaml", 342), ("utrecht_wijken.yaml", None), ("leren_utrecht.yaml", 26)],
)
def test_other_shipped_plans_validate(repo: Path, monkeypatch, name: str, expected_units) -> None:
    monkeypatch.chdir(repo)
    loaded = load_plan(repo / "params" / "batch" / name)
    units = resolve_units(loaded)
    if name == "alle_gemeenten.yaml":
        # the whole country: the profile and the Buurzaamheidsindex of every gemeente
        jobs = expand_jobs(loaded, run_id="r1", out="outputs")
        assert len(jobs) == 2 * 342
        assert {job.stem for job in jobs} == {"gemeenteprofiel", "buurzaamheidsindex"}
    if name == "leren_utrecht.yaml":
        jobs = expand_jobs(loaded, run_id="r1", out="outputs")
        assert len(jobs) == 4 * 26
        assert all(job.parameters["handout"] is True for job in jobs)
    if expected_units is not None:
        assert len(units) == expected_units
    else:
        assert units and all(u.level == "wijk" and u.code.startswith("WK0344") for u in units)


def test_notebook_parameters_are_read_from_the_parameters_cell(repo: Path) -> None:
    params = notebook_parameters(repo / "tests" / "notebooks" / "goed.ipynb")
    assert set(params) == {"gemeente", "pauze"}
    assert params["gemeente"]["type"] == "str"
    assert params["pauze"]["type"] == "float"


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"notebookz": []}, "notebookz: onbekende sleutel"),
        ({"units": {"provincie": "Utrecht", "alle": True}}, "precies een"),
        (
            {"notebooks": [{"path": "tests/notebooks/bestaatniet.ipynb"}]},
            "bestaatniet.ipynb' bestaat niet",
        ),
        (
            {
                "notebooks": [
                    {"path": "tests/notebooks/goed.ipynb", "parameters": {"gemeenten": "x"}}
                ]
            },
            "parameter 'gemeenten' staat niet in de parameters-cel",
        ),
        (
            {
                "notebooks": [
                    {"path": "tests/notebooks/goed.ipynb", "parameters": {"pauze": "lang"}}
                ]
            },
            "van type float",
        ),
        (
            {
                "notebooks": [
                    {"path": "tests/notebooks/goed.ipynb", "parameters": {"gemeente": "{kode}"}}
                ]
            },
            "onbekende plaatshouder",
        ),
        ({"units": {"codes": ["GM344"]}}, "ongeldige gebiedscode"),
        ({"output": {"formats": ["pdf"]}}, "output.formats.0"),
    ],
)
def test_bad_plans_give_one_clear_error(fixture_plan, change, fragment) -> None:
    path = fixture_plan(_plan(**change))
    with pytest.raises(PlanError) as info:
        load_plan(path)
    assert fragment in str(info.value)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    ("units", "fragment"),
    [
        ({"codes": ["GM0344", "GM9999"]}, "onbekende gebiedscode(s) GM9999"),
        ({"provincie": "Utrech"}, "onbekende provincie 'Utrech'"),
        ({"wijken": "GM9999"}, "geen bekende gemeentecode"),
    ],
)
def test_unknown_units_are_rejected(fixture_plan, units, fragment) -> None:
    loaded = load_plan(fixture_plan(_plan(units=units)))
    with pytest.raises(PlanError, match="units") as info:
        resolve_units(loaded)
    assert fragment in str(info.value)


def test_optional_missing_notebook_is_left_out(fixture_plan) -> None:
    plan = _plan(
        notebooks=[
            {"path": "tests/notebooks/goed.ipynb", "parameters": {"gemeente": "{code}"}},
            {"path": "notebooks/komt_later.ipynb", "optional": True, "parameters": {"x": 1}},
        ]
    )
    loaded = load_plan(fixture_plan(plan))
    assert [spec.path for spec in loaded.notebooks] == ["tests/notebooks/goed.ipynb"]


def test_only_must_name_units_of_the_plan(fixture_plan) -> None:
    loaded = load_plan(fixture_plan(_plan()))
    assert [u.code for u in resolve_units(loaded, ["GM0307"])] == ["GM0307"]
    with pytest.raises(PlanError, match="GM0310 hoort niet bij"):
        resolve_units(loaded, ["GM0310"])


def test_templating_fills_every_placeholder(fixture_plan) -> None:
    plan = _plan(
        units={"codes": ["GM1581"]},
        notebooks=[
            {
                "path": "tests/notebooks/goed.ipynb",
                "parameters": {"gemeente": "{name}|{slug}|{level}|{provincie}|{year}|{run_id}"},
            }
        ],
    )
    (job,) = expand_jobs(load_plan(fixture_plan(plan)), run_id="r9", out="uit")
    assert job.parameters["gemeente"] == (
        "Utrechtse Heuvelrug|GM1581-utrechtse-heuvelrug|gemeente|Utrecht|2024|r9"
    )
    assert job.output_path("html") == "GM1581-utrechtse-heuvelrug/goed.html"


def test_slugify_handles_dutch_names() -> None:
    assert slugify("Wijk bij Duurstede") == "wijk-bij-duurstede"
    assert slugify("'s-Hertogenbosch") == "s-hertogenbosch"
    assert slugify("Súdwest-Fryslân") == "sudwest-fryslan"


# --------------------------------------------------------------------------- CLI
def test_list_jobs_prints_one_json_object_per_job(fixture_plan, tmp_path: Path) -> None:
    path = fixture_plan(_plan())
    out = tmp_path / "uit"
    result = CliRunner().invoke(app, ["batch", str(path), "--list-jobs", "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["unit"] for line in lines] == ["GM0307", "GM0344"]
    assert all(set(line) == {"unit", "notebook", "parameters"} for line in lines)
    assert lines[1]["parameters"] == {"gemeente": "GM0344"}
    assert lines[1]["notebook"] == "tests/notebooks/goed.ipynb"
    assert not out.exists()


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--only", "GM0000"], "GM0000 hoort niet bij"),
        (["--resume", "bestaat-niet"], "run 'bestaat-niet' bestaat niet"),
        (["--executor", "dask"], "vraagt --scheduler"),
        (["--workers", "0"], "--workers 0"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2_nothing_written(
    fixture_plan, tmp_path: Path, extra, fragment
) -> None:
    path = fixture_plan(_plan())
    out = tmp_path / "uit"
    result = CliRunner().invoke(app, ["batch", str(path), "--out", str(out), *extra])
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr
    assert result.stderr.startswith("fout: ") and result.stderr.count("\n") == 1
    assert not out.exists()


def test_cli_bad_plan_exit_2(fixture_plan, tmp_path: Path) -> None:
    path = fixture_plan(_plan(units={"codes": ["GM0344"]}, extra_key=1))
    out = tmp_path / "uit"
    result = CliRunner().invoke(app, ["batch", str(path), "--out", str(out)])
    assert result.exit_code == 2
    assert "extra_key: onbekende sleutel" in result.stderr
    assert not out.exists()


def test_unwritable_output_folder_is_refused(fixture_plan, tmp_path: Path) -> None:
    blocker = tmp_path / "een-bestand"
    blocker.write_text("geen map")
    with pytest.raises(OutputError, match="is een bestand, geen map"):
        prepare_run(fixture_plan(_plan()), out=blocker / "uit")
    result = CliRunner().invoke(app, ["batch", str(fixture_plan(_plan())), "--out", str(blocker)])
    assert result.exit_code == 2
    assert blocker.read_text() == "geen map"


def test_resume_id_must_be_a_plain_name(fixture_plan, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="geen geldige run-id"):
        prepare_run(fixture_plan(_plan()), resume="../etc", out=tmp_path)


# --------------------------------------------------------------------------- HTML hygiene
def test_clean_html_escapes_user_markup_and_unlinks_external_urls() -> None:
    dirty = (
        '<p>Initiatief <script>alert("x")</script> <img src="https://evil.example/p.png">'
        '<a href="https://www.cbs.nl/nl-nl">CBS</a> <a href="#kaart">kaart</a>'
        '<b onclick="steal()">vet</b></p><style>body{background:url(https://x.example/a.png)}</style>'
    )
    clean = clean_html(dirty)
    assert "<script>" not in clean and "&lt;script&gt;" in clean
    assert "onclick" not in clean
    assert find_external_urls(clean) == []
    assert "www.cbs.nl/nl-nl" in clean  # shown as text, printable
    assert '<a href="#kaart">' in clean
    assert "<style" not in clean


def test_inline_svg_prefixes_ids_and_drops_scripts() -> None:
    svg = (
        '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="clip1">'
        '<rect/></clipPath></defs><g clip-path="url(#clip1)" onload="x()"><use href="#clip1"/>'
        "<script>alert(1)</script></g></svg>"
    )
    out = inline_svg(svg, "c7-")
    assert 'id="c7-clip1"' in out
    assert "url(#c7-clip1)" in out and 'href="#c7-clip1"' in out
    assert "<script" not in out and "onload" not in out and "<?xml" not in out
    assert find_external_urls(out) == []


def test_find_external_urls_sees_scripts_links_and_css() -> None:
    page = (
        '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>'
        '<link href="//fonts.example/f.css"><div style="background:url(\'http://x.example/i.png\')">'
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
    )
    assert find_external_urls(page) == [
        "https://cdn.jsdelivr.net/npm/vega@5",
        "//fonts.example/f.css",
        "http://x.example/i.png",
    ]


def test_index_page_escapes_names_and_errors() -> None:
    manifest = {
        "run_id": "r1",
        "status": "finished",
        "plan": {"title": "Test <b>plan</b>"},
        "notebooks": ["notebooks/a.ipynb"],
        "jobs": [
            {
                "id": "GM0001/a",
                "unit": "GM0001",
                "name": "Dorp <script>alert(1)</script>",
                "unit_dir": "GM0001-dorp",
                "notebook": "notebooks/a.ipynb",
                "status": "failed",
                "outputs": {"html": "GM0001-dorp/a.html"},
                "error": {"execution_count": 3, "ename": "ValueError", "evalue": "<img src=x>"},
            }
        ],
    }
    feature = {
        "type": "Feature",
        "properties": {"code": "GM0001", "name": "Dorp"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[5.0, 52.0], [5.1, 52.0], [5.1, 52.1], [5.0, 52.0]]],
        },
    }
    page = render_index(manifest, [feature])
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x>" not in page
    assert "Test &lt;b&gt;plan&lt;/b&gt;" in page
    assert '<a href="GM0001-dorp/a.html"><path' in page
    assert "cel [3]" in page
    assert find_external_urls(page) == []


def test_map_svg_scales_into_the_viewbox() -> None:
    features = [
        {
            "properties": {"code": f"GM000{i}", "name": f"G{i}"},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [[[[4 + i, 51], [5 + i, 51], [5 + i, 52], [4 + i, 51]]]],
            },
        }
        for i in range(2)
    ]
    svg = map_svg(features, {"GM0000": "ok"}, {}, {}, width=200)
    assert svg.count("<path") == 2
    numbers = [
        float(n)
        for part in svg.split('d="')[1:]
        for n in part.split('"')[0]
        .replace("M", " ")
        .replace("L", " ")
        .replace("Z", " ")
        .replace(",", " ")
        .split()
    ]
    assert min(numbers) >= 0 and max(numbers) <= 200.5


# --------------------------------------------------------------------------- atomic writes
def test_atomic_write_leaves_old_content_when_interrupted(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "manifest.json"
    atomic_write(target, "oud")

    def broken_replace(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "nieuw")
    monkeypatch.undo()
    assert target.read_text() == "oud"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]


# --------------------------------------------------------------------------- kernel retry
def test_kernel_start_is_retried_once(monkeypatch) -> None:
    calls = []

    def flaky(self) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("port in use")
        self.km = object()

    monkeypatch.setattr(WarmKernel, "_start_once", flaky)
    monkeypatch.setattr(WarmKernel, "shutdown", lambda self: setattr(self, "km", None))
    kernel = WarmKernel(KernelConfig())
    kernel.ensure_started()
    assert len(calls) == 2 and kernel.starts == 1


def test_kernel_start_failing_twice_raises_then_fails_fast(monkeypatch) -> None:
    calls = []

    def broken(self) -> None:
        calls.append(1)
        raise RuntimeError("no kernelspec")

    monkeypatch.setattr(WarmKernel, "_start_once", broken)
    kernel = WarmKernel(KernelConfig())
    for expected_calls in (2, 4, 4):  # each job retries once; after two failed jobs: no more tries
        with pytest.raises(KernelStartError, match=r"startte twee keer niet.*no kernelspec"):
            kernel.ensure_started()
        assert len(calls) == expected_calls


def test_plan_from_dict_rejects_non_mapping() -> None:
    with pytest.raises(PlanError, match="YAML-mapping"):
        plan_from_dict(["units"])


def test_memoize_caches_pure_functions_and_hands_out_copies(monkeypatch) -> None:
    import sys
    import types

    import pandas as pd

    from doeagenda.reports._kernelside import memoize

    calls = []

    def table(level="gemeente", codes=None):
        calls.append((level, codes))
        return pd.DataFrame({"code": ["GM0344"], "value": [1.0]})

    module = types.ModuleType("doeagenda._memotest")
    module.table = table
    user = types.ModuleType("doeagenda._memouser")
    user.table = table  # a second module that imported the same function
    monkeypatch.setitem(sys.modules, "doeagenda._memotest", module)
    monkeypatch.setitem(sys.modules, "doeagenda._memouser", user)
    memoize("doeagenda._memotest.table")
    first = module.table("gemeente", codes=["GM0344"])
    first.loc[0, "value"] = 99.0
    second = user.table("gemeente", codes=["GM0344"])
    assert second.loc[0, "value"] == 1.0
    assert calls == [("gemeente", ["GM0344"])]
    module.table("wijk")
    assert len(calls) == 2


def test_vega_ids_are_numbered_per_job_like_in_a_fresh_kernel(monkeypatch) -> None:
    import re
    import types

    import vl_convert

    from doeagenda.reports import _kernelside

    fake = types.SimpleNamespace(vegalite_to_svg=vl_convert.vegalite_to_svg)
    _kernelside._patch_vl_convert(fake)
    monkeypatch.setattr(_kernelside, "_COUNTERS", dict(_kernelside._FRESH_COUNTERS))
    heatmap = {
        "data": {"values": [{"a": 1, "b": 2}, {"a": 2, "b": 5}]},
        "mark": "rect",
        "encoding": {
            "x": {"field": "a", "type": "ordinal"},
            "color": {"field": "b", "type": "quantitative"},
        },
    }

    def ids(svg: str) -> list[str]:
        return sorted(set(re.findall(r'id="([^"]+)"', svg)))

    first_job = [ids(fake.vegalite_to_svg(heatmap)) for _ in range(2)]
    _kernelside._COUNTERS.update(_kernelside._FRESH_COUNTERS)  # what reset() does
    second_job = [ids(fake.vegalite_to_svg(heatmap)) for _ in range(2)]
    assert first_job == second_job == [["gradient_0"], ["gradient_1"]]
    svg = fake.vegalite_to_svg(heatmap)
    assert 'fill="url(#gradient_2)"' in svg
