"""CLI of the learning modules: ``doeagenda handout MODULE --gemeente CODE``."""

from __future__ import annotations

from pathlib import Path

import typer

HANDOUT_HELP = """Maak een printbare handout (HTML) van een lesmodule voor één gemeente.

Grafieken staan vast op hun beginstand, oefeningen worden vragen met schrijfruimte. Antwoorden staan alleen in de trainersversie (--trainer)."""


def handout(
    module: str = typer.Argument(
        ...,
        help="Module: 01 (Ken je gemeente), 02 (Bouw je eigen index), 03 (Werkt het?), "
        "04 (Wat levert het op?).",
    ),
    gemeente: str = typer.Option(
        "GM0344", "--gemeente", "-g", help="CBS gemeentecode, bijv. GM0344 (Utrecht)."
    ),
    trainer: bool = typer.Option(
        False, "--trainer", help="Trainersversie: met de uitwerking onder elke oefening."
    ),
    out: Path = typer.Option(
        Path("outputs/handouts"), "--out", "-o", help="Map voor het HTML-bestand."
    ),
    notebooks: Path | None = typer.Option(
        None, "--notebooks", help="Map met de modules (standaard notebooks/leren)."
    ),
) -> None:
    """Write a printable HTML handout of a learning module for one gemeente.

    Charts are frozen at their initial state and exercises become questions with room to
    write; answers appear only in the trainer's version (``--trainer``).
    """
    from doeagenda.learning.handout import write_handout

    path = write_handout(module, gemeente, trainer=trainer, out=out, notebook_dir=notebooks)
    typer.echo(str(path))


def register(app: typer.Typer) -> None:
    """Add the ``handout`` command to the root CLI."""
    app.command("handout", help=HANDOUT_HELP)(handout)
