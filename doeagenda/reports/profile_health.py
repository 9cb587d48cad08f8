"""The section *Gezondheid en welzijn* of the municipality profile: RIVM estimates."""

from __future__ import annotations

import pandas as pd

from doeagenda import data
from doeagenda.errors import AreaCodeError, ParameterError
from doeagenda.reports.profile_figures import _aggregate, _process_cache

#: RIVM indicators (``rivm_<name>_<age>``) of the section *Gezondheid en welzijn*.
HEALTH = (
    "ervaren_gezondheid_goed",
    "beperkt_gezondheid",
    "overgewicht",
    "beweegrichtlijn",
    "angst_depressie_risico",
    "eenzaam",
    "ernstig_eenzaam",
    "emotioneel_eenzaam",
    "sociaal_eenzaam",
    "mantelzorger",
    "vrijwilligerswerk",
    "moeite_rondkomen",
)
#: The trend chart keeps to the indicators RIVM published in all three rounds (18+).
HEALTH_TREND = ("ervaren_gezondheid_goed", "eenzaam", "angst_depressie_risico", "mantelzorger")
HEALTH_AGES = {"18plus": "18+", "65plus": "65+"}
#: KWB 2024 inhabitants used to weight the gemeenten into a provincie figure, per age group.
HEALTH_WEIGHTS = {"18plus": "a_inw", "65plus": "a_65_oo"}
HEALTH_NOTE = (
    "Deze cijfers zijn kleine-domeinschattingen van het RIVM: modelschattingen op basis van "
    "de Gezondheidsmonitor Volwassenen en Ouderen, geen tellingen."
)


def _rivm_values(level: str, indicator_ids: list[str], years: tuple[int, ...]) -> pd.DataFrame:
    long = data.indicators(level)
    long = long[long["indicator"].isin(indicator_ids) & long["year"].isin(years)]
    return long.dropna(subset=["value"])


def _province_health(
    values: pd.DataFrame, members: set[str], weights: pd.DataFrame, age: str
) -> pd.Series:
    """Population-weighted mean over the provincie's gemeenten, per (indicator, year)."""
    inside = values[values["code"].isin(members)]
    weight = weights[HEALTH_WEIGHTS[age]]
    return inside.groupby(["indicator", "year"]).apply(
        lambda group: _aggregate(group.set_index("code")["value"], weight, "%"),
        include_groups=False,
    )


def health_figures(
    gemeente: str,
    year: int = 2020,
    ages: tuple[str, ...] = tuple(HEALTH_AGES),
    names: tuple[str, ...] = HEALTH,
) -> pd.DataFrame:
    """Compare a gemeente's RIVM health estimates with its provincie and the Netherlands.

    The *provincie* figure is not published by RIVM: it is the mean of the provincie's
    gemeenten weighted by inhabitants (KWB 1 January 2024: all inhabitants for 18+,
    inhabitants aged 65 or over for 65+); gemeenten without an estimate are left out.
    *Nederland* is RIVM's own national figure (NL01).

    Parameters
    ----------
    gemeente : str
        GM code.
    year : int
        Survey year: 2012, 2016 or 2020.
    ages : tuple of str
        Age parts of the ids: ``"18plus"``, ``"65plus"`` (``"18_64"`` exists for 2012 and
        2016 only).
    names : tuple of str
        Indicator names (the ``<name>`` of ``rivm_<name>_<age>``).

    Returns
    -------
    DataFrame
        One row per indicator and age group: ``indicator, omschrijving, leeftijd, jaar,
        gemeente, provincie, nederland`` (percentages; NaN where RIVM has no estimate or
        did not ask the question that year).
    """
    return _health_long(gemeente, (int(year),), ages, names)


def _health_long(
    gemeente: str, years: tuple[int, ...], ages: tuple[str, ...], names: tuple[str, ...]
) -> pd.DataFrame:
    row = data.area(gemeente)
    if row["level"] != "gemeente":
        msg = f"{gemeente!r} is een {row['level']}, geen gemeente; geef een GM-code zoals GM0344"
        raise AreaCodeError(msg)
    unknown = sorted(set(years) - {2012, 2016, 2020})
    if unknown:
        msg = f"jaar {unknown[0]} heeft geen RIVM-gezondheidsschattingen; kies 2012, 2016 of 2020"
        raise ParameterError(msg)
    ids = {f"rivm_{name}_{age}": (name, age) for name in names for age in ages}
    labels = data.dictionary().set_index("indicator")
    unknown_ids = sorted(set(ids) - set(labels.index))
    if unknown_ids:
        msg = f"onbekende RIVM-indicator {unknown_ids[0]!r}; zie `doeagenda data dictionary rivm_`"
        raise ParameterError(msg)
    gemeenten, province, national = _health_context(tuple(ids), years, ages, row["provincie"])
    own = gemeenten[gemeenten["code"] == gemeente].set_index(["indicator", "year"])["value"]
    records = []
    for indicator, (name, age) in ids.items():
        for year in years:
            key = (indicator, year)
            records.append(
                {
                    "indicator": indicator,
                    "omschrijving": labels.at[f"rivm_{name}_18plus", "label_nl"].removesuffix(
                        " (18+)"
                    ),
                    "leeftijd": HEALTH_AGES.get(age, age),
                    "jaar": year,
                    "gemeente": own.get(key, float("nan")),
                    "provincie": province.get(key, float("nan")),
                    "nederland": national.get(key, float("nan")),
                }
            )
    return pd.DataFrame.from_records(records)


def _health_context(
    ids: tuple[str, ...], years: tuple[int, ...], ages: tuple[str, ...], provincie: str
) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    # The same for every gemeente of a provincie: computed once per process (see
    # _process_cache); callers only read these objects.
    cache = _process_cache()["figures"]
    key = ("health", ids, years, ages, provincie)
    if key not in cache:
        gemeenten = _rivm_values("gemeente", list(ids), years)
        land = _rivm_values("land", list(ids), years)
        members = set(data.areas("gemeente", provincie)["code"])
        weights = data.indicators("gemeente", provincie=provincie, year=2024, wide=True)
        province = pd.concat(
            [
                _province_health(
                    gemeenten[gemeenten["indicator"].str.endswith(a)], members, weights, a
                )
                for a in ages
            ]
        )
        national = land.set_index(["indicator", "year"])["value"]
        cache[key] = (gemeenten, province, national)
    return cache[key]


def health_trend(
    gemeente: str, names: tuple[str, ...] = HEALTH_TREND, age: str = "18plus"
) -> pd.DataFrame:
    """Return the RIVM estimates of 2012, 2016 and 2020 for gemeente, provincie and NL.

    Same rules as :func:`health_figures`. Long: ``indicator, omschrijving, leeftijd, jaar,
    gebied, waarde``; a year in which RIVM did not publish an indicator has no row.
    """
    wide = _health_long(gemeente, (2012, 2016, 2020), (age,), names)
    row = data.area(gemeente)
    long = wide.melt(
        id_vars=["indicator", "omschrijving", "leeftijd", "jaar"],
        value_vars=["gemeente", "provincie", "nederland"],
        var_name="gebied",
        value_name="waarde",
    )
    long["gebied"] = long["gebied"].map(
        {
            "gemeente": row["name"],
            "provincie": f"Provincie {row['provincie']}",
            "nederland": "Nederland",
        }
    )
    return long.dropna(subset=["waarde"]).reset_index(drop=True)
