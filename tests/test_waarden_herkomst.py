"""Which value a buurt shows, and what it says about itself: level, year, source, boundaries.

A Paleiskwartier-like gemeente: one buurt with a high own income in the 2017 table, its wijk
with a lower 2020 wijk figure; a small buurt with crimes per 1.000 inhabitants; a buurt whose
area changed between 2017 and 2024.
"""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pypdf
import pytest
import shapely
from hypothesis import given, settings, strategies as st

from cbs_tables import inkomen_table
from wijkprofielen.config import config_from_dict, load_config
from wijkprofielen.dataset import CRS, IndicatorMeta, load_dataset, save_dataset
from wijkprofielen.errors import ConfigError
from wijkprofielen.export.exporter import Exporter
from wijkprofielen.export.tables import value_marks
from wijkprofielen.importers.pipeline import build_dataset
from wijkprofielen.profiel import indicator_table, kerncijfers
from wijkprofielen.testing import grid_dataset

PALEIS, WIJKGENOOT, KLEIN, GROEIER = "BU00010001", "BU00010002", "BU00010101", "BU00010102"
CODES = [PALEIS, WIJKGENOOT, KLEIN, GROEIER]

KWB2017 = """WijkenEnBuurten,Gemeentenaam_1,SoortRegio_2,Codering_3,AantalInwoners_5,Bevolkingsdichtheid_33,GemiddeldInkomenPerInwoner_66,HuishOnderOfRondSociaalMinimum_73
BU00010001,Een,Buurt,BU00010001,2000,4000,42.3,2.1
BU00010002,Een,Buurt,BU00010002,3000,6000,-99997,-99997
BU00010101,Een,Buurt,BU00010101,150,300,25.0,8.0
BU00010102,Een,Buurt,BU00010102,1000,2000,24.0,9.5
"""
# BU00010102 grew: 1.200 inhabitants at the same density is a 20% larger area than in 2017.
KWB2024 = """WijkenEnBuurten,Gemeentenaam_1,SoortRegio_2,Codering_3,AantalInwoners_5,Bevolkingsdichtheid_34,GeregistreerdeMisdrijven_1
BU00010001,Een,Buurt,BU00010001,2100,4200,60
BU00010002,Een,Buurt,BU00010002,3050,6100,75
BU00010101,Een,Buurt,BU00010101,150,300,90
BU00010102,Een,Buurt,BU00010102,1200,2000,30
"""
INKOMEN_2020 = inkomen_table(2020, """\
GM0001;Totaal;Een;28,0;40,0;20,0
;WK000100;West;27,3;45,0;18,0
;WK000101;Noord;24,2;47,6;14,0
""")


def _grid(grow: float = 1.0) -> gpd.GeoDataFrame:
    boxes = [shapely.box(150_000 + 500 * (i % 2), 450_000 + 500 * (i // 2), 150_500 + 500 * (i % 2),
                         450_000 + 500 * (i // 2) + 500 * (grow if i == 3 else 1.0)) for i in range(4)]
    return gpd.GeoDataFrame({"statcode": CODES}, geometry=boxes, crs=CRS)


@pytest.fixture
def files(tmp_path):
    paths = {"buurten": tmp_path / "buurten_2024.geojson", "kwb2017": tmp_path / "kwb2017_83765NED.csv",
             "kwb2024": tmp_path / "kwb2024_85984NED.csv", "inkomen": tmp_path / "inkomen_2020.csv"}
    _grid().to_file(paths["buurten"], driver="GeoJSON")
    paths["kwb2017"].write_text(KWB2017, encoding="utf-8")
    paths["kwb2024"].write_text(KWB2024, encoding="utf-8")
    paths["inkomen"].write_bytes(INKOMEN_2020.encode("utf-8"))
    return paths


def _import(files, **regels):
    return build_dataset("GM0001", (files["buurten"], 2024), kerncijfers=[files["kwb2024"], files["kwb2017"]],
                         inkomen=files["inkomen"], regels=regels or None)


# -- a buurt's own figure before a newer wijk figure ------------------------------------
def test_own_2017_income_beats_the_2020_wijk_figure(files):
    ds, _ = _import(files)
    frame = ds.frame().set_index("buurtcode")
    assert frame.at[PALEIS, "gem_inkomen_per_inwoner"] == pytest.approx(42.3)  # own figure, not wijk West's 27.3
    assert frame.at[WIJKGENOOT, "gem_inkomen_per_inwoner"] == pytest.approx(27.3)  # own figure suppressed: the wijk's
    lang = ds.waarden_lang(kolommen=["gem_inkomen_per_inwoner"]).set_index("buurtcode")
    assert lang.loc[PALEIS, ["niveau", "jaar", "bronjaar"]].tolist() == ["buurt", 2017, 2014]
    assert lang.loc[WIJKGENOOT, ["niveau", "jaar", "bronjaar"]].tolist() == ["wijk", 2020, 2020]
    assert lang.at[WIJKGENOOT, "bron"] == "CBS maatwerk: inkomen per gemeente en wijk"
    # The figure only the wijk table has stays a wijk figure for everyone.
    assert (ds.waarden_lang(kolommen=["pct_laagste_40_inkomen"])["niveau"] == "wijk").all()


def test_the_age_limit_is_configurable(files):
    ds, _ = _import(files, max_leeftijd_buurtcijfer=2)  # 2017 is three years before 2020: too old now
    assert ds.frame().set_index("buurtcode").at[PALEIS, "gem_inkomen_per_inwoner"] == pytest.approx(27.3)
    assert ds.regels["max_leeftijd_buurtcijfer"] == 2
    assert ds.regels["min_inwoners_rate"] == 200  # the others keep their default


def test_the_choice_survives_save_and_load(files, tmp_path):
    ds, _ = _import(files, max_leeftijd_buurtcijfer=2)
    back = load_dataset(save_dataset(ds, tmp_path / "t.parquet"))
    pd.testing.assert_frame_equal(back.frame().drop(columns="geometry"), ds.frame().drop(columns="geometry"))
    assert back.grenswijziging(2017) == ds.grenswijziging(2017)


def test_the_page_table_says_wijkcijfer_and_shows_the_source_year(files):
    ds, _ = _import(files)
    own = indicator_table(ds, PALEIS).set_index("kolom")
    assert own.at["gem_inkomen_per_inwoner", "jaar"] == 2014  # the year the income describes, not the table's 2017
    assert own.at["gem_inkomen_per_inwoner", "bron"] == "CBS Kerncijfers wijken en buurten (tabel 2017, cijfers over 2014)"
    assert own.at["pct_sociaal_minimum", "jaar"] == 2014
    assert not own.at["gem_inkomen_per_inwoner", "indicator"].endswith("(wijkcijfer)")
    wijk = kerncijfers(ds, WIJKGENOOT).set_index("kolom")
    assert wijk.at["gem_inkomen_per_inwoner", "indicator"].endswith("(wijkcijfer)")
    assert "wijkcijfer" in wijk.at["gem_inkomen_per_inwoner", "badge"].split(", ")
    assert "verouderd" in kerncijfers(ds, PALEIS).set_index("kolom").at["gem_inkomen_per_inwoner", "badge"].split(", ")


def test_pdf_html_and_exports_mark_wijk_figures_and_outdated_values(files):
    ds, _ = _import(files)
    ex = Exporter(ds, load_config(), menukaart=None)
    p = ex.profiel(WIJKGENOOT, figures=False)
    row = next(i for i in p.indicatoren if i.indicator.startswith("Gemiddeld inkomen"))
    assert row.indicator.endswith("(wijkcijfer)") and "wijkcijfer" in row.opmerking and "verouderd" in row.opmerking
    assert any("Wijkcijfers" in v and "Gemiddeld inkomen per inwoner" in v for v in p.voorbehoud)
    own = next(i for i in ex.profiel(PALEIS, figures=False).indicatoren if i.indicator.startswith("Gemiddeld inkomen"))
    assert own.jaar == "2014" and "verouderd" in own.opmerking and "wijkcijfer" not in own.opmerking
    html = ex.html(WIJKGENOOT).decode()
    assert "verouderd" in html and "(wijkcijfer)" in html and "Jaar: het jaar waarover het cijfer gaat" in html
    table = ex.table.set_index("buurtcode")
    assert "gem_inkomen_per_inwoner (2020)" in table.at[WIJKGENOOT, "wijkcijfers"]
    assert "gem_inkomen_per_inwoner" not in table.at[PALEIS, "wijkcijfers"]
    back = pd.read_csv(io.BytesIO(ex.csv()), encoding="utf-8-sig", keep_default_na=False).set_index("buurtcode")
    assert back.at[WIJKGENOOT, "wijkcijfers"] == table.at[WIJKGENOOT, "wijkcijfers"]
    gpkg = gpd.read_file(io.BytesIO(ex.gpkg())).set_index("buurtcode")
    assert gpkg.at[GROEIER, "andere_grenzen"] == table.at[GROEIER, "andere_grenzen"] != ""


def test_pdf_prints_the_badges(files):
    ds, _ = _import(files)
    pdf = Exporter(ds, load_config(), menukaart=None).pdf(WIJKGENOOT)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "verouderd" in text and "wijkcijfer" in text


@settings(deadline=None, max_examples=40)
@given(st.integers(2010, 2019), st.integers(0, 10), st.floats(10, 60), st.floats(10, 60))
def test_property_own_figure_within_the_age_else_the_newest(own_year, max_age, own, wijk):
    """Whatever the years: a buurt shows its own figure if it is at most max_age older, else the wijk figure."""
    base = grid_dataset({"x": [1.0, 2.0, 3.0, 4.0]})
    w = base.waarden.copy()
    w[("gem_inkomen_per_inwoner", own_year)] = [own, np.nan, own, own]
    w[("gem_inkomen_per_inwoner", 2020)] = [wijk, wijk, wijk, wijk]
    w.columns = pd.MultiIndex.from_tuples(list(w.columns), names=["kolom", "jaar"])
    meta = IndicatorMeta.from_catalogue("gem_inkomen_per_inwoner", per_jaar={"2020": {"niveau": "wijk"}})
    ds = type(base)(base.gebieden, w, {"gem_inkomen_per_inwoner": meta}, {},
                    {"naam": "t", "regels": {"max_leeftijd_buurtcijfer": max_age}})
    shown = ds.frame().set_index("buurtcode")["gem_inkomen_per_inwoner"]
    keep_own = 2020 - own_year <= max_age
    codes = ds.codes
    assert shown[codes[0]] == pytest.approx(own if keep_own else wijk)
    assert shown[codes[1]] == pytest.approx(wijk)  # no own figure: never empty, the wijk's
    assert value_marks(ds).at[codes[0], "wijkcijfers"] == ("" if keep_own else "gem_inkomen_per_inwoner (2020)")


# -- rates need enough inhabitants -------------------------------------------------------
def test_crime_rates_of_small_buurten_are_missing_with_the_reason(files):
    ds, rapport = _import(files)
    rates = ds.waarden[("misdrijven_per_1000", 2024)]
    assert rates[PALEIS] == pytest.approx(60 / 2100 * 1000)
    assert np.isnan(rates[KLEIN])  # 150 inhabitants: 90 crimes would be 600 per 1.000
    why = ds.reden("misdrijven_per_1000", 2024, KLEIN)
    assert why.startswith("te weinig inwoners voor een betrouwbaar cijfer (150 inwoners in 2024, minimum 200")
    assert "rondt aantallen af op 5" in why
    assert ds.indicatoren["misdrijven_per_1000"].bron == "Politie, geregistreerde misdrijven via CBS"
    assert indicator_table(ds, PALEIS).set_index("kolom").at["misdrijven_per_1000", "bron"] == "Politie, geregistreerde misdrijven via CBS"
    assert any("misdrijven_per_1000 2024: 1 buurt(en) met minder dan 200 inwoners" in m for m in rapport.meldingen)
    lower, _ = _import(files, min_inwoners_rate=100)
    assert lower.waarden.at[KLEIN, ("misdrijven_per_1000", 2024)] == pytest.approx(600.0)


def test_local_rates_need_enough_inhabitants_too(files, tmp_path):
    local = tmp_path / "overlast.csv"
    local.write_text("buurtcode,jaar,overlast_per_1000\n" + "\n".join(f"{c},2024,12.5" for c in CODES) + "\n")
    ds, _ = build_dataset("GM0001", (files["buurten"], 2024), kerncijfers=[files["kwb2024"]], lokaal=[local])
    rates = ds.waarden[("overlast_per_1000", 2024)]
    assert np.isnan(rates[KLEIN]) and rates.drop(KLEIN).eq(12.5).all()


# -- boundary changes per buurt ----------------------------------------------------------
def test_a_buurt_whose_area_changed_is_flagged_in_that_year(files):
    ds, rapport = _import(files)
    assert ds.grenswijziging(2017) == {GROEIER: pytest.approx(1000 / 2000 / (1200 / 2000) - 1, abs=1e-4)}
    assert ds.grenswijziging(2024) == {}  # the reference year
    assert rapport.grens_referentiejaar == 2024 and "Andere grenzen in 2017 dan in 2024" in rapport.tekst()
    row = kerncijfers(ds, GROEIER).set_index("kolom").loc["gem_inkomen_per_inwoner"]
    assert "andere_grenzen" in row["badge"].split(", ") and row["grenswijziging"] == pytest.approx(-0.1667, abs=1e-3)
    # A change within the rounding of inhabitants (to 5) and density is no boundary change.
    assert PALEIS not in ds.grenswijziging(2017)  # 2000/4000 against 2100/4200: the same area
    profiel = Exporter(ds, load_config(), menukaart=None).profiel(GROEIER, figures=False)
    row = next(i for i in profiel.indicatoren if i.indicator.startswith("Gemiddeld inkomen"))
    assert "andere grenzen (oppervlakte −17% t.o.v. nu)" in row.opmerking
    assert any(v.startswith("Andere grenzen: Gemiddeld inkomen per inwoner (2014)") for v in profiel.voorbehoud)


def test_boundaries_of_another_year_flag_changed_geometry(files, tmp_path):
    old = tmp_path / "buurten_2017.geojson"
    _grid(grow=0.8).to_file(old, driver="GeoJSON")
    ds, rapport = build_dataset("GM0001", (files["buurten"], 2024), kerncijfers=[files["kwb2024"]],
                                andere_grenzen=[(old, 2017)])
    assert ds.grenswijziging(2017) == {GROEIER: pytest.approx(-0.2)}


def test_the_threshold_is_configurable(files):
    ds, _ = _import(files, grens_drempel=0.25)
    assert ds.grenswijziging(2017) == {}


@pytest.mark.parametrize("key, value, expected", [
    ("max_leeftijd_buurtcijfer", -1, "max_leeftijd_buurtcijfer"),
    ("min_inwoners_rate", "veel", "min_inwoners_rate"),
    ("grens_drempel", 2.0, "grens_drempel"),
])
def test_import_rules_are_validated(key, value, expected):
    raw = load_config().raw
    with pytest.raises(ConfigError, match=expected):
        config_from_dict({**raw, "import": {**raw.get("import", {}), key: value}})


def test_import_rules_reach_the_pipeline_from_the_config():
    assert load_config().imports.regels == {"max_leeftijd_buurtcijfer": 4, "min_inwoners_rate": 200, "grens_drempel": 0.05}


def test_datasets_saved_under_former_indicator_names_load_under_the_new_ones(tmp_path):
    base = grid_dataset({"woz_gemiddeld": [200.0, 250.0, 300.0, np.nan], "pct_meergezins": [10.0, 20.0, 30.0, 40.0]})
    base.redenen[("woz_gemiddeld", 2024)] = {base.codes[3]: "niet beschikbaar (CBS -99995)"}
    back = load_dataset(save_dataset(base, tmp_path / "oud.parquet"))
    assert {"gem_woz", "pct_meergezinswoning"} <= set(back.kolommen) and "woz_gemiddeld" not in back.kolommen
    assert back.reden("gem_woz", 2024, base.codes[3]) == "niet beschikbaar (CBS -99995)"
    assert back.indicatoren["gem_woz"].label == "Gemiddelde WOZ-waarde van woningen"


# -- the national reference needs one year and level per column ------------------------
def test_a_column_mixing_own_and_wijk_figures_falls_back_to_the_gemeente():
    from wijkprofielen.reference import ColumnStats, value_origins

    base = grid_dataset({"x": [1.0, 2.0, 3.0, 4.0]})
    w = base.waarden.copy()
    w[("gem_inkomen_per_inwoner", 2018)] = [30.0, np.nan, np.nan, np.nan]
    w[("gem_inkomen_per_inwoner", 2020)] = [25.0, 25.0, 25.0, 25.0]
    w.columns = pd.MultiIndex.from_tuples(list(w.columns), names=["kolom", "jaar"])
    meta = IndicatorMeta.from_catalogue("gem_inkomen_per_inwoner", per_jaar={"2020": {"niveau": "wijk"}})
    ds = type(base)(base.gebieden, w, {"gem_inkomen_per_inwoner": meta}, {}, {"naam": "t"})
    origins = value_origins(ds)["gem_inkomen_per_inwoner"]
    assert origins == {(2018, "buurt"), (2020, "wijk")}
    for stat in (ColumnStats(30.0, 5.0, None, 100, 2018, "CBS"), ColumnStats(30.0, 5.0, None, 100, 2020, "CBS", "wijk")):
        reason = stat.past_bij(origins)
        assert reason is not None and ("wijkcijfer 2020" in reason or "buurtcijfer 2018" in reason)
    # Without the own figure one origin is left, and a wijk reference of that year fits.
    only_wijk = type(base)(base.gebieden, w.drop(columns=[("gem_inkomen_per_inwoner", 2018)]),
                           {"gem_inkomen_per_inwoner": meta}, {}, {"naam": "t"})
    assert value_origins(only_wijk)["gem_inkomen_per_inwoner"] == {(2020, "wijk")}
    assert ColumnStats(30.0, 5.0, None, 100, 2020, "CBS", "wijk").past_bij({(2020, "wijk")}) is None
