"""doeagenda: research and learning workbench for bewonersinitiatieven in provincie Utrecht.

Importing the package is cheap (no pandas, altair, scipy): subpackages load their heavy
libraries where they are used. The altair theme is enabled as soon as altair is imported
(see :func:`doeagenda.charts.install_theme_hook`).
"""

from __future__ import annotations

from doeagenda import charts as _charts
from doeagenda.errors import DoeagendaError

__version__ = "0.1.0"
__all__ = ["DoeagendaError", "__version__"]

_charts.install_theme_hook()
