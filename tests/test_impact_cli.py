"""`doeagenda impact` through typer's CliRunner."""

from __future__ import annotations

from typer.testing import CliRunner

from doeagenda.cli import app
from doeagenda.impact.prices import PARAMS_DIR

runner = CliRunner()


def test_impact_prints_summary():
    path = PARAMS_DIR / "voorbeeld_maaltijden_ouderen.yaml"
    result = runner.invoke(app, ["impact", str(path)])
    assert result.exit_code == 0, result.output
    assert "SROI-ratio" in result.output
    assert "Per actor" in result.output
    assert "Voor elke geïnvesteerde euro" in result.output
    assert "Gesplitste prikkel" in result.output


def test_discount_rate_option_changes_result():
    path = str(PARAMS_DIR / "voorbeeld_buurtcooperatie.yaml")
    low = runner.invoke(app, ["impact", path, "--disconteringsvoet", "0"])
    high = runner.invoke(app, ["impact", path, "--disconteringsvoet", "0.1"])
    assert low.exit_code == 0 and high.exit_code == 0
    assert "0,00%" in low.output
    assert "10,00%" in high.output
    assert low.output != high.output


def test_monte_carlo_option():
    result = runner.invoke(app, ["impact", "voorbeeld_buurtcooperatie", "--trekkingen", "500"])
    assert result.exit_code == 0, result.output
    assert "Kans dat ratio > 1" in result.output


def test_bad_input_gives_one_line_error():
    result = runner.invoke(app, ["impact", "bestaat_niet.yaml"])
    assert result.exit_code == 2
    assert "fout:" in result.output
    bad_rate = runner.invoke(
        app, ["impact", "voorbeeld_buurtcooperatie", "--disconteringsvoet", "1.5"]
    )
    assert bad_rate.exit_code == 2


def test_help():
    result = runner.invoke(app, ["impact", "--help"])
    assert result.exit_code == 0
    assert "--disconteringsvoet" in result.output
