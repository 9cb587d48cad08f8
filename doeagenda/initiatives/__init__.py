"""Bewonersinitiatieven in beeld: register, zichtbaarheid, verduurzaming en samenspel.

* :mod:`~doeagenda.initiatives.register` — the register format, :func:`load_register`
  and :func:`check_register` (all problems at once);
* :mod:`~doeagenda.initiatives.privacy` — personal data never shown, small wijk counts
  suppressed;
* :mod:`~doeagenda.initiatives.visibility` — counts per gemeente/wijk, per 10,000
  inhabitants, per domain and target group, province map, white spots;
* :mod:`~doeagenda.initiatives.survival` — continuity: Kaplan–Meier, log-rank, Cox model,
  proportional-hazards check, continuity-risk list;
* :mod:`~doeagenda.initiatives.network` — the collaboration network of initiatives and
  partners;
* :mod:`~doeagenda.initiatives.voorbeeld` — generator of the invented voorbeeld register;
* :mod:`~doeagenda.initiatives.summary` — a short Dutch summary (CLI and notebook).

Every function taking ``register`` accepts a path (CSV/XLSX), the literal
``"voorbeeld"`` (the shipped invented register) or an already loaded DataFrame.
"""

from doeagenda.initiatives.network import NetworkResult, network, partner_graph
from doeagenda.initiatives.privacy import MIN_COUNT, public_view, suppress_counts
from doeagenda.initiatives.register import (
    COLUMNS,
    DOMAINS,
    FUNDERS,
    PARTNER_TYPES,
    PERSONAL_COLUMNS,
    REQUIRED_COLUMNS,
    STATUSES,
    TARGET_GROUPS,
    VOORBEELD,
    Problem,
    RegisterCheck,
    as_register,
    check_register,
    load_register,
    register_path,
)
from doeagenda.initiatives.summary import Summary, summary
from doeagenda.initiatives.survival import (
    COX_FORMULA,
    PROFILES,
    CoxResult,
    KaplanMeierResult,
    RiskList,
    continuity_risk,
    cox_model,
    financing_profile,
    kaplan_meier,
    survival_data,
)
from doeagenda.initiatives.visibility import (
    DEFAULT_NEED,
    VisibilityResult,
    WhiteSpotResult,
    counts_by,
    counts_per_gemeente,
    counts_per_wijk,
    need_measure,
    province_map,
    running,
    visibility,
    white_spots,
)

__all__ = [
    "COLUMNS",
    "COX_FORMULA",
    "DEFAULT_NEED",
    "DOMAINS",
    "FUNDERS",
    "MIN_COUNT",
    "PARTNER_TYPES",
    "PERSONAL_COLUMNS",
    "PROFILES",
    "REQUIRED_COLUMNS",
    "STATUSES",
    "TARGET_GROUPS",
    "VOORBEELD",
    "CoxResult",
    "KaplanMeierResult",
    "NetworkResult",
    "Problem",
    "RegisterCheck",
    "RiskList",
    "Summary",
    "VisibilityResult",
    "WhiteSpotResult",
    "as_register",
    "check_register",
    "continuity_risk",
    "counts_by",
    "counts_per_gemeente",
    "counts_per_wijk",
    "cox_model",
    "financing_profile",
    "kaplan_meier",
    "load_register",
    "need_measure",
    "network",
    "partner_graph",
    "province_map",
    "public_view",
    "register_path",
    "running",
    "summary",
    "suppress_counts",
    "survival_data",
    "visibility",
    "white_spots",
]
