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
    help="Shipped CBS data: areas, indicators, dictionary, checks.", no_args_is_help=True
)

_MAX_ROWS = 60


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


@data_app.command("areas")
def areas_command(
    level: str = typer.Option(None, help="gemeente, wijk or buurt."),
    provincie: str = typer.Option(None, help="e.g. Utrecht."),
    csv: bool = typer.Option(False, "--csv", help="Print CSV instead of a table."),
    out: Path = typer.Option(None, help="Write CSV to this file."),
) -> None:
    """List areas (KWB indeling 2024)."""
    _emit(data.areas(level, provincie), out, csv)


@data_app.command("indicators")
def indicators_command(
    level: str = typer.Option("gemeente", help="gemeente, wijk, buurt or land."),
    provincie: str = typer.Option(None, help="e.g. Utrecht."),
    year: int = typer.Option(None, help="Only this year."),
    wide: bool = typer.Option(False, "--wide", help="One row per area, one column per indicator."),
    indicator: list[str] = typer.Option(
        None, "--indicator", "-i", help="Only these indicator ids."
    ),
    csv: bool = typer.Option(False, "--csv", help="Print CSV instead of a table."),
    out: Path = typer.Option(None, help="Write CSV to this file."),
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


@data_app.command("dictionary")
def dictionary_command(
    search: str = typer.Argument(
        None, help="Only indicators whose id or label contains this text."
    ),
    csv: bool = typer.Option(False, "--csv", help="Print CSV instead of a table."),
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


@data_app.command("show")
def show_command(code: str = typer.Argument(..., help="Area code, e.g. GM0344, WK034401.")) -> None:
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


@data_app.command("check")
def check_command(
    path: Path = typer.Argument(..., help="Your CSV or XLSX indicator file."),
    year: int = typer.Option(None, help="Year of the figures when the file has no year column."),
) -> None:
    """Validate your own indicator file (long or wide) without changing anything."""
    frame = data.read_indicator_file(path, year=year)
    typer.echo(
        f"OK: {len(frame)} waarden, {frame['indicator'].nunique()} indicatoren, "
        f"{frame['code'].nunique()} gebieden"
    )


@data_app.command("rebuild")
def rebuild_command(
    check: bool = typer.Option(
        False, "--check", help="Only compare a fresh rebuild with the shipped tables."
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
