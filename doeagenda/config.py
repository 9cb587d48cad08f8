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
    path: str | Path, *, error: type[DoeagendaError] = ParameterError, what: str = "YAML-bestand"
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
        msg = f"{what} {path} niet gevonden; controleer het pad (ten opzichte van de huidige map)"
        raise error(msg)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        msg = f"{path}: geen UTF-8-tekst; sla het bestand ({what}) op als UTF-8"
        raise error(msg) from None
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        where = f" regel {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        reason = getattr(problem, "problem", None) or str(problem).splitlines()[0]
        msg = f"{path}{where}: geen geldige YAML ({reason}); controleer inspringing en aanhalingstekens"
        raise error(msg) from None
    if not isinstance(raw, dict):
        msg = f"{path}: een {what} moet sleutels met waarden bevatten (een mapping), niet {type(raw).__name__}"
        raise error(msg)
    return raw


#: Dutch for pydantic's most common error types (its own messages are English).
_PYDANTIC_NL = {
    "missing": "ontbreekt",
    "int_parsing": "moet een geheel getal zijn",
    "int_type": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn (zonder decimalen)",
    "float_parsing": "moet een getal zijn (decimalen met een punt)",
    "float_type": "moet een getal zijn",
    "bool_parsing": "moet true of false zijn",
    "bool_type": "moet true of false zijn",
    "string_type": "moet tekst zijn",
    "list_type": "moet een lijst zijn",
    "dict_type": "moet een mapping (sleutels met waarden) zijn",
    "model_type": "moet een mapping (sleutels met waarden) zijn",
    "tuple_type": "moet een lijst zijn",
    "too_short": "is te kort",
    "too_long": "is te lang",
    "finite_number": "moet een eindig getal zijn",
    "date_parsing": "moet een datum zijn (2024-01-31)",
    "date_from_datetime_parsing": "moet een datum zijn (2024-01-31)",
}


def pydantic_message(item: Any) -> str:
    """One pydantic error in Dutch: our own validators' text, else a Dutch phrase for its type.

    Parameters
    ----------
    item : dict
        One entry of ``ValidationError.errors()``.

    Returns
    -------
    str
    """
    kind = item.get("type", "")
    context = item.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        return (
            str(item.get("msg", ""))
            .removeprefix("Value error, ")
            .removeprefix("Assertion failed, ")
        )
    if kind == "literal_error":
        return f"kies uit {context.get('expected', '')}".replace(" or ", " of ")
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        sign = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<",
                "less_than_equal": "<="}[kind]  # fmt: skip
        bound = next(iter(context.values()), "")
        return f"moet {sign} {bound} zijn"
    if kind in _PYDANTIC_NL:
        return _PYDANTIC_NL[kind]
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return "heeft het verkeerde type"
    return "ongeldige waarde"


def describe_validation_error(path: str | Path, problem: ValidationError) -> str:
    """Format a pydantic error as ``file: key.path: message (got value)`` parts."""
    parts = []
    for item in problem.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(bovenste niveau)"
        if item["type"] == "extra_forbidden":
            parts.append(f"{where}: onbekende sleutel; verwijder hem of controleer de spelling")
        else:
            parts.append(f"{where}: {pydantic_message(item)} (gegeven: {item.get('input')!r})")
    return f"{path}: " + "; ".join(parts)


def load_model(
    path: str | Path,
    model: type[Model],
    *,
    error: type[DoeagendaError] = ParameterError,
    what: str = "YAML-bestand",
) -> Model:
    """Read a YAML file and validate it into ``model``; one clear ``error`` otherwise."""
    raw = read_yaml(path, error=error, what=what)
    try:
        return model.model_validate(raw)
    except ValidationError as problem:
        msg = describe_validation_error(path, problem)
        raise error(msg) from None
