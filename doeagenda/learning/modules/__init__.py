"""The four learning modules: pure view functions, widget builders and exercises.

Importing this package registers every module's exercises (see
:mod:`doeagenda.learning.feedback`).
"""

from doeagenda.learning.modules.gemeente import (
    compare_gemeenten,
    compare_view,
    key_figures,
    key_figures_view,
    wijk_distribution,
    wijken_view,
)

__all__ = [
    "compare_gemeenten",
    "compare_view",
    "key_figures",
    "key_figures_view",
    "wijk_distribution",
    "wijken_view",
]
