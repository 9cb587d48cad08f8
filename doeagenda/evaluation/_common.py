"""Shared plumbing of :mod:`doeagenda.evaluation`: input checks, honesty warnings, helpers.

Every estimator takes a long-format panel (one row per unit and period) and column
names. The checks here turn the usual problems (a missing column, duplicate
``(unit, time)`` rows, a text outcome, a treated unit that is not in the data) into
one :class:`~doeagenda.errors.DataError` or :class:`~doeagenda.errors.ParameterError`
that names the problem and the fix.

The honesty warnings are :class:`EvaluationWarning` subclasses, raised with
:func:`warnings.warn` *and* recorded on the result so that ``.summary()`` repeats them.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from doeagenda.errors import DataError, ParameterError

logger = logging.getLogger(__name__)

__all__ = [
    "EvaluationWarning",
    "PoorFitWarning",
    "PowerWarning",
    "PreTrendWarning",
    "SingleTreatedUnitWarning",
    "UnbalancedPanelWarning",
]


class EvaluationWarning(UserWarning):
    """Base class of the honesty warnings of :mod:`doeagenda.evaluation`."""


class SingleTreatedUnitWarning(EvaluationWarning):
    """One treated unit (cluster): cluster-robust standard errors are not reliable."""


class PreTrendWarning(EvaluationWarning):
    """Treated and control units already moved differently before the start."""


class PoorFitWarning(EvaluationWarning):
    """The synthetic control does not reproduce the treated unit before the start."""


class UnbalancedPanelWarning(EvaluationWarning):
    """Not every unit is observed in every period (or units were dropped to balance it)."""


class PowerWarning(EvaluationWarning):
    """The power simulation found that the test over-rejects or cannot detect effects."""


def warn(notes: list[str], category: type[EvaluationWarning], message: str) -> None:
    """Issue an honesty warning and record it for ``.summary()``.

    Parameters
    ----------
    notes : list of str
        The result's list of warnings (appended in place).
    category : type
        An :class:`EvaluationWarning` subclass.
    message : str
        The text (shown in the summary too).
    """
    notes.append(message)
    warnings.warn(message, category, stacklevel=3)


def check_columns(data: pd.DataFrame, columns: Iterable[str | None], what: str = "data") -> None:
    """Raise DataError when a named column is not in ``data``."""
    if not isinstance(data, pd.DataFrame):
        msg = f"{what} moet een pandas DataFrame zijn, niet {type(data).__name__}"
        raise DataError(msg)
    available = [str(c) for c in data.columns]
    for col in columns:
        if col is None:
            continue
        if col not in data.columns:
            msg = (
                f"kolom {col!r} staat niet in {what}; beschikbare kolommen: {', '.join(available)}. "
                "Controleer de spelling van de kolomnaam."
            )
            raise DataError(msg)


#: Dutch name of a column's role, for messages (``uitkomstkolom 'y' ...``).
_ROLES = {
    "outcome": "uitkomst",
    "weights": "gewichten",
    "covariate": "covariaat",
    "predictor": "predictor",
    "first_treated": "first_treated-",
    "indicator": "indicator",
}


def check_numeric(data: pd.DataFrame, column: str, role: str = "outcome") -> np.ndarray:
    """Return ``data[column]`` as float array or raise DataError naming a bad value."""
    series = data[column]
    if pd.api.types.is_bool_dtype(series):
        return series.to_numpy(dtype=float)
    if not pd.api.types.is_numeric_dtype(series):
        converted = pd.to_numeric(series, errors="coerce")
        bad = series[converted.isna() & series.notna()]
        if len(bad):
            msg = (
                f"{_ROLES.get(role, role)}kolom {column!r} moet getallen bevatten; rij {bad.index[0]!r} bevat "
                f"{bad.iloc[0]!r}. Zet de kolom om naar getallen (decimale punt, geen eenheden)."
            )
            raise DataError(msg)
        series = converted
    return series.to_numpy(dtype=float)


def check_binary(data: pd.DataFrame, column: str) -> np.ndarray:
    """Return a 0/1 float array or raise DataError when ``column`` is not 0/1/boolean."""
    values = check_numeric(data, column, role="indicator")
    bad = ~np.isin(values, (0.0, 1.0))
    if bad.any():
        row = data.index[int(np.argmax(bad))]
        msg = (
            f"kolom {column!r} moet 0/1 (of True/False) zijn; rij {row!r} bevat "
            f"{data[column].loc[row]!r}. Codeer haar als 0 (nee) en 1 (ja)."
        )
        raise DataError(msg)
    return values


def check_unique(data: pd.DataFrame, unit: str, time: str) -> None:
    """Raise DataError when a (unit, time) pair occurs more than once."""
    dup = data.duplicated([unit, time], keep=False)
    if dup.any():
        first = data.loc[dup, [unit, time]].iloc[0]
        msg = (
            f"dubbele rijen: eenheid {first[unit]!r} in periode {first[time]!r}, "
            f"{int(dup.sum())} dubbele rijen in totaal; het panel vraagt één rij per "
            f"({unit}, {time}). Tel de dubbele rijen samen of verwijder ze."
        )
        raise DataError(msg)


def prepare_panel(
    data: pd.DataFrame,
    outcome: str,
    unit: str | None,
    time: str,
    extra: Sequence[str | None] = (),
) -> pd.DataFrame:
    """Validate a long panel and return a copy without rows whose outcome is missing.

    Parameters
    ----------
    data : DataFrame
        Long format, one row per unit and period.
    outcome, unit, time : str
        Column names (``unit`` may be None for a single series).
    extra : sequence of str
        Further columns that must exist.

    Returns
    -------
    DataFrame
        Copy with the outcome as float, sorted by unit and time.
    """
    check_columns(data, [outcome, unit, time, *extra])
    if len(data) == 0:
        msg = "de gegevens hebben geen rijen; geef een panel met één rij per eenheid en periode"
        raise DataError(msg)
    frame = data.copy()
    frame[outcome] = check_numeric(frame, outcome)
    if frame[time].isna().any():
        row = frame.index[frame[time].isna().to_numpy()][0]
        msg = f"tijdkolom {time!r} is leeg in rij {row!r}; vul de periode in"
        raise DataError(msg)
    if unit is not None:
        if frame[unit].isna().any():
            row = frame.index[frame[unit].isna().to_numpy()][0]
            msg = f"eenheidkolom {unit!r} is leeg in rij {row!r}; vul de eenheid in"
            raise DataError(msg)
        check_unique(frame, unit, time)
    else:
        dup = frame[time].duplicated()
        if dup.any():
            msg = (
                f"periode {frame.loc[dup, time].iloc[0]!r} komt meer dan eens voor in één reeks; "
                f"geef unit=... voor een panel of tel samen tot één rij per {time}"
            )
            raise DataError(msg)
    missing = frame[outcome].isna()
    if missing.any():
        logger.info("dropping %d rows with a missing %s", int(missing.sum()), outcome)
        frame = frame.loc[~missing]
    if len(frame) == 0:
        msg = f"uitkomstkolom {outcome!r} heeft geen waarden; elke rij is leeg"
        raise DataError(msg)
    keys = [unit, time] if unit is not None else [time]
    return frame.sort_values(keys).reset_index(drop=True)


def is_balanced(frame: pd.DataFrame, unit: str, time: str) -> bool:
    """True when every unit is observed in every period."""
    n_units = frame[unit].nunique()
    n_times = frame[time].nunique()
    return len(frame) == n_units * n_times


def balance(frame: pd.DataFrame, unit: str, time: str, notes: list[str]) -> pd.DataFrame:
    """Drop units that miss a period, with an :class:`UnbalancedPanelWarning`."""
    if is_balanced(frame, unit, time):
        return frame
    n_times = frame[time].nunique()
    counts = frame.groupby(unit)[time].transform("nunique")
    dropped = sorted(frame.loc[counts < n_times, unit].unique().tolist(), key=str)
    warn(
        notes,
        UnbalancedPanelWarning,
        f"Ongebalanceerd panel: {len(dropped)} eenheid/eenheden missen perioden en zijn "
        f"weggelaten ({', '.join(map(str, dropped[:5]))}{', ...' if len(dropped) > 5 else ''}).",
    )
    out = frame.loc[counts == n_times].reset_index(drop=True)
    if out.empty:
        msg = "geen eenheid is in elke periode waargenomen; het panel kan niet gebalanceerd worden"
        raise DataError(msg)
    return out


def warn_unbalanced(frame: pd.DataFrame, unit: str, time: str, notes: list[str]) -> None:
    """Warn (and note) when the panel is unbalanced but is used as it is."""
    if not is_balanced(frame, unit, time):
        n_missing = frame[unit].nunique() * frame[time].nunique() - len(frame)
        warn(
            notes,
            UnbalancedPanelWarning,
            f"Ongebalanceerd panel: {n_missing} combinaties van eenheid en periode ontbreken; "
            "de schatting gebruikt alleen de waargenomen rijen.",
        )


def check_choice(value: str, name: str, allowed: Sequence[str]) -> str:
    """Raise ParameterError when ``value`` is not one of ``allowed``."""
    if value not in allowed:
        msg = f"{name}={value!r} wordt niet ondersteund; kies uit {', '.join(map(repr, allowed))}"
        raise ParameterError(msg)
    return value


def excludes_zero(ci: tuple[float, float]) -> bool:
    """Tell whether a confidence interval lies entirely on one side of zero."""
    return bool(ci[0] > 0 or ci[1] < 0)


def estimate_rows(
    method: str,
    estimate: float,
    se: float,
    ci: tuple[float, float],
    pvalue: float,
    alpha: float,
    *,
    estimate_label: str = "effect (schatting)",
    se_label: str = "standaardfout",
) -> list[tuple[str, object]]:
    """Return the rows every effect summary starts with: method, estimate, se, interval, p."""
    return [
        ("methode", method),
        (estimate_label, estimate),
        (se_label, se),
        (f"{1 - alpha:.0%}-betrouwbaarheidsinterval", ci),
        ("p-waarde", pvalue),
    ]


def summary_frame(rows: list[tuple[str, object]], notes: Sequence[str]) -> pd.DataFrame:
    """Build a two-column (``onderdeel``, ``waarde``) summary with warnings as extra rows.

    Values stay as they are (numbers as numbers, intervals as tuples); readers see them
    through :func:`doeagenda.results.nl_table` (``result.view()``).
    """
    all_rows = list(rows) + [("waarschuwing", note) for note in notes]
    return pd.DataFrame(
        {"onderdeel": [r[0] for r in all_rows], "waarde": [_plain(r[1]) for r in all_rows]}
    )


def _plain(value: object) -> object:
    """Turn numpy scalars into Python numbers (and non-finite into NaN) for the summary."""
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return float("nan")
    return value


def time_label(value: object) -> object:
    """Make a period value JSON friendly for charts (numpy scalars to Python)."""
    if isinstance(value, np.generic):
        return value.item()
    return value
