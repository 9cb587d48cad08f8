"""Interrupted time series: segmented regression with Newey–West (HAC) standard errors.

The model (Wagner et al. 2002; Bernal, Cummins & Gasparrini 2017) on the period index
``k = 0, 1, ...``::

    y_k = b0 + b1 k + b2 post_k + b3 (k - k0) post_k [+ season dummies] + e_k

``b2`` is the level change at the start ``k0`` and ``b3`` the slope change. The average
effect over the post-period is ``b2 + b3 * mean(k - k0 | post)``. Standard errors are
Newey–West HAC (statsmodels ``cov_type="HAC"``, Bartlett kernel, small-sample
correction) with ``maxlags = floor(4 (T/100)^(2/9))`` by default (Newey & West 1994).

With a control series (``unit`` + ``treated_unit``; the control is the mean of the
other units, or ``control_units``) the same regression is run on the difference
``treated - control`` (comparative ITS): ``b2``/``b3`` are then the level/slope change
relative to the control, which removes shocks common to both series.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import altair as alt
import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from doeagenda.charts import MUTED, PALETTE, highlight_color
from doeagenda.errors import DataError, EstimationError, ParameterError
from doeagenda.evaluation._common import (
    estimate_rows,
    excludes_zero,
    prepare_panel,
    summary_frame,
    time_label,
)
from doeagenda.results import ResultMixin

__all__ = ["ITSResult", "interrupted_time_series"]


@dataclass
class ITSResult(ResultMixin):
    """Result of :func:`interrupted_time_series`.

    Attributes
    ----------
    estimate, se, ci, pvalue
        Average effect over the post-period (level + slope change), HAC inference.
    level_change, level_se, slope_change, slope_se : float
    coefficients : DataFrame
        All regression coefficients with HAC standard errors.
    series : DataFrame
        ``time, observed, fitted, counterfactual`` (of the analysed series).
    """

    estimate: float
    se: float
    ci: tuple[float, float]
    pvalue: float
    level_change: float
    level_se: float
    slope_change: float
    slope_se: float
    coefficients: pd.DataFrame
    series: pd.DataFrame
    maxlags: int
    n_obs: int
    method: str
    outcome: str
    start: object
    alpha: float = 0.05
    warnings: list[str] = field(default_factory=list)

    @property
    def significant(self) -> bool:
        """True when the confidence interval of the average effect excludes zero."""
        return excludes_zero(self.ci)

    def summary(self) -> pd.DataFrame:
        """Summarise the effects (Dutch labels)."""
        rows = [
            *estimate_rows(
                self.method,
                self.estimate,
                self.se,
                self.ci,
                self.pvalue,
                self.alpha,
                estimate_label="gemiddeld effect na de start",
                se_label="standaardfout (Newey-West)",
            ),
            ("niveauverandering bij de start", self.level_change),
            ("hellingsverandering per periode", self.slope_change),
            ("Newey-West lags", self.maxlags),
            ("perioden", self.n_obs),
        ]
        return summary_frame(rows, self.warnings)

    #: :meth:`to_frame` copies the observed, fitted and counterfactual series.
    frame_attribute = "series"

    def chart(self) -> alt.LayerChart:
        """Observed values, fitted segments and the counterfactual trend."""
        is_date = pd.api.types.is_datetime64_any_dtype(self.series["time"])
        xtype = "T" if is_date else "O"
        long = self.series.melt(
            id_vars="time", value_vars=["fitted", "counterfactual"], var_name="lijn"
        )
        long["lijn"] = long["lijn"].map({"fitted": "model", "counterfactual": "zonder proeftuin"})
        points = (
            alt.Chart(self.series)
            .mark_point(color=MUTED, filled=True)
            .encode(
                x=alt.X(f"time:{xtype}", title="Periode"),
                y=alt.Y("observed:Q", title=self.outcome, scale=alt.Scale(zero=False)),
                tooltip=[alt.Tooltip(f"time:{xtype}"), alt.Tooltip("observed:Q", format=".2f")],
            )
        )
        lines = (
            alt.Chart(long)
            .mark_line()
            .encode(
                x=f"time:{xtype}",
                y="value:Q",
                color=highlight_color("lijn", "model", "zonder proeftuin", other_color=PALETTE[0]),
                strokeDash=alt.StrokeDash("lijn:N", legend=None),
            )
        )
        return alt.layer(points, lines).properties(
            title=f"Onderbroken tijdreeks: gemiddeld effect {self.estimate:.2f}"
        )


def _series_from(
    frame: pd.DataFrame,
    outcome: str,
    time: str,
    unit: str | None,
    treated_unit,
    control_units,
) -> tuple[pd.Series, str]:
    if unit is None:
        return frame.set_index(time)[
            outcome
        ], "onderbroken tijdreeks (segmentregressie, Newey-West)"
    units = frame[unit].unique().tolist()
    if treated_unit is None:
        if len(units) == 1:
            return frame.set_index(time)[
                outcome
            ], "onderbroken tijdreeks (segmentregressie, Newey-West)"
        msg = f"de gegevens hebben {len(units)} eenheden in {unit!r}; geef treated_unit=... om de reeks te kiezen"
        raise ParameterError(msg)
    if treated_unit not in units:
        msg = f"behandelde eenheid {treated_unit!r} staat niet in kolom {unit!r}; controleer de spelling"
        raise DataError(msg)
    wide = frame.pivot(index=time, columns=unit, values=outcome).sort_index()
    treated = wide[treated_unit]
    controls = (
        [u for u in units if u != treated_unit] if control_units is None else list(control_units)
    )
    missing = [c for c in controls if c not in wide.columns]
    if missing:
        msg = f"controle-eenheid {missing[0]!r} staat niet in kolom {unit!r}"
        raise DataError(msg)
    if not controls:
        return treated.dropna(), "onderbroken tijdreeks (segmentregressie, Newey-West)"
    control = wide[controls].mean(axis=1)
    diff = (treated - control).dropna()
    return diff, "vergelijkende onderbroken tijdreeks (verschil met controlereeks, Newey-West)"


def interrupted_time_series(
    data: pd.DataFrame,
    outcome: str,
    time: str,
    start,
    unit: str | None = None,
    seasonal: int | str | None = None,
    *,
    treated_unit=None,
    control_units: list | None = None,
    maxlags: int | None = None,
    alpha: float = 0.05,
) -> ITSResult:
    """Estimate level and slope changes of a series at ``start`` (segmented regression).

    Parameters
    ----------
    data : DataFrame
        One row per period (or a panel with ``unit``).
    outcome, time : str
        Column names.
    start
        First period of the intervention.
    unit : str, optional
        Unit column when ``data`` is a panel.
    seasonal : int or str, optional
        Period length (e.g. 12 for months) for season dummies, or a column with season
        labels.
    treated_unit : optional
        The unit whose series is analysed (with ``unit``).
    control_units : list, optional
        Units averaged into the control series (default: all other units; ``[]`` for none).
    maxlags : int, optional
        Newey–West lags (default ``floor(4 (T/100)^(2/9))``).
    alpha : float
        1 - confidence level.

    Returns
    -------
    ITSResult
    """
    extra = [seasonal] if isinstance(seasonal, str) else []
    frame = prepare_panel(data, outcome, unit, time, extra=extra)
    series, method = _series_from(frame, outcome, time, unit, treated_unit, control_units)
    series = series.sort_index()
    times = series.index.to_numpy()
    k = np.arange(len(times), dtype=float)
    post = times >= start
    n_pre, n_post = int((~post).sum()), int(post.sum())
    if n_pre < 3:
        msg = (
            f"te korte voorperiode: {n_pre} periode(n) voor start={start!r}; een onderbroken "
            "tijdreeks vraagt er ten minste 3 (liever 8 of meer)"
        )
        raise EstimationError(msg)
    if n_post < 2:
        msg = f"te korte naperiode: {n_post} periode(n) vanaf start={start!r}; er zijn er ten minste 2 nodig"
        raise EstimationError(msg)
    k0 = k[post][0]
    cols = {
        "constante": np.ones_like(k),
        "trend": k,
        "niveau": post.astype(float),
        "helling": np.where(post, k - k0, 0.0),
    }
    x = pd.DataFrame(cols)
    if seasonal is not None:
        if isinstance(seasonal, str):
            season = frame.drop_duplicates(time).set_index(time)[seasonal].reindex(times)
            dummies = pd.get_dummies(season.astype(str), prefix="seizoen", drop_first=True).astype(
                float
            )
        else:
            if int(seasonal) < 2:
                msg = f"seasonal={seasonal!r} moet een periodelengte van ten minste 2 zijn (of een kolomnaam)"
                raise ParameterError(msg)
            dummies = pd.get_dummies(
                pd.Series(k.astype(int) % int(seasonal)).astype(str),
                prefix="seizoen",
                drop_first=True,
            ).astype(float)
        x = pd.concat([x, dummies.reset_index(drop=True)], axis=1)
    yv = series.to_numpy(float)
    if len(yv) <= x.shape[1]:
        msg = f"te weinig perioden ({len(yv)}) voor {x.shape[1]} coëfficiënten; laat de seizoenstermen weg"
        raise EstimationError(msg)
    lags = int(np.floor(4 * (len(yv) / 100) ** (2 / 9))) if maxlags is None else int(maxlags)
    model = sm.OLS(yv, x)
    res = model.fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True}, use_t=True)
    beta = res.params.to_numpy()
    cov = np.asarray(res.cov_params())
    names = list(x.columns)
    i2, i3 = names.index("niveau"), names.index("helling")
    grad = np.zeros(len(beta))
    grad[i2] = 1.0
    grad[i3] = float(np.mean(k[post] - k0))
    est = float(grad @ beta)
    se = float(np.sqrt(grad @ cov @ grad))
    df = res.df_resid
    crit = stats.t.ppf(1 - alpha / 2, df)
    p = float(2 * stats.t.sf(abs(est / se), df)) if se > 0 else float("nan")
    counter = x.copy()
    counter["niveau"] = 0.0
    counter["helling"] = 0.0
    ser = pd.DataFrame(
        {
            "time": times,
            "observed": yv,
            "fitted": res.fittedvalues.to_numpy(),
            "counterfactual": counter.to_numpy() @ beta,
        }
    )
    coefs = pd.DataFrame(
        {
            "term": names,
            "estimate": beta,
            "se": res.bse.to_numpy(),
            "pvalue": res.pvalues.to_numpy(),
        }
    )
    notes: list[str] = []
    if n_pre < 8:
        notes.append(
            f"Korte voorperiode ({n_pre} perioden): de trend vóór de start is onzeker en "
            "het effect hangt sterk af van de aanname dat die trend zonder proeftuin doorloopt."
        )
    return ITSResult(
        estimate=est,
        se=se,
        ci=(est - crit * se, est + crit * se),
        pvalue=p,
        level_change=float(beta[i2]),
        level_se=float(np.sqrt(cov[i2, i2])),
        slope_change=float(beta[i3]),
        slope_se=float(np.sqrt(cov[i3, i3])),
        coefficients=coefs,
        series=ser,
        maxlags=lags,
        n_obs=len(yv),
        method=method,
        outcome=outcome,
        start=time_label(start),
        alpha=alpha,
        warnings=notes,
    )
