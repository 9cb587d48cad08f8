"""Batch plans: which notebooks to run for which units, validated before any kernel starts.

A plan is a YAML file under ``params/batch/`` (see ``docs/batch.md``)::

    title: Gemeenteprofielen provincie Utrecht
    year: 2024
    units:
      provincie: Utrecht          # or: alle: true / codes: [GM0344, ...] / wijken: GM0344
                                  # or: wijken: Utrecht (all wijken of a provincie)
    notebooks:
      - path: notebooks/gemeenteprofiel.ipynb
        parameters:
          gemeente: "{code}"
          jaar: "{year}"

:func:`load_plan` validates the file (unknown keys, missing notebooks, parameters the
notebook's ``parameters`` cell does not define); :func:`expand_jobs` turns a plan into one
:class:`Job` per (unit, notebook) with the parameters templated for that unit, after
checking the units against :func:`doeagenda.data.areas`.

The plan is split over :mod:`~doeagenda.reports.plan_models` (the pydantic schema, units and
jobs), :mod:`~doeagenda.reports.plan_params` (notebook-parameter inspection) and
:mod:`~doeagenda.reports.plan_units` (unit expansion); every name stays importable from here.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from doeagenda.config import read_yaml
from doeagenda.errors import PlanError
from doeagenda.paths import notebooks_dir, params_path
from doeagenda.reports import plan_models
from doeagenda.reports.plan_models import *  # noqa: F403 - re-exported as it is
from doeagenda.reports.plan_models import (
    LoadedPlan,
    NotebookSpec,
    Plan,
)
from doeagenda.reports.plan_params import (
    _check_contract,
    _check_parameters,
    check_job_contracts,
    notebook_parameters,
)
from doeagenda.reports.plan_units import expand_jobs, resolve_units

__all__ = [
    "check_job_contracts",
    "default_plan_path",
    "expand_jobs",
    "load_plan",
    "notebook_parameters",
    "plan_from_dict",
    "resolve_units",
]
__all__ += plan_models.__all__

logger = logging.getLogger(__name__)


def default_plan_path() -> Path:
    """The default plan ``params/batch/utrecht.yaml`` (cwd first, else the checkout or wheel)."""
    relative = Path("params") / "batch" / "utrecht.yaml"
    if relative.exists():
        return relative
    return params_path("batch", "utrecht.yaml")


def _format_validation_error(label: str, error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        loc = ".".join(str(p) for p in item["loc"]) or "(plan)"
        if item["type"] == "extra_forbidden":
            parts.append(f"{loc}: onbekende sleutel (typfout?)")
        elif item["type"] == "missing":
            parts.append(f"{loc}: ontbreekt")
        else:
            message = item["msg"].removeprefix("Value error, ")
            parts.append(f"{loc}: {message} (waarde {item.get('input')!r})")
    return f"{label}: {'; '.join(parts)}"


def _find_root(start: Path, notebook: str) -> Path | None:
    for directory in (Path.cwd(), start, *start.parents):
        if (directory / notebook).is_file():
            return directory
    return None


def _packaged_notebook(notebook: str) -> Path | None:
    """The copy of ``notebooks/...`` inside an installed wheel (``doeagenda/_notebooks``)."""
    parts = Path(notebook).parts
    if len(parts) > 1 and parts[0] == "notebooks":
        file = notebooks_dir().joinpath(*parts[1:])
        if file.is_file():
            return file
    return None


def plan_from_dict(raw: dict[str, Any], source: Path | None = None) -> LoadedPlan:
    """Validate a plan given as a dict (what :func:`load_plan` does after reading YAML).

    Parameters
    ----------
    raw : dict
        The plan.
    source : Path, optional
        The file it came from (for messages and to find the project root).

    Returns
    -------
    LoadedPlan
        The validated plan with each notebook's file (searched in the current folder,
        then from ``source``'s folder upwards, then in the installed package; an optional
        notebook that does not exist is left out with a warning) and the project root
        where they were found.

    Raises
    ------
    PlanError
        Unknown keys, missing notebooks, parameters the notebook does not define.
    """
    label = str(source) if source is not None else "plan"
    if not isinstance(raw, dict):
        msg = f"{label}: een plan is een YAML-mapping met units en notebooks, niet {type(raw).__name__}"
        raise PlanError(msg)
    try:
        plan = Plan.model_validate(raw)
    except ValidationError as error:
        raise PlanError(_format_validation_error(label, error)) from None

    start = source.resolve().parent if source is not None else Path.cwd()
    notebooks: list[NotebookSpec] = []
    files: dict[str, Path] = {}
    root: Path | None = None
    for index, spec in enumerate(plan.notebooks):
        found = _find_root(start, spec.path)
        # a wheel has no notebooks/ beside params/: then its packaged copy
        file = (found / spec.path).resolve() if found else _packaged_notebook(spec.path)
        if file is None:
            if spec.optional:
                logger.warning(
                    "%s: optionele notebook %s bestaat (nog) niet; overgeslagen", label, spec.path
                )
                continue
            msg = (
                f"{label}: notebooks.{index}.path: notebook {spec.path!r} bestaat niet "
                f"(gezocht vanaf {Path.cwd()} en {start}); controleer het pad"
            )
            raise PlanError(msg)
        root = root or found
        _check_parameters(label, index, spec, file)
        _check_contract(label, index, spec, file, plan.units, plan.year)
        notebooks.append(spec)
        files[spec.path] = file
    if not notebooks:
        msg = f"{label}: geen van de notebooks bestaat; niets te doen"
        raise PlanError(msg)
    return LoadedPlan(
        plan=plan,
        source=source,
        root=root or Path.cwd(),
        notebooks=notebooks,
        notebook_files=files,
        raw=plan.model_dump(mode="json"),
    )


def load_plan(path: str | Path) -> LoadedPlan:
    """Read and validate a plan file.

    Parameters
    ----------
    path : str or Path
        The YAML plan (e.g. ``params/batch/utrecht.yaml``).

    Returns
    -------
    LoadedPlan
        As :func:`plan_from_dict` returns it, with ``path`` as its source.

    Raises
    ------
    PlanError
        The file is missing, is not valid YAML, or fails validation
        (:func:`plan_from_dict`).
    """
    path = Path(path)
    raw = read_yaml(path, error=PlanError, what="batch plan (see params/batch/)")
    return plan_from_dict(raw, source=path)
