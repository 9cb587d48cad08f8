"""Printable handouts of the learning modules.

A handout is made from the module's own notebook, so the text never drifts from the
lesson: papermill runs the notebook in a kernel, as the batch reports do, with the
parameters ``gemeente``, ``trainer`` and ``handout=True``. In handout mode (see
:class:`doeagenda.learning.state.LearningState`) every widget builder returns its static
view at the default settings (an SVG chart and a table) and every exercise becomes a
question with lines to write on. The participant version never shows answers: the
notebook's :func:`~doeagenda.learning.lesson.start` forces trainer mode to the ``trainer``
parameter, whatever ``DOEAGENDA_TRAINER`` says; the trainer version adds the worked answer
under each question.

The page is rendered by a Jinja2 template with autoescape
(``doeagenda/learning/templates/handout.html.j2``). It is self-contained: no scripts, no
external URLs, print CSS for A4.
"""

from __future__ import annotations

import itertools
import logging
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from nbconvert.filters import markdown2html

from doeagenda import __version__
from doeagenda.errors import DataError, OutputError
from doeagenda.iorw import atomic_write
from doeagenda.learning.lesson import (
    MODULES,
    check_gemeente,
    gemeente_name,
    module_number,
)

logger = logging.getLogger(__name__)

__all__ = ["find_notebook", "handout_html", "write_handout"]

_ANCHOR = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>')

#: Markdown cells with this tag are only for the interactive version.
SKIP_TAG = "alleen-interactief"

#: Seconds a single cell may run.
CELL_TIMEOUT = 600

_WIDGET = "application/vnd.jupyter.widget-view+json"

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("doeagenda.learning", "templates"),
    autoescape=True,
    keep_trailing_newline=True,
)


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
        f"notebook {file_name} van module {number} niet gevonden in {tried}; geef de opdracht "
        "in de hoofdmap van de repository of geef --notebooks MAP."
    )
    raise DataError(msg)


def _execute(path: Path, gemeente: str, trainer: bool) -> Any:
    """Run the module notebook in a kernel (papermill, as the batch reports) and return it."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    parameters = {"gemeente": gemeente, "trainer": trainer, "handout": True}
    try:
        return papermill.execute_notebook(
            str(path),
            None,  # keep the executed notebook in memory; nothing is written
            parameters=parameters,
            kernel_name="python3",
            cwd=str(path.parent),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            execution_timeout=CELL_TIMEOUT,
        )
    except PapermillExecutionError as error:
        msg = (
            f"{path.name}: cel {error.exec_count} mislukte in de handoutversie "
            f"({error.ename}: {error.evalue}); open de module in JupyterLab om te zien waarom"
        )
        raise OutputError(msg) from None


def _output_html(output: Any, label: str, svg_ids: itertools.count[int]) -> str:
    from doeagenda.reports.export import inline_svg

    data = output.get("data", {})
    if _WIDGET in data:
        msg = f"{label} toont een widget in de handoutversie; de bouwfunctie moet een vaste weergave geven."
        raise OutputError(msg)
    if "text/html" in data:
        return "".join(data["text/html"])
    if "image/svg+xml" in data:
        svg = inline_svg("".join(data["image/svg+xml"]), f"h{next(svg_ids)}-")
        return f'<div class="doeagenda-grafiek">{svg}</div>'
    if "text/plain" in data:
        return f"<pre>{escape(''.join(data['text/plain']))}</pre>"
    return ""


def _cells_html(notebook: Any) -> list[Markup]:
    """The handout's parts: markdown as HTML, and each code cell's displayed results."""
    parts = []
    svg_ids = itertools.count()
    for number, cell in enumerate(notebook.cells, start=1):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell.cell_type == "markdown":
            if SKIP_TAG not in tags:
                parts.append(_ANCHOR.sub("", markdown2html(cell.source)))
            continue
        if cell.cell_type != "code" or tags & {"parameters", "injected-parameters"}:
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") in {"display_data", "execute_result"}:
                parts.append(_output_html(output, f"cell {number}", svg_ids))
    # trusted: markdown of our own notebooks and the HTML of the package's own views,
    # which escape every text they show (lesson.View, questions.Question)
    return [Markup(part) for part in parts if part]


def handout_html(
    module: str,
    gemeente: str,
    trainer: bool = False,
    notebook_dir: str | Path | None = None,
) -> str:
    """Return the printable handout of a module for one gemeente as HTML.

    Parameters
    ----------
    module, gemeente : str
        As for :func:`doeagenda.learning.start`, which the handout's notebook calls.
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
    OutputError
        When a cell fails or shows a widget in handout mode.
    """
    number = module_number(module)
    code = check_gemeente(gemeente)
    path = find_notebook(number, notebook_dir)
    executed = _execute(path, code, trainer)
    return _TEMPLATES.get_template("handout.html.j2").render(
        number=number,
        title=MODULES[number][0],
        code=code,
        gemeente_naam=gemeente_name(code),
        trainer=trainer,
        parts=_cells_html(executed),
        notebook=path.name,
        version=__version__,
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
