"""The exercises of the four learning modules, joined into one registry.

Each module keeps its own ``EXERCISES`` registry; this module is the one place that joins
them, so importing a module changes no shared state.
"""

from __future__ import annotations

import functools

from doeagenda.learning.exercise_registry import ExerciseRegistry
from doeagenda.learning.modules import eigen_index, gemeente, levert_op, werkt_het

__all__ = ["default_registry"]


@functools.cache
def default_registry() -> ExerciseRegistry:
    """Return the registry with the exercises of modules 01 to 04.

    Returns
    -------
    ExerciseRegistry
    """
    return gemeente.EXERCISES.merged(
        eigen_index.EXERCISES, werkt_het.EXERCISES, levert_op.EXERCISES
    )
