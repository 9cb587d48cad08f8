"""Public names of :mod:`doeagenda.data`, written once (SPEC 1).

``__init__.py`` reads this stub with ``lazy_loader.attach_stub``: each name loads its
module on first use, and type checkers read the same imports.
"""

from .api import (
    area as area,
    areas as areas,
    boundaries as boundaries,
    clear_cache as clear_cache,
    dictionary as dictionary,
    has_lbm as has_lbm,
    has_rivm as has_rivm,
    indicators as indicators,
    label as label,
    lbm_coverage as lbm_coverage,
    leefbaarometer as leefbaarometer,
    population as population,
    provinces as provinces,
    rivm_coverage as rivm_coverage,
)
from .userfiles import read_indicator_file as read_indicator_file
