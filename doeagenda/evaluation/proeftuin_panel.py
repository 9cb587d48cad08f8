"""The panel of a proeftuin evaluation: the invented *voorbeeld* or a user's CSV/XLSX file.

:func:`load_panel` reads what the ``data`` parameter of
:func:`doeagenda.evaluation.proeftuin.proeftuin` names; it stays importable from
:mod:`doeagenda.evaluation.proeftuin`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from doeagenda.errors import DataError
from doeagenda.evaluation.voorbeeld import voorbeeld_panel

__all__ = ["load_panel"]


def load_panel(data: str) -> pd.DataFrame:
    """Load the panel: ``"voorbeeld"`` (shipped invented data) or a CSV/XLSX path.

    A file in the workbench's long indicator format (``code, indicator, year, value``)
    is read with :func:`doeagenda.data.read_indicator_file` and pivoted to one column per
    indicator (unit column ``code``, period column ``year``).
    """
    if data == "voorbeeld":
        return voorbeeld_panel()
    path = Path(data)
    if not path.is_file():
        msg = f"gegevensbestand {path} bestaat niet; kies 'voorbeeld' of het pad van een CSV/XLSX-bestand"
        raise DataError(msg)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig") as handle:
            header = handle.readline()
        if header.count(";") > header.count(","):
            # Dutch Excel export: semicolon separator and decimal comma
            frame = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
        else:
            frame = pd.read_csv(path, encoding="utf-8-sig")
    elif suffix in (".xlsx", ".xls"):
        from doeagenda.data.userfiles import read_workbook

        frame = read_workbook(path)
    else:
        msg = f"gegevensbestand {path} moet .csv of .xlsx zijn, niet {suffix!r}"
        raise DataError(msg)
    if {"code", "indicator", "year", "value"} <= set(frame.columns):
        from doeagenda.data import read_indicator_file

        long = read_indicator_file(path)
        return long.pivot_table(
            index=["code", "year"], columns="indicator", values="value"
        ).reset_index()
    return frame
