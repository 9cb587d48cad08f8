"""The buurzaamheidsindex notebook is clean and runs for Utrecht gemeenten (papermill)."""

from __future__ import annotations

import json

import papermill
import pytest


def test_notebook_committed_clean_with_parameters(repo):
    notebook = json.loads((repo / "notebooks" / "buurzaamheidsindex.ipynb").read_text("utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    source = "".join(tagged[0]["source"])
    assert "gemeente = " in source and "framework = " in source


@pytest.mark.slow
@pytest.mark.parametrize(("gemeente", "naam"), [("GM0344", "Utrecht"), ("GM0339", "Renswoude")])
def test_notebook_runs(repo, tmp_path, gemeente, naam, chart_outputs, outputs_text):
    notebook = papermill.execute_notebook(
        str(repo / "notebooks" / "buurzaamheidsindex.ipynb"),
        str(tmp_path / "uit.ipynb"),
        parameters={"gemeente": gemeente, "runs": 200},
        cwd=str(repo / "notebooks"),
        progress_bar=False,
        kernel_name="python3",
    )
    text = outputs_text(notebook)
    assert naam in text
    assert "in 90% van de" in text
    assert f"De wijken van {naam}" in text
    assert "kleiner is dan het ranginterval is geen verandering" in text
    assert "modelschattingen" in text
    assert "Geloof daarom het getal zonder lbm_-indicatoren" in text  # issue 20
    assert "kleiner is dan de onzekerheid is geen verandering" in text
    charts = chart_outputs(notebook)
    # six before, the wijk map, the two trend charts, the validity and cohesion charts
    assert len(charts) >= 11


@pytest.mark.slow
def test_notebook_runs_for_utrecht_buurten(repo, tmp_path, outputs_text):
    notebook = papermill.execute_notebook(
        str(repo / "notebooks" / "buurzaamheidsindex.ipynb"),
        str(tmp_path / "uit.ipynb"),
        parameters={"gemeente": "GM0344", "framework": "buurzaamheid_wijken_utrecht", "runs": 100},
        cwd=str(repo / "notebooks"),
        progress_bar=False,
        kernel_name="python3",
    )
    assert "buurt" in outputs_text(notebook)
