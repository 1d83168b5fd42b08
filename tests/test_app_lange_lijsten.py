"""A national dataset in the app: the map is an overview, the buurt is searched on the server first, the wijk
needs a gemeente first."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from benchmarks.landelijk import synthetic_nation
from wijkprofielen import mapping
from wijkprofielen.dataset import save_dataset
from wijkprofielen.ui import kaart, session, sidebar

from conftest import ROOT, TEST_CONFIG


def _buurt_page():
    import pandas as pd

    from wijkprofielen.ui import session

    n = 3_000
    frame = pd.DataFrame({"buurtcode": [f"BU{i:08d}" for i in range(n)], "buurtnaam": [f"Buurt {i:04d}" for i in range(n)],
                          "wijknaam": ["Wijk"] * n})
    frame.loc[1234, "buurtnaam"] = "Binnenstad Noord"
    frame.loc[2345, "buurtnaam"] = "Binnenstad Zuid"
    session.buurt_selectbox(frame)


def test_a_list_of_thousands_of_buurten_is_searched_first():
    at = AppTest.from_function(_buurt_page).run()
    assert not at.exception
    assert 3_000 > session.LIST_MAX
    box = at.selectbox(key="buurt")
    assert len(box.options) == session.SEARCH_HITS  # not 3,000 options in the browser
    assert "3.000 buurten: typ een deel van de naam of code" in at.caption[0].value
    at.text_input(key="_buurt_zoek").input("binnenstad").run()
    assert at.selectbox(key="buurt").options == ["Binnenstad Noord (BU00001234) — Wijk",
                                                  "Binnenstad Zuid (BU00002345) — Wijk"]
    assert "2 van 3.000 buurten passen bij 'binnenstad'" in at.caption[0].value
    at.selectbox(key="buurt").set_value("BU00002345").run()
    assert at.query_params["buurt"] == "BU00002345"
    at.text_input(key="_buurt_zoek").input("bu0000009").run()  # a code; the chosen buurt stays listed
    assert at.selectbox(key="buurt").value == "BU00002345"
    assert at.selectbox(key="buurt").options[0] == "Binnenstad Zuid (BU00002345) — Wijk"
    assert len(at.selectbox(key="buurt").options) == 1 + 10  # BU00000090 … BU00000099
    at.text_input(key="_buurt_zoek").input("qqq").run()
    assert at.selectbox(key="buurt").value == "BU00002345"
    assert "Geen buurt past bij 'qqq'" in at.caption[0].value


@pytest.fixture(scope="module")
def small_nation(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("land") / "land.parquet"
    save_dataset(synthetic_nation(600), path)  # 13 gemeenten, 114 wijken
    return str(path)


def test_the_wijk_list_of_all_gemeenten_waits_for_a_gemeente(small_nation, monkeypatch):
    monkeypatch.setenv("WIJKPROFIELEN_DATA", small_nation)
    monkeypatch.setenv("WIJKPROFIELEN_CONFIG", str(TEST_CONFIG))
    monkeypatch.setattr(sidebar, "WIJK_LIST_MAX", 50)  # the 114 wijken count as a national list here
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    assert not at.exception
    wijk = at.sidebar.selectbox(key="wijk")
    assert wijk.options == ["Alle wijken"] and "Kies eerst een gemeente" in wijk.help
    gemeente = at.sidebar.selectbox(key="gemeente").options[1]
    at.sidebar.selectbox(key="gemeente").select(gemeente).run()
    wijk = at.sidebar.selectbox(key="wijk")
    assert 1 < len(wijk.options) <= 50 and not wijk.help


@pytest.fixture
def fresh_decks():
    """Decks of this dataset built under another threshold are not reused, nor left behind."""
    kaart._deck_cached.clear()
    yield
    kaart._deck_cached.clear()


def test_the_overview_of_many_buurten_is_colour_only_and_says_so(small_nation, monkeypatch, fresh_decks):
    monkeypatch.setenv("WIJKPROFIELEN_DATA", small_nation)
    monkeypatch.setenv("WIJKPROFIELEN_CONFIG", str(TEST_CONFIG))
    monkeypatch.setattr(mapping, "WIJK_OUTLINES_MAX", 100)  # the 600 buurten count as an overview here
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    assert not at.exception
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert [layer["id"] for layer in spec["layers"]] == ["buurten"]
    assert spec["layers"][0]["stroked"] is False
    caption = next(c.value for c in at.caption if "Klik op een buurt" in c.value)
    assert "Overzicht van meer dan 100 buurten" in caption and "inzoomen" not in caption
    at.sidebar.selectbox(key="gemeente").select(at.sidebar.selectbox(key="gemeente").options[1]).run()
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert {"buurten", "wijken", "gemeenten"} <= {layer["id"] for layer in spec["layers"]}
