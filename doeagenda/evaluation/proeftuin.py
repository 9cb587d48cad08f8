"""Friendly layer: evaluate a proeftuin from a few parameters (notebook and CLI).

``proeftuin(data, uitkomst, eenheid, tijd, start, behandelde_eenheden, methode)``
validates the parameters (pydantic), loads the panel and returns a :class:`Proeftuin`
whose methods each give one table or chart for the notebook
``notebooks/proeftuin_evaluatie.ipynb``; :meth:`Proeftuin.evaluate` runs the chosen
methods side by side and :meth:`Evaluation.conclusion` writes a plain-Dutch conclusion
whose strength follows the evidence. ``doeagenda evaluate CONFIG.yaml`` runs the same
from a YAML file under ``params/proeftuinen/``.

The panel is read by :func:`~doeagenda.evaluation.proeftuin_panel.load_panel` and the
conclusion written by :mod:`doeagenda.evaluation.proeftuin_conclusion`; ``load_panel``
stays importable from here.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import altair as alt
import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from doeagenda.charts import highlight_color, highlight_width, interval_layer
from doeagenda.config import pydantic_message, read_yaml
from doeagenda.errors import DataError, DoeagendaError, ParameterError
from doeagenda.evaluation._common import check_columns, check_numeric
from doeagenda.evaluation.did import DiDResult, EventStudyResult, did, event_study
from doeagenda.evaluation.its import ITSResult, interrupted_time_series
from doeagenda.evaluation.power import PowerResult, power_simulation
from doeagenda.evaluation.proeftuin_conclusion import conclusion_text
from doeagenda.evaluation.proeftuin_panel import load_panel
from doeagenda.evaluation.staggered import AggregateResult, StaggeredResult, staggered_did
from doeagenda.evaluation.synth import SynthResult, synthetic_control
from doeagenda.results import NotApplicable, ResultMixin, deprecated_alias

logger = logging.getLogger(__name__)

__all__ = ["Evaluation", "Proeftuin", "ProeftuinConfig", "load_config", "load_panel", "proeftuin"]

METHODS = ("did", "event_study", "staggered", "synth", "its", "power")
#: Dutch name of each method, for the sentence shown in place of a chart it did not make.
METHOD_LABELS = {
    "did": "verschil-in-verschillen",
    "event_study": "de event study",
    "staggered": "gespreide invoering (Callaway & Sant'Anna)",
    "synth": "de synthetische controle",
    "its": "de onderbroken tijdreeks",
    "power": "de poweranalyse",
}


class ProeftuinConfig(BaseModel):
    """Parameters of a proeftuin evaluation (the notebook's parameters, YAML keys)."""

    model_config = ConfigDict(extra="forbid")

    data: str = Field(description="'voorbeeld' or the path of a CSV/XLSX panel (long format)")
    uitkomst: str = Field(description="outcome column")
    eenheid: str = Field(description="unit column (e.g. gemeente_code)")
    tijd: str = Field(description="period column (e.g. jaar)")
    start: int | float | list[int | float] | dict[str, int | float] = Field(
        description="first period of the proeftuin: one value, one per unit, or {unit: start}"
    )
    behandelde_eenheden: list[str] = Field(description="units with a proeftuin")
    methode: str | list[str] = Field(default="alle", description="'alle' or a list of methods")
    covariaten: list[str] = Field(default_factory=list)
    controle: Literal["never_treated", "not_yet_treated"] = "never_treated"
    power_effecten: list[float] | None = None
    n_sims: int = Field(default=1000, ge=100, le=100_000)
    titel: str | None = None

    @field_validator("behandelde_eenheden")
    @classmethod
    def _not_empty(cls, value: list[str]) -> list[str]:
        if not value:
            msg = "behandelde_eenheden is leeg; noem ten minste één eenheid met een proeftuin"
            raise ValueError(msg)
        return value

    def methods(self) -> list[str]:
        """The methods to run."""
        chosen = [self.methode] if isinstance(self.methode, str) else list(self.methode)
        if chosen == ["alle"]:
            return list(METHODS)
        unknown = [m for m in chosen if m not in METHODS]
        if unknown:
            msg = f"methode {unknown[0]!r} is onbekend; kies 'alle' of uit {', '.join(METHODS)}"
            raise ParameterError(msg)
        return chosen

    def starts(self) -> dict[str, float]:
        """Start period per treated unit."""
        units = self.behandelde_eenheden
        if isinstance(self.start, dict):
            missing = [u for u in units if u not in self.start]
            if missing:
                msg = f"start heeft geen waarde voor behandelde eenheid {missing[0]!r}"
                raise ParameterError(msg)
            return {u: self.start[u] for u in units}
        if isinstance(self.start, list):
            if len(self.start) != len(units):
                msg = (
                    f"start heeft {len(self.start)} waarden, maar behandelde_eenheden heeft er "
                    f"{len(units)}; geef één start per eenheid of één start voor alle"
                )
                raise ParameterError(msg)
            return dict(zip(units, self.start, strict=True))
        return dict.fromkeys(units, self.start)


def _validate(values: dict, source: str) -> ProeftuinConfig:
    try:
        return ProeftuinConfig(**values)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(bovenste niveau)"
        msg = f"{source}: parameter {where!r}: {pydantic_message(first)} (waarde {first.get('input')!r})"
        raise ParameterError(msg) from None


def load_config(path: str | Path) -> ProeftuinConfig:
    """Read and validate a proeftuin YAML (``params/proeftuinen/*.yaml``).

    Parameters
    ----------
    path : str or Path
        The YAML file; a relative ``data`` path in it is looked up next to this file first.

    Returns
    -------
    ProeftuinConfig
    """
    path = Path(path)
    values = read_yaml(path, what="proeftuinconfiguratie")
    config = _validate(values, str(path))
    data = Path(config.data)
    if config.data != "voorbeeld" and not data.is_absolute():
        candidate = (path.parent / data).resolve()
        if candidate.exists():
            config = config.model_copy(update={"data": str(candidate)})
    return config


@dataclass
class Evaluation(ResultMixin):
    """Results of :meth:`Proeftuin.evaluate`, side by side."""

    config: ProeftuinConfig
    did: DiDResult | None = None
    event_study: EventStudyResult | None = None
    staggered: StaggeredResult | None = None
    staggered_simple: AggregateResult | None = None
    synth: dict[str, SynthResult] = field(default_factory=dict)
    placebo_pvalues: dict[str, float] = field(default_factory=dict)
    its: dict[str, ITSResult] = field(default_factory=dict)
    power: PowerResult | None = None
    warnings: list[str] = field(default_factory=list)
    fouten: list[str] = field(default_factory=list)

    def vergelijking(self) -> pd.DataFrame:
        """One row per method (and treated unit): effect, interval, p-value."""
        rows = []
        if self.did is not None:
            low, high = self.did.preferred_ci
            rows.append(
                {
                    "methode": "verschil-in-verschillen",
                    "eenheid": "alle",
                    "effect": self.did.estimate,
                    "ci_laag": low,
                    "ci_hoog": high,
                    "p_waarde": self.did.preferred_pvalue,
                    "toelichting": "twee-weg vaste effecten; interval uit wild cluster bootstrap"
                    if self.did.boot_weights
                    else "twee-weg vaste effecten",
                }
            )
        if self.staggered_simple is not None:
            a = self.staggered_simple
            rows.append(
                {
                    "methode": "gespreide invoering (Callaway & Sant'Anna)",
                    "eenheid": "alle",
                    "effect": a.estimate,
                    "ci_laag": a.ci[0],
                    "ci_hoog": a.ci[1],
                    "p_waarde": a.pvalue,
                    "toelichting": "gemiddelde van ATT(g,t) na de start",
                }
            )
        for unit, res in self.synth.items():
            rows.append(
                {
                    "methode": "synthetische controle",
                    "eenheid": unit,
                    "effect": res.att,
                    "ci_laag": np.nan,
                    "ci_hoog": np.nan,
                    "p_waarde": self.placebo_pvalues.get(unit, np.nan),
                    "toelichting": f"p uit placebotoets; pre-RMSPE {res.pre_rmspe:.2f}",
                }
            )
        for unit, its_res in self.its.items():
            rows.append(
                {
                    "methode": "onderbroken tijdreeks",
                    "eenheid": unit,
                    "effect": its_res.estimate,
                    "ci_laag": its_res.ci[0],
                    "ci_hoog": its_res.ci[1],
                    "p_waarde": its_res.pvalue,
                    "toelichting": "verschil met gemiddelde van controle-eenheden, Newey-West",
                }
            )
        return pd.DataFrame(
            rows,
            columns=[
                "methode",
                "eenheid",
                "effect",
                "ci_laag",
                "ci_hoog",
                "p_waarde",
                "toelichting",
            ],
        )

    def summary(self) -> pd.DataFrame:
        """Return the effects of all methods side by side (numbers; see :meth:`vergelijking`)."""
        return self.vergelijking()

    def to_frame(self) -> pd.DataFrame:
        """Return the comparison table (as :meth:`summary`)."""
        return self.vergelijking()

    def chart(self) -> alt.LayerChart:
        """Effects of all methods with their intervals, side by side."""
        table = self.vergelijking().assign(
            label=lambda t: t["methode"] + " (" + t["eenheid"].astype(str) + ")"
        )
        base = alt.Chart(table).encode(y=alt.Y("label:N", title="", sort=None))
        tooltip = [
            "methode:N",
            "eenheid:N",
            alt.Tooltip("effect:Q", format=".2f"),
            alt.Tooltip("p_waarde:Q", format=".3f"),
        ]
        return interval_layer(
            base,
            "effect",
            "ci_laag",
            "ci_hoog",
            title=f"Effect op {self.config.uitkomst}",
            tooltip=tooltip,
            axis="x",
            size=70,
            filled=True,
        ).properties(title="Geschat effect per methode")

    grafiek = deprecated_alias("chart", "grafiek")

    def event_study_chart(self) -> alt.LayerChart | NotApplicable:
        """Pre-trend check: the event study chart."""
        if self.event_study is None:
            return self._not_run("event_study")
        return self.event_study.chart()

    def staggered_chart(self) -> alt.LayerChart | NotApplicable:
        """Callaway & Sant'Anna effects by period relative to the start."""
        if self.staggered is None:
            return self._not_run("staggered")
        return self.staggered.aggregate("dynamic").chart()

    def placebo_chart(self) -> alt.HConcatChart | NotApplicable:
        """Placebo spaghetti charts of the synthetic controls, one panel per treated unit."""
        if not self.synth:
            return self._not_run("synth")
        charts = [
            res.placebo_test()
            .chart()
            .properties(width=260, height=180, title=f"{u}: p = {res.placebo_test().pvalue:.2f}")
            for u, res in self.synth.items()
        ]
        return alt.hconcat(*charts).properties(title="Placebotoets synthetische controle")

    def synth_chart(self) -> alt.HConcatChart | NotApplicable:
        """Treated unit versus its synthetic control, one panel per treated unit."""
        if not self.synth:
            return self._not_run("synth")
        charts = [res.chart().properties(width=260, height=180) for res in self.synth.values()]
        return alt.hconcat(*charts)

    def power_chart(self) -> alt.LayerChart | NotApplicable:
        """Power curve for a next pilot of the same size."""
        if self.power is None:
            return self._not_run("power")
        return self.power.chart()

    def _not_run(self, method: str) -> NotApplicable:
        """The one sentence for a chart whose method did not run (or gave no result)."""
        label = METHOD_LABELS[method]
        if method in self.config.methods():
            return NotApplicable(
                f"{label[0].upper()}{label[1:]}: geen resultaat voor deze gegevens; zie de waarschuwingen "
                "onderaan."
            )
        return NotApplicable(
            f"Niet uitgevoerd: {label} hoort niet bij de gekozen methode; voeg '{method}' toe "
            "aan methode om dit te zien."
        )

    def warnings_text(self) -> pd.DataFrame:
        """All honesty warnings raised while evaluating."""
        notes = list(dict.fromkeys(self.warnings + self.fouten))
        index = pd.Index(range(1, len(notes) + 1), name="nr")  # readers count from 1
        return pd.DataFrame({"waarschuwing": notes}, index=index)

    def conclusion_text(self) -> str:
        """Plain-Dutch conclusion whose strength follows the evidence (Markdown)."""
        return conclusion_text(self)

    def conclusion(self):
        """The conclusion as Markdown for the notebook."""
        from IPython.display import Markdown

        return Markdown(self.conclusion_text())

    event_study_grafiek = deprecated_alias("event_study_chart", "event_study_grafiek")
    gespreid_grafiek = deprecated_alias("staggered_chart", "gespreid_grafiek")
    synth_grafiek = deprecated_alias("synth_chart", "synth_grafiek")
    placebo_grafiek = deprecated_alias("placebo_chart", "placebo_grafiek")
    power_grafiek = deprecated_alias("power_chart", "power_grafiek")
    waarschuwingen = deprecated_alias("warnings_text", "waarschuwingen")
    conclusie_tekst = deprecated_alias("conclusion_text", "conclusie_tekst")
    conclusie = deprecated_alias("conclusion", "conclusie")


#: Deprecated Dutch names of this module -> their English names (kept for one release).
_DEPRECATED = {"Evaluatie": "Evaluation"}

if TYPE_CHECKING:  # type checkers see the alias; at run time it warns (module __getattr__)
    Evaluatie = Evaluation
else:

    def __getattr__(name: str) -> Any:
        """Return a deprecated module name (``Evaluatie``) with a ``DeprecationWarning``.

        Old pickles of an ``Evaluatie`` load through here, as the English class.
        """
        if name in _DEPRECATED:
            new = _DEPRECATED[name]
            msg = f"{name} is deprecated and will be removed; use {new}"
            warnings.warn(msg, DeprecationWarning, stacklevel=2)
            return globals()[new]
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)


@dataclass
class Proeftuin(ResultMixin):
    """A validated proeftuin design with its panel."""

    config: ProeftuinConfig
    panel: pd.DataFrame

    def design(self) -> pd.DataFrame:
        """Describe the design in plain Dutch (one row per item)."""
        cfg = self.config
        starts = cfg.starts()
        times = np.sort(self.panel[cfg.tijd].unique())
        rows = [
            ("uitkomst", cfg.uitkomst),
            ("eenheden", f"{self.panel[cfg.eenheid].nunique()} ({cfg.eenheid})"),
            ("perioden", f"{len(times)} ({times[0]} tot en met {times[-1]})"),
            ("proeftuinen", ", ".join(f"{u} vanaf {s}" for u, s in starts.items())),
            (
                "vergelijkingsgroep",
                "nooit behandelde eenheden"
                if cfg.controle == "never_treated"
                else "nog niet behandelde eenheden",
            ),
            ("methoden", ", ".join(cfg.methods())),
        ]
        if cfg.data == "voorbeeld":
            rows.append(("gegevens", "verzonnen voorbeeldgegevens (bekend waar effect)"))
        return pd.DataFrame(rows, columns=["onderdeel", "waarde"])

    def _design(self) -> pd.DataFrame:
        cfg = self.config
        starts = cfg.starts()
        frame = self.panel.copy()
        first = frame[cfg.eenheid].astype(str).map({str(k): v for k, v in starts.items()})
        frame["_start"] = first.fillna(0).astype(float)
        frame["_behandeld"] = (frame["_start"] > 0).astype(int)
        frame["_na_start"] = ((frame["_start"] > 0) & (frame[cfg.tijd] >= frame["_start"])).astype(
            int
        )
        return frame

    def trends(self) -> alt.Chart:
        """Raw outcome per unit over time, proeftuinen highlighted."""
        cfg = self.config
        frame = self._design()
        frame["rol"] = np.where(frame["_behandeld"] == 1, "proeftuin", "overige")
        frame["eenheid_label"] = frame[cfg.eenheid].astype(str)
        return (
            alt.Chart(frame)
            .mark_line()
            .encode(
                x=alt.X(f"{cfg.tijd}:O", title="Periode"),
                y=alt.Y(f"{cfg.uitkomst}:Q", title=cfg.uitkomst, scale=alt.Scale(zero=False)),
                detail="eenheid_label:N",
                color=highlight_color("rol", "proeftuin", "overige"),
                strokeWidth=highlight_width("rol", "proeftuin"),
                tooltip=[
                    "eenheid_label:N",
                    f"{cfg.tijd}:O",
                    alt.Tooltip(f"{cfg.uitkomst}:Q", format=".2f"),
                ],
            )
            .properties(title=f"{cfg.uitkomst} per eenheid: proeftuinen en overige")
        )

    def summary(self) -> pd.DataFrame:
        """Return the design (as :meth:`design`)."""
        return self.design()

    def to_frame(self) -> pd.DataFrame:
        """Return the panel with the design columns (start, treated, after start)."""
        return self._design()

    def chart(self) -> alt.Chart:
        """Return the raw outcome per unit over time (as :meth:`trends`)."""
        return self.trends()

    opzet = deprecated_alias("design", "opzet")
    evalueer = deprecated_alias("evaluate", "evalueer")

    def evaluate(self) -> Evaluation:
        """Run the chosen methods; honesty warnings are collected, not lost."""
        cfg = self.config
        frame = self._design()
        out = Evaluation(config=cfg)
        starts = cfg.starts()
        methods = cfg.methods()
        args = (cfg.uitkomst, cfg.eenheid, cfg.tijd)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if "did" in methods:
                out.did = did(
                    frame, *args, "_behandeld", "_na_start", covariates=cfg.covariaten or None
                )
            if "event_study" in methods:
                out.event_study = event_study(
                    frame, *args, "_start", covariates=cfg.covariaten or None
                )
            if "staggered" in methods:
                out.staggered = staggered_did(
                    frame, *args, "_start", control=cfg.controle, covariates=cfg.covariaten or None
                )
                out.staggered_simple = out.staggered.aggregate("simple")
            controls = frame[frame["_behandeld"] == 0]
            for unit_value, start in starts.items():
                sub = pd.concat(
                    [controls, frame[frame[cfg.eenheid].astype(str) == str(unit_value)]]
                )
                treated = sub.loc[sub["_behandeld"] == 1, cfg.eenheid].iloc[0]
                if "synth" in methods:
                    try:
                        res = synthetic_control(
                            sub, cfg.uitkomst, cfg.eenheid, cfg.tijd, treated, start
                        )
                        out.synth[str(unit_value)] = res
                        out.placebo_pvalues[str(unit_value)] = res.placebo_test().pvalue
                    except DoeagendaError as error:
                        out.fouten.append(f"synthetische controle {unit_value}: {error}")
                if "its" in methods:
                    try:
                        out.its[str(unit_value)] = interrupted_time_series(
                            sub,
                            cfg.uitkomst,
                            cfg.tijd,
                            start,
                            unit=cfg.eenheid,
                            treated_unit=treated,
                        )
                    except DoeagendaError as error:
                        out.fouten.append(f"onderbroken tijdreeks {unit_value}: {error}")
            if "power" in methods:
                history = frame[frame[cfg.tijd] < min(starts.values())]
                try:
                    effects = cfg.power_effecten or _effect_grid(history, cfg)
                    out.power = power_simulation(
                        history,
                        *args,
                        n_treated=len(starts),
                        effect_sizes=effects,
                        n_sims=cfg.n_sims,
                    )
                except DoeagendaError as error:
                    out.fouten.append(f"power: {error}")
        out.warnings = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
        return out


def _effect_grid(history: pd.DataFrame, cfg: ProeftuinConfig) -> list[float]:
    sd = float(history.groupby(cfg.eenheid)[cfg.uitkomst].std().mean())
    if not np.isfinite(sd) or sd <= 0:
        sd = 1.0
    step = float(f"{sd / 2:.1g}")
    return [round(step * k, 6) for k in range(0, 9)]


def proeftuin(
    data: str,
    uitkomst: str,
    eenheid: str,
    tijd: str,
    start,
    behandelde_eenheden: list[str],
    methode: str | list[str] = "alle",
    **extra,
) -> Proeftuin:
    """Validate the parameters, load the panel and return a :class:`Proeftuin`.

    Parameters
    ----------
    data : str
        ``"voorbeeld"`` or the path of a CSV/XLSX panel.
    uitkomst, eenheid, tijd : str
        Outcome, unit and period columns.
    start
        Start period: one value, one per unit (list) or ``{unit: start}``.
    behandelde_eenheden : list of str
        Units with a proeftuin.
    methode : str or list of str
        ``"alle"`` or some of ``did, event_study, staggered, synth, its, power``.
    **extra
        Further :class:`ProeftuinConfig` fields (covariaten, controle, power_effecten, ...).

    Returns
    -------
    Proeftuin
    """
    config = _validate(
        dict(
            data=data,
            uitkomst=uitkomst,
            eenheid=eenheid,
            tijd=tijd,
            start=start,
            behandelde_eenheden=behandelde_eenheden,
            methode=methode,
            **extra,
        ),
        "parameters",
    )
    return from_config(config)


def from_config(config: ProeftuinConfig) -> Proeftuin:
    """Load and check the panel of a validated config."""
    config.methods()
    panel = load_panel(config.data)
    check_columns(panel, [config.uitkomst, config.eenheid, config.tijd, *config.covariaten])
    check_numeric(panel, config.uitkomst)
    units = set(panel[config.eenheid].astype(str))
    for unit_value in config.behandelde_eenheden:
        if str(unit_value) not in units:
            examples = ", ".join(sorted(units)[:6])
            msg = (
                f"behandelde eenheid {unit_value!r} staat niet in kolom {config.eenheid!r} van "
                f"{config.data}; eenheden zijn onder meer {examples}"
            )
            raise DataError(msg)
    times = panel[config.tijd]
    for unit_value, start in config.starts().items():
        if not (times < start).any():
            msg = f"start {start!r} van {unit_value!r} laat geen periode ervoor over (geen voorperiode)"
            raise DataError(msg)
    return Proeftuin(config=config, panel=panel)
