"""One report, the papermill way: ``doeagenda rapport NOTEBOOK -p NAME VALUE ... --out DIR``.

A researcher with their own data and no batch plan runs one notebook. The parameters are
checked against the notebook's ``parameters`` cell *before* any kernel starts (papermill
itself only warns about unknown names), the notebook runs on a warm kernel through the same
code as a batch job (:func:`doeagenda.reports.worker.run_job`: papermill with the
``doeagenda-warm`` engine, charts as inline SVG), and the ``.ipynb`` and the offline,
self-contained HTML are written atomically into a new folder.

Values follow papermill's ``-p`` convention (``True``/``False``/``None``, integers and
decimals are recognised), but the notebook's default decides: a text parameter keeps
``0344`` as text, and a list parameter takes a literal such as ``"[2019, 2020]"``.
"""

from __future__ import annotations

import ast
import datetime as dt
import difflib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from doeagenda import __version__
from doeagenda.errors import OutputError, ParameterError
from doeagenda.iorw import atomic_write

__all__ = ["SingleReport", "parse_parameters", "report_payload", "run_report"]

logger = logging.getLogger(__name__)

#: Modules imported once when the kernel starts (the notebooks' usual imports).
PRELOAD = ("doeagenda", "pandas", "altair")
_TRUE = {"True", "true"}
_FALSE = {"False", "false"}


@dataclass(frozen=True)
class SingleReport:
    """Result of :func:`run_report`.

    Attributes
    ----------
    status : str
        ``"ok"`` or ``"failed"`` (a cell raised; both files are still written).
    out_dir : Path
        Folder with the outputs.
    files : dict
        Format (``ipynb``, ``html``) -> written path.
    parameters : dict
        The parameters the notebook ran with.
    error : dict or None
        Failing cell and exception, as in a batch manifest.
    duration : float
        Seconds, kernel start included.
    """

    status: str
    out_dir: Path
    files: dict[str, Path]
    parameters: dict[str, Any]
    error: dict[str, Any] | None
    duration: float

    @property
    def exit_code(self) -> int:
        """0 when the notebook ran to the end, 1 when a cell failed."""
        return 0 if self.status == "ok" else 1


def _papermill_value(text: str) -> Any:
    # papermill's ``-p`` resolution (papermill.cli._resolve_type), kept here so the check
    # below sees exactly what papermill would have passed.
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text == "None":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def _convert(name: str, text: str, spec: dict[str, Any], notebook: Path) -> Any:
    expected = spec["type"]
    default = spec["default"]
    where = f"{notebook}: parameter {name!r} (standaard {default}, type {expected})"
    if text == "None" and default == "None":
        return None  # ``x: float = None``: None keeps the notebook's own default behaviour
    if expected == "str":
        return text
    if expected == "bool":
        if text in _TRUE | _FALSE:
            return text in _TRUE
        msg = f"{where}: {text!r} is geen True of False; geef bijvoorbeeld -p {name} True"
        raise ParameterError(msg)
    if expected in {"int", "float"}:
        value = _papermill_value(text)
        ok = isinstance(value, int) if expected == "int" else isinstance(value, int | float)
        if not ok or isinstance(value, bool):
            word = "geheel getal" if expected == "int" else "getal (decimalen met een punt: 0.03)"
            msg = f"{where}: {text!r} is geen {word}"
            raise ParameterError(msg)
        return float(value) if expected == "float" else value
    if expected in {"list", "dict", "tuple"}:
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            value = None
        wanted = {"list": list, "dict": dict, "tuple": tuple}[expected]
        if not isinstance(value, wanted):
            example = {"list": "[2019, 2020]", "dict": '{"a": 1}', "tuple": "(1, 2)"}[expected]
            msg = f"{where}: {text!r} is geen {expected}; geef bijvoorbeeld -p {name} '{example}'"
            raise ParameterError(msg)
        return value
    return _papermill_value(text)  # default None or an expression: papermill's own rule


def parse_parameters(notebook: str | Path, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Check ``-p NAME VALUE`` pairs against the notebook's ``parameters`` cell.

    Parameters
    ----------
    notebook : str or Path
        The notebook.
    pairs : list of (str, str)
        Names and values as typed on the command line.

    Returns
    -------
    dict
        Name -> value of the type of the notebook's default.

    Raises
    ------
    ParameterError
        Unknown name, a value of the wrong type, a value its contract does not allow
        (:mod:`doeagenda.reports.contract`), or parameters for a notebook without a
        ``parameters`` cell.
    """
    from doeagenda.reports._kernelside import skip_slow_optional_imports
    from doeagenda.reports.plan import notebook_parameters

    skip_slow_optional_imports()  # as in `doeagenda batch`: 1.5-5 s less before the check
    path = Path(notebook)
    if not path.is_file():
        msg = f"notebook {path} bestaat niet; geef het pad van een .ipynb-bestand"
        raise ParameterError(msg)
    defined = notebook_parameters(path)  # a broken file raises PlanError (a ParameterError)
    if pairs and not defined:
        msg = f"{path}: de notebook heeft geen cel met tag 'parameters'; laat -p weg"
        raise ParameterError(msg)
    from doeagenda.reports.contract import contract_for
    from doeagenda.reports.plan_params import notebook_defaults

    contract = contract_for(path)
    values: dict[str, Any] = {}
    for name, text in pairs:
        if name not in defined:
            hint = difflib.get_close_matches(name, list(defined), n=1)
            msg = (
                f"{path}: parameter {name!r} staat niet in de parameters-cel"
                f"{f' (bedoelde u {hint[0]!r}?)' if hint else ''}; "
                f"bekend: {', '.join(sorted(defined))}"
            )
            raise ParameterError(msg)
        spec = contract.parameters.get(name) if contract is not None else None
        value = spec.from_text(text) if spec is not None else NotImplemented
        values[name] = (
            _convert(name, text, defined[name], path) if value is NotImplemented else value
        )
    if contract is not None:
        # the notebook's own defaults fill in what was not given: rules tie parameters together
        try:
            contract.check({**notebook_defaults(path), **values})
        except ParameterError as error:
            msg = f"{path}: {error}"
            raise ParameterError(msg) from None
    return values


def _new_out_dir(notebook: Path, out: Path | None) -> Path:
    if out is not None:
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            msg = f"uitvoermap {out} bestaat al en is niet leeg; kies een nieuwe map met --out"
            raise OutputError(msg)
        return out
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path("outputs") / f"rapport-{notebook.stem}-{stamp}"
    candidate, number = base, 2
    while candidate.exists():
        candidate = base.with_name(f"{base.name}-{number}")
        number += 1
    return candidate


def report_payload(
    notebook: str | Path,
    parameters: dict[str, Any],
    *,
    job_id: str | None = None,
    timeout: int | None = 600,
    formats: tuple[str, ...] = ("ipynb", "html"),
    kernel: dict[str, Any] | None = None,
    shared_dir: str | None = None,
) -> dict[str, Any]:
    """The job a report is (as :func:`doeagenda.reports.worker.run_job` takes it).

    :func:`run_report` runs one; a list of them runs on warm kernels shared across jobs
    with :class:`doeagenda.reports.executors.LocalExecutor` (as the notebook sweep test
    does). The parameters are taken as given: check them first (:func:`parse_parameters`,
    :func:`doeagenda.reports.contract.check_parameters`).

    Parameters
    ----------
    notebook : str or Path
        The notebook.
    parameters : dict
        Name -> value.
    job_id : str, optional
        Identifies the result (default: the notebook's name).
    timeout : int, optional
        Seconds per cell.
    formats : tuple of str
        ``ipynb`` and/or ``html``.
    kernel : dict, optional
        Fields of :class:`doeagenda.reports.kernel.KernelConfig` that differ from a single
        report's (``preload``, ``memoize``, ``shared``, ...); equal fields share a kernel.
    shared_dir : str, optional
        Folder of results computed once and shared between kernels (``execution.shared``).

    Returns
    -------
    dict
    """
    path = Path(notebook)
    notebook_json = path.read_text(encoding="utf-8")
    try:
        kernel_name = json.loads(notebook_json)["metadata"]["kernelspec"]["name"]
    except (KeyError, TypeError, json.JSONDecodeError):
        kernel_name = "python3"
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    shown = ", ".join(f"{k}={v!r}" for k, v in parameters.items()) or "standaardwaarden"
    return {
        "job_id": job_id or path.stem,
        "notebook": str(path),
        "notebook_json": notebook_json,
        "parameters": parameters,
        "kernel": {
            "kernel_name": kernel_name,
            "cwd": os.getcwd(),
            "preload": list(PRELOAD),
            "warmup": [],
            "memoize": [],
            "renderer": "svg",
            "startup_timeout": 120,
            **(kernel or {}),
        },
        "timeout": timeout,
        "shared_dir": shared_dir,
        "formats": list(formats),
        "outputs": {fmt: f"{path.stem}.{fmt}" for fmt in formats},
        "unit_label": "",
        "overview_link": False,
        "footer": (
            f"{path.name} · {shown} · gemaakt met doeagenda {__version__} op {stamp} · "
            "gegevens: zie de bronnen in het rapport"
        ),
        "version": __version__,
    }


def run_report(
    notebook: str | Path,
    pairs: list[tuple[str, str]] | None = None,
    out: str | Path | None = None,
    timeout: int | None = 600,
) -> SingleReport:
    """Validate, run and export one notebook (``doeagenda rapport``).

    Parameters
    ----------
    notebook : str or Path
        The notebook.
    pairs : list of (str, str), optional
        ``-p NAME VALUE`` pairs (see :func:`parse_parameters`).
    out : str or Path, optional
        Output folder; must not exist or be empty. Default
        ``outputs/rapport-<notebook>-<timestamp>/`` (never an existing folder).
    timeout : int, optional
        Seconds per cell.

    Returns
    -------
    SingleReport

    Raises
    ------
    ParameterError, OutputError
        Bad parameters or output folder; nothing is written then.
    """
    from doeagenda.reports.kernel import shutdown_all
    from doeagenda.reports.worker import run_job

    path = Path(notebook)
    parameters = parse_parameters(path, list(pairs or []))
    out_dir = _new_out_dir(path, Path(out) if out is not None else None)
    payload = report_payload(path, parameters, timeout=timeout)
    try:
        result = run_job(payload)
    finally:
        shutdown_all(graceful=True)
    files: dict[str, Path] = {}
    if result["files"]:
        out_dir.mkdir(parents=True, exist_ok=True)
        for fmt, data in result["files"].items():
            files[fmt] = atomic_write(out_dir / payload["outputs"][fmt], data)
    if result["status"] != "ok":
        logger.warning("notebook %s mislukt: %s", path, result.get("error"))
    return SingleReport(
        status=result["status"],
        out_dir=out_dir,
        files=files,
        parameters=parameters,
        error=result.get("error"),
        duration=float(result.get("duration") or 0.0),
    )
