"""Public names of :mod:`doeagenda.initiatives`, written once (SPEC 1).

``__init__.py`` reads this stub with ``lazy_loader.attach_stub``: each name loads its
module on first use, and type checkers read the same imports.
"""

from .combine import duplicates as duplicates, name_keys as name_keys
from .energie import (
    EnergyProfile as EnergyProfile,
    FoundingCurve as FoundingCurve,
    Initiators as Initiators,
    cooperatives_per_gemeente as cooperatives_per_gemeente,
    energy_profile as energy_profile,
    founding_curve as founding_curve,
    initiators as initiators,
)
from .in_gemeente import (
    GemeenteInitiatives as GemeenteInitiatives,
    RegisterNote as RegisterNote,
    about_register as about_register,
    initiatives_in as initiatives_in,
    set_aside as set_aside,
)
from .kaplan_meier import kaplan_meier as kaplan_meier
from .lifetimes import initiatives_only as initiatives_only
from .network import (
    NetworkResult as NetworkResult,
    network as network,
    partner_graph as partner_graph,
)
from .privacy import (
    MIN_COUNT as MIN_COUNT,
    public_view as public_view,
    suppress_counts as suppress_counts,
)
from .register import (
    COLUMNS as COLUMNS,
    DOMAINS as DOMAINS,
    ENERGIE_2019 as ENERGIE_2019,
    FUNDERS as FUNDERS,
    KIND_LOCAL as KIND_LOCAL,
    KIND_PRODUCTION as KIND_PRODUCTION,
    KIND_SOLAR as KIND_SOLAR,
    KIND_WIND as KIND_WIND,
    PARTNER_TYPES as PARTNER_TYPES,
    PERSONAL_COLUMNS as PERSONAL_COLUMNS,
    REGISTER_NAMES as REGISTER_NAMES,
    REQUIRED_COLUMNS as REQUIRED_COLUMNS,
    STATUSES as STATUSES,
    TARGET_GROUPS as TARGET_GROUPS,
    VOORBEELD as VOORBEELD,
    Problem as Problem,
    RegisterCheck as RegisterCheck,
    as_register as as_register,
    check_register as check_register,
    load_register as load_register,
    register_path as register_path,
)
from .summary import Summary as Summary, summary as summary
from .survival import (
    COX_FORMULA as COX_FORMULA,
    PROFILES as PROFILES,
    CoxResult as CoxResult,
    KaplanMeierResult as KaplanMeierResult,
    RiskList as RiskList,
    continuity_risk as continuity_risk,
    cox_model as cox_model,
    financing_profile as financing_profile,
    survival_data as survival_data,
)
from .visibility import (
    DEFAULT_NEED as DEFAULT_NEED,
    VisibilityResult as VisibilityResult,
    WhiteSpotResult as WhiteSpotResult,
    counts_by as counts_by,
    counts_per_gemeente as counts_per_gemeente,
    counts_per_wijk as counts_per_wijk,
    need_measure as need_measure,
    province_map as province_map,
    running as running,
    visibility as visibility,
    white_spots as white_spots,
)
