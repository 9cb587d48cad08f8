"""The package's one Sobol estimator, against closed forms and against SALib (test-only reference)."""

from __future__ import annotations

import numpy as np
import pytest
from SALib.analyze import sobol as salib_analyze
from SALib.sample import sobol as salib_sample

from doeagenda.sensitivity import ishigami, ishigami_indices, saltelli_jansen, sobol_table


def test_ishigami_closed_form_matches_published_values():
    # Saltelli et al. (2008), The Primer, for a = 7, b = 0.1
    first, total = ishigami_indices()
    assert first == pytest.approx([0.3139, 0.4424, 0.0], abs=1e-4)
    assert total == pytest.approx([0.5576, 0.4424, 0.2437], abs=1e-4)


def test_estimator_recovers_analytic_ishigami_indices():
    first, total = ishigami_indices()
    table = sobol_table(ishigami, 3, n=2**14, seed=1, n_boot=100)
    np.testing.assert_allclose(table["S1"], first, atol=0.02)
    np.testing.assert_allclose(table["ST"], total, atol=0.02)
    # the bootstrap half-widths are informative: neither zero nor wider than the index range
    assert ((table["S1_conf"] > 0.001) & (table["S1_conf"] < 0.05)).all()
    assert ((table["ST_conf"] > 0.001) & (table["ST_conf"] < 0.05)).all()


def test_estimator_agrees_with_salib_on_ishigami():
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[0, 1]] * 3}
    x = salib_sample.sample(problem, 2**13, calc_second_order=False, seed=2)
    peer = salib_analyze.analyze(
        problem, ishigami(x), calc_second_order=False, num_resamples=10, seed=2
    )
    ours = sobol_table(ishigami, 3, n=2**13, seed=2, n_boot=0)
    np.testing.assert_allclose(ours["S1"], peer["S1"], atol=0.02)
    np.testing.assert_allclose(ours["ST"], peer["ST"], atol=0.02)


def test_additive_model_has_weights_squared_as_indices():
    # y = sum c_i u_i with independent uniforms: S_i = ST_i = c_i^2 / sum c_j^2
    coef = np.array([3.0, 1.0, 0.0])
    table = sobol_table(lambda u: u @ coef, 3, n=2**12, seed=0, n_boot=0)
    expected = coef**2 / np.sum(coef**2)
    np.testing.assert_allclose(table["S1"], expected, atol=0.01)
    np.testing.assert_allclose(table["ST"], expected, atol=0.01)


def test_constant_output_gives_nan_not_zero():
    y = np.full(64, 2.5)
    first, total = saltelli_jansen(y, y, np.stack([y, y]))
    assert np.isnan(first).all()
    assert np.isnan(total).all()
