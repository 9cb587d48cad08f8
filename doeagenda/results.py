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

import functools
import hashlib
import math
import numbers
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # the Styler (and jinja2) load on the first view, not at import
    from pandas.io.formats.style import Styler

__all__ = [
    "KeyFiguresMixin",
    "NotApplicable",
    "Result",
    "ResultMixin",
    "TextResultMixin",
    "deprecated_alias",
    "format_number",
    "format_pvalue",
    "format_year",
    "nl_table",
    "nl_text",
]

#: Below this a p-value is shown as "< 0,001".
_SMALLEST_PVALUE = 0.001
#: Column names (lower case) that hold p-values.
_PVALUE_NAMES = ("p", "p_waarde", "p-waarde", "pvalue", "p_value", "bootstrap_p")
#: Column and index names (lower case) that hold years, shown without a thousands point.
_YEAR_NAMES = ("jaar", "year", "peiljaar", "prijsjaar", "start_year", "startjaar")


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


def format_year(value: object) -> str:
    """Format a year (or period) label: digits without a thousands point."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_):
        number = float(value)
        if math.isnan(number):
            return ""
        if number.is_integer():
            return str(int(number))
    return format_number(value)


def _is_year_label(name: object) -> bool:
    """Tell whether a column or index level holds years."""
    return str(name).strip().lower() in _YEAR_NAMES


def _is_pvalue_column(name: object) -> bool:
    """Tell whether a column (or summary row) label names a p-value."""
    text = str(name).strip().lower()
    return text in _PVALUE_NAMES or "p-waarde" in text or "p_waarde" in text


def _rounded_to(values: pd.Series, decimals: int) -> int | None:
    """Return the fewest decimals (below ``decimals``) that a float column was rounded to.

    None when the column is not float, is all integers, or needs ``decimals`` or more.
    """
    if not pd.api.types.is_float_dtype(values.dtype):
        return None
    finite = values.to_numpy(dtype="float64")
    finite = finite[np.isfinite(finite)]
    if finite.size == 0 or np.all(finite == np.round(finite)):
        return None
    for digits in range(1, decimals):
        if np.allclose(finite, np.round(finite, digits), rtol=0, atol=1e-9):
            return digits
    return None


def _column_formatter(values: pd.Series, decimals: int) -> Callable[[object], str]:
    """Return the formatter of one column.

    A column rounded to fewer decimals (a percentage with one decimal) shows exactly that
    many on every row, so 10,0 stands under 9,6 instead of 10; other columns use
    :func:`format_number` (integer-valued floats as integers).
    """
    digits = _rounded_to(values, decimals)
    if digits is None:
        return lambda v: format_number(v, decimals)

    def fixed(value: object) -> str:
        if isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_):
            number = float(value)
            if math.isfinite(number):
                return _dutch(f"{number:,.{digits}f}")
        return format_number(value, decimals)

    return fixed


def _formatters(
    frame: pd.DataFrame, decimals: int, pvalues: list[str] | None
) -> dict[object, Callable[[object], str]]:
    """Return the formatter of every column: p-values, years, or Dutch numbers."""
    pcols = (
        set(pvalues) if pvalues is not None else {c for c in frame.columns if _is_pvalue_column(c)}
    )
    return {
        col: (
            format_pvalue
            if col in pcols
            else format_year
            if _is_year_label(col)
            else _column_formatter(frame[col], decimals)
        )
        for col in frame.columns
    }


@functools.cache
def _table_class() -> type[Styler]:
    """Return the Styler subclass of :func:`nl_table` (defined on first use: no import cost)."""
    from pandas.io.formats.style import Styler

    class DutchTable(Styler):
        """A Styler whose plain-text form is the Dutch table, not an object address.

        Reports compare and diff notebook outputs, so the text and the HTML ids must
        not change between runs.
        """

        def __repr__(self) -> str:
            return self.to_string(delimiter="\t")

    return DutchTable


def _stable_id(
    frame: pd.DataFrame,
    formatters: dict[object, Callable[[object], str]],
    index_formatters: list[Callable[[object], str]],
) -> str:
    """Return an HTML id for a table that is the same in every run (pandas draws a random one).

    It hashes the cells as shown (each through its formatter), not the frame: the same
    table computed along another path (e.g. ints that arrive as floats from a shared
    result) must give the same page. Formatting the cells directly, rather than hashing
    ``Styler.to_string()``, saves a whole render (deep copy and template) per table:
    a notebook then renders each table twice (HTML and text), not three times.
    """
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update("\t".join(map(str, frame.columns)).encode("utf-8"))
    for position, name in enumerate(frame.columns):
        shown = map(formatters[name], frame.iloc[:, position])
        digest.update(("\n" + "\t".join(shown)).encode("utf-8"))
    for level, formatter in enumerate(index_formatters):
        labels = frame.index.get_level_values(level)
        digest.update(("\n" + "\t".join(map(formatter, labels))).encode("utf-8"))
    return digest.hexdigest()[:8]


#: Key in a notebook output's metadata that marks a :class:`NotApplicable` sentence.
NOT_APPLICABLE_MARK = "doeagenda_not_applicable"


class NotApplicable:
    """A report section that does not apply to the data or choice at hand.

    Returned instead of a result when an analysis cannot run (a register without stop
    dates, a method the user did not choose, an area outside a scale). It shows one Dutch
    sentence, ``reason``, and the notebook goes on: every public method of the result it
    stands in for (``chart()``, ``view()``, ``summary()``, ...) returns ``None``, so the
    cells after it show nothing and never raise, and :func:`nl_table` passes it through.

    Parameters
    ----------
    reason : str
        One Dutch sentence: what is missing and, where the user can supply it, how.

    Examples
    --------
    >>> result = NotApplicable("Dit register heeft geen einddatums.")
    >>> bool(result), result.chart() is None
    (False, True)
    """

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __bool__(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Callable[..., None]:
        # dunder and private names keep their normal meaning (pickle, copy, IPython's
        # display protocol look for those); public names stand for the missing result's
        # methods, so a notebook cell calling one shows nothing.
        if name.startswith("_"):
            raise AttributeError(name)
        return _nothing

    def __getstate__(self) -> str:
        return self.reason

    def __setstate__(self, state: str) -> None:
        self.reason = state

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NotApplicable) and other.reason == self.reason

    def __hash__(self) -> int:
        return hash(("NotApplicable", self.reason))

    def __repr__(self) -> str:
        return self.reason

    def _repr_markdown_(self) -> str:
        return f"*{self.reason}*"

    def _repr_mimebundle_(self, include=None, exclude=None):
        # The same sentence, marked in the output's metadata so that a report page can
        # gather the sections that do not apply (doeagenda.reports.export).
        data = {"text/markdown": self._repr_markdown_(), "text/plain": self.reason}
        return data, {NOT_APPLICABLE_MARK: True}

    def summary_text(self) -> str:
        """Return the sentence (the text view of every result)."""
        return self.reason


def _nothing(*args: object, **kwargs: object) -> None:
    return None


def nl_table(frame: pd.DataFrame, decimals: int = 2, pvalues: list[str] | None = None) -> Styler:
    """Return a DataFrame styled for Dutch readers (the one formatting function).

    Parameters
    ----------
    frame : DataFrame
        Numbers stay numbers in ``frame``; only the view is formatted.
    decimals : int
        Digits after the decimal comma (see :func:`format_number`); a float column
        rounded to fewer decimals shows that many on every row.
    pvalues : list of str, optional
        Columns holding p-values (default: columns named like ``p``, ``p_waarde``).

    Returns
    -------
    pandas.io.formats.style.Styler
        Renders as HTML in a notebook; ``.to_html()`` and ``.to_string()`` for reports.
        A bare 0..n row index is hidden. A :class:`NotApplicable` (or ``None``) in its
        place is returned as it is, so a section that does not apply shows its sentence
        (or nothing) instead of failing.
    """
    if frame is None or isinstance(frame, NotApplicable):
        return frame
    formatters = _formatters(frame, decimals, pvalues)
    styler = _table_class()(frame).format(formatters)
    # a two-column summary (``onderdeel``, ``waarde``) holds p-values in rows, not columns
    if "onderdeel" in frame.columns:
        labels = frame["onderdeel"].astype(str)
        prow = frame.index[[_is_pvalue_column(label) for label in labels]]
        values = [c for c in frame.columns if c != "onderdeel"]
        if len(prow) and values:
            styler = styler.format(format_pvalue, subset=pd.IndexSlice[prow, values])
    index_formatters = []
    for level, name in enumerate(frame.index.names):
        # a year is a label, not an amount: 2024, never 2.024
        formatter = format_year if _is_year_label(name) else (lambda v: format_number(v, decimals))
        styler = styler.format_index(formatter, axis=0, level=level)
        index_formatters.append(formatter)
    index = frame.index
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.name is None:
        styler = styler.hide(axis="index")
        index_formatters = []
    return styler.set_uuid(_stable_id(frame, formatters, index_formatters))


class ResultMixin:
    """The formatted views of :class:`Result`, made from ``summary()`` by :func:`nl_table`."""

    def summary(self) -> pd.DataFrame:  # pragma: no cover - every result defines it
        raise NotImplementedError

    #: Name of the DataFrame attribute that :meth:`to_frame` copies (a class may name another).
    frame_attribute: ClassVar[str] = "table"

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of the table behind the result (its :attr:`frame_attribute`).

        Results whose full table is made otherwise define their own.
        """
        table = getattr(self, self.frame_attribute, None)
        if not isinstance(table, pd.DataFrame):
            msg = (
                f"{type(self).__name__} has no {self.frame_attribute} attribute; "
                "it must define to_frame()"
            )
            raise NotImplementedError(msg)
        return table.copy()

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


class TextResultMixin(ResultMixin):
    """A result whose notebook face is its plain-Dutch text.

    The class writes ``text()``; the mixin shows it as Markdown (so :meth:`_repr_html_`
    gives way to it) and keeps ``view()`` and the rest of :class:`ResultMixin`.
    """

    def text(self) -> str:  # pragma: no cover - every result defines it
        raise NotImplementedError

    def _repr_markdown_(self) -> str:
        return self.text()


def nl_text(
    frame: pd.DataFrame, decimals: int = 2, index: bool = True, max_rows: int | None = None
) -> str:
    """Return a table as aligned plain text for the terminal, formatted like :func:`nl_table`.

    Parameters
    ----------
    frame : DataFrame
        Numbers stay numbers in ``frame``; only the text is formatted.
    decimals : int
        As in :func:`nl_table`.
    index : bool
        Print the row index (a bare 0..n index is never printed).
    max_rows : int, optional
        Show at most this many rows (the first and last ones, as pandas does).

    Returns
    -------
    str
    """
    text = pd.DataFrame(
        {col: frame[col].map(fmt) for col, fmt in _formatters(frame, decimals, None).items()},
        index=frame.index,
    )
    bare = isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0
    return text.to_string(index=index and not bare, max_rows=max_rows)


class KeyFiguresMixin(ResultMixin):
    """A result whose summary is a column of key figures, each with its own precision.

    The class writes ``_key_figures()``: index ``kengetal``, a number ``waarde`` and its
    Dutch text ``tekst`` (euros without decimals, rates with ``%``). The mixin gives
    ``summary()`` (the numbers), ``formatted()`` (the text, as the CLI prints it) and a
    ``view()`` that shows the text.
    """

    def _key_figures(self) -> pd.DataFrame:  # pragma: no cover - every result defines it
        raise NotImplementedError

    def summary(self) -> pd.DataFrame:
        """Return the key figures as numbers (index ``kengetal``, column ``waarde``)."""
        return self._key_figures()[["waarde"]]

    def formatted(self) -> pd.DataFrame:
        """Return the key figures in Dutch format (index ``kengetal``, column ``tekst``)."""
        return self._key_figures()[["tekst"]]

    def view(self) -> Styler:
        """Return the key figures formatted for Dutch readers (renders in a notebook)."""
        # each figure has its own precision and unit, so the text is made per row
        return nl_table(self.formatted().rename(columns={"tekst": "waarde"}))


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
