"""Public names of doeagenda.evaluation, one per line (SPEC 1; docs/architecture.md)."""

from ._common import EvaluationWarning as EvaluationWarning
from ._common import PoorFitWarning as PoorFitWarning
from ._common import PowerWarning as PowerWarning
from ._common import PreTrendWarning as PreTrendWarning
from ._common import SingleTreatedUnitWarning as SingleTreatedUnitWarning
from ._common import UnbalancedPanelWarning as UnbalancedPanelWarning
from .did import DiDResult as DiDResult
from .did import EventStudyResult as EventStudyResult
from .did import did as did
from .did import event_study as event_study
from .its import ITSResult as ITSResult
from .its import interrupted_time_series as interrupted_time_series
from .power import PanelPowerResult as PanelPowerResult
from .power import PowerResult as PowerResult
from .power import power_on_panel as power_on_panel
from .power import power_simulation as power_simulation
from .power import rivm_power as rivm_power
from .power import rivm_wijk_panel as rivm_wijk_panel
from .staggered import AggregateResult as AggregateResult
from .staggered import StaggeredResult as StaggeredResult
from .staggered import staggered_did as staggered_did
from .synth import PlaceboResult as PlaceboResult
from .synth import SynthResult as SynthResult
from .synth import synthetic_control as synthetic_control
from .voorbeeld import voorbeeld_panel as voorbeeld_panel
