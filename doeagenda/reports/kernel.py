"""Warm kernels: one persistent IPython kernel per worker, reused across jobs.

A plain papermill loop starts a kernel and imports pandas, altair and doeagenda for every
notebook (~3 s before any work). Here each worker keeps one kernel alive: heavy imports
and province-wide tables are loaded once (:func:`doeagenda.reports._kernelside.warm_up`),
and before every job :func:`~doeagenda.reports._kernelside.reset` gives the job a clean
namespace and execution counter, so the executed notebook is the same as from a new kernel.

Notebooks still run through :func:`papermill.execute_notebook` (parameter injection,
metadata, error cells exactly as papermill makes them), with the papermill engine
``doeagenda-warm`` registered here, which runs the cells on the warm kernel.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger as papermill_logger

from doeagenda.reports._ipckernel import ENV_DIR

__all__ = ["ENGINE_NAME", "KernelConfig", "KernelStartError", "WarmKernel", "kernel_for"]

logger = logging.getLogger(__name__)

ENGINE_NAME = "doeagenda-warm"

#: Run first in every batch process, before ``doeagenda`` (and so altair and jsonschema)
#: is imported: see :func:`doeagenda.reports._kernelside.skip_slow_optional_imports`.
SKIP_SLOW_IMPORTS = (
    "import sys as _sys; "
    "'jsonschema' in _sys.modules or _sys.modules.setdefault('rfc3987_syntax', None); "
    "del _sys\n"
)


class KernelStartError(RuntimeError):
    """A kernel could not be started or warmed up (also after one retry)."""


@dataclass(frozen=True)
class KernelConfig:
    """Everything that defines a warm kernel; a different config means a new kernel."""

    kernel_name: str = "python3"
    cwd: str = field(default_factory=os.getcwd)
    preload: tuple[str, ...] = ("doeagenda",)
    warmup: tuple[str, ...] = ()
    memoize: tuple[str, ...] = ()
    shared: tuple[str, ...] = ()
    renderer: str = "svg"
    startup_timeout: int = 120

    def env(self) -> dict[str, str]:
        """Environment of the kernel process."""
        env = dict(os.environ)
        env["DOEAGENDA_RENDERER"] = self.renderer
        env.setdefault("JUPYTER_PLATFORM_DIRS", "1")
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        return env


async def _run_silent(kc: Any, code: str, timeout: float) -> None:
    msg_id = kc.execute(code, silent=True, store_history=False, allow_stdin=False)
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            msg = f"geen antwoord van de kernel binnen {timeout:.0f} s"
            raise TimeoutError(msg)
        reply = await kc.get_shell_msg(timeout=remaining)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    content = reply["content"]
    if content.get("status") != "ok":
        msg = f"{content.get('ename', 'Error')}: {content.get('evalue', '')}"
        raise RuntimeError(msg)


class WarmKernel:
    """A persistent kernel with a clean namespace per job.

    Parameters
    ----------
    config : KernelConfig
        Kernel name, working directory, modules to preload, warm-up functions.
    """

    def __init__(self, config: KernelConfig) -> None:
        self.config = config
        self.km: AsyncKernelManager | None = None
        self.kc: Any = None
        self.starts = 0
        self.preloaded = False
        self.jobs = 0  # jobs this kernel object has been given (the first runs unpreloaded)
        self.dead = False
        self.failures = 0
        self.last_error = ""
        self._log: Any = None
        self._dir: str | None = None  # private folder of the IPC sockets and connection file

    def _log_tail(self) -> str:
        if self._log is None:
            return ""
        try:
            text = Path(self._log.name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        lines = [line for line in text.splitlines() if line.strip()][-3:]
        return (" (kernel: " + " | ".join(lines) + ")") if lines else ""

    # -- lifecycle ------------------------------------------------------------------
    def _start_once(self) -> None:
        cfg = self.config
        # IPC, not TCP: the kernel's sockets are files in a folder only this user can open
        # (mkdtemp makes it mode 0700), with its connection file (key included) beside
        # them, so no other user of the machine can reach the kernel and nothing listens
        # on a port (ipykernel then no longer warns about unencrypted TCP).
        self._dir = tempfile.mkdtemp(prefix="doeagenda-kernel-")
        km = AsyncKernelManager(
            kernel_name=cfg.kernel_name,
            transport="ipc",
            ip=os.path.join(self._dir, "ipc"),
            connection_file=os.path.join(self._dir, "kernel.json"),
        )
        # ... and the one TCP socket ipykernel binds itself (the output pipe of forked
        # subprocesses) becomes an IPC file in the same folder: see _ipckernel.
        spec = km.kernel_spec
        if spec is not None and "ipykernel_launcher" in spec.argv:
            argv = list(spec.argv)
            argv[argv.index("ipykernel_launcher")] = "doeagenda.reports._ipckernel"
            spec.argv = argv
        self.km = km
        # The kernel's own stdout/stderr (not cell output: that travels over ZMQ) go to a
        # log file, so start-up problems can be reported and the terminal stays clean.
        self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in shutdown()
            dir=self._dir, prefix="kernel-", suffix=".log", delete=False
        )
        run_sync(km.start_kernel)(
            cwd=cfg.cwd,
            env={**cfg.env(), ENV_DIR: self._dir},
            extra_arguments=["--HistoryManager.hist_file=:memory:"],
            stdout=self._log,
            stderr=self._log,
        )
        kc = km.client()
        self.kc = kc
        kc.start_channels()
        run_sync(kc.wait_for_ready)(timeout=cfg.startup_timeout)
        # Preloading is lazy: the kernel starts with only the SVG renderer warm, so the first
        # job (which imports what it needs itself, as in a new kernel) starts seconds sooner;
        # :meth:`preload` loads the rest after that first job.
        self.preloaded = False
        code = (
            SKIP_SLOW_IMPORTS
            + "__import__('doeagenda.reports._kernelside', fromlist=['warm_up']).warm_up("
            f"{cfg.cwd!r}, [], [], svg={cfg.renderer == 'svg'!r})"
        )
        run_sync(_run_silent)(kc, code, cfg.startup_timeout)

    def preload(self) -> float:
        """Import ``preload``, fill caches, install memoized and shared functions (once).

        Returns
        -------
        float
            Seconds it took (0 when already done).
        """
        if self.preloaded:
            return 0.0
        began = time.monotonic()
        cfg = self.config
        code = (
            "__import__('doeagenda.reports._kernelside', fromlist=['warm_up']).reset(); "
            "__import__('doeagenda.reports._kernelside', fromlist=['warm_up']).warm_up("
            f"{cfg.cwd!r}, {list(cfg.preload)!r}, {list(cfg.warmup)!r}, "
            f"svg={cfg.renderer == 'svg'!r}, memo={list(cfg.memoize)!r}, "
            f"shared={list(cfg.shared)!r})"
        )
        try:
            run_sync(_run_silent)(self.kc, code, cfg.startup_timeout)
        except Exception as error:
            self.dead = True
            msg = f"het voorladen van de kernel mislukte: {type(error).__name__}: {error}"
            raise KernelStartError(msg) from error
        self.preloaded = True
        return time.monotonic() - began

    def ensure_started(self) -> float:
        """Start (and warm up) the kernel if needed; retry a failed start once.

        Returns
        -------
        float
            Seconds spent starting (0 when the kernel was already running).

        Raises
        ------
        KernelStartError
            When the second attempt fails too.
        """
        if self.km is not None and not self.dead and self.is_alive():
            return 0.0
        if self.km is not None:
            self.shutdown()
        if self.failures >= 2:  # failed twice before (4 attempts): fail fast, same reason
            raise KernelStartError(self.last_error)
        began = time.monotonic()
        for attempt in (1, 2):
            try:
                self._start_once()
            except Exception as error:
                tail = self._log_tail()
                self.shutdown()
                if attempt == 2:
                    msg = f"de kernel startte twee keer niet: {type(error).__name__}: {error}{tail}"
                    self.failures += 1
                    self.last_error = msg
                    raise KernelStartError(msg) from error
                logger.warning(
                    "kernel startte niet (%s: %s); nog één poging", type(error).__name__, error
                )
            else:
                break
        self.starts += 1
        self.dead = False
        self.failures = 0
        return time.monotonic() - began

    def is_alive(self) -> bool:
        """Whether the kernel process is running."""
        if self.km is None:
            return False
        try:
            return bool(run_sync(self.km.is_alive)())
        except Exception:
            return False

    def reset(self, timeout: float = 60, shared_dir: str | None = None) -> None:
        """Clean namespace, execution counter 1, initial cwd and environment.

        ``shared_dir`` is the run's folder of results computed once per run (it is per
        job, not per kernel, so a warm kernel can serve several runs).
        """
        code = (
            "__import__('doeagenda.reports._kernelside', fromlist=['reset'])"
            f".reset(shared_dir={shared_dir!r})"
        )
        run_sync(_run_silent)(self.kc, code, timeout)

    def shutdown(self) -> None:
        """Stop the kernel and its channels (never raises)."""
        km, kc, log, folder = self.km, self.kc, self._log, self._dir
        self.km = self.kc = self._log = self._dir = None
        if log is not None:
            with contextlib.suppress(OSError):
                log.close()
                os.unlink(log.name)
        if kc is not None:
            with contextlib.suppress(Exception):
                kc.stop_channels()
        if km is not None:
            try:
                run_sync(km.shutdown_kernel)(now=True)
            except Exception:
                self._kill(km)
            with contextlib.suppress(Exception):
                run_sync(km.cleanup_resources)()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    @staticmethod
    def _kill(km: Any) -> None:
        pid = getattr(getattr(km, "provisioner", None), "pid", None)
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)

    def kill_now(self) -> None:
        """Kill the kernel process without talking to it (from any thread, at exit)."""
        if self.km is not None:
            self._kill(self.km)
            with contextlib.suppress(Exception):
                self.km.cleanup_connection_file()
        if self._log is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._log.name)
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)


_LOCAL = threading.local()
_ALL: list[WarmKernel] = []
_ALL_LOCK = threading.Lock()


def kernel_for(config: KernelConfig) -> WarmKernel:
    """The warm kernel of the current thread for ``config`` (created on first use)."""
    kernels: dict[KernelConfig, WarmKernel] = getattr(_LOCAL, "kernels", None) or {}
    _LOCAL.kernels = kernels
    kernel = kernels.get(config)
    if kernel is None:
        # One kernel per thread: drop kernels of an older config (another run).
        for old in list(kernels.values()):
            old.shutdown()
        kernels.clear()
        kernel = WarmKernel(config)
        kernels[config] = kernel
        with _ALL_LOCK:
            _ALL.append(kernel)
    return kernel


def shutdown_all(graceful: bool = False) -> None:
    """Stop every warm kernel of this process.

    Parameters
    ----------
    graceful : bool
        Ask the kernels to shut down (from the thread that uses them); otherwise kill
        the processes (safe from any thread, e.g. at exit).
    """
    with _ALL_LOCK:
        kernels = list(_ALL)
        _ALL.clear()
    for kernel in kernels:
        if graceful:
            kernel.shutdown()
        else:
            kernel.kill_now()
    kernels_here = getattr(_LOCAL, "kernels", None)
    if kernels_here:
        kernels_here.clear()


class _Current(threading.local):
    kernel: WarmKernel | None = None
    partial: Any = None


CURRENT = _Current()


class WarmEngine(NBClientEngine):
    """Papermill engine that executes on the thread's current :class:`WarmKernel`."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        **kwargs,
    ):
        """Run the cells of ``nb_man.nb`` on the warm kernel (see :class:`NBClientEngine`)."""
        kernel = CURRENT.kernel
        if kernel is None or kernel.km is None:  # pragma: no cover - programming error
            msg = "geen warme kernel voor deze thread"
            raise RuntimeError(msg)
        CURRENT.partial = nb_man
        client = PapermillNotebookClient(
            nb_man,
            km=kernel.km,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=papermill_logger,
            log_output=False,
        )
        client.kc = kernel.kc
        return client.execute()


papermill_engines.register(ENGINE_NAME, WarmEngine)
atexit.register(shutdown_all)
