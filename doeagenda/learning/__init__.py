"""Leren en toerusten: interactive learning modules for trainers and participants.

The notebooks in ``notebooks/leren/`` are thin: every cell calls one function from here.

Infrastructure

* :func:`start` — open a module for a gemeente (checks it, shows a banner).
* :func:`check` — self-check an answer: right / close / wrong with a hint; answers are
  computed from data or stored hashed, never written in a notebook.
* :func:`trainer_mode` — reveal worked answers (also ``DOEAGENDA_TRAINER=1``).
* :func:`question` — an exercise with an answer field and a "Controleer" button.
* :func:`handout_html` / :func:`write_handout` — static printable handouts.
* :class:`LearningState` / :data:`SESSION` — trainer and handout mode of a session, in one
  explicit object (functions take ``state=`` to use another one).

Module builders (each returns an ipywidget wired to a pure, tested view function, or the
static view in handout mode). Module 01 *Ken je gemeente*: :func:`key_figures`,
:func:`compare_gemeenten`, :func:`wijk_distribution`. Modules 02–04 are in
:mod:`doeagenda.learning.modules`.
"""

from __future__ import annotations

from doeagenda.learning.feedback import (
    DEFAULT_GEMEENTE,
    Exercise,
    Feedback,
    check,
    correct_answer,
    exercise,
    exercises,
    is_trainer,
    parse_number,
    trainer_mode,
    worked_answer,
)
from doeagenda.learning.handout import handout_html, write_handout
from doeagenda.learning.lesson import MODULES, View, app_gemeente, handout_mode, start
from doeagenda.learning.modules import *  # noqa: F403
from doeagenda.learning.modules import __all__ as _module_names
from doeagenda.learning.questions import QuestionBox, question
from doeagenda.learning.state import SESSION, LearningState
from doeagenda.learning.widgets import Explorer

__all__ = [
    "DEFAULT_GEMEENTE",
    "MODULES",
    "Exercise",
    "Explorer",
    "Feedback",
    "LearningState",
    "QuestionBox",
    "SESSION",
    "View",
    "app_gemeente",
    "check",
    "correct_answer",
    "exercise",
    "exercises",
    "handout_html",
    "handout_mode",
    "is_trainer",
    "parse_number",
    "question",
    "start",
    "trainer_mode",
    "worked_answer",
    "write_handout",
    *_module_names,
]
