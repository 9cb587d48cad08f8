"""Validation of a register table: small per-column checks and a pandera schema.

:func:`check_frame` runs, for every row, one small check per column (or per pair of
columns that must agree, such as ``status`` and ``einddatum``). Each check appends a
:class:`~doeagenda.initiatives.problems.Problem` (row, column, value, expected and a
"bedoelt u ...?" suggestion) and returns the parsed value, so **all** problems of a
register are reported at once. The clean register that results is then validated
against :data:`REGISTER_SCHEMA` (pandera), the contract the rest of the package relies on.
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from doeagenda.initiatives.columns import (
    COLUMNS,
    DOMAINS,
    FUNDERS,
    LIST_SEPARATOR,
    PARTNER_TYPES,
    PERSONAL_COLUMNS,
    REQUIRED_COLUMNS,
    STATUSES,
    TARGET_GROUPS,
)
from doeagenda.initiatives.problems import Problem, RegisterCheck
from doeagenda.initiatives.reading import _norm_col

__all__ = ["REGISTER_SCHEMA", "check_frame"]

logger = logging.getLogger(__name__)

_FREE_TEXT = ("naam", "thema", "partners", "initiatiefnemer")
_INT_COLUMNS = ("vrijwilligers", "deelnemers")
_NUM_COLUMNS = ("begroting_per_jaar", "aandeel_gemeente", "vermogen_kwp", "vermogen_kw")
_EXTRA_TEXT = ("bron", "soort", "initiatiefnemer", "opstelling", "regeling")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?:\+31|0031|\b0)[\s-]?(?:\d[\s-]?){9}\b")
_PARTNER = re.compile(r"^(?P<name>.*?)\s*\((?P<type>[^()]*)\)\s*$")
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y-%m")
_MASK = "(verborgen: persoonsgegeven)"


def _vocabulary(values: Iterable[str]) -> pa.Check:
    return pa.Check.isin(list(values))


#: The clean register as the rest of the package uses it (one row per initiative),
#: enforced on every register that passed the checks.
#: Text columns carry no dtype: pandas 2 stores them as object, pandas 3 as str.
REGISTER_SCHEMA = pa.DataFrameSchema(
    {
        "id": pa.Column(None, nullable=True),
        "naam": pa.Column(None, nullable=True),
        "gemeente_code": pa.Column(None, pa.Check.str_matches(r"^(GM\d{4})?$"), nullable=True),
        "wijk_code": pa.Column(None, pa.Check.str_matches(r"^WK\d{6}$"), nullable=True),
        "domein": pa.Column(None, _vocabulary(DOMAINS), nullable=True),
        "thema": pa.Column(None, nullable=True),
        "doelgroep": pa.Column(None, _vocabulary(TARGET_GROUPS), nullable=True),
        "startdatum": pa.Column("datetime64[ns]", nullable=True),
        "einddatum": pa.Column("datetime64[ns]", nullable=True),
        "status": pa.Column(None, _vocabulary(STATUSES), nullable=True),
        "vrijwilligers": pa.Column(float, pa.Check.ge(0), nullable=True),
        "deelnemers": pa.Column(float, pa.Check.ge(0), nullable=True),
        "begroting_per_jaar": pa.Column(float, pa.Check.ge(0), nullable=True),
        "aandeel_gemeente": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "financiers": pa.Column(object),
        "partners": pa.Column(object),
        "partner_typen": pa.Column(object),
        "bron": pa.Column(None, nullable=True),
        "soort": pa.Column(None, nullable=True),
        "initiatiefnemer": pa.Column(None, nullable=True),
        "vermogen_kwp": pa.Column(float, pa.Check.ge(0), nullable=True),
        "vermogen_kw": pa.Column(float, pa.Check.ge(0), nullable=True),
        "opstelling": pa.Column(None, nullable=True),
        "regeling": pa.Column(None, nullable=True),
        "_rij": pa.Column("int64", pa.Check.ge(1)),
    },
    strict=True,
    ordered=True,
)
_REGISTER_COLUMNS = list(REGISTER_SCHEMA.columns)


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


# --------------------------------------------------------------------------- row checks
@dataclass
class _Row:
    """One record under check: its cells, its row number and where problems go."""

    rec: dict
    row: int
    present: list[str]
    problems: list[Problem]
    out: dict = field(default_factory=dict)

    def add(
        self, column: str, value: str, problem: str, expected: str, suggestion: str = ""
    ) -> None:
        self.problems.append(Problem(self.row, column, value, problem, expected, suggestion))

    def need(self, col: str) -> str:
        """Return the cell, noting a problem when a required column's cell is empty."""
        value = self.rec[col]
        if value == "" and col in REQUIRED_COLUMNS and col in self.present:
            self.add(col, "", "verplichte waarde ontbreekt", COLUMNS[col])
        return value


def _check_id(r: _Row, ids_seen: dict[str, int]) -> None:
    ident = r.need("id")
    if ident and ident in ids_seen:
        r.add(
            "id",
            ident,
            f"dubbele id (ook in rij {ids_seen[ident]})",
            "een unieke id per initiatief",
        )
    elif ident:
        ids_seen[ident] = r.row
    r.out["id"] = ident
    r.out["naam"] = r.need("naam")


def _check_free_text(r: _Row) -> None:
    # e-mail addresses and phone numbers are removed, and never shown in the problem
    for col in _FREE_TEXT:
        if _EMAIL.search(r.rec[col]) or _PHONE.search(r.rec[col]):
            r.add(
                col,
                _MASK,
                "deze cel bevat een e-mailadres of telefoonnummer",
                "geen persoonsgegevens in het register buiten 'contactpersoon'",
            )
            r.rec[col] = _PHONE.sub("", _EMAIL.sub("", r.rec[col])).strip()
            if col == "naam":
                r.out["naam"] = r.rec[col]


def _check_gemeente(r: _Row, gemeenten: set[str]) -> bool:
    """Check ``gemeente_code``; return whether it is a known gemeente."""
    gm = r.need("gemeente_code").upper()
    r.out["gemeente_code"] = gm
    if gm and not re.fullmatch(r"GM\d{4}", gm):
        r.add(
            "gemeente_code",
            r.rec["gemeente_code"],
            "geen geldige gemeentecode",
            "'GM' gevolgd door 4 cijfers, bijvoorbeeld GM0344",
        )
        return False
    if gm and gm not in gemeenten:
        r.add(
            "gemeente_code",
            r.rec["gemeente_code"],
            "onbekende gemeentecode",
            "een CBS-gemeentecode van de indeling 2024",
            _suggest(gm, gemeenten),
        )
        return False
    return bool(gm)


def _check_wijk(r: _Row, wijk_gemeente: dict[str, str], gm_ok: bool) -> None:
    wk = r.rec["wijk_code"].upper()
    r.out["wijk_code"] = wk or None
    if not wk:
        return
    gm = r.out["gemeente_code"]
    if not re.fullmatch(r"WK\d{6}", wk):
        r.add(
            "wijk_code",
            r.rec["wijk_code"],
            "geen geldige wijkcode",
            "'WK' gevolgd door 6 cijfers, bijvoorbeeld WK034401, of leeg",
        )
        r.out["wijk_code"] = None
    elif wk not in wijk_gemeente:
        r.add(
            "wijk_code",
            r.rec["wijk_code"],
            "onbekende wijkcode",
            "een CBS-wijkcode van de indeling 2024, of leeg",
        )
    elif gm_ok and wijk_gemeente[wk] != gm:
        r.add(
            "wijk_code",
            r.rec["wijk_code"],
            f"deze wijk ligt in {wijk_gemeente[wk]}, niet in {gm}",
            f"een wijk van gemeente {gm} (wijkcode begint met WK{gm[2:]})",
        )


def _check_vocabularies(r: _Row) -> None:
    for col, allowed, label in (
        ("domein", DOMAINS, "domein"),
        ("doelgroep", TARGET_GROUPS, "doelgroep"),
        ("status", STATUSES, "status"),
    ):
        value = r.need(col).lower() if col in REQUIRED_COLUMNS else r.rec[col].lower()
        if value and value not in allowed:
            r.add(
                col,
                r.rec[col],
                f"onbekende {label}",
                "een van: " + ", ".join(allowed),
                _suggest(value, allowed),
            )
            value = ""
        r.out[col] = value or None
    r.out["thema"] = r.rec["thema"] or None
    for col in _EXTRA_TEXT:
        value = r.rec[col]
        r.out[col] = (value.lower() if col in ("soort", "opstelling") else value) or None


def _check_dates(r: _Row, today: dt.date) -> None:
    dates = {}
    for col in ("startdatum", "einddatum"):
        value = r.need(col) if col in REQUIRED_COLUMNS else r.rec[col]
        parsed = _parse_date(value) if value else None
        if value and parsed is None:
            expected = "een datum als 2019-03-01 of 01-03-2019"
            if re.fullmatch(r"\d{4}", value):
                expected += " (weet u alleen het jaar, vul dan 1 juli in: " + value + "-07-01)"
            r.add(col, value, "onleesbare datum", expected)
        dates[col] = parsed
    start, end = dates["startdatum"], dates["einddatum"]
    if start and end and end < start:
        r.add(
            "einddatum",
            r.rec["einddatum"],
            f"einddatum ligt voor de startdatum ({start.isoformat()})",
            "een einddatum op of na de startdatum",
        )
    if start and start > today:
        r.add(
            "startdatum",
            r.rec["startdatum"],
            "startdatum ligt in de toekomst",
            "een initiatief dat al gestart is",
        )
    r.out["startdatum"], r.out["einddatum"] = start, end


def _check_status(r: _Row) -> None:
    """Check that ``status`` and ``einddatum`` agree; derive an empty status."""
    status, ended = r.out["status"], r.rec["einddatum"] != ""
    if status == "gestopt" and not ended:
        r.add(
            "einddatum",
            "",
            "status is 'gestopt' maar de einddatum ontbreekt",
            "de datum waarop het initiatief stopte",
        )
    elif status in ("actief", "gepauzeerd") and ended:
        r.add(
            "status",
            r.rec["status"],
            "er is een einddatum maar de status is niet 'gestopt'",
            "status 'gestopt' bij een einddatum, of een lege einddatum",
        )
    if status is None and r.rec["status"] == "":
        r.out["status"] = "gestopt" if ended else "actief"


def _check_numbers(r: _Row, decimal: str) -> None:
    for col in (*_INT_COLUMNS, *_NUM_COLUMNS):
        value = r.rec[col]
        number = _parse_number(value, decimal) if value else None
        problem = ""
        if value and number is None:
            problem = "geen getal"
        elif number is not None and number < 0:
            problem = "negatief getal"
        elif number is not None and col in _INT_COLUMNS and not float(number).is_integer():
            problem = "geen heel getal"
        elif number is not None and col == "aandeel_gemeente" and number > 100:
            problem = "meer dan 100 %"
        if problem:
            r.add(col, value, problem, COLUMNS[col])
            number = None
        r.out[col] = number


def _check_funders(r: _Row) -> None:
    funders = []
    raw = r.rec["financiers"]
    for item in _split_list(raw):
        low = item.lower()
        if low == "geen":
            continue
        if low in FUNDERS:
            funders.append(low)
            continue
        parts = [p.strip() for p in re.split(r"[,/|+]| en ", low) if p.strip()]
        if len(parts) > 1 and all(p in FUNDERS for p in parts):
            r.add(
                "financiers",
                item,
                "verkeerd scheidingsteken in de lijst",
                f"financiers gescheiden door '{LIST_SEPARATOR}', "
                f"bijvoorbeeld {LIST_SEPARATOR.join(parts)}",
            )
            funders.extend(parts)
            continue
        r.add(
            "financiers",
            item,
            "onbekende financier",
            "een van: " + ", ".join(FUNDERS),
            _suggest(low, FUNDERS),
        )
    r.out["financiers"] = tuple(dict.fromkeys(funders))
    share = r.out["aandeel_gemeente"]
    if share and share > 0 and "gemeente" not in r.out["financiers"] and raw:
        r.add(
            "aandeel_gemeente",
            r.rec["aandeel_gemeente"],
            "er is een gemeentelijk aandeel maar 'gemeente' staat niet bij de financiers",
            "'gemeente' in de kolom financiers, of aandeel 0",
        )


def _check_partners(r: _Row) -> None:
    names, types = [], []
    raw = r.rec["partners"]
    items = _split_list(raw)
    if len(items) == 1 and re.search(r"\)\s*[,|/]", raw):
        r.add(
            "partners",
            raw,
            "verkeerd scheidingsteken in de lijst",
            f"partners gescheiden door '{LIST_SEPARATOR}', elk als 'naam (type)'",
        )
        items = [p.strip() for p in re.split(r"(?<=\))\s*[,|/]", raw) if p.strip()]
    for item in items:
        match = _PARTNER.match(item)
        if not match or not match["name"].strip():
            r.add(
                "partners",
                item,
                "partner zonder type",
                "'naam (type)' met type uit: " + ", ".join(PARTNER_TYPES),
            )
            continue
        ptype = match["type"].strip().lower()
        if ptype not in PARTNER_TYPES:
            r.add(
                "partners",
                item,
                "onbekend partnertype",
                "een type uit: " + ", ".join(PARTNER_TYPES),
                _suggest(ptype, PARTNER_TYPES),
            )
            continue
        names.append(" ".join(match["name"].split()))
        types.append(ptype)
    r.out["partners"] = tuple(names)
    r.out["partner_typen"] = tuple(types)


# --------------------------------------------------------------------------- the table
def _known_areas() -> pd.DataFrame:
    from doeagenda import data  # the area tables load on first use, not at import

    return data.areas()


def _normalise(table: pd.DataFrame) -> pd.DataFrame:
    """Number the rows, normalise column names, strip cells, drop personal columns."""
    table = table.copy()
    if "_rij" not in table.columns:
        table.insert(0, "_rij", range(2, len(table) + 2))
    table.columns = [c if c == "_rij" else _norm_col(c) for c in table.columns]
    for col in table.columns:
        if col != "_rij":
            table[col] = table[col].fillna("").astype(str).str.strip()
    return table.drop(columns=[c for c in table.columns if c in PERSONAL_COLUMNS])


def _check_layout(table: pd.DataFrame, meta: dict, problems: list[Problem]) -> bool:
    """Check the shape of the table (fields per row, empty file, required columns).

    Returns False when there is nothing to check row by row.
    """
    for row, n_fields in meta.get("bad_rows", []):
        problems.append(
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
        problems.append(
            Problem(
                None,
                "",
                "",
                "het register is leeg",
                f"een kopregel met de kolommen {', '.join(COLUMNS)} en minstens één initiatief",
            )
        )
        return False
    present = [c for c in table.columns if c != "_rij"]
    extra = [c for c in present if c not in COLUMNS]
    for col in REQUIRED_COLUMNS:
        if col not in present:
            problems.append(
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
        logger.info("%s: kolommen genegeerd: %s", meta.get("source", "register"), ", ".join(extra))
    if len(table) == 0:
        problems.append(
            Problem(
                None,
                "",
                "",
                "het register bevat geen initiatieven",
                "minstens één regel onder de kopregel",
            )
        )
        return False
    return True


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
    source, sheet = meta.get("source", "register"), meta.get("sheet")
    decimal = meta.get("decimal", ".")
    today = today or dt.date.today()
    table = _normalise(table)
    problems: list[Problem] = []
    if not _check_layout(table, meta, problems):
        return RegisterCheck(source, problems, _to_register([]), sheet)
    present = [c for c in table.columns if c != "_rij"]
    for col in COLUMNS:
        if col not in table.columns:
            table[col] = ""
    if areas is None:
        areas = _known_areas()
    gemeenten = set(areas.loc[areas["level"] == "gemeente", "code"])
    wijken = areas.loc[areas["level"] == "wijk", ["code", "gemeente_code"]]
    wijk_gemeente = dict(wijken.itertuples(index=False))

    records = []
    ids_seen: dict[str, int] = {}
    for rec in table.to_dict("records"):
        r = _Row(rec, int(rec["_rij"]), present, problems, {"_rij": int(rec["_rij"])})
        _check_id(r, ids_seen)
        _check_free_text(r)
        gm_ok = _check_gemeente(r, gemeenten)
        _check_wijk(r, wijk_gemeente, gm_ok)
        _check_vocabularies(r)
        _check_dates(r, today)
        _check_status(r)
        _check_numbers(r, decimal)
        _check_funders(r)
        _check_partners(r)
        records.append(r.out)
    return RegisterCheck(source, problems, _to_register(records, validate=not problems), sheet)


def _to_register(records: list[dict], validate: bool = True) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=_REGISTER_COLUMNS)
    for col in (
        "id",
        "naam",
        "gemeente_code",
        "wijk_code",
        "domein",
        "thema",
        "doelgroep",
        *_EXTRA_TEXT,
    ):
        frame[col] = frame[col].astype("str").where(frame[col].notna(), None)
    frame["status"] = frame["status"].astype("str").where(frame["status"].notna(), None)
    for col in ("startdatum", "einddatum"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    for col in (*_INT_COLUMNS, *_NUM_COLUMNS):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    for col in ("financiers", "partners", "partner_typen"):
        frame[col] = frame[col].astype(object)
    frame["_rij"] = frame["_rij"].astype("int64")
    # the contract every analysis relies on, for a register that passed the checks (a
    # register with problems keeps the raw cells the problems point at); a failure here
    # is a bug in the checks above
    return REGISTER_SCHEMA.validate(frame) if validate else frame
