"""The index over survey waves: one framework, one scale, ranks with Monte Carlo intervals.

:func:`index_trend` builds a framework for every requested year (the RIVM health
estimates exist for the survey rounds 2012, 2016 and 2020). To keep the waves
comparable it uses the *same* indicators in every wave: an indicator without values in
one of the years is left out of all of them, and a dimension left without indicators is
left out too. Both are reported by a :class:`TrendWarning` and in
``frame.attrs["dropped"]`` / ``frame.attrs["dropped_dimensions"]``.

All waves are normalised together (the units of all years are stacked), so a score of
2020 and one of 2012 are on one scale; ranks and their 5-95% intervals are taken within
each year.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from doeagenda import data
from doeagenda.errors import DataError, ParameterError
from doeagenda.index import steps
from doeagenda.index.build import as_framework, build_index
from doeagenda.index.data import check_levels
from doeagenda.index.framework import Framework
from doeagenda.index.uncertainty import nan_quantiles, rank_rows
from doeagenda.results import ResultMixin

if TYPE_CHECKING:  # type names only; these load lazily at run time
    import altair as alt
    from IPython.display import Markdown

__all__ = [
    "TREND_COLUMNS",
    "TrendResult",
    "TrendWarning",
    "index_trend",
    "reduce_framework",
    "trend_frame",
    "trend_view",
]

logger = logging.getLogger(__name__)

TREND_COLUMNS = ["code", "year", "score", "rank", "rank_low", "rank_high"]
#: Separator between unit code and year in the stacked frame (not in any CBS code).
_SEP = "@"


class TrendWarning(UserWarning):
    """Indicators or dimensions were left out of a trend to keep the waves comparable."""


def reduce_framework(fw: Framework, keep: list[str]) -> tuple[Framework, list[str]]:
    """Return the framework with only the leaves in ``keep`` and the groups above them.

    Returns
    -------
    (Framework, list of str)
        The reduced framework and the ids of the groups left empty (removed).
    """
    keep_set = set(keep)
    alive: set[str] = set(keep_set)
    for leaf in keep:
        alive.update(fw.path(leaf))
    removed = [g for g in fw.groups if g not in alive]
    nodes = [n.model_dump(exclude_none=True) for n in fw.nodes if n.id in alive]
    spec = fw.model_dump(exclude_none=True)
    spec["nodes"] = nodes
    return Framework.from_dict(spec, source=f"{fw.name} (trend)"), removed


def _leaf_columns(fw: Framework, leaf: str) -> list[str]:
    den = fw.node(leaf).denominator
    return [leaf, den] if den else [leaf]


def index_trend(
    framework: Framework | str | Path | dict[str, Any],
    years: tuple[int, ...] | list[int] = (2012, 2016, 2020),
    level: str = "gemeente",
    provincie: str | None = "Utrecht",
    n: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Score and rank every unit in every wave with one framework.

    Parameters
    ----------
    framework : Framework, name, path or dict
        E.g. ``"buurzaamheid_gemeenten"``.
    years : tuple of int
        Survey years (RIVM: 2012, 2016, 2020).
    level : {"gemeente", "wijk", "buurt"}
    provincie : str, optional
        The units to score (the scale is set by these units over all years).
    n : int
        Monte Carlo runs for the rank intervals.
    seed : int

    Returns
    -------
    DataFrame
        Columns ``code, year, score, rank, rank_low, rank_high`` (rank 1 = best within the
        year; rank_low/rank_high = 5% and 95% of the Monte Carlo ranks). ``attrs``:
        ``dropped`` (indicators left out), ``dropped_dimensions``, ``framework``, ``years``.

    Warns
    -----
    TrendWarning
        When indicators or dimensions are left out because a year lacks them.

    Raises
    ------
    DataError
        When fewer than two indicators have values in every requested year.
    """
    fw = as_framework(framework)
    years = tuple(sorted({int(y) for y in years}))
    if not years:
        msg = "index_trend: geef ten minste één jaar, bijvoorbeeld years=(2016, 2020)"
        raise ParameterError(msg)
    units = data.areas(level=level, provincie=provincie).set_index("code")
    waves = {
        y: data.indicators(level=level, provincie=provincie, year=y, wide=True).reindex(units.index)
        for y in years
    }
    everything = data.indicators(level=level, provincie=provincie, wide=True)
    check_levels(fw, level, everything)
    kept: list[str] = []
    dropped: list[str] = []
    for leaf in fw.leaves:
        cols = _leaf_columns(fw, leaf)
        ok = all(c in waves[y].columns and waves[y][c].notna().any() for y in years for c in cols)
        (kept if ok else dropped).append(leaf)
    if len(kept) < 2:
        msg = (
            f"index_trend: framework {fw.name!r} houdt {len(kept)} indicator(en) {kept} over met "
            f"waarden in elk jaar {list(years)} op niveau {level!r}; een trend vraagt er ten "
            f"minste twee. Weggelaten wegens een ontbrekend jaar: {dropped}. Kies jaren waarin "
            f"de indicatoren bestaan (RIVM: 2012, 2016, 2020; vrijwilligerswerk niet in 2012)"
        )
        raise DataError(msg)
    reduced, empty = reduce_framework(fw, kept)
    empty_dims = [g for g in empty if g in fw.dimensions]
    if dropped:
        msg = (
            f"index_trend: {len(dropped)} indicator(s) of {fw.name!r} lack values in one of the "
            f"years {list(years)} and are left out of every year: {', '.join(dropped)}"
        )
        warnings.warn(msg, TrendWarning, stacklevel=2)
    if empty_dims:
        labels = ", ".join(fw.label(d) for d in empty_dims)
        msg = f"index_trend: dimension(s) without indicators in every year, left out: {labels}"
        warnings.warn(msg, TrendWarning, stacklevel=2)
    columns = list(dict.fromkeys(c for leaf in kept for c in _leaf_columns(fw, leaf)))
    parts = []
    for y in years:
        part = waves[y][columns].copy()
        part = part[part[kept].notna().any(axis=1)]
        part.index = part.index + f"{_SEP}{y}"
        parts.append(part)
    stacked = pd.concat(parts)
    stacked.index.name = "code"
    names = pd.Series(
        [units.at[c.split(_SEP)[0], "name"] for c in stacked.index], index=stacked.index
    )
    result = build_index(stacked, reduced, names=names)
    unc = result.uncertainty(n=n, seed=seed)
    root = result.scores[reduced.root].to_numpy(float)
    code = np.array([c.split(_SEP)[0] for c in stacked.index])
    year = np.array([int(c.split(_SEP)[1]) for c in stacked.index])
    rows = []
    for y in years:
        in_year = np.flatnonzero(year == y)
        ranks = rank_rows(unc.scores[:, in_year])
        low, high = nan_quantiles(ranks, [0.05, 0.95])
        with np.errstate(invalid="ignore"):
            nominal = steps.rank_desc(root[in_year])
        # A unit without a score in the index itself gets no interval either (the runs
        # may impute what the framework leaves missing).
        scored = ~np.isnan(root[in_year])
        rows.append(
            pd.DataFrame(
                {
                    "code": code[in_year],
                    "year": y,
                    "score": root[in_year],
                    "rank": nominal,
                    "rank_low": np.where(scored, low, np.nan),
                    "rank_high": np.where(scored, high, np.nan),
                }
            )
        )
    frame = pd.concat(rows, ignore_index=True)[TREND_COLUMNS]
    frame.attrs["dropped"] = dropped
    frame.attrs["dropped_dimensions"] = [fw.label(d) for d in empty_dims]
    frame.attrs["framework"] = fw.name
    frame.attrs["years"] = list(years)
    frame.attrs["names"] = dict(zip(units.index, units["name"], strict=True))
    logger.info(
        "trend of %s over %s: %d units, %d indicators kept, %d left out",
        fw.name,
        years,
        len(stacked),
        len(kept),
        len(dropped),
    )
    return frame


@dataclass
class TrendResult(ResultMixin):
    """The trend of one framework seen from a few units (the report's view).

    Attributes
    ----------
    frame : DataFrame
        The output of :func:`index_trend`.
    highlight : list of str
        Unit codes the report is about (drawn in colour; the table keeps these).
    """

    frame: pd.DataFrame
    highlight: list[str]
    warnings: list[str]
    #: Why there is no trend (the framework has too few indicators in every year), or None.
    unavailable: str | None = None

    def to_frame(self) -> pd.DataFrame:
        """Return the whole trend (all units, all years)."""
        return self.frame.copy()

    def summary(self) -> pd.DataFrame:
        """Return score, rank and rank interval per year of the highlighted units (wide)."""
        names = self.frame.attrs.get("names", {})
        sub = self.frame[self.frame["code"].isin(self.highlight)].copy()
        if sub.empty:
            sub = pd.DataFrame(columns=TREND_COLUMNS)
        sub.insert(1, "naam", sub["code"].map(names))
        sub = sub.rename(
            columns={
                "year": "jaar",
                "rank": "rang",
                "rank_low": "5%-grens",
                "rank_high": "95%-grens",
            }
        )
        return sub.set_index(["code", "naam", "jaar"]).round(1)

    def chart(self) -> alt.TopLevelMixin | Markdown:
        """Rank per year with its 5-95% interval; the highlighted units in colour."""
        from doeagenda.index.charts import trend_chart  # loads altair: only when asked for

        if self.unavailable:
            return self.text()

        return trend_chart(self.frame, highlight=self.highlight)

    def text(self) -> Markdown:
        """Dutch sentences: what the trend shows, what it leaves out, and its caveats."""
        from IPython.display import Markdown  # IPython: only when shown in a notebook

        if self.unavailable:
            return Markdown(f"*Geen ontwikkeling door de jaren: {self.unavailable}*")
        dropped = self.frame.attrs.get("dropped", [])
        dims = self.frame.attrs.get("dropped_dimensions", [])
        years = self.frame.attrs.get("years", [])
        lines = [
            f"De index is voor elk jaar ({', '.join(str(y) for y in years)}) met hetzelfde "
            "raamwerk berekend, op één schaal over alle jaren. De cijfers zijn modelschattingen "
            "van het RIVM (kleine-domeinschattingen), geen tellingen.",
            "**Een verandering die kleiner is dan het ranginterval is geen verandering.** De "
            "schattingen hebben marges die niet zijn meegeleverd, en het RIVM heeft het "
            "schattingsmodel tussen de rondes aangepast.",
        ]
        if dropped:
            labels = ", ".join(data.label(i) for i in dropped)
            lines.append(
                f"Niet in elk jaar beschikbaar en daarom in alle jaren weggelaten: {labels}."
            )
        if dims:
            lines.append(f"Dimensies zonder indicator in elk jaar (weggelaten): {', '.join(dims)}.")
        return Markdown("\n\n".join(lines))


def trend_frame(
    framework: Framework | str | Path,
    years: tuple[int, ...] = (2012, 2016, 2020),
    level: str = "gemeente",
    provincie: str | None = "Utrecht",
    n: int = 1000,
    seed: int = 0,
) -> tuple[pd.DataFrame, list[str]]:
    """:func:`index_trend` with its warnings returned as text instead of raised.

    The result is the same for every unit of the provincie, so batch plans list this
    function under ``execution.shared`` and a run computes it once, warnings included
    (a warning raised in one kernel would not reach a report made in another).

    Returns
    -------
    tuple of (DataFrame, list of str)
        The :func:`index_trend` frame and the :class:`TrendWarning` messages.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", TrendWarning)
        frame = index_trend(
            framework, years=years, level=level, provincie=provincie, n=n, seed=seed
        )
    return frame, [str(w.message) for w in caught if issubclass(w.category, TrendWarning)]


def trend_view(
    framework: Framework | str | Path,
    highlight: list[str],
    years: tuple[int, ...] = (2012, 2016, 2020),
    level: str = "gemeente",
    provincie: str | None = "Utrecht",
    n: int = 1000,
    seed: int = 0,
) -> TrendResult:
    """Run :func:`index_trend` and keep its warnings as text for a report.

    Raises
    ------
    FrameworkError, DataError
        As :func:`index_trend`.
    """
    frame, messages = trend_frame(
        framework, years=tuple(years), level=level, provincie=provincie, n=n, seed=seed
    )
    for message in messages:
        logger.info(message)
    if not set(highlight) & set(frame["code"]):
        msg = f"geen van {highlight} heeft een trendwaarde voor {frame.attrs['framework']!r}"
        raise DataError(msg)
    return TrendResult(frame, list(highlight), messages)
