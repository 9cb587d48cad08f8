"""The tables readers see in the notebooks are formatted the Dutch way.

Each notebook's code cells run in-process (they are thin: one call per cell); every cell
whose value is a table (a DataFrame, a styled table or a result object with an HTML or
Markdown view) is rendered as the notebook would render it, and the rendering must not
contain e-notation or integer counts printed as ``161852.0``, nor a bare 0..n index.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest
from pandas.io.formats.style import Styler

from doeagenda.evaluation import EvaluationWarning

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = [
    "proeftuin_evaluatie.ipynb",
    "initiatieven.ipynb",
    "gemeenteprofiel.ipynb",
    "buurzaamheidsindex.ipynb",
    "maatschappelijke_waarde.ipynb",
    "wijkprofiel.ipynb",
]
E_NOTATION = re.compile(r"\d[eE][+-]?\d")
FLOAT_COUNT = re.compile(r"(?<![\d.,])\d+\.0(?![\d])")
MARKUP = re.compile(r"<style.*?</style>|<[^>]*>", re.DOTALL)
#: Versions in names are not counts: licences (CBS data is "CC BY 4.0") and sources
#: ("Leefbaarometer 3.0").
LICENCE = re.compile(r"(?:CC[ -]BY(?:[ -]SA)?|Leefbaarometer)[ -]\d\.\d")


def _cell_values(path: Path):
    """Run the notebook's code cells and yield (source, value of the last expression)."""
    cells = [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
    namespace: dict = {}
    for cell in cells:
        source = "".join(cell["source"])
        tree = ast.parse(source)
        last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        body = tree.body[:-1] if last is not None else tree.body
        with warnings.catch_warnings():
            # the honesty warnings (e.g. too few proeftuinen) are shown to the reader by design
            warnings.simplefilter("ignore", EvaluationWarning)
            exec(compile(ast.Module(body, type_ignores=[]), str(path), "exec"), namespace)
            value = (
                eval(compile(ast.Expression(last.value), str(path), "eval"), namespace)
                if last is not None
                else None
            )
        if last is not None:
            yield source, value


def _rendered_table(value) -> str | None:
    """Return the HTML or Markdown a notebook shows for a table value, or None for others."""
    if isinstance(value, Styler):
        return value.to_html()
    if isinstance(value, pd.DataFrame):
        index = value.index
        bare = isinstance(index, pd.RangeIndex) and index.start == 0 and index.name is None
        assert not bare or len(value) == 0, (
            "a table with a bare 0..n index; show it through its result's view()"
        )
        floats = [c for c in value.columns if pd.api.types.is_float_dtype(value[c])]
        assert not floats, f"numbers {floats} shown raw; show them through view() or nl_table"
        return value.to_html()
    html = getattr(value, "_repr_html_", None)
    if callable(html) and type(value).__module__.startswith("doeagenda") and html() is not None:
        return html()
    markdown = getattr(value, "_repr_markdown_", None)
    if callable(markdown):
        return markdown()
    return None


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_tables_use_dutch_number_formatting(name):
    tables = 0
    for source, value in _cell_values(REPO / "notebooks" / name):
        rendered = _rendered_table(value)
        if rendered is None:
            continue
        rendered = MARKUP.sub(" ", rendered)  # what the reader sees, not element ids
        rendered = LICENCE.sub(" ", rendered)
        tables += 1
        assert not E_NOTATION.search(rendered), (source, E_NOTATION.search(rendered).group())
        assert not FLOAT_COUNT.search(rendered), (source, FLOAT_COUNT.search(rendered).group())
    assert tables >= 3  # the notebooks show tables; a notebook without them is a broken test


def test_a_raw_table_of_numbers_is_rejected():
    codes = pd.Index(["GM0344"], name="code")
    with pytest.raises(AssertionError, match="shown raw"):
        _rendered_table(pd.DataFrame({"score": [52.04]}, index=codes))
    assert "waarschuwing" in _rendered_table(pd.DataFrame({"waarschuwing": ["let op"]}, codes))


def test_the_checks_catch_what_they_are_for():
    raw = pd.DataFrame({"inwoners": [161852.0], "p": [6.304197e-26]}).to_html()
    assert FLOAT_COUNT.search(raw)
    assert E_NOTATION.search(raw)
    assert FLOAT_COUNT.search(LICENCE.sub(" ", "CC BY 4.0; 12.0 inwoners"))
    assert not FLOAT_COUNT.search(LICENCE.sub(" ", "Bron: CBS (CC BY 4.0)"))
    assert not FLOAT_COUNT.search(LICENCE.sub(" ", "De Leefbaarometer 3.0 (BZK)"))
    assert FLOAT_COUNT.search(LICENCE.sub(" ", "Leefbaarometer 3.0: 7.0 punten"))
