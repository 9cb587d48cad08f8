"""Derive the tidy tables (areas, indicators, dictionary) from the raw CBS files.

Run ``doeagenda data rebuild`` (or :func:`rebuild` and :func:`write_tidy`) after changing
a raw file or ``meta/variabelen.csv``. The test suite checks that the shipped tables in
``doeagenda/data/tidy`` equal a fresh rebuild, so every published number can be traced to
a raw cell.

Boundaries (*indeling*) per source, never joined silently across changed codes:

========================  =========  ==========================================
source                    indeling   rows
========================  =========  ==========================================
KWB 2024 bevolking CSV    2024       NL, 342 gemeenten, 3,393 wijken, 14,574 buurten
KWB 2024 8 variabelen     2024       NL, gemeenten, wijken
KWB 2023 / 2024 xlsx      2023/2024  gemeente Utrecht, its 10 wijken, 111 buurten
Nabijheid 2023 CSV        2023       gemeente Utrecht, its wijken and buurten
KWB 2021 (nlstat)         2021       352 gemeenten; codes merged since 2021 kept,
                                     flagged in ``note``
Regionale kerncijfers     2025       342 gemeenten (matched by name to 2024 codes)
Inkomen huishoudens       2024       342 gemeenten (matched by name to 2024 codes)
RIVM 50090NED extract     2020       NL, gemeenten, wijken, buurten; only codes that
                                     still exist in 2024 are kept (``tidy/rivm.csv.gz``)
Leefbaarometer 3.0        2022       wijken matched to 2024 codes; gemeenten and NL
extract                              as inhabitant-weighted means of their wijken
                                     (``tidy/leefbaarometer.csv.gz``)
========================  =========  ==========================================

The RIVM estimates (36 indicators × 3 survey years) are kept out of the long
``indicators.csv.gz``, which they would multiply sevenfold: they ship as one wide table
``tidy/rivm.csv.gz`` (one row per code and year) that :func:`doeagenda.data.indicators`
turns into long rows only for the level asked for. The Leefbaarometer figures (``lbm_*``,
:mod:`doeagenda.data.lbm`) ship the same way in ``tidy/leefbaarometer.csv.gz``.
"""

from __future__ import annotations

import gzip
import io
import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from doeagenda.data import io as rawio
from doeagenda.data import lbm, rivm
from doeagenda.errors import DataError
from doeagenda.iorw import atomic_write

logger = logging.getLogger(__name__)

LEVELS = ("gemeente", "wijk", "buurt")
CODE_PREFIX = {"GM": "gemeente", "WK": "wijk", "BU": "buurt", "NL": "land"}
NL_CODE = "NL00"


@dataclass(frozen=True)
class Source:
    """A raw file and how to cite it."""

    token: str
    files: tuple[str, ...]
    table: str
    year: str
    citation: str


SOURCES: dict[str, Source] = {
    s.token: s
    for s in (
        Source(
            "kwb2024_bevolking_csv",
            ("kwb2024_nl_gemeente_wijk_buurt_bevolking_leeftijd.csv",),
            "85984NED",
            "2024",
            "CBS, Kerncijfers wijken en buurten 2024 (85984NED), CC BY 4.0",
        ),
        Source(
            "kwb2024_wijk_8vars_json",
            ("kwb2024_gemeente_wijk_8vars.json",),
            "85984NED",
            "2024",
            "CBS, Kerncijfers wijken en buurten 2024 (85984NED, OData), CC BY 4.0",
        ),
        Source(
            "kwb_utrecht_xlsx",
            (
                "kwb2023_gemeente_utrecht_wijk_buurt.xlsx",
                "kwb2024_gemeente_utrecht_wijk_buurt.xlsx",
            ),
            "85618NED/85984NED",
            "2023, 2024",
            "CBS, Kerncijfers wijken en buurten 2023 en 2024 (kwb-2023.xlsx, kwb-2024.xlsx), "
            "gemeente Utrecht, CC BY 4.0",
        ),
        Source(
            "nabijheid2023_csv",
            ("nabijheid_voorzieningen_2023_gemeente_utrecht_buurt.csv",),
            "StatLine",
            "2023",
            "CBS, Nabijheid voorzieningen; afstand locaties, wijk- en buurtcijfers 2023, CC BY 4.0",
        ),
        Source(
            "kwb2021_nlstat",
            ("kwb2021_gemeenten_indicatoren_nlstat.json",),
            "85039NED",
            "2021",
            "CBS, Kerncijfers wijken en buurten 2021 (85039NED), via nlstat; CC BY 4.0",
        ),
        Source(
            "rk2025_csv",
            ("regionale_kerncijfers_2025_gemeenten.csv",),
            "70072NED",
            "2025",
            "CBS, Regionale kerncijfers Nederland (70072NED), 2025, CC BY 4.0",
        ),
        Source(
            "inkomen2024_csv",
            ("inkomen_huishoudens_2024_gemeenten.csv",),
            "StatLine",
            "2024*",
            "CBS, Inkomen van huishoudens; huishoudenskenmerken, regio, 2024 (voorlopig), "
            "CC BY 4.0",
        ),
        Source(
            "rivm50090_extract",
            (rivm.EXTRACT_FILE,),
            "50090NED",
            "2012, 2016, 2020",
            rivm.RIVM_CITATION,
        ),
        Source(
            "rivm50140_csv",
            (rivm.JV_FILE,),
            "50140NED",
            "2024",
            rivm.JV_CITATION,
        ),
        Source(
            "leefbaarometer_extract",
            (lbm.EXTRACT_FILE,),
            "Leefbaarometer 3.0",
            "2002-2022",
            lbm.LBM_CITATION,
        ),
    )
}
#: Sources whose figures are model estimates, not counts (the dictionary's ``estimate``).
ESTIMATE_SOURCES = ("rivm50090_extract", "rivm50140_csv", "leefbaarometer_extract")

#: When two sources give the same (code, indicator, year), the earlier one here wins.
SOURCE_PRIORITY = (
    "kwb2024_bevolking_csv",
    "kwb2024_wijk_8vars_json",
    "kwb_utrecht_xlsx",
    "nabijheid2023_csv",
    "kwb2021_nlstat",
    "rk2025_csv",
    "inkomen2024_csv",
    "rivm50140_csv",
)

LONG_COLUMNS = ["code", "indicator", "year", "value", "unit", "source", "note"]
AREA_COLUMNS = ["code", "name", "level", "gemeente_code", "wijk_code", "provincie"]
DICTIONARY_COLUMNS = [
    "indicator",
    "label_nl",
    "label_en",
    "unit",
    "direction",
    "source",
    "years",
    "levels",
    "note",
    "estimate",
]


def level_of(code: str) -> str:
    """Return the level (land/gemeente/wijk/buurt) of an area code from its prefix."""
    try:
        return CODE_PREFIX[code[:2]]
    except KeyError:
        msg = f"gebiedscode {code!r} begint niet met GM, WK, BU of NL"
        raise DataError(msg) from None


def read_variables() -> pd.DataFrame:
    """Read the hand-compiled map of raw columns to indicator ids (``meta/variabelen.csv``)."""
    with rawio.package_file("meta", "variabelen.csv").open("rb") as handle:
        table = pd.read_csv(handle, dtype=str, keep_default_na=False)
    table["direction"] = pd.to_numeric(table["direction"].replace("", None), errors="raise")
    return table


def _bevolking() -> pd.DataFrame:
    frame = rawio.read_statline_csv(rawio.raw_file(SOURCES["kwb2024_bevolking_csv"].files[0]))
    return frame.rename(
        columns={
            "Wijken en buurten": "name",
            "Regioaanduiding/Gemeentenaam (naam)": "gemeente_name",
            "Regioaanduiding/Soort regio (omschrijving)": "soort",
            "Regioaanduiding/Codering (code)": "code",
        }
    )


def build_areas() -> pd.DataFrame:
    """Build the table of areas (KWB 2024 indeling) with their gemeente and provincie.

    The provincie of each gemeente comes from the KWB 2021 municipal file; the few
    gemeenten that are new since 2021 (or lack a provincie there) come from
    ``meta/provincie_aanvullingen.csv``, which says why for each.
    """
    frame = _bevolking()
    frame = frame[frame["soort"].isin(["Gemeente", "Wijk", "Buurt"])].copy()
    frame["level"] = frame["soort"].str.lower()
    code = frame["code"]
    frame["gemeente_code"] = "GM" + code.str[2:6]
    frame["wijk_code"] = ("WK" + code.str[2:8]).where(frame["level"] == "buurt", "")
    frame.loc[frame["level"] == "wijk", "wijk_code"] = code[frame["level"] == "wijk"]

    nlstat = rawio.read_json(rawio.raw_file(SOURCES["kwb2021_nlstat"].files[0]))["Gemeente"]
    provincie = {key: entry["Provincie"] for key, entry in nlstat.items() if entry["Provincie"]}
    with rawio.package_file("meta", "provincie_aanvullingen.csv").open("rb") as handle:
        extra = pd.read_csv(handle, dtype=str)
    provincie.update(dict(zip(extra["code"], extra["provincie"], strict=True)))
    frame["provincie"] = frame["gemeente_code"].map(provincie)
    missing = frame.loc[frame["provincie"].isna(), "gemeente_code"].unique()
    if len(missing):
        msg = (
            f"geen provincie bekend voor gemeenten {sorted(missing)}; voeg ze toe aan "
            "doeagenda/data/meta/provincie_aanvullingen.csv"
        )
        raise DataError(msg)
    return frame[AREA_COLUMNS].sort_values("code").reset_index(drop=True)


def _melt(
    frame: pd.DataFrame, columns: dict[str, str], year: int, token: str, note: str = ""
) -> pd.DataFrame:
    """Turn wide raw rows (with a ``code`` column) into long rows for the given columns."""
    present = {source: target for source, target in columns.items() if source in frame.columns}
    absent = sorted(set(columns) - set(present))
    if absent:
        msg = f"kolommen {absent} uit meta/variabelen.csv staan niet in het ruwe bestand ({token})"
        raise DataError(msg)
    long = frame[["code", *present]].melt(id_vars="code", var_name="column", value_name="raw")
    long["indicator"] = long["column"].map(present)
    long["value"], long["note"] = rawio.to_number(long["raw"])
    if note:
        long["note"] = long["note"].where(long["note"] != "", note)
    long["year"] = year
    long["source_file"] = token
    return long[["code", "indicator", "year", "value", "note", "source_file"]]


def _columns(variables: pd.DataFrame, token: str) -> dict[str, str]:
    rows = variables[variables["source_file"] == token]
    return dict(zip(rows["source_column"], rows["indicator"], strict=True))


def _name_to_code(areas: pd.DataFrame) -> dict[str, str]:
    gemeenten = areas[areas["level"] == "gemeente"]
    mapping = dict(zip(gemeenten["name"], gemeenten["code"], strict=True))
    mapping["Nederland"] = NL_CODE
    return mapping


def _match_names(names: pd.Series, mapping: dict[str, str], token: str) -> pd.Series:
    cleaned = names.str.replace(" (gemeente)", "", regex=False)
    codes = cleaned.map(mapping)
    unmatched = sorted(names[codes.isna()].unique())
    if unmatched:
        msg = f"{token}: regionamen {unmatched[:5]} passen bij geen gemeente van de indeling 2024"
        raise DataError(msg)
    return codes


def _long_bevolking(variables: pd.DataFrame) -> pd.DataFrame:
    frame = _bevolking()
    return _melt(frame, _columns(variables, "kwb2024_bevolking_csv"), 2024, "kwb2024_bevolking_csv")


def _long_8vars(variables: pd.DataFrame) -> pd.DataFrame:
    data = rawio.read_json(rawio.raw_file(SOURCES["kwb2024_wijk_8vars_json"].files[0]))
    frame = pd.DataFrame.from_dict(data, orient="index").rename_axis("code").reset_index()
    frame = frame.astype(str).replace({"None": "", "nan": ""})
    return _melt(
        frame, _columns(variables, "kwb2024_wijk_8vars_json"), 2024, "kwb2024_wijk_8vars_json"
    )


def _long_kwb_xlsx(variables: pd.DataFrame) -> pd.DataFrame:
    columns = _columns(variables, "kwb_utrecht_xlsx")
    parts = []
    for file_name, year in zip(SOURCES["kwb_utrecht_xlsx"].files, (2023, 2024), strict=True):
        frame = rawio.read_kwb_xlsx(rawio.raw_file(file_name)).rename(
            columns={"gwb_code_10": "code"}
        )
        parts.append(_melt(frame, columns, year, "kwb_utrecht_xlsx"))
    return pd.concat(parts, ignore_index=True)


def _long_nabijheid(variables: pd.DataFrame) -> pd.DataFrame:
    frame = rawio.read_statline_csv(rawio.raw_file(SOURCES["nabijheid2023_csv"].files[0]))
    frame = frame.rename(columns={"Regioaanduiding/Codering (code)": "code"})
    return _melt(frame, _columns(variables, "nabijheid2023_csv"), 2023, "nabijheid2023_csv")


def _long_nlstat(variables: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    data = rawio.read_json(rawio.raw_file(SOURCES["kwb2021_nlstat"].files[0]))
    records = {}
    for code, entry in [*data["Gemeente"].items(), (NL_CODE, data["Netherlands Total"])]:
        flat = {"population": entry.get("Population")}
        for group, values in entry.items():
            if isinstance(values, dict):
                flat.update({f"{group}|{label}": value for label, value in values.items()})
        records[code] = flat
    frame = pd.DataFrame.from_dict(records, orient="index").rename_axis("code").reset_index()
    frame = frame.astype(str).replace({"None": "", "nan": ""})
    long = _melt(frame, _columns(variables, "kwb2021_nlstat"), 2021, "kwb2021_nlstat")
    # Same indicator under two JSON groups (e.g. household size): identical values, keep one.
    long = long.drop_duplicates(["code", "indicator", "year"])
    # nlstat's "Netherlands Total" is an unweighted mean of the gemeente values, not a CBS
    # national figure: keep it, but say so on every row.
    national = long["code"] == NL_CODE
    long.loc[national, "note"] = "ongewogen gemiddelde van gemeenten (nlstat), geen CBS-landcijfer"
    current = set(areas["code"]) | {NL_CODE}
    gone = ~long["code"].isin(current)
    long.loc[gone, "note"] = (
        long.loc[gone, "note"].where(long.loc[gone, "note"] == "", long.loc[gone, "note"] + "; ")
        + "gemeente bestaat niet meer in indeling 2024 (samengevoegd)"
    ).str.lstrip("; ")
    return long


def _long_rk2025(variables: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    frame = rawio.read_statline_csv(rawio.raw_file(SOURCES["rk2025_csv"].files[0]))
    columns = _columns(variables, "rk2025_csv")
    filled = frame[list(columns)].ne("").any(axis=1)
    frame = frame[filled].copy()
    frame["code"] = _match_names(frame["Regio's"], _name_to_code(areas), "rk2025_csv")
    years = frame["Perioden"].str.rstrip("*").astype(int).unique()
    return _melt(frame, columns, int(years[0]), "rk2025_csv")


def _long_inkomen(variables: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    frame = rawio.read_statline_csv(
        rawio.raw_file(SOURCES["inkomen2024_csv"].files[0]), fix_quotes=True
    )
    frame["code"] = _match_names(frame["Regio's"], _name_to_code(areas), "inkomen2024_csv")
    provisional = frame["Perioden"].str.endswith("*").all()
    year = int(frame["Perioden"].str.rstrip("*").iloc[0])
    note = "voorlopig cijfer (CBS 2024*)" if provisional else ""
    return _melt(frame, _columns(variables, "inkomen2024_csv"), year, "inkomen2024_csv", note)


def _long_jongvolwassenen(variables: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """RIVM 50140NED (young adults 2024): NL and the gemeenten of 2024; GGD regions dropped."""
    frame = rawio.read_statline_csv(rawio.raw_file(rivm.JV_FILE))
    frame = frame[frame["Marges"] == rivm.POINT_ESTIMATE]
    frame["code"] = frame["RegioS"].replace({rivm.RIVM_NL_CODE: NL_CODE})
    unknown = sorted(
        set(frame.loc[frame["code"].str.startswith("GM"), "code"]) - set(areas["code"])
    )
    if unknown:
        msg = f"{rivm.JV_FILE}: gemeentecodes {unknown[:5]} horen niet bij de indeling 2024"
        raise DataError(msg)
    frame = frame[frame["code"].str.startswith("GM") | (frame["code"] == NL_CODE)]
    long = _melt(frame, _columns(variables, "rivm50140_csv"), rivm.JV_YEAR, "rivm50140_csv")
    # An empty cell here is RIVM's (too few respondents), not a CBS export gap.
    long.loc[long["value"].isna(), "note"] = rivm.NOTE_NO_ESTIMATE
    return long


def build_indicators(areas: pd.DataFrame, variables: pd.DataFrame) -> pd.DataFrame:
    """Build the long indicator table from every raw file.

    Where two sources report the same (code, indicator, year), a present value beats a
    missing one, then :data:`SOURCE_PRIORITY` decides.
    """
    parts = [
        _long_bevolking(variables),
        _long_8vars(variables),
        _long_kwb_xlsx(variables),
        _long_nabijheid(variables),
        _long_nlstat(variables, areas),
        _long_rk2025(variables, areas),
        _long_inkomen(variables, areas),
        _long_jongvolwassenen(variables, areas),
    ]
    long = pd.concat(parts, ignore_index=True)
    long["priority"] = long["source_file"].map({t: i for i, t in enumerate(SOURCE_PRIORITY)})
    long["missing"] = long["value"].isna()
    long = long.sort_values(["code", "indicator", "year", "missing", "priority"])
    long = long.drop_duplicates(["code", "indicator", "year"], keep="first")
    units = variables.drop_duplicates("indicator").set_index("indicator")["unit"]
    long["unit"] = long["indicator"].map(units)
    long["source"] = long["source_file"].map({t: s.citation for t, s in SOURCES.items()})
    long["year"] = long["year"].astype(int)
    return long[LONG_COLUMNS].sort_values(["code", "indicator", "year"]).reset_index(drop=True)


def rivm_long(table: pd.DataFrame) -> pd.DataFrame:
    """Return the tidy RIVM table (wide, see :func:`rivm.tidy_rivm`) in long form.

    An (indicator, year) that RIVM did not publish at all (the 18-64 group in 2020,
    ``beperkt_gezondheid`` before 2020, ``vrijwilligerswerk``, ``sociaal_eenzaam`` and
    ``beweegrichtlijn`` in 2012) gets no rows; a single area without an estimate gets a
    row with a missing value and a note.
    """
    long = table.melt(id_vars=["code", "year"], var_name="indicator", value_name="value")
    published = long.groupby(["indicator", "year"])["value"].transform("count") > 0
    long = long[published.to_numpy()].reset_index(drop=True)
    long["unit"] = "%"
    long["source"] = rivm.RIVM_CITATION
    long["note"] = ""
    long.loc[long["value"].isna(), "note"] = rivm.NOTE_NO_ESTIMATE
    long["year"] = long["year"].astype(int)
    long["value"] = long["value"].astype(float)
    return long[LONG_COLUMNS]


def build_rivm(areas: pd.DataFrame) -> pd.DataFrame:
    """Build the tidy RIVM table from the shipped extract (codes of indeling 2024 only)."""
    with rawio.raw_file(rivm.EXTRACT_FILE).open("rb") as handle:
        extract = rivm.read_extract(handle)
    return rivm.tidy_rivm(extract, set(areas["code"]), NL_CODE)


def build_leefbaarometer(areas: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Build the tidy Leefbaarometer table from the shipped extract.

    Wijken on 2024 codes; gemeenten and NL weighted by KWB 2024 inhabitants per wijk
    (``a_inw`` of the long indicator table), see :mod:`doeagenda.data.lbm`.
    """
    with rawio.raw_file(lbm.EXTRACT_FILE).open("rb") as handle:
        extract = lbm.read_extract(handle)
    wijken = areas[areas["level"] == "wijk"][["code", "gemeente_code"]]
    weights = indicators[
        (indicators["indicator"] == lbm.WEIGHT_INDICATOR)
        & (indicators["year"] == lbm.WEIGHT_YEAR)
        & indicators["code"].str.startswith("WK")
    ].set_index("code")["value"]
    # KWB 2024 flags areas whose boundary moved since 2023 (code 3); same code, so matched,
    # but the reports say so.
    kwb = _bevolking()
    flag = kwb["Regioaanduiding/Indelingswijziging gemeente, wijk, buurt (code)"]
    changed = set(kwb.loc[(flag == "3") & kwb["code"].str.startswith("WK"), "code"])
    return lbm.tidy_leefbaarometer(extract, wijken, weights, NL_CODE, changed)


def build_dictionary(
    variables: pd.DataFrame,
    indicators: pd.DataFrame,
    rivm_table: pd.DataFrame | None = None,
    lbm_table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Build the indicator dictionary: labels, unit, direction, sources, years and levels.

    ``estimate`` is True for model-based estimates (RIVM *kleine-domeinschattingen*, the
    Leefbaarometer), which are not counts and must be shown as such.
    """
    if rivm_table is not None:
        indicators = pd.concat([indicators, rivm_long(rivm_table)], ignore_index=True)
    if lbm_table is not None:
        indicators = pd.concat([indicators, lbm.lbm_long(lbm_table)], ignore_index=True)
    first = variables.drop_duplicates("indicator").set_index("indicator")
    present = indicators.assign(level=indicators["code"].map(level_of))
    coverage = present.dropna(subset=["value"]).groupby("indicator")
    years = coverage["year"].agg(lambda s: ", ".join(str(y) for y in sorted(s.unique())))
    levels = coverage["level"].agg(
        lambda s: ", ".join(lv for lv in ("land", *LEVELS) if lv in set(s))
    )
    sources = variables.groupby("indicator")["source_file"].agg(
        lambda s: "; ".join(SOURCES[t].citation for t in dict.fromkeys(s))
    )
    table = pd.DataFrame(
        {
            "indicator": first.index,
            "label_nl": first["label_nl"].to_numpy(),
            "label_en": first["label_en"].to_numpy(),
            "unit": first["unit"].to_numpy(),
            "direction": first["direction"].to_numpy(),
            "source": sources.reindex(first.index).to_numpy(),
            "years": years.reindex(first.index).fillna("").to_numpy(),
            "levels": levels.reindex(first.index).fillna("").to_numpy(),
            "note": first["note"].to_numpy(),
            "estimate": first["source_file"].isin(ESTIMATE_SOURCES).to_numpy(),
        }
    )
    return table[DICTIONARY_COLUMNS].sort_values("indicator").reset_index(drop=True)


def rebuild() -> dict[str, pd.DataFrame]:
    """Derive all tidy tables from the raw files (no I/O besides reading the package)."""
    # The RIVM and Leefbaarometer ids are defined in code (doeagenda/data/rivm.py,
    # doeagenda/data/lbm.py), not in variabelen.csv.
    variables = pd.concat(
        [read_variables(), rivm.dictionary_rows(), lbm.dictionary_rows()],
        ignore_index=True,
    )
    areas = build_areas()
    indicators = build_indicators(areas, variables)
    rivm_table = build_rivm(areas)
    lbm_table = build_leefbaarometer(areas, indicators)
    dictionary = build_dictionary(variables, indicators, rivm_table, lbm_table)
    return {
        "areas": areas,
        "indicators": indicators,
        "dictionary": dictionary,
        "rivm": rivm_table,
        "leefbaarometer": lbm_table,
    }


TIDY_FILES = {
    "areas": "areas.csv",
    "indicators": "indicators.csv.gz",
    "dictionary": "dictionary.csv",
    "rivm": "rivm.csv.gz",
    "leefbaarometer": "leefbaarometer.csv.gz",
}


def write_tidy(tables: dict[str, pd.DataFrame], directory: Path) -> list[Path]:
    """Write the tidy tables atomically; gzip without a timestamp so rebuilds are byte-stable."""
    written = []
    for name, file_name in TIDY_FILES.items():
        text = tables[name].to_csv(index=False, lineterminator="\n").encode("utf-8")
        if file_name.endswith(".gz"):
            buffer = io.BytesIO()
            with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as gz:
                gz.write(text)
            text = buffer.getvalue()
        target = atomic_write(directory / file_name, text)
        written.append(target)
        logger.info("wrote %s", target)
    return written
