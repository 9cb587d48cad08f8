"""The voorbeeld panel (known truth), the friendly layer, its YAML config, the CLI and the
notebook: the methods recover the invented effect and the conclusion follows the evidence."""

from __future__ import annotations

import ast
import dataclasses
import itertools
import json
import re
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
    "event_study_chart": "event_study",
    "staggered_chart": "staggered",
    "synth_chart": "synth",
    "placebo_chart": "synth",
    "power_chart": "power",
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
    text = result.conclusion_text()
    assert "waarschijnlijk effect gehad" in text
    table = result.vergelijking()
    assert {"verschil-in-verschillen", "gespreide invoering (Callaway & Sant'Anna)"} <= set(
        table["methode"]
    )
    assert isinstance(result.power_chart(), NotApplicable)
    assert "'power'" in result.power_chart().reason
    null = proeftuin(
        "voorbeeld",
        "tevredenheid",
        "gemeente_code",
        "jaar",
        {"GM0321": 2019, "GM0632": 2020, "GM0355": 2021},
        list(PROEFTUINEN),
        ["did", "staggered"],
    ).evaluate()
    assert "Geen aantoonbaar effect" in null.conclusion_text()
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
    assert set(CHART_METHOD) <= set(calls) and {"chart", "conclusion"} <= set(calls)
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
            assert "geen hoofdconclusie" in result.conclusion_text()


def test_a_chosen_method_without_result_says_so(everything) -> None:
    config = everything.config.model_copy(update={"methode": ["synth"]})
    result = dataclasses.replace(everything, config=config, synth={}, placebo_pvalues={})
    shown = result.placebo_chart()
    assert isinstance(shown, NotApplicable) and "geen resultaat" in shown.reason


#: The Dutch method names of the proeftuin results, kept one release, and their English names.
DUTCH_NAMES = {
    "Proeftuin": {"opzet": "design", "evalueer": "evaluate"},
    "Evaluation": {
        "grafiek": "chart",
        "event_study_grafiek": "event_study_chart",
        "gespreid_grafiek": "staggered_chart",
        "synth_grafiek": "synth_chart",
        "placebo_grafiek": "placebo_chart",
        "power_grafiek": "power_chart",
        "waarschuwingen": "warnings_text",
        "conclusie_tekst": "conclusion_text",
        "conclusie": "conclusion",
    },
}


def _aliases(cls) -> dict[str, str]:
    """The deprecated aliases a class defines (made by ``deprecated_alias``) -> their targets."""
    return {
        name: value.__doc__.split("`")[1]  # "Deprecated Dutch alias of :meth:`chart`."
        for name, value in vars(cls).items()
        if "deprecated_alias.<locals>" in getattr(value, "__qualname__", "")
    }


@pytest.fixture(scope="module")
def full_evaluation():
    return proeftuin(
        "voorbeeld", "deelname", "gemeente_code", "jaar", [2019, 2020, 2021],
        list(PROEFTUINEN), ["did", "event_study", "staggered", "synth", "power"], n_sims=100,
    ).evaluate()  # fmt: skip


def _same(old, new) -> None:
    if isinstance(new, pd.DataFrame):
        pd.testing.assert_frame_equal(old, new)
    elif hasattr(new, "to_dict"):
        assert json.dumps(old.to_dict(), sort_keys=True) == json.dumps(
            new.to_dict(), sort_keys=True
        )
    elif hasattr(new, "data"):  # IPython Markdown
        assert type(old) is type(new) and old.data == new.data
    else:
        assert old == new


def test_the_classes_define_exactly_the_listed_dutch_aliases():
    from doeagenda.evaluation import proeftuin as module

    for cls_name, names in DUTCH_NAMES.items():
        assert _aliases(getattr(module, cls_name)) == names


@pytest.mark.parametrize(("old", "new"), sorted(DUTCH_NAMES["Evaluation"].items()))
def test_each_dutch_method_warns_and_returns_what_the_english_one_does(full_evaluation, old, new):
    expected = getattr(full_evaluation, new)()
    with pytest.warns(DeprecationWarning, match=rf"{old}\(\) is deprecated.*use {new}\(\)"):
        result = getattr(full_evaluation, old)()
    _same(result, expected)


def test_the_dutch_class_name_warns_and_old_pickles_still_load(full_evaluation):
    import pickle

    import doeagenda.evaluation.proeftuin as module
    from doeagenda.evaluation.proeftuin import Evaluation

    with pytest.warns(DeprecationWarning, match="Evaluatie is deprecated.*use Evaluation"):
        from doeagenda.evaluation.proeftuin import Evaluatie
    assert Evaluatie is Evaluation
    with pytest.raises(AttributeError, match="Evaluatiee"):
        module.Evaluatiee  # noqa: B018
    # a pickle written before the rename names the class Evaluatie
    Evaluation.__qualname__ = "Evaluatie"
    try:
        with pytest.warns(DeprecationWarning):
            old = pickle.dumps(full_evaluation)
    finally:
        Evaluation.__qualname__ = "Evaluation"
    assert b"Evaluatie" in old
    with pytest.warns(DeprecationWarning, match="use Evaluation"):
        loaded = pickle.loads(old)
    assert type(loaded) is Evaluation
    pd.testing.assert_frame_equal(loaded.vergelijking(), full_evaluation.vergelijking())
    assert b"Evaluatie" not in pickle.dumps(full_evaluation)


def test_package_and_notebooks_call_only_the_english_names(repo):
    dutch = sorted({old for names in DUTCH_NAMES.values() for old in names})
    call = re.compile(rf"\.({'|'.join(dutch)})\(|\bEvaluatie\b")
    hits = []
    for path in sorted((repo / "doeagenda").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "deprecated_alias(" in line or ("Evaluatie" in line and path.name == "proeftuin.py"):
                continue  # the alias definitions themselves
            if call.search(line):
                hits.append(f"{path.relative_to(repo)}:{number}: {line.strip()}")
    for path in sorted((repo / "notebooks").rglob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code" and call.search(source):
                hits.append(f"{path.relative_to(repo)}: {source.strip()}")
    assert not hits, "\n".join(hits)
