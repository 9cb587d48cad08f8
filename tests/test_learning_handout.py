"""Printable handouts: static charts, questions with writing space, answers only for trainers."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from doeagenda import learning
from doeagenda.cli import app
from doeagenda.learning import handout
from doeagenda.learning.lesson import MODULES

WIDGET_MARKERS = (
    "application/vnd.jupyter.widget",
    "widget-view",
    "Loading widget",
    "jupyter-widgets",
    "<script",
)


def _available(repo):
    """Every module number; a module whose notebook is missing fails here, never skips."""
    missing = [f for _t, f in MODULES.values() if not (repo / "notebooks" / "leren" / f).exists()]
    assert not missing, f"learning notebooks missing: {missing}"
    return list(MODULES)


@pytest.fixture(scope="module")
def pages(repo):
    made = {}
    for number in _available(repo):
        for trainer in (False, True):
            made[number, trainer] = handout.handout_html(number, "GM0308", trainer=trainer)
    return made


@pytest.mark.slow  # runs the module notebooks in kernels
def test_handouts_have_static_charts_and_no_widget_placeholders(pages):
    assert pages
    for (number, _trainer), page in pages.items():
        for marker in WIDGET_MARKERS:
            assert marker not in page, (number, marker)
        assert "<svg" in page, number
        assert "Baarn" in page
        # every view works at its defaults: no friendly error messages in a handout
        assert 'class="doeagenda-melding"' not in page, number
        assert "http://" not in page.replace("http://www.w3.org", "")
        assert "https://" not in page


@pytest.mark.slow  # runs the module notebooks in kernels
def test_questions_have_writing_space(pages):
    for (number, _trainer), page in pages.items():
        for ex in learning.exercises(number):
            assert f'data-oefening="{ex.id}"' in page
        assert page.count("doeagenda-schrijfregel") >= len(learning.exercises(number))


@pytest.mark.slow  # runs the module notebooks in kernels
def test_answers_only_in_the_trainer_version(pages, monkeypatch):
    monkeypatch.setenv("DOEAGENDA_TRAINER", "1")  # must not leak into the participant version
    for number, _title in MODULES.items():
        if (number, False) not in pages:
            continue
        participant = handout.handout_html(number, "GM0308", trainer=False)
        trainer = pages[number, True]
        assert "Uitwerking" not in participant
        assert 'class="doeagenda-uitwerking"' not in participant
        assert "Deelnemersversie" in participant
        for ex in learning.exercises(number):
            worked = learning.worked_answer(ex.id, "GM0308")
            escaped = worked.replace("'", "&#x27;").replace('"', "&quot;")
            assert escaped not in participant
            assert escaped in trainer, ex.id
        assert trainer.count('class="doeagenda-uitwerking"') == len(learning.exercises(number))


@pytest.mark.slow  # runs the module notebooks in kernels
def test_handout_follows_the_gemeente(repo):
    assert "01" in _available(repo)
    page = handout.handout_html("01", "GM0344")
    assert "Utrecht (GM0344)" in page
    assert "374.238" in page  # KWB 2024 inhabitants in the key-figures table


@pytest.mark.slow  # runs the module notebooks in kernels
def test_cli_writes_handout(tmp_path, repo, monkeypatch):
    monkeypatch.chdir(repo)
    runner = CliRunner()
    result = runner.invoke(app, ["handout", "01", "--gemeente", "GM0310", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = list(tmp_path.glob("*.html"))
    assert [p.name for p in written] == ["01-ken_je_gemeente-GM0310-deelnemer.html"]
    assert "De Bilt" in written[0].read_text(encoding="utf-8")
    result = runner.invoke(
        app, ["handout", "01", "-g", "GM0310", "--trainer", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0
    assert len(list(tmp_path.glob("*-trainer.html"))) == 1


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        (["handout", "01", "--gemeente", "GM9999"], "kennen we niet"),
        (["handout", "07", "--gemeente", "GM0344"], "bestaat niet"),
        (["handout", "01", "--notebooks", "/nonexistent"], "niet gevonden"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2(tmp_path, args, pattern):
    result = CliRunner().invoke(app, [*args, "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert re.search(pattern, result.output)
    assert "Traceback" not in result.output
    assert not list(tmp_path.glob("*.html"))


def test_help_is_dutch():
    result = CliRunner().invoke(app, ["handout", "--help"])
    assert result.exit_code == 0
    assert "handout" in result.output.lower()
    assert "--trainer" in result.output
