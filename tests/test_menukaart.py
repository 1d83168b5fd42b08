"""The menukaart: catalogue validation and the suggestion engine."""

from __future__ import annotations

import math
import re
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkprofielen.config import config_from_dict, load_config
from wijkprofielen.errors import ConfigError, DataError
from wijkprofielen.menukaart import (
    CATEGORIEEN, ITEM_QUADRANTS, TREKKERS, Interventie, Menukaart, Suggestie, Voorwaarde, advise, catalogue_path,
    contradict_on, contradictions, evaluate, load_menukaart, menukaart_from_dict, parse_condition, suggest,
)
from wijkprofielen.scoring import score
from wijkprofielen.testing import grid_dataset, simple_recipe

ROOT = Path(__file__).resolve().parent.parent
TEST_CONFIG = ROOT / "tests" / "data" / "config.toml"
SEEDS = ROOT.parent / "shared" / "seeds"
#: Short title in docs/bronnen.md -> the plain-text extraction the catalogue was checked against.
SOURCE_FILES = {
    "Prestatieafspraken 's-Hertogenbosch 2021–2025": "000_a6a94303e380a0ec.txt",
    "Prestatieafspraken Hengelo 2017": "001_114382b141c2d33a.txt",
    "Prestatieafspraken Tynaarlo 2023": "002_cca5c5f429943ddb.txt",
    "Discussiedagen Sociale Huisvesting 2020": "003_a956252efff933ec.txt",
    "Volkshuisvestelijke prioriteiten 2021–2025": "004_192c6a53e3ea34be.txt",
}
PAPERS = "Discussiedagen Sociale Huisvesting 2020"


@pytest.fixture(scope="module")
def mk():
    return load_menukaart()


# --- catalogue -------------------------------------------------------------------------


def test_builtin_catalogue_covers_every_category_with_complete_items(mk):
    assert len(mk) >= 40
    assert {i.categorie for i in mk.values()} == set(CATEGORIEEN)
    for i in mk.values():
        assert i.trekker and set(i.trekker) <= set(TREKKERS)
        assert i.kwadranten and set(i.kwadranten) <= set(ITEM_QUADRANTS)
        assert i.titel and i.waarom and i.bewijs and i.bron


def test_mapping_protocol(mk):
    assert isinstance(mk, Menukaart)
    first = next(iter(mk))
    assert first in mk and mk[first].id == first
    assert "bestaat_niet" not in mk
    with pytest.raises(KeyError, match="niet op de menukaart"):
        mk["bestaat_niet"]
    assert len(list(mk)) == len(mk)
    assert list(mk.categorieen)[:3] == ["huurbeleid", "toewijzing", "verdichting"]
    item = mk[first]
    assert isinstance(item, Interventie)
    with pytest.raises(FrozenInstanceError):
        item.titel = "x"


def _references(item):
    return [ref.strip() for ref in item.bron.split(";")]


def _source_key(ref):
    return next((key for key in SOURCE_FILES if ref.startswith(key + ",") or ref == key), None)


def test_every_reference_names_a_documented_source(mk):
    bronnen = (ROOT / "docs" / "bronnen.md").read_text(encoding="utf-8")
    for key in SOURCE_FILES:
        assert f"**{key}**" in bronnen, key
    for i in mk.values():
        for ref in _references(i):
            assert _source_key(ref), (i.id, ref)
            if ref.startswith(PAPERS + ","):  # the bundle is cited by the paper's authors
                authors = ref[len(PAPERS) + 1:].split("(")[0].strip()
                for author in authors.split(" en "):
                    assert f"| {author} |" in bronnen, (i.id, author)
        # No internal file names or line numbers: a reader must be able to look the source up.
        for text in (i.bron, i.bewijs):
            assert not re.search(r"\d{3}_[0-9a-f]{16}|\br\. \d+|digest|seed", text), (i.id, text)


def _normalised_sources():
    if not SEEDS.is_dir():
        pytest.skip(f"brondocumenten (tekstversies) niet gevonden in {SEEDS}: ../shared/seeds naast de repository")
    return {key: " ".join((SEEDS / name).read_text(encoding="utf-8", errors="replace").split())
            for key, name in SOURCE_FILES.items()}


def test_quoted_phrases_in_bron_occur_in_the_cited_document(mk):
    texts = _normalised_sources()
    checked = 0
    for i in mk.values():
        for ref in _references(i):
            for quote in re.findall(r'\("([^"]+)"\)', ref):
                assert " ".join(quote.split()) in texts[_source_key(ref)], (i.id, ref)
                checked += 1
    assert checked >= 5


def test_cited_paragraphs_exist_in_the_cited_document(mk):
    texts = _normalised_sources()
    checked = 0
    for i in mk.values():
        for ref in _references(i):
            for number, title in re.findall(r"§(\d\.\d) ((?:(?! en §)[^,;(])+)", ref):
                assert f"{number} {title.strip()}" in texts[_source_key(ref)], (i.id, ref)
                checked += 1
    assert checked >= 10


def test_filter(mk):
    corp = mk.filter(trekkers=["corporatie"])
    assert corp and all("corporatie" in i.trekker for i in corp)
    both = mk.filter(categorieen=["verdichting"], kwadranten=["laag_hoog"])
    assert both and all(i.categorie == "verdichting" and "laag_hoog" in i.kwadranten for i in both)
    assert mk.filter(tekst="SENIORENMAKELAAR")[0].id == "seniorenmakelaar"
    assert len(mk.filter()) == len(mk)
    table = mk.table()
    assert len(table) == len(mk) and {"trekker", "bron", "bewijs", "voorwaarden"} <= set(table.columns)


def test_parse_condition():
    assert parse_condition("pct_sociale_huur<30", "x") == Voorwaarde("pct_sociale_huur", "<", 30.0)
    assert parse_condition("draagkracht >= -0,5", "x") == Voorwaarde("draagkracht", ">=", -0.5)
    assert Voorwaarde("pct_sociale_huur", "<", 25.0).label == "Sociale huurwoningen < 25 %"
    assert Voorwaarde("draagkracht", "<", 0.0).label == "score draagkracht en weerbaarheid onder het midden (< 0)"
    assert Voorwaarde("sub_draaglast", ">=", 0.5).label.endswith("≥ +0,5")
    assert str(Voorwaarde("pct_sociale_huur", "<", 25.0)) == "pct_sociale_huur < 25"


def _item(**changes):
    base = {"id": "test_item", "titel": "T", "categorie": "huurbeleid", "trekker": ["corporatie"],
            "kwadranten": ["hoog_hoog"], "voorwaarden": ["pct_sociale_huur < 30"], "contra": [],
            "waarom": "W.", "bron": "Eigen werkdocument, §1", "bewijs": "B."}
    return base | changes


@pytest.mark.parametrize("changes, expected", [
    ({"voorwaarden": ["pct_onbekend < 3"]}, r"'test_item'.*voorwaarden.*onbekende indicator 'pct_onbekend'"),
    ({"contra": ["draagkracht < laag"]}, r"'test_item'.*contra.*drempel 'laag'.*geen getal"),
    ({"voorwaarden": ["pct_sociale_huur ~ 3"]}, r"'test_item'.*onleesbaar"),
    ({"voorwaarden": ["pct_sociale_huur < nan"]}, r"'test_item'.*geen getal"),
    ({"categorie": "wonen"}, r"'test_item'.*categorie 'wonen' is onbekend"),
    ({"trekker": ["rijk"]}, r"'test_item'.*trekker.*'rijk' is onbekend"),
    ({"trekker": []}, r"'test_item'.*trekker"),
    ({"kwadranten": ["onvoldoende_data"]}, r"'test_item'.*kwadranten"),
    ({"waarom": " "}, r"'test_item'.*'waarom' ontbreekt"),
    ({"voorwaarden": "draagkracht < 0"}, r"'test_item'.*'voorwaarden' moet een lijst"),
    ({"gewicht": 3}, r"'test_item'.*onbekende sleutel.*gewicht"),
    ({"id": "Met Spatie"}, r"nr\. 1.*geen geldig 'id'"),
])
def test_bad_items_fail_with_dutch_message_naming_file_item_and_key(changes, expected):
    with pytest.raises(ConfigError, match=expected) as exc:
        menukaart_from_dict({"interventie": [_item(**changes)]}, bron="mijn.toml")
    assert "mijn.toml" in str(exc.value)


def test_duplicate_ids_and_empty_catalogue():
    with pytest.raises(ConfigError, match="'test_item' komt twee keer voor"):
        menukaart_from_dict({"interventie": [_item(), _item()]})
    with pytest.raises(ConfigError, match="geen \\[\\[interventie\\]\\]"):
        menukaart_from_dict({})


def test_load_errors_name_the_file(tmp_path):
    with pytest.raises(ConfigError, match="bestaat niet"):
        load_menukaart(tmp_path / "nee.toml")
    bad = tmp_path / "kapot.toml"
    bad.write_text("[[interventie]\nid=", encoding="utf-8")
    with pytest.raises(ConfigError, match="kapot.toml is geen geldige TOML"):
        load_menukaart(bad)
    wrong = tmp_path / "fout.toml"
    wrong.write_text('[[interventie]]\nid = "x"\ncategorie = "huurbeleid"\ntrekker = ["corporatie"]\n'
                     'kwadranten = ["hoog_hoog"]\nvoorwaarden = ["pct_foo > 1"]\ntitel = "t"\nwaarom = "w"\n'
                     'bron = "b"\nbewijs = "e"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"fout\.toml, interventie 'x'.*pct_foo"):
        load_menukaart(wrong)


def with_catalogue(config_text: str, pad: str) -> str:
    """The config text with ``[menukaart] pad`` set."""
    new, n = re.subn(r'(\[menukaart\]\n(?:#.*\n)*)pad = ""', lambda m: f'{m.group(1)}pad = "{pad}"', config_text)
    assert n == 1
    return new


def test_user_catalogue_from_config_path(tmp_path):
    own = tmp_path / "eigen.toml"
    own.write_text('[[interventie]]\nid = "eigen"\ncategorie = "participatie"\ntrekker = ["huurders"]\n'
                   'kwadranten = ["laag_laag"]\ntitel = "Eigen"\nwaarom = "w"\nbron = "b"\nbewijs = "e"\n', encoding="utf-8")
    cfg_file = tmp_path / "config.toml"
    base = TEST_CONFIG.read_text(encoding="utf-8")
    cfg_file.write_text(with_catalogue(base, "eigen.toml"), encoding="utf-8")
    cfg = load_config(cfg_file)
    assert catalogue_path(cfg) == own
    assert list(load_menukaart(catalogue_path(cfg))) == ["eigen"]
    assert catalogue_path(load_config(TEST_CONFIG)).name == "menukaart.toml"
    raw = dict(load_config(TEST_CONFIG).raw) | {"menukaart": {"pad": 3}}
    with pytest.raises(ConfigError, match="menukaart.pad moet tekst zijn"):
        catalogue_path(config_from_dict(raw))


# --- engine ----------------------------------------------------------------------------

# Six buurten in one gemeente: 0 = buurt X (high draagkracht, much room), 1 = buurt Y (low
# draagkracht, much room), the rest in between: the worked example of the 's-Hertogenbosch
# prestatieafspraken (docs/bronnen.md).
VALUES = {
    "gem_inkomen_per_inwoner": [45.0, 18.0, 30.0, 32.0, 28.0, 31.0],
    "pct_laag_inkomen": [3.0, 16.0, 8.0, 7.0, 9.0, 8.0],
    "plancap_hard_pct": [12.0, 14.0, 1.0, 0.0, 2.0, 1.0],
    "bevolkingsdichtheid": [3000.0, 4000.0, 9000.0, 8000.0, 7000.0, 8500.0],
    "pct_sociale_huur": [8.0, 65.0, 30.0, 25.0, 35.0, 28.0],
    "pct_corporatiebezit": [10.0, 70.0, 35.0, 30.0, 40.0, 30.0],
}
X, Y = "BU00010000", "BU00010101"


@pytest.fixture(scope="module")
def scored():
    ds = grid_dataset(VALUES)
    recipe = simple_recipe(
        [("gem_inkomen_per_inwoner", 1, 1.0), ("pct_laag_inkomen", -1, 1.0)],
        [("plancap_hard_pct", 1, 1.0), ("bevolkingsdichtheid", -1, 0.5)],
    )
    frame = ds.frame()
    return frame, score(frame, recipe)


def _ids(suggesties):
    return [s.interventie.id for s in suggesties]


def test_fixture_places_x_and_y_as_in_the_worked_example(scored):
    _, result = scored
    assert result.scores.at[X, "kwadrant"] == "hoog_hoog"
    assert result.scores.at[Y, "kwadrant"] == "laag_hoog"


def test_buurt_x_gets_social_rent_among_top(scored, mk):
    frame, result = scored
    top = _ids(suggest(frame, result, X, mk, top=5))
    assert "sociale_huur_toevoegen" in top


def test_buurt_y_gets_integral_approach_and_variation_not_social_rent(scored, mk):
    frame, result = scored
    all_y = suggest(frame, result, Y, mk)
    top = _ids(all_y[:5])
    assert "integrale_sociale_aanpak" in top
    assert "middeldure_dure_woningen_toevoegen" in top
    assert "sociale_huur_toevoegen" not in _ids(all_y)


def test_suggestions_are_ranked_and_explained(scored, mk, config):
    frame, result = scored
    out = suggest(frame, result, X, mk, kwadrant_namen=config.kwadrant_namen)
    assert out and all(isinstance(s, Suggestie) and not s.te_controleren for s in out)
    assert [s.score for s in out] == sorted((s.score for s in out), reverse=True)
    best = next(s for s in out if s.interventie.id == "sociale_huur_toevoegen")
    # The name from the configuration, not the code, and the sub-scores that carry each axis.
    assert best.redenen[0] == ("past bij kwadrant Kansen benutten (draagkracht hoog door draagkracht (+1,62); "
                               "fysieke_kansen hoog door ruimte (+1,34))")
    assert "Sociale huurwoningen < 30 % (hier 8,00 %)" in best.redenen
    assert "deelscore ruimte boven het midden (≥ 0) (hier +1,34)" in best.redenen
    assert suggest(frame, result, X, mk, top=2, kwadrant_namen=config.kwadrant_namen) == out[:2]
    assert suggest(frame, result, X, mk, top=1)[0].redenen[0].startswith("past bij kwadrant hoog_")  # no names: the code


def test_missing_value_makes_the_item_te_controleren_never_half_true(scored, mk):
    frame, result = scored
    frame = frame.copy()
    frame.loc[frame["buurtcode"] == X, "pct_sociale_huur"] = float("nan")
    advies = advise(frame, result, X, mk)
    assert "sociale_huur_toevoegen" not in _ids(advies.suggesties)
    item = next(s for s in advies.te_controleren if s.interventie.id == "sociale_huur_toevoegen")
    check = next(c for c in item.controles if c.kolom == "pct_sociale_huur")
    assert (check.wat, check.beslist) == ("Sociale huurwoningen ontbreekt", "past alleen bij < 30 %")
    assert check.toelichting == "bron: Lokale gegevens (corporatie)"
    assert not any("Sociale huur" in r for r in item.redenen)
    # Points only for what is known: the quadrant (4) and deelscore ruimte (1), nothing for the gap.
    assert item.score == 5.0
    assert item.onbekend[0].startswith("Sociale huurwoningen ontbreekt: past alleen bij < 30 %")


def _mini(**changes):
    return menukaart_from_dict({"interventie": [_item(**changes)]})


def test_contra_that_holds_excludes_and_unknown_contra_is_te_controleren():
    values = {"kwadrant": "hoog_hoog", "pct_sociale_huur": 10.0, "draagkracht": -1.0, "pct_label_efg": math.nan}
    item = _mini(contra=["draagkracht < 0"])["test_item"]
    assert evaluate(item, values) is None
    item = _mini(contra=["pct_label_efg >= 40"])["test_item"]
    s = evaluate(item, values)
    assert s is not None and s.te_controleren
    assert [(c.kolom, c.beslist) for c in s.controles] == [("pct_label_efg", "valt af bij ≥ 40 %")]


def test_failing_condition_or_other_quadrant_excludes_unknown_quadrant_is_te_controleren():
    item = _mini()["test_item"]
    assert evaluate(item, {"kwadrant": "hoog_hoog", "pct_sociale_huur": 50.0}) is None
    assert evaluate(item, {"kwadrant": "laag_laag", "pct_sociale_huur": 10.0}) is None
    s = evaluate(item, {"kwadrant": "onvoldoende_data", "pct_sociale_huur": 10.0}, {"hoog_hoog": "Kansen benutten"})
    assert s is not None and s.te_controleren
    assert s.onbekend == ("kwadrant onbekend (onvoldoende_data): past alleen in Kansen benutten",)
    # An item for every quadrant does not depend on the quadrant.
    everywhere = _mini(kwadranten=list(ITEM_QUADRANTS))["test_item"]
    s = evaluate(everywhere, {"kwadrant": "onvoldoende_data", "pct_sociale_huur": 10.0})
    assert s is not None and not s.te_controleren and s.redenen[0] == "past bij elk kwadrant"


def test_unknown_buurt_is_a_dutch_data_error(scored, mk):
    frame, result = scored
    with pytest.raises(DataError, match="Buurtcode 'BU12345678' staat niet in de data"):
        suggest(frame, result, "BU12345678", mk)


@settings(deadline=None, max_examples=60)
@given(value=st.one_of(st.floats(-1e6, 1e6), st.just(math.nan)), drempel=st.floats(-1e6, 1e6),
       op=st.sampled_from(["<", "<=", ">", ">="]))
def test_condition_is_true_false_or_unknown_never_zero(value, drempel, op):
    item = _mini(voorwaarden=[f"pct_sociale_huur {op} {drempel!r}"])["test_item"]
    s = evaluate(item, {"kwadrant": "hoog_hoog", "pct_sociale_huur": value})
    if math.isnan(value):
        assert s is not None and s.te_controleren and len(s.controles) == 1 and s.score == 4.0
    elif Voorwaarde("pct_sociale_huur", op, drempel).holds(value):
        assert s is not None and s.score == 5.0 and not s.te_controleren
    else:
        assert s is None


def test_engine_invariants_on_the_example_gemeente(voorbeeld, config, mk):
    """For every buurt: an item is suggested exactly when its quadrant fits, no contra-indication
    holds and every condition holds; te controleren exactly when no known value excludes it but a
    deciding value is missing; reasons and checks add up."""
    from wijkprofielen.menukaart import buurt_values

    frame = voorbeeld.frame()
    result = score(frame, config.recipe)
    for code in frame["buurtcode"]:
        values = buurt_values(frame, result, code)
        advies = advise(frame, result, code, mk)
        firm = {s.interventie.id: s for s in advies.suggesties}
        open_ = {s.interventie.id: s for s in advies.te_controleren}
        for item in mk.values():
            contra = [c.holds(values[c.kolom]) for c in item.contra]
            conds = [c.holds(values[c.kolom]) for c in item.voorwaarden]
            known_q = values["kwadrant"] in ITEM_QUADRANTS
            fits = values["kwadrant"] in item.kwadranten or not known_q
            possible = fits and True not in contra and False not in conds
            q_open = not known_q and not set(ITEM_QUADRANTS) <= set(item.kwadranten)
            unknown = conds.count(None) + contra.count(None) + q_open
            assert (item.id in firm) == (possible and unknown == 0), (code, item.id)
            assert (item.id in open_) == (possible and unknown > 0), (code, item.id)
            if item.id in firm or item.id in open_:
                s = firm.get(item.id) or open_[item.id]
                assert len([r for r in s.redenen if not r.startswith("past bij")]) == conds.count(True)
                assert len(s.controles) == unknown


# --- contradictions --------------------------------------------------------------------


def test_contradictions_are_derived_from_the_conditions(mk):
    pairs = {(frozenset((t.a, t.b)), t.kolom) for t in contradictions(mk.interventies)}
    assert (frozenset(("sociale_huur_toevoegen", "verkoop_eenzijdig_corporatiebezit")), "pct_sociale_huur") in pairs
    assert (frozenset(("optoppen", "woningsplitsen")), "pct_meergezinswoning") in pairs
    assert (frozenset(("woningcontingent_met_veto_gebiedsteam", "wijk_ggz")), "sub_draaglast") in pairs
    # Overlapping ranges are no contradiction: ≥ 20 and ≥ 25 can both hold.
    assert not {p for p, _ in pairs if p == {"seniorenmakelaar", "geclusterd_wonen_ouderen"}}
    assert mk.tegenstrijdig["optoppen"]["woningsplitsen"] == ("pct_meergezinswoning",)


@pytest.mark.parametrize("a, b, expected", [
    (["x < 30"], ["x >= 30"], True),
    (["x < 30"], ["x <= 30"], False),          # 29 satisfies both
    (["x <= 30"], ["x >= 30"], False),         # exactly 30
    (["x < 30"], ["x < 40"], False),
    ([], ["x >= 30"], False),                  # only one item reads x
])
def test_contradict_on_conditions(a, b, expected):
    items = menukaart_from_dict({"interventie": [
        _item(id="a", voorwaarden=[c.replace("x", "pct_sociale_huur") for c in a] or ["draagkracht < 0"]),
        _item(id="b", voorwaarden=[c.replace("x", "pct_sociale_huur") for c in b])]})
    assert contradict_on(items["a"], items["b"], "pct_sociale_huur") is expected


def test_contra_against_condition_is_a_contradiction():
    items = menukaart_from_dict({"interventie": [
        _item(id="a", voorwaarden=["pct_sociale_huur < 30"]),
        _item(id="b", voorwaarden=["pct_corporatiebezit >= 50"], contra=["pct_sociale_huur < 40"]),
        _item(id="c", voorwaarden=["pct_corporatiebezit >= 50"], contra=["pct_sociale_huur < 20"])]})
    assert contradict_on(items["a"], items["b"], "pct_sociale_huur")        # below 30 is always below 40
    assert not contradict_on(items["a"], items["c"], "pct_sociale_huur")    # 25: a fits, c is not excluded


def test_contradicting_items_go_together_to_te_controleren_and_name_each_other(scored, mk):
    frame, result = scored
    frame = frame.copy()
    frame.loc[frame["buurtcode"] == X, ["pct_sociale_huur", "pct_corporatiebezit"]] = [float("nan"), 60.0]
    advies = advise(frame, result, X, mk)
    assert {"sociale_huur_toevoegen", "verkoop_eenzijdig_corporatiebezit"} <= set(_ids(advies.te_controleren))
    assert not {"sociale_huur_toevoegen", "verkoop_eenzijdig_corporatiebezit"} & set(_ids(advies.suggesties))
    verkoop = next(s for s in advies.te_controleren if s.interventie.id == "verkoop_eenzijdig_corporatiebezit")
    check = next(c for c in verkoop.controles if c.kolom == "pct_sociale_huur")
    assert check.tegenstrijdig == ("Sociale huurwoningen toevoegen",
                                   "Grondprijs voor sociale huur op de lange exploitatie baseren")
    assert "(tegenstrijdig)" in check.tekst
    # With the value known, exactly one of the two remains.
    frame.loc[frame["buurtcode"] == X, "pct_sociale_huur"] = 20.0
    ids = set(_ids(advise(frame, result, X, mk).alle))
    assert "sociale_huur_toevoegen" in ids and "verkoop_eenzijdig_corporatiebezit" not in ids


# --- room and need ---------------------------------------------------------------------


ROOM_ITEMS = ("sociale_huur_toevoegen", "middeldure_dure_woningen_toevoegen", "levensloopbestendig_bouwen",
              "kleinschalig_verdichten", "middenhuur_toevoegen")


def test_no_condition_reads_the_physical_axis_room_items_read_sub_ruimte(mk):
    """The axis fysieke kansen is high through ruimte, opgave or both: a condition names which."""
    for i in mk.values():
        assert "fysieke_kansen" not in {c.kolom for c in (*i.voorwaarden, *i.contra)}, i.id
    for ident in ROOM_ITEMS:
        assert Voorwaarde("sub_ruimte", ">=", 0.0) in mk[ident].voorwaarden, ident


def test_high_axis_through_opgave_alone_suggests_no_room_item(mk):
    """Boschveld's profile: fysieke kansen above the boundary, carried by opgave, ruimte low."""
    values = {"kwadrant": "laag_hoog", "draagkracht": -1.0, "sub_draagkracht": -1.0, "sub_draaglast": 1.0,
              "fysieke_kansen": 0.17, "sub_ruimte": -0.88, "sub_opgave": 1.22, "pct_sociale_huur": 50.0,
              "pct_65plus": 25.0, "bevolkingsdichtheid": 5000.0}
    for ident in ROOM_ITEMS:
        assert evaluate(mk[ident], values) is None, ident
    assert evaluate(mk["integrale_sociale_aanpak"], values) is not None
