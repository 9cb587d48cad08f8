"""Packaging rules: environment.yml mirrors pyproject.toml, notebooks are clean and thin,
and the wheel carries the data (run from the wheel, not the checkout)."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").rglob("*.ipynb"))
NOTEBOOKS = [p for p in NOTEBOOKS if ".ipynb_checkpoints" not in p.parts]

# conda-forge names that differ from PyPI names (as pandas keeps for its own environment.yml)
CONDA_NAMES = {
    "dask[distributed]": ["dask", "distributed"],
    "vl-convert-python": ["vl-convert-python"],
    "lazy-loader": ["lazy_loader"],
}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ;]", requirement, maxsplit=1)[0].strip().lower()


def _pypi_requirements() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    names = [_name(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]
    expanded = set()
    for name in names:
        expanded.update(CONDA_NAMES.get(name, [name]))
    return expanded


def _conda_requirements() -> set[str]:
    environment = yaml.safe_load((REPO / "environment.yml").read_text())
    names = {_name(d) for d in environment["dependencies"] if isinstance(d, str)}
    return names - {"python", "pip"}


def test_environment_yml_matches_pyproject():
    pypi, conda = _pypi_requirements(), _conda_requirements()
    assert pypi - conda == set(), f"in pyproject.toml but not environment.yml: {pypi - conda}"
    assert conda - pypi == set(), f"in environment.yml but not pyproject.toml: {conda - pypi}"


def test_sync_check_notices_drift(tmp_path, monkeypatch):
    environment = yaml.safe_load((REPO / "environment.yml").read_text())
    environment["dependencies"].remove("pandas>=2.1")
    assert "pandas" in _pypi_requirements() - {
        _name(d) for d in environment["dependencies"] if isinstance(d, str)
    }


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_notebook_committed_without_outputs(path):
    notebook = json.loads(path.read_text())
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name}: a code cell has outputs"
            assert cell["execution_count"] is None, f"{path.name}: execution counts present"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_notebook_is_thin(path):
    notebook = json.loads(path.read_text())
    cells = notebook["cells"]
    assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]).startswith("# ")
    code = [c for c in cells if c["cell_type"] == "code"]
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    parameters = ast.parse("".join(tagged[0]["source"]))
    for statement in parameters.body:
        # ``x = 1`` or, where the default None hides the type, ``x: float = None``
        # (papermill reads the annotation; `doeagenda rapport` checks values against it)
        assert isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None, (
            "parameters cell holds assignments only"
        )
        ast.literal_eval(statement.value)  # literal defaults
    imports = [
        c
        for c in code
        if all(
            isinstance(s, (ast.Import, ast.ImportFrom))
            for s in ast.parse("".join(c["source"])).body
        )
    ]
    assert len(imports) == 1, "one import cell"
    for cell in code:
        tree = ast.parse("".join(cell["source"]))
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.Lambda, ast.ClassDef)), (
                "no def in cells"
            )
            assert not isinstance(node, (ast.For, ast.While, ast.ListComp, ast.DictComp)), (
                "no loops"
            )
        assert "Path(" not in "".join(cell["source"]) and "os.path" not in "".join(cell["source"])


@pytest.mark.slow
def test_wheel_contains_data_and_works_outside_checkout(tmp_path):
    build = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    wheel = next(tmp_path.glob("doeagenda-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for required in (
        "doeagenda/data/PROVENANCE.md",
        "doeagenda/data/tidy/indicators.csv.gz",
        "doeagenda/data/tidy/areas.csv",
        "doeagenda/data/meta/variabelen.csv",
        "doeagenda/data/raw/gemeenten_2022_gegeneraliseerd_wgs84.geojson",
        "doeagenda/_notebooks/gemeenteprofiel.ipynb",
        "doeagenda/_params/frameworks/buurzaamheid_gemeenten.yaml",
    ):
        assert required in names
    script = (
        "import doeagenda, doeagenda.data as d, doeagenda.paths as p;"
        "assert 'site' in doeagenda.__file__, doeagenda.__file__;"
        "assert p.notebook_path('gemeenteprofiel.ipynb').is_file();"
        "assert '_params' in str(p.params_dir()) and p.params_path('frameworks').is_dir();"
        "print(len(d.areas('gemeente', 'Utrecht')), len(d.boundaries(provincie='Utrecht')['features']),"
        " int(d.population()['GM0344']))"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["26", "26", "374238"]


@pytest.mark.slow
def test_wheel_alone_runs_the_default_batch_in_an_empty_folder(tmp_path):
    """`doeagenda run` from an installed wheel: plans and notebooks come from the package.

    The wheel goes into a fresh venv without network: its dependencies are the ones already
    installed here (a .pth line adds this environment's site-packages, without processing
    its .pth files, so the editable checkout stays invisible).
    """
    import sysconfig

    build = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    wheel = next(tmp_path.glob("doeagenda-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "_installed_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    empty = tmp_path / "leeg"
    empty.mkdir()
    env = {
        **os.environ,
        "JUPYTER_PLATFORM_DIRS": "1",
        # nbconvert's HTML templates are data files of the reused environment
        "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter"),
    }
    env.pop("PYTHONPATH", None)
    run = subprocess.run(
        [str(venv / "bin" / "doeagenda"), "run", "--only", "GM0307", "--workers", "1"],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "klaar 3, mislukt 0" in run.stdout
    (run_dir,) = (empty / "outputs").iterdir()
    assert (run_dir / "GM0307-amersfoort" / "gemeenteprofiel.html").is_file()
    assert sorted(p.name for p in empty.iterdir()) == ["outputs"]  # nothing else written
