"""The outcome of a batch run: :class:`RunResult` (summary, frame, chart)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from doeagenda.reports.overview import STATUS_NL
from doeagenda.results import ResultMixin

__all__ = ["RunResult"]


@dataclass
class RunResult(ResultMixin):
    """Outcome of a batch run (like a statsmodels result: summary, frame, chart)."""

    run_id: str
    run_dir: Path
    manifest: dict[str, Any]
    interrupted: bool = False
    executed: int = 0

    @property
    def counts(self) -> dict[str, int]:
        """Number of jobs per status."""
        counts = {"ok": 0, "failed": 0, "skipped": 0}
        for job in self.manifest["jobs"]:
            counts[job["status"]] = counts.get(job["status"], 0) + 1
        return counts

    @property
    def exit_code(self) -> int:
        """0 all ok, 1 a job failed, 130 interrupted."""
        if self.interrupted:
            return 130
        return 1 if any(j["status"] != "ok" for j in self.manifest["jobs"]) else 0

    def to_frame(self) -> pd.DataFrame:
        """One row per job: unit, name, notebook, status, seconds, error."""
        rows = []
        for job in self.manifest["jobs"]:
            err = job.get("error") or {}
            rows.append(
                {
                    "unit": job["unit"],
                    "name": job.get("name", ""),
                    "notebook": Path(job["notebook"]).stem,
                    "status": job["status"],
                    "seconds": job.get("duration"),
                    "error": (
                        f"{err.get('ename', '')}: {err.get('evalue', '')}"
                        if err
                        else job.get("reason", "")
                    ),
                }
            )
        return pd.DataFrame(
            rows, columns=["unit", "name", "notebook", "status", "seconds", "error"]
        )

    def summary(self) -> pd.DataFrame:
        """One row per unit, one column per notebook with the Dutch status."""
        frame = self.to_frame()
        if frame.empty:
            return frame
        frame["status"] = frame["status"].map(lambda s: STATUS_NL.get(s, s))
        table = frame.pivot_table(
            index=["unit", "name"], columns="notebook", values="status", aggfunc="first"
        )
        table.columns.name = None
        order = [Path(nb).stem for nb in self.manifest.get("notebooks") or []]
        columns = [c for c in order if c in table.columns]
        columns += [c for c in table.columns if c not in columns]
        return table[columns].reset_index()

    def chart(self):
        """Bar chart of job durations, coloured by status (altair)."""
        import altair as alt

        frame = self.to_frame().assign(job=lambda d: d["unit"] + " " + d["notebook"])
        frame["status"] = frame["status"].map(lambda s: STATUS_NL.get(s, s))
        return (
            alt.Chart(frame)
            .mark_bar()
            .encode(
                x=alt.X("seconds:Q", title="Duur (s)"),
                y=alt.Y("job:N", title=None, sort="-x"),
                color=alt.Color("status:N", title="Status"),
                tooltip=[
                    alt.Tooltip("unit:N", title="eenheid"),
                    alt.Tooltip("name:N", title="naam"),
                    alt.Tooltip("notebook:N", title="notebook"),
                    alt.Tooltip("status:N", title="status"),
                    alt.Tooltip("seconds:Q", title="duur (s)", format=".1f"),
                    alt.Tooltip("error:N", title="fout"),
                ],
            )
            .properties(title=f"Run {self.run_id}")
        )
