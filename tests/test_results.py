"""The result contract and its one Dutch formatting function."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import doeagenda.initiatives as ini
from doeagenda.evaluation import did, voorbeeld_panel
from doeagenda.evaluation.proeftuin import proeftuin
from doeagenda.results import Result, format_number, format_pvalue, nl_table


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (161852.0, "161.852"),  # an integer-valued float is a count: no decimals
        (np.int64(1400057), "1.400.057"),
        (0.679633, "0,68"),
        (1234.5678, "1.234,57"),
        (-2.5, "-2,50"),
        (0.00042, "0,00042"),  # small numbers keep two significant digits, not 0,00
        ((1.5, -2.25), "(1,50; -2,25)"),
        (float("nan"), ""),
        ("welzijn", "welzijn"),
    ],
)
def test_format_number_is_dutch(value, text):
    assert format_number(value) == text


def test_pvalues_below_a_thousandth_are_not_shown_as_numbers():
    assert format_pvalue(6.304197e-26) == "< 0,001"
    assert format_pvalue(0.0456) == "0,046"
    assert format_pvalue(1.0) == "1,000"


def test_nl_table_formats_every_cell_and_hides_a_bare_index():
    frame = pd.DataFrame(
        {"gebied": ["Utrecht"], "inwoners": [161852.0], "per 10.000": [0.679633], "p": [6e-26]}
    )
    text = nl_table(frame).to_string(delimiter="|")
    assert text.splitlines() == ["gebied|inwoners|per 10.000|p", "Utrecht|161.852|0,68|< 0,001"]
    assert "161852" not in text and "e-26" not in text
    named = nl_table(frame.set_index("gebied")).to_string(delimiter="|")
    assert named.splitlines()[-1].startswith("Utrecht|")


@pytest.fixture(scope="module")
def evaluation_results():
    panel = voorbeeld_panel()
    study = proeftuin(
        "voorbeeld", "deelname", "gemeente_code", "jaar", [2019, 2020, 2021],
        ["GM0321", "GM0632", "GM0355"], ["did"],
    )  # fmt: skip
    evaluation = study.evaluate()
    return [study, evaluation, evaluation.did, panel]


def test_evaluation_results_keep_numbers_and_format_only_the_view(evaluation_results):
    study, evaluation, did_result, _ = evaluation_results
    for result in (study, evaluation, did_result):
        assert isinstance(result, Result)
        assert isinstance(result.summary(), pd.DataFrame)
        assert isinstance(result.to_frame(), pd.DataFrame)
    values = did_result.summary().set_index("onderdeel")["waarde"]
    assert isinstance(values["effect (schatting)"], float)  # a number, not a string
    assert values["effect (schatting)"] == pytest.approx(did_result.estimate)
    text = did_result.summary_text()
    assert format_number(did_result.estimate) in text
    assert not re.search(r"\d[eE][+-]?\d", text)
    assert "p-waarde\t< 0,001" in text  # p-values in summary rows, too


def test_dutch_method_names_still_work_but_warn(evaluation_results):
    study, evaluation, _, _ = evaluation_results
    with pytest.warns(DeprecationWarning, match="use design"):
        old = study.opzet()
    pd.testing.assert_frame_equal(old, study.design())
    with pytest.warns(DeprecationWarning, match="use chart"):
        evaluation.grafiek()
    with pytest.warns(DeprecationWarning, match="use evaluate"):
        again = study.evalueer()
    assert again.did.estimate == pytest.approx(evaluation.did.estimate)


def test_initiatives_results_implement_the_contract():
    data = ini.load_register("voorbeeld")
    results = [
        ini.check_register("voorbeeld"),
        ini.visibility(data, "GM0344"),
        ini.kaplan_meier(data),
        ini.cox_model(data),
        ini.continuity_risk(data, "GM0344"),
        ini.network(data),
        ini.white_spots(data),
    ]
    for result in results:
        assert isinstance(result, Result), type(result).__name__
        assert isinstance(result.summary(), pd.DataFrame)
    view = ini.visibility(data, "GM0344").summary_text()
    assert ".0\t" not in view and "0.6" not in view
    inhabitants = ini.visibility(data, "GM0344").summary()["inwoners"]
    assert pd.api.types.is_integer_dtype(inhabitants)


def test_a_did_result_renders_as_dutch_html():
    panel = voorbeeld_panel().assign(
        behandeld=lambda t: t["gemeente_code"].isin(["GM0321", "GM0632", "GM0355"]).astype(int),
        na=lambda t: (t["jaar"] >= 2020).astype(int),
    )
    result = did(panel, "deelname", "gemeente_code", "jaar", "behandeld", "na", bootstrap=False)
    html = result._repr_html_()
    assert "<table" in html and format_number(result.n_obs) in html


def test_a_column_rounded_to_one_decimal_shows_one_decimal_on_every_row():
    frame = pd.DataFrame(
        {
            "aandeel (%)": [21.9, 10.0, 9.6],
            "bedrag": [0.5, 1234.5678, 10.0],
            "jaar": [2012, 2016, 2020],
        },
        index=pd.Index(["a", "b", "c"], name="wijk"),
    )
    text = nl_table(frame).to_string(delimiter="|")
    assert "|21,9|" in text and "|10,0|" in text and "|9,6|" in text
    # a column with more decimals keeps the default: two decimals, integers as integers
    assert "|1.234,57|" in text and "|0,50|" in text and "|10|" in text
    assert "|2012" in text and "2.012" not in text  # years carry no thousands point


def test_to_frame_of_a_result_with_a_table_is_a_copy_and_a_result_without_one_says_so():
    from dataclasses import dataclass

    from doeagenda.results import ResultMixin

    @dataclass
    class WithTable(ResultMixin):
        table: pd.DataFrame

    class WithoutTable(ResultMixin):
        pass

    result = WithTable(pd.DataFrame({"n": [1, 2]}))
    frame = result.to_frame()
    frame.loc[0, "n"] = 99
    assert result.table.loc[0, "n"] == 1
    with pytest.raises(NotImplementedError, match="WithoutTable has no table"):
        WithoutTable().to_frame()

    @dataclass
    class WithSeries(ResultMixin):
        series: pd.DataFrame
        frame_attribute = "series"

    named = WithSeries(pd.DataFrame({"n": [1, 2]}))
    frame = named.to_frame()
    frame.loc[0, "n"] = 99
    pd.testing.assert_frame_equal(named.series, pd.DataFrame({"n": [1, 2]}))


RESULT_CLASSES = [
    "doeagenda.index.build:IndexResult",
    "doeagenda.index.uncertainty:UncertaintyResult",
    "doeagenda.index.uncertainty:SensitivityResult",
    "doeagenda.index.trend:TrendResult",
    "doeagenda.index.wijken:AreaIndex",
    "doeagenda.index.wijken:WijkPosition",
    "doeagenda.index.story:IndexStory",
    "doeagenda.impact.result:SROIResult",
    "doeagenda.impact.actors:MKBAResult",
    "doeagenda.impact.uncertainty:UncertaintyResult",
    "doeagenda.impact.sensitivity:SensitivityResult",
    "doeagenda.reports.result:RunResult",
    "doeagenda.evaluation.power:PowerResult",
    "doeagenda.evaluation.power:PanelPowerResult",
    "doeagenda.evaluation.its:ITSResult",
    "doeagenda.evaluation.staggered:StaggeredResult",
    "doeagenda.evaluation.synth:PlaceboResult",
]


@pytest.mark.parametrize("path", RESULT_CLASSES)
def test_every_result_class_offers_the_contract(path):
    import dataclasses
    import importlib

    from doeagenda.results import ResultMixin

    module, name = path.split(":")
    cls = getattr(importlib.import_module(module), name)
    assert issubclass(cls, ResultMixin)
    for method in ("summary", "chart", "view", "summary_text", "_repr_html_"):
        assert callable(getattr(cls, method, None)), method
    own_to_frame = any("to_frame" in vars(k) for k in cls.__mro__ if k is not ResultMixin)
    has_table = cls.frame_attribute in {f.name for f in dataclasses.fields(cls)}
    assert own_to_frame or has_table  # otherwise the mixin's to_frame() raises


def test_sroi_summary_is_numbers_and_its_view_is_dutch():
    from doeagenda.impact import load_value_map, sroi

    result = sroi(load_value_map("voorbeeld_maaltijden_ouderen", gemeente="GM0355"))
    summary = result.summary()
    assert list(summary.columns) == ["waarde"]
    assert pd.api.types.is_float_dtype(summary["waarde"])
    net = summary.loc["Netto contante waarde (€)", "waarde"]
    assert net == pytest.approx(result.present_value - result.investment_pv)
    text = result.summary_text()
    assert f"{round(net):,d}".replace(",", ".") in text  # 16.706, thousands point
    assert not re.search(r"\d\.\d{1,2}(?!\d)", text)  # no English decimals


def test_nl_text_prints_aligned_dutch_numbers_for_the_terminal():
    from doeagenda.results import nl_text

    frame = pd.DataFrame({"inwoners": [161852.0, 9.0], "aandeel": [0.679633, 1.5]})
    text = nl_text(frame)
    assert "161.852" in text and "0,68" in text and "1,50" in text
    assert "161852.0" not in text and "0.68" not in text
    assert not re.search(r"^\s*0\s", text, re.MULTILINE)  # no bare 0..n index
    lines = text.splitlines()
    assert len({len(line) for line in lines}) == 1  # aligned columns


def test_a_dutch_table_renders_the_same_in_every_run():
    frame = pd.DataFrame({"inwoners": [161852.0]}, index=pd.Index(["Utrecht"], name="gemeente"))
    first, second = nl_table(frame), nl_table(frame.copy())
    assert first.to_html() == second.to_html()  # no random element ids
    assert repr(first) == repr(second) and "161.852" in repr(first)  # no object address
    assert nl_table(frame * 2).to_html() != first.to_html()


def test_a_table_id_follows_what_is_shown():
    ints = pd.DataFrame({"inwoners": [161852, 9]}, index=pd.Index([2020, 2024], name="jaar"))
    floats = ints.astype(float)  # e.g. the same counts back from a shared result
    assert nl_table(ints).uuid == nl_table(floats).uuid
    assert nl_table(ints).to_html() == nl_table(floats).to_html()
    changed = ints.copy()
    changed.iloc[1, 0] = 10
    assert nl_table(changed).uuid != nl_table(ints).uuid
    relabelled = ints.rename(index={2024: 2023})
    assert nl_table(relabelled).uuid != nl_table(ints).uuid


def test_not_applicable_shows_one_sentence_and_silences_the_rest():
    import pickle

    from doeagenda.results import NotApplicable

    reason = "Dit register heeft geen einddatums; vul einddatum in."
    result = NotApplicable(reason)
    assert not result
    assert result._repr_markdown_() == f"*{reason}*"
    # the cells after the first one call the missing result's methods: they show nothing
    assert result.chart() is None
    assert result.view() is None
    assert result.summary(level="wijk") is None
    assert nl_table(result) is result
    assert pickle.loads(pickle.dumps(result)) == result  # the batch shares results by pickle
    with pytest.raises(AttributeError):
        result._private  # noqa: B018 (display hooks must not be faked)


def test_a_text_result_shows_its_dutch_text_and_keeps_its_table():
    from doeagenda.results import TextResultMixin

    class Figures(TextResultMixin):
        table = pd.DataFrame({"kenmerk": ["aantal"], "waarde": [1234.5]})

        def summary(self) -> pd.DataFrame:
            return self.table

        def text(self) -> str:
            return "Eén zin over de cijfers."

    result = Figures()
    assert result._repr_markdown_() == "Eén zin over de cijfers."
    assert result._repr_html_() is None  # the notebook shows the text, not the table
    assert ">1.234,5<" in result.view().to_html()  # the Dutch table stays
    assert result.to_frame().equals(result.table) and result.to_frame() is not result.table
