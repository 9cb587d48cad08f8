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
