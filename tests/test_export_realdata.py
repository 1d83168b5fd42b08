"""Export on the real 's-Hertogenbosch extract (../shared/data/GM0796): boundaries and Leefbaarometer.

The dataset is assembled here from the CBS boundaries and the Leefbaarometer file only, so the
export is tested apart from the importer; nothing derived from it is written inside the repository.
"""

from __future__ import annotations

import io

import geopandas as gpd
import pandas as pd
import pypdf
import pytest

from wijkprofielen.dataset import CRS, Dataset, derive_codes
from wijkprofielen.export.exporter import Exporter

pytestmark = pytest.mark.realdata
LBM = {"lbm": "lbm_score", "afw": "lbm_afw", "soc": "lbm_soc", "onv": "lbm_onv", "won": "lbm_won", "fys": "lbm_fys"}


@pytest.fixture(scope="module")
def den_bosch(shared_data) -> Dataset:
    folder = shared_data / "GM0796"
    g = gpd.read_file(folder / "cbsgebiedsindelingen_buurt_2022_GM0796.geojson").to_crs(CRS)
    g = g.rename(columns={"statcode": "buurtcode", "statnaam": "buurtnaam"})[["buurtcode", "buurtnaam", "geometry"]]
    g = derive_codes(g.assign(gemeentenaam="'s-Hertogenbosch"))
    lbm = pd.read_csv(folder / "leefbaarometer3_buurten_GM0796_2018-2024.csv")
    lbm = lbm[lbm["bu_code"].isin(g["buurtcode"])]
    wide = lbm.pivot(index="bu_code", columns="jaar", values=list(LBM)).reindex(g["buurtcode"])
    wide.columns = pd.MultiIndex.from_tuples([(LBM[k], int(j)) for k, j in wide.columns], names=["kolom", "jaar"])
    wide.index.name = "buurtcode"
    return Dataset(g.reset_index(drop=True), wide.astype("float64"), {}, {}, {"naam": "'s-Hertogenbosch (CBS 2022, Leefbaarometer 3)"})


def test_real_buurt_pdf_and_gpkg(den_bosch, config, tmp_path):
    ex = Exporter(den_bosch, config, menukaart=None)
    # Leefbaarometer only: too little of either recipe to place a buurt; the profile says so and still exports.
    assert not ex.result.geplaatst().any()
    code = "BU07960101"
    naam = den_bosch.gebieden.set_index("buurtcode").at[code, "buurtnaam"]
    reader = pypdf.PdfReader(io.BytesIO(ex.pdf(code)))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert f"Wijkprofiel {naam}" in text and "'s-Hertogenbosch" in text
    assert "CBS / Kadaster" in text and "Synthetische" not in text
    assert "Trend: Leefbaarometer-score" in text
    assert len(reader.pages) <= 2
    path = tmp_path / "b.gpkg"
    path.write_bytes(ex.gpkg())
    back = gpd.read_file(path)
    assert back.crs.to_epsg() == 28992 and len(back) == len(den_bosch.gebieden)
    assert back.geometry.is_valid.all()
