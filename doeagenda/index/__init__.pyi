"""Public names of :mod:`doeagenda.index`, written once (SPEC 1).

``__init__.py`` reads this stub with ``lazy_loader.attach_stub``: each name loads its
module on first use, and type checkers read the same imports.
"""

from .build import (
    IndexResult as IndexResult,
    as_framework as as_framework,
    build_index as build_index,
    load_framework as load_framework,
)
from .cohesion import CohesionTrend as CohesionTrend, cohesion_trend as cohesion_trend
from .data import index_data as index_data
from .framework import (
    AGGREGATION_METHODS as AGGREGATION_METHODS,
    NORMALISATION_METHODS as NORMALISATION_METHODS,
    Framework as Framework,
    ImputeSpec as ImputeSpec,
    Node as Node,
    NormaliseSpec as NormaliseSpec,
    TreatSpec as TreatSpec,
)
from .steps import (
    aggregate_values as aggregate_values,
    ctlog as ctlog,
    kurtosis_g2 as kurtosis_g2,
    normalise_values as normalise_values,
    skewness_g1 as skewness_g1,
    winsorise as winsorise,
)
from .story import IndexStory as IndexStory, buurzaamheidsindex as buurzaamheidsindex
from .trend import (
    TrendResult as TrendResult,
    TrendWarning as TrendWarning,
    index_trend as index_trend,
)
from .uncertainty import (
    SensitivityResult as SensitivityResult,
    UncertaintyResult as UncertaintyResult,
    Vary as Vary,
    ishigami as ishigami,
    sensitivity as sensitivity,
    sobol_indices as sobol_indices,
    uncertainty as uncertainty,
)
from .validity import ValidityResult as ValidityResult, index_validity as index_validity
from .wijken import (
    AreaIndex as AreaIndex,
    WijkPosition as WijkPosition,
    area_index as area_index,
    wijk_position as wijk_position,
)
