"""Read a user's own indicator file (e.g. a GGD Gezondheidsmonitor export).

Accepted layouts (CSV with ``,``, ``;`` or tab, decimal point or comma; or XLSX, first
sheet):

* **long**: columns ``code, indicator, year, value`` and optionally ``unit, source, note``;
* **wide**: a ``code`` column, optionally ``year`` (or ``jaar``), and one numeric column per
  indicator. Column names become snake_case indicator ids (``Ernstig eenzaam (%)`` →
  ``ernstig_eenzaam``).

The result has the long format of :func:`doeagenda.data.indicators` and can be
concatenated with it. Validation happens here, at the boundary, with pandera; every
problem names the file, the row (as a spreadsheet row number, header = row 1), the column,
the value and what was expected.
"""

from __future__ import annotations

import csv
import difflib
import io
import logging
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.errors
import pandera.pandas as pa  # noqa: F401  (registers the pandas backend)

from doeagenda.data.build import LONG_COLUMNS, NL_CODE
from doeagenda.data.core import _tidy, unknown_code_reason
from doeagenda.data.schemas import ANY_CODE, user_long_schema
from doeagenda.errors import AreaCodeError, DataError

logger = logging.getLogger(__name__)

LONG_REQUIRED = ("code", "indicator", "year", "value")
_ALIASES = {"jaar": "year", "gebiedscode": "code", "regiocode": "code", "waarde": "value"}
_MAX_LISTED = 5


def slugify(name: str) -> str:
    """Turn a column header into a snake_case indicator id."""
    text = re.sub(r"\(.*?\)", "", str(name)).strip().lower()
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    if not text or not text[0].isalpha():
        text = f"i_{text}"
    return text


def read_workbook(path: Path, **kwargs: Any) -> pd.DataFrame:
    """Read the first sheet of an .xlsx workbook; a damaged file is one clear DataError.

    Parameters
    ----------
    path : Path
        The workbook.
    **kwargs
        Passed to :func:`pandas.read_excel` (e.g. ``dtype=str``).

    Raises
    ------
    DataError
        When the file is not a readable workbook (names the file and the fix).
    """
    try:
        return pd.read_excel(path, sheet_name=0, engine="openpyxl", **kwargs)
    except Exception as error:
        # A damaged .xlsx fails deep inside zipfile, zlib, the XML parser or openpyxl, each
        # with its own exception type (zlib.error, BadZipFile, KeyError, ParseError, ...);
        # for the user all of them mean the same: this file is not a readable workbook.
        reason = " ".join(str(error).split()) or type(error).__name__
        msg = (
            f"{path}: niet te lezen als Excel-werkmap .xlsx ({reason}); "
            "sla het opnieuw op als .xlsx of exporteer naar CSV"
        )
        raise DataError(msg) from None


def _read_table(path: Path) -> pd.DataFrame:
    if not path.exists():
        msg = f"{path}: bestand niet gevonden"
        raise DataError(msg)
    if path.stat().st_size == 0:
        msg = f"{path}: het bestand is leeg; verwacht een kopregel en rijen met gegevens"
        raise DataError(msg)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        frame = read_workbook(path, dtype=str)
    elif path.suffix.lower() in (".csv", ".txt", ".tsv"):
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
            separator = dialect.delimiter
        except csv.Error:
            separator = ","
        try:
            frame = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as error:
            # binary data or broken quoting: pandas' own message says which line
            reason = " ".join(str(error).split())
            msg = (
                f"{path}: niet te lezen als CSV-tabel ({reason}); controleer dat het een "
                "tekstbestand is met één rij per regel, sla het opnieuw op als CSV (UTF-8) of "
                "gebruik .xlsx"
            )
            raise DataError(msg) from None
        if frame.shape[1] == 1:
            header = frame.columns[0]
            msg = (
                f"{path}: maar één kolom gevonden ({header!r}); scheid de kolommen met "
                "',' ';' of een tab, met een kopregel als 'code,indicator,year,value'"
            )
            raise DataError(msg)
    else:
        msg = f"{path}: bestandstype {path.suffix!r} wordt niet ondersteund; gebruik .csv of .xlsx"
        raise DataError(msg)
    if frame.empty:
        msg = f"{path}: het bestand heeft een kopregel maar geen rijen met gegevens"
        raise DataError(msg)
    frame.columns = [str(c).strip() for c in frame.columns]
    binary = [c for c in frame.columns if "\x00" in c]
    if binary:
        msg = (
            f"{path}: kolomkop {binary[0]!r} bevat NUL-tekens; het bestand is waarschijnlijk "
            "binair of UTF-16; sla het opnieuw op als CSV (UTF-8) of .xlsx"
        )
        raise DataError(msg)
    return frame.apply(lambda column: column.str.strip() if column.dtype != float else column)


def _rename_aliases(frame: pd.DataFrame) -> pd.DataFrame:
    lower = {c: c.lower() for c in frame.columns}
    renamed = {c: _ALIASES.get(lower[c], lower[c]) for c in frame.columns}
    return frame.rename(columns=renamed)


def _to_long(frame: pd.DataFrame, path: Path, year: int | None, source: str) -> pd.DataFrame:
    columns = set(frame.columns)
    if "code" not in columns:
        close = difflib.get_close_matches("code", list(frame.columns), n=1, cutoff=0.5)
        hint = f" Kolom {close[0]!r} lijkt een verschrijving van 'code'." if close else ""
        msg = (
            f"{path}: geen kolom 'code' met CBS-gebiedscodes (GM0344, WK034401, BU03440111) "
            f"in de kopregel {list(frame.columns)}.{hint}"
        )
        raise DataError(msg)
    frame = frame.assign(_row=range(2, len(frame) + 2))
    if {"indicator", "value"} <= columns:
        long = frame.copy()
    else:
        near = {
            c: difflib.get_close_matches(c, ["indicator", "value", "year"], n=1, cutoff=0.8)
            for c in columns
        }
        misspelt = {c: m[0] for c, m in near.items() if m and c != m[0]}
        if misspelt:
            column, meant = next(iter(misspelt.items()))
            msg = f"{path}: kolom {column!r} is onbekend; bedoelde u {meant!r}?"
            raise DataError(msg)
        id_columns = ["code", "_row"] + (["year"] if "year" in columns else [])
        value_columns = [
            c for c in frame.columns if c not in (*id_columns, "unit", "source", "note")
        ]
        if not value_columns:
            msg = f"{path}: geen indicatorkolommen naast 'code'; voeg per indicator een kolom met getallen toe"
            raise DataError(msg)
        # the long format's own column names: melting a wide column called 'value' would
        # collide with the column melt creates
        reserved = [c for c in value_columns if c in ("indicator", "value", "_row")]
        if reserved:
            msg = (
                f"{path}: kolom {reserved[0]!r} is voorbehouden aan het lange formaat "
                "(kolommen code, indicator, year, value); voeg de ontbrekende kolom "
                f"{'indicator' if reserved[0] == 'value' else 'value'!r} toe (lang formaat), "
                f"of hernoem {reserved[0]!r} naar de naam van de indicator (breed formaat)"
            )
            raise DataError(msg)
        long = frame.melt(id_vars=id_columns, value_vars=value_columns, var_name="indicator")
        long["indicator"] = long["indicator"].map(slugify)
    if "year" not in long.columns:
        if year is None:
            msg = (
                f"{path}: geen kolom 'year' (of 'jaar'); voeg er een toe, of geef year=... "
                "(CLI: --year) om te zeggen over welk jaar de cijfers gaan"
            )
            raise DataError(msg)
        long["year"] = str(year)
    for column in ("unit", "note"):
        if column not in long.columns:
            long[column] = ""
    if "source" not in long.columns:
        long["source"] = source or str(path.name)
    value_text = long["value"].astype("string").str.strip()
    long["note"] = long["note"].where(~value_text.isin([".", ""]), "ontbreekt in eigen bestand")
    long["value"] = value_text.replace({".": None, "": None}).str.replace(",", ".", regex=False)
    return long


def _describe(error: pandera.errors.SchemaErrors, long: pd.DataFrame, path: Path) -> str:
    cases = error.failure_cases
    lines = []
    for _, case in cases.head(_MAX_LISTED).iterrows():
        column = case.get("column")
        check = str(case.get("check"))
        index = case.get("index")
        row = long["_row"].iloc[int(index)] if index is not None and index == index else "?"
        if "coerce" in check or "dtype" in check:
            expected = "een getal" if column in ("value", "year") else check
        else:
            expected = check
        lines.append(
            f"rij {row}, kolom {column!r}: waarde {case['failure_case']!r}, verwacht {expected}"
        )
    more = f" (en nog {len(cases) - _MAX_LISTED})" if len(cases) > _MAX_LISTED else ""
    return f"{path}: " + "; ".join(lines) + more


def _check_indeling(long: pd.DataFrame, known: set[str], path: Path) -> None:
    """Reject well-formed area codes that are not of indeling 2024, saying why for each.

    A code of another indeling (e.g. a 2020 wijk that was redrawn) must not be matched to
    a 2024 area: its figures describe a different territory. Malformed codes are left to
    the schema, which reports them with the other problems.
    """
    codes = long["code"].astype("string")
    unknown = codes.str.match(ANY_CODE).fillna(False) & ~codes.isin(known)
    if not unknown.any():
        return
    first = long[unknown.to_numpy()].drop_duplicates("code")
    lines = [
        f"rij {row}, kolom 'code': waarde {code!r}, verwacht een code van de KWB-indeling 2024 "
        f"(of NL00); {unknown_code_reason(code)}"
        for code, row in zip(first["code"].head(_MAX_LISTED), first["_row"], strict=False)
    ]
    more = f" (en nog {len(first) - _MAX_LISTED} codes)" if len(first) > _MAX_LISTED else ""
    msg = f"{path}: " + "; ".join(lines) + more + "; er is niets ingelezen"
    raise AreaCodeError(msg)


def read_indicator_file(
    path: str | Path, *, year: int | None = None, source: str | None = None
) -> pd.DataFrame:
    """Read, validate and return a user's indicator file in the long format.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` or ``.xlsx`` file in long or wide layout (see module docs).
    year : int, optional
        Year of the figures when the file has no ``year``/``jaar`` column.
    source : str, optional
        Source text for every row (default: the file name), e.g. ``"GGD Gezondheidsmonitor
        2022"``.

    Returns
    -------
    DataFrame
        ``code, indicator, year, value, unit, source, note``, ready to concatenate with
        :func:`doeagenda.data.indicators`.

    Raises
    ------
    DataError
        For a missing, empty or unreadable file, a wrong delimiter, a missing or misspelt
        column, an unknown area code or text in a numeric column; the message names the
        file, row, column and value. An :class:`~doeagenda.errors.AreaCodeError` for a
        code of another indeling (e.g. a wijk code of 2020 that no longer exists in 2024)
        or a wijk/buurt code that exists in no indeling, saying which.
    """
    path = Path(path)
    frame = _rename_aliases(_read_table(path))
    long = _to_long(frame, path, year, source or "").reset_index(drop=True)
    known = set(_tidy("areas")["code"]) | {NL_CODE}
    _check_indeling(long, known, path)
    schema = user_long_schema(known)
    try:
        validated = schema.validate(long[LONG_COLUMNS], lazy=True)
    except pandera.errors.SchemaErrors as error:
        msg = _describe(error, long, path)
        raise DataError(msg) from None
    logger.info(
        "read %d values for %d indicators from %s",
        len(validated),
        validated["indicator"].nunique(),
        path,
    )
    return validated.reset_index(drop=True)
