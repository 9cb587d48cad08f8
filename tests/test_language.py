"""One language for the user: the messages the package raises are Dutch.

Code, names and docstrings are English; everything a person reads is Dutch. This test reads
every ``raise`` statement of the package (with ``ast``) and the text of its message: the
string (or f-string, or concatenation) in the exception call, or, for ``raise X(msg)``, the
last assignment to ``msg`` before it in the same function. Text between quotes or
backticks is left out (names of columns, options, code), and so are the values filled in
by an f-string.

The heuristic: a message is English when its own words include at least two *different*
common English function words that are not also Dutch words (``the``, ``must``, ``with``,
``from``, ``and``, ``or``, ``not``, ...; see :data:`ENGLISH`). One such word may occur in a
Dutch message as a quoted option or a loan word; two different ones practically never do.
Exception class names stay English: only the message is read.

Raises that never reach a person are left out by listing them in :data:`INTERNAL`
(programming errors, e.g. ``module has no attribute`` from ``__getattr__``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "doeagenda"

#: Common English function words that are not Dutch words as well.
ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "not",
        "no",
        "nor",
        "must",
        "should",
        "cannot",
        "can",
        "could",
        "does",
        "do",
        "did",
        "was",
        "were",
        "has",
        "have",
        "with",
        "without",
        "which",
        "from",
        "than",
        "this",
        "these",
        "those",
        "there",
        "their",
        "its",
        "into",
        "only",
        "are",
        "found",
        "missing",
        "unknown",
        "expected",
        "got",
        "use",
        "choose",
        "give",
        "needs",
        "need",
        "least",
        "empty",
        "invalid",
        "exist",
        "exists",
        "when",
        "where",
        "while",
        "because",
        "then",
        "also",
        "any",
        "each",
        "every",
        "for",
        "to",
        "be",
        "by",
        "on",
        "at",
        "it",
        "if",
        "too",
        "few",
        "more",
        "less",
        "pass",
        "check",
        "add",
        "drop",
        "fill",
        "leave",
        "leaves",
        "hold",
        "holds",
        "never",
        "none",
        "all",
        "both",
        "either",
        "same",
        "other",
    ]
)

#: ``file:function`` of raises whose message no user sees (protocol or programming errors).
INTERNAL = {
    "evaluation/proeftuin.py:__getattr__",  # the deprecated-name hook (Python's protocol)
    "reports/kernel.py:execute_managed_notebook",  # the engine used without a warm kernel
    "reports/_kernelside.py:_fingerprint",  # caught: the shared result is then not cached
    "results.py:to_frame",  # a result class without a table: a bug in the class
}


def _literal_text(node: ast.AST | None) -> str:
    """The literal parts of a string expression (f-string values are left out)."""
    if node is None:
        return ""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    if isinstance(node, ast.BinOp):
        return f"{_literal_text(node.left)} {_literal_text(node.right)}"
    if isinstance(node, ast.Call):  # "...".join(...), "...".format(...), str(...)
        parts = [_literal_text(a) for a in node.args]
        if isinstance(node.func, ast.Attribute):
            parts.append(_literal_text(node.func.value))
        return " ".join(parts)
    if isinstance(node, ast.IfExp):
        return f"{_literal_text(node.body)} {_literal_text(node.orelse)}"
    return ""


def _own_nodes(scope: ast.AST):
    """The nodes of a function (or module) body, not those of functions defined inside it."""
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            todo.extend(ast.iter_child_nodes(node))


def _messages(tree: ast.AST):
    """(function name, line, message text) of every raise with a message."""
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
            continue
        assigned: list[tuple[int, str, ast.AST]] = []
        raises = []
        for node in _own_nodes(function):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name):
                    assigned.append((node.lineno, target.id, node.value))
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
                raises.append(node)
        for node in sorted(raises, key=lambda n: n.lineno):
            first = node.exc.args[0]
            if isinstance(first, ast.Name):
                before = [
                    v
                    for line, n, v in sorted(assigned, key=lambda a: a[0])
                    if n == first.id and line < node.lineno
                ]
                text = _literal_text(before[-1]) if before else ""
            else:
                text = _literal_text(first)
            name = getattr(function, "name", "<module>")
            yield name, node.lineno, text


def english_words(text: str) -> set[str]:
    """The English function words of a message, outside quotes and backticks."""
    own = re.sub(r"'[^']*'|`[^`]*`|\"[^\"]*\"", " ", text)
    return {w for w in re.findall(r"[a-z']+", own.lower()) if w in ENGLISH}


def english_messages() -> list[str]:
    found = []
    for file in sorted(PACKAGE.rglob("*.py")):
        relative = file.relative_to(PACKAGE).as_posix()
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for function, line, text in _messages(tree):
            if f"{relative}:{function}" in INTERNAL:
                continue
            words = english_words(text)
            if len(words) >= 2:
                found.append(f"{relative}:{line} ({function}): {sorted(words)} in {text[:90]!r}")
    return found


def test_the_heuristic_tells_english_from_dutch() -> None:
    assert english_words("cannot write the file: choose a folder you can write to") >= {
        "cannot",
        "the",
        "choose",
    }
    assert len(english_words("the synthetic control was not run; add 'synth' to methode")) >= 2
    dutch = [
        "kan {path} niet schrijven ({reason}); kies een map waarin u mag schrijven",
        "parameter wijk: 'WK999999' is geen wijkcode van de CBS-indeling 2024; kies uit ...",
        "onbekende provincie 'Utrect' (bedoelde u 'Utrecht'?); kies uit Drenthe, Utrecht",
        "controle 'not_yet_treated' vraagt nog niet behandelde eenheden; gebruik `and`",
    ]
    for text in dutch:
        assert len(english_words(text)) < 2, text


def test_the_scan_finds_raises_and_their_messages() -> None:
    source = (
        "def f(x):\n"
        "    if x:\n"
        "        msg = f'the value {x} must be positive'\n"
        "        raise ValueError(msg)\n"
        "    raise KeyError('de waarde ontbreekt')\n"
    )
    found = list(_messages(ast.parse(source)))
    assert [(name, line) for name, line, _ in found] == [("f", 4), ("f", 5)]
    assert len(english_words(found[0][2])) >= 2 and len(english_words(found[1][2])) < 2


def test_every_raised_message_is_dutch() -> None:
    found = english_messages()
    if found:
        pytest.fail(f"{len(found)} English messages:\n" + "\n".join(found))


def _help_texts():
    """(command path, text) of every help text the CLI shows: commands, arguments, options."""
    import typer.main

    from doeagenda.cli import app

    todo = [("doeagenda", typer.main.get_command(app))]
    while todo:
        path, command = todo.pop()
        ctx = command.make_context(path, [], resilient_parsing=True)
        yield path, command.help or ""
        for param in command.get_params(ctx):
            yield f"{path} {param.name}", getattr(param, "help", None) or ""
        for name, sub in getattr(command, "commands", {}).items():
            todo.append((f"{path} {name}", sub))


def test_every_cli_help_text_is_dutch() -> None:
    texts = list(_help_texts())
    assert len(texts) > 60  # every command, argument and option of the CLI was read
    english = [
        f"{where}: {sorted(english_words(text))} in {text[:80]!r}"
        for where, text in texts
        if len(english_words(text)) >= 2
    ]
    if english:
        pytest.fail(f"{len(english)} English help texts:\n" + "\n".join(english))


def test_the_help_page_frames_are_dutch() -> None:
    from typer.testing import CliRunner

    from doeagenda.cli import app

    runner = CliRunner()
    page = runner.invoke(app, ["data", "show", "--help"], prog_name="doeagenda").output
    for dutch in ("Gebruik: doeagenda data show [OPTIES]", "Argumenten", "Opties", "[verplicht]"):
        assert dutch in page, dutch
    for english in ("Usage:", "Options", "Arguments", "Show this message", "[required]"):
        assert english not in page, english
    error = runner.invoke(app, ["data", "bestaat-niet"], prog_name="doeagenda")
    assert error.exit_code == 2
    assert error.output.startswith("fout: onbekende opdracht 'bestaat-niet'")
    assert "Usage" not in error.output and "Error" not in error.output


USAGE_MISTAKES = [
    (["data", "show"], "het argument code ontbreekt"),
    (["data", "bestaat-niet"], "onbekende opdracht 'bestaat-niet'"),
    (["data", "areas", "--levle", "wijk"], "onbekende optie --levle"),
    (["batch", "--workers", "twee"], "geef een geheel getal"),
    (["batch", "--executor", "wolk"], "'wolk' is geen van 'local', 'dask'"),
    (["data", "show", "GM0344", "extra"], "onverwacht extra argument: extra"),
    (["rapport"], "het argument notebook ontbreekt"),
]


@pytest.mark.parametrize(
    ("args", "dutch"), USAGE_MISTAKES, ids=[" ".join(a) for a, _ in USAGE_MISTAKES]
)
def test_a_usage_mistake_is_one_dutch_line(args, dutch) -> None:
    from typer.testing import CliRunner

    from doeagenda.cli import app

    result = CliRunner().invoke(app, args, prog_name="doeagenda")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fout: ") and dutch in lines[0], lines[0]
    assert lines[0].endswith("--help'"), lines[0]
    assert len(english_words(lines[0])) < 2, lines[0]
    assert "Traceback" not in result.output
