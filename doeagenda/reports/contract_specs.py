"""The parameter types of the notebook contracts (:mod:`doeagenda.reports.contract`).

A :class:`Spec` is one parameter: its type, its allowed values, how it is read from the
command line, the valid values the sweep test runs and the Dutch line of a breach. A
:class:`NotebookContract` holds the specs of one notebook and the rules that tie two of
them together; the contracts themselves are declared in :mod:`doeagenda.reports.contract`.
"""

from __future__ import annotations

import ast
import difflib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from doeagenda.errors import ParameterError

#: Level of an area code by its prefix.
_LEVEL_OF_PREFIX = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}
_LEVEL_WORD = {"gemeente": "gemeentecode", "wijk": "wijkcode", "buurt": "buurtcode"}


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _closest(value: Any, choices: Iterable[str]) -> str:
    """`` (bedoelde u 'x'?)`` for the closest choice, or nothing."""
    if not isinstance(value, str):
        return ""
    options = list(choices)
    match = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if not match:
        lowered = {o.lower(): o for o in options}
        match = [lowered[value.lower()]] if value.lower() in lowered else []
    return f" (bedoelde u {match[0]!r}?)" if match else ""


def _breach(name: str, value: Any, problem: str, allowed: str, hint: str = "") -> ParameterError:
    msg = f"parameter {name}: {_show(value)} {problem}{hint}; {allowed}"
    return ParameterError(msg)


def _or(words: Iterable[str]) -> str:
    items = list(words)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} of {items[-1]}"


def _readable(value: str) -> bool:
    path = Path(value)
    return path.is_file() and os.access(path, os.R_OK)


# ----------------------------------------------------------------------------- specs
@dataclass(frozen=True)
class Spec:
    """One parameter: its type and allowed values.

    Subclasses implement :meth:`check`; :meth:`examples` gives the valid values the sweep
    test runs (all of them where there are few) and :meth:`from_text` reads a value typed
    on the command line (``None``: the notebook's default decides, as papermill does).
    """

    optional: bool = False  #: ``None`` is allowed (the notebook's own default behaviour)

    def check(self, name: str, value: Any, values: Mapping[str, Any]) -> None:
        """Raise :class:`ParameterError` when ``value`` is not allowed."""
        raise NotImplementedError

    def examples(self) -> list[Any]:
        """Valid values to run (all of them when they are few)."""
        return []

    def from_text(self, text: str) -> Any:
        """The value of ``-p NAME TEXT``; ``NotImplemented`` to use the notebook's type."""
        return NotImplemented

    def describe(self) -> str:
        """The allowed values in Dutch (for messages and docs)."""
        return ""


@dataclass(frozen=True)
class Text(Spec):
    """Free text (column names, a title)."""

    def check(self, name: str, value: Any, values: Mapping[str, Any]) -> None:
        if not isinstance(value, str) or not value.strip():
            raise _breach(name, value, "is geen tekst", "geef een niet-lege tekst")

    def describe(self) -> str:
        return "tekst"


@dataclass(frozen=True)
class Flag(Spec):
    """True or False."""

    def check(self, name: str, value: Any, values: Mapping[str, Any]) -> None:
        if not isinstance(value, bool):
            raise _breach(name, value, "is geen ja/nee-waarde", "kies True of False")

    def examples(self) -> list[Any]:
        return [False, True]

    def describe(self) -> str:
        return "True of False"


@dataclass(frozen=True)
class Number(Spec):
    """A whole number (``integer=True``) or a number, within ``[low, high]``."""

    integer: bool = True
    low: float | None = None
    high: float | None = None
    sample: tuple[Any, ...] = ()

    def describe(self) -> str:
        kind = "een geheel getal" if self.integer else "een getal (decimalen met een punt)"
        if self.low is not None and self.high is not None:
            return f"{kind} van {self.low:g} tot en met {self.high:g}"
        if self.low is not None:
            return f"{kind} van {self.low:g} of meer"
        return kind

    def check(self, name: str, value: Any, values: Mapping[str, Any]) -> None:
        wanted = int if self.integer else int | float
        if isinstance(value, bool) or not isinstance(value, wanted):
            raise _breach(name, value, "is geen getal", f"geef {self.describe()}")
        if (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        ):
            raise _breach(name, value, "ligt buiten het bereik", f"geef {self.describe()}")

    def examples(self) -> list[Any]:
        return list(self.sample)


@dataclass(frozen=True)
class OneOf(Spec):
    """One of a fixed or computed set of names (``choices`` is called when it is a function)."""

    choices: tuple[Any, ...] | Callable[[], tuple[Any, ...]] = ()
    what: str = "bekende keuze"
    #: shown instead of the full list when there are many choices
    many: str = ""

    def options(self) -> tuple[Any, ...]:
        """The allowed values."""
        return self.choices() if callable(self.choices) else self.choices

    def describe(self) -> str:
        options = self.options()
        if self.many and len(options) > 12:
            return self.many
        return "kies uit " + ", ".join(_show(c) for c in options)

    def check(self, name: str, value: Any, values: Mapping[str, Any]) -> None:
        options = self.options()
        if value not in options or isinstance(value, bool):
            hint = _closest(value, [str(o) for o in options])
            raise _breach(name, value, f"is geen {self.what}", self.describe(), hint)

    def examples(self) -> list[Any]:
        return list(self.options())


@lru_cache(maxsize=1)
def _area_table() -> dict[str, tuple[str, str]]:
    """code -> (level, provincie) of the 2024 indeling."""
    from doeagenda.data import areas

    table = areas()
    return {
        str(code): (str(level), str(prov) if prov == prov else "")
        for code, level, prov in zip(table["code"], table["level"], table["provincie"], strict=True)
    }


def _codes_of(level: str, provincie: str | None = None) -> list[str]:
    return [
        code
        for code, (lvl, prov) in _area_table().items()
        if lvl == level and (provincie is None or prov == provincie)
    ]


@dataclass(frozen=True)
class AreaCode(Spec):
    """A code of the CBS indeling 2024 at one level (``doeagenda.data.areas``)."""

    level: str = "gemeente"
    sample: tuple[str, ...] = ()

    def describe(self) -> str:
        count = len(_codes_of(self.level))
        return (
            f"kies een van de {count} {_LEVEL_WORD[self.level]}s, "
            f"zoals {self.sample[0] if self.sample else _codes_of(self.level)[0]} "
            f"(lijst: doeagenda data areas --level {self.level})"
        )

    def check(self, name: str, value: Any, values: Mapping[str, Any]) -> None:
        if not isinstance(value, str):
            raise _breach(name, value, f"is geen {_LEVEL_WORD[self.level]}", self.describe())
        known = _area_table().get(value)
        if known is not None and known[0] == self.level:
            return
        if known is not None:
            problem = f"is een {known[0]}code, geen {_LEVEL_WORD[self.level]}"
            raise _breach(name, value, problem, self.describe())
        hint = _closest(value.strip().upper(), _codes_of(self.level))
        problem = f"is geen {_LEVEL_WORD[self.level]} van de CBS-indeling 2024"
        raise _breach(name, value, problem, self.describe(), hint)

    def examples(self) -> list[Any]:
        return list(self.sample)


@dataclass(frozen=True)
class NameOrFile(Spec):
    """A known name, or the path of a readable file with one of ``suffixes``."""

    names: tuple[str, ...] | Callable[[], tuple[str, ...]] = ()
    suffixes: tuple[str, ...] = (".csv", ".xlsx")
    what: str = "bekende naam"
    #: a list of names and files is allowed too (registers combined, e.g. the public one
    #: with a gemeente's own)
    many: bool = False

    def options(self) -> tuple[str, ...]:
        """The known names."""
        return self.names() if callable(self.names) else self.names

    def describe(self) -> str:
        names = ", ".join(repr(n) for n in self.options())
        files = "/".join(s.lstrip(".").upper() for s in self.suffixes)
        if names:
            text = f"kies {names} of het pad van een leesbaar {files}-bestand"
        else:
            text = f"geef het pad van een leesbaar {files}-bestand"
        return f"{text}, of een lijst daarvan" if self.many else text

    def from_text(self, text: str) -> Any:
        stripped = text.strip()
        if self.many and stripped.startswith("["):
            try:
                parsed = ast.literal_eval(stripped)
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                return text
            return list(parsed) if isinstance(parsed, list) else text
        return NotImplemented

    def check(self, name: str, value: Any, values: Mapping[str, Any]) -> None:
        if self.many and isinstance(value, list | tuple):
            if not value:
                raise _breach(name, value, "is een lege lijst", self.describe())
            for item in value:
                self._check_one(name, item, values)
            return
        self._check_one(name, value, values)

    def _check_one(self, name: str, value: Any, values: Mapping[str, Any]) -> None:
        if not isinstance(value, str | Path) or not str(value).strip():
            raise _breach(name, value, "is geen naam of bestand", self.describe())
        text = str(value)
        if text in self.options():
            return
        path = Path(text)
        if not self.options() or path.suffix or len(path.parts) > 1:
            if not path.exists():
                raise _breach(name, value, "bestaat niet", self.describe())
            if not _readable(text):
                raise _breach(name, value, "is geen leesbaar bestand", self.describe())
            if path.suffix.lower() not in self.suffixes:
                problem = f"heeft extensie {path.suffix!r}"
                raise _breach(name, value, problem, self.describe())
            return
        hint = _closest(text, self.options())
        raise _breach(name, value, f"is geen {self.what}", self.describe(), hint)

    def examples(self) -> list[Any]:
        return list(self.options())


@dataclass(frozen=True)
class Methods(Spec):
    """``"alle"``, one method, or a list of methods (no repeats)."""

    methods: tuple[str, ...] = ()

    def describe(self) -> str:
        return f"kies 'alle', één methode of een lijst van methoden uit {', '.join(self.methods)}"

    def from_text(self, text: str) -> Any:
        stripped = text.strip()
        if stripped.startswith(("[", "(")):
            try:
                parsed = ast.literal_eval(stripped)
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                return text
            return list(parsed) if isinstance(parsed, list | tuple) else text
        if "," in stripped:
            return [part.strip() for part in stripped.split(",")]
        return stripped

    def check(self, name: str, value: Any, values: Mapping[str, Any]) -> None:
        if isinstance(value, str):
            chosen = [value]
            if value == "alle":
                return
        elif isinstance(value, list | tuple) and value:
            chosen = list(value)
        else:
            raise _breach(name, value, "is geen methode of lijst van methoden", self.describe())
        for method in chosen:
            if method not in self.methods:
                hint = _closest(method, [*self.methods, "alle"])
                raise _breach(name, value, f"bevat onbekende methode {_show(method)}",
                              self.describe(), hint)  # fmt: skip
        if len(set(chosen)) != len(chosen):
            raise _breach(name, value, "noemt een methode twee keer", self.describe())

    def examples(self) -> list[Any]:
        return ["alle", *self.methods]


@lru_cache(maxsize=32)
def _framework_level(file: str, mtime_ns: int) -> str | None:
    from doeagenda.config import read_yaml

    raw = read_yaml(Path(file), error=ParameterError, what="framework")
    level = raw.get("level") if isinstance(raw, dict) else None
    return str(level) if level is not None else None


def _frameworks_dir() -> Path:
    from doeagenda.paths import params_path

    return params_path("frameworks")


def _framework_names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in _frameworks_dir().glob("*.yaml")))


@dataclass(frozen=True)
class Framework(Spec):
    """A framework under ``params/frameworks/`` (or a YAML file) of a supported level."""

    levels: tuple[str, ...] = ("gemeente",)

    def supported(self) -> tuple[str, ...]:
        """The shipped frameworks whose level the notebook supports."""
        return tuple(
            name
            for name in _framework_names()
            if self._level(_frameworks_dir() / f"{name}.yaml") in self.levels
        )

    @staticmethod
    def _level(path: Path) -> str | None:
        return _framework_level(str(path.resolve()), path.stat().st_mtime_ns)

    def describe(self) -> str:
        return (
            f"kies {', '.join(repr(n) for n in self.supported())} (params/frameworks/) "
            f"of een eigen YAML-framework met level {_or(self.levels)}"
        )

    def check(self, name: str, value: Any, values: Mapping[str, Any]) -> None:
        if not isinstance(value, str | Path) or not str(value).strip():
            raise _breach(name, value, "is geen framework", self.describe())
        path = Path(value)
        if not (path.suffix in (".yaml", ".yml") or len(path.parts) > 1):
            path = _frameworks_dir() / f"{value}.yaml"
            if not path.is_file():
                hint = _closest(str(value), _framework_names())
                raise _breach(name, value, "is geen framework in params/frameworks/",
                              self.describe(), hint)  # fmt: skip
        elif not _readable(str(path)):
            raise _breach(name, value, "is geen leesbaar YAML-bestand", self.describe())
        level = self._level(path)
        if level not in self.levels:
            shown = f"level {level}" if level else "geen level"
            problem = f"heeft {shown}; deze notebook werkt met level {_or(self.levels)}"
            raise _breach(name, value, problem, self.describe())

    def examples(self) -> list[Any]:
        return list(self.supported())


@dataclass(frozen=True)
class Start(Spec):
    """Start period(s) of a proeftuin: one number, a list, or ``{unit: number}``."""

    def describe(self) -> str:
        return (
            "geef één startperiode (2020), één per behandelde eenheid ([2019, 2020]) of "
            '{"GM0321": 2019, ...}'
        )

    def from_text(self, text: str) -> Any:
        try:
            value = ast.literal_eval(text.strip())
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return NotImplemented
        return value if isinstance(value, int | float | list | dict) else NotImplemented

    def check(self, name: str, value: Any, values: Mapping[str, Any]) -> None:
        numbers = value.values() if isinstance(value, dict) else value
        if _number(value) or (
            isinstance(value, list | dict) and value and all(_number(v) for v in numbers)
        ):
            return
        raise _breach(name, value, "is geen startperiode", self.describe())


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


@dataclass(frozen=True)
class TextList(Spec):
    """A non-empty list of texts without repeats."""

    def describe(self) -> str:
        return 'geef een lijst met ten minste één code, bijvoorbeeld ["GM0321", "GM0355"]'

    def check(self, name: str, value: Any, values: Mapping[str, Any]) -> None:
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v.strip() for v in value)
        ):
            raise _breach(name, value, "is geen lijst met codes", self.describe())
        if len(set(value)) != len(value):
            raise _breach(name, value, "noemt een eenheid twee keer", self.describe())


@dataclass(frozen=True)
class Folder(Spec):
    """A folder to write into (it may not exist yet)."""

    def describe(self) -> str:
        return "geef een map (tekst) of None"

    def check(self, name: str, value: Any, values: Mapping[str, Any]) -> None:
        if not isinstance(value, str | Path) or not str(value).strip():
            raise _breach(name, value, "is geen map", self.describe())
        if Path(value).is_file():
            raise _breach(name, value, "is een bestand, geen map", self.describe())


# ------------------------------------------------------------------------- contracts
#: A rule over several parameters: raises ParameterError, given all values.
Rule = Callable[[Mapping[str, Any]], None]


@dataclass(frozen=True)
class NotebookContract:
    """The parameters one notebook accepts.

    Attributes
    ----------
    name : str
        The contract's name, as in the notebook's ``check_parameters("<name>", ...)``.
    notebook : str
        Path of the notebook under ``notebooks/``.
    parameters : dict
        Parameter name -> :class:`Spec`, in the order of the ``parameters`` cell.
    rules : tuple
        Checks that tie parameters together (run after every single check passed).
    """

    name: str
    notebook: str
    parameters: dict[str, Spec]
    rules: tuple[Rule, ...] = field(default=())

    def check(self, values: Mapping[str, Any], *, partial: bool = False) -> None:
        """Check ``values`` (all parameters, or with ``partial`` only those given).

        Raises
        ------
        ParameterError
            One line: parameter, value, allowed choices.
        """
        unknown = [k for k in values if k not in self.parameters]
        if unknown:
            hint = _closest(unknown[0], self.parameters)
            msg = (
                f"parameter {unknown[0]} bestaat niet in {self.notebook}{hint}; "
                f"bekend: {', '.join(self.parameters)}"
            )
            raise ParameterError(msg)
        for name, spec in self.parameters.items():
            if name not in values:
                if partial:
                    continue
                msg = f"parameter {name} ontbreekt; geef een waarde ({spec.describe()})"
                raise ParameterError(msg)
            value = values[name]
            if value is None and spec.optional:
                continue
            if value is None:
                raise _breach(name, value, "is leeg", spec.describe())
            spec.check(name, value, values)
        if not partial or set(values) == set(self.parameters):
            for rule in self.rules:
                rule(values)

    def examples(self) -> dict[str, list[Any]]:
        """Valid values per parameter that the sweep test enumerates."""
        return {name: spec.examples() for name, spec in self.parameters.items()}
