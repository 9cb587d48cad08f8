"""The result contract: what every result object offers, and the one Dutch table view.

Every result object (a small dataclass returned by an estimator) implements
:class:`Result`:

* ``summary()`` — a DataFrame of numbers (what code and tests use);
* ``to_frame()`` — the full table behind the result;
* ``chart()`` — an altair chart in the house theme;
* ``view()`` / ``summary_text()`` / ``_repr_html_()`` — the Dutch formatted view that
  readers see in notebooks and reports, all made by :func:`nl_table`.

:class:`ResultMixin` supplies the three formatted views from ``summary()``, so a result
class only writes ``summary``, ``to_frame`` and ``chart``.

:func:`nl_table` is the one place numbers are formatted for readers: Dutch decimal
comma and thousands point, integers (and integer-valued floats) without decimals,
p-values as ``< 0,001``, no e-notation, and no bare 0..n row index.
"""

from __future__ import annotations

import hashlib
import math
import numbers
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # the Styler (and jinja2) load on the first view, not at import
    from pandas.io.formats.style import Styler

__all__ = [
    "Result",
    "ResultMixin",
    "deprecated_alias",
    "format_number",
    "format_pvalue",
    "nl_table",
]

#: Below this a p-value is shown as "< 0,001".
_SMALLEST_PVALUE = 0.001
#: Column names (lower case) that hold p-values.
_PVALUE_NAMES = ("p", "p_waarde", "p-waarde", "pvalue", "p_value", "bootstrap_p")


@runtime_checkable
class Result(Protocol):
    """What every result object of the package offers."""

    def summary(self) -> pd.DataFrame:
        """Return the main numbers as a DataFrame of numbers."""
        ...

    def to_frame(self) -> pd.DataFrame:
        """Return the full table behind the result."""
        ...

    def chart(self):
        """Return an altair chart."""
        ...

    def summary_text(self) -> str:
        """Return the summary formatted for Dutch readers, as plain text."""
        ...


def _dutch(text: str) -> str:
    """Swap the English separators of a formatted number for Dutch ones."""
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def format_number(value: object, decimals: int = 2) -> str:
    """Format one value for Dutch readers.

    Parameters
    ----------
    value : object
        A number (integers and integer-valued floats get no decimals), a tuple of
        numbers (an interval, shown as ``(a; b)``) or anything else (shown as text).
    decimals : int
        Digits after the decimal comma for non-integer numbers; small numbers keep two
        significant digits instead, so 0,00042 does not become 0,00.

    Returns
    -------
    str
        ``""`` for a missing value.
    """
    if isinstance(value, tuple):
        return "(" + "; ".join(format_number(v, decimals) for v in value) + ")"
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return "ja" if value else "nee"
    if isinstance(value, numbers.Integral):
        return _dutch(f"{int(value):,d}")
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return ""
        if math.isinf(number):
            return "oneindig" if number > 0 else "min oneindig"
        if number.is_integer() and abs(number) < 1e15:
            return _dutch(f"{int(number):,d}")
        if abs(number) < 10 ** (-decimals) * 5:
            # two significant digits, but never more than 10 decimals (then it shows as 0)
            digits = min(10, max(decimals, 1 - math.floor(math.log10(abs(number)))))
            return _dutch(f"{number:,.{digits}f}")
        return _dutch(f"{number:,.{decimals}f}")
    if isinstance(value, pd.Timestamp):
        return value.strftime("%d-%m-%Y")
    return str(value)


def format_pvalue(value: object) -> str:
    """Format a p-value: three decimals, ``< 0,001`` below that."""
    if not isinstance(value, numbers.Real) or math.isnan(float(value)):
        return format_number(value)
    if float(value) < _SMALLEST_PVALUE:
        return "< 0,001"
    return _dutch(f"{float(value):.3f}")


def _is_pvalue_column(name: object) -> bool:
    """Tell whether a column (or summary row) label names a p-value."""
    text = str(name).strip().lower()
    return text in _PVALUE_NAMES or "p-waarde" in text or "p_waarde" in text


def nl_table(frame: pd.DataFrame, decimals: int = 2, pvalues: list[str] | None = None) -> Styler:
    """Return a DataFrame styled for Dutch readers (the one formatting function).

    Parameters
    ----------
    frame : DataFrame
        Numbers stay numbers in ``frame``; only the view is formatted.
    decimals : int
        Digits after the decimal comma (see :func:`format_number`).
    pvalues : list of str, optional
        Columns holding p-values (default: columns named like ``p``, ``p_waarde``).

    Returns
    -------
    pandas.io.formats.style.Styler
        Renders as HTML in a notebook; ``.to_html()`` and ``.to_string()`` for reports.
        A bare 0..n row index is hidden.
    """
    pcols = (
        set(pvalues) if pvalues is not None else {c for c in frame.columns if _is_pvalue_column(c)}
    )
    formatters = {
        col: (format_pvalue if col in pcols else (lambda v, d=decimals: format_number(v, d)))
        for col in frame.columns
    }
    styler = frame.style.format(formatters)
    # a two-column summary (``onderdeel``, ``waarde``) holds p-values in rows, not columns
    if "onderdeel" in frame.columns:
        labels = frame["onderdeel"].astype(str)
        prow = frame.index[[_is_pvalue_column(label) for label in labels]]
        values = [c for c in frame.columns if c != "onderdeel"]
        if len(prow) and values:
            styler = styler.format(format_pvalue, subset=pd.IndexSlice[prow, values])
    styler = styler.format_index(lambda v: format_number(v, decimals), axis=0)
    index = frame.index
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.name is None:
        styler = styler.hide(axis="index")
    # pandas gives each Styler a random id (``T_3f2a1``), so a report would differ on every
    # run and from a plain papermill run. The id is taken from the table as shown instead
    # (not from the raw numbers, whose last bits may vary between processes); two equal
    # tables sharing an id also share identical styles.
    shown = styler.set_uuid("").to_html()
    return styler.set_uuid(hashlib.sha256(shown.encode("utf-8")).hexdigest()[:5])


class ResultMixin:
    """The formatted views of :class:`Result`, made from ``summary()`` by :func:`nl_table`."""

    def summary(self) -> pd.DataFrame:  # pragma: no cover - every result defines it
        raise NotImplementedError

    def view(self) -> Styler:
        """Return the summary formatted for Dutch readers (renders in a notebook)."""
        return nl_table(self.summary())

    def summary_text(self) -> str:
        """Return the summary formatted for Dutch readers, as plain text."""
        return self.view().to_string(delimiter="\t")

    def _repr_html_(self) -> str | None:
        # a result with its own Dutch text (``_repr_markdown_``) is shown as that text;
        # returning None lets the notebook fall back to it
        if hasattr(self, "_repr_markdown_"):
            return None
        return self.view().to_html()


def deprecated_alias(name: str, old: str) -> Callable:
    """Return a method ``old`` that warns (``DeprecationWarning``) and calls method ``name``.

    For the Dutch method names kept for one release after their English rename.
    """

    def alias(self, *args, **kwargs):
        msg = f"{old}() is deprecated and will be removed; use {name}()"
        warnings.warn(msg, DeprecationWarning, stacklevel=2)
        return getattr(self, name)(*args, **kwargs)

    alias.__name__ = old
    alias.__doc__ = f"Deprecated Dutch alias of :meth:`{name}`."
    return alias
