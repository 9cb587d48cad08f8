"""Bridge to :mod:`doeagenda.index`: Buurzaamheidsindex scores per gemeente.

Kept apart so the initiatives package still works (with a shipped indicator as need
measure) when the index package or its framework is not available.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

#: Framework of the municipal Buurzaamheidsindex (a name in ``params/frameworks``).
FRAMEWORK = "buurzaamheid_gemeenten"


@functools.cache
def _scores(framework: str) -> pd.Series:
    from doeagenda.index import as_framework, build_index, index_data

    fw = as_framework(framework)
    result = build_index(index_data(fw, level="gemeente", provincie=None), fw)
    return result.scores[fw.root].astype("float64")


def buurzaamheid_scores(framework: str | Path = FRAMEWORK) -> pd.Series:
    """Return the root score of the Buurzaamheidsindex per gemeente code.

    Parameters
    ----------
    framework : str or Path
        Framework name in ``params/frameworks`` or a YAML path.

    Returns
    -------
    Series
        Index score per gemeente (higher = more community strength).
    """
    return _scores(str(framework)).copy()
