"""The readers on small synthetic fixtures that reproduce the published formats."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings, strategies as st

from cbs_tables import inkomen_table
from wijkprofielen.config import config_from_dict, load_config
from wijkprofielen.dataset import CRS, load_dataset, save_dataset
from wijkprofielen.errors import ConfigError, DataError
from wijkprofielen.importers import opslag
from wijkprofielen.importers.boundaries import read_boundaries
from wijkprofielen.importers.inkomen import read_inkomen
from wijkprofielen.importers.invoer import Invoer, split_year
from wijkprofielen.importers.kerncijfers import read_kerncijfers, stem, table_year
from wijkprofielen.importers.lokaal import read_lokaal, template_csv
from wijkprofielen.importers.pipeline import build_dataset
from wijkprofielen.profiel import indicator_table

CODES = ["BU00010001", "BU00010002", "BU00010101", "BU00010102"]


def grid(crs=CRS, n=4) -> gpd.GeoDataFrame:
    geoms = [shapely.box(150_000 + 500 * (i % 2), 450_000 + 500 * (i // 2), 150_500 + 500 * (i % 2), 450_500 + 500 * (i // 2)) for i in range(n)]
    return gpd.GeoDataFrame({"code": CODES[:n]}, geometry=geoms, crs=CRS).to_crs(crs)


def kwb_csv(suffix: int, values: list[str]) -> str:
    rows = [f"{c},Gemeente Een,Buurt     ,{c},{100 * (i + 1)},{v},{10 * (i + 1)}" for i, (c, v) in enumerate(zip(CODES, values))]
    other = "BU00020001,Ander,Buurt,BU00020001,50,1,5"
    wijk = "WK000100,Gemeente Een,Wijk,WK000100,400,10,40"
    return f"WijkenEnBuurten,Gemeentenaam_1,SoortRegio_2,Codering_3,AantalInwoners_5,InBezitWoningcorporatie_{suffix},k_65JaarOfOuder_12\n" + "\n".join([*rows, other, wijk]) + "\n"


# -- Kerncijfers ---------------------------------------------------------------------
def test_columns_resolve_by_stem_across_years(tmp_path):
    a = tmp_path / "kwb_85039NED.csv"
    a.write_text(kwb_csv(42, ["30", "40", "-99997", "50"]), encoding="utf-8")
    b = tmp_path / "kwb_85984NED.csv"
    b.write_text(kwb_csv(49, ["31", "41", "42", "."]), encoding="utf-8")
    ka, kb = read_kerncijfers(a, "GM0001"), read_kerncijfers(b, "GM0001")
    assert ka.jaren == [2021] and kb.jaren == [2024]
    assert list(ka.waarden.index) == CODES  # other gemeente and the wijk row are dropped
    assert ka.waarden[("pct_corporatiebezit", 2021)].tolist()[:2] == [30.0, 40.0]
    assert np.isnan(ka.waarden.at["BU00010101", ("pct_corporatiebezit", 2021)])
    assert ka.redenen[("pct_corporatiebezit", 2021)] == {"BU00010101": "geheim (CBS -99997)"}
    assert kb.redenen[("pct_corporatiebezit", 2024)] == {"BU00010102": "ontbreekt (CBS '.')"}
    # A count with "afgeleid" becomes a share of the same table's inhabitants.
    assert ka.waarden[("pct_65plus", 2021)].tolist() == pytest.approx([10.0, 10.0, 10.0, 10.0])


def test_odata_json_with_padded_codes(tmp_path):
    rows = [{"ID": i, "WijkenEnBuurten": f"{c}  ", "SoortRegio_2": "Buurt     ", "Codering_3": f"{c}  ",
             "AantalInwoners_5": 100 + i, "Koopwoningen_40": None if i == 1 else 55.5} for i, c in enumerate(CODES)]
    p = tmp_path / "typed.json"
    p.write_text(json.dumps({"odata.metadata": "https://opendata.cbs.nl/ODataApi/OData/85984NED/$metadata#Cbs", "value": rows}))
    b = read_kerncijfers(p, "GM0001")
    assert b.jaren == [2024]
    assert b.waarden[("inwoners", 2024)].tolist() == [100, 101, 102, 103]
    assert np.isnan(b.waarden.at["BU00010002", ("pct_koopwoningen", 2024)])


def test_year_needs_a_source(tmp_path):
    p = tmp_path / "kerncijfers.csv"
    p.write_text(kwb_csv(49, ["1", "2", "3", "4"]))
    with pytest.raises(DataError, match=r"kerncijfers.csv@2024"):
        read_kerncijfers(p, "GM0001")
    assert read_kerncijfers(p, "GM0001", 2023).jaren == [2023]
    assert table_year("kwb2017_83765NED_extract.csv") == 2017
    assert split_year("a/b.csv@2019") == ("a/b.csv", 2019) and split_year("a.csv") == ("a.csv", None)


@settings(deadline=None, max_examples=50)
@given(st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,20}", fullmatch=True), st.integers(1, 999))
def test_stem_strips_only_the_numeric_suffix(name, n):
    assert stem(f"{name}_{n}") == name
    assert stem(f"k_{name}_{n}") == f"k_{name}"


# -- Boundaries ----------------------------------------------------------------------
def test_wfs_geojson_camelcase_with_attributes(tmp_path):
    g = grid("EPSG:4326")
    g = g.assign(buurtcode=CODES, buurtnaam=["A", "B", "C", "D"], wijkcode=["WK000100", "WK000100", "WK000101", "WK000101"],
                 gemeentecode="GM0001", gemeentenaam="Een", jaarstatcode=[f"2023{c}" for c in CODES],
                 aantalInwoners=[100, 200, -99997, 400], percentageKoopwoningen=[50.0, 60.0, 70.0, 80.0]).drop(columns="code")
    p = tmp_path / "wijkenbuurten.geojson"
    g.to_file(p, driver="GeoJSON")
    gebieden, attrs = read_boundaries(p, "GM0001")
    assert gebieden.crs.to_epsg() == 28992 and gebieden["buurtcode"].tolist() == CODES
    assert gebieden.geometry.area.round().tolist() == pytest.approx([250_000] * 4, rel=1e-3)
    assert attrs.jaren == [2023]
    assert attrs.waarden[("pct_koopwoningen", 2023)].tolist() == [50, 60, 70, 80]
    assert attrs.redenen[("inwoners", 2023)] == {"BU00010101": "geheim (CBS -99997)"}


def test_geopackage_layer_buurten_snake_case(tmp_path):
    g = grid().assign(buurtcode=CODES, buurtnaam="x", aantal_inwoners=[1, 2, 3, 4]).drop(columns="code")
    p = tmp_path / "wijkenbuurten_2022.gpkg"
    g.iloc[:1].to_file(p, layer="gemeenten", driver="GPKG")
    g.to_file(p, layer="buurten", driver="GPKG")
    gebieden, attrs = read_boundaries(p, "GM0001")
    assert len(gebieden) == 4 and attrs.jaren == [2022]
    assert gebieden["wijkcode"].tolist() == ["WK000100", "WK000100", "WK000101", "WK000101"]  # derived from the buurtcode


def test_legacy_shapefile(tmp_path):
    g = grid().assign(BU_CODE=CODES, BU_NAAM=["A", "B", "C", "D"], GM_NAAM="Een", P_KOOPWON=[10, -99999999, 30, 40]).drop(columns="code")
    p = tmp_path / "buurt_2018.shp"
    g.to_file(p)
    gebieden, attrs = read_boundaries(p, "GM0001")
    assert gebieden["buurtnaam"].tolist() == ["A", "B", "C", "D"] and gebieden["gemeentenaam"].iloc[0] == "Een"
    assert np.isnan(attrs.waarden.at["BU00010002", ("pct_koopwoningen", 2018)])
    assert "oude buurtkaart" in attrs.redenen[("pct_koopwoningen", 2018)]["BU00010002"]


def test_duplicate_and_foreign_boundaries(tmp_path):
    g = grid().assign(statcode=[CODES[0], CODES[0], CODES[2], CODES[3]]).drop(columns="code")
    p = tmp_path / "dubbel.geojson"
    g.to_file(p, driver="GeoJSON")
    with pytest.raises(DataError, match=r"dubbel.geojson: buurtcode BU00010001 komt meer dan eens voor \(object 2\)"):
        read_boundaries(p, "GM0001")
    with pytest.raises(DataError, match=r"geen buurten van GM0002 \(wel van GM0001\)"):
        read_boundaries(p, "GM0002")


# -- Income, local files -------------------------------------------------------------
INKOMEN = inkomen_table(2021, """\
GM0001;Totaal;Een;30,0;39,7;21,7
;WK000100;Centrum;36,9;53,7;.
;WK000101;Noord;24,2;47,6;14,0
GM0002;Totaal;Twee;31,0;40,0;20,0
;WK000200;Elders;1,0;1,0;1,0
""")


def test_income_is_applied_as_wijk_figure(tmp_path):
    g = grid().assign(statcode=CODES).drop(columns="code")
    grenzen = tmp_path / "buurten.geojson"
    g.to_file(grenzen, driver="GeoJSON")
    ink = tmp_path / "inkomen.csv"
    ink.write_bytes(INKOMEN.encode("utf-8"))
    b = read_inkomen(ink, "GM0001")
    assert b.jaren == [2021] and b.niveau == "wijk" and list(b.waarden.index) == ["WK000100", "WK000101"]
    ds, rapport = build_dataset("GM0001", grenzen, inkomen=ink)
    assert ds.waarden[("gem_inkomen_per_inwoner", 2021)].tolist() == [36.9, 36.9, 24.2, 24.2]
    assert ds.reden("pct_hoogste_20_inkomen", 2021, "BU00010001") == "ontbreekt (CBS '.') (wijkcijfer)"
    assert ds.gebieden["wijknaam"].tolist() == ["Centrum", "Centrum", "Noord", "Noord"]
    assert ds.indicatoren["gem_inkomen_per_inwoner"].niveau == "wijk"
    assert indicator_table(ds, "BU00010101").set_index("kolom").loc["gem_inkomen_per_inwoner", "status"] == "wijkcijfer"
    assert rapport.bronnen[0]["gekoppeld"] == 4 and rapport.bronnen[0]["onderdrukt"] == 1


def test_local_spreadsheet_with_mapping_and_years(tmp_path):
    p = tmp_path / "plancapaciteit.xlsx"
    pd.DataFrame({"buurtcode": ["BU00010001", "BU00010002", "BU00010001"], "jaar": [2023, 2023, 2024],
                  "Harde plancapaciteit": [1.5, "-99997", 2.0], "Sloop gepland": [0, 12, 3]}).to_excel(p, index=False)
    mapping = {"Harde plancapaciteit": "plancap_hard_pct", "Sloop gepland": {"eenheid": "woningen"}}
    b = read_lokaal(p, "GM0001", mapping)
    assert b.jaren == [2023, 2024]
    assert b.waarden.at["BU00010001", ("plancap_hard_pct", 2024)] == 2.0
    assert b.redenen[("plancap_hard_pct", 2023)] == {"BU00010002": "geheim (CBS -99997)"}
    assert b.indicatoren["sloop_gepland"].eenheid == "woningen" and b.indicatoren["sloop_gepland"].label == "Sloop gepland"


def test_template_imports_as_local_file(tmp_path):
    buurten = pd.DataFrame({"buurtcode": CODES, "buurtnaam": list("ABCD")})
    text = template_csv(buurten).replace("BU00010001,A,,", "BU00010001,A,3.5,")
    p = tmp_path / "sjabloon.csv"
    p.write_bytes(text.encode("cp1252"))
    b = read_lokaal(p, "GM0001")
    assert b.waarden.at["BU00010001", ("plancap_hard_pct", 0)] == 3.5
    assert b.waarden[("plancap_hard_pct", 0)].isna().sum() == 3  # empty cells stay missing, never zero


# -- Storage and settings ------------------------------------------------------------
def test_named_datasets_and_atomic_write(tmp_path, monkeypatch):
    monkeypatch.setenv("WIJKPROFIELEN_GEODATA", str(tmp_path))
    from wijkprofielen.testing import grid_dataset

    save_dataset(grid_dataset({"x": [1.0, 2.0]}), opslag.dataset_path("GM0001-2024"))
    assert list(opslag.list_datasets()) == ["GM0001-2024"]
    for bad in ("../x", "", "a b", "x.parquet"):
        with pytest.raises(DataError, match="Datasetnaam"):
            opslag.check_name(bad)
    target = tmp_path / "f.txt"
    opslag.atomic_write(target, "oud")

    def boom(path):
        path.write_text("half")
        raise RuntimeError("schijf vol")

    with pytest.raises(RuntimeError):
        opslag.atomic_write(target, boom)
    assert target.read_text() == "oud" and sorted(p.name for p in tmp_path.iterdir()) == ["GM0001-2024.parquet", "f.txt"]


@pytest.mark.parametrize(("section", "expected"), [
    ({"import": {"max_mb": -1}}, "import.max_mb"),
    ({"import": {"maxmb": 1}}, "import.maxmb is onbekend"),
    ({"download": {"pdok_wfs": "ftp://x"}}, "download.pdok_wfs"),
    ({"download": {"timeout_s": 0}}, "download.timeout_s"),
    ({"lokaal": {"kolommen": {"Plan": {"kolom": "Plan Hard"}}}}, 'lokaal.kolommen."Plan".kolom'),
])
def test_import_settings_are_validated_on_load(section, expected):
    raw = {**load_config().raw, **section}
    with pytest.raises(ConfigError, match=expected.replace(".", r"\.").replace("(", r"\(")):
        config_from_dict(raw)


def test_web_geometry_roundtrip(tmp_path):
    g = grid().assign(statcode=CODES).drop(columns="code")
    p = tmp_path / "b.geojson"
    g.to_file(p, driver="GeoJSON")
    ds, _ = build_dataset("GM0001", Invoer(p.name, p.read_bytes()))
    out = tmp_path / "d.parquet"
    save_dataset(ds, out)
    back = load_dataset(out)
    assert back.gebieden["geometry_web"].crs.to_epsg() == 4326
    assert back.fingerprint == ds.fingerprint
    assert load_config().imports.web_tolerantie_m == 10.0


def test_map_uses_the_simplified_web_geometry(tmp_path):
    from wijkprofielen.mapgeometry import to_web

    g = grid().assign(statcode=CODES).drop(columns="code")
    # A wiggly shared edge that the simplification removes.
    g.geometry = [shapely.Polygon([(x, y) for x, y in np.asarray(geom.exterior.coords)]).segmentize(5) for geom in g.geometry]
    p = tmp_path / "b.geojson"
    g.to_file(p, driver="GeoJSON")
    ds, _ = build_dataset("GM0001", p, tolerance_m=50)
    frame = ds.frame()
    assert "geometry_web" not in frame.columns  # frames stay single-geometry for exports
    web = to_web(frame, web=ds.web_geometry)
    full = to_web(frame)
    assert shapely.get_num_coordinates(web.geometry.values).sum() < shapely.get_num_coordinates(full.geometry.values).sum() / 5
    assert web.geometry.is_valid.all() and bool(shapely.coverage_is_valid(web.geometry.values))


def test_mapping_typed_on_the_form():
    from wijkprofielen.importers.lokaal import parse_mapping_text

    assert parse_mapping_text("# uitleg\nPlan hard = plancap_hard_pct\n\nSloop = sloop_gepland; woningen") == {
        "Plan hard": {"kolom": "plancap_hard_pct"}, "Sloop": {"kolom": "sloop_gepland", "eenheid": "woningen"}}
    with pytest.raises(DataError, match=r"regel 2: 'Sloop' mist '='"):
        parse_mapping_text("Plan hard = plancap_hard_pct\nSloop")
    with pytest.raises(DataError, match=r"kolomkoppeling regel 1.\"Plan\".kolom = 'Plan Hard' is geen geldige kolomnaam"):
        parse_mapping_text("Plan = Plan Hard")


def test_values_without_a_year_survive_save_and_load(tmp_path):
    p = tmp_path / "lokaal.csv"
    p.write_text("buurtcode,plancap_hard_pct\nBU00010001,2.5\n")
    g = grid().assign(statcode=CODES).drop(columns="code")
    grenzen = tmp_path / "b.geojson"
    g.to_file(grenzen, driver="GeoJSON")
    ds, _ = build_dataset("GM0001", grenzen, lokaal=[p])
    save_dataset(ds, tmp_path / "d.parquet")
    back = load_dataset(tmp_path / "d.parquet")
    assert back.waarden.at["BU00010001", ("plancap_hard_pct", 0)] == 2.5
    assert "plancap_hard_pct" not in back.gebieden.columns and back.fingerprint == ds.fingerprint


@settings(deadline=None, max_examples=40)
@given(st.sets(st.sampled_from(CODES + ["BU00019998", "BU00019999"]), min_size=1),
       st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6)), min_size=6, max_size=6))
def test_coverage_report_adds_up_and_never_joins_extras(present, values):
    from wijkprofielen.importers.invoer import Bronwaarden, values_frame
    from wijkprofielen.importers.pipeline import _Builder

    gebieden = gpd.GeoDataFrame({"buurtcode": CODES, "wijkcode": ["WK000100"] * 2 + ["WK000101"] * 2}, geometry=grid().geometry, crs=CRS)
    codes = sorted(present)
    nums = np.array([np.nan if v is None else v for v in values[:len(codes)]], dtype="float64")
    b = Bronwaarden("test", "t.csv", "0" * 64, "buurt", values_frame({("x", 2024): nums}, pd.Index(codes)), {}, {2024: codes}, "")
    builder = _Builder("GM0001", gebieden)
    builder.add(b)
    r = builder.rapport.bronnen[0]
    assert r["gekoppeld"] + len(r["ontbrekend"]) == len(CODES)
    assert set(r["extra"]) == set(codes) - set(CODES)
    assert list(builder.waarden.index) == CODES  # extra codes never become rows
    for code, v in zip(codes, nums):
        if code in CODES:
            got = builder.waarden.at[code, ("x", 2024)]
            assert (np.isnan(got) and np.isnan(v)) or got == v
    for code in r["ontbrekend"]:
        assert np.isnan(builder.waarden.at[code, ("x", 2024)])
        assert builder.redenen[("x", 2024)][code] == "niet in bron (test 2024)"


def test_statline_csv_export_with_quotes_and_padding(tmp_path):
    text = '"ID";"WijkenEnBuurten";"SoortRegio_2";"Codering_3";"AantalInwoners_5";"Koopwoningen_40"\n' + "".join(
        f'"{i}";"{c}  ";"Buurt     ";"{c}  ";"{100 * (i + 1)}";"{v}"\n' for i, (c, v) in enumerate(zip(CODES, ["55,5", "     .", "-99995", "60"])))
    p = tmp_path / "85984NED_TypedDataSet.csv"
    p.write_bytes(("\ufeff" + text).encode("utf-8"))
    b = read_kerncijfers(p, "GM0001")
    assert list(b.waarden.index) == CODES and b.jaren == [2024]
    assert b.waarden.at["BU00010001", ("pct_koopwoningen", 2024)] == 55.5
    assert b.redenen[("pct_koopwoningen", 2024)] == {"BU00010002": "ontbreekt (CBS '.')", "BU00010101": "niet beschikbaar (CBS -99995)"}


def test_national_boundaries_file_is_filtered_to_the_gemeente(tmp_path):
    codes = [f"BU{g:04d}00{b:02d}" for g in (1, 2, 3) for b in range(3)]
    g = gpd.GeoDataFrame({"statcode": codes}, geometry=[shapely.box(150_000 + 500 * i, 450_000, 150_500 + 500 * i, 450_500) for i in range(9)], crs=CRS)
    p = tmp_path / "nl.gpkg"
    g.to_file(p, layer="buurt_gegeneraliseerd", driver="GPKG")
    gebieden, _ = read_boundaries(p, "GM0002")
    assert gebieden["buurtcode"].tolist() == ["BU00020000", "BU00020001", "BU00020002"]
    with pytest.raises(DataError, match=r"geen buurten van GM0004 \(wel van GM0001, GM0002, GM0003\)"):
        read_boundaries(p, "GM0004")


def test_small_counts_of_sensitive_registrations_are_suppressed(tmp_path):
    from wijkprofielen.importers.lokaal import SUPPRESSED, parse_mapping_text

    p = tmp_path / "overlast.csv"
    p.write_text("buurtcode,overlastmeldingen,Huurachterstand\nBU00010001,3,2\nBU00010002,0,7\nBU00010101,12,4\n")
    mapping = parse_mapping_text("Huurachterstand = huurachterstanden; aantal; gevoelig")
    b = read_lokaal(p, "GM0001", mapping, jaar=2024)
    w = b.waarden
    assert np.isnan(w.at["BU00010001", ("overlastmeldingen", 2024)])  # 3 reports: suppressed, not shown
    assert w.at["BU00010002", ("overlastmeldingen", 2024)] == 0 and w.at["BU00010101", ("overlastmeldingen", 2024)] == 12
    assert b.redenen[("overlastmeldingen", 2024)] == {"BU00010001": SUPPRESSED}
    assert b.redenen[("huurachterstanden", 2024)] == {"BU00010001": SUPPRESSED, "BU00010101": SUPPRESSED}
    assert w.at["BU00010002", ("huurachterstanden", 2024)] == 7
