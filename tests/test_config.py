"""The configuration: typed sections, validators, unknown keys, packaged defaults and the merge rule."""

from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from wijkprofielen.config import DEFAULTS_PATH as DEFAULTS
from wijkprofielen.config import config_from_dict, load_config, recipe_from_dict
from wijkprofielen.domain import COMPOSITES
from wijkprofielen.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_repository_config_is_valid(config):
    r = config.recipe
    assert r.normalisatie == "zscore" and r.min_dekking == 0.6
    assert {a.naam for a in r.assen} == {"draagkracht", "fysieke_kansen"}
    assert config.kwadrant_namen["laag_laag"] == "Versterken en beheren"
    # Non-stigmatising names: none of the words the field warns against.
    for naam in config.kwadrant_namen.values():
        assert not any(w in naam.lower() for w in ("probleem", "achterstand", "kwetsbaar", "slecht"))


def test_recipe_round_trips_through_dict(config):
    r = config.recipe
    assert recipe_from_dict(r.to_dict()) == r
    assert r.fingerprint() == recipe_from_dict(r.to_dict()).fingerprint()


def _raw(**over):
    raw = {"assen": {
        "draagkracht": {"indicatoren": [{"kolom": "a", "richting": 1, "gewicht": 1}]},
        "fysieke_kansen": {"indicatoren": [{"kolom": "b", "richting": -1, "gewicht": 2, "subas": "opgave"}]},
    }}
    raw.update(over)
    return raw


@pytest.mark.parametrize(
    "mutate, fragment",
    [
        (lambda r: r["assen"]["draagkracht"]["indicatoren"][0].update(gewicht=-1), "negatief"),
        (lambda r: r["assen"]["draagkracht"]["indicatoren"][0].update(gewicht=0), "alle gewichten"),
        (lambda r: r["assen"]["draagkracht"]["indicatoren"][0].update(gewicht="veel"), "geen getal"),
        (lambda r: r["assen"]["draagkracht"]["indicatoren"][0].update(richting=2), "richting moet 1 of -1"),
        (lambda r: r["assen"]["draagkracht"]["indicatoren"][0].update(subas="ruimte"), "subas"),
        (lambda r: r["assen"].pop("fysieke_kansen"), "[assen.fysieke_kansen] ontbreekt"),
        (lambda r: r.update(scoring={"normalisatie": "minmax"}), "Kies uit: zscore, percentiel"),
        (lambda r: r.update(scoring={"min_dekking": 1.5}), "buiten het bereik"),
        (lambda r: r["assen"]["draagkracht"]["indicatoren"].append({"kolom": "a"}), "twee keer"),
    ],
)
def test_invalid_config_values_get_dutch_messages(mutate, fragment):
    raw = _raw()
    mutate(raw)
    with pytest.raises(ConfigError, match=fragment.replace("[", r"\[").replace(".", r"\.")):
        config_from_dict(raw)


def test_malformed_toml_names_the_file(tmp_path):
    p = tmp_path / "kapot.toml"
    p.write_text("[scoring\nnormalisatie = ", encoding="utf-8")
    with pytest.raises(ConfigError, match="kapot.toml is geen geldige TOML"):
        load_config(p)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="bestaat niet"):
        load_config(tmp_path / "nergens.toml")


def test_with_weights_validates(config):
    r = config.recipe
    changed = r.with_weights({("draagkracht", "lbm_soc"): 0.0})
    assert changed.weights()[("draagkracht", "lbm_soc")] == 0.0
    assert r.weights()[("draagkracht", "lbm_soc")] == 1.0  # original untouched
    with pytest.raises(ConfigError):
        r.with_weights({("draagkracht", "lbm_soc"): -0.5})


# -- option validators, unknown keys and tables --------------------------------------------------
BASE = {"assen": _raw()["assen"]}


@pytest.mark.parametrize(("section", "fragment"), [
    ({"scoring": {"clip": "veel"}}, "scoring.clip moet een getal zijn"),
    ({"scoring": {"clip": 0.1}}, r"scoring.clip = 0.1 ligt buiten het bereik 0.5 – 100"),
    ({"scoring": {"clip": float("inf")}}, "scoring.clip moet een getal zijn"),
    ({"scoring": {"referentie": "wereld"}}, "Kies uit: gemeente, dataset, nederland, stedelijkheid"),
    ({"stabiliteit": {"trekkingen": 10.5}}, "stabiliteit.trekkingen moet een geheel getal zijn"),
    ({"stabiliteit": {"seed": -1}}, "stabiliteit.seed = -1 ligt buiten het bereik"),
    ({"stabiliteit": {"weglaten": 1}}, "stabiliteit.weglaten moet true of false zijn"),
    ({"workshop": {"verversen_s": True}}, "workshop.verversen_s moet een getal zijn"),
    ({"opslag": {"database": ""}}, "opslag.database moet niet-lege tekst zijn"),
    ({"data": {"pad": 3}}, "data.pad moet tekst zijn"),
    ({"uitzoomen": {"plancapaciteit": []}}, "uitzoomen.plancapaciteit moet een lijst van teksten zijn"),
    ({"uitzoomen": {"plancapaciteit": ["a", 2]}}, "uitzoomen.plancapaciteit moet een lijst van teksten zijn"),
    ({"download": {"cbs_odata": "ftp://x"}}, "download.cbs_odata = 'ftp://x' is geen http"),
    ({"kwadrant": {"namen": {"hoog_hoog": 3}}}, "kwadrant.namen.hoog_hoog moet niet-lege tekst zijn"),
    ({"kwadrant": {"namen": {"hoog_hoog": " "}}}, "kwadrant.namen.hoog_hoog moet niet-lege tekst zijn"),
    ({"stabiliteit": "veel"}, r"\[stabiliteit\] moet een tabel zijn"),
])
def test_every_validator_refuses_wrong_values_in_dutch(section, fragment):
    with pytest.raises(ConfigError, match=fragment):
        config_from_dict(BASE | section)


@pytest.mark.parametrize(("mutate", "fragment"), [
    (lambda r: r["assen"]["draagkracht"]["indicatoren"][0].update(gewigt=3), "gewigt is onbekend. Bedoelde u 'gewicht'?"),
    (lambda r: r.update(scoring={"klip": 4}), "scoring.klip is onbekend. Bedoelde u 'clip'?"),
    (lambda r: r.update(scorring={"clip": 4}), r"tabel \[scorring\] is onbekend. Bedoelde u 'scoring'?"),
    (lambda r: r["assen"]["draagkracht"].update(indicator=r["assen"]["draagkracht"].pop("indicatoren")),
     "assen.draagkracht.indicator is onbekend. Bedoelde u 'indicatoren'?"),
    (lambda r: r["assen"].update(fysiek={}), "assen.fysiek is onbekend. Bedoelde u 'fysieke_kansen'?"),
    (lambda r: r.update(kwadrant={"namen": {"hoog_hog": "x"}}), "kwadrant.namen.hoog_hog is onbekend. Bedoelde u 'hoog_hoog'?"),
    (lambda r: r.update(stabiliteit={"trekingen": 10}), "Bedoelde u 'trekkingen'?"),
    (lambda r: r.update(workshop={"max_afwijkng": 1}), "Bedoelde u 'max_afwijking'?"),
    (lambda r: r.update(referentie={"pad": "x"}), r"referentie.pad is onbekend.*\[referentie\]: map"),
    (lambda r: r.update(lokaal={"kolommen": {}, "kolom": {}}), "lokaal.kolom is onbekend. Bedoelde u 'kolommen'?"),
])
def test_unknown_keys_and_tables_name_the_closest_valid_name(mutate, fragment):
    import copy

    raw = copy.deepcopy(BASE)
    mutate(raw)
    with pytest.raises(ConfigError, match=fragment):
        config_from_dict(raw)


def test_unknown_key_message_names_the_file(tmp_path):
    p = tmp_path / "mijn.toml"
    p.write_text("[scoring]\nklip = 4\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mijn\.toml.*scoring\.klip is onbekend\. Bedoelde u 'clip'\?"):
        load_config(p)


def test_subassen_are_read_and_checked_against_the_indicators():
    raw = _raw()
    raw["assen"]["fysieke_kansen"]["subassen"] = ["opgave", "ruimte"]
    assert config_from_dict(raw).recipe.axis("fysieke_kansen").subassen == ("opgave", "ruimte")
    # Without an explicit subas an indicator belongs to the first sub-axis listed.
    raw["assen"]["fysieke_kansen"]["indicatoren"][0].pop("subas")
    assert config_from_dict(raw).recipe.axis("fysieke_kansen").indicatoren[0].subas == "opgave"
    raw["assen"]["fysieke_kansen"]["subassen"] = ["ruimte"]
    raw["assen"]["fysieke_kansen"]["indicatoren"][0]["subas"] = "opgave"
    with pytest.raises(ConfigError, match=r"subas 'opgave' is onbekend\. Kies uit assen\.fysieke_kansen\.subassen: ruimte"):
        config_from_dict(raw)
    raw["assen"]["fysieke_kansen"]["subassen"] = ["ruimte", "draaglast"]
    with pytest.raises(ConfigError, match="kent alleen de subassen ruimte, opgave"):
        config_from_dict(raw)
    raw["assen"]["fysieke_kansen"]["subassen"] = "ruimte"
    with pytest.raises(ConfigError, match="assen.fysieke_kansen.subassen moet een lijst"):
        config_from_dict(raw)


def test_repository_subassen_match_its_indicators(config):
    for axis in config.recipe.assen:
        assert {i.subas for i in axis.indicatoren} == set(axis.subassen)


# -- packaged defaults, override merge, paths ----------------------------------------------------
def test_packaged_defaults_alone(tmp_path, monkeypatch):
    from wijkprofielen import config as config_mod

    monkeypatch.delenv("WIJKPROFIELEN_CONFIG")
    monkeypatch.setattr(config_mod, "SOURCE_ROOT", None)
    monkeypatch.chdir(tmp_path)
    assert config_mod.find_config() is None
    cfg = load_config()
    assert cfg.bron == "standaardinstellingen van het pakket"
    assert cfg.recept == "landelijk" and set(cfg.recepten) == {"landelijk", "volledig"}
    assert cfg.recipe.axis("draagkracht").kolommen[0] == "lbm_soc"
    assert cfg.recipe.axis("fysieke_kansen").label == "Fysieke opgave (landelijke open data)"
    assert cfg.kwadrant_namen["laag_laag"] == "Versterken en beheren"
    assert set(cfg.doelen) == {"GM9999"} and cfg.referentie.map is None and cfg.menukaart_pad is None
    assert cfg.opslag.database == f"sqlite:///{tmp_path / 'werkmap' / 'wijkprofielen.db'}"  # against the working dir


def test_a_file_overrides_the_defaults_key_by_key_and_lists_whole(tmp_path):
    p = tmp_path / "config.toml"
    p.write_text('[scoring]\nclip = 2.5\n\n[[recepten.landelijk.assen.draagkracht.indicatoren]]\nkolom = "pct_laag_inkomen"\nrichting = -1\n\n'
                 '[doelen.GM0001]\nnaam = "Eigen doelen"\nperiode = [2025, 2030]\n\n[menukaart]\npad = "eigen/mk.toml"\n',
                 encoding="utf-8")
    cfg = load_config(p)
    default = load_config(DEFAULTS)
    assert cfg.recipe.clip == 2.5 and cfg.recipe.normalisatie == default.recipe.normalisatie
    assert cfg.recipe.axis("draagkracht").kolommen == ["pct_laag_inkomen"]  # the list replaces the default list
    assert cfg.recipe.axis("fysieke_kansen") == default.recipe.axis("fysieke_kansen")  # the other axis stays
    assert set(cfg.doelen) == {"GM0001", "GM9999"} and cfg.stabiliteit == default.stabiliteit
    assert cfg.menukaart_pad == tmp_path / "eigen" / "mk.toml"  # relative to the file's folder


def test_merge_rule():
    from wijkprofielen.config import merge

    base = {"a": {"x": 1, "l": [1, 2], "t": {"p": 1}}, "b": 2}
    assert merge(base, {"a": {"l": [3], "t": {"q": 2}}, "c": 3}) == {"a": {"x": 1, "l": [3], "t": {"p": 1, "q": 2}}, "b": 2, "c": 3}
    assert base["a"]["t"] == {"p": 1}  # the base is not changed


def test_option_defaults_agree_with_the_packaged_defaults():
    import tomllib

    from wijkprofielen.config import OPTION_SECTIONS, options_table

    raw = tomllib.loads(DEFAULTS.read_text(encoding="utf-8"))
    for section, options in OPTION_SECTIONS.items():
        for o in options:
            if o.key in raw.get(section, {}):
                assert o.validate(raw[section][o.key], section) == o.default, f"{section}.{o.key}"
    rows = options_table()
    assert all(r["betekenis"] and r["waarden"] for r in rows)
    assert {"scoring.referentie", "stabiliteit.trekkingen", "menukaart.pad", "referentie.map"} <= {r["optie"] for r in rows}


# -- the test configuration is independent of the repository's config.toml ---------------------
def test_unit_tests_do_not_read_the_repository_config(tmp_path, monkeypatch, config):
    from conftest import TEST_CONFIG

    from wijkprofielen import config as config_mod

    assert config.bron == str(TEST_CONFIG)
    # A tuned repository config (in the working directory and as the source checkout's file) changes nothing.
    tuned = (ROOT / "config.toml").read_text(encoding="utf-8").replace("clip = 3.0", "clip = 9.0")
    (tmp_path / "config.toml").write_text(tuned, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(config_mod, "SOURCE_ROOT", tmp_path)
    assert load_config(tmp_path / "config.toml").recipe.clip == 9.0
    assert load_config().recipe == config.recipe and load_config().recipe.clip == 3.0


def test_find_config_order(tmp_path, monkeypatch):
    from wijkprofielen import config as config_mod

    monkeypatch.delenv("WIJKPROFIELEN_CONFIG")
    monkeypatch.chdir(tmp_path)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "config.toml").write_text("", encoding="utf-8")
    monkeypatch.setattr(config_mod, "SOURCE_ROOT", repo)
    assert config_mod.find_config() == repo / "config.toml"
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    assert config_mod.find_config() == tmp_path / "config.toml"
    monkeypatch.setenv("WIJKPROFIELEN_CONFIG", str(tmp_path / "ander.toml"))
    assert config_mod.find_config() == tmp_path / "ander.toml"


# -- named recipes and composite indicators ----------------------------------------------------
def test_shipped_recipes_choose_and_switch(config):
    from wijkprofielen.config import packaged_defaults

    default = config_from_dict(packaged_defaults())
    assert default.recept == "landelijk" and default.recept_standaard == "landelijk"
    assert default.recipe.axis("fysieke_kansen").label == "Fysieke opgave (landelijke open data)"
    assert "kansen" not in default.recipe.axis("fysieke_kansen").label.lower()
    volledig = default.with_recept("volledig")
    assert volledig.recipe.naam == "volledig" and volledig.recept_standaard == "landelijk"
    assert volledig.kwadrant_namen["hoog_hoog"] == "Kansen benutten"
    assert default.kwadrant_namen["hoog_hoog"] != volledig.kwadrant_namen["hoog_hoog"]
    assert config_from_dict(volledig.raw).recept == "volledig"  # the choice is recorded (manifest, reproduce)
    with pytest.raises(ConfigError, match="Bedoelde u 'volledig'"):
        default.with_recept("volledg")
    with pytest.raises(ConfigError, match="scoring.recept = 'x' is onbekend"):
        config_from_dict(packaged_defaults() | {"scoring": {"recept": "x"}})
    own = config_from_dict(packaged_defaults() | BASE)
    assert own.recept == "eigen" and set(own.recepten) == {"landelijk", "volledig", "eigen"}


def test_no_shipped_recipe_uses_a_composite_with_its_components(config):
    from wijkprofielen.config import composite_pairs, packaged_defaults

    for cfg in (config, load_config(ROOT / "config.toml"), config_from_dict(packaged_defaults())):
        for naam, choice in cfg.recepten.items():
            assert composite_pairs(choice.recipe) == [], (cfg.bron, naam)
            assert choice.waarschuwingen == ()


COMPOSITE_COLUMNS = sorted({k for c, parts in COMPOSITES.items() for k in (c, *parts)})


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(COMPOSITE_COLUMNS + ["a", "b"]), st.booleans(), st.sampled_from([0.0, 0.5, 2.0])),
                min_size=2, max_size=10, unique_by=lambda t: t[0]))
def test_the_validator_flags_every_composite_with_a_component(items):
    from wijkprofielen.config import composite_pairs, composite_warnings
    from wijkprofielen.testing import simple_recipe

    dk = [(k, 1, w) for k, on_dk, w in items if on_dk]
    fk = [(k, -1, w) for k, on_dk, w in items if not on_dk]
    assume(sum(w for *_, w in dk) > 0 and sum(w for *_, w in fk) > 0)
    recipe = simple_recipe(dk, fk)
    used = {k for k, _, w in items if w > 0}
    expected = {(c, p) for c, parts in COMPOSITES.items() for p in parts if c in used and p in used}
    assert set(composite_pairs(recipe)) == expected
    warnings = composite_warnings(recipe)
    assert len(warnings) == len({c for c, _ in expected})
    for c, p in expected:
        assert any(f"'{c}'" in w and f"'{p}'" in w for w in warnings)


def test_a_composite_recipe_is_warned_about_on_load(tmp_path):
    p = tmp_path / "config.toml"
    p.write_text('[[assen.draagkracht.indicatoren]]\nkolom = "lbm_afw"\ngewicht = 2\n[[assen.draagkracht.indicatoren]]\n'
                 'kolom = "lbm_soc"\n[[assen.fysieke_kansen.indicatoren]]\nkolom = "lbm_won"\nrichting = -1\n', encoding="utf-8")
    cfg = load_config(p)
    assert cfg.recept == "eigen" and len(cfg.waarschuwingen) == 1
    assert "'lbm_afw' samen met 'lbm_soc', 'lbm_won'" in cfg.waarschuwingen[0]
    assert cfg.with_recept("landelijk").waarschuwingen == ()


# -- [kaart]: the background map ---------------------------------------------------------------
def test_background_map_is_off_by_default(config):
    assert config.kaart.achtergrond == "geen" and config.kaart.tegels is None
    assert config_from_dict(_raw()).kaart.tegels is None


def test_background_map_choices():
    from wijkprofielen.config import PDOK_BRT_GRIJS

    pdok = config_from_dict(_raw(kaart={"achtergrond": "pdok-brt"})).kaart
    assert pdok.tegels == (PDOK_BRT_GRIJS, "Kadaster / PDOK") and "/grijs/EPSG:3857/{z}/{x}/{y}.png" in PDOK_BRT_GRIJS
    own = config_from_dict(_raw(kaart={"achtergrond": "eigen", "tegels_url": "https://t.example/{z}/{x}/{y}.png",
                                       "attributie": "Gemeente X"})).kaart
    assert own.tegels == ("https://t.example/{z}/{x}/{y}.png", "Gemeente X")


@pytest.mark.parametrize("kaart, fragment", [
    ({"achtergrond": "osm"}, "Kies uit: geen, pdok-brt, eigen"),
    ({"achtergrond": "eigen", "tegels_url": "https://t.example/tegel.png", "attributie": "X"}, "{z}, {x} en {y}"),
    ({"achtergrond": "eigen", "tegels_url": "ftp://t.example/{z}/{x}/{y}.png", "attributie": "X"}, "http(s)-adres"),
    ({"achtergrond": "eigen", "tegels_url": "https://t.example/{z}/{x}/{y}.png"}, "kaart.attributie ontbreekt"),
    ({"achtergrond": "geen", "tegel_url": ""}, "tegels_url"),
])
def test_background_map_errors_say_how_to_fix_them(kaart, fragment):
    with pytest.raises(ConfigError, match=None) as err:
        config_from_dict(_raw(kaart=kaart))
    assert fragment in str(err.value)
