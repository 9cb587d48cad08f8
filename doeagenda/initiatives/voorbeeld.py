"""Generator of the invented *voorbeeld* register of bewonersinitiatieven.

There is no public register of the initiatives in provincie Utrecht, so the workbench
ships an **invented** one (``doeagenda/data/voorbeeld/initiatieven_voorbeeld.csv``) so
users can see every analysis work and tests can check the estimators against a known
truth. Nothing in it describes a real initiative, person or organisation.

How it is made (seeded, reproducible: ``python -m doeagenda.initiatives.voorbeeld``):

* ``N`` = 300 initiatives spread over the 26 gemeenten with probability proportional to
  the real KWB 2024 population (so counts scale with population); within a gemeente
  the wijk is drawn proportional to wijk population, and 15% leave ``wijk_code`` empty.
* Start dates uniform between 2010-01-01 and 2025-09-30; domain, target group, themes,
  volunteers (1 + negative binomial, mean about 11), participants and budget from
  simple plausible distributions.
* Financing: the number of funders is 0–4 (probabilities 7/33/30/18/12%); the gemeente
  is one of them with probability 0.75; ``aandeel_gemeente`` is 100% for a gemeente
  that funds alone, else 20–80% in steps of 5, and 0 without municipal money.
* Stopping follows a Cox proportional-hazards model with exponential baseline hazard
  :data:`BASE_HAZARD` per year and the **known hazard ratios** of
  :data:`TRUE_HAZARD_RATIOS` (per extra funder, per 10 percentage points of municipal
  share, per 10 volunteers; domain has no effect). An initiative whose drawn stopping
  time falls before :data:`PEILDATUM` gets that einddatum and status ``gestopt``; the
  others are running (5% of them ``gepauzeerd``) and are right-censored there.
* Partners: 0–5 per initiative from invented organisations per gemeente, region and
  province (``naam (type)``), with sector probabilities depending on the domain.
* ``contactpersoon`` holds invented placeholders ("Voorbeeldpersoon 001") to show that
  the reader drops the column.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from pathlib import Path

import numpy as np
import pandas as pd

from doeagenda.initiatives.columns import (
    COLUMNS,
    DOMAINS,
    EXTRA_COLUMNS,
    LIST_SEPARATOR,
    PEILDATUM,
    VOORBEELD,
    register_path,
)
from doeagenda.iorw import write_csv

__all__ = [
    "BASE_HAZARD",
    "PEILDATUM",
    "SEED",
    "TRUE_HAZARD_RATIOS",
    "N",
    "generate_register",
    "main",
    "write_voorbeeld",
]

logger = logging.getLogger(__name__)

SEED = 20260101
N = 300
#: Baseline hazard of stopping per year (all covariates zero).
BASE_HAZARD = 0.12
#: The true hazard ratios of the generator (the Cox model should recover them).
TRUE_HAZARD_RATIOS = {
    "aantal_financiers": 0.70,
    "aandeel_gemeente_10": 1.12,
    "vrijwilligers_10": 0.80,
}
_START = dt.date(2010, 1, 1)
_LAST_START = dt.date(2025, 9, 30)

_DOMAIN_P = dict(
    zip(
        DOMAINS,
        [0.16, 0.07, 0.08, 0.07, 0.15, 0.08, 0.10, 0.05, 0.03, 0.07, 0.05, 0.04, 0.02, 0.03],
        strict=True,
    )
)
_THEMES = {
    "welzijn": ["buurtkamer", "maatjesproject", "burenhulp"],
    "wonen": ["woongroep", "knarrenhof", "wooncoöperatie"],
    "zorg": ["zorgcoöperatie", "respijthuis", "mantelzorgcafé"],
    "gezondheid": ["wandelgroep", "gezond koken", "beweegtuin"],
    "ontmoeting": ["buurthuis", "koffieochtend", "buurtfeest"],
    "energie": ["energiecoöperatie", "zonnedak", "energiecoaches"],
    "groen": ["buurtmoestuin", "pluktuin", "geveltuinen"],
    "voedsel": ["voedseltafel", "buurtkeuken", "repair- en deelcafé"],
    "mobiliteit": ["buurtbus", "deelauto", "fietsmaatjes"],
    "cultuur": ["buurtkoor", "wijktheater", "verhalenhuis"],
    "sport": ["buurtsport", "jeu de boules", "beweegclub"],
    "onderwijs": ["huiswerkklas", "taalcafé", "digicafé"],
    "veiligheid": ["buurtpreventie", "buurtwacht", "verkeersouders"],
    "werk": ["klusbus", "talentenwerkplaats", "buurtbedrijf"],
}
_TARGETS = {
    "iedereen": 0.35,
    "ouderen": 0.18,
    "kinderen": 0.08,
    "jongeren": 0.08,
    "gezinnen": 0.07,
    "mantelzorgers": 0.05,
    "mensen met een beperking": 0.05,
    "nieuwkomers": 0.05,
    "mensen met een laag inkomen": 0.05,
    "eenzame mensen": 0.04,
}
_OTHER_FUNDERS = {
    "fonds": 0.30,
    "eigen inkomsten": 0.16,
    "donaties": 0.12,
    "provincie": 0.09,
    "woningcorporatie": 0.09,
    "zorgverzekeraar": 0.06,
    "bank": 0.05,
    "bedrijf": 0.06,
    "crowdfunding": 0.04,
    "rijk": 0.03,
}
_REGIONS = {
    "Eemland": ["GM0307", "GM0308", "GM0313", "GM0317", "GM0327", "GM0342", "GM0351"],
    "Stad Utrecht": ["GM0344"],
    "Kromme Rijn": ["GM0310", "GM0312", "GM0321", "GM0352", "GM0355", "GM1581"],
    "Lekstroom": ["GM0331", "GM0353", "GM0356", "GM1961"],
    "Utrecht-West": ["GM0335", "GM0589", "GM0632", "GM0736", "GM1904"],
    "Vallei": ["GM0339", "GM0340", "GM0345"],
}
_PROVINCE_PARTNERS = [
    ("Provincie Utrecht", "provincie"),
    ("Fonds Samen Sterk", "fonds"),
    ("Buurtfonds Midden", "fonds"),
    ("Stichting Meedoen", "fonds"),
    ("Coöperatieve Bank Midden", "bank"),
    ("Zorgverzekeraar Midden", "zorgverzekeraar"),
]
_TYPE_P_BASE = {
    "gemeente": 0.22,
    "welzijnsorganisatie": 0.20,
    "woningcorporatie": 0.10,
    "zorgaanbieder": 0.10,
    "fonds": 0.10,
    "bedrijf": 0.06,
    "onderwijs": 0.05,
    "maatschappelijke organisatie": 0.07,
    "bewonersinitiatief": 0.04,
    "bank": 0.02,
    "zorgverzekeraar": 0.02,
    "provincie": 0.02,
}
_TYPE_BOOST = {
    "wonen": "woningcorporatie",
    "zorg": "zorgaanbieder",
    "gezondheid": "zorgaanbieder",
    "onderwijs": "onderwijs",
    "werk": "bedrijf",
    "energie": "bedrijf",
    "welzijn": "welzijnsorganisatie",
    "cultuur": "maatschappelijke organisatie",
}


def _region_of(code: str) -> str:
    return next(region for region, codes in _REGIONS.items() if code in codes)


def _partner_pool(code: str, name: str) -> dict[str, list[str]]:
    region = _region_of(code)
    pool: dict[str, list[str]] = {
        "gemeente": [f"Gemeente {name}"],
        "welzijnsorganisatie": [f"Welzijn {name}"],
        "woningcorporatie": [f"Wooncorporatie {region}", f"Woonstichting {name}"],
        "zorgaanbieder": [f"Zorggroep {region}", f"Thuiszorg {region}"],
        "bedrijf": [f"Ondernemersvereniging {name}"],
        "onderwijs": [f"Scholengroep {region}"],
        "maatschappelijke organisatie": [f"Bibliotheek {region}", f"Sportraad {name}"],
        "bewonersinitiatief": [f"Bewonersnetwerk {name}"],
    }
    for partner, ptype in _PROVINCE_PARTNERS:
        pool.setdefault(ptype, []).append(partner)
    return pool


def _choice(rng: np.random.Generator, probs: dict[str, float]) -> str:
    keys = list(probs)
    p = np.array([probs[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def generate_register(
    n: int = N,
    seed: int = SEED,
    peildatum: dt.date = PEILDATUM,
    provincie: str = "Utrecht",
) -> pd.DataFrame:
    """Generate an invented register in the documented file format.

    Parameters
    ----------
    n : int
        Number of initiatives.
    seed : int
        Seed of the random generator (same seed, same register).
    peildatum : date
        Running initiatives are censored on this date.
    provincie : str
        Province whose gemeenten (and real population) are used.

    Returns
    -------
    DataFrame
        All columns of :data:`~doeagenda.initiatives.register.COLUMNS` as text, ready to
        be written as CSV.
    """
    from doeagenda import data

    rng = np.random.default_rng(seed)
    gms = data.areas(level="gemeente", provincie=provincie).set_index("code")["name"]
    pop = data.population(level="gemeente", provincie=provincie).reindex(gms.index)
    wijken = data.areas(level="wijk", provincie=provincie)
    wpop = data.population(level="wijk", provincie=provincie)
    wijken = wijken.assign(inwoners=wijken["code"].map(wpop).fillna(0.0) + 1.0)
    log_hr = {k: math.log(v) for k, v in TRUE_HAZARD_RATIOS.items()}
    by_gemeente = {
        gm: (
            part["code"].to_numpy(),
            part["name"].to_numpy(),
            (part["inwoners"] / part["inwoners"].sum()).to_numpy(),
        )
        for gm, part in wijken.groupby("gemeente_code")
    }
    pools = {gm: _partner_pool(gm, gms[gm]) for gm in gms.index}

    gm_codes = rng.choice(gms.index.to_numpy(), size=n, p=(pop / pop.sum()).to_numpy())
    span = (_LAST_START - _START).days
    rows = []
    names_seen: dict[str, int] = {}
    for i, gm in enumerate(gm_codes, start=1):
        gname = gms[gm]
        codes, names, p = by_gemeente.get(gm, ((), (), ()))
        if len(codes) and rng.random() > 0.15:
            k_w = int(rng.choice(len(codes), p=p))
            wcode, place = codes[k_w], names[k_w]
        else:
            wcode, place = "", gname
        domein = _choice(rng, _DOMAIN_P)
        thema = _THEMES[domein][int(rng.integers(len(_THEMES[domein])))]
        naam = f"{thema[0].upper()}{thema[1:]} {place}"
        names_seen[naam] = names_seen.get(naam, 0) + 1
        if names_seen[naam] > 1:
            naam = f"{naam} {names_seen[naam]}"
        start = _START + dt.timedelta(days=int(rng.integers(span + 1)))
        volunteers = 1 + int(rng.negative_binomial(2, 2 / 12))
        participants = volunteers * int(rng.integers(2, 9))
        k = int(rng.choice(5, p=[0.07, 0.33, 0.30, 0.18, 0.12]))
        funders: list[str] = []
        if k >= 1 and rng.random() < 0.75:
            funders.append("gemeente")
        while len(funders) < k:
            f = _choice(rng, {f: p for f, p in _OTHER_FUNDERS.items() if f not in funders})
            funders.append(f)
        rng.shuffle(funders)
        if "gemeente" in funders:
            share = 100.0 if k == 1 else float(5 * rng.integers(4, 17))
        else:
            share = 0.0
        budget = round(float(rng.lognormal(math.log(3000 + 1500 * k), 0.8)) / 50) * 50
        lp = (
            log_hr["aantal_financiers"] * k
            + log_hr["aandeel_gemeente_10"] * share / 10
            + log_hr["vrijwilligers_10"] * volunteers / 10
        )
        years = rng.exponential(1.0 / (BASE_HAZARD * math.exp(lp)))
        end = start + dt.timedelta(days=max(1, round(years * 365.25)))
        stopped = end < peildatum
        status = "gestopt" if stopped else "gepauzeerd" if rng.random() < 0.05 else "actief"
        # partners
        pool = pools[gm]
        probs = dict(_TYPE_P_BASE)
        if domein in _TYPE_BOOST:
            probs[_TYPE_BOOST[domein]] *= 3
        n_partners = min(5, int(rng.poisson(1.6)))
        partners: list[str] = []
        for _ in range(n_partners):
            ptype = _choice(rng, probs)
            options = pool[ptype]
            entry = f"{options[int(rng.integers(len(options)))]} ({ptype})"
            if entry not in partners:
                partners.append(entry)
        rows.append(
            {
                "id": f"VB{i:03d}",
                "naam": naam,
                "gemeente_code": gm,
                "wijk_code": wcode,
                "domein": domein,
                "thema": thema,
                "doelgroep": _choice(rng, _TARGETS),
                "startdatum": start.isoformat(),
                "einddatum": end.isoformat() if stopped else "",
                "status": status,
                "vrijwilligers": str(volunteers),
                "deelnemers": str(participants),
                "begroting_per_jaar": str(int(budget)),
                "aandeel_gemeente": str(int(share)),
                "financiers": f"{LIST_SEPARATOR} ".join(funders),
                "partners": f"{LIST_SEPARATOR} ".join(partners),
                "contactpersoon": f"Voorbeeldpersoon {i:03d}",
            }
        )
    # the voorbeeld fills the original columns; the optional extra ones stay out of the file
    return pd.DataFrame(rows, columns=[c for c in COLUMNS if c not in EXTRA_COLUMNS])


def write_voorbeeld(path: str | Path | None = None, **kwargs) -> Path:
    """Generate the voorbeeld register and write it as CSV.

    Parameters
    ----------
    path : str or Path, optional
        Target file; default the shipped ``doeagenda/data/voorbeeld/initiatieven_voorbeeld.csv``.
    **kwargs
        Passed to :func:`generate_register`.

    Returns
    -------
    Path
        The file written.
    """
    target = Path(path) if path is not None else register_path(VOORBEELD)
    frame = generate_register(**kwargs)
    write_csv(frame, target, index=False)
    logger.info("voorbeeldregister geschreven: %s (%d initiatieven)", target, len(frame))
    return target


def main() -> None:
    """Regenerate the shipped voorbeeld register."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    write_voorbeeld()


if __name__ == "__main__":  # pragma: no cover
    main()
