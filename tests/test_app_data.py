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
    rapport = next(d.value for d in at.dataframe if "gekoppeld" in d.value.columns)
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
    assert any("Dataset 'bestaat-niet' uit de link is op deze server niet gevonden" in w.value and "GM0001" in w.value for w in at.warning)
    assert "synthetisch" in at.info[0].value  # the default (built-in example) is shown


def test_template_download_and_import_form_present(app, geodata):
    at = app.run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    assert at.text_input[0].value == "GM0796"
    assert any(b.label == "Importeren" for b in at.button)
    assert any("plancap_hard_pct" in str(df.value) for df in at.dataframe)


def _grid_geojson() -> bytes:
    import geopandas as gpd
    import shapely

    codes = ["BU00010001", "BU00010002", "BU00010101"]
    gdf = gpd.GeoDataFrame({"statcode": codes, "statnaam": ["A", "B", "C"]},
                           geometry=[shapely.box(150_000 + 500 * i, 450_000, 150_500 + 500 * i, 450_500) for i in range(3)], crs="EPSG:28992")
    return gdf.to_crs("EPSG:4326").to_json().encode()


def test_upload_import_and_save_as_named_dataset(app, geodata):
    at = app.run()
    at.switch_page("views/data.py").run()
    at.text_input[0].set_value("GM0001")
    uploads = {u.label.split(" (")[0]: u for u in at.file_uploader}
    uploads["Buurtgrenzen"].set_value(("buurten.geojson", _grid_geojson(), "application/geo+json"))
    uploads["Eigen gegevens per buurtcode"].set_value([("plan.csv", b"buurtcode;Plan hard\nBU00010001;2,5\nBU00010101;\n", "text/csv")])
    at.text_area(key="koppeling").set_value("Plan hard = plancap_hard_pct")
    next(b for b in at.button if b.label == "Importeren").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("Geïmporteerd: 3 buurten" in s.value for s in at.success)
    rapporten = [d.value for d in at.dataframe if "gekoppeld" in d.value.columns]
    rapport = rapporten[-1]  # the first is the shown dataset's, the last the new import's
    assert rapport.loc[0, "gekoppeld"] == 2 and rapport.loc[0, "ontbrekende codes"] == "BU00010002"
    naam = next(t for t in at.text_input if t.label == "Naam van de dataset")
    naam.set_value("GM0001-eigen")
    next(b for b in at.button if b.label == "Opslaan als dataset").click().run()
    assert not at.exception and not at.error
    assert (geodata / "GM0001-eigen.parquet").exists()
    assert at.session_state["dataset"] == "GM0001-eigen"
    from wijkprofielen.dataset import load_dataset

    saved = load_dataset(geodata / "GM0001-eigen.parquet")
    assert saved.waarden.at["BU00010001", ("plancap_hard_pct", 0)] == 2.5


def test_bad_upload_shows_a_dutch_error_and_keeps_running(app, geodata):
    at = app.run()
    at.switch_page("views/data.py").run()
    at.file_uploader[0].set_value(("kapot.geojson", b'{"type": "FeatureCollection", "features": [', "application/json"))
    next(b for b in at.button if b.label == "Importeren").click().run()
    assert not at.exception
    assert at.error and "kapot.geojson" in at.error[0].value and at.error[0].value.startswith("Importeren mislukt")
    assert sorted(p.name for p in geodata.iterdir()) == ["GM0001.parquet"]
