import shapely

from wijkprofielen.config import load_config
from wijkprofielen.scoring import score
from wijkprofielen.synthetic import GEMEENTECODE, NON_RESIDENTIAL, voorbeeldstad


def test_is_deterministic():
    assert voorbeeldstad().fingerprint == voorbeeldstad().fingerprint
    assert voorbeeldstad(1).fingerprint != voorbeeldstad().fingerprint


def test_shape_of_the_town(voorbeeld):
    g = voorbeeld.gebieden
    assert 70 <= len(g) <= 90
    assert g["wijkcode"].nunique() == 10
    assert set(g["gemeentecode"]) == {GEMEENTECODE}
    assert "synthetisch" in voorbeeld.naam
    assert g["buurtcode"].str.match(r"^BU9999\d{4}$").all()
    # Edge-matched: a valid coverage, no gaps or overlaps.
    assert shapely.coverage_is_valid(g.geometry.values)
    assert g.geometry.is_valid.all()
    lon0, lat0, lon1, lat1 = g.to_crs(4326).total_bounds
    assert 3.2 < lon0 < lon1 < 7.3 and 50.7 < lat0 < lat1 < 53.7


def test_every_recipe_indicator_has_values(voorbeeld, config):
    frame = voorbeeld.frame()
    for kolom in config.recipe.kolommen:
        assert kolom in frame, kolom
        assert frame[kolom].notna().mean() > 0.8, kolom


def test_years_and_suppression(voorbeeld):
    assert voorbeeld.jaren() == list(range(2018, 2025))
    assert voorbeeld.jaren("lbm_afw") == [2018, 2020, 2022, 2024]
    reasons = {r for v in voorbeeld.redenen.values() for r in v.values()}
    assert "geheim (CBS -99997)" in reasons and "niet beschikbaar (CBS -99995)" in reasons
    # Suppressed values are missing, never zero.
    for (kolom, jaar), why in voorbeeld.redenen.items():
        assert voorbeeld.waarden.loc[list(why), (kolom, jaar)].isna().all()


def test_correlations_are_plausible(voorbeeld):
    f = voorbeeld.frame()
    assert f["gem_inkomen_per_inwoner"].corr(f["pct_laag_inkomen"]) < -0.6
    assert f["pct_bouwjaar_1945_1975"].corr(f["pct_label_efg"]) > 0.5


def test_non_residential_buurten_lack_data_and_all_quadrants_occur(voorbeeld):
    result = score(voorbeeld.frame(), load_config().recipe)
    k = result.scores["kwadrant"]
    assert {"hoog_hoog", "laag_hoog", "laag_laag", "hoog_laag"} <= set(k)
    names = voorbeeld.gebieden.set_index("buurtcode")["buurtnaam"]
    for naam in NON_RESIDENTIAL:  # 10 to 15 inhabitants: below min_inwoners, so no quadrant
        code = names[names == naam].index[0]
        assert k[code] == "te_weinig_inwoners"
    assert (~result.geplaatst()).sum() <= 6
