"""Lokale Energie Monitor 2019 (HIER opgewekt): the shipped workbooks, read and mapped to 2024.

The three appendices of the monitor ship unchanged in ``doeagenda/data/raw``
(:data:`LEM_FILES`; sources in ``doeagenda/data/PROVENANCE.md``). :func:`monitor_table`
reads every data row of the five data sheets into one table, one row per monitor row, with
the monitor's own values kept as written (``gemeente_lem``, ``jaar_lem``, ``status_lem``)
next to the parsed ones, and the gemeente mapped to its **CBS 2024** code:

1. the monitor's name as CBS writes it (case, spaces and trailing spaces ignored);
2. otherwise the explicit, documented :data:`GEMEENTE_MAP`: spelling variants, CBS names
   with a province suffix, gemeenten merged since 2019 (each with its year), and places
   (woonplaatsen) named instead of their gemeente;
3. otherwise no code: :func:`unmapped` lists the row. The monitor's "diverse locaties",
   "meerdere gemeenten" and "meerdere locaties" are not one gemeente; they are mapped to
   no code on purpose (:data:`NOT_A_GEMEENTE`) and kept apart by the register.

Nothing is guessed: a name that is neither a CBS name nor in the map is reported, never
matched by similarity.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

import pandas as pd

from doeagenda.data.io import number_text, raw_file
from doeagenda.errors import DataError

__all__ = [
    "BRON",
    "GEMEENTE_MAP",
    "KIND_LOCAL",
    "KIND_PRODUCTION",
    "KIND_SOLAR",
    "KIND_WIND",
    "LEM_FILES",
    "LEM_SHEETS",
    "NATIONAL_TOTALS",
    "NOT_A_GEMEENTE",
    "SOURCE_DIR",
    "monitor_table",
    "read_sheet",
    "unmapped",
]

logger = logging.getLogger(__name__)

#: Citation of the source, as every table and report gives it.
BRON = "Lokale Energie Monitor 2019, HIER opgewekt"
#: Folder of the workbooks under the project's shared data (``shared/data/``).
SOURCE_DIR = "initiatieven/lem2019"
#: The three appendices, shipped byte for byte.
LEM_FILES = (
    "LEM2019_BIJLAGE_ENERGIECOOPERATIES.xlsx",
    "LEM2019_BIJLAGE_COLLECTIEVE_ZON.xlsx",
    "LEM2019_BIJLAGE_COLLECTIEVE_WIND.xlsx",
)

#: The kinds of the monitor (the register's ``thema`` and ``soort``).
KIND_LOCAL = "energiecoöperatie"
KIND_PRODUCTION = "productiecoöperatie"
KIND_SOLAR = "collectief zonproject"
KIND_WIND = "collectief windproject"

#: (file, sheet, kind, planned): the data sheets. Empty sheets (Blad2, Blad3) are ignored.
LEM_SHEETS: tuple[tuple[str, str, str, bool], ...] = (
    (LEM_FILES[0], "LOKALE COÖPERATIES", KIND_LOCAL, False),
    (LEM_FILES[0], "PRODUCTIE-COÖPERATIES", KIND_PRODUCTION, False),
    (LEM_FILES[1], "ZON GEREALISEERD ", KIND_SOLAR, False),
    (LEM_FILES[1], "PIJPLIJN GEPLAND+VOORBEREIDING", KIND_SOLAR, True),
    (LEM_FILES[2], "GEREALISEERD", KIND_WIND, False),
    (LEM_FILES[2], "PIJPLIJN GEPLAND+ VOORBEREIDING", KIND_WIND, True),
)

#: National numbers of local energy cooperatives the monitor published in later years
#: (counts only; the 2021 figure is the revised one).
NATIONAL_TOTALS: dict[int, int] = {2019: 450, 2020: 623, 2021: 697, 2022: 705, 2023: 714}

#: Names that stand for several gemeenten: no code, on purpose.
NOT_A_GEMEENTE = ("diverse locaties", "meerdere gemeenten", "meerdere locaties")

#: Monitor name (or ``provincie|name`` where one name is two places) -> (CBS 2024 name, why).
#: Keys are compared case-insensitively with spaces collapsed.
GEMEENTE_MAP: dict[str, tuple[str, str]] = {
    # spelling in the monitor
    "Ronde Venen": ("De Ronde Venen", "schrijfwijze"),
    "Den Haag": ("'s-Gravenhage", "CBS-naam van Den Haag"),
    "Capelle aan de ijssel": ("Capelle aan den IJssel", "schrijfwijze"),
    "EttenLeur": ("Etten-Leur", "schrijfwijze"),
    "Heereveen": ("Heerenveen", "tikfout"),
    "Bronckhost": ("Bronckhorst", "tikfout"),
    "Middden Groningen": ("Midden-Groningen", "tikfout"),
    "Meijerijstad": ("Meierijstad", "schrijfwijze"),
    "Nederbetuwe": ("Neder-Betuwe", "schrijfwijze"),
    "Borssele": ("Borsele", "schrijfwijze"),
    "Maasluis": ("Maassluis", "tikfout"),
    "Schouwen-Duivenland": ("Schouwen-Duiveland", "tikfout"),
    "Hollandse Kroon": ("Hollands Kroon", "schrijfwijze"),
    "Tietjerksteradeel": ("Tytsjerksteradiel", "Friese CBS-naam"),
    "Súdwest Fryslân": ("Súdwest-Fryslân", "schrijfwijze"),
    "Súdwest Fryslân (Witmarsum)": ("Súdwest-Fryslân", "schrijfwijze, met dorpsnaam"),
    "Súdwest Fryslân (Wommels)": ("Súdwest-Fryslân", "schrijfwijze, met dorpsnaam"),
    "Súdwest-Fryslân (Kubaard)": ("Súdwest-Fryslân", "met dorpsnaam"),
    "Noardeast-Fryslân (Burum)": ("Noardeast-Fryslân", "met dorpsnaam"),
    "Waadhoeke (Hitsum)": ("Waadhoeke", "met dorpsnaam"),
    "Waadhoeke (Tzum)": ("Waadhoeke", "met dorpsnaam"),
    "Westerkwartier (Zuidhorn)": ("Westerkwartier", "met dorpsnaam"),
    "Groningen (Ten Boer)": (
        "Groningen",
        "met dorpsnaam; Ten Boer is in 2019 opgegaan in Groningen",
    ),
    # CBS names with a province suffix
    "Beek": ("Beek (L.)", "CBS-naam met provincieaanduiding"),
    "Noord-Holland|Bergen": ("Bergen (NH.)", "CBS-naam met provincieaanduiding"),
    "Hengelo": ("Hengelo (O.)", "CBS-naam met provincieaanduiding"),
    "Middelburg": ("Middelburg (Z.)", "CBS-naam met provincieaanduiding"),
    "Rijswijk": ("Rijswijk (ZH.)", "CBS-naam met provincieaanduiding"),
    "Nuenen": ("Nuenen, Gerwen en Nederwetten", "korte naam"),
    # gemeenten merged since (or in) 2019
    "Appingedam": ("Eemsdelta", "samengevoegd in 2021"),
    "Delfzijl": ("Eemsdelta", "samengevoegd in 2021"),
    "Loppersum": ("Eemsdelta", "samengevoegd in 2021"),
    "Boxmeer": ("Land van Cuijk", "samengevoegd in 2022"),
    "Cuijk": ("Land van Cuijk", "samengevoegd in 2022"),
    "Grave": ("Land van Cuijk", "samengevoegd in 2022"),
    "Sint Anthonis": ("Land van Cuijk", "samengevoegd in 2022"),
    "Brielle": ("Voorne aan Zee", "samengevoegd in 2023"),
    "Westvoorne": ("Voorne aan Zee", "samengevoegd in 2023"),
    "De Marne": ("Het Hogeland", "samengevoegd in 2019"),
    "Winsum": ("Het Hogeland", "samengevoegd in 2019 (het dorp Winsum ligt in Het Hogeland)"),
    "Geldermalsen": ("West Betuwe", "samengevoegd in 2019"),
    "Neerijnen": ("West Betuwe", "samengevoegd in 2019"),
    "Haaren": (
        "Oisterwijk",
        "opgeheven in 2021 en verdeeld over Oisterwijk, Vught, Boxtel en Tilburg; "
        "het dorp Haaren ging naar Oisterwijk",
    ),
    "Haren": ("Groningen", "samengevoegd in 2019"),
    "Ten Boer": ("Groningen", "samengevoegd in 2019"),
    "Heerhugowaard": ("Dijk en Waard", "samengevoegd in 2022"),
    "Langedijk": ("Dijk en Waard", "samengevoegd in 2022"),
    "Kollumerland en Nieuwkruis": ("Noardeast-Fryslân", "samengevoegd in 2019"),
    "Leek": ("Westerkwartier", "samengevoegd in 2019"),
    "Menterwolde": ("Midden-Groningen", "samengevoegd in 2018"),
    "Molenwaard": ("Molenlanden", "samengevoegd in 2019"),
    "Uden": ("Maashorst", "samengevoegd in 2022"),
    "Weesp": ("Amsterdam", "samengevoegd in 2022"),
    # places (woonplaatsen) named instead of their gemeente
    "Bennekom": ("Ede", "dorp in gemeente Ede (de monitor zet deze rij onder provincie Utrecht)"),
    "Bergerden": ("Lingewaard", "tuinbouwgebied in gemeente Lingewaard"),
    "Hoofddorp": ("Haarlemmermeer", "plaats in gemeente Haarlemmermeer"),
    "Hoofdorp": ("Haarlemmermeer", "plaats in gemeente Haarlemmermeer (tikfout)"),
    "Nieuw Vennep": ("Haarlemmermeer", "plaats in gemeente Haarlemmermeer"),
    "Ijmuiden": ("Velsen", "plaats in gemeente Velsen"),
    "Marken": ("Waterland", "plaats in gemeente Waterland"),
    "Meerstad": ("Groningen", "wijk van gemeente Groningen"),
    "Obdam": ("Koggenland", "plaats in gemeente Koggenland"),
    "Oudekerk ad Amstel": ("Ouder-Amstel", "Ouderkerk aan de Amstel, gemeente Ouder-Amstel"),
    "Udenhout": ("Tilburg", "plaats in gemeente Tilburg"),
    "Zaandam": ("Zaanstad", "plaats in gemeente Zaanstad"),
    "Groningen|Zuidwolde": (
        "Het Hogeland",
        "dorp in de voormalige gemeente Bedum, samengevoegd in 2019",
    ),
    "Drenthe|Zuidwolde": ("De Wolden", "plaats in gemeente De Wolden"),
    # a region or two gemeenten where the rows name one place
    "Lopikerwaard": ("Montfoort", "streek; de enige rij is een zonnepark in Montfoort"),
    "Voorne-Putten": (
        "Nissewaard",
        "eiland van Voorne aan Zee en Nissewaard; de rijen noemen Spijkenisse en Nissewaard",
    ),
    "Apeldoorn/ Voorst": ("Voorst", "twee gemeenten; het project is van EnergieRijk Voorst"),
}

_HEADER_ALIASES = {
    "NR": "nr",
    "PROVINCIE": "provincie_lem",
    "REGIO": "regio",
    "RES-REGIO": "regio",
    "GEMEENTE": "gemeente_lem",
    "NAAM": "naam",
    "PROJECTNAAM": "naam",
    "JAAR": "jaar_lem",
    "REALISATIE JAAR": "jaar_lem",
    "REALISATIE (VERWACHT)": "jaar_lem",
    "TYPE": "techniek",
    "INITIATIEFNEMER": "initiatiefnemer",
    "STATUS": "status_lem",
    "DAK/ GROND": "opstelling",
    "VERMOGEN COÖPERATIE (KWP)": "vermogen_lem",
    "VERMOGEN COÖPERATIEF (KW)": "vermogen_lem",
    "VERMOGEN TOTALE ZONNEPARK (KWP)": "vermogen_totaal_lem",
    "VERMOGEN TOTALE WINDPARK (KW)": "vermogen_totaal_lem",
    "%-EIGENDOM": "eigendom_lem",
    "%-COÖPERATIEF": "eigendom_lem",
    "REGELING": "regeling",
}
#: Columns of :func:`monitor_table`, in order.
COLUMNS = (
    "bestand",
    "blad",
    "soort",
    "gepland",
    "nr",
    "provincie_lem",
    "regio",
    "gemeente_lem",
    "gemeente_code",
    "gemeente_koppeling",
    "naam",
    "jaar_lem",
    "jaar",
    "techniek",
    "initiatiefnemer",
    "status_lem",
    "opstelling",
    "vermogen_lem",
    "vermogen",
    "vermogen_totaal",
    "eigendom",
    "regeling",
)


def _text(value: object) -> str:
    """A cell as text: spaces collapsed and stripped, integral floats without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float):
        return number_text(value)
    return " ".join(str(value).split())


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _number(value: object) -> float | None:
    """A numeric cell as float; text such as 'niet bekend' or '8000-12000' gives None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    text = _text(value).replace(",", ".")
    return float(text) if re.fullmatch(r"\d+(\.\d+)?", text) else None


def read_sheet(file: str, sheet: str) -> pd.DataFrame:
    """Read the data rows of one monitor sheet, columns named as in :data:`COLUMNS`.

    The header row is found, not assumed: it is the first row holding both ``GEMEENTE``
    and a name column. Rows without a name and gemeente are blank rows and skipped.

    Parameters
    ----------
    file : str
        One of :data:`LEM_FILES`.
    sheet : str
        Sheet name as in the workbook.

    Returns
    -------
    DataFrame
        Cells as the workbook holds them (numbers as numbers, text stripped).
    """
    import openpyxl

    with raw_file(file).open("rb") as handle:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        try:
            rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
        finally:
            book.close()
    header = None
    for index, row in enumerate(rows[:20]):
        names = {_text(c).upper() for c in row}
        if "GEMEENTE" in names and names & {"NAAM", "PROJECTNAAM"}:
            header = index
            break
    if header is None:
        msg = f"{file}, tabblad {sheet!r}: geen kopregel met GEMEENTE en NAAM gevonden"
        raise DataError(msg)
    columns = {
        i: _HEADER_ALIASES[_text(c).upper()]
        for i, c in enumerate(rows[header])
        if _text(c).upper() in _HEADER_ALIASES
    }
    records: list[dict[str, Any]] = []
    for row in rows[header + 1 :]:
        record = {name: row[i] if i < len(row) else None for i, name in columns.items()}
        if not _text(record.get("naam")) and not _text(record.get("gemeente_lem")):
            continue
        records.append(record)
    return pd.DataFrame.from_records(records, columns=list(dict.fromkeys(columns.values())))


def _map_gemeenten(frame: pd.DataFrame) -> pd.DataFrame:
    from doeagenda.data.api import areas

    gemeenten = areas("gemeente")
    by_name = {_key(n): c for n, c in zip(gemeenten["name"], gemeenten["code"], strict=True)}
    explicit = {_key(k): v for k, v in GEMEENTE_MAP.items()}
    codes: list[str | None] = []
    how: list[str] = []
    for name, provincie in zip(frame["gemeente_lem"], frame["provincie_lem"], strict=True):
        key = _key(name)
        both = f"{_key(provincie)}|{key}"
        if key in by_name:
            codes.append(by_name[key])
            how.append("naam")
        elif both in explicit or key in explicit:
            target, why = explicit.get(both) or explicit[key]
            if _key(target) not in by_name:  # a broken map entry is a bug, never a silent gap
                msg = f"GEMEENTE_MAP: {target!r} is geen CBS-gemeentenaam van 2024"
                raise DataError(msg)
            codes.append(by_name[_key(target)])
            how.append(f"{name} -> {target}: {why}")
        elif key in NOT_A_GEMEENTE:
            codes.append(None)
            how.append("meerdere gemeenten")
        elif not key:
            codes.append(None)
            how.append("geen gemeente in de monitor")
        else:
            codes.append(None)
            how.append("niet gekoppeld")
    return frame.assign(gemeente_code=codes, gemeente_koppeling=how)


@functools.cache
def _monitor_table() -> pd.DataFrame:
    parts = []
    for file, sheet, kind, planned in LEM_SHEETS:
        part = read_sheet(file, sheet)
        part.insert(0, "bestand", file)
        part.insert(1, "blad", sheet.strip())
        part.insert(2, "soort", kind)
        part.insert(3, "gepland", planned)
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    for col in COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    text_columns = (
        "provincie_lem",
        "regio",
        "gemeente_lem",
        "naam",
        "techniek",
        "initiatiefnemer",
        "status_lem",
        "opstelling",
        "regeling",
    )
    for col in text_columns:
        frame[col] = frame[col].map(_text)
    frame["nr"] = frame["nr"].map(_number).astype("Int64")
    frame["vermogen"] = frame["vermogen_lem"].map(_number).astype("float64")
    frame["vermogen_lem"] = frame["vermogen_lem"].map(_text)
    frame["vermogen_totaal"] = frame["vermogen_totaal_lem"].map(_number).astype("float64")
    frame["eigendom"] = frame["eigendom_lem"].map(_number).astype("float64")
    frame["jaar_lem"] = frame["jaar_lem"].map(_text)
    years = pd.to_numeric(frame["jaar_lem"].where(frame["jaar_lem"].str.fullmatch(r"\d{4}")))
    frame["jaar"] = years.astype("Int64")
    frame = _map_gemeenten(frame)
    return frame[list(COLUMNS)].reset_index(drop=True)


def monitor_table() -> pd.DataFrame:
    """Return every data row of the Lokale Energie Monitor 2019, mapped to CBS 2024 gemeenten.

    Returns
    -------
    DataFrame
        One row per row of the five data sheets: ``bestand, blad, soort`` (one of the
        ``KIND_*`` kinds), ``gepland`` (row of a pipeline sheet), ``nr`` (the monitor's
        row number), ``provincie_lem, regio, gemeente_lem`` (as written),
        ``gemeente_code`` (CBS 2024, None when not one gemeente), ``gemeente_koppeling``
        (``"naam"``, the map entry used, ``"meerdere gemeenten"``, ``"geen gemeente in
        de monitor"`` for an empty cell, or ``"niet gekoppeld"``), ``naam, jaar_lem`` (as written: a year, ``"voor 2012"``,
        ``"in oprichting"`` or empty), ``jaar`` (the year when ``jaar_lem`` is one),
        ``techniek, initiatiefnemer, status_lem, opstelling``, ``vermogen_lem`` (as
        written) and ``vermogen`` (kWp for solar, kW for wind; the cooperative's share),
        ``vermogen_totaal, eigendom, regeling``.
    """
    return _monitor_table().copy()


def unmapped() -> pd.DataFrame:
    """Return the rows whose gemeente name could not be mapped to a CBS 2024 code.

    Rows the monitor itself assigns to several gemeenten (:data:`NOT_A_GEMEENTE`) are not
    in this list; they carry ``gemeente_koppeling == "meerdere gemeenten"``.
    """
    table = _monitor_table()
    return table.loc[table["gemeente_koppeling"] == "niet gekoppeld"].reset_index(drop=True)
