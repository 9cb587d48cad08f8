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
from collections.abc import Sequence

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

    wrapper.__dict__["__doeagenda_memoized__"] = True  # marker read back by getattr
    return wrapper


def _fingerprint(value, digest) -> None:
    """Feed a canonical form of ``value`` to ``digest`` (same content, same bytes, any process).

    Sets are sorted and pandas objects hashed by content, so two kernels (with different
    hash seeds) give the same key for the same province-wide inputs. Unknown types raise
    ``TypeError``: then the call is simply not shared.
    """
    import dataclasses

    import numpy as np
    import pandas as pd

    def feed(tag: str, payload: bytes = b"") -> None:
        digest.update(tag.encode() + b"\0" + payload + b"\1")

    if value is None or isinstance(value, bool | int | float | str | complex):
        feed(type(value).__name__, repr(value).encode())
    elif isinstance(value, bytes):
        feed("bytes", value)
    elif isinstance(value, os.PathLike):
        feed("path", os.fspath(value).encode())
    elif isinstance(value, list | tuple):
        feed(type(value).__name__, str(len(value)).encode())
        for item in value:
            _fingerprint(item, digest)
    elif isinstance(value, dict):
        feed("dict", str(len(value)).encode())
        for key in sorted(value, key=repr):
            _fingerprint(key, digest)
            _fingerprint(value[key], digest)
    elif isinstance(value, set | frozenset):
        feed("set", "\0".join(sorted(repr(v) for v in value)).encode())
    elif isinstance(value, pd.DataFrame | pd.Series | pd.Index):
        dtypes = value.dtypes if isinstance(value, pd.DataFrame) else value.dtype
        feed(type(value).__name__, repr(dtypes).encode())
        if isinstance(value, pd.DataFrame):
            _fingerprint(list(map(str, value.columns)), digest)
        hashed = pd.util.hash_pandas_object(value, index=not isinstance(value, pd.Index))
        feed("content", np.asarray(hashed).tobytes())
    elif isinstance(value, np.ndarray):
        feed(
            "ndarray",
            f"{value.dtype}{value.shape}".encode() + np.ascontiguousarray(value).tobytes(),
        )
    elif hasattr(value, "model_dump_json"):  # pydantic model (a framework)
        feed(type(value).__qualname__, value.model_dump_json().encode())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        feed(type(value).__qualname__)
        for item in dataclasses.fields(value):
            if not item.name.startswith("_"):  # private fields are caches, not inputs
                _fingerprint(item.name, digest)
                _fingerprint(getattr(value, item.name), digest)
    else:
        msg = f"no stable fingerprint for {type(value).__name__}"
        raise TypeError(msg)


def _shared_key(dotted: str, args, kwargs) -> str | None:
    """Hash of the function, the package version and the call's inputs (None: not shareable)."""
    import hashlib

    from doeagenda import __version__

    digest = hashlib.sha256(f"{dotted}\0{__version__}".encode())
    try:
        _fingerprint(args, digest)
        _fingerprint(kwargs, digest)
    except TypeError:
        return None
    return digest.hexdigest()


def _shared(func, dotted: str):
    """Compute ``func`` once per run for all kernels: results are kept under the run folder.

    The first kernel to need a value takes an exclusive lock on its key, computes it and
    writes it (pickled, atomically); kernels that need the same value meanwhile wait for the
    lock and then read the file. The key hashes the function, the package version and every
    input by content (data and framework included), so a changed input is a new entry. The
    pickles are written and read only by this run's own kernels, in the user's run folder.
    """
    import functools
    import pickle
    from pathlib import Path

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        folder = _STATE.get("shared_dir")
        key = _shared_key(dotted, args, kwargs) if folder else None
        if key is None:
            return func(*args, **kwargs)
        target = Path(folder) / f"{func.__name__}-{key}.pkl"
        if not target.exists():
            # an exclusive lock on a side file: the other kernel waits instead of recomputing
            from doeagenda.iorw import atomic_write, exclusive_lock

            with exclusive_lock(target.with_suffix(".lock")):
                if not target.exists():
                    value = func(*args, **kwargs)
                    atomic_write(target, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
                    return value
        return pickle.loads(target.read_bytes())

    wrapper.__dict__["__doeagenda_memoized__"] = True  # marker read back by getattr
    return wrapper


def _resolve(dotted: str):
    """``(owner, name, function)`` for ``package.module.function`` or ``module.Class.method``."""
    module_name, _, name = dotted.rpartition(".")
    try:
        owner = importlib.import_module(module_name)
    except ModuleNotFoundError:
        module_name, _, cls_name = module_name.rpartition(".")
        owner = getattr(importlib.import_module(module_name), cls_name)
    return owner, name, getattr(owner, name)


def share(dotted: str) -> None:
    """Compute a province-wide function once per run, shared by all kernels on this disk.

    ``share("doeagenda.index.build.IndexResult.sensitivity")`` wraps that method (or a
    module-level function, replaced everywhere in the package as by :func:`memoize`) so
    its results go through the run's shared cache (see :func:`_shared`). Without a shared
    folder (a Dask worker on another machine) the function is called as usual.
    """
    owner, name, original = _resolve(dotted)
    if getattr(original, "__doeagenda_memoized__", False):
        return
    wrapped = _shared(original, dotted)
    if isinstance(owner, type):
        setattr(owner, name, wrapped)
        return
    top = owner.__name__.split(".")[0]
    for mod_name, module in list(sys.modules.items()):
        if (mod_name == top or mod_name.startswith(top + ".")) and getattr(
            module, name, None
        ) is original:
            setattr(module, name, wrapped)


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


def skip_slow_optional_imports() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` in batch processes.

    jsonschema imports that optional package (when installed, e.g. pulled in by
    jupyter-events) to check the ``iri`` formats; at import it builds an Earley parser,
    measured at 1.5-5 s per process on the 2-core machine, paid by every worker and kernel
    through ``import altair``. Altair validates charts against the Vega-Lite schema, which
    uses no ``iri`` format (only ``uri``, ``uri-reference`` and ``color-hex``), so the
    charts and every other output stay the same; jsonschema simply does not register the
    ``iri`` checkers, exactly as when the package is not installed.
    """
    if "jsonschema" not in sys.modules:
        # None in sys.modules: ImportError (documented; typeshed types the values as modules)
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def warm_up(
    cwd: str,
    preload: list[str],
    warmup: list[str],
    svg: bool = True,
    memo: Sequence[str] = (),
    shared: Sequence[str] = (),
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
    shared : list of str
        Dotted names of province-wide functions computed once per run (see :func:`share`);
        the folder comes with each job (:func:`reset`).
    """
    skip_slow_optional_imports()
    for name in preload:
        module = importlib.import_module(name)
        # doeagenda's subpackages load their public names lazily (cheap `import doeagenda`);
        # a warm kernel wants the heavy imports now, off the per-job path, so touch them.
        if name.startswith("doeagenda"):
            for attribute in getattr(module, "__all__", ()):
                getattr(module, attribute)
    for dotted in memo:
        memoize(dotted)
    for dotted in shared:
        share(dotted)
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
        wrapper.__dict__["__doeagenda_renumbered__"] = True  # marker read back by getattr
        setattr(module, name, wrapper)


def reset(shared_dir: str | None = None) -> None:
    """Make the kernel look fresh for the next job (see the module docstring).

    ``shared_dir`` is the folder of this job's run where :func:`share` keeps results
    computed once per run (None: compute as usual).
    """
    _STATE["shared_dir"] = shared_dir if shared_dir and os.path.isdir(shared_dir) else None
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
        # typeshed types filters as a read-only Sequence; at run time it is the module's list
        warnings.filters[:] = _STATE["filters"]  # type: ignore[index]
    warnings.onceregistry.clear()  # type: ignore[attr-defined]  # real, not in typeshed
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
