"""*Herkomst van de prijzen*: where every euro of a value map comes from.

For each price a value map uses, :func:`price_origins` lists its value, unit, price year,
the value indexed to the map's price year, and its source: a row of the Kostenhandleiding
2024 table, another published source, or an assumption (*aanname*). It also gives each
price's share of the total present value, so a reader sees how much of the result rests
on assumptions (:func:`assumption_share`). :func:`without_flagged` gives the ratio without
outcomes whose price is marked ``ook_zonder_rapporteren`` (welfare values such as a year
of less loneliness), which every report shows beside the ratio.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING

import pandas as pd

from doeagenda.impact.prices import ASSUMPTION, KH2024_SOURCE, prices

if TYPE_CHECKING:
    from doeagenda.impact.result import SROIResult

logger = logging.getLogger(__name__)

__all__ = ["SOURCE_KINDS", "assumption_share", "price_origins", "without_flagged"]

#: The three kinds of source, as shown in reports.
SOURCE_KINDS = ("KH2024", "andere bron", "aanname")


def _price_path(result: SROIResult):
    return result.value_map.price_path if result.value_map is not None else None


def _outcome_values(result: SROIResult) -> pd.Series:
    values = result.by_year.groupby("outcome", sort=False)["discounted"].sum()
    return values.reindex(result.outcomes["outcome"], fill_value=0.0)


def assumption_share(result: SROIResult) -> float:
    """Share of the present value resting on prices that are an assumption.

    Parameters
    ----------
    result : SROIResult
        A computed SROI; its outcomes carry the ``aanname`` flag of their price.

    Returns
    -------
    float
        Between 0 and 1 (0 when the present value is not positive).
    """
    values = _outcome_values(result)
    total = float(values.sum())
    if total <= 0:
        return 0.0
    flags = result.outcomes.set_index("outcome")["aanname"].reindex(values.index)
    return float(values[flags.to_numpy(dtype=bool)].sum() / total)


def _flagged_outcomes(result: SROIResult) -> list[str]:
    if "proxy" not in result.outcomes.columns:
        return []
    table = prices(result.price_year, _price_path(result))
    flagged = set(table.index[table["ook_zonder"]])
    pairs = zip(result.outcomes["outcome"], result.outcomes["proxy"], strict=True)
    return [outcome for outcome, proxy in pairs if proxy in flagged]


def without_flagged(result: SROIResult) -> dict[str, float]:
    """Ratio without each outcome whose price is marked ``ook_zonder_rapporteren``.

    Parameters
    ----------
    result : SROIResult

    Returns
    -------
    dict
        ``{outcome: ratio without it}``; empty when the map uses no such price.
    """
    values = _outcome_values(result)
    return {
        outcome: float((result.present_value - values[outcome]) / result.investment_pv)
        for outcome in _flagged_outcomes(result)
    }


def price_origins(result: SROIResult) -> pd.DataFrame:
    """Every price the value map uses, with value, unit, price year, index and source.

    Parameters
    ----------
    result : SROIResult
        A computed SROI; its price year and price table give each price's indexed value.

    Returns
    -------
    DataFrame
        One row per outcome and one for the volunteer hour of the investment (when
        counted): ``uitkomst, prijs, waarde, eenheid, prijsjaar, geindexeerd, soort, bron,
        kh2024, aandeel_waarde``. ``soort`` is ``KH2024``, ``andere bron`` or ``aanname``;
        ``aandeel_waarde`` is the outcome's share of the total present value (empty for
        the investment row).
    """
    table = prices(result.price_year, _price_path(result))
    values = _outcome_values(result)
    total = float(values.sum())
    records = []
    for row in result.outcomes.itertuples(index=False):
        proxy = getattr(row, "proxy", None)
        share = float(values[row.outcome] / total) if total > 0 else float("nan")
        if isinstance(proxy, str) and proxy in table.index:
            price = table.loc[proxy]
            if bool(row.aanname) or not math.isclose(row.proxy_value, price["waarde_geindexeerd"]):
                # the map overrides the table's price with its own value
                records.append(_own_price(row, result.price_year, share))
                continue
            records.append(_table_price(row.outcome, proxy, price, share))
        else:
            records.append(_own_price(row, result.price_year, share))
    investment = result.investment
    if "volunteer_hours" in investment.columns and (investment["volunteer_hours"] > 0).any():
        price = table.loc["vrijwilligersuur"]
        records.append(
            _table_price("(investering) vrijwilligersuren", "vrijwilligersuur", price, float("nan"))
        )
    columns = [
        "uitkomst",
        "prijs",
        "waarde",
        "eenheid",
        "prijsjaar",
        "geindexeerd",
        "soort",
        "bron",
        "kh2024",
        "aandeel_waarde",
    ]
    return pd.DataFrame(records, columns=columns)


def _kind(is_assumption: bool, kh_row: str) -> str:
    if is_assumption:
        return ASSUMPTION
    return "KH2024" if kh_row else "andere bron"


def _table_price(outcome: str, proxy: str, price: pd.Series, share: float) -> dict:
    """One origins record for a price taken unchanged from the price table."""
    return {
        "uitkomst": outcome,
        "prijs": proxy,
        "waarde": float(price["waarde"]),
        "eenheid": price["eenheid"],
        "prijsjaar": int(price["prijsjaar"]),
        "geindexeerd": float(price["waarde_geindexeerd"]),
        "soort": _kind(bool(price["aanname"]), str(price["kh2024"])),
        "bron": price["bron"],
        "kh2024": price["kh2024"],
        "aandeel_waarde": share,
    }


def _own_price(row, price_year: int, share: float) -> dict:
    source = str(row.proxy_source)
    is_assumption = bool(row.aanname)
    return {
        "uitkomst": row.outcome,
        "prijs": getattr(row, "proxy", None) or "(eigen waarde)",
        "waarde": float(row.proxy_value),
        "eenheid": "",
        "prijsjaar": int(price_year),
        "geindexeerd": float(row.proxy_value),
        "soort": _kind(is_assumption, "x" if KH2024_SOURCE in source else ""),
        "bron": ASSUMPTION if is_assumption else source,
        "kh2024": "",
        "aandeel_waarde": share,
    }
