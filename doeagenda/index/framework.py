"""Index frameworks: the tree of indicators, groups and root, validated on load.

A framework is configuration as data (YAML under ``params/frameworks/``). The schema
follows COINr and the OECD/JRC Handbook on Constructing Composite Indicators::

    name: Human Development Index
    normalise: {method: minmax, range: [0, 100]}   # default for all leaves
    aggregate: arithmetic                          # default for all groups
    impute: {method: none}                         # none | mean | median | group_mean
    treat: {method: none}                          # none | winsorise
    nodes:
      - id: gnipc            # leaf: a column of the data
        parent: income
        direction: 1
        weight: 1
        transform: log
        normalise: {method: goalposts, low: 100, high: 75000, range: [0, 1]}
      - id: income           # group: has children
        parent: hdi
      - id: hdi              # root: no parent
        aggregate: geometric

Keys added by doeagenda (all optional): ``description``, ``level``, ``provincie``,
``gemeente``, ``min_coverage`` (framework default for groups), ``year`` (the data year of
every leaf; default: each indicator's latest year); per node ``label``, ``status``
(``data`` or ``needs_input``: a dimension that needs survey data such as the
Gezondheidsmonitor and is shown as "geen gegevens" until a file is added), ``source``,
``rationale``, ``unit``, ``min_coverage``, ``year``, ``treat`` and ``impute`` (per-leaf
overrides).

A leaf ``lbm_<dimension>`` (a Leefbaarometer dimension, :mod:`doeagenda.data.lbm`) exists
only for 2014, 2018, 2020 and 2022: a framework that asks it for another year is refused
on load, before any data is read.
"""

from __future__ import annotations

import logging
import numbers
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from doeagenda.config import pydantic_message, read_yaml
from doeagenda.errors import FrameworkError
from doeagenda.iorw import atomic_write

if TYPE_CHECKING:  # pandas loads lazily (the framework is read before any data)
    import pandas as pd
    from pydantic_core import ErrorDetails

__all__ = [
    "AGGREGATION_METHODS",
    "NORMALISATION_METHODS",
    "Framework",
    "ImputeSpec",
    "Node",
    "NormaliseSpec",
    "TreatSpec",
]

logger = logging.getLogger(__name__)

NORMALISATION_METHODS = (
    "minmax",
    "goalposts",
    "zscore",
    "rank",
    "percentile",
    "distance_to_target",
    "none",
)
AGGREGATION_METHODS = ("arithmetic", "geometric", "harmonic")

NormaliseMethod = Literal[
    "minmax", "goalposts", "zscore", "rank", "percentile", "distance_to_target", "none"
]
AggregateMethod = Literal["arithmetic", "geometric", "harmonic"]


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class NormaliseSpec(_Strict):
    """How one indicator is brought onto a common scale.

    Parameters
    ----------
    method : str
        ``minmax`` (default), ``goalposts``, ``zscore``, ``rank``, ``percentile``,
        ``distance_to_target`` or ``none``.
    range : [float, float]
        Output interval of the bounded methods (minmax, goalposts, percentile,
        distance_to_target). Default ``[0, 100]``.
    low, high : float
        Goalposts (``goalposts`` only), in the units of the raw indicator.
    target : float
        Target value (``distance_to_target`` only), in the units of the raw indicator.
    cap : bool
        ``distance_to_target``: cap scores beyond the target at the top of the range.
    mean, sd : float
        ``zscore``: target mean and standard deviation (default 0 and 1).
    """

    method: NormaliseMethod = "minmax"
    range: tuple[float, float] = (0.0, 100.0)
    low: float | None = None
    high: float | None = None
    target: float | None = None
    cap: bool = False
    mean: float = 0.0
    sd: float = 1.0

    @model_validator(mode="after")
    def _check(self) -> NormaliseSpec:
        lo, hi = self.range
        if not lo < hi:
            msg = f"normalise.range moet [laag, hoog] zijn met laag < hoog, niet {list(self.range)}"
            raise ValueError(msg)
        if self.method == "goalposts":
            if self.low is None or self.high is None:
                msg = "normalisatiemethode 'goalposts' vraagt zowel 'low' als 'high'"
                raise ValueError(msg)
            if self.low == self.high:
                msg = f"goalposts low en high moeten verschillen, beide zijn {self.low}"
                raise ValueError(msg)
        if self.method == "distance_to_target" and self.target is None:
            msg = "normalisatiemethode 'distance_to_target' vraagt een 'target'"
            raise ValueError(msg)
        if self.sd <= 0:
            msg = f"normalise.sd moet positief zijn, niet {self.sd}"
            raise ValueError(msg)
        return self


class ImputeSpec(_Strict):
    """How missing values are filled: ``none``, ``mean``, ``median`` or ``group_mean``.

    ``group_mean`` fills a missing value with the mean of the indicator within the unit's
    group, given by the data column ``by`` (for example ``gemeente_code`` or ``provincie``).
    """

    method: Literal["none", "mean", "median", "group_mean"] = "none"
    by: str | None = None

    @model_validator(mode="after")
    def _check(self) -> ImputeSpec:
        if self.method == "group_mean" and not self.by:
            msg = "imputatiemethode 'group_mean' vraagt 'by: KOLOM' (de kolom met de groepen)"
            raise ValueError(msg)
        return self


class TreatSpec(_Strict):
    """Outlier treatment (COINr ``Treat``): winsorise while skew and kurtosis are too high.

    Parameters
    ----------
    method : str
        ``none`` or ``winsorise``.
    skew : float
        Threshold on the absolute sample skewness G1 (default 2.0).
    kurtosis : float
        Threshold on the sample excess kurtosis G2 (default 3.5).
    winmax : int, optional
        Maximum number of winsorisation rounds; default 10% of the units, rounded up.
    fallback : str
        Applied to the *original* values when winsorising fails: ``ctlog`` (default),
        ``log`` or ``none``.
    """

    method: Literal["none", "winsorise"] = "none"
    skew: float = 2.0
    kurtosis: float = 3.5
    winmax: int | None = Field(default=None, ge=0)
    fallback: Literal["ctlog", "log", "none"] = "ctlog"


class Node(_Strict):
    """One node of the framework tree: a leaf (indicator), a group or the root."""

    id: str = Field(min_length=1)
    parent: str | None = None
    weight: float = 1.0
    direction: Literal[1, -1] = 1
    transform: Literal["none", "log"] = "none"
    denominator: str | None = None
    normalise: NormaliseSpec | None = None
    aggregate: AggregateMethod | None = None
    min_coverage: float | None = Field(default=None, ge=0.0, le=1.0)
    treat: TreatSpec | None = None
    impute: ImputeSpec | None = None
    label: str | None = None
    status: Literal["data", "needs_input"] = "data"
    source: str | None = None
    rationale: str | None = None
    unit: str | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)

    @field_validator("weight", mode="before")
    @classmethod
    def _weight_number(cls, value: Any) -> Any:
        if not _is_number(value):
            msg = f"weight moet een getal zijn, niet {value!r}"
            raise ValueError(msg)
        if value < 0 or value != value or value in (float("inf"), float("-inf")):
            msg = f"weight moet een eindig getal >= 0 zijn, niet {value!r}"
            raise ValueError(msg)
        return value

    @field_validator("direction", mode="before")
    @classmethod
    def _direction_number(cls, value: Any) -> Any:
        if not _is_number(value) or value not in (1, -1):
            msg = f"direction moet 1 (hoger is beter) of -1 (lager is beter) zijn, niet {value!r}"
            raise ValueError(msg)
        return int(value)

    @field_validator("id", "parent", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, str):
            return str(value)
        return value


class Framework(_Strict):
    """A validated index framework (see the module docstring for the YAML schema).

    Use :meth:`from_yaml` or :meth:`from_dict`; both raise
    :class:`~doeagenda.errors.FrameworkError` with one clear message per problem.
    """

    name: str
    description: str | None = None
    level: Literal["gemeente", "wijk", "buurt"] | None = None
    provincie: str | None = None
    gemeente: str | None = None
    normalise: NormaliseSpec = Field(default_factory=NormaliseSpec)
    aggregate: AggregateMethod = "arithmetic"
    min_coverage: float = Field(default=1.0, ge=0.0, le=1.0)
    impute: ImputeSpec = Field(default_factory=ImputeSpec)
    treat: TreatSpec = Field(default_factory=TreatSpec)
    year: int | None = Field(default=None, ge=1900, le=2100)
    nodes: list[Node] = Field(min_length=1)

    @model_validator(mode="after")
    def _tree(self) -> Framework:
        ids = [n.id for n in self.nodes]
        seen: set[str] = set()
        for node_id in ids:
            if node_id in seen:
                msg = f"knooppunt-id '{node_id}' komt meer dan eens voor; id's moeten uniek zijn"
                raise ValueError(msg)
            seen.add(node_id)
        for node in self.nodes:
            if node.parent is not None and node.parent not in seen:
                msg = (
                    f"knooppunt '{node.id}' heeft ouder '{node.parent}', die geen knooppunt van het "
                    f"framework is; voeg een knooppunt met id '{node.parent}' toe of verbeter de ouder"
                )
                raise ValueError(msg)
            if node.parent == node.id:
                msg = f"knooppunt '{node.id}' is zijn eigen ouder (een kringloop)"
                raise ValueError(msg)
        parent_of = {n.id: n.parent for n in self.nodes}
        for node_id in ids:
            path = [node_id]
            current = parent_of[node_id]
            while current is not None:
                if current in path:
                    cycle = " -> ".join([*path[path.index(current) :], current])
                    msg = f"het framework heeft een kringloop: {cycle}; elk knooppunt moet naar de wortel leiden"
                    raise ValueError(msg)
                path.append(current)
                current = parent_of[current]
        roots = [n.id for n in self.nodes if n.parent is None]
        if len(roots) != 1:
            msg = (
                f"een framework heeft precies één wortel nodig (een knooppunt zonder ouder), "
                f"gevonden: {len(roots)}: {roots}"
            )
            raise ValueError(msg)
        children: dict[str, list[str]] = {n.id: [] for n in self.nodes}
        for node in self.nodes:
            if node.parent is not None:
                children[node.parent].append(node.id)
        if not children[roots[0]]:
            msg = f"de wortel '{roots[0]}' heeft geen kinderen; voeg er indicatoren onder toe"
            raise ValueError(msg)
        for node in self.nodes:
            is_leaf = not children[node.id]
            if is_leaf and node.aggregate is not None:
                msg = (
                    f"knooppunt '{node.id}' zet 'aggregate' maar heeft geen kinderen (een blad "
                    f"zonder gegevens eronder); geef het kinderen of verwijder 'aggregate'"
                )
                raise ValueError(msg)
            if not is_leaf:
                for key in ("normalise", "denominator", "treat", "impute"):
                    if getattr(node, key) is not None:
                        msg = f"groep '{node.id}' zet '{key}', dat alleen voor bladeren geldt"
                        raise ValueError(msg)
                if node.transform != "none":
                    msg = f"groep '{node.id}' zet 'transform', dat alleen voor bladeren geldt"
                    raise ValueError(msg)
        for group, kids in children.items():
            if kids and sum(self.node(k).weight for k in kids) <= 0:
                msg = f"de gewichten van de kinderen van '{group}' tellen op tot 0; geef er een een gewicht > 0"
                raise ValueError(msg)
        for node in self.nodes:
            if children[node.id]:
                if node.year is not None:
                    msg = (
                        f"groep '{node.id}' zet 'year', maar 'year' geldt alleen voor "
                        "indicatoren (bladeren); zet het bij de indicatoren zelf"
                    )
                    raise ValueError(msg)
                continue
            _check_lbm_year(node.id, node.year if node.year is not None else self.year)
        return self

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "framework") -> Framework:
        """Validate a framework given as a dict (as read from YAML).

        Parameters
        ----------
        data : dict
            The framework.
        source : str
            Name used in error messages (the file name).

        Returns
        -------
        Framework

        Raises
        ------
        FrameworkError
            On unknown keys, cycles, missing parents, non-numeric weights and the like.
        """
        if not isinstance(data, dict):
            msg = f"{source}: een framework moet een mapping met 'name' en 'nodes' zijn, niet {data!r:.80}"
            raise FrameworkError(msg)
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            msg = f"{source}: " + "; ".join(_describe(e, data) for e in error.errors())
            raise FrameworkError(msg) from None

    @classmethod
    def from_yaml(cls, path: str | Path) -> Framework:
        """Read and validate a framework YAML file.

        Parameters
        ----------
        path : str or Path
            The YAML file.

        Returns
        -------
        Framework
        """
        path = Path(path)
        data = read_yaml(path, error=FrameworkError, what="frameworkbestand")
        return cls.from_dict(data, source=str(path))

    def to_dict(self) -> dict[str, Any]:
        """Return the framework as plain data (defaults of nodes left out)."""
        out = self.model_dump(mode="json", exclude_none=True)
        out["nodes"] = [
            n.model_dump(mode="json", exclude_none=True, exclude_defaults=True) | {"id": n.id}
            for n in self.nodes
        ]
        for entry in out["nodes"]:
            node = self.node(entry["id"])
            if node.parent is not None:
                entry["parent"] = node.parent
        out["nodes"] = [
            {"id": e.pop("id"), **({"parent": e.pop("parent")} if "parent" in e else {}), **e}
            for e in out["nodes"]
        ]
        return out

    def to_yaml(self, path: str | Path) -> Path:
        """Write the framework to a YAML file that :meth:`from_yaml` reads back.

        Parameters
        ----------
        path : str or Path

        Returns
        -------
        Path
        """
        path = Path(path)
        text = yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)
        atomic_write(path, text)
        return path

    # --------------------------------------------------------------- the tree
    def node(self, node_id: str) -> Node:
        """Return the node with this id."""
        for node in self.nodes:
            if node.id == node_id:
                return node
        msg = f"framework '{self.name}' heeft geen knooppunt '{node_id}'; bekend: {[n.id for n in self.nodes]}"
        raise FrameworkError(msg)

    @property
    def root(self) -> str:
        """Id of the root node."""
        return next(n.id for n in self.nodes if n.parent is None)

    def children(self, node_id: str) -> list[str]:
        """Ids of the children of a node, in framework order."""
        return [n.id for n in self.nodes if n.parent == node_id]

    @property
    def leaves(self) -> list[str]:
        """Ids of the indicators (nodes without children), in framework order."""
        parents = {n.parent for n in self.nodes}
        return [n.id for n in self.nodes if n.id not in parents]

    @property
    def groups(self) -> list[str]:
        """Ids of groups and root in bottom-up order (children before their parent)."""
        depth = self.depths()
        parents = {n.parent for n in self.nodes if n.parent is not None}
        groups = [n.id for n in self.nodes if n.id in parents]
        return sorted(groups, key=lambda g: -depth[g])

    def depths(self) -> dict[str, int]:
        """Depth of every node (root 0)."""
        parent_of = {n.id: n.parent for n in self.nodes}
        out = {}
        for node_id in parent_of:
            d, current = 0, parent_of[node_id]
            while current is not None:
                d, current = d + 1, parent_of[current]
            out[node_id] = d
        return out

    def path(self, node_id: str) -> list[str]:
        """Ids from a node up to the root (inclusive)."""
        out = [node_id]
        current = self.node(node_id).parent
        while current is not None:
            out.append(current)
            current = self.node(current).parent
        return out

    def normalise_spec(self, leaf: str) -> NormaliseSpec:
        """Effective normalisation of a leaf (its own, else the framework default)."""
        return self.node(leaf).normalise or self.normalise

    def aggregate_method(self, group: str) -> str:
        """Effective aggregation method of a group."""
        return self.node(group).aggregate or self.aggregate

    def coverage(self, group: str) -> float:
        """Effective minimum data coverage of a group."""
        value = self.node(group).min_coverage
        return self.min_coverage if value is None else value

    def treat_spec(self, leaf: str) -> TreatSpec:
        """Effective outlier treatment of a leaf."""
        return self.node(leaf).treat or self.treat

    def impute_spec(self, leaf: str) -> ImputeSpec:
        """Effective imputation of a leaf."""
        return self.node(leaf).impute or self.impute

    def year_of(self, leaf: str) -> int | None:
        """Effective data year of a leaf (its own, else the framework's; None: the latest)."""
        year = self.node(leaf).year
        return self.year if year is None else year

    def label(self, node_id: str) -> str:
        """Human label of a node (its ``label`` or its id)."""
        return self.node(node_id).label or node_id

    @property
    def dimensions(self) -> list[str]:
        """Children of the root (the dimensions of the index)."""
        return self.children(self.root)

    def data_columns(self) -> list[str]:
        """All data columns the framework reads: leaves, denominators, group columns."""
        cols = list(self.leaves)
        for leaf in self.leaves:
            den = self.node(leaf).denominator
            if den and den not in cols:
                cols.append(den)
            spec = self.impute_spec(leaf)
            if spec.method == "group_mean" and spec.by is not None and spec.by not in cols:
                cols.append(spec.by)
        return cols

    def table(self) -> pd.DataFrame:
        """Return the framework as a DataFrame (one row per node)."""
        import pandas as pd  # here: `doeagenda index check` validates without pandas

        depth = self.depths()
        leaves = set(self.leaves)
        rows = []
        for n in self.nodes:
            rows.append(
                {
                    "id": n.id,
                    "label": self.label(n.id),
                    "parent": n.parent,
                    "kind": "root" if n.parent is None else ("leaf" if n.id in leaves else "group"),
                    "depth": depth[n.id],
                    "weight": n.weight,
                    "direction": n.direction if n.id in leaves else None,
                    "method": (
                        self.normalise_spec(n.id).method
                        if n.id in leaves
                        else self.aggregate_method(n.id)
                    ),
                    "status": n.status,
                    "source": n.source,
                    "rationale": n.rationale,
                }
            )
        return pd.DataFrame(rows)


#: Years of the Leefbaarometer 3.0 (score and deviation) and of its five dimensions; the
#: same as :data:`doeagenda.data.lbm.LBM_YEARS` and ``DIMENSION_YEARS`` (a test keeps them
#: equal), repeated here so that reading a framework loads no pandas.
LBM_SCORE_YEARS = (2002, 2008, 2012, 2014, 2016, 2018, 2020, 2022)
LBM_DIMENSION_YEARS = (2014, 2018, 2020, 2022)
LBM_SCORE_IDS = ("lbm_score", "lbm_afwijking")


def _check_lbm_year(leaf: str, year: int | None) -> None:
    """Refuse a Leefbaarometer leaf asked for a year in which it does not exist."""
    if year is None or not leaf.startswith("lbm_"):
        return
    if leaf in LBM_SCORE_IDS:
        if year not in LBM_SCORE_YEARS:
            years = ", ".join(str(y) for y in LBM_SCORE_YEARS)
            msg = (
                f"indicator '{leaf}' vraagt jaar {year}, maar de Leefbaarometer heeft alleen "
                f"de jaren {years}; kies een van die jaren"
            )
            raise ValueError(msg)
        return
    if year not in LBM_DIMENSION_YEARS:
        before = "vóór 2014" if year < LBM_DIMENSION_YEARS[0] else f"in {year}"
        msg = (
            f"indicator '{leaf}' vraagt jaar {year}, maar de Leefbaarometer-dimensies bestaan "
            f"niet {before}: alleen in 2014, 2018, 2020 en 2022 (daarvoor en in 2016 alleen "
            f"de totaalscore, lbm_score); kies year 2014 of later, of gebruik lbm_score"
        )
        raise ValueError(msg)


def _describe(error: ErrorDetails, data: dict[str, Any]) -> str:
    """Turn one pydantic error into a sentence naming the node and key."""
    loc = list(error.get("loc", ()))
    where = "framework"
    if len(loc) >= 2 and loc[0] == "nodes" and isinstance(loc[1], int):
        nodes = data.get("nodes") or []
        node_id = None
        if loc[1] < len(nodes) and isinstance(nodes[loc[1]], dict):
            node_id = nodes[loc[1]].get("id")
        where = f"knooppunt {loc[1] + 1}" + (f" ('{node_id}')" if node_id is not None else "")
        loc = loc[2:]
    key = ".".join(str(p) for p in loc if not str(p).startswith(("float", "int", "literal")))
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        allowed = ", ".join(_allowed_keys(where, loc))
        return (
            f"onbekende sleutel '{key}' in {where}; controleer de spelling "
            f"(toegestane sleutels: {allowed})"
        )
    if kind == "missing":
        return f"{where} mist de verplichte sleutel '{key}'"
    message = pydantic_message(error)
    value = error.get("input")
    if key:
        return f"{where}, sleutel '{key}': {message} (waarde {value!r:.60})"
    return f"{where}: {message}"


def _allowed_keys(where: str, loc: list[Any]) -> list[str]:
    """The keys allowed at the place of an unknown key."""
    specs: dict[str, type[BaseModel]] = {
        "normalise": NormaliseSpec,
        "treat": TreatSpec,
        "impute": ImputeSpec,
    }
    if len(loc) >= 2 and loc[0] in specs:
        return list(specs[loc[0]].model_fields)
    if where.startswith("node"):
        return list(Node.model_fields)
    return list(Framework.model_fields)
