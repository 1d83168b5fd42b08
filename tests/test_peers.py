"""Vergelijkbare buurten: the KD-tree index against brute force, missing values, the own buurt, real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from wijkprofielen.config import VergelijkSettings, load_config
from wijkprofielen.errors import ConfigError
from wijkprofielen.peers import PeerIndex, candidates_of, column_weights, differences, peers_brute_force
from wijkprofielen.workspace import Workspace

MIN = 3


def _normed(seed: int, n: int, d: int, missing: float, decimals: int | None) -> pd.DataFrame:
    """Random normalised values with holes; rounding makes ties (equal distances) common."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d))
    if decimals is not None:
        x = np.round(x, decimals)
    x[rng.random((n, d)) < missing] = np.nan
    codes = [f"BU{i + 1:08d}" for i in range(n)]
    return pd.DataFrame(x, index=pd.Index(codes, name="buurtcode"), columns=[f"k{j}" for j in range(d)])


data = st.builds(_normed, seed=st.integers(0, 2**32 - 1), n=st.integers(2, 60), d=st.integers(MIN, 8),
                 missing=st.sampled_from([0.0, 0.1, 0.3, 0.6]), decimals=st.sampled_from([None, 1, 0]))


@settings(max_examples=25, deadline=None)
@given(normed=data, k=st.integers(1, 10), weighted=st.booleans(), tree_min_rows=st.sampled_from([1, 5, 64]))
def test_index_equals_brute_force(normed, k, weighted, tree_min_rows):
    w = np.random.default_rng(len(normed)).uniform(0, 2, normed.shape[1]) if weighted else None
    if w is not None:
        w[0] = 0.0  # a weight of 0 leaves the column out
    index = PeerIndex(normed, w, MIN, tree_min_rows=tree_min_rows,
                      project_min_rows=tree_min_rows)  # 1: a KD-tree for every pattern and shared set
    for code in normed.index:
        got = index.query(code, k)
        want = peers_brute_force(normed, code, k, MIN, w)
        pd.testing.assert_frame_equal(got, want)
        assert code not in set(got["buurtcode"])  # never the buurt itself
        assert got["afstand"].is_monotonic_increasing
        assert (got["gedeelde_indicatoren"] >= MIN).all()


@settings(max_examples=25, deadline=None)
@given(normed=data, pick=st.integers(0, 10_000), k=st.integers(1, 5))
def test_a_copy_under_another_code_is_the_nearest_peer(normed, pick, k):
    code = normed.index[pick % len(normed)]
    row = normed.loc[code]
    if row.notna().sum() < MIN:
        row = row.fillna(0.5)
        normed = normed.copy()
        normed.loc[code] = row
    copy = pd.DataFrame([row.to_numpy()], index=pd.Index(["BU00000000"], name="buurtcode"), columns=normed.columns)
    found = PeerIndex(pd.concat([copy, normed]), None, MIN, tree_min_rows=1, project_min_rows=1).query(code, k)
    assert found.iloc[0]["buurtcode"] == "BU00000000" and found.iloc[0]["afstand"] == 0.0


@settings(max_examples=25, deadline=None)
@given(normed=data, split=st.integers(1, 7))
def test_a_buurt_without_shared_indicators_is_never_a_peer(normed, split):
    d = normed.shape[1]
    split = min(split, d - 1)
    query = np.full(d, np.nan)
    query[:split] = 0.0
    stranger = np.full(d, np.nan)
    stranger[split:] = 0.0  # values exactly where the query has none
    extra = pd.DataFrame([query, stranger], index=pd.Index(["BU90000001", "BU90000002"], name="buurtcode"),
                         columns=normed.columns)
    index = PeerIndex(pd.concat([normed, extra]), None, 1, tree_min_rows=1, project_min_rows=1)
    assert "BU90000002" not in set(index.query("BU90000001", len(normed) + 2)["buurtcode"])
    assert "BU90000001" not in set(index.query("BU90000002", len(normed) + 2)["buurtcode"])


def test_groups_and_candidates_limit_the_peers():
    normed = _normed(7, 40, 5, 0.1, None)
    groups = pd.Series(["GM1" if i % 2 else "GM2" for i in range(40)], index=normed.index)
    cand = np.arange(40) % 3 != 0
    index = PeerIndex(normed, None, MIN, groups, cand, tree_min_rows=2, project_min_rows=4)
    for code in normed.index:
        same = (groups == groups[code]).to_numpy()
        want = peers_brute_force(normed, code, 6, MIN, candidates=same & cand)
        pd.testing.assert_frame_equal(index.query(code, 6), want)


def test_too_few_values_gives_no_peers_and_an_unknown_code_a_dutch_message():
    normed = _normed(1, 10, 4, 0.0, None)
    normed.iloc[0, 1:] = np.nan
    index = PeerIndex(normed, None, MIN)
    assert index.query(normed.index[0]).empty
    assert normed.index[0] not in set(index.query(normed.index[1], 9)["buurtcode"])
    with pytest.raises(Exception, match="staat niet in de dataset"):
        index.query("BU12345678")


def test_workspace_peers_on_the_example(voorbeeld, config):
    ws = Workspace(config)
    frame, result = ws.scored(voorbeeld)
    code = "BU99990300"
    table = ws.peers(frame, result, code)
    assert list(table.columns) == ["buurtcode", "buurtnaam", "gemeentenaam", "afstand", "gedeelde_indicatoren", "kwadrant"]
    assert len(table) == config.vergelijk.k and code not in set(table["buurtcode"])
    w = column_weights(result.recipe, result.genormaliseerd.columns, "rms")
    want = peers_brute_force(result.genormaliseerd, code, config.vergelijk.k, config.vergelijk.min_gedeelde_indicatoren,
                             w, candidates_of(result))
    assert list(table["buurtcode"]) == list(want["buurtcode"])
    assert table["kwadrant"].tolist() == result.scores["kwadrant"].reindex(table["buurtcode"]).tolist()
    # Another reference scores against it; the weighted metric uses the recipe's weights.
    assert len(ws.peers(frame, result, code, k=3, referentie="dataset")) == 3
    diff = differences(result, code, table["buurtcode"])
    assert diff["verschil"].abs().dropna().is_monotonic_decreasing
    row = diff.set_index("kolom").loc[diff["kolom"].iloc[0]]
    assert row["vergelijkbaar"] == pytest.approx(result.genormaliseerd.loc[table["buurtcode"], diff["kolom"].iloc[0]].mean())
    weighted = column_weights(result.recipe, result.genormaliseerd.columns, "gewogen")
    assert weighted.sum() == pytest.approx(sum(result.recipe.weights().values()))


def test_settings_in_the_configuration(config, tmp_path):
    assert config.vergelijk == VergelijkSettings(k=8, min_gedeelde_indicatoren=5, metriek="rms")
    own = tmp_path / "c.toml"
    own.write_text('[vergelijk]\nk = 12\nmetriek = "gewogen"\n', encoding="utf-8")
    assert load_config(own).vergelijk == VergelijkSettings(k=12, min_gedeelde_indicatoren=5, metriek="gewogen")
    for bad, message in (('k = 0', "vergelijk.k = 0 ligt buiten het bereik"), ('metriek = "cosinus"', "vergelijk.metriek")):
        own.write_text(f"[vergelijk]\n{bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=message):
            load_config(own)
