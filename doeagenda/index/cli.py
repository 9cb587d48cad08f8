"""``doeagenda index ...``: build an index from a framework, or check a framework."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from doeagenda.errors import DataError
from doeagenda.iorw import write_csv

if TYPE_CHECKING:
    import pandas as pd

index_app = typer.Typer(
    help="Samengestelde indices (Buurzaamheidsindex): een raamwerk berekenen, controleren of toetsen aan de Leefbaarometer.",
    no_args_is_help=True,
)

_MAX_ROWS = 40


def _read_data(path: Path) -> pd.DataFrame:
    """Read a data file: wide (``code`` + one column per indicator) or long rows."""
    import pandas as pd  # here, not at import: keeps `doeagenda --help` fast

    from doeagenda.index.data import long_to_wide  # loads pandas: see above

    if not path.exists():
        msg = f"{path}: gegevensbestand niet gevonden; controleer het pad"
        raise DataError(msg)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from doeagenda.data.userfiles import read_workbook

        frame = read_workbook(path)
    else:
        try:
            frame = pd.read_csv(path, sep=None, engine="python")
        except (ValueError, OSError, pd.errors.ParserError) as error:
            msg = f"{path}: het gegevensbestand is niet te lezen ({' '.join(str(error).split())})"
            raise DataError(msg) from None
    if "code" not in frame.columns:
        msg = f"{path}: geen kolom 'code' met eenheidscodes in de kopregel {list(frame.columns)}"
        raise DataError(msg)
    if {"indicator", "value"} <= set(frame.columns):
        return long_to_wide(frame)
    return frame.set_index("code")


@index_app.command(
    "build",
    help="Bereken de index van FRAMEWORK en toon de rangorde (of schrijf die met --out).",
)
def build_command(
    framework: Path = typer.Argument(
        ..., help="Raamwerk (YAML), bijvoorbeeld params/frameworks/buurzaamheid_gemeenten.yaml."
    ),
    data: Path = typer.Option(
        None,
        "--data",
        help="CSV/XLSX met een kolom 'code' en een kolom per indicator (of lange rijen code, "
        "indicator, value). Standaard: de meegeleverde gegevens.",
    ),
    extra: list[Path] = typer.Option(
        None,
        "--extra",
        help="Eigen indicatorbestand(en) bovenop de meegeleverde gegevens (bijv. van de GGD).",
    ),
    provincie: str = typer.Option(
        None, help="Alleen eenheden van deze provincie (meegeleverde gegevens)."
    ),
    out: Path = typer.Option(None, "--out", help="Schrijf scores en rangen naar dit CSV-bestand."),
) -> None:
    """Build the index of FRAMEWORK and print the ranking (or write it with --out)."""
    import pandas as pd  # here, not at import: keeps `doeagenda --help` fast

    # The index modules load pandas, numpy and scipy: import them per command, not at start-up.
    from doeagenda.index.build import build_index
    from doeagenda.index.data import index_data
    from doeagenda.index.framework import Framework
    from doeagenda.results import nl_text

    fw = Framework.from_yaml(framework)
    if data is not None:
        frame = _read_data(data)
    else:
        frame = index_data(fw, provincie=provincie, extra=list(extra) if extra else None)
    result = build_index(frame, fw)
    if out is not None:
        table = result.to_frame()
        write_csv(table, out)
        typer.echo(f"{len(table)} eenheden geschreven naar {out}")
        return
    with pd.option_context("display.max_rows", _MAX_ROWS, "display.width", 160):
        typer.echo(nl_text(result.summary(), max_rows=_MAX_ROWS))
    if result.missing_nodes:
        typer.echo(f"geen gegevens: {', '.join(result.missing_nodes)}")


@index_app.command(
    "check", help="Controleer FRAMEWORK (sleutels, boom, gewichten) zonder te rekenen."
)
def check_command(
    framework: Path = typer.Argument(..., help="Het raamwerk (YAML) om te controleren."),
) -> None:
    """Validate FRAMEWORK (keys, tree, weights) without building it."""
    from doeagenda.index.framework import Framework  # pydantic + yaml: per command

    fw = Framework.from_yaml(framework)
    needs = [n.id for n in fw.nodes if n.status == "needs_input"]
    typer.echo(
        f"OK: {fw.name}: {len(fw.leaves)} indicatoren, {len(fw.groups)} groepen, "
        f"wortel '{fw.root}', dimensies: {', '.join(fw.label(d) for d in fw.dimensions)}"
    )
    if needs:
        typer.echo(f"vraagt eigen gegevens (needs_input): {', '.join(needs)}")


@index_app.command(
    "validity",
    help="Leg de index naast de Leefbaarometer: correlaties met en zonder lbm_-indicatoren.",
)
def validity_command(
    gemeente: str = typer.Argument(..., help="Gemeentecode, bijvoorbeeld GM0355."),
    framework: str = typer.Option(
        "buurzaamheid_gemeenten",
        help="Naam van een raamwerk in params/frameworks of het pad van een YAML-bestand.",
    ),
    level: str = typer.Option(None, help="Alleen 'gemeente' of 'wijk' (standaard: elk niveau)."),
    out: Path = typer.Option(None, "--out", help="Schrijf de correlaties naar dit CSV-bestand."),
) -> None:
    """Correlate the index with the Leefbaarometer, with and without lbm_ inputs."""
    from doeagenda.index.story import buurzaamheidsindex  # loads pandas: per command
    from doeagenda.results import NotApplicable, nl_text

    result = buurzaamheidsindex(gemeente, framework).validity(level=level)
    if isinstance(result, NotApplicable):
        typer.echo(result.reason)
        return
    table = result.summary()
    if out is not None:
        write_csv(table, out)
        typer.echo(f"{len(table)} rijen geschreven naar {out}")
        return
    typer.echo(nl_text(table, index=False))


def register(app: typer.Typer) -> None:
    """Add the ``index`` command group to the root CLI."""
    app.add_typer(index_app, name="index")
