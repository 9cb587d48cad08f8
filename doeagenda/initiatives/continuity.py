"""The continuity-risk list: running initiatives whose profile resembles those that stopped."""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd

from doeagenda.initiatives.cox import cox_model
from doeagenda.initiatives.privacy import chart_safe
from doeagenda.results import NotApplicable, TextResultMixin

__all__ = ["RiskList", "continuity_risk"]


# --------------------------------------------------------------------------- risk list
@dataclass
class RiskList(TextResultMixin):
    """Running initiatives whose profile resembles those that stopped.

    Attributes
    ----------
    table : DataFrame
        ``id, naam, gemeente_code, relatief_risico, waarom`` sorted by risk.
    """

    table: pd.DataFrame

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
) -> RiskList | NotApplicable:
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
    RiskList or NotApplicable
        The Cox model's :class:`~doeagenda.results.NotApplicable` sentence when the
        register cannot feed it.
    """
    cox = cox_model(register, formula=formula, peildatum=peildatum)
    if isinstance(cox, NotApplicable):
        return cox
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
