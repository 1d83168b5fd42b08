"""Text alternatives for what colour and pictures carry: a table under every chart, the buurten per
class under the map, an accessible page navigation, and the accessibility statement."""

from __future__ import annotations

import re
from pathlib import Path

import altair as alt
import pandas as pd

from wijkprofielen.charts import assenkruis, assenkruis_data
from wijkprofielen.charttable import chart_tables
from wijkprofielen.mapgeometry import MapGeometry
from wijkprofielen.mapping import ColourContext, colour_buurten
from wijkprofielen.scoring import score
from wijkprofielen.ui.kaarttabel import class_table

ROOT = Path(__file__).resolve().parents[1]


def test_assenkruis_table_has_every_placed_buurt_under_its_tooltip_titles(voorbeeld, config):
    frame = voorbeeld.frame()
    result = score(frame, config.recipe)
    data = assenkruis_data(frame, result.scores, config.kwadrant_namen)
    code = data["buurtcode"].iloc[0]
    tables = chart_tables(assenkruis(data, config.kwadrant_namen, config.recipe, selected=code))
    assert len(tables) == 1  # the highlight of the chosen buurt adds no second table
    rows, headers = tables[0]
    assert list(headers.values())[:5] == ["Buurt", "Wijk", "Draagkracht", "Fysieke kansen", "Kwadrant"]
    assert len(rows) == len(data) == int(result.geplaatst().sum())
    assert set(rows["kwadrantnaam"]) <= set(config.kwadrant_namen.values())


def test_chart_without_tooltips_falls_back_to_its_axes():
    df = pd.DataFrame({"jaar": [2024, 2025], "aantal": [3, 5], "doel": ["a", "a"]})
    chart = alt.layer(alt.Chart(df).mark_bar().encode(x=alt.X("jaar:O", title="Jaar van oplevering"), y="aantal:Q"),
                      alt.Chart(pd.DataFrame({"y": [4]})).mark_rule().encode(y="y:Q"))
    (rows, headers), (rule, _) = chart_tables(chart)
    assert headers == {"jaar": "Jaar van oplevering", "aantal": "Aantal"}
    assert rows.to_dict("list") == {"jaar": [2024, 2025], "aantal": [3, 5]} and len(rule) == 1


def test_map_class_table_lists_each_shown_buurt_once_in_legend_order(voorbeeld, config):
    frame = voorbeeld.frame()
    result = score(frame, config.recipe)
    geo = MapGeometry.build(voorbeeld.gebieden)
    ordered = frame.set_index("buurtcode").reindex(geo.codes).reset_index()
    colouring = colour_buurten("kwadrant", ColourContext(ordered, result.scores.reindex(geo.codes), result.recipe,
                                                         config.kwadrant_namen))
    mask = (ordered["wijkcode"] != ordered["wijkcode"].iloc[0]).to_numpy()
    table = class_table(colouring, ordered, mask)
    assert sorted(table["buurtcode"]) == sorted(ordered.loc[mask, "buurtcode"])
    legend = [i for i in colouring.legend_for(mask) if i.aantal]
    assert list(dict.fromkeys(table["klasse"])) == [i.label for i in legend]  # the legend's order
    assert table["klasse"].value_counts().to_dict() == {i.label: i.aantal for i in legend}


def test_pages_link_to_each_other_without_streamlits_list_markup(app):
    at = app.run()
    assert not at.exception
    labels = [e.proto.label for e in at.get("page_link")]  # the page may have page links of its own too
    app_py = (ROOT / "app.py").read_text(encoding="utf-8")
    assert 'position="hidden"' in app_py
    titles = re.findall(r'\("\w+", "([^"]+)", "\w+", "[\w/]*"\)', app_py)
    assert labels[labels.index(titles[0]):][:len(titles)] == titles and "Toegankelijkheid" in titles


def test_assenkruis_and_kaart_offer_their_data_as_a_table(app):
    at = app.run()
    klassen = next(e for e in at.expander if e.label.startswith("Buurten per klasse als tabel"))
    assert not klassen.dataframe  # built only when opened: a national table has 15.000 rows
    at.session_state["kaart_klassentabel"] = True
    at.run()
    klassen = next(e for e in at.expander if e.label.startswith("Buurten per klasse als tabel"))
    assert len(klassen.dataframe[0].value) == 77
    at.switch_page("views/assenkruis.py")
    at.session_state["assenkruis__tabel"] = True
    at.run()
    assert not at.exception
    tabel = next(e for e in at.expander if e.label == "Als tabel")
    rows = tabel.dataframe[0].value
    assert len(rows) > 50 and "kwadrantnaam" in rows


def test_statement_has_the_parts_of_a_toegankelijkheidsverklaring():
    text = (ROOT / "docs" / "toegankelijkheid.md").read_text(encoding="utf-8")
    for part in ("voldoet gedeeltelijk", "WCAG 2.1", "axe-core", "Bekende beperkingen", "Contact",
                 "github.com/streamlit/streamlit/issues/"):
        assert part in text, part
    assert "docs/toegankelijkheid.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(page in text for page in ("Kaart", "Assenkruis", "Wijkprofiel", "Workshop", "Export"))
