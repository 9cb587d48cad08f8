"""notebooks/initiatieven.ipynb: committed clean, and runs on the voorbeeld register."""

from __future__ import annotations

import json

import pytest

papermill = pytest.importorskip("papermill")

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
    assert 'gemeente = "GM0344"' in source and 'register = "voorbeeld"' in source
    for cell in code:
        text = "".join(cell["source"])
        assert "def " not in text and "for " not in text


def _outputs_text(notebook) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
            for key in ("text/markdown", "text/plain", "text/html"):
                parts.append("".join(output.get("data", {}).get(key, "")))
    return "\n".join(parts)


@pytest.mark.slow
def test_notebook_runs_on_the_voorbeeld(repo, tmp_path):
    notebook = papermill.execute_notebook(
        str(repo / "notebooks" / NOTEBOOK),
        str(tmp_path / "uit.ipynb"),
        parameters={"gemeente": "GM0339"},
        cwd=str(repo / "notebooks"),
        progress_bar=False,
        kernel_name="python3",
    )
    text = _outputs_text(notebook)
    assert "OK: 300 initiatieven" in text
    assert "Renswoude" in text
    assert "Voorbeeldpersoon" not in text  # contactpersoon never shown
    charts = [
        o
        for cell in notebook.cells
        for o in cell.get("outputs", [])
        if any(
            k.startswith("application/vnd.vegalite")
            or k == "image/svg+xml"
            or (k == "text/html" and "vega-embed" in "".join(v))
            for k, v in o.get("data", {}).items()
        )
    ]
    assert len(charts) >= 8
