"""Benchmark the index engine: full build and a 1,000-run uncertainty analysis.

(a) the 342 gemeenten with the Buurzaamheidsindex framework, (b) the 14,574 buurten of
the Netherlands with population/age indicators, (c) the wijken of provincie Utrecht with
the RIVM wijk framework (``buurzaamheid_wijken``; target: build + 1,000 runs < 1 s), (d) all
buurten of the Netherlands with the RIVM buurt framework. The vectorised Monte Carlo
(:func:`doeagenda.index.uncertainty`) is compared in the same run with a straightforward
per-run pandas implementation (one pandas pass over the units per run). The naive version
runs ``--naive-runs`` runs (default 100) and is extrapolated to 1,000; its scores are
checked against the vectorised ones for those runs.

Wall-clock and CPU (process) times are both printed: on a shared machine the CPU
times are the fairer comparison.

Run: ``.venv/bin/python benchmarks/bench_index.py``
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from doeagenda import data
from doeagenda.index import Framework, build_index, index_data, load_framework, steps
from doeagenda.index.framework import ImputeSpec, NormaliseSpec

BUURT_FRAMEWORK = {
    "name": "Leeftijdsopbouw buurten (benchmark)",
    "level": "buurt",
    "min_coverage": 0.5,
    "treat": {"method": "winsorise"},
    "nodes": [
        {"id": "a_00_14", "parent": "jong", "denominator": "a_inw"},
        {"id": "a_15_24", "parent": "jong", "denominator": "a_inw"},
        {"id": "a_25_44", "parent": "werkend", "denominator": "a_inw"},
        {"id": "a_45_64", "parent": "werkend", "denominator": "a_inw"},
        {"id": "a_65_oo", "parent": "ouder", "denominator": "a_inw", "direction": -1},
        {"id": "a_vrouw", "parent": "ouder", "denominator": "a_inw"},
        {"id": "jong", "parent": "index"},
        {"id": "werkend", "parent": "index"},
        {"id": "ouder", "parent": "index"},
        {"id": "index"},
    ],
}


def naive_uncertainty(result, unc, n_runs: int) -> np.ndarray:
    """Per-run pandas implementation of the same runs (imputation/treatment precomputed)."""
    fw = result.framework
    leaves = [leaf for leaf in fw.leaves if leaf in result.active]
    groups = [g for g in fw.groups if g in result.active]
    prepared = {}
    for imp in unc.runs["impute"].unique():
        spec = None if imp == "framework" else ImputeSpec(method=imp)
        imputed = steps.impute(result.stages["denominated"], fw, result.data, spec)
        prepared[imp] = steps.transform(steps.treat(imputed, fw)[0], fw)
    out = np.empty((n_runs, len(result.scores)))
    for r in range(n_runs):
        run = unc.runs.iloc[r]
        factor = unc.weight_factors.iloc[r]
        frame = prepared[run["impute"]]
        method = run["aggregate"]
        positive = method in ("geometric", "harmonic") or (
            method == "framework" and any(fw.aggregate_method(g) != "arithmetic" for g in groups)
        )
        values = pd.DataFrame(index=frame.index)
        for leaf in leaves:
            if leaf == run["left_out"]:
                continue
            node = fw.node(leaf)
            spec = (
                fw.normalise_spec(leaf)
                if run["normalise"] == "framework"
                else NormaliseSpec(method=run["normalise"])
            )
            col = pd.Series(
                steps.normalise_values(frame[leaf].to_numpy(float), spec, node.direction,
                                       log=node.transform == "log"),
                index=frame.index,
            )  # fmt: skip
            if positive and col.min() <= 0:
                col = 1 + 99 * (col - col.min()) / (col.max() - col.min())
            values[leaf] = col
        for g in groups:
            kids = [k for k in fw.children(g) if k in values.columns]
            w = pd.Series({k: fw.node(k).weight * factor[k] for k in kids})
            sub = values[kids]
            present = sub.notna()
            wsum = present.mul(w, axis=1).sum(axis=1)
            how = fw.aggregate_method(g) if method == "framework" else method
            if how == "arithmetic":
                agg = sub.mul(w, axis=1).sum(axis=1) / wsum
            elif how == "geometric":
                agg = np.exp(np.log(sub).mul(w, axis=1).sum(axis=1) / wsum)
            else:
                agg = wsum / (1 / sub).mul(w, axis=1).sum(axis=1)
            cover = present.sum(axis=1) / len(kids)
            values[g] = agg.where((cover >= fw.coverage(g) - 1e-12) & (wsum > 0))
        out[r] = values[fw.root].to_numpy()
        values[fw.root].rank(ascending=False, method="min")
    return out


def bench(label: str, frame: pd.DataFrame, fw: Framework, runs: int, naive_runs: int) -> dict:
    t0 = time.perf_counter()
    result = build_index(frame, fw)
    t_build = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    unc = result.uncertainty(n=runs, seed=0)
    t_fast, c_fast = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    naive = naive_uncertainty(result, unc, naive_runs)
    t_naive = (time.perf_counter() - t0) / naive_runs * runs
    c_naive = (time.process_time() - c0) / naive_runs * runs
    np.testing.assert_allclose(naive, unc.scores[:naive_runs], rtol=1e-8, equal_nan=True)
    return {
        "case": label,
        "units": len(result.scores),
        "indicators": len(result.stages["normalised"].columns),
        "build_s": round(t_build, 3),
        f"vectorised_{runs}_runs_s": round(t_fast, 2),
        f"build + {runs} runs_s": round(t_build + t_fast, 2),
        f"naive_pandas_{runs}_runs_s (extrapolated from {naive_runs})": round(t_naive, 1),
        "ratio (wall)": round(t_naive / t_fast, 1),
        f"vectorised_{runs}_runs_cpu_s": round(c_fast, 2),
        f"naive_pandas_{runs}_runs_cpu_s": round(c_naive, 1),
        "ratio (cpu)": round(c_naive / c_fast, 1),
    }


def _rivm_frame(fw: Framework, provincie: str | None) -> pd.DataFrame:
    """The units with RIVM figures, as :func:`doeagenda.index.area_index` builds them."""
    frame = index_data(fw, provincie=provincie)
    rivm = [leaf for leaf in fw.leaves if leaf.startswith("rivm_")]
    return frame[frame[rivm].notna().any(axis=1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--naive-runs", type=int, default=100)
    args = parser.parse_args()
    rows = []
    fw = load_framework("buurzaamheid_gemeenten")
    rows.append(bench("(a) gemeenten", index_data(fw), fw, args.runs, args.naive_runs))
    fwb = Framework.from_dict(BUURT_FRAMEWORK)
    buurten = data.indicators(level="buurt", wide=True)
    cols = [*fwb.leaves, "a_inw"]
    frame = buurten[[c for c in dict.fromkeys(cols)]]
    rows.append(bench("(b) buurten", frame, fwb, args.runs, args.naive_runs))
    fww = load_framework("buurzaamheid_wijken")
    rows.append(
        bench("(c) wijken provincie", _rivm_frame(fww, "Utrecht"), fww, args.runs, args.naive_runs)
    )
    fwn = load_framework("buurzaamheid_buurten").model_copy(update={"provincie": None})
    rows.append(bench("(d) buurten NL (RIVM)", _rivm_frame(fwn, None), fwn, args.runs,
                      args.naive_runs))  # fmt: skip
    table = pd.DataFrame(rows).set_index("case").T
    with pd.option_context("display.width", 160, "display.max_colwidth", 80):
        print(table.to_string())


if __name__ == "__main__":
    main()
