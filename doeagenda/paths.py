"""Where the project's configuration (``params/``) and notebooks (``notebooks/``) live.

The design card puts ``params/`` and ``notebooks/`` at the top of the repository, next to
the package, so that researchers find and edit them. A wheel cannot install top-level
folders, so ``pyproject.toml`` force-includes them into the package as
``doeagenda/_params`` and ``doeagenda/_notebooks``. These functions return the packaged copy
when it exists (wheel or dask worker install) and the checkout's folder otherwise (editable
install, ``make``). This is the one place that knows about both layouts.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_PACKAGE = resources.files("doeagenda")


def _folder(packaged: str, top_level: str) -> Path:
    inside = Path(str(_PACKAGE.joinpath(packaged)))
    if inside.is_dir():
        return inside
    # Editable install or checkout: the folder sits beside the package directory.
    return Path(str(_PACKAGE)).parent / top_level


def params_dir() -> Path:
    """Return the ``params/`` folder (frameworks, batch plans, value maps, prices)."""
    return _folder("_params", "params")


def params_path(*parts: str) -> Path:
    """Return a path inside ``params/``, e.g. ``params_path("impact", "prijzen.yaml")``."""
    return params_dir().joinpath(*parts)


def notebooks_dir() -> Path:
    """Return the ``notebooks/`` folder."""
    return _folder("_notebooks", "notebooks")


def notebook_path(*parts: str) -> Path:
    """Return a path inside ``notebooks/``, e.g. ``notebook_path("gemeenteprofiel.ipynb")``."""
    return notebooks_dir().joinpath(*parts)
