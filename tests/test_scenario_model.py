"""Scenario files: validation with Dutch messages naming the measure and the field."""

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkprofielen.errors import DataError
from wijkprofielen.scenario.model import CATALOGUE, Soort, default_segment, load_scenario_json, parse_scenario, soort_van

CODES = ["BU00010000", "BU00010101"]
PERIODE = (2020, 2030)


def scen(**measure):
    base = {"buurtcode": CODES[0], "interventie": "nieuwbouw", "segment": "sociale_huur", "aantal": 10, "jaar": 2025}
    return {"naam": "T", "maatregelen": [{"buurtcode": CODES[1], "interventie": "verduurzaming", "segment": None, "aantal": 5, "jaar": None},
                                         {**base, **measure}]}


def check(raw, **kwargs):
    return parse_scenario(raw, buurtcodes=CODES, periode=PERIODE, **kwargs)


def test_valid_scenario_roundtrips_through_json():
    s = check(scen())
    assert [m.soort for m in s.maatregelen] == [Soort.VERDUURZAMING, Soort.TOEVOEGEN]
    again = load_scenario_json(s.to_json(), buurtcodes=CODES, periode=PERIODE)
    assert again == s


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        ({"buurtcode": "BU99999999"}, "maatregel 2 (buurtcode): 'BU99999999' is geen buurt in deze dataset"),
        ({"interventie": "toverstaf"}, "maatregel 2 (interventie): 'toverstaf' staat niet op de menukaart"),
        ({"aantal": -10}, "maatregel 2 (aantal): een negatief aantal (-10) betekent weghalen en mag alleen bij sloop, verkoop en liberalisatie"),
        ({"interventie": "verkoop", "aantal": 10}, "maatregel 2 (aantal): bij verkoop geeft u het aantal woningen dat verdwijnt als negatief getal"),
        ({"jaar": 2031}, "maatregel 2 (jaar): 2031 ligt buiten de periode van de doelen (2020–2030)"),
        ({"jaar": "volgend jaar"}, "maatregel 2 (jaar): 'volgend jaar' is geen jaartal"),
        ({"segment": "luxe"}, "maatregel 2 (segment): 'luxe' is onbekend"),
        ({"segment": None}, "maatregel 2 (segment): bij 'nieuwbouw' is een segment nodig"),
        ({"aantal": 2.5}, "maatregel 2 (aantal): 2.5 is geen geheel getal"),
        ({"interventie": "liberalisatie", "segment": "midden", "aantal": -3}, "maatregel 2 (segment): liberalisatie gaat over sociale huur"),
        ({"kleur": "blauw"}, "maatregel 2: onbekend veld kleur"),
    ],
)
def test_invalid_measures_get_a_dutch_message_with_index_and_field(measure, expected):
    with pytest.raises(DataError, match=re.escape("Scenario 'T', " + expected)):
        check(scen(**measure))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [([], "JSON-object"), ({"maatregelen": []}, "'naam' ontbreekt"), ({"naam": "x", "maatregelen": {}}, "'maatregelen' moet een lijst zijn")],
)
def test_invalid_file_shapes(raw, expected):
    with pytest.raises(DataError, match=expected):
        check(raw)


def test_bad_json_text():
    with pytest.raises(DataError, match="geen geldige JSON"):
        load_scenario_json(b"{naam: ")


def test_removals_default_to_social_rent_and_negative_counts_allowed():
    s = check(scen(interventie="sloop_nieuwbouw", segment=None, aantal=-30))
    m = s.maatregelen[1]
    assert (m.soort, m.segment, m.aantal) == (Soort.SLOOP, "sociale_huur", -30)


def test_flexwonen_is_the_flex_segment():
    assert check(scen(interventie="flexwonen", segment=None)).maatregelen[1].segment == "flex"
    with pytest.raises(DataError, match="'flexwonen' hoort bij segment 'flex'"):
        check(scen(interventie="flexwonen", segment="midden"))


def test_kinds_of_menukaart_ids():
    assert soort_van("sociale_huur_toevoegen") == Soort.TOEVOEGEN and default_segment("sociale_huur_toevoegen") == "sociale_huur"
    assert soort_van("uitstroom_naar_buurten_met_draagkracht") == Soort.INSTROOM_OPVANGEN
    assert soort_van("verkoop_in_de_wijk") == Soort.VERKOOP  # keyword fallback for ids not listed
    assert soort_van("buurtconciërge") == Soort.OVERIG
    assert all(soort_van(k) == v.soort for k, v in CATALOGUE.items())


def test_sloop_nieuwbouw_counts_demolition_and_rebuilding():
    s = check({"naam": "S", "maatregelen": [
        {"buurtcode": CODES[0], "interventie": "sloop_nieuwbouw_vergelijkbare_huur", "segment": None, "aantal": -80, "jaar": 2022},
        {"buurtcode": CODES[0], "interventie": "sloop_nieuwbouw_vergelijkbare_huur", "segment": None, "aantal": 60, "jaar": 2024},
        {"buurtcode": CODES[0], "interventie": "sloop_nieuwbouw", "segment": "midden", "aantal": 20, "jaar": 2024},
    ]}, interventies=["sloop_nieuwbouw_vergelijkbare_huur", "sloop_nieuwbouw"])
    assert [(m.soort, m.segment) for m in s.maatregelen] == [
        (Soort.SLOOP, "sociale_huur"), (Soort.TOEVOEGEN, "sociale_huur"), (Soort.TOEVOEGEN, "midden")]


@settings(deadline=None, max_examples=40)
@given(st.lists(st.tuples(st.sampled_from(CODES), st.sampled_from(["nieuwbouw", "verdichting", "transformatie"]),
                          st.sampled_from(["sociale_huur", "midden", "vrij"]), st.integers(0, 5000),
                          st.one_of(st.none(), st.integers(*PERIODE))), max_size=20))
def test_any_valid_addition_list_parses_to_the_same_numbers(items):
    raw = {"naam": "P", "maatregelen": [dict(zip(["buurtcode", "interventie", "segment", "aantal", "jaar"], t)) for t in items]}
    s = check(json.loads(json.dumps(raw)))
    assert [m.aantal for m in s.maatregelen] == [t[3] for t in items]
