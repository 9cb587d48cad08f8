"""The core data API: the shipped tidy tables, areas, indicators, dictionary, boundaries.

All functions return fresh copies, so callers may modify what they get. The tidy tables
are read once per process (they are small: a few MB) and cached.
"""

from __future__ import annotations

import copy
import difflib
import functools
import hashlib
import io
import logging
import os
import pickle
import sys
import time
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from doeagenda import __version__
from doeagenda.data import io as rawio
from doeagenda.data import lbm, rivm
from doeagenda.data.build import LEVELS, NL_CODE, TIDY_FILES, rivm_long
from doeagenda.errors import AreaCodeError, OutputError, ParameterError
from doeagenda.iorw import atomic_write

logger = logging.getLogger(__name__)

BOUNDARY_FILE = "gemeenten_2022_gegeneraliseerd_wgs84.geojson"
BOUNDARY_YEAR = 2022
WIJK_BOUNDARY_FILE = "wijken_2024_nl_pdok_vereenvoudigd.geojson"
WIJK_BOUNDARY_YEAR = 2024
_COORDINATE_DECIMALS = 4  # ~10 m: plenty for a choropleth, halves the embedded size


def _parse_tidy(
    name: str, handle: IO[bytes] | IO[str], compression: str | None = None
) -> pd.DataFrame:
    # Numbers are parsed by read_csv's C parser, not by to_numeric on text columns
    # afterwards: 5-10x less time for `doeagenda data show` and every first data call.
    if name == "indicators":
        frame = pd.read_csv(
            handle,
            compression=compression,
            keep_default_na=False,
            na_values={"value": [""]},
            dtype={c: str for c in ("code", "indicator", "unit", "source", "note")}
            | {"year": int, "value": float},
        )
        return frame
    if name in ("rivm", "leefbaarometer"):
        frame = pd.read_csv(
            handle,
            compression=compression,
            keep_default_na=False,
            na_values=[""],
            dtype={"code": str},
        )
        frame["year"] = frame["year"].astype(int)
        values = frame.columns.drop(["code", "year"])
        frame[values] = frame[values].astype(float)
        for column in ("wijken", "grens_gewijzigd"):
            if column in frame.columns:
                frame[column] = frame[column].astype(int)
        return frame
    frame = pd.read_csv(handle, compression=compression, keep_default_na=False, dtype=str)
    if name == "dictionary":
        frame["direction"] = pd.to_numeric(frame["direction"].replace("", None)).astype(float)
        frame["estimate"] = frame["estimate"].map({"True": True, "False": False}).astype(bool)
    return frame


@functools.cache
def _tidy(name: str) -> pd.DataFrame:
    with rawio.package_file("tidy", TIDY_FILES[name]).open("rb") as handle:
        compression = "gzip" if TIDY_FILES[name].endswith(".gz") else None
        return _parse_tidy(name, handle, compression)


#: Environment variable naming the folder for the per-level cache (default: the user's
#: cache folder, e.g. ``~/.cache/doeagenda``); set it to an empty string to turn it off.
CACHE_DIR_VARIABLE = "DOEAGENDA_CACHE_DIR"


def cache_dir() -> Path | None:
    """Return the folder for derived-data caches, or None when caching is turned off.

    ``$DOEAGENDA_CACHE_DIR`` when set (empty: off), else ``$XDG_CACHE_HOME/doeagenda``,
    ``%LOCALAPPDATA%/doeagenda`` on Windows, or ``~/.cache/doeagenda``.
    """
    chosen = os.environ.get(CACHE_DIR_VARIABLE)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or (
        os.environ.get("LOCALAPPDATA") if sys.platform == "win32" else None
    )
    return Path(base) / "doeagenda" if base else Path.home() / ".cache" / "doeagenda"


def _level_cache_path(level: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    # Keyed by the content of both tidy files, of the code that splits them, and by the
    # package and pandas versions (pickles are not portable across pandas versions): a
    # rebuilt table or an edited split is a new file name (~5 ms to hash).
    digest = hashlib.sha256()
    for name in ("indicators", "rivm", "leefbaarometer"):
        digest.update(rawio.package_file("tidy", TIDY_FILES[name]).read_bytes())
    for module in ("core.py", "build.py", "rivm.py", "lbm.py"):
        digest.update(rawio.package_file(module).read_bytes())
    digest.update(f"{__version__}|{pd.__version__}|{pickle.HIGHEST_PROTOCOL}".encode())
    return folder / f"indicators-{level}-{digest.hexdigest()[:24]}.pkl"


@functools.cache
def _row_positions(level: str) -> dict[str, np.ndarray]:
    return _indicators_at(level).groupby("code", sort=False).indices


def _rows_of(level: str, codes: set[str]) -> pd.DataFrame:
    """Rows of the level's table for ``codes``, in table order.

    Why not ``frame["code"].isin(codes)``: that compares every row of the level's table
    (tens of thousands) on each call, and reports ask for one gemeente or wijk at a time;
    the row positions per code are computed once per level.
    """
    positions = _row_positions(level)
    found = [positions[code] for code in codes if code in positions]
    rows = np.sort(np.concatenate(found)) if found else np.array([], dtype=np.intp)
    return _indicators_at(level).take(rows)


@functools.cache
def _indicators_at(level: str) -> pd.DataFrame:
    # Reading both gzipped tidy tables and splitting them costs ~0.3 s, most of
    # `doeagenda data show`; the split for one level loads from a pickle in ~10 ms.
    # The cache is only an accelerator: any failure to read or write it falls back to
    # the shipped CSV files, which stay the single source of truth.
    path = _level_cache_path(level)
    if path is not None and path.is_file():
        try:
            with path.open("rb") as handle:
                frame = pickle.load(handle)
        except Exception as error:  # a truncated or foreign file: rebuild it
            logger.debug("ignoring unreadable cache %s: %s", path, error)
        else:
            if isinstance(frame, pd.DataFrame):
                return frame
    frame = _split_level(level)
    if path is not None:
        try:
            atomic_write(path, pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL))
        except OutputError as error:  # read-only home: work without the cache
            logger.debug("not caching %s: %s", path, error)
        _prune_level_cache(path, level)
    return frame


_STALE_CACHE_SECONDS = 7 * 24 * 3600


def _prune_level_cache(current: Path, level: str) -> None:
    # Entries of other keys (older data, code or pandas) are removed once written more
    # than a week ago; not at once, because checkouts of different versions may share the
    # folder (each would then rewrite its entry on every start).
    cutoff = time.time() - _STALE_CACHE_SECONDS
    for old in current.parent.glob(f"indicators-{level}-*.pkl"):
        try:
            if old != current and old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            continue


def _split_level(level: str) -> pd.DataFrame:
    # Split once per process: filtering 240k codes by prefix on every call dominated the
    # cost of a report (callers get copies below, so the cached frame is never modified).
    frame = _tidy("indicators")
    prefix = {"gemeente": "GM", "wijk": "WK", "buurt": "BU", "land": "NL"}[level]
    frame = frame[frame["code"].str.startswith(prefix)]
    # RIVM ships wide (one row per code and year); only this level becomes long rows.
    estimates = _tidy("rivm")
    estimates = estimates[estimates["code"].str.startswith(prefix)]
    # The Leefbaarometer likewise (wijken, gemeenten and NL only).
    liveability = _tidy("leefbaarometer")
    liveability = liveability[liveability["code"].str.startswith(prefix)]
    parts = [frame, rivm_long(estimates)]
    if len(liveability):
        parts.append(lbm.lbm_long(liveability))
    return pd.concat(parts, ignore_index=True)


def stale_tables(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Return the names of shipped tidy tables that differ from the given (fresh) tables.

    Each fresh table is written to CSV in memory and read back exactly as the shipped
    file is, so the comparison sees what a user would load.
    """
    stale = []
    for name, frame in tables.items():
        text = io.StringIO(frame.to_csv(index=False, lineterminator="\n"))
        fresh = _parse_tidy(name, text)
        try:
            pd.testing.assert_frame_equal(_tidy(name), fresh)
        except AssertionError:
            stale.append(name)
    return stale


def _suggest(value: str, options: list[str]) -> str:
    close = difflib.get_close_matches(value, options, n=1)
    return f" Bedoelde u {close[0]!r}?" if close else ""


def _check_level(level: str | None, allowed: tuple[str, ...] = LEVELS) -> None:
    if level is not None and level not in allowed:
        msg = f"onbekend niveau {level!r}; kies uit {', '.join(allowed)}.{_suggest(level, list(allowed))}"
        raise ParameterError(msg)


def provinces() -> list[str]:
    """Return the names of the twelve provinces, sorted."""
    return sorted(_tidy("areas")["provincie"].unique())


def _check_provincie(provincie: str | None) -> None:
    if provincie is None:
        return
    known = provinces()
    if provincie not in known:
        msg = f"onbekende provincie {provincie!r}; kies uit {', '.join(known)}.{_suggest(provincie, known)}"
        raise AreaCodeError(msg)


@functools.cache
def _areas_by_code() -> pd.DataFrame:
    return _tidy("areas").set_index("code")


def areas(level: str | None = None, provincie: str | None = None) -> pd.DataFrame:
    """Return the areas of KWB indeling 2024 (gemeenten, wijken, buurten).

    Parameters
    ----------
    level : {"gemeente", "wijk", "buurt"}, optional
        Keep one level only.
    provincie : str, optional
        Keep the areas of one province, e.g. ``"Utrecht"``.

    Returns
    -------
    DataFrame
        Columns ``code, name, level, gemeente_code, wijk_code, provincie``.

    Examples
    --------
    >>> from doeagenda import data
    >>> len(data.areas("gemeente", provincie="Utrecht"))
    26
    """
    _check_level(level)
    _check_provincie(provincie)
    frame = _tidy("areas")
    if level is not None:
        frame = frame[frame["level"] == level]
    if provincie is not None:
        frame = frame[frame["provincie"] == provincie]
    return frame.reset_index(drop=True).copy()


CODE_LEVELS = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}
_CODE_WORD = {"gemeente": "gemeente", "wijk": "wijk", "buurt": "buurt"}


@functools.cache
def _codes_2020() -> frozenset[str]:
    # The RIVM extract lists every gemeente, wijk and buurt code of CBS indeling 2020.
    with rawio.raw_file(rivm.EXTRACT_FILE).open("rb") as handle:
        codes = pd.read_csv(handle, compression="gzip", usecols=["code"], dtype=str)["code"]
    return frozenset(codes)


def unknown_code_reason(code: str) -> str:
    """Explain why ``code`` is not an area of KWB indeling 2024, in one Dutch sentence.

    Tells apart a code of CBS indeling 2020 that no longer exists (boundaries changed
    since), a wijk or buurt code whose gemeente exists but which does not, and a code of
    no known gemeente. Used by :func:`area` and :func:`read_indicator_file` messages.
    """
    table = _areas_by_code()
    level = CODE_LEVELS.get(str(code)[:2], "area")
    if code in _codes_2020():
        return (
            f"{code!r} is een {_CODE_WORD.get(level, 'gebieds')}code van de CBS-indeling 2020 "
            f"die in de indeling 2024 niet meer bestaat (de grenzen zijn sindsdien veranderd); "
            f"gebruik de codes van 2024 (`doeagenda data areas --level {level}`)"
        )
    gemeente = "GM" + str(code)[2:6]
    if level in ("wijk", "buurt") and gemeente in table.index:
        siblings = sorted(
            table.index[(table["gemeente_code"] == gemeente) & (table["level"] == level)]
        )
        shown = ", ".join(siblings[:4]) + (", ..." if len(siblings) > 4 else "")
        return (
            f"{code!r} is geen {level} van gemeente {gemeente} ({table.at[gemeente, 'name']}) in "
            f"de CBS-indeling 2024 of 2020; de {level}en zijn {shown}"
        )
    if level in ("wijk", "buurt"):
        example = "WK034401" if level == "wijk" else "BU03440111"
        return (
            f"{code!r} is geen {level} van de CBS-indeling 2024 of 2020: er is geen gemeente "
            f"{gemeente} (cijfers 3-6 van een {_CODE_WORD[level]}code zijn het nummer van de "
            f"gemeente); {_CODE_WORD[level]}codes zien eruit als {example}"
        )
    hint = _suggest(code, list(table.index)) if level != "area" else ""
    return (
        f"onbekende gebiedscode {code!r}: geen gemeente, wijk of buurt van de CBS-indeling 2024 "
        f"(codes zien eruit als GM0344, WK034401, BU03440111).{hint}"
    )


def area(code: str) -> pd.Series:
    """Return one area's row (name, level, gemeente, provincie) by its CBS code.

    Raises
    ------
    AreaCodeError
        When the code is not an area of KWB indeling 2024; the message says whether it
        is a code of indeling 2020 that no longer exists, or a wijk/buurt its gemeente
        does not have.
    """
    table = _areas_by_code()
    if code not in table.index:
        msg = unknown_code_reason(code)
        raise AreaCodeError(msg)
    return table.loc[code].copy()


def indicators(
    level: str = "gemeente",
    provincie: str | None = None,
    year: int | None = None,
    wide: bool = False,
    *,
    codes: list[str] | None = None,
) -> pd.DataFrame:
    """Return indicator values in long form (or wide: one row per area).

    Parameters
    ----------
    level : {"gemeente", "wijk", "buurt", "land"}
        Which areas; ``"land"`` is the Netherlands as a whole (code ``NL00``).
    provincie : str, optional
        Keep the areas of one province (ignored for ``"land"``).
    year : int, optional
        Keep one year. With ``wide=True`` and no year, each indicator takes the latest year
        in which it has at least one value for the selected areas.
    wide : bool
        Return one row per area code (index ``code``) and one column per indicator.
    codes : list of str, optional
        Keep only these area codes.

    Returns
    -------
    DataFrame
        Long: ``code, indicator, year, value, unit, source, note`` (``note`` says why a
        value is missing, or that it is provisional). Wide: values only.
    """
    _check_level(level, (*LEVELS, "land"))
    _check_provincie(provincie)
    wanted: set[str] | None = None
    if provincie is not None and level != "land":
        wanted = set(areas(level, provincie)["code"])
    if codes is not None:
        for code in codes:
            if code != NL_CODE:
                area(code)
        wanted = set(codes) if wanted is None else wanted & set(codes)
    frame = _indicators_at(level) if wanted is None else _rows_of(level, wanted)
    if year is not None:
        frame = frame[frame["year"] == int(year)]
    frame = frame.reset_index(drop=True).copy()
    if not wide:
        return frame
    if year is None:
        present = frame.dropna(subset=["value"])
        latest = present.groupby("indicator")["year"].max()
        frame = frame[frame["year"] == frame["indicator"].map(latest)]
    table = frame.pivot(index="code", columns="indicator", values="value")
    table.columns.name = None
    return table


def dictionary() -> pd.DataFrame:
    """Return the indicator dictionary.

    Returns
    -------
    DataFrame
        ``indicator, label_nl, label_en, unit, direction, source, years, levels, note,
        estimate``; ``direction`` is 1 where higher is better for residents, -1 where
        lower is better, and empty where that is not meaningful (counts, areas);
        ``estimate`` is True for model-based estimates (RIVM kleine-domeinschattingen,
        the Leefbaarometer), which must be shown as estimates, not counts.
    """
    return _tidy("dictionary").copy()


def label(indicator: str, language: str = "nl") -> str:
    """Return the label of an indicator id (falls back to the id itself)."""
    table = _tidy("dictionary").set_index("indicator")
    if indicator not in table.index:
        return indicator
    return table.at[indicator, f"label_{language}"]


def population(level: str = "gemeente", provincie: str | None = None) -> pd.Series:
    """Return the number of inhabitants (KWB 2024, ``a_inw``) per area code."""
    wide = indicators(level, provincie=provincie, year=2024, wide=True)
    return wide["a_inw"].rename("inwoners")


@functools.cache
def _boundary_features(level: str = "gemeente") -> tuple[dict[str, Any], ...]:
    file_name, year, code_key = {
        "gemeente": (BOUNDARY_FILE, BOUNDARY_YEAR, "statcode"),
        "wijk": (WIJK_BOUNDARY_FILE, WIJK_BOUNDARY_YEAR, "wijkcode"),
    }[level]
    raw = rawio.read_geojson(rawio.raw_file(file_name))
    names = _tidy("areas").query("level == @level").set_index("code")
    features = []
    for feature in raw["features"]:
        code = feature["properties"][code_key]
        if code not in names.index:
            # A 2022 gemeente merged since (e.g. Brielle), or a PDOK wijk that KWB 2024 does
            # not list (large water such as WK031399 "Groot water", "Buitenland").
            continue
        geometry = feature["geometry"]
        properties = {
            "code": code,
            "name": names.at[code, "name"],
            "provincie": names.at[code, "provincie"],
            "grensjaar": year,
        }
        if level == "wijk":
            properties["gemeente_code"] = names.at[code, "gemeente_code"]
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": geometry["type"],
                    "coordinates": _round(geometry["coordinates"]),
                },
                "properties": properties,
            }
        )
    return tuple(features)


def _round(coordinates: Any) -> Any:  # nested lists of any depth (GeoJSON)
    if isinstance(coordinates[0], (int, float)):
        return [round(c, _COORDINATE_DECIMALS) for c in coordinates]
    return [_round(part) for part in coordinates]


def boundaries(level: str = "gemeente", provincie: str | None = None) -> dict[str, Any]:
    """Return gemeente or wijk boundaries (CBS/PDOK, generalised, WGS84) as GeoJSON.

    Parameters
    ----------
    level : {"gemeente", "wijk"}
        ``"gemeente"``: CBS/PDOK gebiedsindelingen 2022 (generalised). ``"wijk"``: the
        CBS/PDOK Wijk- en buurtkaart 2024, simplified (about 35-55 m). No buurt
        boundaries are shipped: show buurt results as ranked charts.
    provincie : str, optional
        Keep one province.

    Returns
    -------
    dict
        A GeoJSON FeatureCollection; each feature has ``code``, ``name``, ``provincie`` and
        ``grensjaar`` properties (wijken also ``gemeente_code``). Only areas of KWB
        indeling 2024 are kept: gemeenten of 2024 without a 2022 polygon (formed by a
        merger in 2023) are absent, gemeenten merged away since 2022 are dropped, and
        PDOK wijken that KWB does not list (e.g. WK031399 and WK031799 "Groot water" in
        provincie Utrecht) are dropped, so Utrecht has 222 wijk polygons.

    Examples
    --------
    >>> from doeagenda import data
    >>> len(data.boundaries("wijk", provincie="Utrecht")["features"])
    222
    """
    if level not in ("gemeente", "wijk"):
        msg = (
            f"grenzen voor niveau {level!r} zitten niet in het pakket; kies 'gemeente' "
            "(CBS/PDOK 2022) of 'wijk' (CBS/PDOK 2024); toon buurtresultaten als "
            "gerangschikte grafiek"
        )
        raise ParameterError(msg)
    _check_provincie(provincie)
    features = [
        f
        for f in _boundary_features(level)
        if provincie is None or f["properties"]["provincie"] == provincie
    ]
    return {"type": "FeatureCollection", "features": copy.deepcopy(features)}
