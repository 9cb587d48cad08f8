"""Benchmark of doeagenda.evaluation: fast implementations vs naive baselines, same run.

1. Synthetic control with a full in-space placebo test on 39 units x 31 periods (the
   size of Abadie, Diamond & Hainmueller's California data), with predictors (nested
   V/W optimisation) and without (outcome lags only):
   fast  = NNLS simplex solver (``simplex_least_squares``) inside the optimisation,
   all 39 fits timed;
   naive = the same optimisation with scipy SLSQP as the inner solver; it is so slow
   that only the first few of the 39 fits are timed and the total is extrapolated.
2. Power analysis, 1,000 simulations x 6 effect sizes on 26 units x 10 periods:
   fast  = vectorised closed form (``power_simulation``);
   naive = a statsmodels OLS refit with clustered covariance per simulation and effect.

Run: ``.venv/bin/python benchmarks/bench_evaluation.py``. Not part of the test suite.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import optimize, stats

from doeagenda.evaluation import power_simulation, synthetic_control
from doeagenda.evaluation import synth as synth_module
from doeagenda.evaluation.power import unit_changes


def slsqp_simplex(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Naive inner solver: generic SLSQP with bounds and the adding-up constraint."""
    j = a.shape[1]
    res = optimize.minimize(
        lambda w: float(np.sum((a @ w - b) ** 2)),
        np.full(j, 1 / j),
        jac=lambda w: 2 * a.T @ (a @ w - b),
        method="SLSQP",
        bounds=[(0, 1)] * j,
        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1, "jac": lambda w: np.ones(j)}],
        options={"ftol": 1e-12, "maxiter": 500},
    )
    w = np.clip(res.x, 0, None)
    return w / w.sum()


def california_like(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    units, years = 39, np.arange(1970, 2001)
    factors = np.cumsum(rng.normal(size=(len(years), 3)), axis=0)
    loadings = rng.uniform(0, 2, (units, 3))
    y = 120 + 5 * factors @ loadings.T + rng.normal(0, 2, (len(years), units))
    y[years >= 1989, 0] -= 20
    rows = []
    for j in range(units):
        for i, year in enumerate(years):
            rows.append(
                {
                    "state": f"S{j:02d}",
                    "year": year,
                    "cigsale": y[i, j],
                    "lnincome": 9.8 + 0.1 * loadings[j, 0] + rng.normal(0, 0.01),
                    "beer": 24 + 2 * loadings[j, 1] + rng.normal(0, 0.1),
                    "retprice": 60 + 10 * loadings[j, 2] + rng.normal(0, 1),
                }
            )
    return pd.DataFrame(rows)


def run_synth_fast(df: pd.DataFrame, predictors: list[str] | None) -> tuple[float, object]:
    """Fast path: the package's synthetic control and its full placebo test (39 fits)."""
    start = time.perf_counter()
    res = synthetic_control(df, "cigsale", "state", "year", "S00", 1989, predictors=predictors)
    res.placebo_test()
    return time.perf_counter() - start, res


def run_synth_naive(res, n_fits: int) -> tuple[float, float]:
    """Naive path: the same fits with SLSQP as inner solver; ``n_fits`` of the 39 are timed.

    Returns seconds per fit and the largest weight difference with the fast path.
    """
    inp = res._placebo_inputs
    y1, y0, pre, x1, x0 = inp["y1"], inp["y0"], inp["pre"], inp["x1"], inp["x0"]
    start = time.perf_counter()
    naive = synth_module._fit(y1, y0, pre, x1, x0, inner=slsqp_simplex)
    diff = float(np.max(np.abs(naive.weights - res.weights.to_numpy())))
    for j in range(n_fits - 1):
        others = [i for i in range(y0.shape[1]) if i != j]
        if x1 is None:
            synth_module._fit(y0[:, j], y0[:, others], pre, None, None, inner=slsqp_simplex)
        else:
            synth_module._fit(
                y0[:, j], y0[:, others], pre, x0[:, j], x0[:, others], inner=slsqp_simplex
            )
    return (time.perf_counter() - start) / n_fits, diff


def naive_power(df: pd.DataFrame, n_treated: int, effects: list[float], n_sims: int, seed: int):
    _delta, n_periods, start = unit_changes(df, "y", "u", "t")
    units = np.sort(df["u"].unique())
    rng = np.random.default_rng(seed)
    order = np.argsort(rng.random((n_sims, len(units))), axis=1)
    post = (df["t"] >= start).to_numpy()
    n, g = len(df), len(units)
    k_dof = 1 + n_periods
    crit = stats.t.ppf(0.975, g - 1)
    rejections = np.zeros(len(effects))
    for s in range(n_sims):
        treated = np.isin(df["u"].to_numpy(), units[order[s, :n_treated]])
        d = (treated & post).astype(float)
        for e, effect in enumerate(effects):
            frame = pd.DataFrame({"y": df["y"].to_numpy() + effect * d, "d": d})
            dm = frame - frame.groupby(df["u"].to_numpy()).transform("mean")
            dm = dm - dm.groupby(df["t"].to_numpy()).transform("mean")
            fit = sm.OLS(dm["y"].to_numpy(), dm[["d"]].to_numpy()).fit(
                cov_type="cluster", cov_kwds={"groups": df["u"].to_numpy()}
            )
            se = float(fit.bse[0]) * np.sqrt((n - 1) / (n - k_dof))
            rejections[e] += abs(fit.params[0]) / se > crit
    return rejections / n_sims


def main() -> None:
    warnings.simplefilter("ignore")
    df = california_like()
    print("Synthetic control + full in-space placebo (39 units x 31 periods = 39 fits)")
    for label, predictors, n_naive in (
        ("outcome lags only", None, 5),
        ("predictors, nested V", ["cigsale", "lnincome", "beer", "retprice"], 2),
    ):
        fast_s, res = run_synth_fast(df, predictors)
        per_fit, diff = run_synth_naive(res, n_naive)
        naive_s = per_fit * 39
        print(
            f"  {label:22s} fast {fast_s:7.2f} s (39 fits)  naive(SLSQP inner) {naive_s:8.1f} s "
            f"(extrapolated from {n_naive} timed fits)  ratio {naive_s / fast_s:7.0f}x  "
            f"max weight difference {diff:.1e}  att {res.att:.2f}  placebo p "
            f"{res.placebo_test().pvalue:.3f}"
        )

    rng = np.random.default_rng(1)
    units, periods = 26, 10
    u = np.repeat(np.arange(units), periods)
    t = np.tile(np.arange(2015, 2015 + periods), units)
    panel = pd.DataFrame(
        {
            "u": u,
            "t": t,
            "y": rng.normal(0, 3, units)[u] + 0.2 * (t - 2015) + rng.normal(size=units * periods),
        }
    )
    effects = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0]
    print("Power analysis, 1,000 simulations x 6 effect sizes (26 units x 10 periods)")
    start = time.perf_counter()
    fast = power_simulation(panel, "y", "u", "t", 5, effects, n_sims=1000, seed=7)
    fast_s = time.perf_counter() - start
    start = time.perf_counter()
    slow = naive_power(panel, 5, effects, 1000, seed=7)
    slow_s = time.perf_counter() - start
    same = np.allclose(fast.table["power"].to_numpy(), slow)
    print(
        f"  fast {fast_s:7.3f} s  naive(statsmodels refit) {slow_s:7.2f} s  "
        f"ratio {slow_s / fast_s:7.0f}x  identical power: {same}"
    )
    print(f"  power: {np.round(fast.table['power'].to_numpy(), 3).tolist()}")


if __name__ == "__main__":
    main()
