"""Shipped open data (CBS; RIVM health estimates) and the loading API.

Friendly layer (these names are binding; other modules build on them):

* :func:`areas` — gemeenten, wijken, buurten of KWB indeling 2024;
* :func:`indicators` — indicator values, long or wide;
* :func:`dictionary` — labels, units and directions of the indicators;
* :func:`boundaries` — gemeente (2022) and wijk (2024) polygons as GeoJSON;
* :func:`read_indicator_file` — a user's own CSV/XLSX, validated, in the same long form;
* :func:`population` — inhabitants per area;
* :func:`has_rivm`, :func:`rivm_coverage` — whether a 2024 area has RIVM health estimates
  (``rivm_*`` indicators, indeling 2020) or shows *geen gegevens (indeling gewijzigd na 2020)*;
* :func:`has_lbm`, :func:`lbm_coverage`, :func:`leefbaarometer` — the Leefbaarometer 3.0
  (``lbm_*`` indicators, wijken indeling 2022, 2002–2022) per wijk and gemeente, and an
  area's figures against its gemeente, provincie and the Netherlands.

The strict layer underneath: :mod:`doeagenda.data.io` (raw CBS files),
:mod:`doeagenda.data.build` (derivation of the tidy tables), :mod:`doeagenda.data.schemas`.
See ``doeagenda/data/PROVENANCE.md`` for sources and licence (CBS, CC BY 4.0; RIVM
StatLine 50090NED and 50140NED, and the Leefbaarometer 3.0 of BZK, whose figures are
estimates, not counts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from doeagenda._lazy import attach

if TYPE_CHECKING:  # static analysers see the names; at run time each loads on first use
    from doeagenda.data.api import (
        area,
        areas,
        boundaries,
        clear_cache,
        dictionary,
        has_lbm,
        has_rivm,
        indicators,
        label,
        lbm_coverage,
        leefbaarometer,
        population,
        provinces,
        rivm_coverage,
    )
    from doeagenda.data.userfiles import read_indicator_file

# Public name -> (module, attribute): loaded on first access, so importing this package
# (and ``doeagenda --help``) does not pay for pandas, scipy, statsmodels or altair.
_LAZY = {
    "area": ("doeagenda.data.api", "area"),
    "areas": ("doeagenda.data.api", "areas"),
    "boundaries": ("doeagenda.data.api", "boundaries"),
    "clear_cache": ("doeagenda.data.api", "clear_cache"),
    "dictionary": ("doeagenda.data.api", "dictionary"),
    "has_lbm": ("doeagenda.data.api", "has_lbm"),
    "has_rivm": ("doeagenda.data.api", "has_rivm"),
    "indicators": ("doeagenda.data.api", "indicators"),
    "label": ("doeagenda.data.api", "label"),
    "lbm_coverage": ("doeagenda.data.api", "lbm_coverage"),
    "leefbaarometer": ("doeagenda.data.api", "leefbaarometer"),
    "population": ("doeagenda.data.api", "population"),
    "provinces": ("doeagenda.data.api", "provinces"),
    "rivm_coverage": ("doeagenda.data.api", "rivm_coverage"),
    "read_indicator_file": ("doeagenda.data.userfiles", "read_indicator_file"),
}

__all__ = [
    "area",
    "areas",
    "boundaries",
    "clear_cache",
    "dictionary",
    "has_lbm",
    "has_rivm",
    "indicators",
    "label",
    "lbm_coverage",
    "leefbaarometer",
    "population",
    "provinces",
    "read_indicator_file",
    "rivm_coverage",
]

__getattr__, __dir__ = attach(__name__, _LAZY)
