"""Cox proportional-hazards model of stopping, and its proportional-hazards check.

The design matrix comes from the patsy formula; the model is fitted by
:func:`~doeagenda.initiatives.coxph.fit_cox` (Newton–Raphson on the Efron partial
likelihood, checked against lifelines and statsmodels; see that module for why neither
is used).
The proportional-hazards check correlates the (unscaled) Schoenfeld residuals of each
covariate with the rank of the event time and tests that correlation (Pearson); this is
the idea of R's ``cox.zph(transform = "rank")``, which uses scaled residuals and a score
test, so p-values differ somewhat from R's.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import patsy
from scipy import stats

from doeagenda.errors import EstimationError, ParameterError
from doeagenda.initiatives.coxph import CoxFit, fit_cox
from doeagenda.initiatives.lifetimes import COX_FORMULA, _as_survival, survival_gate
from doeagenda.initiatives.privacy import chart_safe
from doeagenda.results import NotApplicable, ResultMixin

__all__ = ["CoxResult", "cox_model"]

logger = logging.getLogger(__name__)

_TREATMENT = re.compile(r", Treatment\(reference=[^)]*\)\)")
_LABELS = {
    "aantal_financiers": "per extra financier",
    "aandeel_gemeente_10": "per 10 procentpunt gemeentelijke subsidie",
    "vrijwilligers_10": "per 10 vrijwilligers extra",
}


# --------------------------------------------------------------------------- Cox
@dataclass
class CoxResult(ResultMixin):
    """A fitted Cox proportional-hazards model of stopping.

    Attributes
    ----------
    results : CoxFit
        The fitted model (coefficients, covariance, design matrix).
    data : DataFrame
        Survival data used (rows with complete covariates).
    formula : str
        Right-hand side of the model.
    """

    results: CoxFit
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

        from doeagenda.charts import PALETTE, interval_tooltip, reference_line

        data = self.summary()
        data = data.assign(_domein=data["variabele"].str.startswith("C(")).sort_values(
            ["_domein", "variabele"]
        )
        order = list(data["uitleg"])
        base = alt.Chart(chart_safe(data.drop(columns="_domein"))).encode(
            y=alt.Y("uitleg:N", title=None, sort=order),
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
                *interval_tooltip("hazard_ratio", "onder", "boven", "hazard ratio"),
            ],
        )
        one = reference_line(1.0, "x", color=None, strokeDash=[4, 4])
        return (rule + point + one).properties(title="Wat hangt samen met stoppen? (Cox-model)")


def _label(name: str, reference: str | None = None) -> str:
    if name in _LABELS:
        return _LABELS[name]
    if name.startswith("C(domein_groep)[T."):
        versus = f"t.o.v. {reference}" if reference else "t.o.v. het grootste domein"
        return f"domein {name[len('C(domein_groep)[T.') : -1]} ({versus})"
    return name


#: Stopped initiatives the Cox model needs at least.
MIN_EVENTS = 5


def cox_model(register, formula: str | None = None, peildatum=None) -> CoxResult | NotApplicable:
    """Fit a Cox proportional-hazards model of stopping (Efron ties, :mod:`~doeagenda.initiatives.coxph`).

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
    CoxResult or NotApplicable
        A :class:`~doeagenda.results.NotApplicable` sentence when the register lacks what
        the model needs: stop dates (a snapshot such as ``energie_2019``), at least
        :data:`MIN_EVENTS` stopped initiatives, or characteristics that differ.

    Raises
    ------
    EstimationError
        When a formula the user gave cannot be estimated.
    """
    gate = survival_gate(register, peildatum, min_events=MIN_EVENTS)
    if gate is not None:
        return gate
    data = _as_survival(register, peildatum)
    default = formula is None
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
            return NotApplicable(
                "Het Cox-model is niet van toepassing: financiers, aandeel_gemeente, "
                "vrijwilligers en domein verschillen niet tussen de initiatieven van dit "
                "register; vul die kolommen in (zie docs/register.md)."
            )
        formula = " + ".join(terms)
    if "C(domein_groep)" in formula:
        ref = data["domein_groep"].value_counts().idxmax()
        formula = formula.replace(
            "C(domein_groep)", f"C(domein_groep, Treatment(reference={ref!r}))"
        )
    try:
        with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
            warnings.simplefilter("always")
            design = patsy.dmatrix(formula, data, return_type="dataframe", NA_action="drop")
            design = design.drop(columns="Intercept", errors="ignore")
            rows = data.loc[design.index]
            results = fit_cox(
                design.to_numpy(float),
                rows["duur_jaren"].to_numpy(float),
                rows["gestopt"].to_numpy(),
                list(design.columns),
            )
            bse = np.asarray(results.bse)
    except Exception as error:  # patsy and linear-algebra errors
        if default:  # the register, not the user's formula, lacks what the model needs
            return NotApplicable(
                "Het Cox-model is niet van toepassing: met de gegevens van dit register is het "
                f"niet te schatten ({error}); vul meer gestopte initiatieven en hun kenmerken in."
            )
        msg = f"het Cox-model met formule {formula!r} kan niet worden geschat: {error}"
        raise EstimationError(msg) from error
    for warning in caught:
        logger.info("Cox-model: %s", warning.message)
    params = np.asarray(results.params)
    if not (np.all(np.isfinite(params)) and np.all(np.isfinite(bse))) or np.any(bse > 50):
        if default:
            return NotApplicable(
                "Het Cox-model is niet van toepassing: het convergeert niet op dit register "
                "(te weinig gestopte initiatieven, of een kenmerk dat stoppen volledig "
                "voorspelt); vul meer gestopte initiatieven in."
            )
        msg = (
            f"het Cox-model met formule {formula!r} convergeert niet (te weinig gegevens of "
            "een kenmerk dat stoppen volledig voorspelt); gebruik minder kenmerken"
        )
        raise EstimationError(msg)
    return CoxResult(results, rows, formula)
