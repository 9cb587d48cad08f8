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
        start_workers=not list_only,  # kernels warm up while the rest is checked
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
        run.close()
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


def _parameter_pairs(args: list[str]) -> list[tuple[str, str]]:
    """``-p NAME VALUE`` pairs from the extra arguments (typer has no two-value list option)."""
    from doeagenda.errors import ParameterError

    pairs = []
    rest = list(args)
    while rest:
        flag = rest.pop(0)
        if flag not in {"-p", "--parameter"}:
            msg = f"onverwacht argument {flag!r}; geef parameters als -p NAAM WAARDE"
            raise ParameterError(msg)
        if len(rest) < 2:
            msg = f"{flag} {' '.join(rest)}: geef een naam en een waarde, bijv. -p gemeente GM0344"
            raise ParameterError(msg)
        pairs.append((rest.pop(0), rest.pop(0)))
    return pairs


def rapport(
    ctx: typer.Context,
    notebook: Path = typer.Argument(
        ..., help="The notebook, e.g. notebooks/proeftuin_evaluatie.ipynb.", show_default=False
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Output folder, new or empty (default: outputs/rapport-<notebook>-<timestamp>/).",
    ),
) -> None:
    """Run one notebook with parameters and write its .ipynb and offline HTML report.

    Parameters as with papermill, after the notebook and repeatable: -p NAME VALUE.
    Example: doeagenda rapport notebooks/maatschappelijke_waarde.ipynb -p gemeente GM0344

    The parameters are checked before any kernel starts, against the notebook's parameters
    cell and its parameter contract (doeagenda/reports/contract.py: gemeente and wijk codes
    of the 2024 indeling, methode, framework, register, waardekaart, regime, ...): an unknown
    name, a wrong type or a value the notebook does not accept gives one line naming the
    parameter, the value and the allowed choices, exit 2, and nothing is written. The
    notebook runs on a warm kernel like a batch job; charts are inline SVG and the page loads
    nothing from the internet. Exit 0 when every cell ran, 1 when a cell failed (the report
    shows where).
    """
    from doeagenda.reports.single import run_report

    report = run_report(notebook, _parameter_pairs(ctx.args), out=out)
    for path in report.files.values():
        typer.echo(str(path))
    if report.exit_code:
        err = report.error or {}
        where = f" in cel [{err['execution_count']}]" if err.get("execution_count") else ""
        typer.echo(f"mislukt{where}: {err.get('ename', '')}: {err.get('evalue', '')}", err=True)
        raise typer.Exit(report.exit_code)


def register(app: typer.Typer) -> None:
    """Add ``batch``, ``run`` and ``rapport`` to the root CLI."""
    app.command("batch")(batch)
    app.command("run")(run)
    app.command(
        "rapport",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    )(rapport)
