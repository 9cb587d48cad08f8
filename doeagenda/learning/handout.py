"""Printable handouts of the learning modules.

A handout is made from the module's own notebook, so the text never drifts from the
lesson: the cells run in-process in *handout mode* (see
:func:`doeagenda.learning.lesson.handout_mode`), where every widget builder returns its
static view at the default settings (an inline SVG chart and a table) and every exercise
becomes a question with lines to write on. The participant version never shows answers
(trainer mode is forced off, whatever ``DOEAGENDA_TRAINER`` says); the trainer version adds
the worked answer under each question.

The HTML is self-contained: no scripts, no external URLs, print CSS for A4.
"""

from __future__ import annotations

import ast
import html
import logging
import re
from pathlib import Path

import nbformat
from nbconvert.filters import markdown2html

from doeagenda import __version__
from doeagenda.errors import DataError, OutputError
from doeagenda.iorw import atomic_write
from doeagenda.learning.feedback import forced_trainer
from doeagenda.learning.lesson import (
    MODULES,
    check_gemeente,
    gemeente_name,
    handout_mode,
    module_number,
)

logger = logging.getLogger(__name__)

__all__ = ["find_notebook", "handout_html", "write_handout"]

_ANCHOR = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>')

#: Markdown cells with this tag are only for the interactive version.
SKIP_TAG = "alleen-interactief"

_CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: Helvetica, Arial, sans-serif; font-size: 11pt; line-height: 1.45;
       color: #1a1a1a; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 20pt; margin-bottom: 2pt; }
h2 { font-size: 14pt; margin-top: 18pt; border-bottom: 1px solid #B8C2CC; }
h3, h4 { font-size: 12pt; }
.kop { color: #555; margin-top: 0; }
.versie { display: inline-block; padding: 2pt 8pt; border: 1px solid #D55E00; color: #D55E00; }
.doeagenda-view, .doeagenda-vraag { break-inside: avoid; page-break-inside: avoid; }
.doeagenda-grafiek svg { max-width: 100%; height: auto; }
table.doeagenda-tabel { border-collapse: collapse; font-size: 9.5pt; margin: 6pt 0; }
table.doeagenda-tabel th, table.doeagenda-tabel td { border-bottom: 1px solid #ddd;
       padding: 2pt 6pt; text-align: left; }
.doeagenda-vraag { border: 1px solid #B8C2CC; padding: 6pt 10pt; margin: 10pt 0; }
.doeagenda-uitwerking { margin-top: 6pt; padding: 4pt 8pt; background: #EEF6EE;
       border-left: 4px solid #009E73; }
.doeagenda-melding { margin: 4pt 0; }
footer { margin-top: 24pt; font-size: 8.5pt; color: #666; }
"""


def find_notebook(module: str, notebook_dir: str | Path | None = None) -> Path:
    """Return the notebook of a module.

    Parameters
    ----------
    module : str
        ``"01"`` .. ``"04"`` (or ``1``, or the notebook name).
    notebook_dir : path, optional
        Folder with the module notebooks. Default: ``notebooks/leren`` of the project
        (:func:`doeagenda.paths.notebooks_dir`: the checkout, or the copy in the wheel).

    Returns
    -------
    Path

    Raises
    ------
    DataError
        When the notebook cannot be found.
    """
    number = module_number(module)
    file_name = MODULES[number][1]
    if notebook_dir is not None:
        candidates = [Path(notebook_dir)]
    else:
        from doeagenda.paths import notebooks_dir

        candidates = [notebooks_dir() / "leren"]
    for folder in candidates:
        path = folder / file_name
        if path.is_file():
            return path
    tried = ", ".join(str(folder) for folder in candidates)
    msg = (
        f"notebook {file_name} of module {number} not found in {tried}; run the command from "
        "the repository root or pass --notebooks DIR."
    )
    raise DataError(msg)


def _run_code(source: str, namespace: dict, label: str) -> object:
    """Execute a cell's code; return the value of its last expression (like a kernel)."""
    tree = ast.parse(source, filename=label)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    exec(compile(tree, label, "exec"), namespace)  # our own module notebooks only
    if last is None:
        return None
    return eval(compile(last, label, "eval"), namespace)


def _result_html(result: object, label: str) -> str:
    if result is None:
        return ""
    import ipywidgets

    if isinstance(result, ipywidgets.Widget):
        msg = f"{label} shows a widget in handout mode; its builder must return a static view."
        raise OutputError(msg)
    if hasattr(result, "_repr_html_"):
        return result._repr_html_() or ""
    return f"<pre>{html.escape(repr(result))}</pre>"


def _cells_html(notebook: nbformat.NotebookNode, gemeente: str, trainer: bool) -> list[str]:
    namespace: dict = {"__name__": "__handout__"}
    parts = []
    for number, cell in enumerate(notebook.cells, start=1):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell.cell_type == "markdown":
            if SKIP_TAG not in tags:
                parts.append(_ANCHOR.sub("", markdown2html(cell.source)))
            continue
        if cell.cell_type != "code":
            continue
        label = f"<cel {number}>"
        if "parameters" in tags:
            _run_code(cell.source, namespace, label)
            namespace.update(gemeente=gemeente, trainer=trainer, handout=True)
            continue
        parts.append(_result_html(_run_code(cell.source, namespace, label), label))
    return parts


def handout_html(
    module: str,
    gemeente: str,
    trainer: bool = False,
    notebook_dir: str | Path | None = None,
) -> str:
    """Return the printable handout of a module for one gemeente as HTML.

    Parameters
    ----------
    module : str
        ``"01"`` .. ``"04"``.
    gemeente : str
        CBS gemeente code.
    trainer : bool
        Trainer version (with worked answers) instead of the participant version.
    notebook_dir : path, optional
        Folder with the module notebooks (see :func:`find_notebook`).

    Returns
    -------
    str
        A complete, self-contained HTML page.

    Raises
    ------
    AreaCodeError
        For an unknown gemeente.
    """
    number = module_number(module)
    code = check_gemeente(gemeente)
    path = find_notebook(number, notebook_dir)
    notebook = nbformat.read(path, as_version=4)
    with handout_mode(), forced_trainer(trainer):
        body = _cells_html(notebook, code, trainer)
    title = MODULES[number][0]
    version = "Trainersversie (met uitwerkingen)" if trainer else "Deelnemersversie"
    head = (
        f'<p class="kop">Module {number} · gemeente {html.escape(gemeente_name(code))} '
        f'({code}) · <span class="versie">{version}</span></p>'
    )
    footer = (
        f"<footer>Gemaakt met doeagenda {__version__} uit {html.escape(path.name)}. "
        "Cijfers: CBS (CC BY 4.0). Grafieken staan op de standaardinstellingen van de "
        "module.</footer>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)} — {html.escape(gemeente_name(code))}</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n{head}\n"
        + "\n".join(part for part in body if part)
        + f"\n{footer}\n</body>\n</html>\n"
    )


def write_handout(
    module: str,
    gemeente: str,
    trainer: bool = False,
    out: str | Path = "outputs/handouts",
    notebook_dir: str | Path | None = None,
) -> Path:
    """Write a module's handout for one gemeente to ``out`` (atomically) and return its path.

    The file is named ``<module>-<gemeente>-deelnemer.html`` or ``...-trainer.html``.

    Parameters
    ----------
    module, gemeente, trainer, notebook_dir
        As for :func:`handout_html`.
    out : path
        Output folder (created when missing).

    Returns
    -------
    Path

    Raises
    ------
    OutputError
        When the folder cannot be written.
    """
    page = handout_html(module, gemeente, trainer=trainer, notebook_dir=notebook_dir)
    number = module_number(module)
    code = check_gemeente(gemeente)
    folder = Path(out)
    kind = "trainer" if trainer else "deelnemer"
    target = folder / f"{number}-{MODULES[number][1].split('_', 1)[1].removesuffix('.ipynb')}"
    target = target.with_name(f"{target.name}-{code}-{kind}.html")
    atomic_write(target, page)
    logger.info("handout written to %s", target)
    return target
