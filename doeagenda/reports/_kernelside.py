"""Code that runs *inside* a warm batch kernel (imported there by the runner).

:func:`warm_up` imports the heavy modules once per kernel and fills caches;
:func:`reset` gives every job a clean namespace, as if the kernel were new: user
variables, output history, execution counter, working directory, environment, warning
registries, pandas options, the altair theme and renderer. Modules stay imported (that
is the point), so notebooks must not rely on module state they mutate themselves.

This module imports nothing heavy at import time and binds no names in the user
namespace: the runner calls it as ``__import__(...).reset()``.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import warnings

_STATE: dict = {}


def _freeze(value):
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, set):
        return tuple(sorted(value))
    hash(value)
    return value


def _memoized(func):
    """Cache results of a pure function for the life of the kernel; callers get copies."""
    import copy
    import functools

    cache: dict = {}

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            key = (_freeze(args), _freeze(kwargs))
        except TypeError:  # unhashable argument: no caching
            return func(*args, **kwargs)
        if key not in cache:
            cache[key] = func(*args, **kwargs)
        value = cache[key]
        return (
            value.copy()
            if hasattr(value, "copy") and hasattr(value, "iloc")
            else copy.deepcopy(value)
        )

    wrapper.__doeagenda_memoized__ = True
    return wrapper


def memoize(dotted: str) -> None:
    """Replace a pure function everywhere in its package by a memoized version.

    ``memoize("doeagenda.data.indicators")`` replaces every reference to that function
    in loaded modules of the ``doeagenda`` package, so calls from other package modules
    (``data.indicators(...)`` in a report module, ``indicators(...)`` inside
    ``doeagenda.data.api``) hit the cache too.
    """
    module_name, _, name = dotted.rpartition(".")
    original = getattr(importlib.import_module(module_name), name)
    if getattr(original, "__doeagenda_memoized__", False):
        return
    wrapped = _memoized(original)
    top = module_name.split(".")[0]
    for mod_name, module in list(sys.modules.items()):
        if (mod_name == top or mod_name.startswith(top + ".")) and getattr(
            module, name, None
        ) is original:
            setattr(module, name, wrapped)


def warm_up(
    cwd: str, preload: list[str], warmup: list[str], svg: bool = True, memo: list[str] = ()
) -> None:
    """Import ``preload`` modules and call the ``warmup`` functions once.

    Parameters
    ----------
    cwd : str
        Working directory every job starts in.
    preload : list of str
        Module names to import.
    warmup : list of str
        Dotted names of functions to call without arguments (e.g. to fill data caches).
    memo : list of str
        Dotted names of pure functions to memoize across jobs (see :func:`memoize`).
    svg : bool
        Also start vl-convert's JavaScript engine with a tiny chart.
    """
    for name in preload:
        module = importlib.import_module(name)
        # doeagenda's subpackages load their public names lazily (cheap `import doeagenda`);
        # a warm kernel wants the heavy imports now, off the per-job path, so touch them.
        if name.startswith("doeagenda"):
            for attribute in getattr(module, "__all__", ()):
                getattr(module, attribute)
    for dotted in memo:
        memoize(dotted)
    for dotted in warmup:
        module_name, _, func = dotted.rpartition(".")
        getattr(importlib.import_module(module_name), func)()
    if svg:
        # Report kernels draw charts: import altair now (its import enables the doeagenda
        # theme and the SVG renderer, see doeagenda.charts), not in the first job.
        import altair  # noqa: F401
        import vl_convert

        _patch_vl_convert(vl_convert)
        vl_convert.vegalite_to_svg(
            {
                "data": {"values": [{"a": 1}]},
                "mark": "point",
                "encoding": {"x": {"field": "a", "type": "quantitative"}},
            }
        )
    _COUNTERS.update(_FRESH_COUNTERS)
    _STATE["cwd"] = cwd
    _STATE["pandas"] = _pandas_options()
    _STATE["environ"] = dict(os.environ)
    _STATE["filters"] = list(warnings.filters)
    _STATE["path"] = list(sys.path)
    os.chdir(cwd)


def _pandas_options() -> dict | None:
    """Current values of all pandas options (None when pandas is not imported)."""
    pandas = sys.modules.get("pandas")
    registered = getattr(
        getattr(getattr(pandas, "_config", None), "config", None), "_registered_options", None
    )
    if pandas is None or registered is None:
        return None
    values = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for key in registered:
            try:
                values[key] = pandas.get_option(key)
            except Exception:  # deprecated or removed options
                continue
    return values


def _restore_pandas_options() -> None:
    pandas = sys.modules.get("pandas")
    if pandas is None:
        return
    saved = _STATE.get("pandas")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if saved is None:
            pandas.reset_option("all")
            return
        for key, value in saved.items():
            try:
                if pandas.get_option(key) != value:
                    pandas.set_option(key, value)
            except Exception:
                continue


# Vega numbers gradients (``gradient_0``, ...) and clip paths (``clip1``, ...) with counters
# that live as long as vl-convert's JavaScript runtime, i.e. the kernel. A fresh kernel
# (plain papermill) starts them at 0 and 1 for every notebook; here they would keep counting
# across jobs. So SVG output is renumbered per job, in order of appearance, which gives
# exactly the ids a fresh kernel produces.
_FRESH_COUNTERS = {"gradient_": 0, "clip": 1}
_COUNTERS = dict(_FRESH_COUNTERS)
_VEGA_ID = re.compile(r"""(id="|url\(#|href="#)(gradient_|clip)(\d+)(?=["')])""")


def _renumber_svg(svg: str) -> str:
    mapping: dict[str, str] = {}

    def replace(match: re.Match) -> str:
        prefix, number = match.group(2), match.group(3)
        key = prefix + number
        if key not in mapping:
            mapping[key] = f"{prefix}{_COUNTERS[prefix]}"
            _COUNTERS[prefix] += 1
        return match.group(1) + mapping[key]

    return _VEGA_ID.sub(replace, svg)


def _patch_vl_convert(module) -> None:
    import functools

    for name in ("vegalite_to_svg", "vega_to_svg"):
        original = getattr(module, name, None)
        if original is None or getattr(original, "__doeagenda_renumbered__", False):
            continue

        def wrapper(*args, __original=original, **kwargs):
            return _renumber_svg(__original(*args, **kwargs))

        functools.update_wrapper(wrapper, original)
        wrapper.__doeagenda_renumbered__ = True
        setattr(module, name, wrapper)


def reset() -> None:
    """Make the kernel look fresh for the next job (see the module docstring)."""
    import gc

    from IPython import get_ipython

    shell = get_ipython()
    # InteractiveShell.reset ends with a full gc.collect(), which costs ~0.3 s with the
    # data tables in memory; the job's garbage is freed by reference counting and the
    # automatic collector, so skip that one call.
    collect = gc.collect
    gc.collect = lambda *args, **kwargs: 0
    try:
        shell.reset(new_session=False)
    finally:
        gc.collect = collect
    shell.execution_count = 1
    _COUNTERS.update(_FRESH_COUNTERS)
    os.chdir(_STATE.get("cwd", os.getcwd()))
    if "environ" in _STATE:
        os.environ.clear()
        os.environ.update(_STATE["environ"])
    if "path" in _STATE:
        sys.path[:] = _STATE["path"]
    if "filters" in _STATE:
        warnings.filters[:] = _STATE["filters"]
    warnings.onceregistry.clear()
    mutated = getattr(warnings, "_filters_mutated", None) or getattr(
        warnings, "_filters_mutated_lock_held", None
    )
    if mutated is not None:  # invalidates every module's __warningregistry__
        mutated()
    _restore_pandas_options()
    if "doeagenda.charts" in sys.modules:
        charts = sys.modules["doeagenda.charts"]
        charts.enable_theme()
        charts.use_renderer()
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
