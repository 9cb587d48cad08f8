"""A plain-Dutch reading of an SROI result for gemeenten, fondsen and bewoners."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from doeagenda.charts import nl_format
from doeagenda.impact.actors import per_actor
from doeagenda.impact.result import SROIResult
from doeagenda.impact.uncertainty import UncertaintyResult

logger = logging.getLogger(__name__)

__all__ = ["Reading", "gemeente_name", "price_origin_reading", "reading"]


@dataclass(frozen=True)
class Reading:
    """Dutch text; shows as Markdown in a notebook."""

    text: str

    def __str__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return self.text


def gemeente_name(code: str | None) -> str | None:
    """Name of a gemeente code from :mod:`doeagenda.data` (the code itself as fallback).

    Parameters
    ----------
    code : str or None
        ``GMxxxx``.

    Returns
    -------
    str or None
    """
    if not code:
        return None
    try:
        from doeagenda import data

        areas = data.areas(level="gemeente")
        match = areas.loc[areas["code"] == code, "name"]
        if not match.empty:
            return str(match.iloc[0])
    except Exception as error:  # the data layer is optional for this text
        logger.debug("no gemeente name for %s: %s", code, error)
    return code


def _rates(result: SROIResult) -> str:
    if result.cost_rate == result.discount_rate:
        return f"disconteringsvoet {nl_format(result.discount_rate * 100, 2)}%"
    return (
        f"disconteringsvoet {nl_format(result.cost_rate * 100, 2)}% voor kosten en "
        f"{nl_format(result.discount_rate * 100, 2)}% voor effecten"
    )


def _euro(value: float) -> str:
    return f"€ {nl_format(value, 2)}"


def reading(
    result: SROIResult,
    uncertainty: UncertaintyResult | None = None,
    gemeente: str | None = None,
) -> Reading:
    """Explain the result in plain Dutch.

    Parameters
    ----------
    result : SROIResult
    uncertainty : UncertaintyResult, optional
        Adds the 90% interval, P(ratio > 1) and the main source of uncertainty.
    gemeente : str, optional
        Gemeente code; default the value map's.

    Returns
    -------
    Reading
    """
    value_map = result.value_map
    code = gemeente or (value_map.gemeente if value_map is not None else None)
    place = gemeente_name(code)
    years = int(result.by_year["year"].max()) if not result.by_year.empty else 0
    where = f" in gemeente {place}" if place else ""
    lines = [
        f"**{result.name}**{where}.",
        "",
        f"Voor elke geïnvesteerde euro levert het initiatief naar schatting "
        f"{_euro(result.ratio)} aan maatschappelijke waarde op (contante waarde over "
        f"{years} jaar, {_rates(result)}). "
        f"De netto maatschappelijke waarde is € {nl_format(result.npv)}.",
    ]
    for outcome, ratio in result.ratios_without.items():
        lines.append("")
        lines.append(
            f"Zonder {outcome} (een omstreden welzijnswaarde, aanname) is dat "
            f"{_euro(ratio)} per geïnvesteerde euro."
        )
    if uncertainty is not None:
        low, high = uncertainty.interval(0.9)
        lines.append("")
        lines.append(
            f"Met 90% zekerheid ligt de opbrengst per geïnvesteerde euro tussen "
            f"{_euro(low)} en {_euro(high)}; de kans dat de waarde de investering "
            f"overtreft is {nl_format(100 * uncertainty.probability_positive)}%."
        )
        if not uncertainty.sobol.empty and uncertainty.sobol["total_order"].notna().any():
            top = uncertainty.sobol.iloc[0]
            lines.append(
                f"De onzekerheid komt vooral van {top['label']} (ongeveer "
                f"{nl_format(100 * top['total_order'])}% van de variantie); daar loont beter "
                "meten het meest."
            )
    lines.append("")
    lines.append(per_actor(result).reading())
    if result.assumptions:
        lines.append("")
        lines.append(
            "Prijzen die een aanname zijn (geen gepubliceerde bron): "
            + ", ".join(result.assumptions)
            + f"; daarop rust {nl_format(100 * result.assumption_share)}% van de waarde."
        )
    if result.warnings:
        lines.append("")
        lines.extend(f"- {w}" for w in result.warnings)
    if value_map is not None and value_map.example:
        lines.append("")
        lines.append(
            "*Dit is een voorbeeld met verzonnen aantallen; het laat de methode zien, "
            "niet de waarde van een echt initiatief.*"
        )
    return Reading("\n".join(lines))


def price_origin_reading(result: SROIResult) -> Reading:
    """Say in Dutch where the prices come from and how much value rests on assumptions.

    Parameters
    ----------
    result : SROIResult
        A computed SROI (its :meth:`~SROIResult.price_origins` table is read).

    Returns
    -------
    Reading
    """
    origins = result.price_origins()
    counts = origins["soort"].value_counts()
    parts = [
        f"De waardekaart gebruikt {len(origins)} prijzen: "
        f"{counts.get('KH2024', 0)} uit de Kostenhandleiding 2024 van Zorginstituut Nederland "
        f"(prijspeil 2022), {counts.get('andere bron', 0)} uit een andere bron en "
        f"{counts.get('aanname', 0)} als aanname. Alle bedragen zijn met de CBS-CPI "
        f"geïndexeerd naar {result.price_year}.",
        f"**{nl_format(100 * result.assumption_share)}% van de contante waarde rust op "
        "prijzen die een aanname zijn.**",
    ]
    for outcome, ratio in result.ratios_without.items():
        parts.append(
            f"Zonder {outcome} is de ratio {_euro(ratio)} per geïnvesteerde euro "
            f"(met: {_euro(result.ratio)})."
        )
    return Reading(" ".join(parts))
