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
import hashlib
import html
import logging
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from doeagenda.charts import nl_format
from doeagenda.errors import DoeagendaError, ParameterError

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
    "register",
    "trainer_mode",
    "worked_answer",
]

#: Gemeente used when none is given (the default of every module's parameters cell).
DEFAULT_GEMEENTE = "GM0344"

Status = Literal["right", "close", "wrong"]
_LABELS = {"right": "Goed!", "close": "Bijna.", "wrong": "Nog niet."}
_COLOURS = {"right": "#009E73", "close": "#E69F00", "wrong": "#D55E00"}

_SALT = "doeagenda-leren"
_TRAINER: dict[str, bool | None] = {"on": False, "force": None}


def _normalise(text: str) -> str:
    text = " ".join(str(text).strip().lower().split())
    return text.strip(" .!?;:'\"")


def answer_hash(exercise_id: str, answer: str) -> str:
    """Return the stored hash of an answer to an exercise.

    Parameters
    ----------
    exercise_id : str
        The exercise, e.g. ``"01.4"``.
    answer : str
        The answer text; case, surrounding spaces and punctuation are ignored.

    Returns
    -------
    str
        Hex SHA-256 digest of ``salt:exercise_id:normalised answer``.
    """
    raw = f"{_SALT}:{exercise_id}:{_normalise(answer)}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


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


@dataclass(frozen=True)
class Exercise:
    """One exercise of a learning module.

    Parameters
    ----------
    id : str
        ``"MM.N"``: module number and exercise number, e.g. ``"01.2"``.
    question : str
        The question in Dutch; ``{naam}`` is replaced by the gemeente's name.
    kind : {"number", "choice", "text"}
        How the answer is compared.
    hint : str
        Shown with a wrong answer.
    explanation : str
        The worked answer for trainers; ``{antwoord}`` is replaced by the answer.
    compute : callable, optional
        ``compute(gemeente) -> float | str``: the answer computed from data.
    options : tuple of str
        The options of a choice question (shown in the notebook, in this order).
    options_from : callable, optional
        ``options_from(gemeente) -> list of str``: options computed from data (e.g. the
        wijken of the gemeente), for a choice question whose answer is computed.
    answer_hashes : tuple of str
        Hashes (:func:`answer_hash`) of the right answer(s) of a choice or text question.
    close_hashes : tuple of str
        Hashes of half-right answers ("close").
    rel_tol, close_tol : float
        Relative tolerance of a numeric answer for "right" and for "close".
    abs_tol : float
        Absolute tolerance for "right" (useful near zero); "close" uses 4x this.
    close_abs_tol : float
        Absolute tolerance for "close" (e.g. 1 for a rank that is one place off).
    close_hint : str
        Shown with a close answer.
    unit : str
        Unit of a numeric answer, shown in the worked answer.
    decimals : int
        Decimals of a numeric answer in the worked answer.
    lines : int
        Writing lines in the printed handout.
    """

    id: str
    question: str
    kind: Literal["number", "choice", "text"]
    hint: str
    explanation: str
    compute: Callable[[str], float | str] | None = None
    options: tuple[str, ...] = ()
    options_from: Callable[[str], list[str]] | None = None
    answer_hashes: tuple[str, ...] = ()
    close_hashes: tuple[str, ...] = ()
    rel_tol: float = 0.02
    close_tol: float = 0.15
    abs_tol: float = 0.0
    close_abs_tol: float = 0.0
    close_hint: str = "Je zit in de buurt. Kijk nog eens precies in de tabel of grafiek."
    unit: str = ""
    decimals: int = 0
    lines: int = 3

    @property
    def module(self) -> str:
        """The module number, e.g. ``"01"``."""
        return self.id.split(".")[0]

    def choices(self, gemeente: str) -> list[str]:
        """Return the options shown for a gemeente (fixed or computed from data)."""
        if self.options_from is not None:
            return list(self.options_from(gemeente))
        return list(self.options)


_REGISTRY: dict[str, Exercise] = {}


def register(ex: Exercise) -> Exercise:
    """Add an exercise to the registry (done by the module definitions on import).

    Parameters
    ----------
    ex : Exercise

    Returns
    -------
    Exercise
        The same exercise.
    """
    _REGISTRY[ex.id] = ex
    return ex


def _load_all() -> None:
    # the module definitions register their exercises when imported
    from doeagenda.learning import modules  # noqa: F401


def exercise(exercise_id: str) -> Exercise:
    """Return a registered exercise.

    Parameters
    ----------
    exercise_id : str
        e.g. ``"02.3"``.

    Returns
    -------
    Exercise

    Raises
    ------
    ParameterError
        For an unknown id (message lists the known ids).
    """
    _load_all()
    if exercise_id not in _REGISTRY:
        known = ", ".join(sorted(_REGISTRY))
        msg = f"Oefening '{exercise_id}' bestaat niet. Bekende oefeningen: {known}."
        raise ParameterError(msg)
    return _REGISTRY[exercise_id]


def exercises(module: str | None = None) -> list[Exercise]:
    """Return all exercises, or those of one module (``"01"`` .. ``"04"``), in order.

    Parameters
    ----------
    module : str, optional

    Returns
    -------
    list of Exercise
    """
    _load_all()
    found = [ex for ex in _REGISTRY.values() if module is None or ex.module == module]
    return sorted(found, key=lambda ex: (ex.module, int(ex.id.split(".")[1])))


def trainer_mode(on: bool = True) -> bool:
    """Switch trainer mode on (or off): self-checks then also show the worked answer.

    Trainer mode is also on when the environment variable ``DOEAGENDA_TRAINER`` is ``1``
    (e.g. ``DOEAGENDA_TRAINER=1 make lesson``).

    Parameters
    ----------
    on : bool
        ``True`` to reveal worked answers, ``False`` to hide them.

    Returns
    -------
    bool
        Whether trainer mode is now on.
    """
    _TRAINER["on"] = bool(on)
    logger.debug("trainer mode %s", "on" if on else "off")
    return is_trainer()


def is_trainer() -> bool:
    """Return whether trainer mode is on (by :func:`trainer_mode` or ``DOEAGENDA_TRAINER=1``)."""
    if _TRAINER["force"] is not None:
        return bool(_TRAINER["force"])
    return bool(_TRAINER["on"]) or os.environ.get("DOEAGENDA_TRAINER", "") == "1"


@contextlib.contextmanager
def forced_trainer(on: bool) -> Iterator[None]:
    """Fix trainer mode to ``on`` inside the block, whatever the setting or environment.

    Used by the handout builder: a participant handout must never show answers, even when
    ``DOEAGENDA_TRAINER=1`` is set or a notebook cell switched trainer mode on.
    """
    before = dict(_TRAINER)
    _TRAINER["force"] = bool(on)
    try:
        yield
    finally:
        _TRAINER.update(before)


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


def _gemeente_name(gemeente: str) -> str:
    from doeagenda.learning.lesson import gemeente_name

    return gemeente_name(gemeente)


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


def correct_answer(exercise_id: str, gemeente: str | None = None) -> float | str | None:
    """Return the right answer of an exercise for a gemeente (for tests and trainers).

    Parameters
    ----------
    exercise_id : str
    gemeente : str, optional
        Gemeente code; default :data:`DEFAULT_GEMEENTE`.

    Returns
    -------
    float, str or None
        The computed value, the right option, or ``None`` for a hashed free-text answer.
    """
    ex = exercise(exercise_id)
    if ex.compute is not None:
        return ex.compute(gemeente or DEFAULT_GEMEENTE)
    return _right_option(ex)


def worked_answer(exercise_id: str, gemeente: str | None = None) -> str:
    """Return the worked answer (for trainers) of an exercise for a gemeente.

    Parameters
    ----------
    exercise_id : str
    gemeente : str, optional
        Gemeente code; default :data:`DEFAULT_GEMEENTE`.

    Returns
    -------
    str
        Dutch text with the answer and why.
    """
    ex = exercise(exercise_id)
    value = correct_answer(exercise_id, gemeente)
    shown = "" if value is None else _format_answer(ex, value)
    naam = _gemeente_name(gemeente or DEFAULT_GEMEENTE)
    return ex.explanation.format(antwoord=shown, naam=naam)


def _choice_key(ex: Exercise, answer: object, gemeente: str) -> str:
    text = str(answer).strip()
    letters = "abcdefgh"
    key = _normalise(text).rstrip(")")
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
    return _normalise(a) == _normalise(b)


def check(exercise_id: str, answer: object, gemeente: str | None = None) -> Feedback:
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

    Returns
    -------
    Feedback
        ``status`` is ``"right"``, ``"close"`` or ``"wrong"``; in trainer mode
        ``worked`` holds the worked answer.
    """
    gemeente = gemeente or DEFAULT_GEMEENTE
    try:
        ex = exercise(exercise_id)
    except DoeagendaError as error:
        return Feedback(exercise_id, "wrong", str(error))
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return Feedback(exercise_id, "wrong", "Je hebt nog geen antwoord ingevuld.")
    try:
        status, message = _judge(ex, answer, gemeente)
        worked = worked_answer(exercise_id, gemeente) if is_trainer() else None
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
