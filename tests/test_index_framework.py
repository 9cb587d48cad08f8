"""Framework validation (one clear error each) and data errors naming the indicator."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from doeagenda.errors import DataError, FrameworkError
from doeagenda.index import Framework, build_index


def base() -> dict:
    return {
        "name": "test",
        "nodes": [
            {"id": "a", "parent": "g"},
            {"id": "b", "parent": "g", "weight": 2},
            {"id": "g", "parent": "root"},
            {"id": "root"},
        ],
    }


DATA = pd.DataFrame({"a": [1.0, 2, 3], "b": [3.0, 1, 2]}, index=["U1", "U2", "U3"])


def test_valid_framework_roundtrip(tmp_path):
    fw = Framework.from_dict(base())
    assert fw.root == "root" and fw.leaves == ["a", "b"] and fw.groups == ["g", "root"]
    path = fw.to_yaml(tmp_path / "fw.yaml")
    again = Framework.from_yaml(path)
    assert again == fw
    pd.testing.assert_frame_equal(build_index(DATA, again).scores, build_index(DATA, fw).scores)


def test_unknown_key_top_and_node():
    d = base()
    d["normalize"] = {"method": "minmax"}
    with pytest.raises(FrameworkError, match="onbekende sleutel 'normalize'"):
        Framework.from_dict(d)
    d = base()
    d["nodes"][0]["wieght"] = 2
    with pytest.raises(FrameworkError, match=r"onbekende sleutel 'wieght' in knooppunt 1 \('a'\)"):
        Framework.from_dict(d)
    d = base()
    d["nodes"][0]["normalise"] = {"method": "goalposts", "low": 0, "hihg": 1}
    with pytest.raises(FrameworkError, match=r"onbekende sleutel 'normalise\.hihg'"):
        Framework.from_dict(d)


def test_cycle():
    d = base()
    d["nodes"] += [{"id": "x", "parent": "y"}, {"id": "y", "parent": "x"}]
    with pytest.raises(FrameworkError, match="kringloop: x -> y -> x"):
        Framework.from_dict(d)


def test_missing_parent():
    d = base()
    d["nodes"][0]["parent"] = "gg"
    with pytest.raises(FrameworkError, match="ouder 'gg', die geen knooppunt"):
        Framework.from_dict(d)


@pytest.mark.parametrize("weight", ["zwaar", "1", True, None, [1]])
def test_non_numeric_weight(weight):
    d = base()
    d["nodes"][1]["weight"] = weight
    with pytest.raises(
        FrameworkError, match=r"knooppunt 2 \('b'\), sleutel 'weight': weight moet een getal zijn"
    ):
        Framework.from_dict(d)


def test_negative_weight_and_bad_direction():
    d = base()
    d["nodes"][1]["weight"] = -1
    with pytest.raises(FrameworkError, match="eindig getal >= 0"):
        Framework.from_dict(d)
    d = base()
    d["nodes"][1]["direction"] = 2
    with pytest.raises(FrameworkError, match="direction moet 1"):
        Framework.from_dict(d)


def test_two_roots_duplicate_ids_and_group_keys():
    d = base()
    d["nodes"].append({"id": "other"})
    with pytest.raises(FrameworkError, match="precies één wortel"):
        Framework.from_dict(d)
    d = base()
    d["nodes"].append({"id": "a", "parent": "g"})
    with pytest.raises(FrameworkError, match="'a' komt meer dan eens voor"):
        Framework.from_dict(d)
    d = base()
    d["nodes"][2]["normalise"] = {"method": "zscore"}
    with pytest.raises(FrameworkError, match="groep 'g' zet 'normalise'"):
        Framework.from_dict(d)
    d = base()
    d["nodes"][0]["aggregate"] = "geometric"
    with pytest.raises(FrameworkError, match="blad zonder gegevens eronder"):
        Framework.from_dict(d)


def test_method_parameters_required():
    d = base()
    d["nodes"][0]["normalise"] = {"method": "goalposts", "low": 1}
    with pytest.raises(FrameworkError, match="vraagt zowel 'low' als 'high'"):
        Framework.from_dict(d)
    d = base()
    d["aggregate"] = "median"
    with pytest.raises(FrameworkError, match="aggregate"):
        Framework.from_dict(d)


def test_bad_yaml_files(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(FrameworkError, match="niet gevonden"):
        Framework.from_yaml(missing)
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(FrameworkError, match="geen geldige YAML"):
        Framework.from_yaml(bad)
    notmap = tmp_path / "list.yaml"
    notmap.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(FrameworkError, match="moet sleutels met waarden bevatten"):
        Framework.from_yaml(notmap)


def test_leaf_without_data_column():
    with pytest.raises(DataError, match=r"\['b'\].*geen kolommen van de gegevens"):
        build_index(DATA[["a"]], Framework.from_dict(base()))


def test_all_nan_and_constant_column():
    data = DATA.assign(b=np.nan)
    with pytest.raises(DataError, match="indicator 'b' heeft helemaal geen waarden"):
        build_index(data, Framework.from_dict(base()))
    data = DATA.assign(b=5.0)
    with pytest.raises(DataError, match=r"indicator 'b' is constant \(min = max = 5\)"):
        build_index(data, Framework.from_dict(base()))


def test_non_numeric_value_named():
    data = DATA.astype(object)
    data.loc["U2", "a"] = "veel"
    with pytest.raises(
        DataError, match="kolom 'a' bevat geen getallen: waarde 'veel' voor eenheid U2"
    ):
        build_index(data, Framework.from_dict(base()))


def test_needs_input_leaf_shown_as_no_data_and_filled_when_present():
    d = base()
    d["nodes"].insert(2, {"id": "survey", "parent": "s", "status": "needs_input"})
    d["nodes"].insert(3, {"id": "s", "parent": "root"})
    fw = Framework.from_dict(d)
    result = build_index(DATA, fw)
    assert result.scores["s"].isna().all() and result.scores["root"].notna().all()
    assert "s" in result.missing_nodes and "survey" in result.missing_nodes
    np.testing.assert_allclose(result.scores["root"], result.scores["g"])
    filled = build_index(DATA.assign(survey=[10.0, 0, 5]), fw)
    assert filled.scores["s"].notna().all() and not filled.missing_nodes
    np.testing.assert_allclose(filled.scores["root"], (filled.scores["g"] + filled.scores["s"]) / 2)
