"""Reading a register file (CSV or XLSX) into a table of text cells, without validation.

Personal columns (:data:`~doeagenda.initiatives.columns.PERSONAL_COLUMNS`) are dropped
here, so they never reach a DataFrame. Every failure to read is one
:class:`~doeagenda.errors.DataError` naming the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from pathlib import Path

import pandas as pd

from doeagenda.data.io import number_text
from doeagenda.errors import DataError
from doeagenda.initiatives.columns import PERSONAL_COLUMNS, REQUIRED_COLUMNS, register_path

__all__ = ["read_table"]

logger = logging.getLogger(__name__)


def _cell_to_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    return str(value).strip()


def _xlsx_cell(value: object) -> str:
    # native numbers of a workbook are written with a decimal comma, the convention the
    # reader applies to workbooks, so 1.234 (a number) is not read as 1234
    if isinstance(value, float) and not value.is_integer() and value == value:
        return repr(value).replace(".", ",")
    return _cell_to_text(value)


def _find_header(rows: list[list[str]]) -> int | None:
    for i, row in enumerate(rows[:15]):
        names = {_norm_col(c) for c in row}
        if {"id", "naam"} <= names or len(names & set(REQUIRED_COLUMNS)) >= 3:
            return i
    return None


def _norm_col(name: object) -> str:
    return _cell_to_text(name).strip().lower().replace(" ", "_")


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[list[str]], int, str]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds
        msg = f"{path.name}: het Excel-bestand kan niet worden gelezen ({error}); sla het op als .xlsx"
        raise DataError(msg) from error
    try:
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            msg = (
                f"{path.name}: tabblad {sheet!r} bestaat niet; tabbladen in dit bestand: "
                f"{', '.join(names)}"
            )
            raise DataError(msg)
        candidates = []
        for name in [sheet] if sheet is not None else names:
            rows = [[_xlsx_cell(c) for c in r] for r in book[name].iter_rows(values_only=True)]
            header = _find_header(rows)
            if header is not None:
                candidates.append((name, rows, header))
    finally:
        book.close()
    if not candidates:
        where = f"tabblad {sheet!r}" if sheet is not None else "geen enkel tabblad"
        msg = (
            f"{path.name}: {where} heeft een kopregel met de registerkolommen "
            f"({', '.join(REQUIRED_COLUMNS)}); tabbladen in dit bestand: {', '.join(names)}. "
            "Zet de gegevens op een tabblad met die kolomnamen in de eerste regel."
        )
        raise DataError(msg)
    if len(candidates) > 1:
        found = ", ".join(c[0] for c in candidates)
        msg = (
            f"{path.name}: meerdere tabbladen lijken een register ({found}); kies er één met "
            "sheet=... (of --sheet op de opdrachtregel)"
        )
        raise DataError(msg)
    name, rows, header = candidates[0]
    if name != names[0]:
        logger.info("%s: register gelezen van tabblad %r (tabbladen: %s)", path.name, name, names)
    return rows[header:], header, name


def _decode(path: Path, raw: bytes) -> str:
    """Decode a CSV's bytes as UTF-8 (with or without BOM) or Windows-1252 (old Excel)."""
    # a NUL byte never occurs in a text register: it is a binary file (a workbook, a PDF)
    if b"\x00" in raw[:4096]:
        msg = (
            f"{path.name}: dit is geen tekstbestand maar een binair bestand; "
            "sla het register op als CSV (UTF-8) of als .xlsx"
        )
        raise DataError(msg)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    msg = (
        f"{path.name}: de tekens van dit bestand zijn niet te lezen (geen UTF-8 of Windows-1252); "
        "sla het register op als CSV (UTF-8) of als .xlsx"
    )
    raise DataError(msg)


def _read_csv(path: Path) -> tuple[list[list[str]], int, str]:
    text = _decode(path, path.read_bytes())
    # the delimiter is the one under which a register header appears (title lines above
    # the header may contain none)
    lines = [line for line in text.splitlines() if line.strip()][:15]
    counts = {sep: sum(line.count(sep) for line in lines) for sep in (",", ";", "\t")}
    header, rows, delimiter = None, [], ","
    for sep in sorted(counts, key=lambda sep: counts[sep], reverse=True):
        try:
            rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text), delimiter=sep)]
        except csv.Error as error:  # e.g. a field larger than the csv module's limit
            msg = f"{path.name}: het bestand is geen leesbare CSV ({error}); sla het register op als CSV of .xlsx"
            raise DataError(msg) from error
        header = _find_header(rows)
        if header is not None:
            delimiter = sep
            break
    if header is None:
        msg = (
            f"{path.name}: geen kopregel met de registerkolommen gevonden "
            f"({', '.join(REQUIRED_COLUMNS)}, ...). Zet de kolomnamen in de eerste regel "
            "(zie docs/register.md)."
        )
        raise DataError(msg)
    return rows[header:], header, delimiter


def read_table(path: str | Path, sheet: str | None = None) -> tuple[pd.DataFrame, dict]:
    """Read a register file into a table of text cells (no validation yet).

    Parameters
    ----------
    path : str or Path
        CSV or XLSX file, or ``"voorbeeld"``.
    sheet : str, optional
        Sheet of a workbook; by default the one sheet whose header holds the register
        columns (an error names the sheets when none or several do).

    Returns
    -------
    table : DataFrame
        All cells as ``str``; personal columns removed; column ``_rij`` holds the row
        number as the user sees it.
    meta : dict
        ``source``, ``sheet``, ``decimal`` (``","`` or ``"."``), ``bad_rows`` (list of
        (row, n_fields)) and ``dropped`` (personal columns that were removed).
    """
    path = register_path(path)
    if not path.exists():
        msg = f"{path}: bestand bestaat niet; geef het pad van een CSV- of XLSX-register"
        raise DataError(msg)
    suffix = path.suffix.lower()
    meta: dict = {"source": path.name, "sheet": None, "bad_rows": [], "dropped": []}
    if suffix in (".xlsx", ".xlsm"):
        rows, header, sheet_name = _read_xlsx(path, sheet)
        meta["sheet"] = sheet_name
        meta["decimal"] = ","
    elif suffix in (".csv", ".txt", ".tsv"):
        if path.stat().st_size == 0:
            rows, header = [], 0
            meta["decimal"] = "."
        else:
            rows, header, delimiter = _read_csv(path)
            meta["decimal"] = "," if delimiter == ";" else "."
    else:
        msg = f"{path.name}: onbekend bestandstype {suffix!r}; gebruik .csv of .xlsx"
        raise DataError(msg)
    if not rows:
        return pd.DataFrame({"_rij": pd.Series([], dtype="int64")}), meta
    names = [_norm_col(c) for c in rows[0]]
    keep = [i for i, n in enumerate(names) if n and n not in PERSONAL_COLUMNS]
    meta["dropped"] = [n for n in names if n in PERSONAL_COLUMNS]
    records = []
    line_numbers = []
    for offset, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        user_row = header + offset
        if len(row) != len(names) and any(c.strip() for c in row[len(names) :]):
            meta["bad_rows"].append((user_row, len(row)))
        padded = [*row, *[""] * (len(names) - len(row))]
        records.append([padded[i] for i in keep])
        line_numbers.append(user_row)
    cols = [names[i] for i in keep]
    table = pd.DataFrame(records, columns=cols, dtype=str)
    # duplicate column names: keep the first
    table = table.loc[:, ~table.columns.duplicated()]
    table.insert(0, "_rij", pd.Series(line_numbers, dtype="int64"))
    return table, meta
