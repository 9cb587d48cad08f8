"""The parameter contract of each notebook: declared once, checked in three places.

A notebook's ``parameters`` cell holds literal defaults (papermill injects other values
after it). Which values a notebook *accepts* is declared here, once per notebook, as a
:class:`NotebookContract`: each parameter's type and allowed values (a gemeente code of
the 2024 indeling, a framework whose level the notebook supports, ``alle`` or some of the
evaluation methods, ...), plus the few rules that tie two parameters together.

Three places check the same contract, so a bad choice is refused the same way everywhere:

* ``doeagenda rapport`` (:func:`doeagenda.reports.single.parse_parameters`), before any
  kernel starts;
* ``doeagenda batch`` (:func:`doeagenda.reports.plan.load_plan` for the values written in
  the plan, :func:`doeagenda.reports.runner.prepare_run` for every job of the run), before
  the first job and, for everything the plan itself says, before any kernel starts;
* the notebook itself, in its first cell after the import cell:
  ``check_parameters("wijkprofiel", wijk=wijk, jaar=jaar)`` (a plain papermill or
  JupyterLab run).

A breach is one Dutch line that names the parameter, the value and the allowed choices
(with the closest match where that helps): a :class:`~doeagenda.errors.ParameterError`,
which the CLI prints as ``fout: ...`` with exit code 2.

A notebook names its contract in that first cell; :func:`contract_for` reads it from there,
so a copy of a shipped notebook keeps its contract and a notebook of one's own without
such a cell is only checked against its ``parameters`` cell (names and types).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from doeagenda.errors import ParameterError
from doeagenda.reports.contract_specs import AreaCode as AreaCode
from doeagenda.reports.contract_specs import Flag as Flag
from doeagenda.reports.contract_specs import Folder as Folder
from doeagenda.reports.contract_specs import Framework as Framework
from doeagenda.reports.contract_specs import Methods as Methods
from doeagenda.reports.contract_specs import NameOrFile as NameOrFile
from doeagenda.reports.contract_specs import NotebookContract as NotebookContract
from doeagenda.reports.contract_specs import Number as Number
from doeagenda.reports.contract_specs import OneOf as OneOf
from doeagenda.reports.contract_specs import Rule as Rule
from doeagenda.reports.contract_specs import Spec as Spec
from doeagenda.reports.contract_specs import Start as Start
from doeagenda.reports.contract_specs import Text as Text
from doeagenda.reports.contract_specs import TextList as TextList
from doeagenda.reports.contract_specs import _breach, _closest, _show

__all__ = [
    "CONTRACTS",
    "NotebookContract",
    "Spec",
    "check_parameters",
    "contract_for",
    "contract_name",
]


# -- the rules ---------------------------------------------------------------------------
def _gemeente_has_year(values: Mapping[str, Any]) -> None:
    code, year = values.get("gemeente"), values.get("jaar")
    years = _population_years().get(str(code), ())
    if years and year not in years:
        choices = ", ".join(str(y) for y in years)
        msg = (
            f"parameter jaar: {year!r} heeft geen bevolkingscijfers voor {code}; kies uit {choices}"
        )
        raise ParameterError(msg)


@lru_cache(maxsize=1)
def _population_years() -> dict[str, tuple[int, ...]]:
    from doeagenda import data

    table = data.indicators("gemeente")
    rows = table[table["indicator"] == "a_inw"]
    return {
        str(code): tuple(sorted(int(y) for y in set(years)))
        for code, years in rows.groupby("code")["year"]
    }


def _regime_and_rate(values: Mapping[str, Any]) -> None:
    regime, rate = values.get("regime"), values.get("disconteringsvoet")
    if regime is None or rate is None:
        return
    table = _regimes_table()
    costs, effects = table[regime]
    if costs != effects:
        msg = (
            f"parameter disconteringsvoet: {rate!r} past niet bij regime {regime!r}, dat eigen "
            f"voeten heeft (kosten {costs}, effecten {effects}); laat disconteringsvoet leeg "
            "(None) of kies regime 'mkba'"
        )
        raise ParameterError(msg)


@lru_cache(maxsize=1)
def _regimes_table() -> dict[str, tuple[float, float]]:
    from doeagenda.impact.prices import discount_regimes

    table = discount_regimes()
    return {
        str(name): (float(row.kosten), float(row.effecten))
        for name, row in zip(table.index, table.itertuples(index=False), strict=True)
    }


def _regimes() -> tuple[str, ...]:
    return tuple(_regimes_table())


def _value_maps() -> tuple[str, ...]:
    from doeagenda.paths import params_path

    return tuple(
        sorted(
            p.stem
            for p in params_path("impact").glob("*.yaml")
            if p.stem != "prijzen" and not p.stem.endswith("_verdelingen")
        )
    )


def _register_names() -> tuple[str, ...]:
    from doeagenda.initiatives.columns import REGISTER_NAMES

    return tuple(REGISTER_NAMES)


@lru_cache(maxsize=1)
def _needs() -> tuple[str, ...]:
    # what doeagenda.initiatives.need_measure accepts: an indicator with a direction
    # (higher is better or worse) and values per gemeente
    from doeagenda import data

    table = data.dictionary()
    with_direction = set(table.loc[table["direction"].notna(), "indicator"].astype(str))
    at_gemeente = set(data.indicators("gemeente")["indicator"].astype(str))
    return ("auto", "buurzaamheid", *sorted(with_direction & at_gemeente))


def _starts_match_units(values: Mapping[str, Any]) -> None:
    start, units = values.get("start"), values.get("behandelde_eenheden") or []
    allowed = Start().describe()
    if isinstance(start, list) and len(start) != len(units):
        problem = f"heeft {len(start)} waarden voor {len(units)} behandelde eenheden"
        raise _breach("start", start, problem, allowed)
    if isinstance(start, dict):
        missing = [u for u in units if u not in start]
        if missing:
            raise _breach("start", start, f"mist eenheid {missing[0]!r}", allowed)


def _voorbeeld_columns(values: Mapping[str, Any]) -> None:
    if values.get("data") != "voorbeeld":
        return
    from doeagenda.evaluation.voorbeeld import voorbeeld_panel

    panel = voorbeeld_panel()
    for name in ("uitkomst", "eenheid", "tijd"):
        if values.get(name) not in panel.columns:
            options = [str(c) for c in panel.columns]
            hint = _closest(str(values.get(name)), options)
            msg = (
                f"parameter {name}: {_show(values.get(name))} is geen kolom van de "
                f"voorbeeldgegevens{hint}; kies uit {', '.join(options)}"
            )
            raise ParameterError(msg)
    units = set(panel[values["eenheid"]].astype(str))
    for unit in values.get("behandelde_eenheden") or []:
        if unit not in units:
            hint = _closest(str(unit), sorted(units))
            msg = (
                f"parameter behandelde_eenheden: {unit!r} staat niet in kolom "
                f"{values['eenheid']} van de voorbeeldgegevens{hint}; kies uit "
                f"{', '.join(sorted(units))}"
            )
            raise ParameterError(msg)


_GEMEENTE = AreaCode(
    level="gemeente",
    sample=("GM0344", "GM0014", "GM0363", "GM0599", "GM0855", "GM0935", "GM1680", "GM0088"),
)
_LEARNING = {
    "gemeente": _GEMEENTE,
    "trainer": Flag(),
    "handout": Flag(),
}
_METHODS = ("did", "event_study", "staggered", "synth", "its", "power")

#: The contract of every shipped notebook, keyed by the name its check cell uses.
CONTRACTS: dict[str, NotebookContract] = {
    contract.name: contract
    for contract in (
        NotebookContract(
            "gemeenteprofiel",
            "notebooks/gemeenteprofiel.ipynb",
            {
                "gemeente": _GEMEENTE,
                "jaar": Number(integer=True, low=2000, high=2100, sample=(2024,)),
                "uitvoer": Folder(optional=True),
            },
            rules=(_gemeente_has_year,),
        ),
        NotebookContract(
            "wijkprofiel",
            "notebooks/wijkprofiel.ipynb",
            {
                "wijk": AreaCode(level="wijk", sample=("WK034401", "WK031001", "WK001400")),
                "jaar": OneOf(choices=(2024,), what="KWB-jaar met wijkcijfers"),
            },
        ),
        NotebookContract(
            "buurzaamheidsindex",
            "notebooks/buurzaamheidsindex.ipynb",
            {
                "gemeente": _GEMEENTE,
                "framework": Framework(levels=("gemeente", "wijk", "buurt")),
                "eigen_bestand": NameOrFile(optional=True, what="bestand"),
                "runs": Number(integer=True, low=10, high=100_000, sample=(1000,)),
                "seed": Number(integer=True, low=0, sample=(0,)),
            },
        ),
        NotebookContract(
            "initiatieven",
            "notebooks/initiatieven.ipynb",
            {
                "gemeente": _GEMEENTE,
                "register": NameOrFile(
                    names=_register_names, what="bekende registernaam", many=True
                ),
                "behoefte": OneOf(
                    choices=_needs,
                    what="bekende behoeftemaat",
                    many=(
                        "kies 'auto', 'buurzaamheid' of een indicator met een richting en "
                        "waarden per gemeente (lijst: doeagenda data dictionary)"
                    ),
                ),
            },
        ),
        NotebookContract(
            "proeftuin_evaluatie",
            "notebooks/proeftuin_evaluatie.ipynb",
            {
                "data": NameOrFile(names=("voorbeeld",), what="bekende gegevensnaam"),
                "uitkomst": Text(),
                "eenheid": Text(),
                "tijd": Text(),
                "start": Start(),
                "behandelde_eenheden": TextList(),
                "methode": Methods(methods=_METHODS),
            },
            rules=(_starts_match_units, _voorbeeld_columns),
        ),
        NotebookContract(
            "maatschappelijke_waarde",
            "notebooks/maatschappelijke_waarde.ipynb",
            {
                "waardekaart": NameOrFile(
                    names=_value_maps, suffixes=(".yaml", ".yml"), what="bekende waardekaart"
                ),
                "gemeente": AreaCode(level="gemeente", optional=True, sample=("GM0355",)),
                "regime": OneOf(optional=True, choices=_regimes, what="bekend discontoregime"),
                "disconteringsvoet": Number(optional=True, integer=False, low=0.0, high=0.15),
            },
            rules=(_regime_and_rate,),
        ),
        NotebookContract("01_ken_je_gemeente", "notebooks/leren/01_ken_je_gemeente.ipynb",
                         dict(_LEARNING)),
        NotebookContract("02_bouw_je_eigen_index", "notebooks/leren/02_bouw_je_eigen_index.ipynb",
                         dict(_LEARNING)),
        NotebookContract("03_werkt_het", "notebooks/leren/03_werkt_het.ipynb", dict(_LEARNING)),
        NotebookContract("04_wat_levert_het_op", "notebooks/leren/04_wat_levert_het_op.ipynb",
                         dict(_LEARNING)),
    )
}  # fmt: skip


def check_parameters(notebook: str, /, **values: Any) -> None:
    """Check a notebook's parameters against its contract (the notebook's first cell).

    Parameters
    ----------
    notebook : str
        The contract's name, e.g. ``"wijkprofiel"`` (see :data:`CONTRACTS`).
    **values
        Every parameter of the notebook's ``parameters`` cell.

    Raises
    ------
    ParameterError
        One Dutch line naming the parameter, the value and the allowed choices.

    Examples
    --------
    >>> check_parameters("wijkprofiel", wijk="WK034401", jaar=2024)
    """
    contract = CONTRACTS.get(notebook)
    if contract is None:
        hint = _closest(notebook, CONTRACTS)
        msg = f"geen parametercontract {notebook!r}{hint}; bekend: {', '.join(CONTRACTS)}"
        raise ParameterError(msg)
    contract.check(values)


def _called_contract(source: str) -> str | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "check_parameters"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            return node.args[0].value
    return None


@lru_cache(maxsize=64)
def _contract_name(file: str, mtime_ns: int) -> str | None:
    import json

    try:
        cells = json.loads(Path(file).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return None
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            name = _called_contract("".join(source) if isinstance(source, list) else source)
            if name is not None:
                return name
    return None


def contract_name(notebook: str | Path) -> str | None:
    """The contract a notebook checks itself against (its ``check_parameters`` cell)."""
    path = Path(notebook)
    try:
        return _contract_name(str(path.resolve()), path.stat().st_mtime_ns)
    except OSError:
        return None


def contract_for(notebook: str | Path) -> NotebookContract | None:
    """The :class:`NotebookContract` of a notebook file, or None when it declares none."""
    name = contract_name(notebook)
    return CONTRACTS.get(name) if name is not None else None
