"""The data frame an index needs: leaf columns from the shipped data plus a user's own file."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd

from doeagenda import data
from doeagenda.errors import DataError, FrameworkError
from doeagenda.index.build import as_framework
from doeagenda.index.framework import Framework

__all__ = ["check_levels", "index_data", "long_to_wide"]

logger = logging.getLogger(__name__)


def long_to_wide(long: pd.DataFrame) -> pd.DataFrame:
    """Pivot long indicator rows (``code, indicator, year, value``) to one row per code.

    Each indicator takes its latest year with a value.
    """
    needed = {"code", "indicator", "value"}
    if not needed <= set(long.columns):
        msg = f"indicatorrijen vragen kolommen {sorted(needed)}, niet {list(long.columns)}"
        raise DataError(msg)
    frame = long.dropna(subset=["value"]).copy()
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    if "year" in frame.columns:
        frame["_year"] = pd.to_numeric(frame["year"], errors="coerce")
        frame = frame.sort_values("_year").drop_duplicates(["code", "indicator"], keep="last")
    wide = frame.pivot_table(index="code", columns="indicator", values="value", aggfunc="last")
    wide.columns.name = None
    return wide


def index_data(
    framework: Framework | str | Path | dict[str, Any],
    level: str | None = None,
    provincie: str | None = None,
    extra: str | Path | pd.DataFrame | list[str | Path | pd.DataFrame] | None = None,
    gemeente: str | None = None,
) -> pd.DataFrame:
    """Return the data frame a framework needs, from the shipped data and your own files.

    Parameters
    ----------
    framework : Framework, path or dict
    level : {"gemeente", "wijk", "buurt"}, optional
        Default: the framework's ``level`` (else ``gemeente``).
    provincie : str, optional
        Keep the units of one province (default: the framework's ``provincie``).
    extra : path, DataFrame or list of these, optional
        Your own indicators (e.g. a GGD Gezondheidsmonitor export): a file read with
        :func:`doeagenda.data.read_indicator_file`, or a long or wide DataFrame. Its
        values replace shipped values of the same indicator.
    gemeente : str, optional
        Keep the wijken/buurten of one gemeente (default: the framework's ``gemeente``).

    Returns
    -------
    DataFrame
        Index ``code``; a ``name`` column and one column per leaf, denominator and group
        column that exists. Units without any leaf value are left out.
    """
    fw = as_framework(framework)
    level = level or fw.level or "gemeente"
    provincie = provincie if provincie is not None else fw.provincie
    gemeente = gemeente if gemeente is not None else fw.gemeente
    units = data.areas(level=level, provincie=provincie).set_index("code")
    if gemeente is not None:
        units = units[units["gemeente_code"] == gemeente]
        if units.empty:
            msg = f"gemeente {gemeente!r} heeft geen eenheden van niveau {level}; geef een GM-code zoals GM0344"
            raise DataError(msg)
    wide = data.indicators(level=level, provincie=provincie, wide=True)
    # A leaf with a year of its own (``year:`` in the framework) takes that year's values.
    pinned: dict[int, list[str]] = {}
    for leaf in fw.leaves:
        year = fw.year_of(leaf)
        if year is not None:
            pinned.setdefault(year, []).append(leaf)
    for year, leaves in pinned.items():
        of_year = data.indicators(level=level, provincie=provincie, year=year, wide=True)
        for leaf in leaves:
            if leaf in wide.columns or leaf in of_year.columns:
                wide[leaf] = of_year[leaf] if leaf in of_year.columns else float("nan")
    wide = wide.reindex(units.index)
    for item in _as_list(extra):
        own = _read_extra(item)
        own = own.reindex(units.index)
        for column in own.columns:
            if own[column].notna().any():
                wide[column] = (
                    own[column].combine_first(wide[column]) if column in wide else own[column]
                )
                logger.info("using own values for %s (%d units)", column, own[column].notna().sum())
    check_levels(fw, level, wide)
    wanted = [c for c in fw.data_columns() if c in wide.columns]
    extra_cols = [c for c in fw.data_columns() if c in units.columns and c not in wanted]
    out = wide[wanted].copy()
    for col in extra_cols:
        out[col] = units[col]
    out.insert(0, "name", units["name"])
    leaves = [leaf for leaf in fw.leaves if leaf in out.columns]
    empty = out[leaves].isna().all(axis=1)
    if empty.any():
        logger.info("left out %d units without any indicator value", int(empty.sum()))
        out = out[~empty]
    out.index.name = "code"
    return out


def check_levels(fw: Framework, level: str, columns: pd.DataFrame) -> None:
    """Raise when a framework names a shipped indicator that has no data at this level.

    Parameters
    ----------
    fw : Framework
    level : str
        ``gemeente``, ``wijk`` or ``buurt``.
    columns : DataFrame
        The data available at that level (one column per indicator).

    Raises
    ------
    FrameworkError
        Naming the indicator, the level asked for and the levels where it has data.
    """
    dictionary = data.dictionary().set_index("indicator")
    for leaf in fw.leaves:
        if fw.node(leaf).status == "needs_input":
            continue
        if leaf in columns.columns and columns[leaf].notna().any():
            continue
        if leaf not in dictionary.index:
            continue  # not a shipped indicator: prepare_data names it as a missing column
        levels = dictionary.at[leaf, "levels"]
        levels = levels.strip() if isinstance(levels, str) else ""
        where = (
            f"de meegeleverde gegevens hebben hem op: {levels}; gebruik hem in een framework "
            "van een van die niveaus"
            if levels
            else "de meegeleverde gegevens hebben op geen enkel niveau waarden (het RIVM gaf "
            "bijvoorbeeld in geen enkel jaar een schatting voor die leeftijdsgroep); kies een "
            "andere leeftijdsgroep"
        )
        msg = (
            f"framework {fw.name!r}: indicator {leaf!r} heeft geen gegevens op niveau {level!r} "
            f"({where}), of haal hem uit dit framework"
        )
        raise FrameworkError(msg)


def _as_list(
    extra: str | Path | pd.DataFrame | list[str | Path | pd.DataFrame] | None,
) -> list[str | Path | pd.DataFrame]:
    if extra is None:
        return []
    if isinstance(extra, list | tuple):
        return list(extra)
    return [extra]


def _read_extra(item: Any) -> pd.DataFrame:
    if isinstance(item, str | Path):
        return long_to_wide(data.read_indicator_file(item))
    if isinstance(item, pd.DataFrame):
        if {"indicator", "value"} <= set(item.columns):
            return long_to_wide(item)
        frame = item.set_index("code") if "code" in item.columns else item
        return frame.select_dtypes("number")
    msg = f"extra moet een bestandspad of een DataFrame zijn, niet {type(item).__name__}"
    raise DataError(msg)
