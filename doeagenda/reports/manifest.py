"""Run folders, the manifest and atomic writes.

Every file of a run is written to a temporary name in the same folder and renamed into
place (:func:`atomic_write`), so a reader (a browser, ``--resume``, a colleague copying the
folder) never sees half a file. ``manifest.json`` is rewritten after every finished job:
at any moment it lists every planned job with status ``pending``/``running`` (only while
the run is going or after a hard kill), ``ok``, ``failed`` or ``skipped``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import platform
import socket
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from doeagenda.errors import OutputError
from doeagenda.iorw import atomic_write

__all__ = [
    "FINAL_STATUSES",
    "RunLog",
    "atomic_write",
    "environment",
    "file_sha256",
    "input_hashes",
    "read_manifest",
    "store_result",
    "summarise",
    "timing_text",
    "write_manifest",
]

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"
RUN_LOG = "run.log"
INDEX = "index.html"
LOCK = ".lock"
SCHEMA = 1
FINAL_STATUSES = ("ok", "failed", "skipped")

_PACKAGES = (
    "doeagenda", "papermill", "nbclient", "nbconvert", "nbformat", "jupyter_client",
    "ipykernel", "pandas", "numpy", "altair", "vl-convert-python", "pydantic", "dask",
    "distributed",
)  # fmt: skip


def now_iso() -> str:
    """Current UTC time, ISO 8601 with seconds."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def write_manifest(run_dir: Path, manifest: dict[str, Any]) -> None:
    """Write ``manifest.json`` atomically (with an updated ``updated`` stamp)."""
    manifest["updated"] = now_iso()
    text = json.dumps(manifest, indent=1, ensure_ascii=False, default=str)
    atomic_write(run_dir / MANIFEST, text + "\n")


def read_manifest(run_dir: Path) -> dict[str, Any]:
    """Read the manifest of an earlier run.

    Raises
    ------
    OutputError
        No run there, or the manifest is unreadable.
    """
    path = run_dir / MANIFEST
    if not path.is_file():
        known = sorted(p.parent.name for p in run_dir.parent.glob(f"*/{MANIFEST}"))
        msg = (
            f"run {run_dir.name!r} bestaat niet in {run_dir.parent} (geen {MANIFEST}); "
            f"bestaande runs: {', '.join(known[-5:]) or 'geen'}"
        )
        raise OutputError(msg)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        msg = f"{path}: manifest is onleesbaar ({error}); deze run kan niet worden hervat"
        raise OutputError(msg) from None
    if manifest.get("schema") != SCHEMA or "jobs" not in manifest:
        msg = f"{path}: geen doeagenda-manifest (schema {manifest.get('schema')!r})"
        raise OutputError(msg)
    return manifest


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_hashes() -> dict[str, Any]:
    """SHA-256 of every shipped data file (``doeagenda/data``, not code) and a total."""
    import doeagenda.data

    base = Path(doeagenda.data.__file__).parent
    files = {}
    for path in sorted(base.rglob("*")):
        if (
            path.is_file()
            and path.suffix not in {".py", ".pyc"}
            and "__pycache__" not in path.parts
        ):
            files[path.relative_to(base.parent.parent).as_posix()] = file_sha256(path)
    total = hashlib.sha256("".join(f"{k}={v}\n" for k, v in files.items()).encode()).hexdigest()
    return {"sha256": total, "files": files}


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()


def environment(root: Path) -> dict[str, Any]:
    """Python, platform, package versions and git commit of the project at ``root``."""
    versions: dict[str, str | None] = {}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    status = _git(root, "status", "--porcelain", "--untracked-files=no")
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "host": socket.gethostname(),
        "packages": versions,
        "git_commit": _git(root, "rev-parse", "HEAD"),
        "git_dirty": bool(status) if status is not None else None,
    }


class RunLog:
    """Lines of ``run.log``, kept in memory; :meth:`flush_to` rewrites the file atomically.

    Parameters
    ----------
    previous : str
        Text of an earlier ``run.log`` (when resuming) to keep at the top.
    """

    def __init__(self, previous: str = "") -> None:
        self.lines: list[str] = [previous.rstrip("\n")] if previous.strip() else []

    def add(self, level: int, message: str) -> None:
        """Append one line, also passed on to the ``doeagenda.reports`` logger."""
        stamp = dt.datetime.now().strftime("%Y-%m-%dT%H:%M:%S")
        self.lines.append(f"{stamp} {logging.getLevelName(level)} {message}")
        logger.log(level, message)

    def flush_to(self, run_dir: Path) -> None:
        """Write all lines so far to ``run_dir/run.log``."""
        atomic_write(run_dir / RUN_LOG, "\n".join(self.lines) + "\n")


def timing_text(timings: dict[str, float]) -> str:
    """`` (wachtrij 0.4 s, kernel 0.0 s, uitvoeren 5.2 s, export 0.6 s)`` for run.log."""
    names = (("queue", "wachtrij"), ("kernel", "kernel"), ("execute", "uitvoeren"),
             ("export", "export"))  # fmt: skip
    parts = [f"{dutch} {timings[key]:.1f} s" for key, dutch in names if key in timings]
    return f" ({', '.join(parts)})" if parts else ""


def summarise(manifest: dict[str, Any]) -> dict[str, int]:
    """Count the jobs per status into ``manifest["summary"]`` and return the counts."""
    counts: dict[str, int] = {}
    for job in manifest["jobs"]:
        counts[job["status"]] = counts.get(job["status"], 0) + 1
    manifest["summary"] = counts
    return counts


def store_result(
    run_dir: Path,
    entry: dict[str, Any],
    result: dict[str, Any],
    runlog: RunLog,
    queued_at: float | None = None,
) -> None:
    """Write a job's files atomically and record its result in its manifest entry and the log.

    ``queued_at`` (epoch seconds) is when the job was queued: the wait until a worker
    started it is recorded as ``timings.queue``.
    """
    for fmt, data in result.get("files", {}).items():
        target = run_dir / entry["outputs"].get(
            fmt, f"{entry['unit_dir']}/{Path(entry['notebook']).stem}.{fmt}"
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, data)
    entry["status"] = result["status"]
    entry["start"] = result.get("start")
    entry["duration"] = result.get("duration")
    entry["kernel_start"] = result.get("kernel_start")
    entry["worker"] = result.get("worker")
    entry["error"] = result.get("error")
    # a task Dask ran again after losing its worker counts once per start
    lost = int(result.get("lost_attempts") or 0)
    entry["attempts"] = int(entry.get("attempts") or 0) + 1 + lost
    entry["reason"] = None
    timings = dict(result.get("timings") or {})
    if queued_at is not None and result.get("started_at"):
        # a Dask worker's clock may differ slightly from ours: never a negative wait
        timings["queue"] = round(max(0.0, result["started_at"] - queued_at), 3)
    entry["timings"] = timings or None
    note = runlog.add
    if lost:
        note(
            logging.WARNING,
            f"{entry['id']}: Dask-worker verloren terwijl deze job daar liep of klaarstond; "
            f"{lost} keer opnieuw ingepland op een andere worker",
        )
    for line in result.get("log", []):
        note(logging.INFO, f"{entry['id']}: {line}")
    if result["status"] == "ok":
        note(
            logging.INFO,
            f"{entry['id']} ok in {result.get('duration') or 0:.1f} s{timing_text(timings)}",
        )
    else:
        err = result.get("error") or {}
        where = f" in cel [{err['execution_count']}]" if err.get("execution_count") else ""
        note(
            logging.WARNING,
            f"{entry['id']} mislukt{where}: {err.get('ename')}: {err.get('evalue')}"
            f"{timing_text(timings)}",
        )
