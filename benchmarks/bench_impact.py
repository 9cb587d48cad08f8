"""Benchmark: 10,000-draw Monte Carlo of a 10-outcome SROI value map.

Measures in one run
  * the vectorised ratio draws (doeagenda.impact kernel),
  * a naive baseline: a Python loop over draws that fills the value map year by year as a
    spreadsheet would (same draws, same result),
  * the full ``SROIResult.uncertainty`` call (ratio distribution + first/total Sobol indices,
    n (d + 2) model evaluations),
and prints the timings and the speed-up. Run: ``.venv/bin/python benchmarks/bench_impact.py``.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from doeagenda.impact import parse_distributions, sroi

N = 10_000
K = 10


def value_map() -> pd.DataFrame:
    rng = np.random.default_rng(42)
    return pd.DataFrame(
        {
            "outcome": [f"uitkomst_{i}" for i in range(K)],
            "stakeholder": [["ouderen", "gemeente", "zorgverzekeraar"][i % 3] for i in range(K)],
            "quantity": rng.uniform(10, 500, K).round(),
            "proxy_value": rng.uniform(15, 300, K).round(2),
            "duration": rng.integers(1, 6, K),
            "deadweight": rng.uniform(0.1, 0.5, K).round(2),
            "attribution": rng.uniform(0.1, 0.4, K).round(2),
            "displacement": rng.uniform(0.0, 0.2, K).round(2),
            "drop_off": rng.uniform(0.0, 0.4, K).round(2),
            "proxy_source": "benchmark",
        }
    )


def distributions(frame: pd.DataFrame) -> dict:
    dists = {}
    for row in frame.itertuples():
        q = row.quantity
        dists[f"{row.outcome}.quantity"] = {
            "verdeling": "triangular",
            "min": 0.5 * q,
            "mode": q,
            "max": 1.3 * q,
        }
        dists[f"{row.outcome}.deadweight"] = {
            "verdeling": "uniform",
            "min": max(row.deadweight - 0.1, 0),
            "max": row.deadweight + 0.1,
        }
        dists[f"{row.outcome}.proxy_value"] = {
            "verdeling": "pert",
            "min": 0.7 * row.proxy_value,
            "mode": row.proxy_value,
            "max": 1.5 * row.proxy_value,
        }
    dists["discount_rate"] = {"verdeling": "triangular", "min": 0.0, "mode": 0.0225, "max": 0.04}
    return dists


def naive_ratios(frame: pd.DataFrame, draws: dict[str, np.ndarray], inv: float) -> np.ndarray:
    """Spreadsheet-style: per draw, per outcome, per year."""
    rows = frame.to_dict("records")
    out = np.empty(N)
    for i in range(N):
        rate = draws["discount_rate"][i]
        pv = 0.0
        for row in rows:
            name = row["outcome"]
            q = draws[f"{name}.quantity"][i]
            p = draws[f"{name}.proxy_value"][i]
            dw = draws[f"{name}.deadweight"][i]
            first = q * p * (1 - dw) * (1 - row["displacement"]) * (1 - row["attribution"])
            for t in range(1, int(row["duration"]) + 1):
                pv += first * (1 - row["drop_off"]) ** (t - 1) / (1 + rate) ** t
        out[i] = pv / inv
    return out


def best_of(func, repeat: int = 5) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = func()
        best = min(best, time.perf_counter() - start)
    return best, value


def main() -> None:
    frame = value_map()
    result = sroi(frame, 150_000.0)
    dists = parse_distributions(distributions(frame))
    rng = np.random.default_rng(0)
    draws = {key: dist.ppf(rng.random(N)) for key, dist in dists.items()}
    model = result._model()

    fast_time, fast = best_of(lambda: model.evaluate(draws, N)["ratio"])
    start = time.perf_counter()
    naive = naive_ratios(frame, draws, 150_000.0)
    naive_time = time.perf_counter() - start
    assert np.allclose(fast, naive, rtol=1e-10), "fast and naive disagree"

    full_time, mc = best_of(lambda: result.uncertainty(dists, n=N, seed=0), repeat=3)
    d = len(dists)
    print(f"value map: {K} outcomes, {d} uncertain assumptions, {N:,} draws")
    print(f"vectorised ratio draws      : {fast_time * 1000:8.2f} ms")
    print(f"naive per-draw loop         : {naive_time * 1000:8.2f} ms")
    print(f"speed-up                    : {naive_time / fast_time:8.1f} x")
    print(
        f"full uncertainty() incl. Sobol ({N * (d + 2):,} evaluations): {full_time * 1000:.1f} ms"
    )
    print(
        f"naive equivalent (extrapolated, {N * (d + 2):,} evaluations): "
        f"{naive_time * (d + 2):.1f} s"
    )
    print(f"P(ratio > 1) = {mc.probability_positive:.3f}; 90% interval {mc.interval(0.9)}")


if __name__ == "__main__":
    main()
