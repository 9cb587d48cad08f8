"""Probability distributions of value-map assumptions for the Monte Carlo.

A distributions YAML maps an assumption key to a distribution::

    verdelingen:
      minder_huisartsconsulten.quantity:
        verdeling: triangular
        min: 80
        mode: 120
        max: 150
        bron: DiD-schatting proeftuin 2024, 95%-interval
      discount_rate: {verdeling: uniform, min: 0.0, max: 0.04}

Keys are ``<outcome>.<column>`` (columns ``quantity, proxy_value, deadweight,
attribution, displacement, drop_off, duration``) or the global assumptions
``discount_rate`` (alias ``disconteringsvoet``) and ``investment`` (alias ``investering``,
the total investment; all amounts are scaled in proportion).

Distributions: ``constant (value)``, ``uniform (min, max)``, ``triangular (min, mode,
max)``, ``pert (min, mode, max)``, ``beta (alpha, beta[, min, max])``, ``normal (mean,
sd[, min, max] -> truncated)``, ``lognormal (mean, sd of the variable itself)``.
``Distribution.sample`` draws with numpy's generators (inverse CDF only for the
truncated normal); ``Distribution.ppf`` is the inverse CDF.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from scipy import stats

from doeagenda.config import pydantic_message, read_yaml
from doeagenda.errors import ParameterError

logger = logging.getLogger(__name__)

__all__ = ["Distribution", "load_distributions", "parse_distributions"]

_ALIASES = {"disconteringsvoet": "discount_rate", "investering": "investment"}


class Distribution(BaseModel):
    """One distribution of an assumption (see module docstring for the kinds)."""

    model_config = ConfigDict(extra="forbid")

    verdeling: Literal["constant", "uniform", "triangular", "pert", "beta", "normal", "lognormal"]
    value: float | None = None
    min: float | None = None
    mode: float | None = None
    max: float | None = None
    mean: float | None = None
    sd: float | None = None
    alpha: float | None = None
    beta: float | None = None
    bron: str | None = None
    toelichting: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Distribution:
        need = {
            "constant": ("value",),
            "uniform": ("min", "max"),
            "triangular": ("min", "mode", "max"),
            "pert": ("min", "mode", "max"),
            "beta": ("alpha", "beta"),
            "normal": ("mean", "sd"),
            "lognormal": ("mean", "sd"),
        }[self.verdeling]
        missing = [name for name in need if getattr(self, name) is None]
        if missing:
            msg = f"verdeling '{self.verdeling}' vraagt {list(need)}; ontbreekt: {missing}"
            raise ValueError(msg)
        if self.min is not None and self.max is not None and self.min > self.max:
            msg = f"min ({self.min}) is larger than max ({self.max})"
            raise ValueError(msg)
        if self.mode is not None and not (self.min <= self.mode <= self.max):
            msg = f"modus ({self.mode}) moet tussen min ({self.min}) en max ({self.max}) liggen"
            raise ValueError(msg)
        if self.sd is not None and self.sd < 0:
            msg = f"sd moet >= 0 zijn, niet {self.sd}"
            raise ValueError(msg)
        if self.verdeling == "lognormal" and (self.mean is None or self.mean <= 0):
            msg = f"een lognormale verdeling vraagt mean > 0, niet {self.mean}"
            raise ValueError(msg)
        if self.verdeling == "beta" and (self.alpha <= 0 or self.beta <= 0):
            msg = f"beta vraagt alpha > 0 en beta > 0, niet {self.alpha}, {self.beta}"
            raise ValueError(msg)
        return self

    @property
    def is_constant(self) -> bool:
        """True when every draw is the same number."""
        if self.verdeling == "constant":
            return True
        if self.verdeling in ("uniform", "triangular", "pert"):
            return self.min == self.max
        if self.verdeling in ("normal", "lognormal"):
            return self.sd == 0
        return False

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Random draws with numpy's fast generators (inverse CDF only where needed).

        Parameters
        ----------
        rng : numpy.random.Generator
        size : int

        Returns
        -------
        ndarray
        """
        kind = self.verdeling
        if self.is_constant:
            return self.ppf(np.full(size, 0.5))
        if kind == "uniform":
            return rng.uniform(self.min, self.max, size)
        if kind == "triangular":
            return rng.triangular(self.min, self.mode, self.max, size)
        if kind == "pert":
            width = self.max - self.min
            a = 1 + 4 * (self.mode - self.min) / width
            b = 1 + 4 * (self.max - self.mode) / width
            return self.min + width * rng.beta(a, b, size)
        if kind == "beta":
            low = 0.0 if self.min is None else self.min
            high = 1.0 if self.max is None else self.max
            return low + (high - low) * rng.beta(self.alpha, self.beta, size)
        if kind == "normal" and self.min is None and self.max is None:
            return rng.normal(self.mean, self.sd, size)
        if kind == "lognormal":
            sigma2 = math.log1p((self.sd / self.mean) ** 2)
            return rng.lognormal(math.log(self.mean) - sigma2 / 2, math.sqrt(sigma2), size)
        return self.ppf(rng.random(size))

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF: map uniform numbers in (0, 1) to draws.

        Parameters
        ----------
        u : ndarray
            Uniform numbers.

        Returns
        -------
        ndarray
            Draws of the same shape.
        """
        u = np.asarray(u, dtype="float64")
        kind = self.verdeling
        if kind == "constant":
            return np.full_like(u, self.value)
        if self.is_constant:
            return np.full_like(u, self.min if self.min is not None else self.mean)
        if kind == "uniform":
            return self.min + u * (self.max - self.min)
        if kind == "triangular":
            low, mode, high = self.min, self.mode, self.max
            width = high - low
            cut = (mode - low) / width
            left = low + np.sqrt(u * width * (mode - low))
            right = high - np.sqrt((1 - u) * width * (high - mode))
            return np.where(u < cut, left, right)
        if kind == "pert":
            low, mode, high = self.min, self.mode, self.max
            width = high - low
            a = 1 + 4 * (mode - low) / width
            b = 1 + 4 * (high - mode) / width
            return low + width * stats.beta.ppf(u, a, b)
        if kind == "beta":
            low = 0.0 if self.min is None else self.min
            high = 1.0 if self.max is None else self.max
            return low + (high - low) * stats.beta.ppf(u, self.alpha, self.beta)
        if kind == "normal":
            if self.min is None and self.max is None:
                return self.mean + self.sd * stats.norm.ppf(u)
            a = -np.inf if self.min is None else (self.min - self.mean) / self.sd
            b = np.inf if self.max is None else (self.max - self.mean) / self.sd
            return stats.truncnorm.ppf(u, a, b, loc=self.mean, scale=self.sd)
        # lognormal with the mean and sd of the variable itself
        sigma2 = math.log1p((self.sd / self.mean) ** 2)
        mu = math.log(self.mean) - sigma2 / 2
        return np.exp(mu + math.sqrt(sigma2) * stats.norm.ppf(u))


def _canonical(key: str) -> str:
    return _ALIASES.get(key, key)


def parse_distributions(spec: Any, *, source: str = "distributions") -> dict[str, Distribution]:
    """Turn a mapping (or a YAML path) into validated distributions by assumption key.

    Parameters
    ----------
    spec : dict, str or Path
        ``{key: Distribution or dict}``, a mapping with a ``verdelingen`` key, or a YAML file.
    source : str
        Name used in error messages.

    Returns
    -------
    dict of str to Distribution
    """
    if isinstance(spec, str | Path):
        return load_distributions(spec)
    if not isinstance(spec, dict):
        msg = f"{source}: verwacht een mapping van aanname -> verdeling, niet {type(spec)}"
        raise ParameterError(msg)
    if "verdelingen" in spec:
        spec = spec["verdelingen"] or {}
    result: dict[str, Distribution] = {}
    problems = []
    for key, value in spec.items():
        if isinstance(value, Distribution):
            result[_canonical(str(key))] = value
            continue
        try:
            result[_canonical(str(key))] = Distribution.model_validate(value)
        except ValidationError as error:
            for item in error.errors():
                where = ".".join(str(p) for p in item["loc"]) or "verdeling"
                problems.append(f"'{key}', veld '{where}': {pydantic_message(item)}")
    if problems:
        msg = f"{source}: " + "; ".join(problems)
        raise ParameterError(msg)
    return result


def load_distributions(path: str | Path) -> dict[str, Distribution]:
    """Read a distributions YAML (see module docstring).

    Parameters
    ----------
    path : str or Path
        The YAML file.

    Returns
    -------
    dict of str to Distribution
    """
    path = Path(path)
    raw = read_yaml(path, what="verdelingenbestand")
    if "verdelingen" not in raw:
        msg = f"verdelingenbestand {path}: mist de sleutel 'verdelingen' op het bovenste niveau"
        raise ParameterError(msg)
    unknown = set(raw) - {"verdelingen", "waardekaart", "toelichting"}
    if unknown:
        msg = f"distributions file {path}: unknown keys {sorted(unknown)}"
        raise ParameterError(msg)
    return parse_distributions(raw["verdelingen"] or {}, source=f"distributions file {path}")
