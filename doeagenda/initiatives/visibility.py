"""Zichtbaarheid: where are initiatives, and where are they missing?

Counts of *running* initiatives (started on or before the peildatum and not stopped by
then) per gemeente and wijk, per 10,000 inhabitants (KWB 2024 population from
:func:`doeagenda.data.population`), per domain and target group, a province map, and
"white spots": gemeenten with a high need and few initiatives.

Wijk-level tables pass through :func:`~doeagenda.initiatives.privacy.suppress_counts`
(counts 1–4 hidden, plus secondary suppression).
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from doeagenda.errors import AreaCodeError, ParameterError
from doeagenda.initiatives.lifetimes import _peildatum, initiatives_only
from doeagenda.initiatives.privacy import chart_safe, suppress_counts
from doeagenda.initiatives.register import as_register
from doeagenda.results import NotApplicable, ResultMixin, TextResultMixin

__all__ = [
    "DEFAULT_NEED",
    "PROVINCIE",
    "VisibilityResult",
    "WhiteSpotResult",
    "counts_per_gemeente",
    "counts_per_wijk",
    "need_measure",
    "province_map",
    "resolve_provincie",
    "running",
    "visibility",
    "white_spots",
]

logger = logging.getLogger(__name__)

#: The province the workbench is about.
PROVINCIE = "Utrecht"
#: Shipped indicator used as need measure when the Buurzaamheidsindex is not available.
DEFAULT_NEED = "kwb21_low_income_households_pct"
_PER = 10_000


def _data():
    from doeagenda import data

    return data


def running(register, peildatum=None) -> pd.DataFrame:
    """Return the initiatives running on the peildatum.

    Parameters
    ----------
    register : DataFrame, path or ``"voorbeeld"``
        The register.
    peildatum : date-like, optional
        Default: the register's own (voorbeeld) or today.

    Returns
    -------
    DataFrame
        Initiatives of the register (projects of initiatives, such as the monitor's
        collective solar projects, left out: see
        :func:`~doeagenda.initiatives.lifetimes.initiatives_only`) with ``startdatum <=
        peildatum`` and no einddatum on or before it.
    """
    reg = as_register(register)
    peil = _peildatum(reg, peildatum)
    reg = initiatives_only(reg)
    keep = (reg["startdatum"] <= peil) & ~(reg["einddatum"].notna() & (reg["einddatum"] <= peil))
    return reg.loc[keep]


def resolve_provincie(register, gemeente: str | None = None, provincie: str | None = None) -> str:
    """Return the province to show: as given, else the gemeente's, else the register's.

    Parameters
    ----------
    register : DataFrame
        A loaded register.
    gemeente : str, optional
        Gemeente code; its province is used when ``provincie`` is None.
    provincie : str, optional
        Explicit province (wins).

    Returns
    -------
    str
        Without gemeente: the province most initiatives of the register lie in
        (:data:`PROVINCIE` for an empty register or unknown codes).
    """
    if provincie is not None:
        return provincie
    gms = _data().areas(level="gemeente").set_index("code")["provincie"]
    if gemeente is not None:
        code = str(gemeente).strip().upper()
        if code in gms.index:
            return str(gms[code])
        return PROVINCIE
    found = register["gemeente_code"].map(gms).dropna()
    return str(found.mode().iloc[0]) if len(found) else PROVINCIE


def _check_gemeente(gemeente: str | None, provincie: str | None) -> str | None:
    if gemeente is None:
        return None
    code = str(gemeente).strip().upper()
    gms = _data().areas(level="gemeente", provincie=provincie)
    if code not in set(gms["code"]):
        where = f"provincie {provincie}" if provincie else "Nederland"
        msg = (
            f"onbekende gemeentecode {gemeente!r}: geen gemeente van {where} "
            "(gebruik een code als GM0344)"
        )
        raise AreaCodeError(msg)
    return code


def counts_per_gemeente(
    register, provincie: str | None = PROVINCIE, peildatum=None
) -> pd.DataFrame:
    """Count initiatives per gemeente, absolute and per 10,000 inhabitants.

    Parameters
    ----------
    register : DataFrame, path or ``"voorbeeld"``
        The register.
    provincie : str, optional
        Keep the gemeenten of this province (all of them, also those with none).
    peildatum : date-like, optional
        See :func:`running`.

    Returns
    -------
    DataFrame
        ``gemeente_code, gemeente, inwoners, initiatieven`` (in the register),
        ``lopend`` (running on the peildatum), ``per_10000`` (running per 10,000).
    """
    data = _data()
    reg = as_register(register)
    gms = data.areas(level="gemeente", provincie=provincie)[["code", "name"]]
    pop = data.population(level="gemeente", provincie=provincie)
    total = initiatives_only(reg).groupby("gemeente_code").size()
    run = running(reg, peildatum).groupby("gemeente_code").size()
    out = pd.DataFrame(
        {
            "gemeente_code": gms["code"].to_numpy(),
            "gemeente": gms["name"].to_numpy(),
        }
    )
    out["inwoners"] = out["gemeente_code"].map(pop).astype("float64")
    out["initiatieven"] = out["gemeente_code"].map(total).fillna(0).astype("int64")
    out["lopend"] = out["gemeente_code"].map(run).fillna(0).astype("int64")
    out["per_10000"] = out["lopend"] / out["inwoners"] * _PER
    outside = sorted(set(reg["gemeente_code"]) - set(out["gemeente_code"]))
    if outside:
        logger.info("initiatieven buiten provincie %s niet meegeteld: %s", provincie, outside)
    return out.sort_values("gemeente").reset_index(drop=True)


def counts_per_wijk(register, gemeente: str, peildatum=None) -> pd.DataFrame:
    """Count running initiatives per wijk of one gemeente, with disclosure control.

    Parameters
    ----------
    register : DataFrame, path or ``"voorbeeld"``
        The register.
    gemeente : str
        Gemeente code.
    peildatum : date-like, optional
        See :func:`running`.

    Returns
    -------
    DataFrame
        One row per wijk of the gemeente plus ``"wijk onbekend"`` (initiatives without
        wijk_code): ``wijk_code, wijk, inwoners, lopend`` (``<NA>`` when suppressed),
        ``per_10000`` (NaN when suppressed), ``weergave`` (what may be printed:
        the number, ``"<5"`` or ``"afgeschermd"``).
    """
    data = _data()
    code = _check_gemeente(gemeente, None)
    wijken = data.areas(level="wijk")
    wijken = wijken.loc[wijken["gemeente_code"] == code, ["code", "name"]]
    pop = data.population(level="wijk")
    run = running(register, peildatum)
    run = run.loc[run["gemeente_code"] == code]
    counts = run["wijk_code"].fillna("onbekend").value_counts()
    out = pd.DataFrame({"wijk_code": wijken["code"].to_numpy(), "wijk": wijken["name"].to_numpy()})
    out["inwoners"] = out["wijk_code"].map(pop).astype("float64")
    out["lopend"] = out["wijk_code"].map(counts).fillna(0).astype("int64")
    out = out.sort_values("wijk_code").reset_index(drop=True)
    unknown = int(counts.get("onbekend", 0))
    if unknown:
        extra = pd.DataFrame(
            {
                "wijk_code": [""],
                "wijk": ["wijk onbekend"],
                "inwoners": [np.nan],
                "lopend": [unknown],
            }
        )
        out = pd.concat([out, extra], ignore_index=True)
    out["per_10000"] = out["lopend"] / out["inwoners"] * _PER
    out = suppress_counts(out, count="lopend", group=None, derived=("per_10000",))
    return out


# --------------------------------------------------------------------------- charts
def _geo_chart(
    table: pd.DataFrame,
    gemeente: str | None,
    provincie: str | None,
    value: str,
    title: str,
    legend: str,
):
    import altair as alt

    from doeagenda.charts import HIGHLIGHT, SEQUENTIAL, geo_data

    features = _data().boundaries(level="gemeente", provincie=provincie)["features"]
    fields = [c for c in table.columns if c != "gemeente_code"]
    lookup = alt.LookupData(data=chart_safe(table), key="gemeente_code", fields=fields)
    base = (
        alt.Chart(geo_data(features))
        .transform_lookup(lookup="properties.code", from_=lookup)
        .project(type="mercator")
    )
    fill = base.mark_geoshape(stroke="white", strokeWidth=0.7).encode(
        color=alt.Color(f"{value}:Q", title=legend, scale=alt.Scale(scheme=SEQUENTIAL)),
        tooltip=[
            alt.Tooltip("gemeente:N", title="gemeente"),
            alt.Tooltip("lopend:Q", title="lopende initiatieven"),
            alt.Tooltip("per_10000:Q", title="per 10.000 inwoners", format=".1f"),
        ],
    )
    layers = [fill]
    if gemeente:
        outline = (
            alt.Chart(geo_data([f for f in features if f["properties"]["code"] == gemeente]))
            .mark_geoshape(fillOpacity=0, stroke=HIGHLIGHT, strokeWidth=2.5)
            .project(type="mercator")
        )
        layers.append(outline)
    return alt.layer(*layers).properties(title=title, width=480, height=420)


def province_map(
    register, gemeente: str | None = None, provincie: str | None = None, peildatum=None
):
    """Return a map of running initiatives per 10,000 inhabitants per gemeente.

    Parameters
    ----------
    register : DataFrame, path or ``"voorbeeld"``
        The register.
    gemeente : str, optional
        Gemeente to outline.
    provincie : str, optional
        Province to draw; default see :func:`resolve_provincie`.
    peildatum : date-like, optional
        See :func:`running`.

    Returns
    -------
    altair.LayerChart
    """
    reg = as_register(register)
    provincie = resolve_provincie(reg, gemeente, provincie)
    code = _check_gemeente(gemeente, provincie)
    table = counts_per_gemeente(reg, provincie=provincie, peildatum=peildatum)
    return _geo_chart(
        table,
        code,
        provincie,
        "per_10000",
        f"Lopende bewonersinitiatieven per 10.000 inwoners, provincie {provincie}",
        "per 10.000 inwoners",
    )


@dataclass
class VisibilityResult(ResultMixin):
    """Where initiatives are, for a province and (optionally) one gemeente.

    Attributes
    ----------
    gemeenten : DataFrame
        :func:`counts_per_gemeente`.
    wijken : DataFrame, NotApplicable or None
        :func:`counts_per_wijk` for the chosen gemeente (suppressed); a
        :class:`~doeagenda.results.NotApplicable` sentence when the register has no
        wijk codes.
    gemeente : str or None
        Chosen gemeente code.
    provincie : str
        Province.
    """

    gemeenten: pd.DataFrame
    wijken: pd.DataFrame | NotApplicable | None
    gemeente: str | None
    provincie: str
    register: pd.DataFrame = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """Return the per-gemeente table."""
        return self.gemeenten

    def rate_province(self) -> float:
        """Return running initiatives per 10,000 inhabitants in the whole province."""
        g = self.gemeenten
        return float(g["lopend"].sum() / g["inwoners"].sum() * _PER)

    def summary(self) -> pd.DataFrame:
        """Return the gemeente next to the province (Dutch labels)."""
        rows = []
        if self.gemeente:
            row = self.gemeenten.set_index("gemeente_code").loc[self.gemeente]
            rows.append(
                {
                    "gebied": row["gemeente"],
                    "inwoners": int(row["inwoners"]),
                    "lopende initiatieven": row["lopend"],
                    "per 10.000 inwoners": row["per_10000"],
                }
            )
        g = self.gemeenten
        rows.append(
            {
                "gebied": f"provincie {self.provincie}",
                "inwoners": int(g["inwoners"].sum()),
                "lopende initiatieven": g["lopend"].sum(),
                "per 10.000 inwoners": self.rate_province(),
            }
        )
        return pd.DataFrame(rows)

    def chart(self):
        """Return the province map (see :func:`province_map`)."""
        return _geo_chart(
            self.gemeenten,
            self.gemeente,
            self.provincie,
            "per_10000",
            f"Lopende bewonersinitiatieven per 10.000 inwoners, provincie {self.provincie}",
            "per 10.000 inwoners",
        )

    def rate_chart(self):
        """Return a bar chart per gemeente (chosen one highlighted) with the province rate."""
        import altair as alt

        from doeagenda.charts import ranked_bars, reference_line

        bars = ranked_bars(
            chart_safe(self.gemeenten),
            alt.X("per_10000:Q", title="lopende initiatieven per 10.000 inwoners"),
            "gemeente",
            self.gemeenten["gemeente_code"] == self.gemeente,
            [
                alt.Tooltip("gemeente:N", title="gemeente"),
                alt.Tooltip("lopend:Q", title="lopende initiatieven"),
                alt.Tooltip("per_10000:Q", title="per 10.000 inwoners", format=".1f"),
            ],
            ("ja", "nee"),
            field="gekozen",
        )
        rule = reference_line(
            self.rate_province(), "x", field="provincie", color="black", strokeDash=[4, 4]
        )
        return (bars + rule).properties(
            title="Initiatieven per 10.000 inwoners (stippellijn: provincie)", height=460
        )


def visibility(register, gemeente: str | None = None, provincie: str | None = None, peildatum=None):
    """Summarise where initiatives are: per gemeente, and per wijk of one gemeente.

    Parameters
    ----------
    register : DataFrame, path or ``"voorbeeld"``
        The register.
    gemeente : str, optional
        Gemeente to zoom in on (wijk table, highlighted on charts).
    provincie : str, optional
        Province; default see :func:`resolve_provincie`.
    peildatum : date-like, optional
        See :func:`running`.

    Returns
    -------
    VisibilityResult
    """
    reg = as_register(register)
    provincie = resolve_provincie(reg, gemeente, provincie)
    code = _check_gemeente(gemeente, provincie)
    table = counts_per_gemeente(reg, provincie=provincie, peildatum=peildatum)
    wijken: pd.DataFrame | NotApplicable | None = None
    if code and initiatives_only(reg)["wijk_code"].isna().all():
        label = str(reg.attrs.get("source") or "dit register")
        wijken = NotApplicable(
            f"Niet van toepassing: {label} heeft geen wijkcodes, dus valt niet te tellen per "
            "wijk; vul de kolom wijk_code in (zie docs/register.md)."
        )
    elif code:
        wijken = counts_per_wijk(reg, code, peildatum=peildatum)
    return VisibilityResult(table, wijken, code, provincie, reg)


# --------------------------------------------------------------------------- white spots
def _buurzaamheid_need(provincie: str | None) -> pd.Series:
    from doeagenda.initiatives import _index_bridge

    scores = _index_bridge.buurzaamheid_scores()
    if provincie is not None:
        members = set(_data().areas(level="gemeente", provincie=provincie)["code"])
        scores = scores[scores.index.isin(members)]
    return (-scores).rename("behoefte")


def need_measure(need="auto", provincie: str | None = PROVINCIE) -> tuple[pd.Series, str]:
    """Return a need score per gemeente (higher = more need) and its Dutch description.

    Parameters
    ----------
    need : str or Series
        ``"auto"`` (the Buurzaamheidsindex when ``doeagenda.index`` can build it, else
        :data:`DEFAULT_NEED`), ``"buurzaamheid"``, a shipped indicator id (turned into
        need with the dictionary's direction: low on a "higher is better" indicator is
        high need), or a Series indexed by gemeente code (higher = more need).
    provincie : str, optional
        Restrict to this province.

    Returns
    -------
    (Series, str)
    """
    if isinstance(need, pd.Series):
        return need.astype("float64").rename("behoefte"), need.name or "eigen behoeftemaat"
    if need == "auto":
        try:
            return _buurzaamheid_need(provincie), "Buurzaamheidsindex (laag = veel behoefte)"
        except Exception as error:  # index not (yet) available: fall back, say why
            logger.info("Buurzaamheidsindex niet beschikbaar (%s); gebruik %s", error, DEFAULT_NEED)
            need = DEFAULT_NEED
    if need == "buurzaamheid":
        return _buurzaamheid_need(provincie), "Buurzaamheidsindex (laag = veel behoefte)"
    data = _data()
    dic = data.dictionary().set_index("indicator")
    if need not in dic.index:
        msg = (
            f"onbekende behoeftemaat {need!r}; geef 'auto', 'buurzaamheid', een indicator "
            "uit doeagenda.data.dictionary() of een Series per gemeentecode"
        )
        raise ParameterError(msg)
    direction = dic.at[need, "direction"]
    if pd.isna(direction):
        msg = (
            f"indicator {need!r} heeft geen richting (hoger = beter of slechter) in het "
            "woordenboek; geef zelf een Series met behoefte per gemeente"
        )
        raise ParameterError(msg)
    wide = data.indicators(level="gemeente", provincie=provincie, wide=True)
    if need not in wide.columns:
        msg = f"indicator {need!r} heeft geen waarden op gemeenteniveau; kies een andere"
        raise ParameterError(msg)
    values = wide[need].astype("float64") * -float(direction)
    label = dic.at[need, "label_nl"]
    word = "laag" if direction > 0 else "hoog"
    return values.rename("behoefte"), f"{label} ({word} = veel behoefte)"


@dataclass
class WhiteSpotResult(TextResultMixin):
    """Gemeenten with high need and few initiatives.

    Attributes
    ----------
    table : DataFrame
        ``gemeente_code, gemeente, behoefte, behoefte_pct`` (percentile within the
        province, 100 = most need), ``lopend`` (running initiatives), ``per_10000,
        aanbod_pct, witte_vlek``. :meth:`without` lists the gemeenten with none (for the
        energy register: the gemeenten without an energy cooperative).
    need_label : str
        What the need measure is (Dutch).
    high, low : float
        Percentile thresholds used (need >= high and initiatives <= low).
    """

    table: pd.DataFrame
    need_label: str
    high: float
    low: float

    def summary(self) -> pd.DataFrame:
        """Return only the white spots."""
        return self.table.loc[self.table["witte_vlek"]].reset_index(drop=True)

    def text(self) -> str:
        """Return a plain-Dutch sentence naming the white spots."""
        spots = self.summary()
        if spots.empty:
            return (
                f"Geen witte vlekken: geen gemeente combineert veel behoefte ({self.need_label}) "
                "met weinig initiatieven."
            ) + self._none_text()
        names = ", ".join(html.escape(str(n)) for n in spots["gemeente"])
        return (
            f"Witte vlekken (veel behoefte volgens {self.need_label}, weinig lopende "
            f"initiatieven per 10.000 inwoners): {names}."
        ) + self._none_text()

    def without(self) -> pd.DataFrame:
        """Return the gemeenten without any running initiative in the register."""
        if "lopend" not in self.table.columns:
            return self.table.iloc[0:0]
        return self.table.loc[self.table["lopend"] == 0].reset_index(drop=True)

    def _none_text(self) -> str:
        none = self.without()
        if none.empty:
            return ""
        high = none.loc[none["behoefte_pct"] >= self.high, "gemeente"]
        names = ", ".join(html.escape(str(n)) for n in none["gemeente"])
        text = f" Zonder enig initiatief in dit register: {names}"
        if len(high):
            text += " (met veel behoefte: " + ", ".join(html.escape(str(n)) for n in high) + ")"
        return text + "."

    def chart(self):
        """Return a scatter of need against initiatives per 10,000, white spots highlighted."""
        import altair as alt

        from doeagenda.charts import HIGHLIGHT, MUTED, PALETTE

        none = self.table["lopend"] == 0 if "lopend" in self.table.columns else False
        data = self.table.assign(
            vlek=np.where(
                self.table["witte_vlek"],
                "witte vlek",
                np.where(none, "geen initiatief", "overig"),
            )
        )
        base = alt.Chart(chart_safe(data)).encode(
            x=alt.X("behoefte_pct:Q", title=f"behoefte (percentiel): {self.need_label}"),
            y=alt.Y("per_10000:Q", title="lopende initiatieven per 10.000 inwoners"),
        )
        points = base.mark_circle(size=90).encode(
            color=alt.Color(
                "vlek:N",
                title=None,
                scale=alt.Scale(
                    domain=["witte vlek", "geen initiatief", "overig"],
                    range=[HIGHLIGHT, PALETTE[0], MUTED],
                ),
            ),
            tooltip=[
                alt.Tooltip("gemeente:N", title="gemeente"),
                alt.Tooltip("behoefte_pct:Q", title="behoefte (percentiel)", format=".0f"),
                alt.Tooltip("per_10000:Q", title="per 10.000 inwoners", format=".1f"),
            ],
        )
        labels = (
            base.transform_filter(alt.datum.witte_vlek)
            .mark_text(align="left", dx=7, fontSize=10)
            .encode(text="gemeente:N")
        )
        return (points + labels).properties(
            title="Witte vlekken: veel behoefte, weinig initiatieven"
        )


def white_spots(
    register,
    need="auto",
    provincie: str = PROVINCIE,
    high: float = 2 / 3,
    low: float = 1 / 3,
    peildatum=None,
) -> WhiteSpotResult:
    """Find gemeenten with a high need and few running initiatives.

    A gemeente is a white spot when its need is in the top third of the province
    (percentile >= ``high``) and its initiatives per 10,000 inhabitants in the bottom
    third (percentile <= ``low``). Percentiles are mid-ranks divided by the number of
    gemeenten with data.

    Parameters
    ----------
    register : DataFrame, path or ``"voorbeeld"``
        The register.
    need : str or Series
        Need measure, see :func:`need_measure` (this is the parameter to swap in the
        Buurzaamheidsindex or any own measure).
    provincie : str
        Province.
    high, low : float
        Percentile thresholds (0–1).
    peildatum : date-like, optional
        See :func:`running`.

    Returns
    -------
    WhiteSpotResult
    """
    if not 0 <= low < high <= 1:
        msg = f"drempels low={low} en high={high} moeten voldoen aan 0 <= low < high <= 1"
        raise ParameterError(msg)
    counts = counts_per_gemeente(register, provincie=provincie, peildatum=peildatum)
    values, label = need_measure(need, provincie)
    table = counts[["gemeente_code", "gemeente", "lopend", "per_10000"]].copy()
    table["behoefte"] = table["gemeente_code"].map(values).astype("float64")
    table["behoefte_pct"] = table["behoefte"].rank(pct=True) * 100
    table["aanbod_pct"] = table["per_10000"].rank(pct=True) * 100
    table["witte_vlek"] = (table["behoefte_pct"] >= high * 100) & (table["aanbod_pct"] <= low * 100)
    cols = [
        "gemeente_code",
        "gemeente",
        "behoefte",
        "behoefte_pct",
        "lopend",
        "per_10000",
        "aanbod_pct",
        "witte_vlek",
    ]
    table = table[cols].sort_values("behoefte_pct", ascending=False).reset_index(drop=True)
    return WhiteSpotResult(table, label, high * 100, low * 100)
