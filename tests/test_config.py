"""The shared YAML boundary: syntax errors, unknown keys and wrong types read clearly."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict

from doeagenda.config import load_model, read_yaml
from doeagenda.errors import ParameterError, PlanError


class Example(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    weight: float = 1.0


def test_valid_file(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("name: a\nweight: 2\n")
    assert load_model(path, Example) == Example(name="a", weight=2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: a\nwieght: 2\n", r"wieght: onbekende sleutel"),
        ("name: a\nweight: zwaar\n", r"weight: .*gegeven: 'zwaar'"),
        ("name: [a\n", r"regel 2, kolom 1: geen geldige YAML"),
        ("- a\n- b\n", r"moet sleutels met waarden bevatten"),
    ],
)
def test_errors_name_file_and_key(tmp_path, text, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ParameterError, match=expected) as info:
        load_model(path, Example)
    assert str(path) in str(info.value)


def test_missing_file_raises_requested_class(tmp_path):
    with pytest.raises(PlanError, match=r"batch plan .* niet gevonden"):
        read_yaml(tmp_path / "weg.yaml", error=PlanError, what="batch plan")
