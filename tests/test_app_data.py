"""AppTests for the Data page and the dataset choice that switches every page."""

from __future__ import annotations

import json

import pytest

from wijkprofielen.dataset import save_dataset
from wijkprofielen.testing import grid_dataset


@pytest.fixture()
def geodata(tmp_path, monkeypatch):
    ds = grid_dataset({"lbm_afw": [0.1, -0.2, 0.3, 0.0, 0.2], "bevolkingsdichtheid": [100.0, 2000, 3000, 500, 800]}, gemeentecode="GM0001")
    ds.meta.update({"naam": "GM0001", "synthetisch": False, "gemeente": "GM0001",
                    "bronnen": [{"bron": "testbron", "bestand": "t.csv", "jaren": [2024], "licentie": "CC-BY 4.0", "sha256": "ab" * 32}],
                    "rapport": {"gemeente": "GM0001", "buurten": 5, "wijken": 2, "bronnen": [
                        {"bron": "testbron", "jaar": 2024, "gekoppeld": 4, "ontbrekend": ["BU00010000"], "extra": ["BU00019999"], "onderdrukt": 0}]}})
    save_dataset(ds, tmp_path / "GM0001.parquet")
    monkeypatch.setenv("WIJKPROFIELEN_GEODATA", str(tmp_path))
    return tmp_path


def test_choosing_a_dataset_switches_all_pages(app, geodata):
    at = app.run()
    at.switch_page("views/data.py").run()
    assert not at.exception and not at.error
    box = at.selectbox(key="data_keuze")
    assert box.options == ["(standaard)", "GM0001"]
    box.select("GM0001").run()
    assert not at.exception
    assert at.query_params["dataset"] == ["GM0001"] or at.query_params["dataset"] == "GM0001"
    assert any("gekozen dataset GM0001" in c.value for c in at.caption)
    rapport = at.dataframe[1].value
    assert rapport.loc[0, "gekoppeld"] == 4 and rapport.loc[0, "extra codes"] == "BU00019999"
    at.switch_page("views/kaart.py").run()
    assert not at.exception
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    buurten = next(layer for layer in spec["layers"] if layer["id"] == "buurten")
    assert len(buurten["data"]) == 5
    assert not any("synthetisch" in i.value for i in at.info)


def test_unknown_dataset_in_url_warns_and_falls_back(app, geodata):
    app.query_params["dataset"] = "bestaat-niet"
    at = app.run()
    assert not at.exception
    assert any("Dataset 'bestaat-niet' bestaat niet in geodata/" in w.value and "GM0001" in w.value for w in at.warning)
    assert "synthetisch" in at.info[0].value  # the default (built-in example) is shown


def test_template_download_and_import_form_present(app, geodata):
    at = app.run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    assert at.text_input[0].value == "GM0796"
    assert any(b.label == "Importeren" for b in at.button)
    assert any("plancap_hard_pct" in str(df.value) for df in at.dataframe)
