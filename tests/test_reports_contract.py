"""The parameter contract of each notebook (``doeagenda/reports/contract.py``).

The contract is declared once and each shipped notebook checks itself against it in its
first cell after the imports; these tests tie the two together and check the messages.
The runs over every value (and the refusals through ``doeagenda rapport`` and ``doeagenda
batch``) are in ``tests/test_notebook_sweep.py``.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from doeagenda.data import areas
from doeagenda.errors import ParameterError
from doeagenda.reports.contract import CONTRACTS, check_parameters, contract_for, contract_name
from doeagenda.reports.plan_params import notebook_defaults, notebook_parameters

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").rglob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_checks_all_its_parameters_in_its_first_cell(path: Path) -> None:
    contract = contract_for(path)
    assert contract is not None, "every shipped notebook declares its contract"
    assert REPO / contract.notebook == path
    assert list(contract.parameters) == list(notebook_parameters(path)), "same names, same order"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    tagged = next(i for i, c in enumerate(code) if "parameters" in c["metadata"].get("tags", []))
    imports, check = code[tagged + 1], code[tagged + 2]
    assert "import check_parameters" in "".join(imports["source"])
    (statement,) = ast.parse("".join(check["source"])).body
    call = statement.value
    assert isinstance(call, ast.Call) and call.func.id == "check_parameters"
    assert call.args[0].value == contract.name == contract_name(path)
    assert [(k.arg, k.value.id) for k in call.keywords] == [(n, n) for n in contract.parameters]
    # and the literal defaults are a valid choice
    check_parameters(contract.name, **notebook_defaults(path))


def test_a_notebook_without_the_cell_has_no_contract(tmp_path: Path) -> None:
    source = REPO / "notebooks" / "wijkprofiel.ipynb"
    notebook = json.loads(source.read_text(encoding="utf-8"))
    notebook["cells"] = [
        c for c in notebook["cells"] if "check_parameters(" not in "".join(c["source"])
    ]
    copy = tmp_path / "wijkprofiel.ipynb"
    copy.write_text(json.dumps(notebook), encoding="utf-8")
    assert contract_for(copy) is None  # the name alone does not make it a shipped notebook
    kept = tmp_path / "mijn_kopie.ipynb"
    kept.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    assert contract_for(kept) is CONTRACTS["wijkprofiel"]  # a renamed copy keeps it


def test_the_allowed_codes_are_those_of_the_2024_indeling() -> None:
    table = areas()
    gemeenten = table.loc[table["level"] == "gemeente", "code"]
    wijken = table.loc[table["level"] == "wijk", "code"]
    assert len(gemeenten) == 342
    for code in gemeenten.iloc[::17]:
        check_parameters("gemeenteprofiel", gemeente=code, jaar=2024, uitvoer=None)
    for code in wijken.iloc[::97]:
        check_parameters("wijkprofiel", wijk=code, jaar=2024)
    with pytest.raises(ParameterError, match=f"kies een van de {len(wijken)} wijkcodes"):
        check_parameters("wijkprofiel", wijk="WK999999", jaar=2024)


@pytest.mark.parametrize(
    ("contract", "values", "expected"),
    [
        ("wijkprofiel", {"wijk": "GM0344"}, "parameter wijk: 'GM0344' is een gemeentecode, geen wijkcode"),
        ("wijkprofiel", {"wijk": "WK03441O"}, "(bedoelde u 'WK034410'?)"),
        ("gemeenteprofiel", {"gemeente": "gm0344"}, "(bedoelde u 'GM0344'?)"),
        ("gemeenteprofiel", {"jaar": "2024"}, "parameter jaar: '2024' is geen getal"),
        ("buurzaamheidsindex", {"framework": "voorbeeld_hdi"}, "'voorbeeld_hdi' heeft geen level"),
        ("buurzaamheidsindex", {"framework": "buurzaamheid_gemeente"}, "(bedoelde u 'buurzaamheid_gemeenten'?)"),
        ("buurzaamheidsindex", {"runs": 5}, "parameter runs: 5 ligt buiten het bereik; geef een geheel getal van 10 tot en met 100000"),
        ("initiatieven", {"register": "Voorbeeld"}, "(bedoelde u 'voorbeeld'?); kies 'energie_2019', 'voorbeeld' of het pad"),
        ("initiatieven", {"register": "mijn_register.xlsx"}, "'mijn_register.xlsx' bestaat niet"),
        ("initiatieven", {"behoefte": "eenzaam"}, "kies 'auto', 'buurzaamheid' of een indicator"),
        ("proeftuin_evaluatie", {"methode": "synthetic"}, "onbekende methode 'synthetic' (bedoelde u 'synth'?)"),
        ("proeftuin_evaluatie", {"methode": ["did", "did"]}, "noemt een methode twee keer"),
        ("proeftuin_evaluatie", {"start": [2019, 2020]}, "parameter start: [2019, 2020] heeft 2 waarden voor 3 behandelde eenheden"),
        ("proeftuin_evaluatie", {"behandelde_eenheden": []}, "parameter behandelde_eenheden: [] is geen lijst met codes"),
        ("maatschappelijke_waarde", {"regime": "zorginstituut2024", "disconteringsvoet": 0.04}, "parameter disconteringsvoet: 0.04 past niet bij regime 'zorginstituut2024'"),
        ("maatschappelijke_waarde", {"disconteringsvoet": 0.5}, "ligt buiten het bereik"),
        ("maatschappelijke_waarde", {"waardekaart": "voorbeeld_maaltijden"}, "(bedoelde u 'voorbeeld_maaltijden_ouderen'?)"),
        ("maatschappelijke_waarde", {"waardekaart": "prijzen"}, "'prijzen' is geen bekende waardekaart"),
        ("01_ken_je_gemeente", {"handout": "ja"}, "parameter handout: 'ja' is geen ja/nee-waarde; kies True of False"),
        ("03_werkt_het", {"onbekend": 1}, "parameter onbekend bestaat niet in notebooks/leren/03_werkt_het.ipynb"),
    ],
)  # fmt: skip
def test_a_breach_is_one_dutch_line_naming_parameter_value_and_choices(
    contract: str, values: dict, expected: str
) -> None:
    defaults = notebook_defaults(REPO / CONTRACTS[contract].notebook)
    with pytest.raises(ParameterError) as caught:
        check_parameters(contract, **{**defaults, **values})
    message = str(caught.value)
    assert expected in message, message
    assert "\n" not in message and message.startswith("parameter ")


def test_an_unknown_contract_is_named_with_the_closest() -> None:
    with pytest.raises(
        ParameterError, match=r"geen parametercontract 'wijkprofie' \(bedoelde u 'wijkprofiel'\?\)"
    ):
        check_parameters("wijkprofie", wijk="WK034401", jaar=2024)


def test_the_examples_are_the_valid_choices() -> None:
    examples = {name: c.examples() for name, c in CONTRACTS.items()}
    assert examples["proeftuin_evaluatie"]["methode"] == [
        "alle", "did", "event_study", "staggered", "synth", "its", "power",
    ]  # fmt: skip
    assert set(examples["buurzaamheidsindex"]["framework"]) == {
        p.stem for p in (REPO / "params" / "frameworks").glob("*.yaml") if p.stem != "voorbeeld_hdi"
    }
    assert examples["maatschappelijke_waarde"]["regime"] == ["mkba", "zorginstituut2024"]
    assert examples["initiatieven"]["register"] == ["energie_2019", "voorbeeld"]


def test_a_register_may_be_a_list_of_names_and_files(tmp_path: Path) -> None:
    own = REPO / "tests" / "data" / "initiatieven_test_voorbeeld.csv"
    defaults = notebook_defaults(REPO / CONTRACTS["initiatieven"].notebook)
    check_parameters("initiatieven", **{**defaults, "register": ["energie_2019", str(own)]})
    spec = CONTRACTS["initiatieven"].parameters["register"]
    assert spec.from_text(f"['energie_2019', '{own}']") == ["energie_2019", str(own)]
    for bad, problem in (
        (["energie_2019", "energie2019"], "'energie2019' is geen bekende registernaam"),
        (["energie_2019", str(tmp_path / "weg.csv")], "bestaat niet"),
        ([], "is een lege lijst"),
    ):
        with pytest.raises(ParameterError, match=problem):
            check_parameters("initiatieven", **{**defaults, "register": bad})
