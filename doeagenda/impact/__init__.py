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

import lazy_loader as lazy

# SPEC 1: the public names are written once, in __init__.pyi, which type checkers read
# too; each loads its module on first use, so importing this package stays cheap.
__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)
