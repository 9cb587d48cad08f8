"""Energy cooperatives and collective projects per gemeente, against the provincie and NL.

The report sections for a register that holds the Lokale Energie Monitor 2019
(``"energie_2019"``, alone or combined with an own register):

* :func:`energy_profile` — local energy cooperatives per 10,000 inhabitants and completed
  collective solar capacity (kWp, the cooperatives' share) per 1,000 inhabitants, for the
  gemeente, its provincie and the Netherlands, with the gemeente's rank in the provincie;
  a bar chart and a province map of both rates;
* :func:`founding_curve` — cumulative foundings per 10,000 inhabitants by year (1989–2019
  for the monitor), gemeente against provincie and NL;
* :func:`initiators` — who took the initiative for the production cooperatives
  (bewonersinitiatief, lokale coöperatie, ontwikkelaar, VVE, bedrijf), gemeente against
  provincie and NL.

Each returns a :class:`~doeagenda.results.NotApplicable` sentence for a register without
what it needs (the voorbeeld register has no energy cooperatives). Inhabitants are CBS
KWB 2024 (:func:`doeagenda.data.population`), on the gemeenten of 2024 the monitor's
names were mapped to, so a rate is "2019 cooperatives per 2024 inhabitants".
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from doeagenda.charts import nl_format
from doeagenda.errors import AreaCodeError
from doeagenda.initiatives.columns import KIND_LOCAL, KIND_PRODUCTION, KIND_SOLAR, KIND_WIND
from doeagenda.initiatives.lifetimes import _peildatum, initiatives_only
from doeagenda.initiatives.privacy import chart_safe
from doeagenda.initiatives.register import as_register
from doeagenda.results import NotApplicable, TextResultMixin

__all__ = [
    "POPULATION_YEAR",
    "EnergyProfile",
    "FoundingCurve",
    "Initiators",
    "cooperatives_per_gemeente",
    "energy_profile",
    "founding_curve",
    "initiators",
]

logger = logging.getLogger(__name__)

#: Year of the inhabitants the rates divide by (CBS Kerncijfers wijken en buurten).
POPULATION_YEAR = 2024
#: First year of the founding curve of the monitor.
FIRST_YEAR = 1989
_NL = "Nederland"


def _data():
    from doeagenda import data

    return data


def _gemeente(gemeente: str) -> tuple[str, str, str]:
    """(code, name, provincie) of a gemeente code; AreaCodeError for an unknown code."""
    code = str(gemeente).strip().upper()
    table = _data().areas(level="gemeente").set_index("code")
    if code not in table.index:
        msg = f"onbekende gemeentecode {gemeente!r}: geen gemeente van Nederland (gebruik een code als GM0344)"
        raise AreaCodeError(msg)
    return code, str(table.at[code, "name"]), str(table.at[code, "provincie"])


def _no_cooperatives(register: pd.DataFrame) -> NotApplicable:
    label = str(register.attrs.get("source") or "dit register")
    return NotApplicable(
        f"Niet van toepassing: {label} heeft geen energiecoöperaties (kolom soort "
        f"'{KIND_LOCAL}'); dit onderdeel hoort bij het register 'energie_2019' (Lokale "
        "Energie Monitor 2019), alleen of samen met een eigen register."
    )


def cooperatives_per_gemeente(register) -> pd.DataFrame:
    """Count cooperatives and projects per gemeente of the Netherlands, with rates.

    Parameters
    ----------
    register : DataFrame, path, name or list
        A register holding the monitor's kinds (``energie_2019``): rows are counted by
        their ``soort`` (the voorbeeld register's invented ``thema`` values do not count).

    Returns
    -------
    DataFrame
        One row per gemeente (CBS 2024): ``gemeente_code, gemeente, provincie, inwoners``
        (KWB 2024), ``cooperaties`` (local energy cooperatives), ``per_10000``,
        ``productiecooperaties``, ``zonprojecten, zon_kwp`` (completed collective solar
        projects and the cooperatives' kWp in them), ``zon_kwp_per_1000``,
        ``windprojecten, wind_kw``.
    """
    reg = as_register(register)
    data = _data()
    gms = data.areas(level="gemeente")[["code", "name", "provincie"]]
    out = gms.rename(columns={"code": "gemeente_code", "name": "gemeente"}).reset_index(drop=True)
    out["inwoners"] = out["gemeente_code"].map(data.population(level="gemeente")).astype(float)
    by_kind = reg.groupby(["gemeente_code", "soort"]).size()

    def count(kind: str) -> pd.Series:
        if kind not in by_kind.index.get_level_values(1):
            return pd.Series(0, index=out.index, dtype="int64")
        series = by_kind.xs(kind, level=1)
        return out["gemeente_code"].map(series).fillna(0).astype("int64")

    out["cooperaties"] = count(KIND_LOCAL)
    out["per_10000"] = out["cooperaties"] / out["inwoners"] * 10_000
    out["productiecooperaties"] = count(KIND_PRODUCTION)
    out["zonprojecten"] = count(KIND_SOLAR)
    solar = reg.loc[reg["soort"] == KIND_SOLAR].groupby("gemeente_code")["vermogen_kwp"].sum()
    out["zon_kwp"] = out["gemeente_code"].map(solar).fillna(0.0).astype(float)
    out["zon_kwp_per_1000"] = out["zon_kwp"] / out["inwoners"] * 1_000
    out["windprojecten"] = count(KIND_WIND)
    wind = reg.loc[reg["soort"] == KIND_WIND].groupby("gemeente_code")["vermogen_kw"].sum()
    out["wind_kw"] = out["gemeente_code"].map(wind).fillna(0.0).astype(float)
    return out


def _rank(values: pd.Series) -> pd.Series:
    """Rank 1 = highest; ties share the best rank."""
    return values.rank(ascending=False, method="min").astype("int64")


# --------------------------------------------------------------------------- profile
@dataclass
class EnergyProfile(TextResultMixin):
    """Energy cooperatives and collective solar of a gemeente, its provincie and NL.

    Attributes
    ----------
    table : DataFrame
        :func:`cooperatives_per_gemeente` for the gemeenten of the provincie, with
        ``rang_cooperaties`` and ``rang_zon`` (1 = most per inhabitant).
    national : DataFrame
        The same for every gemeente of the Netherlands (without ranks).
    gemeente, naam, provincie : str
        The chosen gemeente.
    """

    table: pd.DataFrame
    national: pd.DataFrame
    gemeente: str
    naam: str
    provincie: str

    def _row(self) -> pd.Series:
        return self.table.set_index("gemeente_code").loc[self.gemeente]

    def summary(self) -> pd.DataFrame:
        """Return gemeente, provincie and NL side by side (numbers, Dutch labels)."""
        rows = []
        row = self._row()
        areas = [
            (self.naam, self.table.loc[self.table["gemeente_code"] == self.gemeente]),
            (f"provincie {self.provincie}", self.table),
            (_NL, self.national),
        ]
        for name, part in areas:
            people = float(part["inwoners"].sum())
            rows.append(
                {
                    "gebied": name,
                    "inwoners (2024)": people,
                    "energiecoöperaties": int(part["cooperaties"].sum()),
                    "per 10.000 inwoners": part["cooperaties"].sum() / people * 10_000,
                    "collectieve zonprojecten": int(part["zonprojecten"].sum()),
                    "zon kWp (coöperatief)": float(part["zon_kwp"].sum()),
                    "kWp per 1.000 inwoners": part["zon_kwp"].sum() / people * 1_000,
                    "windprojecten": int(part["windprojecten"].sum()),
                }
            )
        out = pd.DataFrame(rows)
        n = len(self.table)
        out["rang coöperaties"] = [f"{row['rang_cooperaties']} van {n}", "", ""]
        out["rang zon"] = [f"{row['rang_zon']} van {n}", "", ""]
        return out

    def text(self) -> str:
        """Return the comparison in plain Dutch."""
        row = self._row()
        summary = self.summary()
        prov, nl = summary.iloc[1], summary.iloc[2]
        n = len(self.table)
        name = html.escape(self.naam)
        count = int(row["cooperaties"])
        if count == 0:
            first = f"{name} had eind 2019 geen lokale energiecoöperatie in de monitor"
        else:
            word = "lokale energiecoöperatie" if count == 1 else "lokale energiecoöperaties"
            first = (
                f"{name} had eind 2019 {nl_format(count)} {word}: "
                f"{nl_format(row['per_10000'], 2)} per 10.000 inwoners"
            )
        return (
            f"{first} (provincie {html.escape(self.provincie)} "
            f"{nl_format(prov['per 10.000 inwoners'], 2)}, Nederland "
            f"{nl_format(nl['per 10.000 inwoners'], 2)}); rang {row['rang_cooperaties']} van "
            f"{n} gemeenten in de provincie. Collectieve zonprojecten van burgers: "
            f"{nl_format(row['zon_kwp_per_1000'], 1)} kWp per 1.000 inwoners (provincie "
            f"{nl_format(prov['kWp per 1.000 inwoners'], 1)}, Nederland "
            f"{nl_format(nl['kWp per 1.000 inwoners'], 1)}); rang {row['rang_zon']} van {n}. "
            f"Inwoners: CBS {POPULATION_YEAR}."
        )

    def chart(self):
        """Return bar charts of both rates per gemeente of the provincie (chosen one marked)."""
        import altair as alt

        from doeagenda.charts import ranked_bars

        summary = self.summary()
        chosen = self.table["gemeente_code"] == self.gemeente
        charts = []
        for value, label, column, fmt in (
            ("per_10000", "energiecoöperaties per 10.000 inwoners", "per 10.000 inwoners", ".2f"),
            ("zon_kwp_per_1000", "zon kWp per 1.000 inwoners", "kWp per 1.000 inwoners", ".1f"),
        ):
            bars = ranked_bars(
                chart_safe(self.table),
                alt.X(f"{value}:Q", title=label),
                "gemeente",
                chosen,
                [
                    alt.Tooltip("gemeente:N", title="gemeente"),
                    alt.Tooltip(f"{value}:Q", title=label, format=fmt),
                ],
                ("ja", "nee"),
                field="gekozen",
            )
            lines = pd.DataFrame(
                {
                    "gebied": [f"provincie {self.provincie}", _NL],
                    "waarde": [summary.at[1, column], summary.at[2, column]],
                }
            )
            rules = (
                alt.Chart(lines)
                .mark_rule(color="black")
                .encode(
                    x="waarde:Q",
                    strokeDash=alt.StrokeDash("gebied:N", title=None, sort=list(lines["gebied"])),
                    tooltip=[alt.Tooltip("gebied:N"), alt.Tooltip("waarde:Q", format=fmt)],
                )
            )
            charts.append((bars + rules).properties(width=260, height=460))
        return alt.hconcat(*charts).properties(
            title=f"Energiecoöperaties en collectieve zon, 2019 (gemeenten van {self.provincie})"
        )

    def map(self):
        """Return province maps of both rates, the chosen gemeente outlined."""
        import altair as alt

        return alt.hconcat(
            _rate_map(
                self.table, self.gemeente, self.provincie, "per_10000", "coöperaties per 10.000"
            ),
            _rate_map(
                self.table, self.gemeente, self.provincie, "zon_kwp_per_1000", "zon kWp per 1.000"
            ),
        ).properties(
            title=f"Energiecoöperaties en collectieve zon per inwoner, provincie {self.provincie} (2019)"
        )


def _rate_map(table: pd.DataFrame, gemeente: str, provincie: str, value: str, legend: str):
    import altair as alt

    from doeagenda.charts import HIGHLIGHT, SEQUENTIAL, geo_data

    features = _data().boundaries(level="gemeente", provincie=provincie)["features"]
    fields = ["gemeente", "cooperaties", "zon_kwp", value]
    lookup = alt.LookupData(
        data=chart_safe(table[["gemeente_code", *dict.fromkeys(fields)]]),
        key="gemeente_code",
        fields=list(dict.fromkeys(fields)),
    )
    fill = (
        alt.Chart(geo_data(features))
        .transform_lookup(lookup="properties.code", from_=lookup)
        .mark_geoshape(stroke="white", strokeWidth=0.7)
        .encode(
            color=alt.Color(f"{value}:Q", title=legend, scale=alt.Scale(scheme=SEQUENTIAL)),
            tooltip=[
                alt.Tooltip("gemeente:N", title="gemeente"),
                alt.Tooltip("cooperaties:Q", title="energiecoöperaties"),
                alt.Tooltip("zon_kwp:Q", title="zon kWp", format=",.0f"),
                alt.Tooltip(f"{value}:Q", title=legend, format=".2f"),
            ],
        )
        .project(type="mercator")
    )
    outline = (
        alt.Chart(geo_data([f for f in features if f["properties"]["code"] == gemeente]))
        .mark_geoshape(fillOpacity=0, stroke=HIGHLIGHT, strokeWidth=2.5)
        .project(type="mercator")
    )
    return alt.layer(fill, outline).properties(width=330, height=300)


def energy_profile(register, gemeente: str) -> EnergyProfile | NotApplicable:
    """Compare a gemeente's energy cooperatives and collective solar with provincie and NL.

    Parameters
    ----------
    register : DataFrame, path, name or list
        A register holding the monitor (``energie_2019``).
    gemeente : str
        Gemeente code (CBS 2024).

    Returns
    -------
    EnergyProfile or NotApplicable
        NotApplicable for a register without energy cooperatives.
    """
    reg = as_register(register)
    code, name, provincie = _gemeente(gemeente)
    if not (reg["soort"] == KIND_LOCAL).any():
        return _no_cooperatives(reg)
    national = cooperatives_per_gemeente(reg)
    table = national.loc[national["provincie"] == provincie].reset_index(drop=True)
    table["rang_cooperaties"] = _rank(table["per_10000"])
    table["rang_zon"] = _rank(table["zon_kwp_per_1000"])
    return EnergyProfile(table, national, code, name, provincie)


# --------------------------------------------------------------------------- founding curve
@dataclass
class FoundingCurve(TextResultMixin):
    """Cumulative foundings per 10,000 inhabitants by year.

    Attributes
    ----------
    table : DataFrame
        ``jaar, gebied, aantal`` (founded up to and including that year),
        ``per_10000``.
    what : str
        What is counted (Dutch, plural).
    gemeente : str
        Name of the chosen gemeente.
    """

    table: pd.DataFrame
    what: str
    gemeente: str

    def summary(self) -> pd.DataFrame:
        """Return the curve wide: one row per year, one column per area (per 10,000)."""
        wide = self.table.pivot(index="jaar", columns="gebied", values="per_10000")
        return wide[list(dict.fromkeys(self.table["gebied"]))].reset_index()

    def text(self) -> str:
        """Return the last point of each curve in plain Dutch."""
        last = self.table.loc[self.table["jaar"] == self.table["jaar"].max()]
        parts = [
            f"{html.escape(str(r.gebied))} {nl_format(r.per_10000, 2)}"
            for r in last.itertuples(index=False)
        ]
        year = int(self.table["jaar"].max())
        text = (
            f"Opgerichte {self.what} tot en met {year}, per 10.000 inwoners (CBS "
            f"{POPULATION_YEAR}): " + ", ".join(parts) + "."
        )
        return text

    def chart(self):
        """Return the curves as lines, one per area."""
        import altair as alt

        order = list(dict.fromkeys(self.table["gebied"]))
        return (
            alt.Chart(chart_safe(self.table))
            .mark_line(point=True)
            .encode(
                x=alt.X("jaar:O", title="jaar"),
                y=alt.Y("per_10000:Q", title=f"{self.what} per 10.000 inwoners (opgeteld)"),
                color=alt.Color("gebied:N", title=None, sort=order),
                tooltip=[
                    alt.Tooltip("gebied:N"),
                    alt.Tooltip("jaar:O"),
                    alt.Tooltip("aantal:Q", title="aantal"),
                    alt.Tooltip("per_10000:Q", title="per 10.000", format=".2f"),
                ],
            )
            .properties(title=f"Opgerichte {self.what}, opgeteld per jaar", width=520)
        )


def founding_curve(register, gemeente: str, peildatum=None) -> FoundingCurve | NotApplicable:
    """Cumulative foundings per 10,000 inhabitants: gemeente, provincie and NL.

    For a register with energy cooperatives the curve counts those, from 1989; otherwise
    every initiative (:func:`~doeagenda.initiatives.lifetimes.initiatives_only`) by its
    start year, from the first. The Netherlands is shown only for a register that covers
    more than one provincie. Stops are ignored: this is when initiatives began.

    Parameters
    ----------
    register : DataFrame, path, name or list
        The register.
    gemeente : str
        Gemeente code.
    peildatum : date-like, optional
        Last year of the curve (default the register's own, or today).

    Returns
    -------
    FoundingCurve or NotApplicable
    """
    reg = as_register(register)
    code, name, provincie = _gemeente(gemeente)
    peil = _peildatum(reg, peildatum)
    energy = (reg["soort"] == KIND_LOCAL).any()
    rows = reg.loc[reg["soort"] == KIND_LOCAL] if energy else initiatives_only(reg)
    rows = rows.loc[rows["startdatum"].notna() & (rows["startdatum"] <= peil)]
    if rows.empty:
        label = str(reg.attrs.get("source") or "dit register")
        return NotApplicable(
            f"Niet van toepassing: {label} heeft geen initiatieven met een startdatum."
        )
    data = _data()
    areas = data.areas(level="gemeente").set_index("code")["provincie"]
    pop = data.population(level="gemeente")
    years_of = rows["startdatum"].dt.year
    first = FIRST_YEAR if energy else int(years_of.min())
    years = np.arange(first, peil.year + 1)
    groups = [
        (name, rows["gemeente_code"] == code, pop.get(code, np.nan)),
        (
            f"provincie {provincie}",
            rows["gemeente_code"].map(areas) == provincie,
            pop[areas.reindex(pop.index) == provincie].sum(),
        ),
    ]
    if rows["gemeente_code"].map(areas).nunique() > 1:
        groups.append((_NL, pd.Series(True, index=rows.index), pop.sum()))
    parts = []
    for label, mask, people in groups:
        counts = np.array([int((years_of[mask] <= year).sum()) for year in years])
        parts.append(
            pd.DataFrame(
                {
                    "jaar": years,
                    "gebied": label,
                    "aantal": counts,
                    "per_10000": counts / people * 10_000,
                }
            )
        )
    what = "energiecoöperaties" if energy else "initiatieven"
    return FoundingCurve(pd.concat(parts, ignore_index=True), what, name)


# --------------------------------------------------------------------------- initiators
@dataclass
class Initiators(TextResultMixin):
    """Who took the initiative for the production cooperatives, gemeente vs provincie and NL.

    Attributes
    ----------
    table : DataFrame
        ``initiatiefnemer`` and per area (gemeente, provincie, Nederland) the count and
        the share.
    gemeente : str
        Name of the chosen gemeente.
    """

    table: pd.DataFrame
    gemeente: str

    def summary(self) -> pd.DataFrame:
        """Return the counts and shares per initiator."""
        return self.table

    def text(self) -> str:
        """Return the gemeente's initiators in plain Dutch, with the national picture."""
        name = html.escape(self.gemeente)
        own = self.table.loc[self.table["gemeente"] > 0]
        nl = self.table.sort_values("nederland", ascending=False).iloc[0]
        national = (
            f"In heel Nederland nam vaak een {nl['initiatiefnemer']} het initiatief "
            f"({nl_format(nl['aandeel_nederland'] * 100, 0)}%)."
        )
        if own.empty:
            return f"De monitor noemt in {name} geen productiecoöperatie. {national}"
        listed = ", ".join(
            f"{nl_format(r.gemeente)} keer een {html.escape(str(r.initiatiefnemer))}"
            for r in own.sort_values("gemeente", ascending=False).itertuples(index=False)
        )
        return f"Bij de productiecoöperaties in {name} nam {listed} het initiatief. {national}"

    def chart(self):
        """Return the shares per initiator as grouped bars."""
        import altair as alt

        labels = {
            "aandeel_gemeente": self.gemeente,
            "aandeel_provincie": "provincie",
            "aandeel_nederland": _NL,
        }
        long = self.table.melt(
            id_vars="initiatiefnemer",
            value_vars=list(labels),
            var_name="gebied",
            value_name="aandeel",
        )
        long["gebied"] = long["gebied"].map(labels)
        return (
            alt.Chart(chart_safe(long))
            .mark_bar()
            .encode(
                y=alt.Y("initiatiefnemer:N", title=None),
                yOffset=alt.YOffset("gebied:N", sort=list(labels.values())),
                x=alt.X(
                    "aandeel:Q",
                    title="aandeel van de productiecoöperaties",
                    axis=alt.Axis(format="%"),
                ),
                color=alt.Color("gebied:N", title=None, sort=list(labels.values())),
                tooltip=[
                    alt.Tooltip("gebied:N"),
                    alt.Tooltip("initiatiefnemer:N"),
                    alt.Tooltip("aandeel:Q", format=".0%"),
                ],
            )
            .properties(title="Wie nam het initiatief voor de productiecoöperaties?", width=420)
        )


def initiators(register, gemeente: str) -> Initiators | NotApplicable:
    """Count who took the initiative for production cooperatives, gemeente vs provincie and NL.

    The monitor records the initiator (``initiatiefnemer``) for production cooperatives
    only, not for the collective projects.

    Parameters
    ----------
    register : DataFrame, path, name or list
        The register.
    gemeente : str
        Gemeente code.

    Returns
    -------
    Initiators or NotApplicable
        NotApplicable when no row of the register names its initiator.
    """
    reg = as_register(register)
    code, name, provincie = _gemeente(gemeente)
    rows = reg.loc[reg["initiatiefnemer"].notna()]
    if rows.empty:
        label = str(reg.attrs.get("source") or "dit register")
        return NotApplicable(
            f"Niet van toepassing: {label} noemt bij geen enkel initiatief de initiatiefnemer "
            "(kolom initiatiefnemer; de Lokale Energie Monitor doet dat bij productiecoöperaties)."
        )
    areas = _data().areas(level="gemeente").set_index("code")["provincie"]
    order = rows["initiatiefnemer"].value_counts().index
    out = pd.DataFrame({"initiatiefnemer": order})
    for column, mask in (
        ("gemeente", rows["gemeente_code"] == code),
        ("provincie", rows["gemeente_code"].map(areas) == provincie),
        ("nederland", pd.Series(True, index=rows.index)),
    ):
        counts = rows.loc[mask, "initiatiefnemer"].value_counts()
        out[column] = out["initiatiefnemer"].map(counts).fillna(0).astype("int64")
        out[f"aandeel_{column}"] = out[column] / max(int(out[column].sum()), 1)
    return Initiators(out, name)
