import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from wijkprofielen.errors import ConfigError
from wijkprofielen.scoring import normalise, quadrant, score
from wijkprofielen.testing import simple_recipe

from conftest import examples

RECIPE = simple_recipe([("a", 1, 2.0), ("b", -1, 1.0)], [("c", 1, 1.0), ("d", 1, 0.5)])


def frame(a, b, c, d, gm="GM0001"):
    n = len(a)
    return pd.DataFrame({
        "buurtcode": [f"BU{gm[2:]}00{i:02d}" for i in range(n)],
        "gemeentecode": gm, "a": a, "b": b, "c": c, "d": d,
    })


def test_hand_computed_zscores_and_contributions():
    f = frame([1.0, 2.0, 3.0], [10.0, 10.0, 40.0], [0.0, 1.0, 2.0], [5.0, 5.0, 5.0])
    r = score(f, RECIPE)
    za = np.array([-1, 0, 1]) * np.sqrt(1.5)
    zb = (np.array([10, 10, 40]) - 20) / np.sqrt(200)
    expected = (2 * za - 1 * zb) / 3
    assert np.allclose(r.scores["draagkracht"], expected)
    # Contributions add up to the axis score.
    assert np.allclose(r.bijdragen["draagkracht"].sum(axis=1), expected)
    # A constant indicator is neutral (0), not missing.
    assert np.allclose(r.scores["dekking_fysieke_kansen"], 1.0)


def test_missing_values_lower_coverage_and_never_count_as_zero():
    f = frame([1.0, 2.0, 3.0, np.nan], [1.0, 2.0, 3.0, 2.0], [1.0, 2.0, 3.0, 2.0], [1.0, 2.0, 3.0, 2.0])
    r = score(f, RECIPE)
    last = r.scores.iloc[3]
    assert last["dekking_draagkracht"] == pytest.approx(1 / 3)
    assert np.isnan(last["draagkracht"])  # below min_dekking 0.6
    assert last["kwadrant"] == "onvoldoende_data"
    # With a low threshold the score is the mean of what is there, not a zero-filled mean.
    r2 = score(f, RECIPE.with_options(min_dekking=0.3))
    zb = r2.genormaliseerd["b"].iloc[3]
    assert r2.scores["draagkracht"].iloc[3] == pytest.approx(-zb)


def test_percentile_method_and_boundary_is_high():
    f = frame([1.0, 2.0, 3.0, 4.0], [1.0] * 4, [4.0, 3.0, 2.0, 1.0], [1.0] * 4)
    r = score(f, RECIPE.with_options(normalisatie="percentiel"))
    assert np.allclose(r.genormaliseerd["a"], [-0.75, -0.25, 0.25, 0.75])
    q = quadrant([0.0, -0.1, np.nan], [0.0, 0.2, 1.0], RECIPE)
    assert q.tolist() == ["hoog_hoog", "laag_hoog", "onvoldoende_data"]


def test_reference_is_the_own_gemeente_by_default():
    f = pd.concat([frame([1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], "GM0001"),
                   frame([101.0, 102.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], "GM0002")])
    r = score(f, RECIPE)
    assert np.allclose(r.genormaliseerd["a"], [-1, 1, -1, 1])
    r2 = score(f, RECIPE.with_options(referentie="dataset"))
    assert r2.genormaliseerd["a"].iloc[0] < r2.genormaliseerd["a"].iloc[2]


def test_absent_column_is_left_out_and_reported_unknown_column_raises():
    f = frame([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    recipe = simple_recipe([("a", 1, 1.0), ("lbm_soc", 1, 1.0)], [("c", 1, 1.0)])
    r = score(f, recipe)
    assert r.ontbrekende_kolommen == ["lbm_soc"]
    assert r.recept_dekking["draagkracht"] == 0.5
    assert r.gebruikte_kolommen("draagkracht") == ["a"]
    with pytest.raises(ConfigError, match="lbm_sox"):
        score(f, simple_recipe([("lbm_sox", 1, 1.0)], [("c", 1, 1.0)]))


def test_default_recipe_on_the_example(voorbeeld, config):
    r = score(voorbeeld.frame(), config.recipe)
    s = r.scores
    ok = r.geplaatst()
    assert s.loc[ok, ["draagkracht", "fysieke_kansen"]].notna().all().all()
    # draaglast is shown as a load: more low incomes means a heavier draaglast.
    f = voorbeeld.frame().set_index("buurtcode")
    assert s.loc[ok, "sub_draaglast"].corr(f.loc[ok[ok].index, "pct_laag_inkomen"]) > 0.5


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------
finite = st.floats(-1e3, 1e3, allow_nan=False).map(lambda x: round(x, 3))


@st.composite
def frames(draw, min_size=3, max_size=25):
    n = draw(st.integers(min_size, max_size))
    cols = {}
    for k in "abcd":
        vals = draw(st.lists(st.one_of(finite, st.just(np.nan)), min_size=n, max_size=n))
        cols[k] = vals
    return frame(cols["a"], cols["b"], cols["c"], cols["d"])


def _assert_same(r1, r2, tol=1e-9):
    s1, s2 = r1.scores.sort_index(), r2.scores.sort_index()
    for c in ("draagkracht", "fysieke_kansen", "dekking_draagkracht", "sub_draaglast"):
        assert np.allclose(s1[c], s2[c], atol=tol, equal_nan=True), c
    # Quadrants agree except for floating-point ties at the boundary.
    near = (s1["draagkracht"].abs() < 1e-9) | (s1["fysieke_kansen"].abs() < 1e-9)
    assert (s1["kwadrant"][~near] == s2["kwadrant"][~near]).all()


PROPS = settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(frames(), st.sampled_from(["zscore", "percentiel"]), st.randoms(use_true_random=False))
def test_row_order_changes_nothing(f, method, rnd):
    recipe = RECIPE.with_options(normalisatie=method)
    order = list(range(len(f)))
    rnd.shuffle(order)
    _assert_same(score(f, recipe), score(f.iloc[order], recipe))


@PROPS
@given(frames(), st.sampled_from(["zscore", "percentiel"]), st.sampled_from([0.001, 1000.0, 3.7]))
def test_scaling_a_column_changes_nothing(f, method, factor):
    recipe = RECIPE.with_options(normalisatie=method, clip=100.0)
    g = f.assign(a=f["a"] * factor)
    _assert_same(score(f, recipe), score(g, recipe), tol=1e-6)


@PROPS
@given(frames(), st.sampled_from(["zscore", "percentiel"]))
def test_flipping_direction_and_negating_changes_nothing(f, method):
    flipped = simple_recipe([("a", -1, 2.0), ("b", -1, 1.0)], [("c", 1, 1.0), ("d", 1, 0.5)], scoring={"normalisatie": method})
    _assert_same(score(f, RECIPE.with_options(normalisatie=method)), score(f.assign(a=-f["a"]), flipped))


@PROPS
@given(frames())
def test_zero_weight_has_no_effect(f):
    with_zero = simple_recipe([("a", 1, 2.0), ("b", -1, 1.0), ("lbm_soc", 1, 0.0)], [("c", 1, 1.0), ("d", 1, 0.5)])
    g = f.assign(lbm_soc=np.arange(len(f), dtype=float) * 7)
    _assert_same(score(f, RECIPE), score(g, with_zero))


@PROPS
@given(frames(min_size=4), st.data(), st.sampled_from(["zscore", "percentiel"]))
def test_raising_a_positive_indicator_never_lowers_the_own_score(f, data, method):
    recipe = RECIPE.with_options(normalisatie=method, clip=100.0)
    i = data.draw(st.integers(0, len(f) - 1))
    assume(not np.isnan(f["a"].iloc[i]))
    bump = data.draw(st.floats(0.01, 500))
    g = f.copy()
    g.iloc[i, g.columns.get_loc("a")] += bump
    before = score(f, recipe).scores["draagkracht"].iloc[i]
    assume(not np.isnan(before))
    after = score(g, recipe).scores["draagkracht"].iloc[i]
    assert after >= before - 1e-9


@PROPS
@given(frames())
def test_a_buurt_without_data_is_onvoldoende_data(f):
    g = f.copy()
    g.loc[g.index[0], ["a", "b", "c", "d"]] = np.nan
    assert score(g, RECIPE).scores["kwadrant"].iloc[0] == "onvoldoende_data"


@given(arrays(float, st.integers(2, 30), elements=st.floats(-1e6, 1e6)))
@PROPS
def test_normalise_is_bounded(values):
    df = pd.DataFrame({"x": values})
    assert normalise(df, "zscore", clip=3.0)["x"].abs().max() <= 3.0
    p = normalise(df, "percentiel")["x"]
    assert ((p > -1) & (p < 1)).all()


# ---------------------------------------------------------------------------
# Coverage against the whole recipe
# ---------------------------------------------------------------------------
KNOWN = ["lbm_soc", "lbm_onv", "lbm_won", "lbm_fys"]  # catalogue columns: absent is a data gap, not a typo


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames(), st.lists(st.floats(0.0, 3.0), min_size=4, max_size=4), st.lists(st.booleans(), min_size=4, max_size=4),
       st.floats(0.0, 1.0))
def test_coverage_counts_absent_indicators_as_missing_weight(f, weights, present, min_dekking):
    assume(weights[0] + weights[1] > 0 and weights[2] + weights[3] > 0)
    f = f.rename(columns=dict(zip("abcd", KNOWN)))
    f = f.drop(columns=[k for k, keep in zip(KNOWN, present) if not keep])
    recipe = simple_recipe([(KNOWN[0], 1, weights[0]), (KNOWN[1], -1, weights[1])],
                           [(KNOWN[2], 1, weights[2]), (KNOWN[3], 1, weights[3])], scoring={"min_dekking": min_dekking})
    r = score(f, recipe)
    for axis, cols, w in (("draagkracht", KNOWN[:2], weights[:2]), ("fysieke_kansen", KNOWN[2:], weights[2:])):
        available = sum(wi * (f[k].notna().to_numpy() if k in f else np.zeros(len(f), bool)) for k, wi in zip(cols, w))
        expected = available / sum(w)
        assert np.allclose(r.scores[f"dekking_{axis}"], expected)
        assert r.recept_dekking[axis] == pytest.approx(sum(wi for k, wi in zip(cols, w) if k in f) / sum(w))
        below = expected < min_dekking - 1e-12
        assert r.scores.loc[below, axis].isna().all()
        assert r.scores.loc[below, "kwadrant"].eq("onvoldoende_data").all()
        assert set(r.ontbrekend(axis)) == {k for k, wi in zip(cols, w) if k not in f and wi > 0}


def test_coverage_of_an_axis_without_its_local_data_is_below_the_threshold(config):
    f = frame([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [1.0, 2.0, 3.0]).rename(
        columns={"a": "lbm_soc", "b": "lbm_onv", "c": "lbm_won", "d": "lbm_fys"})
    r = score(f, config.with_recept("volledig").recipe)
    assert r.recept_dekking["fysieke_kansen"] == pytest.approx(1.5 / 6.25)
    assert r.scores["fysieke_kansen"].isna().all() and (r.scores["kwadrant"] == "onvoldoende_data").all()
    assert "plancap_hard_pct" in r.ontbrekend("fysieke_kansen")


# ---------------------------------------------------------------------------
# Small buurten: no quadrant, and outside the reference
# ---------------------------------------------------------------------------
def with_inwoners(f: pd.DataFrame, inwoners) -> pd.DataFrame:
    return f.assign(inwoners=inwoners)


def test_small_and_unknown_buurten_get_their_own_code():
    f = with_inwoners(frame([1.0, 2.0, 3.0, 4.0, 9.0], [1.0, 2.0, 3.0, 4.0, 1.0], [1.0, 2.0, 3.0, 4.0, 1.0],
                            [1.0, 2.0, 3.0, 4.0, 1.0]), [500, 600, 700, 800, 40])
    f.loc[3, "inwoners"] = np.nan
    r = score(f, RECIPE)
    assert r.scores["kwadrant"].tolist()[3:] == ["geen_inwonersaantal", "te_weinig_inwoners"]
    assert r.scores[["draagkracht", "fysieke_kansen"]].iloc[3:].isna().all().all()
    assert r.inwonersregel == "toegepast" and r.geplaatst().sum() == 3
    off = score(f, RECIPE.with_options(min_inwoners=0))
    assert off.inwonersregel == "uit" and off.geplaatst().all()
    assert score(f.drop(columns="inwoners"), RECIPE).inwonersregel == "geen inwoners"


tiny = st.lists(st.tuples(finite, finite, finite, finite, st.integers(0, 99)), min_size=1, max_size=6)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames(min_size=3), tiny, st.sampled_from(["zscore", "percentiel"]), st.sampled_from(["gemeente", "dataset"]),
       st.randoms(use_true_random=False))
def test_adding_or_removing_tiny_buurten_never_moves_the_others(f, extra, method, referentie, rnd):
    f = with_inwoners(f, 1000)
    small = pd.DataFrame(extra, columns=["a", "b", "c", "d", "inwoners"])
    small.insert(0, "buurtcode", [f"BU0001{90 + i:02d}{i:02d}" for i in range(len(small))])
    small.insert(1, "gemeentecode", "GM0001")
    both = pd.concat([f, small], ignore_index=True)
    both = both.iloc[rnd.sample(range(len(both)), len(both))]  # the tiny ones anywhere
    recipe = RECIPE.with_options(normalisatie=method, referentie=referentie)
    alone, mixed = score(f, recipe), score(both, recipe)
    codes = alone.scores.index
    # Reference statistics (and so every normalised value and score) of the others stay the same.
    pd.testing.assert_frame_equal(alone.genormaliseerd, mixed.genormaliseerd.loc[codes], check_exact=False, atol=1e-9)
    pd.testing.assert_frame_equal(alone.scores, mixed.scores.loc[codes], check_exact=False, atol=1e-9)
    assert mixed.scores.loc[small["buurtcode"], "kwadrant"].eq("te_weinig_inwoners").all()
