"""Result classes of the index's uncertainty and sensitivity analyses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from doeagenda.index.labels import FACTOR_LABELS
from doeagenda.results import ResultMixin

# The chart methods import doeagenda.index.charts when called: it loads altair, which is slow
# to import and not needed to compute. charts imports nothing from this module at run time.
if TYPE_CHECKING:  # type names only
    import altair as alt

__all__ = ["SensitivityResult", "UncertaintyResult"]


@dataclass
class UncertaintyResult(ResultMixin):
    """Result of :func:`~doeagenda.index.uncertainty.uncertainty`.

    Attributes
    ----------
    table : DataFrame
        Per unit: ``name, nominal_rank, median_rank, rank_p05, rank_p95, mean_rank,
        score`` (the nominal index score), sorted by median rank. Scores of runs are not
        summarised: under another normalisation they are on another scale.
    ranks : ndarray (runs x units)
        Rank of every unit in every run.
    runs : DataFrame
        The choices of each run (imputation, normalisation, aggregation, left-out indicator).
    weight_factors : DataFrame
        The factor each node weight was multiplied by, per run.
    """

    table: pd.DataFrame
    ranks: np.ndarray
    scores: np.ndarray
    runs: pd.DataFrame
    weight_factors: pd.DataFrame
    units: pd.Index
    seed: int

    def summary(self) -> pd.DataFrame:
        """Return the per-unit rank table (median rank and 5-95% interval)."""
        return self.table

    def chart(
        self, highlight: str | None = None, units: list[str] | None = None
    ) -> alt.TopLevelMixin:
        """Rank-uncertainty chart: median rank with the 5-95% interval per unit."""
        from doeagenda.index.charts import uncertainty_chart

        return uncertainty_chart(self, highlight=highlight, units=units)


@dataclass
class SensitivityResult(ResultMixin):
    """Result of :func:`~doeagenda.index.uncertainty.sensitivity`: Sobol indices of the choices for the ranks."""

    table: pd.DataFrame
    output: str
    n: int
    seed: int

    def summary(self) -> pd.DataFrame:
        """Return the Sobol indices per factor (S1, ST with 95% half-widths)."""
        return self.table

    def to_frame(self) -> pd.DataFrame:
        """Return the Sobol indices per factor with a Dutch label column."""
        out = self.table.copy()
        out.insert(0, "label", [FACTOR_LABELS.get(f, f) for f in out.index])
        return out

    def chart(self) -> alt.TopLevelMixin:
        """Bar chart of first- and total-order indices per factor."""
        from doeagenda.index.charts import sensitivity_chart

        return sensitivity_chart(self)
