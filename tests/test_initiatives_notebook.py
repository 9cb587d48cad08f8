"""notebooks/initiatieven.ipynb: committed clean; runs on the real register (default) and the voorbeeld."""

from __future__ import annotations

import json

import papermill
import pytest

NOTEBOOK = "initiatieven.ipynb"


def test_notebook_committed_clean_with_parameters(repo):
    notebook = json.loads((repo / "notebooks" / NOTEBOOK).read_text("utf-8"))
    assert notebook["cells"][0]["cell_type"] == "markdown"
    assert "".join(notebook["cells"][0]["source"]).startswith("# ")
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    source = "".join(tagged[0]["source"])
    assert 'gemeente = "GM0344"' in source and 'register = "energie_2019"' in source
    for cell in code:
        text = "".join(cell["source"])
        assert "def " not in text and "for " not in text


@pytest.mark.slow
def test_notebook_runs_on_the_voorbeeld(repo, tmp_path, chart_outputs, outputs_text):
    notebook = papermill.execute_notebook(
        str(repo / "notebooks" / NOTEBOOK),
        str(tmp_path / "uit.ipynb"),
        parameters={"gemeente": "GM0339", "register": "voorbeeld"},
        cwd=str(repo / "notebooks"),
        progress_bar=False,
        kernel_name="python3",
    )
    text = outputs_text(notebook)
    assert "OK: 300 initiatieven" in text
    assert "Renswoude" in text
    assert "Voorbeeldpersoon" not in text  # contactpersoon never shown
    charts = chart_outputs(notebook)
    assert len(charts) >= 8
