"""The plain-Dutch conclusion of a proeftuin evaluation, its strength following the evidence.

:func:`conclusion_text` writes what :meth:`doeagenda.evaluation.proeftuin.Evaluation.conclusion`
shows: a headline from the preferred estimate (staggered or plain difference-in-differences),
weakened by a pre-trend or by methods that disagree, with notes on the placebo test, the design's
power and invented *voorbeeld* data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from doeagenda.evaluation.voorbeeld import TRUE_EFFECT

if TYPE_CHECKING:
    from doeagenda.evaluation.proeftuin import Evaluation

__all__ = ["conclusion_text"]


def _nl(value: float, decimals: int = 2) -> str:
    from doeagenda.charts import nl_format

    return nl_format(float(value), decimals)


def conclusion_text(ev: Evaluation) -> str:
    """Return the conclusion of an evaluation as Markdown (a heading, a verdict, notes)."""
    cfg = ev.config
    primary = None
    singleton = ev.staggered is not None and any("één eenheid" in w for w in ev.staggered.warnings)
    if singleton and ev.did is not None and ev.did.boot_weights:
        # C&S standard errors ignore a one-unit group's own noise: use the DiD with its
        # wild cluster bootstrap interval as the headline (the C&S estimate is in the table)
        primary = (
            "verschil-in-verschillen (interval uit wild cluster bootstrap)",
            ev.did.estimate,
            ev.did.preferred_ci,
            ev.did.preferred_pvalue,
        )
    elif ev.staggered_simple is not None and len(set(cfg.starts().values())) > 1:
        a = ev.staggered_simple
        primary = (
            "gespreide verschil-in-verschillen (Callaway & Sant'Anna)",
            a.estimate,
            a.ci,
            a.pvalue,
        )
    elif ev.did is not None:
        primary = (
            "verschil-in-verschillen",
            ev.did.estimate,
            ev.did.preferred_ci,
            ev.did.preferred_pvalue,
        )
    elif ev.staggered_simple is not None:
        a = ev.staggered_simple
        primary = ("gespreide verschil-in-verschillen", a.estimate, a.ci, a.pvalue)
    lines = [f"## Conclusie: {cfg.titel or cfg.uitkomst}", ""]
    if primary is None:
        lines.append(
            "Er is geen verschil-in-verschillen geschat, dus er is geen hoofdconclusie. "
            "Bekijk de afzonderlijke methoden hierboven."
        )
        return "\n".join(lines)
    name, est, ci, _p = primary
    low, high = ci
    significant = low > 0 or high < 0
    pretrend = ev.event_study is not None and any("Pre-trend" in w for w in ev.event_study.warnings)
    others = [r.att for r in ev.synth.values()] + [r.estimate for r in ev.its.values()]
    same_sign = [np.sign(o) == np.sign(est) for o in others]
    agree = not others or np.mean(same_sign) >= 0.75
    placebo_ok = [p_ <= 0.1 for p_ in ev.placebo_pvalues.values()]
    direction = "hoger" if est > 0 else "lager"
    interval = f"{_nl(low)} tot {_nl(high)}"
    if significant and not pretrend and agree:
        lines.append(
            f"**De proeftuin heeft waarschijnlijk effect gehad.** Volgens de {name} ligt "
            f"{cfg.uitkomst} in de proeftuinen na de start gemiddeld {_nl(abs(est))} {direction} "
            f"dan zonder proeftuin te verwachten was (95%-interval {interval}). Het interval "
            "bevat geen nul en de andere methoden wijzen dezelfde kant op."
        )
    elif significant:
        reasons = []
        if pretrend:
            reasons.append("vóór de start liepen de proeftuinen en de vergelijkingsgroep al uiteen")
        if not agree:
            reasons.append("de methoden zijn het niet eens over de richting")
        lines.append(
            f"**Er is een aanwijzing voor een effect, maar het bewijs is niet sterk.** De {name} "
            f"geeft {_nl(est)} (95%-interval {interval}), maar {' en '.join(reasons)}. "
            "Trek nog geen harde conclusie."
        )
    else:
        lines.append(
            f"**Geen aantoonbaar effect.** De {name} geeft {_nl(est)}, maar het 95%-interval "
            f"({interval}) bevat nul: het verschil kan toeval zijn. Dat bewijst niet dat de "
            "proeftuin niets doet; een klein effect kan dit onderzoek niet van toeval onderscheiden."
        )
    if ev.synth:
        n_ok = sum(placebo_ok)
        lines.append(
            f"- Synthetische controle: in {n_ok} van {len(placebo_ok)} proeftuinen is het verschil "
            "groter dan bij de meeste nep-proeftuinen (placebotoets p ≤ 0,10)."
        )
    if ev.event_study is not None:
        if pretrend:
            lines.append(
                "- Let op: vóór de start liepen de groepen al uiteen (zie de event study)."
            )
        else:
            lines.append("- Vóór de start liepen de groepen niet aantoonbaar uiteen (event study).")
    if ev.power is not None and np.isfinite(ev.power.mde_size_adjusted):
        lines.append(
            f"- Ontwerp: met {ev.power.n_treated} proeftuinen is een effect vanaf ongeveer "
            f"{_nl(ev.power.mde_size_adjusted)} met 80% kans aantoonbaar."
        )
    if cfg.data == "voorbeeld":
        lines.append(
            f"- Dit zijn verzonnen *voorbeeld*gegevens met een bekend waar effect van {_nl(TRUE_EFFECT, 1)} "
            "op `deelname` en 0 op `tevredenheid`."
        )
    if ev.warnings:
        lines.append(
            f"- Er zijn {len(set(ev.warnings))} waarschuwingen; zie de tabel met waarschuwingen."
        )
    return "\n".join(lines)
