"""Composite indices (the Buurzaamheidsindex): frameworks, construction, uncertainty, charts.

A Python counterpart of the JRC's COINr, following the OECD/JRC Handbook on
Constructing Composite Indicators. Typical use::

    from doeagenda.index import Framework, build_index, index_data

    fw = Framework.from_yaml("params/frameworks/buurzaamheid_gemeenten.yaml")
    result = build_index(index_data(fw), fw)
    result.summary(among=utrecht_codes)
    result.uncertainty(n=1000, seed=0).chart(highlight="GM0344")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from doeagenda._lazy import attach

if TYPE_CHECKING:  # static analysers see the names; at run time each loads on first use
    from doeagenda.index.build import IndexResult, as_framework, build_index, load_framework
    from doeagenda.index.cohesion import CohesionTrend, cohesion_trend
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
    from doeagenda.index.validity import ValidityResult, index_validity
    from doeagenda.index.wijken import AreaIndex, WijkPosition, area_index, wijk_position

# Public name -> (module, attribute): loaded on first access, so importing this package
# (and ``doeagenda --help``) does not pay for pandas, scipy, statsmodels or altair.
_LAZY = {
    "IndexResult": ("doeagenda.index.build", "IndexResult"),
    "as_framework": ("doeagenda.index.build", "as_framework"),
    "build_index": ("doeagenda.index.build", "build_index"),
    "load_framework": ("doeagenda.index.build", "load_framework"),
    "CohesionTrend": ("doeagenda.index.cohesion", "CohesionTrend"),
    "cohesion_trend": ("doeagenda.index.cohesion", "cohesion_trend"),
    "index_data": ("doeagenda.index.data", "index_data"),
    "AGGREGATION_METHODS": ("doeagenda.index.framework", "AGGREGATION_METHODS"),
    "NORMALISATION_METHODS": ("doeagenda.index.framework", "NORMALISATION_METHODS"),
    "Framework": ("doeagenda.index.framework", "Framework"),
    "ImputeSpec": ("doeagenda.index.framework", "ImputeSpec"),
    "Node": ("doeagenda.index.framework", "Node"),
    "NormaliseSpec": ("doeagenda.index.framework", "NormaliseSpec"),
    "TreatSpec": ("doeagenda.index.framework", "TreatSpec"),
    "aggregate_values": ("doeagenda.index.steps", "aggregate_values"),
    "ctlog": ("doeagenda.index.steps", "ctlog"),
    "kurtosis_g2": ("doeagenda.index.steps", "kurtosis_g2"),
    "normalise_values": ("doeagenda.index.steps", "normalise_values"),
    "skewness_g1": ("doeagenda.index.steps", "skewness_g1"),
    "winsorise": ("doeagenda.index.steps", "winsorise"),
    "IndexStory": ("doeagenda.index.story", "IndexStory"),
    "buurzaamheidsindex": ("doeagenda.index.story", "buurzaamheidsindex"),
    "TrendResult": ("doeagenda.index.trend", "TrendResult"),
    "TrendWarning": ("doeagenda.index.trend", "TrendWarning"),
    "index_trend": ("doeagenda.index.trend", "index_trend"),
    "SensitivityResult": ("doeagenda.index.uncertainty", "SensitivityResult"),
    "UncertaintyResult": ("doeagenda.index.uncertainty", "UncertaintyResult"),
    "Vary": ("doeagenda.index.uncertainty", "Vary"),
    "ishigami": ("doeagenda.index.uncertainty", "ishigami"),
    "sensitivity": ("doeagenda.index.uncertainty", "sensitivity"),
    "sobol_indices": ("doeagenda.index.uncertainty", "sobol_indices"),
    "uncertainty": ("doeagenda.index.uncertainty", "uncertainty"),
    "ValidityResult": ("doeagenda.index.validity", "ValidityResult"),
    "index_validity": ("doeagenda.index.validity", "index_validity"),
    "AreaIndex": ("doeagenda.index.wijken", "AreaIndex"),
    "WijkPosition": ("doeagenda.index.wijken", "WijkPosition"),
    "area_index": ("doeagenda.index.wijken", "area_index"),
    "wijk_position": ("doeagenda.index.wijken", "wijk_position"),
}

__all__ = [
    "AGGREGATION_METHODS",
    "NORMALISATION_METHODS",
    "AreaIndex",
    "CohesionTrend",
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
    "ValidityResult",
    "Vary",
    "WijkPosition",
    "aggregate_values",
    "area_index",
    "as_framework",
    "build_index",
    "buurzaamheidsindex",
    "cohesion_trend",
    "ctlog",
    "index_data",
    "index_trend",
    "index_validity",
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

__getattr__, __dir__ = attach(__name__, _LAZY)
