"""Execute a prepared batch run (:class:`BatchRun`): workers, atomic outputs, manifest.

:func:`doeagenda.reports.runner.prepare_run` validates a run and returns a
:class:`BatchRun`; :meth:`BatchRun.execute` creates ``<out>/<run_id>/``, runs the jobs on a
pool of worker processes (each with one warm kernel; :mod:`doeagenda.reports.worker`) or
on a Dask cluster, and writes every result atomically as it arrives: the reports,
``manifest.json``, ``run.log`` and ``index.html``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from doeagenda import __version__
from doeagenda.reports.executors import DaskExecutor, JobExecutor, LocalExecutor
from doeagenda.reports.locking import (
    ignore_signals,
    lock_run,
    restore_sigint,
    restore_signal,
    sigterm_as_interrupt,
    unlock_run,
)
from doeagenda.reports.manifest import (
    INDEX,
    SCHEMA,
    RunLog,
    atomic_write,
    environment,
    file_sha256,
    input_hashes,
    now_iso,
    store_result,
    summarise,
    write_manifest,
)
from doeagenda.reports.overview import render_index
from doeagenda.reports.plan import (
    Job,
    LoadedPlan,
    Unit,
    expand_jobs,
)
from doeagenda.reports.result import RunResult

logger = logging.getLogger(__name__)

SHARED = ".shared"  # folder under the run with results computed once per run


# --------------------------------------------------------------------------- running
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


def _kernel_spec(loaded: LoadedPlan, notebook_json: str, cwd: str) -> dict[str, Any]:
    """The kernel part of a job payload (equal specs share one warm kernel)."""
    execution = loaded.plan.execution
    return {
        "kernel_name": _kernel_name(notebook_json),
        "cwd": cwd,
        "preload": list(execution.preload),
        "warmup": list(execution.warmup),
        "memoize": list(execution.memoize),
        "shared": list(execution.shared),
        "renderer": execution.renderer,
        "startup_timeout": execution.startup_timeout,
    }


def _start_pool(loaded: LoadedPlan, workers: int, only: list[str] | None) -> LocalExecutor:
    """Start the local workers before the rest of the validation (their kernels warm up)."""
    first = next(iter(loaded.notebook_files.values()), None)
    notebook_json = first.read_text(encoding="utf-8") if first is not None else "{}"
    jobs = len(only) * len(loaded.notebook_files) if only else None
    pool = LocalExecutor(workers)
    pool.start({"kernel": _kernel_spec(loaded, notebook_json, os.getcwd())}, jobs=jobs)
    return pool


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
    pool: LocalExecutor | None = field(default=None, repr=False)
    _runlog: RunLog = field(default_factory=RunLog, repr=False)
    _cwd: str | None = field(default=None, repr=False)

    @property
    def run_dir(self) -> Path:
        """``<out>/<run_id>``."""
        return self.out_root / self.run_id

    # -- manifest ---------------------------------------------------------------------
    def close(self) -> None:
        """Stop workers started early when the run is not executed (never raises)."""
        if self.pool is not None:
            self.pool.close()
            self.pool = None
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.close()

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
            "timings": None,
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
        """Run the jobs; see the module docstring and :mod:`doeagenda.reports.runner`.

        Parameters
        ----------
        progress : bool
            Show one tqdm progress bar over the jobs, with how many are running and how
            many failed; ``False`` for a quiet run (manifest and run log are written anyway).

        Returns
        -------
        RunResult
            Per-job statuses; ``exit_code`` is 0 (all ok), 1 (a job failed) or 130
            (interrupted).
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
        try:
            lock_run(run_dir, self.run_id)
        except BaseException:
            self.close()
            raise

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
        # province-wide results the kernels compute once and share (see _kernelside.share)
        (run_dir / SHARED).mkdir(exist_ok=True)
        state: dict[str, Any] = {"last_index": 0.0, "done": 0, "index_every": 2.0}
        state["features"] = None
        lock = threading.Lock()

        def flush(index: bool = False) -> None:
            summarise(manifest)
            write_manifest(run_dir, manifest)
            runlog.flush_to(run_dir)
            # The overview's map and figures per gemeente (index with its Monte Carlo,
            # initiatives) cost seconds of CPU in this process; on 2 cores that delayed the
            # first report while the kernels start. So the first page is a bare status
            # board, and they start once the first job has come back (or the run ends).
            full = state["done"] > 0 or manifest["status"] != "running"
            if full and "figures" not in state:
                state["figures"] = True
                state["features"] = self._features()
            # the index page (with its map) is redrawn at most every few seconds
            if index or time.monotonic() - state["last_index"] > state["index_every"]:
                began = time.monotonic()
                page = render_index(manifest, state["features"], figures=True if full else None)
                atomic_write(run_dir / INDEX, page)
                state["last_index"] = time.monotonic()
                state["index_every"] = max(2.0, 20 * (state["last_index"] - began))

        kind = "hervat" if self.previous is not None else "gestart"
        runlog.add(
            logging.INFO,
            f"run {self.run_id} {kind}: {len(todo)} van {len(entries)} jobs, "
            f"executor {self.executor}, {self.workers} workers",
        )
        flush(index=True)

        bar = tqdm(
            total=len(todo),
            desc="Rapporten",
            unit="job",
            disable=not progress,
            leave=True,
            # done / total, then running and failed, and tqdm's estimate of the time left
            bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} klaar "
            "[{elapsed}, nog ~{remaining}{postfix}]",
        )
        progress_counts = {"bezig": 0, "mislukt": 0}
        bar.set_postfix(progress_counts, refresh=False)
        queued_at = time.time()

        def show_progress() -> None:
            progress_counts["bezig"] = sum(1 for e in entries.values() if e["status"] == "running")
            progress_counts["mislukt"] = sum(
                1 for job_id in todo if entries[job_id]["status"] == "failed"
            )
            bar.set_postfix(progress_counts)

        def on_start(payload: dict[str, Any]) -> None:
            with lock:
                entries[payload["job_id"]]["status"] = "running"
                show_progress()

        def on_result(result: dict[str, Any]) -> None:
            with lock:
                store_result(run_dir, entries[result["job_id"]], result, runlog, queued_at)
                state["done"] += 1
                bar.update(1)
                show_progress()
                flush()

        interrupted = False
        previous_term = sigterm_as_interrupt()
        try:
            payloads = [self._payload(by_id[job_id], texts) for job_id in todo]
            executor: JobExecutor = (
                DaskExecutor(self.client)
                if self.executor == "dask"
                else self.pool or LocalExecutor(self.workers)
            )
            self.pool = None
            executor.run(payloads, on_result, on_start)
        except KeyboardInterrupt:
            interrupted = True
        except BaseException:  # a bug or a disk error: still leave a resumable manifest
            interrupted = True
            raise
        finally:
            previous_handler = ignore_signals()
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
                    counts = summarise(manifest)
                    done = ", ".join(f"{k} {v}" for k, v in counts.items())
                    runlog.add(logging.INFO, f"run {self.run_id} klaar: {done}")
                flush(index=True)
                if self.client is not None and self.executor == "dask":
                    with contextlib.suppress(Exception):
                        self.client.close()
            finally:
                unlock_run(run_dir)
                restore_sigint(previous_handler)
                restore_signal(signal.SIGTERM, previous_term)
        return RunResult(
            run_id=self.run_id,
            run_dir=run_dir,
            manifest=manifest,
            interrupted=interrupted,
            executed=int(state["done"]),
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
            "kernel": _kernel_spec(self.loaded, notebook_json, self._cwd or os.getcwd()),
            "timeout": execution.timeout,
            "shared_dir": str(self.run_dir.absolute() / SHARED),
            "formats": list(formats),
            "outputs": {fmt: job.output_path(fmt) for fmt in formats},
            "unit_label": f"{job.unit.name} ({job.unit.code})",
            "footer": (
                f"{self.loaded.plan.title} · run {self.run_id} · gemaakt met doeagenda "
                f"{__version__} · gegevens: CBS (CC BY 4.0)"
            ),
            "version": __version__,
        }

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
