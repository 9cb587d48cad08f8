"""Atomic writes: no temporary files left, no half-written target, clear error."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from doeagenda.errors import OutputError
from doeagenda.iorw import atomic_write, write_csv


def test_write_replaces_whole_file(tmp_path):
    target = tmp_path / "sub" / "a.txt"
    atomic_write(target, "eerste")
    atomic_write(target, "tweede")
    assert target.read_text() == "tweede"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.txt"]


def test_failed_write_keeps_old_content(tmp_path, monkeypatch):
    target = tmp_path / "a.txt"
    atomic_write(target, "oud")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OutputError, match="No space left"):
        atomic_write(target, "nieuw")
    assert target.read_text() == "oud"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_write_csv_round_trip(tmp_path):
    frame = pd.DataFrame({"code": ["GM0344"], "waarde": [1.5]})
    write_csv(frame, tmp_path / "t.csv", index=False)
    assert pd.read_csv(tmp_path / "t.csv").equals(frame)


def test_unwritable_target_is_output_error(tmp_path):
    blocker = tmp_path / "bestand"
    blocker.write_text("geen map")
    with pytest.raises(OutputError, match="cannot write"):
        atomic_write(blocker / "x.txt", "x")
