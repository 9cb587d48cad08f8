"""The real register energie_2019: counts, sections, combination with an own register, bad input.

Counts are checked against ``shared/data/PROVENANCE.md`` (section ``initiatieven/lem2019/``)
and rates against a plain pandas recomputation from the shipped workbook, independent of
the register code (its own header rows, its own name matching for the gemeenten used).
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import doeagenda.initiatives as ini
from doeagenda import data
from doeagenda.cli import app
from doeagenda.data.io import raw_file
from doeagenda.errors import DataError, ParameterError
from doeagenda.results import NotApplicable

TEST_REGISTER = Path(__file__).parent / "data" / "initiatieven_test_voorbeeld.csv"
LEM = "LEM2019_BIJLAGE_ENERGIECOOPERATIES.xlsx"
ZON = "LEM2019_BIJLAGE_COLLECTIEVE_ZON.xlsx"


@pytest.fixture(scope="module")
def energie() -> pd.DataFrame:
    return ini.load_register("energie_2019")


@pytest.fixture(scope="module")
def utrecht() -> set[str]:
    return set(data.areas("gemeente", provincie="Utrecht")["code"])


def _sheet(name: str, sheet: str, header: int) -> pd.DataFrame:
    with raw_file(name).open("rb") as handle:
        frame = pd.read_excel(handle, sheet_name=sheet, header=header, engine="openpyxl")
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.dropna(subset=["GEMEENTE"])
    frame["GEMEENTE"] = frame["GEMEENTE"].astype(str).str.strip()
    return frame


# --------------------------------------------------------------------------- the register
def test_the_register_passes_the_checks_with_one_row_per_initiative(energie):
    check = ini.check_register("energie_2019")
    assert check.ok and len(check.register) == len(energie)
    assert energie["id"].is_unique
    assert set(energie["domein"]) == {"energie"}
    assert set(energie["thema"]) == {
        "energiecoöperatie",
        "productiecoöperatie",
        "collectief zonproject",
        "collectief windproject",
    }
    assert (energie["thema"] == energie["soort"]).all()
    assert set(energie["bron"]) == {"Lokale Energie Monitor 2019, HIER opgewekt"}
    # the year-only date of docs/register.md: 1 July
    assert (energie["startdatum"].dt.month == 7).all() and (energie["startdatum"].dt.day == 1).all()
    assert energie["einddatum"].isna().all()
    assert energie.attrs["peildatum"] == pd.Timestamp("2019-12-31")


def test_counts_per_kind_nl_and_utrecht(energie, utrecht):
    """PROVENANCE: 450 cooperatives (34 in 20 Utrecht gemeenten), 253 production (19),
    651 completed solar (48), 93 completed wind (2); rows without a year counted apart."""
    apart = ini.set_aside(energie)
    kinds = {
        "energiecoöperatie": (450, 34),
        "productiecoöperatie": (253, 19),
        "collectief zonproject": (651 + 400, 48 + 26),
        "collectief windproject": (93 + 86, 2 + 3),
    }
    for kind, (nl, provincie) in kinds.items():
        rows = energie.loc[energie["thema"] == kind]
        aside = apart.loc[apart["soort"] == kind]
        assert len(rows) + len(aside) == nl, kind
        in_utrecht = (
            rows["gemeente_code"].isin(utrecht).sum() + aside["gemeente_code"].isin(utrecht).sum()
        )
        assert in_utrecht == provincie, kind
    local = energie.loc[
        (energie["thema"] == "energiecoöperatie") & energie["gemeente_code"].isin(utrecht)
    ]
    assert len(local) == 34 and local["gemeente_code"].nunique() == 20
    # counted apart, never given an invented year
    reasons = apart["reden"].str.replace(r" \(.*\)$", "", regex=True).value_counts()
    assert reasons["in oprichting"] == 1
    assert reasons["voor 2012"] == 20
    assert reasons["gepland"] + reasons["in voorbereiding"] == 400 + 86
    planned = apart.loc[apart["reden"].str.startswith(("gepland", "in voorbereiding"))]
    assert len(planned) == 486
    assert not apart["id"].isin(energie["id"]).any()


def test_survival_and_network_refuse_in_one_sentence(energie):
    for result in (
        ini.kaplan_meier(energie),
        ini.cox_model(energie),
        ini.continuity_risk(energie, "GM0355"),
    ):
        assert isinstance(result, NotApplicable)
        assert "einddatum" in result.reason and "momentopname" in result.reason
        assert result.chart() is None and result.view() is None
    net = ini.network(energie)
    assert isinstance(net, NotApplicable) and "partners" in net.reason
    # a NotApplicable survives the batch's shared-result pickles unchanged
    again = pickle.loads(pickle.dumps(ini.kaplan_meier(energie), protocol=pickle.HIGHEST_PROTOCOL))
    assert again == ini.kaplan_meier(energie) and again.chart() is None


# --------------------------------------------------------------------------- rates
def _population() -> pd.Series:
    return data.population("gemeente")


def test_energy_profile_against_a_plain_recount(energie, utrecht):
    local = _sheet(LEM, "LOKALE COÖPERATIES", header=3)
    local = local.loc[local["JAAR"].astype(str).str.fullmatch(r"\d{4}")]
    zon = _sheet(ZON, "ZON GEREALISEERD ", header=7)
    kwp = pd.to_numeric(zon["VERMOGEN COÖPERATIE (KWP)"], errors="coerce")
    pop = _population()
    profile = ini.energy_profile(energie, "GM0355")
    summary = profile.summary().set_index("gebied")
    zeist = summary.loc["Zeist"]
    assert zeist["energiecoöperaties"] == (local["GEMEENTE"] == "Zeist").sum() == 2
    assert zeist["per 10.000 inwoners"] == pytest.approx(2 / pop["GM0355"] * 10_000)
    assert zeist["zon kWp (coöperatief)"] == pytest.approx(kwp[zon["GEMEENTE"] == "Zeist"].sum())
    provincie = summary.loc["provincie Utrecht"]
    assert provincie["energiecoöperaties"] == (local["PROVINCIE"] == "Utrecht").sum() == 34
    people = pop[pop.index.isin(utrecht)].sum()
    assert provincie["per 10.000 inwoners"] == pytest.approx(34 / people * 10_000)
    assert provincie["kWp per 1.000 inwoners"] == pytest.approx(
        kwp[zon["PROVINCIE"] == "Utrecht"].sum() / people * 1_000
    )
    nl = summary.loc["Nederland"]
    assert nl["energiecoöperaties"] == len(local) == 449
    assert nl["per 10.000 inwoners"] == pytest.approx(449 / pop.sum() * 10_000)
    # the rank among the 26 gemeenten, recounted from the plain table (names as CBS writes them)
    names = data.areas("gemeente", provincie="Utrecht").set_index("name")["code"]
    counts = local["GEMEENTE"].str.casefold().map({k.casefold(): v for k, v in names.items()})
    rates = (
        counts.value_counts().reindex(list(utrecht), fill_value=0) / pop.reindex(list(utrecht))
    ) * 10_000
    expected_rank = int((rates > rates["GM0355"]).sum()) + 1
    assert summary.loc["Zeist", "rang coöperaties"] == f"{expected_rank} van 26"
    assert "rang" in profile.text() and "Zeist" in profile.text()
    assert profile.chart().to_dict()["hconcat"] and profile.map().to_dict()["hconcat"]


def test_founding_curve_and_initiators(energie, utrecht):
    local = _sheet(LEM, "LOKALE COÖPERATIES", header=3)
    years = pd.to_numeric(local["JAAR"], errors="coerce")
    pop = _population()
    people = pop[pop.index.isin(utrecht)].sum()
    curve = ini.founding_curve(energie, "GM0344")
    table = curve.table.set_index(["gebied", "jaar"])
    assert curve.table["jaar"].min() == 1989 and curve.table["jaar"].max() == 2019
    assert set(curve.table["gebied"]) == {"Utrecht", "provincie Utrecht", "Nederland"}
    in_2012 = ((local["PROVINCIE"] == "Utrecht") & (years <= 2012)).sum()
    assert table.loc[("provincie Utrecht", 2012), "aantal"] == in_2012
    assert table.loc[("provincie Utrecht", 2012), "per_10000"] == pytest.approx(
        in_2012 / people * 10_000
    )
    assert table.loc[("Nederland", 2019), "aantal"] == 449
    assert table.loc[("Utrecht", 1989), "aantal"] == 1  # Uwind
    starters = ini.initiators(energie, "GM0344")
    by = starters.table.set_index("initiatiefnemer")
    # PROVENANCE: NL 118, 62, 57, 13, 3; provincie Utrecht 8, 7, 4
    assert by["nederland"].to_dict() == {
        "lokale coöperatie": 118,
        "ontwikkelaar": 62,
        "bewonersinitiatief": 57,
        "VVE": 13,
        "bedrijf": 3,
    }
    assert by["provincie"][by["provincie"] > 0].to_dict() == {
        "lokale coöperatie": 7,
        "ontwikkelaar": 4,
        "bewonersinitiatief": 8,
    }


def test_the_gemeente_list_and_white_spots(energie):
    zeist = ini.initiatives_in(energie, "GM0355")
    assert "Stichting Energie Zeist/ Mijn Groene Huis" in set(zeist.table["naam"])
    assert zeist.table.loc[zeist.table["soort"] == "energiecoöperatie", "jaar"].tolist() == [
        2016,
        2019,
    ]
    assert (
        set(zeist.apart["reden"]) <= {"in voorbereiding", "gepland (verwacht 2020)"}
        and len(zeist.apart) == 2
    )
    assert "2 lokale energiecoöperaties" in zeist.text()
    none = ini.initiatives_in(energie, "GM0313")
    assert none.table.empty and none.text() == "Het register kent in Bunschoten geen initiatieven."
    spots = ini.white_spots(energie, need=ini.DEFAULT_NEED)
    without = set(spots.without()["gemeente"])
    assert without == {
        "Bunschoten",
        "IJsselstein",
        "Renswoude",
        "Rhenen",
        "Veenendaal",
        "Vijfheerenlanden",
    }
    assert "Zonder enig initiatief in dit register" in spots.text()


def test_the_voorbeeld_has_no_energy_sections():
    voorbeeld = ini.load_register("voorbeeld")
    for result in (ini.energy_profile(voorbeeld, "GM0344"), ini.initiators(voorbeeld, "GM0344")):
        assert isinstance(result, NotApplicable)
    assert "Verzonnen" in ini.about_register(voorbeeld).text()
    about = ini.about_register("energie_2019").text()
    for needle in (
        "momentopname",
        "Eén domein",
        "623 in 2020",
        "697 in 2021",
        "705 in 2022",
        "714 in 2023",
    ):
        assert needle in about


# --------------------------------------------------------------------------- combined
def test_an_own_register_combined_with_the_public_one(energie):
    combined = ini.load_register(["energie_2019", str(TEST_REGISTER)])
    own = pd.read_csv(TEST_REGISTER)
    pairs = ini.duplicates(combined)
    # the test register holds five real names (T01, T02, T03, T05, T09) and four others;
    # Energie-U is placed in Zeist, not Utrecht, so it must not match
    assert sorted(pairs["id_weggelaten"]) == ["T01", "T02", "T03", "T05", "T09"]
    assert dict(zip(pairs["id_weggelaten"], pairs["id_geteld"], strict=True)) == {
        "T01": "LEM19-K391",
        "T02": "LEM19-K362",
        "T03": "LEM19-K360",
        "T05": "LEM19-K391",
        "T09": "LEM19-K387",
    }
    assert len(combined) == len(energie) + len(own) - 5
    assert combined["id"].is_unique
    mine = combined.loc[combined["bron"] == TEST_REGISTER.name]
    # an id that the public register already uses gets the file's name in front
    assert "initiatieven_test_voorbeeld:LEM19-K391" in set(mine["id"])
    assert set(mine["naam"]) == {
        "Energie-U",
        "Buurtkamer De Linde (voorbeeld)",
        "Repaircafé Noord (voorbeeld)",
        "Taalcafé Zeist (voorbeeld)",
    }
    # the own initiatives with stop dates feed the survival sections; the snapshot does not
    km = ini.kaplan_meier(combined, peildatum="2025-01-01")
    assert isinstance(km, NotApplicable) is False
    assert km.groups["n"].sum() == 4


def test_name_keys_ignore_case_punctuation_and_legal_forms():
    assert "energie zeist" in ini.name_keys("Stichting Energie Zeist/ Mijn Groene Huis")
    assert "mijn groene huis" in ini.name_keys("Stichting Energie Zeist/ Mijn Groene Huis")
    assert ini.name_keys("Coöperatie Veenwind i.o") == ini.name_keys("veenwind")
    assert ini.name_keys("Energie Cooperatie Eemnes U.A.") == ini.name_keys("Energie Eemnes")
    assert "uwind" in ini.name_keys("Cooperatieve Vereniging Uwind U.A.")
    assert not ini.name_keys("ZoN")  # too short to match anything


def test_bad_register_lists_give_one_line(tmp_path):
    with pytest.raises(ParameterError, match="bedoelt u 'energie_2019'") as error:
        ini.load_register("energie2019")
    assert "\n" not in str(error.value)
    with pytest.raises(ParameterError, match="staat al op plaats 1"):
        ini.load_register(["energie_2019", "energie_2019"])
    loaded = ini.load_register("energie_2019")
    with pytest.raises(
        ParameterError, match=r"bevat regels uit 'Lokale Energie Monitor 2019.*plaats 1"
    ):
        ini.load_register([loaded, "energie_2019"])
    with pytest.raises(
        ParameterError, match="de tabel bevat al regels uit 'Lokale Energie Monitor"
    ):
        ini.load_register(["energie_2019", loaded])
    with pytest.raises(ParameterError, match="plaats 2: een int wordt niet ondersteund"):
        ini.load_register(["energie_2019", 42])
    with pytest.raises(ParameterError, match="sheet"):
        ini.load_register(["energie_2019", str(TEST_REGISTER)], sheet="Blad1")
    # an id clash that cannot be resolved: the prefixed id is taken too
    clash = tmp_path / "eigen.csv"
    clash.write_text(
        "id,naam,gemeente_code,domein,startdatum\n"
        "LEM19-K001,Buurtmoestuin (voorbeeld),GM0355,groen,2020-01-01\n"
        "eigen:LEM19-K001,Leesclub (voorbeeld),GM0355,cultuur,2020-01-01\n",
        encoding="utf-8",
    )
    with pytest.raises(
        DataError, match=r"eigen.csv, rij 2: id 'LEM19-K001' komt ook voor in energie_2019"
    ):
        ini.load_register(["energie_2019", str(clash)])
    # a plain table in the list is validated and combined; the frame and path mix that
    # would count a register twice is refused above
    table = pd.read_csv(TEST_REGISTER)
    combined = ini.load_register(["energie_2019", table])
    assert len(ini.duplicates(combined)) == 5


runner = CliRunner()


def test_cli_summary_and_check_take_names_and_several_sources():
    result = runner.invoke(app, ["initiatieven", "summary", "energie_2019", "--gemeente", "GM0355"])
    assert result.exit_code == 0, result.output
    assert "In Zeist lopen 2 initiatieven" in result.output
    assert "Zeist had eind 2019 2 lokale energiecoöperaties" in result.output
    assert "momentopname" in result.output
    result = runner.invoke(app, ["initiatieven", "check", "energie_2019", str(TEST_REGISTER)])
    assert result.exit_code == 0, result.output
    assert "5 initiatieven staan in meer dan één register" in result.output
    assert result.output.count("dubbel in") == 5
    result = runner.invoke(app, ["initiatieven", "check", "energie2019"])
    assert result.exit_code == 2
    assert "bedoelt u 'energie_2019'?" in result.output
    assert result.output.startswith("fout: ") and result.output.strip().count("\n") == 0
