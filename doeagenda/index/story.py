"""The Buurzaamheidsindex for one gemeente: the friendly layer behind the notebook.

:func:`buurzaamheidsindex` builds the index from a framework and the shipped data (plus
your own survey file), and answers four questions, each with one method: where does the
gemeente stand (:meth:`IndexStory.summary`, :meth:`IndexStory.ranking`,
:meth:`IndexStory.map`, :meth:`IndexStory.profile`), why (:meth:`IndexStory.contributions`),
how sure are we (:meth:`IndexStory.uncertainty`) and what drives the uncertainty
(:meth:`IndexStory.sensitivity`). Then: does it agree with an outside measure
(:meth:`IndexStory.validity`, the Leefbaarometer) and how did sociale samenhang develop
(:meth:`IndexStory.cohesion_trend`).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from doeagenda import data
from doeagenda.errors import AreaCodeError, DataError, ParameterError
from doeagenda.index.build import IndexResult, build_index, load_framework
from doeagenda.index.cohesion import CohesionTrend, cohesion_trend
from doeagenda.index.data import index_data
from doeagenda.index.labels import NO_DATA
from doeagenda.index.trend import TREND_COLUMNS, TrendResult, trend_view
from doeagenda.index.validity import Selection, ValidityResult, index_validity
from doeagenda.index.wijken import REGROUPED, WijkenSection, area_index
from doeagenda.results import NotApplicable, ResultMixin, format_number, nl_table

if TYPE_CHECKING:  # type names only; these load lazily at run time
    import altair as alt
    from IPython.display import Markdown
    from pandas.io.formats.style import Styler

    from doeagenda.index.framework import Framework
    from doeagenda.index.uncertainty import SensitivityResult, UncertaintyResult

__all__ = ["IndexStory", "buurzaamheidsindex"]

logger = logging.getLogger(__name__)


@dataclass
class IndexStory(ResultMixin):
    """A built index seen from one gemeente (gemeente level) or its buurten (buurt level)."""

    result: IndexResult
    gemeente: str
    gemeente_name: str
    unit: str | None
    among: list[str]
    n: int = 1000
    seed: int = 0
    provincie: str = "Utrecht"
    unmatched: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))
    reasons: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    # ---------------------------------------------------------------- helpers
    @property
    def framework(self) -> Framework:
        """The framework."""
        return self.result.framework

    def __repr__(self) -> str:
        # Short and deterministic: the default dataclass repr would print the whole result,
        # including sets whose order changes between Python processes.
        return f"IndexStory(framework={self.framework.name!r}, gemeente={self.gemeente!r})"

    def _repr_markdown_(self) -> str:
        fw = self.framework
        missing = [fw.label(d) for d in fw.dimensions if d in self.result.missing_nodes]
        what = (
            f"gemeente **{self.gemeente_name}** ({self.gemeente}) tussen "
            f"{len(self.result.scores)} gemeenten"
            if self.unit
            else f"de {len(self.among)} {fw.level or 'eenheden'}en van {self.gemeente_name}"
        )
        text = f"**{fw.name}** voor {what}."
        if len(self.unmatched):
            text += (
                " Zonder cijfers: "
                + "; ".join(
                    f"{name} ({self.reasons.get(code, REGROUPED)})"
                    for code, name in self.unmatched.items()
                )
                + "."
            )
        if missing:
            text += f" Zonder gegevens (vragen eigen bestand): {', '.join(missing)}."
        return text

    # ------------------------------------------------------------- where
    def summary(self) -> pd.DataFrame:
        """Return where the gemeente stands: score and rank, overall and per dimension.

        Returns
        -------
        DataFrame
            Gemeente level: index ``onderdeel``; numbers ``score``, ``rang in NL``,
            ``aantal in NL``, ``rang in provincie``, ``aantal in provincie`` (NaN for a
            dimension without data). Buurt/wijk level: :meth:`IndexResult.summary` of the
            gemeente's units. :meth:`view` shows it the Dutch way ("3 van 26").
        """
        fw = self.framework
        res = self.result
        if self.unit is None:
            return res.summary(among=self.among)
        sub = res.scores.loc[self.among]
        rows = []
        for node in [fw.root, *fw.dimensions]:
            value = res.scores.at[self.unit, node]
            known = not np.isnan(value)
            rows.append(
                {
                    "onderdeel": fw.label(node),
                    "score": value,
                    "rang in NL": res.ranks.at[self.unit, node] if known else np.nan,
                    "aantal in NL": int(res.scores[node].notna().sum()),
                    "rang in provincie": int((sub[node] > value).sum() + 1) if known else np.nan,
                    "aantal in provincie": int(sub[node].notna().sum()),
                }
            )
        return pd.DataFrame(rows).set_index("onderdeel")

    def view(self) -> Styler:
        """Return the summary for Dutch readers: score, and rank as "3 van 26"."""
        table = self.summary()
        if self.unit is None:
            return nl_table(table)

        def rank(place: float, of: int) -> str:
            return NO_DATA if np.isnan(place) else f"{format_number(place)} van {of}"

        text = pd.DataFrame(
            {
                "score": [NO_DATA if np.isnan(v) else format_number(v, 1) for v in table["score"]],
                "rang in NL": list(map(rank, table["rang in NL"], table["aantal in NL"])),
                "rang in provincie": list(
                    map(rank, table["rang in provincie"], table["aantal in provincie"])
                ),
            },
            index=table.index,
        )
        return nl_table(text)

    def to_frame(self) -> pd.DataFrame:
        """Return scores and ranks of every unit and node (:meth:`IndexResult.to_frame`)."""
        return self.result.to_frame()

    def chart(self) -> alt.TopLevelMixin:
        """Return the ranking chart (:meth:`ranking`)."""
        return self.ranking()

    def ranking(self) -> alt.TopLevelMixin:
        """Ranking bar chart of the gemeenten of the provincie (or of the buurten)."""
        return self.result.ranking_chart(highlight=self.unit, among=self.among)

    def map(self) -> alt.TopLevelMixin | Markdown:
        """Map of the index: gemeenten of the provincie, or the gemeente's wijken (a note for buurten)."""
        level = self.framework.level or "gemeente"
        if level == "wijk":
            # charts loads altair (slow to import); only when a chart is asked for
            from doeagenda.index.charts import area_map_chart

            root = self.framework.root
            table = pd.DataFrame(
                {
                    "score": self.result.scores[root],
                    "rank": self.result.ranks[root],
                    "rank_low": np.nan,
                    "rank_high": np.nan,
                }
            )
            table.index.name = "code"
            geo = data.boundaries(level="wijk", provincie=self.provincie)
            return area_map_chart(table, geo, self.gemeente, self.gemeente_name)
        if level != "gemeente":
            from IPython.display import Markdown  # IPython: only when shown in a notebook

            return Markdown(
                "*Geen kaart: grenzen van buurten worden niet meegeleverd. "
                "Zie de rangorde hierboven.*"
            )
        return self.result.map_chart(provincie=self.provincie, highlight=self.unit)

    def profile(self) -> alt.TopLevelMixin:
        """Profile of the gemeente over the dimensions ("geen gegevens" where empty)."""
        return self.result.profile_chart(self.unit or self.among[0])

    def unmatched_table(self) -> pd.DataFrame:
        """Return the wijken/buurten without RIVM figures (indeling changed after 2020)."""
        return pd.DataFrame(
            {
                "naam": self.unmatched.to_numpy(),
                "opmerking": self.reasons.reindex(self.unmatched.index).fillna(REGROUPED),
            },
            index=pd.Index(self.unmatched.index, name="code"),
        )

    # ------------------------------------------------------- wijken and trend
    def wijken(
        self, framework: str | Path = "buurzaamheid_wijken"
    ) -> WijkenSection | NotApplicable:
        """The section *De wijken van <gemeente>*: the gemeente's wijken on the provincie scale.

        The section is kept (a report asks for it in several cells), so its trend and
        tables are computed once. A gemeente outside the provincie of the wijk framework
        (``provincie:`` in its YAML) gets a :class:`~doeagenda.results.NotApplicable`: its
        wijken are not on that scale.
        """
        key = ("wijken", str(framework))
        if key not in self._cache:
            wijk_fw = load_framework(framework)
            if wijk_fw.provincie is not None and wijk_fw.provincie != self.provincie:
                self._cache[key] = NotApplicable(
                    f"De wijken van {self.gemeente_name} staan niet op een wijkschaal: de "
                    f"wijkindex ({wijk_fw.name}) is gebouwd voor de wijken van provincie "
                    f"{wijk_fw.provincie}, en {self.gemeente_name} ligt in provincie "
                    f"{self.provincie}. De sociale samenhang van haar wijken staat hieronder."
                )
            else:
                index = area_index(framework, self.provincie, n=self.n, seed=self.seed)
                self._cache[key] = WijkenSection(self.gemeente, self.gemeente_name, index)
        section: WijkenSection | NotApplicable = self._cache[key]
        return section

    def wijk_trend(
        self, years: tuple[int, ...] = (2012, 2016, 2020)
    ) -> TrendResult | NotApplicable:
        """The wijk index over the survey rounds (:meth:`WijkenSection.trend`), or the
        :class:`~doeagenda.results.NotApplicable` of :meth:`wijken` for a gemeente whose
        wijken are not on the wijk scale (one call per notebook cell)."""
        section = self.wijken()
        if isinstance(section, NotApplicable):
            return section
        return section.trend(years)

    def cohesion_trend(self) -> CohesionTrend | NotApplicable:
        """Sociale samenhang 2014–2022 of the gemeente, its wijken, provincie and NL.

        See :func:`doeagenda.index.cohesion.cohesion_trend`; works for every gemeente.
        """
        if "cohesion" not in self._cache:
            self._cache["cohesion"] = cohesion_trend(self.gemeente)
        trend: CohesionTrend | NotApplicable = self._cache["cohesion"]
        return trend

    def validity(
        self, level: str | None = None, wijk_framework: str | Path = "buurzaamheid_wijken"
    ) -> ValidityResult | NotApplicable:
        """The index held against the Leefbaarometer (JRC step 9, *links to other measures*).

        Parameters
        ----------
        level : {"gemeente", "wijk"}, optional
            Only this level. Default: every level that applies: for a gemeente index the
            gemeenten of the provincie and of the Netherlands, and the wijken of the
            provincie (on the wijk index ``wijk_framework``, where it is built for this
            provincie); for a wijk index the wijken of its provincie.
        wijk_framework : str or Path
            The wijk index for the wijk level of a gemeente index.

        Returns
        -------
        ValidityResult or NotApplicable
            NotApplicable (one Dutch sentence) for a buurt index without ``level``: the
            Leefbaarometer is shipped per wijk and gemeente.

        Raises
        ------
        EstimationError
            When fewer than 10 areas have an index score and a Leefbaarometer score (at the
            requested level, or at every level).
        ParameterError
            When ``level`` does not apply to this index.
        """
        key = ("validity", level, str(wijk_framework))
        if key in self._cache:
            result: ValidityResult | NotApplicable = self._cache[key]
            return result
        fw_level = self.framework.level or "gemeente"
        if fw_level == "buurt":
            reason = (
                "Geen vergelijking met de Leefbaarometer: die is per wijk en gemeente "
                "meegeleverd, niet per buurt. Kies het raamwerk buurzaamheid_gemeenten of "
                "buurzaamheid_wijken voor deze vergelijking."
            )
            if level is not None:
                msg = f"level {level!r} past niet bij deze buurtindex. {reason}"
                raise ParameterError(msg)
            self._cache[key] = NotApplicable(reason)
            return self._cache[key]
        selections: list[Selection] = []
        skipped: list[str] = []
        if fw_level == "gemeente" and self.unit is not None:
            highlight = [self.unit]
            selections.append(
                Selection("gemeente", f"provincie {self.provincie}", self.result,
                          list(self.among), highlight)
            )  # fmt: skip
            selections.append(
                Selection("gemeente", "Nederland", self.result,
                          list(self.result.scores.index), highlight)
            )  # fmt: skip
            if level in (None, "wijk"):
                section = self.wijken(wijk_framework)
                if isinstance(section, NotApplicable):
                    skipped.append(
                        f"Niet op wijkniveau: de wijkindex is er niet voor provincie "
                        f"{self.provincie}."
                    )
                else:
                    # the gemeente's wijken from the areas table, not from ranks(): that
                    # would run the Monte Carlo rank analysis, which this does not need
                    wijk_index = section.index
                    codes = list(wijk_index.result.scores.index)
                    own = wijk_index.areas["gemeente_code"].reindex(codes) == self.gemeente
                    selections.append(
                        Selection("wijk", f"provincie {wijk_index.provincie}", wijk_index.result,
                                  codes, [c for c, mine in zip(codes, own, strict=True) if mine])
                    )  # fmt: skip
        else:
            selections.append(
                Selection(fw_level, f"provincie {self.provincie}", self.result,
                          list(self.result.scores.index), list(self.among))
            )  # fmt: skip
        if level is not None and not any(s.level == level for s in selections):
            msg = (
                f"geen vergelijking op {level}niveau voor {self.framework.name!r} en "
                f"{self.gemeente_name}: kies level 'gemeente' of 'wijk' (wat bij het raamwerk "
                "past), of laat level leeg"
            )
            raise ParameterError(msg)
        self._cache[key] = index_validity(
            selections, self.framework, self.gemeente_name, level=level, skipped=skipped
        )
        return self._cache[key]

    def trend(self, years: tuple[int, ...] = (2012, 2016, 2020)) -> TrendResult:
        """The index over the survey rounds (:func:`doeagenda.index.index_trend`), for this view.

        Gemeente level: all gemeenten of the provincie, this gemeente highlighted. Wijk or
        buurt level: the units of the provincie, this gemeente's units highlighted.
        """
        key = ("trend", tuple(years))
        if key not in self._cache:
            level = self.framework.level or "gemeente"
            highlight = [self.unit] if self.unit else list(self.among)
            try:
                self._cache[key] = trend_view(
                    self.framework, highlight, years=years, level=level,
                    provincie=self.provincie, n=self.n, seed=self.seed,
                )  # fmt: skip
            except DataError as error:
                # A register-only framework has no indicator in the survey years: the
                # report says so instead of failing (index_trend itself raises).
                frame = pd.DataFrame(columns=TREND_COLUMNS)
                reason = (
                    f"het raamwerk {self.framework.name!r} heeft te weinig indicatoren met "
                    f"cijfers in elk van de jaren {', '.join(str(y) for y in years)}."
                )
                logger.info("no trend: %s", error)
                self._cache[key] = TrendResult(frame, highlight, [], unavailable=reason)
        return self._cache[key]

    # --------------------------------------------------------------- why
    def contributions(self) -> pd.DataFrame:
        """Return what each indicator adds to the gemeente's score (Dutch columns)."""
        unit = self.unit or self.among[0]
        table = self.result.contributions(unit)
        out = pd.DataFrame(
            {
                "indicator": table["label"],
                "dimensie": table["dimension"],
                "genormaliseerde waarde": table["value"].round(1),
                "effectief gewicht": table["effective_weight"].round(3),
                "bijdrage": table["contribution"].round(2),
            }
        )
        return out.fillna({"bijdrage": 0}).astype({"indicator": str})

    def contributions_chart(self) -> alt.TopLevelMixin:
        """Bar chart of the contributions."""
        return self.result.contributions_chart(self.unit or self.among[0])

    # ----------------------------------------------------------- how sure
    def _uncertainty(self) -> UncertaintyResult:
        if "unc" not in self._cache:
            self._cache["unc"] = self.result.uncertainty(n=self.n, seed=self.seed, among=self.among)
        return self._cache["unc"]

    def uncertainty(self) -> alt.TopLevelMixin:
        """Rank-uncertainty chart (median rank, 5-95% interval) within the provincie."""
        return self._uncertainty().chart(highlight=self.unit)

    def uncertainty_table(self) -> pd.DataFrame:
        """Return median rank and 90% rank interval per unit (Dutch columns)."""
        table = self._uncertainty().table
        return pd.DataFrame(
            {
                "naam": table["name"],
                "rang in index": table["nominal_rank"],
                "mediane rang": table["median_rank"],
                "5%-grens": table["rank_p05"],
                "95%-grens": table["rank_p95"],
            }
        )

    def uncertainty_text(self) -> Markdown:
        """One Dutch sentence on how sure the gemeente's rank is."""
        from IPython.display import Markdown  # IPython: only when shown in a notebook

        unit = self.unit or self.among[0]
        row = self._uncertainty().table.loc[unit]
        n_runs = self._uncertainty().ranks.shape[0]
        return Markdown(
            f"In {n_runs} varianten van de index (andere gewichten, normalisatie, aggregatie, "
            f"imputatie, steeds één indicator weggelaten) staat **{row['name']}** in 90% van de "
            f"gevallen tussen plaats **{row['rank_p05']:.0f}** en **{row['rank_p95']:.0f}** "
            f"van de {len(self.among)} (mediaan {row['median_rank']:.0f}; in de index zelf "
            f"plaats {row['nominal_rank']:.0f})."
        )

    # ------------------------------------------------------ what drives it
    def _sensitivity(self) -> SensitivityResult:
        if "sens" not in self._cache:
            self._cache["sens"] = self.result.sensitivity(n=1024, seed=self.seed, among=self.among)
        return self._cache["sens"]

    def sensitivity(self) -> alt.TopLevelMixin:
        """Sobol chart: which choices drive the uncertainty of the ranks."""
        return self._sensitivity().chart()

    def sensitivity_table(self) -> pd.DataFrame:
        """Return first- and total-order Sobol indices per choice (Dutch labels)."""
        return self._sensitivity().to_frame().round(3)

    def framework_table(self) -> pd.DataFrame:
        """Return the framework: indicators, dimension, direction, weight, source, why."""
        fw = self.framework
        table = fw.table()
        table = table[table["kind"] == "leaf"]
        return pd.DataFrame(
            {
                "indicator": table["label"].to_numpy(),
                "dimensie": [fw.label(fw.node(i).parent or fw.root) for i in table["id"]],
                "richting": table["direction"]
                .map({1: "hoger is beter", -1: "lager is beter"})
                .to_numpy(),
                "gewicht": table["weight"].to_numpy(),
                "gegevens": [NO_DATA if i not in self.result.active else "ja" for i in table["id"]],
                "bron": table["source"].to_numpy(),
                "waarom": table["rationale"].to_numpy(),
            }
        )


@functools.lru_cache(maxsize=8)
def _areas(level: str, provincie: str | None) -> pd.DataFrame:
    return data.areas(level=level, provincie=provincie)


def buurzaamheidsindex(
    gemeente: str = "GM0344",
    framework: str | Path = "buurzaamheid_gemeenten",
    extra: str | Path | None = None,
    n: int = 1000,
    seed: int = 0,
    provincie: str | None = None,
) -> IndexStory:
    """Build the Buurzaamheidsindex and view it from one gemeente.

    Parameters
    ----------
    gemeente : str
        GM code of any gemeente of the country (indeling 2024).
    framework : str or Path
        A name in ``params/frameworks`` or a YAML path. Gemeente-level frameworks rank all
        gemeenten; buurt/wijk-level frameworks rank the buurten/wijken of ``gemeente``.
    extra : path, optional
        Your own survey file (e.g. GGD Gezondheidsmonitor), read with
        :func:`doeagenda.data.read_indicator_file`.
    n : int
        Monte Carlo runs of the uncertainty analysis.
    seed : int
        Seed (same seed, same result).
    provincie : str, optional
        Provincie for the comparison (rank in the provincie, map, wijken). Default: the
        gemeente's own provincie.

    Returns
    -------
    IndexStory
    """
    fw = load_framework(framework)
    gemeenten = _areas("gemeente", None).set_index("code")
    if gemeente not in gemeenten.index:
        msg = f"onbekende gemeentecode {gemeente!r}; geef een GM-code zoals GM0344 (Utrecht)"
        raise AreaCodeError(msg)
    name = str(gemeenten.at[gemeente, "name"])
    if provincie is None:
        provincie = str(gemeenten.at[gemeente, "provincie"])
    level = fw.level or "gemeente"
    if level == "gemeente":
        frame = index_data(fw, extra=extra)
        result = build_index(frame, fw)
        among = [c for c in _areas("gemeente", provincie)["code"] if c in result.scores.index]
        if gemeente not in result.scores.index:
            msg = f"gemeente {gemeente} ({name}) heeft geen gegevens voor framework {fw.name!r}"
            raise DataError(msg)
        return IndexStory(
            result, gemeente, name, gemeente, among, n=n, seed=seed, provincie=provincie
        )
    if fw.gemeente is None:
        if fw.provincie is not None and fw.provincie != provincie:
            msg = (
                f"gemeente {gemeente} ({name}) ligt in provincie {provincie}, maar het raamwerk "
                f"{fw.name!r} zet alleen de {level}en van provincie {fw.provincie} op één schaal; "
                f"kies een gemeente in provincie {fw.provincie} of het raamwerk "
                "buurzaamheid_gemeenten"
            )
            raise AreaCodeError(msg)
        # Scored on the scale of all wijken/buurten of the provincie (one build, cached).
        index = area_index(framework, fw.provincie or provincie, n=n, seed=seed, extra=extra)
        among = index.of_gemeente(gemeente)
        if not among:
            msg = (
                f"framework {fw.name!r} heeft geen {level} met gegevens in gemeente {gemeente} "
                f"({name}); de {level}en: {REGROUPED}"
            )
            raise DataError(msg)
        return IndexStory(
            index.result, gemeente, name, None, among, n=n, seed=seed,
            provincie=index.provincie, unmatched=index.unmatched_of(gemeente),
            reasons=index.reasons,
        )  # fmt: skip
    frame = index_data(fw, extra=extra, gemeente=gemeente)
    if frame.empty:
        msg = f"framework {fw.name!r} heeft geen gegevens per {level} voor gemeente {gemeente} ({name})"
        raise DataError(msg)
    result = build_index(frame, fw)
    among = list(result.scores.index)
    return IndexStory(result, gemeente, name, None, among, n=n, seed=seed, provincie=provincie)
