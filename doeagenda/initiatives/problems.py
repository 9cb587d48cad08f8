"""What a register check finds: :class:`Problem` (one cell) and :class:`RegisterCheck` (all)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from doeagenda.initiatives.privacy import chart_safe
from doeagenda.results import ResultMixin

__all__ = ["Problem", "RegisterCheck"]


@dataclass(frozen=True)
class Problem:
    """One problem in a register: where, what was found and what was expected.

    Attributes
    ----------
    row : int or None
        Row number as the user sees it in the spreadsheet (header = row 1 for a CSV);
        ``None`` for a problem of the whole file or a column.
    column : str
        Column name ("" for the whole file).
    value : str
        The value found (personal data masked).
    problem : str
        Short Dutch description.
    expected : str
        What was expected, in Dutch.
    suggestion : str
        Closest allowed value ("bedoelt u ...?"), or "".
    source : str
        Register the problem is in, when several were checked together ("" otherwise).
    """

    row: int | None
    column: str
    value: str
    problem: str
    expected: str
    suggestion: str = ""
    source: str = ""

    def text(self) -> str:
        """Return the problem as one Dutch line."""
        where = f"rij {self.row}" if self.row is not None else "bestand"
        if self.source:
            where = f"{self.source}, {where}"
        if self.column:
            where += f", kolom {self.column}"
        line = f"{where}: {self.problem}"
        if self.value != "":
            line += f" (gevonden: {self.value!r})"
        line += f"; verwacht: {self.expected}"
        if self.suggestion:
            line += f"; bedoelt u {self.suggestion!r}?"
        return line


@dataclass
class RegisterCheck(ResultMixin):
    """Result of :func:`check_register`.

    Attributes
    ----------
    source : str
        File name that was checked.
    problems : list of Problem
        All problems found (empty when the register is valid).
    register : DataFrame
        The cleaned register (rows with problems included where a value could be parsed;
        use only when :attr:`ok`).
    sheet : str or None
        Sheet read, for a workbook.
    notes : list of str
        Dutch lines shown under ``OK`` (rows counted apart, registers combined).
    """

    source: str
    problems: list[Problem] = field(default_factory=list)
    register: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problems were found."""
        return not self.problems

    def to_frame(self) -> pd.DataFrame:
        """Return the problems as a table (Dutch columns)."""
        rows = [
            {
                "rij": p.row,
                "kolom": p.column,
                "waarde": p.value,
                "probleem": p.problem,
                "verwacht": p.expected,
                "suggestie": p.suggestion,
            }
            for p in self.problems
        ]
        cols = ["rij", "kolom", "waarde", "probleem", "verwacht", "suggestie"]
        frame = pd.DataFrame(rows, columns=cols)
        frame["rij"] = frame["rij"].astype("Int64")
        return frame

    def summary(self) -> pd.DataFrame:
        """Return the number of problems per column."""
        frame = self.to_frame()
        if frame.empty:
            return pd.DataFrame({"kolom": [], "problemen": []})
        out = frame.groupby("kolom", sort=True).size().rename("problemen").reset_index()
        return out

    def text(self) -> str:
        """Return a Dutch report: ``OK: N initiatieven`` or every problem on its own line."""
        if self.ok:
            return "\n".join([f"OK: {len(self.register)} initiatieven", *self.notes])
        head = f"{self.source}: {len(self.problems)} problemen gevonden"
        return "\n".join([head, *(f"- {p.text()}" for p in self.problems)])

    def _repr_markdown_(self) -> str:
        lines = self.text().splitlines()
        return "\n".join(html.escape(line) for line in lines)

    def chart(self):
        """Return a bar chart of the number of problems per column."""
        import altair as alt  # heavy: imported only when a chart is asked for

        data = chart_safe(self.summary())
        return (
            alt.Chart(data)
            .mark_bar()
            .encode(
                x=alt.X("problemen:Q", title="aantal problemen"),
                y=alt.Y("kolom:N", sort="-x", title="kolom"),
                tooltip=["kolom", "problemen"],
            )
            .properties(title="Problemen in het register per kolom")
        )
