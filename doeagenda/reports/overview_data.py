"""Figures per gemeente for the overview page of a run, computed once per run.

The overview (``index.html``) shows where each gemeente stands: inhabitants, the
Buurzaamheidsindex with its Monte Carlo rank interval, the share of lonely adults (RIVM)
and local energy cooperatives per 10,000 inhabitants (Lokale Energie Monitor 2019, the
real register ``energie_2019``). These are province-wide results: the index is
built once over all gemeenten and the rank intervals come from one uncertainty analysis,
here in the coordinating process, never per job.

Every part is optional: a part that cannot be computed (missing indicator, framework
without data) becomes "geen gegevens" with a note, and the overview still renders.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "INDEX_FRAMEWORK",
    "LONELINESS",
    "LONELINESS_YEAR",
    "ProvinceFigures",
    "province_figures",
]

logger = logging.getLogger(__name__)

#: Framework of the Buurzaamheidsindex on the overview.
INDEX_FRAMEWORK = "buurzaamheid_gemeenten"
#: RIVM indicator: adults (18+) who are (very) lonely, in percent.
LONELINESS = "rivm_eenzaam_18plus"
#: Year of the RIVM loneliness figures (Gezondheidsmonitor 2020).
LONELINESS_YEAR = 2020
#: Register whose energy cooperatives are counted (Lokale Energie Monitor 2019, HIER opgewekt).
REGISTER = "energie_2019"

COLUMNS = (
    "naam",
    "provincie",
    "inwoners",
    "index_score",
    "rang",
    "rang_p05",
    "rang_p95",
    "rang_van",
    "eenzaam_pct",
    "energiecooperaties_per_10000",
)


@dataclass(frozen=True)
class ProvinceFigures:
    """Figures per gemeente for an overview page.

    Attributes
    ----------
    table : DataFrame
        Index ``code`` (GM codes); columns ``naam, provincie, inwoners, index_score,
        rang, rang_p05, rang_p95, rang_van, eenzaam_pct, energiecooperaties_per_10000``. Missing
        values are NaN (shown as "geen gegevens").
    notes : list of str
        Dutch notes on parts that could not be computed or on their source.
    runs : int
        Monte Carlo runs behind the rank intervals.
    score_range : tuple of float, optional
        Lowest and highest index score among all gemeenten the ranks compare (the
        provinces of the run), so map colours mean the same in a run of two gemeenten.
    """

    table: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    runs: int = 0
    score_range: tuple[float, float] | None = None

    def summary(self) -> pd.DataFrame:
        """Return the numeric columns per gemeente (a DataFrame of numbers)."""
        return self.table.drop(columns=["naam", "provincie"])

    def to_frame(self) -> pd.DataFrame:
        """Return the full table (a copy)."""
        return self.table.copy()

    def chart(self):
        """Index score per gemeente with its rank interval as a bar chart (altair)."""
        import altair as alt

        frame = self.table.reset_index().dropna(subset=["index_score"])
        return (
            alt.Chart(frame)
            .mark_bar()
            .encode(
                x=alt.X("index_score:Q", title="Buurzaamheidsindex (0-100)"),
                y=alt.Y("naam:N", sort="-x", title=None),
                tooltip=["naam", "index_score", "rang", "rang_p05", "rang_p95"],
            )
        )


def _index_part(codes: list[str], among: list[str], runs: int, seed: int) -> pd.DataFrame:
    import pandas as pd

    from doeagenda.index import build_index, index_data, load_framework

    fw = load_framework(INDEX_FRAMEWORK)
    result = build_index(index_data(fw), fw)
    among = [code for code in among if code in result.scores.index]
    table = result.uncertainty(n=runs, seed=seed, among=among).table
    scores = result.scores[fw.root].reindex(among).dropna()
    frame = pd.DataFrame(
        {
            "index_score": table["score"],
            "rang": table["nominal_rank"],
            "rang_p05": table["rank_p05"],
            "rang_p95": table["rank_p95"],
            "rang_van": float(len(among)),
        }
    ).reindex(codes)
    frame.attrs["score_range"] = (float(scores.min()), float(scores.max()))
    return frame


def _loneliness_part(codes: list[str]) -> pd.Series:
    from doeagenda import data

    frame = data.indicators("gemeente", year=LONELINESS_YEAR)
    frame = frame[frame["indicator"] == LONELINESS]
    return frame.set_index("code")["value"].reindex(codes).astype(float)


def _initiatives_part(codes: list[str]) -> pd.Series:
    from doeagenda.initiatives import cooperatives_per_gemeente

    table = cooperatives_per_gemeente(REGISTER)
    return table.set_index("gemeente_code")["per_10000"].reindex(codes).astype(float)


def province_figures(
    codes: list[str] | tuple[str, ...], runs: int = 1000, seed: int = 0
) -> ProvinceFigures:
    """Compute the overview figures for these gemeenten (once per run).

    Parameters
    ----------
    codes : sequence of str
        GM codes of the gemeenten on the overview.
    runs : int
        Monte Carlo runs of the rank uncertainty (as in the buurzaamheidsindex notebook).
    seed : int
        Seed of the uncertainty analysis.

    Returns
    -------
    ProvinceFigures
        Ranks are within the provinces the gemeenten lie in (all of the Netherlands when
        they span every province), as in the buurzaamheidsindex reports.
    """
    import numpy as np
    import pandas as pd

    from doeagenda import data

    codes = list(dict.fromkeys(codes))
    gemeenten = data.areas("gemeente").set_index("code")
    table = pd.DataFrame(index=pd.Index(codes, name="code"), columns=list(COLUMNS), dtype=float)
    known = [code for code in codes if code in gemeenten.index]
    table["naam"] = gemeenten["name"].reindex(codes).fillna("")
    table["provincie"] = gemeenten["provincie"].reindex(codes).fillna("")
    notes: list[str] = []
    score_range = None
    if not known:
        return ProvinceFigures(table, ["geen bekende gemeentecodes in deze run"], 0)
    table["inwoners"] = data.population("gemeente").reindex(codes).astype(float)
    provinces = set(gemeenten.loc[known, "provincie"])
    among = list(gemeenten.index[gemeenten["provincie"].isin(provinces)])

    parts: list[tuple[str, Any]] = [
        ("index", lambda: _index_part(codes, among, runs, seed)),
        ("eenzaam_pct", lambda: _loneliness_part(codes)),
        ("energiecooperaties_per_10000", lambda: _initiatives_part(codes)),
    ]
    labels = {
        "index": "Buurzaamheidsindex",
        "eenzaam_pct": f"eenzaamheid (RIVM {LONELINESS_YEAR})",
        "energiecooperaties_per_10000": "energiecoöperaties per 10.000 inwoners (2019)",
    }
    for name, compute in parts:
        try:
            value = compute()
        except Exception as error:  # a missing part must not cost the whole overview
            logger.warning("overzicht: %s niet berekend: %s", labels[name], error)
            notes.append(f"{labels[name]}: geen gegevens ({type(error).__name__}: {error})")
            continue
        if name == "index":
            score_range = value.attrs.get("score_range")
            for column in value.columns:
                table[column] = value[column].to_numpy(dtype=float)
        else:
            table[name] = value.to_numpy(dtype=float)
    if np.isnan(table["eenzaam_pct"].to_numpy(dtype=float)).all():
        notes.append(
            f"eenzaamheid: geen gegevens (indicator {LONELINESS} {LONELINESS_YEAR} "
            "ontbreekt in de meegeleverde data)"
        )
    notes.append(
        "Energiecoöperaties per 10.000 inwoners: lokale energiecoöperaties eind 2019 (bron: "
        "Lokale Energie Monitor 2019, HIER opgewekt) per inwoner van 2024 (CBS); één domein "
        "van bewonersinitiatieven, en een momentopname."
    )
    return ProvinceFigures(table, notes, runs, score_range)
