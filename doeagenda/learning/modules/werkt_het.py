"""Module 03 *Werkt het?*: a simulated proeftuin in the participant's own gemeente.

The panel is the *voorbeeld* (invented) proeftuin data of :mod:`doeagenda.evaluation`
(:func:`~doeagenda.evaluation.voorbeeld.generate_voorbeeld`: the gemeenten of the province,
2015–2024, an invented outcome ``deelname`` built from real CBS covariates), with the
participant's gemeente as the only proeftuin, a true effect they choose, and an extra
trend shared by every gemeente (:func:`pilot_panel`). Three estimates are compared with the
truth: a naive before/after comparison (:func:`before_after`), difference-in-differences
(:func:`doeagenda.evaluation.did`) and a synthetic control
(:func:`doeagenda.evaluation.synthetic_control`). A common trend fools the before/after
comparison and not the other two. :func:`power_view` uses
:func:`doeagenda.evaluation.power_simulation` to ask how many proeftuinen a next pilot needs.
"""

from __future__ import annotations

import functools
import warnings

import altair as alt
import numpy as np
import pandas as pd

from doeagenda.charts import HIGHLIGHT, MUTED, PALETTE, highlight_color, nl_format, reference_line
from doeagenda.errors import DoeagendaError, ParameterError
from doeagenda.learning.exercise_registry import Exercise, ExerciseRegistry, whole_number
from doeagenda.learning.lesson import (
    View,
    check_gemeente,
    friendly,
    gemeente_name,
    gemeente_problem,
    message_view,
    provincie_of,
)
from doeagenda.learning.widgets import Explorer, explorer, slider

__all__ = [
    "START",
    "before_after",
    "estimates",
    "pilot_comparison",
    "pilot_explorer",
    "pilot_panel",
    "pilot_view",
    "power_explorer",
    "power_view",
    "treated_needed",
]

#: Start year of the simulated proeftuin.
START = 2020
OUTCOME = "deelname"
UNIT = "gemeente_code"
TIME = "jaar"
_FIRST_YEAR = 2015


@functools.cache
def _covariates(provincie: str) -> pd.DataFrame:
    from doeagenda.evaluation.voorbeeld import COVARIATES, load_covariates

    # gemeenten formed after 2021 lack the KWB 2021 covariates: leave them out
    return load_covariates(provincie).dropna(subset=list(COVARIATES))


def _covariates_for(code: str) -> pd.DataFrame:
    table = _covariates(provincie_of(code))
    if code not in table.index:
        msg = (
            f"Voor {gemeente_name(code)} ontbreken cijfers van 2021 (de gemeente is later "
            "ontstaan of veranderd). Kies een andere gemeente voor deze module."
        )
        raise ParameterError(msg)
    return table


def pilot_panel(gemeente: str, effect: float = 2.0, trend: float = 0.3) -> pd.DataFrame:
    """Return the simulated proeftuin panel with the gemeente as the only proeftuin.

    Parameters
    ----------
    gemeente : str
        The proeftuin (its province's gemeenten are the others).
    effect : float
        True effect on ``deelname`` (percentage points) from :data:`START` on.
    trend : float
        Extra change per year shared by every gemeente (on top of the voorbeeld's own).

    Returns
    -------
    DataFrame
        The voorbeeld columns plus ``na`` (1 from the start year on, for every gemeente).
    """
    from doeagenda.evaluation.voorbeeld import generate_voorbeeld

    code = check_gemeente(gemeente)
    panel = generate_voorbeeld(
        _covariates_for(code), effect=float(effect), proeftuinen={code: START}
    )
    panel[OUTCOME] = panel[OUTCOME] + float(trend) * (panel[TIME] - _FIRST_YEAR)
    panel["na"] = (panel[TIME] >= START).astype(int)
    return panel


def before_after(panel: pd.DataFrame, gemeente: str) -> float:
    """Return the naive estimate: the proeftuin's mean after the start minus before.

    Parameters
    ----------
    panel : DataFrame
        From :func:`pilot_panel`.
    gemeente : str

    Returns
    -------
    float
    """
    own = panel[panel[UNIT] == gemeente]
    after = own.loc[own[TIME] >= START, OUTCOME].mean()
    before = own.loc[own[TIME] < START, OUTCOME].mean()
    return float(after - before)


def estimates(gemeente: str, effect: float = 2.0, trend: float = 0.3) -> pd.DataFrame:
    """Return the three estimates of the proeftuin's effect next to the truth.

    Parameters
    ----------
    gemeente : str
    effect : float
        True effect.
    trend : float
        Extra common trend per year.

    Returns
    -------
    DataFrame
        ``methode, schatting, laag, hoog`` (95% interval where the method gives one; for
        DiD the wild cluster bootstrap interval, as there is one treated gemeente).
    """
    from doeagenda.evaluation import EvaluationWarning, did, synthetic_control

    code = check_gemeente(gemeente)
    panel = pilot_panel(code, effect, trend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EvaluationWarning)
        dd = did(panel, OUTCOME, UNIT, TIME, "proeftuin", "na", n_boot=999, seed=1)
        sc = synthetic_control(panel, OUTCOME, UNIT, TIME, code, START)
    low, high = dd.preferred_ci
    table = pd.DataFrame(
        {
            "methode": ["Voor/na (naïef)", "Verschil-in-verschillen", "Synthetische controle"],
            "schatting": [before_after(panel, code), float(dd.estimate), float(sc.att)],
            "laag": [np.nan, float(low), np.nan],
            "hoog": [np.nan, float(high), np.nan],
        }
    )
    table.attrs["synth_fit"] = float(sc.pre_rmspe)
    table.attrs["synth_poor"] = any("fit" in note.lower() for note in sc.warnings)
    return table


def pilot_comparison(gemeente: str, effect: float = 2.0, trend: float = 0.3) -> alt.VConcatChart:
    """Chart: the proeftuin vs the mean of the other gemeenten, and the three estimates."""
    code = check_gemeente(gemeente)
    panel = pilot_panel(code, effect, trend)
    panel["groep"] = np.where(panel[UNIT] == code, gemeente_name(code), "andere gemeenten")
    lines = panel.groupby(["groep", TIME], as_index=False)[OUTCOME].mean()
    trend_chart = (
        alt.Chart(lines)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{TIME}:O", title="Jaar"),
            y=alt.Y(f"{OUTCOME}:Q", title="Deelname (%)", scale=alt.Scale(zero=False)),
            color=highlight_color(
                "groep", gemeente_name(code), "andere gemeenten", None, PALETTE[0]
            ),
        )
        .properties(width=420, height=200, title="Deelname per jaar (voorbeelddata)")
    )
    start = reference_line(
        str(START), "x", field=TIME, kind="O", color="#000000", strokeDash=[4, 3]
    )
    table = estimates(code, effect, trend)
    bars = (
        alt.Chart(table)
        .mark_bar()
        .encode(
            x=alt.X("schatting:Q", title="Geschat effect (procentpunt)"),
            y=alt.Y("methode:N", sort=None, title=None),
            color=alt.condition(
                alt.datum.methode == "Voor/na (naïef)", alt.value(MUTED), alt.value(PALETTE[0])
            ),
        )
    )
    whiskers = (
        alt.Chart(table.dropna(subset=["laag"]))
        .mark_rule(color="#333333")
        .encode(x="laag:Q", x2="hoog:Q", y=alt.Y("methode:N", sort=None))
    )
    truth = reference_line(float(effect), "x", field="echt", color=HIGHLIGHT, strokeWidth=2)
    estimate_chart = (bars + whiskers + truth).properties(
        width=420, height=110, title="Drie schattingen; de oranje lijn is het echte effect"
    )
    return alt.vconcat(trend_chart + start, estimate_chart)


def pilot_view(gemeente: str, effect: float = 2.0, trend: float = 0.3) -> View:
    """Return the comparison of the three methods on the simulated proeftuin.

    Returns
    -------
    View
        ``values``: ``voor_na``, ``did``, ``synth``, ``echt``, ``did_laag``, ``did_hoog``.
    """
    code = check_gemeente(gemeente)
    table = estimates(code, effect, trend)
    values = {
        "voor_na": float(table.at[0, "schatting"]),
        "did": float(table.at[1, "schatting"]),
        "synth": float(table.at[2, "schatting"]),
        "echt": float(effect),
        "did_laag": float(table.at[1, "laag"]),
        "did_hoog": float(table.at[1, "hoog"]),
    }
    text = (
        f"Echt effect: {nl_format(effect, 1)} procentpunt. Voor/na schat "
        f"{nl_format(values['voor_na'], 2)}, verschil-in-verschillen "
        f"{nl_format(values['did'], 2)} en de synthetische controle "
        f"{nl_format(values['synth'], 2)}. Met één proeftuin is het interval van "
        f"verschil-in-verschillen breed: {nl_format(values['did_laag'], 1)} tot "
        f"{nl_format(values['did_hoog'], 1)}."
    )
    if table.attrs.get("synth_poor"):
        text += (
            f" Let op: de synthetische controle lijkt vóór de start slecht op {gemeente_name(code)} "
            f"(gemiddelde afwijking {nl_format(table.attrs['synth_fit'], 2)}): geen mengsel van "
            "andere gemeenten lijkt genoeg op deze gemeente. Vertrouw die schatting dan niet."
        )
    shown = table.copy()
    for column in ("schatting", "laag", "hoog"):
        shown[column] = shown[column].map(lambda v: "–" if pd.isna(v) else nl_format(v, 2))
    shown = shown.rename(
        columns={
            "methode": "Methode",
            "schatting": "Schatting",
            "laag": "95%-interval laag",
            "hoog": "95%-interval hoog",
        }
    )
    chart = pilot_comparison(code, effect, trend)
    return View(
        f"Proeftuin in {gemeente_name(code)}", text, chart=chart, table=shown, values=values
    )


# --- power ------------------------------------------------------------------------------

_EFFECTS = tuple(np.round(np.arange(0.0, 2.01, 0.1), 2))


@functools.cache
def _power(provincie: str, n_treated: int):
    from doeagenda.evaluation import EvaluationWarning, power_simulation
    from doeagenda.evaluation.voorbeeld import generate_voorbeeld

    history = generate_voorbeeld(_covariates(provincie), effect=0.0, proeftuinen={})
    history = history[history[TIME] < START]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EvaluationWarning)
        return power_simulation(
            history, OUTCOME, UNIT, TIME, n_treated, list(_EFFECTS), n_sims=500, seed=7
        )


def power_view(gemeente: str, proeftuinen: int = 3, effect: float = 0.5) -> View:
    """Return the power of a next pilot with a number of proeftuin-gemeenten.

    Uses the gemeenten's own history before :data:`START` (no effect) and a
    size-adjusted (placebo) test.

    Parameters
    ----------
    gemeente : str
    proeftuinen : int
        Number of gemeenten in the next pilot.
    effect : float
        The effect you hope to find (percentage points).

    Returns
    -------
    View
        ``values``: ``kans`` (power at the chosen effect), ``mde`` (smallest effect found
        with 80% power).
    """
    code = check_gemeente(gemeente)
    provincie = provincie_of(code)
    _covariates_for(code)
    result = _power(provincie, int(proeftuinen))
    table = result.table.copy()
    grid = table["effect"].to_numpy(float)
    power = table["power_size_adjusted"].to_numpy(float)
    effect = float(effect)
    if not grid[0] <= effect <= grid[-1]:
        msg = f"Kies een effect tussen {nl_format(grid[0], 1)} en {nl_format(grid[-1], 1)}."
        raise ParameterError(msg)
    chance = float(np.interp(effect, grid, power))
    mde = float(result.mde_size_adjusted)
    text = (
        f"Met {int(proeftuinen)} proeftuin-gemeenten vind je een effect van "
        f"{nl_format(effect, 1)} procentpunt met een kans van {nl_format(chance * 100, 0)}%. "
        f"Een effect vanaf {nl_format(mde, 2)} procentpunt vind je met 80% kans."
    )
    curve = (
        alt.Chart(table)
        .mark_line(point=True)
        .encode(
            x=alt.X("effect:Q", title="Echt effect (procentpunt)"),
            y=alt.Y(
                "power_size_adjusted:Q",
                title="Kans om het te vinden",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
        )
    )
    target = reference_line(0.8, color=None, strokeDash=[4, 3])
    chosen = (
        alt.Chart(pd.DataFrame({"x": [effect], "y": [chance]}))
        .mark_point(size=120, filled=True, color=HIGHLIGHT)
        .encode(x="x:Q", y="y:Q")
    )
    chart = (curve + target + chosen).properties(
        width=420, height=240, title=f"Onderscheidend vermogen met {int(proeftuinen)} proeftuinen"
    )
    return View(
        "Hoeveel proeftuinen heb je nodig?", text, chart=chart, values={"kans": chance, "mde": mde}
    )


def max_proeftuinen(gemeente: str) -> int:
    """Return the largest pilot the power explorer offers: 12, or fewer in a small province.

    At least one gemeente must stay without a proeftuin to compare with.
    """
    return max(1, min(12, len(_covariates_for(check_gemeente(gemeente))) - 1))


def treated_needed(gemeente: str, effect: float = 0.5, power: float = 0.8) -> int:
    """Return the smallest number of proeftuinen that finds ``effect`` with ``power``.

    Parameters
    ----------
    gemeente : str
    effect : float
    power : float

    Returns
    -------
    int
        Number of gemeenten (0 when even half the gemeenten are not enough).
    """
    code = check_gemeente(gemeente)
    for n in range(1, max_proeftuinen(code) + 1):
        if power_view(code, n, effect).values["kans"] >= power:
            return n
    return 0


# --- widget builders --------------------------------------------------------------------


def pilot_explorer(gemeente: str) -> Explorer | View:
    """Build the proeftuin explorer: sliders for the true effect and the common trend."""
    controls = {
        "effect": slider("Echt effect (procentpunt)", 2.0, -1.0, 4.0, 0.5),
        "trend": slider("Trend voor iedereen (per jaar)", 0.3, -0.5, 1.0, 0.1),
    }
    return explorer(pilot_view, controls, gemeente=gemeente)


def power_explorer(gemeente: str) -> Explorer | View:
    """Build the power explorer: number of proeftuinen and the effect you hope to find."""
    problem = gemeente_problem(gemeente)
    if problem is not None:
        return problem
    try:
        top = max_proeftuinen(gemeente)
    except DoeagendaError as error:
        return message_view(friendly(error))
    controls = {
        "proeftuinen": slider("Aantal proeftuinen", min(3, top), 1, top),
        "effect": slider("Effect dat je zoekt", 0.5, 0.1, 2.0, 0.1),
    }
    return explorer(power_view, controls, gemeente=gemeente)


# --- exercises --------------------------------------------------------------------------


def _naive(gemeente: str) -> float:
    return pilot_view(gemeente).values["voor_na"]


def _did(gemeente: str) -> float:
    return pilot_view(gemeente).values["did"]


def _needed(gemeente: str) -> float:
    return float(treated_needed(gemeente, effect=0.5))


#: The exercises of this module (joined by :mod:`doeagenda.learning.catalogue`).
EXERCISES = ExerciseRegistry()

#: The two "read an estimate from the table" exercises: an effect in procentpunt, right
#: within 0.05, close within 0.1.
_estimate_reading = functools.partial(
    Exercise,
    kind="number",
    abs_tol=0.05,
    rel_tol=0.0,
    close_tol=0.1,
    decimals=2,
    unit="procentpunt",
    lines=1,
)

EXERCISES.add(
    _estimate_reading(
        id="03.1",
        question=(
            "Laat de schuifjes op hun beginstand (echt effect 2, trend 0,3). Welk effect schat "
            "de voor/na-vergelijking voor {naam}?"
        ),
        compute=_naive,
        hint="Kijk in de tabel naar de regel 'Voor/na (naïef)'.",
        explanation=(
            "Voor/na schat {antwoord}, terwijl het echte effect 2 is: de trend "
            "die alle gemeenten hebben, telt voor/na mee als effect."
        ),
    )
)
EXERCISES.add(
    _estimate_reading(
        id="03.2",
        question="En welk effect schat verschil-in-verschillen (beginstand)?",
        compute=_did,
        hint="Kijk in de tabel naar de regel 'Verschil-in-verschillen'.",
        explanation=(
            "Verschil-in-verschillen schat {antwoord}: dicht bij het echte effect, "
            "omdat de andere gemeenten laten zien wat de trend zonder proeftuin was."
        ),
    )
)
EXERCISES.add(
    Exercise(
        id="03.3",
        kind="choice",
        question="Zet de trend op 1,0. Waarom zit de voor/na-vergelijking er dan zo ver naast?",
        options=(
            "Omdat de proeftuin slecht is uitgevoerd.",
            "Omdat alle gemeenten in dezelfde jaren ook veranderden, en voor/na die verandering "
            "aan de proeftuin toeschrijft.",
            "Omdat er te weinig jaren in de data zitten.",
            "Omdat verschil-in-verschillen een fout maakt.",
        ),
        answer_hashes=("b7d8b5eea1ba0096c2503797e6b22956662ebed51e461f4a6ec3d1c98e59f583",),
        hint="Kijk naar de blauwe lijn van de andere gemeenten. Gaat die ook omhoog?",
        explanation=(
            "Alle gemeenten stijgen door de trend. Voor/na ziet alleen de proeftuin en rekent de "
            "hele stijging als effect. Verschil-in-verschillen en de synthetische controle "
            "trekken de stijging van de andere gemeenten eraf."
        ),
        lines=3,
    )
)
EXERCISES.add(
    whole_number(
        id="03.5",
        question=(
            "Je wilt een effect van 0,5 procentpunt met minstens 80% kans vinden. Hoeveel "
            "proeftuin-gemeenten heb je minstens nodig? Gebruik de power-schuifjes."
        ),
        compute=_needed,
        hint=(
            "Zet 'Effect dat je zoekt' op 0,5 en schuif 'Aantal proeftuinen' omhoog tot de kans "
            "80% of meer is."
        ),
        explanation=(
            "Je hebt minstens {antwoord} proeftuin-gemeenten nodig. Met minder proeftuinen is de "
            "kans groot dat je een echt effect mist ('geen aantoonbaar effect')."
        ),
        close_hint="Bijna: kijk of de kans bij dit aantal echt 80% of meer is, en bij één minder niet.",
        lines=2,
    )
)
EXERCISES.add(
    Exercise(
        id="03.4",
        kind="choice",
        question=(
            "Een evaluatie vindt een effect van 1,8 met een 95%-interval van -0,5 tot 4,1. Wat is "
            "de beste conclusie?"
        ),
        options=(
            "Het project werkt: het effect is 1,8.",
            "Het project werkt niet: het effect is nul.",
            "We kunnen geen effect aantonen: het kan nul zijn, maar ook flink positief.",
        ),
        answer_hashes=("123497e1f76350a9da0f930a8ded3311ee816288b406b22318d5c0916e0ba76a",),
        hint="Ligt nul binnen het interval? Wat betekent dat?",
        explanation=(
            "Nul ligt in het interval, dus er is geen aantoonbaar effect. Dat is iets anders dan "
            "'geen effect': het interval laat ook een groot positief effect toe. Meer proeftuinen "
            "of meer jaren geven een smaller interval."
        ),
        lines=3,
    )
)
