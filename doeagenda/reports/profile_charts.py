"""The charts of the municipality profile (altair, theme in :mod:`doeagenda.charts`)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from doeagenda import data
from doeagenda.charts import HIGHLIGHT, MUTED, PALETTE, geo_data, highlight_color
from doeagenda.errors import ParameterError
from doeagenda.reports.profile_figures import AGE_GROUPS, _province_features
from doeagenda.reports.profile_health import HEALTH_AGES


def age_chart(table: pd.DataFrame) -> alt.Chart:
    """Grouped bar chart of :func:`age_structure` (gemeente highlighted)."""
    return _age_bars(
        table,
        "Leeftijdsopbouw: aandeel inwoners per leeftijdsgroep",
        [HIGHLIGHT, PALETTE[0], MUTED],
    )


def _age_bars(table: pd.DataFrame, title: str, colors: list[str]) -> alt.Chart:
    """Grouped bars of age shares per ``gebied``, in table order, coloured by ``colors``.

    Shared by the gemeente profile and the wijkprofiel so both age charts stay alike.
    """
    areas_order = list(dict.fromkeys(table["gebied"]))
    return (
        alt.Chart(table, title=title)
        .mark_bar()
        .encode(
            x=alt.X("leeftijd:N", title=None, sort=list(AGE_GROUPS.values())),
            xOffset=alt.XOffset("gebied:N", sort=areas_order),
            y=alt.Y("aandeel:Q", title="Aandeel inwoners (%)"),
            color=alt.Color(
                "gebied:N",
                sort=areas_order,
                scale=alt.Scale(domain=areas_order, range=colors),
                title=None,
            ),
            tooltip=[
                alt.Tooltip("gebied:N", title="Gebied"),
                alt.Tooltip("leeftijd:N", title="Leeftijd"),
                alt.Tooltip("aandeel:Q", title="Aandeel (%)", format=".1f"),
                alt.Tooltip("inwoners:Q", title="Inwoners", format=",.0f"),
            ],
        )
        .properties(width=520, height=260)
    )


def distribution_chart(gemeente: str, indicator: str, provincie: str | None = None) -> alt.Chart:
    """Dot plot of one indicator over the gemeenten of a provincie, the gemeente highlighted."""
    row = data.area(gemeente)
    provincie = provincie or row["provincie"]
    long = data.indicators("gemeente", provincie=provincie)
    long = long[long["indicator"] == indicator].dropna(subset=["value"])
    if long.empty:
        msg = f"indicator {indicator!r} heeft geen waarden in provincie {provincie}"
        raise ParameterError(msg)
    long = long[long["year"] == long["year"].max()]
    names = data.areas("gemeente", provincie).set_index("code")["name"]
    table = pd.DataFrame(
        {
            "gemeente": long["code"].map(names).to_numpy(),
            "waarde": long["value"].to_numpy(),
            "deze": (long["code"] == gemeente)
            .map({True: row["name"], False: "andere gemeenten"})
            .to_numpy(),
        }
    )
    label = data.label(indicator)
    unit = data.dictionary().set_index("indicator").at[indicator, "unit"]
    return (
        alt.Chart(table, title=f"{label}: {row['name']} tussen de gemeenten van {provincie}")
        .mark_circle(size=110, opacity=0.85)
        .encode(
            x=alt.X("waarde:Q", title=f"{label} ({unit})", scale=alt.Scale(zero=False)),
            y=alt.Y("deze:N", title=None, sort=[row["name"], "andere gemeenten"]),
            color=alt.Color(
                "deze:N",
                scale=alt.Scale(domain=[row["name"], "andere gemeenten"], range=[HIGHLIGHT, MUTED]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("gemeente:N", title="Gemeente"),
                alt.Tooltip("waarde:Q", title=label),
            ],
        )
        .properties(width=520, height=90)
    )


def province_map(gemeente: str) -> alt.Chart:
    """Map of the gemeente's provincie with the gemeente highlighted."""
    row = data.area(gemeente)
    features = [
        {
            **feature,
            "properties": {
                **feature["properties"],
                "status": row["name"]
                if feature["properties"]["code"] == gemeente
                else "andere gemeenten",
            },
        }
        for feature in _province_features(row["provincie"])
    ]
    return (
        alt.Chart(geo_data(features), title=f"{row['name']} in provincie {row['provincie']}")
        .mark_geoshape(stroke="white", strokeWidth=0.8)
        .encode(
            color=highlight_color("properties.status", row["name"], "andere gemeenten", title=None),
            tooltip=[
                alt.Tooltip("properties.name:N", title="Gemeente"),
                alt.Tooltip("properties.inwoners:Q", title="Inwoners (2024)", format=",.0f"),
            ],
        )
        .project(type="mercator")
        .properties(width=460, height=380)
    )


def health_chart(figures: pd.DataFrame, name: str, provincie: str) -> alt.Chart:
    """Dot chart of :func:`health_figures`: gemeente, provincie and NL per indicator and age."""
    long = figures.melt(
        id_vars=["omschrijving", "leeftijd", "jaar"],
        value_vars=["gemeente", "provincie", "nederland"],
        var_name="gebied",
        value_name="waarde",
    ).dropna(subset=["waarde"])
    order = [name, f"Provincie {provincie}", "Nederland"]
    long["gebied"] = long["gebied"].map(
        dict(zip(["gemeente", "provincie", "nederland"], order, strict=True))
    )
    year = int(figures["jaar"].max())
    return (
        alt.Chart(long, title=f"Gezondheid en welzijn {year}: {name}, provincie en Nederland")
        .mark_point(filled=True, size=90, opacity=0.9)
        .encode(
            x=alt.X("waarde:Q", title="Aandeel van de leeftijdsgroep (%, schatting)"),
            y=alt.Y(
                "omschrijving:N",
                title=None,
                sort=list(dict.fromkeys(figures["omschrijving"])),
            ),
            color=alt.Color(
                "gebied:N",
                sort=order,
                scale=alt.Scale(domain=order, range=[HIGHLIGHT, PALETTE[0], MUTED]),
                title=None,
            ),
            # the colour's domain, so Vega draws one legend for both (not two)
            shape=alt.Shape("gebied:N", sort=order, scale=alt.Scale(domain=order), title=None),
            column=alt.Column("leeftijd:N", title=None, sort=list(HEALTH_AGES.values())),
            tooltip=[
                alt.Tooltip("gebied:N", title="Gebied"),
                alt.Tooltip("omschrijving:N", title="Indicator"),
                alt.Tooltip("leeftijd:N", title="Leeftijd"),
                alt.Tooltip("waarde:Q", title="Schatting (%)", format=".1f"),
            ],
        )
        .properties(width=260, height=300)
    )


def health_trend_chart(trend: pd.DataFrame, name: str) -> alt.Chart:
    """Line chart of :func:`health_trend`: one panel per indicator, gemeente highlighted."""
    order = list(dict.fromkeys([name, *trend["gebied"]]))
    colours = [HIGHLIGHT, PALETTE[0], MUTED][: len(order)]
    return (
        alt.Chart(trend, title=f"{name}: ontwikkeling 2012–2020 (18+, schattingen)")
        .mark_line(point=True)
        .encode(
            x=alt.X("jaar:O", title=None),
            y=alt.Y("waarde:Q", title="%", scale=alt.Scale(zero=False)),
            color=alt.Color(
                "gebied:N", sort=order, scale=alt.Scale(domain=order, range=colours), title=None
            ),
            facet=alt.Facet("omschrijving:N", title=None, columns=2),
            tooltip=[
                alt.Tooltip("gebied:N", title="Gebied"),
                alt.Tooltip("jaar:O", title="Jaar"),
                alt.Tooltip("waarde:Q", title="Schatting (%)", format=".1f"),
            ],
        )
        .properties(width=220, height=140)
        .resolve_scale(y="independent")
    )
