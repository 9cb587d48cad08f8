"""Lazy public names for subpackages (PEP 562), so ``import doeagenda`` stays cheap.

Each subpackage ``__init__`` lists its public names and the module that defines them;
:func:`attach` returns the module-level ``__getattr__`` and ``__dir__``. A name loads its
module on first access and is then cached in the package namespace, so later lookups
cost nothing. Static analysers see the same names through an ``if TYPE_CHECKING`` block.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable
from typing import Any

__all__ = ["attach"]


class _LazyPackage(types.ModuleType):
    """Package module that keeps a public function when a same-named submodule loads.

    Importing submodule ``pkg.summary`` makes Python set ``pkg.summary = <module>``. With
    eager imports the function ``summary`` was bound afterwards and won; here the lazy map
    says which object the name stands for, so that object is bound instead of the module.
    """

    _doeagenda_lazy: dict[str, tuple[str, str]]

    def __setattr__(self, name: str, value: Any) -> None:
        lazy = self.__dict__.get("_doeagenda_lazy", {})
        target = lazy.get(name)
        if (
            isinstance(value, types.ModuleType)
            and target is not None
            and value.__name__ == f"{self.__name__}.{name}"
        ):
            if target[0] != value.__name__ or not hasattr(value, target[1]):
                # The public name stands for an object of another module (or one not defined
                # yet), e.g. ``kaplan_meier.py`` beside ``survival.kaplan_meier``: leave it
                # unbound so ``__getattr__`` loads the right object on use.
                self.__dict__.pop(name, None)
                return
            value = getattr(value, target[1])
        super().__setattr__(name, value)


def attach(
    package: str, lazy: dict[str, tuple[str, str]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Make the public names of ``package`` load on first access.

    Parameters
    ----------
    package : str
        ``__name__`` of the package.
    lazy : dict
        Public name -> (defining module, attribute name there).

    Returns
    -------
    tuple
        ``(__getattr__, __dir__)`` for the package module.
    """
    module = sys.modules[package]
    module.__class__ = _LazyPackage
    module.__dict__["_doeagenda_lazy"] = lazy

    def __getattr__(name: str) -> Any:
        if name in lazy:
            source, attribute = lazy[name]
            value = getattr(importlib.import_module(source), attribute)
            module.__dict__[name] = value
            return value
        msg = f"module {package!r} has no attribute {name!r}"
        raise AttributeError(msg)

    def __dir__() -> list[str]:
        return sorted(set(module.__dict__) | set(lazy))

    return __getattr__, __dir__
