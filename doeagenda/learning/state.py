"""The state of a learning session: trainer mode and handout mode, in one explicit object.

Every switch a lesson can flip lives on a :class:`LearningState`. The functions of
:mod:`doeagenda.learning` read the session's state (:data:`SESSION`) unless a state is
passed in, so a test or a handout builder can work on its own state without touching the
participant's session. This module imports nothing from the package: every other learning
module may depend on it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["SESSION", "LearningState"]

#: Environment variable that switches trainer mode on (``DOEAGENDA_TRAINER=1 make lesson``).
TRAINER_ENV = "DOEAGENDA_TRAINER"


@dataclass
class LearningState:
    """Modes of one learning session.

    Attributes
    ----------
    trainer : bool
        Reveal worked answers (set by :func:`doeagenda.learning.trainer_mode`).
    trainer_forced : bool or None
        When not ``None``, trainer mode is exactly this, whatever :attr:`trainer` or the
        environment say (a participant handout must never show answers).
    handout : bool
        Widget builders return static views (printed handouts).
    """

    trainer: bool = False
    trainer_forced: bool | None = None
    handout: bool = False

    def is_trainer(self) -> bool:
        """Return whether worked answers are shown (also on with ``DOEAGENDA_TRAINER=1``)."""
        if self.trainer_forced is not None:
            return self.trainer_forced
        return self.trainer or os.environ.get(TRAINER_ENV, "") == "1"

    @contextlib.contextmanager
    def forced_trainer(self, on: bool) -> Iterator[None]:
        """Fix trainer mode to ``on`` inside the block, whatever the setting or environment."""
        before = (self.trainer, self.trainer_forced)
        self.trainer_forced = bool(on)
        try:
            yield
        finally:
            self.trainer, self.trainer_forced = before

    @contextlib.contextmanager
    def handout_mode(self) -> Iterator[None]:
        """Make widget builders return static views inside the block."""
        before = self.handout
        self.handout = True
        try:
            yield
        finally:
            self.handout = before


#: The state of the running session (one notebook kernel is one session).
SESSION = LearningState()
