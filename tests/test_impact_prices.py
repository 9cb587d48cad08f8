"""Kostenhandleiding 2024 prices as data, CPI indexation, discount regimes and bad price input.

References are independent of the code: values printed in the shared PROVENANCE of the
KH2024 table, CBS year-on-year inflation, and discounting written out by hand.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from doeagenda.cli import app
from doeagenda.errors import ParameterError
from doeagenda.impact import (
    cpi_factor,
    kh2024_table,
    load_price_table,
    load_value_map,
    mkba,
    prices,
    search_prices,
    sroi,
)
from doeagenda.impact.prices import PRICES_FILE

runner = CliRunner()


def raw_prices() -> dict:
    return yaml.safe_load(PRICES_FILE.read_text("utf-8"))


# -- the table as data ---------------------------------------------------------------------


def test_shipped_kh2024_table_has_the_published_values():
    table = kh2024_table()
    assert len(table) == 160
    assert table.index.is_unique
    # values as checked in ../shared/data/PROVENANCE.md (prijspeil 2022)
    published = {
        "gp_consult_avg": 30.87,
        "gp_homevisit_avg": 43.31,
        "emergency_care": 258,
        "nursingday_incl_personnel": 644,
        "homecare_household": 32.76,
        "homecare_personal": 57.58,
        "homecare_guidance_hour": 64.00,
        "homecare_nursing_hour": 75.00,
        "timecost_informal_hour": 18.80,
        "prodloss_paid_hour": 39.88,
        "nursingcare_day": 290,
        "dayactivities_halfday": 83.29,
    }
    for row, value in published.items():
        assert table.loc[row, "2022"] == pytest.approx(value), row


def test_every_kh_reference_exists_in_the_table():
    table = kh2024_table()
    refs = [
        price[key]
        for price in raw_prices()["prijzen"].values()
        for key in ("kh2024", "bovengrens_kh2024")
        if key in price
    ]
    assert len(refs) >= 12
    missing = [ref for ref in refs if ref not in table.index]
    assert missing == []


def test_no_kh2015_price_remains_where_kh2024_has_the_item():
    raw = raw_prices()["prijzen"]
    # the five items the 2015 handleiding priced, and the two assumptions KH2024 replaces
    for name, row in {
        "huisarts_visite": "gp_homevisit_avg",
        "huisarts_telefonisch": "gp_consult_avg",
        "huishoudelijke_hulp_uur": "homecare_household",
        "wijkverpleging_uur": "homecare_nursing_hour",
        "persoonlijke_verzorging_uur": "homecare_personal",
        "wmo_begeleiding_uur": "homecare_guidance_hour",
        "verpleeghuis_dag": "nursingcare_day",
    }.items():
        assert raw[name].get("kh2024") == row, name
    table = load_price_table()
    # no price carries a pre-2022 price year or a Kostenhandleiding source typed by hand
    assert (table["prijsjaar"] >= 2022).all()
    own = table[table["kh2024"] == ""]
    assert not own["bron"].str.contains("Kostenhandleiding|KH20", regex=True).any()
    # the worst errors are gone
    assert table.loc["huisarts_visite", "waarde"] == pytest.approx(43.31)
    assert table.loc["huisarts_telefonisch", "waarde"] == pytest.approx(30.87)
    assert (
        "nursing" in kh2024_table().loc[table.loc["wijkverpleging_uur", "kh2024"], "Unit"].lower()
    )


def test_prices_keep_their_columns_and_add_kh2024():
    table = prices()
    for column in (
        "omschrijving",
        "waarde",
        "eenheid",
        "prijsjaar",
        "bron",
        "actor",
        "opmerking",
        "aanname",
        "factor",
        "waarde_geindexeerd",
        "doeljaar",
        "kh2024",
    ):
        assert column in table.columns
    assert table.loc["huisarts_visite", "kh2024"] == "gp_homevisit_avg"
    assert table.loc["minder_eenzaam_persoonjaar", "kh2024"] == ""
    assert table.loc["minder_eenzaam_persoonjaar", "aanname"]
    assert "Kostenhandleiding 2024 (prijspeil 2022)" in table.loc["huisarts_visite", "bron"]
    assert "gp_homevisit_avg" in table.loc["huisarts_visite", "bron"]
    # 2022 -> 2024 with the shipped cumulative CBS factor
    assert table.loc["huisarts_visite", "waarde_geindexeerd"] == pytest.approx(43.31 * 1.073)


def test_volunteer_hour_is_the_day_weighted_minimum_wage_of_2024():
    value = load_price_table().loc["vrijwilligersuur", "waarde"]
    # 13.27 from 1 January (182 days in leap year 2024), 13.68 from 1 July (184 days)
    assert value == pytest.approx((182 * 13.27 + 184 * 13.68) / 366)
    assert 13.27 < value < 13.68


def test_search_prices_finds_dutch_words_and_indexes_to_2024():
    hits = search_prices("thuis")
    assert {"homecare_household", "homecare_personal", "gp_homevisit_avg"} <= set(hits.index)
    assert hits.loc["homecare_household", "waarde_2022"] == pytest.approx(32.76)
    assert hits.loc["homecare_household", "waarde_2024"] == pytest.approx(32.76 * 1.073)
    assert "emergency_care" not in hits.index
    assert "gp_consult_avg" in search_prices("huisarts").index
    result = runner.invoke(app, ["impact", "prijzen", "--zoek", "thuis"])
    assert result.exit_code == 0, result.output
    assert "homecare_household" in result.output
    assert "35.15" in result.output  # 32.76 x 1.073


# -- indexation ----------------------------------------------------------------------------


def test_cpi_factors_match_cbs_inflation_to_a_tenth_of_a_percent():
    assert cpi_factor(2022, 2024) == pytest.approx(1.073)
    assert cpi_factor(2014, 2024) == pytest.approx(1.311)
    # CBS CPI year-on-year inflation (%), 2014 -> 2024, published by CBS StatLine 83131NED
    inflation = [0.6, 0.3, 1.4, 1.7, 2.6, 1.3, 2.7, 10.0, 3.8, 3.3]
    chained = math.prod(1 + p / 100 for p in inflation)
    assert cpi_factor(2014, 2024) == pytest.approx(chained, rel=0.001)
    assert cpi_factor(2022, 2024) == pytest.approx(1.038 * 1.033, rel=0.001)
    assert cpi_factor(2024, 2022) * cpi_factor(2022, 2024) == pytest.approx(1.0)


# -- discounting ---------------------------------------------------------------------------


def two_period_stream(value: float = 1000.0) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "outcome": "a",
                "stakeholder": "bewoners",
                "quantity": 1,
                "proxy_value": value,
                "proxy_source": "test",
                "duration": 2,
                "deadweight": 0.0,
                "attribution": 0.0,
                "displacement": 0.0,
                "drop_off": 0.0,
            }
        ]
    )


def test_separate_rates_for_costs_and_effects_closed_form():
    investment = pd.DataFrame({"year": [0, 1], "amount": [800.0, 600.0], "actor": ["g", "f"]})
    result = sroi(
        two_period_stream(),
        investment,
        discount_rate_costs=0.03,
        discount_rate_effects=0.015,
    )
    effects = 1000 / 1.015 + 1000 / 1.015**2
    costs = 800 + 600 / 1.03
    assert result.present_value == pytest.approx(effects)
    assert result.investment_pv == pytest.approx(costs)
    assert result.ratio == pytest.approx(effects / costs)
    regime = sroi(two_period_stream(), investment, regime="zorginstituut2024")
    assert regime.ratio == pytest.approx(result.ratio)
    actors = mkba(two_period_stream(), investment, regime="zorginstituut2024").table
    assert actors.set_index("actor").loc["f", "kosten"] == pytest.approx(600 / 1.03)
    assert actors["baten"].sum() == pytest.approx(effects)
    summary = regime.summary()
    assert summary.loc["Disconteringsvoet kosten", "waarde"] == pytest.approx(3.0)
    assert summary.loc["Disconteringsvoet effecten", "waarde"] == pytest.approx(1.5)
    text = regime.formatted()
    assert text.loc["Disconteringsvoet kosten", "tekst"] == "3,00%"
    assert text.loc["Disconteringsvoet effecten", "tekst"] == "1,50%"
    assert "3,00%" in regime.summary_text()


def test_one_rate_still_works_and_is_the_mkba_default():
    investment = pd.DataFrame({"year": [0, 1], "amount": [800.0, 600.0]})
    one = sroi(two_period_stream(), investment, discount_rate=0.05)
    assert one.investment_pv == pytest.approx(800 + 600 / 1.05)
    assert one.present_value == pytest.approx(1000 / 1.05 + 1000 / 1.05**2)
    default = sroi(two_period_stream(), investment)
    assert default.discount_rate == pytest.approx(0.0225)
    assert default.cost_rate == pytest.approx(0.0225)
    assert sroi(two_period_stream(), investment, regime="mkba").ratio == pytest.approx(
        default.ratio
    )
    build = raw_prices()["disconteringsvoet"]["opbouw"]
    assert build == {"risicovrij": -0.01, "risico_opslag": 0.0325}


def test_regime_and_one_rate_conflict_is_an_error():
    with pytest.raises(ParameterError, match=r"zorginstituut2024.*laat discount_rate .* weg"):
        sroi(two_period_stream(), 100.0, discount_rate=0.02, regime="zorginstituut2024")
    with pytest.raises(ParameterError, match=r"regime 'zorginstituut' unknown.*zorginstituut2024"):
        sroi(two_period_stream(), 100.0, regime="zorginstituut")


@pytest.mark.parametrize("rate", [-0.01, 0.2, 1.5])
def test_discount_rate_outside_range_is_refused(rate):
    with pytest.raises(ParameterError, match=r"discount_rate: .* valt buiten 0-0\.15"):
        sroi(two_period_stream(), 100.0, discount_rate=rate)
    with pytest.raises(ParameterError, match="discount_rate_costs"):
        sroi(two_period_stream(), 100.0, discount_rate_costs=rate)
    result = runner.invoke(app, ["impact", "voorbeeld_buurtcooperatie", "-r", str(rate)])
    assert result.exit_code == 2
    assert "--disconteringsvoet" in result.output and "0-0.15" in result.output


def test_cli_regime_option():
    result = runner.invoke(
        app, ["impact", "voorbeeld_buurtcooperatie", "--regime", "zorginstituut2024"]
    )
    assert result.exit_code == 0, result.output
    assert "3,00% voor kosten en 1,50% voor effecten" in result.output
    bad = runner.invoke(app, ["impact", "voorbeeld_buurtcooperatie", "--regime", "rijk"])
    assert bad.exit_code == 2
    assert "regime 'rijk' unknown" in bad.output


# -- volunteer hour, loneliness and price origins ------------------------------------------


def test_sensitivity_uses_the_kh_replacement_cost_as_upper_bound():
    result = sroi("voorbeeld_buurtcooperatie")
    table = result.sensitivity().table.set_index("assumption")
    row = table.loc["volunteer_hour"]
    assert row["high"] == pytest.approx(18.80 * 1.073)
    assert row["base"] == pytest.approx(load_price_table().loc["vrijwilligersuur", "waarde"])
    # 2,000 hours in each of three years; the higher price raises the investment PV exactly
    hours_pv = 2000 * (1 + 1 / 1.0225 + 1 / 1.0225**2)
    expected = result.present_value / (
        result.investment_pv + hours_pv * (row["high"] - row["base"])
    )
    assert row["ratio_high"] == pytest.approx(expected)
    # break-even price: where investment PV equals present value
    be = row["base"] + (result.present_value - result.investment_pv) / hours_pv
    assert row["break_even"] == pytest.approx(be)


def test_uncertainty_can_vary_the_volunteer_hour():
    result = sroi("voorbeeld_maaltijden_ouderen")
    run = result.uncertainty(
        {"volunteer_hour": {"verdeling": "uniform", "min": 13.27, "max": 20.17}}, n=400
    )
    # only the investment moves: ratio = PV / (other costs + 1380 hours x price)
    other = result.investment_pv - 1380 * result.investment.loc[3, "hour_price"]
    expected = result.present_value / (other + 1380 * run.draws["volunteer_hour"])
    assert run.draws["ratio"].to_numpy() == pytest.approx(expected.to_numpy())


def test_loneliness_is_flagged_and_reported_without():
    for name in ("voorbeeld_maaltijden_ouderen", "voorbeeld_buurtcooperatie"):
        result = sroi(name)
        lonely = result.by_year.loc[result.by_year["outcome"] == "minder_eenzaamheid", "discounted"]
        without = (result.present_value - lonely.sum()) / result.investment_pv
        assert result.ratios_without == {"minder_eenzaamheid": pytest.approx(without)}
        summary = result.summary()
        assert summary.loc["SROI-ratio zonder minder_eenzaamheid", "waarde"] == pytest.approx(
            without
        )
        share = summary.loc["aandeel op aannames", "waarde"]
        assert share == pytest.approx(lonely.sum() / result.present_value)
        assert 0 < share < 1


def test_price_origins_list_every_price_with_its_source():
    result = sroi("voorbeeld_maaltijden_ouderen")
    origins = result.price_origins().set_index("uitkomst")
    assert set(result.outcomes["outcome"]) < set(origins.index)
    assert origins.loc["minder_eenzaamheid", "soort"] == "aanname"
    assert origins.loc["minder_huisartsconsulten", "soort"] == "KH2024"
    assert origins.loc["minder_huisartsconsulten", "kh2024"] == "gp_consult_avg"
    assert origins.loc["minder_huisartsconsulten", "prijsjaar"] == 2022
    assert origins.loc["minder_huisartsconsulten", "geindexeerd"] == pytest.approx(30.87 * 1.073)
    assert origins.loc["(investering) vrijwilligersuren", "soort"] == "andere bron"
    assert origins["aandeel_waarde"].sum() == pytest.approx(1.0)
    cli = runner.invoke(app, ["impact", "voorbeeld_maaltijden_ouderen"])
    assert "Herkomst van de prijzen" in cli.output
    assert "SROI-ratio zonder minder_eenzaamheid" in cli.output
    assert "Zonder minder_eenzaamheid" in cli.output


# -- bad price input -----------------------------------------------------------------------


def write_prices(tmp_path: Path, change) -> Path:
    raw = raw_prices()
    change(raw)
    path = tmp_path / "mijn_prijzen.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def _set(key: str, **fields):
    def change(raw):
        raw["prijzen"][key].update(fields)

    return change


def _replace(key: str, price: dict):
    def change(raw):
        raw["prijzen"][key] = price

    return change


BAD_PRICES = [
    (
        _set("huisarts_visite", kh2024="gp_homevist_avg"),
        r"prijzen\.huisarts_visite\.kh2024: 'gp_homevist_avg' is geen rij.*bedoelde u 'gp_homevisit_avg'",
    ),
    (
        _replace("maaltijd_thuisbezorgd", {"omschrijving": "x", "eenheid": "per maaltijd"}),
        r"prijzen\.maaltijd_thuisbezorgd.*vraagt kh2024.*waarde met bron",
    ),
    (_set("maaltijd_thuisbezorgd", waarde=-8.5), r"prijzen\.maaltijd_thuisbezorgd\.waarde.*-8\.5"),
    (
        _set("maaltijd_thuisbezorgd", waarde="acht"),
        r"prijzen\.maaltijd_thuisbezorgd\.waarde.*'acht'",
    ),
    (
        _set("maaltijd_thuisbezorgd", prijsjaar=1990),
        r"prijzen\.maaltijd_thuisbezorgd\.prijsjaar: prijsjaar 1990 valt buiten de CPI-reeks",
    ),
    (
        lambda raw: raw["disconteringsvoet"].update(waarde=0.2, opbouw=None),
        r"disconteringsvoet\.waarde.*0\.2",
    ),
]


@pytest.mark.parametrize(("change", "pattern"), BAD_PRICES)
def test_bad_price_table_gives_one_clear_error(tmp_path, change, pattern):
    path = write_prices(tmp_path, change)
    with pytest.raises(ParameterError, match=pattern) as info:
        prices(path=path)
    assert "mijn_prijzen.yaml" in str(info.value)
    result = runner.invoke(app, ["impact", "voorbeeld_buurtcooperatie", "--prijstabel", str(path)])
    assert result.exit_code == 2
    assert result.output.startswith("fout: ")
    assert "mijn_prijzen.yaml" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_a_price_table_with_a_good_change_is_used(tmp_path):
    path = write_prices(tmp_path, _set("minder_eenzaam_persoonjaar", waarde=0))
    value_map = load_value_map("voorbeeld_maaltijden_ouderen", price_path=path)
    result = sroi(value_map)
    assert result.ratios_without["minder_eenzaamheid"] == pytest.approx(result.ratio)
    assert result.summary().loc["aandeel op aannames", "waarde"] == 0


def test_learning_module_04_shows_the_ratio_without_loneliness():
    from doeagenda.learning.modules import levert_op

    view = levert_op.sroi_view("GM0344")
    result = levert_op.lesson_sroi()
    lonely = result.by_year.loc[result.by_year["outcome"] == "minder_eenzaamheid", "discounted"]
    without = (result.present_value - lonely.sum()) / result.investment_pv
    assert view.values["ratio_zonder_minder_eenzaamheid"] == pytest.approx(without)
    assert "Zonder minder eenzaamheid" in view.text
    assert "Ratio zonder minder eenzaamheid" in set(view.table["Kengetal"])
    # the module prices the volunteer hours of the map at the 2024 average minimum wage
    hours = result.investment["volunteer_hours"].sum()
    assert hours == 1380
    assert "Kostenhandleiding 2024" in levert_op.value_map_view("GM0344").text


def test_value_map_price_year_outside_cpi_and_rate_out_of_range(tmp_path):
    raw = yaml.safe_load(
        (PRICES_FILE.parent / "voorbeeld_maaltijden_ouderen.yaml").read_text("utf-8")
    )
    raw.pop("verdelingen")
    raw["prijsjaar"] = 2031
    path = tmp_path / "kaart.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ParameterError, match=r"kaart\.yaml: prijsjaar: 2031 valt buiten de CPI"):
        load_value_map(path)
    raw["prijsjaar"] = 2024
    raw["disconteringsvoet"] = 0.25
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["impact", str(path)])
    assert result.exit_code == 2
    assert "kaart.yaml" in result.output and "disconteringsvoet" in result.output
