"""Exercises on screen and on paper: the self-check box and the printable question.

Kept apart from :mod:`doeagenda.learning.widgets` because a question needs the exercise
registry, which needs the modules, which need the widgets: this way every import points
one way.
"""

from __future__ import annotations

import html
import logging

import ipywidgets as widgets
from IPython.display import HTML

from doeagenda.learning import feedback
from doeagenda.learning.exercise_registry import Exercise
from doeagenda.learning.lesson import (
    View,
    check_gemeente,
    friendly,
    gemeente_name,
    is_handout,
    message_view,
)

logger = logging.getLogger(__name__)

__all__ = ["Question", "QuestionBox", "question"]


# --- exercises --------------------------------------------------------------------------


def _question_text(ex: Exercise, gemeente: str) -> str:
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
