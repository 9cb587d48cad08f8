"""Reports: the municipality profile and the batch runner for report sets.

The batch runner (``doeagenda batch``; see ``docs/batch.md``) executes notebooks for many
units on warm kernels and writes offline HTML, a manifest and an index page. Its public
names are imported lazily, so ``import doeagenda.reports.profile`` inside a notebook kernel
does not load papermill, nbconvert or dask.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "CONTRACTS": "doeagenda.reports.contract",
    "NotebookContract": "doeagenda.reports.contract",
    "check_parameters": "doeagenda.reports.contract",
    "contract_for": "doeagenda.reports.contract",
    "Job": "doeagenda.reports.plan",
    "Plan": "doeagenda.reports.plan",
    "load_plan": "doeagenda.reports.plan",
    "expand_jobs": "doeagenda.reports.plan",
    "notebook_parameters": "doeagenda.reports.plan",
    "BatchRun": "doeagenda.reports.runner",
    "RunResult": "doeagenda.reports.runner",
    "JobExecutor": "doeagenda.reports.executors",
    "LocalExecutor": "doeagenda.reports.executors",
    "DaskExecutor": "doeagenda.reports.executors",
    "list_jobs": "doeagenda.reports.runner",
    "prepare_run": "doeagenda.reports.runner",
    "run_batch": "doeagenda.reports.runner",
    "ReportExporter": "doeagenda.reports.export",
    "find_external_urls": "doeagenda.reports.export",
    "atomic_write": "doeagenda.iorw",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
