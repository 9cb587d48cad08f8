"""Shared pytest configuration.

Warnings are errors (pyproject). ``JUPYTER_PLATFORM_DIRS=1`` avoids jupyter_client's
platformdirs deprecation warning; it must be set before jupyter modules are imported.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


@dataclass
class OfflineView:
    """A headless Chromium page with networking off, and what it asked for and reported."""

    page: Any
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@contextlib.contextmanager
def _offline_view(chromium: str, warnings: bool = False) -> Iterator[OfflineView]:
    """Open a page in headless Chromium that may load ``file://`` URLs only.

    Every request is recorded (and any other URL aborted); console errors (and warnings,
    with ``warnings=True``) and page errors land in ``problems``. The browser closes at
    the end of the ``with`` block, pass or fail.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        browser = play.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            context = browser.new_context(offline=True)
            view = OfflineView(page=None)

            def route(request_route: Any) -> None:
                url = request_route.request.url
                view.requests.append(url)
                if url.startswith("file://"):
                    request_route.continue_()
                else:
                    request_route.abort()

            context.route("**/*", route)
            view.page = context.new_page()
            kinds = {"error", "warning"} if warnings else {"error"}
            view.page.on(
                "console",
                lambda m: view.problems.append(f"{m.type}: {m.text}") if m.type in kinds else None,
            )
            view.page.on("pageerror", lambda e: view.problems.append(f"pageerror: {e}"))
            yield view
        finally:
            browser.close()


@pytest.fixture
def offline_view(chromium: str):
    """``with offline_view() as view: view.page.goto(...)``: see :func:`_offline_view`."""
    return functools.partial(_offline_view, chromium)


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
