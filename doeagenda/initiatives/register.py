"""The register of bewonersinitiatieven: format, reading, validation and loading.

A register is a CSV (``,`` or ``;`` separated, decimal point or decimal comma) or an
XLSX workbook with one row per initiative and the Dutch columns of :data:`COLUMNS`
(documented for municipalities in ``docs/register.md``).

Two layers, as everywhere in doeagenda:

* :func:`check_register` is the strict one. It reads the file, checks every cell and
  returns a :class:`RegisterCheck` listing **all** problems at once (row, column,
  value, what was expected and, for controlled vocabularies, a "bedoelt u ...?"
  suggestion from :mod:`difflib`).
* :func:`load_register` is the friendly one: it returns the clean register as a
  DataFrame, or raises :class:`~doeagenda.errors.DataError` with the full problem list.

The work is split by concern: the format in :mod:`~doeagenda.initiatives.columns`,
reading in :mod:`~doeagenda.initiatives.reading`, the per-column checks and the pandera
schema of the clean register in :mod:`~doeagenda.initiatives.checks`, and the result in
:mod:`~doeagenda.initiatives.problems`. This module joins them and keeps every name
importable from here.

Privacy: personal data (``contactpersoon`` and any column that looks like contact
details, see :data:`PERSONAL_COLUMNS`) are dropped while reading and never reach a
DataFrame, chart or report. Values of those columns are not even shown in problems.
"""

from __future__ import annotations

import copy
import logging
from collections import OrderedDict
from pathlib import Path

import pandas as pd

from doeagenda.errors import DataError
from doeagenda.initiatives import columns
from doeagenda.initiatives.checks import _REGISTER_COLUMNS, REGISTER_SCHEMA, check_frame
from doeagenda.initiatives.columns import *  # noqa: F403 (re-exports the format's names)
from doeagenda.initiatives.columns import (
    PEILDATUM,
    PERSONAL_COLUMNS,
    VOORBEELD,
    register_path,
)
from doeagenda.initiatives.problems import Problem, RegisterCheck
from doeagenda.initiatives.reading import read_table

# the format's names (columns.py) stay importable from here, as before the split
__all__ = [
    *columns.__all__,
    "REGISTER_SCHEMA",
    "Problem",
    "RegisterCheck",
    "as_register",
    "check_frame",
    "check_register",
    "load_register",
    "read_table",
]

logger = logging.getLogger(__name__)


def check_register(
    path: str | Path,
    sheet: str | None = None,
    areas: pd.DataFrame | None = None,
) -> RegisterCheck:
    """Check a register file and report **all** problems at once.

    Parameters
    ----------
    path : str or Path
        CSV or XLSX register, or ``"voorbeeld"`` for the shipped invented register.
    sheet : str, optional
        Sheet of a workbook (default: the one sheet holding the register columns).
    areas : DataFrame, optional
        Known area codes; default the CBS 2024 indeling from :mod:`doeagenda.data`.

    Returns
    -------
    RegisterCheck
        ``.ok``, ``.problems`` (row, column, value, expected, suggestion), ``.text()``,
        ``.to_frame()``.

    Raises
    ------
    DataError
        Only when the file cannot be read at all (missing, wrong type, no sheet with a
        register header: the message names the sheets).
    """
    key = _file_key(path, sheet) if areas is None else None
    if key is not None and key in _CHECKED:
        _CHECKED.move_to_end(key)
        return copy.deepcopy(_CHECKED[key])
    table, meta = read_table(path, sheet=sheet)
    result = check_frame(table, meta, areas=areas)
    if meta.get("dropped"):
        logger.info(
            "%s: persoonsgegevens niet ingelezen (kolommen: %s)",
            meta["source"],
            ", ".join(meta["dropped"]),
        )
    result.register.attrs["source"] = meta["source"]
    if register_path(path) == register_path(VOORBEELD):
        result.register.attrs["peildatum"] = PEILDATUM
    if key is not None:
        _CHECKED[key] = copy.deepcopy(result)
        while len(_CHECKED) > _CHECKED_MAX:
            _CHECKED.popitem(last=False)
    return result


# Checks of unchanged files, reused: a report reads the register in two cells, and a batch
# kernel reads the same register for every gemeente (a check is ~0.1 s of pandera and
# per-cell parsing). The key holds the file's identity and modification time, so an
# edited file is checked again; callers get copies, so nobody can change the cached one.
_CHECKED: OrderedDict[tuple[object, ...], RegisterCheck] = OrderedDict()
_CHECKED_MAX = 8


def _file_key(path: str | Path, sheet: str | None) -> tuple[object, ...] | None:
    try:
        resolved = register_path(path).resolve()
        stat = resolved.stat()
    except (OSError, TypeError, ValueError):
        return None  # not a readable file: read_table gives the error
    return (str(resolved), stat.st_ino, stat.st_size, stat.st_mtime_ns, sheet)


def load_register(
    path: str | Path,
    sheet: str | None = None,
    areas: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Load and validate a register; the friendly entry point.

    Parameters
    ----------
    path : str or Path
        CSV or XLSX register, or ``"voorbeeld"``.
    sheet : str, optional
        Sheet of a workbook.
    areas : DataFrame, optional
        Known area codes (default: shipped CBS 2024 indeling).

    Returns
    -------
    DataFrame
        One row per initiative: the register columns (dates as datetimes, numbers as
        floats, ``financiers``/``partners``/``partner_typen`` as tuples) without any
        personal data, plus ``_rij`` (row in the file). An empty file gives an error.

    Raises
    ------
    DataError
        With every problem of the register, one per line.
    """
    result = check_register(path, sheet=sheet, areas=areas)
    if not result.ok:
        msg = result.text()
        raise DataError(msg)
    return result.register


def as_register(register: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Return a loaded register for a path, ``"voorbeeld"`` or a DataFrame.

    Parameters
    ----------
    register : str, Path or DataFrame
        What the user passed: a file, ``"voorbeeld"``, a register from
        :func:`load_register`, or a plain table with the register columns (for example
        from ``pd.read_csv``), which is then validated like a file (rows numbered as in
        a spreadsheet whose header is row 1).

    Returns
    -------
    DataFrame

    Raises
    ------
    DataError
        When a plain table does not pass validation (all problems listed).
    """
    if not isinstance(register, pd.DataFrame):
        return load_register(register)
    personal = [c for c in register.columns if str(c).lower() in PERSONAL_COLUMNS]
    frame = register.drop(columns=personal)
    loaded = set(_REGISTER_COLUMNS) - {"_rij"} <= set(frame.columns) and (
        pd.api.types.is_datetime64_any_dtype(frame["startdatum"])
    )
    if loaded:
        return frame
    table = frame.astype(object).where(frame.notna(), "").astype(str)
    result = check_frame(table, {"source": "tabel"})
    if not result.ok:
        msg = result.text()
        raise DataError(msg)
    return result.register
