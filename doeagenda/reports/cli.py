"""CLI: ``doeagenda batch`` (report sets from a plan) and ``doeagenda run`` (the default plan)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

__all__ = ["register"]


class Executor(StrEnum):
    """Where the jobs run."""

    local = "local"
    dask = "dask"


def _summary(result) -> None:
    table = result.summary()
    counts = result.counts
    if not table.empty:
        typer.echo("")
        typer.echo(table.to_string(index=False))
    typer.echo("")
    typer.echo(
        f"klaar {counts.get('ok', 0)}, mislukt {counts.get('failed', 0)}, "
        f"overgeslagen {counts.get('skipped', 0)}  (deze keer uitgevoerd: {result.executed})"
    )
    typer.echo(f"overzicht: {result.run_dir / 'index.html'}")
    typer.echo(f"manifest:  {result.run_dir / 'manifest.json'}")
    if result.interrupted:
        typer.echo(f"onderbroken; hervat met: doeagenda batch --resume {result.run_id}", err=True)
    elif result.exit_code:
        typer.echo(
            f"niet alles is gelukt; na herstel hervatten met: doeagenda batch --resume {result.run_id}",
            err=True,
        )


def batch(
    plan: Path | None = typer.Argument(
        None, help="Plan (YAML). Default: params/batch/utrecht.yaml.", show_default=False
    ),
    workers: int | None = typer.Option(
        None, "--workers", "-w", help="Worker processes, one warm kernel each (default: CPUs)."
    ),
    only: str | None = typer.Option(
        None, "--only", help="Only these unit codes, comma-separated: GM0344,GM0307."
    ),
    resume: str | None = typer.Option(
        None, "--resume", help="Resume run RUN_ID: run only its failed or missing jobs."
    ),
    executor: Executor = typer.Option(
        Executor.local, "--executor", help="local (processes on this machine) or dask."
    ),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786."
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Output root (default: the plan's output.dir, outputs/)."
    ),
    list_only: bool = typer.Option(
        False, "--list-jobs", help="Print the planned jobs as JSON lines and exit; runs nothing."
    ),
) -> None:
    """Run a batch plan: one report per (unit, notebook) into OUT/RUN_ID/.

    Writes <code>-<name>/<notebook>.ipynb and .html per unit, index.html, manifest.json
    and run.log. Exit 0 when all jobs succeeded, 1 when any failed, 2 on bad input,
    130 when interrupted (resume with --resume RUN_ID).
    """
    from doeagenda.reports.runner import prepare_run

    run = prepare_run(
        plan,
        workers=workers,
        only=only,
        resume=resume,
        executor=executor.value,
        scheduler=scheduler,
        out=out,
    )
    if list_only:
        todo = set(run.todo)
        for job in run.jobs:
            if job.job_id in todo:
                typer.echo(job.to_json())
        if run.client is not None:
            run.client.close()
        return
    if not run.todo:
        typer.echo(f"run {run.run_id}: alle jobs zijn al klaar; niets te doen")
        return
    result = run.execute(progress=True)
    _summary(result)
    if result.exit_code:
        raise typer.Exit(result.exit_code)


def run(
    workers: int | None = typer.Option(
        None, "--workers", "-w", help="Worker processes, one warm kernel each (default: CPUs)."
    ),
    out: Path | None = typer.Option(None, "--out", help="Output root (default: outputs/)."),
    only: str | None = typer.Option(
        None, "--only", help="Only these gemeente codes, comma-separated: GM0344,GM0307."
    ),
) -> None:
    """Make the default report set for every gemeente of provincie Utrecht.

    Gemeenteprofiel, buurzaamheidsindex and initiatieven per gemeente: the same as
    `doeagenda batch` on params/batch/utrecht.yaml (what `make run` calls).
    """
    batch(
        plan=None,
        workers=workers,
        only=only,
        resume=None,
        executor=Executor.local,
        scheduler=None,
        out=out,
        list_only=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``batch`` and ``run`` to the root CLI."""
    app.command("batch")(batch)
    app.command("run")(run)
