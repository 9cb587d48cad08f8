"""Every notebook over its parameter values and edge cases; every invalid choice refused.

The valid runs share two warm kernels, as a batch does: each case is a job
(:func:`doeagenda.reports.single.report_payload`) and all of them run in one
:class:`~doeagenda.reports.executors.LocalExecutor` (imports, data caches and the
province-wide index and initiative models are computed once). Each case asserts that its
notebook ran to the end and was exported.

Which values: the valid values each notebook's contract enumerates
(:meth:`doeagenda.reports.contract.NotebookContract.examples`: every method, framework,
value map, regime, register name, flag), varied one at a time from the notebook's defaults,
and the edge cases below (gemeenten of every provincie and those with few wijken or missing
figures, subsets of methods, small registers of one's own).

Every parameter of every contract also gets invalid values, and each one is refused by
``doeagenda rapport`` with one ``fout:`` line and exit code 2 before any kernel starts and
before anything is written; a plan with such a value is refused by ``doeagenda batch``
before it starts its workers, and the notebook's own check cell refuses it in the kernel.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from doeagenda.cli import app
from doeagenda.errors import ParameterError
from doeagenda.reports.contract import (
    CONTRACTS,
    AreaCode,
    Flag,
    Folder,
    Framework,
    Methods,
    NameOrFile,
    Number,
    OneOf,
    Start,
    Text,
    TextList,
    _population_years,
)
from doeagenda.reports.plan_params import notebook_defaults

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Case:
    """One run of one notebook."""

    contract: str
    name: str
    parameters: dict[str, Any] = field(hash=False)

    @property
    def job_id(self) -> str:
        return f"{self.contract}/{self.name}"

    @property
    def notebook(self) -> Path:
        return REPO / CONTRACTS[self.contract].notebook


# ------------------------------------------------------------------------ the valid cases
#: One gemeente of every provincie, and the edge gemeenten: one wijk only (Urk, Rozendaal),
#: the gemeenten formed in 2022-2023 with the fewest figures (no history, 11 RIVM
#: figures: Voorne aan Zee, Maashorst, Land van Cuijk, Dijk en Waard, Eemsdelta) and the
#: Wadden islands (Schiermonnikoog, Vlieland).
PROVINCIES = {
    "Drenthe": "GM0106",
    "Flevoland": "GM0034",
    "Friesland": "GM0080",
    "Gelderland": "GM0202",
    "Groningen": "GM0014",
    "Limburg": "GM0935",
    "Noord-Brabant": "GM0855",
    "Noord-Holland": "GM0363",
    "Overijssel": "GM0153",
    "Utrecht": "GM0307",
    "Zeeland": "GM0687",
    "Zuid-Holland": "GM0599",
}
EDGE_GEMEENTEN = ("GM0184", "GM0277", "GM1992", "GM1991", "GM1982", "GM1980", "GM1979", "GM0088", "GM0096")  # fmt: skip
#: Wijken of provincie Utrecht (four gemeenten), the two that issue 20 is about (no RIVM
#: figures), and a wijk elsewhere.
WIJKEN = ("WK034401", "WK034410", "WK030701", "WK032110", "WK035501", "WK190401")
WIJKEN_20 = ("WK196111", "WK030732")


def _one_at_a_time(contract: str, skip: tuple[str, ...] = ()) -> list[Case]:
    """The notebook's defaults, then each example value of each parameter in turn."""
    defaults = notebook_defaults(REPO / CONTRACTS[contract].notebook)
    cases = [Case(contract, "standaard", {})]
    for name, values in CONTRACTS[contract].examples().items():
        if name in skip:
            continue
        for value in values:
            if value != defaults.get(name):
                cases.append(Case(contract, f"{name}={value}", {name: value}))
    return cases


def _registers(folder: Path) -> dict[str, Path]:
    """Small registers of one's own, made from rows of the (invented) voorbeeld register."""
    source = REPO / "doeagenda" / "data" / "voorbeeld" / "initiatieven_voorbeeld.csv"
    table = pd.read_csv(source, dtype=str, keep_default_na=False)
    utrecht = table[table["gemeente_code"] == "GM0344"]
    running = utrecht[utrecht["status"] == "actief"]
    stopped = utrecht[utrecht["status"] == "gestopt"]
    others = table[table["gemeente_code"].isin(["GM0307", "GM0321"])]
    made = {
        "0_gestopt": running.head(2),
        "1_gestopt": pd.concat([running.head(5), stopped.head(1), others.head(4)]),
        "4_gestopt": pd.concat([running.head(8), stopped.head(4), others.head(6)]),
        "een_gemeente": utrecht,
        # without the optional columns of issue 21; status goes too, since a register
        # without stop dates cannot say 'gestopt' (the check rightly refuses that)
        "zonder_optioneel": table.drop(
            columns=["einddatum", "status", "financiers", "partners", "wijk_code"]
        ),
    }
    paths = {}
    for name, frame in made.items():
        path = folder / f"eigen_register_{name}.csv"
        frame.to_csv(path, index=False)
        paths[name] = path
    return paths


def valid_cases(registers: dict[str, Path] | None = None, folder: Path | None = None) -> list[Case]:
    """Every valid case of the sweep (registers and folder: made by the fixture)."""
    cases: list[Case] = []
    # gemeenteprofiel: every provincie and the edge gemeenten; the year of the one
    # gemeente with two years of population figures; a folder to write the tables to
    cases += _one_at_a_time("gemeenteprofiel", skip=("gemeente",))
    for code in (*PROVINCIES.values(), *EDGE_GEMEENTEN):
        cases.append(Case("gemeenteprofiel", f"gemeente={code}", {"gemeente": code}))
    if folder is not None:
        cases.append(Case("gemeenteprofiel", "uitvoer", {"uitvoer": str(folder / "tabellen")}))
    # wijkprofiel
    cases += _one_at_a_time("wijkprofiel", skip=("wijk",))
    for code in (*WIJKEN, "WK001400", "WK059901"):
        cases.append(Case("wijkprofiel", f"wijk={code}", {"wijk": code}))
    for code in WIJKEN_20:
        cases.append(Case("wijkprofiel", f"wijk={code}", {"wijk": code}))
    # buurzaamheidsindex: every framework; gemeenten of Utrecht and elsewhere
    cases += _one_at_a_time("buurzaamheidsindex", skip=("gemeente", "runs", "seed"))
    cases.append(Case("buurzaamheidsindex", "runs=100,seed=7", {"runs": 100, "seed": 7}))
    for code in ("GM0307", "GM0321", "GM1904"):
        cases.append(Case("buurzaamheidsindex", f"gemeente={code}", {"gemeente": code}))
    cases.append(
        Case(
            "buurzaamheidsindex",
            "gemeente=GM0307,framework=buurzaamheid_wijken",
            {"gemeente": "GM0307", "framework": "buurzaamheid_wijken"},
        )
    )
    for code in ("GM0014", "GM0363", "GM0599", "GM1992", "GM0088"):
        cases.append(Case("buurzaamheidsindex", f"gemeente={code}", {"gemeente": code}))
    # initiatieven: gemeenten, need measures, registers (energie_2019 and own files: issue 19)
    for case in _one_at_a_time("initiatieven", skip=("gemeente", "behoefte", "register")):
        cases.append(case)
    for code in ("GM0307", "GM0321"):
        cases.append(Case("initiatieven", f"gemeente={code}", {"gemeente": code}))
    for need in ("buurzaamheid", "rivm_eenzaam_18plus", "kwb21_low_income_households_pct"):
        cases.append(Case("initiatieven", f"behoefte={need}", {"behoefte": need}))
    cases.append(Case("initiatieven", "register=energie_2019", {"register": "energie_2019"}))
    cases.append(
        Case(
            "initiatieven",
            "register=energie_2019,gemeente=GM0014",
            {"register": "energie_2019", "gemeente": "GM0014"},
        )
    )
    for name, path in (registers or {}).items():
        cases.append(Case("initiatieven", f"register={name}", {"register": str(path)}))
    # proeftuin: every method alone and subsets; one treated unit; starts as a dict
    cases += _one_at_a_time("proeftuin_evaluatie")
    for subset in (["did", "synth"], ["event_study", "staggered", "power"], ["synth", "its"],
                   ["did", "event_study", "staggered", "synth", "its", "power"]):  # fmt: skip
        cases.append(
            Case("proeftuin_evaluatie", f"methode={','.join(subset)}", {"methode": subset})
        )
    cases.append(
        Case(
            "proeftuin_evaluatie",
            "een_eenheid",
            {"behandelde_eenheden": ["GM0321"], "start": 2019},
        )
    )
    cases.append(
        Case(
            "proeftuin_evaluatie",
            "start_per_eenheid,tevredenheid",
            {
                "start": {"GM0321": 2019, "GM0632": 2020, "GM0355": 2021},
                "uitkomst": "tevredenheid",
            },
        )
    )
    # maatschappelijke waarde: every value map with every regime; own rates; no gemeente
    for kaart in CONTRACTS["maatschappelijke_waarde"].parameters["waardekaart"].examples():
        for regime in CONTRACTS["maatschappelijke_waarde"].parameters["regime"].examples():
            cases.append(
                Case(
                    "maatschappelijke_waarde",
                    f"{kaart},{regime}",
                    {"waardekaart": kaart, "regime": regime},
                )
            )
    cases.append(
        Case(
            "maatschappelijke_waarde",
            "regime=None,0.03",
            {"regime": None, "disconteringsvoet": 0.03},
        )
    )
    cases.append(Case("maatschappelijke_waarde", "mkba,0.04", {"disconteringsvoet": 0.04}))
    cases.append(Case("maatschappelijke_waarde", "gemeente=None", {"gemeente": None}))
    cases.append(Case("maatschappelijke_waarde", "gemeente=GM0344", {"gemeente": "GM0344"}))
    # the learning modules: trainer, handout, a gemeente of Utrecht and one elsewhere
    for module in ("01_ken_je_gemeente", "02_bouw_je_eigen_index", "03_werkt_het", "04_wat_levert_het_op"):  # fmt: skip
        cases += _one_at_a_time(module, skip=("gemeente",))
        cases.append(Case(module, "gemeente=GM0307", {"gemeente": "GM0307"}))
        cases.append(Case(module, "gemeente=GM0014", {"gemeente": "GM0014"}))
    return cases


CASES = valid_cases(registers={n: Path(n) for n in ("0_gestopt", "1_gestopt", "4_gestopt", "een_gemeente", "zonder_optioneel")}, folder=Path("."))  # fmt: skip


def test_every_case_is_a_valid_choice_of_its_contract(tmp_path: Path) -> None:
    registers = _registers(tmp_path)
    for case in valid_cases(registers, tmp_path):
        values = {**notebook_defaults(case.notebook), **case.parameters}
        CONTRACTS[case.contract].check(values)  # raises on an invalid case
    ids = [case.job_id for case in CASES]
    assert len(ids) == len(set(ids)), "case names are unique"
    assert {case.contract for case in CASES} == set(CONTRACTS), "every notebook is swept"


# ------------------------------------------------------------------- running them all
#: What every kernel of the sweep imports and keeps (the union of the batch plans').
KERNEL = {
    "preload": [
        "doeagenda",
        "doeagenda.data",
        "doeagenda.reports.profile",
        "doeagenda.reports.wijkprofiel",
        "doeagenda.index",
        "doeagenda.initiatives",
        "doeagenda.evaluation",
        "doeagenda.impact",
        "doeagenda.learning",
    ],
    "warmup": ["doeagenda.data.areas"],
    "memoize": [
        "doeagenda.data.indicators",
        "doeagenda.data.areas",
        "doeagenda.data.dictionary",
        "doeagenda.data.population",
    ],
    "shared": [
        "doeagenda.index.build.IndexResult.uncertainty",
        "doeagenda.index.build.IndexResult.sensitivity",
        "doeagenda.index.trend.trend_frame",
    ],
}
#: Not valid, sent straight to a kernel: the notebook's own first cell must refuse them.
IN_KERNEL = {
    "wijkprofiel/kernel-weigert-WK999999": ("wijkprofiel", {"wijk": "WK999999"}),
    "buurzaamheidsindex/kernel-weigert-voorbeeld_hdi": (
        "buurzaamheidsindex",
        {"framework": "voorbeeld_hdi"},
    ),
}


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> dict[str, dict[str, Any]]:
    from doeagenda.reports.executors import LocalExecutor
    from doeagenda.reports.single import report_payload

    folder = tmp_path_factory.mktemp("sweep")
    shared = folder / "shared"
    shared.mkdir()
    cases = valid_cases(_registers(folder), folder)
    payloads = [
        report_payload(
            case.notebook,
            case.parameters,
            job_id=case.job_id,
            formats=("html",),
            kernel=KERNEL,
            shared_dir=str(shared),
        )
        for case in cases
    ]
    for job_id, (contract, parameters) in IN_KERNEL.items():
        payloads.append(
            report_payload(
                REPO / CONTRACTS[contract].notebook,
                parameters,
                job_id=job_id,
                formats=("html",),
                kernel=KERNEL,
                shared_dir=str(shared),
            )
        )
    results: dict[str, dict[str, Any]] = {}

    def keep(result: dict[str, Any]) -> None:
        result["html_bytes"] = len(result.pop("files", {}).get("html", b""))
        results[result["job_id"]] = result

    LocalExecutor(min(2, os.cpu_count() or 1)).run(payloads, keep)
    return results


@pytest.mark.parametrize(
    "case",
    CASES,
    ids=[c.job_id for c in CASES],
)
def test_notebook_runs_to_the_end(case: Case, sweep) -> None:
    result = sweep[case.job_id]
    error = result.get("error") or {}
    assert result["status"] == "ok", f"cel [{error.get('execution_count')}]: {error.get('ename')}: {error.get('evalue')}"  # fmt: skip
    assert result["html_bytes"] > 10_000


@pytest.mark.parametrize("job_id", sorted(IN_KERNEL))
def test_the_notebooks_first_cell_refuses_an_invalid_choice(job_id: str, sweep) -> None:
    import json

    result = sweep[job_id]
    contract, _ = IN_KERNEL[job_id]
    notebook = json.loads((REPO / CONTRACTS[contract].notebook).read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    first = next(i for i, c in enumerate(code) if "check_parameters(" in "".join(c["source"]))
    error = result["error"]
    assert result["status"] == "failed" and error["ename"] == "ParameterError"
    # papermill's injected cell comes after the parameters cell: one more code cell
    assert error["execution_count"] == first + 2
    assert error["evalue"].startswith("parameter ")


# ------------------------------------------------------------------- invalid choices
def _invalid_texts(name: str, spec: Any, contract: str) -> list[str]:
    """``-p`` texts each parameter must refuse, by the kind of value it takes."""
    if isinstance(spec, AreaCode):
        other = {"gemeente": "WK034401", "wijk": "GM0344"}.get(spec.level, "GM0344")
        return ["XX0344", {"gemeente": "GM9999", "wijk": "WK999999"}[spec.level], other]
    if isinstance(spec, Flag):
        return ["ja", "1"]
    if isinstance(spec, Number):
        high = "1e9" if spec.high is not None else None
        return [t for t in ("veel", "-5" if spec.low is not None else None, high) if t]
    if isinstance(spec, OneOf):
        return ["onbekend", "2023"] if name == "jaar" else ["onbekend"]
    if isinstance(spec, Framework):
        return ["voorbeeld_hdi", "buurzaamheid_gemeente", "bestaat/niet.yaml"]
    if isinstance(spec, NameOrFile):
        texts = ["bestaat_niet.csv", "map/bestaat_niet.xlsx"]
        return [*texts, spec.options()[0][:-1]] if spec.options() else texts
    if isinstance(spec, Methods):
        return ["dd", "did,synt", "['did', 'did']", "[]"]
    if isinstance(spec, Start):
        return ["[2019]", "{'GM0321': 2019}", "'begin'"]
    if isinstance(spec, TextList):
        return ["[]", "['GM0321', 'GM0321']"]
    if isinstance(spec, Text):
        return [""]
    if isinstance(spec, Folder):
        return ["pyproject.toml"]
    raise AssertionError(f"{contract}.{name}: no invalid values for {type(spec).__name__}")


INVALID = [
    (contract, name, text)
    for contract, spec in CONTRACTS.items()
    for name, param in spec.parameters.items()
    for text in _invalid_texts(name, param, contract)
] + [
    ("gemeenteprofiel", "jaar", "2020"),  # no population figures for that year
    ("maatschappelijke_waarde", "disconteringsvoet", "0.03"),  # regime zorginstituut2024: below
    ("proeftuin_evaluatie", "uitkomst", "deelnam"),
    ("proeftuin_evaluatie", "behandelde_eenheden", "['GM9999']"),
]
_EXTRA = {
    ("maatschappelijke_waarde", "disconteringsvoet", "0.03"): ["-p", "regime", "zorginstituut2024"],
    ("proeftuin_evaluatie", "behandelde_eenheden", "['GM9999']"): ["-p", "start", "2019"],
}


@pytest.fixture
def no_kernel(monkeypatch):
    """Any attempt to start a kernel or a worker fails the test."""
    from doeagenda.reports.executors import LocalExecutor
    from doeagenda.reports.kernel import WarmKernel

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a kernel or worker was started")

    monkeypatch.setattr(WarmKernel, "_start_once", refuse)
    monkeypatch.setattr(LocalExecutor, "start", refuse)
    monkeypatch.setattr(LocalExecutor, "run", refuse)


@pytest.mark.parametrize(("contract", "name", "text"), INVALID, ids=lambda v: str(v))
def test_rapport_refuses_before_a_kernel_starts(
    contract: str, name: str, text: str, tmp_path: Path, monkeypatch, no_kernel
) -> None:
    monkeypatch.chdir(REPO)
    out = tmp_path / "uit"
    notebook = CONTRACTS[contract].notebook
    extra = _EXTRA.get((contract, name, text), [])
    args = ["rapport", notebook, *extra, "-p", name, text, "--out", str(out)]
    result = CliRunner().invoke(app, args)
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith("fout: "), result.output
    assert f"parameter {name}" in lines[0] or f"parameter {name!r}" in lines[0], lines[0]
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_count_of_cases(capsys) -> None:
    """How much the sweep covers (printed for the report; asserted to stay broad)."""
    by_notebook: dict[str, int] = {}
    for case in CASES:
        by_notebook[case.contract] = by_notebook.get(case.contract, 0) + 1
    with capsys.disabled():
        print(
            f"\nsweep: {len(CASES)} valid runs, {len(IN_KERNEL)} refused in the kernel, {len(INVALID)} invalid "
            f"choices refused before a kernel: {by_notebook}"
        )
    assert len(CASES) >= 80 and len(INVALID) >= 60


# --------------------------------------------------------------------- batch plans
@pytest.mark.parametrize(
    ("units", "notebook", "parameters", "expected"),
    [
        ({"provincie": "Utrecht"}, "notebooks/wijkprofiel.ipynb", {"wijk": "{code}"},
         "parameter wijk: 'GM0344' is een gemeentecode, geen wijkcode"),
        ({"provincie": "Utrecht"}, "notebooks/buurzaamheidsindex.ipynb",
         {"gemeente": "{code}", "framework": "voorbeeld_hdi"}, "parameter framework: 'voorbeeld_hdi'"),
        ({"wijken": "GM0344"}, "notebooks/gemeenteprofiel.ipynb", {"gemeente": "{code}"},
         "parameter gemeente: 'WK034401' is een wijkcode"),
        ({"codes": ["GM0344"]}, "notebooks/proeftuin_evaluatie.ipynb", {"methode": ["did", "dd"]},
         "parameter methode"),
        ({"alle": True}, "notebooks/initiatieven.ipynb",
         {"gemeente": "{code}", "register": "energie2019"}, "bedoelde u 'energie_2019'?"),
    ],
)  # fmt: skip
def test_batch_refuses_the_whole_plan_before_a_worker_starts(
    units, notebook, parameters, expected, tmp_path: Path, monkeypatch, no_kernel
) -> None:
    monkeypatch.chdir(REPO)
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        yaml.safe_dump(
            {
                "title": "t",
                "units": units,
                "notebooks": [{"path": notebook, "parameters": parameters}],
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "uit"
    result = CliRunner().invoke(app, ["batch", str(plan), "--out", str(out)])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith("fout: ") and expected in lines[0], lines
    assert not out.exists()


def test_batch_checks_every_job_of_the_run(tmp_path: Path, monkeypatch) -> None:
    """A value valid for the sample unit but not for one unit of the run: found before the
    first job (here: a year with population figures for one gemeente only)."""
    from doeagenda.reports.runner import prepare_run

    monkeypatch.chdir(REPO)
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        yaml.safe_dump(
            {
                "title": "t",
                "units": {"alle": True},
                "notebooks": [
                    {
                        "path": "notebooks/gemeenteprofiel.ipynb",
                        "parameters": {"gemeente": "{code}", "jaar": 2023},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    with_2023 = sorted(c for c, years in _population_years().items() if 2023 in years)
    assert with_2023 and len(with_2023) < 342
    with pytest.raises(ParameterError, match="parameter jaar: 2023 heeft geen bevolkingscijfers"):
        prepare_run(plan, out=tmp_path / "uit")
    assert not (tmp_path / "uit").exists()
    run = prepare_run(plan, out=tmp_path / "uit", only=",".join(with_2023))
    assert [job.unit.code for job in run.jobs] == with_2023
