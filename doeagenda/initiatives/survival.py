"""Continuity of initiatives as survival: Kaplan–Meier, log-rank, Cox model, PH check.

The time scale is years since ``startdatum``. An initiative with an ``einddatum`` on or
before the *peildatum* (the date the register was last checked) has stopped (event);
every other initiative is right-censored at the peildatum: we only know it lasted at
least that long. Initiatives that started after the peildatum are left out.

Estimators are statsmodels': :class:`~statsmodels.duration.survfunc.SurvfuncRight`
(Kaplan–Meier with Greenwood standard errors), :func:`~statsmodels.duration.survfunc.survdiff`
(log-rank test) and :class:`~statsmodels.duration.hazard_regression.PHReg` (Cox model,
Efron ties). The proportional-hazards check correlates the (unscaled) Schoenfeld
residuals of each covariate with the rank of the event time and tests that correlation
(Pearson); this is the idea of R's ``cox.zph(transform = "rank")``, which uses scaled
residuals and a score test, so p-values differ somewhat from R's.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from doeagenda.charts import nl_format
from doeagenda.errors import EstimationError, ParameterError
from doeagenda.initiatives.privacy import chart_safe
from doeagenda.initiatives.register import as_register

__all__ = [
    "COX_FORMULA",
    "PROFILES",
    "CoxResult",
    "KaplanMeierResult",
    "RiskList",
    "continuity_risk",
    "cox_model",
    "financing_profile",
    "kaplan_meier",
    "survival_data",
]

logger = logging.getLogger(__name__)

_DAYS_PER_YEAR = 365.25
#: Financing profiles used to stratify Kaplan–Meier curves, in display order.
PROFILES = ("geen financiers", "alleen gemeente", "één andere financier", "meerdere financiers")
#: Default Cox model (patsy formula on the columns of :func:`survival_data`).
COX_FORMULA = "aantal_financiers + aandeel_gemeente_10 + vrijwilligers_10 + C(domein_groep)"

_TREATMENT = re.compile(r", Treatment\(reference=[^)]*\)\)")
_LABELS = {
    "aantal_financiers": "per extra financier",
    "aandeel_gemeente_10": "per 10 procentpunt gemeentelijke subsidie",
    "vrijwilligers_10": "per 10 vrijwilligers extra",
}


def _peildatum(register: pd.DataFrame, peildatum) -> pd.Timestamp:
    if peildatum is None:
        peildatum = register.attrs.get("peildatum") or dt.date.today()
    try:
        return pd.Timestamp(peildatum).normalize()
    except (ValueError, TypeError) as error:
        msg = f"peildatum {peildatum!r} is geen datum; geef bijvoorbeeld '2026-01-01'"
        raise ParameterError(msg) from error


def financing_profile(financiers: tuple) -> str:
    """Return the financing profile of one initiative (one of :data:`PROFILES`).

    Parameters
    ----------
    financiers : tuple of str
        The funders of the initiative.

    Returns
    -------
    str
    """
    funders = set(financiers or ())
    if not funders:
        return PROFILES[0]
    if funders == {"gemeente"}:
        return PROFILES[1]
    if len(funders) == 1:
        return PROFILES[2]
    return PROFILES[3]


def survival_data(register, peildatum=None, min_domain: int = 10) -> pd.DataFrame:
    """Turn a register into one row per initiative with duration, event and covariates.

    Parameters
    ----------
    register : DataFrame, path or ``"voorbeeld"``
        The register.
    peildatum : date-like, optional
        Date the register was last checked; default the register's own (the voorbeeld
        register carries it) or today.
    min_domain : int
        Domains with fewer initiatives are grouped as ``"overig"`` in ``domein_groep``.

    Returns
    -------
    DataFrame
        ``id, naam, gemeente_code, domein, domein_groep, status, duur_jaren, gestopt``
        (1 = stopped, 0 = still running: censored), ``financieringsprofiel,
        aantal_financiers, aandeel_gemeente`` (%, imputed as an equal share when the
        register leaves it empty), ``aandeel_gemeente_10, vrijwilligers,
        vrijwilligers_10``.
    """
    reg = as_register(register)
    peil = _peildatum(reg, peildatum)
    reg = reg.loc[reg["startdatum"].notna() & (reg["startdatum"] <= peil)]
    if reg.empty:
        msg = (
            "het register heeft geen initiatieven die voor de peildatum "
            f"{peil.date().isoformat()} begonnen; er valt geen looptijd te berekenen"
        )
        raise EstimationError(msg)
    stopped = reg["einddatum"].notna() & (reg["einddatum"] <= peil)
    end = reg["einddatum"].where(stopped, peil)
    years = (end - reg["startdatum"]).dt.days.clip(lower=1) / _DAYS_PER_YEAR
    n_funders = reg["financiers"].map(len).astype("float64")
    has_gm = reg["financiers"].map(lambda f: "gemeente" in f)
    share = reg["aandeel_gemeente"].copy()
    fill = np.where(has_gm, 100.0 / n_funders.clip(lower=1), 0.0)
    share = share.fillna(pd.Series(fill, index=reg.index))
    volunteers = reg["vrijwilligers"].fillna(reg["vrijwilligers"].median())
    counts = reg["domein"].value_counts()
    small = set(counts[counts < min_domain].index)
    out = pd.DataFrame(
        {
            "id": reg["id"],
            "naam": reg["naam"],
            "gemeente_code": reg["gemeente_code"],
            "domein": reg["domein"],
            "domein_groep": reg["domein"].where(~reg["domein"].isin(small), "overig"),
            "status": reg["status"],
            "duur_jaren": years.astype("float64"),
            "gestopt": stopped.astype("int64"),
            "financieringsprofiel": reg["financiers"].map(financing_profile),
            "aantal_financiers": n_funders,
            "aandeel_gemeente": share.astype("float64"),
            "aandeel_gemeente_10": share.astype("float64") / 10.0,
            "vrijwilligers": volunteers.astype("float64"),
            "vrijwilligers_10": volunteers.astype("float64") / 10.0,
        }
    ).reset_index(drop=True)
    out.attrs["peildatum"] = peil
    return out


# --------------------------------------------------------------------------- Kaplan–Meier
@dataclass
class KaplanMeierResult:
    """Kaplan–Meier curves per group and the log-rank test.

    Attributes
    ----------
    curves : DataFrame
        ``groep, jaren, overleving, onder, boven, at_risk`` (step function; 95%
        pointwise log(-log) intervals).
    groups : DataFrame
        Per group ``n, gestopt, mediaan_jaren, overleving_3_jaar, overleving_5_jaar``.
    chi2, df, p : float
        Log-rank test that all groups share one survival curve.
    by : str
        Column used for the groups.
    """

    curves: pd.DataFrame
    groups: pd.DataFrame
    chi2: float
    df: int
    p: float
    by: str

    def to_frame(self) -> pd.DataFrame:
        """Return the step curves."""
        return self.curves

    def summary(self) -> pd.DataFrame:
        """Return the per-group table with the log-rank test in its attrs."""
        out = self.groups.copy()
        out.attrs["logrank"] = {"chi2": self.chi2, "df": self.df, "p": self.p}
        return out

    def text(self) -> str:
        """Return a plain-Dutch sentence about the log-rank test."""
        if self.df == 0:
            return "Er is maar één groep: geen vergelijking mogelijk."
        if not np.isfinite(self.p):
            return (
                f"Te weinig gegevens om de overlevingscurven per "
                f"{self.by.replace('_', ' ')} te vergelijken (geen log-ranktoets)."
            )
        verdict = (
            "verschillen duidelijk"
            if self.p < 0.05
            else "verschillen niet duidelijk (het verschil kan toeval zijn)"
        )
        p_text = "p < 0,001" if self.p < 0.001 else f"p = {nl_format(self.p, 3)}"
        return (
            f"De overlevingscurven per {self.by.replace('_', ' ')} {verdict}: "
            f"log-ranktoets chi² = {nl_format(self.chi2, 1)} ({self.df} vrijheidsgraden), "
            f"{p_text}."
        )

    def _repr_markdown_(self) -> str:
        return self.text()

    def chart(self):
        """Return the Kaplan–Meier curves as a step chart with confidence bands."""
        import altair as alt

        data = self.curves
        base = alt.Chart(chart_safe(data)).encode(
            x=alt.X("jaren:Q", title="jaren sinds de start"),
            color=alt.Color(
                "groep:N",
                title=self.by.replace("_", " "),
                sort=list(dict.fromkeys(self.curves["groep"])),
            ),
        )
        band = base.mark_area(interpolate="step-after", opacity=0.15).encode(
            y=alt.Y("onder:Q"), y2="boven:Q"
        )
        line = base.mark_line(interpolate="step-after").encode(
            y=alt.Y(
                "overleving:Q",
                title="aandeel nog actief",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            tooltip=[
                alt.Tooltip("groep:N", title="groep"),
                alt.Tooltip("jaren:Q", title="jaren", format=".1f"),
                alt.Tooltip("overleving:Q", title="nog actief", format=".0%"),
                alt.Tooltip("at_risk:Q", title="nog gevolgd"),
            ],
        )
        return (band + line).properties(
            title=f"Hoe lang blijven initiatieven bestaan? (per {self.by.replace('_', ' ')})"
        )


def _km_curve(time: np.ndarray, status: np.ndarray) -> tuple[pd.DataFrame, SurvfuncRight]:
    sf = SurvfuncRight(time, status)
    t = np.concatenate([[0.0], sf.surv_times])
    s = np.concatenate([[1.0], sf.surv_prob])
    se = np.concatenate([[0.0], sf.surv_prob_se])
    at_risk = np.concatenate([[len(time)], sf.n_risk])
    with np.errstate(divide="ignore", invalid="ignore"):
        log_s = np.log(s)
        sd = se / np.abs(s * log_s)
        cll = np.log(-log_s)
        lower = np.exp(-np.exp(cll + 1.96 * sd))
        upper = np.exp(-np.exp(cll - 1.96 * sd))
    ok = np.isfinite(lower) & np.isfinite(upper)
    lower = np.where(ok, lower, s)
    upper = np.where(ok, upper, s)
    frame = pd.DataFrame(
        {"jaren": t, "overleving": s, "onder": lower, "boven": upper, "at_risk": at_risk}
    )
    frame["at_risk"] = frame["at_risk"].astype("int64")
    # carry the curve to the last follow-up time so censored tails are visible
    last = float(np.max(time))
    if last > t[-1]:
        tail = frame.iloc[[-1]].assign(jaren=last, at_risk=int(np.sum(time >= last)))
        frame = pd.concat([frame, tail], ignore_index=True)
    return frame, sf


def _surv_at(frame: pd.DataFrame, years: float) -> float:
    if frame["jaren"].max() < years:
        return float("nan")
    return float(frame.loc[frame["jaren"] <= years, "overleving"].iloc[-1])


def kaplan_meier(register, by: str = "financieringsprofiel", peildatum=None) -> KaplanMeierResult:
    """Estimate Kaplan–Meier curves per group and test their equality (log-rank).

    Parameters
    ----------
    register : DataFrame, path or ``"voorbeeld"``
        The register, or the output of :func:`survival_data`.
    by : str
        Grouping column of :func:`survival_data` (default ``financieringsprofiel``;
        also ``domein``, ``gemeente_code``, or ``None`` for one curve).
    peildatum : date-like, optional
        See :func:`survival_data`.

    Returns
    -------
    KaplanMeierResult
    """
    data = _as_survival(register, peildatum)
    if by is None:
        data = data.assign(alle="alle initiatieven")
        by = "alle"
    if by not in data.columns:
        msg = f"onbekende groepering {by!r}; kies uit {', '.join(data.columns)}"
        raise ParameterError(msg)
    order = [p for p in PROFILES if p in set(data[by])] if by == "financieringsprofiel" else None
    order = order or sorted(data[by].dropna().unique())
    curves, rows = [], []
    for group in order:
        part = data.loc[data[by] == group]
        frame, sf = _km_curve(part["duur_jaren"].to_numpy(), part["gestopt"].to_numpy())
        curves.append(frame.assign(groep=group))
        try:
            median = float(sf.quantile(0.5))
        except (ValueError, IndexError):
            median = float("nan")
        rows.append(
            {
                "groep": group,
                "n": len(part),
                "gestopt": int(part["gestopt"].sum()),
                "mediaan_jaren": median,
                "overleving_3_jaar": _surv_at(frame, 3.0),
                "overleving_5_jaar": _surv_at(frame, 5.0),
            }
        )
    curves_df = pd.concat(curves, ignore_index=True)[
        ["groep", "jaren", "overleving", "onder", "boven", "at_risk"]
    ]
    groups = pd.DataFrame(rows)
    chi2, p, df = float("nan"), float("nan"), len(order) - 1
    if len(order) > 1 and data["gestopt"].sum() > 0:
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                chi2, p = survdiff(
                    data["duur_jaren"].to_numpy(),
                    data["gestopt"].to_numpy(),
                    data[by].astype(str).to_numpy(),
                )
        except np.linalg.LinAlgError:
            logger.info("log-ranktoets niet te berekenen: te weinig gegevens per groep")
    return KaplanMeierResult(curves_df, groups, float(chi2), df, float(p), by)


def _as_survival(register, peildatum) -> pd.DataFrame:
    if isinstance(register, pd.DataFrame) and {"duur_jaren", "gestopt"} <= set(register.columns):
        return register
    return survival_data(register, peildatum=peildatum)


# --------------------------------------------------------------------------- Cox
@dataclass
class CoxResult:
    """A fitted Cox proportional-hazards model of stopping.

    Attributes
    ----------
    results : statsmodels PHRegResults
        The fitted model.
    data : DataFrame
        Survival data used (rows with complete covariates).
    formula : str
        Right-hand side of the model.
    """

    results: Any  # statsmodels PHRegResults (untyped)
    data: pd.DataFrame = field(repr=False)
    formula: str

    @property
    def reference(self) -> str | None:
        """Reference domain of the domain terms (the largest), or None."""
        match = re.search(r"Treatment\(reference='([^']*)'\)", self.formula)
        return match.group(1) if match else None

    @property
    def names(self) -> list[str]:
        """Covariate names as in the design matrix (reference-level syntax removed)."""
        return [_TREATMENT.sub(")", n) for n in self.results.model.exog_names]

    def to_frame(self) -> pd.DataFrame:
        """Return coefficients, hazard ratios and 95% intervals per covariate."""
        params = np.asarray(self.results.params)
        ci = np.asarray(self.results.conf_int())
        with np.errstate(over="ignore"):
            out = pd.DataFrame(
                {
                    "variabele": self.names,
                    "uitleg": [_label(n, self.reference) for n in self.names],
                    "coef": params,
                    "se": np.asarray(self.results.bse),
                    "hazard_ratio": np.exp(params),
                    "onder": np.exp(ci[:, 0]),
                    "boven": np.exp(ci[:, 1]),
                    "p": np.asarray(self.results.pvalues),
                }
            )
        return out

    def summary(self) -> pd.DataFrame:
        """Return the hazard-ratio table (what a reader needs)."""
        cols = ["variabele", "uitleg", "hazard_ratio", "onder", "boven", "p"]
        return self.to_frame()[cols]

    def hazard_ratio(self, name: str) -> tuple[float, float, float]:
        """Return ``(hr, lower, upper)`` for one covariate."""
        frame = self.to_frame().set_index("variabele")
        if name not in frame.index:
            msg = f"covariaat {name!r} zit niet in het model; kies uit {', '.join(frame.index)}"
            raise ParameterError(msg)
        row = frame.loc[name]
        return float(row["hazard_ratio"]), float(row["onder"]), float(row["boven"])

    def ph_check(self) -> pd.DataFrame:
        """Check proportional hazards with Schoenfeld residuals.

        For each covariate, the Schoenfeld residuals at the event times are correlated
        with the rank of the event time (Pearson); a small p-value means the effect
        changes over time and the hazard ratio is an average that hides that.

        Returns
        -------
        DataFrame
            ``variabele, correlatie, p, oordeel``.
        """
        resid = np.asarray(self.results.schoenfeld_residuals)
        time = np.asarray(self.results.model.endog)
        status = np.asarray(self.results.model.status).astype(bool)
        rows = []
        for j, name in enumerate(self.names):
            r = resid[status, j]
            t = stats.rankdata(time[status])
            keep = np.isfinite(r)
            if keep.sum() < 3 or np.std(r[keep]) == 0:
                corr, p = float("nan"), float("nan")
            else:
                corr, p = stats.pearsonr(t[keep], r[keep])
            verdict = (
                "geen gegevens"
                if np.isnan(p)
                else (
                    "effect verandert mogelijk in de tijd"
                    if p < 0.05
                    else "geen aanwijzing tegen proportionele hazards"
                )
            )
            rows.append(
                {"variabele": name, "correlatie": float(corr), "p": float(p), "oordeel": verdict}
            )
        return pd.DataFrame(rows)

    def chart(self):
        """Return a forest plot of the hazard ratios (log scale)."""
        import altair as alt

        from doeagenda.charts import PALETTE

        data = self.summary()
        data = data.assign(_domein=data["variabele"].str.startswith("C(")).sort_values(
            ["_domein", "variabele"]
        )
        order = list(data["uitleg"])
        base = alt.Chart(chart_safe(data.drop(columns="_domein"))).encode(
            y=alt.Y("uitleg:N", title=None, sort=order, axis=alt.Axis(labelLimit=320)),
        )
        rule = base.mark_rule(color=PALETTE[0]).encode(
            x=alt.X(
                "onder:Q",
                title="hazard ratio (groter dan 1 = stopt sneller)",
                scale=alt.Scale(type="log"),
            ),
            x2="boven:Q",
        )
        point = base.mark_point(filled=True, size=60, color=PALETTE[0]).encode(
            x="hazard_ratio:Q",
            tooltip=[
                alt.Tooltip("uitleg:N", title="kenmerk"),
                alt.Tooltip("hazard_ratio:Q", title="hazard ratio", format=".2f"),
                alt.Tooltip("onder:Q", title="ondergrens", format=".2f"),
                alt.Tooltip("boven:Q", title="bovengrens", format=".2f"),
            ],
        )
        one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 4]).encode(x="x:Q")
        return (rule + point + one).properties(title="Wat hangt samen met stoppen? (Cox-model)")


def _label(name: str, reference: str | None = None) -> str:
    if name in _LABELS:
        return _LABELS[name]
    if name.startswith("C(domein_groep)[T."):
        versus = f"t.o.v. {reference}" if reference else "t.o.v. het grootste domein"
        return f"domein {name[len('C(domein_groep)[T.') : -1]} ({versus})"
    return name


def cox_model(register, formula: str | None = None, peildatum=None) -> CoxResult:
    """Fit a Cox proportional-hazards model of stopping (statsmodels PHReg, Efron ties).

    Parameters
    ----------
    register : DataFrame, path or ``"voorbeeld"``
        The register, or the output of :func:`survival_data`.
    formula : str, optional
        Right-hand side in patsy syntax on the columns of :func:`survival_data`;
        default :data:`COX_FORMULA` (number of funders, municipal share per 10
        percentage points, volunteers per 10, domain group with the largest domain as
        reference).
    peildatum : date-like, optional
        See :func:`survival_data`.

    Returns
    -------
    CoxResult
    """
    data = _as_survival(register, peildatum)
    events = int(data["gestopt"].sum())
    if events < 5:
        msg = (
            f"te weinig gestopte initiatieven ({events}) voor een Cox-model; "
            "er zijn er minstens 5 nodig (liefst 10 per kenmerk in het model)"
        )
        raise EstimationError(msg)
    if formula is None:
        # the default model leaves out what the register cannot support: constant columns
        terms = []
        for term in COX_FORMULA.split(" + "):
            column = term[2:-1] if term.startswith("C(") else term
            if data[column].nunique(dropna=True) > 1:
                terms.append(term)
            else:
                logger.info("Cox-model: %s weggelaten (overal dezelfde waarde)", column)
        if not terms:
            msg = "het register heeft geen kenmerken die verschillen tussen initiatieven"
            raise EstimationError(msg)
        formula = " + ".join(terms)
    if "C(domein_groep)" in formula:
        ref = data["domein_groep"].value_counts().idxmax()
        formula = formula.replace(
            "C(domein_groep)", f"C(domein_groep, Treatment(reference={ref!r}))"
        )
    try:
        with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
            warnings.simplefilter("always")
            model = PHReg.from_formula(
                f"duur_jaren ~ {formula}", data, status=data["gestopt"].to_numpy(), ties="efron"
            )
            results = model.fit()
            bse = np.asarray(results.bse)
    except Exception as error:  # patsy and linear-algebra errors
        msg = f"het Cox-model met formule {formula!r} kan niet worden geschat: {error}"
        raise EstimationError(msg) from error
    for warning in caught:
        logger.info("Cox-model: %s", warning.message)
    params = np.asarray(results.params)
    if not (np.all(np.isfinite(params)) and np.all(np.isfinite(bse))) or np.any(bse > 50):
        msg = (
            f"het Cox-model met formule {formula!r} convergeert niet (te weinig gegevens of "
            "een kenmerk dat stoppen volledig voorspelt); gebruik minder kenmerken"
        )
        raise EstimationError(msg)
    return CoxResult(results, data, formula)


# --------------------------------------------------------------------------- risk list
@dataclass
class RiskList:
    """Running initiatives whose profile resembles those that stopped.

    Attributes
    ----------
    table : DataFrame
        ``id, naam, gemeente_code, relatief_risico, waarom`` sorted by risk.
    """

    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """Return the risk table."""
        return self.table

    def summary(self) -> pd.DataFrame:
        """Return the risk table (same as :meth:`to_frame`)."""
        return self.table

    def text(self) -> str:
        """Return the list in plain Dutch, names escaped so they show as text."""
        if self.table.empty:
            return "Geen lopende initiatieven met een verhoogd risico om te stoppen gevonden."
        lines = [
            "Lopende initiatieven die lijken op initiatieven die stopten "
            "(een signaal om het gesprek aan te gaan, geen voorspelling):"
        ]
        for row in self.table.itertuples(index=False):
            factor = f"{row.relatief_risico:.1f}".replace(".", ",")
            lines.append(
                f"- {html.escape(str(row.naam))} ({row.gemeente_code}): "
                f"{factor} keer zo grote kans om te stoppen als gemiddeld; {row.waarom}."
            )
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.text()

    def chart(self):
        """Return a bar chart of the relative risks."""
        import altair as alt

        from doeagenda.charts import HIGHLIGHT

        return (
            alt.Chart(chart_safe(self.table))
            .mark_bar(color=HIGHLIGHT)
            .encode(
                x=alt.X("relatief_risico:Q", title="kans om te stoppen t.o.v. gemiddeld"),
                y=alt.Y("naam:N", sort="-x", title=None),
                tooltip=[
                    alt.Tooltip("naam:N", title="initiatief"),
                    alt.Tooltip("relatief_risico:Q", title="relatief risico", format=".1f"),
                    alt.Tooltip("waarom:N", title="waarom"),
                ],
            )
            .properties(title="Continuïteitsrisico van lopende initiatieven")
        )


def _reason(row: pd.Series, params: pd.Series) -> str:
    parts = []
    contrib = {}
    for name in ("aantal_financiers", "aandeel_gemeente_10", "vrijwilligers_10"):
        if name in params.index:
            contrib[name] = params[name] * row[f"_d_{name}"]
    for name, value in sorted(contrib.items(), key=lambda kv: -kv[1]):
        if value <= 0.05:
            continue
        if name == "aantal_financiers":
            n = int(row["aantal_financiers"])
            parts.append("geen financiers" if n == 0 else f"maar {n} financier" + ("s" * (n > 1)))
        elif name == "aandeel_gemeente_10":
            parts.append(f"{row['aandeel_gemeente']:.0f}% van het geld komt van de gemeente")
        elif name == "vrijwilligers_10":
            parts.append(f"weinig vrijwilligers ({row['vrijwilligers']:.0f})")
    dom = f"C(domein_groep)[T.{row['domein_groep']}]"
    if dom in params.index and params[dom] > 0.2:
        parts.append(f"initiatieven in domein {row['domein_groep']} stoppen vaker")
    return ", ".join(parts) if parts else "combinatie van kenmerken"


def continuity_risk(
    register,
    gemeente: str | None = None,
    top: int = 10,
    threshold: float = 1.5,
    peildatum=None,
    formula: str | None = None,
) -> RiskList:
    """List running initiatives that resemble initiatives that stopped.

    The Cox model (:func:`cox_model`) is fitted on the whole register; each running
    initiative's relative risk is ``exp(x·b − mean(x·b))`` over all initiatives, i.e.
    how many times the average hazard of stopping its profile carries.

    Parameters
    ----------
    register : DataFrame, path or ``"voorbeeld"``
        The register.
    gemeente : str, optional
        Only list initiatives of this gemeente (the model still uses all).
    top : int
        Maximum number listed.
    threshold : float
        Only list relative risks at least this high.
    peildatum : date-like, optional
        See :func:`survival_data`.
    formula : str, optional
        Cox model formula (default :data:`COX_FORMULA`).

    Returns
    -------
    RiskList
    """
    cox = cox_model(register, formula=formula, peildatum=peildatum)
    data = cox.data.reset_index(drop=True)
    exog = np.asarray(cox.results.model.exog)
    params = np.asarray(cox.results.params)
    lp = exog @ params
    data = data.assign(relatief_risico=np.exp(lp - lp.mean()))
    pseries = pd.Series(params, index=cox.names)
    for name in ("aantal_financiers", "aandeel_gemeente_10", "vrijwilligers_10"):
        if name in data.columns:
            data[f"_d_{name}"] = data[name] - data[name].mean()
    running = data.loc[data["gestopt"] == 0]
    if gemeente is not None:
        running = running.loc[running["gemeente_code"] == gemeente.upper()]
    running = running.loc[running["relatief_risico"] >= threshold]
    running = running.sort_values("relatief_risico", ascending=False).head(top)
    reasons = [_reason(row, pseries) for _, row in running.iterrows()]
    table = running[["id", "naam", "gemeente_code", "relatief_risico"]].assign(waarom=reasons)
    return RiskList(table.reset_index(drop=True))
