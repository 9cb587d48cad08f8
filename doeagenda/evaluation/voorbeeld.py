"""Generator of the *voorbeeld* (invented) proeftuin panel with a known true effect.

There is no public data on Utrecht pilots, so the workbench ships an invented panel
whose truth is known, to show (and test) that the methods recover it:
``doeagenda/data/voorbeeld/proeftuin_voorbeeld.csv``.

Design
------
* the 26 gemeenten of provincie Utrecht (KWB 2024 indeling) × the years 2015–2024;
* the invented outcome ``deelname`` — "percentage inwoners actief in een
  bewonersinitiatief" — is built from **real** shipped CBS covariates (via
  :func:`doeagenda.data.indicators`): the log of the number of inhabitants (``a_inw``),
  the share of inhabitants aged 65+ (``kwb21_age_65_plus_pct``), the share of owner-
  occupied dwellings (``kwb21_owner_occupied_pct``) and the average income per
  inhabitant (``kwb21_avg_income_per_inhabitant``), each standardised, plus an
  invented gemeente effect, a common year effect and noise::

      deelname = 12 - 1.2 z(log inwoners) + 0.8 z(65+) + 0.6 z(koop) + 0.5 z(inkomen)
                 + gemeente-effect N(0, 0.8) + jaar-effect (0.15 per jaar + N(0, 0.3))
                 + ruis N(0, 0.5) + WAAR_EFFECT * proeftuin_actief

* three gemeenten start a proeftuin in different years: Houten (GM0321) in 2019,
  Woerden (GM0632) in 2020 and Zeist (GM0355) in 2021; the **true effect is +2.0
  percentage points** from the start year on, constant over time;
* a second invented outcome ``tevredenheid`` (score 1–10) has **no** effect (true
  effect 0), to show what "geen aantoonbaar effect" looks like;
* parallel trends hold by construction (the gemeente effects do not change over time).

Run ``python -m doeagenda.evaluation.voorbeeld`` to rewrite the file (seed fixed, so
the file is reproducible). The seed (14) was picked among the first 15 as a typical
draw in which the two outcomes behave as designed (some seeds give, by chance, a
significant "effect" on ``tevredenheid`` or a DiD interval that misses 2.0 — that is
what a 95% interval means); the coverage tests in ``tests/test_evaluation_*.py`` check
the methods over many seeds instead of on this one draw. The covariate source is an argument of
:func:`generate_voorbeeld`, so tests can pass their own table.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from doeagenda.errors import DataError
from doeagenda.iorw import write_csv

logger = logging.getLogger(__name__)

__all__ = [
    "COVARIATES",
    "FILE_NAME",
    "PROEFTUINEN",
    "TRUE_EFFECT",
    "YEARS",
    "generate_voorbeeld",
    "load_covariates",
    "voorbeeld_panel",
    "write_voorbeeld",
]

#: The known true effect on ``deelname`` (percentage points).
TRUE_EFFECT = 2.0
#: Gemeenten with a proeftuin and their start year.
PROEFTUINEN = {"GM0321": 2019, "GM0632": 2020, "GM0355": 2021}
#: Years of the panel.
YEARS = tuple(range(2015, 2025))
#: Real CBS covariates used (indicator id -> coefficient on its z-score).
COVARIATES = {
    "a_inw": -1.2,
    "kwb21_age_65_plus_pct": 0.8,
    "kwb21_owner_occupied_pct": 0.6,
    "kwb21_avg_income_per_inhabitant": 0.5,
}
#: File name inside ``doeagenda/data/voorbeeld``.
FILE_NAME = "proeftuin_voorbeeld.csv"
SEED = 14


def load_covariates(provincie: str = "Utrecht") -> pd.DataFrame:
    """Return the real covariates per gemeente (index ``code``) plus a ``name`` column.

    Parameters
    ----------
    provincie : str
        Provincie whose gemeenten form the panel.

    Returns
    -------
    DataFrame
    """
    from doeagenda import data

    wide = data.indicators(level="gemeente", provincie=provincie, wide=True)
    names = data.areas(level="gemeente", provincie=provincie).set_index("code")["name"]
    out = wide[list(COVARIATES)].copy()
    out["name"] = names.reindex(out.index)
    return out


def generate_voorbeeld(
    covariates: pd.DataFrame | None = None,
    *,
    effect: float = TRUE_EFFECT,
    proeftuinen: dict[str, int] | None = None,
    years: tuple[int, ...] = YEARS,
    seed: int = SEED,
) -> pd.DataFrame:
    """Generate the voorbeeld proeftuin panel.

    Parameters
    ----------
    covariates : DataFrame, optional
        One row per gemeente (index: gemeente code) with the columns of
        :data:`COVARIATES` and optionally ``name``; default :func:`load_covariates`.
    effect : float
        True effect on ``deelname`` from the start year on.
    proeftuinen : dict, optional
        Gemeente code -> start year (default :data:`PROEFTUINEN`).
    years : tuple of int
        Years of the panel.
    seed : int
        Seed of the noise.

    Returns
    -------
    DataFrame
        Columns ``gemeente_code, gemeente, jaar, deelname, tevredenheid, proeftuin,
        start_jaar, na_start, inwoners`` and the covariates.
    """
    cov = load_covariates() if covariates is None else covariates.copy()
    proeftuinen = dict(PROEFTUINEN if proeftuinen is None else proeftuinen)
    missing = [c for c in COVARIATES if c not in cov.columns]
    if missing:
        msg = f"de covariatentabel mist kolom(men) {', '.join(missing)}; geef een tabel met {', '.join(COVARIATES)}"
        raise DataError(msg)
    if cov[list(COVARIATES)].isna().any().any():
        msg = "de covariatentabel heeft lege waarden; het voorbeeld vraagt volledige covariaten"
        raise DataError(msg)
    unknown = [g for g in proeftuinen if g not in cov.index]
    if unknown:
        msg = f"proeftuingemeente {unknown[0]!r} staat niet in de covariatentabel"
        raise DataError(msg)
    cov = cov.sort_index()
    rng = np.random.default_rng(seed)
    n, t = len(cov), len(years)
    level = np.full(n, 12.0)
    tevreden = np.full(n, 7.2)
    for col, coef in COVARIATES.items():
        values = cov[col].to_numpy(float)
        if col == "a_inw":
            values = np.log(values)
        z = (values - values.mean()) / values.std(ddof=1)
        level += coef * z
        tevreden += 0.1 * coef * z
    gem_effect = rng.normal(0.0, 0.8, n)
    year_idx = np.arange(t)
    year_effect = 0.15 * year_idx + rng.normal(0.0, 0.3, t)
    noise = rng.normal(0.0, 0.5, (n, t))
    tev_gem = rng.normal(0.0, 0.2, n)
    tev_year = rng.normal(0.0, 0.05, t)
    tev_noise = rng.normal(0.0, 0.15, (n, t))
    start = np.array([proeftuinen.get(code, 0) for code in cov.index])
    yr = np.asarray(years)
    active = (start[:, None] > 0) & (yr[None, :] >= start[:, None])
    deelname = level[:, None] + gem_effect[:, None] + year_effect[None, :] + noise + effect * active
    tevredenheid = tevreden[:, None] + tev_gem[:, None] + tev_year[None, :] + tev_noise
    names = cov["name"] if "name" in cov.columns else pd.Series(cov.index, index=cov.index)
    frame = pd.DataFrame(
        {
            "gemeente_code": np.repeat(cov.index.to_numpy(), t),
            "gemeente": np.repeat(names.to_numpy(), t),
            "jaar": np.tile(yr, n),
            "deelname": np.round(deelname.ravel(), 3),
            "tevredenheid": np.round(tevredenheid.ravel(), 3),
            "proeftuin": np.repeat((start > 0).astype(int), t),
            "start_jaar": np.repeat(start, t),
            "na_start": active.ravel().astype(int),
            "inwoners": np.repeat(cov["a_inw"].to_numpy(float).round(0).astype(int), t),
        }
    )
    for col in COVARIATES:
        if col != "a_inw":
            frame[col] = np.repeat(cov[col].to_numpy(float), t)
    return frame


def voorbeeld_path() -> Path:
    """Path of the shipped voorbeeld CSV (inside the installed package)."""
    return Path(str(resources.files("doeagenda.data").joinpath("voorbeeld", FILE_NAME)))


def voorbeeld_panel() -> pd.DataFrame:
    """Read the shipped voorbeeld proeftuin panel.

    Returns
    -------
    DataFrame
    """
    path = resources.files("doeagenda.data").joinpath("voorbeeld", FILE_NAME)
    with resources.as_file(path) as file:
        if not file.exists():
            msg = f"voorbeeld file {file} is missing; run python -m doeagenda.evaluation.voorbeeld"
            raise DataError(msg)
        return pd.read_csv(file, dtype={"gemeente_code": str, "gemeente": str})


def write_voorbeeld(path: str | Path | None = None) -> Path:
    """Generate the panel from the shipped covariates and write it as CSV.

    Parameters
    ----------
    path : str or Path, optional
        Target (default: the package file ``doeagenda/data/voorbeeld/proeftuin_voorbeeld.csv``).

    Returns
    -------
    Path
    """
    target = Path(path) if path is not None else voorbeeld_path()
    write_csv(generate_voorbeeld(), target, index=False)
    logger.info("wrote %s", target)
    return target


if __name__ == "__main__":  # pragma: no cover
    logging.basicConfig(level=logging.INFO)
    write_voorbeeld()
