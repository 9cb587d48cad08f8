"""Module 04 *Wat levert het op?*: an SROI value map with sliders.

The value map is one of the *voorbeeld* (invented) maps under ``params/impact/``, loaded by
:func:`doeagenda.impact.load_value_map`. In this module one deadweight, one attribution and
one drop-off hold for every outcome (so a participant moves three sliders, not thirty);
:func:`lesson_outcomes` sets them, :func:`doeagenda.impact.sroi` computes the ratio, and
:meth:`~doeagenda.impact.SROIResult.sensitivity` the tornado.
"""

from __future__ import annotations

import functools

import ipywidgets as widgets
import pandas as pd

from doeagenda.charts import nl_format
from doeagenda.errors import ParameterError
from doeagenda.learning.exercise_registry import Exercise, ExerciseRegistry
from doeagenda.learning.lesson import (
    View,
    check_gemeente,
    gemeente_name,
    quiet_engine,
)
from doeagenda.learning.widgets import Explorer, explorer, slider, wide

__all__ = [
    "DEFAULTS",
    "VALUE_MAPS",
    "break_even_deadweight",
    "lesson_outcomes",
    "lesson_sroi",
    "sensitivity_explorer",
    "sensitivity_view",
    "sroi_explorer",
    "sroi_view",
    "tornado",
    "value_map_explorer",
    "value_map_view",
]

#: Voorbeeld value maps of the module: name under params/impact -> Dutch label.
VALUE_MAPS = {
    "voorbeeld_maaltijden_ouderen": "Samen eten in de wijk (voorbeeld)",
    "voorbeeld_buurtcooperatie": "Buurtcoöperatie (voorbeeld)",
}

#: Slider defaults (percent).
DEFAULTS = {"deadweight": 25.0, "attributie": 30.0, "afname": 30.0, "disconteringsvoet": 2.25}


@functools.cache
def _value_map(name: str):
    from doeagenda.impact import load_value_map

    if name not in VALUE_MAPS:
        msg = f"Kies een waardekaart uit: {', '.join(VALUE_MAPS)}."
        raise ParameterError(msg)
    with quiet_engine("doeagenda.impact"):
        return load_value_map(name)


def _fraction(value: float, label: str) -> float:
    value = float(value)
    if not 0 <= value <= 100:
        msg = f"{label} moet tussen 0 en 100% liggen, niet {nl_format(value, 1)}%."
        raise ParameterError(msg)
    return value / 100


def lesson_outcomes(
    waardekaart: str = "voorbeeld_maaltijden_ouderen",
    deadweight: float = DEFAULTS["deadweight"],
    attributie: float = DEFAULTS["attributie"],
    afname: float = DEFAULTS["afname"],
) -> pd.DataFrame:
    """Return the value map's outcomes with one deadweight, attribution and drop-off.

    Parameters
    ----------
    waardekaart : str
        A key of :data:`VALUE_MAPS`.
    deadweight, attributie, afname : float
        Percentages (0–100) applied to every outcome.

    Returns
    -------
    DataFrame
        The outcome table for :func:`doeagenda.impact.sroi`.
    """
    # the validated table carries a derived flag that sroi() derives again from the proxy
    table = _value_map(waardekaart).outcomes
    table["deadweight"] = _fraction(deadweight, "Deadweight")
    table["attribution"] = _fraction(attributie, "Attributie")
    table["drop_off"] = _fraction(afname, "De afname per jaar")
    return table


def lesson_sroi(
    waardekaart: str = "voorbeeld_maaltijden_ouderen",
    deadweight: float = DEFAULTS["deadweight"],
    attributie: float = DEFAULTS["attributie"],
    afname: float = DEFAULTS["afname"],
    disconteringsvoet: float = DEFAULTS["disconteringsvoet"],
):
    """Return the SROI of the value map under the module's slider settings.

    Parameters
    ----------
    waardekaart, deadweight, attributie, afname
        See :func:`lesson_outcomes`.
    disconteringsvoet : float
        Discount rate in percent per year.

    Returns
    -------
    doeagenda.impact.SROIResult
    """
    from doeagenda.impact import sroi

    rate = float(disconteringsvoet)
    if not 0 <= rate <= 20:
        msg = "Kies een disconteringsvoet tussen 0 en 20% per jaar."
        raise ParameterError(msg)
    outcomes = lesson_outcomes(waardekaart, deadweight, attributie, afname)
    with quiet_engine("doeagenda.impact"):  # its warnings are in the view's text
        return sroi(outcomes, _value_map(waardekaart).investment, discount_rate=rate / 100)


def break_even_deadweight(
    waardekaart: str = "voorbeeld_maaltijden_ouderen",
    attributie: float = DEFAULTS["attributie"],
    afname: float = DEFAULTS["afname"],
    disconteringsvoet: float = DEFAULTS["disconteringsvoet"],
) -> float:
    """Return the deadweight (percent, the same for every outcome) at which the ratio is 1.

    Every outcome's value is proportional to ``1 - deadweight``, so the ratio is
    ``ratio(0) * (1 - d)`` and the break-even is ``d = 1 - 1 / ratio(0)`` (0 when even
    without deadweight the value does not cover the investment).

    Returns
    -------
    float
    """
    ratio0 = lesson_sroi(waardekaart, 0.0, attributie, afname, disconteringsvoet).ratio
    return max(0.0, 1 - 1 / ratio0) * 100 if ratio0 > 0 else 0.0


def _euro(value: float) -> str:
    return f"€ {nl_format(value, 2)}"


def value_map_view(gemeente: str, waardekaart: str = "voorbeeld_maaltijden_ouderen") -> View:
    """Return the value map as a table: outcomes, quantities, prices, duration, sources.

    Returns
    -------
    View
        ``values``: ``uitkomsten`` (number of outcomes), ``investering`` (total, undiscounted).
    """
    code = check_gemeente(gemeente)
    value_map = _value_map(waardekaart)
    table = value_map.table().reset_index()
    shown = pd.DataFrame(
        {
            "Uitkomst": table["uitkomst"].str.replace("_", " "),
            "Voor wie": table["belanghebbende"],
            "Aantal": table["aantal"].map(lambda v: nl_format(v, 0)),
            "Prijs per stuk": table["prijs (€)"].map(_euro),
            "Duur (jaar)": table["duur (jaar)"].map(lambda v: nl_format(v, 0)),
            "Bron prijs": table["bron prijs"],
        }
    )
    total = float(value_map.investment["amount"].sum())
    text = (
        f"{VALUE_MAPS[waardekaart]}: een verzonnen voorbeeld, hier gebruikt voor "
        f"{gemeente_name(code)}. {value_map.description or ''} De investering is samen "
        f"{_euro(total)}. De meeste prijzen komen uit de Kostenhandleiding 2024 van "
        "Zorginstituut Nederland (prijspeil 2022, met de CBS-prijsindex omgerekend naar 2024); "
        "een vrijwilligersuur telt tegen het gemiddelde minimumloon van 2024. Een prijs met "
        "'AANNAME' heeft geen gepubliceerde bron."
    ).replace("  ", " ")
    values = {"uitkomsten": len(shown), "investering": total}
    return View("De waardekaart", text, table=shown, values=values)


def sroi_view(
    gemeente: str,
    waardekaart: str = "voorbeeld_maaltijden_ouderen",
    deadweight: float = DEFAULTS["deadweight"],
    attributie: float = DEFAULTS["attributie"],
    afname: float = DEFAULTS["afname"],
    disconteringsvoet: float = DEFAULTS["disconteringsvoet"],
) -> View:
    """Return the ratio, the waterfall chart and the key figures under the slider settings.

    Returns
    -------
    View
        ``values``: ``ratio``, ``waarde`` (present value), ``investering``, ``omslagpunt``
        (break-even deadweight in percent).
    """
    code = check_gemeente(gemeente)
    result = lesson_sroi(waardekaart, deadweight, attributie, afname, disconteringsvoet)
    if result.present_value <= 0:
        reason = (
            "Met 100% deadweight was alles ook zonder het project gebeurd"
            if float(deadweight) >= 100
            else "Met 100% attributie komt alles door anderen"
            if float(attributie) >= 100
            else "Er blijft geen waarde over"
        )
        message = (
            f"{reason}: de maatschappelijke waarde van het project is dan € 0 en de ratio 0. "
            "Zet het schuifje lager om te zien wat het project wél oplevert."
        )
        return View(
            "Wat levert het op?",
            message=message,
            values={"ratio": 0.0, "waarde": 0.0, "investering": result.investment_pv},
        )
    omslag = break_even_deadweight(waardekaart, attributie, afname, disconteringsvoet)
    text = (
        f"{VALUE_MAPS[waardekaart]}, gerekend voor {gemeente_name(code)}: voor elke "
        f"geïnvesteerde euro ontstaat {_euro(result.ratio)} aan maatschappelijke waarde "
        f"(ratio 1 : {nl_format(result.ratio, 2)}). Bij een deadweight van "
        f"{nl_format(omslag, 0)}% is de ratio precies 1 (het omslagpunt)."
    )
    without = result.ratios_without
    for outcome, ratio in without.items():
        text += (
            f" Zonder {outcome.replace('_', ' ')} (een welzijnswaarde die een aanname is) is "
            f"de ratio 1 : {nl_format(ratio, 2)}."
        )
    for warning in result.warnings:
        text += " " + (warning if warning.startswith("Let op") else f"Let op: {warning}")
    table = pd.DataFrame(
        {
            "Kengetal": [
                "Maatschappelijke waarde (contant)",
                "Investering (contant)",
                "Netto waarde",
                "Ratio",
                *(f"Ratio zonder {o.replace('_', ' ')}" for o in without),
                "Deel van de waarde op aannames",
            ],
            "Waarde": [
                _euro(result.present_value),
                _euro(result.investment_pv),
                _euro(result.npv),
                f"1 : {nl_format(result.ratio, 2)}",
                *(f"1 : {nl_format(r, 2)}" for r in without.values()),
                f"{nl_format(100 * result.assumption_share, 0)}%",
            ],
        }
    )
    values = {
        "ratio": float(result.ratio),
        "waarde": float(result.present_value),
        "investering": float(result.investment_pv),
        "omslagpunt": omslag,
        **{f"ratio_zonder_{o}": float(r) for o, r in without.items()},
        "aandeel_aannames": float(result.assumption_share),
    }
    return View(
        "Wat levert het op?", text, chart=result.chart("waterval"), table=table, values=values
    )


def tornado(waardekaart: str = "voorbeeld_maaltijden_ouderen"):
    """Return the one-at-a-time sensitivity of the ratio at the module's defaults."""
    return lesson_sroi(waardekaart).sensitivity()


def sensitivity_view(gemeente: str, waardekaart: str = "voorbeeld_maaltijden_ouderen") -> View:
    """Return the tornado chart: which assumption moves the ratio most?

    Returns
    -------
    View
        ``values``: ``grootste`` (label of the assumption with the largest swing).
    """
    check_gemeente(gemeente)
    sens = tornado(waardekaart)
    top = sens.table.iloc[0]
    text = (
        "Elke aanname gaat een stukje omhoog en omlaag (aantallen en prijzen ±20%, "
        "percentages ±10 procentpunt). De prijs van een vrijwilligersuur gaat omhoog tot "
        "wat het kost om het werk te laten doen (de vervangingskosten uit de "
        "Kostenhandleiding 2024). De bovenste balk verandert de ratio het meest: "
        f"{top['label']}."
    )
    return View(
        "Welke aanname telt het zwaarst?",
        text,
        chart=sens.chart(top=10),
        values={"grootste": str(top["label"])},
    )


# --- widget builders --------------------------------------------------------------------


def sroi_explorer(gemeente: str) -> Explorer | View:
    """Build the SROI explorer: value map, deadweight, attribution, drop-off, discount rate."""

    def percent(name: str, label: str, maximum: float = 100.0, step: float = 5.0):
        return slider(
            label, DEFAULTS[name], 0.0, maximum, step, readout_format=".2g" if step < 1 else ".0f"
        )

    controls = {
        "waardekaart": _value_map_dropdown(**wide()),
        "deadweight": percent("deadweight", "Deadweight (%)"),
        "attributie": percent("attributie", "Attributie (%)"),
        "afname": percent("afname", "Afname per jaar (%)"),
        "disconteringsvoet": percent("disconteringsvoet", "Disconteringsvoet (%)", 10.0, 0.25),
    }
    return explorer(sroi_view, controls, gemeente=gemeente)


def _value_map_dropdown(**layout: object) -> widgets.Dropdown:
    return widgets.Dropdown(
        options=[(label, key) for key, label in VALUE_MAPS.items()],
        value="voorbeeld_maaltijden_ouderen",
        description="Waardekaart",
        **layout,
    )


def value_map_explorer(gemeente: str) -> Explorer | View:
    """Build the value-map table with a value-map dropdown."""
    controls = {"waardekaart": _value_map_dropdown(**wide())}
    return explorer(value_map_view, controls, gemeente=gemeente)


def sensitivity_explorer(gemeente: str) -> Explorer | View:
    """Build the tornado view with a value-map dropdown."""
    controls = {"waardekaart": _value_map_dropdown()}
    return explorer(sensitivity_view, controls, gemeente=gemeente)


# --- exercises --------------------------------------------------------------------------


#: The exercises of this module (joined by :mod:`doeagenda.learning.catalogue`).
EXERCISES = ExerciseRegistry()

EXERCISES.add(
    Exercise(
        id="04.1",
        kind="number",
        question=(
            "Kijk naar 'Samen eten in de wijk' met de schuifjes op hun beginstand. Hoeveel euro "
            "maatschappelijke waarde levert elke geïnvesteerde euro op?"
        ),
        compute=lambda gemeente: lesson_sroi().ratio,
        abs_tol=0.02,
        rel_tol=0.0,
        close_tol=0.1,
        hint="Lees de ratio in de zin boven de grafiek of in de tabel (1 : ...).",
        explanation="Elke euro levert {antwoord} op (de ratio bij de beginstand).",
        decimals=2,
        unit="euro",
        lines=1,
    )
)
EXERCISES.add(
    Exercise(
        id="04.2",
        kind="number",
        question=(
            "Zet de deadweight op 50%. Wat is de ratio nu? Wat betekent dat voor het verhaal "
            "dat je aan een fonds vertelt?"
        ),
        compute=lambda gemeente: lesson_sroi(deadweight=50.0).ratio,
        abs_tol=0.02,
        rel_tol=0.0,
        close_tol=0.1,
        hint="Schuif alleen 'Deadweight' naar 50 en laat de rest staan.",
        explanation=(
            "Met 50% deadweight is de ratio {antwoord}: de helft van de waarde was er ook "
            "zonder het project gekomen. Noem dus altijd je aannames bij een ratio."
        ),
        decimals=2,
        unit="euro per euro",
        lines=3,
    )
)
EXERCISES.add(
    Exercise(
        id="04.3",
        kind="number",
        question=(
            "Bij welke deadweight (in %) is de ratio precies 1, zodat het project evenveel "
            "oplevert als het kost? (Het omslagpunt.)"
        ),
        compute=lambda gemeente: break_even_deadweight(),
        abs_tol=1.0,
        rel_tol=0.0,
        close_tol=0.1,
        hint="Schuif de deadweight omhoog tot de ratio 1 is, of lees het omslagpunt in de tekst.",
        explanation=(
            "Het omslagpunt ligt bij een deadweight van {antwoord}: pas als meer dan dat deel "
            "ook zonder het project was gebeurd, kost het project meer dan het oplevert."
        ),
        decimals=0,
        unit="%",
        lines=2,
    )
)
EXERCISES.add(
    Exercise(
        id="04.5",
        kind="choice",
        question=(
            "Een initiatief rekent met 0% deadweight en 0% attributie en meldt een ratio van "
            "1 : 9. Wat is daarmee aan de hand?"
        ),
        options=(
            "Niets: hoe hoger de ratio, hoe beter het initiatief.",
            "Het rekent alsof zonder het initiatief niets was gebeurd en niemand anders "
            "heeft geholpen: de waarde is waarschijnlijk te hoog (overclaiming).",
            "De ratio is te laag, want deadweight verhoogt de waarde.",
        ),
        answer_hashes=("d92a00a44785312f17cddd815c03f2049749e8b4cee7b507c90bd87c4c8da435",),
        hint="Zet deadweight en attributie op 0 in de grafiek. Wat gebeurt er met de ratio?",
        explanation=(
            "Met 0% deadweight en 0% attributie telt alle verandering als verdienste van het "
            "initiatief. Dat is bijna nooit waar: dit heet overclaiming. Een eerlijke SROI "
            "onderbouwt beide percentages."
        ),
        lines=3,
    )
)
EXERCISES.add(
    Exercise(
        id="04.4",
        kind="choice",
        question="Wat gebeurt er met de ratio als je de disconteringsvoet hoger zet?",
        options=(
            "De ratio stijgt, want geld in de toekomst is meer waard.",
            "De ratio daalt, want waarde in latere jaren telt minder mee.",
            "De ratio blijft gelijk, want de investering verandert niet.",
        ),
        answer_hashes=("a129805af85f55c19c9a89ea97bade2ed7124003d9ecb32eaff97a052fdfebcc",),
        hint="Probeer het met het schuifje 'Disconteringsvoet'. Let op waarde in jaar 2 en later.",
        explanation=(
            "De ratio daalt: de waarde komt in latere jaren, de investering in jaar 0. Hoe hoger "
            "de disconteringsvoet, hoe minder latere waarde nu waard is."
        ),
        lines=2,
    )
)
