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
"""

from __future__ import annotations

import ast
import json
import logging
import re
import string
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from doeagenda.config import read_yaml
from doeagenda.errors import PlanError
from doeagenda.paths import notebooks_dir, params_path

__all__ = [
    "PLACEHOLDERS",
    "Job",
    "NotebookSpec",
    "Plan",
    "default_plan_path",
    "expand_jobs",
    "load_plan",
    "notebook_parameters",
    "plan_from_dict",
    "slugify",
]

logger = logging.getLogger(__name__)

#: Placeholders that parameter values (strings) may use; filled in per unit.
PLACEHOLDERS = {
    "code": "code of the unit (GM0344, WK034401, ...)",
    "name": "name of the unit",
    "level": "gemeente / wijk / buurt",
    "gemeente": "code of the gemeente the unit lies in (the unit itself for a gemeente)",
    "provincie": "provincie of the unit",
    "year": "the plan's year (an int when the value is exactly '{year}')",
    "slug": "the unit's folder name, <code>-<name-slug>",
    "run_id": "id of the run",
    "out": "the unit's output folder, <out>/<run_id>/<code>-<name-slug>",
}

_CODE = re.compile(r"^(GM\d{4}|WK\d{6}|BU\d{8})$")
_GEMEENTE = re.compile(r"^GM\d{4}$")


class Units(BaseModel):
    """Which units (areas) a plan runs for; exactly one of the four fields."""

    model_config = ConfigDict(extra="forbid")

    provincie: str | None = Field(None, description="All gemeenten of this provincie.")
    alle: bool = Field(False, description="All gemeenten of the Netherlands.")
    codes: list[str] | None = Field(None, description="An explicit list of area codes.")
    wijken: str | None = Field(
        None, description="All wijken of this gemeente (GMxxxx) or of this provincie (its name)."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> Units:
        chosen = [
            name
            for name, value in (
                ("provincie", self.provincie),
                ("alle", self.alle or None),
                ("codes", self.codes),
                ("wijken", self.wijken),
            )
            if value is not None
        ]
        if len(chosen) != 1:
            msg = (
                "geef precies een van provincie, alle, codes, wijken "
                f"(nu: {', '.join(chosen) or 'geen'})"
            )
            raise ValueError(msg)
        return self

    @field_validator("codes")
    @classmethod
    def _codes_look_right(cls, codes: list[str] | None) -> list[str] | None:
        if codes is None:
            return None
        if not codes:
            msg = "codes is leeg"
            raise ValueError(msg)
        bad = [c for c in codes if not _CODE.match(str(c))]
        if bad:
            msg = f"ongeldige gebiedscode(s) {bad}; verwacht GMxxxx, WKxxxxxx of BUxxxxxxxx"
            raise ValueError(msg)
        return codes

    def describe(self) -> str:
        """One Dutch line describing the selection (for the index page)."""
        if self.provincie:
            return f"alle gemeenten van provincie {self.provincie}"
        if self.alle:
            return "alle gemeenten van Nederland"
        if self.wijken and not _GEMEENTE.match(self.wijken):
            return f"alle wijken van provincie {self.wijken}"
        if self.wijken:
            return f"de wijken van {self.wijken}"
        return f"{len(self.codes or [])} gekozen gebieden"


class NotebookSpec(BaseModel):
    """One notebook of a plan and its parameters (values may use placeholders)."""

    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="Notebook path, relative to the project root.")
    parameters: dict[str, Any] = Field(default_factory=dict)
    optional: bool = Field(
        False, description="Leave the notebook out (with a warning) when the file does not exist."
    )

    @property
    def stem(self) -> str:
        """File name without ``.ipynb``."""
        return Path(self.path).stem


class OutputSpec(BaseModel):
    """Where and in which formats results are written."""

    model_config = ConfigDict(extra="forbid")

    dir: str = "outputs"
    formats: list[Literal["ipynb", "html"]] = ["ipynb", "html"]  # pydantic copies defaults
    map: bool = Field(True, description="Draw a map of the units on the index page.")

    @field_validator("formats")
    @classmethod
    def _non_empty(cls, formats: list[str]) -> list[str]:
        if not formats:
            msg = "formats is leeg; kies ipynb en/of html"
            raise ValueError(msg)
        return list(dict.fromkeys(formats))


class ExecutionSpec(BaseModel):
    """How kernels run the notebooks."""

    model_config = ConfigDict(extra="forbid")

    timeout: int = Field(600, gt=0, description="Seconds one cell may take.")
    startup_timeout: int = Field(120, gt=0, description="Seconds a kernel may take to start.")
    preload: list[str] = Field(
        default_factory=lambda: ["doeagenda"],
        description="Modules imported once per warm kernel, off the per-job path.",
    )
    warmup: list[str] = Field(
        default_factory=list,
        description="Dotted names of functions called (without arguments) once per kernel, "
        "e.g. to load province-wide tables into the kernel's caches.",
    )
    memoize: list[str] = Field(
        default_factory=list,
        description="Dotted names of pure data functions whose results each warm kernel keeps "
        "across jobs (province-wide tables computed once); callers get copies.",
    )
    shared: list[str] = Field(
        default_factory=list,
        description="Dotted names of province-wide functions or methods "
        "(``module.Class.method``) computed once per run: the first kernel that needs a "
        "result stores it under <run>/.shared, keyed by a hash of all inputs; other kernels "
        "read it instead of recomputing.",
    )
    renderer: str = Field("svg", description="DOEAGENDA_RENDERER for the kernels.")

    @field_validator("preload", "warmup", "memoize", "shared")
    @classmethod
    def _dotted(cls, names: list[str]) -> list[str]:
        bad = [n for n in names if not re.fullmatch(r"[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*", n)]
        if bad:
            msg = f"geen geldige Python-naam: {bad}"
            raise ValueError(msg)
        return names


class Plan(BaseModel):
    """A batch plan (see the module docstring and ``docs/batch.md``)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field("Rapporten", description="Title of the index page (Dutch).")
    name: str | None = Field(None, description="Short name used in run ids; default file stem.")
    year: int = 2024
    units: Units
    notebooks: list[NotebookSpec] = Field(min_length=1)
    output: OutputSpec = Field(default_factory=OutputSpec)
    execution: ExecutionSpec = Field(default_factory=ExecutionSpec)

    @field_validator("name")
    @classmethod
    def _name_is_slug(cls, name: str | None) -> str | None:
        if name is not None and not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name):
            msg = f"naam {name!r} mag alleen kleine letters, cijfers, - en _ bevatten"
            raise ValueError(msg)
        return name

    @model_validator(mode="after")
    def _unique_notebooks(self) -> Plan:
        stems = [nb.stem for nb in self.notebooks]
        doubles = sorted({s for s in stems if stems.count(s) > 1})
        if doubles:
            msg = f"notebook(s) {doubles} staan meer dan eens in het plan"
            raise ValueError(msg)
        return self


@dataclass(frozen=True)
class Unit:
    """One area a plan runs for."""

    code: str
    name: str
    level: str
    gemeente: str
    provincie: str

    @property
    def slug(self) -> str:
        """Folder name ``<code>-<name-slug>``."""
        return f"{self.code}-{slugify(self.name)}"


@dataclass(frozen=True)
class Job:
    """One (unit, notebook) pair with the parameters a plain papermill call would get."""

    unit: Unit
    notebook: str
    notebook_file: Path
    parameters: dict[str, Any] = field(hash=False)

    @property
    def job_id(self) -> str:
        """``<code>/<notebook stem>``, unique within a run."""
        return f"{self.unit.code}/{self.stem}"

    @property
    def stem(self) -> str:
        """Notebook file name without ``.ipynb``."""
        return Path(self.notebook).stem

    def output_path(self, fmt: str) -> str:
        """Output path relative to the run folder, e.g. ``GM0344-utrecht/gemeenteprofiel.html``."""
        return f"{self.unit.slug}/{self.stem}.{fmt}"

    def to_json(self) -> str:
        """The line ``--list-jobs`` prints: unit, notebook and parameters."""
        return json.dumps(
            {"unit": self.unit.code, "notebook": self.notebook, "parameters": self.parameters},
            ensure_ascii=False,
        )


@dataclass
class LoadedPlan:
    """A validated plan with where it came from."""

    plan: Plan
    source: Path | None
    root: Path
    notebooks: list[NotebookSpec]
    notebook_files: dict[str, Path]
    raw: dict[str, Any]

    @property
    def name(self) -> str:
        """Short name used in run ids."""
        if self.plan.name:
            return self.plan.name
        if self.source is not None:
            return slugify(self.source.stem) or "plan"
        return "plan"

    @property
    def label(self) -> str:
        """How error messages name the plan."""
        return str(self.source) if self.source is not None else "plan"


def slugify(text: str) -> str:
    """Lower-case ASCII slug: ``'Wijk bij Duurstede'`` -> ``'wijk-bij-duurstede'``."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


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

    Raises
    ------
    PlanError
        The file is missing, is not valid YAML, or fails validation.
    """
    path = Path(path)
    raw = read_yaml(path, error=PlanError, what="batch plan (see params/batch/)")
    return plan_from_dict(raw, source=path)


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


def _areas_table():
    from doeagenda.data import areas

    return areas()


def resolve_units(loaded: LoadedPlan, only: list[str] | None = None) -> list[Unit]:
    """The units of a plan, checked against :func:`doeagenda.data.areas`.

    Parameters
    ----------
    loaded : LoadedPlan
        The plan.
    only : list of str, optional
        Keep only these codes (each must be one of the plan's units).

    Returns
    -------
    list of Unit

    Raises
    ------
    PlanError
        Unknown provincie, gemeente or codes, or ``only`` codes outside the plan.
    """
    spec = loaded.plan.units
    table = _areas_table()
    label = loaded.label
    if spec.provincie is not None:
        provinces = sorted(table["provincie"].dropna().unique())
        chosen = table[(table["level"] == "gemeente") & (table["provincie"] == spec.provincie)]
        if chosen.empty:
            msg = f"{label}: units.provincie: onbekende provincie {spec.provincie!r}; kies uit {', '.join(provinces)}"
            raise PlanError(msg)
    elif spec.alle:
        chosen = table[table["level"] == "gemeente"]
    elif spec.wijken is not None and not _GEMEENTE.match(spec.wijken):
        # `wijken: Utrecht`: every wijk of a provincie (a GM code means one gemeente).
        chosen = table[(table["level"] == "wijk") & (table["provincie"] == spec.wijken)]
        if chosen.empty:
            provinces = sorted(table["provincie"].dropna().unique())
            msg = (
                f"{label}: units.wijken: {spec.wijken!r} is geen gemeentecode (GMxxxx) en geen "
                f"provincie; kies een GM-code of een van {', '.join(provinces)}"
            )
            raise PlanError(msg)
    elif spec.wijken is not None:
        gemeenten = set(table.loc[table["level"] == "gemeente", "code"])
        if spec.wijken not in gemeenten:
            msg = f"{label}: units.wijken: {spec.wijken!r} is geen bekende gemeentecode (GMxxxx)"
            raise PlanError(msg)
        chosen = table[(table["level"] == "wijk") & (table["gemeente_code"] == spec.wijken)]
        if chosen.empty:
            msg = f"{label}: units.wijken: gemeente {spec.wijken} heeft geen wijken in de gegevens"
            raise PlanError(msg)
    else:
        codes = list(dict.fromkeys(spec.codes or []))
        known = set(table["code"])
        unknown = [c for c in codes if c not in known]
        if unknown:
            msg = f"{label}: units.codes: onbekende gebiedscode(s) {', '.join(unknown)} (niet in de CBS-indeling 2024)"
            raise PlanError(msg)
        chosen = table.set_index("code").loc[codes].reset_index()
    units = [
        Unit(
            code=str(row.code),
            name=str(row.name),
            level=str(row.level),
            gemeente=str(row.gemeente_code)
            if row.gemeente_code == row.gemeente_code
            else str(row.code),
            provincie=str(row.provincie) if row.provincie == row.provincie else "",
        )
        for row in chosen.sort_values("code").itertuples(index=False)
    ]
    if only:
        wanted = list(dict.fromkeys(c.strip() for c in only if c.strip()))
        have = {u.code for u in units}
        missing = [c for c in wanted if c not in have]
        if missing:
            levels = dict(zip(table["code"], table["level"], strict=False))
            plan_levels = sorted({u.level for u in units})
            other = [c for c in missing if c in levels and levels[c] not in plan_levels]
            if other:
                # a common slip: a wijk code given to a gemeente plan (or the other way round)
                kinds = ", ".join(f"{c} is een {levels[c]}" for c in other)
                msg = (
                    f"--only: {kinds}, maar {label} heeft eenheden van niveau "
                    f"{'/'.join(plan_levels)} ({spec.describe()}); geef codes van dat niveau"
                )
                raise PlanError(msg)
            msg = (
                f"--only: {', '.join(missing)} hoort niet bij de eenheden van {label} "
                f"({spec.describe()})"
            )
            raise PlanError(msg)
        units = [u for u in units if u.code in set(wanted)]
    return units


def expand_jobs(
    loaded: LoadedPlan,
    run_id: str = "run",
    out: str | Path | None = None,
    only: list[str] | None = None,
    units: list[Unit] | None = None,
) -> list[Job]:
    """One :class:`Job` per (unit, notebook), parameters templated per unit.

    Parameters
    ----------
    loaded : LoadedPlan
        The validated plan.
    run_id : str
        Run id used for ``{run_id}`` and ``{out}``.
    out : str or Path, optional
        Output root (default: the plan's ``output.dir``).
    only : list of str, optional
        Restrict to these unit codes.
    units : list of Unit, optional
        Already resolved units (skips :func:`resolve_units`).

    Returns
    -------
    list of Job
        Sorted by unit code, then in the plan's notebook order.
    """
    if units is None:
        units = resolve_units(loaded, only)
    out_root = Path(out) if out is not None else Path(loaded.plan.output.dir)
    jobs = []
    for unit in units:
        context = {
            "code": unit.code,
            "name": unit.name,
            "level": unit.level,
            "gemeente": unit.gemeente,
            "provincie": unit.provincie,
            "year": loaded.plan.year,
            "slug": unit.slug,
            "run_id": run_id,
            "out": str(out_root / run_id / unit.slug),
        }
        for spec in loaded.notebooks:
            parameters = {k: _render(v, context) for k, v in spec.parameters.items()}
            jobs.append(
                Job(
                    unit=unit,
                    notebook=spec.path,
                    notebook_file=loaded.notebook_files[spec.path],
                    parameters=parameters,
                )
            )
    return jobs
