"""Composite indices (the Buurzaamheidsindex): frameworks, construction, uncertainty, charts.

A Python counterpart of the JRC's COINr, following the OECD/JRC Handbook on
Constructing Composite Indicators. Typical use::

    from doeagenda.index import Framework, build_index, index_data

    fw = Framework.from_yaml("params/frameworks/buurzaamheid_gemeenten.yaml")
    result = build_index(index_data(fw), fw)
    result.summary(among=utrecht_codes)
    result.uncertainty(n=1000, seed=0).chart(highlight="GM0344")
"""

from doeagenda.index.build import IndexResult, as_framework, build_index, load_framework
from doeagenda.index.data import index_data
from doeagenda.index.framework import (
    AGGREGATION_METHODS,
    NORMALISATION_METHODS,
    Framework,
    ImputeSpec,
    Node,
    NormaliseSpec,
    TreatSpec,
)
from doeagenda.index.steps import (
    aggregate_values,
    ctlog,
    kurtosis_g2,
    normalise_values,
    skewness_g1,
    winsorise,
)
from doeagenda.index.story import IndexStory, buurzaamheidsindex
from doeagenda.index.trend import TrendResult, TrendWarning, index_trend
from doeagenda.index.uncertainty import (
    SensitivityResult,
    UncertaintyResult,
    Vary,
    ishigami,
    sensitivity,
    sobol_indices,
    uncertainty,
)
from doeagenda.index.wijken import AreaIndex, WijkPosition, area_index, wijk_position

__all__ = [
    "AGGREGATION_METHODS",
    "NORMALISATION_METHODS",
    "AreaIndex",
    "Framework",
    "ImputeSpec",
    "IndexResult",
    "IndexStory",
    "Node",
    "NormaliseSpec",
    "SensitivityResult",
    "TreatSpec",
    "TrendResult",
    "TrendWarning",
    "UncertaintyResult",
    "Vary",
    "WijkPosition",
    "aggregate_values",
    "area_index",
    "as_framework",
    "build_index",
    "buurzaamheidsindex",
    "ctlog",
    "index_data",
    "index_trend",
    "ishigami",
    "kurtosis_g2",
    "load_framework",
    "normalise_values",
    "sensitivity",
    "skewness_g1",
    "sobol_indices",
    "uncertainty",
    "wijk_position",
    "winsorise",
]
