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
import dataclasses
import difflib
import logging
from collections import OrderedDict
from pathlib import Path
from typing import TypeAlias

import pandas as pd

from doeagenda.errors import DataError, ParameterError
from doeagenda.initiatives import columns
from doeagenda.initiatives.checks import _REGISTER_COLUMNS, REGISTER_SCHEMA, check_frame
from doeagenda.initiatives.columns import *  # noqa: F403 (re-exports the format's names)
from doeagenda.initiatives.columns import (
    ENERGIE_2019,
    PEILDATUM,
    PERSONAL_COLUMNS,
    REGISTER_NAMES,
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


RegisterArgument: TypeAlias = str | Path | pd.DataFrame | list | tuple

_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")


def _register_name(path: object) -> str | None:
    """Return the known register name ``path`` stands for, None for a file path.

    Raises
    ------
    ParameterError
        For a string that is neither a known name nor a file (no file suffix, no folder):
        an unknown register name, with the closest known name.
    """
    if not isinstance(path, str):
        return None
    text = path.strip()
    if text.lower() in REGISTER_NAMES:
        return text.lower()
    candidate = Path(text)
    if candidate.exists() or candidate.suffix.lower() in _SUFFIXES or len(candidate.parts) > 1:
        return None
    close = difflib.get_close_matches(text.lower(), REGISTER_NAMES, n=1, cutoff=0.5)
    hint = f"; bedoelt u {close[0]!r}?" if close else ""
    msg = (
        f"onbekend register {path!r}: geen bekende naam ({', '.join(REGISTER_NAMES)}) en geen "
        f"bestand; geef een van die namen of het pad van een CSV- of XLSX-register{hint}"
    )
    raise ParameterError(msg)


def _energy_check(areas: pd.DataFrame | None) -> RegisterCheck:
    from doeagenda.initiatives.energie_register import PEILDATUM_2019, energy_table, set_aside

    result = check_frame(energy_table(), {"source": ENERGIE_2019, "decimal": "."}, areas=areas)
    result.register.attrs["peildatum"] = PEILDATUM_2019
    apart = set_aside()
    reasons = apart["reden"].str.replace(r" \(.*\)$", "", regex=True).value_counts()
    listed = ", ".join(f"{reason} {count}" for reason, count in reasons.items())
    result.notes.append(
        f"- apart geteld, niet in het register (geen eigen jaar of niet één gemeente): "
        f'{len(apart)} regels ({listed}); zie set_aside("{ENERGIE_2019}")'
    )
    return result


def check_register(
    path: RegisterArgument,
    sheet: str | None = None,
    areas: pd.DataFrame | None = None,
) -> RegisterCheck:
    """Check a register and report **all** problems at once.

    Parameters
    ----------
    path : str, Path or list
        CSV or XLSX register, ``"voorbeeld"`` (the shipped invented register),
        ``"energie_2019"`` (the Lokale Energie Monitor 2019), or a list of these (and of
        loaded registers) to be combined as by :func:`load_register`.
    sheet : str, optional
        Sheet of a workbook (default: the one sheet holding the register columns).
    areas : DataFrame, optional
        Known area codes; default the CBS 2024 indeling from :mod:`doeagenda.data`.

    Returns
    -------
    RegisterCheck
        ``.ok``, ``.problems`` (row, column, value, expected, suggestion), ``.text()``,
        ``.to_frame()``. For a list: the problems of every register (each naming its
        register) and, when all are valid, the combined register.

    Raises
    ------
    DataError
        Only when a file cannot be read at all (missing, wrong type, no sheet with a
        register header: the message names the sheets).
    ParameterError
        For an unknown register name (with the closest known name) or a list that cannot
        be combined.
    """
    if isinstance(path, list | tuple):
        return _check_many(list(path), sheet, areas)
    name = _register_name(path)
    key: tuple[object, ...] | None
    if name == ENERGIE_2019:
        key = (ENERGIE_2019,) if areas is None else None
    else:
        key = _file_key(path, sheet) if areas is None else None
    if key is not None and key in _CHECKED:
        _CHECKED.move_to_end(key)
        return copy.deepcopy(_CHECKED[key])
    if name == ENERGIE_2019:
        result = _energy_check(areas)
    else:
        table, meta = read_table(path, sheet=sheet)
        result = check_frame(table, meta, areas=areas)
        if meta.get("dropped"):
            logger.info(
                "%s: persoonsgegevens niet ingelezen (kolommen: %s)",
                meta["source"],
                ", ".join(meta["dropped"]),
            )
        if name == VOORBEELD:
            result.register.attrs["peildatum"] = PEILDATUM
    label = name or result.source
    reg = result.register
    if "bron" in reg.columns:
        reg["bron"] = reg["bron"].where(reg["bron"].notna(), label)
    reg.attrs["source"] = label
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


def _source_key(item: object, index: int) -> tuple[str, str]:
    """(key that identifies the register, label users know it by) for one list item."""
    name = _register_name(item)
    if name is not None:
        return name, name
    if isinstance(item, str | Path):
        path = register_path(item)
        try:
            return str(path.resolve()), path.name
        except OSError:  # pragma: no cover - resolve() does not touch the disk
            return str(path), path.name
    msg = (
        f"registerlijst, plaats {index}: een {type(item).__name__} wordt niet ondersteund; "
        f"geef een registernaam ({', '.join(REGISTER_NAMES)}), het pad van een CSV- of "
        "XLSX-bestand, of een geladen register (DataFrame)"
    )
    raise ParameterError(msg)


def _list_parts(
    items: list, sheet: str | None, areas: pd.DataFrame | None
) -> tuple[list[tuple[str, object]], list[RegisterCheck]]:
    """Check each item of a register list; return (label, register or None) and the checks."""
    if not items:
        msg = "lege registerlijst; geef minstens één register, bijvoorbeeld ['energie_2019']"
        raise ParameterError(msg)
    if sheet is not None and len(items) > 1:
        msg = (
            f"sheet={sheet!r} kan niet bij een lijst van {len(items)} registers; lees het "
            "Excel-bestand apart met load_register(pad, sheet=...) en zet die tabel in de lijst"
        )
        raise ParameterError(msg)
    seen: dict[str, int] = {}
    sources: dict[str, int] = {}
    parts: list[tuple[str, object]] = []
    checks: list[RegisterCheck] = []
    for position, item in enumerate(items, start=1):
        if isinstance(item, pd.DataFrame):
            frame = as_register(item)
            label = str(frame.attrs.get("source") or f"tabel {position}")
            bronnen = set(frame["bron"].dropna()) if "bron" in frame.columns else set()
            bronnen = bronnen or {label}
            for bron in sorted(bronnen):
                if bron in sources:
                    msg = (
                        f"registerlijst, plaats {position}: de tabel bevat al regels uit {bron!r} "
                        f"(kolom bron), net als plaats {sources[bron]}; zo telt een register "
                        "twee keer mee. Geef het register één keer: als naam of pad, of als tabel"
                    )
                    raise ParameterError(msg)
                sources[bron] = position
            parts.append((label, frame))
            continue
        key, label = _source_key(item, position)
        if key in seen:
            msg = (
                f"registerlijst, plaats {position}: {label} staat al op plaats {seen[key]}; "
                "geef elk register één keer"
            )
            raise ParameterError(msg)
        seen[key] = position
        result = check_register(item, sheet=sheet, areas=areas)
        problems = [dataclasses.replace(p, source=label) for p in result.problems]
        checks.append(dataclasses.replace(result, problems=problems))
        register = result.register if result.ok else None
        if register is not None:
            for bron in sorted(set(register["bron"].dropna())):
                if bron in sources:
                    msg = (
                        f"registerlijst, plaats {position}: {label} bevat regels uit {bron!r}, "
                        f"net als plaats {sources[bron]} (kolom bron); geef elk register één keer"
                    )
                    raise ParameterError(msg)
                sources[bron] = position
        parts.append((label, register))
    return parts, checks


def _check_many(items: list, sheet: str | None, areas: pd.DataFrame | None) -> RegisterCheck:
    from doeagenda.initiatives.combine import combine

    parts, checks = _list_parts(items, sheet, areas)
    labels = " + ".join(label for label, _ in parts)
    problems = [p for check in checks for p in check.problems]
    if problems:
        return RegisterCheck(labels, problems, pd.DataFrame())
    frames = [(label, frame) for label, frame in parts if isinstance(frame, pd.DataFrame)]
    try:
        register = combine(frames)
    except DataError as error:
        problem = Problem(None, "id", "", str(error), "unieke ids over alle registers")
        return RegisterCheck(labels, [problem], pd.DataFrame())
    notes = [f"- {label}: {len(frame)} initiatieven" for label, frame in frames]
    notes += [n for check in checks for n in check.notes]
    pairs = register.attrs.get("duplicates", ())
    if pairs:
        notes.append(
            f"- {len(pairs)} initiatieven staan in meer dan één register en tellen één keer; "
            "controleer de koppeling met duplicates(register)"
        )
    return RegisterCheck(labels, [], register, None, notes)


def load_register(
    path: RegisterArgument,
    sheet: str | None = None,
    areas: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Load and validate a register; the friendly entry point.

    Parameters
    ----------
    path : str, Path or list
        CSV or XLSX register, ``"voorbeeld"``, ``"energie_2019"``, or a list of these
        and of loaded registers (DataFrames), combined into one: rows keep their
        ``bron``, ids stay unique, an initiative in two registers counts once (see
        :mod:`~doeagenda.initiatives.combine`).
    sheet : str, optional
        Sheet of a workbook (one file only).
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
        With every problem of the register, one per line; or an id clash between
        registers that cannot be resolved.
    ParameterError
        An unknown register name (with the closest known one), or a list that mixes
        registers in a way that would count one twice.

    Examples
    --------
    >>> reg = load_register("energie_2019")  # doctest: +SKIP
    >>> int((reg["thema"] == "energiecoöperatie").sum())  # doctest: +SKIP
    449
    """
    if isinstance(path, list | tuple):
        from doeagenda.initiatives.combine import combine

        parts, checks = _list_parts(list(path), sheet, areas)
        failed = [check for check in checks if not check.ok]
        if failed:
            msg = "\n".join(check.text() for check in failed)
            raise DataError(msg)
        return combine(
            [(label, frame) for label, frame in parts if isinstance(frame, pd.DataFrame)]
        )
    result = check_register(path, sheet=sheet, areas=areas)
    if not result.ok:
        msg = result.text()
        raise DataError(msg)
    return result.register


def as_register(register: RegisterArgument) -> pd.DataFrame:
    """Return a loaded register for a path, a register name, a list or a DataFrame.

    Parameters
    ----------
    register : str, Path, list or DataFrame
        What the user passed: a file, ``"voorbeeld"``, ``"energie_2019"``, a list of
        registers (see :func:`load_register`), a register from :func:`load_register`,
        or a plain table with the register columns (for example from ``pd.read_csv``),
        which is then validated like a file (rows numbered as in a spreadsheet whose
        header is row 1).

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
    reg = result.register
    reg["bron"] = reg["bron"].where(
        reg["bron"].notna(), str(register.attrs.get("source") or "tabel")
    )
    reg.attrs.update({k: v for k, v in register.attrs.items() if k in ("source", "peildatum")})
    return reg
