"""Shipped open data (CBS; RIVM health estimates) and the loading API.

Friendly layer (these names are binding; other modules build on them):

* :func:`areas` — gemeenten, wijken, buurten of KWB indeling 2024;
* :func:`indicators` — indicator values, long or wide;
* :func:`dictionary` — labels, units and directions of the indicators;
* :func:`boundaries` — gemeente (2022) and wijk (2024) polygons as GeoJSON;
* :func:`read_indicator_file` — a user's own CSV/XLSX, validated, in the same long form;
* :func:`population` — inhabitants per area;
* :func:`has_rivm`, :func:`rivm_coverage` — whether a 2024 area has RIVM health estimates
  (``rivm_*`` indicators, indeling 2020) or shows *geen gegevens (indeling gewijzigd na 2020)*.

The strict layer underneath: :mod:`doeagenda.data.io` (raw CBS files),
:mod:`doeagenda.data.build` (derivation of the tidy tables), :mod:`doeagenda.data.schemas`.
See ``doeagenda/data/PROVENANCE.md`` for sources and licence (CBS, CC BY 4.0; RIVM
StatLine 50090NED and 50140NED, whose figures are estimates, not counts).
"""

from doeagenda.data.api import (
    area,
    areas,
    boundaries,
    clear_cache,
    dictionary,
    has_rivm,
    indicators,
    label,
    population,
    provinces,
    rivm_coverage,
)
from doeagenda.data.userfiles import read_indicator_file

__all__ = [
    "area",
    "areas",
    "boundaries",
    "clear_cache",
    "dictionary",
    "has_rivm",
    "indicators",
    "label",
    "population",
    "provinces",
    "read_indicator_file",
    "rivm_coverage",
]
