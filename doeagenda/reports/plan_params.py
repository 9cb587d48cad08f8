"""Notebook-parameter inspection for batch plans: what a notebook's ``parameters`` cell
defines, and whether a plan's (templated) parameter values fit it.

Split out of :mod:`doeagenda.reports.plan`, which re-exports the public name here.
"""

from __future__ import annotations

import ast
import re
import string
from functools import lru_cache
from pathlib import Path
from typing import Any

from doeagenda.errors import PlanError
from doeagenda.reports.plan_models import PLACEHOLDERS, NotebookSpec

__all__ = ["notebook_parameters"]


@lru_cache(maxsize=64)
def _inspect(file: str, mtime_ns: int) -> dict[str, dict[str, Any]]:
    from papermill.inspection import _infer_parameters
    from papermill.iorw import load_notebook_node

    nb = load_notebook_node(file)
    has_cell = any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells)
    if not has_cell:
        return {}
    found = {}
    for p in _infer_parameters(nb):
        kind = p.inferred_type_name  # from an annotation (``x: int = 1``), else "None"
        if kind in (None, "None"):
            try:
                value = ast.literal_eval(p.default)
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                kind = "None"
            else:
                kind = type(value).__name__ if value is not None else "None"
        found[p.name] = {"type": kind, "default": p.default, "help": p.help}
    return found


def notebook_parameters(path: str | Path) -> dict[str, dict[str, Any]]:
    """Parameters defined in a notebook's cell tagged ``parameters``.

    Uses papermill's inspection (the Python translator parses the cell with ``ast``).

    Parameters
    ----------
    path : str or Path
        The notebook.

    Returns
    -------
    dict
        ``name -> {"type": "str"|"int"|..., "default": source text, "help": comment}``;
        empty when the notebook has no ``parameters`` cell.
    """
    path = Path(path)
    try:
        return _inspect(str(path.resolve()), path.stat().st_mtime_ns)
    except Exception as error:  # nbformat/json errors: a broken notebook file
        msg = f"notebook {path} is niet te lezen ({type(error).__name__}: {error})"
        raise PlanError(msg) from None


_TYPE_OK = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "list": (list,),
    "dict": (dict,),
}


def _template_fields(value: Any) -> set[str]:
    if isinstance(value, str):
        return {f for _, f, _, _ in string.Formatter().parse(value) if f is not None}
    if isinstance(value, list):
        return set().union(*(_template_fields(v) for v in value)) if value else set()
    if isinstance(value, dict):
        return set().union(*(_template_fields(v) for v in value.values())) if value else set()
    return set()


def _check_parameters(label: str, index: int, spec: NotebookSpec, file: Path) -> None:
    defined = notebook_parameters(file)
    where = f"{label}: notebooks.{index} ({spec.path})"
    if spec.parameters and not defined:
        msg = f"{where}: de notebook heeft geen cel met tag 'parameters'; verwijder 'parameters'"
        raise PlanError(msg)
    for name, value in spec.parameters.items():
        if name not in defined:
            msg = (
                f"{where}: parameter {name!r} staat niet in de parameters-cel van de notebook; "
                f"bekend: {', '.join(sorted(defined)) or 'geen'}"
            )
            raise PlanError(msg)
        try:
            fields = _template_fields(value)
        except ValueError as error:
            msg = f"{where}: parameter {name!r}: ongeldige sjabloontekst {value!r} ({error})"
            raise PlanError(msg) from None
        unknown = sorted(f for f in fields if f.split(".")[0].split("[")[0] not in PLACEHOLDERS)
        if unknown:
            msg = (
                f"{where}: parameter {name!r}: onbekende plaatshouder(s) {unknown}; "
                f"bekend: {', '.join('{' + p + '}' for p in PLACEHOLDERS)}"
            )
            raise PlanError(msg)
        expected = defined[name]["type"]
        sample = _render(value, _sample_context())
        allowed = _TYPE_OK.get(expected)
        if allowed and not (
            isinstance(sample, allowed) and not (expected != "bool" and isinstance(sample, bool))
        ):
            msg = (
                f"{where}: parameter {name!r} is in de notebook van type {expected} "
                f"(standaard {defined[name]['default']}), het plan geeft {value!r}"
            )
            raise PlanError(msg)


def _sample_context() -> dict[str, Any]:
    return {
        "code": "GM0000",
        "name": "Voorbeeld",
        "level": "gemeente",
        "gemeente": "GM0000",
        "provincie": "Utrecht",
        "year": 2024,
        "slug": "GM0000-voorbeeld",
        "run_id": "run",
        "out": "outputs/run/GM0000-voorbeeld",
    }


def _render(value: Any, context: dict[str, Any]) -> Any:
    if isinstance(value, str):
        exact = re.fullmatch(r"\{(\w+)\}", value)
        if exact and exact.group(1) in context:
            return context[exact.group(1)]
        return value.format_map(context)
    if isinstance(value, list):
        return [_render(v, context) for v in value]
    if isinstance(value, dict):
        return {k: _render(v, context) for k, v in value.items()}
    return value
