import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from wijkprofielen.dataset import load_dataset, parse_cbs_values, save_dataset
from wijkprofielen.errors import DataError


def test_parse_cbs_values_keeps_reasons_and_never_makes_numbers_of_codes():
    nums, why = parse_cbs_values(pd.Series(["12,5", "-99997", "-99995", "-99991", ".", "", "7"], name="x"))
    assert nums.iloc[0] == 12.5 and nums.iloc[6] == 7.0
    assert nums.iloc[1:6].isna().all()
    assert why.tolist()[1:5] == ["geheim (CBS -99997)", "niet beschikbaar (CBS -99995)", "ontbreekt (CBS -99991)", "ontbreekt (CBS '.')"]
    assert why.iloc[5] is None  # a blank has no stated reason


def test_parse_cbs_values_rejects_text_with_row():
    with pytest.raises(DataError, match="'veel' in rij 1 is geen getal"):
        parse_cbs_values(pd.Series(["1", "veel"], name="x"))


def test_round_trip_keeps_values_years_reasons_and_metadata(voorbeeld, tmp_path):
    p = save_dataset(voorbeeld, tmp_path / "v.parquet")
    back = load_dataset(p)
    assert back.fingerprint == voorbeeld.fingerprint
    assert back.synthetisch and back.naam == voorbeeld.naam
    assert back.jaren("lbm_afw") == [2018, 2020, 2022, 2024]
    assert back.redenen == voorbeeld.redenen
    assert back.indicatoren["lbm_afw"].bron == "Leefbaarometer 3.0 (BZK)"
    assert back.gebieden.crs.to_epsg() == 28992


def test_failed_save_leaves_old_file_intact(voorbeeld, tmp_path, monkeypatch):
    p = save_dataset(voorbeeld, tmp_path / "v.parquet")
    before = p.read_bytes()
    import pyarrow.parquet as pq

    def boom(*a, **k):
        raise OSError("schijf vol")
    monkeypatch.setattr(pq, "write_table", boom)
    with pytest.raises(OSError):
        save_dataset(voorbeeld.subset(voorbeeld.codes[:3]), p)
    assert p.read_bytes() == before
    assert [f.name for f in tmp_path.iterdir()] == ["v.parquet"]


def test_frame_takes_latest_year_at_or_before(voorbeeld):
    f2019 = voorbeeld.frame(2019)
    f = voorbeeld.frame()
    code = voorbeeld.codes[0]
    assert f2019.set_index("buurtcode").loc[code, "lbm_afw"] == voorbeeld.waarden.loc[code, ("lbm_afw", 2018)]
    assert f.set_index("buurtcode").loc[code, "lbm_afw"] == voorbeeld.waarden.loc[code, ("lbm_afw", 2024)]
    # Income lags: the newest frame uses 2022 income figures.
    assert voorbeeld.peiljaren()["gem_inkomen_per_inwoner"] == 2022


def test_plain_csv_with_cbs_codes(tmp_path):
    p = tmp_path / "indicatoren.csv"
    p.write_text("buurtcode;lbm_afw;pct_laag_inkomen@2022\nBU07960101;0,12;-99997\nBU07960102;-0,05;9.5\n", encoding="utf-8")
    ds = load_dataset(p)
    assert ds.codes == ["BU07960101", "BU07960102"]
    assert ds.gebieden["wijkcode"].tolist() == ["WK079601", "WK079601"]
    assert ds.jaren("pct_laag_inkomen") == [2022]
    assert ds.reden("pct_laag_inkomen", 2022, "BU07960101") == "geheim (CBS -99997)"
    assert ds.frame().set_index("buurtcode").loc["BU07960102", "lbm_afw"] == -0.05


def test_plain_csv_cp1252_and_bom(tmp_path):
    p = tmp_path / "a.csv"
    p.write_bytes("buurtcode,buurtnaam,x\nBU07960101,Café ’t Hoekje,1\n".encode("cp1252"))
    assert load_dataset(p).gebieden["buurtnaam"].iloc[0] == "Café ’t Hoekje"
    p.write_bytes("\ufeffbuurtcode,x\nBU07960101,1\n".encode("utf-8"))
    assert load_dataset(p).codes == ["BU07960101"]


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("", "is leeg"),
        ("code,x\nBU07960101,1\n", "kolom 'buurtcode' ontbreekt"),
        ("buurtcode,x\nBU07960101,1\nBU07960101,2\n", "komt meer dan eens voor"),
        ("buurtcode,x\n0796-01,1\n", "BU \\+ 8 cijfers"),
        ("buurtcode,x\nBU07960101,hoog\n", "geen getal"),
    ],
)
def test_bad_csv_gets_a_dutch_message(tmp_path, content, fragment):
    p = tmp_path / "slecht.csv"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=fragment):
        load_dataset(p)


def test_missing_file_and_unknown_type(tmp_path):
    with pytest.raises(DataError, match="bestaat niet"):
        load_dataset(tmp_path / "weg.parquet")
    (tmp_path / "a.xyz").write_text("x")
    with pytest.raises(DataError, match="wordt niet ondersteund"):
        load_dataset(tmp_path / "a.xyz")


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_gpkg_without_crs_is_refused(tmp_path):
    gdf = gpd.GeoDataFrame({"buurtcode": ["BU07960101"], "x": [1.0]}, geometry=[shapely.box(0, 0, 1, 1)])
    p = tmp_path / "a.gpkg"
    gdf.to_file(p)
    with pytest.raises(DataError, match="geen coördinatenstelsel"):
        load_dataset(p)


def test_gpkg_in_4326_is_reprojected(tmp_path):
    gdf = gpd.GeoDataFrame({"buurtcode": ["BU07960101"], "lbm_afw": [0.1]}, geometry=[shapely.box(5.30, 51.69, 5.31, 51.70)], crs=4326)
    p = tmp_path / "a.gpkg"
    gdf.to_file(p)
    ds = load_dataset(p)
    assert ds.gebieden.crs.to_epsg() == 28992
    x, y = ds.gebieden.geometry.iloc[0].centroid.coords[0]
    assert 140_000 < x < 160_000 and 400_000 < y < 420_000  # 's-Hertogenbosch in RD
    assert np.isclose(ds.frame()["lbm_afw"].iloc[0], 0.1)
