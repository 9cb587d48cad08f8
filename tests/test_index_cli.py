"""``doeagenda index build/check`` through typer's CliRunner."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from doeagenda.cli import app

runner = CliRunner()


def test_check_ok(repo):
    result = runner.invoke(
        app, ["index", "check", str(repo / "params/frameworks/voorbeeld_hdi.yaml")]
    )
    assert result.exit_code == 0, result.output
    assert "OK: Human Development Index" in result.output


def test_check_bad_framework(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nnodes:\n  - id: a\n    parent: g\n    wieght: 2\n  - id: g\n")
    result = runner.invoke(app, ["index", "check", str(bad)])
    assert result.exit_code == 2
    assert "fout:" in result.output and "onbekende sleutel 'wieght'" in result.output


def test_build_with_data_writes_csv(repo, tmp_path):
    data = tmp_path / "landen.csv"
    data.write_text("code,le,eys,mys,gnipc\nNOR,82.4,18.1,12.9,66494\nNER,62.4,6.5,2.1,1201\n")
    out = tmp_path / "hdi.csv"
    fw = str(repo / "params/frameworks/voorbeeld_hdi.yaml")
    result = runner.invoke(app, ["index", "build", fw, "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, index_col="code")
    assert round(table.loc["NOR", "hdi"], 3) == 0.957
    assert table.loc["NOR", "hdi_rank"] == 1


def test_build_bad_data_writes_nothing(repo, tmp_path):
    data = tmp_path / "landen.csv"
    data.write_text("code,le,eys,mys\nNOR,82.4,18.1,12.9\nNER,62.4,6.5,2.1\n")
    out = tmp_path / "hdi.csv"
    fw = str(repo / "params/frameworks/voorbeeld_hdi.yaml")
    result = runner.invoke(app, ["index", "build", fw, "--data", str(data), "--out", str(out)])
    assert result.exit_code == 2
    assert "gnipc" in result.output
    assert not out.exists()


def test_build_shipped_data_prints_ranking(repo):
    fw = str(repo / "params/frameworks/buurzaamheid_gemeenten.yaml")
    result = runner.invoke(app, ["index", "build", fw, "--provincie", "Utrecht"])
    assert result.exit_code == 0, result.output
    assert "Renswoude" in result.output and "geen gegevens" in result.output
