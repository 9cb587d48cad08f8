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
import re

import click
import typer
from typer import rich_utils
from typer.core import TyperCommand, TyperGroup

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

#: The framework's own words in a help page, in Dutch. Click and typer write them through
#: ``gettext``, which would need a compiled catalogue and a process-wide locale; typer reads
#: these module constants when it draws a page, so setting them here is enough.
_FRAMEWORK_TEXTS = {
    "ARGUMENTS_PANEL_TITLE": "Argumenten",
    "OPTIONS_PANEL_TITLE": "Opties",
    "COMMANDS_PANEL_TITLE": "Opdrachten",
    "ERRORS_PANEL_TITLE": "Fout",
    "ABORTED_TEXT": "Afgebroken.",
    "DEFAULT_STRING": "[standaard: {}]",
    "REQUIRED_LONG_STRING": "[verplicht]",
    "DEPRECATED_STRING": "(verouderd) ",
    "ENVVAR_STRING": "[omgevingsvariabele: {}]",
    "RICH_HELP": "Zie [blue]'{command_path} {help_option}'[/] voor hulp.",
}
HELP_OPTION_TEXT = "Toon deze hulp en stop."
USAGE_PREFIX = "Gebruik: "
_USAGE_WORDS = {"[OPTIONS]": "[OPTIES]", "COMMAND [ARGS]...": "OPDRACHT [ARGUMENTEN]..."}

for _name, _text in _FRAMEWORK_TEXTS.items():
    setattr(rich_utils, _name, _text)


class _DutchHelp:
    """Mixin: the help page says 'Gebruik' and describes --help in Dutch.

    A mixin rather than a subclass of click's Command: typer builds on its own copy of
    click, so only typer's classes can be the base.
    """

    # unannotated: the bases' signatures use typer's private copy of click's types
    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option

    def format_usage(self, ctx, formatter):
        pieces = " ".join(self.collect_usage_pieces(ctx))
        for english, dutch in _USAGE_WORDS.items():
            pieces = pieces.replace(english, dutch)
        formatter.write_usage(ctx.command_path, pieces, prefix=USAGE_PREFIX)


class DutchCommand(_DutchHelp, TyperCommand):
    """Typer command with the Dutch help page."""


class DutchGroup(_DutchHelp, TyperGroup):
    """Typer group with the Dutch help page."""


#: Click's usage errors, in Dutch: (pattern of click's English text, Dutch text). Click writes
#: them through ``gettext`` (see above), so they are matched on their text; one that is not
#: listed keeps click's words but still comes as the one line ``fout: ...``.
_USAGE_ERRORS = (
    (r"Missing argument '(.+?)'\.?", r"het argument \1 ontbreekt"),
    (r"Missing option '(.+?)'\.?", r"de optie \1 ontbreekt"),
    (r"Missing parameter: (.+?)\.?$", r"de parameter \1 ontbreekt"),
    (r"Missing command\.?", "geef een opdracht"),
    (r"No such command '(.+?)'\.?", r"onbekende opdracht '\1'"),
    (
        r"No such option: (\S+?)\.? \(Possible options: (.+?)\)",
        r"onbekende optie \1 (mogelijk: \2)",
    ),
    (r"No such option: (\S+?)\.? Did you mean (\S+?)\?", r"onbekende optie \1 (bedoelde u \2?)"),
    (r"No such option: (\S+?)\.?$", r"onbekende optie \1"),
    (r"Option '(.+?)' requires an argument\.?", r"de optie \1 vraagt een waarde"),
    (r"Got unexpected extra arguments?(?:\(s\))? \((.+)\)", r"onverwacht extra argument: \1"),
    (r"Invalid value for (.+?): (?:Value error, )?(.+)", r"ongeldige waarde voor \1: \2"),
    (r"Input should be a valid integer[^;]*", "geef een geheel getal"),
    (r"Input should be a valid number[^;]*", "geef een getal"),
    (r"Input should be a valid boolean[^;]*", "geef ja of nee"),
    (r"'(.+?)' is not a valid integer\.?", r"'\1' is geen geheel getal"),
    (r"'(.+?)' is not a valid float\.?", r"'\1' is geen getal"),
    (r"'(.+?)' is not a valid boolean\.?", r"'\1' is geen ja/nee-waarde"),
    (r"Value (.+?) is not a valid (\w+)\.?", r"\1 is geen geldige \2"),
    (r"'(.+?)' is not one of (.+?)\.?$", r"'\1' is geen van \2"),
    (r"(?:File|Path|Directory) '(.+?)' does not exist\.?", r"'\1' bestaat niet"),
)


def usage_error_text(english: str) -> str:
    """Return click's usage-error message in Dutch (its own words where no rule matches)."""
    text = " ".join(english.split())
    for pattern, dutch in _USAGE_ERRORS:
        text = re.sub(pattern, dutch, text)
    return text


class _FriendlyErrors(DutchGroup):
    """Root group that turns DoeagendaError and usage errors into one Dutch line, exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DoeagendaError as error:
            message = " ".join(str(error).split())
            click.echo(f"fout: {message}", err=True)
            raise SystemExit(EXIT_BAD_INPUT) from None
        except Exception as error:
            # click's UsageError, caught by its shape: typer may use its own copy of click
            if getattr(error, "exit_code", None) != EXIT_BAD_INPUT:
                raise
            format_message = getattr(error, "format_message", None)
            if not callable(format_message):
                raise
            where = getattr(getattr(error, "ctx", None), "command_path", "doeagenda")
            text = usage_error_text(format_message())
            click.echo(f"fout: {text}; zie '{where} --help'", err=True)
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
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Toon debugmeldingen."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Toon de versie en stop."
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
    _use_dutch_help(app)


def _use_dutch_help(typer_app: typer.Typer) -> None:
    """Give every command and group that keeps typer's own class the Dutch help page."""
    for command in typer_app.registered_commands:
        if command.cls in (None, TyperCommand):
            command.cls = DutchCommand
    for group in typer_app.registered_groups:
        sub_app = group.typer_instance
        if sub_app is None:
            continue
        if not isinstance(sub_app.info.cls, type) or sub_app.info.cls is TyperGroup:
            sub_app.info.cls = DutchGroup
        _use_dutch_help(sub_app)


_register_commands()


def main() -> None:
    """Run the CLI (entry point of the ``doeagenda`` script)."""
    app(prog_name="doeagenda")


if __name__ == "__main__":  # pragma: no cover
    main()
