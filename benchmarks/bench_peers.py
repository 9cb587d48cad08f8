"""Benchmark of the hand-written estimators against peer libraries, same data, same run.

For each estimator the package and its peer (the ``bench`` extra) run on the same
data; the table shows the peer's time over ours (> 1: ours is faster) and the largest
absolute difference in results, with the tolerance the test suite holds it to
(``tests/test_peers.py`` runs :func:`compare` with small sizes):

========================  =========================================  ==================
estimator                 package                                    peer
========================  =========================================  ==================
synthetic control         ``evaluation.synthetic_control``           pysyncon ``Synth``
Callaway–Sant'Anna        ``evaluation.staggered_did``               csdid ``ATTgt``
wild cluster bootstrap    ``evaluation.did(bootstrap=True)``         wildboottest
Kaplan–Meier + log-rank   ``initiatives.kaplan_meier``               lifelines
Cox (Efron ties)          ``initiatives.cox_model``                  lifelines
Sobol indices             ``sensitivity.sobol_table``                SALib
========================  =========================================  ==================

Run: ``.venv/bin/python benchmarks/bench_peers.py``. Not part of the test suite.
"""

from __future__ import annotations

import io
import time
import warnings
from collections.abc import Callable
from contextlib import redirect_stdout
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Largest absolute difference accepted per comparison (the test asserts these).
TOLERANCES = {
    "synthetic control": 0.05,  # synthetic outcome path, outcome sd ~ 10
    "Callaway–Sant'Anna": 1e-6,  # every ATT(g, t)
    "wild cluster bootstrap": 0.01,  # p-value (full enumeration of 2^8 sign vectors)
    "Kaplan–Meier": 1e-9,  # survival probability at every event time
    "log-rank": 1e-6,  # chi-square statistic
    "Cox": 1e-5,  # coefficients
    "Sobol": 0.02,  # S1 and ST on Ishigami (sampling noise of both designs)
}


@dataclass
class Comparison:
    """One row of the table."""

    name: str
    ours_seconds: float
    peer_seconds: float
    max_difference: float
    truth: str = ""

    @property
    def ratio(self) -> float:
        """Peer's time over ours (> 1: ours is faster)."""
        return self.peer_seconds / self.ours_seconds


def _best_of(func: Callable[[], object], repeat: int) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = func()
        best = min(best, time.perf_counter() - start)
    return best, value


def _quiet(func: Callable[[], object]) -> Callable[[], object]:
    """Run a peer without its printed tables and deprecation chatter."""

    def run():
        with warnings.catch_warnings(), redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            return func()

    return run


# --------------------------------------------------------------------------- data
def synth_panel(n_units: int = 39, n_periods: int = 31, start: int = 20, seed: int = 0):
    """Factor-model panel whose unit 0 is a convex mix of donors, with effect -10 from ``start``."""
    rng = np.random.default_rng(seed)
    factors = np.cumsum(rng.normal(0, 1, (n_periods, 3)), axis=0)
    loadings = rng.uniform(0, 2, (n_units, 3))
    y = 100 + factors @ loadings.T + rng.normal(0, 0.5, (n_periods, n_units))
    mix = np.zeros(n_units - 1)
    mix[:4] = [0.4, 0.3, 0.2, 0.1]
    y[:, 0] = y[:, 1:] @ mix + rng.normal(0, 0.2, n_periods)
    y[start:, 0] -= 10
    periods = np.arange(n_periods)
    return pd.DataFrame(
        {
            "unit": np.repeat(np.arange(n_units), n_periods),
            "time": np.tile(periods, n_units),
            "y": y.T.ravel(),
        }
    )


def staggered_panel(n_units: int = 300, seed: int = 1, effect: float = 2.0):
    """Staggered adoption (starts 4, 6 or never) with a known ATT of ``effect`` per treated period."""
    rng = np.random.default_rng(seed)
    periods = np.arange(1, 9)
    group = rng.choice([0, 4, 6], size=n_units, p=[0.4, 0.3, 0.3])
    unit_fe = rng.normal(0, 1, n_units) + 0.5 * (group > 0)
    time_fe = 0.3 * periods
    rows = []
    for i in range(n_units):
        treated = (group[i] > 0) & (periods >= group[i])
        y = unit_fe[i] + time_fe + effect * treated + rng.normal(0, 1, len(periods))
        rows.append(pd.DataFrame({"unit": i + 1, "time": periods, "g": group[i], "y": y}))
    return pd.concat(rows, ignore_index=True)


def cluster_panel(n_clusters: int = 8, n_periods: int = 10, seed: int = 2):
    """Few clusters (half treated from period 5) with a small effect: a borderline p-value."""
    rng = np.random.default_rng(seed)
    rows = []
    for g in range(n_clusters):
        treated = int(g < n_clusters // 2)
        shock = rng.normal(0, 1)
        for t in range(n_periods):
            post = int(t >= 5)
            y = shock + 0.2 * t + 0.6 * treated * post + rng.normal(0, 1)
            rows.append({"unit": g, "time": t, "treated": treated, "post": post, "y": y})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- comparisons
def compare_synth(repeat: int = 3) -> Comparison:
    """Synthetic control with the outcome in each pre-period as predictor."""
    from pysyncon import Dataprep, Synth

    from doeagenda.evaluation import synthetic_control

    data = synth_panel()
    pre = list(range(20))
    donors = list(range(1, 39))
    wide = data.pivot(index="time", columns="unit", values="y")

    def ours():
        return synthetic_control(data, "y", "unit", "time", treated_unit=0, treatment_time=20)

    def peer():
        prep = Dataprep(
            foo=data,
            predictors=[],
            predictors_op="mean",
            dependent="y",
            unit_variable="unit",
            time_variable="time",
            treatment_identifier=0,
            controls_identifier=donors,
            time_predictors_prior=pre,
            time_optimize_ssr=pre,
            special_predictors=[("y", [t], "mean") for t in pre],
        )
        # pysyncon divides each predictor by its sd across units; V = sd^2 undoes that, so
        # both solve the same problem: minimise the unweighted pre-period MSPE
        scale = wide.loc[pre].std(axis=1).to_numpy() ** 2
        synth = Synth()
        synth.fit(dataprep=prep, custom_V=scale / scale.sum())
        return synth

    t_ours, res = _best_of(ours, repeat)
    t_peer, synth = _best_of(_quiet(peer), repeat)
    peer_path = wide[donors].to_numpy() @ synth.W
    diff = float(np.max(np.abs(res.synthetic.to_numpy() - peer_path)))
    return Comparison("synthetic control", t_ours, t_peer, diff, f"ATT {res.att:.2f} (truth -10)")


def compare_staggered(repeat: int = 3) -> Comparison:
    """Callaway–Sant'Anna group-time ATTs, never-treated controls, doubly robust, no covariates."""
    from csdid.att_gt import ATTgt

    from doeagenda.evaluation import staggered_did

    data = staggered_panel()

    def ours():
        return staggered_did(data, "y", "unit", "time", "g", control="never_treated")

    def peer():
        return ATTgt(
            yname="y", tname="time", idname="unit", gname="g", data=data,
            control_group=["nevertreated"],
        ).fit(est_method="dr", base_period="varying", bstrap=False)  # fmt: skip

    t_ours, res = _best_of(ours, repeat)
    t_peer, fitted = _best_of(_quiet(peer), repeat)
    peer_table = pd.DataFrame(
        {
            "group": fitted.results["group"],
            "time": fitted.results["year"],
            "att_peer": fitted.results["att"],
        }
    ).astype(float)
    mine = res.att_gt[["group", "time", "att"]].astype(float)
    both = mine.merge(peer_table, on=["group", "time"], how="outer")
    diff = float(np.max(np.abs(both["att"] - both["att_peer"])))
    simple = res.aggregate("simple").estimate
    return Comparison("Callaway–Sant'Anna", t_ours, t_peer, diff, f"ATT {simple:.2f} (truth 2)")


def compare_wild(repeat: int = 3) -> Comparison:
    """Wild cluster restricted bootstrap (WCR11, Rademacher) p-value of a two-way FE DiD."""
    import statsmodels.formula.api as smf
    from wildboottest.wildboottest import wildboottest

    from doeagenda.evaluation import did

    data = cluster_panel()
    data["d"] = data["treated"] * data["post"]

    def ours():
        return did(
            data, "y", "unit", "time", "treated", "post", bootstrap=True,
            boot_weights="rademacher", n_boot=9999,
        )  # fmt: skip

    def peer():
        model = smf.ols("y ~ d + C(unit) + C(time)", data=data)
        return wildboottest(
            model, B=9999, cluster=data["unit"], param="d", weights_type="rademacher",
            impose_null=True, bootstrap_type="11", seed=1, show=False,
        )  # fmt: skip

    t_ours, res = _best_of(ours, repeat)
    t_peer, table = _best_of(_quiet(peer), repeat)
    peer_p = float(np.asarray(table["p-value"]).ravel()[0])
    diff = abs(res.boot_pvalue - peer_p)
    return Comparison("wild cluster bootstrap", t_ours, t_peer, diff, f"p {res.boot_pvalue:.3f}")


def _survival():
    from doeagenda.initiatives import survival_data

    return survival_data("voorbeeld")


def compare_kaplan_meier(repeat: int = 5) -> list[Comparison]:
    """Kaplan–Meier per financing profile and the log-rank test, on the voorbeeld register."""
    from lifelines import KaplanMeierFitter
    from lifelines.statistics import multivariate_logrank_test

    from doeagenda.initiatives import kaplan_meier

    data = _survival()

    def ours():
        return kaplan_meier(data)

    def peer():
        curves = {}
        for group, part in data.groupby("financieringsprofiel"):
            fitter = KaplanMeierFitter().fit(part["duur_jaren"], part["gestopt"])
            curves[group] = fitter.survival_function_.iloc[:, 0]
        test = multivariate_logrank_test(
            data["duur_jaren"], data["financieringsprofiel"], data["gestopt"]
        )
        return curves, test

    t_ours, res = _best_of(ours, repeat)
    t_peer, (curves, test) = _best_of(_quiet(peer), repeat)
    diff = 0.0
    for group, curve in curves.items():
        mine = res.curves[res.curves["groep"] == group].drop_duplicates("jaren", keep="last")
        mine = mine.set_index("jaren")["overleving"]
        common = curve.index.intersection(mine.index)
        diff = max(diff, float(np.max(np.abs(mine.loc[common] - curve.loc[common]))))
    chi2 = abs(res.chi2 - float(test.test_statistic))
    return [
        Comparison("Kaplan–Meier", t_ours, t_peer, diff),
        Comparison("log-rank", t_ours, t_peer, chi2, f"chi2 {res.chi2:.2f}"),
    ]


def compare_cox(repeat: int = 5) -> Comparison:
    """Cox model (Efron ties) of stopping on the voorbeeld register, default covariates."""
    from lifelines import CoxPHFitter

    from doeagenda.initiatives import cox_model

    data = _survival()
    res = cox_model(data)
    design = pd.DataFrame(
        np.asarray(res.results.model.exog), columns=[f"x{i}" for i in range(len(res.names))]
    )
    design["duur_jaren"] = res.data["duur_jaren"].to_numpy()
    design["gestopt"] = res.data["gestopt"].to_numpy().astype(int)

    def ours():
        return cox_model(data)

    def peer():
        # tight convergence: by default lifelines stops with coefficients ~1e-4 from the optimum
        return CoxPHFitter().fit(design, "duur_jaren", "gestopt", fit_options={"precision": 1e-12})

    t_ours, res = _best_of(ours, repeat)
    t_peer, fitter = _best_of(_quiet(peer), repeat)
    diff = float(np.max(np.abs(res.to_frame()["coef"].to_numpy() - fitter.params_.to_numpy())))
    return Comparison("Cox", t_ours, t_peer, diff)


def compare_sobol(repeat: int = 3) -> Comparison:
    """Sobol S1 and ST of Ishigami, 2^13 base rows, 100 bootstrap resamples each."""
    from SALib.analyze import sobol as salib_analyze
    from SALib.sample import sobol as salib_sample

    from doeagenda.sensitivity import ishigami, sobol_table

    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[0, 1]] * 3}

    def ours():
        return sobol_table(ishigami, 3, n=2**13, seed=3, n_boot=100)

    def peer():
        x = salib_sample.sample(problem, 2**13, calc_second_order=False, seed=3)
        return salib_analyze.analyze(
            problem, ishigami(x), calc_second_order=False, num_resamples=100, seed=3
        )

    t_ours, table = _best_of(ours, repeat)
    t_peer, indices = _best_of(_quiet(peer), repeat)
    diff = max(
        float(np.max(np.abs(table["S1"].to_numpy() - indices["S1"]))),
        float(np.max(np.abs(table["ST"].to_numpy() - indices["ST"]))),
    )
    return Comparison("Sobol", t_ours, t_peer, diff, "Ishigami")


def compare(repeat: int = 3) -> list[Comparison]:
    """Run every comparison and return the rows of the table."""
    return [
        compare_synth(repeat),
        compare_staggered(repeat),
        compare_wild(repeat),
        *compare_kaplan_meier(repeat),
        compare_cox(repeat),
        compare_sobol(repeat),
    ]


def main() -> None:
    """Print the table (Markdown)."""
    rows = compare()
    print(
        "| estimator | ours (s) | peer (s) | peer / ours | largest difference | tolerance | note |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for row in rows:
        print(
            f"| {row.name} | {row.ours_seconds:.4f} | {row.peer_seconds:.4f} | "
            f"{row.ratio:.1f}x | {row.max_difference:.2e} | {TOLERANCES[row.name]:g} | {row.truth} |"
        )


if __name__ == "__main__":
    main()
