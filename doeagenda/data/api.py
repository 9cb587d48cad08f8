"""Friendly loading API over the shipped tidy tables.

All functions return fresh copies, so callers may modify what they get. The tidy tables
are read once per process (they are small: a few MB) and cached.

The API lives in two modules, re-exported here: :mod:`doeagenda.data.core` (the tidy
tables, areas, indicators, dictionary, population, boundaries) and
:mod:`doeagenda.data.matched` (RIVM and Leefbaarometer figures, matched to the 2024 areas
on codes). :func:`clear_cache` forgets the cached tables of both.
"""

from __future__ import annotations

from doeagenda.data import core, matched
from doeagenda.data.build import level_of as level_of
from doeagenda.data.core import BOUNDARY_FILE as BOUNDARY_FILE
from doeagenda.data.core import BOUNDARY_YEAR as BOUNDARY_YEAR
from doeagenda.data.core import CACHE_DIR_VARIABLE as CACHE_DIR_VARIABLE
from doeagenda.data.core import CODE_LEVELS as CODE_LEVELS
from doeagenda.data.core import WIJK_BOUNDARY_FILE as WIJK_BOUNDARY_FILE
from doeagenda.data.core import WIJK_BOUNDARY_YEAR as WIJK_BOUNDARY_YEAR
from doeagenda.data.core import area as area
from doeagenda.data.core import areas as areas
from doeagenda.data.core import boundaries as boundaries
from doeagenda.data.core import cache_dir as cache_dir
from doeagenda.data.core import dictionary as dictionary
from doeagenda.data.core import indicators as indicators
from doeagenda.data.core import label as label
from doeagenda.data.core import population as population
from doeagenda.data.core import provinces as provinces
from doeagenda.data.core import stale_tables as stale_tables
from doeagenda.data.core import unknown_code_reason as unknown_code_reason
from doeagenda.data.matched import LBM_BOUNDARY_NOTE as LBM_BOUNDARY_NOTE
from doeagenda.data.matched import LBM_NO_MATCH_NOTE as LBM_NO_MATCH_NOTE
from doeagenda.data.matched import RIVM_NO_MATCH_NOTE as RIVM_NO_MATCH_NOTE
from doeagenda.data.matched import has_lbm as has_lbm
from doeagenda.data.matched import has_rivm as has_rivm
from doeagenda.data.matched import lbm_coverage as lbm_coverage
from doeagenda.data.matched import leefbaarometer as leefbaarometer
from doeagenda.data.matched import rivm_coverage as rivm_coverage


def clear_cache() -> None:
    """Forget cached tables (after ``doeagenda data rebuild``)."""
    core._tidy.cache_clear()
    core._areas_by_code.cache_clear()
    core._indicators_at.cache_clear()
    matched._rivm_codes.cache_clear()
    matched._lbm_codes.cache_clear()
    matched._lbm_provincie.cache_clear()
    core._codes_2020.cache_clear()
    core._boundary_features.cache_clear()


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
    "level_of",
    "population",
    "provinces",
    "rivm_coverage",
]
