"""Module 01 *Ken je gemeente*, the exercises (joined by :mod:`doeagenda.learning.catalogue`).

Split out of :mod:`doeagenda.learning.modules.gemeente`, which re-exports :data:`EXERCISES`.
"""

from __future__ import annotations

from doeagenda.learning.exercise_registry import Exercise, ExerciseRegistry
from doeagenda.learning.lesson import check_gemeente, provincie_of
from doeagenda.learning.modules.gemeente_data import (
    _gemeenten_wide,
    compare_table,
    gemeente_share,
    inhabitants,
    wijk_health_table,
    wijken_table,
)

__all__ = ["EXERCISES"]


def _wijk_names(gemeente: str) -> list[str]:
    return sorted(wijken_table(gemeente)["naam"].dropna().tolist())


def _top_wijk_65(gemeente: str) -> str:
    table = wijken_table(gemeente).dropna(subset=["aandeel"])
    return str(table.iloc[0]["naam"])


def _gemeente_names(gemeente: str) -> list[str]:
    return sorted(_gemeenten_wide(provincie_of(check_gemeente(gemeente)))["naam"].tolist())


def _top_gemeente_65_rate(gemeente: str) -> str:
    return str(compare_table(gemeente, "a_65_oo", per_inwoner=True).iloc[0]["naam"])


#: The exercises of this module (joined by :mod:`doeagenda.learning.catalogue`).
EXERCISES = ExerciseRegistry()

EXERCISES.add(
    Exercise(
        id="01.1",
        kind="number",
        question="Hoeveel inwoners had {naam} in 2024? Zoek het op in de kerncijfers.",
        compute=inhabitants,
        hint="Kijk in de tabel 'Kerncijfers' naar de regel 'Inwoners (2024)'.",
        close_hint="Je zit in de buurt. Neem het getal precies over uit de tabel.",
        explanation="{naam} had in 2024 {antwoord} inwoners (CBS, Kerncijfers wijken en buurten).",
        rel_tol=0.005,
        close_tol=0.1,
        lines=1,
    )
)
EXERCISES.add(
    Exercise(
        id="01.2",
        kind="number",
        question="Hoeveel procent van de inwoners van {naam} is 65 jaar of ouder (2024)?",
        compute=gemeente_share,
        abs_tol=0.25,
        rel_tol=0.0,
        close_tol=0.0,
        hint=(
            "Deel het aantal 65-plussers door het aantal inwoners en doe dat keer 100. "
            "Of kijk in de kerncijfers."
        ),
        close_hint="Bijna. Reken nog eens precies: aantal 65-plussers / inwoners x 100.",
        explanation=(
            "In {naam} is {antwoord} van de inwoners 65 jaar of ouder: het aantal 65-plussers "
            "gedeeld door het aantal inwoners, keer 100."
        ),
        unit="%",
        decimals=1,
        lines=2,
    )
)
EXERCISES.add(
    Exercise(
        id="01.4",
        kind="choice",
        question=(
            "Welke wijk van {naam} heeft naar verhouding de meeste 65-plussers? "
            "Gebruik de wijkgrafiek."
        ),
        compute=_top_wijk_65,
        options_from=_wijk_names,
        hint=(
            "Kies in de wijkgrafiek '65 jaar of ouder (%)'. De bovenste staaf is de wijk met "
            "het hoogste aandeel."
        ),
        explanation=(
            "{antwoord} heeft het hoogste aandeel 65-plussers. Let op: dat is een "
            "aandeel, niet het grootste aantal ouderen."
        ),
        lines=1,
    )
)
EXERCISES.add(
    Exercise(
        id="01.5",
        kind="choice",
        question=(
            "Een gemeente heeft tien wijken. In negen wijken is 15% van de inwoners 65-plus, "
            "in één wijk met een groot verzorgingshuis is dat 45%. Wat is waar over de "
            "wijken?"
        ),
        options=(
            "Het gemiddelde van de wijken is hoger dan de mediaan.",
            "Het gemiddelde en de mediaan van de wijken zijn gelijk.",
            "De mediaan van de wijken is hoger dan het gemiddelde.",
            "Zonder de inwonertallen kun je hier niets over zeggen.",
        ),
        answer_hashes=("5bf7eee58a133944632a2fb248dd63f9a15abcc63f902fbd846c2d0f1b7ba7ad",),
        close_hashes=(),
        hint=(
            "Zet de tien waarden op een rij. De mediaan is de middelste; het gemiddelde "
            "telt alles op en deelt door tien. Welke van de twee trekt die ene wijk omhoog?"
        ),
        explanation=(
            "Het gemiddelde is (9 x 15 + 45) / 10 = 18%, de mediaan blijft 15%. Eén "
            "uitschieter trekt het gemiddelde omhoog, de mediaan niet. Daarom tonen we "
            "altijd ook de verdeling."
        ),
        lines=3,
    )
)
EXERCISES.add(
    Exercise(
        id="01.3",
        kind="choice",
        question=(
            "Welke gemeente in de provincie heeft per 1.000 inwoners de meeste 65-plussers? "
            "Zet in de vergelijking 'per 1.000 inwoners' aan."
        ),
        compute=_top_gemeente_65_rate,
        options_from=_gemeente_names,
        hint=(
            "Kies '65-plussers' en zet het vinkje 'per 1.000 inwoners' aan. Zonder vinkje "
            "staat de grootste gemeente bovenaan, niet de 'oudste'."
        ),
        explanation=(
            "{antwoord} heeft per 1.000 inwoners de meeste 65-plussers. In aantallen staat "
            "meestal de grootste gemeente bovenaan: vergelijk dus per inwoner."
        ),
        lines=1,
    )
)


def _wijken_with_health(gemeente: str) -> list[str]:
    table = wijk_health_table(gemeente).dropna(subset=["waarde"])
    return sorted(table["naam"].tolist())


def _most_lonely_wijk(gemeente: str) -> str:
    return str(wijk_health_table(gemeente, "rivm_eenzaam_18plus").iloc[0]["naam"])


EXERCISES.add(
    Exercise(
        id="01.6",
        kind="choice",
        question=(
            "In welke wijk van {naam} voelen naar schatting de meeste volwassenen zich eenzaam "
            "(2020)? Gebruik de grafiek 'Eenzaamheid en gezondheid in de wijken'."
        ),
        compute=_most_lonely_wijk,
        options_from=_wijken_with_health,
        hint="Kies 'Eenzaam' in de keuzelijst. De bovenste staaf is de wijk met het hoogste percentage.",
        explanation=(
            "In {antwoord} is het geschatte aandeel eenzame volwassenen het hoogst. Het is een "
            "modelschatting: gebruik het om het gesprek te beginnen, niet als telling."
        ),
        lines=1,
    )
)


def _energy_cooperatives(gemeente: str) -> float:
    from doeagenda.learning.modules.gemeente_views import energy_table

    return float(len(energy_table(check_gemeente(gemeente))))


EXERCISES.add(
    Exercise(
        id="01.7",
        kind="number",
        question=(
            "Hoeveel lokale energiecoöperaties telde de Lokale Energie Monitor eind 2019 in "
            "{naam}? Gebruik 'Energiecoöperaties in je gemeente'."
        ),
        compute=_energy_cooperatives,
        abs_tol=0.0,
        rel_tol=0.0,
        close_tol=0.0,
        hint="Tel de namen in de tabel onder de grafiek. Staat er geen tabel, dan is het antwoord 0.",
        close_hint="Tel de rijen van de tabel nog eens.",
        explanation=(
            "De monitor kende eind 2019 in {naam} {antwoord} lokale energiecoöperatie(s). Het is "
            "een momentopname: sindsdien zijn er in Nederland veel bijgekomen (450 in 2019, 714 "
            "in 2023), en energie is maar één soort bewonersinitiatief."
        ),
        lines=1,
    )
)
