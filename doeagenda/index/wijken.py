"""Wijk and buurt indices on the scale of the whole provincie.

A wijk-level framework (``params/frameworks/buurzaamheid_wijken.yaml``) is built once
over *all* wijken of a provincie, so that a wijk of Zeist and one of Amersfoort stand on
one scale and a wijk's score does not depend on which gemeente asks. The build and its
Monte Carlo rank intervals are cached per (framework, provincie, runs, seed).

The RIVM health estimates follow the CBS indeling of 2020; the rest of the package uses
2024. A wijk or buurt whose code has no RIVM figures (its indeling changed after 2020)
is left out of the build and shown as *geen gegevens (indeling gewijzigd na 2020)*:
nothing is copied across a boundary change and nothing is imputed.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

import numpy as np
import pandas as pd

from doeagenda import data
from doeagenda.errors import AreaCodeError, DataError, DoeagendaError
from doeagenda.index.build import IndexResult, build_index, load_framework
from doeagenda.index.data import index_data
from doeagenda.index.framework import Framework
from doeagenda.index.trend import TrendResult, trend_view
from doeagenda.results import ResultMixin

if TYPE_CHECKING:  # type names only; these load lazily at run time
    import altair as alt
    from IPython.display import Markdown

    from doeagenda.index.uncertainty import UncertaintyResult

__all__ = [
    "NO_ESTIMATE",
    "REGROUPED",
    "AreaIndex",
    "WijkPosition",
    "WijkenSection",
    "area_index",
    "wijk_position",
]

logger = logging.getLogger(__name__)

REGROUPED = "geen gegevens (indeling gewijzigd na 2020)"
NO_ESTIMATE = "geen gegevens (geen RIVM-schatting)"
RIVM_PREFIX = "rivm_"
#: Indicators the report uses to point out wijken (18+, survey 2020).
LONELINESS = "rivm_eenzaam_18plus"
HEALTH = "rivm_ervaren_gezondheid_goed_18plus"
#: A wijk "stands out" when it is in the worst or best tenth of the provincie's wijken.
STANDOUT_SHARE = 0.10


@dataclass
class AreaIndex(ResultMixin):
    """A wijk- or buurt-level index over all units of one provincie.

    Attributes
    ----------
    result : IndexResult
        Built over the units of the provincie with RIVM figures.
    unmatched : Series
        Code -> name of the units without RIVM figures (left out of the build).
    reasons : Series
        Code -> why (``geen gegevens (indeling gewijzigd na 2020)`` or no RIVM estimate).
    areas : DataFrame
        All units of the level in the provincie (index code; ``name, gemeente_code``).
    """

    result: IndexResult
    unmatched: pd.Series
    reasons: pd.Series
    areas: pd.DataFrame
    provincie: str
    n: int = 1000
    seed: int = 0
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def framework(self) -> Framework:
        """The framework."""
        return self.result.framework

    def __repr__(self) -> str:
        return (
            f"AreaIndex(framework={self.framework.name!r}, provincie={self.provincie!r}, "
            f"units={len(self.result.scores)}, unmatched={len(self.unmatched)})"
        )

    def uncertainty(self) -> UncertaintyResult:
        """Monte Carlo rank analysis over all units of the provincie (cached)."""
        if "unc" not in self._cache:
            self._cache["unc"] = self.result.uncertainty(n=self.n, seed=self.seed)
        unc: UncertaintyResult = self._cache["unc"]
        return unc

    def ranks(self) -> pd.DataFrame:
        """Return per unit: ``naam, gemeente_code, score, rank, rank_low, rank_high``.

        Ranks are within the provincie (1 = best); rank_low/rank_high are the 5% and 95%
        quantiles of the Monte Carlo ranks. Units without RIVM figures are not in it.
        """
        if "ranks" not in self._cache:
            table = self.uncertainty().table
            root = self.framework.root
            scores = self.result.scores[root]
            out = pd.DataFrame(
                {
                    "naam": self.result.names_of(scores.index),
                    "gemeente_code": self.areas["gemeente_code"].reindex(scores.index),
                    "score": scores,
                    "rank": table["nominal_rank"].reindex(scores.index),
                    "rank_low": table["rank_p05"].reindex(scores.index),
                    "rank_high": table["rank_p95"].reindex(scores.index),
                }
            )
            out.index.name = "code"
            self._cache["ranks"] = out.sort_values("rank", na_position="last")
        return self._cache["ranks"].copy()

    def of_gemeente(self, gemeente: str) -> list[str]:
        """Codes of the gemeente's units that are in the index (in rank order)."""
        table = self.ranks()
        return list(table.index[table["gemeente_code"] == gemeente])

    def summary(self) -> pd.DataFrame:
        """Return the rank table of all units (:meth:`ranks`)."""
        return self.ranks()

    def to_frame(self) -> pd.DataFrame:
        """Return scores and ranks of every unit and node (:meth:`IndexResult.to_frame`)."""
        return self.result.to_frame()

    def chart(self) -> alt.TopLevelMixin:
        """Return the rank-uncertainty chart over all units of the provincie."""
        return self.uncertainty().chart()

    def unmatched_of(self, gemeente: str) -> pd.Series:
        """Code -> name of the gemeente's units without RIVM figures."""
        codes = self.areas.index[self.areas["gemeente_code"] == gemeente]
        return self.unmatched[self.unmatched.index.isin(codes)]


# what index_data accepts as own extra indicator files or frames
ExtraData: TypeAlias = str | Path | pd.DataFrame | list[str | Path | pd.DataFrame] | None


def _build_area_index(
    fw: Framework, provincie: str, n: int, seed: int, extra: ExtraData = None
) -> AreaIndex:
    level = fw.level or "wijk"
    areas = data.areas(level=level, provincie=provincie).set_index("code")
    frame = index_data(fw, level=level, provincie=provincie, extra=extra, gemeente=None)
    rivm = [leaf for leaf in fw.leaves if leaf.startswith(RIVM_PREFIX) and leaf in frame.columns]
    matched = frame.index[frame[rivm].notna().any(axis=1)] if rivm else frame.index
    unmatched = areas.loc[~areas.index.isin(matched), "name"]
    # Why a unit has no figures: its code is not in RIVM's 2020 indeling, or RIVM left the
    # cell empty (no estimate) although the code exists.
    coverage = data.rivm_coverage(level=level, provincie=provincie).set_index("code")
    has_rivm = coverage["has_rivm"].reindex(unmatched.index).fillna(False).astype(bool)
    reasons = pd.Series(np.where(has_rivm, NO_ESTIMATE, REGROUPED), index=unmatched.index)
    if len(unmatched):
        logger.info(
            "%d of %d %s units of %s have no RIVM figures (indeling changed after 2020)",
            len(unmatched),
            len(areas),
            level,
            provincie,
        )
    result = build_index(frame.loc[matched], fw)
    return AreaIndex(result, unmatched, reasons, areas, provincie, n=n, seed=seed)


@functools.lru_cache(maxsize=8)
def _cached_area_index(framework: str, provincie: str, n: int, seed: int) -> AreaIndex:
    return _build_area_index(load_framework(framework), provincie, n, seed)


def area_index(
    framework: str | Path = "buurzaamheid_wijken",
    provincie: str = "Utrecht",
    n: int = 1000,
    seed: int = 0,
    extra: ExtraData = None,
) -> AreaIndex:
    """Build (or reuse) a wijk- or buurt-level index over all units of a provincie.

    Parameters
    ----------
    framework : str or Path
        A wijk or buurt framework, e.g. ``"buurzaamheid_wijken"``.
    provincie : str
        The units of this provincie set the scale.
    n, seed : int
        Monte Carlo runs and seed for the rank intervals.
    extra : path or DataFrame, optional
        Your own indicator file (not cached).

    Returns
    -------
    AreaIndex
    """
    if extra is not None:
        return _build_area_index(load_framework(framework), provincie, n, seed, extra=extra)
    return _cached_area_index(str(framework), provincie, int(n), int(seed))


class _WijkIdentity(TypedDict):
    """The fields of :class:`WijkPosition` that do not depend on the wijk having figures."""

    code: str
    name: str
    gemeente_code: str
    provincie: str
    n: int


@dataclass
class WijkPosition(ResultMixin):
    """One wijk's place on the provincie-wide wijk index.

    ``score`` and ``rank`` are NaN, and ``reason`` says why, when the wijk has no RIVM
    figures (indeling changed after 2020).
    """

    code: str
    name: str
    gemeente_code: str
    provincie: str
    score: float
    rank: float
    rank_low: float
    rank_high: float
    n: int
    reason: str | None = None

    def summary(self) -> pd.DataFrame:
        """Return score, rank, 90% rank interval and the number of wijken (numbers)."""
        return pd.DataFrame(
            {
                "score": [self.score],
                "rang": [self.rank],
                "5%-grens": [self.rank_low],
                "95%-grens": [self.rank_high],
                "aantal wijken": [self.n],
            },
            index=pd.Index([self.code], name="code"),
        )

    def to_frame(self) -> pd.DataFrame:
        """Return all fields as a one-row DataFrame."""
        return pd.DataFrame([self.__dict__]).set_index("code")

    def chart(self) -> alt.TopLevelMixin:
        """Return the wijk's rank with its 90% interval on the scale of all wijken."""
        import altair as alt

        frame = pd.DataFrame(
            {
                "naam": [self.name],
                "score": [self.score],
                "rang": [self.rank],
                "laag": [self.rank_low],
                "hoog": [self.rank_high],
            }
        )
        base = alt.Chart(frame).encode(y=alt.Y("naam:N", title=None))
        scale = alt.Scale(domain=[1, max(self.n, 1)])
        title = f"Rang onder de {self.n} wijken (1 = best), met 90%-interval"
        interval = base.mark_rule(size=3).encode(
            x=alt.X("laag:Q", title=title, scale=scale), x2="hoog:Q"
        )
        point = base.mark_point(filled=True, size=90).encode(
            x=alt.X("rang:Q", scale=scale), tooltip=["naam:N", "rang:Q", "score:Q"]
        )
        return alt.layer(interval, point)

    def text(self) -> Markdown:
        """One Dutch sentence on the wijk's place (or why there is none)."""
        from IPython.display import Markdown  # IPython: only when shown in a notebook

        if self.reason:
            return Markdown(f"**{self.name}**: {self.reason}.")
        return Markdown(
            f"**{self.name}** staat op plaats **{self.rank:.0f}** van de {self.n} wijken van "
            f"provincie {self.provincie} op de Buurzaamheidsindex (90%-interval: plaats "
            f"{self.rank_low:.0f} tot {self.rank_high:.0f}). De cijfers zijn modelschattingen "
            f"(RIVM), geen tellingen."
        )


def wijk_position(
    wijk_code: str,
    framework: str | Path = "buurzaamheid_wijken",
    provincie: str | None = None,
    n: int = 1000,
    seed: int = 0,
) -> WijkPosition:
    """Return one wijk's score, rank and rank interval among all wijken of its provincie.

    Parameters
    ----------
    wijk_code : str
        A WK code of CBS indeling 2024, e.g. ``"WK034401"``.
    framework : str or Path
        A wijk-level framework (default ``buurzaamheid_wijken``).
    provincie : str, optional
        Default: the wijk's own provincie.
    n, seed : int
        Monte Carlo runs and seed of the rank interval.

    Returns
    -------
    WijkPosition

    Raises
    ------
    AreaCodeError
        When the code is not a wijk of indeling 2024.
    """
    if not isinstance(wijk_code, str) or not wijk_code.startswith("WK"):
        msg = f"verwacht een wijkcode zoals WK034401, niet {wijk_code!r}"
        raise AreaCodeError(msg)
    row = data.area(wijk_code)
    provincie = provincie or str(row["provincie"])
    index = area_index(framework, provincie, n=n, seed=seed)
    table = index.ranks()
    n_units = int(table["rank"].notna().sum())
    common: _WijkIdentity = {
        "code": wijk_code,
        "name": str(row["name"]),
        "gemeente_code": str(row["gemeente_code"]),
        "provincie": provincie,
        "n": n_units,
    }
    if wijk_code not in table.index:
        if wijk_code not in index.areas.index:
            msg = f"wijk {wijk_code} ligt niet in provincie {provincie!r}; laat provincie leeg"
            raise AreaCodeError(msg)
        nan = float("nan")
        reason = str(index.reasons.get(wijk_code, REGROUPED))
        return WijkPosition(**common, score=nan, rank=nan, rank_low=nan, rank_high=nan,
                            reason=reason)  # fmt: skip
    entry = table.loc[wijk_code]
    return WijkPosition(
        **common,
        score=float(entry["score"]),
        rank=float(entry["rank"]),
        rank_low=float(entry["rank_low"]),
        rank_high=float(entry["rank_high"]),
    )


@dataclass
class WijkenSection:
    """The section *De wijken van <gemeente>* of the gemeente report."""

    gemeente: str
    gemeente_name: str
    index: AreaIndex
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def _repr_markdown_(self) -> str:
        return str(self.heading().data)

    def heading(self) -> Markdown:
        """The section heading and what it shows (Dutch)."""
        from IPython.display import Markdown  # IPython: only when shown in a notebook

        n_in = len(self.index.of_gemeente(self.gemeente))
        total = int(self.index.ranks()["rank"].notna().sum())
        missing = self.index.unmatched_of(self.gemeente)
        text = (
            f"## De wijken van {self.gemeente_name}\n\n"
            f"De {n_in} wijken van {self.gemeente_name} op de Buurzaamheidsindex voor wijken, "
            f"op de schaal van alle {total} wijken van provincie {self.index.provincie}: een "
            "wijk in de ene gemeente is zo te vergelijken met een wijk in een andere. De "
            "gezondheidscijfers zijn modelschattingen van het RIVM (kleine-domeinschattingen, "
            "2020), geen tellingen."
        )
        if any(leaf.startswith("lbm_") for leaf in self.index.framework.leaves):
            text += (
                " Samenlevingskracht rust op de sociale samenhang van de Leefbaarometer 3.0 "
                "(BZK, 2022), ook een modelschatting."
            )
        if len(missing):
            reasons = self.index.reasons
            text += (
                " Zonder cijfers: "
                + "; ".join(f"{name} ({code}): {reasons[code]}" for code, name in missing.items())
                + "."
            )
            with_lbm = [code for code in missing.index if data.has_lbm(str(code))]
            if with_lbm:
                text += (
                    f" {len(with_lbm)} van deze wijken hebben wel Leefbaarometer-cijfers: ze "
                    "staan niet in de index (er is geen gezondheidscijfer, en niets wordt "
                    "bijgeschat), maar hun sociale samenhang staat hieronder."
                )
        return Markdown(text)

    def table(self) -> pd.DataFrame:
        """Return the gemeente's wijken: score, provincie rank and its 90% interval.

        Wijken without RIVM figures are listed with NaN and the reason.
        """
        table = self.index.ranks()
        sub = table[table["gemeente_code"] == self.gemeente].drop(columns="gemeente_code")
        sub["opmerking"] = ""
        missing = self.index.unmatched_of(self.gemeente)
        if len(missing):
            extra = pd.DataFrame(
                {"naam": missing.to_numpy(), "opmerking": self.index.reasons[missing.index]},
                index=missing.index,
            )
            sub = pd.concat([sub, extra])
        sub.index.name = "code"
        return sub.rename(
            columns={"rank": "rang in provincie", "rank_low": "5%-grens", "rank_high": "95%-grens"}
        ).round(1)

    def chart(self) -> alt.TopLevelMixin:
        """Map of the wijken when wijk boundaries are shipped, else a ranked chart."""
        try:
            geo = data.boundaries(level="wijk", provincie=self.index.provincie)
        except DoeagendaError:
            geo = None
        if geo is not None:
            from doeagenda.index.charts import area_map_chart  # loads altair: only when asked for

            return area_map_chart(self.index.ranks(), geo, self.gemeente, self.gemeente_name)
        from doeagenda.index.charts import area_rank_chart  # loads altair: only when asked for

        table = self.index.ranks()
        sub = table[table["gemeente_code"] == self.gemeente]
        return area_rank_chart(sub, f"De wijken van {self.gemeente_name}: rang in de provincie")

    def trend(self, years: tuple[int, ...] = (2012, 2016, 2020)) -> TrendResult:
        """The wijk index over the survey rounds, the gemeente's wijken highlighted.

        All wijken of the provincie are scored on one scale over all years; see
        :func:`doeagenda.index.index_trend`.
        """
        if "trend" not in self._cache:
            self._cache["trend"] = trend_view(
                self.index.framework, self.index.of_gemeente(self.gemeente), years=years,
                level=self.index.framework.level or "wijk", provincie=self.index.provincie,
                n=self.index.n, seed=self.index.seed,
            )  # fmt: skip
        trend: TrendResult = self._cache["trend"]
        return trend

    def standouts(self) -> pd.DataFrame:
        """Return the wijken in the worst or best tenth of the provincie on loneliness or health.

        Columns: the two RIVM values (18+, 2020), their percentile among all wijken of the
        provincie (100 = highest value) and a Dutch ``valt op`` text; sorted by it.
        """
        frame = self.index.result.data
        missing = [c for c in (LONELINESS, HEALTH) if c not in frame.columns]
        if missing:
            wide = data.indicators(
                level=self.index.framework.level or "wijk",
                provincie=self.index.provincie,
                wide=True,
            )
            frame = wide.reindex(frame.index)
        cols = [c for c in (LONELINESS, HEALTH) if c in frame.columns]
        if not cols:
            msg = f"geen RIVM-waarden voor {LONELINESS} of {HEALTH} op dit niveau; controleer de gegevens"
            raise DataError(msg)
        pct = frame[cols].rank(pct=True) * 100
        codes = self.index.of_gemeente(self.gemeente)
        out = pd.DataFrame(index=pd.Index(codes, name="code"))
        out["naam"] = self.index.result.names_of(codes)
        notes: dict[str, list[str]] = {code: [] for code in codes}
        labels = {
            LONELINESS: ("veel eenzaamheid", "weinig eenzaamheid"),
            HEALTH: ("goede ervaren gezondheid", "minder goede ervaren gezondheid"),
        }
        for col in cols:
            out[data.label(col)] = frame[col].reindex(codes).round(1)
            out[f"percentiel {data.label(col)}"] = pct[col].reindex(codes).round(0)
            high, low = labels[col]
            for code in codes:
                p = pct.at[code, col] if code in pct.index else np.nan
                if p >= 100 * (1 - STANDOUT_SHARE):
                    notes[code].append(high)
                elif p <= 100 * STANDOUT_SHARE:
                    notes[code].append(low)
        out["valt op"] = ["; ".join(notes[c]) for c in codes]
        return out[out["valt op"] != ""]

    def standouts_text(self) -> Markdown:
        """One Dutch sentence on which wijken stand out (or that none do)."""
        from IPython.display import Markdown  # IPython: only when shown in a notebook

        table = self.standouts()
        share = int(STANDOUT_SHARE * 100)
        if table.empty:
            return Markdown(
                f"Geen wijk van {self.gemeente_name} hoort bij de {share}% wijken van de provincie "
                "met de meeste of minste eenzaamheid of de beste of minst goede ervaren gezondheid."
            )
        items = "; ".join(f"**{r['naam']}**: {r['valt op']}" for _, r in table.iterrows())
        return Markdown(
            f"Wijken die opvallen (bij de {share}% hoogste of laagste van alle wijken van de "
            f"provincie; RIVM-modelschattingen 2020, 18 jaar en ouder): {items}."
        )
