"""Public names of doeagenda.reports, one per line (SPEC 1; docs/architecture.md)."""

from .contract import CONTRACTS as CONTRACTS
from .contract import NotebookContract as NotebookContract
from .contract import check_parameters as check_parameters
from .contract import contract_for as contract_for
from .executors import DaskExecutor as DaskExecutor
from .executors import JobExecutor as JobExecutor
from .executors import LocalExecutor as LocalExecutor
from .export import ReportExporter as ReportExporter
from .export import find_external_urls as find_external_urls
from .manifest import atomic_write as atomic_write
from .plan import Job as Job
from .plan import Plan as Plan
from .plan import expand_jobs as expand_jobs
from .plan import load_plan as load_plan
from .plan import notebook_parameters as notebook_parameters
from .runner import BatchRun as BatchRun
from .runner import RunResult as RunResult
from .runner import list_jobs as list_jobs
from .runner import prepare_run as prepare_run
from .runner import run_batch as run_batch
