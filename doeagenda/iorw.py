"""Writing files safely: every write in the package goes through here.

A write is atomic: the content goes to a temporary file in the target folder, is flushed
to disk, and is then renamed over the target, so a reader never sees a half-written file
and an interrupted run leaves either the old file or the new one. (papermill's ``iorw``
module is the model: all I/O in one small module.)
"""

from __future__ import annotations

import contextlib
import errno
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from doeagenda.errors import OutputError

if TYPE_CHECKING:
    import pandas as pd


def atomic_write(path: str | Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, rename).

    Parameters
    ----------
    path : str or Path
        Target file; its folder is created when missing.
    data : bytes or str
        Content; ``str`` is written as UTF-8.

    Returns
    -------
    Path

    Raises
    ------
    OutputError
        When the folder cannot be created or written.
    """
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        msg = f"kan {path} niet schrijven: {_reason(error)}; kies een map waarin u mag schrijven"
        raise OutputError(msg) from None
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return path


#: Dutch for the operating system's reasons a write fails (its own texts are English).
_REASONS = {
    errno.ENOSPC: "geen ruimte meer op de schijf",
    errno.EDQUOT: "schijfquotum overschreden",
    errno.EACCES: "geen toestemming",
    errno.EPERM: "geen toestemming",
    errno.EROFS: "de schijf is alleen-lezen",
    errno.ENOENT: "de map bestaat niet",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EISDIR: "het pad is een map",
    errno.ENAMETOOLONG: "de naam is te lang",
    errno.EEXIST: "een deel van het pad is een bestand, geen map",
}


def _reason(error: OSError) -> str:
    """Why a write failed, in Dutch (the system's own text for a rare error)."""
    return _REASONS.get(error.errno or 0, error.strerror or str(error))


def write_csv(frame: pd.DataFrame, path: str | Path, *, index: bool = True) -> Path:
    """Write a DataFrame as UTF-8 CSV, atomically."""
    return atomic_write(path, frame.to_csv(index=index, lineterminator="\n"))


def create_exclusive(path: str | Path, text: str) -> Path:
    """Create ``path`` with ``text`` only when it does not exist yet (``O_EXCL``).

    This is the one write that must not be a rename: a lock file created by renaming would
    silently replace another process's lock. Raises :class:`FileExistsError` when the file
    exists, so the caller can decide whether the holder is still alive.
    """
    path = Path(path)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    return path


@contextlib.contextmanager
def exclusive_lock(path: str | Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the side file ``path`` (created when missing).

    Processes that compute the same shared result take turns: the second waits here and
    then finds the result the first one wrote with :func:`atomic_write`.
    """
    import fcntl  # POSIX only; imported here so the module still imports on other systems

    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # also releases the lock
