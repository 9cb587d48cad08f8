"""Readers for the raw CBS files shipped in ``doeagenda/data/raw``.

Every CBS export convention is handled here and nowhere else:

* ``.`` (possibly padded with spaces) means "missing or secret" (CBS: *geheim of
  ontbreekt*); an empty cell means the figure is not in the export. Both become NaN,
  and the reason is kept in a ``note`` column of the long tables.
* StatLine CSV exports are ``;``-separated, UTF-8 with a BOM, with decimal commas and
  text fields padded with trailing spaces.
* The household-income export has broken quoting (doubled quotes inside fields): every
  ``"`` is removed before parsing.

The functions return raw-shaped frames (strings where CBS wrote strings); the tidy
derivations live in :mod:`doeagenda.data.build`.
"""

from __future__ import annotations

import io
import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import pandas as pd

from doeagenda.errors import DataError

NOTE_SECRET = "geheim of ontbreekt ('.' in CBS-bestand)"
NOTE_EMPTY = "niet in CBS-bestand (lege cel)"


def package_file(*parts: str) -> Traversable:
    """Return a file shipped inside ``doeagenda.data`` (works from a wheel or a zip)."""
    return resources.files("doeagenda.data").joinpath(*parts)


def raw_file(name: str) -> Traversable:
    """Return a raw CBS file shipped in ``doeagenda/data/raw``."""
    path = package_file("raw", name)
    if not path.is_file():
        msg = f"ruw gegevensbestand {name!r} ontbreekt in het pakket (doeagenda/data/raw)"
        raise DataError(msg)
    return path


def read_text(path: Traversable) -> str:
    """Read a text file, dropping a UTF-8 BOM."""
    return path.read_bytes().decode("utf-8-sig")


def read_json(path: Traversable) -> Any:
    """Read a JSON file."""
    return json.loads(read_text(path))


def to_number(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Convert CBS cell values to floats and give the reason for each missing value.

    Parameters
    ----------
    values : Series
        Cells as read (strings, numbers or NaN); decimal commas allowed.

    Returns
    -------
    numbers : Series of float
    notes : Series of str
        Empty string where a number is present, otherwise why it is missing.
    """
    text = values.astype("string").str.strip()
    secret = text.eq(".").fillna(False)
    empty = text.isna() | text.eq("")
    numbers = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    notes = pd.Series("", index=values.index, dtype=object)
    notes[empty.to_numpy()] = NOTE_EMPTY
    notes[secret.to_numpy()] = NOTE_SECRET
    unparsed = numbers.isna() & ~secret & ~empty
    if unparsed.any():
        first = values[unparsed].iloc[0]
        msg = f"waarde {first!r} is geen getal en ook niet het CBS-teken voor ontbrekend ('.')"
        raise DataError(msg)
    return numbers.astype(float), notes


def number_text(value: float) -> str:
    """Return a number read from a spreadsheet cell as text (how a person typed it).

    NaN (an empty cell) is ``""``, an integral float has no ``.0`` (``12.0`` is ``"12"``,
    so codes and years read as numbers stay as written), any other number is its
    ``repr``.

    Parameters
    ----------
    value : float
        The cell's value.

    Returns
    -------
    str
    """
    if value != value:
        return ""
    if value.is_integer():
        return str(int(value))
    return repr(value)


def read_statline_csv(path: Traversable, *, fix_quotes: bool = False) -> pd.DataFrame:
    """Read a StatLine CSV export (``;``, BOM, padded text) with every cell as a string.

    Parameters
    ----------
    path : Traversable
        The file.
    fix_quotes : bool
        Remove every ``"`` before parsing (the household-income export doubles its
        quotes inside fields, which no CSV dialect reads correctly).
    """
    text = read_text(path)
    if fix_quotes:
        text = text.replace('"', "")
    frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    return frame.apply(lambda column: column.str.strip())


def read_kwb_xlsx(path: Traversable) -> pd.DataFrame:
    """Read a CBS KWB Excel release (short names in the header row), cells as strings."""
    with path.open("rb") as handle:
        frame = pd.read_excel(handle, sheet_name=0, dtype=str, engine="openpyxl")
    return frame.apply(lambda column: column.str.strip())


def read_geojson(path: Traversable) -> dict[str, Any]:
    """Read a GeoJSON FeatureCollection."""
    return read_json(path)
