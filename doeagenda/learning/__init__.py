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
:func:`compare_gemeenten`, :func:`wijk_distribution`, :func:`wijk_health`,
:func:`energy_cooperatives`. Modules 02–04 are in
:mod:`doeagenda.learning.modules`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from doeagenda._lazy import attach

if TYPE_CHECKING:  # static analysers see the names; at run time each loads on first use
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
    from doeagenda.learning.modules import (
        compare_gemeenten,
        compare_view,
        index_builder,
        index_uncertainty,
        index_view,
        key_figures,
        key_figures_view,
        pilot_explorer,
        pilot_view,
        power_explorer,
        power_view,
        sensitivity_explorer,
        sensitivity_view,
        sroi_explorer,
        sroi_view,
        uncertainty_view,
        value_map_explorer,
        value_map_view,
        wijk_distribution,
        wijk_health,
        wijk_health_view,
        wijken_view,
    )
    from doeagenda.learning.questions import QuestionBox, question
    from doeagenda.learning.state import SESSION, LearningState
    from doeagenda.learning.widgets import Explorer

# Public name -> (module, attribute): loaded on first access, so importing this package
# (and ``doeagenda --help``) does not pay for pandas, scipy, statsmodels or altair.
_LAZY = {
    "DEFAULT_GEMEENTE": ("doeagenda.learning.feedback", "DEFAULT_GEMEENTE"),
    "Exercise": ("doeagenda.learning.feedback", "Exercise"),
    "Feedback": ("doeagenda.learning.feedback", "Feedback"),
    "check": ("doeagenda.learning.feedback", "check"),
    "correct_answer": ("doeagenda.learning.feedback", "correct_answer"),
    "exercise": ("doeagenda.learning.feedback", "exercise"),
    "exercises": ("doeagenda.learning.feedback", "exercises"),
    "is_trainer": ("doeagenda.learning.feedback", "is_trainer"),
    "parse_number": ("doeagenda.learning.feedback", "parse_number"),
    "trainer_mode": ("doeagenda.learning.feedback", "trainer_mode"),
    "worked_answer": ("doeagenda.learning.feedback", "worked_answer"),
    "handout_html": ("doeagenda.learning.handout", "handout_html"),
    "write_handout": ("doeagenda.learning.handout", "write_handout"),
    "MODULES": ("doeagenda.learning.lesson", "MODULES"),
    "View": ("doeagenda.learning.lesson", "View"),
    "app_gemeente": ("doeagenda.learning.lesson", "app_gemeente"),
    "handout_mode": ("doeagenda.learning.lesson", "handout_mode"),
    "start": ("doeagenda.learning.lesson", "start"),
    "Explorer": ("doeagenda.learning.widgets", "Explorer"),
    "QuestionBox": ("doeagenda.learning.questions", "QuestionBox"),
    "question": ("doeagenda.learning.questions", "question"),
    "SESSION": ("doeagenda.learning.state", "SESSION"),
    "LearningState": ("doeagenda.learning.state", "LearningState"),
    "compare_gemeenten": ("doeagenda.learning.modules", "compare_gemeenten"),
    "compare_view": ("doeagenda.learning.modules", "compare_view"),
    "energy_cooperatives": ("doeagenda.learning.modules", "energy_cooperatives"),
    "energy_view": ("doeagenda.learning.modules", "energy_view"),
    "index_builder": ("doeagenda.learning.modules", "index_builder"),
    "index_uncertainty": ("doeagenda.learning.modules", "index_uncertainty"),
    "index_view": ("doeagenda.learning.modules", "index_view"),
    "key_figures": ("doeagenda.learning.modules", "key_figures"),
    "key_figures_view": ("doeagenda.learning.modules", "key_figures_view"),
    "pilot_explorer": ("doeagenda.learning.modules", "pilot_explorer"),
    "pilot_view": ("doeagenda.learning.modules", "pilot_view"),
    "power_explorer": ("doeagenda.learning.modules", "power_explorer"),
    "power_view": ("doeagenda.learning.modules", "power_view"),
    "sensitivity_explorer": ("doeagenda.learning.modules", "sensitivity_explorer"),
    "sensitivity_view": ("doeagenda.learning.modules", "sensitivity_view"),
    "sroi_explorer": ("doeagenda.learning.modules", "sroi_explorer"),
    "sroi_view": ("doeagenda.learning.modules", "sroi_view"),
    "uncertainty_view": ("doeagenda.learning.modules", "uncertainty_view"),
    "value_map_explorer": ("doeagenda.learning.modules", "value_map_explorer"),
    "value_map_view": ("doeagenda.learning.modules", "value_map_view"),
    "wijk_distribution": ("doeagenda.learning.modules", "wijk_distribution"),
    "wijk_health": ("doeagenda.learning.modules", "wijk_health"),
    "wijk_health_view": ("doeagenda.learning.modules", "wijk_health_view"),
    "wijken_view": ("doeagenda.learning.modules", "wijken_view"),
}

__all__ = [
    "DEFAULT_GEMEENTE",
    "MODULES",
    "SESSION",
    "Exercise",
    "Explorer",
    "Feedback",
    "LearningState",
    "QuestionBox",
    "View",
    "app_gemeente",
    "check",
    "compare_gemeenten",
    "compare_view",
    "correct_answer",
    "energy_cooperatives",
    "energy_view",
    "exercise",
    "exercises",
    "handout_html",
    "handout_mode",
    "index_builder",
    "index_uncertainty",
    "index_view",
    "is_trainer",
    "key_figures",
    "key_figures_view",
    "parse_number",
    "pilot_explorer",
    "pilot_view",
    "power_explorer",
    "power_view",
    "question",
    "sensitivity_explorer",
    "sensitivity_view",
    "sroi_explorer",
    "sroi_view",
    "start",
    "trainer_mode",
    "uncertainty_view",
    "value_map_explorer",
    "value_map_view",
    "wijk_distribution",
    "wijk_health",
    "wijk_health_view",
    "wijken_view",
    "worked_answer",
    "write_handout",
]

__getattr__, __dir__ = attach(__name__, _LAZY)
