"""Impact in money: SROI and social cost-benefit analysis (MKBA) of bewonersinitiatieven.

Public API
----------
sroi(outcomes, investment, discount_rate=..., horizon=None, *, discount_rate_costs=None,
     discount_rate_effects=None, regime=None) -> SROIResult
    Present value, NPV, ratio and payback of a value map (SROI Guide definitions);
    ``.sensitivity()`` (tornado, break-even values) and ``.uncertainty(distributions)``
    (vectorised Monte Carlo, P(ratio > 1), Sobol indices).
mkba(value_map) -> MKBAResult
    Costs and benefits per actor against the nulalternatief (split incentives).
load_value_map(path) -> ValueMap
    YAML value maps under ``params/impact/``, validated row by row.
prices(price_year) / load_price_table() / search_prices(term)
    Dutch reference prices (``params/impact/prijzen.yaml``, rows of the Kostenhandleiding
    2024 table), indexed with the shipped CBS CPI factors.
price_origins(result) / assumption_share(result) / without_flagged(result)
    *Herkomst van de prijzen*: source of every price and the share resting on assumptions.
quantity_from_effect / apply_evidence / deadweight_from_control
    From an effect estimate with CI to an outcome quantity with its distribution.
reading(result, uncertainty)
    Plain-Dutch interpretation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from doeagenda._lazy import attach

if TYPE_CHECKING:  # static analysers see the names; at run time each loads on first use
    from doeagenda.impact.distributions import Distribution, load_distributions, parse_distributions
    from doeagenda.impact.evidence import (
        Effect,
        QuantityEvidence,
        apply_evidence,
        as_effect,
        deadweight_from_control,
        quantity_from_effect,
    )
    from doeagenda.impact.mkba import MKBAResult, mkba
    from doeagenda.impact.origins import assumption_share, price_origins, without_flagged
    from doeagenda.impact.prices import (
        PARAMS_DIR,
        cpi_factor,
        cpi_factors,
        default_discount_rate,
        discount_rates,
        discount_regimes,
        kh2024_table,
        load_price_table,
        price_ranges,
        prices,
        search_prices,
    )
    from doeagenda.impact.reading import Reading, price_origin_reading, reading
    from doeagenda.impact.result import SROIResult
    from doeagenda.impact.sensitivity import SensitivityResult
    from doeagenda.impact.sroi import resolve_discount_rates, sroi
    from doeagenda.impact.uncertainty import UncertaintyResult, sobol_indices
    from doeagenda.impact.valuemap import (
        ValueMap,
        check_overclaiming,
        load_value_map,
        validate_outcomes,
    )

# Public name -> (module, attribute): loaded on first access, so importing this package
# (and ``doeagenda --help``) does not pay for pandas, scipy, statsmodels or altair.
_LAZY = {
    "Distribution": ("doeagenda.impact.distributions", "Distribution"),
    "load_distributions": ("doeagenda.impact.distributions", "load_distributions"),
    "parse_distributions": ("doeagenda.impact.distributions", "parse_distributions"),
    "Effect": ("doeagenda.impact.evidence", "Effect"),
    "QuantityEvidence": ("doeagenda.impact.evidence", "QuantityEvidence"),
    "apply_evidence": ("doeagenda.impact.evidence", "apply_evidence"),
    "as_effect": ("doeagenda.impact.evidence", "as_effect"),
    "deadweight_from_control": ("doeagenda.impact.evidence", "deadweight_from_control"),
    "quantity_from_effect": ("doeagenda.impact.evidence", "quantity_from_effect"),
    "MKBAResult": ("doeagenda.impact.mkba", "MKBAResult"),
    "mkba": ("doeagenda.impact.mkba", "mkba"),
    "assumption_share": ("doeagenda.impact.origins", "assumption_share"),
    "price_origins": ("doeagenda.impact.origins", "price_origins"),
    "without_flagged": ("doeagenda.impact.origins", "without_flagged"),
    "PARAMS_DIR": ("doeagenda.impact.prices", "PARAMS_DIR"),
    "cpi_factor": ("doeagenda.impact.prices", "cpi_factor"),
    "cpi_factors": ("doeagenda.impact.prices", "cpi_factors"),
    "default_discount_rate": ("doeagenda.impact.prices", "default_discount_rate"),
    "discount_rates": ("doeagenda.impact.prices", "discount_rates"),
    "discount_regimes": ("doeagenda.impact.prices", "discount_regimes"),
    "kh2024_table": ("doeagenda.impact.prices", "kh2024_table"),
    "load_price_table": ("doeagenda.impact.prices", "load_price_table"),
    "price_ranges": ("doeagenda.impact.prices", "price_ranges"),
    "prices": ("doeagenda.impact.prices", "prices"),
    "search_prices": ("doeagenda.impact.prices", "search_prices"),
    "Reading": ("doeagenda.impact.reading", "Reading"),
    "price_origin_reading": ("doeagenda.impact.reading", "price_origin_reading"),
    "reading": ("doeagenda.impact.reading", "reading"),
    "SROIResult": ("doeagenda.impact.result", "SROIResult"),
    "SensitivityResult": ("doeagenda.impact.sensitivity", "SensitivityResult"),
    "resolve_discount_rates": ("doeagenda.impact.sroi", "resolve_discount_rates"),
    "sroi": ("doeagenda.impact.sroi", "sroi"),
    "UncertaintyResult": ("doeagenda.impact.uncertainty", "UncertaintyResult"),
    "sobol_indices": ("doeagenda.impact.uncertainty", "sobol_indices"),
    "ValueMap": ("doeagenda.impact.valuemap", "ValueMap"),
    "check_overclaiming": ("doeagenda.impact.valuemap", "check_overclaiming"),
    "load_value_map": ("doeagenda.impact.valuemap", "load_value_map"),
    "validate_outcomes": ("doeagenda.impact.valuemap", "validate_outcomes"),
}

__all__ = [
    "PARAMS_DIR",
    "Distribution",
    "Effect",
    "MKBAResult",
    "QuantityEvidence",
    "Reading",
    "SROIResult",
    "SensitivityResult",
    "UncertaintyResult",
    "ValueMap",
    "apply_evidence",
    "as_effect",
    "assumption_share",
    "check_overclaiming",
    "cpi_factor",
    "cpi_factors",
    "deadweight_from_control",
    "default_discount_rate",
    "discount_rates",
    "discount_regimes",
    "kh2024_table",
    "load_distributions",
    "load_price_table",
    "load_value_map",
    "mkba",
    "parse_distributions",
    "price_origin_reading",
    "price_origins",
    "price_ranges",
    "prices",
    "quantity_from_effect",
    "reading",
    "resolve_discount_rates",
    "search_prices",
    "sobol_indices",
    "sroi",
    "validate_outcomes",
    "without_flagged",
]

__getattr__, __dir__ = attach(__name__, _LAZY)
