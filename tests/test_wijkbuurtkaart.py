"""The CBS wijk- en buurtkaart (zip or GeoPackage) for the whole country and for one gemeente,
by hand and through ``download --landelijk``; and the recorded answers of the real services
(``../shared/data/services``) read through the same readers."""

from __future__ import annotations

import io
import json
import re
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from benchmarks.landelijk_import import generate
from bronnen_server import small_world, start
from wijkprofielen.cli import main
from wijkprofielen.config import DOWNLOAD_ENV
from wijkprofielen.dataset import load_dataset
from wijkprofielen.errors import DataError
from wijkprofielen.importers import pdok
from wijkprofielen.importers.boundaries import read_boundaries
from wijkprofielen.importers.invoer import Invoer
from wijkprofielen.importers.leefbaarometer import read_leefbaarometer
from wijkprofielen.importers.wijkbuurtkaart import build_from_wijkbuurtkaart, read_wijkbuurtkaart


@pytest.fixture(scope="module")
def kaart(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wbk")
    wbk, lbm, _ = generate(folder, 160, seed=7, water_share=0.05)
    with zipfile.ZipFile(wbk) as zf:
        zf.extractall(folder / "uit")
    raw = gpd.read_file(next((folder / "uit").glob("*.gpkg")), layer="buurten")
    return wbk, lbm, raw


def test_import_landelijk_keeps_land_buurten_with_their_values(kaart, tmp_path, capsys):
    wbk, lbm, raw = kaart
    out = tmp_path / "NL.parquet"
    assert main(["import", "--wijkbuurtkaart", str(wbk), "--landelijk", "--leefbaarometer", str(lbm), "--out", str(out)]) == 0
    assert "waterbuurten (water = JA) weggelaten" in capsys.readouterr().out
    ds = load_dataset(out)
    land = raw[raw["water"] == "NEE"]
    assert set(ds.codes) == set(land["buurtcode"]) and len(ds.codes) < len(raw)
    assert any(re.match(r"^BU\d{4}[A-Z]{2}\d\d$", c) for c in ds.codes)  # codes with letters are kept
    assert ds.meta["landelijk"] and len(ds.meta["gemeenten"]) == land["gemeentecode"].nunique()
    inw = land.set_index("buurtcode")["aantal_inwoners"].reindex(ds.codes)
    got = ds.waarden[("inwoners", 2024)]
    assert (got.isna() == (inw == -99997).to_numpy()).all()
    assert np.allclose(got.dropna(), inw[inw != -99997])
    code = inw.index[(inw == -99997).to_numpy()][0]
    assert ds.redenen[("inwoners", 2024)][code] == "geheim (CBS -99997)"
    assert ds.waarden[("lbm_score", 2002)].notna().all() and ds.waarden[("lbm_afw", 2024)].notna().all()


def test_one_gemeente_from_the_zip_and_the_gpkg_alone(kaart, tmp_path):
    wbk, _, raw = kaart
    gm = raw["gemeentecode"].value_counts().index[0]
    ds, rapport = build_from_wijkbuurtkaart(wbk, gm)
    assert set(ds.gebieden["gemeentecode"]) == {gm}
    gpkg = tmp_path / "wijkenbuurten_2024.gpkg"
    with zipfile.ZipFile(wbk) as zf:
        gpkg.write_bytes(zf.read(zf.namelist()[0]))
    gebieden, attributen, _, jaar = read_wijkbuurtkaart(gpkg, gm)
    assert jaar == 2024 and list(gebieden["buurtcode"]) == list(ds.codes)
    assert rapport.gemeente == gm


def test_a_zip_without_a_geopackage(tmp_path):
    bad = tmp_path / "WijkBuurtkaart_2024_v1.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("Toelichting.pdf", b"%PDF")
    with pytest.raises(DataError, match="geen GeoPackage of buurten-shapefile in de zip \\(gevonden: Toelichting.pdf\\)"):
        read_wijkbuurtkaart(bad)


def test_download_landelijk_takes_the_highest_version_and_equals_the_import(kaart, tmp_path, monkeypatch):
    wbk, lbm, _ = kaart
    world = small_world()
    world.wbk_zip, world.lbm_zip, world.wbk_versie = wbk.read_bytes(), lbm.read_bytes(), 2
    replay, srv = start(world)
    try:
        for key, url in replay.urls().items():
            monkeypatch.setenv(DOWNLOAD_ENV[key], url)
        out = tmp_path / "NL.parquet"
        assert main(["download", "--landelijk", "--jaar", "2024", "--out", str(out), "--bronmap", str(tmp_path / "b")]) == 0
        heads = [p for m, p, _ in replay.log if m == "HEAD"]
        assert heads == [f"/wbk/WijkBuurtkaart_2024_v{v}.zip" for v in (5, 4, 3, 2)]
    finally:
        srv.shutdown()
        srv.server_close()
    a = load_dataset(out)
    b, _ = build_from_wijkbuurtkaart(wbk, None, lbm)
    pd.testing.assert_frame_equal(a.waarden, b.waarden.astype("float64"), check_exact=False)
    assert {h["soort"] for h in a.meta["herkomst"]} == {"wijkbuurtkaart", "leefbaarometer"}
    assert a.meta["herkomst"][0]["url"].endswith("WijkBuurtkaart_2024_v2.zip")


# -- the recorded answers of the real services ------------------------------------------------------


@pytest.fixture(scope="module")
def services(shared_data):
    folder = shared_data / "services"
    if not folder.is_dir():
        pytest.skip(f"opgenomen antwoorden van de diensten niet gevonden in {folder}")
    return folder


def test_the_published_2025_gpkg_columns_are_read(services, tmp_path):
    cols = [c["name"] for c in json.loads((services / "cbs_wijkenbuurten_2025_gpkg_columns_via_geoparquet_stac.json").read_text())["table:columns"]]
    assert "aantal_inwoners" in cols and cols[-1] == "geometry"
    codes = ["BU0363AB10", "BU03630001", "BU03630002"]
    data = {c: [f"{c}-{i}" if c != "water" else w for i, w in enumerate(("NEE", "NEE", "JA"))] for c in cols[:-1]}
    data |= {"buurtcode": codes, "gemeentecode": ["GM0363"] * 3, "wijkcode": ["WK036300"] * 3, "jrstatcode": [f"2025{c}" for c in codes]}
    for c, t in ((c["name"], c["type"]) for c in json.loads((services / "cbs_wijkenbuurten_2025_gpkg_columns_via_geoparquet_stac.json").read_text())["table:columns"]):
        if t in ("int32", "float64"):
            data[c] = [1200, -99997, 5] if c == "aantal_inwoners" else [2.0, 2.1, 2.2] if t == "float64" else [1, 1, 1]
    data["jaar"] = [2025] * 3
    boxes = [shapely.box(121_000 + 500 * i, 487_000, 121_500 + 500 * i, 487_500) for i in range(3)]
    gpkg = tmp_path / "wijkenbuurten_2025.gpkg"
    gpd.GeoDataFrame(data, geometry=boxes, crs="EPSG:28992").to_file(gpkg, layer="buurten")
    gebieden, attributen, meldingen, jaar = read_wijkbuurtkaart(gpkg)
    assert jaar == 2025 and list(gebieden["buurtcode"]) == codes[:2]  # the water buurt is left out
    assert attributen.waarden[("inwoners", 2025)].tolist()[0] == 1200 and np.isnan(attributen.waarden[("inwoners", 2025)].iloc[1])
    assert ("gem_huishoudensgrootte", 2025) in attributen.waarden.columns


def test_the_recorded_wfs_property_names_and_paging_fit_the_reader(services, tmp_path):
    cols = [c["name"] for c in json.loads((services / "pdok_wfs_wijkenbuurten_2025_columns_via_geoparquet_stac.json").read_text())["table:columns"]]
    props = {c: 1 for c in cols if c not in ("geom", "geom_bbox")}
    props |= {"buurtcode": "BU07960101", "gemeentecode": "GM0796", "wijkcode": "WK079601", "jrstatcode": "2025BU07960101",
              "aantalInwoners": 1234, "water": "NEE", "gemiddeldeHuishoudsgrootte": 2.3}
    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
           "features": [{"type": "Feature", "properties": props,
                         "geometry": shapely.geometry.mapping(shapely.box(149_000, 411_000, 149_400, 411_400))}]}
    gebieden, attributen = read_boundaries(Invoer("wfs.geojson", json.dumps(doc).encode()), "GM0796")
    assert attributen.waarden[("inwoners", 2025)].tolist() == [1234.0]
    caps = (services / "pdok_wfs_wijkenbuurten_2025_GetCapabilities.xml").read_text()
    assert re.search(r'name="CountDefault">.*?<ows:DefaultValue>(\d+)<', caps, re.DOTALL)[1] == str(pdok.PAGE)
    assert "wijkenbuurten:buurten" in caps and "application/json" in caps


def test_the_recorded_leefbaarometer_wfs_feature_is_read(services):
    feature = json.loads((services / "lbm3_wfs_buurtscore24_feature_excerpt_no_geometry.json").read_text())
    doc = {"type": "FeatureCollection", "features": [feature], "totalFeatures": 1, "numberMatched": 1, "numberReturned": 1}
    b = read_leefbaarometer(Invoer("buurtscore24.json", json.dumps(doc).encode()), "GM0363")
    assert b.waarden.loc["BU0363AB10", ("lbm_afw", 2024)] == pytest.approx(0.371047)
    assert ("lbm_score", 2024) not in b.waarden.columns  # the WFS carries no lbm total


def test_the_template_answers_read_as_files_downloaded_by_hand():
    from bronnen_server import TEMPLATES

    ogc = Invoer("ogc_items.geojson", (TEMPLATES / "ogc_items.json").read_bytes())
    # A page of the OGC API names no CRS inside: saved by hand it is read as CRS84, so the
    # downloader writes its own pages with the CRS named; here the page is in RD, declared.
    doc = json.loads(ogc.data) | {"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}}
    gebieden, attributen = read_boundaries(Invoer("ogc.geojson", json.dumps(doc).encode()), "GM9999")
    assert list(gebieden["buurtcode"]) == ["BU99990101", "BU99990102"]
    assert attributen.waarden[("inwoners", 2024)].iloc[0] == 1000 and np.isnan(attributen.waarden[("inwoners", 2024)].iloc[1])
    lbm = read_leefbaarometer(Invoer("lbm.json", (TEMPLATES / "lbm_wfs_getfeature.json").read_bytes()), "GM9999")
    assert lbm.waarden[("lbm_afw", 2024)].tolist() == [0.1, -0.1]
    with zipfile.ZipFile(io.BytesIO(small_world().lbm_zip)) as zf:
        assert any(n.endswith("Leefbaarometer-scores buurten 2002-2024.csv") for n in zf.namelist())
