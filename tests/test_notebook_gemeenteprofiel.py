"""The gemeenteprofiel notebook runs on its defaults and for another gemeente."""

from __future__ import annotations

import papermill
import pytest


@pytest.mark.slow
@pytest.mark.parametrize("gemeente", ["GM0344", "GM0339"])
def test_gemeenteprofiel_runs(repo, tmp_path, gemeente, chart_outputs):
    output = tmp_path / "profiel.ipynb"
    notebook = papermill.execute_notebook(
        str(repo / "notebooks" / "gemeenteprofiel.ipynb"),
        str(output),
        parameters={"gemeente": gemeente, "uitvoer": str(tmp_path / "tabellen")},
        cwd=str(repo / "notebooks"),
        progress_bar=False,
        kernel_name="python3",
    )
    text = "".join(
        "".join(o.get("data", {}).get("text/markdown", ""))
        + "".join(o.get("data", {}).get("text/plain", ""))
        for cell in notebook.cells
        for o in cell.get("outputs", [])
    )
    name = {"GM0344": "Utrecht", "GM0339": "Renswoude"}[gemeente]
    assert f"## {name} ({gemeente})" in text
    charts = chart_outputs(notebook)
    assert len(charts) >= 5
    assert (tmp_path / "tabellen" / f"{gemeente}_kerncijfers.csv").exists()
