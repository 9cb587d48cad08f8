"""doeagenda: research and learning workbench for bewonersinitiatieven in provincie Utrecht."""

from __future__ import annotations

from doeagenda import charts as _charts
from doeagenda.errors import DoeagendaError

__version__ = "0.1.0"
__all__ = ["DoeagendaError", "__version__"]

_charts.enable_theme()
_charts.use_renderer()
