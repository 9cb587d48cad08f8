"""CLI: ``doeagenda batch`` (report sets from a plan) and ``doeagenda run`` (the default plan)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

__all__ = ["register"]

#: Column headers of the run summary, as a Dutch reader sees them in the terminal.
_HEADERS_NL = {"unit": "eenheid", "name": "naam"}

_WORKERS_HELP = "Aantal werkprocessen, elk met een warme kernel (standaard: het aantal CPU's)."

#: The help pages, in Dutch for the user; the docstrings stay English for developers.
BATCH_HELP = """Voer een batchplan uit: één rapport per (eenheid, notebook) in OUT/RUN_ID/.

Schrijft per eenheid <code>-<naam>/<notebook>.ipynb en .html, en verder index.html, manifest.json en run.log. Een eerdere run wordt nooit overschreven. Elk plan wordt eerst helemaal gecontroleerd, voordat er een kernel start.

Exitcode 0 als alle jobs gelukt zijn, 1 als er een mislukte, 2 bij ongeldige invoer, 130 bij onderbreken (hervat met --resume RUN_ID)."""

RUN_HELP = """Maak de standaardrapporten voor elke gemeente van provincie Utrecht.

Gemeenteprofiel, Buurzaamheidsindex en initiatieven per gemeente: hetzelfde als doeagenda batch met params/batch/utrecht.yaml (wat make run aanroept)."""

RAPPORT_HELP = """Voer één notebook uit met parameters en schrijf het .ipynb-bestand en een offline HTML-rapport.

Parameters zoals bij papermill, na het notebook en herhaalbaar: -p NAAM WAARDE. Voorbeeld: doeagenda rapport notebooks/maatschappelijke_waarde.ipynb -p gemeente GM0344

De parameters worden gecontroleerd voordat er een kernel start, tegen de parametercel van het notebook en zijn parametercontract (gemeente- en wijkcodes van de indeling 2024, methode, framework, register, waardekaart, regime, ...). Een onbekende naam, een verkeerd type of een waarde die het notebook niet aanneemt geeft één regel met de parameter, de waarde en de toegestane keuzes, exitcode 2, en er wordt niets geschreven.

Het notebook draait op een warme kernel, zoals een batchjob; grafieken zijn inline SVG en de pagina laadt niets van internet. Exitcode 0 als elke cel liep, 1 als een cel mislukte (het rapport toont waar)."""


class Executor(StrEnum):
    """Where the jobs run."""

    local = "local"
    dask = "dask"


def _summary(result) -> None:
    table = result.summary()
    counts = result.counts
    if not table.empty:
        typer.echo("")
        typer.echo(table.rename(columns=_HEADERS_NL).to_string(index=False))
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
        None, help="Plan (YAML). Standaard: params/batch/utrecht.yaml.", show_default=False
    ),
    workers: int | None = typer.Option(None, "--workers", "-w", help=_WORKERS_HELP),
    only: str | None = typer.Option(
        None, "--only", help="Alleen deze codes, gescheiden door komma's: GM0344,GM0307."
    ),
    resume: str | None = typer.Option(
        None,
        "--resume",
        help="Hervat run RUN_ID: voer alleen de mislukte of ontbrekende jobs uit.",
    ),
    executor: Executor = typer.Option(
        Executor.local,
        "--executor",
        help="local (processen op deze machine) of dask (een Dask-cluster).",
    ),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Adres van de Dask-scheduler, bijv. tcp://10.0.0.5:8786."
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Uitvoermap (standaard: output.dir van het plan, outputs/)."
    ),
    list_only: bool = typer.Option(
        False,
        "--list-jobs",
        help="Druk de geplande jobs af als JSON-regels en stop; voert niets uit.",
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
    workers: int | None = typer.Option(None, "--workers", "-w", help=_WORKERS_HELP),
    out: Path | None = typer.Option(None, "--out", help="Uitvoermap (standaard: outputs/)."),
    only: str | None = typer.Option(
        None, "--only", help="Alleen deze gemeentecodes, gescheiden door komma's: GM0344,GM0307."
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
        ...,
        help="Het notebook, bijvoorbeeld notebooks/proeftuin_evaluatie.ipynb.",
        show_default=False,
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Uitvoermap, nieuw of leeg (standaard: outputs/rapport-<notebook>-<tijdstip>/).",
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
    app.command("batch", help=BATCH_HELP)(batch)
    app.command("run", help=RUN_HELP)(run)
    app.command(
        "rapport",
        help=RAPPORT_HELP,
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    )(rapport)
