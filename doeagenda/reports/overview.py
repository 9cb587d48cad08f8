"""The overview page of a run (``index.html``): status per unit, links and a map.

The map is a plain SVG drawn here from :func:`doeagenda.data.boundaries` (one ``<path>``
per gemeente, coloured by status, linked to its report, with a ``<title>`` tooltip), so
the page needs no script and no network and can be redrawn after every finished job in
milliseconds. Everything that comes from data or users is escaped.
"""

from __future__ import annotations

import html
import math
from typing import Any

from doeagenda.charts import HIGHLIGHT, MUTED, PALETTE
from doeagenda.reports.export import CSS

__all__ = ["STATUS_NL", "map_svg", "render_index"]

#: Dutch labels of job statuses.
STATUS_NL = {
    "ok": "klaar",
    "failed": "mislukt",
    "skipped": "overgeslagen",
    "pending": "wacht",
    "running": "bezig",
}
_STATUS_COLOUR = {
    "ok": PALETTE[2],
    "failed": HIGHLIGHT,
    "skipped": MUTED,
    "pending": "#E3E7EB",
    "running": PALETTE[5],
}
_OUTSIDE = "#FFFFFF"
_UNIT_ORDER = ("failed", "running", "pending", "skipped", "ok")

_INDEX_CSS = """
.da-counts span { display: inline-block; margin-right: 1rem; }
.da-badge { display: inline-block; padding: 0 .45rem; border-radius: .6rem; font-size: .8rem;
  color: #fff; white-space: nowrap; }
.da-status-ok { background: #009E73; } .da-status-failed { background: #D55E00; }
.da-status-skipped, .da-status-pending { background: #8795a1; } .da-status-running { background: #56B4E9; }
table.da-units { width: 100%; }
table.da-units td, table.da-units th { text-align: left; }
.da-errortext { color: #D55E00; font-size: .85rem; }
tr.da-group th { padding-top: .8rem; border-bottom: 1px solid #8795a1; }
.da-map svg { width: 100%; max-width: 40rem; height: auto; }
.da-map path { stroke: #8795a1; stroke-width: .5; }
.da-map a:hover path { stroke: #1d2733; stroke-width: 1.5; }
.da-legend span { display: inline-block; margin-right: 1rem; font-size: .85rem; }
.da-legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem;
  vertical-align: middle; border: 1px solid #8795a1; }
"""


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon]
    return []


def map_svg(
    features: list[dict[str, Any]],
    status: dict[str, str],
    links: dict[str, str],
    names: dict[str, str],
    width: int = 640,
) -> str:
    """An SVG map: one linked, coloured path per feature (equirectangular, cos-lat scaled).

    Parameters
    ----------
    features : list of dict
        GeoJSON features (WGS84) with ``properties.code`` and ``properties.name``.
    status : dict
        Code -> status (``ok``/``failed``/...); features without a status are grey.
    links : dict
        Code -> relative link to the unit's report.
    names : dict
        Code -> display name (falls back to the feature's ``name``).
    width : int
        Width of the drawing in px.

    Returns
    -------
    str
        ``<svg>`` element, or an empty string when there is nothing to draw.
    """
    rings_by_code = []
    lons: list[float] = []
    lats: list[float] = []
    for feature in features:
        props = feature.get("properties", {})
        rings = _rings(feature.get("geometry") or {})
        if not rings:
            continue
        rings_by_code.append((str(props.get("code")), str(props.get("name", "")), rings))
        for ring in rings:
            for lon, lat, *_ in ring:
                lons.append(lon)
                lats.append(lat)
    if not lons:
        return ""
    lat0 = math.radians((min(lats) + max(lats)) / 2)
    kx = math.cos(lat0)
    x0, x1 = min(lons) * kx, max(lons) * kx
    y0, y1 = min(lats), max(lats)
    scale = width / max(x1 - x0, 1e-9)
    height = max(1, round((y1 - y0) * scale))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="Kaart van de eenheden">'
    ]
    for code, feature_name, rings in rings_by_code:
        d = []
        for ring in rings:
            points = " L".join(
                f"{(lon * kx - x0) * scale:.1f},{(y1 - lat) * scale:.1f}" for lon, lat, *_ in ring
            )
            d.append(f"M{points}Z")
        state = status.get(code)
        colour = _STATUS_COLOUR.get(state or "", _OUTSIDE)
        label = html.escape(
            f"{names.get(code, feature_name)} ({code}): {STATUS_NL.get(state or '', 'niet in deze run')}"
        )
        path = f'<path d="{" ".join(d)}" fill="{colour}" fill-rule="evenodd"><title>{label}</title></path>'
        link = links.get(code)
        if link:
            path = f'<a href="{html.escape(link, quote=True)}">{path}</a>'
        parts.append(path)
    parts.append("</svg>")
    return "".join(parts)


def _unit_status(states: list[str]) -> str:
    for state in _UNIT_ORDER:
        if state in states:
            return state
    return "pending"


def _gemeente_group(code: str, units: dict[str, Any]) -> str | None:
    """The GM code a wijk or buurt row is grouped under; None when rows are not grouped.

    Rows are grouped per gemeente only when every unit is a wijk or buurt and they span
    more than one gemeente (e.g. all wijken of a provincie).
    """
    if not all(c[:2] in ("WK", "BU") for c in units):
        return None
    if len({c[2:6] for c in units}) < 2:
        return None
    return f"GM{code[2:6]}"


def _gemeente_label(gemeente: str) -> str:
    try:
        from doeagenda.data import area

        return f"Gemeente {area(gemeente)['name']} ({gemeente})"
    except Exception:  # an index page must render even without the shipped data
        return f"Gemeente {gemeente}"


def render_index(manifest: dict[str, Any], features: list[dict[str, Any]] | None = None) -> str:
    """The ``index.html`` of a run from its manifest.

    Parameters
    ----------
    manifest : dict
        The run manifest (see :mod:`doeagenda.reports.manifest`).
    features : list of dict, optional
        GeoJSON features for the map (gemeenten); no map when None or empty.

    Returns
    -------
    str
        The page.
    """
    e = html.escape
    plan = manifest.get("plan", {})
    notebooks = manifest.get("notebooks") or sorted({j["notebook"] for j in manifest["jobs"]})
    stems = [nb.rsplit("/", 1)[-1].removesuffix(".ipynb") for nb in notebooks]
    units: dict[str, dict[str, Any]] = {}
    for job in manifest["jobs"]:
        unit = units.setdefault(
            job["unit"], {"name": job.get("name", ""), "dir": job.get("unit_dir", ""), "jobs": {}}
        )
        unit["jobs"][job["notebook"].rsplit("/", 1)[-1].removesuffix(".ipynb")] = job
    counts: dict[str, int] = {}
    for job in manifest["jobs"]:
        counts[job["status"]] = counts.get(job["status"], 0) + 1

    rows = []
    current_group: str | None = None
    status_by_code: dict[str, str] = {}
    links: dict[str, str] = {}
    names: dict[str, str] = {}
    for code, unit in units.items():
        states = [j["status"] for j in unit["jobs"].values()]
        status_by_code[code] = _unit_status(states)
        names[code] = unit["name"]
        cells = []
        for stem in stems:
            job = unit["jobs"].get(stem)
            if job is None:
                cells.append("<td>–</td>")
                continue
            state = job["status"]
            outputs = job.get("outputs", {})
            bits = [
                f'<span class="da-badge da-status-{e(state)}">{e(STATUS_NL.get(state, state))}</span>'
            ]
            if state in {"ok", "failed"}:
                if "html" in outputs:
                    bits.append(f'<a href="{e(outputs["html"], quote=True)}">rapport</a>')
                    if state == "ok" or code not in links:
                        links.setdefault(code, outputs["html"])
                if "ipynb" in outputs:
                    bits.append(f'<a href="{e(outputs["ipynb"], quote=True)}">notebook</a>')
            err = job.get("error")
            if err:
                where = f"cel [{err['execution_count']}]: " if err.get("execution_count") else ""
                bits.append(
                    f'<div class="da-errortext">{e(where)}{e(str(err.get("ename", "")))}: '
                    f"{e(str(err.get('evalue', ''))[:300])}</div>"
                )
            elif job.get("reason"):
                bits.append(f'<div class="da-errortext">{e(job["reason"])}</div>')
            cells.append(f"<td>{' '.join(bits)}</td>")
        group = _gemeente_group(code, units)
        if group is not None and group != current_group:
            current_group = group
            rows.append(
                f'<tr class="da-group"><th colspan="{2 + len(stems)}">{e(_gemeente_label(group))}'
                "</th></tr>"
            )
        rows.append(f"<tr><td>{e(code)}</td><td>{e(unit['name'])}</td>{''.join(cells)}</tr>")

    run_state = {
        "running": "bezig",
        "finished": "klaar",
        "interrupted": "onderbroken (hervat met --resume)",
    }.get(manifest.get("status", ""), manifest.get("status", ""))
    count_text = " ".join(
        f'<span><span class="da-badge da-status-{e(k)}">{e(STATUS_NL.get(k, k))}</span> {v}</span>'
        for k, v in sorted(counts.items())
    )
    map_html = ""
    if features:
        svg = map_svg(features, status_by_code, links, names)
        if svg:
            legend = "".join(
                f'<span><i style="background:{_STATUS_COLOUR[k]}"></i>{e(STATUS_NL[k])}</span>'
                for k in ("ok", "failed", "skipped", "pending")
            )
            legend += f'<span><i style="background:{_OUTSIDE}"></i>niet in deze run</span>'
            map_html = (
                f'<section class="da-map"><h2>Kaart</h2>{svg}'
                f'<p class="da-legend">{legend}</p></section>'
            )
    title = plan.get("title") or "Rapporten"
    env = manifest.get("environment", {})
    footer = (
        f"Run {manifest.get('run_id', '')} · gemaakt met doeagenda "
        f"{env.get('packages', {}).get('doeagenda') or ''} · commit "
        f"{(env.get('git_commit') or 'onbekend')[:10]} · gegevens: CBS (CC BY 4.0) · "
        "details in manifest.json en run.log"
    )
    header_cells = "".join(f"<th>{e(s)}</th>" for s in stems)
    return f"""<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{e(title)} – overzicht</title>
<style>
{CSS}
{_INDEX_CSS}
</style>
</head>
<body>
<header class="da-header">
<h1>{e(title)}</h1>
<p class="da-meta">Run {e(manifest.get("run_id", ""))} · gestart {e(manifest.get("created", ""))} ·
status: {e(run_state)} · {e(manifest.get("units_description", ""))}</p>
<p class="da-counts">{count_text}</p>
</header>
<main>
{map_html}
<section>
<h2>Rapporten per eenheid</h2>
<table class="da-units">
<thead><tr><th>Code</th><th>Naam</th>{header_cells}</tr></thead>
<tbody>
{"".join(rows)}
</tbody>
</table>
</section>
</main>
<footer class="da-footer"><p>{e(footer)}</p></footer>
</body>
</html>
"""
