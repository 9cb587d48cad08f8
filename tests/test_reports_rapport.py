"""``doeagenda rapport``: one notebook with papermill-style parameters, offline HTML.

Bad input ends in one ``fout:`` line, exit 2 and nothing written; one real run of the
maatschappelijke_waarde notebook is checked on disk and in headless Chromium offline.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from typer.testing import CliRunner

from doeagenda.cli import app
from doeagenda.errors import ParameterError
from doeagenda.reports.export import find_external_urls
from doeagenda.reports.single import parse_parameters

NOTEBOOK = "notebooks/maatschappelijke_waarde.ipynb"
PROEFTUIN = "notebooks/proeftuin_evaluatie.ipynb"


def _invoke(args: list[str], cwd: Path, monkeypatch) -> object:
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(app, args)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-p", "onbekend", "3"], "parameter 'onbekend' staat niet in de parameters-cel"),
        (["-p", "disconteringsvoet", "hoog"], "'hoog' is geen getal"),
        (["-p", "gemeente"], "geef een naam en een waarde"),
        (["extra"], "onverwacht argument 'extra'"),
    ],
)
def test_bad_parameters_give_one_line_exit_2_and_write_nothing(
    args, expected, repo: Path, tmp_path: Path, monkeypatch
) -> None:
    result = _invoke(["rapport", str(repo / NOTEBOOK), *args], tmp_path, monkeypatch)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fout: ") and expected in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_wrong_list_value_and_missing_notebook_and_used_out_folder(
    repo: Path, tmp_path: Path, monkeypatch
) -> None:
    result = _invoke(
        ["rapport", str(repo / PROEFTUIN), "-p", "behandelde_eenheden", "GM0321"],
        tmp_path,
        monkeypatch,
    )
    assert result.exit_code == 2 and "is geen list" in result.output
    result = _invoke(["rapport", "bestaat_niet.ipynb"], tmp_path, monkeypatch)
    assert result.exit_code == 2 and "bestaat niet" in result.output
    used = tmp_path / "uit"
    used.mkdir()
    (used / "oud.html").write_text("van eerder", encoding="utf-8")
    result = _invoke(["rapport", str(repo / NOTEBOOK), "--out", "uit"], tmp_path, monkeypatch)
    assert result.exit_code == 2 and "niet leeg" in result.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["oud.html", "uit"]


def _without_contract(source: Path, folder: Path) -> Path:
    """A copy of a notebook without its check_parameters cell (a notebook of one's own)."""
    nb = json.loads(source.read_text(encoding="utf-8"))
    nb["cells"] = [c for c in nb["cells"] if "check_parameters(" not in "".join(c["source"])]
    copy = folder / source.name
    copy.write_text(json.dumps(nb), encoding="utf-8")
    return copy


def test_values_take_the_type_of_the_notebook_default(repo: Path, tmp_path: Path) -> None:
    proeftuin = _without_contract(repo / PROEFTUIN, tmp_path)
    values = parse_parameters(
        proeftuin,
        [("data", "0344"), ("start", "[2018, 2019]"), ("behandelde_eenheden", '["GM0321"]')],
    )
    assert values == {"data": "0344", "start": [2018, 2019], "behandelde_eenheden": ["GM0321"]}
    values = parse_parameters(
        _without_contract(repo / NOTEBOOK, tmp_path), [("disconteringsvoet", "3")]
    )
    assert values == {"disconteringsvoet": 3.0} and isinstance(values["disconteringsvoet"], float)
    with pytest.raises(ParameterError, match="geen list"):
        parse_parameters(proeftuin, [("start", "{'a': 1}")])


def test_the_contract_reads_its_own_kinds_of_value(repo: Path) -> None:
    # the shipped notebooks declare a contract: it reads and checks the values further
    values = parse_parameters(
        repo / PROEFTUIN,
        [("start", "2019"), ("behandelde_eenheden", '["GM0321"]'), ("methode", "did,synth")],
    )
    assert values == {"start": 2019, "behandelde_eenheden": ["GM0321"], "methode": ["did", "synth"]}
    assert parse_parameters(repo / PROEFTUIN, [("methode", "['its']")]) == {"methode": ["its"]}
    values = parse_parameters(repo / NOTEBOOK, [("disconteringsvoet", "0.03")])
    assert values == {"disconteringsvoet": 0.03}
    with pytest.raises(ParameterError, match=r"parameter disconteringsvoet: 3\.0 ligt buiten"):
        parse_parameters(repo / NOTEBOOK, [("disconteringsvoet", "3")])
    with pytest.raises(ParameterError, match="parameter data: '0344' is geen bekende gegevensnaam"):
        parse_parameters(repo / PROEFTUIN, [("data", "0344")])
    with pytest.raises(ParameterError, match=r"parameter start: .* mist eenheid 'GM0321'"):
        parse_parameters(repo / PROEFTUIN, [("start", "{'a': 1}")])


@pytest.fixture(scope="module")
def report_run(repo: Path, tmp_path_factory):
    base = tmp_path_factory.mktemp("rapport")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(base)
        result = CliRunner().invoke(
            app,
            [
                "rapport",
                str(repo / NOTEBOOK),
                "-p",
                "gemeente",
                "GM0344",
                "-p",
                "disconteringsvoet",
                "0.03",
            ],
        )
    assert result.exit_code == 0, result.output
    folders = list((base / "outputs").iterdir())
    assert len(folders) == 1 and folders[0].name.startswith("rapport-maatschappelijke_waarde-")
    return folders[0]


@pytest.mark.slow
def test_real_run_writes_notebook_and_offline_html(report_run: Path) -> None:
    assert sorted(p.name for p in report_run.iterdir()) == [
        "maatschappelijke_waarde.html",
        "maatschappelijke_waarde.ipynb",
    ]
    nb = nbformat.read(report_run / "maatschappelijke_waarde.ipynb", as_version=4)
    assert nb.metadata.papermill.parameters == {"gemeente": "GM0344", "disconteringsvoet": 0.03}
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "disconteringsvoet = 0.03" in injected.source
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert errors == []
    page = (report_run / "maatschappelijke_waarde.html").read_text(encoding="utf-8")
    assert "<script" not in page and find_external_urls(page) == []
    assert "Overzicht van deze run" not in page  # a single report has no run overview
    svgs = sum("image/svg+xml" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    assert svgs >= 3 and page.count('<figure class="da-chart ') == svgs


@pytest.mark.slow
@pytest.mark.browser
def test_report_charts_render_in_chromium_without_network(report_run: Path, offline_view) -> None:
    nb = json.loads((report_run / "maatschappelijke_waarde.ipynb").read_text(encoding="utf-8"))
    expected = sum(
        "image/svg+xml" in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", [])
    )
    with offline_view() as view:
        view.page.goto((report_run / "maatschappelijke_waarde.html").as_uri())
        sizes = view.page.evaluate(
            """() => Array.from(document.querySelectorAll('figure.da-chart svg')).map(s => {
                const r = s.getBoundingClientRect();
                return [r.width, r.height, s.querySelectorAll('path, rect, text, line').length];
            })"""
        )
        text = view.page.inner_text("body")
    requests, problems = view.requests, view.problems
    assert len(sizes) == expected >= 3
    for width, height, marks in sizes:
        assert width > 50 and height > 50 and marks > 5
    assert "Error loading script" not in text
    assert problems == []
    assert all(url.startswith("file://") for url in requests), requests
