"""Command-line interface: ``doeagenda --help``.

This is the only module that configures logging. Each capability registers its own
commands: a subpackage ``doeagenda.<name>`` with a module ``cli`` that defines
``register(app: typer.Typer) -> None`` is picked up here, so adding a command group
never means editing this file.

Errors a user can fix (:class:`~doeagenda.errors.DoeagendaError`) are printed as one line
on stderr with exit code 2 and no traceback.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging

import click
import typer
from typer.core import TyperGroup

from doeagenda import __version__
from doeagenda.errors import DoeagendaError

#: Subpackages whose ``cli.register(app)`` adds commands, in help order.
COMMAND_MODULES = (
    "data",
    "reports",
    "index",
    "evaluation",
    "impact",
    "initiatives",
    "learning",
)

EXIT_BAD_INPUT = 2


class _FriendlyErrors(TyperGroup):
    """Root group that turns DoeagendaError into one line and exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DoeagendaError as error:
            message = " ".join(str(error).split())
            click.echo(f"fout: {message}", err=True)
            raise SystemExit(EXIT_BAD_INPUT) from None


app = typer.Typer(
    cls=_FriendlyErrors,
    help="doeagenda: onderzoeks- en leerwerkbank voor bewonersinitiatieven in provincie Utrecht.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"doeagenda {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show debug logging."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """doeagenda: research and learning workbench for bewonersinitiatieven (Utrecht)."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        force=True,
    )


def _register_commands() -> None:
    for name in COMMAND_MODULES:
        module_name = f"doeagenda.{name}.cli"
        if importlib.util.find_spec(f"doeagenda.{name}") is None:
            continue
        if importlib.util.find_spec(module_name) is None:
            continue
        importlib.import_module(module_name).register(app)


_register_commands()


def main() -> None:
    """Run the CLI (entry point of the ``doeagenda`` script)."""
    app(prog_name="doeagenda")


if __name__ == "__main__":  # pragma: no cover
    main()
