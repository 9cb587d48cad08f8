"""The learning notebooks: thin, committed without outputs, and they run under nbval (lax)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys

import nbformat
import pytest

from doeagenda.learning.lesson import MODULES

NOTEBOOKS = [name for _title, name in MODULES.values()]


def _notebook(repo, name):
    return nbformat.read(repo / "notebooks" / "leren" / name, as_version=4)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_thin_and_clean(repo, name):
    path = repo / "notebooks" / "leren" / name
    assert path.exists(), f"learning notebook {name} is missing"
    nb = _notebook(repo, name)
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].source.startswith("# Module ")
    assert "Leerdoelen" in nb.cells[0].source
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    params = [cell for cell in code if "parameters" in cell.metadata.get("tags", [])]
    assert len(params) == 1
    assert 'gemeente = "GM0344"' in params[0].source
    imports = [cell for cell in code if cell.source.startswith(("import", "from"))]
    assert len(imports) == 1
    for cell in code:
        assert cell.outputs == []
        assert cell.execution_count is None
        if cell is params[0] or cell is imports[0]:
            continue
        tree = ast.parse(cell.source)
        assert len(tree.body) == 1, cell.source
        calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
        assert len(calls) == 1, cell.source
        assert not any(isinstance(n, ast.FunctionDef | ast.For | ast.While) for n in ast.walk(tree))
    questions = [cell for cell in code if "learning.question(" in cell.source]
    assert 3 <= len(questions) <= 7


@pytest.mark.slow
def test_notebooks_run_under_nbval_lax(repo, tmp_path):
    """All modules with their default parameters, one kernel each, in one nbval run."""
    paths = [repo / "notebooks" / "leren" / name for name in NOTEBOOKS]
    assert all(path.exists() for path in paths)
    env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1", "MPLBACKEND": "agg"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "--nbval-current-env",
            "-p",
            "no:cacheprovider",
            "-q",
            "--rootdir",
            str(repo),
            *map(str, paths),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "failed" not in result.stdout
    assert " passed" in result.stdout


@pytest.mark.slow
def test_papermill_handout_run_has_no_widgets_and_no_answers(repo, tmp_path, monkeypatch):
    """What a batch-plan entry does: run a module with ``handout=True`` via papermill."""
    import papermill

    monkeypatch.setenv("DOEAGENDA_TRAINER", "1")  # must not leak into a participant handout
    out = tmp_path / "01.ipynb"
    papermill.execute_notebook(
        str(repo / "notebooks" / "leren" / NOTEBOOKS[0]),
        str(out),
        parameters={"gemeente": "GM0310", "handout": True},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    text = out.read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-view+json" not in text
    assert "doeagenda-schrijfregel" in text
    assert "De Bilt" in text
    assert "Uitwerking" not in text
    assert '"image/svg+xml"' in text  # charts as pictures, kept by report exporters
