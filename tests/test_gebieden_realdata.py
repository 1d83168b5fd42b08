"""Wijken and a gebied on the real 's-Hertogenbosch files in ../shared/data (skipped where absent).

Orthen-links is not a CBS unit: here it is the two western Orthen buurten, Orthenpoort (wijk
Muntel / Vliert) and Orthen-West (wijk Noord), so the gebied crosses a wijk border.
"""

from __future__ import annotations

import pandas as pd
import pytest

from wijkprofielen.config import load_config
from wijkprofielen.domain import BEREKEND, GEPUBLICEERD
from wijkprofielen.gebieden import Gebied
from wijkprofielen.workspace import Workspace

pytestmark = pytest.mark.realdata
ORTHEN_LINKS = Gebied("Orthen-links", ("BU07960403", "BU07960914"), "Orthenpoort en Orthen-West, west van de Dommel")


@pytest.fixture(scope="module")
def den_bosch(gm0796):
    return gm0796[0]


@pytest.fixture(scope="module")
def ws():
    """The national recipe: without local data it scores the physical axis on density and the Leefbaarometer."""
    return Workspace(load_config().with_recept("landelijk"))


@pytest.fixture(scope="module")
def wijken(den_bosch, ws):
    return ws.level(den_bosch, "wijk")


def test_wijken_use_the_published_income_and_show_the_computed_one(wijken):
    lang = wijken.eenheden.lang.set_index(["eenheid", "kolom"])
    assert len(wijken.eenheden.leden) == 14
    income = lang.loc[("WK079601", "gem_inkomen_per_inwoner")]
    # The CBS income table per wijk (2020): Binnenstad 36,9; the buurten's own 2017 figures give another value.
    assert income["herkomst"] == GEPUBLICEERD and income["waarde"] == pytest.approx(36.9) and income["jaar"] == 2020
    assert income["berekend"] == pytest.approx(34.76, abs=0.01)
    share = lang.loc[("WK079601", "pct_65plus")]
    assert share["herkomst"] == BEREKEND and share["toelichting"] == "berekend uit 6 buurten"
    # Inhabitants are summed; a wijk with a buurt missing from the extract has no total, only a lower bound.
    assert lang.loc[("WK079601", "inwoners"), "waarde"] == 13890
    assert pd.isna(lang.loc[("WK079602", "inwoners"), "waarde"]) and "onvolledig" in lang.loc[("WK079602", "inwoners"), "reden"]
    assert wijken.result.geplaatst().all()


def test_wijken_whose_buurten_fall_in_opposite_quadrants(wijken):
    niet = set(wijken.spreiding.loc[~wijken.spreiding["eenduidig"], "eenheid"])
    assert niet == {"WK079602", "WK079603", "WK079609", "WK079610", "WK079611"}


def test_orthen_links_is_a_gebied_across_two_wijken(den_bosch, ws):
    profiel = ws.level(den_bosch, "gebied", [ORTHEN_LINKS])
    lang = profiel.eenheden.lang.set_index("kolom")
    assert lang.loc["inwoners", "waarde"] == 1485
    assert lang.loc["gem_inkomen_per_inwoner", "herkomst"] == BEREKEND
    assert lang.loc["pct_laagste_40_inkomen", "toelichting"] == "berekend uit 2 buurten (wijkcijfers)"
    assert profiel.result.scores.loc["Orthen-links", "kwadrant"] == "laag_hoog"
    assert profiel.referentie == "de wijken van de eigen gemeente"
    assert set(profiel.buurten["buurtnaam"]) == {"Orthenpoort", "Orthen-West"}
