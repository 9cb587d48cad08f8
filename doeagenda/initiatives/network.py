"""The collaboration network (samenspel): initiatives × partners.

The register's ``partners`` column (``naam (type)`` items) defines a bipartite graph:
initiative nodes on one side, partner organisations on the other, an edge when the
partner works with the initiative. From it:

* the **partner projection**: partners linked when they work with the same initiative,
  edge weight = number of shared initiatives;
* **centrality**: per partner the number of initiatives and gemeenten it connects, its
  degree and betweenness in the projection;
* **co-occurrence of partner types**: for each pair of sectors the number of
  initiatives that work with both (diagonal: with that sector at all);
* **sector share per gemeente**: the share of a gemeente's initiatives with at least one
  partner from each sector.

Partners are identified by their name, case-insensitively and with whitespace collapsed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd
from networkx.algorithms import bipartite

from doeagenda.initiatives.privacy import chart_safe
from doeagenda.initiatives.register import PARTNER_TYPES, as_register
from doeagenda.results import NotApplicable, ResultMixin

__all__ = ["SECTORS", "SECTOR_OF", "NetworkResult", "network", "partner_graph"]

logger = logging.getLogger(__name__)

#: Partner types grouped into eight sectors for colour (one palette colour each).
SECTORS = {
    "overheid": ("gemeente", "provincie"),
    "zorg": ("zorgaanbieder", "zorgverzekeraar"),
    "welzijn": ("welzijnsorganisatie", "maatschappelijke organisatie"),
    "wonen": ("woningcorporatie",),
    "geld": ("fonds", "bank"),
    "bedrijven": ("bedrijf",),
    "onderwijs": ("onderwijs",),
    "bewoners en overig": ("bewonersinitiatief", "overig"),
}
#: Sector group of each partner type.
SECTOR_OF = {ptype: sector for sector, types in SECTORS.items() for ptype in types}


def _key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def partner_graph(register) -> nx.Graph:
    """Build the bipartite graph of initiatives and partners.

    Parameters
    ----------
    register : DataFrame, path or ``"voorbeeld"``
        The register.

    Returns
    -------
    networkx.Graph
        Initiative nodes ``"i:<id>"`` (``bipartite=0, kind="initiatief", naam,
        gemeente_code``) and partner nodes ``"p:<name>"`` (``bipartite=1,
        kind="partner", naam, type``: the type given most often for that name).
    """
    reg = as_register(register)
    graph = nx.Graph()
    type_counts: dict[str, dict[str, int]] = {}
    labels: dict[str, str] = {}
    for row in reg.itertuples(index=False):
        inode = f"i:{row.id}"
        graph.add_node(
            inode, bipartite=0, kind="initiatief", naam=row.naam, gemeente_code=row.gemeente_code
        )
        for name, ptype in zip(row.partners, row.partner_typen, strict=True):
            key = _key(name)
            labels.setdefault(key, " ".join(str(name).split()))
            counts = type_counts.setdefault(key, {})
            counts[ptype] = counts.get(ptype, 0) + 1
            graph.add_edge(inode, f"p:{key}")
    for key, counts in type_counts.items():
        ptype = max(sorted(counts), key=lambda name: counts[name])
        graph.add_node(f"p:{key}", bipartite=1, kind="partner", naam=labels[key], type=ptype)
    return graph


@dataclass
class NetworkResult(ResultMixin):
    """The collaboration network and its summaries.

    Attributes
    ----------
    graph : networkx.Graph
        Bipartite initiatives × partners graph (see :func:`partner_graph`).
    projection : networkx.Graph
        Weighted partner projection (``weight`` = shared initiatives).
    register : DataFrame
        The (possibly filtered) register used.
    """

    graph: nx.Graph
    projection: nx.Graph
    register: pd.DataFrame = field(repr=False)
    # betweenness per partner (the slow part of centrality(), ~60 ms), filled by network()
    # so a result shared between report kernels carries it
    _betweenness: dict[str, float] | None = field(default=None, repr=False, compare=False)

    def _between(self) -> dict[str, float]:
        if self._betweenness is None:
            self._betweenness = nx.betweenness_centrality(self.projection)
        return self._betweenness

    # ---------------------------------------------------------------- tables
    def centrality(self) -> pd.DataFrame:
        """Return per partner how many initiatives and gemeenten it connects.

        Returns
        -------
        DataFrame
            ``partner, type, initiatieven, gemeenten, verbonden_partners,
            tussenpositie`` (betweenness centrality in the projection, normalised),
            sorted by ``initiatieven``.
        """
        partners = [n for n, d in self.graph.nodes(data=True) if d["kind"] == "partner"]
        cols = ["partner", "type", "initiatieven", "gemeenten", "verbonden_partners"]
        if not partners:
            return pd.DataFrame(columns=[*cols, "tussenpositie"])
        between = self._between()
        rows = []
        for node in partners:
            data = self.graph.nodes[node]
            neigh = list(self.graph.neighbors(node))
            gms = {self.graph.nodes[n]["gemeente_code"] for n in neigh}
            rows.append(
                {
                    "partner": data["naam"],
                    "type": data["type"],
                    "initiatieven": len(neigh),
                    "gemeenten": len(gms),
                    "verbonden_partners": self.projection.degree(node),
                    "tussenpositie": between.get(node, 0.0),
                }
            )
        out = pd.DataFrame(rows).sort_values(
            ["initiatieven", "tussenpositie", "partner"], ascending=[False, False, True]
        )
        return out.reset_index(drop=True)

    def type_matrix(self) -> pd.DataFrame:
        """Return the 0/1 matrix initiative × partner type (1 = works with that type).

        Returns
        -------
        DataFrame
            Index = the register's row positions, columns = partner types present (in
            the order of :data:`~doeagenda.initiatives.register.PARTNER_TYPES`).
        """
        lists = self.register["partner_typen"].to_list()
        lengths = np.fromiter((len(t) for t in lists), dtype=np.int64, count=len(lists))
        flat = [t for kinds in lists for t in kinds]
        present = set(flat)
        types = [t for t in PARTNER_TYPES if t in present]
        codes = pd.Categorical(flat, categories=types).codes
        rows = np.repeat(np.arange(len(lists)), lengths)
        values = np.zeros((len(lists), len(types)), dtype=np.int64)
        values[rows, codes] = 1
        return pd.DataFrame(values, index=self.register.index, columns=types)

    def co_occurrence(self) -> pd.DataFrame:
        """Return the sector × sector matrix of initiatives working with both.

        Computed as ``M.T @ M`` of the 0/1 matrix :meth:`type_matrix`.

        Returns
        -------
        DataFrame
            Square, index and columns = partner types present; the diagonal holds the
            number of initiatives with at least one partner of that type.
        """
        onehot = self.type_matrix()
        values = onehot.to_numpy()
        matrix = pd.DataFrame(values.T @ values, index=onehot.columns, columns=onehot.columns)
        matrix.index.name = "type"
        matrix.columns.name = None
        return matrix.astype("int64")

    def sector_share(self) -> pd.DataFrame:
        """Return per gemeente the share of initiatives with a partner from each sector.

        Returns
        -------
        DataFrame
            Long: ``gemeente_code, type, initiatieven`` (in the gemeente),
            ``met_partner`` (with a partner of that type), ``aandeel`` (0–1).
        """
        onehot = self.type_matrix()
        gm = self.register["gemeente_code"]
        with_partner = onehot.groupby(gm).sum()
        n = gm.value_counts()
        long = with_partner.stack().rename("met_partner").reset_index()
        long.columns = ["gemeente_code", "type", "met_partner"]
        long["initiatieven"] = long["gemeente_code"].map(n).astype("int64")
        long["aandeel"] = long["met_partner"] / long["initiatieven"]
        cols = ["gemeente_code", "type", "initiatieven", "met_partner", "aandeel"]
        return long[cols].astype({"met_partner": "int64"})

    def to_frame(self) -> pd.DataFrame:
        """Return the edge list initiative–partner (no personal data)."""
        rows = []
        for u, v in self.graph.edges():
            i, p = (u, v) if self.graph.nodes[u]["kind"] == "initiatief" else (v, u)
            rows.append(
                {
                    "id": i[2:],
                    "initiatief": self.graph.nodes[i]["naam"],
                    "gemeente_code": self.graph.nodes[i]["gemeente_code"],
                    "partner": self.graph.nodes[p]["naam"],
                    "type": self.graph.nodes[p]["type"],
                }
            )
        cols = ["id", "initiatief", "gemeente_code", "partner", "type"]
        return pd.DataFrame(rows, columns=cols)

    def summary(self) -> pd.DataFrame:
        """Return key figures of the network (Dutch labels)."""
        n_init = sum(1 for _, d in self.graph.nodes(data=True) if d["kind"] == "initiatief")
        with_partner = sum(
            1
            for n, d in self.graph.nodes(data=True)
            if d["kind"] == "initiatief" and self.graph.degree(n) > 0
        )
        n_part = self.projection.number_of_nodes()
        comps = nx.number_connected_components(self.projection) if n_part else 0
        items = {
            "initiatieven": n_init,
            "initiatieven met minstens één partner": with_partner,
            "partners": n_part,
            "samenwerkingen (initiatief-partner)": self.graph.number_of_edges(),
            "partnerparen die samen een initiatief steunen": self.projection.number_of_edges(),
            "losse groepen partners": comps,
        }
        return pd.DataFrame({"kenmerk": list(items), "waarde": list(items.values())})

    # ---------------------------------------------------------------- charts
    def chart(self):
        """Return a heat map of which partner types work together on initiatives."""
        import altair as alt

        from doeagenda.charts import SEQUENTIAL

        matrix = self.co_occurrence()
        long = matrix.reset_index().melt(id_vars="type", var_name="met", value_name="initiatieven")
        order = list(matrix.index)
        base = alt.Chart(chart_safe(long)).encode(
            x=alt.X("met:N", sort=order, title=None, axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("type:N", sort=order, title=None),
        )
        rect = base.mark_rect().encode(
            color=alt.Color(
                "initiatieven:Q", title="initiatieven", scale=alt.Scale(scheme=SEQUENTIAL)
            ),
            tooltip=[
                alt.Tooltip("type:N", title="partnertype"),
                alt.Tooltip("met:N", title="samen met"),
                alt.Tooltip("initiatieven:Q", title="initiatieven"),
            ],
        )
        text = base.mark_text(fontSize=10).encode(text="initiatieven:Q")
        return (rect + text).properties(
            title="Welke partners werken samen aan dezelfde initiatieven?"
        )

    def sector_chart(self, gemeente: str | None = None):
        """Return a heat map: per gemeente the share of initiatives with each sector.

        Parameters
        ----------
        gemeente : str, optional
            Gemeente code to mark with a bold label.
        """
        import altair as alt

        from doeagenda.charts import SEQUENTIAL

        data = self.sector_share().assign(
            gemeente=lambda d: (
                d["gemeente_code"].map(_gemeente_names()).fillna(d["gemeente_code"]).astype(str)
            )
        )
        if gemeente:
            data["gemeente"] = np.where(
                data["gemeente_code"] == gemeente.upper(),
                "▶ " + data["gemeente"],
                data["gemeente"],
            )
        return (
            alt.Chart(chart_safe(data))
            .mark_rect()
            .encode(
                x=alt.X("type:N", title="partnertype", axis=alt.Axis(labelAngle=-40)),
                y=alt.Y("gemeente:N", title=None),
                color=alt.Color(
                    "aandeel:Q",
                    title="aandeel initiatieven",
                    scale=alt.Scale(scheme=SEQUENTIAL, domain=[0, 1]),
                    legend=alt.Legend(format="%"),
                ),
                tooltip=[
                    alt.Tooltip("gemeente:N", title="gemeente"),
                    alt.Tooltip("type:N", title="partnertype"),
                    alt.Tooltip("aandeel:Q", title="aandeel", format=".0%"),
                    alt.Tooltip("met_partner:Q", title="initiatieven met deze partner"),
                    alt.Tooltip("initiatieven:Q", title="initiatieven"),
                ],
            )
            .properties(
                title="Met welke sectoren werken initiatieven samen, per gemeente?", width=420
            )
        )

    def node_link_chart(self, top: int = 40, labels: int = 6, seed: int = 0):
        """Return a node-link chart of the partner projection (largest partners).

        Partners are coloured by sector group (:data:`SECTORS`, eight groups so the
        colours of the house palette suffice) and sized by their number of initiatives;
        the names of the ``labels`` largest are written next to them. Partners that share
        no initiative with another shown partner are left out of the picture.

        Parameters
        ----------
        top : int
            Show the partners with the most initiatives (the projection restricted to them).
        labels : int
            Number of partners whose name is written in the chart.
        seed : int
            Seed of the spring layout, for a reproducible picture.
        """
        import altair as alt

        from doeagenda.charts import PALETTE

        cent = self.centrality().head(top)
        keep = [f"p:{_key(p)}" for p in cent["partner"]]
        view = self.projection.subgraph(keep)
        # Insert nodes and edges in sorted order: spring_layout's result depends on node
        # order, which otherwise follows string hashing and changes between processes.
        sub = nx.Graph()
        sub.add_nodes_from(sorted(view.nodes(data=True)))
        sub.add_edges_from(sorted((min(u, v), max(u, v), d) for u, v, d in view.edges(data=True)))
        sub.remove_nodes_from(list(nx.isolates(sub)))
        spread = 2.5 / max(len(sub), 1) ** 0.5
        pos = nx.spring_layout(sub, k=spread, seed=seed, weight="weight") if len(sub) else {}
        named = set(sorted(sub.nodes, key=lambda n: -self.graph.degree(n))[:labels])
        nodes = pd.DataFrame(
            [
                {
                    "x": float(pos[n][0]),
                    "y": float(pos[n][1]),
                    "partner": sub.nodes[n]["naam"],
                    "type": sub.nodes[n]["type"],
                    "sector": SECTOR_OF.get(sub.nodes[n]["type"], "overig"),
                    "initiatieven": self.graph.degree(n),
                    "label": sub.nodes[n]["naam"] if n in named else "",
                }
                for n in sub.nodes
            ],
            columns=["x", "y", "partner", "type", "sector", "initiatieven", "label"],
        )
        edges = pd.DataFrame(
            [
                {
                    "x": float(pos[u][0]),
                    "y": float(pos[u][1]),
                    "x2": float(pos[v][0]),
                    "y2": float(pos[v][1]),
                    "gedeeld": d.get("weight", 1),
                }
                for u, v, d in sub.edges(data=True)
            ],
            columns=["x", "y", "x2", "y2", "gedeeld"],
        )
        axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
        links = (
            alt.Chart(edges)
            .mark_rule(color="#999999", opacity=0.5)
            .encode(
                x=alt.X("x:Q", axis=axis),
                y=alt.Y("y:Q", axis=axis),
                x2="x2:Q",
                y2="y2:Q",
                strokeWidth=alt.StrokeWidth("gedeeld:Q", legend=None),
            )
        )
        base = alt.Chart(chart_safe(nodes)).encode(
            x=alt.X("x:Q", axis=axis), y=alt.Y("y:Q", axis=axis)
        )
        points = base.mark_circle(opacity=0.9).encode(
            size=alt.Size(
                "initiatieven:Q", title="initiatieven", legend=alt.Legend(orient="right")
            ),
            color=alt.Color(
                "sector:N",
                title="sector",
                scale=alt.Scale(domain=list(SECTORS), range=PALETTE[: len(SECTORS)]),
                legend=alt.Legend(orient="right"),
            ),
            tooltip=[
                alt.Tooltip("partner:N", title="partner"),
                alt.Tooltip("type:N", title="type"),
                alt.Tooltip("initiatieven:Q", title="initiatieven"),
            ],
        )
        text = base.mark_text(align="left", dx=8, fontSize=10).encode(text="label:N")
        return (links + points + text).properties(
            title="Netwerk van partners (verbonden als ze samen een initiatief steunen)",
            width=520,
            height=420,
        )


def _gemeente_names() -> dict[str, str]:
    try:
        from doeagenda import data
    except ImportError:  # pragma: no cover - the data API ships with the package
        return {}
    areas = data.areas(level="gemeente")
    return dict(zip(areas["code"], areas["name"], strict=True))


def network(register, gemeente: str | None = None) -> NetworkResult | NotApplicable:
    """Build the collaboration network of a register.

    Parameters
    ----------
    register : DataFrame, path or ``"voorbeeld"``
        The register.
    gemeente : str, optional
        Restrict to the initiatives of one gemeente (code ``GMxxxx``).

    Returns
    -------
    NetworkResult or NotApplicable
        A :class:`~doeagenda.results.NotApplicable` sentence when there is nothing to
        draw: no initiatives (in the gemeente), or no partners in the register (the
        column ``partners`` is empty, as in ``energie_2019``).
    """
    reg = as_register(register)
    label = str(reg.attrs.get("source") or "dit register")
    where = ""
    if gemeente is not None:
        reg = reg.loc[reg["gemeente_code"] == gemeente.upper()]
        where = f" in {_gemeente_names().get(gemeente.upper(), gemeente)}"
    if reg.empty:
        return NotApplicable(
            f"Niet van toepassing: {label} heeft geen initiatieven{where}, dus is er geen "
            "netwerk van partners te tekenen."
        )
    if not any(len(p) for p in reg["partners"]):
        return NotApplicable(
            f"Niet van toepassing: de initiatieven van {label}{where} hebben geen partners, "
            "dus is er geen netwerk te tekenen; een eigen register met een kolom partners "
            "('naam (type)', zie docs/register.md) maakt dit onderdeel mogelijk."
        )
    graph = partner_graph(reg)
    partners = [n for n, d in graph.nodes(data=True) if d["kind"] == "partner"]
    projection = bipartite.weighted_projected_graph(graph, partners)
    result = NetworkResult(graph, projection, reg.reset_index(drop=True))
    result._between()
    return result
