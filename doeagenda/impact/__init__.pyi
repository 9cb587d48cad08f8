"""Public names of :mod:`doeagenda.impact`, written once (SPEC 1).

``__init__.py`` reads this stub with ``lazy_loader.attach_stub``: each name loads its
module on first use, and type checkers read the same imports.
"""

from .distributions import (
    Distribution as Distribution,
    load_distributions as load_distributions,
    parse_distributions as parse_distributions,
)
from .evidence import (
    Effect as Effect,
    QuantityEvidence as QuantityEvidence,
    apply_evidence as apply_evidence,
    as_effect as as_effect,
    deadweight_from_control as deadweight_from_control,
    quantity_from_effect as quantity_from_effect,
)
from .mkba import MKBAResult as MKBAResult, mkba as mkba
from .origins import (
    assumption_share as assumption_share,
    price_origins as price_origins,
    without_flagged as without_flagged,
)
from .prices import (
    PARAMS_DIR as PARAMS_DIR,
    cpi_factor as cpi_factor,
    cpi_factors as cpi_factors,
    default_discount_rate as default_discount_rate,
    discount_rates as discount_rates,
    discount_regimes as discount_regimes,
    kh2024_table as kh2024_table,
    load_price_table as load_price_table,
    price_ranges as price_ranges,
    prices as prices,
    search_prices as search_prices,
)
from .reading import (
    Reading as Reading,
    price_origin_reading as price_origin_reading,
    reading as reading,
)
from .result import SROIResult as SROIResult
from .sensitivity import SensitivityResult as SensitivityResult
from .sroi import resolve_discount_rates as resolve_discount_rates, sroi as sroi
from .uncertainty import UncertaintyResult as UncertaintyResult, sobol_indices as sobol_indices
from .valuemap import (
    ValueMap as ValueMap,
    check_overclaiming as check_overclaiming,
    load_value_map as load_value_map,
    validate_outcomes as validate_outcomes,
)
