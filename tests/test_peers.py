"""The hand-written estimators agree with peer libraries (the ``bench`` extra) on the same data.

Skipped only when a peer of the extra is not installed (``pip install -e '.[bench]'``).
The comparisons and their tolerances are those of ``benchmarks/bench_peers.py``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.peers

for _peer in ("pysyncon", "csdid", "wildboottest", "lifelines", "SALib"):
    pytest.importorskip(_peer, reason=f"peer {_peer} of the bench extra is not installed")

_BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_peers.py"
_spec = importlib.util.spec_from_file_location("bench_peers", _BENCH)
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_peers"] = bench  # dataclasses look their module up there
_spec.loader.exec_module(bench)


def _within(row) -> None:
    tolerance = bench.TOLERANCES[row.name]
    assert row.max_difference <= tolerance, (row.name, row.max_difference, tolerance)


def test_synthetic_control_agrees_with_pysyncon():
    _within(bench.compare_synth(repeat=1))


def test_callaway_santanna_agrees_with_csdid():
    _within(bench.compare_staggered(repeat=1))


def test_wild_cluster_bootstrap_agrees_with_wildboottest():
    _within(bench.compare_wild(repeat=1))


def test_kaplan_meier_and_logrank_agree_with_lifelines():
    for row in bench.compare_kaplan_meier(repeat=1):
        _within(row)


def test_cox_agrees_with_lifelines():
    _within(bench.compare_cox(repeat=1))


def test_sobol_agrees_with_salib():
    _within(bench.compare_sobol(repeat=1))
