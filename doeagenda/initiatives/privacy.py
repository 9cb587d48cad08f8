"""Privacy and disclosure control for published register tables.

Two rules (documented for municipalities in ``docs/register.md``):

1. **Personal data never leave the reader.** ``contactpersoon`` and every column listed in
   :data:`~doeagenda.initiatives.register.PERSONAL_COLUMNS` are dropped while the register
   is read; e-mail addresses and phone numbers found in free-text cells are reported and
   removed. :func:`public_view` is the last line of defence before anything is shown.
2. **Small counts at wijk level are suppressed** (as CBS does for its wijk and buurt
   tables). In every wijk-level table:

   * *primary suppression*: a count from 1 to ``MIN_COUNT - 1`` (1–4) is not shown but
     replaced by ``"<5"``; rates computed from it are hidden too;
   * *secondary suppression*: when within a gemeente exactly one wijk cell is suppressed,
     the published gemeente total would reveal it by subtraction, so the smallest other
     non-zero cell of that gemeente is hidden as well (shown as ``"afgeschermd"``);
   * zero is shown as 0 (an absence of initiatives discloses nobody).

   Gemeente-level counts are published as they are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from doeagenda.initiatives.columns import PERSONAL_COLUMNS

__all__ = ["MIN_COUNT", "PRIMARY", "SECONDARY", "chart_safe", "public_view", "suppress_counts"]

#: Smallest wijk-level count that may be published.
MIN_COUNT = 5
#: Display text of a primarily suppressed count.
PRIMARY = f"<{MIN_COUNT}"
#: Display text of a secondarily suppressed count.
SECONDARY = "afgeschermd"


#: Invisible character put after every "<" in chart data (see :func:`chart_safe`).
_WORD_JOINER = "\u2060"


def chart_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cannot act as HTML inside a chart.

    Altair's HTML output embeds the chart data as JSON inside a ``<script>`` element, so a
    name such as ``</script><script>...`` would end that element and run. Every ``<`` in a
    text value is followed by an invisible word joiner (U+2060): the name looks the same
    in the chart, but no tag can start. Also drops personal columns (:func:`public_view`).

    Parameters
    ----------
    frame : DataFrame
        Data for a chart.

    Returns
    -------
    DataFrame
    """
    out = public_view(frame)
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: v.replace("<", "<" + _WORD_JOINER) if isinstance(v, str) else v
            )
    return out


def public_view(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` without any personal-data column (and without internal columns).

    Parameters
    ----------
    frame : DataFrame
        A register or a table derived from it.

    Returns
    -------
    DataFrame
    """
    drop = [
        c for c in frame.columns if str(c).lower() in PERSONAL_COLUMNS or str(c).startswith("_")
    ]
    return frame.drop(columns=drop)


def suppress_counts(
    table: pd.DataFrame,
    count: str = "initiatieven",
    group: str | None = "gemeente_code",
    derived: tuple[str, ...] = (),
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """Apply primary and secondary suppression to a count column.

    Parameters
    ----------
    table : DataFrame
        One row per wijk (or other small area).
    count : str
        Column with the counts.
    group : str, optional
        Column of the higher level whose total is published (secondary suppression
        within each group); ``None`` treats the whole table as one group.
    derived : tuple of str
        Columns computed from the count (e.g. per 10,000): hidden (NaN) with it.
    min_count : int
        Smallest count that may be shown.

    Returns
    -------
    DataFrame
        A copy with ``count`` as nullable integers (``<NA>`` when suppressed), the
        derived columns NaN where suppressed, and a text column ``weergave`` holding
        what may be printed (the number, ``"<5"`` or ``"afgeschermd"``).
    """
    out = table.copy()
    values = out[count].astype("float64")
    primary = (values > 0) & (values < min_count)
    secondary = pd.Series(False, index=out.index)
    groups = out.groupby(group).groups.values() if group else [out.index]
    for idx in groups:
        idx = list(idx)
        if int(primary.loc[idx].sum()) == 1 and len(idx) > 1:
            others = values.loc[idx][~primary.loc[idx] & (values.loc[idx] > 0)]
            if len(others):
                secondary.loc[others.idxmin()] = True
    hidden = primary | secondary
    shown = values.where(~hidden)
    out[count] = shown.round().astype("Int64")
    for col in derived:
        out[col] = out[col].astype("float64").where(~hidden, np.nan)
    text = shown.map(lambda v: "" if pd.isna(v) else str(int(v)))
    text = text.where(~primary, PRIMARY).where(~secondary, SECONDARY)
    out["weergave"] = text.astype("str")
    return out
