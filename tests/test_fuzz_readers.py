"""Every reader of user input ends in one clear DoeagendaError naming the file.

Property-based (hypothesis): each reader gets mutated copies of a valid file, the valid
text in a wrong encoding, binary garbage, an empty file and a file with a huge cell. It
may accept the file or raise a :class:`~doeagenda.errors.DoeagendaError` whose message
names the file; any other exception (a pandas ``ParserError``, ``UnboundLocalError``, ...)
would reach the CLI user as a traceback and fails the test.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from doeagenda.errors import DoeagendaError

REPO = Path(__file__).resolve().parents[1]

# modest counts: the suite's time matters, a few seconds per reader
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

INDICATORS_CSV = (
    b"code,indicator,year,value,unit\n"
    b"GM0344,eenzaamheid_pct,2022,47.5,%\n"
    b"GM0307,eenzaamheid_pct,2022,44.1,%\n"
    b"GM0308,eenzaamheid_pct,2022,41.0,%\n"
)
REGISTER_CSV = b"".join(
    (REPO / "doeagenda" / "data" / "voorbeeld" / "initiatieven_voorbeeld.csv")
    .read_bytes()
    .splitlines(keepends=True)[:6]
)


def _yaml(*parts: str) -> bytes:
    return (REPO / "params").joinpath(*parts).read_bytes()


def _xlsx(csv: bytes) -> bytes:
    buffer = io.BytesIO()
    pd.read_csv(io.BytesIO(csv), dtype=str, keep_default_na=False).to_excel(buffer, index=False)
    return buffer.getvalue()


@st.composite
def mutated(draw: st.DrawFn, valid: bytes) -> bytes:
    """A valid file with a few random edits: deletions, insertions, flips, truncation."""
    data = bytearray(valid)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "insert", "flip", "truncate", "duplicate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=20))
        elif kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "truncate":
            del data[at:]
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 80))]
    return bytes(data)


def ragged_rows() -> st.SearchStrategy[bytes]:
    """Lines with a varying number of separators and stray quotes and bytes."""
    cell = st.text(alphabet='ab1"\x00é;\t', max_size=6)
    row = st.lists(cell, min_size=1, max_size=7).map(",".join)
    return st.lists(row, min_size=2, max_size=12).map(lambda rows: "\n".join(rows).encode("utf-8"))


def wrong_encoding(valid: bytes) -> st.SearchStrategy[bytes]:
    """The valid text with Dutch accents, saved as UTF-16 or Latin-1 instead of UTF-8."""
    text = valid.decode("utf-8", errors="replace").replace("e", "ë", 3)
    return st.sampled_from(["utf-16", "latin-1", "cp1252", "utf-32"]).map(
        lambda codec: text.encode(codec, errors="replace")
    )


def huge_cell(valid: bytes) -> st.SearchStrategy[bytes]:
    """The valid file with one line replaced by a 200,000-character cell."""
    lines = valid.splitlines(keepends=True)
    return st.integers(0, len(lines) - 1).map(
        lambda i: b"".join([*lines[:i], b"x" * 200_000 + b"\n", *lines[i + 1 :]])
    )


class Content(bytes):
    """File content whose repr stays short (a failing 200 kB example is unreadable)."""

    def __repr__(self) -> str:
        head = bytes(self[:120])
        return f"Content({head!r}{'...' if len(self) > 120 else ''}, {len(self)} bytes)"


def inputs(valid: bytes, binary_valid: bytes | None = None) -> st.SearchStrategy[bytes]:
    """Every kind of bad input built from a valid file."""
    base = binary_valid if binary_valid is not None else valid
    kinds = [
        mutated(base),
        st.binary(max_size=2000),
        # lines of garbage: gets past decoding and delimiter sniffing into the parser
        st.lists(st.binary(min_size=1, max_size=60), min_size=2, max_size=80).map(b"\n".join),
        st.just(b""),
        st.just(b"\x00" * 64),
        huge_cell(valid),
        ragged_rows(),
        wrong_encoding(valid),
    ]
    if binary_valid is not None:
        kinds.append(mutated(valid))  # text where a workbook is expected
    return st.one_of(kinds).map(Content)


def assert_clear_error(
    read: Callable[[Path], object],
    content: bytes,
    name: str,
    companions: tuple[Path, ...] = (),
) -> None:
    """Run ``read`` on a file with ``content``: accepted, or a DoeagendaError naming it.

    ``companions`` are copied next to it (files the valid one refers to); a message may
    name such a referenced file instead (its path in the same folder).
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        for companion in companions:
            (Path(folder) / companion.name).write_bytes(companion.read_bytes())
        try:
            read(path)
        except DoeagendaError as error:
            text = str(error)
            assert name in text or folder in text, f"message does not name the file: {text}"


def _indicators(path: Path) -> object:
    from doeagenda.data import read_indicator_file

    return read_indicator_file(path, year=2022)


def _register_check(path: Path) -> object:
    from doeagenda.initiatives import check_register

    return check_register(path)


def _register_load(path: Path) -> object:
    from doeagenda.initiatives import load_register

    return load_register(path)


def _framework(path: Path) -> object:
    from doeagenda.index import load_framework

    return load_framework(path)


def _plan(path: Path) -> object:
    from doeagenda.reports.plan import load_plan

    return load_plan(path)


def _value_map(path: Path) -> object:
    from doeagenda.impact import load_value_map

    return load_value_map(path)


def _proeftuin(path: Path) -> object:
    from doeagenda.evaluation.proeftuin import load_config

    return load_config(path)


@FUZZ
@given(content=inputs(INDICATORS_CSV))
@example(content=Content(b"a\nb\nc\nd,e,f,g\n"))  # pandas ParserError once (issue 14)
@example(content=Content(b"code,value,x\nGM0344,1,2\n"))  # melt's value_name collision once
@example(content=Content(b"code,year,v\x00\nGM0344,2020,1\n"))  # NUL bytes in a header
def test_indicator_csv(content):
    assert_clear_error(_indicators, content, "indicatoren.csv")


@FUZZ
@given(content=inputs(INDICATORS_CSV, _xlsx(INDICATORS_CSV)))
def test_indicator_xlsx(content):
    assert_clear_error(_indicators, content, "indicatoren.xlsx")


@pytest.mark.parametrize("read", [_register_check, _register_load], ids=["check", "load"])
@FUZZ
@given(content=inputs(REGISTER_CSV))
def test_register_csv(read, content):
    assert_clear_error(read, content, "register.csv")


@FUZZ
@given(content=inputs(REGISTER_CSV, _xlsx(REGISTER_CSV)))
def test_register_xlsx(content):
    assert_clear_error(_register_check, content, "register.xlsx")


@FUZZ
@given(content=inputs(_yaml("frameworks", "buurzaamheid_gemeenten.yaml")))
def test_framework_yaml(content):
    assert_clear_error(_framework, content, "raamwerk.yaml")


@FUZZ
@given(content=inputs(_yaml("batch", "utrecht.yaml")))
def test_batch_plan_yaml(content):
    assert_clear_error(_plan, content, "plan.yaml")


@FUZZ
@given(content=inputs(_yaml("impact", "voorbeeld_maaltijden_ouderen.yaml")))
def test_value_map_yaml(content):
    distributions = REPO / "params" / "impact" / "voorbeeld_maaltijden_ouderen_verdelingen.yaml"
    assert_clear_error(_value_map, content, "waardekaart.yaml", (distributions,))


@FUZZ
@given(content=inputs(_yaml("proeftuinen", "voorbeeld.yaml")))
def test_proeftuin_yaml(content):
    assert_clear_error(_proeftuin, content, "proeftuin.yaml")


def test_valid_files_are_accepted():
    """The seeds of the fuzzing are valid, so mutations start from a file that reads."""
    with tempfile.TemporaryDirectory() as folder:
        for name, content, read in [
            ("i.csv", INDICATORS_CSV, _indicators),
            ("i.xlsx", _xlsx(INDICATORS_CSV), _indicators),
            ("r.csv", REGISTER_CSV, _register_load),
            ("r.xlsx", _xlsx(REGISTER_CSV), _register_load),
        ]:
            path = Path(folder) / name
            path.write_bytes(content)
            assert len(read(path)) > 0, name


def _damaged_workbook(valid: bytes) -> bytes:
    """A workbook whose zip members start with a broken deflate block.

    Found by hypothesis: openpyxl then fails inside zlib (``zlib.error: invalid stored
    block lengths``), an exception type none of the readers listed before.
    """
    import zipfile

    data = bytearray(valid)
    with zipfile.ZipFile(io.BytesIO(valid)) as archive:
        members = [i for i in archive.infolist() if i.compress_type == zipfile.ZIP_DEFLATED]
    for member in members:
        offset = member.header_offset
        start = offset + 30 + int.from_bytes(data[offset + 26 : offset + 28], "little")
        start += int.from_bytes(data[offset + 28 : offset + 30], "little")
        data[start : start + 5] = b"\x01\x05\x00\x00\x00"  # stored block, NLEN is not ~LEN
    return bytes(data)


def _proeftuin_panel(path: Path) -> object:
    from doeagenda.evaluation.proeftuin import load_panel

    return load_panel(str(path))


def _index_data(path: Path) -> object:
    from doeagenda.index.cli import _read_data

    return _read_data(path)


@pytest.mark.parametrize(
    ("read", "valid"),
    [
        (_indicators, INDICATORS_CSV),
        (_register_check, REGISTER_CSV),
        (_proeftuin_panel, INDICATORS_CSV),
        (_index_data, INDICATORS_CSV),
    ],
    ids=["indicatoren", "register", "proeftuin", "index"],
)
def test_a_workbook_damaged_inside_its_zip_is_one_clear_error(read, valid):
    import zlib

    damaged = _damaged_workbook(_xlsx(valid))
    with pytest.raises(zlib.error):  # the damage is real: zlib itself refuses it
        pd.read_excel(io.BytesIO(damaged), engine="openpyxl")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "beschadigd.xlsx"
        path.write_bytes(damaged)
        with pytest.raises(DoeagendaError, match=r"beschadigd\.xlsx"):
            read(path)
