"""Imports inside ``doeagenda.index`` point one way (issue 14, item 3).

Reads the modules' source with ``ast`` and counts every import, also those inside
functions (skipping ``if TYPE_CHECKING:`` blocks), like the project's import-cycles tool.
"""

from __future__ import annotations

import ast
import importlib
from importlib import resources

import pytest

PACKAGE = "doeagenda.index"
# Imports that may stay inside functions: each loads a slow or notebook-only library
# (doeagenda.results loads pandas, which `doeagenda --help` must not pay for).
# (doeagenda.data.userfiles imports pandas and pandera, doeagenda.index.story the whole
# index: lazy in the CLI, for `--help`)
LAZY_OK = {"doeagenda.index.charts", "IPython.display", "pandas", "altair", "doeagenda.results",
           "doeagenda.index.build", "doeagenda.index.data", "doeagenda.index.framework",
           "doeagenda.data.userfiles", "doeagenda.index.story"}  # fmt: skip


def _modules() -> dict[str, ast.Module]:
    root = resources.files(PACKAGE)
    out = {}
    for item in root.iterdir():
        if item.name.endswith(".py") and item.name != "__init__.py":
            out[f"{PACKAGE}.{item.name[:-3]}"] = ast.parse(item.read_text(encoding="utf-8"))
    return out


def _imports(tree: ast.Module) -> list[tuple[str, bool]]:
    """(imported module, inside a function) for every import outside TYPE_CHECKING blocks."""
    skip: set[int] = set()
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for sub in node.body for n in ast.walk(sub))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            inside.update(id(n) for n in ast.walk(node) if n is not node)
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found += [(a.name, id(node) in inside) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, id(node) in inside))
    return found


def test_no_import_cycle_between_index_modules() -> None:
    modules = _modules()
    graph = {
        name: {mod for mod, _ in _imports(tree) if mod in modules and mod != name}
        for name, tree in modules.items()
    }
    cycles = []
    for start in graph:  # depth-first search for a path back to the start
        stack, seen = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    cycles.append(" -> ".join([*path, start]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*path, nxt]))
    assert cycles == []


def test_the_chart_labels_live_in_a_leaf_module() -> None:
    labels = _modules()[f"{PACKAGE}.labels"]
    assert [mod for mod, _ in _imports(labels) if mod.startswith("doeagenda")] == []


@pytest.mark.parametrize("name", sorted(_modules()))
def test_function_level_imports_only_load_slow_libraries(name: str) -> None:
    lazy = {mod for mod, inside in _imports(_modules()[name]) if inside}
    assert lazy <= LAZY_OK, f"{name}: move {sorted(lazy - LAZY_OK)} to the top of the module"


def test_public_names_still_import() -> None:
    charts, story, uncertainty = (
        importlib.import_module(f"{PACKAGE}.{name}") for name in ("charts", "story", "uncertainty")
    )
    assert uncertainty.FACTOR_LABELS["weights"] == "Gewichten"
    assert charts.NO_DATA == story.NO_DATA == "geen gegevens"
