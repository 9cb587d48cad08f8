"""Atomic writes: no temporary files left, no half-written target, clear error."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pandas as pd
import pytest

from doeagenda.errors import OutputError
from doeagenda.iorw import atomic_write, write_csv


def test_write_replaces_whole_file(tmp_path):
    target = tmp_path / "sub" / "a.txt"
    atomic_write(target, "eerste")
    atomic_write(target, "tweede")
    assert target.read_text() == "tweede"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.txt"]


def test_failed_write_keeps_old_content(tmp_path, monkeypatch):
    target = tmp_path / "a.txt"
    atomic_write(target, "oud")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OutputError, match="geen ruimte meer op de schijf"):
        atomic_write(target, "nieuw")
    assert target.read_text() == "oud"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_write_csv_round_trip(tmp_path):
    frame = pd.DataFrame({"code": ["GM0344"], "waarde": [1.5]})
    write_csv(frame, tmp_path / "t.csv", index=False)
    assert pd.read_csv(tmp_path / "t.csv").equals(frame)


def test_unwritable_target_is_output_error(tmp_path):
    blocker = tmp_path / "bestand"
    blocker.write_text("geen map")
    with pytest.raises(OutputError, match=r"kan .* niet schrijven"):
        atomic_write(blocker / "x.txt", "x")


# --- every write goes through iorw ------------------------------------------------------

#: Writes allowed outside iorw, by the function that does them, with the reason.
WRITE_EXEMPT = {
    # the batch lock must be created with O_EXCL (fails when another run holds it); an
    # atomic rename would silently replace the other run's lock
    "create_exclusive": "exclusive create of the run lock (O_EXCL, in iorw)",
}

_FRAME_WRITERS = {
    "to_csv",
    "to_excel",
    "to_feather",
    "to_html",
    "to_json",
    "to_latex",
    "to_markdown",
    "to_parquet",
    "to_pickle",
    "to_stata",
    "to_string",
    "to_xml",
}
_ALWAYS_WRITES = {"write_text", "write_bytes", "savefig", "save", "savetxt", "savez"}
_STREAM_DUMPERS = {("json", "dump"), ("yaml", "dump"), ("yaml", "safe_dump"), ("pickle", "dump")}
_MODULE_WRITERS = {
    ("nbformat", "write"),
    ("shutil", "copy"),
    ("shutil", "copy2"),
    ("shutil", "copyfile"),
    ("shutil", "move"),
}


def _literal(node):
    return node.value if isinstance(node, ast.Constant) else None


def _keyword(call, name):
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _writes_by_mode(mode):
    return isinstance(mode, str) and any(flag in mode for flag in "wax+")


def _write_call(call):
    """Return why ``call`` writes a file, or None."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    owner = (
        func.value.id
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
        else None
    )
    if name == "open" and owner == "os":
        flags = ast.dump(call)
        return (
            "os.open for writing"
            if any(f in flags for f in ("O_WRONLY", "O_RDWR", "O_CREAT"))
            else None
        )
    if name in ("open", "fdopen"):
        # builtin open(path, mode) / os.fdopen(fd, mode) / Path.open(mode)
        position = 0 if isinstance(func, ast.Attribute) and owner not in ("io", "os") else 1
        mode = _keyword(call, "mode")
        if mode is None and len(call.args) > position:
            mode = call.args[position]
        return f"{name}(mode={_literal(mode)!r})" if _writes_by_mode(_literal(mode)) else None
    if name in _ALWAYS_WRITES and isinstance(func, ast.Attribute):
        return f".{name}()"
    if name in _FRAME_WRITERS and isinstance(func, ast.Attribute):
        target = call.args[0] if call.args else None
        for key in ("path_or_buf", "path", "buf", "excel_writer"):
            target = target if target is not None else _keyword(call, key)
        if target is not None and not (isinstance(target, ast.Constant) and target.value is None):
            return f".{name}(<file>)"
        return None
    if (owner, name) in _STREAM_DUMPERS:
        if len(call.args) > 1 or _keyword(call, "stream") is not None or _keyword(call, "fp"):
            return f"{owner}.{name}(..., <file>)"
        return None
    if (owner, name) in _MODULE_WRITERS:
        return f"{owner}.{name}()"
    return None


class _WriteScan(ast.NodeVisitor):
    def __init__(self, label):
        self.label = label
        self.functions = []
        self.found = []

    def visit_FunctionDef(self, node):
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node):
        if not WRITE_EXEMPT.keys() & set(self.functions) and (why := _write_call(node)):
            self.found.append(f"{self.label}:{node.lineno}: {why}")
        self.generic_visit(node)


def _package_writes():
    import doeagenda

    package = Path(doeagenda.__file__).parent
    found = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "iorw.py":
            continue
        scan = _WriteScan(path.relative_to(package.parent))
        scan.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        found.extend(scan.found)
    return found


def test_package_writes_files_only_through_iorw():
    offenders = _package_writes()
    assert not offenders, "write through doeagenda.iorw instead:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "source",
    [
        "open(p, 'w')",
        "open(p, mode='ab')",
        "path.open('w', encoding='utf-8')",
        "path.write_text('x')",
        "path.write_bytes(b'x')",
        "frame.to_csv(path, index=False)",
        "frame.to_parquet(path_or_buf=p)",
        "json.dump(data, handle)",
        "yaml.safe_dump(data, handle)",
        "os.open(p, os.O_CREAT | os.O_WRONLY)",
        "chart.save('a.html')",
    ],
)
def test_write_scan_catches_each_way_of_writing(source):
    assert _write_call(ast.parse(source).body[0].value)


@pytest.mark.parametrize(
    "source",
    [
        "open(p)",
        "open(p, 'rb')",
        "path.open()",
        "frame.to_csv(index=False)",
        "json.dumps(data)",
        "yaml.safe_dump(data)",
    ],
)
def test_write_scan_lets_reads_and_strings_pass(source):
    assert _write_call(ast.parse(source).body[0].value) is None
