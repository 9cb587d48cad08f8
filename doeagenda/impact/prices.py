"""Dutch reference prices (financial proxies), CPI indexation and the default discount rate.

The table lives in ``params/impact/prijzen.yaml``; it is validated on load (pydantic,
``extra="forbid"``). Every price carries its value, unit, price year and source; a price
that comes from no published source has ``bron: aanname`` and is flagged as an
assumption wherever it is used.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from doeagenda.config import load_model
from doeagenda.errors import ParameterError
from doeagenda.paths import params_path

logger = logging.getLogger(__name__)

__all__ = [
    "ASSUMPTION",
    "PARAMS_DIR",
    "PRICES_FILE",
    "cpi_factor",
    "default_discount_rate",
    "load_price_table",
    "prices",
]

#: Folder with the impact configuration (prices, voorbeeld value maps, distributions).
PARAMS_DIR = params_path("impact")
#: The reference price table.
PRICES_FILE = PARAMS_DIR / "prijzen.yaml"
#: The ``bron`` value that marks a price as an assumption.
ASSUMPTION = "aanname"


class _Price(BaseModel):
    model_config = ConfigDict(extra="forbid")

    omschrijving: str
    waarde: float = Field(ge=0)
    eenheid: str
    prijsjaar: int
    bron: str = Field(min_length=1)
    actor: str | None = None
    opmerking: str | None = None


class _DiscountRate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    waarde: float = Field(ge=0, lt=1)
    eenheid: str
    bron: str
    toelichting: str | None = None


class _CPI(BaseModel):
    model_config = ConfigDict(extra="forbid")

    basis: str
    bron: str
    waarden: dict[int, float]

    @field_validator("waarden")
    @classmethod
    def _positive(cls, value: dict[int, float]) -> dict[int, float]:
        bad = {year: index for year, index in value.items() if index <= 0}
        if bad:
            msg = f"CPI index values must be positive, got {bad}"
            raise ValueError(msg)
        return value


class _PriceFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    standaard_prijsjaar: int
    disconteringsvoet: _DiscountRate
    cpi: _CPI
    prijzen: dict[str, _Price]


@lru_cache(maxsize=8)
def _load(path_text: str) -> _PriceFile:
    path = Path(path_text)
    model = load_model(path, _PriceFile, what="price table")
    missing = (
        sorted({p.prijsjaar for p in model.prijzen.values()} | {model.standaard_prijsjaar})
        - model.cpi.waarden.keys()
    )
    if missing:
        msg = (
            f"price table {path}: price years {sorted(missing)} have no CPI value under "
            f"cpi.waarden; add them"
        )
        raise ParameterError(msg)
    return model


def _price_file(path: str | Path | None) -> _PriceFile:
    return _load(str(Path(path) if path is not None else PRICES_FILE))


def default_discount_rate(path: str | Path | None = None) -> float:
    """The default discount rate (real, per year) from ``prijzen.yaml``.

    Parameters
    ----------
    path : str or Path, optional
        Another price table; default ``params/impact/prijzen.yaml``.

    Returns
    -------
    float
        0.0225 in the shipped table (Werkgroep discontovoet 2020).
    """
    return _price_file(path).disconteringsvoet.waarde


def cpi_factor(from_year: int, to_year: int, path: str | Path | None = None) -> float:
    """Factor that brings a price from ``from_year`` euros to ``to_year`` euros (CBS CPI).

    Parameters
    ----------
    from_year, to_year : int
        Price years; both must be in the CPI series of the price table.
    path : str or Path, optional
        Another price table.

    Returns
    -------
    float
        ``CPI[to_year] / CPI[from_year]``.
    """
    series = _price_file(path).cpi.waarden
    for year in (from_year, to_year):
        if year not in series:
            msg = (
                f"no CPI value for price year {year} in the price table (available: "
                f"{min(series)}-{max(series)}); choose a price year in that range"
            )
            raise ParameterError(msg)
    return series[to_year] / series[from_year]


def load_price_table(path: str | Path | None = None) -> pd.DataFrame:
    """The reference prices as listed, in their own price years.

    Parameters
    ----------
    path : str or Path, optional
        Another price table; default ``params/impact/prijzen.yaml``.

    Returns
    -------
    DataFrame
        Index ``proxy``; columns ``omschrijving, waarde, eenheid, prijsjaar, bron, actor,
        opmerking, aanname`` (``aanname`` is True where ``bron`` is ``aanname``).
    """
    model = _price_file(path)
    rows = [{"proxy": name, **price.model_dump()} for name, price in model.prijzen.items()]
    frame = pd.DataFrame(rows).set_index("proxy")
    frame["aanname"] = frame["bron"].str.strip().str.lower() == ASSUMPTION
    return frame


def prices(price_year: int | None = None, path: str | Path | None = None) -> pd.DataFrame:
    """Reference prices brought to one price year with the CPI.

    Parameters
    ----------
    price_year : int, optional
        Target price year; default ``standaard_prijsjaar`` of the table (2024).
    path : str or Path, optional
        Another price table.

    Returns
    -------
    DataFrame
        The columns of :func:`load_price_table` plus ``factor`` (CPI factor) and
        ``waarde_geindexeerd`` (value in ``price_year`` euros) and ``doeljaar``.
    """
    model = _price_file(path)
    year = model.standaard_prijsjaar if price_year is None else int(price_year)
    table = load_price_table(path)
    table["factor"] = [cpi_factor(int(y), year, path) for y in table["prijsjaar"]]
    table["waarde_geindexeerd"] = table["waarde"] * table["factor"]
    table["doeljaar"] = year
    return table
