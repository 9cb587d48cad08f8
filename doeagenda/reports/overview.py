"""The overview page of a run (``index.html``): where each gemeente stands, and its reports.

For a gemeente plan the page shows a choropleth of the Buurzaamheidsindex (a plain inline
SVG from :func:`doeagenda.data.boundaries`, a status dot per unit in the run), a sortable
table per gemeente (inwoners, index score and rank interval, loneliness share, initiatives
per 10,000 inhabitants, status and links to its reports) and one line per failed job. A
wijk plan's table is grouped per gemeente. The figures per gemeente are computed once per
run, in the coordinating process (:mod:`doeagenda.reports.overview_data`), in a background
thread so the first jobs start at once; until they are ready the page says so, and the
final page of a run waits for them.

HTML comes from Jinja2 templates in ``templates/overview`` with autoescape on, so names,
errors and titles from plans, data or users cannot inject markup. The page loads nothing:
styles and the small sort script are inline, the map is SVG.
"""

from __future__ import annotations

import concurrent.futures
import logging
import math
import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from doeagenda.charts import HIGHLIGHT, MUTED, PALETTE, nl_format
from doeagenda.errors import DoeagendaError

if TYPE_CHECKING:
    import jinja2

    from doeagenda.reports.overview_data import ProvinceFigures

__all__ = ["STATUS_NL", "figures_for_run", "map_svg", "render_index"]

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).with_name("templates") / "overview"

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
_NO_SCORE = "#C9CED3"
# Light to dark blue (ColorBrewer Blues 2..8): a higher index score is darker.
_SCALE = ("#DEEBF7", "#C6DBEF", "#9ECAE1", "#6BAED6", "#4292C6", "#2171B5", "#08519C")
_UNIT_ORDER = ("failed", "running", "pending", "skipped", "ok")
_MISSING = "geen gegevens"
#: Seconds the final page of a run waits for the figures per gemeente.
FINAL_WAIT = 600


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=False,
        keep_trailing_newline=True,
    )


@cache
def _static(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def _report_css() -> str:
    path = Path(__file__).with_name("templates") / "doeagenda_report" / "report.css"
    return path.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------ map
def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon]
    return []


def _score_colour(score: float | None, low: float, high: float) -> str:
    if score is None or score != score:
        return _NO_SCORE
    share = 0.5 if high <= low else (score - low) / (high - low)
    return _SCALE[min(len(_SCALE) - 1, max(0, int(share * len(_SCALE))))]


def map_svg(
    features: list[dict[str, Any]],
    status: dict[str, str],
    links: dict[str, str],
    names: dict[str, str],
    width: int = 640,
    scores: dict[str, float] | None = None,
    score_range: tuple[float, float] | None = None,
) -> str:
    """An SVG map: one linked path per feature (equirectangular, cos-lat scaled).

    Parameters
    ----------
    features : list of dict
        GeoJSON features (WGS84) with ``properties.code`` and ``properties.name``.
    status : dict
        Code -> status (``ok``/``failed``/...) of the units in the run; each gets a dot.
    links : dict
        Code -> relative link to the unit's report.
    names : dict
        Code -> display name (falls back to the feature's ``name``).
    width : int
        Width of the drawing in px.
    scores : dict, optional
        Code -> index score (0-100): fills a choropleth. Without scores, features are
        filled by status (as before the index was on the overview).
    score_range : tuple of float, optional
        Scores mapped to the lightest and darkest colour (default: those in the run).

    Returns
    -------
    str
        ``<svg>`` element (markup-safe), or an empty string when there is nothing to draw.
    """
    shapes_raw = []
    lons: list[float] = []
    lats: list[float] = []
    for feature in features:
        props = feature.get("properties", {})
        rings = _rings(feature.get("geometry") or {})
        if not rings:
            continue
        shapes_raw.append((str(props.get("code")), str(props.get("name", "")), rings))
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
    if score_range is None:
        in_run = [scores.get(code) for code in status] if scores else []
        known = [s for s in in_run if s is not None and s == s]
        score_range = (min(known), max(known)) if known else (0.0, 100.0)
    low, high = score_range
    shapes = []
    for code, feature_name, rings in shapes_raw:
        d = []
        largest: tuple[float, float, float] = (-1.0, 0.0, 0.0)
        for ring in rings:
            xs = [(lon * kx - x0) * scale for lon, _lat, *_ in ring]
            ys = [(y1 - lat) * scale for _lon, lat, *_ in ring]
            d.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True)) + "Z")
            area = (max(xs) - min(xs)) * (max(ys) - min(ys))
            if area > largest[0]:
                largest = (area, sum(xs) / len(xs), sum(ys) / len(ys))
        state = status.get(code)
        label = f"{names.get(code, feature_name)} ({code}): "
        if scores is not None:
            score = scores.get(code)
            fill = _score_colour(score, low, high) if state else _OUTSIDE
            shown = nl_format(score, 1) if score is not None else _MISSING
            label += f"index {shown}; " if state else ""
        else:
            fill = _STATUS_COLOUR.get(state or "", _OUTSIDE)
        label += STATUS_NL.get(state or "", "niet in deze run")
        shapes.append(
            {
                "d": " ".join(d),
                "fill": fill,
                "label": label,
                "link": links.get(code),
                "marker": (f"{largest[1]:.1f}", f"{largest[2]:.1f}")
                if state and scores is not None
                else None,
                "marker_fill": _STATUS_COLOUR.get(state or "", MUTED),
            }
        )
    svg = (
        _environment()
        .get_template("map.svg.j2")
        .render(width=width, height=height, shapes=shapes, marker_radius=max(2.5, width / 180))
    )
    return Markup(svg.strip())


def _unit_status(states: list[str]) -> str:
    for state in _UNIT_ORDER:
        if state in states:
            return state
    return "pending"


# ------------------------------------------------------------------- figures per run
_FIGURES: dict[tuple[str, ...], concurrent.futures.Future] = {}
_FIGURES_LOCK = threading.Lock()
_POOL: concurrent.futures.ThreadPoolExecutor | None = None


def _gemeente_of(manifest: dict[str, Any]) -> dict[str, str]:
    """Unit code -> GM code of its gemeente (GM units map to themselves)."""
    units = {job["unit"] for job in manifest.get("jobs", [])}
    wijken = sorted(code for code in units if not code.startswith("GM"))
    out = {code: code for code in units if code.startswith("GM")}
    if wijken:
        from doeagenda import data

        table = data.areas("wijk").set_index("code")["gemeente_code"]
        out.update({code: str(table[code]) for code in wijken if code in table.index})
    return out


def figures_for_run(manifest: dict[str, Any], wait: float | None = 0) -> ProvinceFigures | None:
    """The figures per gemeente of a run's units, computed once in a background thread.

    Parameters
    ----------
    manifest : dict
        The run manifest; only real plans (with ``plan.units``) get figures.
    wait : float or None
        Seconds to wait for the computation; ``0`` returns None while it runs, ``None``
        waits until it is done.

    Returns
    -------
    ProvinceFigures or None
        None while computing, for manifests without a plan, or when it failed (logged).
    """
    global _POOL
    if not (manifest.get("plan") or {}).get("units"):
        return None
    try:
        gemeenten = tuple(sorted(set(_gemeente_of(manifest).values())))
    except Exception as error:  # the overview must render even without figures
        logger.warning("overzicht zonder cijfers per gemeente: %s", error)
        return None
    if not gemeenten:
        return None
    with _FIGURES_LOCK:
        future = _FIGURES.get(gemeenten)
        if future is None:
            from doeagenda.reports.overview_data import province_figures

            if _POOL is None:
                _POOL = concurrent.futures.ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="doeagenda-overzicht"
                )
            future = _POOL.submit(province_figures, gemeenten)
            _FIGURES[gemeenten] = future
    try:
        return future.result(timeout=wait)
    except concurrent.futures.TimeoutError:
        return None
    except Exception as error:
        logger.warning("overzicht zonder cijfers per gemeente: %s", error)
        return None


# ---------------------------------------------------------------------------- page
def _number(value: Any, decimals: int = 0, suffix: str = "") -> dict[str, Any]:
    if value is None or value != value:
        return {"text": _MISSING, "sort": "", "missing": True, "num": True}
    return {
        "text": nl_format(float(value), decimals) + suffix,
        "sort": f"{float(value):.6g}",
        "num": True,
    }


def _text(value: str, sort: str | None = None) -> dict[str, Any]:
    return {"text": value, "sort": sort}


def _figure_cells(code: str, figures: ProvinceFigures | None) -> list[dict[str, Any]]:
    if figures is None or code not in figures.table.index:
        return [_number(None) for _ in range(5)]
    row = figures.table.loc[code]
    rank = _number(row["rang"])
    interval = _number(row["rang_p05"])
    if interval["sort"]:
        interval["text"] = f"{nl_format(row['rang_p05'])}–{nl_format(row['rang_p95'])}"
    return [
        _number(row["inwoners"]),
        _number(row["index_score"], 1),
        rank,
        interval,
        _number(row["eenzaam_pct"], 1, " %"),
        _number(row["energiecooperaties_per_10000"], 2),
    ]


def _job_views(unit: dict[str, Any], stems: list[str], links: dict[str, str], code: str) -> list:
    views = []
    for stem in stems:
        job = unit["jobs"].get(stem)
        if job is None:
            continue
        state = job["status"]
        outputs = job.get("outputs", {})
        view_links = []
        if state in {"ok", "failed"}:
            if "html" in outputs:
                view_links.append(("rapport", outputs["html"]))
                if state == "ok" or code not in links:
                    links.setdefault(code, outputs["html"])
            if "ipynb" in outputs:
                view_links.append(("ipynb", outputs["ipynb"]))
        views.append(
            {
                "notebook": stem,
                "state": state,
                "label": STATUS_NL.get(state, state),
                "links": view_links,
                "error": _error_text(job),
            }
        )
    return views


def _error_text(job: dict[str, Any]) -> str:
    err = job.get("error")
    if err:
        where = f"cel [{err['execution_count']}]: " if err.get("execution_count") else ""
        return f"{where}{err.get('ename', '')}: {str(err.get('evalue', ''))[:300]}"
    return str(job.get("reason") or "")


_GEMEENTE_COLUMNS = [
    {"label": "Code", "type": "text", "sortable": True},
    {"label": "Gemeente", "type": "text", "sortable": True},
    {"label": "Status", "type": "text", "sortable": True},
    {"label": "Inwoners", "type": "number", "sortable": True},
    {
        "label": "Index",
        "type": "number",
        "sortable": True,
        "title": "Buurzaamheidsindex, score 0-100 (hoger is beter)",
    },
    {
        "label": "Rang",
        "type": "number",
        "sortable": True,
        "title": "Rang op de index binnen de provincie (1 is de hoogste score)",
    },
    {
        "label": "Rang-interval",
        "type": "number",
        "sortable": True,
        "title": "5%- tot 95%-grens van de rang over de Monte Carlo-runs",
    },
    {
        "label": "Eenzaam (18+)",
        "type": "number",
        "sortable": True,
        "title": "Aandeel (zeer) eenzame volwassenen, RIVM 2020",
    },
    {
        "label": "Energiecoöperaties per 10.000 inwoners (2019)",
        "type": "number",
        "sortable": True,
        "title": (
            "Lokale energiecoöperaties eind 2019 per 10.000 inwoners (2024); bron: Lokale "
            "Energie Monitor 2019, HIER opgewekt"
        ),
    },
    {"label": "Rapporten", "type": None, "sortable": False},
]
_WIJK_COLUMNS = [
    {"label": "Code", "type": "text", "sortable": True},
    {"label": "Wijk", "type": "text", "sortable": True},
    {"label": "Status", "type": "text", "sortable": True},
    {"label": "Rapporten", "type": None, "sortable": False},
]


def render_index(
    manifest: dict[str, Any],
    features: list[dict[str, Any]] | None = None,
    figures: ProvinceFigures | bool | None = True,
) -> str:
    """The ``index.html`` of a run from its manifest.

    Parameters
    ----------
    manifest : dict
        The run manifest (see :mod:`doeagenda.reports.manifest`).
    features : list of dict, optional
        GeoJSON features for the map (gemeenten); no map when None or empty.
    figures : ProvinceFigures, None or True
        Figures per gemeente. ``True`` (default): computed once per run in the background
        (:func:`figures_for_run`); the final page of a run waits for them. ``None``: none.

    Returns
    -------
    str
        The page.
    """
    if figures is True:
        final = manifest.get("status") == "finished"  # an interrupted run should stop fast
        figures = figures_for_run(manifest, wait=FINAL_WAIT if final else 0)
        pending = figures is None and bool((manifest.get("plan") or {}).get("units"))
    else:
        pending = False
    figures = figures or None
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

    wijk_plan = any(not code.startswith("GM") for code in units)
    status_by_code: dict[str, str] = {}
    links: dict[str, str] = {}
    names: dict[str, str] = {}
    rows_by_group: dict[str, list[list[dict[str, Any]]]] = {}
    gemeente_of: dict[str, str] = {}
    if wijk_plan:
        try:
            gemeente_of = _gemeente_of(manifest)
        except Exception as error:  # grouping is a nicety; the links matter more
            logger.warning("wijken niet per gemeente gegroepeerd: %s", error)
    for code, unit in units.items():
        state = _unit_status([j["status"] for j in unit["jobs"].values()])
        status_by_code[code] = state
        names[code] = unit["name"]
        jobs = _job_views(unit, stems, links, code)
        row = [
            _text(code),
            _text(unit["name"]),
            {
                "text": STATUS_NL.get(state, state),
                "sort": str(_UNIT_ORDER.index(state)),
                "badge": state,
            },
        ]
        if not wijk_plan:
            row += _figure_cells(code, figures)
        row.append({"jobs": jobs})
        rows_by_group.setdefault(gemeente_of.get(code, "") if wijk_plan else "", []).append(row)

    groups = []
    for group_code in sorted(rows_by_group):
        header = ""
        if wijk_plan:
            header = _group_header(group_code, figures)
        groups.append({"header": header, "rows": rows_by_group[group_code]})

    failures = [
        {
            "unit": job["unit"],
            "name": job.get("name", ""),
            "notebook": job["notebook"].rsplit("/", 1)[-1].removesuffix(".ipynb"),
            "link": (job.get("outputs") or {}).get("html"),
            "text": _error_text(job) or "mislukt",
        }
        for job in manifest["jobs"]
        if job["status"] == "failed"
    ]

    scores = None
    if figures is not None:
        scores = {
            code: float(value)
            for code, value in figures.table["index_score"].items()
            if value == value
        }
    map_markup = ""
    legend_scale: list[tuple[str, str]] = []
    legend_status: list[tuple[str, str]] = []
    if features and not wijk_plan:
        score_range = figures.score_range if figures is not None else None
        map_markup = map_svg(
            features, status_by_code, links, names, scores=scores, score_range=score_range
        )
        if scores is not None:
            in_run = [scores[c] for c in status_by_code if c in scores]
            if in_run:
                low, high = score_range or (min(in_run), max(in_run))
                where = "in de provincie" if score_range else "in deze run"
                legend_scale = [
                    (_SCALE[0], f"index {nl_format(low, 1)} (laagst {where})"),
                    (_SCALE[len(_SCALE) // 2], "midden"),
                    (_SCALE[-1], f"index {nl_format(high, 1)} (hoogst {where})"),
                    (_NO_SCORE, _MISSING),
                ]
            legend_status = [
                (_STATUS_COLOUR[k], STATUS_NL[k]) for k in ("ok", "failed", "running", "pending")
            ]
        else:
            legend_scale = [
                (_STATUS_COLOUR[k], STATUS_NL[k]) for k in ("ok", "failed", "skipped", "pending")
            ]
        legend_scale.append((_OUTSIDE, "niet in deze run"))

    run_state = {
        "running": "bezig",
        "finished": "klaar",
        "interrupted": "onderbroken (hervat met --resume)",
    }.get(manifest.get("status", ""), manifest.get("status", ""))
    env = manifest.get("environment", {})
    footer = (
        f"Run {manifest.get('run_id', '')} · gemaakt met doeagenda "
        f"{env.get('packages', {}).get('doeagenda') or ''} · commit "
        f"{(env.get('git_commit') or 'onbekend')[:10]} · gegevens: CBS (CC BY 4.0), "
        "RIVM Gezondheidsmonitor 2020 · details in manifest.json en run.log"
    )
    notes = list(figures.notes) if figures is not None else []
    if figures is not None and figures.runs:
        notes.insert(
            0,
            f"Rang-interval: 5%- tot 95%-grens van de rang over {nl_format(figures.runs)} "
            "Monte Carlo-runs met andere, even verdedigbare keuzes (gewichten, normalisatie, "
            "aggregatie); rangen binnen de provincie.",
        )
    return (
        _environment()
        .get_template("index.html.j2")
        .render(
            title=plan.get("title") or "Rapporten",
            run_id=manifest.get("run_id", ""),
            created=manifest.get("created", ""),
            run_state=run_state,
            units_description=manifest.get("units_description", ""),
            counts=[(k, STATUS_NL.get(k, k), v) for k, v in sorted(counts.items())],
            failures=failures,
            map_svg=map_markup,
            map_title="Kaart: Buurzaamheidsindex" if scores is not None else "Kaart",
            legend_scale=legend_scale,
            legend_status=legend_status,
            table_title="Wijken per gemeente" if wijk_plan else "Gemeenten en hun rapporten",
            figures_pending=pending,
            columns=_WIJK_COLUMNS if wijk_plan else _GEMEENTE_COLUMNS,
            groups=groups,
            notes=notes,
            footer=footer,
            css=Markup(_report_css() + "\n" + _static("overview.css")),
            script=Markup(_static("sort.js")),
        )
    )


def _gemeente_name(code: str) -> str:
    """The gemeente's name, or its code when the data do not know it (a test manifest)."""
    from doeagenda.data import area  # pandas and the tidy tables: only for wijk plans

    try:
        return str(area(code)["name"])
    except DoeagendaError:
        return code


def _group_header(code: str, figures: ProvinceFigures | None) -> str:
    if not code:
        return "Overige eenheden"
    if figures is None or code not in figures.table.index:
        name = _gemeente_name(code)
        return f"Gemeente {code}" if name == code else f"Gemeente {name} ({code})"
    row = figures.table.loc[code]
    parts = [f"Gemeente {row['naam']} ({code})", f"{nl_format(row['inwoners'])} inwoners"]
    if row["index_score"] == row["index_score"]:
        parts.append(
            f"index {nl_format(row['index_score'], 1)}, rang {nl_format(row['rang'])} van "
            f"{nl_format(row['rang_van'])} (interval {nl_format(row['rang_p05'])}–"
            f"{nl_format(row['rang_p95'])})"
        )
    parts.append(
        f"eenzaam {nl_format(row['eenzaam_pct'], 1)}"
        + (" %" if row["eenzaam_pct"] == row["eenzaam_pct"] else "")
    )
    parts.append(
        f"energiecoöperaties per 10.000 (2019): {nl_format(row['energiecooperaties_per_10000'], 2)}"
    )
    return " · ".join(parts)
