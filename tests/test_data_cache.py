"""The per-level disk cache of indicator tables: same frames, and never a source of truth."""

from __future__ import annotations

import pandas as pd
import pytest

from doeagenda.data import api, core


@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(api.CACHE_DIR_VARIABLE, str(tmp_path))
    api.clear_cache()
    yield tmp_path
    api.clear_cache()


def test_cached_level_equals_the_split_of_the_shipped_csv(cache_folder):
    first = core._indicators_at("gemeente")
    files = list(cache_folder.glob("indicators-gemeente-*.pkl"))
    assert len(files) == 1
    api.clear_cache()
    from_cache = core._indicators_at("gemeente")
    pd.testing.assert_frame_equal(from_cache, first)
    # Independent of the cache: split straight from the CSV tables.
    pd.testing.assert_frame_equal(from_cache, core._split_level("gemeente"))


def test_unreadable_cache_falls_back_to_csv_and_is_rewritten(cache_folder):
    expected = core._indicators_at("land")
    (path,) = cache_folder.glob("indicators-land-*.pkl")
    path.write_bytes(b"not a pickle")
    api.clear_cache()
    pd.testing.assert_frame_equal(core._indicators_at("land"), expected)
    assert path.read_bytes() != b"not a pickle"


def test_empty_variable_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv(api.CACHE_DIR_VARIABLE, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    api.clear_cache()
    try:
        assert api.cache_dir() is None
        assert len(core._indicators_at("land")) > 0
        assert not any(tmp_path.iterdir())
    finally:
        api.clear_cache()


def test_unwritable_cache_folder_still_loads(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv(api.CACHE_DIR_VARIABLE, str(blocker / "sub"))
    api.clear_cache()
    try:
        assert len(core._indicators_at("land")) > 0
    finally:
        api.clear_cache()


def test_entries_of_other_keys_are_pruned_after_a_week(cache_folder):
    import os
    import time

    old = cache_folder / "indicators-land-000000000000000000000000.pkl"
    recent = cache_folder / "indicators-land-111111111111111111111111.pkl"
    other_level = cache_folder / "indicators-wijk-000000000000000000000000.pkl"
    for path in (old, recent, other_level):
        path.write_bytes(b"x")
    week_ago = time.time() - 8 * 24 * 3600
    os.utime(old, (week_ago, week_ago))
    os.utime(other_level, (week_ago, week_ago))
    core._indicators_at("land")
    assert not old.exists()
    assert recent.exists() and other_level.exists()
    assert len(list(cache_folder.glob("indicators-land-*.pkl"))) == 2
