"""Evaluation of proeftuinen (pilot experiments): did it work, and how sure are we?

Estimators on a long panel DataFrame (one row per unit and period) with column names:

* :func:`did` and :func:`event_study` — difference-in-differences with two-way fixed
  effects, CR1 clustered standard errors and a wild cluster bootstrap with few clusters;
* :func:`staggered_did` — Callaway & Sant'Anna (2021) for staggered starts;
* :func:`synthetic_control` — Abadie, Diamond & Hainmueller (2010) with placebo test;
* :func:`interrupted_time_series` — segmented regression with Newey–West errors;
* :func:`power_simulation` — power and minimum detectable effect for the next pilot;
* :func:`power_on_panel` / :func:`rivm_wijk_panel` — the same for 5 to 20 pilots on the
  real RIVM wijk panel (loneliness 2012/2016/2020);
* :func:`voorbeeld_panel` — the invented (*voorbeeld*) proeftuin panel with a known effect.

The friendly layer for the notebook and ``doeagenda evaluate`` is
:mod:`doeagenda.evaluation.proeftuin`.

Honesty warnings are :class:`EvaluationWarning` subclasses and also appear in each
result's ``.summary()``. See ``docs/proeftuinen.md``.
"""

import lazy_loader as lazy

# SPEC 1: the public names are written once, in __init__.pyi, which type checkers read
# too; each loads its module on first use, so importing this package stays cheap.
__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)
