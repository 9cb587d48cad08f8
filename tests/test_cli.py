"""The root CLI: help everywhere, python -m, and one-line errors."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from doeagenda import __version__
from doeagenda.cli import COMMAND_MODULES, app

EXPECTED_COMMANDS = {
    "data",
    "run",
    "batch",
    "index",
    "evaluate",
    "impact",
    "initiatieven",
    "handout",
}


def test_every_capability_registers_its_commands():
    runner = CliRunner()
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in EXPECTED_COMMANDS:
        assert command in result.stdout, command
    assert len(COMMAND_MODULES) == 7


def test_help_on_every_command():
    runner = CliRunner()
    for command in EXPECTED_COMMANDS:
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, (command, result.output)
        assert "Gebruik:" in result.stdout
        assert "Toon deze hulp en stop." in result.stdout


def test_python_dash_m_and_version():
    run = subprocess.run(
        [sys.executable, "-m", "doeagenda", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0
    assert run.stdout.strip() == f"doeagenda {__version__}"


def test_bad_input_is_one_line_exit_2_without_traceback():
    run = subprocess.run(
        [sys.executable, "-m", "doeagenda", "data", "show", "GM0000"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert run.stderr.startswith("fout: onbekende gebiedscode 'GM0000'")
    assert run.stderr.count("\n") == 1
    assert "Traceback" not in run.stderr
