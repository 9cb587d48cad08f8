"""Privacy: personal data never in outputs; small wijk counts suppressed; names escaped."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

import doeagenda.initiatives as ini
from doeagenda.cli import app
from doeagenda.initiatives.privacy import PRIMARY, SECONDARY, suppress_counts

SECRET = "Geheime Contactpersoon"
SCRIPT = "<script>alert(1)</script>"


def _register(tmp_path, n_wijk1: int = 7, n_wijk2: int = 2, n_wijk3: int = 6):
    """Write a register in gemeente Utrecht with known counts per wijk."""
    header = (
        "id,naam,gemeente_code,wijk_code,domein,startdatum,einddatum,vrijwilligers,"
        "aandeel_gemeente,financiers,partners,contactpersoon,email"
    )
    rows = []
    spec = [("WK034401", n_wijk1), ("WK034402", n_wijk2), ("WK034403", n_wijk3)]
    i = 0
    for wijk, n in spec:
        for _ in range(n):
            i += 1
            stopped = i % 3 == 0
            end = f"202{i % 5}-06-01" if stopped else ""
            funders = "gemeente" if i % 2 else "gemeente; fonds; bank"
            share = "100" if i % 2 else "40"
            name = f"{SCRIPT} Initiatief {i}" if i == 1 else f"Initiatief {i}"
            partner = f"{SCRIPT} Partner (fonds)" if i % 4 == 0 else "Gemeente Utrecht (gemeente)"
            rows.append(
                f"{i},{name},GM0344,{wijk},welzijn,2015-0{1 + i % 9}-01,{end},{3 + i % 11},"
                f'{share},"{funders}","{partner}",{SECRET} {i},geheim{i}@example.org'
            )
    path = tmp_path / "register.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_suppression_rule_by_hand():
    table = pd.DataFrame(
        {
            "gemeente_code": ["G1", "G1", "G1", "G2", "G2", "G2"],
            "wijk": ["a", "b", "c", "d", "e", "f"],
            "initiatieven": [3, 9, 12, 2, 4, 0],
            "per_10000": [1.0, 2.0, 3.0, 4.0, 5.0, 0.0],
        }
    )
    out = suppress_counts(table, derived=("per_10000",))
    # G1: one primary (3) -> the smallest other (9) is suppressed too
    assert list(out["weergave"]) == [PRIMARY, SECONDARY, "12", PRIMARY, PRIMARY, "0"]
    assert out["initiatieven"].isna().tolist() == [True, True, False, True, True, False]
    assert out["per_10000"].isna().tolist() == [True, True, False, True, True, False]


def test_wijk_counts_are_suppressed(tmp_path):
    path = _register(tmp_path, n_wijk1=7, n_wijk2=2, n_wijk3=9)
    reg = ini.load_register(path)
    wijken = ini.counts_per_wijk(reg, "GM0344", peildatum="2030-01-01").set_index("wijk_code")
    running = ini.running(reg, "2030-01-01")
    truth = running["wijk_code"].value_counts()
    assert wijken.loc["WK034402", "weergave"] == PRIMARY
    assert pd.isna(wijken.loc["WK034402", "lopend"])
    assert pd.isna(wijken.loc["WK034402", "per_10000"])
    # exactly one primary cell in the gemeente: the smallest other published cell goes too
    smallest = min(truth["WK034401"], truth["WK034403"])
    hidden = wijken.loc[wijken["weergave"] == SECONDARY]
    assert len(hidden) == 1
    assert truth[hidden.index[0]] == smallest
    # nothing between 1 and 4 is ever shown
    shown = wijken["lopend"].dropna()
    assert not ((shown > 0) & (shown < 5)).any()


def _all_outputs(reg):
    """Everything the package shows for a register, as text."""
    texts = []
    check = ini.check_register(reg.attrs["path"])
    texts += [check.text(), check.to_frame().to_csv(), check._repr_markdown_()]
    frames = [
        reg,
        ini.public_view(reg),
        ini.survival_data(reg, peildatum="2030-01-01"),
        ini.counts_per_gemeente(reg, peildatum="2030-01-01"),
        ini.counts_per_wijk(reg, "GM0344", peildatum="2030-01-01"),
        ini.counts_by(reg, "domein", "GM0344", peildatum="2030-01-01"),
        ini.kaplan_meier(reg, peildatum="2030-01-01").summary(),
        ini.network(reg).to_frame(),
        ini.network(reg).centrality(),
    ]
    risk = ini.continuity_risk(
        reg, threshold=0.0, peildatum="2030-01-01", formula="aantal_financiers"
    )
    frames.append(risk.to_frame())
    texts += [f.to_csv() for f in frames]
    texts += [f.to_html() for f in frames]
    texts += [f._repr_html_() for f in frames]  # what a notebook shows
    texts.append(risk.text())
    summary = ini.summary(reg, "GM0344", peildatum="2030-01-01")
    texts += [summary.text(), summary._repr_markdown_(), summary.to_frame().to_csv()]
    charts = [
        ini.kaplan_meier(reg, peildatum="2030-01-01").chart(),
        ini.network(reg).node_link_chart(),
        ini.network(reg).chart(),
        risk.chart(),
        ini.visibility(reg, "GM0344", peildatum="2030-01-01").chart(),
    ]
    texts += [json.dumps(c.to_dict()) for c in charts]
    return texts, charts, risk, summary


def test_personal_data_never_in_outputs(tmp_path):
    path = _register(tmp_path)
    reg = ini.load_register(path)
    reg.attrs["path"] = str(path)
    assert "contactpersoon" not in reg.columns and "email" not in reg.columns
    texts, *_ = _all_outputs(reg)
    for text in texts:
        assert SECRET not in text
        assert "example.org" not in text
    runner = CliRunner()
    for args in (["check", str(path)], ["summary", str(path), "--gemeente", "GM0344"]):
        result = runner.invoke(app, ["initiatieven", *args])
        assert result.exit_code == 0, result.output
        assert SECRET not in result.output and "example.org" not in result.output


def test_html_in_names_is_shown_as_text(tmp_path):
    import vl_convert as vlc

    path = _register(tmp_path)
    reg = ini.load_register(path)
    reg.attrs["path"] = str(path)
    assert reg.loc[0, "naam"].startswith(SCRIPT)  # kept as the user wrote it
    texts, charts, risk, summary = _all_outputs(reg)
    html_outputs = [t for t in texts if "<table" in t] + [risk.text(), summary._repr_markdown_()]
    for text in html_outputs:
        assert "<script>" not in text
    assert "&lt;script&gt;" in risk.text()
    assert any("&lt;script&gt;" in t for t in html_outputs if "<table" in t)
    # charts carry the name as data; rendered, it is text in the SVG, not markup
    for chart in charts[1:4]:
        svg = vlc.vegalite_to_svg(chart.to_json())
        assert "<script" not in svg
    svg = vlc.vegalite_to_svg(risk.chart().to_json())
    assert "&lt;script&gt;" in svg.replace("\u2060", "")  # shown as text
    # the HTML output of a chart embeds its data in a <script>: the name cannot close it
    for chart in charts:
        bundle = chart._repr_mimebundle_()
        bundle = bundle[0] if isinstance(bundle, tuple) else bundle
        for value in bundle.values():
            assert "alert(1)</script>" not in str(value)


@pytest.mark.parametrize("column", ["contactpersoon", "Telefoon", "E-mail", "adres"])
def test_personal_columns_are_dropped_on_reading(tmp_path, column):
    path = tmp_path / "r.csv"
    path.write_text(
        f"id,naam,gemeente_code,domein,startdatum,{column}\n1,X,GM0344,zorg,2020-01-01,{SECRET}\n"
    )
    reg = ini.load_register(path)
    assert column.lower() not in [c.lower() for c in reg.columns]
    assert SECRET not in reg.to_csv()
