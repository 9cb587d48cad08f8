"""Monte Carlo uncertainty of the SROI ratio and variance-based (Sobol) sensitivity.

Design (Saltelli 2010): two independent ``n × d`` matrices ``A`` and ``B`` of uniform
numbers are mapped through each assumption's inverse CDF; ``AB_i`` is ``A`` with column
*i* taken from ``B``. With ``f`` the ratio,

* first-order index (Saltelli 2010, eq. b):  ``S_i  = mean(f(B) (f(AB_i) − f(A))) / V``
  (with ``f`` centred on its sample mean, which keeps the estimator unbiased)
* total-order index (Jansen 1999):           ``ST_i = mean((f(A) − f(AB_i))²) / (2V)``

with ``V`` the variance of ``f`` over ``A`` and ``B`` together (the package's one estimator,
:func:`doeagenda.sensitivity.saltelli_jansen`). The ratio's distribution
is ``f(A)``. All evaluations are vectorised (:mod:`doeagenda.impact.engine`), so 10,000
draws with ``d`` assumptions take ``n (d + 2)`` model evaluations in a few array passes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from doeagenda.charts import HIGHLIGHT, PALETTE, nl_format, reference_line
from doeagenda.errors import ParameterError
from doeagenda.impact.distributions import Distribution, parse_distributions
from doeagenda.impact.model import label
from doeagenda.results import KeyFiguresMixin
from doeagenda.sensitivity import saltelli_jansen

logger = logging.getLogger(__name__)

__all__ = ["UncertaintyResult", "run_uncertainty", "sobol_indices"]


def sobol_indices(
    func: Callable[[np.ndarray], np.ndarray],
    samplers: list[Callable[[np.random.Generator, int], np.ndarray]],
    n: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """First- and total-order Sobol indices with the Saltelli/Jansen estimators.

    Parameters
    ----------
    func : callable
        Maps an ``(m, d)`` array of inputs to ``(m,)`` outputs (vectorised).
    samplers : list of callable
        ``sampler(rng, size)`` draws one of the ``d`` independent inputs.
    n : int
        Base sample size; ``func`` is evaluated on ``n (d + 2)`` rows.
    rng : numpy.random.Generator

    Returns
    -------
    first, total : ndarray
        ``(d,)`` first- and total-order indices (NaN when the output does not vary).
    x_a, y_a : ndarray
        The ``A`` sample ``(n, d)`` and its outputs ``(n,)``.
    """
    x_a, x_b = _design(samplers, n, rng)
    y_a = func(x_a)
    y_b = func(x_b)
    y_ab = []
    for j in range(len(samplers)):
        x_ab = x_a.copy()
        x_ab[:, j] = x_b[:, j]
        y_ab.append(func(x_ab))
    first, total = saltelli_jansen(y_a, y_b, y_ab)
    return first, total, x_a, y_a


def _design(samplers, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    d = len(samplers)
    x_a = np.empty((n, d))
    x_b = np.empty((n, d))
    for j, sampler in enumerate(samplers):
        x_a[:, j] = sampler(rng, n)
        x_b[:, j] = sampler(rng, n)
    return x_a, x_b


def run_uncertainty(result, distributions, n: int = 10000, seed: int = 0) -> UncertaintyResult:
    """Monte Carlo of an :class:`~doeagenda.impact.sroi.SROIResult` (see module docstring).

    Parameters
    ----------
    result : SROIResult
    distributions : dict, str or Path
        ``{assumption: Distribution or dict}`` or a distributions YAML.
    n : int
        Number of draws.
    seed : int
        Random seed.

    Returns
    -------
    UncertaintyResult
    """
    if int(n) < 2:
        msg = f"uncertainty: n moet ten minste 2 trekkingen zijn, niet {n}"
        raise ParameterError(msg)
    n = int(n)
    parsed: dict[str, Distribution] = parse_distributions(distributions)
    model = result._model()
    model.check_keys(parsed, "distributions")
    keys = list(parsed)
    varying = [k for k in keys if not parsed[k].is_constant]
    fixed = {k: float(parsed[k].ppf(np.array([0.5]))[0]) for k in keys if parsed[k].is_constant}

    rng = np.random.default_rng(seed)
    x_a, x_b = _design([parsed[k].sample for k in varying], n, rng)

    def overrides_of(x: np.ndarray) -> dict[str, np.ndarray]:
        values = {k: np.full(n, v) for k, v in fixed.items()}
        values.update({k: x[:, j] for j, k in enumerate(varying)})
        return values

    over_a = overrides_of(x_a)
    comp_a = model.components(over_a, n)
    pv_a = (comp_a["base"] * comp_a["weights"]).sum(axis=1)
    outputs = model._outputs(pv_a, comp_a["investment_pv"])
    y_b = model.evaluate(overrides_of(x_b), n)["ratio"]
    y_ab = [
        model.evaluate_swapped(comp_a, pv_a, over_a, key, x_b[:, j])["ratio"]
        for j, key in enumerate(varying)
    ]
    first, total = saltelli_jansen(outputs["ratio"], y_b, y_ab)
    draws = pd.DataFrame(
        {
            "ratio": outputs["ratio"],
            "present_value": outputs["present_value"],
            "investment_pv": outputs["investment_pv"],
            "npv": outputs["npv"],
        }
    )
    for j, key in enumerate(varying):
        draws[key] = x_a[:, j]
    sobol = pd.DataFrame(
        {
            "assumption": varying,
            "label": [label(k) for k in varying],
            "first_order": first,
            "total_order": total,
        }
    )
    sobol = sobol.sort_values("total_order", ascending=False, kind="stable").reset_index(drop=True)
    return UncertaintyResult(
        draws=draws,
        sobol=sobol,
        deterministic_ratio=result.ratio,
        distributions=parsed,
        n=n,
        seed=seed,
        name=result.name,
    )


@dataclass
class UncertaintyResult(KeyFiguresMixin):
    """Distribution of the SROI ratio under uncertain assumptions.

    Attributes
    ----------
    draws : DataFrame
        One row per draw: ``ratio, present_value, investment_pv, npv`` and the drawn
        value of each uncertain assumption.
    sobol : DataFrame
        ``assumption, label, first_order, total_order`` sorted by total order.
    deterministic_ratio : float
        The ratio at the value map's own values.
    distributions : dict
    n, seed : int
    name : str
    """

    draws: pd.DataFrame
    sobol: pd.DataFrame
    deterministic_ratio: float
    distributions: dict
    n: int
    seed: int
    name: str = "waardekaart"

    @property
    def probability_positive(self) -> float:
        """P(ratio > 1): share of draws in which the value exceeds the investment."""
        return float((self.draws["ratio"] > 1).mean())

    def interval(self, level: float = 0.9) -> tuple[float, float]:
        """Central interval of the ratio (percentiles).

        Parameters
        ----------
        level : float
            Coverage, 0.9 gives the 5th and 95th percentile.

        Returns
        -------
        tuple of float
        """
        tail = (1 - level) / 2
        low, high = np.quantile(self.draws["ratio"], [tail, 1 - tail])
        return float(low), float(high)

    def _key_figures(self) -> pd.DataFrame:
        """Key figures of the ratio's distribution (see :class:`KeyFiguresMixin`)."""
        ratio = self.draws["ratio"]
        low, high = self.interval(0.9)
        rows = [
            ("SROI-ratio zonder onzekerheid", self.deterministic_ratio, 2),
            ("Gemiddelde ratio (simulatie)", float(ratio.mean()), 2),
            ("Mediaan ratio", float(ratio.median()), 2),
            ("5e percentiel", low, 2),
            ("95e percentiel", high, 2),
            ("Kans dat ratio > 1 (%)", 100 * self.probability_positive, 1),
            ("Aantal trekkingen", float(self.n), 0),
        ]
        return pd.DataFrame(
            {
                "kengetal": [r[0] for r in rows],
                "waarde": [r[1] for r in rows],
                "tekst": [nl_format(r[1], r[2]) for r in rows],
            }
        ).set_index("kengetal")

    #: :meth:`to_frame` copies the draws.
    frame_attribute = "draws"

    def sobol_table(self) -> pd.DataFrame:
        """Sobol indices with Dutch column names.

        Returns
        -------
        DataFrame
        """
        return pd.DataFrame(
            {
                "aanname": self.sobol["label"],
                "eerste orde (S1)": self.sobol["first_order"].round(3),
                "totaal (ST)": self.sobol["total_order"].round(3),
            }
        ).set_index("aanname")

    def chart(self, kind: str = "verdeling") -> alt.Chart:
        """Histogram of the ratio, or a bar chart of the Sobol indices.

        Parameters
        ----------
        kind : {"verdeling", "sobol"}

        Returns
        -------
        altair chart
        """
        if kind in ("verdeling", "distribution"):
            counts, edges = np.histogram(self.draws["ratio"], bins=50)
            data = pd.DataFrame({"van": edges[:-1], "tot": edges[1:], "aantal": counts})
            hist = (
                alt.Chart(data, title=f"Verdeling van de SROI-ratio — {self.name}")
                .mark_bar(color=PALETTE[0])
                .encode(
                    x=alt.X("van:Q", title="SROI-ratio"),
                    x2="tot:Q",
                    y=alt.Y("aantal:Q", title="Aantal trekkingen"),
                    tooltip=[
                        alt.Tooltip("van:Q", title="Ratio van", format=".2f"),
                        alt.Tooltip("tot:Q", title="Ratio tot", format=".2f"),
                        alt.Tooltip("aantal:Q", title="Aantal"),
                    ],
                )
            )
            one = reference_line(1.0, "x", color=HIGHLIGHT, strokeDash=[4, 4], size=2)
            return alt.layer(hist, one)
        if kind == "sobol":
            long = self.sobol.melt(
                id_vars=["label"],
                value_vars=["first_order", "total_order"],
                var_name="index",
                value_name="waarde",
            )
            long["index"] = long["index"].map(
                {"first_order": "eerste orde", "total_order": "totaal"}
            )
            return (
                alt.Chart(long, title=f"Welke aanname bepaalt de onzekerheid? — {self.name}")
                .mark_bar()
                .encode(
                    y=alt.Y(
                        "label:N",
                        sort=list(self.sobol["label"]),
                        title=None,
                    ),
                    x=alt.X("waarde:Q", title="Sobol-index (aandeel variantie)"),
                    yOffset="index:N",
                    color=alt.Color("index:N", title="Index"),
                )
            )
        msg = f"grafieksoort {kind!r} onbekend; kies 'verdeling' of 'sobol'"
        raise ParameterError(msg)
