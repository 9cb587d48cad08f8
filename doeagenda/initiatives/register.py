"""The register of bewonersinitiatieven: format, reading, validation and loading.

A register is a CSV (``,`` or ``;`` separated, decimal point or decimal comma) or an
XLSX workbook with one row per initiative and the Dutch columns of :data:`COLUMNS`
(documented for municipalities in ``docs/register.md``).

Two layers, as everywhere in doeagenda:

* :func:`check_register` is the strict one. It reads the file, checks every cell and
  returns a :class:`RegisterCheck` listing **all** problems at once (row, column,
  value, what was expected and, for controlled vocabularies, a "bedoelt u ...?"
  suggestion from :mod:`difflib`).
* :func:`load_register` is the friendly one: it returns the clean register as a
  DataFrame, or raises :class:`~doeagenda.errors.DataError` with the full problem list.

Privacy: personal data (``contactpersoon`` and any column that looks like contact
details, see :data:`PERSONAL_COLUMNS`) are dropped while reading and never reach a
DataFrame, chart or report. Values of those columns are not even shown in problems.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import html
import io
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from doeagenda.errors import DataError

__all__ = [
    "COLUMNS",
    "DOMAINS",
    "FUNDERS",
    "LIST_SEPARATOR",
    "PARTNER_TYPES",
    "PERSONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "STATUSES",
    "TARGET_GROUPS",
    "VOORBEELD",
    "Problem",
    "RegisterCheck",
    "as_register",
    "check_frame",
    "check_register",
    "load_register",
    "read_table",
    "register_path",
]

logger = logging.getLogger(__name__)

#: The literal that stands for the shipped, invented example register.
VOORBEELD = "voorbeeld"

#: Columns of the register format, in order, with a short Dutch description.
COLUMNS: dict[str, str] = {
    "id": "unieke code van het initiatief (tekst of getal)",
    "naam": "naam van het initiatief",
    "gemeente_code": "CBS-gemeentecode, bijvoorbeeld GM0344",
    "wijk_code": "CBS-wijkcode binnen die gemeente, bijvoorbeeld WK034401 (mag leeg)",
    "domein": "één domein uit de vaste lijst",
    "thema": "vrije tekst (mag leeg)",
    "doelgroep": "één doelgroep uit de vaste lijst (mag leeg)",
    "startdatum": "datum als 2019-03-01 of 01-03-2019",
    "einddatum": "datum waarop het initiatief stopte; leeg = loopt nog",
    "status": "actief, gepauzeerd of gestopt (mag leeg: volgt dan uit einddatum)",
    "vrijwilligers": "aantal vrijwilligers, heel getal >= 0 (mag leeg)",
    "deelnemers": "aantal deelnemers per jaar, heel getal >= 0 (mag leeg)",
    "begroting_per_jaar": "begroting in euro per jaar, >= 0 (mag leeg)",
    "aandeel_gemeente": "deel van de begroting uit gemeentelijke subsidie, 0-100 % (mag leeg)",
    "financiers": "lijst met ';' ertussen, uit de vaste lijst (mag leeg)",
    "partners": "lijst met ';' ertussen, elk als 'naam (type)' (mag leeg)",
    "contactpersoon": "naam van de contactpersoon: wordt NOOIT getoond of gebruikt",
}
#: Columns that must be present and filled.
REQUIRED_COLUMNS = ("id", "naam", "gemeente_code", "domein", "startdatum")
#: Separator inside list cells (financiers, partners).
LIST_SEPARATOR = ";"

DOMAINS = (
    "welzijn",
    "wonen",
    "zorg",
    "gezondheid",
    "ontmoeting",
    "energie",
    "groen",
    "voedsel",
    "mobiliteit",
    "cultuur",
    "sport",
    "onderwijs",
    "veiligheid",
    "werk",
)
TARGET_GROUPS = (
    "iedereen",
    "kinderen",
    "jongeren",
    "gezinnen",
    "ouderen",
    "mantelzorgers",
    "mensen met een beperking",
    "nieuwkomers",
    "mensen met een laag inkomen",
    "eenzame mensen",
)
STATUSES = ("actief", "gepauzeerd", "gestopt")
FUNDERS = (
    "gemeente",
    "provincie",
    "rijk",
    "fonds",
    "zorgverzekeraar",
    "woningcorporatie",
    "bank",
    "bedrijf",
    "eigen inkomsten",
    "donaties",
    "crowdfunding",
)
PARTNER_TYPES = (
    "gemeente",
    "provincie",
    "zorgaanbieder",
    "welzijnsorganisatie",
    "woningcorporatie",
    "fonds",
    "bank",
    "zorgverzekeraar",
    "bedrijf",
    "onderwijs",
    "maatschappelijke organisatie",
    "bewonersinitiatief",
    "overig",
)
#: Column names (lower case) that hold personal data: dropped on reading, never shown.
PERSONAL_COLUMNS = (
    "contactpersoon",
    "contact",
    "contactgegevens",
    "naam_contactpersoon",
    "email",
    "e-mail",
    "e_mail",
    "mail",
    "telefoon",
    "telefoonnummer",
    "tel",
    "mobiel",
    "adres",
    "straat",
    "huisnummer",
    "postcode",
    "geboortedatum",
    "bsn",
    "iban",
)
_FREE_TEXT = ("naam", "thema", "partners")
_INT_COLUMNS = ("vrijwilligers", "deelnemers")
_NUM_COLUMNS = ("begroting_per_jaar", "aandeel_gemeente")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?:\+31|0031|\b0)[\s-]?(?:\d[\s-]?){9}\b")
_PARTNER = re.compile(r"^(?P<name>.*?)\s*\((?P<type>[^()]*)\)\s*$")
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y-%m")
_MASK = "(verborgen: persoonsgegeven)"


# --------------------------------------------------------------------------- problems
@dataclass(frozen=True)
class Problem:
    """One problem in a register: where, what was found and what was expected.

    Attributes
    ----------
    row : int or None
        Row number as the user sees it in the spreadsheet (header = row 1 for a CSV);
        ``None`` for a problem of the whole file or a column.
    column : str
        Column name ("" for the whole file).
    value : str
        The value found (personal data masked).
    problem : str
        Short Dutch description.
    expected : str
        What was expected, in Dutch.
    suggestion : str
        Closest allowed value ("bedoelt u ...?"), or "".
    """

    row: int | None
    column: str
    value: str
    problem: str
    expected: str
    suggestion: str = ""

    def text(self) -> str:
        """Return the problem as one Dutch line."""
        where = f"rij {self.row}" if self.row is not None else "bestand"
        if self.column:
            where += f", kolom {self.column}"
        line = f"{where}: {self.problem}"
        if self.value != "":
            line += f" (gevonden: {self.value!r})"
        line += f"; verwacht: {self.expected}"
        if self.suggestion:
            line += f"; bedoelt u {self.suggestion!r}?"
        return line


@dataclass
class RegisterCheck:
    """Result of :func:`check_register`.

    Attributes
    ----------
    source : str
        File name that was checked.
    problems : list of Problem
        All problems found (empty when the register is valid).
    register : DataFrame
        The cleaned register (rows with problems included where a value could be parsed;
        use only when :attr:`ok`).
    sheet : str or None
        Sheet read, for a workbook.
    """

    source: str
    problems: list[Problem] = field(default_factory=list)
    register: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    sheet: str | None = None

    @property
    def ok(self) -> bool:
        """True when no problems were found."""
        return not self.problems

    def to_frame(self) -> pd.DataFrame:
        """Return the problems as a table (Dutch columns)."""
        rows = [
            {
                "rij": p.row,
                "kolom": p.column,
                "waarde": p.value,
                "probleem": p.problem,
                "verwacht": p.expected,
                "suggestie": p.suggestion,
            }
            for p in self.problems
        ]
        cols = ["rij", "kolom", "waarde", "probleem", "verwacht", "suggestie"]
        frame = pd.DataFrame(rows, columns=cols)
        frame["rij"] = frame["rij"].astype("Int64")
        return frame

    def summary(self) -> pd.DataFrame:
        """Return the number of problems per column."""
        frame = self.to_frame()
        if frame.empty:
            return pd.DataFrame({"kolom": [], "problemen": []})
        out = frame.groupby("kolom", sort=True).size().rename("problemen").reset_index()
        return out

    def text(self) -> str:
        """Return a Dutch report: ``OK: N initiatieven`` or every problem on its own line."""
        if self.ok:
            return f"OK: {len(self.register)} initiatieven"
        head = f"{self.source}: {len(self.problems)} problemen gevonden"
        return "\n".join([head, *(f"- {p.text()}" for p in self.problems)])

    def _repr_markdown_(self) -> str:
        lines = self.text().splitlines()
        return "\n".join(html.escape(line) for line in lines)

    def chart(self):
        """Return a bar chart of the number of problems per column."""
        import altair as alt

        from doeagenda.initiatives.privacy import chart_safe

        data = chart_safe(self.summary())
        return (
            alt.Chart(data)
            .mark_bar()
            .encode(
                x=alt.X("problemen:Q", title="aantal problemen"),
                y=alt.Y("kolom:N", sort="-x", title="kolom"),
                tooltip=["kolom", "problemen"],
            )
            .properties(title="Problemen in het register per kolom")
        )


# --------------------------------------------------------------------------- reading
def register_path(name: str | Path) -> Path:
    """Resolve a register argument to a file path.

    Parameters
    ----------
    name : str or Path
        A file path, or the literal ``"voorbeeld"`` for the shipped invented register
        ``doeagenda/data/voorbeeld/initiatieven_voorbeeld.csv``.

    Returns
    -------
    Path
    """
    if isinstance(name, str) and name.strip().lower() == VOORBEELD:
        ref = resources.files("doeagenda.data").joinpath("voorbeeld/initiatieven_voorbeeld.csv")
        return Path(str(ref))
    return Path(name)


def _cell_to_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value).strip()


def _xlsx_cell(value: object) -> str:
    # native numbers of a workbook are written with a decimal comma, the convention the
    # reader applies to workbooks, so 1.234 (a number) is not read as 1234
    if isinstance(value, float) and not value.is_integer() and value == value:
        return repr(value).replace(".", ",")
    return _cell_to_text(value)


def _find_header(rows: list[list[str]]) -> int | None:
    for i, row in enumerate(rows[:15]):
        names = {_norm_col(c) for c in row}
        if {"id", "naam"} <= names or len(names & set(REQUIRED_COLUMNS)) >= 3:
            return i
    return None


def _norm_col(name: object) -> str:
    return _cell_to_text(name).strip().lower().replace(" ", "_")


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[list[str]], int, str]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds
        msg = f"{path.name}: het Excel-bestand kan niet worden gelezen ({error}); sla het op als .xlsx"
        raise DataError(msg) from error
    try:
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            msg = (
                f"{path.name}: tabblad {sheet!r} bestaat niet; tabbladen in dit bestand: "
                f"{', '.join(names)}"
            )
            raise DataError(msg)
        candidates = []
        for name in [sheet] if sheet is not None else names:
            rows = [[_xlsx_cell(c) for c in r] for r in book[name].iter_rows(values_only=True)]
            header = _find_header(rows)
            if header is not None:
                candidates.append((name, rows, header))
    finally:
        book.close()
    if not candidates:
        where = f"tabblad {sheet!r}" if sheet is not None else "geen enkel tabblad"
        msg = (
            f"{path.name}: {where} heeft een kopregel met de registerkolommen "
            f"({', '.join(REQUIRED_COLUMNS)}); tabbladen in dit bestand: {', '.join(names)}. "
            "Zet de gegevens op een tabblad met die kolomnamen in de eerste regel."
        )
        raise DataError(msg)
    if len(candidates) > 1:
        found = ", ".join(c[0] for c in candidates)
        msg = (
            f"{path.name}: meerdere tabbladen lijken een register ({found}); kies er één met "
            "sheet=... (of --sheet op de opdrachtregel)"
        )
        raise DataError(msg)
    name, rows, header = candidates[0]
    if name != names[0]:
        logger.info("%s: register gelezen van tabblad %r (tabbladen: %s)", path.name, name, names)
    return rows[header:], header, name


def _read_csv(path: Path) -> tuple[list[list[str]], int, str]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # not text in either encoding (e.g. a binary file with a .csv name)
        msg = (
            f"{path.name}: geen leesbare tekst (geen UTF-8 of Windows-1252). Sla het register "
            "op als CSV (UTF-8) of als Excel-bestand (.xlsx)."
        )
        raise DataError(msg)
    # the delimiter is the one under which a register header appears (title lines above
    # the header may contain none)
    lines = [line for line in text.splitlines() if line.strip()][:15]
    counts = {sep: sum(line.count(sep) for line in lines) for sep in (",", ";", "\t")}
    header, rows, delimiter = None, [], ","
    for sep in sorted(counts, key=lambda s: counts[s], reverse=True):
        try:
            rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text), delimiter=sep)]
        except csv.Error as problem:  # a cell over the csv module's size limit, stray NULs
            msg = (
                f"{path.name}: geen geldig CSV-bestand ({problem}). Controleer of dit het "
                "register is en sla het opnieuw op als CSV (UTF-8)."
            )
            raise DataError(msg) from None
        header = _find_header(rows)
        if header is not None:
            delimiter = sep
            break
    if header is None:
        msg = (
            f"{path.name}: geen kopregel met de registerkolommen gevonden "
            f"({', '.join(REQUIRED_COLUMNS)}, ...). Zet de kolomnamen in de eerste regel "
            "(zie docs/register.md)."
        )
        raise DataError(msg)
    return rows[header:], header, delimiter


def read_table(path: str | Path, sheet: str | None = None) -> tuple[pd.DataFrame, dict]:
    """Read a register file into a table of text cells (no validation yet).

    Parameters
    ----------
    path : str or Path
        CSV or XLSX file, or ``"voorbeeld"``.
    sheet : str, optional
        Sheet of a workbook; by default the one sheet whose header holds the register
        columns (an error names the sheets when none or several do).

    Returns
    -------
    table : DataFrame
        All cells as ``str``; personal columns removed; column ``_rij`` holds the row
        number as the user sees it.
    meta : dict
        ``source``, ``sheet``, ``decimal`` (``","`` or ``"."``), ``bad_rows`` (list of
        (row, n_fields)) and ``dropped`` (personal columns that were removed).
    """
    path = register_path(path)
    if not path.exists():
        msg = f"{path}: bestand bestaat niet; geef het pad van een CSV- of XLSX-register"
        raise DataError(msg)
    suffix = path.suffix.lower()
    meta: dict = {"source": path.name, "sheet": None, "bad_rows": [], "dropped": []}
    if suffix in (".xlsx", ".xlsm"):
        rows, header, sheet_name = _read_xlsx(path, sheet)
        meta["sheet"] = sheet_name
        meta["decimal"] = ","
    elif suffix in (".csv", ".txt", ".tsv"):
        if path.stat().st_size == 0:
            rows, header = [], 0
            meta["decimal"] = "."
        else:
            rows, header, delimiter = _read_csv(path)
            meta["decimal"] = "," if delimiter == ";" else "."
    else:
        msg = f"{path.name}: onbekend bestandstype {suffix!r}; gebruik .csv of .xlsx"
        raise DataError(msg)
    if not rows:
        return pd.DataFrame({"_rij": pd.Series([], dtype="int64")}), meta
    names = [_norm_col(c) for c in rows[0]]
    keep = [i for i, n in enumerate(names) if n and n not in PERSONAL_COLUMNS]
    meta["dropped"] = [n for n in names if n in PERSONAL_COLUMNS]
    records = []
    line_numbers = []
    for offset, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        user_row = header + offset
        if len(row) != len(names) and any(c.strip() for c in row[len(names) :]):
            meta["bad_rows"].append((user_row, len(row)))
        padded = [*row, *[""] * (len(names) - len(row))]
        records.append([padded[i] for i in keep])
        line_numbers.append(user_row)
    cols = [names[i] for i in keep]
    table = pd.DataFrame(records, columns=cols, dtype=str)
    # duplicate column names: keep the first
    table = table.loc[:, ~table.columns.duplicated()]
    table.insert(0, "_rij", pd.Series(line_numbers, dtype="int64"))
    return table, meta


# --------------------------------------------------------------------------- parsing
def _parse_number(text: str, decimal: str) -> float | None:
    value = text.replace("€", "").replace("\u00a0", "").replace(" ", "").replace("%", "")
    if value == "":
        return None
    other = "." if decimal == "," else ","
    if "," in value and "." in value:
        dec = "," if value.rfind(",") > value.rfind(".") else "."
        value = value.replace("." if dec == "," else ",", "").replace(dec, ".")
    elif other in value and re.fullmatch(r"-?\d{1,3}(" + re.escape(other) + r"\d{3})+", value):
        value = value.replace(other, "")
    else:
        value = value.replace(",", ".")
    try:
        return float(value)
    except ValueError:
        return None


def _parse_date(text: str) -> dt.date | None:
    value = text.strip()
    if " " in value:  # "2019-03-01 00:00:00"
        value = value.split(" ")[0]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _suggest(value: str, allowed: Iterable[str]) -> str:
    match = difflib.get_close_matches(value.lower(), list(allowed), n=1, cutoff=0.6)
    return match[0] if match else ""


def _split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


# --------------------------------------------------------------------------- checking
def _known_areas() -> pd.DataFrame:
    from doeagenda import data

    return data.areas()


def check_frame(
    table: pd.DataFrame,
    meta: dict | None = None,
    areas: pd.DataFrame | None = None,
    today: dt.date | None = None,
) -> RegisterCheck:
    """Check a table of text cells (from :func:`read_table`) and build the clean register.

    Parameters
    ----------
    table : DataFrame
        Text cells with register column names and ``_rij`` (row numbers); without
        ``_rij`` rows are numbered as in a CSV (header = row 1).
    meta : dict, optional
        As returned by :func:`read_table` (``decimal``, ``bad_rows``, ``source``).
    areas : DataFrame, optional
        Known areas (``code, level, gemeente_code``); default :func:`doeagenda.data.areas`.
    today : date, optional
        Reference date for "start in the future" (default: today).

    Returns
    -------
    RegisterCheck
    """
    meta = dict(meta or {})
    source = meta.get("source", "register")
    decimal = meta.get("decimal", ".")
    today = today or dt.date.today()
    table = table.copy()
    if "_rij" not in table.columns:
        table.insert(0, "_rij", range(2, len(table) + 2))
    table.columns = [c if c == "_rij" else _norm_col(c) for c in table.columns]
    for col in table.columns:
        if col != "_rij":
            table[col] = table[col].fillna("").astype(str).str.strip()
    personal = [c for c in table.columns if c in PERSONAL_COLUMNS]
    table = table.drop(columns=personal)
    problems: list[Problem] = []
    add = problems.append

    for row, n_fields in meta.get("bad_rows", []):
        add(
            Problem(
                row,
                "",
                f"{n_fields} velden",
                "deze regel heeft meer velden dan de kopregel",
                "evenveel velden als kolommen; zet lijsten met ';' tussen aanhalingstekens "
                "of gebruik een ander scheidingsteken voor het bestand",
            )
        )

    if table.drop(columns="_rij").shape[1] == 0 or (len(table) == 0 and table.shape[1] <= 1):
        add(
            Problem(
                None,
                "",
                "",
                "het register is leeg",
                f"een kopregel met de kolommen {', '.join(COLUMNS)} en minstens één initiatief",
            )
        )
        return RegisterCheck(source, problems, _empty_register(), meta.get("sheet"))

    present = [c for c in table.columns if c != "_rij"]
    extra = [c for c in present if c not in COLUMNS]
    for col in REQUIRED_COLUMNS:
        if col not in present:
            add(
                Problem(
                    None,
                    col,
                    "",
                    "verplichte kolom ontbreekt",
                    f"een kolom {col!r} ({COLUMNS[col]})",
                    _suggest(col, extra),
                )
            )
    if extra:
        logger.info("%s: kolommen genegeerd: %s", source, ", ".join(extra))
    for col in COLUMNS:
        if col not in table.columns:
            table[col] = ""
    if len(table) == 0:
        add(
            Problem(
                None,
                "",
                "",
                "het register bevat geen initiatieven",
                "minstens één regel onder de kopregel",
            )
        )
        return RegisterCheck(source, problems, _empty_register(), meta.get("sheet"))

    if areas is None:
        areas = _known_areas()
    gemeenten = set(areas.loc[areas["level"] == "gemeente", "code"])
    wijk_gemeente = dict(
        areas.loc[areas["level"] == "wijk", ["code", "gemeente_code"]].itertuples(index=False)
    )

    records = []
    ids_seen: dict[str, int] = {}
    for rec in table.to_dict("records"):
        row = int(rec["_rij"])
        out: dict = {"_rij": row}

        def need(col: str, rec=rec, row=row) -> str:
            value = rec[col]
            if value == "" and col in REQUIRED_COLUMNS and col in present:
                add(Problem(row, col, "", "verplichte waarde ontbreekt", COLUMNS[col]))
            return value

        # id
        ident = need("id")
        if ident:
            if ident in ids_seen:
                add(
                    Problem(
                        row,
                        "id",
                        ident,
                        f"dubbele id (ook in rij {ids_seen[ident]})",
                        "een unieke id per initiatief",
                    )
                )
            else:
                ids_seen[ident] = row
        out["id"] = ident
        out["naam"] = need("naam")
        # personal data in free text
        for col in _FREE_TEXT:
            if _EMAIL.search(rec[col]) or _PHONE.search(rec[col]):
                add(
                    Problem(
                        row,
                        col,
                        _MASK,
                        "deze cel bevat een e-mailadres of telefoonnummer",
                        "geen persoonsgegevens in het register buiten 'contactpersoon'",
                    )
                )
                rec[col] = _PHONE.sub("", _EMAIL.sub("", rec[col])).strip()
                if col == "naam":
                    out["naam"] = rec[col]
        # gemeente
        gm = need("gemeente_code").upper()
        if gm and not re.fullmatch(r"GM\d{4}", gm):
            add(
                Problem(
                    row,
                    "gemeente_code",
                    rec["gemeente_code"],
                    "geen geldige gemeentecode",
                    "'GM' gevolgd door 4 cijfers, bijvoorbeeld GM0344",
                )
            )
            gm_ok = False
        elif gm and gm not in gemeenten:
            add(
                Problem(
                    row,
                    "gemeente_code",
                    rec["gemeente_code"],
                    "onbekende gemeentecode",
                    "een CBS-gemeentecode van de indeling 2024",
                    _suggest(gm, gemeenten),
                )
            )
            gm_ok = False
        else:
            gm_ok = bool(gm)
        out["gemeente_code"] = gm
        # wijk
        wk = rec["wijk_code"].upper()
        if wk:
            if not re.fullmatch(r"WK\d{6}", wk):
                add(
                    Problem(
                        row,
                        "wijk_code",
                        rec["wijk_code"],
                        "geen geldige wijkcode",
                        "'WK' gevolgd door 6 cijfers, bijvoorbeeld WK034401, of leeg",
                    )
                )
            elif wk not in wijk_gemeente:
                add(
                    Problem(
                        row,
                        "wijk_code",
                        rec["wijk_code"],
                        "onbekende wijkcode",
                        "een CBS-wijkcode van de indeling 2024, of leeg",
                    )
                )
            elif gm_ok and wijk_gemeente[wk] != gm:
                add(
                    Problem(
                        row,
                        "wijk_code",
                        rec["wijk_code"],
                        f"deze wijk ligt in {wijk_gemeente[wk]}, niet in {gm}",
                        f"een wijk van gemeente {gm} (wijkcode begint met WK{gm[2:]})",
                    )
                )
        out["wijk_code"] = wk or None
        # vocabularies
        for col, allowed, label in (
            ("domein", DOMAINS, "domein"),
            ("doelgroep", TARGET_GROUPS, "doelgroep"),
            ("status", STATUSES, "status"),
        ):
            value = need(col).lower() if col in REQUIRED_COLUMNS else rec[col].lower()
            if value and value not in allowed:
                add(
                    Problem(
                        row,
                        col,
                        rec[col],
                        f"onbekende {label}",
                        "een van: " + ", ".join(allowed),
                        _suggest(value, allowed),
                    )
                )
                value = ""
            out[col] = value or None
        out["thema"] = rec["thema"] or None
        # dates
        dates = {}
        for col in ("startdatum", "einddatum"):
            value = need(col) if col in REQUIRED_COLUMNS else rec[col]
            parsed = _parse_date(value) if value else None
            if value and parsed is None:
                expected = "een datum als 2019-03-01 of 01-03-2019"
                if re.fullmatch(r"\d{4}", value):
                    expected += " (weet u alleen het jaar, vul dan 1 juli in: " + value + "-07-01)"
                add(Problem(row, col, value, "onleesbare datum", expected))
            dates[col] = parsed
        start, end = dates["startdatum"], dates["einddatum"]
        if start and end and end < start:
            add(
                Problem(
                    row,
                    "einddatum",
                    rec["einddatum"],
                    f"einddatum ligt voor de startdatum ({start.isoformat()})",
                    "een einddatum op of na de startdatum",
                )
            )
        if start and start > today:
            add(
                Problem(
                    row,
                    "startdatum",
                    rec["startdatum"],
                    "startdatum ligt in de toekomst",
                    "een initiatief dat al gestart is",
                )
            )
        out["startdatum"], out["einddatum"] = start, end
        status = out["status"]
        if status == "gestopt" and rec["einddatum"] == "":
            add(
                Problem(
                    row,
                    "einddatum",
                    "",
                    "status is 'gestopt' maar de einddatum ontbreekt",
                    "de datum waarop het initiatief stopte",
                )
            )
        elif status in ("actief", "gepauzeerd") and rec["einddatum"] != "":
            add(
                Problem(
                    row,
                    "status",
                    rec["status"],
                    "er is een einddatum maar de status is niet 'gestopt'",
                    "status 'gestopt' bij een einddatum, of een lege einddatum",
                )
            )
        if status is None and rec["status"] == "":
            out["status"] = "gestopt" if rec["einddatum"] else "actief"
        # numbers
        for col in (*_INT_COLUMNS, *_NUM_COLUMNS):
            value = rec[col]
            number = _parse_number(value, decimal) if value else None
            if value and number is None:
                add(Problem(row, col, value, "geen getal", COLUMNS[col]))
            elif number is not None and number < 0:
                add(Problem(row, col, value, "negatief getal", COLUMNS[col]))
                number = None
            elif number is not None and col in _INT_COLUMNS and not float(number).is_integer():
                add(Problem(row, col, value, "geen heel getal", COLUMNS[col]))
                number = None
            elif number is not None and col == "aandeel_gemeente" and number > 100:
                add(Problem(row, col, value, "meer dan 100 %", COLUMNS[col]))
                number = None
            out[col] = number
        # lists
        funders = []
        raw_funders = rec["financiers"]
        for item in _split_list(raw_funders):
            low = item.lower()
            if low == "geen":
                continue
            if low in FUNDERS:
                funders.append(low)
                continue
            parts = [p.strip() for p in re.split(r"[,/|+]| en ", low) if p.strip()]
            if len(parts) > 1 and all(p in FUNDERS for p in parts):
                add(
                    Problem(
                        row,
                        "financiers",
                        item,
                        "verkeerd scheidingsteken in de lijst",
                        f"financiers gescheiden door '{LIST_SEPARATOR}', "
                        f"bijvoorbeeld {LIST_SEPARATOR.join(parts)}",
                    )
                )
                funders.extend(parts)
                continue
            add(
                Problem(
                    row,
                    "financiers",
                    item,
                    "onbekende financier",
                    "een van: " + ", ".join(FUNDERS),
                    _suggest(low, FUNDERS),
                )
            )
        out["financiers"] = tuple(dict.fromkeys(funders))
        share = out["aandeel_gemeente"]
        if share and share > 0 and "gemeente" not in out["financiers"] and raw_funders:
            add(
                Problem(
                    row,
                    "aandeel_gemeente",
                    rec["aandeel_gemeente"],
                    "er is een gemeentelijk aandeel maar 'gemeente' staat niet bij de financiers",
                    "'gemeente' in de kolom financiers, of aandeel 0",
                )
            )
        names, types = [], []
        raw_partners = rec["partners"]
        items = _split_list(raw_partners)
        if len(items) == 1 and re.search(r"\)\s*[,|/]", raw_partners):
            add(
                Problem(
                    row,
                    "partners",
                    raw_partners,
                    "verkeerd scheidingsteken in de lijst",
                    f"partners gescheiden door '{LIST_SEPARATOR}', elk als 'naam (type)'",
                )
            )
            items = [p.strip() for p in re.split(r"(?<=\))\s*[,|/]", raw_partners) if p.strip()]
        for item in items:
            match = _PARTNER.match(item)
            if not match or not match["name"].strip():
                add(
                    Problem(
                        row,
                        "partners",
                        item,
                        "partner zonder type",
                        "'naam (type)' met type uit: " + ", ".join(PARTNER_TYPES),
                    )
                )
                continue
            ptype = match["type"].strip().lower()
            if ptype not in PARTNER_TYPES:
                add(
                    Problem(
                        row,
                        "partners",
                        item,
                        "onbekend partnertype",
                        "een type uit: " + ", ".join(PARTNER_TYPES),
                        _suggest(ptype, PARTNER_TYPES),
                    )
                )
                continue
            names.append(" ".join(match["name"].split()))
            types.append(ptype)
        out["partners"] = tuple(names)
        out["partner_typen"] = tuple(types)
        records.append(out)

    register = _to_register(records)
    return RegisterCheck(source, problems, register, meta.get("sheet"))


_REGISTER_COLUMNS = [
    "id",
    "naam",
    "gemeente_code",
    "wijk_code",
    "domein",
    "thema",
    "doelgroep",
    "startdatum",
    "einddatum",
    "status",
    "vrijwilligers",
    "deelnemers",
    "begroting_per_jaar",
    "aandeel_gemeente",
    "financiers",
    "partners",
    "partner_typen",
    "_rij",
]


def _empty_register() -> pd.DataFrame:
    return _to_register([])


def _to_register(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=_REGISTER_COLUMNS)
    for col in ("id", "naam", "gemeente_code", "wijk_code", "domein", "thema", "doelgroep"):
        frame[col] = frame[col].astype("str").where(frame[col].notna(), None)
    frame["status"] = frame["status"].astype("str").where(frame["status"].notna(), None)
    for col in ("startdatum", "einddatum"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    for col in (*_INT_COLUMNS, *_NUM_COLUMNS):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    for col in ("financiers", "partners", "partner_typen"):
        frame[col] = frame[col].astype(object)
    frame["_rij"] = frame["_rij"].astype("int64")
    return frame


def check_register(
    path: str | Path,
    sheet: str | None = None,
    areas: pd.DataFrame | None = None,
) -> RegisterCheck:
    """Check a register file and report **all** problems at once.

    Parameters
    ----------
    path : str or Path
        CSV or XLSX register, or ``"voorbeeld"`` for the shipped invented register.
    sheet : str, optional
        Sheet of a workbook (default: the one sheet holding the register columns).
    areas : DataFrame, optional
        Known area codes; default the CBS 2024 indeling from :mod:`doeagenda.data`.

    Returns
    -------
    RegisterCheck
        ``.ok``, ``.problems`` (row, column, value, expected, suggestion), ``.text()``,
        ``.to_frame()``.

    Raises
    ------
    DataError
        Only when the file cannot be read at all (missing, wrong type, no sheet with a
        register header: the message names the sheets).
    """
    table, meta = read_table(path, sheet=sheet)
    result = check_frame(table, meta, areas=areas)
    if meta.get("dropped"):
        logger.info(
            "%s: persoonsgegevens niet ingelezen (kolommen: %s)",
            meta["source"],
            ", ".join(meta["dropped"]),
        )
    result.register.attrs["source"] = meta["source"]
    if register_path(path) == register_path(VOORBEELD):
        from doeagenda.initiatives.voorbeeld import PEILDATUM

        result.register.attrs["peildatum"] = PEILDATUM
    return result


def load_register(
    path: str | Path,
    sheet: str | None = None,
    areas: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Load and validate a register; the friendly entry point.

    Parameters
    ----------
    path : str or Path
        CSV or XLSX register, or ``"voorbeeld"``.
    sheet : str, optional
        Sheet of a workbook.
    areas : DataFrame, optional
        Known area codes (default: shipped CBS 2024 indeling).

    Returns
    -------
    DataFrame
        One row per initiative: the register columns (dates as datetimes, numbers as
        floats, ``financiers``/``partners``/``partner_typen`` as tuples) without any
        personal data, plus ``_rij`` (row in the file). An empty file gives an error.

    Raises
    ------
    DataError
        With every problem of the register, one per line.
    """
    result = check_register(path, sheet=sheet, areas=areas)
    if not result.ok:
        msg = result.text()
        raise DataError(msg)
    return result.register


def as_register(register: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Return a loaded register for a path, ``"voorbeeld"`` or a DataFrame.

    Parameters
    ----------
    register : str, Path or DataFrame
        What the user passed: a file, ``"voorbeeld"``, a register from
        :func:`load_register`, or a plain table with the register columns (for example
        from ``pd.read_csv``), which is then validated like a file (rows numbered as in
        a spreadsheet whose header is row 1).

    Returns
    -------
    DataFrame

    Raises
    ------
    DataError
        When a plain table does not pass validation (all problems listed).
    """
    if not isinstance(register, pd.DataFrame):
        return load_register(register)
    personal = [c for c in register.columns if str(c).lower() in PERSONAL_COLUMNS]
    frame = register.drop(columns=personal)
    loaded = set(_REGISTER_COLUMNS) - {"_rij"} <= set(frame.columns) and (
        pd.api.types.is_datetime64_any_dtype(frame["startdatum"])
    )
    if loaded:
        return frame
    table = frame.astype(object).where(frame.notna(), "").astype(str)
    result = check_frame(table, {"source": "tabel"})
    if not result.ok:
        msg = result.text()
        raise DataError(msg)
    return result.register
