"""Design of small pilots: power by simulation on the user's own historical panel.

:func:`power_simulation` reuses the panel's real noise (Bertrand, Duflo &
Mullainathan 2004; Burlig, Preonas & Woerman 2020): in each simulation a random set of
``n_treated`` units gets a fake start at ``start`` (default: the middle period), the
effect is added to their post-start outcomes, and the DiD of :func:`did` (two-way
fixed effects, CR1 clustered by unit, Student-t with ``G - 1`` df) is estimated. Power
is the share of simulations that reject "no effect" at level ``alpha``.

Vectorised: with a common start in a balanced panel the two-way fixed effects estimate
equals the difference in mean ``post - pre`` changes between the fake treated and the
other units, and its CR1 variance has a closed form in those unit changes, so all
simulations and effect sizes are computed at once (the benchmark checks it against a
statsmodels refit per simulation). Adding an effect shifts only the estimate, not the
standard error, so the minimum detectable effect (MDE) at 80% power is found on a
fine grid without new simulations.

For comparison the analytic power of a two-sample t-test on the unit changes
(``statsmodels.stats.power.TTestIndPower``) is reported. The empirical rejection rate
at effect 0 (``size``) shows whether the test keeps its level: with one or two treated
units clustered standard errors over-reject, and the simulated "power" is then not to
be trusted (a :class:`PowerWarning`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.power import TTestIndPower

from doeagenda.charts import HIGHLIGHT, PALETTE, highlight_color, reference_line
from doeagenda.errors import EstimationError, ParameterError
from doeagenda.evaluation._common import (
    PowerWarning,
    balance,
    check_choice,
    prepare_panel,
    summary_frame,
    time_label,
    warn,
)
from doeagenda.results import ResultMixin

__all__ = [
    "RIVM_WAVES",
    "PanelPowerResult",
    "PowerResult",
    "power_on_panel",
    "power_simulation",
    "rivm_power",
    "rivm_wijk_panel",
]


@dataclass
class _SimulationDesign(ResultMixin):
    """What every power simulation records of its design (shared by the results below).

    Attributes
    ----------
    n_units, n_periods : int
        Size of the historical panel.
    n_sims : int
        Simulations (per design).
    alpha, target : float
        Significance level and the power the minimum detectable effect is read at.
    start : object
        The fake start period of the simulated pilots.
    """

    n_units: int
    n_periods: int
    n_sims: int
    alpha: float
    target: float
    start: object

    def _simulation_rows(self, sims_label: str) -> list[tuple[str, object]]:
        """Summary rows of the simulation: fake start, simulations, alpha."""
        return [
            ("nep-start", time_label(self.start)),
            (sims_label, self.n_sims),
            ("onbetrouwbaarheid (alpha)", self.alpha),
        ]


@dataclass
class PowerResult(_SimulationDesign):
    """Result of :func:`power_simulation`.

    Attributes
    ----------
    table : DataFrame
        ``effect, power, power_size_adjusted, power_analytic`` per effect size. ``power``
        uses the CR1 t-test of :func:`did`; ``power_size_adjusted`` uses the placebo
        critical value (the ``1 - alpha`` quantile of ``|t|`` without effect), i.e. a
        randomisation test with exact size; ``power_analytic`` the two-sample t-test
        formula on the unit changes.
    mde : float
        Minimum detectable effect at ``target`` power (simulation).
    mde_analytic : float
        The same from the analytic two-sample t-test formula.
    size : float
        Rejection rate at effect 0 (should be close to ``alpha``).
    mde_size_adjusted : float
        MDE of the size-adjusted (placebo) test.
    """

    table: pd.DataFrame
    mde: float
    mde_analytic: float
    size: float
    mde_size_adjusted: float
    n_treated: int
    method: str
    warnings: list[str] = field(default_factory=list)

    @property
    def power(self) -> pd.Series:
        """Simulated power indexed by effect size."""
        return self.table.set_index("effect")["power"]

    def summary(self) -> pd.DataFrame:
        """Summarise the design and the MDE (Dutch labels)."""
        rows = [
            ("methode", self.method),
            ("behandelde eenheden", self.n_treated),
            ("eenheden", self.n_units),
            ("perioden", self.n_periods),
            *self._simulation_rows("simulaties"),
            ("verwerpingskans zonder effect (hoort alpha te zijn)", self.size),
            (f"kleinste aantoonbare effect bij {self.target:.0%} power (simulatie)", self.mde),
            ("idem, gecorrigeerd voor omvang (placebo-kritieke waarde)", self.mde_size_adjusted),
            (
                f"kleinste aantoonbare effect bij {self.target:.0%} power (formule)",
                self.mde_analytic,
            ),
        ]
        return summary_frame(rows, self.warnings)

    def chart(self) -> alt.LayerChart:
        """Power curve (simulation and formula) with the target line."""
        names = {
            "power": "simulatie",
            "power_size_adjusted": "simulatie, gecorrigeerd",
            "power_analytic": "formule (t-toets)",
        }
        long = _by_source(self.table, "effect", names)
        lines = (
            alt.Chart(long)
            .mark_line(point=True)
            .encode(
                x=alt.X("effect:Q", title="Effect"),
                y=alt.Y("value:Q", title="Power", scale=alt.Scale(domain=[0, 1])),
                color=alt.Color(
                    "bron:N",
                    title="",
                    scale=alt.Scale(
                        domain=list(names.values()), range=[HIGHLIGHT, PALETTE[1], PALETTE[0]]
                    ),
                ),
                tooltip=["bron:N", "effect:Q", alt.Tooltip("value:Q", format=".2f")],
            )
        )
        target = reference_line(self.target, strokeDash=[4, 4])
        return alt.layer(lines, target).properties(
            title=f"Power met {self.n_treated} behandelde eenheden: kleinste aantoonbare effect {self.mde:.2f}"
        )


def unit_changes(
    data: pd.DataFrame, outcome: str, unit: str, time: str, start=None
) -> tuple[np.ndarray, int, object]:
    """Return each unit's mean post-minus-pre change, the number of periods and the start."""
    frame = prepare_panel(data, outcome, unit, time)
    notes: list[str] = []
    frame = balance(frame, unit, time, notes)
    times = np.sort(frame[time].unique())
    if start is None:
        start = times[len(times) // 2]
    post = frame[time] >= start
    if post.all() or not post.any():
        msg = f"start={start!r} laat geen periode ervoor of erna over; kies een periode binnen het panel"
        raise EstimationError(msg)
    means = frame.assign(_post=post).groupby([unit, "_post"])[outcome].mean().unstack("_post")
    return (means[True] - means[False]).to_numpy(float), len(times), start


def simulate_did_tests(
    delta: np.ndarray,
    n_periods: int,
    n_treated: int,
    n_sims: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised DiD estimates and CR1 standard errors for random assignments.

    Returns
    -------
    beta0 : ndarray (n_sims,)
        Estimate without added effect.
    se : ndarray (n_sims,)
        CR1 standard error (the same with any added effect).
    assign : ndarray (n_sims, N) of bool
    """
    n_units = len(delta)
    order = np.argsort(rng.random((n_sims, n_units)), axis=1)
    assign = np.zeros((n_sims, n_units), dtype=bool)
    np.put_along_axis(assign, order[:, :n_treated], True, axis=1)
    p = n_treated / n_units
    tr = assign.astype(float)
    beta0 = (tr @ delta) / n_treated - ((1 - tr) @ delta) / (n_units - n_treated)
    centred = tr - p
    resid = (delta - delta.mean())[None, :] - beta0[:, None] * centred
    n_obs = n_units * n_periods
    k_dof = 1 + n_periods
    corr = n_units / (n_units - 1) * (n_obs - 1) / (n_obs - k_dof)
    var = corr * (centred**2 * resid**2).sum(axis=1) / (n_units * p * (1 - p)) ** 2
    return beta0, np.sqrt(var), assign


def power_simulation(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    n_treated: int,
    effect_sizes,
    n_sims: int = 1000,
    method: str = "did",
    *,
    start=None,
    alpha: float = 0.05,
    target: float = 0.8,
    seed: int | None = 12345,
) -> PowerResult:
    """Simulate the power of a pilot with ``n_treated`` units on a historical panel.

    Parameters
    ----------
    data : DataFrame
        Historical long panel (before any pilot).
    outcome, unit, time : str
        Column names.
    n_treated : int
        Number of pilot units.
    effect_sizes : sequence of float
        Effects (in outcome units) added to the fake treated units after the start.
    n_sims : int
        Simulations (random assignments).
    method : {"did"}
        Estimator whose test is simulated.
    start : optional
        Fake start period (default: the middle period).
    alpha : float
        Significance level.
    target : float
        Power for the minimum detectable effect.
    seed : int, optional
        Seed of the random assignments.

    Returns
    -------
    PowerResult
    """
    check_choice(method, "method", ("did",))
    effects = np.atleast_1d(np.asarray(effect_sizes, dtype=float))
    if effects.size == 0 or not np.all(np.isfinite(effects)):
        msg = "effect_sizes moet een niet-lege lijst getallen zijn, bijvoorbeeld [0, 1, 2, 3]"
        raise ParameterError(msg)
    if int(n_sims) < 10:
        msg = f"n_sims={n_sims!r} is te klein; neem ten minste 100 (1000 is een goede standaard)"
        raise ParameterError(msg)
    delta, n_periods, start = unit_changes(data, outcome, unit, time, start)
    n_units = len(delta)
    if not 1 <= int(n_treated) < n_units:
        msg = f"n_treated={n_treated!r} moet tussen 1 en {n_units - 1} liggen (het panel heeft {n_units} eenheden)"
        raise ParameterError(msg)
    n_treated = int(n_treated)
    rng = np.random.default_rng(seed)
    beta0, se, _ = simulate_did_tests(delta, n_periods, n_treated, int(n_sims), rng)
    crit = stats.t.ppf(1 - alpha / 2, n_units - 1) * se

    # size-adjusted (placebo / randomisation) critical value: the (1 - alpha) quantile
    # of |t| over the simulations without effect
    crit_adj = float(np.quantile(np.abs(beta0 / se), 1 - alpha)) * se

    def power_at(values: np.ndarray, c: np.ndarray = crit) -> np.ndarray:
        return (np.abs(beta0[None, :] + values[:, None]) > c[None, :]).mean(axis=1)

    def mde_of(c: np.ndarray) -> float:
        upper = float(np.max(c + np.abs(beta0))) * 1.01 + 1e-12
        grid = np.linspace(0.0, upper, 4001)
        reached = np.flatnonzero(power_at(grid, c) >= target)
        return float(grid[reached[0]]) if len(reached) else float("nan")

    sim_power = power_at(effects)
    adj_power = power_at(effects, crit_adj)
    size = float(power_at(np.array([0.0]))[0])
    sd = float(np.std(delta, ddof=1))
    analytic = TTestIndPower()
    ratio = (n_units - n_treated) / n_treated
    if sd > 0:
        power_an = np.array(
            [
                analytic.power(effect_size=abs(e) / sd, nobs1=n_treated, alpha=alpha, ratio=ratio)
                for e in effects
            ]
        )
        try:
            mde_an = (
                float(
                    analytic.solve_power(
                        effect_size=None, nobs1=n_treated, alpha=alpha, power=target, ratio=ratio
                    )
                )
                * sd
            )
        except (ValueError, RuntimeError):  # pragma: no cover - solver failure
            mde_an = float("nan")
    else:
        power_an = np.full(len(effects), np.nan)
        mde_an = float("nan")
    mde = mde_of(crit)
    mde_adj = mde_of(crit_adj)
    notes: list[str] = []
    if size > 2 * alpha:
        warn(
            notes,
            PowerWarning,
            f"Zonder effect verwerpt de toets in {size:.0%} van de simulaties (hoort {alpha:.0%} te "
            f"zijn): met {n_treated} behandelde eenheid/eenheden zijn geclusterde standaardfouten "
            "te klein. De gewone power is te optimistisch: kijk naar de voor omvang gecorrigeerde "
            "power (placebo-kritieke waarde) of neem meer proeftuinen.",
        )
    table = pd.DataFrame(
        {
            "effect": effects,
            "power": sim_power,
            "power_size_adjusted": adj_power,
            "power_analytic": power_an,
        }
    )
    return PowerResult(
        table=table,
        mde=mde,
        mde_analytic=mde_an,
        mde_size_adjusted=mde_adj,
        size=size,
        n_treated=n_treated,
        n_units=n_units,
        n_periods=n_periods,
        n_sims=int(n_sims),
        alpha=alpha,
        target=target,
        start=time_label(start),
        method="placebo-simulatie op eigen panel: verschil-in-verschillen, CR1 geclusterd",
        warnings=notes,
    )


# --- power on a real panel: the RIVM wijk figures ----------------------------------------

#: Survey rounds of the RIVM health estimates per wijk (50090NED).
RIVM_WAVES = (2012, 2016, 2020)


def rivm_wijk_panel(
    indicator: str = "rivm_eenzaam_18plus",
    provincie: str = "Utrecht",
    years: tuple[int, ...] = RIVM_WAVES,
) -> pd.DataFrame:
    """Return the RIVM wijk panel of a provincie: one row per wijk and survey year.

    Only wijken with an estimate in every requested year are kept (a balanced panel); a
    wijk whose code changed after 2020 has no RIVM figures at all and is left out. How many
    wijken were left out is in ``panel.attrs["left_out"]``.

    Parameters
    ----------
    indicator : str
        A RIVM indicator id, e.g. ``"rivm_eenzaam_18plus"`` (percent, model estimate).
    provincie : str
        The provincie whose wijken (CBS indeling 2024) form the panel.
    years : tuple of int
        Survey years (at least two).

    Returns
    -------
    DataFrame
        ``code, gemeente_code, year, value``, sorted by code and year.

    Raises
    ------
    ParameterError
        Not a RIVM indicator, fewer than two years, or fewer than 10 complete wijken.
    """
    from doeagenda import data

    if not str(indicator).startswith("rivm_"):
        msg = (
            f"indicator {indicator!r} is geen RIVM-gezondheidsschatting; geef een id zoals "
            "rivm_eenzaam_18plus (zie `doeagenda data dictionary`)"
        )
        raise ParameterError(msg)
    years = tuple(int(y) for y in years)
    if len(set(years)) < 2:
        msg = f"years={years!r}: een panel vraagt ten minste twee peiljaren, bijvoorbeeld (2012, 2016, 2020)"
        raise ParameterError(msg)
    wijken = data.areas("wijk", provincie=provincie)
    long = data.indicators("wijk", provincie=provincie)
    long = long[(long["indicator"] == indicator) & long["year"].isin(years)]
    long = long.dropna(subset=["value"])
    complete = long.groupby("code")["year"].nunique()
    keep = complete.index[complete == len(set(years))]
    panel = long[long["code"].isin(keep)][["code", "year", "value"]]
    panel = panel.merge(wijken[["code", "gemeente_code"]], on="code", how="left")
    panel = panel[["code", "gemeente_code", "year", "value"]]
    panel = panel.sort_values(["code", "year"]).reset_index(drop=True)
    if panel["code"].nunique() < 10:
        msg = (
            f"maar {panel['code'].nunique()} wijken van provincie {provincie!r} hebben {indicator} "
            f"in elk jaar {years}; een powersimulatie vraagt er ten minste 10"
        )
        raise ParameterError(msg)
    panel.attrs["left_out"] = int(len(wijken) - panel["code"].nunique())
    panel.attrs["indicator"] = indicator
    panel.attrs["provincie"] = provincie
    return panel


@dataclass
class PanelPowerResult(_SimulationDesign):
    """Result of :func:`power_on_panel`: the minimum detectable effect per number of pilots.

    Attributes
    ----------
    table : DataFrame
        One row per number of treated units: ``n_treated, mde, mde_size_adjusted,
        mde_analytic, size`` (see :class:`PowerResult`).
    curves : DataFrame
        ``n_treated, effect, power, power_size_adjusted``: power per effect size.
    """

    table: pd.DataFrame
    curves: pd.DataFrame
    outcome: str
    left_out: int = 0
    warnings: list[str] = field(default_factory=list)

    def mde(self, n_treated: int) -> float:
        """The size-adjusted minimum detectable effect with ``n_treated`` pilots."""
        rows = self.table.set_index("n_treated")
        if int(n_treated) not in rows.index:
            msg = f"n_treated={n_treated!r} is niet gesimuleerd; kies uit {list(rows.index)}"
            raise ParameterError(msg)
        return float(rows.at[int(n_treated), "mde_size_adjusted"])

    def summary(self) -> pd.DataFrame:
        """The design and the MDE for the smallest and largest number of pilots (Dutch)."""
        first, last = self.table.iloc[0], self.table.iloc[-1]
        rows = [
            ("uitkomst", self.outcome),
            ("eenheden (wijken met alle golven)", self.n_units),
            ("weggelaten eenheden (geen cijfer in elke golf)", self.left_out),
            ("golven", self.n_periods),
            *self._simulation_rows("simulaties per aantal"),
            (
                f"kleinste aantoonbaar effect bij {int(first['n_treated'])} proeftuinen",
                float(first["mde_size_adjusted"]),
            ),
            (
                f"kleinste aantoonbaar effect bij {int(last['n_treated'])} proeftuinen",
                float(last["mde_size_adjusted"]),
            ),
        ]
        return summary_frame(rows, self.warnings)

    def chart(self) -> alt.LayerChart:
        """Minimum detectable effect against the number of treated units."""
        names = {
            "mde_size_adjusted": "simulatie op de echte wijkcijfers",
            "mde_analytic": "formule (t-toets)",
        }
        long = _by_source(self.table, "n_treated", names, value_name="kleinste_effect")
        return (
            alt.Chart(long)
            .mark_line(point=True)
            .encode(
                x=alt.X("n_treated:Q", title="Aantal proeftuinwijken"),
                y=alt.Y("kleinste_effect:Q", title="Kleinste aantoonbare effect (procentpunt)"),
                color=highlight_color(
                    "bron",
                    names["mde_size_adjusted"],
                    names["mde_analytic"],
                    other_color=PALETTE[0],
                ),
                tooltip=[
                    "bron:N",
                    alt.Tooltip("n_treated:Q", title="proeftuinen"),
                    alt.Tooltip("kleinste_effect:Q", title="effect", format=".2f"),
                ],
            )
            .properties(
                width=460,
                height=260,
                title={
                    "text": f"Hoe groot moet het effect zijn? ({self.target:.0%} power)",
                    "subtitle": "Modelschattingen (RIVM) per wijk, geen tellingen.",
                },
            )
        )


def power_on_panel(
    panel: pd.DataFrame,
    outcome: str = "value",
    unit: str = "code",
    time: str = "year",
    n_treated=range(5, 21),
    effect_sizes=(0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0),
    n_sims: int = 1000,
    *,
    start=None,
    alpha: float = 0.05,
    target: float = 0.8,
    seed: int | None = 12345,
) -> PanelPowerResult:
    """Simulate the minimum detectable effect of a pilot for several numbers of pilots.

    Runs :func:`power_simulation` once per number of treated units on the same panel (for
    example :func:`rivm_wijk_panel`). The headline figure is the size-adjusted MDE: with
    few treated units clustered standard errors reject too often, so the placebo critical
    value is used (a randomisation test with exact size).

    Parameters
    ----------
    panel : DataFrame
        Long panel without any pilot.
    outcome, unit, time : str
        Column names.
    n_treated : iterable of int
        Numbers of treated units (default 5 to 20).
    effect_sizes : sequence of float
        Effects (outcome units) for the power curves.
    n_sims : int
        Random assignments per number of treated units.
    start : optional
        Fake start (default: the last period, so earlier waves are "before").
    alpha, target : float
        Level of the test and power of the MDE.
    seed : int, optional
        Seed (the same for every number of treated units).

    Returns
    -------
    PanelPowerResult
    """
    import warnings as _warnings

    counts = sorted({int(n) for n in n_treated})
    if not counts:
        msg = "n_treated is leeg; geef aantallen proeftuinen, zoals range(5, 21)"
        raise ParameterError(msg)
    if start is None:
        periods = np.sort(pd.Series(panel[time]).dropna().unique())
        start = periods[-1] if len(periods) else None
    rows, curves = [], []
    notes: list[str] = []
    over_rejecting: list[int] = []
    for count in counts:
        with _warnings.catch_warnings(record=True) as caught:
            _warnings.simplefilter("always", PowerWarning)
            result = power_simulation(
                panel,
                outcome,
                unit,
                time,
                count,
                effect_sizes,
                n_sims=n_sims,
                start=start,
                alpha=alpha,
                target=target,
                seed=seed,
            )
        if any(issubclass(w.category, PowerWarning) for w in caught):
            over_rejecting.append(count)
        rows.append(
            {
                "n_treated": count,
                "mde": result.mde,
                "mde_size_adjusted": result.mde_size_adjusted,
                "mde_analytic": result.mde_analytic,
                "size": result.size,
            }
        )
        curves.append(result.table.drop(columns="power_analytic").assign(n_treated=count))
    if over_rejecting:
        warn(
            notes,
            PowerWarning,
            f"Met {', '.join(map(str, over_rejecting))} proeftuinen verwerpt de gewone toets "
            f"zonder effect vaker dan {2 * alpha:.0%}: gebruik het voor omvang gecorrigeerde "
            "kleinste aantoonbare effect (placebo-kritieke waarde).",
        )
    curve_table = pd.concat(curves, ignore_index=True)
    return PanelPowerResult(
        table=pd.DataFrame(rows),
        curves=curve_table[["n_treated", "effect", "power", "power_size_adjusted"]],
        outcome=str(panel.attrs.get("indicator", outcome)),
        n_units=result.n_units,
        n_periods=result.n_periods,
        n_sims=int(n_sims),
        alpha=alpha,
        target=target,
        start=result.start,
        left_out=int(panel.attrs.get("left_out", 0)),
        warnings=notes,
    )


def rivm_power(
    indicator: str = "rivm_eenzaam_18plus",
    provincie: str = "Utrecht",
    n_treated=range(5, 21),
    n_sims: int = 1000,
    seed: int | None = 12345,
) -> PanelPowerResult:
    """Answer "how large must an effect be before the wijk figures can show it?".

    The power simulation of :func:`power_on_panel` on the real RIVM wijk panel of a
    provincie (:func:`rivm_wijk_panel`, survey rounds 2012, 2016 and 2020): the fake pilot
    starts before the last round, so 2012 and 2016 are "before" and 2020 is "after".

    Parameters
    ----------
    indicator : str
        RIVM indicator id (percent), default loneliness of adults.
    provincie : str
        Provincie whose wijken form the panel.
    n_treated : iterable of int
        Numbers of pilot wijken (default 5 to 20).
    n_sims : int
        Random assignments per number of pilot wijken.
    seed : int, optional
        Seed of the simulation.

    Returns
    -------
    PanelPowerResult
        MDE in percentage points per number of pilot wijken.
    """
    panel = rivm_wijk_panel(indicator, provincie)
    return power_on_panel(
        panel,
        n_treated=n_treated,
        effect_sizes=(0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0),
        n_sims=n_sims,
        seed=seed,
    )


def _by_source(
    table: pd.DataFrame, id_var: str, names: dict[str, str], value_name: str = "value"
) -> pd.DataFrame:
    """Stack the columns ``names`` of ``table`` into one value column, ``bron`` their Dutch name."""
    long = table.melt(
        id_vars=id_var, value_vars=list(names), var_name="bron", value_name=value_name
    )
    long["bron"] = long["bron"].map(names)
    return long
