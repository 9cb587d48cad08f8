"""Several registers as one: unique ids, ``bron`` kept, an initiative listed twice counted once.

``load_register(["energie_2019", "mijn_register.xlsx"])`` loads each register and joins
them here (:func:`combine`):

* every row keeps its ``bron`` (the register it came from);
* ids stay unique: an id that an earlier register already uses gets the later register's
  name in front (``mijn_register:Z001``); when even that id is taken the clash cannot be
  resolved and the load stops with one line naming the file, the row and the id;
* an initiative that appears in more than one register is counted once: the row of the
  register that comes **first in the list** stays, the later one is left out and listed in
  :func:`duplicates` so that the user can check the match. Two rows match when they lie in
  the same gemeente and one of their names is the same after normalising
  (:func:`name_keys`: case, accents, punctuation and legal forms such as *U.A.*,
  *Stichting*, *Coöperatie*, *i.o.* ignored; each half of "A/ B" and a name in
  parentheses count as a name of their own).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from doeagenda.errors import DataError

__all__ = ["DUPLICATE_COLUMNS", "combine", "duplicates", "name_keys"]

#: Columns of :func:`duplicates`.
DUPLICATE_COLUMNS = [
    "gemeente_code",
    "naam_geteld",
    "id_geteld",
    "bron_geteld",
    "naam_weggelaten",
    "id_weggelaten",
    "bron_weggelaten",
    "gelijke_naam",
]

_LEGAL = re.compile(
    r"\b(?:u\s?\.?\s?a|b\s?\.?\s?a|b\s?\.?\s?v|i\s?\.?\s?o)\b\.?"
    r"|\b(?:stichting|vereniging|cooperatief|cooperatieve|cooperatie|in oprichting)\b"
)
_PARENTHESES = re.compile(r"\(([^()]*)\)?")
#: Shorter normalised names (such as "zon") are too general to call two rows the same.
_MIN_KEY = 4


def _plain(text: str) -> str:
    """Lower case without accents (ö -> o)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _clean(text: str) -> str:
    text = _LEGAL.sub(" ", text)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def name_keys(name: str) -> frozenset[str]:
    """Return the normalised names under which an initiative can match another.

    Parameters
    ----------
    name : str
        A name as written, e.g. ``"Stichting Energie Zeist/ Mijn Groene Huis"``.

    Returns
    -------
    frozenset of str
        The whole name and each half of a name with ``/``, plus any name in parentheses,
        each lower case, without accents, punctuation and legal forms (``U.A.``,
        ``B.A.``, ``B.V.``, ``i.o.``, *in oprichting*, *Stichting*, *Vereniging*,
        *Coöperatie(f)*); names shorter than four letters are left out.

    Examples
    --------
    >>> sorted(name_keys("Stichting Energie Zeist/ Mijn Groene Huis"))
    ['energie zeist', 'energie zeist mijn groene huis', 'mijn groene huis']
    """
    text = _plain(str(name))
    pieces = [_PARENTHESES.sub(" ", text.replace("/", " "))]
    for part in text.split("/"):
        pieces.append(_PARENTHESES.sub(" ", part))
        pieces.extend(_PARENTHESES.findall(part))
    keys = {_clean(piece) for piece in pieces}
    return frozenset(k for k in keys if len(k.replace(" ", "")) >= _MIN_KEY)


def _stem(label: str) -> str:
    return Path(label).stem if Path(label).suffix else label


def _unique_ids(label: str, frame: pd.DataFrame, seen: dict[str, str]) -> pd.DataFrame:
    """Give ids already used by an earlier register this register's name in front."""
    ids = frame["id"].astype(str)
    own = set(ids)
    renamed = []
    for ident, row in zip(ids, frame["_rij"], strict=True):
        if ident not in seen:
            renamed.append(ident)
            continue
        new = f"{_stem(label)}:{ident}"
        if new in seen or new in own:
            where = f"rij {row}" if row else "een rij"
            msg = (
                f"{label}, {where}: id {ident!r} komt ook voor in {seen[ident]}, en {new!r} "
                "is ook al in gebruik; geef dit initiatief een eigen id"
            )
            raise DataError(msg)
        renamed.append(new)
    return frame.assign(id=renamed)


def combine(parts: list[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """Join loaded registers into one (see the module docstring for the rules).

    Parameters
    ----------
    parts : list of (label, DataFrame)
        Each register as loaded, with the name it is known by (register name or file
        name), in the user's order.

    Returns
    -------
    DataFrame
        The rows of all registers, duplicates of earlier rows left out. ``attrs``:
        ``source`` (the labels joined by ``" + "``), ``sources`` (the labels),
        ``duplicates`` (the pairs, records of :data:`DUPLICATE_COLUMNS`) and
        ``peildatum`` (the latest of the registers' own, only when each has one).

    Raises
    ------
    DataError
        When an id clash cannot be resolved.
    """
    seen_ids: dict[str, str] = {}
    index: dict[tuple[str, str], dict[str, object]] = {}
    frames, pairs = [], []
    for label, frame in parts:
        frame = _unique_ids(label, frame.reset_index(drop=True), seen_ids)
        keep = []
        for row in frame.itertuples(index=False):
            matched = None
            for key in sorted(name_keys(row.naam or "")):
                matched = index.get((str(row.gemeente_code), key))
                if matched is not None:
                    pairs.append(
                        {
                            "gemeente_code": row.gemeente_code,
                            "naam_geteld": matched["naam"],
                            "id_geteld": matched["id"],
                            "bron_geteld": matched["bron"],
                            "naam_weggelaten": row.naam,
                            "id_weggelaten": row.id,
                            "bron_weggelaten": row.bron,
                            "gelijke_naam": key,
                        }
                    )
                    break
            keep.append(matched is None)
        kept = frame.loc[keep]
        for row in kept.itertuples(index=False):
            record = {"naam": row.naam, "id": row.id, "bron": row.bron}
            for key in name_keys(row.naam or ""):
                index.setdefault((str(row.gemeente_code), key), record)
        seen_ids.update(dict.fromkeys(kept["id"].astype(str), label))
        seen_ids.update(dict.fromkeys(frame["id"].astype(str), label))
        frames.append(kept)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    out.attrs = {}
    labels = tuple(label for label, _ in parts)
    out.attrs["source"] = " + ".join(labels)
    out.attrs["sources"] = labels
    out.attrs["duplicates"] = tuple(pairs)
    dates = [frame.attrs.get("peildatum") for _, frame in parts]
    if dates and all(d is not None for d in dates):
        out.attrs["peildatum"] = max(pd.Timestamp(d) for d in dates)
    return out


def duplicates(register: pd.DataFrame) -> pd.DataFrame:
    """Return the initiatives found in more than one register, to check by hand.

    Parameters
    ----------
    register : DataFrame
        A register from ``load_register([...])``.

    Returns
    -------
    DataFrame
        One row per pair (:data:`DUPLICATE_COLUMNS`): the row that is counted, the row
        left out and the normalised name they share. Empty for a single register.
    """
    pairs = list(register.attrs.get("duplicates", ()))
    return pd.DataFrame(pairs, columns=DUPLICATE_COLUMNS)
