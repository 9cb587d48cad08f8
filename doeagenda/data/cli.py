"""``doeagenda data ...``: look at the shipped data, check a user's file, rebuild tidy tables."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from doeagenda import data
from doeagenda.errors import DataError
from doeagenda.iorw import write_csv

if TYPE_CHECKING:
    import pandas as pd

data_app = typer.Typer(
    help="Meegeleverde gegevens (CBS, RIVM, Leefbaarometer): gebieden, indicatoren, woordenlijst, controles.",
    no_args_is_help=True,
)

_MAX_ROWS = 60
_CSV_HELP = "Druk CSV af in plaats van een tabel."
_OUT_HELP = "Schrijf de tabel als CSV naar dit bestand."


def _emit(frame: pd.DataFrame, out: Path | None, as_csv: bool) -> None:
    import pandas as pd  # here, not at import: keeps `doeagenda --help` fast

    if out is not None:
        write_csv(frame, out, index=frame.index.name is not None)
        typer.echo(f"{len(frame)} rijen geschreven naar {out}")
    elif as_csv:
        typer.echo(frame.to_csv(index=frame.index.name is not None), nl=False)
    else:
        with pd.option_context("display.max_rows", _MAX_ROWS, "display.width", 160):
            typer.echo(frame.to_string(max_rows=_MAX_ROWS))


@data_app.command("areas", help="Toon de gebieden (CBS-indeling 2024).")
def areas_command(
    level: str = typer.Option(None, help="gemeente, wijk of buurt."),
    provincie: str = typer.Option(None, help="Bijvoorbeeld Utrecht."),
    csv: bool = typer.Option(False, "--csv", help=_CSV_HELP),
    out: Path = typer.Option(None, help=_OUT_HELP),
) -> None:
    """List areas (KWB indeling 2024)."""
    _emit(data.areas(level, provincie), out, csv)


@data_app.command("indicators", help="Toon indicatorwaarden (lang, of breed met --wide).")
def indicators_command(
    level: str = typer.Option("gemeente", help="gemeente, wijk, buurt of land."),
    provincie: str = typer.Option(None, help="Bijvoorbeeld Utrecht."),
    year: int = typer.Option(None, help="Alleen dit jaar."),
    wide: bool = typer.Option(False, "--wide", help="Eén rij per gebied, één kolom per indicator."),
    indicator: list[str] = typer.Option(
        None, "--indicator", "-i", help="Alleen deze indicatoren (id's, herhaalbaar)."
    ),
    csv: bool = typer.Option(False, "--csv", help=_CSV_HELP),
    out: Path = typer.Option(None, help=_OUT_HELP),
) -> None:
    """Show indicator values (long, or wide with --wide)."""
    frame = data.indicators(level, provincie=provincie, year=year, wide=wide)
    if indicator:
        unknown = sorted(set(indicator) - set(data.dictionary()["indicator"]))
        if unknown:
            msg = f"unknown indicator ids {unknown}; see `doeagenda data dictionary`"
            raise DataError(msg)
        frame = (
            frame[[c for c in indicator if c in frame.columns]]
            if wide
            else frame[frame["indicator"].isin(indicator)]
        )
    _emit(frame, out, csv)


@data_app.command(
    "dictionary",
    help="Toon de woordenlijst van de indicatoren (omschrijving, eenheid, richting, bron).",
)
def dictionary_command(
    search: str = typer.Argument(
        None, help="Alleen indicatoren waarvan id of omschrijving deze tekst bevat."
    ),
    csv: bool = typer.Option(False, "--csv", help=_CSV_HELP),
) -> None:
    """Show the indicator dictionary (labels, units, direction, source)."""
    table = data.dictionary()
    if search:
        text = search.lower()
        hit = (
            table["indicator"].str.contains(text, regex=False)
            | table["label_nl"].str.lower().str.contains(text, regex=False)
            | table["label_en"].str.lower().str.contains(text, regex=False)
        )
        table = table[hit]
    columns = ["indicator", "label_nl", "unit", "direction", "years", "levels", "estimate"]
    _emit(table if csv else table[columns], None, csv)


@data_app.command(
    "show", help="Toon één gebied: waar het ligt en zijn indicatorwaarden (laatste jaar)."
)
def show_command(
    code: str = typer.Argument(..., help="Gebiedscode, bijvoorbeeld GM0344 of WK034401."),
) -> None:
    """Show one area: where it lies and its indicator values (latest year)."""
    import pandas as pd  # here, not at import: keeps `doeagenda --help` fast

    row = data.area(code)
    typer.echo(
        f"{code}  {row['name']}  ({row['level']}, gemeente {row['gemeente_code']}, provincie {row['provincie']})"
    )
    values = data.indicators(row["level"], codes=[code])
    values = values.dropna(subset=["value"])
    latest = values[values["year"] == values.groupby("indicator")["year"].transform("max")]
    labels = data.dictionary().set_index("indicator")["label_nl"]
    table = pd.DataFrame(
        {
            "indicator": latest["indicator"].to_numpy(),
            "omschrijving": latest["indicator"].map(labels).to_numpy(),
            "jaar": latest["year"].to_numpy(),
            # at most 4 decimals: the Leefbaarometer writes 17 digits, RIVM and CBS one or none
            "waarde": [repr(round(float(v), 4)) for v in latest["value"]],
            "eenheid": latest["unit"].to_numpy(),
        }
    )
    with pd.option_context(
        "display.max_rows", 500, "display.width", 160, "display.max_colwidth", 50
    ):
        typer.echo(table.to_string(index=False))
    if table["indicator"].str.startswith("rivm_").any():
        typer.echo(
            "rivm_*: kleine-domeinschattingen van RIVM (Gezondheidsmonitor), modelschattingen, "
            "geen tellingen."
        )
    elif not data.has_rivm(code):
        typer.echo(f"RIVM-gezondheidscijfers: {data.api.RIVM_NO_MATCH_NOTE}.")
    if table["indicator"].str.startswith("lbm_").any():
        typer.echo(
            "lbm_*: Leefbaarometer 3.0 (ministerie van BZK), modelschattingen, geen metingen."
        )
    elif row["level"] == "wijk":
        typer.echo(f"Leefbaarometer: {data.api.LBM_NO_MATCH_NOTE}.")


@data_app.command(
    "check", help="Controleer een eigen indicatorbestand (lang of breed); verandert niets."
)
def check_command(
    path: Path = typer.Argument(..., help="Uw indicatorbestand (CSV of XLSX)."),
    year: int = typer.Option(
        None, help="Jaar van de cijfers, als het bestand geen kolom met het jaar heeft."
    ),
) -> None:
    """Validate your own indicator file (long or wide) without changing anything."""
    frame = data.read_indicator_file(path, year=year)
    typer.echo(
        f"OK: {len(frame)} waarden, {frame['indicator'].nunique()} indicatoren, "
        f"{frame['code'].nunique()} gebieden"
    )


@data_app.command(
    "rebuild", help="Leid de tabellen in doeagenda/data/tidy opnieuw af uit de ruwe bestanden."
)
def rebuild_command(
    check: bool = typer.Option(
        False,
        "--check",
        help="Vergelijk alleen een nieuwe afleiding met de meegeleverde tabellen; schrijf niets.",
    ),
) -> None:
    """Derive the tidy tables in doeagenda/data/tidy from the raw CBS files."""
    from doeagenda.data import build
    from doeagenda.data.api import stale_tables
    from doeagenda.data.io import package_file

    tables = build.rebuild()
    directory = Path(str(package_file("tidy")))
    if check:
        stale = stale_tables(tables)
        if stale:
            msg = f"de meegeleverde tidy-tabellen wijken af van een nieuwe afleiding: {stale}; draai `doeagenda data rebuild`"
            raise DataError(msg)
        typer.echo("OK: de meegeleverde tabellen zijn gelijk aan een nieuwe afleiding")
        return
    for path in build.write_tidy(tables, directory):
        typer.echo(f"geschreven: {path}")
    data.clear_cache()


def register(app: typer.Typer) -> None:
    """Add the ``data`` command group to the root CLI."""
    app.add_typer(data_app, name="data")
