"""Offline, readable HTML from executed notebooks (nbconvert with the doeagenda template).

Report mode: code hidden, Dutch page chrome, print-friendly CSS, no ``<script>`` and no
external URLs. Charts arrive as ``image/svg+xml`` (the kernels run with
``DOEAGENDA_RENDERER=svg``) and are inlined; a Vega-Lite output without an image (a
notebook run elsewhere with altair's default renderer) is converted to SVG here with
vl-convert. HTML and Markdown outputs and cells pass an allow-list sanitizer (bleach),
so user-supplied text (names of initiatives, places) cannot inject markup.
"""

from __future__ import annotations

import copy
import functools
import itertools
import re
from pathlib import Path
from typing import Any

import bleach
import nbformat
from bleach.css_sanitizer import CSSSanitizer
from nbconvert import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

from doeagenda.results import NOT_APPLICABLE_MARK

__all__ = [
    "ReportExporter",
    "clean_html",
    "find_external_urls",
    "gather_not_applicable",
    "inline_svg",
]

TEMPLATES = Path(__file__).with_name("templates")
CSS = (TEMPLATES / "doeagenda_report" / "report.css").read_text(encoding="utf-8")

_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
        "dd", "del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2",
        "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre",
        "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
_GLOBAL_ATTRS = {"class", "id", "title", "lang", "dir", "style"}
_CELL_ATTRS = {"colspan", "rowspan", "scope", "headers", "align", "valign"}
_CSS = CSSSanitizer(
    allowed_css_properties=[
        "text-align", "vertical-align", "color", "background-color", "font-weight",
        "font-style", "font-size", "white-space", "width", "min-width", "max-width",
        "padding", "margin", "border", "border-bottom", "border-top", "display",
    ]
)  # fmt: skip
_EXTERNAL = re.compile(r"^\s*([a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>.*?</style\s*>", re.IGNORECASE | re.DOTALL)
_EXTERNAL_LINK = re.compile(
    r"<a\s[^>]*?href\s*=\s*([\"'])((?:https?:)?//[^\"']*)\1[^>]*>(.*?)</a\s*>",
    re.IGNORECASE | re.DOTALL,
)


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    if name in _GLOBAL_ATTRS:
        return True
    if tag in {"td", "th", "col", "colgroup"} and name in _CELL_ATTRS:
        return True
    if tag == "table" and name in {"border", "cellpadding", "cellspacing"}:
        return True
    if tag == "a" and name == "href":
        return not _EXTERNAL.match(value)
    if tag == "img" and name == "src":
        return value.startswith("data:image/")
    if tag == "img" and name in {"alt", "width", "height"}:
        return True
    if tag == "ol" and name in {"start", "type"}:
        return True
    return tag in {"abbr", "details"} and name in {"title", "open"}


def _unlink(match: re.Match[str]) -> str:
    url = re.sub(r"^(https?:)?//", "", match.group(2))
    label = match.group(3)
    if re.sub(r"<[^>]+>", "", label).strip() == url:
        return f'<span class="da-url">{url}</span>'
    return f'{label} (<span class="da-url">{url}</span>)'


def clean_html(html: str) -> str:
    """Sanitize an HTML fragment for a report.

    ``<style>`` blocks are dropped, tags outside an allow-list are escaped (so
    ``<script>`` shows as text), attributes outside the list are removed, and links to
    other sites become plain text with the address shown (printable, no external URL).

    Parameters
    ----------
    html : str
        HTML fragment (pandas table, rendered Markdown, ...).

    Returns
    -------
    str
    """
    return _clean_html(str(html))


# A pure function of its text: the Markdown cells and the page chrome repeat in every
# report of a batch run, so a worker sanitizes each only once (bleach's html5lib pass is
# the larger part of the export time).
@functools.lru_cache(maxsize=1024)
def _clean_html(html: str) -> str:
    html = _STYLE_BLOCK.sub("", html)
    html = _EXTERNAL_LINK.sub(_unlink, html)
    return bleach.clean(
        html,
        tags=_TAGS,
        attributes=_allow_attribute,
        protocols=["data"],
        css_sanitizer=_CSS,
        strip=False,
        strip_comments=True,
    )


# Each pattern starts with a literal ("id=", "url(", "href="), so the regex engine jumps
# from one occurrence to the next instead of trying every position of a 200 kB SVG (a
# leading \b or an alternation made these two passes 30 ms per report); the look-behind
# after "id=" keeps the word boundary of \bid=.
_ID = re.compile(r"""id=(?<!\wid=)(["'])([^"']+)\1""")
_URL_REF = re.compile(r"""url\(\s*#([^)\s]+)\s*\)""")
_HREF_REF = re.compile(r"""href=(["'])#([^"']+)\1""")  # also xlink:href


def inline_svg(svg: str, prefix: str) -> str:
    """Make an SVG document safe to inline next to others in one page.

    Removes the XML prolog, ``<script>`` elements and ``on*`` handlers, and prefixes every
    ``id`` (and the references to it), so clip paths and gradients of two charts cannot
    collide.

    Parameters
    ----------
    svg : str
        The SVG document.
    prefix : str
        Unique prefix for ids in this page.

    Returns
    -------
    str
    """
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>", "", svg, flags=re.IGNORECASE)
    svg = re.sub(r"<script\b.*?</script\s*>", "", svg, flags=re.IGNORECASE | re.DOTALL)
    svg = re.sub(r"""\son[a-z]+\s*=\s*(["']).*?\1""", "", svg, flags=re.IGNORECASE)
    svg = _ID.sub(lambda m: f"id={m.group(1)}{prefix}{m.group(2)}{m.group(1)}", svg)
    svg = _URL_REF.sub(lambda m: f"url(#{prefix}{m.group(1)})", svg)
    svg = _HREF_REF.sub(lambda m: f"href={m.group(1)}#{prefix}{m.group(2)}{m.group(1)}", svg)
    return _dutch_aria(svg).strip()


_ROLE_DESCRIPTION = re.compile(r'\saria-roledescription="[^"]*"')
_TITLE_LABEL = re.compile(r"aria-label=\"(?:Sub)?[Tt]itle text '(.*?)'\"")


def _dutch_aria(svg: str) -> str:
    """Drop vega's English screen-reader words from an SVG chart; keep the Dutch ones.

    Vega names each group for screen readers in English ("line mark container", "Title text
    'Inwoners'"); the theme already hides axes and legends from them (``aria: False`` in
    :mod:`doeagenda.charts`). Without ``aria-roledescription`` a screen reader names the
    role in its own language, and a title is read as its own (Dutch) text.
    """
    svg = _ROLE_DESCRIPTION.sub("", svg)
    return _TITLE_LABEL.sub(lambda m: f'aria-label="{m.group(1)}"', svg)


_URL_ATTR = re.compile(
    r"""(?:\bsrc|\bhref|\baction|\bposter|\bdata)\s*=\s*(["']?)\s*((?:[a-z][a-z0-9+.-]*:)?//[^"'\s>]+)""",
    re.IGNORECASE,
)
_CSS_URL = re.compile(r"""url\(\s*["']?((?:[a-z][a-z0-9+.-]*:)?//[^)"']+)""", re.IGNORECASE)
_IMPORT = re.compile(r"""@import\s+["']([^"']+)""", re.IGNORECASE)


def find_external_urls(html: str) -> list[str]:
    """External resources or links a page refers to (should be empty for reports).

    Looks at ``src``/``href``/``action``/``poster``/``data`` attributes, CSS ``url(...)``
    and ``@import``. XML namespace declarations (``xmlns``) are not references.

    Parameters
    ----------
    html : str
        A page.

    Returns
    -------
    list of str
    """
    found = [m.group(2) for m in _URL_ATTR.finditer(html)]
    found += [m.group(1) for m in _CSS_URL.finditer(html)]
    found += [m.group(1) for m in _IMPORT.finditer(html)]
    return found


_VEGALITE = re.compile(r"^application/vnd\.vegalite\.v(\d+)(\.\d+)?\+json$")


def _vegalite_to_svg(output: Any) -> None:
    data = output.get("data", {})
    if "image/svg+xml" in data or "image/png" in data:
        return
    for mime, spec in list(data.items()):
        if _VEGALITE.match(mime):
            import vl_convert

            data["image/svg+xml"] = vl_convert.vegalite_to_svg(spec)
            data.pop("text/html", None)
            return


_HEADING = re.compile(r"^(#{2,6})\s+(.+?)\s*#*\s*$")
GATHERED_HEADING = "Niet in dit rapport"


def _heading(cell: Any) -> tuple[int, str] | None:
    """Level and title of a section heading cell (level 2 or deeper), else None."""
    if cell.cell_type != "markdown":
        return None
    first = next((line for line in cell.source.splitlines() if line.strip()), "")
    match = _HEADING.match(first)
    if match is None:
        return None
    return len(match.group(1)), re.sub(r"[*_`]", "", match.group(2)).strip()


def _is_not_applicable(output: Any) -> bool:
    return bool(output.get("metadata", {}).get(NOT_APPLICABLE_MARK))


def _only_not_applicable(cells: list[Any]) -> list[str] | None:
    """The sentences of a section that shows nothing but NotApplicable, else None."""
    sentences: list[str] = []
    for cell in cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if not _is_not_applicable(output):
                return None
            text = output.get("data", {}).get("text/markdown", "")
            if text not in sentences:
                sentences.append(text)
    return sentences or None


def gather_not_applicable(nb: Any) -> Any:
    """Move the sections that do not apply to one list at the end of the report.

    A section runs from a heading (``##`` or deeper) to the next heading. When everything it
    shows is a :class:`~doeagenda.results.NotApplicable` sentence (a register without stop
    dates, a method not chosen), and so is everything its subsections show, its heading,
    explanation and empty cells are left out (a subsection that is kept keeps the heading
    above it), and
    a closing section *Niet in dit rapport* names it with its sentence, once for all the
    sections that share one. The notebook itself keeps every cell (JupyterLab shows them
    all); only the page is shortened.

    Parameters
    ----------
    nb : NotebookNode
        An executed notebook; changed in place and returned.

    Returns
    -------
    NotebookNode
    """
    sections: list[tuple[int, tuple[int, str]]] = []
    for i, cell in enumerate(nb.cells):
        heading = _heading(cell)
        if heading is not None:
            sections.append((i, heading))
    if not sections:
        return nb
    bounds = [*(i for i, _ in sections[1:]), len(nb.cells)]
    # a section's own sentences (None when it shows anything else), then: a section is left
    # out only with all its subsections, so a kept subsection never loses its heading above
    own = [
        _only_not_applicable(nb.cells[start + 1 : end])
        for (start, _), end in zip(sections, bounds, strict=True)
    ]
    left_out = [False] * len(sections)
    for index, (_, (level, _)) in enumerate(sections):
        subtree = index + 1
        while subtree < len(sections) and sections[subtree][1][0] > level:
            subtree += 1
        left_out[index] = all(own[k] is not None for k in range(index, subtree))
    kept: list[Any] = list(nb.cells[: sections[0][0]])
    gathered: dict[tuple[str, ...], list[str]] = {}
    for index, ((start, (_, title)), end) in enumerate(zip(sections, bounds, strict=True)):
        sentences = own[index]
        if left_out[index] and sentences is not None:
            gathered.setdefault(tuple(sentences), []).append(title)
        else:
            kept.extend(nb.cells[start:end])
    if gathered:
        lines = [
            f"## {GATHERED_HEADING}",
            "",
            "Deze onderdelen zijn weggelaten, omdat ze hier niet van toepassing zijn:",
            "",
        ]
        for reasons, titles in gathered.items():
            names = [f"**{title}**" for title in titles]
            listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} en {names[-1]}"
            stop = "" if titles[-1].endswith(("?", "!", ".")) else "."
            lines.append(f"- {listed}{stop} {' '.join(reasons)}")
        kept.append(nbformat.v4.new_markdown_cell("\n".join(lines)))
    nb.cells = kept
    return nb


def _title(nb: Any) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return re.sub(r"[*_`]", "", line[2:]).strip()
    return ""


class _ReportHTMLExporter(HTMLExporter):
    """HTMLExporter without the BeautifulSoup pass over the finished page.

    That pass only adds English alt texts and tabindex attributes (our pages have no
    ``<img>`` without alt and no focusable cells) and takes about half the export time.
    """

    def from_notebook_node(self, nb, resources=None, **kw):
        """Convert from notebook node (as HTMLExporter, minus the post-processing)."""
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
        )
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


class ReportExporter:
    """Turn executed notebooks into report pages (one instance per worker, reused)."""

    def __init__(self) -> None:
        self._counter = itertools.count()
        exporter = _ReportHTMLExporter(
            template_name="doeagenda_report",
            extra_template_basedirs=[str(TEMPLATES)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            # validate the notebook once, after all preprocessors, not after each of the
            # dozen (a tenth of the export time per report)
            optimistic_validation=True,
        )
        exporter.register_filter("da_clean", clean_html)
        exporter.register_filter("da_svg", lambda svg: inline_svg(svg, f"c{next(self._counter)}-"))
        self._exporter = exporter

    def export(
        self,
        nb: Any,
        *,
        unit_label: str = "",
        footer: str = "",
        error: dict[str, Any] | None = None,
        version: str = "",
        overview_link: bool = True,
    ) -> str:
        """Render an executed notebook as a report page.

        Parameters
        ----------
        nb : NotebookNode
            The executed notebook (papermill output; may be partial, with an error).
        unit_label : str
            E.g. ``"Utrecht (GM0344)"``; used in the page title and header.
        footer : str
            Footer line (run id, date, sources).
        error : dict, optional
            ``{"execution_count", "ename", "evalue", "cell_index"}`` of the failing cell.
        version : str
            doeagenda version for the ``generator`` meta tag.
        overview_link : bool
            Link back to the run's ``index.html`` (a batch report); off for a single
            report (``doeagenda rapport``), which has no overview.

        Returns
        -------
        str
            The HTML page.
        """
        nb = copy.deepcopy(nb)
        nb.cells = [
            c for c in nb.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])
        ]
        gather_not_applicable(nb)
        nb.metadata.pop("widgets", None)
        failed_cell = None
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for output in cell.get("outputs", []):
                if output.get("output_type") in {"display_data", "execute_result"}:
                    _vegalite_to_svg(output)
                if output.get("output_type") == "error" and failed_cell is None:
                    failed_cell = cell
        if failed_cell is None and error:
            failed_cell = next(
                (
                    c
                    for c in nb.cells
                    if c.get("metadata", {}).get("papermill", {}).get("status") == "running"
                ),
                None,
            )
        if failed_cell is not None and error:
            source = nbformat.v4.new_output(
                "display_data",
                data={
                    "text/html": '<div class="da-source"><p>Code van de cel waar het misging:</p>'
                    f"<pre>{bleach.clean(failed_cell.source, tags=set(), strip=False)}</pre></div>"
                },
            )
            failed_cell.outputs = [source, *failed_cell.get("outputs", [])]
        heading = _title(nb)
        title = " – ".join(t for t in (heading, unit_label) if t) or "Rapport"
        subtitle = " · ".join(t for t in (unit_label, heading) if t)
        resources = {
            "doeagenda": {
                "title": title,
                "subtitle": subtitle,
                "footer": footer,
                "css": CSS,
                "error": error,
                "version": version,
                "overview_link": overview_link,
            }
        }
        html, _ = self._exporter.from_notebook_node(nb, resources=resources)
        return html
