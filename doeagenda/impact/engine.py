"""Vectorised SROI kernel: present values for many parameter sets at once.

The present value of outcome *i* with start year ``s``, duration ``d``, drop-off ``δ`` and
discount rate ``r`` is the SROI Guide's sum written in closed form::

    PV_i = base_i * sum_{t=0}^{d-1} (1-δ)^t (1+r)^-(s+t)
         = base_i * (1+r)^-s * (1 - g^d) / (1 - g),        g = (1-δ)/(1+r)

with ``base_i = quantity * proxy_value * (1-deadweight) * (1-displacement) *
(1-attribution)``. A horizon ``H`` cuts the duration to ``min(d, H - s + 1)``. Every
argument may be an array that broadcasts against ``(n_draws, n_outcomes)``, so a Monte
Carlo of 10,000 draws is a handful of array operations.
"""

from __future__ import annotations

import numpy as np

__all__ = ["base_impact", "investment_present_value", "outcome_present_values", "year_weights"]


def base_impact(quantity, proxy_value, deadweight, attribution, displacement) -> np.ndarray:
    """Impact in the first year of an outcome (before drop-off and discounting).

    Parameters
    ----------
    quantity, proxy_value, deadweight, attribution, displacement : array_like
        Broadcastable arrays.

    Returns
    -------
    ndarray
    """
    return (
        np.asarray(quantity, dtype="float64")
        * proxy_value
        * (1 - np.asarray(deadweight))
        * (1 - np.asarray(displacement))
        * (1 - np.asarray(attribution))
    )


def year_weights(drop_off, duration, start_year, rate, horizon: int | None = None) -> np.ndarray:
    """Sum of drop-off times discount factors over the years an outcome lasts.

    Parameters
    ----------
    drop_off : array_like
        Fraction lost each year after the first.
    duration : array_like of int
        Years the outcome lasts (>= 1).
    start_year : array_like of int
        First year of the outcome (year 1 = the year after the investment).
    rate : array_like
        Discount rate per year.
    horizon : int, optional
        Last year counted.

    Returns
    -------
    ndarray
        ``sum_{t=0}^{d-1} (1-δ)^t (1+r)^-(s+t)``.
    """
    drop_off = np.asarray(drop_off, dtype="float64")
    rate = np.asarray(rate, dtype="float64")
    start = np.asarray(start_year, dtype="float64")
    years = np.asarray(duration, dtype="float64")
    if horizon is not None:
        years = np.clip(np.minimum(years, horizon - start + 1), 0, None)
    g = (1 - drop_off) / (1 + rate)
    one_minus_g = 1 - g
    near_one = np.abs(one_minus_g) < 1e-9
    safe = np.where(near_one, 1.0, one_minus_g)
    series = np.where(
        near_one,
        years - one_minus_g * years * (years - 1) / 2,
        (1 - g**years) / safe,
    )
    return (1 + rate) ** (-start) * series


def outcome_present_values(
    quantity,
    proxy_value,
    deadweight,
    attribution,
    displacement,
    drop_off,
    duration,
    start_year,
    rate,
    horizon: int | None = None,
) -> np.ndarray:
    """Present value per outcome (and per draw when arrays have a draw axis).

    Returns
    -------
    ndarray
        ``base_impact(...) * year_weights(...)``.
    """
    base = base_impact(quantity, proxy_value, deadweight, attribution, displacement)
    return base * year_weights(drop_off, duration, start_year, rate, horizon)


def investment_present_value(years, amounts, rate) -> np.ndarray:
    """Present value of investment amounts spent in the given years (year 0 undiscounted).

    Parameters
    ----------
    years : array_like of int
        Year of each amount.
    amounts : array_like
        Amounts; may carry a leading draw axis ``(n, m)``.
    rate : array_like
        Discount rate, scalar or ``(n,)``.

    Returns
    -------
    ndarray
        Scalar or ``(n,)``.
    """
    years = np.asarray(years, dtype="float64")
    rate = np.asarray(rate, dtype="float64")
    factors = (1 + rate[..., None]) ** (-years)
    return np.sum(np.asarray(amounts, dtype="float64") * factors, axis=-1)
