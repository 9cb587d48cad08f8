"""Run a batch plan: warm-kernel workers, atomic outputs, manifest, resume, Dask.

:func:`prepare_run` validates everything (plan, units, notebook parameters, output folder,
resume id, scheduler) and writes nothing; :meth:`BatchRun.execute` then creates
``<out>/<run_id>/``, runs the jobs on a pool of worker processes (each with one warm
kernel; :mod:`doeagenda.reports.worker`) or on a Dask cluster, and writes every result
atomically as it arrives: the reports, ``manifest.json``, ``run.log`` and ``index.html``.

Faults: a failing notebook only fails its own job (its partial notebook and HTML, with
the error, are kept); a worker that dies fails its current job and is replaced; Ctrl-C
stops the workers and leaves a manifest where every job is ``ok``, ``failed`` or
``skipped``. ``--resume RUN_ID`` runs the jobs of that run that are not ``ok`` (or whose
output files are missing). A new run never reuses an existing folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import multiprocessing as mp
import os
import signal
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

import pandas as pd

from doeagenda import __version__
from doeagenda.errors import OutputError, ParameterError, PlanError
from doeagenda.reports.manifest import (
    INDEX,
    LOCK,
    SCHEMA,
    RunLog,
    atomic_write,
    environment,
    file_sha256,
    input_hashes,
    now_iso,
    read_manifest,
    write_manifest,
)
from doeagenda.reports.overview import STATUS_NL, render_index
from doeagenda.reports.plan import (
    Job,
    LoadedPlan,
    Unit,
    default_plan_path,
    expand_jobs,
    load_plan,
    plan_from_dict,
)

__all__ = [
    "BatchRun",
    "DaskExecutor",
    "LocalExecutor",
    "RunResult",
    "list_jobs",
    "prepare_run",
    "run_batch",
]

logger = logging.getLogger(__name__)

EXECUTORS = ("local", "dask")
_RUN_ID_OK = "abcdefghijklmnopqrstuvwxyz0123456789-_"


# --------------------------------------------------------------------------- results
@dataclass
class RunResult:
    """Outcome of a batch run (like a statsmodels result: summary, frame, chart)."""

    run_id: str
    run_dir: Path
    manifest: dict[str, Any]
    interrupted: bool = False
    executed: int = 0

    @property
    def counts(self) -> dict[str, int]:
        """Number of jobs per status."""
        counts = {"ok": 0, "failed": 0, "skipped": 0}
        for job in self.manifest["jobs"]:
            counts[job["status"]] = counts.get(job["status"], 0) + 1
        return counts

    @property
    def exit_code(self) -> int:
        """0 all ok, 1 a job failed, 130 interrupted."""
        if self.interrupted:
            return 130
        return 1 if any(j["status"] != "ok" for j in self.manifest["jobs"]) else 0

    def to_frame(self) -> pd.DataFrame:
        """One row per job: unit, name, notebook, status, seconds, error."""
        rows = []
        for job in self.manifest["jobs"]:
            err = job.get("error") or {}
            rows.append(
                {
                    "unit": job["unit"],
                    "name": job.get("name", ""),
                    "notebook": Path(job["notebook"]).stem,
                    "status": job["status"],
                    "seconds": job.get("duration"),
                    "error": (
                        f"{err.get('ename', '')}: {err.get('evalue', '')}"
                        if err
                        else job.get("reason", "")
                    ),
                }
            )
        return pd.DataFrame(
            rows, columns=["unit", "name", "notebook", "status", "seconds", "error"]
        )

    def summary(self) -> pd.DataFrame:
        """One row per unit, one column per notebook with the Dutch status."""
        frame = self.to_frame()
        if frame.empty:
            return frame
        frame["status"] = frame["status"].map(lambda s: STATUS_NL.get(s, s))
        table = frame.pivot_table(
            index=["unit", "name"], columns="notebook", values="status", aggfunc="first"
        )
        table.columns.name = None
        order = [Path(nb).stem for nb in self.manifest.get("notebooks") or []]
        columns = [c for c in order if c in table.columns]
        columns += [c for c in table.columns if c not in columns]
        return table[columns].reset_index()

    def chart(self):
        """Bar chart of job durations, coloured by status (altair)."""
        import altair as alt

        frame = self.to_frame().assign(job=lambda d: d["unit"] + " " + d["notebook"])
        frame["status"] = frame["status"].map(lambda s: STATUS_NL.get(s, s))
        return (
            alt.Chart(frame)
            .mark_bar()
            .encode(
                x=alt.X("seconds:Q", title="Duur (s)"),
                y=alt.Y("job:N", title=None, sort="-x"),
                color=alt.Color("status:N", title="Status"),
                tooltip=["unit", "name", "notebook", "status", "seconds", "error"],
            )
            .properties(title=f"Run {self.run_id}")
        )


# --------------------------------------------------------------------------- executors
def _failed_result(payload: dict[str, Any], ename: str, evalue: str) -> dict[str, Any]:
    return {
        "job_id": payload["job_id"],
        "status": "failed",
        "start": None,
        "duration": None,
        "kernel_start": 0.0,
        "error": {"cell_index": None, "execution_count": None, "ename": ename, "evalue": evalue},
        "files": {},
        "worker": None,
        "log": [],
    }


class LocalExecutor:
    """A pool of worker processes on this machine, one warm kernel each.

    Parameters
    ----------
    workers : int
        Number of worker processes (each runs one kernel process).
    """

    def __init__(self, workers: int) -> None:
        self.workers = max(1, int(workers))

    def run(
        self,
        payloads: list[dict[str, Any]],
        on_result: Callable[[dict[str, Any]], None],
        on_start: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        """Run all payloads; call ``on_result`` for each result as it arrives."""
        if not payloads:
            return
        from doeagenda.reports.worker import worker_main

        ctx = mp.get_context("spawn")
        queue = deque(payloads)
        slots: list[dict[str, Any]] = []

        def spawn() -> dict[str, Any]:
            parent, child = ctx.Pipe()
            proc = ctx.Process(
                target=worker_main, args=(child, payloads[0]), name="doeagenda-worker", daemon=True
            )
            proc.start()
            child.close()
            return {"proc": proc, "conn": parent, "job": None}

        def assign(slot: dict[str, Any]) -> None:
            if queue and slot["job"] is None:
                payload = queue.popleft()
                try:
                    slot["conn"].send(payload)
                except (BrokenPipeError, OSError):  # worker gone before the job: new worker
                    queue.appendleft(payload)
                    slot["proc"].join(1)
                    slot.update(spawn())
                    payload = queue.popleft()
                    slot["conn"].send(payload)
                slot["job"] = payload
                if on_start is not None:
                    on_start(payload)

        interrupted = False
        try:
            for _ in range(min(self.workers, len(queue))):
                slots.append(spawn())
            for slot in slots:
                assign(slot)
            while any(slot["job"] is not None for slot in slots):
                busy = [slot for slot in slots if slot["job"] is not None]
                ready = wait([s["conn"] for s in busy] + [s["proc"].sentinel for s in busy])
                for index, slot in enumerate(list(slots)):
                    if slot["job"] is None:
                        continue
                    result = None
                    if slot["conn"] in ready or slot["proc"].sentinel in ready:
                        try:
                            if slot["conn"].poll():
                                result = slot["conn"].recv()
                        except (EOFError, OSError):
                            result = None
                        if result is not None:
                            slot["job"] = None
                            on_result(result)
                            assign(slot)
                            continue
                        if slot["proc"].is_alive():
                            continue
                        payload = slot["job"]
                        slot["proc"].join(1)
                        code = slot["proc"].exitcode
                        logger.warning(
                            "werkproces %s stopte (exitcode %s) tijdens %s",
                            slot["proc"].pid,
                            code,
                            payload["job_id"],
                        )
                        slot["job"] = None
                        slot["conn"].close()
                        on_result(
                            _failed_result(
                                payload,
                                "WorkerDied",
                                f"werkproces {slot['proc'].pid} stopte onverwacht (exitcode {code})",
                            )
                        )
                        if queue:
                            slots[index] = spawn()
                            assign(slots[index])
        except KeyboardInterrupt:
            interrupted = True
            raise
        finally:
            self._stop(slots, graceful=not interrupted)

    @staticmethod
    def _stop(slots: list[dict[str, Any]], graceful: bool) -> None:
        for slot in slots:
            if graceful and slot["proc"].is_alive():
                with contextlib.suppress(OSError, ValueError):
                    slot["conn"].send(None)
            elif slot["proc"].is_alive():
                slot["proc"].terminate()
        deadline = time.monotonic() + 15
        for slot in slots:
            slot["proc"].join(max(0.1, deadline - time.monotonic()))
            if slot["proc"].is_alive():
                slot["proc"].terminate()
                slot["proc"].join(5)
            if slot["proc"].is_alive():
                slot["proc"].kill()
                slot["proc"].join(2)
            with contextlib.suppress(OSError):
                slot["conn"].close()


class DaskExecutor:
    """Run jobs as tasks on a dask.distributed cluster.

    Every Dask worker thread keeps its own warm kernel (the workers need the doeagenda
    package with its data installed; notebooks travel with the tasks, results come back
    as bytes, so no shared disk is needed).

    Parameters
    ----------
    client : distributed.Client
        A connected client.
    """

    def __init__(self, client: Any) -> None:
        self.client = client

    def run(
        self,
        payloads: list[dict[str, Any]],
        on_result: Callable[[dict[str, Any]], None],
        on_start: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        """Submit all payloads; call ``on_result`` as tasks finish."""
        if not payloads:
            return
        from distributed import as_completed

        from doeagenda.reports.worker import run_job

        tag = f"{time.time_ns():x}"
        futures = {}
        for payload in payloads:
            key = f"doeagenda-{payload['job_id'].replace('/', '-')}-{tag}"
            futures[self.client.submit(run_job, payload, key=key, pure=False)] = payload
        try:
            for future in as_completed(list(futures), loop=self.client.loop):
                payload = futures[future]
                try:
                    result = future.result()
                except Exception as error:  # KilledWorker, lost connection
                    result = _failed_result(payload, type(error).__name__, str(error))
                on_result(result)
        except KeyboardInterrupt:
            with contextlib.suppress(Exception):
                self.client.cancel(list(futures))
            raise


# --------------------------------------------------------------------------- preparing
def _check_writable(out_root: Path) -> None:
    existing = out_root.absolute()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        msg = f"uitvoermap {out_root}: {existing} is een bestand, geen map; kies een andere --out"
        raise OutputError(msg)
    if not os.access(existing, os.W_OK | os.X_OK):
        msg = f"uitvoermap {out_root}: geen schrijfrechten in {existing}; kies een andere --out"
        raise OutputError(msg)


def _new_run_id(name: str, out_root: Path) -> str:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    run_id = f"{name}-{stamp}"
    counter = 2
    while (out_root / run_id).exists():
        run_id = f"{name}-{stamp}-{counter}"
        counter += 1
    return run_id


def _kernel_name(notebook_json: str) -> str:
    try:
        return json.loads(notebook_json)["metadata"]["kernelspec"]["name"]
    except (KeyError, TypeError, json.JSONDecodeError):
        return "python3"


def _connect(scheduler: str) -> Any:
    try:
        from distributed import Client
    except ImportError as error:  # pragma: no cover - dask is a dependency
        msg = f"--executor dask vraagt het pakket distributed ({error})"
        raise ParameterError(msg) from None
    try:
        return Client(scheduler, timeout="15s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        msg = f"--scheduler {scheduler}: geen Dask-scheduler bereikbaar ({error}); start er een met 'dask scheduler'"
        raise ParameterError(msg) from None


@dataclass
class BatchRun:
    """A validated run, ready to execute (nothing has been written yet)."""

    loaded: LoadedPlan
    jobs: list[Job]
    todo: list[str]
    run_id: str
    out_root: Path
    executor: str = "local"
    workers: int = 2
    client: Any = None
    previous: dict[str, Any] | None = None
    only: list[str] | None = None
    units: list[Unit] = field(default_factory=list)
    _runlog: RunLog = field(default_factory=RunLog, repr=False)
    _cwd: str | None = field(default=None, repr=False)

    @property
    def run_dir(self) -> Path:
        """``<out>/<run_id>``."""
        return self.out_root / self.run_id

    # -- manifest ---------------------------------------------------------------------
    def _job_entry(self, job: Job) -> dict[str, Any]:
        formats = self.loaded.plan.output.formats
        return {
            "id": job.job_id,
            "unit": job.unit.code,
            "name": job.unit.name,
            "level": job.unit.level,
            "unit_dir": job.unit.slug,
            "notebook": job.notebook,
            "parameters": job.parameters,
            "status": "pending",
            "reason": None,
            "start": None,
            "duration": None,
            "kernel_start": None,
            "attempts": 0,
            "error": None,
            "outputs": {fmt: job.output_path(fmt) for fmt in formats},
            "worker": None,
            "notebook_sha256": None,
        }

    def _new_manifest(self) -> dict[str, Any]:
        plan = self.loaded.plan
        return {
            "schema": SCHEMA,
            "run_id": self.run_id,
            "status": "running",
            "created": now_iso(),
            "updated": None,
            "finished": None,
            "plan_file": str(self.loaded.source.resolve()) if self.loaded.source else None,
            "plan": self.loaded.raw,
            "units_description": plan.units.describe(),
            "only": self.only,
            "notebooks": [spec.path for spec in self.loaded.notebooks],
            "out": str(self.out_root),
            "cwd": os.getcwd(),
            "environment": environment(self.loaded.root),
            "inputs": {"data": input_hashes(), "notebooks": {}},
            "attempts": [],
            "summary": {},
            "jobs": [self._job_entry(job) for job in self.jobs],
        }

    # -- executing --------------------------------------------------------------------
    def execute(self, progress: bool = True) -> RunResult:
        """Run the jobs; see the module docstring.

        Parameters
        ----------
        progress : bool
            Show one tqdm progress bar over the jobs.

        Returns
        -------
        RunResult
        """
        from tqdm.auto import tqdm

        run_dir = self.run_dir
        if self.previous is None:
            self.out_root.mkdir(parents=True, exist_ok=True)
            try:
                run_dir.mkdir()
            except FileExistsError:
                self.run_id = _new_run_id(self.loaded.name, self.out_root)
                run_dir = self.run_dir
                run_dir.mkdir()
            self.jobs = expand_jobs(self.loaded, self.run_id, self.out_root, units=self.units)
            self.todo = [job.job_id for job in self.jobs]
            manifest = self._new_manifest()
            previous_log = ""
        else:
            manifest = self.previous
            previous_log = (
                (run_dir / "run.log").read_text(encoding="utf-8")
                if (run_dir / "run.log").exists()
                else ""
            )
        self._lock(run_dir)

        runlog = RunLog(previous_log)
        self._runlog = runlog

        # kernels work where the run was started, so relative parameters resolve alike
        self._cwd = manifest.get("cwd") if Path(manifest.get("cwd") or "").is_dir() else os.getcwd()
        entries = {entry["id"]: entry for entry in manifest["jobs"]}
        by_id = {job.job_id: job for job in self.jobs}
        todo = [job_id for job_id in self.todo if job_id in entries]
        attempt = {
            "started": now_iso(),
            "finished": None,
            "executor": self.executor,
            "workers": self.workers,
            "jobs": len(todo),
            "status": "running",
        }
        manifest["attempts"].append(attempt)
        manifest["status"] = "running"
        texts: dict[str, str] = {}
        for job_id in todo:
            job = by_id[job_id]
            if job.notebook not in texts:
                texts[job.notebook] = job.notebook_file.read_text(encoding="utf-8")
                manifest["inputs"]["notebooks"][job.notebook] = file_sha256(job.notebook_file)
            entry = entries[job_id]
            entry.update(status="pending", reason=None, error=None)
            entry["notebook_sha256"] = manifest["inputs"]["notebooks"][job.notebook]
            (run_dir / job.unit.slug).mkdir(exist_ok=True)
        features = self._features()
        state = {"last_index": 0.0, "done": 0, "index_every": 2.0}
        lock = threading.Lock()

        def flush(index: bool = False) -> None:
            _summarise(manifest)
            write_manifest(run_dir, manifest)
            runlog.flush_to(run_dir)
            # the index page (with its map) is redrawn at most every few seconds
            if index or time.monotonic() - state["last_index"] > state["index_every"]:
                began = time.monotonic()
                atomic_write(run_dir / INDEX, render_index(manifest, features))
                state["last_index"] = time.monotonic()
                state["index_every"] = max(2.0, 20 * (state["last_index"] - began))

        kind = "hervat" if self.previous is not None else "gestart"
        runlog.add(
            logging.INFO,
            f"run {self.run_id} {kind}: {len(todo)} van {len(entries)} jobs, "
            f"executor {self.executor}, {self.workers} workers",
        )
        flush(index=True)

        bar = tqdm(total=len(todo), desc="Rapporten", unit="job", disable=not progress, leave=True)

        def on_start(payload: dict[str, Any]) -> None:
            with lock:
                entries[payload["job_id"]]["status"] = "running"

        def on_result(result: dict[str, Any]) -> None:
            with lock:
                self._store(run_dir, entries[result["job_id"]], result)
                state["done"] += 1
                bar.update(1)
                failed = sum(1 for e in entries.values() if e["status"] == "failed")
                if failed:
                    bar.set_postfix(mislukt=failed)
                flush()

        interrupted = False
        previous_term = _sigterm_as_interrupt()
        try:
            payloads = [self._payload(by_id[job_id], texts) for job_id in todo]
            executor = (
                DaskExecutor(self.client)
                if self.executor == "dask"
                else LocalExecutor(self.workers)
            )
            executor.run(payloads, on_result, on_start)
        except KeyboardInterrupt:
            interrupted = True
        except BaseException:  # a bug or a disk error: still leave a resumable manifest
            interrupted = True
            raise
        finally:
            previous_handler = _ignore_sigint()
            try:
                bar.close()
                for entry in entries.values():
                    if entry["status"] == "running":
                        entry.update(
                            status="failed",
                            reason="onderbroken tijdens het uitvoeren",
                            error={
                                "cell_index": None,
                                "execution_count": None,
                                "ename": "Onderbroken",
                                "evalue": "de run werd onderbroken (Ctrl-C)",
                            },
                        )
                    elif entry["status"] == "pending":
                        entry.update(
                            status="skipped", reason="niet gestart: de run werd onderbroken"
                        )
                manifest["status"] = "interrupted" if interrupted else "finished"
                attempt["status"] = manifest["status"]
                attempt["finished"] = now_iso()
                manifest["finished"] = attempt["finished"]
                if interrupted:
                    runlog.add(
                        logging.WARNING,
                        f"run {self.run_id} onderbroken; hervat met: "
                        f"doeagenda batch --resume {self.run_id}",
                    )
                else:
                    counts = _summarise(manifest)
                    done = ", ".join(f"{k} {v}" for k, v in counts.items())
                    runlog.add(logging.INFO, f"run {self.run_id} klaar: {done}")
                flush(index=True)
                if self.client is not None and self.executor == "dask":
                    with contextlib.suppress(Exception):
                        self.client.close()
            finally:
                self._unlock(run_dir)
                _restore_sigint(previous_handler)
                _restore_signal(signal.SIGTERM, previous_term)
        return RunResult(
            run_id=self.run_id,
            run_dir=run_dir,
            manifest=manifest,
            interrupted=interrupted,
            executed=state["done"],
        )

    def _payload(self, job: Job, texts: dict[str, str]) -> dict[str, Any]:
        execution = self.loaded.plan.execution
        notebook_json = texts[job.notebook]
        formats = self.loaded.plan.output.formats
        return {
            "job_id": job.job_id,
            "notebook": job.notebook,
            "notebook_json": notebook_json,
            "parameters": job.parameters,
            "kernel": {
                "kernel_name": _kernel_name(notebook_json),
                "cwd": self._cwd or os.getcwd(),
                "preload": list(execution.preload),
                "warmup": list(execution.warmup),
                "memoize": list(execution.memoize),
                "renderer": execution.renderer,
                "startup_timeout": execution.startup_timeout,
            },
            "timeout": execution.timeout,
            "formats": list(formats),
            "outputs": {fmt: job.output_path(fmt) for fmt in formats},
            "unit_label": f"{job.unit.name} ({job.unit.code})",
            "footer": (
                f"{self.loaded.plan.title} · run {self.run_id} · gemaakt met doeagenda "
                f"{__version__} · gegevens: CBS (CC BY 4.0)"
            ),
            "version": __version__,
        }

    def _store(self, run_dir: Path, entry: dict[str, Any], result: dict[str, Any]) -> None:
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
        entry["attempts"] = int(entry.get("attempts") or 0) + 1
        entry["reason"] = None
        note = self._runlog.add
        for line in result.get("log", []):
            note(logging.INFO, f"{entry['id']}: {line}")
        if result["status"] == "ok":
            note(logging.INFO, f"{entry['id']} ok in {result.get('duration') or 0:.1f} s")
        else:
            err = result.get("error") or {}
            where = f" in cel [{err['execution_count']}]" if err.get("execution_count") else ""
            note(
                logging.WARNING,
                f"{entry['id']} mislukt{where}: {err.get('ename')}: {err.get('evalue')}",
            )

    def _features(self) -> list[dict[str, Any]] | None:
        if not self.loaded.plan.output.map:
            return None
        units = self.loaded.plan.units
        try:
            from doeagenda.data import boundaries

            provinces = sorted({u.provincie for u in self.units if u.provincie})
            if units.wijken:
                # wijk boundaries of 2024: the wijken of the plan (one gemeente or a provincie)
                gemeenten = {u.gemeente for u in self.units}
                return [
                    f
                    for provincie in provinces
                    for f in boundaries(level="wijk", provincie=provincie)["features"]
                    if f["properties"].get("gemeente_code") in gemeenten
                ]
            if units.provincie:
                return boundaries(provincie=units.provincie)["features"]
            if units.alle or len(provinces) != 1:
                return boundaries()["features"]
            return boundaries(provincie=provinces[0])["features"]
        except Exception as error:  # a missing map must not stop the reports
            logger.warning("geen kaart op de overzichtspagina: %s", error)
            return None

    def _lock(self, run_dir: Path) -> None:
        path = run_dir / LOCK
        text = f"{socket.gethostname()} {os.getpid()}\n"
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if _lock_is_live(path):
                msg = f"run {self.run_id} wordt al uitgevoerd ({path.read_text().strip()}); wacht tot die klaar is"
                raise OutputError(msg) from None
            path.unlink(missing_ok=True)
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        with os.fdopen(fd, "w") as handle:
            handle.write(text)

    @staticmethod
    def _unlock(run_dir: Path) -> None:
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


def _summarise(manifest: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for job in manifest["jobs"]:
        counts[job["status"]] = counts.get(job["status"], 0) + 1
    manifest["summary"] = counts
    return counts


def _ignore_sigint() -> Any:
    """Ignore Ctrl-C and SIGTERM while the final manifest is written; return the old SIGINT."""
    if threading.current_thread() is not threading.main_thread():
        return None
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    return signal.signal(signal.SIGINT, signal.SIG_IGN)


def _restore_sigint(handler: Any) -> None:
    _restore_signal(signal.SIGINT, handler)


def _restore_signal(signum: int, handler: Any) -> None:
    if handler is not None and threading.current_thread() is threading.main_thread():
        signal.signal(signum, handler)


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _sigterm_as_interrupt() -> Any:
    """Treat SIGTERM (``kill``, a scheduler stopping the job) like Ctrl-C during a run."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _raise_interrupt)


def _parse_only(only: str | list[str] | None) -> list[str] | None:
    if only is None:
        return None
    items = only.split(",") if isinstance(only, str) else list(only)
    items = [i.strip() for i in items if i.strip()]
    if not items:
        msg = "--only is leeg; geef codes als GM0344,GM0307"
        raise PlanError(msg)
    return items


def prepare_run(
    plan: str | Path | None = None,
    *,
    workers: int | None = None,
    only: str | list[str] | None = None,
    resume: str | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    out: str | Path | None = None,
) -> BatchRun:
    """Validate a batch run; writes nothing.

    Parameters
    ----------
    plan : str or Path, optional
        Plan file (default ``params/batch/utrecht.yaml``). With ``resume`` the plan stored
        in the run is used; a plan given as well must be the same file.
    workers : int, optional
        Worker processes (local executor; default: number of CPUs).
    only : str or list of str, optional
        Unit codes to run (``"GM0344,GM0307"``).
    resume : str, optional
        Run id to resume: only its jobs that are not ``ok`` (or lack outputs) run.
    executor : {"local", "dask"}
        Where jobs run.
    scheduler : str, optional
        Dask scheduler address (``tcp://host:8786``) for ``executor="dask"``.
    out : str or Path, optional
        Output root (default: the plan's ``output.dir``, ``outputs``).

    Returns
    -------
    BatchRun

    Raises
    ------
    PlanError, OutputError, ParameterError
        Bad plan, unknown unit or parameter, unwritable output, unknown run id,
        unreachable scheduler.
    """
    if executor not in EXECUTORS:
        msg = f"--executor {executor!r} bestaat niet; kies local of dask"
        raise ParameterError(msg)
    if executor == "dask" and not scheduler:
        msg = "--executor dask vraagt --scheduler tcp://HOST:PORT (adres van de Dask-scheduler)"
        raise ParameterError(msg)
    if workers is not None and workers < 1:
        msg = f"--workers {workers}: geef een getal van 1 of meer"
        raise ParameterError(msg)
    only_codes = _parse_only(only)
    workers = workers or os.cpu_count() or 1

    if resume is not None:
        if not resume or any(ch not in _RUN_ID_OK for ch in resume.lower()):
            msg = f"--resume {resume!r}: geen geldige run-id (de mapnaam onder outputs/)"
            raise OutputError(msg)
        explicit = load_plan(plan) if plan is not None else None
        out_root = (
            Path(out)
            if out is not None
            else Path(explicit.plan.output.dir if explicit else "outputs")
        )
        run_dir = out_root / resume
        previous = read_manifest(run_dir)
        _check_writable(run_dir)
        source = Path(previous["plan_file"]) if previous.get("plan_file") else None
        loaded = plan_from_dict(previous["plan"], source=source)
        if explicit is not None and explicit.raw != loaded.raw:
            msg = f"--resume {resume}: het plan {plan} wijkt af van het plan van die run; laat PLAN weg"
            raise PlanError(msg)
        jobs = []
        units = []
        entries = previous["jobs"]
        for entry in entries:
            unit = Unit(
                code=entry["unit"],
                name=entry.get("name", entry["unit"]),
                level=entry.get("level", "gemeente"),
                gemeente="",
                provincie="",
            )
            if entry["notebook"] not in loaded.notebook_files:
                msg = (
                    f"--resume {resume}: notebook {entry['notebook']} van die run bestaat niet meer"
                )
                raise PlanError(msg)
            if not units or units[-1].code != unit.code:
                units.append(unit)
            jobs.append(
                Job(
                    unit=unit,
                    notebook=entry["notebook"],
                    notebook_file=loaded.notebook_files[entry["notebook"]],
                    parameters=entry["parameters"],
                )
            )
        if only_codes:
            have = {j.unit.code for j in jobs}
            missing = [c for c in only_codes if c not in have]
            if missing:
                msg = f"--only: {', '.join(missing)} hoort niet bij run {resume}"
                raise PlanError(msg)
        todo = []
        for entry in entries:
            if only_codes and entry["unit"] not in only_codes:
                continue
            outputs_present = all(
                (run_dir / p).is_file() for p in entry.get("outputs", {}).values()
            )
            if entry["status"] != "ok" or not outputs_present:
                todo.append(entry["id"])
        batch = BatchRun(
            loaded=loaded,
            jobs=jobs,
            todo=todo,
            run_id=resume,
            out_root=out_root,
            executor=executor,
            workers=workers,
            previous=previous,
            only=only_codes,
            units=units,
        )
    else:
        loaded = load_plan(plan if plan is not None else default_plan_path())
        out_root = Path(out) if out is not None else Path(loaded.plan.output.dir)
        _check_writable(out_root)
        from doeagenda.reports.plan import resolve_units

        units = resolve_units(loaded, only_codes)
        run_id = _new_run_id(loaded.name, out_root)
        jobs = expand_jobs(loaded, run_id, out_root, units=units)
        batch = BatchRun(
            loaded=loaded,
            jobs=jobs,
            todo=[job.job_id for job in jobs],
            run_id=run_id,
            out_root=out_root,
            executor=executor,
            workers=workers,
            only=only_codes,
            units=units,
        )
    if executor == "dask":
        batch.client = _connect(scheduler)
    return batch


def list_jobs(
    plan: str | Path | None = None,
    *,
    only: str | list[str] | None = None,
    out: str | Path | None = None,
) -> list[Job]:
    """The jobs a run of ``plan`` would execute (``{run_id}`` filled with the id it would get)."""
    return prepare_run(plan, only=only, out=out).jobs


def run_batch(
    plan: str | Path | None = None,
    *,
    workers: int | None = None,
    only: str | list[str] | None = None,
    resume: str | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    out: str | Path | None = None,
    progress: bool = True,
) -> RunResult:
    """Validate and execute a batch run (:func:`prepare_run` + :meth:`BatchRun.execute`).

    Returns
    -------
    RunResult
        Per-job statuses; ``exit_code`` is 0 (all ok), 1 (a job failed) or 130 (interrupted).
    """
    batch = prepare_run(
        plan,
        workers=workers,
        only=only,
        resume=resume,
        executor=executor,
        scheduler=scheduler,
        out=out,
    )
    return batch.execute(progress=progress)
