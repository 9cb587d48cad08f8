"""Report pages leave out the sections that do not apply, and name them once at the end."""

from __future__ import annotations

import re

import nbformat
import pandas as pd
from IPython.core.formatters import DisplayFormatter

from doeagenda.reports.export import GATHERED_HEADING, ReportExporter, gather_not_applicable
from doeagenda.results import NotApplicable

NO_END_DATES = NotApplicable("Dit register heeft geen einddatums; vul de kolom einddatum in.")
NO_PARTNERS = NotApplicable("Dit register heeft geen partners; vul de kolom partners in.")


def _shown(obj: object) -> nbformat.NotebookNode:
    """The output a kernel stores for ``obj`` as a cell's last expression (IPython's formatter)."""
    data, metadata = DisplayFormatter().format(obj)
    return nbformat.v4.new_output("execute_result", data=data, metadata=metadata, execution_count=1)


def _code(*objects: object) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [_shown(o) for o in objects]
    return cell


def _notebook() -> nbformat.NotebookNode:
    md = nbformat.v4.new_markdown_cell
    table = pd.DataFrame({"gemeente": ["Zeist"], "aantal": [3]})
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        md("# Titel\n\nInleiding."),
        _code(table),
        md("## Samenvatting\n\nWat er is."),
        _code(table),
        md("## Verduurzaming: hoe lang?\n\nKaplan–Meier."),
        _code(NO_END_DATES),
        _code(),  # NotApplicable.chart() shows nothing
        md("### Wat hangt samen met stoppen\n\nEen Cox-model."),
        _code(NO_END_DATES),
        md("Controle van de aanname:"),
        _code(),
        md("## Samenspel"),
        _code(NO_PARTNERS),
        md("## Per domein"),
        _code(table, NO_PARTNERS),  # partly applies: stays where it is
        md("## Energie\n\nDe coöperaties."),
        _code(NO_PARTNERS),
        md("### Oprichtingen"),
        _code(table),  # applies: its heading above stays, with its sentence
        md("## Zelf gebruiken\n\nZo werkt het."),
    ]
    return nb


def test_ipython_marks_a_not_applicable_output() -> None:
    output = _shown(NO_END_DATES)
    assert output.data["text/markdown"] == f"*{NO_END_DATES.reason}*"
    assert output.data["text/plain"] == NO_END_DATES.reason
    assert output.metadata == {"doeagenda_not_applicable": True}
    assert _shown(pd.DataFrame({"a": [1]})).metadata == {}


def test_sections_that_only_say_not_applicable_move_to_one_list_at_the_end() -> None:
    nb = gather_not_applicable(_notebook())
    headings = [
        line
        for cell in nb.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("#")
    ]
    assert headings == [
        "# Titel",
        "## Samenvatting",
        "## Per domein",
        "## Energie",
        "### Oprichtingen",
        "## Zelf gebruiken",
        f"## {GATHERED_HEADING}",
    ]
    assert not any("Controle van de aanname" in c.source for c in nb.cells)
    listed = nb.cells[-1].source.splitlines()[4:]
    assert listed == [
        "- **Verduurzaming: hoe lang?** en **Wat hangt samen met stoppen**. "
        f"*{NO_END_DATES.reason}*",
        f"- **Samenspel**. *{NO_PARTNERS.reason}*",
    ]
    mixed = nb.cells[nb.cells.index(next(c for c in nb.cells if "## Per domein" in c.source)) + 1]
    assert len(mixed.outputs) == 2  # the table and its sentence stay together


def test_a_report_where_everything_applies_is_unchanged() -> None:
    nb = _notebook()
    nb.cells = [c for c in nb.cells if not any(_is_marked(o) for o in c.get("outputs", []))]
    before = [c.source for c in nb.cells]
    assert [c.source for c in gather_not_applicable(nb).cells] == before


def test_a_notebook_without_sections_is_unchanged() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Titel"), _code(NO_END_DATES)]
    before = [cell.source for cell in nb.cells]
    assert [cell.source for cell in gather_not_applicable(nb).cells] == before


def _is_marked(output) -> bool:
    return bool(output.get("metadata", {}).get("doeagenda_not_applicable"))


def test_the_page_shows_each_sentence_once() -> None:
    page = ReportExporter().export(_notebook(), unit_label="Zeist (GM0355)")
    text = re.sub(r"<[^>]+>", " ", page)
    assert text.count("vul de kolom einddatum in") == 1
    assert text.count(GATHERED_HEADING) == 1
    assert text.index("Zelf gebruiken") < text.index(GATHERED_HEADING)


def test_a_chart_speaks_dutch_to_a_screen_reader() -> None:
    import altair as alt
    import vl_convert

    from doeagenda.charts import enable_theme
    from doeagenda.reports.export import inline_svg

    enable_theme()
    frame = pd.DataFrame({"jaar": [2014, 2018, 2022], "score": [3.0, 1.0, 2.0], "gebied": "Zeist"})
    chart = (
        alt.Chart(frame, title=alt.Title("Sociale samenhang", subtitle="Zeist tegen Nederland"))
        .mark_line(point=True)
        .encode(
            x=alt.X("jaar:O", title="Jaar"),
            y=alt.Y("score:Q", title="Score"),
            color=alt.Color("gebied:N", title="Gebied"),
        )
    )
    raw = vl_convert.vegalite_to_svg(chart.to_json())
    assert "aria-roledescription" in raw and "Title text" in raw  # what vega writes
    svg = inline_svg(raw, "c0-")
    labels = re.findall(r'aria-[a-z]+="([^"]*)"', svg)
    spoken = " ".join(label for label in labels if label not in {"true", "false"})
    for english in ("axis", "legend", "mark", "container", "Title text", "titled", "scale"):
        assert english not in spoken, english
    assert "aria-roledescription" not in svg
    assert {"Sociale samenhang", "Zeist tegen Nederland"} <= set(labels)
    assert "Jaar: 2014; Score: 3; Gebied: Zeist" in labels  # the marks keep their description
