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

from doeagenda.errors import ParameterError, PlanError
from doeagenda.reports.plan_models import PLACEHOLDERS, NotebookSpec

__all__ = ["check_job_contracts", "notebook_defaults", "notebook_parameters"]


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


def notebook_defaults(path: str | Path) -> dict[str, Any]:
    """The literal default value of each parameter of a notebook's ``parameters`` cell.

    A default that is not a literal (an expression) is left out.
    """
    values = {}
    for name, spec in notebook_parameters(path).items():
        try:
            values[name] = ast.literal_eval(spec["default"])
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
    return values


#: A real code per unit level, to check a plan's templated values before the units are
#: read (``{code}`` of a wijk plan is a wijk code): the notebook's contract then sees a
#: code of the right level, and a gemeente code given to a ``wijk`` parameter is refused
#: before any kernel starts. Every job's own values are checked again once expanded.
_SAMPLE_CODES = {"gemeente": "GM0344", "wijk": "WK034401", "buurt": "BU03440111"}


def _plan_levels(units: Any) -> list[str]:
    if units.provincie is not None or units.alle:
        return ["gemeente"]
    if units.wijken is not None:
        return ["wijk"]
    prefixes = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}
    levels = {prefixes.get(str(c)[:2].upper()) for c in units.codes or []}
    return sorted(level for level in levels if level) or ["gemeente"]


def _check_contract(
    label: str, index: int, spec: NotebookSpec, file: Path, units: Any, year: int
) -> None:
    from doeagenda.reports.contract import contract_for

    contract = contract_for(file)
    if contract is None:
        return
    defaults = notebook_defaults(file)
    for level in _plan_levels(units):
        code = _SAMPLE_CODES[level]
        context = {
            **_sample_context(),
            "code": code,
            "level": level,
            "gemeente": "GM0344",
            "year": year,
            "slug": f"{code}-voorbeeld",
        }
        values = {name: _render(value, context) for name, value in spec.parameters.items()}
        try:
            contract.check({**defaults, **values})
        except ParameterError as error:
            where = f"{label}: notebooks.{index} ({spec.path})"
            shown = f" (voor eenheden van niveau {level})" if _templated(spec.parameters) else ""
            msg = f"{where}{shown}: {error}"
            raise PlanError(msg) from None


def _templated(parameters: dict[str, Any]) -> bool:
    return any(_template_fields(v) for v in parameters.values())


def check_job_contracts(label: str, jobs: list[Any]) -> None:
    """Check every job's parameters against its notebook's contract (the whole run).

    Parameters
    ----------
    label : str
        The plan (for the message).
    jobs : list of Job
        The expanded jobs.

    Raises
    ------
    PlanError
        The first job whose parameters break the contract: unit, notebook, parameter,
        value and the allowed choices.
    """
    from doeagenda.reports.contract import contract_for

    defaults: dict[Path, dict[str, Any]] = {}
    for job in jobs:
        contract = contract_for(job.notebook_file)
        if contract is None:
            continue
        if job.notebook_file not in defaults:
            defaults[job.notebook_file] = notebook_defaults(job.notebook_file)
        try:
            contract.check({**defaults[job.notebook_file], **job.parameters})
        except ParameterError as error:
            msg = f"{label}: {job.unit.code} ({job.notebook}): {error}"
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
    from doeagenda.reports.contract import contract_for

    defined = notebook_parameters(file)
    contract = contract_for(file)
    # a parameter the notebook's contract declares: its type is the contract's (checked by
    # _check_contract; e.g. methode takes a text or a list), not that of the default
    declared = set(contract.parameters) if contract is not None else set()
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
        if (
            name not in declared
            and allowed
            and not (
                isinstance(sample, allowed)
                and not (expected != "bool" and isinstance(sample, bool))
            )
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
