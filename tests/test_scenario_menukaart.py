"""The link to the menukaart: contra-indications of chosen items, suggestions as measures."""

import math
from dataclasses import dataclass

import pandas as pd

from wijkprofielen.menukaart import default_menukaart
from wijkprofielen.scenario.menukaart_link import contra_warnings, suggested_measures
from wijkprofielen.scenario.model import MENUKAART_SOORTEN, Maatregel, Scenario, Soort, soort_van
from wijkprofielen.testing import grid_dataset


@dataclass(frozen=True)
class FakeCondition:  # the shape of menukaart.Voorwaarde
    kolom: str
    drempel: float
    label: str = "Draagkracht onder het midden (< 0)"

    def holds(self, value):
        return None if value is None or math.isnan(value) else value < self.drempel


@dataclass(frozen=True)
class FakeItem:
    titel: str
    contra: tuple
    bron: str = "Eigen bron, §1"


DS = grid_dataset({"woningen": [100, 100]})
FRAME = DS.frame()
VALUES = {DS.codes[0]: {"draagkracht": 1.0}, DS.codes[1]: {"draagkracht": -1.0}}
MK = {"sociale_huur_toevoegen": FakeItem("Sociale huur toevoegen", (FakeCondition("draagkracht", 0.0),))}


def test_contra_indication_that_holds_warns_once_per_buurt_and_item():
    sc = Scenario("S", [Maatregel(c, "sociale_huur_toevoegen", "sociale_huur", n, None) for c in DS.codes for n in (10, 20)])
    out = contra_warnings(sc, FRAME, None, mk=MK, values=lambda f, r, code: VALUES[code])
    assert [(w.soort, w.buurtcode) for w in out] == [("contra_indicatie", DS.codes[1])]
    assert "'Sociale huur toevoegen' staat op de menukaart met de contra-indicatie 'Draagkracht onder het midden (< 0)'" in out[0].tekst


def test_unknown_values_do_not_trigger_a_contra_indication():
    sc = Scenario("S", [Maatregel(DS.codes[1], "sociale_huur_toevoegen", "sociale_huur", 10, None)])
    assert contra_warnings(sc, FRAME, None, mk=MK, values=lambda f, r, code: {"draagkracht": math.nan}) == []


def test_items_of_the_real_menukaart_have_known_kinds(config):
    mk = default_menukaart()
    assert set(MENUKAART_SOORTEN) <= set(mk), "MENUKAART_SOORTEN noemt ids die niet (meer) op de menukaart staan"
    assert soort_van("sociale_huur_toevoegen") == Soort.TOEVOEGEN


def test_suggestions_become_measures_to_fill_in(voorbeeld, config):
    from wijkprofielen.scenario.model import parse_scenario
    from wijkprofielen.scoring import score

    frame = voorbeeld.frame()
    result = score(frame, config.recipe)
    for code in frame["buurtcode"][:10]:
        high = bool(result.scores.loc[code, "draagkracht"] >= 0) if pd.notna(result.scores.loc[code, "draagkracht"]) else None
        ms = suggested_measures(frame, result, code, high, default_menukaart())
        assert all(m.aantal == 0 and m.buurtcode == code for m in ms)
        # They are a valid scenario as they stand.
        parse_scenario(Scenario("S", ms).to_dict(), buurtcodes=frame["buurtcode"].tolist(), menukaart=default_menukaart())
