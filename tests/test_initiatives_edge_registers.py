"""The initiatives report on small own registers: it runs to the end, and says what is missing.

Registers with 0, 1 and 4 stopped initiatives, of a single gemeente, and with only the
required columns. Every analysis that lacks what it needs returns a NotApplicable sentence;
the rest runs. The fast tests execute the notebook's own cells in this process (the same
code, without a kernel) and render each cell's result as a notebook would; the slow test
runs the notebook with papermill.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

import doeagenda.initiatives as ini
from doeagenda.results import NotApplicable

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "initiatieven.ipynb"

HEADER = "id,naam,gemeente_code,domein,startdatum,einddatum,financiers,vrijwilligers,partners,wijk_code\n"
ROWS = [
    "A1,Buurtkamer (voorbeeld),GM0355,ontmoeting,2015-03-01,{end},gemeente,12,Welzijn Zeist (welzijnsorganisatie),WK035501",
    "A2,Moestuin (voorbeeld),GM0355,groen,2016-04-01,{end},gemeente; fonds,5,,",
    "A3,Repaircafé (voorbeeld),GM0307,voedsel,2017-05-01,{end},,3,Gemeente Amersfoort (gemeente),",
    "A4,Taalcafé (voorbeeld),GM0344,onderwijs,2018-06-01,{end},fonds,8,,",
    "A5,Leesclub (voorbeeld),GM0344,cultuur,2014-01-15,,gemeente,20,,",
    "A6,Wandelgroep (voorbeeld),GM0344,sport,2019-09-01,,,4,,",
    "A7,Zorgcafé (voorbeeld),GM0307,zorg,2013-02-01,,gemeente; fonds,9,,",
    "A8,Kledingbank (voorbeeld),GM0307,welzijn,2012-10-01,,donaties,15,,",
]
ENDS = ["2020-01-01", "2021-06-30", "2022-03-31", "2023-12-31"]


def _register(tmp_path: Path, name: str, n_rows: int, stopped: int) -> Path:
    lines = [row.format(end=ENDS[i] if i < stopped else "") for i, row in enumerate(ROWS[:n_rows])]
    path = tmp_path / f"{name}_voorbeeld.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _single_gemeente(tmp_path: Path) -> Path:
    path = tmp_path / "een_gemeente_voorbeeld.csv"
    path.write_text(
        HEADER
        + "B1,Buurtkamer (voorbeeld),GM0355,ontmoeting,2015-03-01,2019-01-01,gemeente,12,,\n"
        + "B2,Moestuin (voorbeeld),GM0355,groen,2016-04-01,,fonds,5,,\n"
        + "B3,Taalhuis (voorbeeld),GM0355,onderwijs,2018-04-01,,gemeente,7,,\n",
        encoding="utf-8",
    )
    return path


def _required_only(tmp_path: Path) -> Path:
    path = tmp_path / "alleen_verplicht_voorbeeld.csv"
    path.write_text(
        "id,naam,gemeente_code,domein,startdatum\n"
        "C1,Buurtkamer (voorbeeld),GM0355,ontmoeting,2015-03-01\n"
        "C2,Moestuin (voorbeeld),GM0344,groen,2016-04-01\n"
        "C3,Repaircafé (voorbeeld),GM0307,voedsel,2017-05-01\n",
        encoding="utf-8",
    )
    return path


def _cells() -> list[str]:
    notebook = json.loads(NOTEBOOK.read_text("utf-8"))
    return [
        "".join(c["source"])
        for c in notebook["cells"]
        if c["cell_type"] == "code" and "parameters" not in c.get("metadata", {}).get("tags", [])
    ]


def _render(value: object) -> str:
    """Render a cell's value the way a notebook front end would (HTML, Markdown or chart)."""
    if value is None:
        return ""
    if hasattr(value, "to_dict") and type(value).__module__.startswith("altair"):
        value.to_dict()
        return "chart"
    for method in ("_repr_html_", "_repr_markdown_"):
        shown = getattr(type(value), method, None)
        if shown is not None:
            text = shown(value)
            if text is not None:
                return str(text)
    if hasattr(value, "to_html"):
        return value.to_html()
    return repr(value)


def run_cells(register: object, gemeente: str) -> dict[str, str]:
    """Execute the notebook's cells here; return what each cell shows, keyed by its source."""
    namespace: dict[str, object] = {
        "gemeente": gemeente,
        "register": register,
        "behoefte": "kwb21_low_income_households_pct",
    }
    shown = {}
    for source in _cells():
        tree = ast.parse(source)
        last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        body = tree.body[:-1] if last is not None else tree.body
        exec(compile(ast.Module(body=body, type_ignores=[]), "<cel>", "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<cel>", "eval"), namespace)
            shown[source] = _render(value)
    return shown


@pytest.mark.parametrize(("rows", "stopped"), [(2, 0), (3, 1), (8, 4)])
def test_the_report_runs_with_few_stopped_initiatives(tmp_path, rows, stopped):
    path = _register(tmp_path, f"gestopt_{stopped}", rows, stopped)
    shown = run_cells(str(path), "GM0355")
    km = ini.kaplan_meier(ini.load_register(str(path)), peildatum="2025-01-01")
    cox = ini.cox_model(ini.load_register(str(path)), peildatum="2025-01-01")
    if stopped == 0:
        assert isinstance(km, NotApplicable) and "geen enkel initiatief" in km.reason
        assert "einddatum" in shown["overleving"]
    else:
        assert not isinstance(km, NotApplicable)
        assert int(km.groups["gestopt"].sum()) == stopped
    # the Cox model needs five stops: with 0, 1 and 4 it says so in one sentence
    assert isinstance(cox, NotApplicable)
    assert "niet van toepassing" in shown["cox"].lower()
    assert shown["cox.chart()"] == "" and shown["nl_table(cox.ph_check())"] == ""
    assert "niet van toepassing" in shown["ini.continuity_risk(data, gemeente)"].lower()
    # the sections the register can feed still run
    assert "Zeist" in shown["zicht.view()"]
    assert shown["zicht.chart()"] == "chart"
    assert "Buurtkamer (voorbeeld)" in shown["ini.initiatives_in(data, gemeente)"]
    # and the energy sections say they belong to the energy register
    assert "energie_2019" in shown["energie"]


def test_the_report_runs_on_a_register_of_one_gemeente(tmp_path):
    path = _single_gemeente(tmp_path)
    for gemeente in ("GM0355", "GM0344"):
        shown = run_cells(str(path), gemeente)
        assert shown["zicht.rate_chart()"] == "chart"
        assert "niet van toepassing" in shown["cox"].lower()
    assert "geen initiatieven" in shown["ini.initiatives_in(data, gemeente)"]
    network = ini.network(ini.load_register(str(path)))
    assert isinstance(network, NotApplicable) and "partners" in network.reason


def test_the_report_runs_without_the_optional_columns(tmp_path):
    path = _required_only(tmp_path)
    shown = run_cells(str(path), "GM0344")
    for cell in ("overleving", "cox", "netwerk", "nl_table(zicht.wijken)"):
        assert "niet van toepassing" in shown[cell].lower(), cell
    assert "wijk_code" in shown["nl_table(zicht.wijken)"]
    assert "einddatum" in shown["overleving"]
    assert "partners" in shown["netwerk"]
    assert "doelgroep" in shown['ini.counts_view(data, "doelgroep", gemeente)']
    assert shown["zicht.chart()"] == "chart"


def test_the_report_on_the_real_register_for_a_gemeente_without_cooperatives():
    shown = run_cells("energie_2019", "GM0313")  # Bunschoten: no cooperative in 2019
    assert (
        "Het register kent in Bunschoten geen initiatieven."
        in shown["ini.initiatives_in(data, gemeente)"]
    )
    assert "Bunschoten had eind 2019 geen lokale energiecoöperatie" in shown["energie"]
    assert "momentopname" in shown["overleving"] and "momentopname" in shown["cox"]
    assert "Bunschoten" in shown["vlekken"]


@pytest.mark.slow
def test_the_notebook_runs_to_the_end_on_two_initiatives_none_stopped(tmp_path, outputs_text):
    import papermill

    path = _register(tmp_path, "twee", 2, 0)
    notebook = papermill.execute_notebook(
        str(NOTEBOOK),
        str(tmp_path / "uit.ipynb"),
        parameters={"gemeente": "GM0355", "register": str(path)},
        cwd=str(NOTEBOOK.parent),
        progress_bar=False,
        kernel_name="python3",
    )
    text = outputs_text(notebook)
    assert "OK: 2 initiatieven" in text
    assert "Het Cox-model is niet van toepassing" in text or "geen enkel initiatief" in text
    errors = [
        o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert not errors


def test_a_not_applicable_result_goes_through_the_batch_shared_cache(tmp_path, monkeypatch):
    """The batch keeps province-wide results (kaplan_meier, cox_model, ...) as pickles under
    <run>/.shared: a NotApplicable is stored once and read back as the same sentence."""
    from doeagenda.reports import _kernelside

    monkeypatch.setitem(_kernelside._STATE, "shared_dir", str(tmp_path))
    calls = []

    def km(register):
        calls.append(1)
        return ini.kaplan_meier(register)

    shared = _kernelside._shared(km, "tests.km")
    energie = ini.load_register("energie_2019")
    first, second = shared(energie), shared(energie)
    assert len(calls) == 1 and len(list(tmp_path.glob("km-*.pkl"))) == 1
    assert isinstance(second, NotApplicable) and second == first
    assert second.reason.startswith("Niet van toepassing: energie_2019 is een momentopname")
    assert second.chart() is None
