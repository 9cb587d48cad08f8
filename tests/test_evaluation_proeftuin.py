"""The voorbeeld panel (known truth), the friendly layer, its YAML config, the CLI and the
notebook: the methods recover the invented effect and the conclusion follows the evidence."""

from __future__ import annotations

import ast
import dataclasses
import itertools
import json
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from doeagenda.cli import app
from doeagenda.errors import DataError, ParameterError
from doeagenda.evaluation import did, staggered_did
from doeagenda.evaluation.proeftuin import METHODS, load_config, proeftuin
from doeagenda.evaluation.voorbeeld import (
    COVARIATES,
    PROEFTUINEN,
    TRUE_EFFECT,
    generate_voorbeeld,
    voorbeeld_panel,
)
from doeagenda.results import NotApplicable

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "proeftuin_evaluatie.ipynb"
#: The Evaluatie fields each method fills.
FIELDS = {
    "did": {"did": None},
    "event_study": {"event_study": None},
    "staggered": {"staggered": None, "staggered_simple": None},
    "synth": {"synth": {}, "placebo_pvalues": {}},
    "its": {"its": {}},
    "power": {"power": None},
}
#: The method behind each chart cell of the notebook that needs one.
CHART_METHOD = {
    "event_study_grafiek": "event_study",
    "gespreid_grafiek": "staggered",
    "synth_grafiek": "synth",
    "placebo_grafiek": "synth",
    "power_grafiek": "power",
}


def fake_covariates(n=26, seed=0):
    rng = np.random.default_rng(seed)
    codes = [f"GM{1000 + i}" for i in range(n - 3)] + list(PROEFTUINEN)
    table = pd.DataFrame(
        {
            "a_inw": rng.integers(5_000, 300_000, n).astype(float),
            "kwb21_age_65_plus_pct": rng.uniform(12, 25, n),
            "kwb21_owner_occupied_pct": rng.uniform(40, 80, n),
            "kwb21_avg_income_per_inhabitant": rng.uniform(25, 40, n),
        },
        index=pd.Index(codes, name="code"),
    )
    return table


def test_generator_takes_covariates_as_argument_and_adds_the_known_effect():
    cov = fake_covariates()
    with_effect = generate_voorbeeld(cov, effect=TRUE_EFFECT)
    without = generate_voorbeeld(cov, effect=0.0)
    diff = with_effect["deelname"] - without["deelname"]
    assert np.allclose(diff, TRUE_EFFECT * with_effect["na_start"], atol=2e-3)
    assert with_effect.shape[0] == 26 * 10
    starts = (
        with_effect[with_effect["proeftuin"] == 1].groupby("gemeente_code")["start_jaar"].first()
    )
    assert starts.to_dict() == PROEFTUINEN
    with pytest.raises(DataError, match="mist kolom"):
        generate_voorbeeld(cov.drop(columns=list(COVARIATES)[:1]))


def test_shipped_voorbeeld_is_reproducible_from_real_covariates():
    shipped = voorbeeld_panel()
    regenerated = generate_voorbeeld()
    assert shipped.shape == (26 * 10, regenerated.shape[1])
    assert np.allclose(shipped["deelname"], regenerated["deelname"], atol=1e-9)
    assert shipped["gemeente_code"].nunique() == 26


@pytest.mark.filterwarnings("ignore::doeagenda.evaluation.EvaluationWarning")
def test_methods_recover_the_voorbeeld_truth():
    df = voorbeeld_panel()
    res = did(df, "deelname", "gemeente_code", "jaar", "proeftuin", "na_start")
    assert res.boot_ci[0] < TRUE_EFFECT < res.boot_ci[1]
    assert res.significant
    cs = staggered_did(df, "deelname", "gemeente_code", "jaar", "start_jaar").aggregate("simple")
    assert abs(cs.estimate - TRUE_EFFECT) < 0.5
    none = did(df, "tevredenheid", "gemeente_code", "jaar", "proeftuin", "na_start")
    assert not none.significant


def test_friendly_layer_concludes_effect_and_no_effect():
    studie = proeftuin(
        "voorbeeld",
        "deelname",
        "gemeente_code",
        "jaar",
        [2019, 2020, 2021],
        list(PROEFTUINEN),
        ["did", "event_study", "staggered"],
    )
    result = studie.evaluate()
    text = result.conclusie_tekst()
    assert "waarschijnlijk effect gehad" in text
    table = result.vergelijking()
    assert {"verschil-in-verschillen", "gespreide invoering (Callaway & Sant'Anna)"} <= set(
        table["methode"]
    )
    assert isinstance(result.power_grafiek(), NotApplicable)
    assert "'power'" in result.power_grafiek().reason
    null = proeftuin(
        "voorbeeld",
        "tevredenheid",
        "gemeente_code",
        "jaar",
        {"GM0321": 2019, "GM0632": 2020, "GM0355": 2021},
        list(PROEFTUINEN),
        ["did", "staggered"],
    ).evaluate()
    assert "Geen aantoonbaar effect" in null.conclusie_tekst()
    assert studie.design()["onderdeel"].tolist()[0] == "uitkomst"
    assert "layer" not in studie.trends().to_dict()


def test_parameter_and_data_errors():
    with pytest.raises(DataError, match="GM9999"):
        proeftuin("voorbeeld", "deelname", "gemeente_code", "jaar", 2019, ["GM9999"])
    with pytest.raises(DataError, match="onbekend"):
        proeftuin("voorbeeld", "onbekend", "gemeente_code", "jaar", 2019, ["GM0321"])
    with pytest.raises(ParameterError, match="methode"):
        proeftuin("voorbeeld", "deelname", "gemeente_code", "jaar", 2019, ["GM0321"], ["magie"])
    with pytest.raises(ParameterError, match="start"):
        proeftuin("voorbeeld", "deelname", "gemeente_code", "jaar", [2019, 2020], ["GM0321"])
    with pytest.raises(DataError, match="geen voorperiode"):
        proeftuin("voorbeeld", "deelname", "gemeente_code", "jaar", 2015, ["GM0321"])


def test_yaml_config_validates_strictly(tmp_path, repo):
    cfg = load_config(repo / "params" / "proeftuinen" / "voorbeeld.yaml")
    assert cfg.starts() == PROEFTUINEN
    bad = tmp_path / "fout.yaml"
    bad.write_text(
        "data: voorbeeld\nuitkomst: deelname\neenheid: gemeente_code\ntijd: jaar\n"
        "start: 2019\nbehandelde_eenheden: [GM0321]\nonbekende_sleutel: 1\n"
    )
    with pytest.raises(ParameterError, match="onbekende_sleutel"):
        load_config(bad)


def test_cli_evaluate_runs_and_writes_outputs(tmp_path, repo):
    runner = CliRunner()
    config = tmp_path / "snel.yaml"
    config.write_text(
        "data: voorbeeld\nuitkomst: deelname\neenheid: gemeente_code\ntijd: jaar\n"
        "start: [2019, 2020, 2021]\nbehandelde_eenheden: [GM0321, GM0632, GM0355]\n"
        "methode: [did, staggered, its]\n"
    )
    result = runner.invoke(app, ["evaluate", str(config), "--uitvoer", str(tmp_path / "uit")])
    assert result.exit_code == 0, result.output
    assert "Conclusie" in result.output
    assert (tmp_path / "uit" / "vergelijking.csv").exists()
    assert (tmp_path / "uit" / "att_gt.csv").exists()
    missing = runner.invoke(app, ["evaluate", str(tmp_path / "bestaat_niet.yaml")])
    assert missing.exit_code == 2
    assert "fout:" in missing.output
    helptext = runner.invoke(app, ["evaluate", "--help"])
    assert helptext.exit_code == 0 and "YAML" in helptext.output


def _markdown(notebook) -> str:
    return "".join(
        "".join(o.get("data", {}).get("text/markdown", ""))
        for cell in notebook.cells
        for o in cell.get("outputs", [])
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({}, "waarschijnlijk effect gehad"),
        ({"uitkomst": "tevredenheid"}, "Geen aantoonbaar effect"),
    ],
)
def test_notebook_runs_on_voorbeeld_and_reaches_the_right_conclusion(
    repo, tmp_path, parameters, expected
):
    import papermill

    notebook = papermill.execute_notebook(
        str(repo / "notebooks" / "proeftuin_evaluatie.ipynb"),
        str(tmp_path / "uit.ipynb"),
        parameters=parameters,
        cwd=str(repo / "notebooks"),
        progress_bar=False,
        kernel_name="python3",
    )
    assert expected in _markdown(notebook)


@pytest.mark.filterwarnings("ignore::doeagenda.evaluation.EvaluationWarning")
@pytest.mark.parametrize("layout", ["dutch_csv", "long_indicator_csv"])
def test_own_files_give_the_same_estimate_as_the_voorbeeld(tmp_path, layout):
    df = voorbeeld_panel()
    path = tmp_path / "eigen.csv"
    if layout == "dutch_csv":
        df.to_csv(path, index=False, sep=";", decimal=",")
        unit, time = "gemeente_code", "jaar"
    else:
        long = df.rename(columns={"gemeente_code": "code", "jaar": "year"}).melt(
            id_vars=["code", "year"], value_vars=["deelname"], var_name="indicator"
        )
        long.to_csv(path, index=False)
        unit, time = "code", "year"
    own = proeftuin(
        str(path), "deelname", unit, time, [2019, 2020, 2021], list(PROEFTUINEN), ["did"]
    )
    ref = did(df, "deelname", "gemeente_code", "jaar", "proeftuin", "na_start", bootstrap=False)
    assert own.evaluate().did.estimate == pytest.approx(ref.estimate, abs=1e-9)


def _notebook_calls(variable: str) -> list[str]:
    """Methods the proeftuin notebook calls on ``variable`` (``resultaten.chart()``, ...)."""
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    calls = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == variable
            ):
                calls.append(node.func.attr)
    return calls


@pytest.fixture(scope="module")
def everything():
    studie = proeftuin(
        "voorbeeld", "deelname", "gemeente_code", "jaar", [2019, 2020, 2021], list(PROEFTUINEN)
    )
    return studie.evaluate()


def test_every_subset_of_methods_shows_every_cell(everything) -> None:
    """All 63 non-empty subsets: each result cell of the notebook shows a chart or table for
    a chosen method and one sentence naming the method otherwise; none raises."""
    calls = _notebook_calls("resultaten")
    assert set(CHART_METHOD) <= set(calls) and {"chart", "conclusie"} <= set(calls)
    subsets = [
        list(chosen) for size in range(1, 7) for chosen in itertools.combinations(METHODS, size)
    ]
    assert len(subsets) == 63
    for chosen in subsets:
        dropped = {k: v for m in METHODS if m not in chosen for k, v in FIELDS[m].items()}
        config = everything.config.model_copy(update={"methode": chosen})
        result = dataclasses.replace(everything, config=config, **dropped)
        for name in calls:
            shown = getattr(result, name)()
            method = CHART_METHOD.get(name)
            if method is None:
                continue
            if method in chosen:
                assert isinstance(shown, alt.TopLevelMixin), (chosen, name)
                shown.to_dict()
            else:
                assert isinstance(shown, NotApplicable), (chosen, name)
                assert f"'{method}'" in shown.reason and shown.reason.startswith("Niet uitgevoerd")
        table = result.vergelijking()
        expected = {"did", "staggered", "synth", "its"} & set(chosen)
        per_unit = len(PROEFTUINEN) * (("synth" in expected) + ("its" in expected))
        assert len(table) == ("did" in expected) + ("staggered" in expected) + per_unit, chosen
        if not {"did", "staggered"} & set(chosen):
            assert "geen hoofdconclusie" in result.conclusie_tekst()


def test_a_chosen_method_without_result_says_so(everything) -> None:
    config = everything.config.model_copy(update={"methode": ["synth"]})
    result = dataclasses.replace(everything, config=config, synth={}, placebo_pvalues={})
    shown = result.placebo_grafiek()
    assert isinstance(shown, NotApplicable) and "geen resultaat" in shown.reason
