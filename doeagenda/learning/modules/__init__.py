"""The four learning modules: pure view functions, widget builders and exercises.

Each module lists its exercises in its own ``EXERCISES``;
:mod:`doeagenda.learning.catalogue` joins them (importing changes no shared state).
"""

from doeagenda.learning.modules.eigen_index import (
    index_builder,
    index_uncertainty,
    index_view,
    uncertainty_view,
)
from doeagenda.learning.modules.gemeente import (
    compare_gemeenten,
    compare_view,
    energy_cooperatives,
    energy_view,
    key_figures,
    key_figures_view,
    wijk_distribution,
    wijk_health,
    wijk_health_view,
    wijken_view,
)
from doeagenda.learning.modules.levert_op import (
    sensitivity_explorer,
    sensitivity_view,
    sroi_explorer,
    sroi_view,
    value_map_explorer,
    value_map_view,
)
from doeagenda.learning.modules.werkt_het import (
    pilot_explorer,
    pilot_view,
    power_explorer,
    power_view,
)

__all__ = [
    "compare_gemeenten",
    "compare_view",
    "energy_cooperatives",
    "energy_view",
    "index_builder",
    "index_uncertainty",
    "index_view",
    "key_figures",
    "key_figures_view",
    "pilot_explorer",
    "pilot_view",
    "power_explorer",
    "power_view",
    "sensitivity_explorer",
    "sensitivity_view",
    "sroi_explorer",
    "sroi_view",
    "uncertainty_view",
    "value_map_explorer",
    "value_map_view",
    "wijk_distribution",
    "wijk_health",
    "wijk_health_view",
    "wijken_view",
]
