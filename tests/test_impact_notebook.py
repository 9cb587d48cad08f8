"""The maatschappelijke_waarde notebook runs on its defaults and on the other voorbeeld map."""

from __future__ import annotations

import json

import papermill
import pytest


def test_notebook_is_committed_without_outputs(repo):
    notebook = json.loads((repo / "notebooks" / "maatschappelijke_waarde.ipynb").read_text("utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    assert "waardekaart" in "".join(tagged[0]["source"])
    assert "regime" in "".join(tagged[0]["source"])
    headings = "".join(
        "".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown"
    )
    assert "## Herkomst van de prijzen" in headings


@pytest.mark.slow
@pytest.mark.parametrize(
    ("waardekaart", "gemeente", "plaats", "voet"),
    [
        (None, None, "Zeist", "disconteringsvoet 2,25%"),
        ("voorbeeld_buurtcooperatie", "GM0352", "Wijk bij Duurstede", "3,00% voor kosten"),
    ],
)
def test_notebook_runs(repo, tmp_path, waardekaart, gemeente, plaats, voet, chart_outputs):
    parameters = {}
    if waardekaart:
        parameters = {
            "waardekaart": waardekaart,
            "gemeente": gemeente,
            "regime": "zorginstituut2024",
        }
    notebook = papermill.execute_notebook(
        str(repo / "notebooks" / "maatschappelijke_waarde.ipynb"),
        str(tmp_path / "uit.ipynb"),
        parameters=parameters,
        cwd=str(repo / "notebooks"),
        progress_bar=False,
        kernel_name="python3",
    )
    text = "".join(
        "".join(o.get("data", {}).get("text/markdown", ""))
        for cell in notebook.cells
        for o in cell.get("outputs", [])
    )
    assert "Voor elke geïnvesteerde euro" in text
    assert "Met 90% zekerheid" in text
    assert f"gemeente {plaats}" in text
    assert voet in text
    # the price-origin section: its table and the share resting on assumptions
    assert "van de contante waarde rust op prijzen die een aanname zijn" in text
    assert "Zonder minder_eenzaamheid is de ratio" in text
    html = "".join(
        "".join(o.get("data", {}).get("text/html", ""))
        for cell in notebook.cells
        for o in cell.get("outputs", [])
    )
    assert "gp_homevisit_avg" in html or "gp_consult_avg" in html
    charts = chart_outputs(notebook)
    assert len(charts) >= 6
