"""Benchmark: ``doeagenda batch`` vs a plain sequential papermill loop, same jobs, one run.

Parts (choose with flags, so the long ones can run separately):

* ``--sizes 3,18,78``: runs of the default plan (``params/batch/utrecht.yaml``, three
  notebooks per gemeente) over the first 1, 6 and 26 gemeenten. Each is measured twice in
  this run: the runner as a user starts it (``doeagenda batch --only ...`` in a new
  process, so its start-up counts), and the baseline, ``papermill.execute_notebook`` per
  job in a loop (a new kernel per notebook, the usual way) with ``DOEAGENDA_RENDERER=svg``
  so both make the same outputs. The baseline writes only the ``.ipynb``; the runner also
  writes the HTML reports, manifest and index page, so the comparison is conservative.
  Also printed: seconds from the command to the first finished report.
* ``--wijken``: throughput (jobs per minute) of ``params/batch/wijken_provincie_utrecht.yaml``
  (222 wijken); skipped with a message while that plan does not exist.
* ``--alle``: throughput of ``params/batch/alle_gemeenten.yaml`` (342 gemeenten).
* ``--page-sizes``: report size with inline SVG vs embedding the vega libraries.

Goals (issue 15, 2 cores): 3 jobs no slower than the loop (aim 2x), first report <= 6 s,
18 jobs >= 5x, 78 jobs >= 10x, the 342 plan >= 120 jobs per minute. That last goal was
set for the profile-only plan; since issue 21 the plan also makes the (heavier)
Buurzaamheidsindex of every gemeente, 684 jobs, and the goal is that all complete.

Usage::

    python benchmarks/bench_batch.py --sizes 3               # quick check (~1 minute)
    python benchmarks/bench_batch.py --sizes 3,18,78 --wijken --alle   # everything
    python benchmarks/bench_batch.py --sizes 78 --skip-baseline        # runner only
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")

import nbformat
import papermill

from doeagenda.reports.runner import list_jobs

REPO = Path(__file__).resolve().parents[1]
PLANS = REPO / "params" / "batch"
GOALS = {3: 2.0, 18: 5.0, 78: 10.0}
FIRST_REPORT_GOAL = 6.0
#: issue 15's goal for the 342 plan when it held only the gemeenteprofiel (342 jobs)
ALLE_GOAL = 120.0


def _cell_seconds(nb) -> float:
    return sum(
        (c.metadata.get("papermill", {}).get("duration") or 0.0)
        for c in nb.cells
        if c.cell_type == "code"
    )


def baseline(plan: Path, codes: list[str], out: Path) -> dict:
    """Plain sequential papermill loop over the same jobs (new kernel per notebook)."""
    os.environ["DOEAGENDA_RENDERER"] = "svg"
    jobs = list_jobs(plan, only=codes, out=out)
    out.mkdir(parents=True, exist_ok=True)
    cells = []
    began = time.perf_counter()
    first = None
    for job in jobs:
        target = out / f"{job.unit.code}-{job.stem}.ipynb"
        nb = papermill.execute_notebook(
            str(job.notebook_file), str(target), parameters=job.parameters, progress_bar=False
        )
        first = first or time.perf_counter() - began
        cells.append(_cell_seconds(nb))
    total = time.perf_counter() - began
    del os.environ["DOEAGENDA_RENDERER"]
    return {"jobs": len(jobs), "total": total, "first": first, "cells": sum(cells)}


def _watch_first_report(out: Path, began: float, found: dict, stop: threading.Event) -> None:
    """Note when the first report HTML appears under ``out`` (poll every 50 ms)."""
    while not stop.is_set():
        if next(out.glob("*/*/*.html"), None) is not None:
            found["first"] = time.perf_counter() - began
            return
        time.sleep(0.05)


def ours(plan: Path, codes: list[str] | None, out: Path, workers: int | None) -> dict:
    """``doeagenda batch`` as a user runs it: a new process, timed from the command."""
    command = [sys.executable, "-m", "doeagenda", "batch", str(plan), "--out", str(out)]
    if codes:
        command += ["--only", ",".join(codes)]
    if workers:
        command += ["--workers", str(workers)]
    out.mkdir(parents=True, exist_ok=True)
    found: dict = {}
    stop = threading.Event()
    began = time.perf_counter()
    watcher = threading.Thread(target=_watch_first_report, args=(out, began, found, stop))
    watcher.start()
    try:
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    finally:
        stop.set()
        watcher.join()
    total = time.perf_counter() - began
    manifests = sorted(out.glob("*/manifest.json"))
    if not manifests:
        msg = f"no run folder; doeagenda batch said:\n{done.stderr[-2000:]}"
        raise RuntimeError(msg)
    manifest = json.loads(manifests[-1].read_text(encoding="utf-8"))
    jobs = manifest["jobs"]
    split = {"queue": 0.0, "kernel": 0.0, "execute": 0.0, "export": 0.0}
    for job in jobs:
        for key in split:
            split[key] += (job.get("timings") or {}).get(key, 0.0)
    return {
        "jobs": len(jobs),
        "total": total,
        "first": found.get("first"),
        "failed": sum(j["status"] != "ok" for j in jobs),
        "run_dir": manifests[-1].parent,
        "split": {k: v / max(1, len(jobs)) for k, v in split.items()},
    }


def page_sizes(run_dir: Path, plan: Path, code: str, out: Path) -> list[dict]:
    """Report sizes with static SVG vs. what embedding vega would cost, per notebook."""
    import vl_convert

    bundle = len(vl_convert.javascript_bundle())
    found = []
    for job in list_jobs(plan, only=[code], out=out):
        html = next(run_dir.glob(f"{code}-*/{job.stem}.html"))
        nb = nbformat.read(html.with_suffix(".ipynb"), as_version=4)
        svgs = [
            o["data"]["image/svg+xml"]
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.outputs
            if "image/svg+xml" in o.get("data", {})
        ]
        # the same notebook with altair's json renderer gives the Vega-Lite specs (with data)
        os.environ["DOEAGENDA_RENDERER"] = "json"
        spec_nb = papermill.execute_notebook(
            str(job.notebook_file),
            str(out / f"specs-{job.stem}.ipynb"),
            parameters=job.parameters,
            progress_bar=False,
        )
        del os.environ["DOEAGENDA_RENDERER"]
        specs = [
            json.dumps(o["data"][k])
            for c in spec_nb.cells
            if c.cell_type == "code"
            for o in c.outputs
            for k in o.get("data", {})
            if k.startswith("application/vnd.vegalite") or k == "application/json"
        ]
        page = html.stat().st_size
        svg_total = sum(len(s.encode()) for s in svgs)
        spec_total = sum(len(s.encode()) for s in specs)
        found.append(
            {
                "notebook": job.stem,
                "page_svg": page,
                "charts": len(svgs),
                "svg_bytes": svg_total,
                "spec_bytes": spec_total,
                "bundle_bytes": bundle,
                "page_embedded_estimate": page - svg_total + spec_total + bundle,
            }
        )
    return found


def _sizes(text: str) -> list[int]:
    sizes = [int(part) for part in text.split(",") if part.strip()] if text else []
    if any(size < 1 for size in sizes):
        msg = f"--sizes {text}: give job counts such as 3,18,78"
        raise argparse.ArgumentTypeError(msg)
    return sizes


def _throughput(name: str, plan: Path, units: int, tmp: Path, workers: int | None) -> str:
    if not plan.exists():
        return f"| {name} | - | skipped: {plan.relative_to(REPO)} does not exist yet | | | |"
    jobs = list_jobs(plan, out=tmp)
    codes = sorted({j.unit.code for j in jobs})
    if units:
        codes = codes[:units]
    run = ours(plan, codes if units else None, tmp / plan.stem, workers)
    per_minute = 60 * run["jobs"] / run["total"]
    profile_only = len({job.notebook for job in jobs}) == 1
    goal = f">= {ALLE_GOAL:.0f}/min" if plan.stem == "alle_gemeenten" and profile_only else ""
    if plan.stem == "alle_gemeenten" and not profile_only:
        goal = "0 failed"
    return (
        f"| {name} | {run['jobs']} | - | {run['total']:.1f} s = **{per_minute:.1f} jobs/min** "
        f"({run['failed']} failed) | - | {goal} |"
    )


def main() -> None:
    """Run the chosen parts and print one Markdown table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--plan", type=Path, default=PLANS / "utrecht.yaml")
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=[3, 18, 78],
        help="job counts of the default plan to compare, e.g. 3,18 (default 3,18,78; '' for none)",
    )
    parser.add_argument("--workers", type=int, default=None, help="default: the runner's")
    parser.add_argument("--skip-baseline", action="store_true", help="runner only")
    parser.add_argument("--wijken", action="store_true", help="throughput of the 222-wijk plan")
    parser.add_argument("--alle", action="store_true", help="throughput of the 342 plan")
    parser.add_argument("--alle-units", type=int, default=0, help="first N units (0: all)")
    parser.add_argument("--page-sizes", action="store_true", help="inline SVG vs embedded vega")
    args = parser.parse_args()

    os.chdir(REPO)
    tmp = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    all_jobs = list_jobs(args.plan, out=tmp)
    per_unit = max(1, len({j.notebook for j in all_jobs}))
    codes = sorted({j.unit.code for j in all_jobs})
    print(f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; output in {tmp}", flush=True)

    rows = []
    last_run = None
    for size in args.sizes:
        units = codes[: max(1, size // per_unit)]
        mine = ours(args.plan, units, tmp / f"ours-{size}", args.workers)
        last_run = (mine["run_dir"], units[0])
        split = ", ".join(f"{k} {v:.1f}" for k, v in mine["split"].items())
        print(
            f"runner, {mine['jobs']} jobs: {mine['total']:.1f} s, first report after "
            f"{mine['first'] or float('nan'):.1f} s, {mine['failed']} failed; per job (s): {split}",
            flush=True,
        )
        if args.skip_baseline:
            base = None
        else:
            base = baseline(args.plan, units, tmp / f"baseline-{size}")
            print(
                f"plain papermill, {base['jobs']} jobs: {base['total']:.1f} s, first after "
                f"{base['first']:.1f} s, cells {base['cells']:.1f} s in all",
                flush=True,
            )
        plain = f"{base['total']:.1f} s" if base else "-"
        speed_up = f"**{base['total'] / mine['total']:.1f}x**" if base else "-"
        goal = f">= {GOALS[size]:g}x" if size in GOALS else ""
        if size == 3:
            goal += f", first report <= {FIRST_REPORT_GOAL:g} s"
        first = f"{mine['first']:.1f} s" if mine["first"] else "?"
        rows.append(
            f"| {len(units)} gemeente(n) | {mine['jobs']} | {plain} | {mine['total']:.1f} s "
            f"(first report {first}) | {speed_up} | {goal} |"
        )
    if args.wijken:
        rows.append(
            _throughput("222 wijken", PLANS / "wijken_provincie_utrecht.yaml", 0, tmp, args.workers)
        )
    if args.alle:
        rows.append(
            _throughput(
                "342 gemeenten", PLANS / "alle_gemeenten.yaml", args.alle_units, tmp, args.workers
            )
        )
    print()
    print("| run | jobs | plain papermill | doeagenda batch | speed-up | goal |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(row)

    if args.page_sizes and last_run is not None:
        run_dir, code = last_run
        for sizes in page_sizes(run_dir, args.plan, code, tmp):
            print(
                f"page size {code} {sizes['notebook']}: {sizes['page_svg'] / 1024:.0f} KiB with "
                f"{sizes['charts']} inline SVG charts ({sizes['svg_bytes'] / 1024:.0f} KiB of "
                f"SVG); with embedded vega about {sizes['page_embedded_estimate'] / 1024:.0f} KiB "
                f"(bundle {sizes['bundle_bytes'] / 1024:.0f} KiB + specs "
                f"{sizes['spec_bytes'] / 1024:.0f} KiB)"
            )


if __name__ == "__main__":
    main()
