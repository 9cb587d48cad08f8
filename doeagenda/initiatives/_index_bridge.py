"""Bridge to :mod:`doeagenda.index`: Buurzaamheidsindex scores per gemeente.

Kept apart so the initiatives package works (with a shipped indicator as need measure)
when the index package or its framework is not available.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from doeagenda.errors import ParameterError

#: Framework file of the municipal Buurzaamheidsindex, relative to the repository root.
FRAMEWORK = Path("params/frameworks/buurzaamheid_gemeenten.yaml")


def framework_path(path: str | Path | None = None) -> Path:
    """Find the framework YAML: as given, else in the working directory or a parent.

    Parameters
    ----------
    path : str or Path, optional
        Explicit file.

    Returns
    -------
    Path

    Raises
    ------
    ParameterError
        When no framework file is found.
    """
    if path is not None:
        candidate = Path(path)
        if candidate.exists():
            return candidate
    here = Path.cwd()
    for folder in (here, *here.parents):
        candidate = folder / FRAMEWORK
        if candidate.exists():
            return candidate
    msg = (
        f"Buurzaamheidsindex-framework {FRAMEWORK} niet gevonden vanaf {here}; "
        "geef het pad of kies een indicator als behoeftemaat"
    )
    raise ParameterError(msg)


@functools.cache
def _scores(path: str) -> pd.Series:
    from doeagenda.index import Framework, build_index, index_data

    framework = Framework.from_yaml(path)
    result = build_index(index_data(framework, level="gemeente"), framework)
    return result.scores[framework.root].astype("float64")


def buurzaamheid_scores(path: str | Path | None = None) -> pd.Series:
    """Return the root score of the Buurzaamheidsindex per gemeente code.

    Parameters
    ----------
    path : str or Path, optional
        Framework YAML (default: found via :func:`framework_path`).

    Returns
    -------
    Series
        Index score per gemeente (higher = more community strength).
    """
    return _scores(str(framework_path(path).resolve())).copy()
