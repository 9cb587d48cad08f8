"""Benchmark: register validation and network summaries on a large invented register.

Measures in one run, on a 20,000-initiative register from the voorbeeld generator:
  * validation (``check_frame``: every cell of every row) in rows per second;
  * the partner-type co-occurrence matrix and the per-gemeente sector shares, computed
    with the vectorised implementation (0/1 matrix product and groupby) and with a naive
    baseline (a Python loop over initiatives and type pairs that updates a DataFrame cell
    by cell), checks both give the same result, and prints the speed-up.
Run: ``.venv/bin/python benchmarks/bench_initiatives.py``.
"""

from __future__ import annotations

import time
from itertools import combinations

import pandas as pd

from doeagenda.initiatives import network
from doeagenda.initiatives.register import PARTNER_TYPES, check_frame
from doeagenda.initiatives.voorbeeld import generate_register

N = 20_000


def naive_co_occurrence(register: pd.DataFrame) -> pd.DataFrame:
    sets = register["partner_typen"].map(lambda ts: sorted(set(ts)))
    present = {t for s in sets for t in s}
    types = [t for t in PARTNER_TYPES if t in present]
    matrix = pd.DataFrame(0, index=types, columns=types, dtype="int64")
    for kinds in sets:
        for t in kinds:
            matrix.loc[t, t] += 1
        for a, b in combinations(sorted(kinds, key=types.index), 2):
            matrix.loc[a, b] += 1
            matrix.loc[b, a] += 1
    matrix.index.name = "type"
    return matrix


def naive_sector_share(register: pd.DataFrame) -> pd.DataFrame:
    sets = register["partner_typen"].map(set)
    present = {t for s in sets for t in s}
    types = [t for t in PARTNER_TYPES if t in present]
    rows = []
    for gm, idx in register.groupby("gemeente_code").groups.items():
        part = sets.loc[idx]
        for t in types:
            k = sum(t in s for s in part)
            rows.append((gm, t, len(part), k, k / len(part)))
    cols = ["gemeente_code", "type", "initiatieven", "met_partner", "aandeel"]
    return pd.DataFrame(rows, columns=cols)


def main() -> None:
    t0 = time.perf_counter()
    table = generate_register(n=N, seed=1)
    t_gen = time.perf_counter() - t0

    t0 = time.perf_counter()
    result = check_frame(table)
    t_check = time.perf_counter() - t0
    assert result.ok, result.text()[:300]
    reg = result.register
    net = network(reg)

    t0 = time.perf_counter()
    fast_co = net.co_occurrence()
    fast_share = net.sector_share()
    t_fast = time.perf_counter() - t0

    t0 = time.perf_counter()
    slow_co = naive_co_occurrence(reg)
    slow_share = naive_sector_share(reg)
    t_slow = time.perf_counter() - t0

    pd.testing.assert_frame_equal(fast_co, slow_co, check_names=False)
    key = ["gemeente_code", "type"]
    a = fast_share.sort_values(key).reset_index(drop=True)
    b = slow_share.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)

    print(f"register of {N:,} initiatives generated in {t_gen:.2f} s")
    print(f"validation: {t_check:.2f} s = {N / t_check:,.0f} rows/s")
    print(f"co-occurrence + sector share, vectorised: {t_fast * 1000:.1f} ms")
    print(f"co-occurrence + sector share, naive loop: {t_slow * 1000:.1f} ms")
    print(f"speed-up: {t_slow / t_fast:.0f}x")


if __name__ == "__main__":
    main()
