"""What every module needs: the gemeente it is about, the display mode, static views.

Display modes
-------------
* ``"interactief"`` (default): widget builders return ipywidgets (JupyterLab, Voilà).
* ``"handout"``: the same builders return a static :class:`View` at their default
  settings (an SVG chart and a table), so a printed handout has no widget placeholders.
  :func:`handout_mode` switches it on for a block of code; the handout builder uses it.

A :class:`View` is what a pure "view function" of a module returns: a title, a short
Dutch text, an altair chart and/or a table, or a friendly message when the input cannot
give a result (unknown gemeente, all weights zero, ...). Views know how to show
themselves as static HTML (charts rendered to inline SVG by vl-convert, offline).
"""

from __future__ import annotations

import contextlib
import functools
import html
import logging
import os
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

import altair as alt
import pandas as pd

from doeagenda.errors import AreaCodeError, DoeagendaError, ParameterError
from doeagenda.learning.state import SESSION, LearningState

logger = logging.getLogger(__name__)

__all__ = [
    "MODULES",
    "View",
    "app_gemeente",
    "chart_svg",
    "check_gemeente",
    "gemeente_name",
    "gemeente_problem",
    "handout_mode",
    "is_handout",
    "message_view",
    "module_number",
    "provincie_of",
    "quiet_engine",
    "set_handout",
    "start",
]


def handout_mode(state: LearningState | None = None) -> contextlib.AbstractContextManager[None]:
    """Make widget builders return static views (for printed handouts) inside a ``with`` block."""
    return (state or SESSION).handout_mode()


def switch_mode(
    mode: Literal["trainer", "handout"], on: bool, state: LearningState | None = None
) -> LearningState:
    """Set one mode of a learning session for the rest of the session; return the state.

    The one setter behind :func:`set_handout` and
    :func:`doeagenda.learning.feedback.trainer_mode`.

    Parameters
    ----------
    mode : {"trainer", "handout"}
        The :class:`~doeagenda.learning.state.LearningState` attribute to set.
    on : bool
    state : LearningState, optional
        The session to switch; default :data:`doeagenda.learning.state.SESSION`.

    Returns
    -------
    LearningState
    """
    state = state or SESSION
    setattr(state, mode, bool(on))
    return state


def set_handout(on: bool, state: LearningState | None = None) -> bool:
    """Switch handout mode on or off for the rest of the session (see :func:`handout_mode`).

    Returns
    -------
    bool
        Whether handout mode is now on.
    """
    return switch_mode("handout", on, state).handout


def is_handout(state: LearningState | None = None) -> bool:
    """Return whether builders should return static views instead of widgets."""
    return (state or SESSION).handout


@functools.cache
def _gemeenten() -> pd.DataFrame:
    from doeagenda import data

    return data.areas("gemeente").set_index("code")


def check_gemeente(gemeente: object) -> str:
    """Return a valid gemeente code, or raise a friendly Dutch error.

    Parameters
    ----------
    gemeente : object
        A code like ``"GM0344"`` (case and spaces are forgiven) or a gemeente name.

    Returns
    -------
    str
        The CBS code.

    Raises
    ------
    AreaCodeError
        With a Dutch message that says how to choose a gemeente.
    """
    table = _gemeenten()
    text = str(gemeente).strip()
    code = text.upper()
    if code in table.index:
        return code
    by_name = table.index[table["name"].str.lower() == text.lower()]
    if len(by_name) == 1:
        return str(by_name[0])
    utrecht = table[table["provincie"] == "Utrecht"]
    examples = ", ".join(f"{c} ({n})" for c, n in utrecht["name"].head(3).items())
    msg = (
        f"De gemeente '{text}' kennen we niet. Vul een CBS-gemeentecode in, zoals "
        f"GM0344 voor Utrecht. Andere voorbeelden: {examples}."
    )
    raise AreaCodeError(msg)


def app_gemeente(gemeente: str) -> str:
    """Return the gemeente asked for in the app's address, else ``gemeente``.

    In the Voilà app a trainer can hand out one link per gemeente, e.g.
    ``http://localhost:8866/voila/render/01_ken_je_gemeente.ipynb?gemeente=GM0307``. Voilà
    passes the query string to the kernel in ``QUERY_STRING``; outside Voilà (JupyterLab,
    papermill, handouts) the notebook's own parameter is returned unchanged.

    Parameters
    ----------
    gemeente : str
        The notebook's ``gemeente`` parameter.

    Returns
    -------
    str
    """
    if not os.environ.get("SERVER_SOFTWARE", "").startswith("voila/"):
        return gemeente
    asked = urllib.parse.parse_qs(os.environ.get("QUERY_STRING", "")).get("gemeente")
    return asked[0].strip() if asked and asked[0].strip() else gemeente


def gemeente_name(gemeente: str) -> str:
    """Return the name of a gemeente code (the code itself when unknown)."""
    table = _gemeenten()
    code = str(gemeente).strip().upper()
    return str(table.at[code, "name"]) if code in table.index else str(gemeente)


def provincie_of(gemeente: str) -> str:
    """Return the provincie of a (valid) gemeente code."""
    return str(_gemeenten().at[check_gemeente(gemeente), "provincie"])


def chart_svg(chart: alt.TopLevelMixin) -> str:
    """Render an altair chart to an SVG string, offline (vl-convert, no browser, no CDN).

    Parameters
    ----------
    chart : altair chart

    Returns
    -------
    str
        The ``<svg>`` markup.
    """
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart.to_dict())


def _table_html(table: pd.DataFrame) -> str:
    return table.to_html(
        index=False, border=0, classes="doeagenda-tabel", na_rep="geen gegevens", escape=True
    )


@dataclass
class View:
    """A static result of a module's view function.

    Attributes
    ----------
    title : str
        Short Dutch heading.
    text : str
        One or two Dutch sentences that say what the chart shows.
    chart : altair chart or None
    table : DataFrame or None
        Already formatted for reading (Dutch column names).
    message : str or None
        A friendly message instead of a result (bad input); then chart and table are None.
    values : dict
        Key numbers of the view (for tests and exercises), e.g. ``{"ratio": 2.3}``.
    """

    title: str = ""
    text: str = ""
    chart: alt.TopLevelMixin | None = None
    table: pd.DataFrame | None = None
    message: str | None = None
    values: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the view holds a result (not a message)."""
        return self.message is None

    def html(self, chart: bool = True, table: bool = True) -> str:
        """Return the view as static HTML (the chart as inline SVG).

        Parameters
        ----------
        chart, table : bool
            Include the chart and the table.
        """
        parts = ['<div class="doeagenda-view">']
        if self.title:
            parts.append(f"<h4>{html.escape(self.title)}</h4>")
        if self.message is not None:
            parts.append(
                '<div class="doeagenda-melding" style="border-left:4px solid #E69F00;'
                f'padding:4px 10px;background-color:#FFF8E6">{html.escape(self.message)}</div>'
            )
        if self.text:
            parts.append(f"<p>{html.escape(self.text)}</p>")
        if chart and self.chart is not None:
            parts.append(f'<div class="doeagenda-grafiek">{chart_svg(self.chart)}</div>')
        if table and self.table is not None:
            parts.append(_table_html(self.table))
        parts.append("</div>")
        return "\n".join(parts)

    def _ipython_display_(self) -> None:
        # Shown as a cell result (banners, messages, handout mode): text and table as HTML,
        # the chart as its own image/svg+xml output, which report exporters that sanitise
        # HTML (the batch runner) keep as a picture.
        from IPython.display import HTML, SVG, display

        display(HTML(self.html(chart=False, table=False)))
        if self.chart is not None:
            display(SVG(chart_svg(self.chart)))
        if self.table is not None:
            display(HTML(_table_html(self.table)))

    def _repr_html_(self) -> str:
        return self.html()


def message_view(message: str, title: str = "") -> View:
    """Return a view that shows only a friendly message."""
    return View(title=title, message=message)


@contextlib.contextmanager
def quiet_engine(name: str) -> Iterator[None]:
    """Hold back an engine's log warnings inside the block.

    The engines log warnings (e.g. over-claiming) that a view already shows in its own
    Dutch text; without this, Python's last-resort handler would print them in red under
    the widget on every slider move.
    """
    engine = logging.getLogger(name)
    before = engine.level
    engine.setLevel(logging.ERROR)
    try:
        yield
    finally:
        engine.setLevel(before)


def gemeente_problem(gemeente: object) -> View | None:
    """Return a message view when the gemeente is unknown, else ``None`` (for builders)."""
    try:
        check_gemeente(gemeente)
    except Exception as error:
        return message_view(friendly(error))
    return None


def friendly(error: BaseException) -> str:
    """Turn an error into a friendly Dutch sentence for the widget output.

    Parameters
    ----------
    error : BaseException
        A :class:`~doeagenda.errors.DoeagendaError` keeps its own Dutch message; any
        other error (a bug) gets a general sentence, never a traceback.

    Returns
    -------
    str
    """
    if isinstance(error, DoeagendaError):
        text = " ".join(str(error).split())
        if isinstance(error, AreaCodeError) and "kennen we niet" in text:
            return text
        return f"Dit lukt niet met deze instellingen. {text}"
    return (
        "Er ging iets mis bij het berekenen. Zet de schuifjes terug op hun beginstand of "
        "vraag de trainer om hulp."
    )


#: The learning modules: number -> (title, notebook file in ``notebooks/leren/``).
MODULES: dict[str, tuple[str, str]] = {
    "01": ("Ken je gemeente", "01_ken_je_gemeente.ipynb"),
    "02": ("Bouw je eigen index", "02_bouw_je_eigen_index.ipynb"),
    "03": ("Werkt het?", "03_werkt_het.ipynb"),
    "04": ("Wat levert het op?", "04_wat_levert_het_op.ipynb"),
}


def module_number(module: object) -> str:
    """Return the two-digit number of a module given as ``1``, ``"01"`` or a file name.

    Raises
    ------
    ParameterError
        For an unknown module (message lists the modules).
    """
    text = str(module).strip()
    for number, (title, notebook) in MODULES.items():
        if text in (number, number.lstrip("0"), notebook, notebook.removesuffix(".ipynb")):
            return number
        if text.lower() == title.lower():
            return number
    known = ", ".join(f"{n} ({t})" for n, (t, _nb) in MODULES.items())
    msg = f"Module '{text}' bestaat niet. Kies uit: {known}."
    raise ParameterError(msg)


def start(
    module: str,
    gemeente: str,
    trainer: bool = False,
    handout: bool = False,
    state: LearningState | None = None,
) -> View:
    """Open a module for a gemeente: check the gemeente, set the modes, show a banner.

    Parameters
    ----------
    module : str
        ``"01"`` .. ``"04"``.
    gemeente : str
        CBS gemeente code, e.g. ``"GM0344"``.
    trainer : bool
        Reveal worked answers (see :func:`doeagenda.learning.trainer_mode`).
    handout : bool
        Static views instead of widgets for the rest of the session, e.g. when a batch
        plan runs the module with papermill to make handouts. A handout shows worked
        answers only when ``trainer`` is true, whatever ``DOEAGENDA_TRAINER`` says.
    state : LearningState, optional
        The session to set up; default :data:`doeagenda.learning.state.SESSION`.

    Returns
    -------
    View
        A banner, or a friendly message when the gemeente is unknown.
    """
    state = state or SESSION
    state.handout = bool(handout)
    state.trainer = bool(trainer)
    state.trainer_forced = bool(trainer) if handout else None
    try:
        number = module_number(module)
        code = check_gemeente(gemeente)
    except DoeagendaError as error:
        return message_view(friendly(error), title="Let op")
    title = MODULES[number][0]
    text = (
        f"Module {number} · {title} — gemeente {gemeente_name(code)} ({code}), "
        f"provincie {provincie_of(code)}."
    )
    if state.is_trainer():
        text += " Trainersmodus: bij elke oefening staat de uitwerking."
    return View(title=f"{title}: {gemeente_name(code)}", text=text)
