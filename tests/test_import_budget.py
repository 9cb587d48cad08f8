"""Start-up budget: which heavy libraries ``import doeagenda`` and the CLI load (issue 15.7).

Checked through ``sys.modules`` in a fresh interpreter, not by timing, so the test cannot
flake on a busy machine. Also checks that lazy loading keeps every public name and the
altair theme working as before.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import types

import pytest

HEAVY = ("altair", "pandas", "numpy", "scipy", "statsmodels", "networkx", "sklearn", "matplotlib")
SUBPACKAGES = (
    "doeagenda.data",
    "doeagenda.index",
    "doeagenda.evaluation",
    "doeagenda.impact",
    "doeagenda.initiatives",
    "doeagenda.learning",
    "doeagenda.reports",
)


def _python(code: str, timeout: int = 120, env: dict[str, str] | None = None) -> str:
    """Standard output of ``code`` run by a fresh interpreter (nothing imported yet)."""
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=timeout,
        env=environment,
    ).stdout


def _loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = _python(probe)
    modules = set(json.loads(out.strip().splitlines()[-1]))
    return sorted(name for name in HEAVY if name in modules)


@pytest.mark.parametrize(
    "code",
    [
        "import doeagenda",
        "import doeagenda.cli",  # what `doeagenda --help` loads
        *(f"import {name}" for name in SUBPACKAGES),
    ],
)
def test_imports_load_no_heavy_library(code: str) -> None:
    assert _loaded_after(code) == []


def test_help_loads_no_heavy_library() -> None:
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom doeagenda.cli import app\n"
        "result = CliRunner().invoke(app, ['--help'])\nassert result.exit_code == 0, result.output\n"
        "assert 'batch' in result.output and 'rapport' in result.output"
    )
    assert _loaded_after(code) == []


def test_altair_theme_applies_when_altair_is_imported_after_doeagenda() -> None:
    code = (
        "import doeagenda, sys\nassert 'altair' not in sys.modules\nimport altair as alt\n"
        "print(alt.theme.active, alt.renderers.active)"
    )
    env_out = _python(code, env={"DOEAGENDA_RENDERER": "svg"}).split()
    assert env_out == ["doeagenda", "svg"]


def test_altair_theme_applies_when_altair_was_imported_first() -> None:
    code = "import altair as alt\nimport doeagenda\nprint(alt.theme.active)"
    out = _python(code).split()
    assert out == ["doeagenda"]


@pytest.mark.parametrize("package", SUBPACKAGES)
def test_every_public_name_is_importable(package: str) -> None:
    module = importlib.import_module(package)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert missing == []
    assert set(module.__all__) <= set(dir(module))


def test_a_submodule_import_does_not_shadow_the_function_of_the_same_name() -> None:
    # ``doeagenda.initiatives.summary`` is both a module and the public function; loading
    # the module first must still leave the function bound, as the eager imports did.
    code = (
        "import doeagenda.initiatives.summary, doeagenda.impact.sroi, doeagenda.initiatives as ini\n"
        "import doeagenda.impact as imp, types\n"
        "print(isinstance(ini.summary, types.ModuleType), isinstance(imp.sroi, types.ModuleType),"
        " ini.summary.__module__, imp.sroi.__module__)"
    )
    out = _python(code).split()
    assert out == ["False", "False", "doeagenda.initiatives.summary", "doeagenda.impact.sroi"]
    assert isinstance(importlib.import_module("doeagenda.initiatives.summary"), types.ModuleType)


def test_submodule_import_does_not_hide_a_public_function_of_the_same_name():
    # ``doeagenda/initiatives/kaplan_meier.py`` defines the public ``kaplan_meier``
    # exported from ``survival``: importing the submodule first must keep the function
    # (in a warm batch kernel this bound the module and broke every initiatieven report).
    code = (
        "import doeagenda.initiatives as ini; import doeagenda.initiatives.kaplan_meier; "
        "import doeagenda.learning as learning; import doeagenda.learning.exercise_registry; "
        "print(callable(ini.kaplan_meier), callable(learning.exercise))"
    )
    assert _python(code).split() == ["True", "True"]


def test_every_public_name_survives_importing_every_submodule_first():
    # SPEC 1 (lazy_loader stubs): importing a submodule binds it on the package; a public
    # name must still resolve to the object its stub names, whatever was imported before.
    code = (
        "import ast, importlib, json, pkgutil, types\n"
        f"subpackages = {list(SUBPACKAGES)!r}\n"
        "wrong = []\n"
        "for name in subpackages:\n"
        "    package = importlib.import_module(name)\n"
        "    for info in pkgutil.walk_packages(package.__path__, name + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "for name in subpackages:\n"
        "    package = importlib.import_module(name)\n"
        "    stub = ast.parse(open(package.__file__ + 'i').read())\n"
        "    for node in ast.walk(stub):\n"
        "        if isinstance(node, ast.ImportFrom):\n"
        "            source = importlib.import_module(f'{name}.{node.module}')\n"
        "            for alias in node.names:\n"
        "                if getattr(package, alias.name) is not getattr(source, alias.name):\n"
        "                    wrong.append(f'{name}.{alias.name}')\n"
        "    assert sorted(package.__all__) == sorted(set(package.__all__))\n"
        "print(json.dumps(wrong))"
    )
    out = _python(code, timeout=300)
    assert json.loads(out.strip().splitlines()[-1]) == []
