"""The index held against an outside measure (JRC/OECD step 9, *links to other measures*).

:func:`index_validity` correlates the Buurzaamheidsindex with the Leefbaarometer 3.0 score
of the ministry of BZK (latest year, 2022), which estimates liveability from about 100
characteristics of the surroundings, calibrated on residents' own judgements. It does so per
selection of areas (the gemeenten of the provincie, the gemeenten of the Netherlands, the
wijken of the provincie) with Spearman's rank correlation and Pearson's correlation.

Overlap is reported, not hidden: where the index has ``lbm_`` inputs (samenlevingskracht
rests on the Leefbaarometer's sociale samenhang), part of the agreement is built in. So the
index is also rebuilt **without any** ``lbm_`` **input** and correlated again, and the
Leefbaarometer score is also taken **without its sociale samenhang** (the score is a
constant plus the sum of its five dimension contributions). The number to believe is the
one without overlap.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from doeagenda import data
from doeagenda.charts import nl_format
from doeagenda.data import lbm
from doeagenda.errors import EstimationError, ParameterError
from doeagenda.index.build import IndexResult, build_index
from doeagenda.index.framework import Framework
from doeagenda.index.trend import reduce_framework
from doeagenda.results import ResultMixin, nl_table

if TYPE_CHECKING:  # type names only; these load lazily at run time
    import altair as alt
    from IPython.display import Markdown
    from pandas.io.formats.style import Styler

__all__ = [
    "MIN_AREAS",
    "OUTSIDE_MEASURES",
    "Selection",
    "ValidityResult",
    "index_validity",
    "without_lbm",
]

logger = logging.getLogger(__name__)

#: Fewest areas with both figures for a correlation to be reported.
MIN_AREAS = 10
LBM_PREFIX = "lbm_"
#: The outside measures: name -> Dutch label (Leefbaarometer, latest year).
OUTSIDE_MEASURES = {
    "lbm_score": f"Leefbaarometer-score {lbm.LATEST_YEAR}",
    "lbm_score_zonder_samenhang": (
        f"Leefbaarometer-score {lbm.LATEST_YEAR} zonder sociale samenhang"
    ),
}
LEVELS = ("gemeente", "wijk")
_PLURAL = {"gemeente": "gemeenten", "wijk": "wijken"}
SUMMARY_COLUMNS = [
    "maat",
    "level",
    "gebied",
    "n",
    "spearman",
    "pearson",
    "spearman_zonder_lbm",
    "pearson_zonder_lbm",
]


@dataclass
class Selection:
    """One set of areas to correlate over: its level, name, index scores and highlight.

    Attributes
    ----------
    level : str
        ``gemeente`` or ``wijk``.
    gebied : str
        Dutch name of the selection, e.g. ``provincie Utrecht`` or ``Nederland``.
    result : IndexResult
        The index as built (scores of at least the selection's areas).
    codes : list of str
        The areas of the selection.
    highlight : list of str
        The areas the report is about (the gemeente, or its wijken).
    """

    level: str
    gebied: str
    result: IndexResult
    codes: list[str]
    highlight: list[str] = field(default_factory=list)


def without_lbm(result: IndexResult) -> pd.Series:
    """Root scores of the index rebuilt without any ``lbm_`` leaf (same data, same rules).

    Returns the index itself when the framework has no ``lbm_`` leaf. A dimension left
    without leaves is left out (see :func:`doeagenda.index.trend.reduce_framework`).
    """
    fw = result.framework
    keep = [leaf for leaf in fw.leaves if not leaf.startswith(LBM_PREFIX)]
    if len(keep) == len(fw.leaves):
        return result.scores[fw.root]
    if not keep:
        msg = (
            f"het raamwerk {fw.name!r} bestaat alleen uit Leefbaarometer-indicatoren; zonder "
            "lbm_-indicatoren blijft er geen index over om te vergelijken"
        )
        raise EstimationError(msg)
    reduced, _empty = reduce_framework(fw, keep)
    columns = [c for c in result.data.columns if c in reduced.data_columns() or c == "name"]
    rebuilt = build_index(result.data[columns], reduced)
    return rebuilt.scores[reduced.root]


def _outside(level: str, codes: list[str]) -> pd.DataFrame:
    """The outside measures of the latest Leefbaarometer year for ``codes``."""
    wide = data.indicators(level, year=lbm.LATEST_YEAR, wide=True)
    wide = wide.reindex(codes)
    score = wide.get("lbm_score", pd.Series(np.nan, index=wide.index))
    cohesion = wide.get("lbm_sociale_samenhang", pd.Series(np.nan, index=wide.index))
    return pd.DataFrame(
        {"lbm_score": score, "lbm_score_zonder_samenhang": score - cohesion}, index=wide.index
    )


def _correlations(x: pd.Series, y: pd.Series) -> tuple[float, float]:
    frame = pd.DataFrame({"x": x, "y": y}).dropna()
    if frame["x"].nunique() < 2 or frame["y"].nunique() < 2:
        return float("nan"), float("nan")
    spearman = float(frame["x"].rank().corr(frame["y"].rank()))
    pearson = float(frame["x"].corr(frame["y"]))
    return spearman, pearson


def index_validity(
    selections: list[Selection],
    framework: Framework,
    gemeente_name: str = "",
    level: str | None = None,
    skipped: list[str] | None = None,
) -> ValidityResult:
    """Correlate the index with the Leefbaarometer per selection, with and without overlap.

    Parameters
    ----------
    selections : list of Selection
        The sets of areas (e.g. the gemeenten of the provincie, those of NL, the wijken of
        the provincie).
    framework : Framework
        The framework of the index (to name it and to tell whether it has ``lbm_`` inputs).
    gemeente_name : str
        Name of the gemeente the report is about (for the texts).
    level : {"gemeente", "wijk"}, optional
        Keep the selections of one level. Then a selection with fewer than
        :data:`MIN_AREAS` areas with both figures is an error; without ``level`` it is left
        out and named in the text.
    skipped : list of str, optional
        Dutch sentences on selections the caller could not make (e.g. no wijk scale for
        this provincie); shown in the text.

    Returns
    -------
    ValidityResult

    Raises
    ------
    ParameterError
        When ``level`` is not ``gemeente`` or ``wijk``.
    EstimationError
        When no selection has at least :data:`MIN_AREAS` areas with both figures.
    """
    if level is not None and level not in LEVELS:
        msg = (
            f"level {level!r} is onbekend voor de vergelijking met de Leefbaarometer; kies "
            "'gemeente' of 'wijk' (de Leefbaarometer is per wijk en gemeente meegeleverd)"
        )
        raise ParameterError(msg)
    chosen = [s for s in selections if level is None or s.level == level]
    notes = list(skipped or [])
    rows: list[dict[str, object]] = []
    points: list[pd.DataFrame] = []
    too_few: list[str] = []
    for selection in chosen:
        root = selection.result.framework.root
        built = selection.result.scores[root].reindex(selection.codes)
        plain = without_lbm(selection.result).reindex(selection.codes)
        outside = _outside(selection.level, selection.codes)
        both = built.notna() & plain.notna() & outside["lbm_score"].notna()
        n = int(both.sum())
        if n < MIN_AREAS:
            too_few.append(
                f"{_PLURAL[selection.level]} van {selection.gebied}: {n} met een indexscore en een "
                f"Leefbaarometer-score (minstens {MIN_AREAS} nodig)"
            )
            continue
        for measure, label in OUTSIDE_MEASURES.items():
            spearman, pearson = _correlations(built[both], outside.loc[both, measure])
            spearman_plain, pearson_plain = _correlations(plain[both], outside.loc[both, measure])
            rows.append(
                {
                    "maat": label,
                    "level": selection.level,
                    "gebied": selection.gebied,
                    "n": n,
                    "spearman": spearman,
                    "pearson": pearson,
                    "spearman_zonder_lbm": spearman_plain,
                    "pearson_zonder_lbm": pearson_plain,
                }
            )
        names = selection.result.names_of(list(built.index[both]))
        points.append(
            pd.DataFrame(
                {
                    "code": built.index[both],
                    "naam": list(names),
                    "level": selection.level,
                    "gebied": selection.gebied,
                    "index": built[both].to_numpy(),
                    "index_zonder_lbm": plain[both].to_numpy(),
                    "lbm_score": outside.loc[both, "lbm_score"].to_numpy(),
                    "lbm_score_zonder_samenhang": outside.loc[
                        both, "lbm_score_zonder_samenhang"
                    ].to_numpy(),
                    "deze": built.index[both].isin(selection.highlight),
                }
            )
        )
    if not rows:
        what = "; ".join(too_few) if too_few else "geen selectie van gebieden"
        msg = (
            f"geen vergelijking met de Leefbaarometer mogelijk voor {framework.name!r}: {what}. "
            "Kies een raamwerk op gemeente- of wijkniveau met meer gebieden"
        )
        if level is not None:
            msg = msg.replace("geen vergelijking", f"geen vergelijking op {level}niveau")
        raise EstimationError(msg)
    if too_few:
        notes.append("Te weinig gebieden, niet berekend: " + "; ".join(too_few) + ".")
    has_lbm = any(leaf.startswith(LBM_PREFIX) for leaf in framework.leaves)
    table = pd.DataFrame.from_records(rows, columns=SUMMARY_COLUMNS)
    return ValidityResult(
        table=table,
        points=pd.concat(points, ignore_index=True),
        framework_name=framework.name,
        gemeente_name=gemeente_name,
        lbm_inputs=[leaf for leaf in framework.leaves if leaf.startswith(LBM_PREFIX)]
        if has_lbm
        else [],
        notes=notes,
    )


@dataclass
class ValidityResult(ResultMixin):
    """The index against the Leefbaarometer: correlations per selection, points, texts.

    Attributes
    ----------
    table : DataFrame
        One row per outside measure and selection (see :meth:`summary`).
    points : DataFrame
        One row per area and selection: ``code, naam, level, gebied, index,
        index_zonder_lbm, lbm_score, lbm_score_zonder_samenhang, deze``.
    framework_name : str
    gemeente_name : str
    lbm_inputs : list of str
        The ``lbm_`` leaves of the framework (empty: no overlap by construction).
    notes : list of str
        Dutch sentences on selections left out.
    """

    table: pd.DataFrame
    points: pd.DataFrame
    framework_name: str
    gemeente_name: str = ""
    lbm_inputs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def _repr_markdown_(self) -> str:
        return str(self.text().data)

    def summary(self) -> pd.DataFrame:
        """Return one row per outside measure and selection of areas.

        Returns
        -------
        DataFrame
            ``maat`` (the outside measure), ``level`` (gemeente or wijk), ``gebied`` (the
            selection), ``n`` (areas with both figures), ``spearman``, ``pearson`` (the
            index as built) and ``spearman_zonder_lbm``, ``pearson_zonder_lbm`` (the index
            rebuilt without any ``lbm_`` input, on the same areas).
        """
        return self.table.copy()

    def to_frame(self) -> pd.DataFrame:
        """Return every area's index score and Leefbaarometer figures (all selections)."""
        return self.points.copy()

    def view(self) -> Styler:
        """The summary for Dutch readers (correlations with two decimals)."""
        table = self.summary().rename(
            columns={
                "maat": "buitenmaat",
                "level": "niveau",
                "gebied": "gebieden",
                "n": "aantal",
                "spearman": "Spearman",
                "pearson": "Pearson",
                "spearman_zonder_lbm": "Spearman zonder lbm_",
                "pearson_zonder_lbm": "Pearson zonder lbm_",
            }
        )
        return nl_table(table, decimals=2)

    def chart(self) -> alt.TopLevelMixin:
        """Scatter of index against Leefbaarometer score per selection; the gemeente (or its
        wijken) highlighted."""
        from doeagenda.index.charts import validity_chart  # loads altair: only when asked for

        return validity_chart(self.points, self.table)

    def believe(self) -> pd.Series:
        """Return per selection the Spearman correlation to believe (without overlap)."""
        main = self.table[self.table["maat"] == OUTSIDE_MEASURES["lbm_score"]]
        column = "spearman_zonder_lbm" if self.lbm_inputs else "spearman"
        return main.set_index(["level", "gebied"])[column]

    def text(self) -> Markdown:
        """Dutch text: what the correlation does and does not show, and which number to believe."""
        from IPython.display import Markdown  # IPython: only when shown in a notebook

        main = self.table[self.table["maat"] == OUTSIDE_MEASURES["lbm_score"]]
        lines = []
        for _, row in main.iterrows():
            built = nl_format(row["spearman"], 2)
            plain = nl_format(row["spearman_zonder_lbm"], 2)
            what = f"de {row['n']} {_PLURAL[str(row['level'])]} van {row['gebied']}"
            if self.lbm_inputs:
                lines.append(
                    f"* {what}: Spearman **{plain}** zonder Leefbaarometer-indicatoren in de "
                    f"index (met: {built}; Pearson {nl_format(row['pearson_zonder_lbm'], 2)} "
                    f"en {nl_format(row['pearson'], 2)})."
                )
            else:
                lines.append(
                    f"* {what}: Spearman **{built}** (Pearson {nl_format(row['pearson'], 2)})."
                )
        overlap = (
            "De index gebruikt zelf Leefbaarometer-cijfers ("
            + ", ".join(data.label(i) for i in self.lbm_inputs)
            + "): met die cijfers is een deel van de overeenkomst ingebouwd. **Geloof daarom het "
            "getal zonder lbm_-indicatoren**: de index opnieuw berekend zonder Leefbaarometer, "
            "met dezelfde regels. De tabel geeft ook de Leefbaarometer-score zonder haar "
            "sociale samenhang, de andere kant van dezelfde overlap."
            if self.lbm_inputs
            else "De index gebruikt geen Leefbaarometer-cijfers: de overeenkomst is niet ingebouwd."
        )
        text = [
            "**Hangt de Buurzaamheidsindex samen met wat bewoners zelf leefbaar vinden?** "
            f"We leggen de index naast de Leefbaarometer {lbm.LATEST_YEAR} (ministerie van BZK): "
            "een schatting van de leefbaarheid uit zo'n honderd kenmerken van de omgeving, "
            "geijkt op het oordeel van bewoners. Spearman vergelijkt de rangordes, Pearson de "
            "waarden (1 = volledig samen op, 0 = geen samenhang).",
            "\n".join(lines),
            overlap,
            "**Wat dit wel laat zien:** of gebieden die hoog scoren op de index ook hoog scoren "
            "op een maat die los van de index is gemaakt (de JRC-stap *links to other "
            "measures*). **Wat niet:** dat de index *juist* is. Beide zijn modelschattingen "
            "met eigen keuzes; een hoge samenhang kan ook komen doordat beide dezelfde "
            "onderliggende kenmerken volgen (inkomen, leeftijd, woningen). Een samenhang zegt "
            "niets over oorzaak en gevolg, en niets over één gemeente of wijk: die kan ver van "
            "de lijn liggen.",
        ]
        text.extend(self.notes)
        return Markdown("\n\n".join(text))
