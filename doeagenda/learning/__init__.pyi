"""Public names of :mod:`doeagenda.learning`, written once (SPEC 1).

``__init__.py`` reads this stub with ``lazy_loader.attach_stub``: each name loads its
module on first use, and type checkers read the same imports.
"""

from .feedback import (
    DEFAULT_GEMEENTE as DEFAULT_GEMEENTE,
    Exercise as Exercise,
    Feedback as Feedback,
    check as check,
    correct_answer as correct_answer,
    exercise as exercise,
    exercises as exercises,
    is_trainer as is_trainer,
    parse_number as parse_number,
    trainer_mode as trainer_mode,
    worked_answer as worked_answer,
)
from .handout import handout_html as handout_html, write_handout as write_handout
from .lesson import (
    MODULES as MODULES,
    View as View,
    app_gemeente as app_gemeente,
    handout_mode as handout_mode,
    start as start,
)
from .modules import (
    compare_gemeenten as compare_gemeenten,
    compare_view as compare_view,
    energy_cooperatives as energy_cooperatives,
    energy_view as energy_view,
    index_builder as index_builder,
    index_uncertainty as index_uncertainty,
    index_view as index_view,
    key_figures as key_figures,
    key_figures_view as key_figures_view,
    pilot_explorer as pilot_explorer,
    pilot_view as pilot_view,
    power_explorer as power_explorer,
    power_view as power_view,
    sensitivity_explorer as sensitivity_explorer,
    sensitivity_view as sensitivity_view,
    sroi_explorer as sroi_explorer,
    sroi_view as sroi_view,
    uncertainty_view as uncertainty_view,
    value_map_explorer as value_map_explorer,
    value_map_view as value_map_view,
    wijk_distribution as wijk_distribution,
    wijk_health as wijk_health,
    wijk_health_view as wijk_health_view,
    wijken_view as wijken_view,
)
from .questions import QuestionBox as QuestionBox, question as question
from .state import SESSION as SESSION, LearningState as LearningState
from .widgets import Explorer as Explorer
