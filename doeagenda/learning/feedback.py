"""Exercises, self-checks and trainer mode for the learning modules.

An exercise never carries its answer in the notebook: a notebook only names the exercise
(``check("01.1", antwoord, gemeente)``). The answer lives here, either

* **computed from data** (a function of the gemeente, e.g. its number of inhabitants from
  :func:`doeagenda.data.population`), so it is right for every gemeente, or
* **stored hashed** (SHA-256 of the normalised answer), for conceptual multiple-choice
  questions; trainer mode recovers the right option by hashing each option.

:func:`check` compares a participant's answer and returns a :class:`Feedback` with one of
three statuses: ``"right"``, ``"close"`` (a numeric answer within a wider tolerance, or a
half-right option) or ``"wrong"`` (with a hint). Messages are Dutch (B1).
"""

from __future__ import annotations

import contextlib
import html
import logging
import re
from dataclasses import dataclass, field
from typing import Literal

from doeagenda.charts import nl_format
from doeagenda.errors import DoeagendaError, ParameterError
from doeagenda.learning.catalogue import default_registry
from doeagenda.learning.exercise_registry import (
    Exercise,
    ExerciseRegistry,
    answer_hash,
    normalise_answer,
)
from doeagenda.learning.lesson import gemeente_name, switch_mode
from doeagenda.learning.state import SESSION, LearningState

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_GEMEENTE",
    "Exercise",
    "Feedback",
    "answer_hash",
    "check",
    "exercise",
    "exercises",
    "forced_trainer",
    "is_trainer",
    "parse_number",
    "trainer_mode",
    "worked_answer",
]

#: Gemeente used when none is given (the default of every module's parameters cell).
DEFAULT_GEMEENTE = "GM0344"

Status = Literal["right", "close", "wrong"]
_LABELS = {"right": "Goed!", "close": "Bijna.", "wrong": "Nog niet."}
_COLOURS = {"right": "#009E73", "close": "#E69F00", "wrong": "#D55E00"}


_NUMBER = re.compile(r"^[-+]?[0-9.,]+$")


def parse_number(answer: object) -> float:
    """Read a number the way a Dutch participant may type it.

    Accepts ``12345``, ``12.345`` (thousands dot), ``12,5`` (decimal comma),
    ``12.345,6``, ``1,234.5``, ``45%``, ``€ 1,20``, ``2,5x`` and ``1 : 2,5`` (a ratio).

    Parameters
    ----------
    answer : object
        A number or a text.

    Returns
    -------
    float

    Raises
    ------
    ParameterError
        When the text holds no readable number (message in Dutch).
    """
    if isinstance(answer, bool):
        msg = "Vul een getal in, geen ja/nee."
        raise ParameterError(msg)
    if isinstance(answer, int | float):
        return float(answer)
    text = str(answer).strip().lower()
    text = re.sub(r"^1\s*:\s*", "", text)  # "1 : 2,5" is a ratio of 2,5
    text = text.replace("€", "").replace("%", "").replace("x", "").replace(" ", "")
    text = text.replace("\u2212", "-")
    if not text or not _NUMBER.match(text):
        msg = f"'{answer}' lees ik niet als getal. Schrijf bijvoorbeeld 1234 of 12,5."
        raise ParameterError(msg)
    sign = -1.0 if text.startswith("-") else 1.0
    text = text.lstrip("+-")
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):  # 12.345,6
            text = text.replace(".", "").replace(",", ".")
        else:  # 12,345.6
            text = text.replace(",", "")
    elif "," in text:
        parts = text.split(",")
        text = text.replace(",", ".") if len(parts) == 2 else text.replace(",", "")
    elif text.count(".") > 1 or (text.count(".") == 1 and len(text.split(".")[1]) == 3):
        # 12.345 or 1.234.567: Dutch thousands dots
        text = text.replace(".", "")
    try:
        return sign * float(text)
    except ValueError:
        msg = f"'{answer}' lees ik niet als getal. Schrijf bijvoorbeeld 1234 of 12,5."
        raise ParameterError(msg) from None


def _registry(registry: ExerciseRegistry | None) -> ExerciseRegistry:
    if registry is not None:
        return registry
    return default_registry()


def exercise(exercise_id: str, registry: ExerciseRegistry | None = None) -> Exercise:
    """Return an exercise by id.

    Parameters
    ----------
    exercise_id : str
        e.g. ``"02.3"``.
    registry : ExerciseRegistry, optional
        Where to look; default the exercises of the four modules
        (:func:`~doeagenda.learning.catalogue.default_registry`).

    Returns
    -------
    Exercise

    Raises
    ------
    ParameterError
        For an unknown id (message lists the known ids).
    """
    return _registry(registry).get(exercise_id)


def exercises(
    module: str | None = None, registry: ExerciseRegistry | None = None
) -> list[Exercise]:
    """Return all exercises, or those of one module (``"01"`` .. ``"04"``), in order.

    Parameters
    ----------
    module : str, optional
    registry : ExerciseRegistry, optional
        Default the exercises of the four modules.

    Returns
    -------
    list of Exercise
    """
    return _registry(registry).of_module(module)


def trainer_mode(on: bool = True, state: LearningState | None = None) -> bool:
    """Switch trainer mode on (or off): self-checks then also show the worked answer.

    Trainer mode is also on when the environment variable ``DOEAGENDA_TRAINER`` is ``1``
    (e.g. ``DOEAGENDA_TRAINER=1 make lesson``).

    Parameters
    ----------
    on : bool
        ``True`` to reveal worked answers, ``False`` to hide them.
    state : LearningState, optional
        The session to switch; default :data:`doeagenda.learning.state.SESSION`.

    Returns
    -------
    bool
        Whether trainer mode is now on.
    """
    state = switch_mode("trainer", on, state)
    logger.debug("trainer mode %s", "on" if on else "off")
    return state.is_trainer()


def is_trainer(state: LearningState | None = None) -> bool:
    """Return whether trainer mode is on (by :func:`trainer_mode` or ``DOEAGENDA_TRAINER=1``)."""
    return (state or SESSION).is_trainer()


def forced_trainer(
    on: bool, state: LearningState | None = None
) -> contextlib.AbstractContextManager[None]:
    """Fix trainer mode to ``on`` inside a ``with`` block, whatever the setting or environment.

    Used by the handout builder: a participant handout must never show answers, even when
    ``DOEAGENDA_TRAINER=1`` is set or a notebook cell switched trainer mode on.
    """
    return (state or SESSION).forced_trainer(on)


@dataclass
class Feedback:
    """Feedback on one answer.

    Attributes
    ----------
    exercise_id : str
    status : {"right", "close", "wrong"}
    message : str
        Dutch feedback (with the hint when not right).
    worked : str or None
        The worked answer, only filled in trainer mode.
    """

    exercise_id: str
    status: Status
    message: str
    worked: str | None = field(default=None)

    @property
    def correct(self) -> bool:
        """Whether the answer is right."""
        return self.status == "right"

    def __str__(self) -> str:
        text = f"{_LABELS[self.status]} {self.message}"
        if self.worked:
            text += f"\nUitwerking: {self.worked}"
        return text

    def _repr_html_(self) -> str:
        colour = _COLOURS[self.status]
        body = (
            f'<div class="doeagenda-feedback" data-status="{self.status}" '
            f'style="border-left:4px solid {colour};padding:4px 10px;margin:4px 0">'
            f"<b>{_LABELS[self.status]}</b> {html.escape(self.message)}"
        )
        if self.worked:
            body += f"<br><i>Uitwerking (trainer):</i> {html.escape(self.worked)}"
        return body + "</div>"


def _right_option(ex: Exercise) -> str | None:
    for option in ex.options:
        if answer_hash(ex.id, option) in ex.answer_hashes:
            return option
    return None


def _format_answer(ex: Exercise, value: float | str) -> str:
    if isinstance(value, str):
        return value
    text = nl_format(value, ex.decimals)
    if ex.unit == "%":
        return f"{text}%"
    return f"{text} {ex.unit}".strip()


def correct_answer(
    exercise_id: str, gemeente: str | None = None, registry: ExerciseRegistry | None = None
) -> float | str | None:
    """Return the right answer of an exercise for a gemeente (for tests and trainers).

    Parameters
    ----------
    exercise_id : str
    gemeente : str, optional
        Gemeente code; default :data:`DEFAULT_GEMEENTE`.
    registry : ExerciseRegistry, optional
        Default the exercises of the four modules.

    Returns
    -------
    float, str or None
        The computed value, the right option, or ``None`` for a hashed free-text answer.
    """
    ex = exercise(exercise_id, registry)
    if ex.compute is not None:
        return ex.compute(gemeente or DEFAULT_GEMEENTE)
    return _right_option(ex)


def worked_answer(
    exercise_id: str, gemeente: str | None = None, registry: ExerciseRegistry | None = None
) -> str:
    """Return the worked answer (for trainers) of an exercise for a gemeente.

    Parameters
    ----------
    exercise_id, gemeente, registry
        As in :func:`correct_answer`.

    Returns
    -------
    str
        Dutch text with the answer and why.
    """
    ex = exercise(exercise_id, registry)
    value = correct_answer(exercise_id, gemeente, registry)
    shown = "" if value is None else _format_answer(ex, value)
    naam = gemeente_name(gemeente or DEFAULT_GEMEENTE)
    return ex.explanation.format(antwoord=shown, naam=naam)


def _choice_key(ex: Exercise, answer: object, gemeente: str) -> str:
    text = str(answer).strip()
    letters = "abcdefgh"
    key = normalise_answer(text).rstrip(")")
    options = ex.choices(gemeente)
    if options and len(key) == 1 and key in letters[: len(options)]:
        return options[letters.index(key)]
    return text


def _compare_number(ex: Exercise, given: float, truth: float) -> Status:
    diff = abs(given - truth)
    scale = abs(truth)
    if diff <= max(ex.rel_tol * scale, ex.abs_tol):
        return "right"
    if diff <= max(ex.close_tol * scale, 4 * ex.abs_tol, ex.close_abs_tol):
        return "close"
    return "wrong"


def _compare_text(a: str, b: str) -> bool:
    return normalise_answer(a) == normalise_answer(b)


def check(
    exercise_id: str,
    answer: object,
    gemeente: str | None = None,
    *,
    registry: ExerciseRegistry | None = None,
    state: LearningState | None = None,
) -> Feedback:
    """Check an answer to an exercise and return Dutch feedback.

    Never raises for bad input: an unknown exercise, an empty or unreadable answer or an
    unknown gemeente give a ``"wrong"`` feedback with a friendly message.

    Parameters
    ----------
    exercise_id : str
        e.g. ``"01.1"``.
    answer : object
        What the participant answered (a number, a text, or an option letter ``"b"``).
    gemeente : str, optional
        The gemeente the module is about; default :data:`DEFAULT_GEMEENTE`.
    registry : ExerciseRegistry, optional
        Default the exercises of the four modules.
    state : LearningState, optional
        Whose trainer mode decides about the worked answer; default the session's.

    Returns
    -------
    Feedback
        ``status`` is ``"right"``, ``"close"`` or ``"wrong"``; in trainer mode
        ``worked`` holds the worked answer.
    """
    gemeente = gemeente or DEFAULT_GEMEENTE
    try:
        ex = exercise(exercise_id, registry)
    except DoeagendaError as error:
        return Feedback(exercise_id, "wrong", str(error))
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return Feedback(exercise_id, "wrong", "Je hebt nog geen antwoord ingevuld.")
    try:
        status, message = _judge(ex, answer, gemeente)
        worked = worked_answer(exercise_id, gemeente, registry) if is_trainer(state) else None
    except DoeagendaError as error:
        return Feedback(exercise_id, "wrong", str(error))
    return Feedback(exercise_id, status, message, worked)


def _judge(ex: Exercise, answer: object, gemeente: str) -> tuple[Status, str]:
    if ex.kind == "number":
        given = parse_number(answer)
        truth = ex.compute(gemeente) if ex.compute else None
        if truth is None or isinstance(truth, str):
            msg = f"Oefening {ex.id} heeft geen getal als antwoord."
            raise ParameterError(msg)
        status = _compare_number(ex, given, float(truth))
    else:
        given_text = _choice_key(ex, answer, gemeente) if ex.kind == "choice" else str(answer)
        if ex.compute is not None:
            status = "right" if _compare_text(given_text, str(ex.compute(gemeente))) else "wrong"
        else:
            digest = answer_hash(ex.id, given_text)
            if digest in ex.answer_hashes:
                status = "right"
            elif digest in ex.close_hashes:
                status = "close"
            else:
                status = "wrong"
    if status == "right":
        return status, "Dat klopt."
    if status == "close":
        return status, ex.close_hint
    return status, f"Tip: {ex.hint}"
