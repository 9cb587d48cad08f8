"""``doeagenda impact VALUEMAP.yaml``: print the SROI summary of a value map."""

from __future__ import annotations

import logging

import typer

from doeagenda.errors import ParameterError

logger = logging.getLogger(__name__)

__all__ = ["register"]


def impact(
    waardekaart: str = typer.Argument(
        ...,
        help="Waardekaart (YAML-bestand, of de naam van een kaart in params/impact/).",
    ),
    disconteringsvoet: float | None = typer.Option(
        None,
        "--disconteringsvoet",
        "-r",
        help="Reële disconteringsvoet per jaar, bv. 0.0225 (standaard: uit de kaart of 2,25%).",
    ),
    trekkingen: int = typer.Option(
        0,
        "--trekkingen",
        "-n",
        help="Aantal Monte-Carlotrekkingen voor de onzekerheid (0 = geen; kaart moet "
        "verdelingen noemen).",
    ),
    seed: int = typer.Option(0, "--seed", help="Startwaarde van de toevalsgenerator."),
) -> None:
    """Print the SROI summary, the per-actor MKBA view and warnings of a value map."""
    from doeagenda.impact.mkba import mkba
    from doeagenda.impact.reading import reading
    from doeagenda.impact.sroi import sroi
    from doeagenda.impact.valuemap import load_value_map

    if trekkingen < 0:
        msg = f"--trekkingen must be >= 0, got {trekkingen}"
        raise ParameterError(msg)
    value_map = load_value_map(waardekaart)
    result = sroi(value_map, discount_rate=disconteringsvoet)
    typer.echo(f"Waardekaart: {result.name}")
    typer.echo(result.summary()[["tekst"]].to_string(header=False))
    typer.echo("")
    typer.echo("Per actor (contante waarde, €):")
    typer.echo(mkba(result).summary().to_string())
    uncertainty = None
    if trekkingen:
        uncertainty = result.uncertainty(n=trekkingen, seed=seed)
        typer.echo("")
        typer.echo(uncertainty.summary()[["tekst"]].to_string(header=False))
    typer.echo("")
    typer.echo(str(reading(result, uncertainty)))


def register(app: typer.Typer) -> None:
    """Add the ``impact`` command to the root CLI.

    Parameters
    ----------
    app : typer.Typer
        The root application.
    """
    app.command(name="impact", help="SROI en MKBA van een waardekaart (YAML) afdrukken.")(impact)
