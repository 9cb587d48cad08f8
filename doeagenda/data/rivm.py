"""RIVM *Gezondheid per wijk en buurt* (StatLine 50090NED): extract, indicator ids, indeling.

The raw source is eight Excel files (one per survey year × age group, 17,341 rows × 43
columns each) that live outside the repository, in ``shared/data/rivm/`` (see
``doeagenda/data/PROVENANCE.md``). Reading them with openpyxl takes tens of seconds, so the
package ships a **compact extract** derived by :func:`extract_rivm`:

* only point estimates (``Marges == "MW00000"``);
* only the twelve indicators of :data:`RIVM_INDICATORS`, renamed to their binding names;
* one row per (area code, survey year, age group), values kept as the text RIVM wrote
  (spaces stripped), an empty cell where RIVM gave no estimate.

``doeagenda data rebuild`` starts from that extract; only ``tests/test_data_rivm.py``
(marked ``slow``) reads the Excel files, to prove the extract equals them.

The figures are model-based small-area estimates (*kleine-domeinschattingen*), not counts,
on the **2020** CBS indeling. They are matched to the 2024 areas on their codes only: a
2024 area whose code did not exist in 2020 gets no RIVM value (never copied across a
boundary change, never imputed); :func:`rivm_coverage` says which areas that are.
"""

from __future__ import annotations

import gzip
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pandas as pd

from doeagenda.errors import DataError

logger = logging.getLogger(__name__)

#: The eight files of table 50090NED: (file name, survey year, age group as RIVM codes it).
RIVM_FILES: tuple[tuple[str, int, int], ...] = (
    ("2012_18+.xlsx", 2012, 20300),
    ("2012_18_65.xlsx", 2012, 53115),
    ("2012_65+.xlsx", 2012, 80200),
    ("2016_18+.xlsx", 2016, 20300),
    ("2016_18_65.xlsx", 2016, 53115),
    ("2016_65+.xlsx", 2016, 80200),
    ("RIVM_gezondheid2020_18+.xlsx", 2020, 20300),
    ("RIVM_gezondheid2020_65+.xlsx", 2020, 80200),
)

#: RIVM's ``Leeftijd`` codes → the age part of the binding indicator ids.
RIVM_AGES: dict[int, str] = {20300: "18plus", 53115: "18_64", 80200: "65plus"}
AGE_LABELS_NL: dict[str, str] = {"18plus": "18+", "18_64": "18-64 jaar", "65plus": "65+"}
AGE_LABELS_EN: dict[str, str] = {"18plus": "18+", "18_64": "18-64", "65plus": "65+"}

POINT_ESTIMATE = "MW00000"
RIVM_NL_CODE = "NL01"
RIVM_INDELING = 2020
RIVM_SOURCE_DIR = "rivm/50090NED_gezondheid_wijk_buurt"
EXTRACT_FILE = "rivm_50090NED_extract.csv.gz"
RIVM_CITATION = (
    "RIVM, Gezondheid per wijk en buurt (50090NED; Gezondheidsmonitor Volwassenen en "
    "Ouderen van GGD'en, CBS en RIVM), kleine-domeinschatting, indeling 2020"
)
NOTE_NO_ESTIMATE = "geen schatting in RIVM-bestand (lege cel)"
NOTE_INDELING = "geen gegevens (indeling gewijzigd na 2020)"


@dataclass(frozen=True)
class RivmIndicator:
    """One RIVM indicator: its raw column, labels and direction (+1: higher is better)."""

    name: str
    column: str
    label_nl: str
    label_en: str
    direction: int


RIVM_INDICATORS: tuple[RivmIndicator, ...] = (
    RivmIndicator(
        "ervaren_gezondheid_goed",
        "ErvarenGezondheidGoedZeerGoed_4",
        "Ervaren gezondheid goed of zeer goed",
        "Self-rated health good or very good",
        1,
    ),
    RivmIndicator(
        "beweegrichtlijn",
        "VoldoetAanBeweegrichtlijn_5",
        "Voldoet aan de beweegrichtlijn",
        "Meets the physical activity guideline",
        1,
    ),
    RivmIndicator("overgewicht", "Overgewicht_9", "Overgewicht", "Overweight", -1),
    RivmIndicator(
        "beperkt_gezondheid",
        "BeperktVanwegeGezondheid_17",
        "Beperkt vanwege gezondheid",
        "Limited in activities because of health",
        -1,
    ),
    RivmIndicator(
        "angst_depressie_risico",
        "HoogRisicoOpAngstOfDepressie_25",
        "Hoog risico op angststoornis of depressie",
        "High risk of anxiety disorder or depression",
        -1,
    ),
    RivmIndicator("eenzaam", "Eenzaam_28", "Eenzaam", "Lonely", -1),
    RivmIndicator(
        "ernstig_eenzaam",
        "ErnstigZeerErnstigEenzaam_29",
        "Ernstig of zeer ernstig eenzaam",
        "Severely or very severely lonely",
        -1,
    ),
    RivmIndicator(
        "emotioneel_eenzaam", "EmotioneelEenzaam_30", "Emotioneel eenzaam", "Emotionally lonely", -1
    ),
    RivmIndicator("sociaal_eenzaam", "SociaalEenzaam_31", "Sociaal eenzaam", "Socially lonely", -1),
    RivmIndicator("mantelzorger", "Mantelzorger_32", "Mantelzorger", "Informal caregiver", 1),
    RivmIndicator(
        "vrijwilligerswerk", "Vrijwilligerswerk_33", "Doet vrijwilligerswerk", "Volunteers", 1
    ),
    RivmIndicator(
        "moeite_rondkomen",
        "MoeiteMetRondkomen_38",
        "Moeite met rondkomen",
        "Difficulty making ends meet",
        -1,
    ),
)
RIVM_NAMES: tuple[str, ...] = tuple(i.name for i in RIVM_INDICATORS)

#: Young adults (16-25 jaar), StatLine 50140NED, gemeenten 2024: a different population and
#: questionnaire from 50090NED, so separate ``rivm_jv_<name>`` ids (never mixed with 18+).
JV_FILE = "rivm_50140NED_jongvolwassenen_2024.csv"
JV_YEAR = 2024
JV_CITATION = (
    "RIVM, Gezondheidsmonitor Jongvolwassenen 2024 (50140NED; GGD'en en RIVM), 16-25 jaar, "
    "gemeenten indeling 2024"
)
JV_NOTE = (
    "schatting uit de Gezondheidsmonitor Jongvolwassenen 2024 (16-25 jaar), geen telling; "
    "andere vragen en leeftijd dan de rivm_*_18plus-cijfers"
)
RIVM_JV_INDICATORS: tuple[RivmIndicator, ...] = (
    RivmIndicator(
        "ervaren_gezondheid_goed",
        "GoedErvarenGezondheid_6",
        "Jongvolwassenen: ervaren gezondheid goed",
        "Young adults: self-rated health good",
        1,
    ),
    RivmIndicator(
        "mentale_gezondheid_goed",
        "GoedErvarenMentaleGezondheid_12",
        "Jongvolwassenen: ervaren mentale gezondheid goed",
        "Young adults: self-rated mental health good",
        1,
    ),
    RivmIndicator(
        "tevreden_eigen_leven",
        "TevredenMetEigenLeven_11",
        "Jongvolwassenen: tevreden met eigen leven",
        "Young adults: satisfied with own life",
        1,
    ),
    RivmIndicator(
        "eenzaam",
        "EnigszinsTotSterkEenzaam_53",
        "Jongvolwassenen: enigszins tot sterk eenzaam",
        "Young adults: somewhat to very lonely",
        -1,
    ),
    RivmIndicator(
        "sterk_eenzaam",
        "SterkEenzaam_54",
        "Jongvolwassenen: sterk eenzaam",
        "Young adults: very lonely",
        -1,
    ),
    RivmIndicator(
        "sociaal_eenzaam",
        "EnigszinsTotSterkSociaalEenzaam_55",
        "Jongvolwassenen: enigszins tot sterk sociaal eenzaam",
        "Young adults: somewhat to very socially lonely",
        -1,
    ),
    RivmIndicator(
        "emotioneel_eenzaam",
        "EnigszinsTotSterkEmotioneelEenzaam_57",
        "Jongvolwassenen: enigszins tot sterk emotioneel eenzaam",
        "Young adults: somewhat to very emotionally lonely",
        -1,
    ),
    RivmIndicator(
        "moeite_rondkomen",
        "MoeiteMetRondkomen_1",
        "Jongvolwassenen: moeite met rondkomen",
        "Young adults: difficulty making ends meet",
        -1,
    ),
    RivmIndicator(
        "mantelzorger",
        "Mantelzorger_127",
        "Jongvolwassenen: mantelzorger",
        "Young adults: informal caregiver",
        1,
    ),
    RivmIndicator(
        "kan_terecht_bij_iemand",
        "KanBijIemandTerechtBijProbleem_130",
        "Jongvolwassenen: kan bij iemand terecht met een probleem",
        "Young adults: has someone to turn to with a problem",
        1,
    ),
    RivmIndicator(
        "vertrouwen_toekomst",
        "VeelVertrouwenInEigenToekomst_43",
        "Jongvolwassenen: veel vertrouwen in eigen toekomst",
        "Young adults: much confidence in own future",
        1,
    ),
)


def jv_indicator_id(name: str) -> str:
    """Return the id of a young-adult indicator: ``rivm_jv_<name>``."""
    return f"rivm_jv_{name}"


EXTRACT_COLUMNS: list[str] = ["code", "year", "age", *RIVM_NAMES]


def indicator_id(name: str, age: str) -> str:
    """Return the binding indicator id ``rivm_<name>_<age>`` (e.g. ``rivm_eenzaam_18plus``)."""
    return f"rivm_{name}_{age}"


def indicator_ids() -> list[str]:
    """Return all 36 RIVM indicator ids (12 indicators × 3 age groups)."""
    return [indicator_id(i.name, age) for i in RIVM_INDICATORS for age in RIVM_AGES.values()]


def _read_sheet(path: Path) -> pd.DataFrame:
    # Imported here: only the slow extract test reads the Excel files.
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows)
        frame = pd.DataFrame(list(rows), columns=header)
    finally:
        workbook.close()
    return frame


def _clean_text(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip().fillna("")
    bad = text.ne("") & text.ne(".") & pd.to_numeric(text, errors="coerce").isna()
    if bad.any():
        msg = (
            f"RIVM-waarde {text[bad].iloc[0]!r} is geen getal; verwacht tekst als '76.1', "
            "'.' (geheim/ontbrekend) of een lege cel"
        )
        raise DataError(msg)
    return text.astype(object)


def extract_rivm(source_dir: str | Path) -> pd.DataFrame:
    """Derive the compact RIVM extract from the eight 50090NED Excel files.

    Parameters
    ----------
    source_dir : str or Path
        The folder ``shared/data/rivm/50090NED_gezondheid_wijk_buurt``.

    Returns
    -------
    DataFrame
        Columns ``code, year, age`` and the twelve names of :data:`RIVM_NAMES`; every cell
        a string (the value as RIVM wrote it, spaces stripped; ``"."`` for a figure
        StatLine marks as missing or secret, ``""`` for an empty cell).
        Sorted by ``year, age, code``. ``NL01`` is kept as RIVM writes it.

    Raises
    ------
    DataError
        When a file is missing, a column is absent, or a file's year or age group is not
        the one its name says.
    """
    source_dir = Path(source_dir)
    parts = []
    for file_name, year, age_code in RIVM_FILES:
        path = source_dir / file_name
        if not path.is_file():
            msg = f"RIVM-bestand {path} ontbreekt; verwacht de 8 bestanden van {RIVM_SOURCE_DIR}"
            raise DataError(msg)
        frame = _read_sheet(path)
        wanted = [i.column for i in RIVM_INDICATORS]
        absent = [
            c
            for c in ["Leeftijd", "Marges", "WijkenEnBuurten", "Perioden", *wanted]
            if c not in frame
        ]
        if absent:
            msg = f"{path}: kolommen {absent} ontbreken; verwacht een StatLine-export van 50090NED"
            raise DataError(msg)
        frame = frame[frame["Marges"].astype(str).str.strip() == POINT_ESTIMATE]
        periods = set(frame["Perioden"].astype(str).str.strip())
        ages = set(frame["Leeftijd"].astype(int))
        if periods != {f"{year}JJ00"} or ages != {age_code}:
            msg = (
                f"{path}: bevat Perioden {sorted(periods)} en Leeftijd {sorted(ages)}; "
                f"verwacht {year}JJ00 en {age_code}"
            )
            raise DataError(msg)
        out = pd.DataFrame(
            {
                "code": frame["WijkenEnBuurten"].astype(str).str.strip().to_numpy(),
                "year": str(year),
                "age": RIVM_AGES[age_code],
            }
        )
        for indicator in RIVM_INDICATORS:
            out[indicator.name] = _clean_text(frame[indicator.column]).to_numpy()
        logger.info("read %s: %d rows", path.name, len(out))
        parts.append(out)
    extract = pd.concat(parts, ignore_index=True)
    return extract.sort_values(["year", "age", "code"]).reset_index(drop=True)[EXTRACT_COLUMNS]


def extract_bytes(extract: pd.DataFrame) -> bytes:
    """Return the extract as gzip'ed CSV bytes (no timestamp, so they are reproducible)."""
    text = extract.to_csv(index=False, lineterminator="\n").encode("utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as gz:
        gz.write(text)
    return buffer.getvalue()


def read_extract(handle: str | Path | IO[bytes]) -> pd.DataFrame:
    """Read the shipped extract with every cell as a string (as :func:`extract_rivm` returns)."""
    return pd.read_csv(handle, compression="gzip", dtype=str, keep_default_na=False)


def tidy_rivm(extract: pd.DataFrame, known_codes: set[str], nl_code: str) -> pd.DataFrame:
    """Turn the extract into the tidy RIVM table: one row per (code, year), one column per id.

    Only codes of the 2024 indeling (``known_codes``) are kept, plus the Netherlands
    (``NL01`` becomes ``nl_code``): a 2020 code that no longer exists names an area that
    is gone, and its value is not moved to any 2024 area.

    Returns
    -------
    DataFrame
        ``code, year`` and the 36 ids of :func:`indicator_ids` as floats (NaN: no estimate,
        or that age group was not published that year). Sorted by ``code, year``.
    """
    frame = extract.copy()
    frame["code"] = frame["code"].replace({RIVM_NL_CODE: nl_code})
    frame = frame[frame["code"].isin(known_codes | {nl_code})]
    frame["year"] = frame["year"].astype(int)
    long = frame.melt(id_vars=["code", "year", "age"], var_name="name", value_name="value")
    long["value"] = pd.to_numeric(long["value"].replace({"": None, ".": None})).astype(float)
    long["indicator"] = "rivm_" + long["name"] + "_" + long["age"]
    wide = long.pivot(index=["code", "year"], columns="indicator", values="value")
    wide = wide.reindex(columns=indicator_ids())
    wide.columns.name = None
    return wide.reset_index().sort_values(["code", "year"]).reset_index(drop=True)


def dictionary_rows() -> pd.DataFrame:
    """Return rows in ``meta/variabelen.csv`` form for the 36 RIVM ids and the ``rivm_jv_`` ids."""
    rows = []
    for indicator in RIVM_INDICATORS:
        for age in RIVM_AGES.values():
            rows.append(
                {
                    "source_file": "rivm50090_extract",
                    "source_column": f"{indicator.column}|{age}",
                    "indicator": indicator_id(indicator.name, age),
                    "label_nl": f"{indicator.label_nl} ({AGE_LABELS_NL[age]})",
                    "label_en": f"{indicator.label_en} ({AGE_LABELS_EN[age]})",
                    "unit": "%",
                    "direction": float(indicator.direction),
                    "note": "kleine-domeinschatting RIVM (modelschatting, geen telling); indeling 2020",
                }
            )
    for indicator in RIVM_JV_INDICATORS:
        rows.append(
            {
                "source_file": "rivm50140_csv",
                "source_column": indicator.column,
                "indicator": jv_indicator_id(indicator.name),
                "label_nl": f"{indicator.label_nl} (16-25 jaar)",
                "label_en": f"{indicator.label_en} (16-25)",
                "unit": "%",
                "direction": float(indicator.direction),
                "note": JV_NOTE,
            }
        )
    return pd.DataFrame(rows)
