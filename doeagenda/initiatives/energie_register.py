"""The register ``"energie_2019"``: the Lokale Energie Monitor 2019 in the register format.

:func:`energy_table` turns the monitor (:func:`doeagenda.data.lem2019.monitor_table`) into
text cells with the register's columns, one row per initiative, which
:func:`~doeagenda.initiatives.register.check_register` then checks like any file:

* kinds (``thema`` and ``soort``): ``energiecoöperatie`` (local cooperative),
  ``productiecoöperatie``, ``collectief zonproject`` and ``collectief windproject``
  (completed projects); ``domein`` is ``energie``;
* ``startdatum``: the founding or completion year as the register's "year only" date,
  1 July of that year;
* ``bron`` (the citation), ``initiatiefnemer`` (production cooperatives),
  ``vermogen_kwp`` (solar, the cooperative's share), ``vermogen_kw`` (wind),
  ``opstelling`` (roof, ground, water) and ``regeling`` (subsidy scheme);
* ids ``LEM19-K001`` (local cooperative 1 of the monitor), ``-P`` (production
  cooperative), ``-Z`` and ``-W`` (completed solar and wind project), ``-ZP`` and ``-WP``
  (planned).

Rows without a year of their own are not given one: planned projects, a cooperative *in
oprichting*, wind projects completed *voor 2012* or in an unknown year, projects taken out
of production, and rows the monitor assigns to several gemeenten. :func:`set_aside` lists
them with the reason, and they are counted apart.
"""

from __future__ import annotations

import functools

import pandas as pd

from doeagenda.initiatives.columns import COLUMNS

__all__ = ["PEILDATUM_2019", "energy_table", "set_aside"]

#: The monitor counts what it knew at the end of 2019.
PEILDATUM_2019 = pd.Timestamp("2019-12-31")

_PREFIX = {
    ("LOKALE COÖPERATIES", False): "K",
    ("PRODUCTIE-COÖPERATIES", False): "P",
    ("ZON GEREALISEERD", False): "Z",
    ("PIJPLIJN GEPLAND+VOORBEREIDING", True): "ZP",
    ("GEREALISEERD", False): "W",
    ("PIJPLIJN GEPLAND+ VOORBEREIDING", True): "WP",
}
_STOPPED = ("uit productie genomen", "plannen stopgezet")
_APART_COLUMNS = [
    "id",
    "naam",
    "gemeente_code",
    "gemeente_lem",
    "soort",
    "reden",
    "jaar_lem",
    "status_lem",
    "vermogen_kwp",
    "vermogen_kw",
    "bron",
]


def _reason(row: pd.Series) -> str:
    """Why a monitor row stays out of the register ("" when it goes in)."""
    status = str(row["status_lem"]).lower()
    if row["gepland"]:
        if status.startswith("voorbereiding"):
            return "in voorbereiding"
        year = row["jaar_lem"]
        return f"gepland (verwacht {year})" if year else "gepland"
    if row["gemeente_code"] is None or pd.isna(row["gemeente_code"]):
        return str(row["gemeente_koppeling"])
    if status in _STOPPED:
        return status + " (datum onbekend)"
    if pd.isna(row["jaar"]):
        if row["jaar_lem"]:
            return str(row["jaar_lem"])
        return (
            f"jaar onbekend ({status})" if status and status != "gerealiseerd" else "jaar onbekend"
        )
    return ""


@functools.cache
def _split() -> tuple[pd.DataFrame, pd.DataFrame]:
    from doeagenda.data import lem2019

    monitor = lem2019.monitor_table()
    ids = [
        f"LEM19-{_PREFIX[(blad, bool(planned))]}{int(nr):03d}"
        for blad, planned, nr in zip(
            monitor["blad"], monitor["gepland"], monitor["nr"], strict=True
        )
    ]
    monitor = monitor.assign(
        id=ids,
        reden=monitor.apply(_reason, axis=1),
        bron=lem2019.BRON,
        vermogen_kwp=monitor["vermogen"].where(monitor["soort"] == lem2019.KIND_SOLAR),
        vermogen_kw=monitor["vermogen"].where(monitor["soort"] == lem2019.KIND_WIND),
    )
    keep = monitor["reden"] == ""
    return monitor.loc[keep].reset_index(drop=True), monitor.loc[~keep].reset_index(drop=True)


def _number_text(value: float) -> str:
    return "" if pd.isna(value) else repr(float(value))


def energy_table() -> pd.DataFrame:
    """Return the register rows of the monitor as text cells (input of the register checks).

    Returns
    -------
    DataFrame
        The register columns (:data:`~doeagenda.initiatives.columns.COLUMNS`) as ``str``
        and ``_rij`` (the row in the monitor's sheet is in the id; ``_rij`` numbers the
        rows of this table from 2, as a spreadsheet would).
    """
    rows, _apart = _split()
    status = rows["status_lem"].str.lower().map({"ligt stil": "gepauzeerd"}).fillna("")
    table = pd.DataFrame(
        {
            "id": rows["id"],
            "naam": rows["naam"],
            "gemeente_code": rows["gemeente_code"].astype(str),
            "domein": "energie",
            "thema": rows["soort"],
            "startdatum": rows["jaar"].astype(int).astype(str) + "-07-01",
            "status": status,
            "bron": rows["bron"],
            "soort": rows["soort"],
            "initiatiefnemer": rows["initiatiefnemer"],
            "vermogen_kwp": rows["vermogen_kwp"].map(_number_text),
            "vermogen_kw": rows["vermogen_kw"].map(_number_text),
            "opstelling": rows["opstelling"].str.replace(" ", "", regex=False),
            "regeling": rows["regeling"],
        }
    )
    for col in COLUMNS:
        if col not in table.columns:
            table[col] = ""
    table = table[list(COLUMNS)].astype(str)
    table.insert(0, "_rij", range(2, len(table) + 2))
    return table


def set_aside() -> pd.DataFrame:
    """Return the monitor rows kept out of the register, with the reason (counted apart).

    Returns
    -------
    DataFrame
        ``id, naam, gemeente_code`` (CBS 2024; None for rows of several gemeenten),
        ``gemeente_lem`` (as the monitor writes it), ``soort, reden`` (``gepland
        (verwacht 2020)``, ``in voorbereiding``, ``in oprichting``, ``voor 2012``, ``jaar
        onbekend``, ``uit productie genomen (datum onbekend)``, ``meerdere gemeenten``,
        ...), ``jaar_lem, status_lem, vermogen_kwp, vermogen_kw, bron``.
    """
    _rows, apart = _split()
    out = apart[_APART_COLUMNS].copy()
    out["gemeente_code"] = (
        out["gemeente_code"].astype(object).where(out["gemeente_code"].notna(), None)
    )
    return out
