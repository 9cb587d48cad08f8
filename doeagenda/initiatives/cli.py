"""``doeagenda initiatieven ...``: check a register, summarise it."""

from __future__ import annotations

from typing import Any

import typer

initiatives_app = typer.Typer(
    help="Bewonersinitiatieven: een register controleren en samenvatten.",
    no_args_is_help=True,
)

_REGISTER_HELP = (
    "Register als CSV of XLSX (zie docs/register.md), 'energie_2019' voor het echte register "
    "van energiecoöperaties (Lokale Energie Monitor 2019) of 'voorbeeld' voor het verzonnen "
    "voorbeeldregister. Meerdere registers tellen samen (een initiatief dat in twee staat, "
    "telt één keer)."
)


def _text_option(name: str, help_text: str) -> Any:
    """Return an optional text option (default None) with its Dutch help."""
    return typer.Option(None, name, help=help_text)


_REGISTERS = typer.Argument(..., help=_REGISTER_HELP)
_CHECK_SHEET = _text_option(
    "--sheet", "Tabblad van een Excel-bestand (standaard: het tabblad met de kolommen)."
)
_SHEET = _text_option("--sheet", "Tabblad van een Excel-bestand.")
_GEMEENTE = _text_option(
    "--gemeente", "Gemeentecode om met de provincie te vergelijken, bijv. GM0344."
)
_PEILDATUM = _text_option(
    "--peildatum",
    "Datum waarop het register is bijgewerkt (standaard vandaag; voorbeeld: 2026-01-01).",
)


def _one_or_many(registers: list[str]) -> str | list[str]:
    return registers[0] if len(registers) == 1 else list(registers)


@initiatives_app.command(
    "check",
    help="Controleer REGISTER (één of meer): alle problemen tegelijk (exit 1), of "
    "'OK: N initiatieven'.",
)
def check_command(register: list[str] = _REGISTERS, sheet: str = _CHECK_SHEET) -> None:
    """Check one or more registers and list every problem at once."""
    from doeagenda.initiatives.combine import duplicates
    from doeagenda.initiatives.register import check_register

    result = check_register(_one_or_many(register), sheet=sheet)
    typer.echo(result.text())
    if not result.ok:
        raise typer.Exit(1)
    pairs = duplicates(result.register)
    for row in pairs.itertuples(index=False):
        typer.echo(
            f"  dubbel in {row.gemeente_code}: {row.naam_weggelaten!r} ({row.bron_weggelaten}) = "
            f"{row.naam_geteld!r} ({row.bron_geteld}); telt één keer"
        )


@initiatives_app.command(
    "summary",
    help="Vat REGISTER (één of meer) samen: aantallen, per 10.000 inwoners, looptijd en partners.",
)
def summary_command(
    register: list[str] = _REGISTERS,
    gemeente: str = _GEMEENTE,
    sheet: str = _SHEET,
    peildatum: str = _PEILDATUM,
) -> None:
    """Summarise one or more registers: counts, rates, duration and partners."""
    from doeagenda.initiatives.register import load_register
    from doeagenda.initiatives.summary import summary

    data = load_register(_one_or_many(register), sheet=sheet)
    result = summary(data, gemeente=gemeente, peildatum=peildatum)
    typer.echo(result.text())
    typer.echo("")
    width = max(len(k) for k in result.figures["kenmerk"])
    for row in result.figures.itertuples(index=False):
        typer.echo(f"{row.kenmerk:<{width}}  {row.waarde}")


def register(app: typer.Typer) -> None:
    """Add the ``initiatieven`` command group to the root app."""
    app.add_typer(initiatives_app, name="initiatieven")
