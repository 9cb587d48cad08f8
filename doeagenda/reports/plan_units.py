"""Unit expansion for batch plans: the areas a plan runs for, and one job per
(unit, notebook) with its parameters templated for that unit.

Split out of :mod:`doeagenda.reports.plan`, which re-exports every name here.
"""

from __future__ import annotations

from pathlib import Path

from doeagenda.errors import PlanError
from doeagenda.reports.plan_models import _GEMEENTE, Job, LoadedPlan, Unit
from doeagenda.reports.plan_params import _render

__all__ = ["expand_jobs", "resolve_units"]


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
