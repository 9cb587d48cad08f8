"""Wiring of ipywidgets to the pure view functions of the modules.

There is no logic here beyond wiring: a control's value goes into a pure, tested view
function and the :class:`~doeagenda.learning.lesson.View` it returns is shown. Errors never
reach the participant as a traceback: they become a friendly Dutch message in the output.

In handout mode (:func:`doeagenda.learning.lesson.handout_mode`) every builder returns the
static view at the controls' default values instead of a widget.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable

import ipywidgets as widgets
from IPython.display import HTML

from doeagenda.errors import DoeagendaError
from doeagenda.learning import feedback
from doeagenda.learning.lesson import (
    View,
    check_gemeente,
    friendly,
    gemeente_name,
    gemeente_problem,
    is_handout,
    message_view,
)

logger = logging.getLogger(__name__)

__all__ = ["Explorer", "Question", "QuestionBox", "explorer", "question", "safe_view", "wide"]


def wide() -> dict:
    """Return the keyword arguments that give a slider a readable label and a long track."""
    return {
        "style": {"description_width": "210px"},
        "layout": widgets.Layout(width="470px"),
    }


def safe_view(view_fn: Callable[..., View], **kwargs: object) -> View:
    """Call a view function; turn any error into a view with a friendly Dutch message.

    Parameters
    ----------
    view_fn : callable
        A pure function returning a :class:`View`.
    **kwargs
        Its arguments.

    Returns
    -------
    View
    """
    try:
        return view_fn(**kwargs)
    except DoeagendaError as error:  # bad input: a friendly message is the whole answer
        logger.debug("view %s refused %s: %s", view_fn.__name__, kwargs, error)
        return message_view(friendly(error))
    except Exception as error:  # a workshop must never show a traceback
        # INFO, not WARNING: Python's last-resort handler would print WARNING to the notebook
        logger.info("view %s failed for %s", view_fn.__name__, kwargs, exc_info=True)
        return message_view(friendly(error))


def _show(output: widgets.Output, view: View) -> None:
    # replace the outputs in one assignment: works in a kernel and in plain Python (tests)
    output.outputs = ()
    output.append_display_data(HTML(view.html()))


class Explorer(widgets.VBox):
    """A box of controls above an output that shows a view function's result.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        The controls by the name of the view function's argument they set.
    output : ipywidgets.Output
    view : View
        The view now shown (updated on every change).
    """

    def __init__(
        self,
        view_fn: Callable[..., View],
        controls: dict[str, widgets.ValueWidget],
        fixed: dict[str, object],
    ) -> None:
        output = widgets.Output(layout=widgets.Layout(min_height="80px"))
        box = widgets.HBox(
            list(controls.values()),
            layout=widgets.Layout(flex_flow="row wrap", grid_gap="4px 16px"),
        )
        super().__init__(children=[box, output])
        self.add_class("doeagenda-explorer")
        self.controls = controls
        self.output = output
        self._view_fn = view_fn
        self._fixed = dict(fixed)
        self.view = View()
        for control in controls.values():
            control.observe(self._changed, names="value")
        self.refresh()

    def values(self) -> dict[str, object]:
        """Return the current values of the controls."""
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self) -> View:
        """Recompute the view from the current control values and show it."""
        self.view = safe_view(self._view_fn, **self._fixed, **self.values())
        _show(self.output, self.view)
        return self.view

    def _changed(self, _change: dict) -> None:
        self.refresh()


def explorer(
    view_fn: Callable[..., View],
    controls: dict[str, widgets.ValueWidget],
    **fixed: object,
) -> Explorer | View:
    """Wire controls to a view function (or, in handout mode, return the default view).

    Parameters
    ----------
    view_fn : callable
        Pure function returning a :class:`View`.
    controls : dict
        Argument name of ``view_fn`` -> the ipywidget that sets it (its value is the default).
    **fixed
        Arguments that do not change (e.g. ``gemeente``).

    Returns
    -------
    Explorer or View
        A friendly message view instead when ``gemeente`` is given and unknown, so
        builders need not check it themselves.
    """
    if "gemeente" in fixed:
        problem = gemeente_problem(fixed["gemeente"])
        if problem is not None:
            return problem
    if is_handout():
        values = {name: control.value for name, control in controls.items()}
        return safe_view(view_fn, **fixed, **values)
    return Explorer(view_fn, controls, fixed)


# --- exercises --------------------------------------------------------------------------


def _question_text(ex: feedback.Exercise, gemeente: str) -> str:
    return ex.question.format(naam=gemeente_name(gemeente))


class Question:
    """A static exercise for a printed handout: the question and space to write.

    Parameters
    ----------
    exercise_id : str
    gemeente : str
    trainer : bool
        Also print the worked answer.
    """

    def __init__(self, exercise_id: str, gemeente: str, trainer: bool = False) -> None:
        self.exercise_id = exercise_id
        self.gemeente = gemeente
        self.trainer = trainer

    def html(self) -> str:
        """Return the question as printable HTML."""
        ex = feedback.exercise(self.exercise_id)
        parts = [
            f'<div class="doeagenda-vraag" data-oefening="{html.escape(ex.id)}" '
            'style="border:1px solid #B8C2CC;padding:6pt 10pt;margin:10pt 0">',
            f"<p><b>Oefening {html.escape(ex.id)}.</b> "
            f"{html.escape(_question_text(ex, self.gemeente))}</p>",
        ]
        options = ex.choices(self.gemeente)
        if ex.kind == "choice" and options:
            items = "".join(
                f"<li>{letter}) {html.escape(option)}</li>"
                for letter, option in zip("abcdefgh", options, strict=False)
            )
            parts.append(f'<ul class="doeagenda-opties">{items}</ul>')
        line = (
            '<div class="doeagenda-schrijfregel" '
            'style="border-bottom:1px solid #888888;padding:11pt 0"></div>'
        )
        parts.append(line * ex.lines)
        if self.trainer:
            worked = feedback.worked_answer(ex.id, self.gemeente)
            parts.append(
                '<div class="doeagenda-uitwerking" style="border-left:4px solid #009E73;'
                'padding:4px 8px;background-color:#EEF6EE"><i>Uitwerking (trainer):</i> '
                f"{html.escape(worked)}</div>"
            )
        parts.append("</div>")
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return self.html()


class QuestionBox(widgets.VBox):
    """An exercise with an answer field, a "Controleer" button and feedback.

    Attributes
    ----------
    answer : ipywidgets.Widget
        The answer field (text, or radio buttons for a choice question).
    output : ipywidgets.Output
        Shows the :class:`~doeagenda.learning.feedback.Feedback`.
    feedback : Feedback or None
        The last feedback.
    """

    def __init__(self, exercise_id: str, gemeente: str) -> None:
        ex = feedback.exercise(exercise_id)
        self.exercise_id = exercise_id
        self.gemeente = gemeente
        intro = widgets.HTML(
            f"<b>Oefening {html.escape(ex.id)}.</b> {html.escape(_question_text(ex, gemeente))}"
        )
        options = ex.choices(gemeente)
        if ex.kind == "choice" and 0 < len(options) <= 6:
            answer: widgets.ValueWidget = widgets.RadioButtons(
                options=options, value=None, layout=widgets.Layout(width="auto")
            )
        elif ex.kind == "choice" and options:
            answer = widgets.Dropdown(
                options=options,
                value=None,
                description="Antwoord:",
                layout=widgets.Layout(width="420px"),
            )
        else:
            placeholder = "een getal, bijv. 12,5" if ex.kind == "number" else "je antwoord"
            answer = widgets.Text(placeholder=placeholder, description="Antwoord:")
        button = widgets.Button(description="Controleer", button_style="primary")
        output = widgets.Output()
        children = [intro, answer, button, output]
        if feedback.is_trainer():
            worked = feedback.worked_answer(exercise_id, gemeente)
            children.append(widgets.HTML(f"<i>Uitwerking (trainer):</i> {html.escape(worked)}"))
        super().__init__(children=children)
        self.add_class("doeagenda-oefening")
        self.answer = answer
        self.button = button
        self.output = output
        self.feedback: feedback.Feedback | None = None
        button.on_click(lambda _button: self.submit())

    def submit(self) -> feedback.Feedback:
        """Check the current answer and show the feedback."""
        self.feedback = feedback.check(self.exercise_id, self.answer.value, self.gemeente)
        self.output.outputs = ()
        self.output.append_display_data(HTML(self.feedback._repr_html_()))
        return self.feedback


def question(exercise_id: str, gemeente: str) -> QuestionBox | Question | View:
    """Show an exercise: interactive with a self-check, or printable in handout mode.

    Parameters
    ----------
    exercise_id : str
        e.g. ``"01.2"``.
    gemeente : str
        The module's gemeente (questions and answers depend on it).

    Returns
    -------
    QuestionBox, Question, or View
        A View with a friendly message when the gemeente or exercise is unknown.
    """
    try:
        code = check_gemeente(gemeente)
        feedback.exercise(exercise_id)
    except Exception as error:
        return message_view(friendly(error))
    if is_handout():
        return Question(exercise_id, code, trainer=feedback.is_trainer())
    return QuestionBox(exercise_id, code)
