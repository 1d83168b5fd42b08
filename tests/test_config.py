import pytest

from wijkprofielen.config import config_from_dict, load_config, recipe_from_dict
from wijkprofielen.errors import ConfigError


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
    changed = r.with_weights({("draagkracht", "lbm_afw"): 0.0})
    assert changed.weights()[("draagkracht", "lbm_afw")] == 0.0
    assert r.weights()[("draagkracht", "lbm_afw")] == 2.0  # original untouched
    with pytest.raises(ConfigError):
        r.with_weights({("draagkracht", "lbm_afw"): -0.5})
