"""The housing stock of the Kerncijfers: read from fixtures in the published StatLine formats.

The column keys are those of the published tables: 83765NED (2017) as CSV, 85984NED (2024)
as OData TypedDataSet JSON. Between them the WOZ column changed its name
(GemiddeldeWoningwaarde → GemiddeldeWOZWaardeVanWoningen) and the building-age split moved
from the year 2000 to "the last ten years".
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from wijkprofielen import indicators
from wijkprofielen.errors import DataError
from wijkprofielen.importers.kerncijfers import read_kerncijfers

CODES = ["BU00010001", "BU00010002", "BU00010101"]
WONINGEN = ("pct_koopwoningen", "pct_huurwoningen", "pct_corporatiebezit", "pct_bouwjaar_voor_2000", "gem_woz",
            "pct_meergezinswoning")

HEADER_2017 = ("WijkenEnBuurten,Gemeentenaam_1,SoortRegio_2,Codering_3,AantalInwoners_5,k_65JaarOfOuder_12,HuishoudensTotaal_28,"
               "Bevolkingsdichtheid_33,Woningvoorraad_34,GemiddeldeWoningwaarde_35,PercentageEengezinswoning_36,"
               "PercentageMeergezinswoning_37,Koopwoningen_40,HuurwoningenTotaal_41,InBezitWoningcorporatie_42,"
               "InBezitOverigeVerhuurders_43,BouwjaarVoor2000_45,BouwjaarVanaf2000_46,GemiddeldInkomenPerInwoner_66,"
               "HuishOnderOfRondSociaalMinimum_73")
ROWS_2017 = [
    '"BU00010001  ","Een                 ","Buurt     ","BU00010001  ",1000,200,450,5000,480,212,35,65,40,60,45,15,90,10,24.5,9.8',
    '"BU00010002  ","Een                 ","Buurt     ","BU00010002  ",2500,300,1100,7000,1150,318,80,20,75,25,10,15,60,40,33.1,3.2',
    '"BU00010101  ","Een                 ","Buurt     ","BU00010101  ",15,5,5,40,5,.,.,.,.,.,.,.,.,.,.,.',
    '"WK000100    ","Een                 ","Wijk      ","WK000100    ",3500,500,1550,6000,1630,270,65,35,60,40,30,10,80,20,30.0,6.0',
]


KEYS_2024 = ("WijkenEnBuurten", "AantalInwoners_5", "HuishoudensTotaal_29", "Bevolkingsdichtheid_34", "Woningvoorraad_35",
             "GemiddeldeWOZWaardeVanWoningen_39", "PercentageEengezinswoning_40", "PercentageMeergezinswoning_45",
             "Koopwoningen_47", "HuurwoningenTotaal_48", "InBezitWoningcorporatie_49", "InBezitOverigeVerhuurders_50",
             "BouwjaarMeerDanTienJaarGeleden_51", "BouwjaarAfgelopenTienJaar_52", "MateVanStedelijkheid_122")
VALUES_2024 = [
    ("BU00010001", 1050, 470, 5200, 500, 301.0, 36.0, 64.0, 41.0, 59.0, 44.0, 15.0, 93.0, 7.0, 1),
    ("BU00010002", 2600, 1120, 7100, 1160, 455.0, 81.0, 19.0, 76.0, 24.0, 9.0, 15.0, 100.0, 0.0, 2),
    ("BU00010101", 10, 5, 30, 5, *[None] * 9, 5),
]


def _typed_2024() -> dict:
    """An OData v3 TypedDataSet page of 85984NED as the CBS API returns it (suppressed values are null)."""
    base = {"Gemeentenaam_1": "Een                 ", "SoortRegio_2": "Buurt     ", "IndelingswijzigingWijkenEnBuurten_4": "1"}
    rows = [{"ID": i, **base, **dict(zip(KEYS_2024, v)), "Codering_3": v[0]} for i, v in enumerate(VALUES_2024)]
    return {"odata.metadata": "https://opendata.cbs.nl/ODataApi/OData/85984NED/$metadata#Cbs.OData.WebAPI.TypedDataSet",
            "value": rows}


@pytest.fixture
def kwb2017(tmp_path):
    p = tmp_path / "kwb2017_83765NED_woningen.csv"
    p.write_text(HEADER_2017 + "\n" + "\n".join(ROWS_2017) + "\n", encoding="utf-8")
    return p


@pytest.fixture
def kwb2024(tmp_path):
    p = tmp_path / "85984NED_TypedDataSet.json"
    p.write_text(json.dumps(_typed_2024()), encoding="utf-8")
    return p


def test_the_catalogue_has_the_housing_indicators_with_label_unit_source_direction_and_range():
    cat = indicators.catalogue()
    for kolom in (*WONINGEN, "pct_bouwjaar_vanaf_2000", "pct_eigendom_overige_verhuurders", "pct_eengezinswoning",
                  "pct_bouwjaar_ouder_dan_10_jaar", "pct_bouwjaar_laatste_10_jaar"):
        info = cat[kolom]
        assert info.label and info.eenheid and info.bron == "CBS Kerncijfers wijken en buurten" and info.richting
        assert info.min == 0 and info.max is not None and info.cbs_stem
    assert cat["gem_woz"].eenheid == "× € 1.000"
    assert cat["gem_woz"].cbs_stemmen == ("GemiddeldeWOZWaardeVanWoningen", "GemiddeldeWoningwaarde")


def test_csv_of_the_2017_table_gives_the_housing_stock(kwb2017):
    b = read_kerncijfers(kwb2017, "GM0001")
    assert b.jaren == [2017] and list(b.waarden.index) == CODES
    w = b.waarden.xs(2017, axis=1, level="jaar")
    assert w["pct_koopwoningen"].tolist()[:2] == [40.0, 75.0]
    assert w["pct_huurwoningen"].tolist()[:2] == [60.0, 25.0]
    assert w["pct_corporatiebezit"].tolist()[:2] == [45.0, 10.0]
    assert w["pct_eigendom_overige_verhuurders"].tolist()[:2] == [15.0, 15.0]
    assert w["pct_bouwjaar_voor_2000"].tolist()[:2] == [90.0, 60.0]
    assert w["pct_bouwjaar_vanaf_2000"].tolist()[:2] == [10.0, 40.0]
    assert w["gem_woz"].tolist()[:2] == [212.0, 318.0]  # GemiddeldeWoningwaarde_35: the name before 2020
    assert w["pct_meergezinswoning"].tolist()[:2] == [65.0, 20.0]
    assert w["pct_eengezinswoning"].tolist()[:2] == [35.0, 80.0]
    # A small buurt's suppressed figures stay missing with their reason, never 0.
    for kolom in WONINGEN:
        assert np.isnan(w.at["BU00010101", kolom])
        assert b.redenen[(kolom, 2017)]["BU00010101"] == "ontbreekt (CBS '.')"
    assert "pct_bouwjaar_laatste_10_jaar" not in w.columns


def test_income_of_the_2017_table_carries_its_source_year(kwb2017):
    b = read_kerncijfers(kwb2017, "GM0001")
    assert b.bronjaren[("gem_inkomen_per_inwoner", 2017)] == 2014
    assert b.bronjaren[("pct_sociaal_minimum", 2017)] == 2014
    assert ("pct_koopwoningen", 2017) not in b.bronjaren  # the housing stock is of the table year


def test_odata_typed_dataset_of_2024_gives_the_housing_stock(kwb2024):
    b = read_kerncijfers(kwb2024, "GM0001")
    assert b.jaren == [2024]
    w = b.waarden.xs(2024, axis=1, level="jaar")
    assert w["gem_woz"].tolist()[:2] == [301.0, 455.0]  # GemiddeldeWOZWaardeVanWoningen_39
    assert w["pct_meergezinswoning"].tolist()[:2] == [64.0, 19.0]
    assert w["pct_koopwoningen"].tolist()[:2] == [41.0, 76.0]
    assert w["pct_huurwoningen"].tolist()[:2] == [59.0, 24.0]
    assert w["pct_corporatiebezit"].tolist()[:2] == [44.0, 9.0]
    assert w["pct_eigendom_overige_verhuurders"].tolist()[:2] == [15.0, 15.0]
    assert w["pct_bouwjaar_ouder_dan_10_jaar"].tolist()[:2] == [93.0, 100.0]
    assert w["pct_bouwjaar_laatste_10_jaar"].tolist()[:2] == [7.0, 0.0]
    # The 2024 table has no split at 2000: that indicator is absent, not filled from the ten-year split.
    assert "pct_bouwjaar_voor_2000" not in w.columns
    assert w.loc["BU00010101", ["gem_woz", "pct_koopwoningen"]].isna().all()
    assert b.bronjaren == {}


def test_values_outside_the_catalogue_range_are_refused(tmp_path):
    rows = [r.replace(",40,60,45,", ",140,60,45,") for r in ROWS_2017]
    p = tmp_path / "kwb2017_83765NED_woningen.csv"
    p.write_text(HEADER_2017 + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="Koopwoningen_40"):
        read_kerncijfers(p, "GM0001")
