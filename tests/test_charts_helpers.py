"""The shared chart pieces of doeagenda.charts: a reference line and the highlight style."""

from __future__ import annotations

import altair as alt
import pandas as pd

from doeagenda.charts import (
    HIGHLIGHT,
    MUTED,
    PALETTE,
    REFERENCE,
    highlight_color,
    highlight_width,
    interval_layer,
    ranked_bars,
    reference_line,
)


def test_reference_line_is_the_rule_charts_wrote_by_hand():
    by_hand = (
        alt.Chart(pd.DataFrame({"x": [-0.5]}))
        .mark_rule(strokeDash=[4, 4], color="#888888")
        .encode(x="x:Q")
    )
    assert reference_line(-0.5, "x", strokeDash=[4, 4]).to_dict() == by_hand.to_dict()
    assert REFERENCE == "#888888"
    period = reference_line("2019", "x", field="jaar", kind="O", color=None).to_dict()
    assert period["encoding"] == {"x": {"field": "jaar", "type": "ordinal"}}
    assert period["mark"] == {"type": "rule"}  # no colour: the theme's
    assert next(iter(period["datasets"].values())) == [{"jaar": "2019"}]
    horizontal = reference_line(0.8, color=HIGHLIGHT, size=2).to_dict()
    assert horizontal["encoding"] == {"y": {"field": "y", "type": "quantitative"}}
    assert horizontal["mark"] == {"type": "rule", "color": HIGHLIGHT, "size": 2}


def test_highlight_colours_one_group_and_draws_it_thick():
    data = pd.DataFrame({"t": [1, 2, 1, 2], "v": [1, 2, 3, 4], "rol": ["a", "a", "b", "b"]})
    chart = (
        alt.Chart(data)
        .mark_line()
        .encode(
            x="t:O",
            y="v:Q",
            color=highlight_color("rol", "a", "b", title="Groep"),
            strokeWidth=highlight_width("rol", "a"),
        )
    )
    encoding = chart.to_dict()["encoding"]
    assert encoding["color"] == {
        "field": "rol",
        "type": "nominal",
        "title": "Groep",
        "scale": {"domain": ["a", "b"], "range": [HIGHLIGHT, MUTED]},
    }
    assert encoding["strokeWidth"] == {
        "condition": {"test": "(datum.rol === 'a')", "value": 3},
        "value": 1,
    }


def test_highlight_against_a_comparison_worth_reading():
    from doeagenda.charts import PALETTE

    color = highlight_color("reeks", "behandeld", "synthetisch", None, PALETTE[0])
    assert color.to_dict() == {
        "field": "reeks",
        "type": "nominal",
        "title": None,
        "scale": {"domain": ["behandeld", "synthetisch"], "range": [HIGHLIGHT, PALETTE[0]]},
    }


def test_ranked_bars_are_the_ranking_charts_wrote_by_hand():
    data = pd.DataFrame({"naam": ["A", "B", "C"], "waarde": [3.0, 1.0, 2.0]})
    chosen = data["naam"] == "B"
    by_hand = (
        alt.Chart(data.assign(kleur=["andere", "gekozen", "andere"]))
        .mark_bar()
        .encode(
            x=alt.X("waarde:Q", title="Waarde"),
            y=alt.Y("naam:N", sort="-x", title=None),
            color=alt.Color(
                "kleur:N",
                scale=alt.Scale(domain=["gekozen", "andere"], range=[HIGHLIGHT, MUTED]),
                legend=None,
            ),
            tooltip=["naam"],
        )
    )
    bars = ranked_bars(data, alt.X("waarde:Q", title="Waarde"), "naam", chosen, ["naam"])
    assert bars.to_dict() == by_hand.to_dict()
    assert "kleur" not in data.columns  # the caller's frame is left alone
    shown = ranked_bars(data, "waarde:Q", "naam", chosen, [], ("ja", "nee"), legend=True)
    spec = shown.to_dict()
    assert spec["encoding"]["color"] == {
        "field": "kleur",
        "type": "nominal",
        "title": None,
        "scale": {"domain": ["ja", "nee"], "range": [HIGHLIGHT, MUTED]},
    }
    assert [row["kleur"] for row in next(iter(spec["datasets"].values()))] == ["nee", "ja", "nee"]


def test_interval_tooltip_names_the_estimate_and_its_bounds():
    from doeagenda.charts import interval_tooltip

    tips = [t.to_dict() for t in interval_tooltip("hr", "lo", "hi", "hazard ratio")]
    assert tips == [
        {"field": "hr", "type": "quantitative", "title": "hazard ratio", "format": ".2f"},
        {"field": "lo", "type": "quantitative", "title": "ondergrens", "format": ".2f"},
        {"field": "hi", "type": "quantitative", "title": "bovengrens", "format": ".2f"},
    ]


def test_interval_layer_is_the_rules_and_points_charts_wrote_by_hand():
    data = pd.DataFrame({"t": ["a", "b"], "est": [1.0, -0.5], "lo": [0.2, -1.5], "hi": [1.8, 0.5]})
    base = alt.Chart(data).encode(x=alt.X("t:O", title="Periode"))
    tips = ["t:O", alt.Tooltip("est:Q", format=".2f")]
    by_hand = alt.layer(
        reference_line(0.0),
        base.mark_rule(strokeWidth=2, color=PALETTE[0]).encode(
            y=alt.Y("lo:Q", title="Effect"), y2="hi:Q"
        ),
        base.mark_point(size=60, color=HIGHLIGHT).encode(y="est:Q", tooltip=tips),
    )
    made = interval_layer(base, "est", "lo", "hi", title="Effect", tooltip=tips)
    assert made.to_dict() == by_hand.to_dict()
    # lying intervals, filled points, colours left to the base, no zero line
    lying = interval_layer(
        base, "est", "lo", "hi", title="E", tooltip=tips, axis="x", colored=False, zero=False,
        filled=True, size=70,
    ).to_dict()  # fmt: skip
    rules, points = lying["layer"]
    assert rules["mark"] == {"type": "rule", "strokeWidth": 2}
    assert rules["encoding"]["x"] == {"field": "lo", "title": "E", "type": "quantitative"}
    assert rules["encoding"]["x2"] == {"field": "hi"}
    assert points["mark"] == {"type": "point", "size": 70, "filled": True}
    assert points["encoding"]["x"] == {"field": "est", "type": "quantitative"}
