"""Execute one batch job on a warm kernel and export it (runs in a worker process).

A job arrives as a plain dict (picklable, the same for the local process pool and for
Dask workers): the notebook's JSON text, the parameters, the kernel configuration and the
output names. The result is a dict with the status, timings, the error (failing cell,
exception) and the *bytes* of the output files; the coordinating process writes them
atomically into the run folder, so workers on other machines need no shared disk.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import socket
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat
import papermill
from papermill.exceptions import PapermillExecutionError

from doeagenda.iorw import atomic_write
from doeagenda.reports._kernelside import skip_slow_optional_imports
from doeagenda.reports.kernel import (
    CURRENT,
    ENGINE_NAME,
    KernelConfig,
    KernelStartError,
    kernel_for,
    shutdown_all,
)
from doeagenda.reports.manifest import now_iso

__all__ = ["run_job", "worker_main"]

logger = logging.getLogger(__name__)

_EXPORTER = None


def _exporter():
    global _EXPORTER
    if _EXPORTER is None:
        from doeagenda.reports.export import ReportExporter

        _EXPORTER = ReportExporter()
    return _EXPORTER


def kernel_config(payload: dict[str, Any]) -> KernelConfig:
    """The :class:`KernelConfig` a job asks for (cwd falls back to the worker's own)."""
    spec = dict(payload["kernel"])
    cwd = spec.get("cwd")
    if not cwd or not Path(cwd).is_dir():
        spec["cwd"] = os.getcwd()
    spec["preload"] = tuple(spec.get("preload", ()))
    spec["warmup"] = tuple(spec.get("warmup", ()))
    spec["memoize"] = tuple(spec.get("memoize", ()))
    spec["shared"] = tuple(spec.get("shared", ()))
    return KernelConfig(**spec)


def _running_cell(nb: Any) -> int | None:
    for index, cell in enumerate(nb.cells):
        if cell.get("metadata", {}).get("papermill", {}).get("status") == "running":
            return index
    return None


def _error_output(ename: str, evalue: str) -> Any:
    return nbformat.v4.new_output(
        "error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]
    )


def run_job(payload: dict[str, Any]) -> dict[str, Any]:
    """Run one job on this thread's warm kernel and export it.

    Parameters
    ----------
    payload : dict
        ``job_id``, ``notebook`` (path as in the plan), ``notebook_json``, ``parameters``,
        ``kernel`` (:class:`KernelConfig` fields), ``timeout``, ``formats``,
        ``outputs`` (format -> path relative to the run folder), ``unit_label``, ``footer``.

    Returns
    -------
    dict
        ``job_id``, ``status`` (ok/failed), ``start``, ``started_at`` (epoch seconds),
        ``duration``, ``kernel_start``, ``timings`` (seconds spent starting the kernel,
        executing the notebook and exporting it), ``error`` (or None), ``files``
        (format -> bytes), ``worker``, ``log``.
    """
    began = time.monotonic()
    log: list[str] = []
    timings = {"kernel": 0.0, "execute": 0.0, "export": 0.0}
    result: dict[str, Any] = {
        "job_id": payload["job_id"],
        "status": "failed",
        "start": now_iso(),
        "started_at": time.time(),  # wall clock, for the queue time the coordinator computes
        "timings": timings,
        "duration": None,
        "kernel_start": 0.0,
        "error": None,
        "files": {},
        "worker": f"{socket.gethostname()}:{os.getpid()}",
        "log": log,
    }
    config = kernel_config(payload)
    kernel = kernel_for(config)
    try:
        result["kernel_start"] = round(kernel.ensure_started(), 3)
        timings["kernel"] = result["kernel_start"]
        if kernel.jobs:  # the kernel's first job ran without preloading (see WarmKernel)
            timings["kernel"] = round(timings["kernel"] + kernel.preload(), 3)
        kernel.jobs += 1
        if kernel.starts > 1 and result["kernel_start"]:
            log.append(f"kernel herstart in {result['worker']}")
    except KernelStartError as start_error:
        result["error"] = {
            "cell_index": None,
            "execution_count": None,
            "ename": "KernelStartError",
            "evalue": str(start_error),
        }
        result["duration"] = round(time.monotonic() - began, 3)
        return result

    nb = None
    error: dict[str, Any] | None = None
    stem = Path(payload["notebook"]).stem
    with tempfile.TemporaryDirectory(prefix="doeagenda-job-") as tmp:
        in_path = Path(tmp) / f"{stem}.ipynb"
        out_path = Path(tmp) / f"{stem}.out.ipynb"
        atomic_write(in_path, payload["notebook_json"])
        CURRENT.kernel = kernel
        CURRENT.partial = None
        executing = time.monotonic()
        try:
            shared_dir = payload.get("shared_dir")
            if shared_dir and not Path(shared_dir).is_dir():
                shared_dir = None  # a Dask worker on another machine: no shared folder here
            kernel.reset(shared_dir=shared_dir)
            nb = papermill.execute_notebook(
                str(in_path),
                str(out_path),
                parameters=payload["parameters"],
                engine_name=ENGINE_NAME,
                request_save_on_cell_execute=False,
                progress_bar=False,
                log_output=False,
                kernel_name=config.kernel_name,
                start_timeout=config.startup_timeout,
                execution_timeout=payload.get("timeout"),
            )
        except PapermillExecutionError as failure:
            error = {
                "cell_index": failure.cell_index,
                "execution_count": failure.exec_count,
                "ename": failure.ename,
                "evalue": failure.evalue,
            }
            nb = nbformat.read(out_path, as_version=4) if out_path.exists() else None
        except Exception as failure:  # dead kernel, cell timeout, reset failed
            kernel.dead = True
            ename, lines = type(failure).__name__, str(failure).strip().splitlines()
            evalue = lines[-1] if lines else ""
            partial = CURRENT.partial
            nb = partial.nb if partial is not None else None
            index = _running_cell(nb) if nb is not None else None
            if nb is not None and index is not None:
                nb.cells[index].outputs.append(_error_output(ename, evalue))
            error = {
                "cell_index": index,
                "execution_count": nb.cells[index].get("execution_count")
                if nb is not None and index is not None
                else None,
                "ename": ename,
                "evalue": evalue,
            }
            log.append(f"kernel opnieuw te starten na {ename}: {evalue}")
        finally:
            CURRENT.kernel = None
            CURRENT.partial = None
            timings["execute"] = round(time.monotonic() - executing, 3)

    exporting = time.monotonic()
    if nb is not None:
        meta = nb.metadata.setdefault("papermill", {})
        meta["input_path"] = payload["notebook"]
        meta["output_path"] = payload["outputs"].get("ipynb")
        formats = payload.get("formats", ["ipynb", "html"])
        if "ipynb" in formats:
            result["files"]["ipynb"] = nbformat.writes(nb).encode("utf-8")
        if "html" in formats:
            try:
                html = _exporter().export(
                    nb,
                    unit_label=payload.get("unit_label", ""),
                    footer=payload.get("footer", ""),
                    error=error,
                    version=payload.get("version", ""),
                    overview_link=payload.get("overview_link", True),
                )
                result["files"]["html"] = html.encode("utf-8")
            except Exception as failure:
                if error is None:
                    error = {
                        "cell_index": None,
                        "execution_count": None,
                        "ename": f"HTML-export: {type(failure).__name__}",
                        "evalue": str(failure),
                    }
    timings["export"] = round(time.monotonic() - exporting, 3)
    result["error"] = error
    result["status"] = "ok" if error is None else "failed"
    result["duration"] = round(time.monotonic() - began, 3)
    return result


def _raise_exit(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def worker_main(conn: Any, warm: dict[str, Any] | None = None) -> None:
    """Loop of a local worker process: receive job dicts, send result dicts.

    SIGINT is ignored (the coordinating process handles Ctrl-C and stops the workers);
    SIGTERM or the coordinator going away ends the loop, and the kernel is shut down.

    Parameters
    ----------
    conn : multiprocessing.connection.Connection
        Pipe to the coordinator. ``None`` ends the loop.
    warm : dict, optional
        A job payload whose kernel is started right away, before the first job arrives.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _raise_exit)
    skip_slow_optional_imports()
    atexit.register(shutdown_all)
    try:
        if warm is not None:
            try:
                kernel_for(kernel_config(warm)).ensure_started()
            except KernelStartError as error:  # the first job retries and reports it
                logger.warning("%s", error)
        while True:
            try:
                payload = conn.recv()
            except (EOFError, OSError):
                break
            if payload is None:
                break
            result = run_job(payload)
            try:
                conn.send(result)
            except (BrokenPipeError, OSError):
                break
    except SystemExit:  # SIGTERM: the kernel may be mid-message, so kill it outright
        shutdown_all(graceful=False)
        raise
    shutdown_all(graceful=True)
