"""Running initiatives counted by a column of the register (domein, doelgroep, thema, status)."""

from __future__ import annotations

from doeagenda.errors import ParameterError
from doeagenda.initiatives.visibility import _check_gemeente, _data, resolve_provincie, running
from doeagenda.results import NotApplicable

__all__ = ["counts_by", "counts_view"]


def counts_by(register, by: str = "domein", gemeente: str | None = None, peildatum=None):
    """Count running initiatives per domain or target group, gemeente vs province.

    Parameters
    ----------
    register : DataFrame, path or ``"voorbeeld"``
        The register.
    by : {"domein", "doelgroep", "thema", "status"}
        Column to count by.
    gemeente : str, optional
        Also give the shares for this gemeente.
    peildatum : date-like, optional
        See :func:`running`.

    Returns
    -------
    DataFrame or NotApplicable
        ``<by>, provincie, aandeel_provincie`` (the running initiatives of the
        gemeente's provincie, see :func:`resolve_provincie`) and, with a gemeente,
        ``gemeente, aandeel_gemeente``; a :class:`~doeagenda.results.NotApplicable` sentence when
        the register leaves the column empty.
    """
    if by not in ("domein", "doelgroep", "thema", "status"):
        msg = f"onbekende indeling {by!r}; kies domein, doelgroep, thema of status"
        raise ParameterError(msg)
    run = running(register, peildatum)
    # the "provincie" columns are the gemeente's provincie (or the register's main one),
    # never the whole country of a national register
    provincie = resolve_provincie(run, gemeente)
    in_provincie = _data().areas(level="gemeente", provincie=provincie)["code"]
    run = run.loc[run["gemeente_code"].isin(in_provincie)]
    if len(run) and run[by].isna().all():
        label = str(getattr(register, "attrs", {}).get("source") or "dit register")
        return NotApplicable(
            f"Niet van toepassing: {label} vult de kolom {by} niet in, dus valt er niet per "
            f"{by} te tellen; vul {by} in (zie docs/register.md)."
        )
    col = run[by].fillna("onbekend")
    out = col.value_counts().rename("provincie").to_frame()
    out["aandeel_provincie"] = out["provincie"] / max(len(run), 1)
    if gemeente is not None:
        code = _check_gemeente(gemeente, None)
        sub = col.loc[run["gemeente_code"] == code]
        out["gemeente"] = sub.value_counts().reindex(out.index).fillna(0).astype("int64")
        out["aandeel_gemeente"] = out["gemeente"] / max(len(sub), 1)
    out.index.name = by
    return out.reset_index()


def counts_view(register, by: str = "domein", gemeente: str | None = None, peildatum=None):
    """Show :func:`counts_by` for readers: counts and shares in percent, Dutch headers.

    Parameters
    ----------
    register, by, gemeente, peildatum
        As in :func:`counts_by`.

    Returns
    -------
    Styler or NotApplicable
        The table formatted with :func:`~doeagenda.results.nl_table` (shares as whole
        percentages), or the sentence of :func:`counts_by` when the column is empty.
    """
    from doeagenda.results import nl_table

    table = counts_by(register, by, gemeente, peildatum)
    if isinstance(table, NotApplicable):
        return table
    view = table.copy()
    for column in ("aandeel_provincie", "aandeel_gemeente"):
        if column in view.columns:
            view[column] = (100 * view[column]).round(0).astype("int64")
    headers = {
        "provincie": "provincie (aantal)",
        "aandeel_provincie": "provincie (%)",
        "gemeente": "gemeente (aantal)",
        "aandeel_gemeente": "gemeente (%)",
    }
    return nl_table(view.rename(columns=headers), decimals=0)
