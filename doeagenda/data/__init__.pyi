"""Public names of doeagenda.data, one per line (SPEC 1; docs/architecture.md)."""

from .api import area as area
from .api import areas as areas
from .api import boundaries as boundaries
from .api import clear_cache as clear_cache
from .api import dictionary as dictionary
from .api import has_lbm as has_lbm
from .api import has_rivm as has_rivm
from .api import indicators as indicators
from .api import label as label
from .api import lbm_coverage as lbm_coverage
from .api import leefbaarometer as leefbaarometer
from .api import population as population
from .api import provinces as provinces
from .api import rivm_coverage as rivm_coverage
from .userfiles import read_indicator_file as read_indicator_file
