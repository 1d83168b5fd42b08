"""Stability of placements: properties, hand-made cases, settings validation, colour helpers."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkprofielen.config import config_from_dict, load_config
from wijkprofielen.errors import ConfigError
from wijkprofielen.scoring import score
from wijkprofielen.stability import (
    StabilitySettings, badge, dirichlet_weights, stability, stability_opacity,
)
from wijkprofielen.testing import simple_recipe

from conftest import examples

RECIPE = simple_recipe([("a", 1, 2.0), ("b", -1, 1.0), ("e", 1, 0.5)], [("c", 1, 1.0), ("d", 1, 0.5)])
NONE = StabilitySettings(trekkingen=50, gewichten_varieren=False, andere_normalisatie=False, weglaten=False)


def frame_of(values: np.ndarray, gm: str = "GM0001") -> pd.DataFrame:
    n = len(values)
    f = pd.DataFrame(values, columns=["a", "b", "e", "c", "d"])
    f.insert(0, "buurtcode", [f"BU{gm[2:]}{i // 100:02d}{i % 100:02d}" for i in range(n)])
    f.insert(1, "gemeentecode", gm)
    return f


values_strategy = st.integers(4, 30).flatmap(
    lambda n: st.lists(st.lists(st.one_of(st.floats(-50, 50), st.just(float("nan"))), min_size=5, max_size=5),
                       min_size=n, max_size=n))


@settings(deadline=None, max_examples=examples(20))
@given(rows=values_strategy, normalisatie=st.sampled_from(["zscore", "percentiel"]))
def test_zero_perturbation_keeps_every_placed_buurt(rows, normalisatie):
    f = frame_of(np.array(rows, dtype=float))
    recipe = RECIPE.with_options(normalisatie=normalisatie)
    res = stability(f, recipe, NONE)
    placed = score(f, recipe).scores["kwadrant"] != "onvoldoende_data"
    assert (res.tabel.loc[placed, "stabiliteit"] == 1.0).all()
    assert res.tabel.loc[~placed, "stabiliteit"].isna().all()
    assert not res.tabel.loc[~placed, "grensgeval"].any()


@settings(deadline=None, max_examples=40)
@given(vals=st.lists(st.floats(-1e3, 1e3), min_size=3, max_size=3, unique=True), marge=st.floats(0, 1))
def test_buurt_exactly_on_a_line_is_a_grensgeval(vals, marge):
    # With percentiles the middle of three distinct values is exactly 0: on the line.
    a = np.array(sorted(vals))
    f = frame_of(np.column_stack([a, np.full(3, 1.0), np.full(3, 1.0), [0.0, 5.0, 9.0], [1.0, 1.0, 1.0]]))
    recipe = simple_recipe([("a", 1, 1.0)], [("c", 1, 1.0)], scoring={"normalisatie": "percentiel"})
    res = stability(f, recipe, StabilitySettings(trekkingen=20, grensgeval_marge=marge))
    assert res.tabel["afstand_tot_grens"].iloc[1] == 0.0
    assert bool(res.tabel["grensgeval"].iloc[1])


@settings(deadline=None, max_examples=15)
@given(seed=st.integers(0, 2**32 - 1))
def test_reproducible_for_a_fixed_seed(seed):
    f = frame_of(np.random.default_rng(3).normal(size=(40, 5)))
    opts = StabilitySettings(trekkingen=60, seed=seed)
    first, second = stability(f, RECIPE, opts), stability(f, RECIPE, opts)
    pd.testing.assert_frame_equal(first.tabel, second.tabel)


def test_seed_changes_the_draws():
    f = frame_of(np.random.default_rng(3).normal(size=(60, 5)))
    a = stability(f, RECIPE, StabilitySettings(trekkingen=80, seed=1)).tabel["stabiliteit"]
    b = stability(f, RECIPE, StabilitySettings(trekkingen=80, seed=2)).tabel["stabiliteit"]
    assert not a.equals(b)


# Buurt 0: a high, b and e low → placed high only because of a (weight 2 of 3.5).
HELD_UP = np.array([
    [3.0, 2.0, 0.0, 1.0, 1.0],
    [0.0, 0.0, 1.0, 2.0, 2.0],
    [1.0, 1.0, 1.0, 3.0, 3.0],
    [2.0, 1.0, 1.0, 4.0, 4.0],
])


def test_leaving_out_the_one_indicator_that_holds_a_buurt_up():
    f = frame_of(HELD_UP)
    base = score(f, RECIPE)
    assert base.scores["draagkracht"].iloc[0] > 0
    opts = StabilitySettings(trekkingen=10, gewichten_varieren=False, andere_normalisatie=False)
    res = stability(f, RECIPE, opts)
    assert res.trekkingen == {"gewichten": 10, "normalisatie": 0, "weglaten": 5}
    row = res.tabel.iloc[0]
    assert row["stabiliteit_gewichten"] == 1.0
    assert row["stabiliteit_weglaten"] == pytest.approx(4 / 5)  # only leaving out a moves it
    assert row["stabiliteit"] == pytest.approx(14 / 15)


def test_families_counted_and_figures_in_range(voorbeeld, config):
    frame = voorbeeld.frame()
    res = stability(frame, config.recipe, StabilitySettings(trekkingen=200))
    n_ind = len(config.recipe.kolommen)
    assert res.trekkingen == {"gewichten": 100, "normalisatie": 100, "weglaten": n_ind}
    s = res.tabel["stabiliteit"].dropna()
    assert ((s >= 0) & (s <= 1)).all() and s.min() < 1  # some synthetic buurten do move
    near = res.tabel["afstand_tot_grens"] <= 0.1
    assert (res.tabel["grensgeval"] == near).all()


def test_missing_values_still_never_count_as_zero_in_draws():
    # Buurt 0 misses a; with zero perturbation it must keep the quadrant that scoring gave it.
    f = frame_of(np.array([[np.nan, 0.0, 5.0, 1.0, 1.0], [1.0, 1.0, 1.0, 2.0, 2.0], [2.0, 2.0, 2.0, 3.0, 3.0]]))
    recipe = RECIPE.with_options(min_dekking=0.3)
    assert score(f, recipe).scores["dekking_draagkracht"].iloc[0] == pytest.approx(1.5 / 3.5)
    assert stability(f, recipe, NONE).tabel["stabiliteit"].iloc[0] == 1.0
    # Below the coverage rule the buurt has no placement, so no stability either.
    assert np.isnan(stability(f, RECIPE, NONE).tabel["stabiliteit"].iloc[0])


def test_dirichlet_weights_keep_the_sum_and_zero_weights():
    rng = np.random.default_rng(0)
    w = np.array([2.0, 1.0, 0.0, 0.5])
    d = dirichlet_weights(w, 50.0, 500, rng)
    assert d.shape == (500, 4)
    assert np.allclose(d.sum(axis=1), w.sum())
    assert (d[:, 2] == 0).all()
    assert np.allclose(d.mean(axis=0), w, atol=0.05)
    assert d.std(axis=0)[0] > dirichlet_weights(w, 5000.0, 500, rng).std(axis=0)[0]  # higher concentration, closer
    assert (dirichlet_weights(w, math.inf, 3, rng) == w).all()


def test_settings_from_config_and_defaults(config):
    opts = config.stabiliteit
    assert opts.trekkingen == 1000 and opts.concentratie == 50.0 and opts.weglaten
    assert config_from_dict({"recepten": config.raw["recepten"], "scoring": {"recept": config.recept}}).stabiliteit == StabilitySettings()


@pytest.mark.parametrize("section, key", [
    ({"trekkingen": 0}, "stabiliteit.trekkingen"),
    ({"trekkingen": 10.5}, "stabiliteit.trekkingen"),
    ({"concentratie": "veel"}, "stabiliteit.concentratie"),
    ({"drempel_stevig": 1.5}, "stabiliteit.drempel_stevig"),
    ({"weglaten": "ja"}, "stabiliteit.weglaten"),
    ({"trekingen": 10}, "trekingen"),
])
def test_bad_settings_name_the_key(config, section, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        config_from_dict({"recepten": config.raw["recepten"], "scoring": {"recept": config.recept}, "stabiliteit": section})


def test_bad_section_is_caught_when_the_config_loads(tmp_path):
    from conftest import TEST_CONFIG

    text = TEST_CONFIG.read_text(encoding="utf-8").replace("trekkingen = 1000", "trekkingen = -5")
    p = tmp_path / "config.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="stabiliteit.trekkingen"):
        load_config(p)
    raw = {"recepten": load_config().raw["recepten"], "stabiliteit": "veel"}
    with pytest.raises(ConfigError, match=r"\[stabiliteit\]"):
        config_from_dict(raw)


def test_badge_rules():
    opts = StabilitySettings(drempel_stevig=0.9)
    assert badge(0.95, False, opts) == "stevig"
    assert badge(0.95, True, opts) == "grensgeval"
    assert badge(0.5, False, opts) == "gevoelig"
    assert badge(float("nan"), False, opts) == "geen"


def test_opacity_follows_stability():
    op = stability_opacity([0.0, 0.5, 1.0, np.nan], lo=0.2)
    assert np.allclose(op, [0.2, 0.6, 1.0, 0.2])


@settings(deadline=None, max_examples=25)
@given(seed=st.integers(0, 2**32 - 1), normalisatie=st.sampled_from(["zscore", "percentiel"]))
def test_vectorised_draw_matches_scoring_with_the_drawn_weights(seed, normalisatie):
    # One weight draw, checked against a plain score() of the recipe with exactly those weights.
    f = frame_of(np.where(np.random.default_rng(5).random((30, 5)) < 0.1, np.nan, np.random.default_rng(6).normal(size=(30, 5))))
    recipe = RECIPE.with_options(normalisatie=normalisatie, min_dekking=0.5)
    opts = StabilitySettings(trekkingen=1, seed=seed, concentratie=3.0, andere_normalisatie=False, weglaten=False)
    got = stability(f, recipe, opts).tabel["stabiliteit"]
    rng = np.random.default_rng(seed)
    drawn = {}
    for axis in ("draagkracht", "fysieke_kansen"):
        inds = recipe.axis(axis).indicatoren
        w = dirichlet_weights(np.array([i.gewicht for i in inds]), 3.0, 1, rng)[0]
        drawn |= {(axis, i.kolom): float(x) for i, x in zip(inds, w)}
    base = score(f, recipe).scores["kwadrant"]
    other = score(f, recipe.with_weights(drawn)).scores["kwadrant"]
    placed = base != "onvoldoende_data"
    expected = (other == base)[placed].astype(float)
    assert got[placed].tolist() == expected.tolist()


def test_score_intervals_contain_the_score_and_collapse_without_perturbation():
    from wijkprofielen.stability import score_intervals

    f = frame_of(np.random.default_rng(8).normal(size=(25, 5)))
    base = score(f, RECIPE).scores
    iv = score_intervals(f, RECIPE, StabilitySettings(trekkingen=300, concentratie=5.0), q=(0.05, 0.95))
    for axis in ("draagkracht", "fysieke_kansen"):
        assert (iv[f"{axis}_laag"] <= base[axis] + 1e-9).all() and (iv[f"{axis}_hoog"] >= base[axis] - 1e-9).all()
        assert (iv[f"{axis}_hoog"] - iv[f"{axis}_laag"]).max() > 0.01
    flat = score_intervals(f, RECIPE, NONE)
    assert np.allclose(flat["draagkracht_laag"], base["draagkracht"]) and np.allclose(flat["draagkracht_hoog"], base["draagkracht"])


def test_assenkruis_data_with_stability_and_cross(voorbeeld, config):
    from wijkprofielen.charts import assenkruis_data, uncertainty_layers, with_stability
    from wijkprofielen.stability import score_intervals

    frame = voorbeeld.frame()
    base = score(frame, config.recipe)
    opts = StabilitySettings(trekkingen=100)
    tab = stability(frame, config.recipe, opts, base).tabel
    data = with_stability(assenkruis_data(frame, base.scores, config.kwadrant_namen), tab,
                          score_intervals(frame, config.recipe, opts, base))
    row = data.set_index("buurtcode").loc["BU99990300"]
    assert row["stabiliteit"] == tab.loc["BU99990300", "stabiliteit"]
    assert row["zekerheid"] == pytest.approx(0.25 + 0.75 * row["stabiliteit"], abs=1e-3)
    spec = [layer.to_dict() for layer in uncertainty_layers(data)]
    assert spec[0]["mark"]["type"] == "rule" and spec[0]["encoding"]["x2"]["field"] == "draagkracht_hoog"
    assert spec[1]["encoding"]["y2"]["field"] == "fysieke_kansen_hoog"


def test_leaving_out_the_one_indicator_names_it_and_is_never_stevig():
    f = frame_of(HELD_UP)
    opts = StabilitySettings(trekkingen=1000, gewichten_varieren=False, andere_normalisatie=False, drempel_stevig=0.9)
    res = stability(f, RECIPE, opts)
    row = res.tabel.iloc[0]
    assert row["afhankelijk_van"] == "a" and row["stabiliteit"] > 0.99 and not row["grensgeval"]
    assert badge(row["stabiliteit"], row["grensgeval"], opts, row["afhankelijk_van"]) == "afhankelijk"
    # Without the leave-one-out family in the share, the dependence is still found.
    quiet = stability(f, RECIPE, StabilitySettings(trekkingen=10, gewichten_varieren=False, andere_normalisatie=False,
                                                    weglaten=False))
    assert quiet.trekkingen["weglaten"] == 0 and quiet.tabel["afhankelijk_van"].iloc[0] == "a"


@settings(deadline=None, max_examples=examples(15))
@given(rows=values_strategy, normalisatie=st.sampled_from(["zscore", "percentiel"]))
def test_afhankelijk_van_is_exactly_the_indicators_whose_removal_moves_the_buurt(rows, normalisatie):
    f = frame_of(np.array(rows, dtype=float))
    recipe = RECIPE.with_options(normalisatie=normalisatie)
    base = score(f, recipe)
    res = stability(f, recipe, StabilitySettings(trekkingen=4, gewichten_varieren=False, andere_normalisatie=False))
    expected = {c: [] for c in base.scores.index}
    for axis, kolom in recipe.weights():
        # Without the indicator, scored from the remaining values (no coverage threshold: a flip is a move).
        other = score(f, recipe.with_weights({(axis, kolom): 0.0}).with_options(min_dekking=0.0)).scores
        for code in base.scores.index[base.geplaatst()]:
            alt = other.loc[code, ["draagkracht", "fysieke_kansen"]]
            was = base.scores.loc[code, ["draagkracht", "fysieke_kansen"]]
            # A move crosses a line by more than rounding (the vectorised draws ignore 1e-9).
            if alt.notna().all() and any((a if w >= 0 else -a) < -1e-9 for a, w in zip(alt, was)):
                expected[code].append(kolom)
    for code, cols in expected.items():
        got = res.tabel.at[code, "afhankelijk_van"]
        assert set(filter(None, got.split(", "))) == set(cols), code
        key = badge(res.tabel.at[code, "stabiliteit"], res.tabel.at[code, "grensgeval"], afhankelijk_van=got)
        assert not (cols and key == "stevig")


def test_a_share_of_draws_is_never_rounded_up_to_all():
    from wijkprofielen.formatting import percent_floor
    from wijkprofielen.stability import share_floor

    assert percent_floor(1009 / 1010) == "99,9%" and percent_floor(0.999) == "99,9%" and percent_floor(1.0) == "100,0%"
    assert share_floor(1009 / 1010) == 0.999 and share_floor(0.99999) == 0.9999 and share_floor(1.0) == 1.0
    for n in range(1, 2000, 37):
        assert percent_floor((n - 1) / n) != "100,0%" and share_floor((n - 1) / n) < 1
