"""What a register says about itself and about one gemeente, in plain Dutch.

* :func:`about_register` — the register's source and caveats, once (for the Lokale
  Energie Monitor 2019: a 2019 snapshot, one domain, recent years under-counted, the
  national totals published since; for the voorbeeld: that it is invented);
* :func:`initiatives_in` — the gemeente's own initiatives by name, with year, kind and
  size, and the rows counted apart (planned projects and the like); or one sentence that
  there are none;
* :func:`set_aside` — the rows of the register's public sources that are counted apart.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from doeagenda.charts import nl_format
from doeagenda.initiatives.columns import (
    KIND_LOCAL,
    KIND_PRODUCTION,
    KIND_SOLAR,
    KIND_WIND,
    SNAPSHOT_SOURCES,
    VOORBEELD,
)
from doeagenda.initiatives.combine import duplicates
from doeagenda.initiatives.register import as_register
from doeagenda.results import ResultMixin, nl_table

__all__ = ["GemeenteInitiatives", "RegisterNote", "about_register", "initiatives_in", "set_aside"]

_KIND_ORDER = {KIND_LOCAL: 0, KIND_PRODUCTION: 1, KIND_SOLAR: 2, KIND_WIND: 3}
_PLURAL = {
    KIND_LOCAL: "lokale energiecoöperaties",
    KIND_PRODUCTION: "productiecoöperaties",
    KIND_SOLAR: "collectieve zonprojecten",
    KIND_WIND: "collectieve windprojecten",
}
_SINGULAR = {
    KIND_LOCAL: "lokale energiecoöperatie",
    KIND_PRODUCTION: "productiecoöperatie",
    KIND_SOLAR: "collectief zonproject",
    KIND_WIND: "collectief windproject",
}


def _gemeente_name(code: str) -> str:
    from doeagenda.initiatives.energie import _gemeente

    return _gemeente(code)[1]


def set_aside(register) -> pd.DataFrame:
    """Return the rows of the register's public sources that are counted apart.

    Parameters
    ----------
    register : DataFrame, path, name or list
        A register; only ``energie_2019`` (the Lokale Energie Monitor 2019) sets rows
        apart: planned projects, a cooperative *in oprichting*, wind projects *voor 2012*
        or in an unknown year, projects taken out of production, rows of several gemeenten.

    Returns
    -------
    DataFrame
        See :func:`doeagenda.initiatives.energie_register.set_aside`; empty (same
        columns) for a register without a public source.
    """
    from doeagenda.initiatives import energie_register

    reg = as_register(register)
    apart = energie_register.set_aside()
    if "bron" in reg.columns and reg["bron"].isin(SNAPSHOT_SOURCES).any():
        return apart
    return apart.iloc[0:0]


# --------------------------------------------------------------------------- about
@dataclass
class RegisterNote:
    """The source of a register and its caveats, as Dutch Markdown (one cell of a report).

    Attributes
    ----------
    lines : list of str
        Markdown paragraphs and list items.
    """

    lines: list[str] = field(default_factory=list)

    def text(self) -> str:
        """Return the note as Markdown text."""
        return "\n".join(self.lines)

    def _repr_markdown_(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return self.text()


def _energy_lines(apart: pd.DataFrame) -> list[str]:
    from doeagenda.data.lem2019 import BRON, NATIONAL_TOTALS

    later = ", ".join(
        f"{nl_format(n)} in {year}" for year, n in NATIONAL_TOTALS.items() if year > 2019
    )
    return [
        "**Lokale Energie Monitor 2019.** De initiatieven komen uit de bijlagen van de Lokale "
        "Energie Monitor 2019 van HIER opgewekt: alle lokale energiecoöperaties van Nederland, "
        "de productiecoöperaties en de collectieve zon- en windprojecten van burgers, met "
        "gemeente, jaar en vermogen. *Bron: " + BRON + "* (er staat geen open licentie bij). "
        "Gemeenten zijn omgezet naar de indeling van 2024; inwoners zijn van 2024 (CBS).",
        "",
        "Lees de cijfers met deze kanttekeningen:",
        "",
        "- **Een momentopname van eind 2019.** Er staan geen einddatums in: hoe lang "
        "initiatieven volhouden, is er niet uit af te lezen.",
        "- **Eén domein.** Energiecoöperaties zijn echte bewonersinitiatieven, maar alleen die "
        "over energie. Buurthuizen, voedselinitiatieven of zorgcoöperaties staan er niet in: "
        "een gemeente zonder energiecoöperatie kan veel andere initiatieven hebben.",
        "- **De laatste jaren zijn te laag.** De monitor vindt coöperaties die hij miste later "
        "alsnog; het aantal opgerichte coöperaties in 2018 en 2019 is dus ondergeteld.",
        f"- **Sindsdien gegroeid.** In 2019 telde de monitor {nl_format(NATIONAL_TOTALS[2019])} "
        f"lokale energiecoöperaties in Nederland; later publiceerde hij {later}.",
        f"- **Apart geteld.** {nl_format(len(apart))} regels van de monitor hebben geen eigen "
        "jaar of niet één gemeente (geplande projecten, coöperaties in oprichting, windmolens "
        "van voor 2012, projecten uit productie); ze staan niet in de tellingen maar wel "
        "per gemeente in de lijst hieronder.",
    ]


def about_register(register) -> RegisterNote:
    """Describe the register's sources and caveats in plain Dutch, once.

    Parameters
    ----------
    register : DataFrame, path, name or list
        The register (a name such as ``"energie_2019"``, a file, a list, or a loaded one).

    Returns
    -------
    RegisterNote
        Markdown: per source what it is and how to read it; for a combined register also
        how many initiatives were in more than one register.
    """
    reg = as_register(register)
    lines: list[str] = []
    bronnen = list(dict.fromkeys(reg["bron"].dropna())) if "bron" in reg.columns else []
    for bron in bronnen or [str(reg.attrs.get("source") or "register")]:
        count = int((reg["bron"] == bron).sum()) if bronnen else len(reg)
        if bron in SNAPSHOT_SOURCES:
            lines += _energy_lines(set_aside(reg))
        elif bron == VOORBEELD or "voorbeeld" in str(bron).lower():
            lines.append(
                f"**Verzonnen voorbeeldregister ({nl_format(count)} regels).** Deze initiatieven "
                "bestaan niet; het register is gemaakt om de analyses te laten zien. Trek er "
                "geen conclusies uit over echte gemeenten."
            )
        else:
            lines.append(
                f"**Eigen register {html.escape(str(bron))}** ({nl_format(count)} regels): de "
                "cijfers zijn zo volledig als het register."
            )
        lines.append("")
    pairs = duplicates(reg)
    if len(pairs):
        lines.append(
            f"{nl_format(len(pairs))} initiatieven staan in meer dan één register en tellen één "
            "keer (gelijke gemeente en naam); de lijst staat bij de controle van het register."
        )
    return RegisterNote([line for line in lines if line is not None])


# --------------------------------------------------------------------------- gemeente list
@dataclass
class GemeenteInitiatives(ResultMixin):
    """The initiatives of one gemeente in the register, by name.

    Attributes
    ----------
    table : DataFrame
        ``naam, soort, jaar`` and, where the register has them, ``zon_kwp``,
        ``wind_kw``, ``initiatiefnemer``, ``status``, ``bron``.
    apart : DataFrame
        Rows of the gemeente counted apart: ``naam, soort, reden`` and the size.
    gemeente : str
        Name of the gemeente.
    """

    table: pd.DataFrame
    apart: pd.DataFrame
    gemeente: str

    def summary(self) -> pd.DataFrame:
        """Return the number of initiatives per kind (and apart)."""
        counts = self.table["soort"].value_counts().rename("in het register")
        apart = self.apart["soort"].value_counts().rename("apart geteld")
        out = pd.concat([counts, apart], axis=1).fillna(0).astype("int64")
        out.index.name = "soort"
        return out.reset_index()

    def text(self) -> str:
        """Return the count per kind in plain Dutch (or that there are none)."""
        name = html.escape(self.gemeente)
        if self.table.empty and self.apart.empty:
            return f"Het register kent in {name} geen initiatieven."
        parts = []
        counts = self.table["soort"].value_counts()
        ordered = sorted(
            counts.index, key=lambda k: (_KIND_ORDER.get(str(k), len(_KIND_ORDER)), -counts[k])
        )
        for kind, count in ((k, int(counts[k])) for k in ordered):
            word = (_SINGULAR if count == 1 else _PLURAL).get(str(kind), str(kind))
            parts.append(f"{nl_format(count)} {html.escape(word)}")
        text = (
            f"Het register kent in {name} " + _join(parts) + "."
            if parts
            else f"Het register kent in {name} geen initiatieven met een eigen jaar."
        )
        if "zon_kwp" in self.table.columns and self.table["zon_kwp"].sum() > 0:
            text += (
                f" De collectieve zonprojecten hebben samen {nl_format(self.table['zon_kwp'].sum(), 0)} "
                "kWp (het deel van de coöperaties)."
            )
        if len(self.apart):
            text += (
                f" Apart geteld (gepland, in voorbereiding of zonder eigen jaar): "
                f"{nl_format(len(self.apart))}."
            )
        return text

    def _repr_html_(self) -> str:
        parts = [f"<p>{self.text()}</p>"]
        if len(self.table):
            parts.append(nl_table(_escaped(self.table)).to_html())
        if len(self.apart):
            parts.append("<p>Apart geteld:</p>")
            parts.append(nl_table(_escaped(self.apart)).to_html())
        return "\n".join(parts)

    def chart(self):
        """Return the initiatives by start year as a dot strip (one dot per initiative)."""
        import altair as alt

        from doeagenda.initiatives.privacy import chart_safe

        return (
            alt.Chart(chart_safe(self.table))
            .mark_circle(size=80)
            .encode(
                x=alt.X("jaar:O", title="jaar"),
                y=alt.Y("soort:N", title=None),
                tooltip=[alt.Tooltip("naam:N"), alt.Tooltip("soort:N"), alt.Tooltip("jaar:O")],
            )
            .properties(title=f"Initiatieven in {self.gemeente} naar startjaar")
        )


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " en " + parts[-1]


def _escaped(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: html.escape(v) if isinstance(v, str) else v)
    return out


def initiatives_in(register, gemeente: str) -> GemeenteInitiatives:
    """List the gemeente's initiatives by name, with year, kind and size.

    Parameters
    ----------
    register : DataFrame, path, name or list
        The register.
    gemeente : str
        Gemeente code (CBS 2024).

    Returns
    -------
    GemeenteInitiatives
        Its text says what there is per kind, or in one sentence that there is nothing;
        ``apart`` holds the gemeente's planned projects and other rows counted apart.
    """
    from doeagenda.initiatives.energie import _gemeente

    reg = as_register(register)
    code, name, _provincie = _gemeente(gemeente)
    rows = reg.loc[reg["gemeente_code"] == code].copy()
    rows["soort"] = rows["soort"].fillna(rows["thema"]).fillna(rows["domein"])
    rows["_volgorde"] = rows["soort"].map(_KIND_ORDER).fillna(len(_KIND_ORDER))
    rows = rows.sort_values(["_volgorde", "startdatum", "naam"])
    table = pd.DataFrame(
        {
            "naam": rows["naam"].to_numpy(),
            "soort": rows["soort"].to_numpy(),
            "jaar": rows["startdatum"].dt.year.astype("Int64").to_numpy(),
        }
    )
    extra = {
        "zon_kwp": rows["vermogen_kwp"],
        "wind_kw": rows["vermogen_kw"],
        "initiatiefnemer": rows["initiatiefnemer"],
        "status": rows["status"].where(rows["einddatum"].notna() | (rows["status"] != "actief")),
        "bron": rows["bron"] if rows["bron"].nunique() > 1 else pd.Series(dtype=object),
    }
    for column, values in extra.items():
        if len(values) and values.notna().any():
            table[column] = values.to_numpy()
    aside = set_aside(reg)
    aside = aside.loc[aside["gemeente_code"] == code]
    apart = pd.DataFrame(
        {
            "naam": aside["naam"].to_numpy(),
            "soort": aside["soort"].to_numpy(),
            "reden": aside["reden"].to_numpy(),
            "zon_kwp": aside["vermogen_kwp"].to_numpy(),
            "wind_kw": aside["vermogen_kw"].to_numpy(),
        }
    )
    apart = apart.loc[
        :, [c for c in apart.columns if c in ("naam", "soort", "reden") or apart[c].notna().any()]
    ]
    return GemeenteInitiatives(table.reset_index(drop=True), apart.reset_index(drop=True), name)
