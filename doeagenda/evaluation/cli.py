"""``doeagenda evaluate CONFIG.yaml``: evaluate a proeftuin from a YAML under params/proeftuinen/."""

from __future__ import annotations

import logging
from pathlib import Path

import typer

from doeagenda.iorw import atomic_write, write_csv
from doeagenda.paths import params_path

logger = logging.getLogger(__name__)

__all__ = ["register"]


def _resolve(config: str) -> Path:
    path = Path(config)
    if path.exists() or path.suffix:
        return path
    return params_path("proeftuinen", f"{config}.yaml")


def evaluate(
    config: str = typer.Argument(
        ...,
        help="Proeftuin-configuratie (YAML-bestand, of de naam van een bestand in params/proeftuinen/).",
    ),
    uitvoer: Path | None = typer.Option(
        None,
        "--uitvoer",
        "-o",
        help="Map voor vergelijking.csv, conclusie.md en att_gt.csv (standaard: niets schrijven).",
    ),
) -> None:
    """Evaluate a proeftuin: DiD, event study, staggered DiD, synthetic control, ITS, power."""
    from doeagenda.evaluation.proeftuin import from_config, load_config
    from doeagenda.results import nl_text

    cfg = load_config(_resolve(config))
    result = from_config(cfg).evaluate()
    table = result.vergelijking()
    typer.echo(nl_text(table.drop(columns="toelichting"), decimals=3, index=False))
    typer.echo("")
    for note in result.warnings_text()["waarschuwing"]:
        typer.echo(f"waarschuwing: {note}")
    typer.echo("")
    text = result.conclusion_text()
    typer.echo(text)
    if uitvoer is not None:
        write_csv(table, uitvoer / "vergelijking.csv", index=False)
        atomic_write(uitvoer / "conclusie.md", text + "\n")
        if result.staggered is not None:
            write_csv(result.staggered.att_gt, uitvoer / "att_gt.csv", index=False)
        typer.echo(f"\nGeschreven naar {uitvoer}")


def register(app: typer.Typer) -> None:
    """Add the ``evaluate`` command to the root CLI ``app``."""
    app.command(
        name="evaluate",
        help="Een proeftuin evalueren vanuit een YAML in params/proeftuinen/ (DiD, synthetische "
        "controle, onderbroken tijdreeks, power).",
    )(evaluate)
