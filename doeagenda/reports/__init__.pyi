"""Public names of :mod:`doeagenda.reports`, written once (SPEC 1).

``__init__.py`` reads this stub with ``lazy_loader.attach_stub``: each name loads its
module on first use, and type checkers read the same imports.
"""

from .contract import (
    CONTRACTS as CONTRACTS,
    NotebookContract as NotebookContract,
    check_parameters as check_parameters,
    contract_for as contract_for,
)
from .executors import (
    DaskExecutor as DaskExecutor,
    JobExecutor as JobExecutor,
    LocalExecutor as LocalExecutor,
)
from .export import ReportExporter as ReportExporter, find_external_urls as find_external_urls
from .manifest import atomic_write as atomic_write
from .plan import (
    Job as Job,
    Plan as Plan,
    expand_jobs as expand_jobs,
    load_plan as load_plan,
    notebook_parameters as notebook_parameters,
)
from .runner import (
    BatchRun as BatchRun,
    RunResult as RunResult,
    list_jobs as list_jobs,
    prepare_run as prepare_run,
    run_batch as run_batch,
)
