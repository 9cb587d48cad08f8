"""Leefbaarometer 3.0 per wijk, 2002–2022: extract, indicator ids, indeling, weighted means.

The raw source is one CSV of the ministry of BZK's Leefbaarometer 3.0 (made by Atlas
Research and In.Fact Research) for every wijk of the Netherlands, on the **2022** CBS wijk
indeling: ``shared/data/leefbaarometer/leefbaarometer3_wijken_2002_2022.csv`` (outside the
repository, see ``doeagenda/data/PROVENANCE.md``). The package ships a **compact extract**
derived by :func:`extract_leefbaarometer`: the same rows and values as text, without the
2022 wijk names (names come from KWB 2024), ``NA`` written as an empty cell.
Only ``tests/test_data_lbm.py`` reads the source, to prove the extract equals it.

Levels:

* **wijk**: matched to the 2024 wijken on their codes only. A 2024 wijk whose code is not in
  the file has no Leefbaarometer figure (never copied across a boundary change, never
  imputed); :func:`doeagenda.data.lbm_coverage` says which. A year without a score for a
  wijk that has scores in other years (a new neighbourhood without dwellings yet) is a
  missing value, not a boundary change: the file keeps one indeling (2022) for every year.
* **gemeente, provincie, Nederland**: the mean of their wijken weighted by inhabitants of
  KWB 1 January 2024 (``a_inw``, the only population per wijk the package ships and the one
  that fits the 2024 codes; fixed weights also keep a trend about the scores, not about
  people moving). Computed only when the wijken with a value hold at least
  :data:`MIN_COVERAGE` of the area's inhabitants; otherwise there is no figure and the note
  says how much was covered (Amsterdam's wijken were all recoded after 2022, for example).

The scores are model estimates: the Leefbaarometer predicts liveability from about 100
characteristics of the surroundings, calibrated on residents' own judgements.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

# The extract is written and read as the RIVM extract is: gzip'ed CSV without a timestamp,
# every cell a string.
from doeagenda.data.rivm import extract_bytes, read_extract
from doeagenda.errors import DataError

__all__ = [
    "DIMENSION_YEARS",
    "EXTRACT_FILE",
    "FIRST_DIMENSION_YEAR",
    "LATEST_YEAR",
    "LBM_CITATION",
    "LBM_IDS",
    "LBM_INDICATORS",
    "LBM_YEARS",
    "MIN_COVERAGE",
    "dictionary_rows",
    "extract_bytes",
    "extract_leefbaarometer",
    "lbm_long",
    "read_extract",
    "tidy_leefbaarometer",
    "weighted_means",
]

logger = logging.getLogger(__name__)

SOURCE_FILE = "leefbaarometer/leefbaarometer3_wijken_2002_2022.csv"
SOURCE_SHA256 = "3bb7b1dd3e122dd9da6555ee534b39a469912a3a09924ac112265f96117d2be4"
SOURCE_COLUMNS = ["wk_code", "wk_naam", "jaar", "lbm", "afw", "fys", "onv", "soc", "vrz", "won"]
EXTRACT_FILE = "leefbaarometer3_wijken_2002_2022_extract.csv.gz"
LBM_INDELING = 2022
LBM_YEARS = (2002, 2008, 2012, 2014, 2016, 2018, 2020, 2022)
#: The five dimensions exist from 2014, and not in 2016 (the file has only the score then).
DIMENSION_YEARS = (2014, 2018, 2020, 2022)
FIRST_DIMENSION_YEAR = 2014
LATEST_YEAR = 2022
#: Population used to weight wijken into gemeente, provincie and national figures.
WEIGHT_INDICATOR = "a_inw"
WEIGHT_YEAR = 2024
#: Minimum share of an area's inhabitants living in wijken with a value.
MIN_COVERAGE = 0.9
LBM_CITATION = (
    "Leefbaarometer 3.0, ministerie van BZK (Atlas Research en In.Fact Research), "
    "wijken indeling 2022"
)
NOTE_ESTIMATE = (
    "modelschatting (Leefbaarometer 3.0, BZK), geen meting; wijken (indeling 2022) op code "
    "gekoppeld aan indeling 2024; gemeente, provincie en Nederland: gemiddelde van hun wijken "
    f"gewogen naar inwoners (KWB 1 januari {WEIGHT_YEAR}), alleen waar de wijken met een score "
    f"minstens {MIN_COVERAGE:.0%} van de inwoners hebben"
)
NOTE_NO_MATCH = "geen gegevens (wijkcode niet in de Leefbaarometer, indeling 2022)"
NOTE_BOUNDARY = (
    "grens in 2024 gewijzigd volgens het CBS (zelfde wijkcode); het Leefbaarometer-cijfer "
    "hoort bij de wijk zoals die in 2022 was"
)


@dataclass(frozen=True)
class LbmIndicator:
    """One Leefbaarometer figure: its id, raw column, labels, unit and first year."""

    name: str
    column: str
    label_nl: str
    label_en: str
    unit: str
    first_year: int


LBM_INDICATORS: tuple[LbmIndicator, ...] = (
    LbmIndicator(
        "lbm_score",
        "lbm",
        "Leefbaarometer: leefbaarheidsscore",
        "Leefbaarometer: liveability score",
        "score",
        2002,
    ),
    LbmIndicator(
        "lbm_afwijking",
        "afw",
        "Leefbaarometer: afwijking van het landelijk gemiddelde",
        "Leefbaarometer: deviation from the national average",
        "afwijking",
        2002,
    ),
    LbmIndicator(
        "lbm_fysieke_omgeving",
        "fys",
        "Leefbaarometer: fysieke omgeving",
        "Leefbaarometer: physical environment",
        "afwijking",
        FIRST_DIMENSION_YEAR,
    ),
    LbmIndicator(
        "lbm_overlast_onveiligheid",
        "onv",
        "Leefbaarometer: overlast en onveiligheid",
        "Leefbaarometer: nuisance and safety",
        "afwijking",
        FIRST_DIMENSION_YEAR,
    ),
    LbmIndicator(
        "lbm_sociale_samenhang",
        "soc",
        "Leefbaarometer: sociale samenhang",
        "Leefbaarometer: social cohesion",
        "afwijking",
        FIRST_DIMENSION_YEAR,
    ),
    LbmIndicator(
        "lbm_voorzieningen",
        "vrz",
        "Leefbaarometer: voorzieningen",
        "Leefbaarometer: amenities",
        "afwijking",
        FIRST_DIMENSION_YEAR,
    ),
    LbmIndicator(
        "lbm_woningvoorraad",
        "won",
        "Leefbaarometer: woningvoorraad",
        "Leefbaarometer: housing stock",
        "afwijking",
        FIRST_DIMENSION_YEAR,
    ),
)
LBM_IDS: tuple[str, ...] = tuple(i.name for i in LBM_INDICATORS)
#: Ids that exist only from :data:`FIRST_DIMENSION_YEAR` (the five dimensions).
DIMENSION_IDS: tuple[str, ...] = tuple(
    i.name for i in LBM_INDICATORS if i.first_year == FIRST_DIMENSION_YEAR
)
_COLUMNS = {i.column: i.name for i in LBM_INDICATORS}
EXTRACT_COLUMNS: list[str] = ["code", "year", *_COLUMNS]


def years_of(indicator: str) -> tuple[int, ...]:
    """Return the years in which a ``lbm_`` id has values (the dimensions: 2014, 2018-2022)."""
    return DIMENSION_YEARS if indicator in DIMENSION_IDS else LBM_YEARS


def extract_leefbaarometer(source: str | Path) -> pd.DataFrame:
    """Derive the compact extract from the Leefbaarometer CSV.

    Parameters
    ----------
    source : str or Path
        ``shared/data/leefbaarometer/leefbaarometer3_wijken_2002_2022.csv``.

    Returns
    -------
    DataFrame
        Columns ``code, year, lbm, afw, fys, onv, soc, vrz, won``, every cell the text of
        the source (``""`` where it wrote ``NA``), rows in the order of the source.

    Raises
    ------
    DataError
        When the file is missing, its header is not the expected one, a value is not a
        number or ``NA``, or a (code, year) appears twice.
    """
    path = Path(source)
    if not path.is_file():
        msg = f"Leefbaarometer-bestand {path} ontbreekt; verwacht {SOURCE_FILE} uit shared/data"
        raise DataError(msg)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows or rows[0] != SOURCE_COLUMNS:
        header = rows[0] if rows else []
        msg = f"{path}: kopregel {header} is niet die van de Leefbaarometer {SOURCE_COLUMNS}"
        raise DataError(msg)
    frame = pd.DataFrame(rows[1:], columns=SOURCE_COLUMNS, dtype=str)
    frame = frame.drop(columns="wk_naam").rename(columns={"wk_code": "code", "jaar": "year"})
    for column in _COLUMNS:
        text = frame[column].replace({"NA": ""})
        bad = text.ne("") & pd.to_numeric(text, errors="coerce").isna()
        if bad.any():
            where = int(np.flatnonzero(bad.to_numpy())[0]) + 2
            msg = (
                f"{path}, regel {where}, kolom {column!r}: {text[bad].iloc[0]!r} is geen "
                "getal en geen NA"
            )
            raise DataError(msg)
        frame[column] = text
    years = set(frame["year"])
    if years != {str(y) for y in LBM_YEARS}:
        msg = f"{path}: years {sorted(years)}; expected {list(LBM_YEARS)}"
        raise DataError(msg)
    duplicated = frame.duplicated(["code", "year"])
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        msg = f"{path}: wijk {first['code']} appears twice for {first['year']}"
        raise DataError(msg)
    logger.info("read %s: %d rows", path.name, len(frame))
    return frame[EXTRACT_COLUMNS].reset_index(drop=True)


def _wijk_table(extract: pd.DataFrame, known_wijken: set[str]) -> pd.DataFrame:
    frame = extract[extract["code"].isin(known_wijken)].copy()
    frame["year"] = frame["year"].astype(int)
    for column, name in _COLUMNS.items():
        frame[name] = pd.to_numeric(frame[column].replace({"": None})).astype(float)
    return frame[["code", "year", *LBM_IDS]]


def weighted_means(wijken: pd.DataFrame, groups: pd.Series, population: pd.Series) -> pd.DataFrame:
    """Population-weighted means of wijk values per group, with their coverage.

    Parameters
    ----------
    wijken : DataFrame
        ``code, year`` and one column per ``lbm_`` id (wijk values; NaN where missing).
    groups : Series
        Wijk code -> group code (e.g. its gemeente). Every wijk of the groups must be in
        it, also those without a value: they count in the coverage.
    population : Series
        Wijk code -> inhabitants (the weights).

    Returns
    -------
    DataFrame
        ``code`` (the group), ``year``, one column per id (NaN where the wijken with a value
        hold less than :data:`MIN_COVERAGE` of the group's inhabitants), and per id
        ``<id>__n`` (wijken with a value) and ``<id>__dekking`` (their share of the group's
        inhabitants).
    """
    weights = population.reindex(groups.index).fillna(0.0).astype(float)
    totals = weights.groupby(groups).sum()
    frame = wijken[wijken["code"].isin(groups.index)].copy()
    frame["_group"] = frame["code"].map(groups)
    frame["_weight"] = frame["code"].map(weights)
    parts = dict(iter(frame.groupby(["_group", "year"], sort=True)))
    empty = frame.iloc[0:0]
    records = []
    # every group and year, also a group without any wijk with a value (no figure then)
    for group in sorted(totals.index):
        for year in sorted(wijken["year"].unique()):
            part = parts.get((group, year), empty)
            records.append(_weighted_record(part, str(group), int(year), float(totals[group])))
    return pd.DataFrame.from_records(records)


def _weighted_record(part: pd.DataFrame, group: str, year: int, total: float) -> dict[str, object]:
    record: dict[str, object] = {"code": group, "year": year}
    for name in LBM_IDS:
        present = part[part[name].notna()]
        weight = present["_weight"].to_numpy(float)
        covered = float(weight.sum()) / total if total > 0 else 0.0
        mean = np.nan
        if weight.sum() > 0 and covered >= MIN_COVERAGE:
            mean = float(np.dot(present[name].to_numpy(float), weight) / weight.sum())
        record[name] = mean
        record[f"{name}__n"] = len(present)
        record[f"{name}__dekking"] = covered
    return record


TIDY_COLUMNS = ["code", "year", *LBM_IDS, "wijken", "dekking", "grens_gewijzigd"]


def tidy_leefbaarometer(
    extract: pd.DataFrame,
    wijken: pd.DataFrame,
    population: pd.Series,
    nl_code: str,
    changed: set[str] | frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """Turn the extract into the tidy Leefbaarometer table (wijk, gemeente and NL rows).

    Parameters
    ----------
    extract : DataFrame
        As :func:`read_extract` returns.
    wijken : DataFrame
        The wijken of KWB indeling 2024: ``code, gemeente_code``.
    population : Series
        Wijk code -> inhabitants on 1 January 2024 (KWB ``a_inw``).
    nl_code : str
        The code of the Netherlands (``NL00``).
    changed : set of str
        Wijk codes whose boundary CBS flags as changed since the year before (KWB 2024
        ``IndelingswijzigingGemeenteWijkBuurt`` = 3: a border moved by about 5 m or more).
        Their code is the same, so they are matched; ``grens_gewijzigd`` flags them.

    Returns
    -------
    DataFrame
        ``code, year``, the seven ids of :data:`LBM_IDS`, ``wijken`` (number of wijken
        averaged; 1 for a wijk), ``dekking`` (their share of the area's inhabitants; 1 for
        a wijk) and ``grens_gewijzigd`` (a wijk: 1 when in ``changed``; an average: how
        many of its wijken are). Only 2024 wijk codes; a wijk's value is never moved to
        another code. Sorted by ``code, year``.
    """
    table = _wijk_table(extract, set(wijken["code"]))
    flagged = table["code"].isin(changed).astype(int)
    table = table.assign(wijken=1, dekking=1.0, grens_gewijzigd=flagged)
    by_gemeente = pd.Series(wijken["gemeente_code"].to_numpy(), index=wijken["code"].to_numpy())
    whole = pd.Series(nl_code, index=wijken["code"].to_numpy())
    parts = [table]
    for groups in (by_gemeente, whole):
        means = _collapse(weighted_means(table, groups, population))
        scored = table[table["lbm_score"].notna()]
        counts = scored.groupby([scored["code"].map(groups), "year"])["grens_gewijzigd"].sum()
        keys = pd.MultiIndex.from_arrays([means["code"], means["year"]])
        means["grens_gewijzigd"] = counts.reindex(keys).fillna(0).astype(int).to_numpy()
        parts.append(means)
    out = pd.concat(parts, ignore_index=True)
    out["wijken"] = out["wijken"].astype(int)
    out["grens_gewijzigd"] = out["grens_gewijzigd"].astype(int)
    return out[TIDY_COLUMNS].sort_values(["code", "year"]).reset_index(drop=True)


def _collapse(means: pd.DataFrame) -> pd.DataFrame:
    # One count and coverage per row: those of the score (present for every year; the
    # dimensions, where published, come from the same wijken).
    out = means[["code", "year", *LBM_IDS]].copy()
    out["wijken"] = means["lbm_score__n"].astype(int)
    out["dekking"] = means["lbm_score__dekking"].astype(float)
    return out


def _percent(share: float) -> str:
    return f"{100 * share:.1f}".replace(".", ",") + "%"


def coverage_note(wijken: int, dekking: float) -> str:
    """The Dutch note of an averaged figure: how many wijken, what share of inhabitants."""
    if dekking < MIN_COVERAGE:
        return (
            f"geen cijfer: de wijken met een Leefbaarometer-score hebben {_percent(dekking)} "
            f"van de inwoners (minstens {MIN_COVERAGE:.0%} nodig; wijkcodes na 2022 gewijzigd)"
        )
    return (
        f"gemiddelde van {wijken} wijken gewogen naar inwoners (KWB {WEIGHT_YEAR}); "
        f"{_percent(dekking)} van de inwoners"
    )


def lbm_long(table: pd.DataFrame) -> pd.DataFrame:
    """Return the tidy Leefbaarometer table in the long form of ``indicators.csv.gz``.

    An (indicator, year) the Leefbaarometer did not publish (the dimensions before 2014 and
    in 2016) gets no rows. Averaged rows (gemeente, NL) carry a note with the number of
    wijken and the share of inhabitants covered, or why there is no figure.
    """
    averaged = table["code"].str[:2] != "WK"
    notes = pd.Series("", index=table.index, dtype=object)
    notes[averaged] = [
        coverage_note(int(n), float(c))
        for n, c in zip(table.loc[averaged, "wijken"], table.loc[averaged, "dekking"], strict=True)
    ]
    wide = table[["code", "year", *LBM_IDS]].assign(note=notes)
    long = wide.melt(id_vars=["code", "year", "note"], var_name="indicator", value_name="value")
    published = long.groupby(["indicator", "year"])["value"].transform("count") > 0
    long = long[published.to_numpy()].reset_index(drop=True)
    units = {i.name: i.unit for i in LBM_INDICATORS}
    long["unit"] = long["indicator"].map(units)
    long["source"] = LBM_CITATION
    long["year"] = long["year"].astype(int)
    long["value"] = long["value"].astype(float)
    return long[["code", "indicator", "year", "value", "unit", "source", "note"]]


def dictionary_rows() -> pd.DataFrame:
    """Return rows in ``meta/variabelen.csv`` form for the seven ``lbm_`` ids."""
    rows = []
    for indicator in LBM_INDICATORS:
        rows.append(
            {
                "source_file": "leefbaarometer_extract",
                "source_column": indicator.column,
                "indicator": indicator.name,
                "label_nl": indicator.label_nl,
                "label_en": indicator.label_en,
                "unit": indicator.unit,
                "direction": 1.0,
                "note": NOTE_ESTIMATE,
            }
        )
    return pd.DataFrame(rows)
