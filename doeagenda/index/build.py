"""Build a composite index from data and a framework: :func:`build_index` -> :class:`IndexResult`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from doeagenda.errors import DataError, FrameworkError
from doeagenda.index import steps
from doeagenda.index.framework import Framework
from doeagenda.index.uncertainty import (
    sensitivity as run_sensitivity,
)
from doeagenda.index.uncertainty import (
    uncertainty as run_uncertainty,
)
from doeagenda.paths import params_dir, params_path
from doeagenda.results import ResultMixin

# The chart methods import doeagenda.index.charts when called: it loads altair, which is slow
# to import and not needed to build an index (e.g. `doeagenda index build`).
if TYPE_CHECKING:  # type names only
    import altair as alt

    from doeagenda.index.uncertainty import SensitivityResult, UncertaintyResult

__all__ = ["IndexResult", "as_framework", "build_index", "load_framework", "prepare_data"]

logger = logging.getLogger(__name__)


def load_framework(name: str | Path) -> Framework:
    """Load a framework by name from ``params/frameworks`` (e.g. ``"buurzaamheid_gemeenten"``)
    or from a YAML path.

    Parameters
    ----------
    name : str or Path
        A file name without ``.yaml`` in ``params/frameworks``, or a path to a YAML file.

    Returns
    -------
    Framework
    """
    path = Path(name)
    if not path.exists() and path.suffix not in (".yaml", ".yml") and len(path.parts) == 1:
        path = params_path("frameworks", f"{name}.yaml")
        if not path.exists():
            known = sorted(p.stem for p in (params_dir() / "frameworks").glob("*.yaml"))
            msg = f"geen framework {str(name)!r} in params/frameworks; bekend: {known}"
            raise FrameworkError(msg)
    return Framework.from_yaml(path)


def as_framework(framework: Framework | str | Path | dict[str, Any]) -> Framework:
    """Accept a Framework, a name in ``params/frameworks``, a YAML path or a dict."""
    if isinstance(framework, Framework):
        return framework
    if isinstance(framework, dict):
        return Framework.from_dict(framework)
    if isinstance(framework, str | Path):
        return load_framework(framework)
    msg = f"framework moet een Framework, een YAML-pad of een dict zijn, niet {type(framework).__name__}"
    raise FrameworkError(msg)


def prepare_data(data: pd.DataFrame, framework: Framework) -> tuple[pd.DataFrame, set[str]]:
    """Check the data against the framework; return numeric data and the active nodes.

    Leaves with ``status: needs_input`` may be absent or empty: they (and groups left
    without any data) are inactive and shown as "geen gegevens". Any other leaf must be a
    numeric column with at least two different values.

    Raises
    ------
    DataError
        Naming the indicator: missing column, non-numeric, all missing, or constant.
    """
    if not isinstance(data, pd.DataFrame):
        msg = f"data moet een pandas DataFrame met eenheidscodes als index zijn, niet {type(data).__name__}"
        raise DataError(msg)
    if "code" in data.columns and data.index.name != "code":
        data = data.set_index("code")
    if data.index.has_duplicates:
        dup = data.index[data.index.duplicated()][0]
        msg = f"eenheidscode {dup!r} komt meer dan eens voor in de index van de gegevens; codes moeten uniek zijn"
        raise DataError(msg)
    missing = [
        leaf
        for leaf in framework.leaves
        if leaf not in data.columns and framework.node(leaf).status != "needs_input"
    ]
    if missing:
        msg = (
            f"indicator(en) {missing} van framework '{framework.name}' zijn geen kolommen van de "
            f"gegevens (bladeren zonder gegevens); voeg ze toe, of markeer het knooppunt "
            f"'status: needs_input'"
        )
        raise DataError(msg)
    out = data.copy()
    numeric = [leaf for leaf in framework.leaves if leaf in out.columns]
    for leaf in framework.leaves:
        den = framework.node(leaf).denominator
        if den and den in out.columns and den not in numeric:
            numeric.append(den)
    for col in numeric:
        if pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].astype(float)
            continue
        converted = pd.to_numeric(out[col], errors="coerce")
        bad = out[col][converted.isna() & out[col].notna()]
        if len(bad):
            msg = (
                f"kolom '{col}' bevat geen getallen: waarde {bad.iloc[0]!r} voor eenheid "
                f"{bad.index[0]}; verbeter de waarde of laat de cel leeg"
            )
            raise DataError(msg)
        out[col] = converted.astype(float)
    active: set[str] = set()
    for leaf in framework.leaves:
        if leaf in out.columns and out[leaf].notna().any():
            active.add(leaf)
        elif framework.node(leaf).status != "needs_input":
            msg = (
                f"indicator '{leaf}' heeft helemaal geen waarden (alles ontbreekt); voeg gegevens "
                f"toe of markeer het knooppunt 'status: needs_input'"
            )
            raise DataError(msg)
    for group in framework.groups:
        if any(k in active for k in framework.children(group)):
            active.add(group)
    if framework.root not in active:
        msg = (
            f"framework '{framework.name}': geen indicator heeft gegevens, er valt niets te bouwen"
        )
        raise DataError(msg)
    return out, active


def _check_constant(frame: pd.DataFrame) -> None:
    for leaf in frame.columns:
        col = frame[leaf].dropna()
        if col.empty:
            msg = (
                f"indicator '{leaf}' houdt geen waarden over na het delen door de noemer (alles "
                f"ontbreekt of gedeeld door 0); controleer de noemerkolom"
            )
            raise DataError(msg)
        if col.min() == col.max():
            msg = (
                f"indicator '{leaf}' is constant (min = max = {col.min():g}) over de "
                f"{len(col)} eenheden met gegevens, dus kan hij niet genormaliseerd worden of "
                f"eenheden rangschikken; haal hem uit het framework of voeg eenheden toe"
            )
            raise DataError(msg)


@dataclass
class IndexResult(ResultMixin):
    """Result of :func:`build_index`.

    Attributes
    ----------
    framework : Framework
    scores : DataFrame
        Index = unit, one column per node: leaves as normalised values, groups and root
        as aggregates. Nodes without data (survey dimensions) are NaN ("geen gegevens").
    ranks : DataFrame
        Rank per node (1 = best; ties share the best rank).
    stages : dict of DataFrame
        ``raw, denominated, imputed, treated, transformed, normalised, aggregated``.
    treatment : DataFrame
        Per indicator: skew and kurtosis before/after, winsorised points, transform.
    active : set of str
        Nodes with data.
    names : Series
        Unit names (code -> name) where known.
    data : DataFrame
        The checked input data (used by the uncertainty analysis).
    """

    framework: Framework
    scores: pd.DataFrame
    ranks: pd.DataFrame
    stages: dict[str, pd.DataFrame]
    treatment: pd.DataFrame
    active: set[str]
    names: pd.Series
    data: pd.DataFrame = field(repr=False)

    # -------------------------------------------------------------- properties
    @property
    def index(self) -> pd.Series:
        """Root scores (the index) by unit."""
        return self.scores[self.framework.root]

    @property
    def missing_nodes(self) -> list[str]:
        """Nodes without data, shown as "geen gegevens"."""
        return [n.id for n in self.framework.nodes if n.id not in self.active]

    def name(self, unit: str) -> str:
        """Name of a unit (its code when unknown)."""
        value = self.names.get(unit)
        return str(value) if isinstance(value, str) and value else str(unit)

    def names_of(self, units: Any) -> list[str]:
        """Names of several units (codes where unknown), without a loop over pandas lookups."""
        units = pd.Index(units)
        names = self.names[~self.names.index.duplicated()].reindex(units)
        return [
            n if isinstance(n, str) and n else str(u) for u, n in zip(units, names, strict=True)
        ]

    # ----------------------------------------------------------------- tables
    def summary(self, among: list[str] | None = None) -> pd.DataFrame:
        """Return one row per unit: name, index score, rank, and the dimension scores.

        Parameters
        ----------
        among : list of str, optional
            Also rank within these units (e.g. the 26 Utrecht gemeenten); other units
            are left out of the table.
        """
        fw = self.framework
        root = fw.root
        table = pd.DataFrame(
            {
                "naam": self.names_of(self.scores.index),
                "score": self.scores[root],
                "rang": self.ranks[root],
            },
            index=self.scores.index,
        )
        for dim in fw.dimensions:
            table[fw.label(dim)] = self.scores[dim]
        if among is not None:
            among = [u for u in among if u in table.index]
            table = table.loc[among]
            table.insert(2, "rang_selectie", steps.rank_desc(table["score"].to_numpy()))
            table = table.rename(columns={"rang": "rang_alle"})
        table.index.name = "code"
        return table.sort_values("score", ascending=False, na_position="last")

    def to_frame(self) -> pd.DataFrame:
        """Return scores and ranks of every node side by side (``<node>`` and ``<node>_rank``)."""
        ranks = self.ranks.add_suffix("_rank")
        out = pd.concat([self.scores, ranks], axis=1)
        out.insert(0, "name", self.names_of(out.index))
        out.index.name = "code"
        return out

    def contributions(self, unit: str) -> pd.DataFrame:
        """Return how much each indicator adds to this unit's index score.

        For arithmetic aggregation the contributions are exact: effective weight (the
        product of the relative weights along the path, renormalised over the children
        with data) times the normalised value; they sum to the root score. Below a
        geometric or harmonic group the group's share is divided over its children in
        proportion to weight times value (an approximation that still sums to the score).

        Parameters
        ----------
        unit : str
            A unit code of the data.

        Returns
        -------
        DataFrame
            Columns ``indicator, label, dimension, value, effective_weight, contribution,
            share`` sorted by contribution.
        """
        if unit not in self.scores.index:
            msg = (
                f"eenheid {unit!r} staat niet in de index; bekende eenheden zijn bijvoorbeeld "
                f"{list(self.scores.index[:3])}"
            )
            raise DataError(msg)
        fw = self.framework
        row = self.scores.loc[unit]
        alloc: dict[str, float] = {fw.root: 1.0}  # multiplier m: contribution = m * score
        amount: dict[str, float] = {fw.root: float(row[fw.root])}
        order = sorted(fw.depths().items(), key=lambda kv: kv[1])
        for node_id, _ in order:
            if node_id in fw.leaves or node_id not in alloc:
                continue
            kids = [
                k for k in fw.children(node_id) if k in self.active and not np.isnan(float(row[k]))
            ]
            if not kids:
                continue
            w = np.array([fw.node(k).weight for k in kids], dtype=float)
            x = np.array([float(row[k]) for k in kids])
            if fw.aggregate_method(node_id) == "arithmetic":
                for k, wk in zip(kids, w, strict=True):
                    alloc[k] = alloc[node_id] * wk / w.sum()
                    amount[k] = alloc[k] * float(row[k])
            else:
                total = float((w * x).sum())
                for k, wk, xk in zip(kids, w, x, strict=True):
                    amount[k] = amount[node_id] * wk * xk / total if total else np.nan
                    alloc[k] = amount[k] / xk if xk else 0.0
        rows = []
        for leaf in fw.leaves:
            path = fw.path(leaf)
            dim = path[-2] if len(path) >= 2 else leaf
            rows.append(
                {
                    "indicator": leaf,
                    "label": fw.label(leaf),
                    "dimension": fw.label(dim),
                    "value": float(row[leaf]) if leaf in row.index else np.nan,
                    "effective_weight": alloc.get(leaf, 0.0),
                    "contribution": amount.get(leaf, np.nan),
                }
            )
        table = pd.DataFrame(rows)
        total = table["contribution"].sum()
        table["share"] = table["contribution"] / total if total else np.nan
        return table.sort_values("contribution", ascending=False, na_position="last").reset_index(
            drop=True
        )

    # ----------------------------------------------------------------- analyses
    def uncertainty(
        self, n: int = 1000, seed: int = 0, vary: Any = None, among: list[str] | None = None
    ) -> UncertaintyResult:
        """Run a Monte Carlo uncertainty analysis over the analyst's choices.

        See :func:`doeagenda.index.uncertainty.uncertainty`.
        """
        return run_uncertainty(self, n=n, seed=seed, vary=vary, among=among)

    def sensitivity(
        self,
        n: int = 256,
        seed: int = 0,
        vary: Any = None,
        output: str | None = None,
        among: list[str] | None = None,
    ) -> SensitivityResult:
        """Estimate first- and total-order Sobol indices of the choices for the ranks.

        See :func:`doeagenda.index.uncertainty.sensitivity`.
        """
        return run_sensitivity(self, n=n, seed=seed, vary=vary, output=output, among=among)

    # ------------------------------------------------------------------- charts
    def chart(
        self, highlight: str | None = None, among: list[str] | None = None
    ) -> alt.TopLevelMixin:
        """Ranking bar chart of the index (see :func:`doeagenda.index.charts.ranking_chart`)."""
        from doeagenda.index.charts import ranking_chart

        return ranking_chart(self, highlight=highlight, among=among)

    def ranking_chart(
        self, highlight: str | None = None, among: list[str] | None = None, node: str | None = None
    ) -> alt.TopLevelMixin:
        """Ranking bar chart of one node (default the root)."""
        from doeagenda.index.charts import ranking_chart

        return ranking_chart(self, highlight=highlight, among=among, node=node)

    def map_chart(
        self,
        provincie: str | None = "Utrecht",
        node: str | None = None,
        highlight: str | None = None,
    ) -> alt.TopLevelMixin:
        """Choropleth map of the index over the units of a provincie."""
        from doeagenda.index.charts import map_chart

        return map_chart(self, provincie=provincie, node=node, highlight=highlight)

    def profile_chart(self, unit: str) -> alt.TopLevelMixin:
        """Profile of one unit over the dimensions (with "geen gegevens" where empty)."""
        from doeagenda.index.charts import profile_chart

        return profile_chart(self, unit)

    def contributions_chart(self, unit: str) -> alt.TopLevelMixin:
        """Bar chart of the contributions of the indicators to one unit's score."""
        from doeagenda.index.charts import contributions_chart

        return contributions_chart(self, unit)


def build_index(
    data: pd.DataFrame,
    framework: Framework | str | Path | dict[str, Any],
    names: pd.Series | dict[str, str] | None = None,
) -> IndexResult:
    """Build a composite index: denominate, impute, treat, transform, normalise, aggregate.

    Parameters
    ----------
    data : DataFrame
        Indexed by unit code (or with a ``code`` column), one column per leaf plus any
        denominator or group columns. A ``name`` column is used for labels.
    framework : Framework, path or dict
        The index framework.
    names : Series or dict, optional
        Unit names by code (default: the ``name`` column of ``data`` if present).

    Returns
    -------
    IndexResult

    Raises
    ------
    FrameworkError, DataError
        With a message naming the node or indicator.
    """
    fw = as_framework(framework)
    data, active = prepare_data(data, fw)
    leaves = [leaf for leaf in fw.leaves if leaf in active]
    raw_cols = [c for c in fw.data_columns() if c in data.columns]
    raw = data[raw_cols].copy()
    denominated = steps.denominate(data, fw, leaves)
    _check_constant(denominated)
    imputed = steps.impute(denominated, fw, data)
    treated, treatment = steps.treat(imputed, fw)
    transformed = steps.transform(treated, fw)
    normalised = steps.normalise(transformed, fw)
    aggregated = steps.aggregate(normalised, fw, active)
    order = [n.id for n in fw.nodes]
    scores = aggregated.reindex(columns=order)
    ranks = pd.DataFrame(
        steps.rank_desc(scores.to_numpy(float), axis=0), index=scores.index, columns=scores.columns
    )
    if names is None:
        names = data["name"] if "name" in data.columns else pd.Series(dtype=object)
    names = pd.Series(names, dtype=object)
    logger.info(
        "built index %s: %d units, %d indicators (%d without data)",
        fw.name,
        len(scores),
        len(leaves),
        len(fw.leaves) - len(leaves),
    )
    return IndexResult(
        framework=fw,
        scores=scores,
        ranks=ranks,
        stages={
            "raw": raw,
            "denominated": denominated,
            "imputed": imputed,
            "treated": treated,
            "transformed": transformed,
            "normalised": normalised,
            "aggregated": scores,
        },
        treatment=treatment,
        active=active,
        names=names,
        data=data,
    )
