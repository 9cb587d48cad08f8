"""The shipped voorbeeld register is what the documented generator makes."""

from __future__ import annotations

import pandas as pd

import doeagenda.initiatives as ini
from doeagenda.initiatives.voorbeeld import PEILDATUM, N, generate_register, write_voorbeeld


def test_shipped_voorbeeld_equals_a_fresh_generation(tmp_path):
    fresh = write_voorbeeld(tmp_path / "initiatieven_voorbeeld.csv")
    shipped = ini.register_path("voorbeeld")
    assert shipped.name == "initiatieven_voorbeeld.csv"  # says voorbeeld in its name
    assert fresh.read_bytes() == shipped.read_bytes()


def test_voorbeeld_is_valid_and_plausible():
    result = ini.check_register("voorbeeld")
    assert result.ok, result.text()
    reg = result.register
    assert len(reg) == N
    assert reg["gemeente_code"].nunique() >= 20
    assert reg.attrs["peildatum"] == PEILDATUM
    stopped = reg["status"].eq("gestopt")
    assert (stopped == reg["einddatum"].notna()).all()
    assert 0.25 < stopped.mean() < 0.7
    assert (reg["einddatum"].dropna() < pd.Timestamp(PEILDATUM)).all()


def test_generator_is_seeded():
    a = generate_register(n=40, seed=5)
    b = generate_register(n=40, seed=5)
    c = generate_register(n=40, seed=6)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)
