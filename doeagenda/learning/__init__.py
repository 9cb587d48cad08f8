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

import lazy_loader as lazy

# SPEC 1: the public names are written once, in __init__.pyi, which type checkers read
# too; each loads its module on first use, so importing this package stays cheap.
__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)
