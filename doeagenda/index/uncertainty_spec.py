"""The choices an uncertainty or sensitivity analysis of the index varies, and their sampling.

:class:`Vary` validates the analyst's choices; :func:`_prepare` computes, once per analysis,
the normalised leaf values of every imputation x normalisation alternative that the Monte
Carlo engine in :mod:`doeagenda.index.uncertainty` evaluates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from doeagenda.config import pydantic_message
from doeagenda.errors import ParameterError
from doeagenda.index import steps
from doeagenda.index.framework import ImputeSpec, NormaliseSpec

if TYPE_CHECKING:  # type names only
    from doeagenda.index.build import IndexResult

__all__ = ["Vary"]

_AGG_CODE = {"arithmetic": 0, "geometric": 1, "harmonic": 2}
_NORM_ALTERNATIVES = ("framework", "minmax", "zscore", "percentile", "rank", "none")
_IMPUTE_ALTERNATIVES = ("framework", "none", "mean", "median")
_AGG_ALTERNATIVES = ("framework", "arithmetic", "geometric", "harmonic")


class Vary(BaseModel):
    """Which choices the uncertainty and sensitivity analyses vary.

    Parameters
    ----------
    weights : float
        Relative perturbation p of every weight (uniform in [1 - p, 1 + p]); 0 = fixed.
    weight_sets : int
        Sensitivity analysis only: size of the pool of perturbed weight sets the
        ``weights`` factor chooses from.
    normalise, aggregate, impute : list of str
        Alternatives (``framework`` = the framework's own choice). One entry = fixed.
    leave_out : bool
        Whether to leave one indicator out in some runs.
    """

    model_config = ConfigDict(extra="forbid")

    weights: float = Field(default=0.25, ge=0.0, lt=1.0)
    weight_sets: int = Field(default=100, ge=2)
    normalise: list[str] = Field(default_factory=lambda: ["framework", "zscore", "percentile"])
    aggregate: list[str] = Field(default_factory=lambda: ["framework", "geometric"])
    impute: list[str] = Field(default_factory=lambda: ["framework", "mean", "median"])
    leave_out: bool = True

    @field_validator("normalise", "aggregate", "impute")
    @classmethod
    def _known(cls, value: list[str], info: ValidationInfo) -> list[str]:
        allowed = {
            "normalise": _NORM_ALTERNATIVES,
            "aggregate": _AGG_ALTERNATIVES,
            "impute": _IMPUTE_ALTERNATIVES,
        }[str(info.field_name)]
        if not value:
            msg = f"geef ten minste één alternatief voor {info.field_name}, bijvoorbeeld ['framework']"
            raise ValueError(msg)
        for item in value:
            if item not in allowed:
                msg = f"onbekend alternatief {item!r}; kies uit {list(allowed)}"
                raise ValueError(msg)
        return list(dict.fromkeys(value))


def _as_vary(vary: Any) -> Vary:
    if vary is None:
        return Vary()
    if isinstance(vary, Vary):
        return vary
    if isinstance(vary, dict):
        try:
            return Vary.model_validate(vary)
        except ValidationError as error:
            parts = []
            for e in error.errors():
                key = ".".join(str(p) for p in e["loc"])
                parts.append(f"vary.{key}: {pydantic_message(e)}")
            msg = "; ".join(parts) + f" (toegestane sleutels: {list(Vary.model_fields)})"
            raise ParameterError(msg) from None
    msg = f"vary moet een dict of Vary zijn, niet {type(vary).__name__}"
    raise ParameterError(msg)


# --------------------------------------------------------------------------- preparation
@dataclass
class _Prepared:
    units: pd.Index
    leaves: list[str]
    nodes: list[str]
    groups: list[str]
    children: dict[str, list[int]]
    base_w: np.ndarray
    fw_agg: dict[str, int]
    coverage: dict[str, float]
    stack: np.ndarray  # (2 * A * B, U, L)
    n_imp: int
    n_norm: int
    agg_alts: list[str]
    positive: np.ndarray  # per aggregation alternative: use rescaled leaves
    drop_alts: np.ndarray  # leaf index or -1
    root: str


def _prepare(result: IndexResult, vary: Vary) -> _Prepared:
    fw = result.framework
    active = result.active
    leaves = [leaf for leaf in fw.leaves if leaf in active]
    groups = [g for g in fw.groups if g in active]
    nodes = leaves + groups
    pos = {n: i for i, n in enumerate(nodes)}
    data = result.data
    denominated = result.stages["denominated"]
    mats = []
    done: list[tuple[pd.DataFrame, pd.DataFrame]] = [
        (result.stages["imputed"], result.stages["transformed"])
    ]
    for imp in vary.impute:
        spec = None if imp == "framework" else ImputeSpec(method=imp)
        imputed = steps.impute(denominated, fw, data, spec)
        # Treatment (winsorising) dominates the cost; an imputation that changes nothing
        # (no missing values) gives the same frame, so reuse its treated values.
        transformed = next((t for i, t in done if i.equals(imputed)), None)
        if transformed is None:
            treated, _ = steps.treat(imputed, fw)
            transformed = steps.transform(treated, fw)
            done.append((imputed, transformed))
        for norm in vary.normalise:
            nspec = None if norm == "framework" else NormaliseSpec(method=norm)
            mats.append(steps.normalise(transformed, fw, nspec)[leaves].to_numpy(float))
    plain = np.stack(mats)
    with np.errstate(invalid="ignore", divide="ignore"):
        lo = np.nanmin(plain, axis=1, keepdims=True)
        hi = np.nanmax(plain, axis=1, keepdims=True)
        rescaled = 1.0 + 99.0 * (plain - lo) / (hi - lo)
    positive = np.where(lo > 0, plain, rescaled)
    stack = np.concatenate([plain, positive])
    fw_agg = {g: _AGG_CODE[fw.aggregate_method(g)] for g in groups}
    needs_pos = []
    for alt in vary.aggregate:
        if alt == "framework":
            needs_pos.append(any(code != 0 for code in fw_agg.values()))
        else:
            needs_pos.append(alt != "arithmetic")
    children = {g: [pos[k] for k in fw.children(g) if k in pos] for g in groups}
    drop = [-1]
    if vary.leave_out:
        for j, leaf in enumerate(leaves):
            parent = fw.node(leaf).parent
            if parent is not None and len(children[parent]) >= 2:
                drop.append(j)
    return _Prepared(
        units=result.scores.index,
        leaves=leaves,
        nodes=nodes,
        groups=groups,
        children=children,
        base_w=np.array([fw.node(n).weight for n in nodes], dtype=float),
        fw_agg=fw_agg,
        coverage={g: fw.coverage(g) for g in groups},
        stack=stack,
        n_imp=len(vary.impute),
        n_norm=len(vary.normalise),
        agg_alts=list(vary.aggregate),
        positive=np.array(needs_pos),
        drop_alts=np.array(drop),
        root=fw.root,
    )


def _sample_runs(prep: _Prepared, vary: Vary, n: int, rng: np.random.Generator) -> dict[str, Any]:
    return {
        "imp": rng.integers(prep.n_imp, size=n),
        "norm": rng.integers(prep.n_norm, size=n),
        "agg": rng.integers(len(prep.agg_alts), size=n),
        "wmult": rng.uniform(1 - vary.weights, 1 + vary.weights, size=(n, len(prep.nodes))),
        "drop": prep.drop_alts[rng.integers(len(prep.drop_alts), size=n)],
    }


def _runs_table(prep: _Prepared, vary: Vary, runs: dict[str, Any]) -> pd.DataFrame:
    leaves = np.array([*prep.leaves, "-"])
    return pd.DataFrame(
        {
            "impute": np.array(vary.impute)[runs["imp"]],
            "normalise": np.array(vary.normalise)[runs["norm"]],
            "aggregate": np.array(vary.aggregate)[runs["agg"]],
            "left_out": leaves[runs["drop"]],
        }
    )
