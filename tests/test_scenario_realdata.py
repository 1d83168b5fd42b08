"""Zooming out on the real 's-Hertogenbosch buurten (../shared/data) against the city's targets in config.toml."""

import geopandas as gpd
import pandas as pd
import pytest

from wijkprofielen.dataset import CRS, Dataset, derive_codes, parse_cbs_values
from wijkprofielen.scenario.doelen import doelen_for
from wijkprofielen.scenario.evaluate import evaluate
from wijkprofielen.scenario.model import parse_scenario, voorbeeldscenario
from wijkprofielen.scoring import score

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def den_bosch(shared_data):
    gdf = gpd.read_file(shared_data / "GM0796" / "cbsgebiedsindelingen_buurt_2022_GM0796.geojson")
    gdf = gdf.rename(columns={"statcode": "buurtcode", "statnaam": "buurtnaam"})[["buurtcode", "buurtnaam", "geometry"]]
    gdf = gpd.GeoDataFrame(derive_codes(gdf), geometry="geometry", crs=gdf.crs).to_crs(CRS)
    kwb = pd.read_csv(shared_data / "GM0796" / "kwb2024_85984NED_extract_GM0796.csv", dtype=str).set_index("Codering_3")
    hh, _ = parse_cbs_values(kwb["HuishoudensTotaal_29"])
    waarden = pd.DataFrame({("huishoudens", 2024): hh.reindex(gdf["buurtcode"]).to_numpy()}, index=pd.Index(gdf["buurtcode"], name="buurtcode"))
    waarden.columns = pd.MultiIndex.from_tuples(waarden.columns, names=["kolom", "jaar"])
    return Dataset(gdf.reset_index(drop=True), waarden, {}, {}, {"naam": "'s-Hertogenbosch (echt, deels)"})


def test_real_buurten_against_the_city_targets(den_bosch, config):
    frame = den_bosch.frame()
    assert len(frame) == 107
    doelen = doelen_for(config.doelen, frame["gemeentecode"].tolist())
    assert doelen.gemeentecode == "GM0796" and doelen.sociale_huur == 3150
    codes = den_bosch.codes
    sc = parse_scenario({"naam": "Echt", "maatregelen": [
        {"buurtcode": codes[0], "interventie": "nieuwbouw", "segment": "sociale_huur", "aantal": 150, "jaar": 2024},
        {"buurtcode": codes[1], "interventie": "nieuwbouw", "segment": "midden", "aantal": 80, "jaar": 2030},
    ]}, codes, doelen.periode)
    ev = evaluate(sc, frame, score(frame, config.recipe).scores, doelen)
    d = ev.doelen.set_index("doel")
    assert d.loc["sociale_huur", ["gepland", "streef", "tekort"]].tolist() == [150, 3150, 3000]
    assert d.loc["woningen", "tekort"] == 10500 - 230
    # The extract has no stock, tenure, plancapaciteit or labels: unknown, never zero.
    assert ev.per_buurt["pct_sociale_huur_na"].isna().all() and ev.per_buurt["woningen_na"].isna().all()
    assert "verduurzaming" not in d.index
    assert any("Geen plancapaciteit" in n for n in ev.notities)
    assert not [w for w in ev.waarschuwingen if w.soort == "plancapaciteit"]


def test_voorbeeldscenario_on_real_buurten(den_bosch, config):
    """Only huishoudens, no woningen or plancapaciteit: still two real buurten, by name."""
    frame = den_bosch.frame()
    scores = pd.DataFrame({"draagkracht": range(len(frame))}, index=frame["buurtcode"]) - 50.0
    doelen = doelen_for(config.doelen, frame["gemeentecode"].tolist())
    sc = voorbeeldscenario(frame, scores, doelen.periode)
    names = frame.set_index("buurtcode")["buurtnaam"]
    x, y = sc.maatregelen[0].buurtcode, sc.maatregelen[1].buurtcode
    assert sc.naam == f"Voorbeeld: {names[x]} en {names[y]}"
    evaluate(sc, frame, scores, doelen)
