"""Reading YAML configuration (frameworks, plans, value maps, prices) at the boundary.

One place turns a YAML file into a validated pydantic model, so that every configuration
error reads the same way: the file, the line/column (YAML syntax) or the key path (schema),
the value found and what to do. Models use ``ConfigDict(extra="forbid")`` so a misspelt key
is an error, not a silently ignored setting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from doeagenda.errors import DoeagendaError, ParameterError

Model = TypeVar("Model", bound=BaseModel)


def read_yaml(
    path: str | Path, *, error: type[DoeagendaError] = ParameterError, what: str = "YAML file"
) -> dict[str, Any]:
    """Read a YAML mapping, turning every reading problem into one clear ``error``.

    Parameters
    ----------
    path : str or Path
        The file.
    error : type of DoeagendaError
        The exception class to raise (e.g. ``PlanError`` for batch plans).
    what : str
        What the file is, for the message (e.g. ``"batch plan"``).

    Returns
    -------
    dict
    """
    path = Path(path)
    if not path.is_file():
        msg = f"{what} {path} not found; check the path (relative to the current folder)"
        raise error(msg)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        msg = f"{path}: not UTF-8 text; save the {what} as UTF-8"
        raise error(msg) from None
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(problem, "problem", None) or str(problem).splitlines()[0]
        msg = f"{path}{where}: not valid YAML ({reason}); check indentation and quotes"
        raise error(msg) from None
    if not isinstance(raw, dict):
        msg = f"{path}: a {what} must be a mapping of keys to values, found {type(raw).__name__}"
        raise error(msg)
    return raw


def describe_validation_error(path: str | Path, problem: ValidationError) -> str:
    """Format a pydantic error as ``file: key.path: message (got value)`` parts."""
    parts = []
    for item in problem.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        if item["type"] == "extra_forbidden":
            parts.append(f"{where}: unknown key; remove it or check its spelling")
        else:
            parts.append(f"{where}: {item['msg']} (got {item.get('input')!r})")
    return f"{path}: " + "; ".join(parts)


def load_model(
    path: str | Path,
    model: type[Model],
    *,
    error: type[DoeagendaError] = ParameterError,
    what: str = "YAML file",
) -> Model:
    """Read a YAML file and validate it into ``model``; one clear ``error`` otherwise."""
    raw = read_yaml(path, error=error, what=what)
    try:
        return model.model_validate(raw)
    except ValidationError as problem:
        msg = describe_validation_error(path, problem)
        raise error(msg) from None
