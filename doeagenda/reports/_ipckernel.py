"""Kernel launcher whose sockets are all IPC files: ``python -m doeagenda.reports._ipckernel``.

:class:`~doeagenda.reports.kernel.WarmKernel` starts kernels with IPC transport in a private
folder (mode 0700), so the shell, iopub, stdin, control and heartbeat sockets are files
only this user can open. ipykernel itself still binds one TCP socket: the pipe on which
forked child processes send their output to the kernel (``IOPubThread._setup_pipe_in``
binds ``tcp://127.0.0.1`` at a random port). This launcher binds that pipe to an IPC file in
the same private folder (``$DOEAGENDA_KERNEL_DIR``) instead, and then starts ipykernel as
``ipykernel_launcher`` would: no kernel listens on a TCP port.

Should a later ipykernel no longer have those two methods, the kernel starts unchanged
(``tests/test_reports_batch.py`` then notices the TCP port).
"""

from __future__ import annotations

import os
import sys
from typing import Any

ENV_DIR = "DOEAGENDA_KERNEL_DIR"


def _patch_iopub_pipe(folder: str) -> None:
    import zmq
    from ipykernel import iostream
    from zmq.eventloop.zmqstream import ZMQStream

    thread = iostream.IOPubThread
    if not (hasattr(thread, "_setup_pipe_in") and hasattr(thread, "_setup_pipe_out")):
        return
    address = f"ipc://{os.path.join(folder, 'pipe')}"

    def setup_pipe_in(self: Any) -> None:
        """Listen for output of forked subprocesses on an IPC file, not a TCP port."""
        self._pipe_uuid = os.urandom(16)  # as ipykernel: authenticates pipe messages
        pipe_in = self.socket.context.socket(zmq.PULL)
        pipe_in.linger = 0
        pipe_in.bind(address)
        self._pipe_in = ZMQStream(pipe_in, self.io_loop)
        self._pipe_in.on_recv(self._handle_pipe_msg)

    def setup_pipe_out(self: Any) -> tuple[Any, Any]:
        """In a forked child: a new context and a socket connected to the pipe."""
        context = zmq.Context()
        pipe_out = context.socket(zmq.PUSH)
        pipe_out.linger = 3000
        pipe_out.connect(address)
        return context, pipe_out

    thread._setup_pipe_in = setup_pipe_in  # type: ignore[method-assign]
    thread._setup_pipe_out = setup_pipe_out  # type: ignore[method-assign]


def main() -> None:
    """Start the kernel (arguments as for ``python -m ipykernel_launcher``)."""
    if sys.path and sys.path[0] == "":
        del sys.path[0]  # as ipykernel_launcher: the working folder must not shadow packages
    folder = os.environ.get(ENV_DIR)
    if folder and os.path.isdir(folder):
        _patch_iopub_pipe(folder)
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
