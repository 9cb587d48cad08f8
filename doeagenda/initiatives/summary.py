"""A short Dutch summary of a register, for the CLI and the notebook."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field

import pandas as pd

from doeagenda.charts import nl_format
from doeagenda.errors import ParameterError
from doeagenda.initiatives.columns import KIND_LOCAL
from doeagenda.initiatives.counts import counts_by
from doeagenda.initiatives.lifetimes import _peildatum, initiatives_only, with_stop_dates
from doeagenda.initiatives.network import network
from doeagenda.initiatives.privacy import chart_safe
from doeagenda.initiatives.register import as_register
from doeagenda.initiatives.survival import cox_model, kaplan_meier
from doeagenda.initiatives.visibility import _check_gemeente, visibility
from doeagenda.results import NotApplicable, ResultMixin

__all__ = ["Summary", "summary"]

logger = logging.getLogger(__name__)


@dataclass
class Summary(ResultMixin):
    """Key figures and plain-Dutch sentences about a register.

    Attributes
    ----------
    figures : DataFrame
        ``kenmerk, waarde`` (Dutch labels, values as display text).
    sentences : list of str
        The summary in plain Dutch (names escaped where they occur).
    """

    figures: pd.DataFrame
    sentences: list[str] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        """Return the key figures."""
        return self.figures

    def summary(self) -> pd.DataFrame:
        """Return the key figures (same as :meth:`to_frame`)."""
        return self.figures

    def text(self) -> str:
        """Return the summary as plain text, one sentence per line."""
        return "\n".join(self.sentences)

    def _repr_markdown_(self) -> str:
        return "\n".join(f"- {s}" for s in self.sentences)

    def chart(self):
        """Return a bar chart of the numeric key figures."""
        import altair as alt

        return (
            alt.Chart(chart_safe(self.figures))
            .mark_text(align="left")
            .encode(y=alt.Y("kenmerk:N", title=None, sort=None), text="waarde:N")
            .properties(title="Kerncijfers van het register")
        )


def _rate(value: float) -> str:
    return nl_format(value, 1 if value >= 1 else 2)


def summary(register, gemeente: str | None = None, peildatum=None) -> Summary:
    """Summarise a register in plain Dutch: how many, where, how long, with whom.

    Parameters
    ----------
    register : DataFrame, path or ``"voorbeeld"``
        The register.
    gemeente : str, optional
        Gemeente to compare with the province.
    peildatum : date-like, optional
        See :func:`~doeagenda.initiatives.visibility.running`.

    Returns
    -------
    Summary
    """
    reg = as_register(register)
    peil = _peildatum(reg, peildatum)
    code = _check_gemeente(gemeente, None)
    vis = visibility(reg, code, peildatum=peil)
    table = vis.gemeenten.set_index("gemeente_code")
    counted = initiatives_only(reg)
    stopped = int((counted["einddatum"].notna() & (counted["einddatum"] <= peil)).sum())
    snapshot = len(counted) > 0 and with_stop_dates(counted).empty
    figures = {
        "peildatum": peil.date().isoformat(),
        "initiatieven in het register": nl_format(len(counted)),
        "waarvan gestopt": "onbekend (momentopname)" if snapshot else nl_format(stopped),
        "lopend in de provincie": nl_format(table["lopend"].sum()),
        f"per 10.000 inwoners (provincie {vis.provincie})": _rate(vis.rate_province()),
    }
    sentences = [
        f"Het register telt {nl_format(len(counted))} initiatieven; {nl_format(stopped)} daarvan "
        f"zijn gestopt (peildatum {peil.date().isoformat()}).",
    ]
    if snapshot:
        sentences = [
            f"Het register telt {nl_format(len(counted))} initiatieven op de peildatum "
            f"{peil.date().isoformat()}; het is een momentopname zonder einddatums."
        ]
    projects = len(reg) - len(counted)
    if projects:
        kinds = reg.loc[~reg.index.isin(counted.index), "soort"].value_counts()
        listed = ", ".join(f"{nl_format(n)} {_plural(kind, n)}" for kind, n in kinds.items())
        sentences.append(
            f"Daarnaast staan er {nl_format(projects)} projecten van initiatieven in ({listed}); "
            "die tellen niet als apart initiatief."
        )
        figures["projecten van initiatieven"] = nl_format(projects)
    sentences.append(
        f"In provincie {vis.provincie} lopen er {_rate(vis.rate_province())} per 10.000 inwoners."
    )
    if code:
        row = table.loc[code]
        gname = html.escape(str(row["gemeente"]))
        compare = "meer dan" if row["per_10000"] > vis.rate_province() else "minder dan"
        if abs(row["per_10000"] - vis.rate_province()) < 0.05 * vis.rate_province():
            compare = "ongeveer evenveel als"
        figures[f"lopend in {row['gemeente']}"] = nl_format(row["lopend"])
        figures[f"per 10.000 inwoners ({row['gemeente']})"] = _rate(row["per_10000"])
        sentences.append(
            f"In {gname} lopen {nl_format(row['lopend'])} initiatieven: "
            f"{_rate(row['per_10000'])} per 10.000 inwoners, {compare} in de provincie."
        )
        domains = counts_by(reg, "domein", code, peildatum=peil)
        if isinstance(domains, pd.DataFrame):
            top = domains.sort_values("gemeente", ascending=False).head(3)
            top = top.loc[top["gemeente"] > 0]
            if len(top):
                sentences.append(
                    "De meeste lopende initiatieven in de gemeente gaan over "
                    + ", ".join(html.escape(str(d)) for d in top["domein"])
                    + "."
                )
    if code and "soort" in reg.columns and (reg["soort"] == KIND_LOCAL).any():
        from doeagenda.initiatives.energie import energy_profile

        energy = energy_profile(reg, code)
        if not isinstance(energy, NotApplicable):
            sentences.append(energy.text())
    km = kaplan_meier(reg, peildatum=peil)
    if isinstance(km, NotApplicable):
        sentences.append(f"Geen overlevingsanalyse. {km.reason}")
    else:
        sentences.append(km.text())
        cox = cox_model(reg, peildatum=peil)
        if isinstance(cox, NotApplicable):
            sentences.append(cox.reason)
        else:
            try:
                hr, lo, hi = cox.hazard_ratio("aantal_financiers")
            except ParameterError:  # the model left the funders out (all the same)
                logger.info("Cox-model zonder aantal financiers: geen hazard ratio per financier")
            else:
                word = "kleiner" if hr < 1 else "groter"
                sentences.append(
                    f"Met elke extra financier is de kans om te stoppen {word} "
                    f"(hazard ratio {nl_format(hr, 2)}, 95%-interval {nl_format(lo, 2)} tot "
                    f"{nl_format(hi, 2)})."
                )
                figures["hazard ratio per extra financier"] = nl_format(hr, 2)
    net = network(reg, code)
    if isinstance(net, NotApplicable):
        sentences.append(f"Geen netwerk. {net.reason}")
    else:
        cent = net.centrality()
        if len(cent):
            first = cent.iloc[0]
            where = " in de gemeente" if code else ""
            sentences.append(
                f"De partner met de meeste initiatieven{where} is "
                f"{html.escape(str(first['partner']))} ({first['type']}, "
                f"{nl_format(first['initiatieven'])} initiatieven)."
            )
            figures["partners"] = nl_format(len(cent))
    frame = pd.DataFrame({"kenmerk": list(figures), "waarde": [str(v) for v in figures.values()]})
    return Summary(frame, sentences)


_PLURAL = {
    "productiecoöperatie": "productiecoöperaties",
    "collectief zonproject": "collectieve zonprojecten",
    "collectief windproject": "collectieve windprojecten",
}


def _plural(kind: object, count: int) -> str:
    return str(kind) if count == 1 else _PLURAL.get(str(kind), str(kind))
