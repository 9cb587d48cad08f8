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
* :mod:`~doeagenda.initiatives.summary` — a short Dutch summary (CLI and notebook);
* :mod:`~doeagenda.initiatives.energie_register` — the real register ``"energie_2019"``
  (Lokale Energie Monitor 2019, HIER opgewekt) in the register format;
* :mod:`~doeagenda.initiatives.energie` — energy cooperatives and collective solar per
  inhabitant (gemeente, provincie, NL, rank), founding curve, initiators;
* :mod:`~doeagenda.initiatives.in_gemeente` — the register's caveats and a gemeente's
  initiatives by name;
* :mod:`~doeagenda.initiatives.combine` — several registers as one (unique ids,
  duplicates counted once).

Every function taking ``register`` accepts a path (CSV/XLSX), the literal
``"voorbeeld"`` (the shipped invented register), ``"energie_2019"`` (the Lokale Energie
Monitor 2019), a list of those (combined) or an already loaded DataFrame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from doeagenda._lazy import attach

if TYPE_CHECKING:  # static analysers see the names; at run time each loads on first use
    from doeagenda.initiatives.combine import (
        duplicates,
        name_keys,
    )
    from doeagenda.initiatives.energie import (
        EnergyProfile,
        FoundingCurve,
        Initiators,
        cooperatives_per_gemeente,
        energy_profile,
        founding_curve,
        initiators,
    )
    from doeagenda.initiatives.in_gemeente import (
        GemeenteInitiatives,
        RegisterNote,
        about_register,
        initiatives_in,
        set_aside,
    )
    from doeagenda.initiatives.lifetimes import (
        initiatives_only,
    )
    from doeagenda.initiatives.network import NetworkResult, network, partner_graph
    from doeagenda.initiatives.privacy import MIN_COUNT, public_view, suppress_counts
    from doeagenda.initiatives.register import (
        COLUMNS,
        DOMAINS,
        ENERGIE_2019,
        FUNDERS,
        KIND_LOCAL,
        KIND_PRODUCTION,
        KIND_SOLAR,
        KIND_WIND,
        PARTNER_TYPES,
        PERSONAL_COLUMNS,
        REGISTER_NAMES,
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

# Public name -> (module, attribute): loaded on first access, so importing this package
# (and ``doeagenda --help``) does not pay for pandas, scipy, statsmodels or altair.
_LAZY = {
    "EnergyProfile": ("doeagenda.initiatives.energie", "EnergyProfile"),
    "FoundingCurve": ("doeagenda.initiatives.energie", "FoundingCurve"),
    "Initiators": ("doeagenda.initiatives.energie", "Initiators"),
    "cooperatives_per_gemeente": ("doeagenda.initiatives.energie", "cooperatives_per_gemeente"),
    "energy_profile": ("doeagenda.initiatives.energie", "energy_profile"),
    "founding_curve": ("doeagenda.initiatives.energie", "founding_curve"),
    "initiators": ("doeagenda.initiatives.energie", "initiators"),
    "GemeenteInitiatives": ("doeagenda.initiatives.in_gemeente", "GemeenteInitiatives"),
    "RegisterNote": ("doeagenda.initiatives.in_gemeente", "RegisterNote"),
    "about_register": ("doeagenda.initiatives.in_gemeente", "about_register"),
    "initiatives_in": ("doeagenda.initiatives.in_gemeente", "initiatives_in"),
    "set_aside": ("doeagenda.initiatives.in_gemeente", "set_aside"),
    "duplicates": ("doeagenda.initiatives.combine", "duplicates"),
    "name_keys": ("doeagenda.initiatives.combine", "name_keys"),
    "initiatives_only": ("doeagenda.initiatives.lifetimes", "initiatives_only"),
    "ENERGIE_2019": ("doeagenda.initiatives.register", "ENERGIE_2019"),
    "REGISTER_NAMES": ("doeagenda.initiatives.register", "REGISTER_NAMES"),
    "KIND_LOCAL": ("doeagenda.initiatives.register", "KIND_LOCAL"),
    "KIND_PRODUCTION": ("doeagenda.initiatives.register", "KIND_PRODUCTION"),
    "KIND_SOLAR": ("doeagenda.initiatives.register", "KIND_SOLAR"),
    "KIND_WIND": ("doeagenda.initiatives.register", "KIND_WIND"),
    "NetworkResult": ("doeagenda.initiatives.network", "NetworkResult"),
    "network": ("doeagenda.initiatives.network", "network"),
    "partner_graph": ("doeagenda.initiatives.network", "partner_graph"),
    "MIN_COUNT": ("doeagenda.initiatives.privacy", "MIN_COUNT"),
    "public_view": ("doeagenda.initiatives.privacy", "public_view"),
    "suppress_counts": ("doeagenda.initiatives.privacy", "suppress_counts"),
    "COLUMNS": ("doeagenda.initiatives.register", "COLUMNS"),
    "DOMAINS": ("doeagenda.initiatives.register", "DOMAINS"),
    "FUNDERS": ("doeagenda.initiatives.register", "FUNDERS"),
    "PARTNER_TYPES": ("doeagenda.initiatives.register", "PARTNER_TYPES"),
    "PERSONAL_COLUMNS": ("doeagenda.initiatives.register", "PERSONAL_COLUMNS"),
    "REQUIRED_COLUMNS": ("doeagenda.initiatives.register", "REQUIRED_COLUMNS"),
    "STATUSES": ("doeagenda.initiatives.register", "STATUSES"),
    "TARGET_GROUPS": ("doeagenda.initiatives.register", "TARGET_GROUPS"),
    "VOORBEELD": ("doeagenda.initiatives.register", "VOORBEELD"),
    "Problem": ("doeagenda.initiatives.register", "Problem"),
    "RegisterCheck": ("doeagenda.initiatives.register", "RegisterCheck"),
    "as_register": ("doeagenda.initiatives.register", "as_register"),
    "check_register": ("doeagenda.initiatives.register", "check_register"),
    "load_register": ("doeagenda.initiatives.register", "load_register"),
    "register_path": ("doeagenda.initiatives.register", "register_path"),
    "Summary": ("doeagenda.initiatives.summary", "Summary"),
    "summary": ("doeagenda.initiatives.summary", "summary"),
    "COX_FORMULA": ("doeagenda.initiatives.survival", "COX_FORMULA"),
    "PROFILES": ("doeagenda.initiatives.survival", "PROFILES"),
    "CoxResult": ("doeagenda.initiatives.survival", "CoxResult"),
    "KaplanMeierResult": ("doeagenda.initiatives.survival", "KaplanMeierResult"),
    "RiskList": ("doeagenda.initiatives.survival", "RiskList"),
    "continuity_risk": ("doeagenda.initiatives.survival", "continuity_risk"),
    "cox_model": ("doeagenda.initiatives.survival", "cox_model"),
    "financing_profile": ("doeagenda.initiatives.survival", "financing_profile"),
    # the defining module: a submodule of the same name must not shadow the function
    "kaplan_meier": ("doeagenda.initiatives.kaplan_meier", "kaplan_meier"),
    "survival_data": ("doeagenda.initiatives.survival", "survival_data"),
    "DEFAULT_NEED": ("doeagenda.initiatives.visibility", "DEFAULT_NEED"),
    "VisibilityResult": ("doeagenda.initiatives.visibility", "VisibilityResult"),
    "WhiteSpotResult": ("doeagenda.initiatives.visibility", "WhiteSpotResult"),
    "counts_by": ("doeagenda.initiatives.visibility", "counts_by"),
    "counts_per_gemeente": ("doeagenda.initiatives.visibility", "counts_per_gemeente"),
    "counts_per_wijk": ("doeagenda.initiatives.visibility", "counts_per_wijk"),
    "need_measure": ("doeagenda.initiatives.visibility", "need_measure"),
    "province_map": ("doeagenda.initiatives.visibility", "province_map"),
    "running": ("doeagenda.initiatives.visibility", "running"),
    "visibility": ("doeagenda.initiatives.visibility", "visibility"),
    "white_spots": ("doeagenda.initiatives.visibility", "white_spots"),
}

__all__ = [
    "COLUMNS",
    "COX_FORMULA",
    "DEFAULT_NEED",
    "DOMAINS",
    "ENERGIE_2019",
    "FUNDERS",
    "KIND_LOCAL",
    "KIND_PRODUCTION",
    "KIND_SOLAR",
    "KIND_WIND",
    "MIN_COUNT",
    "PARTNER_TYPES",
    "PERSONAL_COLUMNS",
    "PROFILES",
    "REGISTER_NAMES",
    "REQUIRED_COLUMNS",
    "STATUSES",
    "TARGET_GROUPS",
    "VOORBEELD",
    "CoxResult",
    "EnergyProfile",
    "FoundingCurve",
    "GemeenteInitiatives",
    "Initiators",
    "KaplanMeierResult",
    "NetworkResult",
    "Problem",
    "RegisterCheck",
    "RegisterNote",
    "RiskList",
    "Summary",
    "VisibilityResult",
    "WhiteSpotResult",
    "about_register",
    "as_register",
    "check_register",
    "continuity_risk",
    "cooperatives_per_gemeente",
    "counts_by",
    "counts_per_gemeente",
    "counts_per_wijk",
    "cox_model",
    "duplicates",
    "energy_profile",
    "financing_profile",
    "founding_curve",
    "initiatives_in",
    "initiatives_only",
    "initiators",
    "kaplan_meier",
    "load_register",
    "name_keys",
    "need_measure",
    "network",
    "partner_graph",
    "province_map",
    "public_view",
    "register_path",
    "running",
    "set_aside",
    "summary",
    "suppress_counts",
    "survival_data",
    "visibility",
    "white_spots",
]

__getattr__, __dir__ = attach(__name__, _LAZY)
