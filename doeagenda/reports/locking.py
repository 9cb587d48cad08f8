"""Locking a run folder and turning signals into a clean stop.

A ``.lock`` file (host and pid) keeps two processes from working on one run; a lock whose
process is gone is taken over. SIGTERM is treated like Ctrl-C during a run, and both are
ignored while the final manifest is written, so an interrupted run stays resumable.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
from pathlib import Path
from typing import Any

from doeagenda.errors import OutputError
from doeagenda.iorw import create_exclusive
from doeagenda.reports.manifest import LOCK

__all__ = [
    "ignore_signals",
    "lock_run",
    "restore_sigint",
    "restore_signal",
    "sigterm_as_interrupt",
    "unlock_run",
]


def lock_run(run_dir: Path, run_id: str) -> None:
    """Create ``run_dir/.lock``; refuse when a live process holds it."""
    path = run_dir / LOCK
    text = f"{socket.gethostname()} {os.getpid()}\n"
    try:
        create_exclusive(path, text)
    except FileExistsError:
        if _lock_is_live(path):
            msg = f"run {run_id} wordt al uitgevoerd ({path.read_text().strip()}); wacht tot die klaar is"
            raise OutputError(msg) from None
        path.unlink(missing_ok=True)
        create_exclusive(path, text)


def unlock_run(run_dir: Path) -> None:
    """Remove the lock (never raises)."""
    with contextlib.suppress(OSError):
        (run_dir / LOCK).unlink()


def _lock_is_live(path: Path) -> bool:
    try:
        host, pid = path.read_text().split()
    except (OSError, ValueError):
        return False
    if host != socket.gethostname():
        return True
    try:
        os.kill(int(pid), 0)
    except (OSError, ValueError):
        return False
    return True


def ignore_signals() -> Any:
    """Ignore Ctrl-C and SIGTERM while the final manifest is written; return the old SIGINT."""
    if threading.current_thread() is not threading.main_thread():
        return None
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    return signal.signal(signal.SIGINT, signal.SIG_IGN)


def restore_sigint(handler: Any) -> None:
    restore_signal(signal.SIGINT, handler)


def restore_signal(signum: int, handler: Any) -> None:
    if handler is not None and threading.current_thread() is threading.main_thread():
        signal.signal(signum, handler)


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def sigterm_as_interrupt() -> Any:
    """Treat SIGTERM (``kill``, a scheduler stopping the job) like Ctrl-C during a run."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _raise_interrupt)
