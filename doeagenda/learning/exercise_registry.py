"""Exercises of the learning modules and the registry that holds them.

An :class:`Exercise` is a plain value; a module lists its exercises in an
:class:`ExerciseRegistry` of its own (``EXERCISES``), and
:func:`doeagenda.learning.catalogue.default_registry` joins the four modules' registries.
Nothing registers itself in a shared global on import. This module imports only
:mod:`doeagenda.errors`, so every learning module may depend on it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from doeagenda.errors import ParameterError

__all__ = ["Exercise", "ExerciseRegistry", "answer_hash", "normalise_answer", "whole_number"]

_SALT = "doeagenda-leren"


def normalise_answer(text: str) -> str:
    """Return an answer without case, surrounding spaces, punctuation or double spaces."""
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
    raw = f"{_SALT}:{exercise_id}:{normalise_answer(answer)}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


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


def whole_number(
    id: str,
    question: str,
    compute: Callable[[str], float | str],
    hint: str,
    explanation: str,
    close_hint: str,
    lines: int = 3,
) -> Exercise:
    """Return a number exercise whose answer is a whole number (a rank, a count of pilots).

    Only the exact number is right; one more or one less is "close" and shows ``close_hint``.

    Parameters
    ----------
    id, question, compute, hint, explanation, close_hint, lines
        As in :class:`Exercise`.

    Returns
    -------
    Exercise
    """
    return Exercise(
        id=id,
        kind="number",
        question=question,
        compute=compute,
        abs_tol=0.0,
        rel_tol=0.0,
        close_tol=0.0,
        close_abs_tol=1.0,
        close_hint=close_hint,
        hint=hint,
        explanation=explanation,
        lines=lines,
    )


class ExerciseRegistry:
    """Exercises by id, in the order of module and number.

    Parameters
    ----------
    exercises : iterable of Exercise, optional
        Exercises to start with.
    """

    def __init__(self, exercises: Iterable[Exercise] = ()) -> None:
        self._by_id: dict[str, Exercise] = {}
        for ex in exercises:
            self.add(ex)

    def add(self, ex: Exercise) -> Exercise:
        """Add an exercise and return it.

        Raises
        ------
        ParameterError
            When another exercise already has the same id.
        """
        if ex.id in self._by_id and self._by_id[ex.id] is not ex:
            msg = f"opgave-id {ex.id!r} komt twee keer voor; geef elke opgave een eigen id."
            raise ParameterError(msg)
        self._by_id[ex.id] = ex
        return ex

    def merged(self, *others: ExerciseRegistry) -> ExerciseRegistry:
        """Return a new registry with the exercises of this one and ``others``."""
        return ExerciseRegistry([*self, *(ex for other in others for ex in other)])

    def get(self, exercise_id: str) -> Exercise:
        """Return an exercise by id.

        Raises
        ------
        ParameterError
            For an unknown id (the Dutch message lists the known ids).
        """
        if exercise_id not in self._by_id:
            known = ", ".join(sorted(self._by_id))
            msg = f"Oefening '{exercise_id}' bestaat niet. Bekende oefeningen: {known}."
            raise ParameterError(msg)
        return self._by_id[exercise_id]

    def of_module(self, module: str | None = None) -> list[Exercise]:
        """Return all exercises, or those of one module (``"01"`` .. ``"04"``), in order."""
        found = [ex for ex in self._by_id.values() if module is None or ex.module == module]
        return sorted(found, key=lambda ex: (ex.module, int(ex.id.split(".")[1])))

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._by_id

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self.of_module())

    def __len__(self) -> int:
        return len(self._by_id)
