"""Dutch labels shared by the index modules and their charts.

A leaf module (it imports nothing from the package), so that the computing modules
(:mod:`~doeagenda.index.uncertainty`, :mod:`~doeagenda.index.story`) and the chart module
(:mod:`~doeagenda.index.charts`) can all use the same words without importing each other.
"""

from __future__ import annotations

__all__ = ["FACTOR_LABELS", "NO_DATA"]

#: Dutch label of each factor of the uncertainty and sensitivity analyses.
FACTOR_LABELS = {
    "weights": "Gewichten",
    "normalise": "Normalisatie",
    "aggregate": "Aggregatie",
    "impute": "Imputatie",
    "leave_out": "Indicator weglaten",
}

#: What a reader sees where a unit or dimension has no value.
NO_DATA = "geen gegevens"
