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
    CATEGORIEEN, ITEM_QUADRANTS, TREKKERS, Interventie, Menukaart, Suggestie, Voorwaarde, catalogue_path, evaluate,
    load_menukaart, menukaart_from_dict, parse_condition, suggest,
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
    assert out and all(isinstance(s, Suggestie) for s in out)
    assert [s.score for s in out] == sorted((s.score for s in out), reverse=True)
    best = next(s for s in out if s.interventie.id == "sociale_huur_toevoegen")
    assert best.redenen[0] == "past bij kwadrant Kansen benutten"  # the name from config.toml, not the code
    assert "Sociale huurwoningen < 30 %" in best.redenen
    assert suggest(frame, result, X, mk, top=2, kwadrant_namen=config.kwadrant_namen) == out[:2]
    assert suggest(frame, result, X, mk, top=1)[0].redenen[0].startswith("past bij kwadrant hoog_")  # no names: the code


def test_missing_value_goes_to_onbekend_never_counts_as_false(scored, mk):
    frame, result = scored
    frame = frame.copy()
    frame.loc[frame["buurtcode"] == X, "pct_sociale_huur"] = float("nan")
    item = next(s for s in suggest(frame, result, X, mk) if s.interventie.id == "sociale_huur_toevoegen")
    assert "voorwaarde niet te controleren: Sociale huurwoningen < 30 %" in item.onbekend
    assert not any("Sociale huur" in r for r in item.redenen)


def _mini(**changes):
    return menukaart_from_dict({"interventie": [_item(**changes)]})


def test_contra_that_holds_excludes_and_unknown_contra_is_reported():
    values = {"kwadrant": "hoog_hoog", "pct_sociale_huur": 10.0, "draagkracht": -1.0, "pct_label_efg": math.nan}
    item = _mini(contra=["draagkracht < 0"])["test_item"]
    assert evaluate(item, values) is None
    item = _mini(contra=["pct_label_efg >= 40"])["test_item"]
    s = evaluate(item, values)
    assert s is not None and any("contra-indicatie niet te controleren" in u for u in s.onbekend)


def test_failing_condition_or_other_quadrant_excludes():
    item = _mini()["test_item"]
    assert evaluate(item, {"kwadrant": "hoog_hoog", "pct_sociale_huur": 50.0}) is None
    assert evaluate(item, {"kwadrant": "laag_laag", "pct_sociale_huur": 10.0}) is None
    s = evaluate(item, {"kwadrant": "onvoldoende_data", "pct_sociale_huur": 10.0})
    assert s is not None and any("kwadrant onbekend" in u for u in s.onbekend)


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
        assert s is not None and len(s.onbekend) == 1 and s.score == 4.0 + 0.5
    elif Voorwaarde("pct_sociale_huur", op, drempel).holds(value):
        assert s is not None and s.score == 5.0 and not s.onbekend
    else:
        assert s is None


def test_engine_invariants_on_the_example_gemeente(voorbeeld, config, mk):
    """For every buurt: an item is suggested exactly when its quadrant fits (or is unknown),
    no contra-indication holds and no condition fails; reasons and unknowns add up."""
    from wijkprofielen.menukaart import buurt_values

    frame = voorbeeld.frame()
    result = score(frame, config.recipe)
    for code in frame["buurtcode"]:
        values = buurt_values(frame, result, code)
        got = {s.interventie.id: s for s in suggest(frame, result, code, mk)}
        for item in mk.values():
            contra = [c.holds(values[c.kolom]) for c in item.contra]
            conds = [c.holds(values[c.kolom]) for c in item.voorwaarden]
            fits = values["kwadrant"] in item.kwadranten or values["kwadrant"] not in ITEM_QUADRANTS  # no quadrant
            expected = fits and True not in contra and False not in conds
            assert (item.id in got) == expected, (code, item.id)
            if expected:
                s = got[item.id]
                held = sum(1 for c in conds if c)
                unknown = sum(1 for c in conds if c is None) + sum(1 for c in contra if c is None)
                assert len([r for r in s.redenen if not r.startswith("past bij kwadrant")]) == held
                assert len([u for u in s.onbekend if not u.startswith("kwadrant onbekend")]) == unknown
