"""Module 02 *Bouw je eigen index*: weights, ranking, map and rank uncertainty.

Participants weigh six CBS indicators, four RIVM health estimates (loneliness, ervaren
gezondheid, risk of anxiety or depression, volunteering) and two Leefbaarometer figures
(sociale samenhang and the liveability score, BZK 2022; the RIVM and Leefbaarometer figures
start at weight 0) of the gemeenten of their province with sliders; the
index is built by :func:`doeagenda.index.build_index` on a small two-level framework made
from their choices (:func:`index_framework`), and its rank uncertainty by
:meth:`doeagenda.index.IndexResult.uncertainty`.
"""

from __future__ import annotations

import functools

import altair as alt
import ipywidgets as widgets
import pandas as pd

from doeagenda.charts import nl_format
from doeagenda.errors import ParameterError
from doeagenda.learning.exercise_registry import Exercise, ExerciseRegistry, whole_number
from doeagenda.learning.lesson import (
    View,
    check_gemeente,
    gemeente_name,
    provincie_of,
)
from doeagenda.learning.widgets import Explorer, explorer, wide

__all__ = [
    "INDICATORS",
    "LBM_KEYS",
    "build_own_index",
    "index_builder",
    "index_framework",
    "index_uncertainty",
    "index_view",
    "rank_uncertainty",
    "uncertainty_view",
]

ROOT = "eigen_index"

#: The indicators participants can weigh: key -> (indicator id, direction, Dutch label).
INDICATORS: dict[str, tuple[str, int, str]] = {
    "inkomen": ("ink24_mediaan_gestandaardiseerd_inkomen", 1, "Inkomen (mediaan, hoger = beter)"),
    "armoede": ("kwb21_low_income_households_pct", -1, "Huishoudens met laag inkomen (%)"),
    "werk": ("kwb21_net_labour_participation_pct", 1, "Mensen met werk (%)"),
    "zorg": ("kwb21_wmo_clients_per_1000", -1, "Wmo-cliënten per 1.000 inwoners"),
    "huisarts": ("kwb21_distance_gp_km", -1, "Afstand tot huisarts (km)"),
    "alleen": ("rk25_eenpersoonshuishoudens_pct", -1, "Eenpersoonshuishoudens (%)"),
    # Health and wellbeing (RIVM model estimates of the Gezondheidsmonitor, 2020, adults)
    "eenzaam": ("rivm_eenzaam_18plus", -1, "Eenzaam (%, schatting RIVM)"),
    "gezondheid": (
        "rivm_ervaren_gezondheid_goed_18plus",
        1,
        "Ervaren gezondheid goed (%, schatting RIVM)",
    ),
    "angst": ("rivm_angst_depressie_risico_18plus", -1, "Risico angst of depressie (%, RIVM)"),
    "vrijwilligers": ("rivm_vrijwilligerswerk_18plus", 1, "Vrijwilligerswerk (%, schatting RIVM)"),
    # Leefbaarometer 3.0 (BZK, 2022; gemeente = mean of its wijken weighted by inhabitants)
    "samenhang": ("lbm_sociale_samenhang", 1, "Sociale samenhang (Leefbaarometer)"),
    "leefbaarheid": ("lbm_score", 1, "Leefbaarheid (Leefbaarometer-score)"),
}
#: The RIVM health figures participants can add to their index (start at weight 0).
HEALTH_KEYS = ("eenzaam", "gezondheid", "angst", "vrijwilligers")
#: The Leefbaarometer figures participants can add (start at weight 0).
LBM_KEYS = ("samenhang", "leefbaarheid")

#: Start position of the sliders: the six CBS figures count, the others not yet.
DEFAULT_WEIGHTS = {key: 0.0 if key in HEALTH_KEYS or key in LBM_KEYS else 1.0 for key in INDICATORS}


def index_framework(weights: dict[str, float], provincie: str = "Utrecht"):
    """Return the framework of a participant's index: chosen indicators under one root.

    Indicators with weight 0 are left out; the others are min-max normalised to 0–100
    (direction as in :data:`INDICATORS`) and averaged with the given weights. A gemeente
    that lacks a value (e.g. Wmo-cliënten for two gemeenten) is averaged over the indicators
    it has, as long as it has at least half of them (``min_coverage: 0.5``).

    Parameters
    ----------
    weights : dict
        Key of :data:`INDICATORS` -> weight (>= 0).
    provincie : str
        The gemeenten of this provincie are ranked.

    Returns
    -------
    doeagenda.index.Framework

    Raises
    ------
    ParameterError
        When every weight is 0 or a weight is negative or unknown (Dutch message).
    """
    from doeagenda.index import Framework

    unknown = sorted(set(weights) - set(INDICATORS))
    if unknown:
        msg = f"Onbekende indicator(en): {', '.join(unknown)}. Kies uit: {', '.join(INDICATORS)}."
        raise ParameterError(msg)
    if any(float(w) < 0 for w in weights.values()):
        msg = "Een gewicht kan niet negatief zijn. Kies 0 of meer."
        raise ParameterError(msg)
    chosen = {key: float(w) for key, w in weights.items() if float(w) > 0}
    if not chosen:
        msg = (
            "Alle gewichten staan op 0: dan telt geen enkele indicator mee en is er geen "
            "index. Zet minstens één schuifje hoger dan 0."
        )
        raise ParameterError(msg)
    nodes = [
        {
            "id": INDICATORS[key][0],
            "parent": ROOT,
            "direction": INDICATORS[key][1],
            "weight": weight,
            "label": INDICATORS[key][2],
        }
        for key, weight in chosen.items()
    ]
    nodes.append({"id": ROOT, "label": "Jouw index"})
    return Framework.from_dict(
        {
            "name": "Eigen index (lesmodule 02)",
            "level": "gemeente",
            "provincie": provincie,
            "normalise": {"method": "minmax", "range": [0, 100]},
            "aggregate": "arithmetic",
            "min_coverage": 0.5,
            "nodes": nodes,
        }
    )


@functools.cache
def _data(provincie: str) -> pd.DataFrame:
    from doeagenda.index import index_data

    # every indicator (also those that start at weight 0), so any slider can be raised
    return index_data(index_framework(dict.fromkeys(INDICATORS, 1.0), provincie))


def build_own_index(gemeente: str, **weights: float):
    """Build the participant's index for the gemeenten of the gemeente's province.

    Parameters
    ----------
    gemeente : str
    **weights : float
        Weight per key of :data:`INDICATORS` (missing keys weigh 1).

    Returns
    -------
    doeagenda.index.IndexResult
    """
    from doeagenda.index import build_index

    provincie = provincie_of(check_gemeente(gemeente))
    full = {**DEFAULT_WEIGHTS, **weights}
    framework = index_framework(full, provincie)
    data = _data(provincie)
    columns = ["name", *framework.leaves]
    return build_index(data[columns], framework)


def _check_in_index(result, code: str) -> None:
    if code not in result.index.index or pd.isna(result.index.get(code)):
        msg = (
            f"Voor {gemeente_name(code)} ontbreken te veel cijfers voor deze index (minstens "
            "de helft van de gekozen cijfers is nodig). Kies andere cijfers of een andere "
            "gemeente."
        )
        raise ParameterError(msg)


def index_view(gemeente: str, **weights: float) -> View:
    """Return the ranking and the map of the participant's index.

    Parameters
    ----------
    gemeente : str
    **weights : float
        Weight per key of :data:`INDICATORS`.

    Returns
    -------
    View
        ``values``: ``rang`` (rank of the gemeente, 1 = best), ``score``, ``eerste``
        (name of the first gemeente), ``n`` (number of gemeenten).
    """
    code = check_gemeente(gemeente)
    result = build_own_index(code, **weights)
    _check_in_index(result, code)
    rank = int(result.ranks.loc[code, ROOT])
    score = float(result.index.loc[code])
    first = result.index.idxmax()
    ranking = result.ranking_chart(highlight=code).properties(width=300, title="Rangorde")
    kaart = result.map_chart(provincie=provincie_of(code), highlight=code).properties(
        width=300, height=300
    )
    chart = alt.hconcat(ranking, kaart).properties(title=f"Jouw index: {gemeente_name(code)}")
    used = ", ".join(result.framework.label(leaf) for leaf in result.framework.leaves)
    text = (
        f"{gemeente_name(code)} staat op plaats {rank} van {len(result.index)} "
        f"(score {nl_format(score, 1)} van 100). Op 1 staat {result.name(first)}. "
        f"Mee in je index: {used}."
    )
    raw = result.stages["raw"].loc[code, result.framework.leaves]
    missing = [result.framework.label(leaf) for leaf in raw.index[raw.isna()]]
    if missing:
        text += (
            f" Voor {gemeente_name(code)} ontbreekt: {', '.join(missing)}. De score is het "
            "gemiddelde van de andere cijfers."
        )
    table = result.summary().head(5).reset_index()
    table = pd.DataFrame(
        {
            "Plaats": table["rang"].astype(int),
            "Gemeente": table["naam"],
            "Score": table["score"].map(lambda v: nl_format(v, 1)),
        }
    )
    values = {"rang": rank, "score": score, "eerste": result.name(first), "n": len(result.index)}
    return View("Jouw index", text, chart=chart, table=table, values=values)


def rank_uncertainty(
    gemeente: str,
    spreiding: float = 25.0,
    methoden: bool = True,
    weglaten: bool = True,
    n: int = 300,
    seed: int = 0,
):
    """Run the rank-uncertainty analysis of the default (equal-weight) index.

    Parameters
    ----------
    gemeente : str
    spreiding : float
        Weights vary by up to this many percent up or down.
    methoden : bool
        Also vary the normalisation (min-max, z-score, percentiles) and the aggregation
        (arithmetic, geometric).
    weglaten : bool
        Also leave one indicator out in some runs.
    n : int
        Number of variants.
    seed : int
        Random seed (same seed, same answer).

    Returns
    -------
    doeagenda.index.UncertaintyResult
    """
    spreiding = float(spreiding)
    if not 0 <= spreiding < 100:
        msg = "De spreiding van de gewichten moet tussen 0 en 100% liggen."
        raise ParameterError(msg)
    result = build_own_index(gemeente)
    _check_in_index(result, check_gemeente(gemeente))
    vary = {
        "weights": spreiding / 100,
        "normalise": ["framework", "zscore", "percentile"] if methoden else ["framework"],
        "aggregate": ["framework", "geometric"] if methoden else ["framework"],
        "impute": ["framework"],
        "leave_out": bool(weglaten),
    }
    return result.uncertainty(n=n, seed=seed, vary=vary)


def uncertainty_view(
    gemeente: str, spreiding: float = 25.0, methoden: bool = True, weglaten: bool = True
) -> View:
    """Return the rank-uncertainty chart with the gemeente highlighted.

    Returns
    -------
    View
        ``values``: ``rang`` (rank in the index), ``mediaan``, ``laag`` and ``hoog`` (the
        5% and 95% limits of the rank: best and worst plausible rank).
    """
    code = check_gemeente(gemeente)
    unc = rank_uncertainty(code, spreiding, methoden, weglaten)
    row = unc.table.loc[code]
    low, high = float(row["rank_p05"]), float(row["rank_p95"])
    text = (
        f"In de index staat {gemeente_name(code)} op plaats {int(row['nominal_rank'])}. "
        f"In 90% van de {unc.ranks.shape[0]} varianten ligt de plaats tussen "
        f"{nl_format(low, 0)} en {nl_format(high, 0)}. Hoe langer de lijn, hoe minder een "
        "losse rang zegt."
    )
    values = {
        "rang": int(row["nominal_rank"]),
        "mediaan": float(row["median_rank"]),
        "laag": low,
        "hoog": high,
    }
    return View("Hoe zeker is de rang?", text, chart=unc.chart(highlight=code), values=values)


# --- widget builders --------------------------------------------------------------------


def index_builder(gemeente: str) -> Explorer | View:
    """Build the index builder: one weight slider (0–3) per indicator."""
    controls = {
        key: widgets.FloatSlider(
            value=DEFAULT_WEIGHTS[key],
            min=0.0,
            max=3.0,
            step=0.5,
            description=label,
            continuous_update=False,
            style={"description_width": "250px"},
            layout=widgets.Layout(width="480px"),
        )
        for key, (_id, _direction, label) in INDICATORS.items()
    }
    return explorer(index_view, controls, gemeente=gemeente)


def index_uncertainty(gemeente: str) -> Explorer | View:
    """Build the uncertainty explorer: weight spread slider, methods and leave-one-out."""
    controls = {
        "spreiding": widgets.FloatSlider(
            value=25.0,
            min=0.0,
            max=75.0,
            step=5.0,
            description="Gewichten ± (%)",
            continuous_update=False,
            **wide(),
        ),
        "methoden": widgets.Checkbox(value=True, description="ook andere rekenmethoden"),
        "weglaten": widgets.Checkbox(value=True, description="soms een indicator weglaten"),
    }
    return explorer(uncertainty_view, controls, gemeente=gemeente)


# --- exercises --------------------------------------------------------------------------


def _rank_default(gemeente: str) -> float:
    return float(index_view(gemeente).values["rang"])


def _rank_health_only(gemeente: str) -> float:
    weights = {key: 1.0 if key in ("eenzaam", "gezondheid") else 0.0 for key in INDICATORS}
    return float(index_view(gemeente, **weights).values["rang"])


def _rank_cohesion_only(gemeente: str) -> float:
    weights = dict.fromkeys(INDICATORS, 0.0)
    weights["samenhang"] = 1.0
    return float(index_view(gemeente, **weights).values["rang"])


def _worst_plausible_rank(gemeente: str) -> float:
    return float(uncertainty_view(gemeente).values["hoog"])


#: The exercises of this module (joined by :mod:`doeagenda.learning.catalogue`).
EXERCISES = ExerciseRegistry()
#: Shown with a rank one place off (02.1, 02.6, 02.7).
_ONE_PLACE_OFF = "Bijna: je zit één plaats ernaast. Kijk nog eens naar de oranje staaf."

EXERCISES.add(
    whole_number(
        id="02.1",
        question="Laat de schuifjes op hun beginstand staan (de zes CBS-cijfers op 1, de gezondheidscijfers op 0). Op welke plaats staat {naam} in jouw index?",
        compute=_rank_default,
        hint="Kijk naar de oranje staaf in de rangorde of lees het in de zin boven de grafiek.",
        explanation="Met de zes CBS-cijfers even zwaar staat {naam} op plaats {antwoord}.",
        close_hint=_ONE_PLACE_OFF,
        lines=1,
    )
)
EXERCISES.add(
    whole_number(
        id="02.7",
        question=(
            "Zet alle schuifjes op 0, behalve 'Sociale samenhang (Leefbaarometer)' (op 1). Op "
            "welke plaats staat {naam} nu?"
        ),
        compute=_rank_cohesion_only,
        hint=(
            "Zet alle andere schuifjes helemaal naar links. Meer sociale samenhang telt als beter."
        ),
        explanation=(
            "Met alleen de sociale samenhang staat {naam} op plaats {antwoord}. Dit is de "
            "hoofdmaat van samenlevingskracht in de Buurzaamheidsindex: een modelschatting "
            "van de Leefbaarometer (ministerie van BZK), geen meting. Vergelijk met de plaats "
            "bij de CBS-cijfers."
        ),
        close_hint=_ONE_PLACE_OFF,
        lines=2,
    )
)
EXERCISES.add(
    Exercise(
        id="02.4",
        kind="number",
        question=(
            "Kijk bij 'Hoe zeker is de rang?' (beginstand). Wat is de slechtste plaats die "
            "{naam} in 90% van de varianten haalt (het rechteruiteinde van de lijn)?"
        ),
        compute=_worst_plausible_rank,
        abs_tol=0.5,
        rel_tol=0.0,
        hint="Zoek de oranje lijn. Het rechteruiteinde is de slechtste plaats (95%-grens).",
        close_hint="Bijna: lees het getal in de zin boven de grafiek.",
        explanation=(
            "De lijn van {naam} loopt tot plaats {antwoord}. Zo ver kan de rang verschuiven door "
            "keuzes die de maker van de index maakt."
        ),
        lines=2,
    )
)
EXERCISES.add(
    Exercise(
        id="02.5",
        kind="choice",
        question=(
            "Een gemeente staat op plaats 3 in een index. In 90% van de varianten ligt de plaats "
            "tussen 2 en 11. Wat is de beste uitleg?"
        ),
        options=(
            "De gemeente is echt de derde beste van de provincie.",
            "De gemeente hoort waarschijnlijk bij de betere helft, maar of het plaats 3 is, "
            "weten we niet.",
            "De index is fout en je kunt er niets mee.",
            "De gemeente staat eigenlijk op plaats 11.",
        ),
        answer_hashes=("77d884375948e944c5c16fd053eda30a12fef78b6e3a3d75d5a9b4620b2ac13e",),
        hint="Eén rang is één uitkomst van veel mogelijke keuzes. Wat zegt de hele lijn?",
        explanation=(
            "Een rang is één uitkomst; de lijn laat zien wat er kan gebeuren met andere, even "
            "redelijke keuzes. Praat dus over een bereik ('ergens tussen 2 en 11'), niet over "
            "één plaats."
        ),
        lines=3,
    )
)
EXERCISES.add(
    Exercise(
        id="02.3",
        kind="choice",
        question=(
            "In deze index telt 'meer Wmo-cliënten per 1.000 inwoners' als slechter. Wat vind "
            "je daarvan?"
        ),
        options=(
            "Dat klopt altijd: meer Wmo-cliënten betekent meer problemen.",
            "Het is een keuze: meer cliënten kan ook betekenen dat mensen hulp goed kunnen "
            "vinden. Leg je keuze uit.",
            "De richting maakt voor de rangorde niets uit.",
        ),
        answer_hashes=("efd954a4a219415fa0c4805b86847c728ab4cd7e0d629563afd76c58dc320a7a",),
        hint="Bedenk twee verhalen achter een hoog aantal Wmo-cliënten.",
        explanation=(
            "De richting is een keuze van de maker. Een hoog Wmo-gebruik kan wijzen op veel "
            "zorgvraag (slechter) of op goede toegang tot hulp (beter). Draai je de richting om, "
            "dan verandert de rangorde wel."
        ),
        lines=3,
    )
)
EXERCISES.add(
    whole_number(
        id="02.6",
        question=(
            "Zet alle schuifjes op 0, behalve 'Eenzaam' en 'Ervaren gezondheid goed' (allebei "
            "op 1). Op welke plaats staat {naam} nu in jouw 'gezondheidsindex'?"
        ),
        compute=_rank_health_only,
        hint=(
            "Zet de zes CBS-cijfers op 0 en de twee gezondheidscijfers op 1. Minder eenzaamheid "
            "telt als beter, een betere ervaren gezondheid ook."
        ),
        explanation=(
            "Met alleen eenzaamheid en ervaren gezondheid staat {naam} op plaats {antwoord}. "
            "Vergelijk met de plaats bij de CBS-cijfers: gezondheid en welzijn geven een ander "
            "beeld dan inkomen en voorzieningen. Let op: het zijn modelschattingen van het RIVM."
        ),
        close_hint=_ONE_PLACE_OFF,
        lines=2,
    )
)
