"""AppTests for the menukaart: the Menukaart page and the menukaart on the Wijkprofiel page."""

from __future__ import annotations

from wijkprofielen.config import load_config
from wijkprofielen.dragers import quadrant_reading
from wijkprofielen.menukaart import advise, load_menukaart, suggest
from wijkprofielen.scoring import score
from wijkprofielen.synthetic import voorbeeldstad


def _texts(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_menukaart_page_lists_and_filters_the_catalogue(app):
    mk = load_menukaart()
    at = app.run()
    at.switch_page("views/menukaart.py").run()
    assert not at.exception and not at.error
    assert f"{len(mk)} van de {len(mk)} interventies." in [c.value for c in at.caption]
    assert len(at.dataframe[0].value) == len(mk)
    at.multiselect(key="mk_trekker").set_value(["politie"]).run()
    politie = [i for i in mk.values() if "politie" in i.trekker]
    assert len(at.dataframe[0].value) == len(politie)
    assert set(at.dataframe[0].value["titel"]) == {i.titel for i in politie}
    at.multiselect(key="mk_categorie").set_value(["veiligheid"]).run()
    both = [i for i in politie if i.categorie == "veiligheid"]
    assert len(at.dataframe[0].value) == len(both) > 0
    at.text_input(key="mk_zoek").set_value("geen-enkele-interventie-heet-zo").run()
    assert any("Geen interventies met deze filters" in i.value for i in at.info)
    # Filter keys never collide with sidebar keys such as kwadrant, buurt or wijk.
    keys = [w.key for w in [*at.multiselect, *at.text_input]]
    assert keys and all(k.startswith("mk_") for k in keys)


def _example_buurt(kwadrant: str):
    """The example's scores and its first buurt in ``kwadrant``: (cfg, frame, result, code)."""
    ds = voorbeeldstad()
    cfg = load_config()
    frame = ds.frame()
    result = score(frame, cfg.recipe)
    return cfg, frame, result, next(c for c in ds.codes if result.scores.at[c, "kwadrant"] == kwadrant)


def _open(app, code: str, page: str):
    at = app.run()
    at.session_state["buurt"] = code
    return at.switch_page(page).run()


def test_wijkprofiel_shows_the_suggested_menukaart(app):
    cfg, frame, result, code = _example_buurt("laag_hoog")
    expected = suggest(frame, result, code, kwadrant_namen=cfg.kwadrant_namen)
    at = _open(app, code, "views/wijkprofiel.py")
    assert not at.exception and not at.error
    text = _texts(at)
    best = expected[0]
    assert f"**{best.interventie.titel}**" in text
    assert ("Waarom hier: " + "; ".join(best.redenen)) in text
    assert f"Trekker: {', '.join(best.interventie.trekker)}" in text
    assert f"##### {best.interventie.categorie_label}" in text
    assert f"**Bron:** {best.interventie.bron}" in text
    assert "sociale_huur_toevoegen" not in {s.interventie.id for s in expected}
    # Which sub-scores carry the axes; nothing to check where every value is known.
    assert quadrant_reading(result.scores.loc[code], result.recipe) in text
    assert not advise(frame, result, code).te_controleren and "#### Te controleren" not in text
    # Leefbaarometer trend and the small assenkruis are drawn.
    assert len(at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")) == 2
    assert any("Leefbaarometer 2018–2024" in m.value for m in at.markdown)


def test_broken_catalogue_shows_dutch_error_and_rest_of_profile_stays(app, tmp_path, monkeypatch):
    from tests.conftest import TEST_CONFIG
    from tests.test_menukaart import with_catalogue

    (tmp_path / "mk.toml").write_text('[[interventie]]\nid = "kapot"\ncategorie = "onzin"\n', encoding="utf-8")
    cfg = tmp_path / "config.toml"
    cfg.write_text(with_catalogue(TEST_CONFIG.read_text(encoding="utf-8"), "mk.toml"), encoding="utf-8")
    monkeypatch.setenv("WIJKPROFIELEN_CONFIG", str(cfg))
    at = app.run()
    at.switch_page("views/wijkprofiel.py").run()
    assert not at.exception
    assert "menukaart kan niet worden gebruikt" in at.error[0].value and "'kapot'" in at.error[0].value
    assert at.metric[0].value  # the scores are still shown


def test_wijkprofiel_warns_when_the_buurt_has_no_quadrant(app):
    cfg, frame, result, code = _example_buurt("onvoldoende_data")
    at = _open(app, code, "views/wijkprofiel.py")
    assert not at.exception
    assert any("te weinig gegevens voor een kwadrant" in w.value for w in at.warning)
    # Items that depend on the quadrant are listed apart with what to check, after every suggestion.
    advies = advise(frame, result, code, kwadrant_namen=cfg.kwadrant_namen)
    assert advies.te_controleren
    text = _texts(at)
    assert f"#### Te controleren ({len(advies.te_controleren)})" in text
    first = advies.te_controleren[0]
    assert "Te controleren:\n" + "\n".join(f"- {c.tekst}" for c in first.controles) in text
    if advies.suggesties:
        assert text.index("#### Te controleren") > text.index(f"**{advies.suggesties[0].interventie.titel}**")


def test_menukaart_page_shows_one_buurt_with_te_controleren_apart(app):
    cfg, frame, result, code = _example_buurt("onvoldoende_data")
    advies = advise(frame, result, code, kwadrant_namen=cfg.kwadrant_namen)
    at = _open(app, code, "views/menukaart.py")
    assert not at.exception and not at.error
    assert [t.label for t in at.tabs] == ["Hele menukaart", "Voor één buurt"]
    text = "\n".join(m.value for m in at.tabs[1].markdown)
    if advies.suggesties:
        assert f"**{advies.suggesties[0].interventie.titel}**" in text
    else:
        assert any("past geen interventie zeker" in i.value for i in at.tabs[1].info)
    assert f"#### Te controleren ({len(advies.te_controleren)})" in text
    assert advies.te_controleren[0].controles[0].tekst in text
