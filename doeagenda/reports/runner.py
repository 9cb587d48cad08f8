"""Run a batch plan: warm-kernel workers, atomic outputs, manifest, resume, Dask.

:func:`prepare_run` validates everything (plan, units, notebook parameters, output folder,
resume id, scheduler) and writes nothing; :meth:`BatchRun.execute`
(:mod:`doeagenda.reports.batchrun`) then creates ``<out>/<run_id>/``, runs the jobs on a
pool of worker processes (each with one warm kernel; :mod:`doeagenda.reports.worker`) or
on a Dask cluster, and writes every result atomically as it arrives: the reports,
``manifest.json``, ``run.log`` and ``index.html``.

Faults: a failing notebook only fails its own job (its partial notebook and HTML, with
the error, are kept); a worker that dies fails its current job and is replaced; Ctrl-C
stops the workers and leaves a manifest where every job is ``ok``, ``failed`` or
``skipped``. ``--resume RUN_ID`` runs the jobs of that run that are not ``ok`` (or whose
output files are missing). A new run never reuses an existing folder.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from doeagenda.errors import OutputError, ParameterError, PlanError
from doeagenda.reports._kernelside import skip_slow_optional_imports
from doeagenda.reports.batchrun import BatchRun as BatchRun
from doeagenda.reports.batchrun import _new_run_id, _start_pool
from doeagenda.reports.executors import DaskExecutor, JobExecutor, LocalExecutor, connect_scheduler
from doeagenda.reports.manifest import read_manifest
from doeagenda.reports.plan import (
    Job,
    Unit,
    check_job_contracts,
    default_plan_path,
    expand_jobs,
    load_plan,
    plan_from_dict,
)
from doeagenda.reports.result import RunResult

__all__ = [
    "BatchRun",
    "DaskExecutor",
    "JobExecutor",
    "LocalExecutor",
    "RunResult",
    "list_jobs",
    "prepare_run",
    "run_batch",
]

logger = logging.getLogger(__name__)

EXECUTORS = ("local", "dask")
_RUN_ID_OK = "abcdefghijklmnopqrstuvwxyz0123456789-_"


# --------------------------------------------------------------------------- preparing
def _check_writable(out_root: Path) -> None:
    existing = out_root.absolute()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        msg = f"uitvoermap {out_root}: {existing} is een bestand, geen map; kies een andere --out"
        raise OutputError(msg)
    if not os.access(existing, os.W_OK | os.X_OK):
        msg = f"uitvoermap {out_root}: geen schrijfrechten in {existing}; kies een andere --out"
        raise OutputError(msg)


def _parse_only(only: str | list[str] | None) -> list[str] | None:
    if only is None:
        return None
    items = only.split(",") if isinstance(only, str) else list(only)
    items = [i.strip() for i in items if i.strip()]
    if not items:
        msg = "--only is leeg; geef codes als GM0344,GM0307"
        raise PlanError(msg)
    return items


def prepare_run(
    plan: str | Path | None = None,
    *,
    workers: int | None = None,
    only: str | list[str] | None = None,
    resume: str | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    out: str | Path | None = None,
    start_workers: bool = False,
) -> BatchRun:
    """Validate a batch run; writes nothing.

    Parameters
    ----------
    plan : str or Path, optional
        Plan file (default ``params/batch/utrecht.yaml``). With ``resume`` the plan stored
        in the run is used; a plan given as well must be the same file.
    workers : int, optional
        Worker processes (local executor; default: number of CPUs).
    only : str or list of str, optional
        Unit codes to run (``"GM0344,GM0307"``).
    resume : str, optional
        Run id to resume: only its jobs that are not ``ok`` (or lack outputs) run.
    executor : {"local", "dask"}
        Where jobs run.
    scheduler : str, optional
        Dask scheduler address (``tcp://host:8786``) for ``executor="dask"``.
    out : str or Path, optional
        Output root (default: the plan's ``output.dir``, ``outputs``).
    start_workers : bool
        Start the local worker processes (and their kernels) as soon as the plan file is
        read, so they warm up while units and jobs are checked; stopped again when the
        checks fail. Call :meth:`BatchRun.execute` or :meth:`BatchRun.close` afterwards.

    Returns
    -------
    BatchRun

    Raises
    ------
    PlanError, OutputError, ParameterError
        Bad plan, unknown unit or parameter, unwritable output, unknown run id,
        unreachable scheduler.
    """
    if executor not in EXECUTORS:
        msg = f"--executor {executor!r} bestaat niet; kies local of dask"
        raise ParameterError(msg)
    if executor == "dask" and not scheduler:
        msg = "--executor dask vraagt --scheduler tcp://HOST:PORT (adres van de Dask-scheduler)"
        raise ParameterError(msg)
    if workers is not None and workers < 1:
        msg = f"--workers {workers}: geef een getal van 1 of meer"
        raise ParameterError(msg)
    only_codes = _parse_only(only)
    workers = workers or os.cpu_count() or 1
    # Checking the notebooks' parameters imports papermill and with it jsonschema, which
    # builds rfc3987_syntax's parsers at import: 1.5-5 s here, before any worker could
    # start. The parent validates nothing with the `iri` formats it serves (see
    # skip_slow_optional_imports), so it skips that import like the workers do.
    skip_slow_optional_imports()

    if resume is not None:
        if not resume or any(ch not in _RUN_ID_OK for ch in resume.lower()):
            msg = f"--resume {resume!r}: geen geldige run-id (de mapnaam onder outputs/)"
            raise OutputError(msg)
        explicit = load_plan(plan) if plan is not None else None
        out_root = (
            Path(out)
            if out is not None
            else Path(explicit.plan.output.dir if explicit else "outputs")
        )
        run_dir = out_root / resume
        previous = read_manifest(run_dir)
        _check_writable(run_dir)
        source = Path(previous["plan_file"]) if previous.get("plan_file") else None
        loaded = plan_from_dict(previous["plan"], source=source)
        if explicit is not None and explicit.raw != loaded.raw:
            msg = f"--resume {resume}: het plan {plan} wijkt af van het plan van die run; laat PLAN weg"
            raise PlanError(msg)
        jobs = []
        units: list[Unit] = []
        entries = previous["jobs"]
        for entry in entries:
            unit = Unit(
                code=entry["unit"],
                name=entry.get("name", entry["unit"]),
                level=entry.get("level", "gemeente"),
                gemeente="",
                provincie="",
            )
            if entry["notebook"] not in loaded.notebook_files:
                msg = (
                    f"--resume {resume}: notebook {entry['notebook']} van die run bestaat niet meer"
                )
                raise PlanError(msg)
            if not units or units[-1].code != unit.code:
                units.append(unit)
            jobs.append(
                Job(
                    unit=unit,
                    notebook=entry["notebook"],
                    notebook_file=loaded.notebook_files[entry["notebook"]],
                    parameters=entry["parameters"],
                )
            )
        if only_codes:
            have = {j.unit.code for j in jobs}
            missing = [c for c in only_codes if c not in have]
            if missing:
                msg = f"--only: {', '.join(missing)} hoort niet bij run {resume}"
                raise PlanError(msg)
        check_job_contracts(loaded.label, [j for j in jobs if j.notebook_file.is_file()])
        todo = []
        for entry in entries:
            if only_codes and entry["unit"] not in only_codes:
                continue
            outputs_present = all(
                (run_dir / p).is_file() for p in entry.get("outputs", {}).values()
            )
            if entry["status"] != "ok" or not outputs_present:
                todo.append(entry["id"])
        batch = BatchRun(
            loaded=loaded,
            jobs=jobs,
            todo=todo,
            run_id=resume,
            out_root=out_root,
            executor=executor,
            workers=workers,
            previous=previous,
            only=only_codes,
            units=units,
        )
    else:
        loaded = load_plan(plan if plan is not None else default_plan_path())
        out_root = Path(out) if out is not None else Path(loaded.plan.output.dir)
        _check_writable(out_root)
        pool = (
            _start_pool(loaded, workers, only_codes)
            if start_workers and executor == "local"
            else None
        )
        try:
            from doeagenda.reports.plan import resolve_units

            units = resolve_units(loaded, only_codes)
            run_id = _new_run_id(loaded.name, out_root)
            jobs = expand_jobs(loaded, run_id, out_root, units=units)
            # every job of the whole run against its notebook's contract, before the first
            check_job_contracts(loaded.label, jobs)
        except BaseException:
            if pool is not None:
                pool.close()
            raise
        batch = BatchRun(
            loaded=loaded,
            jobs=jobs,
            todo=[job.job_id for job in jobs],
            run_id=run_id,
            out_root=out_root,
            executor=executor,
            workers=workers,
            only=only_codes,
            units=units,
            pool=pool,
        )
    if executor == "dask":
        assert scheduler  # checked above: dask needs a scheduler address
        batch.client = connect_scheduler(scheduler)
    return batch


def list_jobs(
    plan: str | Path | None = None,
    *,
    only: str | list[str] | None = None,
    out: str | Path | None = None,
) -> list[Job]:
    """The jobs a run of ``plan`` would execute (``{run_id}`` filled with the id it would get)."""
    return prepare_run(plan, only=only, out=out).jobs


def run_batch(
    plan: str | Path | None = None,
    *,
    workers: int | None = None,
    only: str | list[str] | None = None,
    resume: str | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    out: str | Path | None = None,
    progress: bool = True,
) -> RunResult:
    """Validate and execute a batch run (:func:`prepare_run` + :meth:`BatchRun.execute`).

    Returns
    -------
    RunResult
        Per-job statuses; ``exit_code`` is 0 (all ok), 1 (a job failed) or 130 (interrupted).
    """
    batch = prepare_run(
        plan,
        workers=workers,
        only=only,
        resume=resume,
        executor=executor,
        scheduler=scheduler,
        out=out,
        start_workers=True,
    )
    return batch.execute(progress=progress)
