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


#: Set by ``.ci/run``: browser tests must run, a missing Chromium fails them.
REQUIRE_BROWSER = os.environ.get("DOEAGENDA_REQUIRE_BROWSER", "") == "1"

_BROWSER_SKIPS: list[str] = []


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of a system Chromium and Playwright, or skip (fail in CI) when one is missing."""
    problem = None
    try:
        import playwright.sync_api  # noqa: F401  (optional locally, part of the test extra)
    except ImportError:
        problem = "Playwright is not installed (pip install -e '.[test]')"
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path and problem is None:
            return path
    problem = problem or "no system Chromium installed (.ci/run installs the Debian package)"
    if REQUIRE_BROWSER:
        pytest.fail(f"browser tests cannot run: {problem}")
    _BROWSER_SKIPS.append(problem)
    pytest.skip(problem)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say loudly (but not as a pytest warning, which would be an error) that browser tests skipped."""
    if _BROWSER_SKIPS:
        terminalreporter.write_sep("=", "WARNING: browser tests skipped", yellow=True, bold=True)
        terminalreporter.write_line(
            f"{_BROWSER_SKIPS[0]}. The Voilà widgets were not tested in a browser; "
            "CI (.ci/run) installs Chromium and fails when it cannot."
        )


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
