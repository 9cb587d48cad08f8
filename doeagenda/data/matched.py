"""Sources on an older indeling, matched to the 2024 areas on codes only: RIVM and Leefbaarometer.

RIVM's health estimates (50090NED) follow the CBS indeling 2020, the Leefbaarometer the
wijk indeling 2022. Which 2024 areas have their figures (:func:`has_rivm`,
:func:`rivm_coverage`, :func:`has_lbm`, :func:`lbm_coverage`) and the Leefbaarometer of an
area against its gemeente, provincie and NL (:func:`leefbaarometer`). Part of the loading
API of :mod:`doeagenda.data.api`.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

from doeagenda.data import lbm, rivm
from doeagenda.data.build import NL_CODE
from doeagenda.data.core import _check_level, _tidy, area, areas, population
from doeagenda.errors import AreaCodeError


def _in_source(code: str, codes: frozenset[str]) -> bool:
    """Whether ``code`` (checked: an area of indeling 2024, or ``NL00``) is among ``codes``."""
    if code != NL_CODE:
        area(code)
    return code in codes


@functools.cache
def _rivm_codes() -> frozenset[str]:
    return frozenset(_tidy("rivm")["code"])


def has_rivm(code: str) -> bool:
    """Return whether a 2024 area has RIVM health estimates (its code existed in 2020).

    RIVM's 50090NED figures follow the 2020 indeling. They are matched to the 2024 areas
    on codes only, so a wijk or buurt whose code is new since 2020 has none: show it as
    *geen gegevens (indeling gewijzigd na 2020)* (:data:`RIVM_NO_MATCH_NOTE`), never a
    value copied from a 2020 area.

    Raises
    ------
    AreaCodeError
        When the code is not an area of KWB indeling 2024 (or ``NL00``).

    Examples
    --------
    >>> from doeagenda import data
    >>> data.has_rivm("WK034401"), data.has_rivm("WK196111")
    (True, False)
    """
    return _in_source(code, _rivm_codes())


RIVM_NO_MATCH_NOTE = rivm.NOTE_INDELING


def rivm_coverage(level: str = "wijk", provincie: str | None = None) -> pd.DataFrame:
    """Return, per 2024 area, whether RIVM health estimates exist for it.

    Parameters
    ----------
    level : {"gemeente", "wijk", "buurt"}
    provincie : str, optional
        Keep one province, e.g. ``"Utrecht"``.

    Returns
    -------
    DataFrame
        ``code, name, gemeente_code, has_rivm, note``; ``note`` is
        ``"geen gegevens (indeling gewijzigd na 2020)"`` where ``has_rivm`` is False (the
        code did not exist in the 2020 indeling RIVM used) and empty otherwise. In
        provincie Utrecht 190 of 222 wijken and 817 of 970 buurten have estimates.

    Examples
    --------
    >>> from doeagenda import data
    >>> int(data.rivm_coverage("wijk", provincie="Utrecht")["has_rivm"].sum())
    190
    """
    _check_level(level)
    frame = areas(level, provincie)[["code", "name", "gemeente_code"]]
    frame["has_rivm"] = frame["code"].isin(_rivm_codes())
    frame["note"] = frame["has_rivm"].map({True: "", False: RIVM_NO_MATCH_NOTE})
    return frame


LBM_NO_MATCH_NOTE = lbm.NOTE_NO_MATCH
LBM_BOUNDARY_NOTE = lbm.NOTE_BOUNDARY


@functools.cache
def _lbm_codes() -> frozenset[str]:
    table = _tidy("leefbaarometer")
    return frozenset(table.loc[table["lbm_score"].notna(), "code"])


def has_lbm(code: str) -> bool:
    """Return whether a 2024 area has Leefbaarometer figures (``lbm_*`` indicators).

    A wijk has them when its code is in the Leefbaarometer file (CBS wijk indeling 2022),
    matched on codes only: a wijk whose code is new since 2022 has none (never a value
    copied from another code). A gemeente (and ``NL00``) has them when its wijken with a
    score hold at least 90% of its inhabitants (KWB 2024), see :func:`lbm_coverage`.

    Raises
    ------
    AreaCodeError
        When the code is not an area of KWB indeling 2024 (or ``NL00``).

    See Also
    --------
    lbm_coverage : Per area, also the last year with a score and the boundary flag.

    Examples
    --------
    >>> from doeagenda import data
    >>> data.has_lbm("WK196111"), data.has_lbm("WK030732"), data.has_lbm("GM0344")
    (True, False, True)
    """
    return _in_source(code, _lbm_codes())


def lbm_coverage(level: str = "wijk", provincie: str | None = None) -> pd.DataFrame:
    """Return, per 2024 area, whether it has Leefbaarometer figures and up to which year.

    Parameters
    ----------
    level : {"wijk", "gemeente"}
    provincie : str, optional
        Keep one province, e.g. ``"Utrecht"``.

    Returns
    -------
    DataFrame
        ``code, name, gemeente_code, has_lbm, last_year, boundary_changed, note``.
        ``has_lbm``: the area has a score in at least one year; ``last_year``: the latest
        year with a score (NaN when none); ``boundary_changed``: a matched wijk whose
        boundary CBS flags as moved between 2023 and 2024 (same code, so matched; the
        figure is for the wijk as it was in 2022). For a wijk without a match ``note`` is
        *geen gegevens (wijkcode niet in de Leefbaarometer, indeling 2022)*, for a flagged
        one it says the boundary changed; for a gemeente it says which share of the
        inhabitants its wijken with a score hold. Provincie Utrecht: 220 of 222 wijken;
        the Netherlands: 3,176 of 3,393 wijken have the 2022 score.

    Examples
    --------
    >>> from doeagenda import data
    >>> int(data.lbm_coverage("wijk", provincie="Utrecht")["has_lbm"].sum())
    220
    """
    _check_level(level, ("gemeente", "wijk"))
    frame = areas(level, provincie)[["code", "name", "gemeente_code"]]
    table = _tidy("leefbaarometer")
    scored = table[table["lbm_score"].notna()]
    last = scored.groupby("code")["year"].max()
    frame["has_lbm"] = frame["code"].isin(last.index)
    frame["last_year"] = frame["code"].map(last).astype(float)
    flagged = set(scored.loc[scored["grens_gewijzigd"] > 0, "code"])
    frame["boundary_changed"] = frame["code"].isin(flagged) & (level == "wijk")
    if level == "wijk":
        frame["note"] = np.where(
            frame["has_lbm"],
            np.where(frame["boundary_changed"], LBM_BOUNDARY_NOTE, ""),
            LBM_NO_MATCH_NOTE,
        )
        return frame
    latest = table[table["year"] == lbm.LATEST_YEAR].set_index("code")
    frame["note"] = [
        lbm.coverage_note(int(latest.at[code, "wijken"]), float(latest.at[code, "dekking"]))
        if code in latest.index
        else "geen wijken met een Leefbaarometer-score"
        for code in frame["code"]
    ]
    return frame


@functools.cache
def _lbm_provincie(provincie: str) -> pd.DataFrame:
    table = _tidy("leefbaarometer")
    wijken = areas("wijk", provincie)
    groups = pd.Series(provincie, index=wijken["code"].to_numpy())
    weights = population("wijk", provincie=provincie)
    wijk_rows = table[table["code"].isin(groups.index)]
    means = lbm.weighted_means(wijk_rows, groups, weights)
    return means


def leefbaarometer(code: str) -> pd.DataFrame:
    """Return the Leefbaarometer figures of an area against its gemeente, provincie and NL.

    Gemeente, provincie and Nederland are the means of their wijken weighted by
    inhabitants (KWB 1 January 2024), computed only where the wijken with a score hold at
    least 90% of the inhabitants (:mod:`doeagenda.data.lbm`).

    Parameters
    ----------
    code : str
        A wijk (WK) or gemeente (GM) code of indeling 2024.

    Returns
    -------
    DataFrame
        One row per ``lbm_`` id and year it was published (score and deviation 2002–2022,
        the five dimensions 2014 and 2018–2022): ``indicator, omschrijving, jaar``, then
        ``wijk`` (wijk codes only), ``gemeente``, ``provincie``, ``nederland``; NaN where
        there is no figure (e.g. a wijk whose code is new since 2022: see :func:`has_lbm`).

    Raises
    ------
    AreaCodeError
        When the code is not a wijk or gemeente of indeling 2024.

    Examples
    --------
    >>> from doeagenda import data
    >>> table = data.leefbaarometer("WK034401")
    >>> list(table.columns)
    ['indicator', 'omschrijving', 'jaar', 'wijk', 'gemeente', 'provincie', 'nederland']
    """
    row = area(code)
    if row["level"] not in ("wijk", "gemeente"):
        msg = (
            f"{code!r} is een {row['level']}; de Leefbaarometer zit in het pakket per wijk en "
            "gemeente: geef een WK- of GM-code"
        )
        raise AreaCodeError(msg)
    table = _tidy("leefbaarometer").set_index(["code", "year"])
    provincie = _lbm_provincie(str(row["provincie"])).set_index("year")
    labels = {i.name: i.label_nl for i in lbm.LBM_INDICATORS}
    records = []
    for indicator in lbm.LBM_IDS:
        for year in lbm.years_of(indicator):
            record: dict[str, Any] = {
                "indicator": indicator,
                "omschrijving": labels[indicator],
                "jaar": year,
            }
            if row["level"] == "wijk":
                record["wijk"] = _lbm_value(table, code, year, indicator)
            record["gemeente"] = _lbm_value(table, str(row["gemeente_code"]), year, indicator)
            record["provincie"] = (
                float(provincie.at[year, indicator]) if year in provincie.index else np.nan
            )
            record["nederland"] = _lbm_value(table, NL_CODE, year, indicator)
            records.append(record)
    return pd.DataFrame.from_records(records)


def _lbm_value(table: pd.DataFrame, code: str, year: int, indicator: str) -> float:
    key = (code, year)
    return float(table.at[key, indicator]) if key in table.index else float("nan")
