"""Benchmark: the batch runner vs a plain sequential papermill loop, same jobs, same machine.

Baseline: for every job of the plan, ``papermill.execute_notebook`` (a new kernel per
notebook, the usual way), with ``DOEAGENDA_RENDERER=svg`` so both produce the same outputs.
The baseline writes only the ``.ipynb``; the runner also writes the HTML report, the
manifest and the index page, so the comparison is conservative.

Prints: total wall time of both, the ratio, the per-job overhead (wall time per job minus
the time the notebook's own cells took), and, with ``--alle``, the throughput of the
all-gemeenten plan in jobs per minute. Also compares page size of static SVG charts with
embedding the vega libraries.

Usage::

    python benchmarks/bench_batch.py                      # default plan, 26 gemeenten
    python benchmarks/bench_batch.py --units 6 --alle --alle-units 60
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")

import nbformat
import papermill

from doeagenda.reports.runner import list_jobs, run_batch

REPO = Path(__file__).resolve().parents[1]


def _cell_seconds(nb) -> float:
    return sum(
        (c.metadata.get("papermill", {}).get("duration") or 0.0)
        for c in nb.cells
        if c.cell_type == "code"
    )


def baseline(plan: Path, codes: list[str], out: Path) -> dict:
    """Plain sequential papermill loop over the same jobs."""
    os.environ["DOEAGENDA_RENDERER"] = "svg"
    jobs = list_jobs(plan, only=codes, out=out)
    out.mkdir(parents=True, exist_ok=True)
    walls, cells = [], []
    began = time.perf_counter()
    for job in jobs:
        target = out / f"{job.unit.code}-{job.stem}.ipynb"
        t0 = time.perf_counter()
        nb = papermill.execute_notebook(
            str(job.notebook_file), str(target), parameters=job.parameters, progress_bar=False
        )
        walls.append(time.perf_counter() - t0)
        cells.append(_cell_seconds(nb))
    total = time.perf_counter() - began
    del os.environ["DOEAGENDA_RENDERER"]
    return {"jobs": len(jobs), "total": total, "walls": walls, "cells": cells}


def ours(plan: Path, codes: list[str] | None, out: Path, workers: int) -> dict:
    """The batch runner (warm kernels, HTML, manifest, index)."""
    began = time.perf_counter()
    result = run_batch(plan, only=codes, workers=workers, out=out, progress=True)
    total = time.perf_counter() - began
    jobs = result.manifest["jobs"]
    cells, durations = [], []
    for job in jobs:
        nb = nbformat.read(result.run_dir / job["outputs"]["ipynb"], as_version=4)
        cells.append(_cell_seconds(nb))
        durations.append(job["duration"] or 0.0)
    return {
        "jobs": len(jobs),
        "total": total,
        "cells": cells,
        "durations": durations,
        "failed": sum(j["status"] != "ok" for j in jobs),
        "run_dir": result.run_dir,
        "kernel_start": [j["kernel_start"] for j in jobs if j["kernel_start"]],
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


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--plan", type=Path, default=REPO / "params" / "batch" / "utrecht.yaml")
    parser.add_argument("--units", type=int, default=0, help="first N units only (0: all)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument(
        "--alle", action="store_true", help="also run params/batch/alle_gemeenten.yaml"
    )
    parser.add_argument("--alle-units", type=int, default=0, help="first N of the 342 (0: all)")
    args = parser.parse_args()

    os.chdir(REPO)
    all_jobs = list_jobs(args.plan)
    codes = sorted({j.unit.code for j in all_jobs})
    if args.units:
        codes = codes[: args.units]
    tmp = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    print(f"plan {args.plan.name}: {len(codes)} units, {os.cpu_count()} CPUs, output in {tmp}")

    mine = ours(args.plan, codes, tmp / "ours", args.workers)
    print(
        f"runner ({args.workers} workers): {mine['jobs']} jobs in {mine['total']:.1f} s "
        f"= {mine['total'] / mine['jobs']:.2f} s/job wall, {mine['failed']} failed"
    )
    cell_mean = statistics.mean(mine["cells"])
    job_overhead = statistics.mean(
        d - c for d, c in zip(mine["durations"], mine["cells"], strict=True)
    )
    startup = mine["total"] - sum(mine["durations"]) / args.workers
    print(
        f"  notebook cells: {cell_mean:.2f} s/job; per-job overhead in the worker "
        f"(reset, papermill, HTML export): {job_overhead:.2f} s; start-up and idle "
        f"(spawning workers, warm kernels, index/manifest): {startup:.1f} s per run"
    )

    if not args.skip_baseline:
        base = baseline(args.plan, codes, tmp / "baseline")
        base_overhead = statistics.mean(
            w - c for w, c in zip(base["walls"], base["cells"], strict=True)
        )
        print(
            f"plain papermill loop: {base['jobs']} jobs in {base['total']:.1f} s "
            f"= {base['total'] / base['jobs']:.2f} s/job; cells {statistics.mean(base['cells']):.2f} s/job, "
            f"overhead {base_overhead:.2f} s/job (kernel start, imports, data loading)"
        )
        print(f"SPEED-UP: {base['total'] / mine['total']:.2f}x  (goal >= 4x)")

    for sizes in page_sizes(mine["run_dir"], args.plan, codes[0], tmp):
        print(
            f"page size {codes[0]} {sizes['notebook']}: {sizes['page_svg'] / 1024:.0f} KiB with "
            f"{sizes['charts']} inline SVG charts ({sizes['svg_bytes'] / 1024:.0f} KiB of SVG); "
            f"with embedded vega about {sizes['page_embedded_estimate'] / 1024:.0f} KiB "
            f"(bundle {sizes['bundle_bytes'] / 1024:.0f} KiB + specs {sizes['spec_bytes'] / 1024:.0f} KiB)"
        )

    if args.alle:
        alle = REPO / "params" / "batch" / "alle_gemeenten.yaml"
        alle_codes = sorted({j.unit.code for j in list_jobs(alle)})
        if args.alle_units:
            alle_codes = alle_codes[: args.alle_units]
        run = ours(alle, alle_codes, tmp / "alle", args.workers)
        print(
            f"all-gemeenten plan: {run['jobs']} jobs in {run['total']:.1f} s = "
            f"{60 * run['jobs'] / run['total']:.1f} jobs/minute, {run['failed']} failed"
        )


if __name__ == "__main__":
    main()
