"""Shared pytest configuration.

Warnings are errors (pyproject). ``JUPYTER_PLATFORM_DIRS=1`` avoids jupyter_client's
platformdirs deprecation warning; it must be set before jupyter modules are imported.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo() -> Path:
    """Root of the repository checkout."""
    return REPO


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of a system Chromium, or skip the test when none is installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no system Chromium installed (.ci/run installs the Debian package)")


def _outputs_text(notebook) -> str:
    """All text a reader sees in an executed notebook (streams, markdown, plain, html)."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
            for key in ("text/markdown", "text/plain", "text/html"):
                parts.append("".join(output.get("data", {}).get(key, "")))
    return "\n".join(parts)


def _chart_outputs(notebook) -> list:
    """The outputs of an executed notebook that are charts (vega-lite, SVG or vega HTML)."""
    return [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if any(
            key.startswith("application/vnd.vegalite")
            or key == "image/svg+xml"
            or (key == "text/html" and "vega-embed" in "".join(value))
            for key, value in output.get("data", {}).items()
        )
    ]


@pytest.fixture(scope="session")
def outputs_text():
    """Function returning all visible text of an executed notebook."""
    return _outputs_text


@pytest.fixture(scope="session")
def chart_outputs():
    """Function returning the chart outputs of an executed notebook."""
    return _chart_outputs
