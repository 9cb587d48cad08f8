"""Exception hierarchy of doeagenda.

Every error a user can cause by giving bad input derives from :class:`DoeagendaError`.
The CLI turns these into one line on stderr and exit code 2; anything else is a bug
and keeps its traceback.

Messages are built first and then raised (``msg = f"..."; raise X(msg)``) and always
name the file, the row/column and value where relevant, and the fix.
"""

from __future__ import annotations


class DoeagendaError(Exception):
    """Base class of all errors caused by input the user can correct."""


class DataError(DoeagendaError):
    """A data file (CSV, XLSX, JSON) is missing, unreadable or fails validation."""


class AreaCodeError(DataError):
    """An area code (GMxxxx, WKxxxxxx, BUxxxxxxxx) or provincie is unknown."""


class ParameterError(DoeagendaError):
    """A parameter or configuration value (YAML, CLI option, function argument) is invalid."""


class FrameworkError(ParameterError):
    """An index framework is invalid (unknown keys, cycles, missing parents, bad weights)."""


class PlanError(ParameterError):
    """A batch plan is invalid (unknown units, notebooks or parameters)."""


class EstimationError(DoeagendaError):
    """The data cannot support the requested estimate (no donors, no pre-period, ...)."""


class OutputError(DoeagendaError):
    """An output location cannot be written or an earlier run cannot be found."""
