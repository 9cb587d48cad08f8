"""Where batch jobs run: one :class:`JobExecutor` protocol, two implementations.

:class:`LocalExecutor` keeps a pool of worker processes on this machine, each with one
warm kernel (:mod:`doeagenda.reports.worker`); :class:`DaskExecutor` submits the jobs as
tasks to a dask.distributed cluster. Both take plain job dicts (payloads) and report plain
result dicts through callbacks, so the run orchestration (:mod:`doeagenda.reports.runner`)
does not care where a job ran.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import time
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import wait
from typing import Any, Protocol

from doeagenda.errors import ParameterError

__all__ = [
    "SCHEDULER_TIMEOUT",
    "DaskExecutor",
    "JobExecutor",
    "LocalExecutor",
    "connect_scheduler",
]

logger = logging.getLogger(__name__)

#: Seconds ``--scheduler`` may take to answer before the run is refused (exit 2).
SCHEDULER_TIMEOUT = 10.0

_WORKER_BOOT = (
    "import sys\n"
    "if 'jsonschema' not in sys.modules:\n"
    "    sys.modules.setdefault('rfc3987_syntax', None)  # see _kernelside\n"
    "from doeagenda.reports.worker import worker_main\n"
    "worker_main(conn, warm)\n"
)

ResultCallback = Callable[[dict[str, Any]], None]


class JobExecutor(Protocol):
    """What the runner needs from a backend: run payloads, report each result once."""

    def run(
        self,
        payloads: list[dict[str, Any]],
        on_result: ResultCallback,
        on_start: ResultCallback | None = None,
    ) -> None:
        """Run every payload; call ``on_start`` when one starts, ``on_result`` when done."""
        ...


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
        self._slots: list[dict[str, Any]] = []
        self._warm: dict[str, Any] | None = None

    def _spawn(self) -> dict[str, Any]:
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        # The child runs a few lines before importing doeagenda (whose import loads altair
        # and jsonschema), so the slow optional import is skipped there as in the kernels.
        proc = ctx.Process(
            target=exec,
            args=(_WORKER_BOOT, {"conn": child, "warm": self._warm}),
            name="doeagenda-worker",
            daemon=True,
        )
        proc.start()
        child.close()
        return {"proc": proc, "conn": parent, "job": None}

    def start(self, warm: dict[str, Any], jobs: int | None = None) -> None:
        """Start the workers now, so their kernels warm up while the run is still prepared.

        Parameters
        ----------
        warm : dict
            A payload (only its ``kernel`` part is used) whose kernel each worker starts
            right away.
        jobs : int, optional
            Expected number of jobs: never more workers than jobs, so one job gets one warm
            kernel rather than a pool.
        """
        self._warm = {"kernel": warm["kernel"], "job_id": warm.get("job_id", "warm")}
        wanted = min(self.workers, jobs) if jobs else self.workers
        while len(self._slots) < wanted:
            self._slots.append(self._spawn())

    def close(self) -> None:
        """Stop workers started by :meth:`start` that no run used (never raises)."""
        slots, self._slots = self._slots, []
        self._stop(slots, graceful=True)

    def run(
        self,
        payloads: list[dict[str, Any]],
        on_result: Callable[[dict[str, Any]], None],
        on_start: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        """Run all payloads; call ``on_result`` for each result as it arrives."""
        if not payloads:
            self.close()
            return
        if self._warm is None:
            self._warm = {"kernel": payloads[0]["kernel"], "job_id": payloads[0]["job_id"]}
        queue = deque(payloads)
        # workers started early are used; surplus ones (fewer jobs than expected) stop
        slots, self._slots = self._slots, []
        surplus = slots[len(queue) :]
        slots = slots[: len(queue)]
        self._stop(surplus, graceful=True)
        spawn = self._spawn

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
            while len(slots) < min(self.workers, len(queue)):
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

    def _lost_attempts(self, key: str) -> int:
        """How often a worker died while running this task (Dask then ran it again)."""
        try:
            return int(
                self.client.run_on_scheduler(
                    lambda dask_scheduler, key=key: getattr(
                        dask_scheduler.tasks.get(key), "suspicious", 0
                    )
                )
            )
        except Exception:  # an older scheduler or a lost connection: count unknown
            return 0

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
                result["lost_attempts"] = self._lost_attempts(future.key)
                future.release()
                on_result(result)
        except KeyboardInterrupt:
            with contextlib.suppress(Exception):
                self.client.cancel(list(futures))
            raise


def connect_scheduler(scheduler: str, timeout: float | None = None) -> Any:
    """Connect to a Dask scheduler, or fail within ``timeout`` seconds with one clear line.

    Parameters
    ----------
    scheduler : str
        Address such as ``tcp://10.0.0.5:8786``.
    timeout : float, optional
        Seconds to wait for an answer (default :data:`SCHEDULER_TIMEOUT`).

    Raises
    ------
    ParameterError
        When no scheduler answers in time or the address is malformed.
    """
    try:
        from distributed import Client
    except ImportError as error:  # pragma: no cover - dask is a dependency
        msg = f"--executor dask vraagt het pakket distributed ({error})"
        raise ParameterError(msg) from None
    seconds = SCHEDULER_TIMEOUT if timeout is None else timeout
    try:
        return Client(scheduler, timeout=f"{seconds}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        msg = (
            f"--scheduler {scheduler}: geen Dask-scheduler die binnen {seconds:g} s antwoordt "
            f"({reason}); controleer het adres of start er een met 'dask scheduler'"
        )
        raise ParameterError(msg) from None
