"""Batch runs on real kernels: failure isolation, resume, interruption, atomicity, Dask.

Two or three units only; the full province runs in ``make run`` and the benchmark.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml
from typer.testing import CliRunner

from doeagenda.cli import app
from doeagenda.reports.manifest import FINAL_STATUSES
from doeagenda.reports.runner import RunResult, run_batch

pytestmark = pytest.mark.slow

UNITS = ["GM0344", "GM0307"]


def _setup(repo: Path, base: Path, notebooks: dict[str, str], units=UNITS, **plan_extra) -> Path:
    """Copy fixture notebooks under base/tests/notebooks and write base/plan.yaml."""
    folder = base / "tests" / "notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    specs = []
    for name, source in notebooks.items():
        (folder / f"{name}.ipynb").write_bytes(
            (repo / "tests" / "notebooks" / f"{source}.ipynb").read_bytes()
        )
        specs.append(
            {"path": f"tests/notebooks/{name}.ipynb", "parameters": {"gemeente": "{code}"}}
        )
    plan = {
        "title": "Testrun",
        "units": {"codes": list(units)},
        "notebooks": specs,
        "execution": {
            "preload": ["doeagenda", "doeagenda.data", "altair", "pandas"],
            "timeout": 120,
        },
    }
    plan.update(plan_extra)
    path = base / "plan.yaml"
    path.write_text(yaml.safe_dump(plan), encoding="utf-8")
    return path


def _no_temp_files(run_dir: Path) -> list[Path]:
    return [p for p in run_dir.rglob("*") if p.name.endswith(".tmp") or p.name == ".lock"]


@pytest.fixture(scope="module")
def failing_run(repo: Path, tmp_path_factory):
    """One run of a good and a deliberately failing notebook for two gemeenten."""
    base = tmp_path_factory.mktemp("batch")
    plan = _setup(repo, base, {"goed": "goed", "kapot": "kapot"})
    cwd = os.getcwd()
    os.chdir(base)
    try:
        result = run_batch(plan, workers=2, out=base / "uit", progress=False)
    finally:
        os.chdir(cwd)
    return base, plan, result


def test_failing_notebook_fails_only_its_own_jobs(failing_run) -> None:
    _, _, result = failing_run
    status = {job["id"]: job["status"] for job in result.manifest["jobs"]}
    assert status == {
        "GM0307/goed": "ok",
        "GM0307/kapot": "failed",
        "GM0344/goed": "ok",
        "GM0344/kapot": "failed",
    }
    assert result.exit_code == 1
    failed = next(j for j in result.manifest["jobs"] if j["id"] == "GM0344/kapot")
    assert failed["error"]["ename"] == "ValueError"
    assert failed["error"]["evalue"] == "opzettelijke fout voor GM0344"
    assert failed["error"]["execution_count"] == 5


def test_failed_job_keeps_partial_output_with_the_error(failing_run) -> None:
    _, _, result = failing_run
    folder = result.run_dir / "GM0344-utrecht"
    nb = nbformat.read(folder / "kapot.ipynb", as_version=4)
    texts = [o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert "begonnen voor GM0344\n" in texts
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert [e.evalue for e in errors] == ["opzettelijke fout voor GM0344"]
    page = (folder / "kapot.html").read_text(encoding="utf-8")
    assert "Dit rapport is niet volledig" in page
    assert "opzettelijke fout voor GM0344" in page
    assert "dit wordt nooit uitgevoerd" not in page


def test_run_writes_manifest_log_and_index(failing_run) -> None:
    _, _, result = failing_run
    run_dir = result.run_dir
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["status"] == "finished"
    assert manifest["summary"] == {"ok": 2, "failed": 2}
    assert manifest["environment"]["packages"]["papermill"]
    assert len(manifest["inputs"]["data"]["sha256"]) == 64
    assert set(manifest["inputs"]["notebooks"]) == {
        "tests/notebooks/goed.ipynb",
        "tests/notebooks/kapot.ipynb",
    }
    job = next(j for j in manifest["jobs"] if j["id"] == "GM0307/goed")
    assert job["outputs"] == {
        "ipynb": "GM0307-amersfoort/goed.ipynb",
        "html": "GM0307-amersfoort/goed.html",
    }
    assert job["duration"] > 0 and job["start"]
    assert all((run_dir / p).is_file() for j in manifest["jobs"] for p in j["outputs"].values())
    log = (run_dir / "run.log").read_text()
    assert "GM0344/kapot mislukt in cel [5]: ValueError" in log
    index = (run_dir / "index.html").read_text()
    assert 'href="GM0307-amersfoort/goed.html"' in index and "mislukt" in index


def test_no_temporary_or_half_written_files_remain(failing_run) -> None:
    _, _, result = failing_run
    assert _no_temp_files(result.run_dir) == []
    for path in result.run_dir.rglob("*.ipynb"):
        nbformat.validate(nbformat.read(path, as_version=4))
    for path in result.run_dir.rglob("*.html"):
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_resume_after_failure_runs_only_the_failed_jobs(failing_run, repo: Path) -> None:
    base, _, result = failing_run
    good = result.run_dir / "GM0344-utrecht" / "goed.ipynb"
    before = good.stat().st_mtime_ns
    # the fix: the failing notebook is repaired, then the run is resumed
    fixed = base / "tests" / "notebooks" / "kapot.ipynb"
    fixed.write_bytes((repo / "tests" / "notebooks" / "goed.ipynb").read_bytes())
    cwd = os.getcwd()
    os.chdir(base)
    try:
        again = run_batch(resume=result.run_id, workers=2, out=base / "uit", progress=False)
    finally:
        os.chdir(cwd)
    assert again.run_dir == result.run_dir
    assert again.executed == 2
    assert again.exit_code == 0
    assert {j["status"] for j in again.manifest["jobs"]} == {"ok"}
    assert good.stat().st_mtime_ns == before
    assert len(again.manifest["attempts"]) == 2
    attempts = {j["id"]: j["attempts"] for j in again.manifest["jobs"]}
    assert attempts["GM0344/kapot"] == 2 and attempts["GM0344/goed"] == 1
    assert (
        "Dit rapport is niet volledig"
        not in (again.run_dir / "GM0344-utrecht" / "kapot.html").read_text()
    )


def test_a_new_run_never_reuses_a_finished_run_folder(failing_run) -> None:
    base, plan, result = failing_run
    cwd = os.getcwd()
    os.chdir(base)
    try:
        other = run_batch(plan, workers=1, only="GM0307", out=base / "uit", progress=False)
    finally:
        os.chdir(cwd)
    assert other.run_id != result.run_id
    assert json.loads((result.run_dir / "manifest.json").read_text())["run_id"] == result.run_id


def test_killed_worker_fails_its_job_and_the_rest_go_on(
    repo: Path, tmp_path: Path, monkeypatch
) -> None:
    plan = _setup(repo, tmp_path, {"goed": "goed", "sluit": "stopt_werker"})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOEAGENDA_TEST_STOP", "GM0307")
    cli = CliRunner().invoke(
        app, ["batch", str(plan), "--workers", "1", "--out", str(tmp_path / "uit")]
    )
    assert cli.exit_code == 1, cli.output
    assert "mislukt 1" in cli.stdout and "klaar 3" in cli.stdout  # the summary
    header = next(line for line in cli.stdout.splitlines() if "GM" not in line and line.strip())
    assert header.split()[:2] == ["eenheid", "naam"]
    assert "na herstel hervatten met: doeagenda batch --resume" in cli.stderr
    (run_dir,) = (tmp_path / "uit").iterdir()
    result = RunResult(run_dir.name, run_dir, json.loads((run_dir / "manifest.json").read_text()))
    status = {job["id"]: job["status"] for job in result.manifest["jobs"]}
    assert status == {
        "GM0307/goed": "ok",
        "GM0307/sluit": "failed",
        "GM0344/goed": "ok",
        "GM0344/sluit": "ok",
    }
    error = next(j for j in result.manifest["jobs"] if j["id"] == "GM0307/sluit")["error"]
    assert error["ename"] == "WorkerDied"
    monkeypatch.delenv("DOEAGENDA_TEST_STOP")
    again = run_batch(resume=result.run_id, workers=1, out=tmp_path / "uit", progress=False)
    assert again.executed == 1 and again.exit_code == 0


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_leaves_a_consistent_manifest_and_can_be_resumed(repo: Path, tmp_path: Path) -> None:
    plan = _setup(repo, tmp_path, {"goed": "goed"}, units=["GM0344", "GM0307", "GM0310"])
    spec = yaml.safe_load(plan.read_text())
    # long enough that jobs are still waiting when the interrupt arrives, even on a busy machine
    spec["notebooks"][0]["parameters"]["pauze"] = 6.0
    plan.write_text(yaml.safe_dump(spec))
    out = tmp_path / "uit"
    env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1"}
    command = [
        sys.executable,
        "-m",
        "doeagenda",
        "batch",
        str(plan),
        "--workers",
        "1",
        "--out",
        str(out),
    ]
    proc = subprocess.Popen(
        command, cwd=tmp_path, env=env, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # A foreground command gets Ctrl-C; when this suite itself runs as a background job
        # of a script (as CI may start it), SIGINT is inherited as ignored and Python would
        # never see it. Give the child the default disposition, as a terminal would.
        preexec_fn=_default_sigint,
    )  # fmt: skip
    deadline = time.monotonic() + 240
    manifest_path = None
    while time.monotonic() < deadline:
        found = list(out.glob("*/manifest.json"))
        if found:
            manifest_path = found[0]
            try:
                jobs = json.loads(manifest_path.read_text())["jobs"]
            except json.JSONDecodeError:  # would mean a half-written manifest
                pytest.fail("manifest.json was read half-written")
            if any(j["status"] == "ok" for j in jobs):
                break
        time.sleep(0.2)
    assert manifest_path is not None, proc.communicate()[1]
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal does on Ctrl-C
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "hervat met: doeagenda batch --resume" in stderr
    manifest = json.loads(manifest_path.read_text())
    assert manifest["status"] == "interrupted"
    assert all(j["status"] in FINAL_STATUSES for j in manifest["jobs"])
    assert sum(j["status"] == "ok" for j in manifest["jobs"]) >= 1
    assert sum(j["status"] != "ok" for j in manifest["jobs"]) >= 1
    run_dir = manifest_path.parent
    assert _no_temp_files(run_dir) == []
    resume = [*command[:4], "--resume", run_dir.name, "--workers", "2", "--out", str(out)]
    done = subprocess.run(
        resume, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    manifest = json.loads(manifest_path.read_text())
    assert manifest["status"] == "finished"
    assert {j["status"] for j in manifest["jobs"]} == {"ok"}


def test_dask_local_cluster_gives_the_same_manifest_and_outputs(
    repo: Path, tmp_path: Path, monkeypatch
) -> None:
    import distributed  # a hard dependency: a broken install must fail here, not skip

    plan = _setup(repo, tmp_path, {"goed": "goed"})
    monkeypatch.chdir(tmp_path)
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        worker_dashboard_address=None,
    ) as cluster:
        result = run_batch(
            plan,
            executor="dask",
            scheduler=cluster.scheduler_address,
            out=tmp_path / "uit",
            progress=False,
        )
    assert result.exit_code == 0
    assert {j["status"] for j in result.manifest["jobs"]} == {"ok"}
    assert result.manifest["attempts"][0]["executor"] == "dask"
    workers = {j["worker"] for j in result.manifest["jobs"]}
    assert all(w and str(os.getpid()) != w.split(":")[1] for w in workers)
    for job in result.manifest["jobs"]:
        nb = nbformat.read(result.run_dir / job["outputs"]["ipynb"], as_version=4)
        assert any(
            "image/svg+xml" in o.get("data", {})
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.outputs
        )
    assert (result.run_dir / "index.html").is_file()


def test_reset_gives_each_job_a_fresh_looking_kernel(tmp_path: Path) -> None:
    from jupyter_core.utils import run_sync

    from doeagenda.reports.kernel import KernelConfig, WarmKernel, _run_silent

    kernel = WarmKernel(KernelConfig(cwd=str(tmp_path), preload=("doeagenda", "pandas")))
    kernel.ensure_started()
    try:
        dirty = (
            "import os, warnings, pandas as pd, altair as alt\n"
            "x = 41\n"
            "pd.set_option('display.max_rows', 3)\n"
            "os.makedirs('sub', exist_ok=True); os.chdir('sub')\n"
            "os.environ['DOEAGENDA_TEST_LEAK'] = '1'\n"
            "alt.renderers.enable('default')\n"
            "warnings.warn('eenmalig', UserWarning)\n"
        )
        run_sync(_run_silent)(kernel.kc, dirty, 60)
        kernel.reset()
        check = (
            "import os, pandas as pd, altair as alt\n"
            "from IPython import get_ipython\n"
            "assert 'x' not in globals(), 'namespace not cleared'\n"
            "assert get_ipython().execution_count == 1\n"
            "assert pd.get_option('display.max_rows') == 60\n"
            f"assert os.getcwd() == {str(tmp_path)!r}, os.getcwd()\n"
            "assert 'DOEAGENDA_TEST_LEAK' not in os.environ\n"
            "assert alt.renderers.active == 'svg', alt.renderers.active\n"
            "import warnings\n"
            "with warnings.catch_warnings(record=True) as seen:\n"
            "    warnings.warn('eenmalig', UserWarning)\n"
            "assert len(seen) == 1\n"
        )
        run_sync(_run_silent)(kernel.kc, check, 60)
    finally:
        kernel.shutdown()
    assert kernel.km is None


def _listening_tcp_inodes() -> set[str]:
    """Socket inodes of every TCP socket on this machine in state LISTEN (0A)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        with open(table, encoding="ascii") as handle:
            next(handle)
            for line in handle:
                fields = line.split()
                if fields[3] == "0A":
                    inodes.add(fields[9])
    return inodes


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs Linux /proc")
def test_kernels_talk_over_ipc_in_a_private_folder_and_listen_on_no_tcp_port() -> None:
    import stat

    from jupyter_core.utils import run_sync

    from doeagenda.reports.kernel import KernelConfig, WarmKernel, _run_silent

    kernel = WarmKernel(KernelConfig(preload=()))
    kernel.ensure_started()
    try:
        info = kernel.km.get_connection_info()
        assert info["transport"] == "ipc"
        folder = Path(kernel._dir)
        mode = folder.stat()
        # rwx for the owner only (jupyter_client adds the sticky bit, against tmp cleaners)
        assert mode.st_mode & 0o777 == 0o700 and mode.st_uid == os.getuid()
        assert Path(info["ip"]).parent == folder
        assert Path(kernel.km.connection_file).parent == folder
        sockets = [folder / f"ipc-{info[k]}" for k in ("shell_port", "iopub_port", "hb_port")]
        assert all(stat.S_ISSOCK(p.stat().st_mode) for p in sockets)
        run_sync(_run_silent)(kernel.kc, "x = 1 + 1", 60)  # the kernel answers over them
        # output of a forked child still arrives (ipykernel's pipe, now an IPC file too)
        seen: list[str] = []
        fork = (
            "import os, time\n"
            "child = os.fork()\n"
            "if child == 0:\n"
            "    print('uit het kind', flush=True)\n"
            "    os._exit(0)\n"
            "os.waitpid(child, 0)\n"
            "time.sleep(0.5)\n"
        )
        run_sync(kernel.kc.execute_interactive)(
            fork,
            timeout=60,
            output_hook=lambda msg: seen.append(msg["content"].get("text", "")),
        )
        assert "uit het kind" in "".join(seen)
        assert (folder / "pipe").exists()
        pid = kernel.km.provisioner.pid
        own = _socket_inodes(pid)
        assert own, "the kernel has sockets"
        assert own & _listening_tcp_inodes() == set(), "a kernel socket listens on TCP"
        log = Path(kernel._log.name).read_text(encoding="utf-8", errors="replace")
        assert "without encryption" not in log
    finally:
        kernel.shutdown()
    assert not folder.exists()


# --------------------------------------------------------------------------- Dask worker loss
def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop_group(proc: subprocess.Popen) -> None:
    """Stop a process started in its own session, with everything it started (never raises)."""
    for signum, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        if proc.poll() is not None:
            break
        try:
            os.killpg(proc.pid, signum)
        except (ProcessLookupError, PermissionError):
            break
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture
def dask_command_line_cluster(tmp_path: Path, request):
    """``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1, as docs/batch.md says.

    Every process runs in its own session and is stopped by the finalizer, pass or fail.
    """
    dask = Path(sys.executable).with_name("dask")
    address = f"tcp://127.0.0.1:{_free_port()}"
    env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1"}
    procs: list[subprocess.Popen] = []

    def stop_all() -> None:
        for proc in reversed(procs):
            _stop_group(proc)

    request.addfinalizer(stop_all)

    def start(*args: str, log: str) -> subprocess.Popen:
        handle = (tmp_path / log).open("w")
        request.addfinalizer(handle.close)
        proc = subprocess.Popen(
            [str(dask), *args], cwd=tmp_path, env=env, start_new_session=True,
            stdout=handle, stderr=subprocess.STDOUT,
        )  # fmt: skip
        procs.append(proc)
        return proc

    port = address.rsplit(":", 1)[1]
    start("scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard", log="scheduler.log")
    workers = []
    for i in range(2):
        options = ["--nworkers", "1", "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"]
        options += ["--name", f"w{i}", "--death-timeout", "120"]
        workers.append(start("worker", address, *options, log=f"worker{i}.log"))
    from distributed import Client

    with Client(address, timeout="60s", set_as_default=False) as client:
        client.wait_for_workers(2, timeout=120)
    return address, workers


def test_losing_a_dask_worker_loses_no_report(
    repo: Path, tmp_path: Path, monkeypatch, dask_command_line_cluster
) -> None:
    """Kill one ``dask worker`` (with its nanny) mid-run: every job still finishes once."""
    import threading

    from distributed import Client

    address, workers = dask_command_line_cluster
    plan = _setup(repo, tmp_path, {"goed": "goed"}, units=["GM0344", "GM0307", "GM0310"])
    spec = yaml.safe_load(plan.read_text())
    spec["notebooks"][0]["parameters"]["pauze"] = 4.0  # long enough to be killed mid-job
    plan.write_text(yaml.safe_dump(spec))
    monkeypatch.chdir(tmp_path)
    killed: dict = {}

    def kill_a_busy_worker() -> None:
        deadline = time.monotonic() + 240
        with Client(address, timeout="30s", set_as_default=False) as client:
            groups = client.run(os.getpgrp)  # worker address -> its `dask worker` session
            while time.monotonic() < deadline and not killed:
                busy = [addr for addr, keys in client.processing().items() if keys]
                for addr in busy:
                    victim = next((w for w in workers if w.pid == groups.get(addr)), None)
                    if victim is not None:
                        time.sleep(2.0)  # into the job: kernel started, cells running
                        os.killpg(victim.pid, signal.SIGKILL)
                        killed["worker"] = victim.pid
                        break
                time.sleep(0.2)

    killer = threading.Thread(target=kill_a_busy_worker, daemon=True)
    killer.start()
    outcome: dict = {}

    def run() -> None:
        outcome["result"] = run_batch(
            plan, executor="dask", scheduler=address, out=tmp_path / "uit", progress=False
        )

    runner = threading.Thread(target=run, daemon=True)
    runner.start()
    runner.join(timeout=420)
    killer.join(timeout=5)
    assert not runner.is_alive(), "the run did not finish within 7 minutes"
    assert killed, "no worker was killed: the test did not test anything"
    result = outcome["result"]
    jobs = result.manifest["jobs"]
    assert sorted(j["id"] for j in jobs) == ["GM0307/goed", "GM0310/goed", "GM0344/goed"]
    assert {j["status"] for j in jobs} == {"ok"}, result.to_frame().to_string()
    assert result.exit_code == 0
    # jobs that were on the lost worker were placed again: one entry each, attempts counted
    attempts = sorted(j["attempts"] for j in jobs)
    assert attempts[0] == 1 and attempts[-1] == 2, attempts
    log = (result.run_dir / "run.log").read_text(encoding="utf-8")
    assert log.count("Dask-worker verloren") == sum(a - 1 for a in attempts)
    survivor = next(w for w in workers if w.pid != killed["worker"])
    assert survivor.poll() is None  # the other worker lives on and ran the rest
    for job in jobs:
        if job["attempts"] == 2:  # taken over by the surviving worker (same process group)
            assert os.getpgid(int(job["worker"].split(":")[1])) == survivor.pid
    assert _no_temp_files(result.run_dir) == []
    for job in jobs:  # every report complete: parses, and the last cell ran
        nb = nbformat.read(result.run_dir / job["outputs"]["ipynb"], as_version=4)
        assert nb.cells[-1].get("execution_count") is not None
        page = (result.run_dir / job["outputs"]["html"]).read_text(encoding="utf-8")
        assert page.rstrip().endswith("</html>")


# --------------------------------------------------------------------------- bad input
def test_cli_refuses_a_scheduler_that_does_not_answer(repo: Path, tmp_path: Path, monkeypatch):
    from doeagenda.reports import executors

    monkeypatch.setattr(executors, "SCHEDULER_TIMEOUT", 2.0)
    plan = _setup(repo, tmp_path, {"goed": "goed"})
    out = tmp_path / "uit"
    began = time.monotonic()
    address = f"tcp://127.0.0.1:{_free_port()}"  # nothing listens there
    result = CliRunner().invoke(
        app, ["batch", str(plan), "--executor", "dask", "--scheduler", address, "--out", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("fout: ") and result.stderr.count("\n") == 1
    assert "binnen 2 s" in result.stderr and address in result.stderr
    assert time.monotonic() - began < 30
    assert not out.exists()


@pytest.mark.parametrize("workers", ["0", "-3"])
def test_cli_refuses_workers_below_one(repo: Path, tmp_path: Path, workers: str) -> None:
    plan = _setup(repo, tmp_path, {"goed": "goed"})
    out = tmp_path / "uit"
    result = CliRunner().invoke(app, ["batch", str(plan), "--workers", workers, "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"fout: --workers {workers}: geef een getal van 1 of meer\n"
    assert not out.exists()


def test_cli_refuses_a_wijk_code_in_a_gemeente_plan(repo: Path, tmp_path: Path) -> None:
    plan = _setup(repo, tmp_path, {"goed": "goed"})
    out = tmp_path / "uit"
    result = CliRunner().invoke(app, ["batch", str(plan), "--only", "WK034401", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("fout: --only: WK034401 is een wijk")
    assert "niveau gemeente" in result.stderr and result.stderr.count("\n") == 1
    assert not out.exists()


# --------------------------------------------------------------------------- same as papermill
def _comparable(nb) -> list[dict]:
    """Cells as a reader sees them: sources, execution counts, outputs (no timings or ids).

    Object addresses in ``text/plain`` reprs (``<Styler at 0x7f...>``) differ between any
    two runs, plain papermill included, so they are masked.
    """
    cells = []
    for cell in nb.cells:
        cell = dict(cell)
        cell.pop("id", None)
        cell["metadata"] = {k: v for k, v in cell["metadata"].items() if k != "papermill"}
        cell["metadata"].pop("execution", None)
        outputs = [
            json.loads(_ADDRESS.sub(" at 0x0>", json.dumps(o, sort_keys=True)))
            for o in (
                {k: v for k, v in o.items() if k != "transient"} for o in cell.get("outputs", [])
            )
        ]
        cell["outputs"] = outputs
        cells.append(cell)
    return cells


_ADDRESS = re.compile(r" at 0x[0-9a-f]+>")


def test_shared_province_results_give_the_same_reports_as_plain_papermill(
    repo: Path, tmp_path: Path, monkeypatch
) -> None:
    """Index and initiatives of two gemeenten on one warm kernel, against plain papermill.

    With one worker the first job runs on a kernel that has not preloaded anything and the
    second on the preloaded kernel reading the run's shared province-wide results, so both
    paths are compared with a new kernel per notebook.
    """
    import papermill

    plan = yaml.safe_load((repo / "params" / "batch" / "utrecht.yaml").read_text("utf-8"))
    plan["notebooks"] = [
        {**nb, "path": str(repo / nb["path"])}
        for nb in plan["notebooks"]
        if nb["path"] != "notebooks/gemeenteprofiel.ipynb"
    ]
    assert len(plan["notebooks"]) == 2 and plan["execution"]["shared"]
    plan_file = tmp_path / "utrecht.yaml"
    plan_file.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    monkeypatch.chdir(repo)
    result = run_batch(plan_file, only="GM0307,GM0344", workers=1, out=tmp_path, progress=False)
    assert result.exit_code == 0, result.to_frame().to_string()
    # Shared, not per gemeente: the same run with GM0310 in place of GM0344 stores, for every
    # shared function, an entry with the same key (keys hash the inputs by content). Calls
    # made inside the package with a gemeente argument (network(register, gemeente=...))
    # are keyed per gemeente, as they must be.
    stored = {p.name for p in (result.run_dir / ".shared").glob("*.pkl")}
    other = run_batch(plan_file, only="GM0307,GM0310", workers=1, out=tmp_path, progress=False)
    assert other.exit_code == 0
    common = stored & {p.name for p in (other.run_dir / ".shared").glob("*.pkl")}
    names = {name.rsplit("-", 1)[0] for name in common}
    assert names == {dotted.rsplit(".", 1)[1] for dotted in plan["execution"]["shared"]}
    monkeypatch.setenv("DOEAGENDA_RENDERER", "svg")  # what the runner gives its kernels
    for job in result.manifest["jobs"]:
        plain = papermill.execute_notebook(
            job["notebook"],
            str(tmp_path / f"plain-{job['unit']}-{Path(job['notebook']).stem}.ipynb"),
            parameters=job["parameters"],
            progress_bar=False,
        )
        ours = nbformat.read(result.run_dir / job["outputs"]["ipynb"], as_version=4)
        left, right = _comparable(ours), _comparable(plain)
        assert len(left) == len(right)
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            assert a == b, f"{job['id']}: cell {index} differs"
    # The real register has no stop dates and no partners: those sections are left out of the
    # page and named once, at the end (doeagenda.reports.export.gather_not_applicable).
    for job in result.manifest["jobs"]:
        if Path(job["notebook"]).stem == "initiatieven":
            page = (result.run_dir / job["outputs"]["html"]).read_text(encoding="utf-8")
            gathered = page[page.index("Niet in dit rapport") :]
            assert "Wat hangt samen met stoppen?" in gathered
            assert page.count("Wat hangt samen met stoppen?") == 1
            assert "Schoenfeld" not in page
