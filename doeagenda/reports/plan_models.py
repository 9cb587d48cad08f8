"""Batch-plan models: the pydantic schema of a plan file and the units and jobs it expands to.

Split out of :mod:`doeagenda.reports.plan`, which re-exports every name here.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "PLACEHOLDERS",
    "ExecutionSpec",
    "Job",
    "LoadedPlan",
    "NotebookSpec",
    "OutputSpec",
    "Plan",
    "Unit",
    "Units",
    "slugify",
]


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
