"""Survival data of a register: years since the start, stopped or censored at the peildatum.

The time scale is years since ``startdatum``. An initiative with an ``einddatum`` on or
before the *peildatum* (the date the register was last checked) has stopped (event);
every other initiative is right-censored at the peildatum: we only know it lasted at
least that long. Initiatives that started after the peildatum are left out.
"""

from __future__ import annotations

import datetime as dt
import logging

import numpy as np
import pandas as pd

from doeagenda.errors import EstimationError, ParameterError
from doeagenda.initiatives.columns import PROJECT_KINDS, SNAPSHOT_SOURCES
from doeagenda.initiatives.register import as_register
from doeagenda.results import NotApplicable

__all__ = [
    "COX_FORMULA",
    "PROFILES",
    "financing_profile",
    "initiatives_only",
    "survival_data",
    "survival_gate",
    "with_stop_dates",
]

logger = logging.getLogger(__name__)

_DAYS_PER_YEAR = 365.25
#: Financing profiles used to stratify Kaplan–Meier curves, in display order.
PROFILES = ("geen financiers", "alleen gemeente", "één andere financier", "meerdere financiers")
#: Default Cox model (patsy formula on the columns of :func:`survival_data`).
COX_FORMULA = "aantal_financiers + aandeel_gemeente_10 + vrijwilligers_10 + C(domein_groep)"


def _peildatum(register: pd.DataFrame, peildatum) -> pd.Timestamp:
    if peildatum is None:
        peildatum = register.attrs.get("peildatum") or dt.date.today()
    try:
        return pd.Timestamp(peildatum).normalize()
    except (ValueError, TypeError) as error:
        msg = f"peildatum {peildatum!r} is geen datum; geef bijvoorbeeld '2026-01-01'"
        raise ParameterError(msg) from error


def initiatives_only(register: pd.DataFrame) -> pd.DataFrame:
    """Return the rows that are initiatives of their own (not projects of one).

    Rows whose ``soort`` is a project or project vehicle
    (:data:`~doeagenda.initiatives.columns.PROJECT_KINDS`: production cooperatives,
    collective solar and wind projects) are left out of counts of initiatives, as the
    Lokale Energie Monitor counts the local cooperatives as its initiatives.
    """
    if "soort" not in register.columns:
        return register
    return register.loc[~register["soort"].isin(PROJECT_KINDS)]


def with_stop_dates(register: pd.DataFrame) -> pd.DataFrame:
    """Return the initiatives of registers that record stop dates (not of a snapshot).

    A snapshot (:data:`~doeagenda.initiatives.columns.SNAPSHOT_SOURCES`, the Lokale
    Energie Monitor 2019) has no einddatum for anyone: its rows would all look like
    survivors, so they never enter a survival analysis.
    """
    rows = initiatives_only(register)
    if "bron" not in rows.columns:
        return rows
    return rows.loc[~rows["bron"].isin(SNAPSHOT_SOURCES)]


def _label(register: pd.DataFrame) -> str:
    return str(register.attrs.get("source") or "dit register")


def survival_gate(register, peildatum=None, min_events: int = 1) -> NotApplicable | None:
    """Say, in one Dutch sentence, why a survival analysis cannot run on this register.

    Parameters
    ----------
    register : DataFrame, path or register name
        The register.
    peildatum : date-like, optional
        See :func:`survival_data`.
    min_events : int
        Stopped initiatives the analysis needs (1 for Kaplan–Meier, 5 for the Cox model).

    Returns
    -------
    NotApplicable or None
        None when the analysis can run.
    """
    if isinstance(register, pd.DataFrame) and {"duur_jaren", "gestopt"} <= set(register.columns):
        events = int(register["gestopt"].sum())
        rows = len(register)
        snapshot = False
        label = _label(register)
    else:
        reg = as_register(register)
        label = _label(reg)
        peil = _peildatum(reg, peildatum)
        rows_all = with_stop_dates(reg)
        rows_all = rows_all.loc[rows_all["startdatum"].notna() & (rows_all["startdatum"] <= peil)]
        rows = len(rows_all)
        events = int((rows_all["einddatum"].notna() & (rows_all["einddatum"] <= peil)).sum())
        snapshot = len(initiatives_only(reg)) > rows
    if rows == 0 and snapshot:
        return NotApplicable(
            f"Niet van toepassing: {label} is een momentopname zonder einddatums, dus valt "
            "niet te zien hoe lang initiatieven bestaan; daarvoor is een eigen register nodig "
            "met een startdatum en, voor initiatieven die stopten, een einddatum (kolom "
            "einddatum, zie docs/register.md)."
        )
    if rows == 0:
        return NotApplicable(
            f"Niet van toepassing: {label} heeft geen initiatieven die voor de peildatum "
            "begonnen, dus valt er geen looptijd te berekenen."
        )
    if events == 0:
        return NotApplicable(
            f"Niet van toepassing: geen enkel initiatief in {label} heeft een einddatum, dus "
            "valt niet te zien hoe lang initiatieven volhouden (en niet te zeggen dat ze alle "
            "bleven bestaan); vul de kolom einddatum in bij initiatieven die stopten."
        )
    if events < min_events:
        return NotApplicable(
            f"Het Cox-model is niet van toepassing: het vraagt minstens {min_events} gestopte "
            f"initiatieven (liefst 10 per kenmerk) en {label} heeft er {events}; vul de "
            "einddatum in bij initiatieven die stopten, met financiers, aandeel_gemeente en "
            "vrijwilligers."
        )
    return None


def financing_profile(financiers: tuple) -> str:
    """Return the financing profile of one initiative (one of :data:`PROFILES`).

    Parameters
    ----------
    financiers : tuple of str
        The funders of the initiative.

    Returns
    -------
    str
    """
    funders = set(financiers or ())
    if not funders:
        return PROFILES[0]
    if funders == {"gemeente"}:
        return PROFILES[1]
    if len(funders) == 1:
        return PROFILES[2]
    return PROFILES[3]


def survival_data(register, peildatum=None, min_domain: int = 10) -> pd.DataFrame:
    """Turn a register into one row per initiative with duration, event and covariates.

    Parameters
    ----------
    register : DataFrame, path or ``"voorbeeld"``
        The register.
    peildatum : date-like, optional
        Date the register was last checked; default the register's own (the voorbeeld
        register carries it) or today.
    min_domain : int
        Domains with fewer initiatives are grouped as ``"overig"`` in ``domein_groep``.

    Returns
    -------
    DataFrame
        Initiatives of registers with stop dates only (:func:`with_stop_dates`):
        ``id, naam, gemeente_code, domein, domein_groep, status, duur_jaren, gestopt``
        (1 = stopped, 0 = still running: censored), ``financieringsprofiel,
        aantal_financiers, aandeel_gemeente`` (%, imputed as an equal share when the
        register leaves it empty), ``aandeel_gemeente_10, vrijwilligers,
        vrijwilligers_10``.
    """
    reg = as_register(register)
    peil = _peildatum(reg, peildatum)
    reg = with_stop_dates(reg)
    reg = reg.loc[reg["startdatum"].notna() & (reg["startdatum"] <= peil)]
    if reg.empty:
        msg = (
            "het register heeft geen initiatieven die voor de peildatum "
            f"{peil.date().isoformat()} begonnen; er valt geen looptijd te berekenen"
        )
        raise EstimationError(msg)
    stopped = reg["einddatum"].notna() & (reg["einddatum"] <= peil)
    end = reg["einddatum"].where(stopped, peil)
    years = (end - reg["startdatum"]).dt.days.clip(lower=1) / _DAYS_PER_YEAR
    n_funders = reg["financiers"].map(len).astype("float64")
    has_gm = reg["financiers"].map(lambda f: "gemeente" in f)
    share = reg["aandeel_gemeente"].copy()
    fill = np.where(has_gm, 100.0 / n_funders.clip(lower=1), 0.0)
    share = share.fillna(pd.Series(fill, index=reg.index))
    volunteers = reg["vrijwilligers"].fillna(reg["vrijwilligers"].median())
    counts = reg["domein"].value_counts()
    small = set(counts[counts < min_domain].index)
    out = pd.DataFrame(
        {
            "id": reg["id"],
            "naam": reg["naam"],
            "gemeente_code": reg["gemeente_code"],
            "domein": reg["domein"],
            "domein_groep": reg["domein"].where(~reg["domein"].isin(small), "overig"),
            "status": reg["status"],
            "duur_jaren": years.astype("float64"),
            "gestopt": stopped.astype("int64"),
            "financieringsprofiel": reg["financiers"].map(financing_profile),
            "aantal_financiers": n_funders,
            "aandeel_gemeente": share.astype("float64"),
            "aandeel_gemeente_10": share.astype("float64") / 10.0,
            "vrijwilligers": volunteers.astype("float64"),
            "vrijwilligers_10": volunteers.astype("float64") / 10.0,
        }
    ).reset_index(drop=True)
    out.attrs["peildatum"] = peil
    return out


def _as_survival(register, peildatum) -> pd.DataFrame:
    if isinstance(register, pd.DataFrame) and {"duur_jaren", "gestopt"} <= set(register.columns):
        return register
    return survival_data(register, peildatum=peildatum)
