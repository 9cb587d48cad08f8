"""Public names of :mod:`doeagenda.evaluation`, written once (SPEC 1).

``__init__.py`` reads this stub with ``lazy_loader.attach_stub``: each name loads its
module on first use, and type checkers read the same imports.
"""

from ._common import (
    EvaluationWarning as EvaluationWarning,
    PoorFitWarning as PoorFitWarning,
    PowerWarning as PowerWarning,
    PreTrendWarning as PreTrendWarning,
    SingleTreatedUnitWarning as SingleTreatedUnitWarning,
    UnbalancedPanelWarning as UnbalancedPanelWarning,
)
from .did import (
    DiDResult as DiDResult,
    EventStudyResult as EventStudyResult,
    did as did,
    event_study as event_study,
)
from .its import ITSResult as ITSResult, interrupted_time_series as interrupted_time_series
from .power import (
    PanelPowerResult as PanelPowerResult,
    PowerResult as PowerResult,
    power_on_panel as power_on_panel,
    power_simulation as power_simulation,
    rivm_power as rivm_power,
    rivm_wijk_panel as rivm_wijk_panel,
)
from .staggered import (
    AggregateResult as AggregateResult,
    StaggeredResult as StaggeredResult,
    staggered_did as staggered_did,
)
from .synth import (
    PlaceboResult as PlaceboResult,
    SynthResult as SynthResult,
    synthetic_control as synthetic_control,
)
from .voorbeeld import voorbeeld_panel as voorbeeld_panel
