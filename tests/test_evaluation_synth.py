"""Synthetic control: exact recovery of a known convex combination, simplex solver vs an
independent optimiser (SLSQP), order invariance, placebo rank, poor-fit warning, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

from doeagenda.errors import DataError, EstimationError
from doeagenda.evaluation import PoorFitWarning, synthetic_control
from doeagenda.evaluation.synth import simplex_least_squares

TRUE_W = {"d03": 0.5, "d07": 0.3, "d11": 0.2}


def factor_panel(n_donors=20, n_times=25, start=2000, effect=-4.0, seed=0, noise=0.0):
    rng = np.random.default_rng(seed)
    years = np.arange(1990, 1990 + n_times)
    factors = np.cumsum(rng.normal(size=(n_times, 3)), axis=0)
    loadings = rng.uniform(0, 2, (n_donors, 3))
    donors = 10 + factors @ loadings.T + rng.normal(0, 1, (n_times, n_donors))
    names = [f"d{j:02d}" for j in range(n_donors)]
    treated = sum(w * donors[:, names.index(k)] for k, w in TRUE_W.items())
    treated = treated + noise * rng.normal(size=n_times) + np.where(years >= start, effect, 0.0)
    rows = [("T", y, treated[i]) for i, y in enumerate(years)]
    rows += [(n, y, donors[i, j]) for j, n in enumerate(names) for i, y in enumerate(years)]
    df = pd.DataFrame(rows, columns=["unit", "year", "y"])
    cov = rng.normal(size=n_donors + 1)
    df["x1"] = df["unit"].map(dict(zip(["T", *names], cov, strict=True)))
    return df


def test_recovers_known_weights_and_effect_exactly():
    # more pre-periods (30) than donors (12): the exact fit is unique
    df = factor_panel(n_donors=12, n_times=40, start=2020)
    res = synthetic_control(df, "y", "unit", "year", "T", 2020)
    assert res.weights.sum() == pytest.approx(1.0, abs=1e-9)
    assert (res.weights >= 0).all()
    for name, w in TRUE_W.items():
        assert res.weights[name] == pytest.approx(w, abs=1e-4)
    assert res.pre_rmspe < 1e-3
    assert res.att == pytest.approx(-4.0, abs=1e-3)
    assert res.gap.loc[2025] == pytest.approx(-4.0, abs=1e-3)


@pytest.mark.parametrize("seed", range(5))
def test_simplex_solver_matches_independent_slsqp(seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(12, 8))
    b = rng.normal(size=12) * 2
    w = simplex_least_squares(a, b)
    ref = optimize.minimize(
        lambda v: np.sum((a @ v - b) ** 2),
        np.full(8, 1 / 8),
        method="SLSQP",
        bounds=[(0, 1)] * 8,
        constraints=[{"type": "eq", "fun": lambda v: v.sum() - 1}],
        options={"ftol": 1e-14, "maxiter": 1000},
    )
    assert np.sum((a @ w - b) ** 2) <= ref.fun + 1e-8
    assert w == pytest.approx(ref.x, abs=1e-4)


@pytest.mark.filterwarnings("ignore::doeagenda.evaluation.PoorFitWarning")
def test_result_does_not_depend_on_row_or_donor_order():
    df = factor_panel(noise=0.5, seed=1)
    a = synthetic_control(df, "y", "unit", "year", "T", 2000, predictors=["y", "x1"])
    shuffled = df.sample(frac=1.0, random_state=3)
    b = synthetic_control(shuffled, "y", "unit", "year", "T", 2000, predictors=["y", "x1"])
    assert np.allclose(a.weights.sort_index(), b.weights.sort_index(), atol=1e-12)
    assert a.att == pytest.approx(b.att, abs=1e-12)


@pytest.mark.filterwarnings("ignore::doeagenda.evaluation.PoorFitWarning")
def test_nested_v_optimisation_beats_a_grid_search_over_v():
    df = factor_panel(noise=0.2, seed=2)
    res = synthetic_control(df, "y", "unit", "year", "T", 2000, predictors=["y", "x1"])
    assert res.predictor_weights.sum() == pytest.approx(1.0)
    assert res.weights.sum() == pytest.approx(1.0)
    # independent: grid over v1 in [0, 1], inner problem by SLSQP, outer loss = pre-MSPE
    wide = df.pivot(index="year", columns="unit", values="y")
    pre = wide.index < 2000
    donors = sorted(c for c in wide.columns if c != "T")
    xall = np.vstack(
        [
            df[df["year"] < 2000].groupby("unit")["y"].mean().reindex(["T", *donors]).to_numpy(),
            df.groupby("unit")["x1"].first().reindex(["T", *donors]).to_numpy(),
        ]
    )
    xs = xall / xall.std(axis=1, ddof=1)[:, None]
    best = np.inf
    for v1 in np.linspace(0, 1, 41):
        v = np.array([v1, 1 - v1])
        obj = lambda w, v=v: np.sum(v * (xs[:, 0] - xs[:, 1:] @ w) ** 2)  # noqa: E731
        fit = optimize.minimize(
            obj,
            np.full(len(donors), 1 / len(donors)),
            method="SLSQP",
            bounds=[(0, 1)] * len(donors),
            constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1}],
            options={"ftol": 1e-12, "maxiter": 500},
        )
        gap = wide.loc[pre, "T"].to_numpy() - wide.loc[pre, donors].to_numpy() @ fit.x
        best = min(best, float(np.mean(gap**2)))
    assert res.pre_rmspe**2 <= best + 1e-6


def test_placebo_rank_is_first_for_a_large_effect():
    df = factor_panel(noise=0.3, seed=3, effect=-15.0)
    res = synthetic_control(df, "y", "unit", "year", "T", 2000)
    placebo = res.placebo_test()
    assert placebo.rank == 1
    assert placebo.pvalue == pytest.approx(1 / 21)
    assert placebo.gaps["unit"].nunique() == 21
    assert "layer" in placebo.chart(mspe_cutoff=5).to_dict()
    assert "placebotoets p-waarde" in res.summary()["onderdeel"].tolist()


def test_placebo_pvalue_is_not_small_without_effect():
    df = factor_panel(noise=0.5, seed=4, effect=0.0)
    placebo = synthetic_control(df, "y", "unit", "year", "T", 2000).placebo_test()
    assert placebo.pvalue > 0.1


def test_poor_fit_warns():
    df = factor_panel(seed=5)
    df.loc[df["unit"] == "T", "y"] += 60.0
    with pytest.warns(PoorFitWarning):
        res = synthetic_control(df, "y", "unit", "year", "T", 2000)
    assert any("Slechte fit" in str(w) for w in res.summary()["waarde"])


def test_bad_input_errors():
    df = factor_panel()
    with pytest.raises(DataError, match="staat niet in kolom"):
        synthetic_control(df, "y", "unit", "year", "XX", 2000)
    with pytest.raises(EstimationError, match="geen voorperiode"):
        synthetic_control(df, "y", "unit", "year", "T", 1980)
    with pytest.raises(EstimationError, match="geen donoren"):
        synthetic_control(df[df["unit"] == "T"], "y", "unit", "year", "T", 2000)
    with pytest.raises(DataError, match="dubbele rijen"):
        synthetic_control(pd.concat([df, df.iloc[[0]]]), "y", "unit", "year", "T", 2000)
    with pytest.raises(DataError, match="moet getallen bevatten"):
        synthetic_control(
            df.assign(y=df["y"].astype(str).where(df.index != 3, "x")),
            "y",
            "unit",
            "year",
            "T",
            2000,
        )


def test_chart_and_frame():
    res = synthetic_control(factor_panel(), "y", "unit", "year", "T", 2000)
    assert "layer" in res.chart().to_dict()
    assert list(res.to_frame().columns) == ["time", "behandeld", "synthetisch", "verschil"]
