"""Trajectories on the assenkruis and the quadrant-change list."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wijkprofielen.charts import assenkruis, assenkruis_data, trajectory_data
from wijkprofielen.scoring import score
from wijkprofielen.ui.sidebar import quadrant_changes


def _scores(rows):
    return pd.DataFrame(rows, columns=["buurtcode", "draagkracht", "fysieke_kansen"]).set_index("buurtcode")


def test_trajectory_arrows_point_from_year_to_year():
    by_year = {
        2018: _scores([("A", 0.0, 0.0), ("B", np.nan, 1.0)]),
        2020: _scores([("A", 1.0, 0.0), ("B", 0.5, 0.5)]),
        2024: _scores([("A", 1.0, -1.0), ("B", 0.5, 1.5)]),
    }
    t = trajectory_data(by_year, ["A", "B"], {"A": "Alfa", "B": "Beta"})
    a = t[t["buurtcode"] == "A"]
    assert a["jaar"].tolist() == [2018, 2020, 2024]
    assert np.isnan(a["hoek"].iloc[0])
    assert a["hoek"].iloc[1] == pytest.approx(90.0)  # to the right
    assert a["hoek"].iloc[2] == pytest.approx(180.0)  # downwards
    b = t[t["buurtcode"] == "B"]
    assert b["jaar"].tolist() == [2020, 2024]  # a year without a score is skipped, not guessed
    assert b["hoek"].iloc[1] == pytest.approx(0.0) and b["van_jaar"].iloc[1] == 2020
    assert set(t["buurtnaam"]) == {"Alfa", "Beta"}


def test_assenkruis_with_trajectories_has_arrow_layers(voorbeeld, config):
    frame = voorbeeld.frame()
    result = score(frame, config.recipe)
    data = assenkruis_data(frame, result.scores, config.kwadrant_namen)
    by_year = {j: score(voorbeeld.frame(j), config.recipe).scores for j in (2022, 2024)}
    t = trajectory_data(by_year, ["BU99990300"], {})
    assert len(t) == 2
    spec = assenkruis(data, config.kwadrant_namen, config.recipe, selected="BU99990300", trajecten=t).to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert "line" in marks and marks.count("point") >= 2
    assert any(layer.get("encoding", {}).get("angle") for layer in spec["layer"])


def test_quadrant_changes_lists_moved_buurten(voorbeeld, config):
    frame = voorbeeld.frame()
    was = score(frame, config.recipe).scores
    now = score(frame, config.recipe.with_weights({("draagkracht", "lbm_soc"): 0.0})).scores
    table = quadrant_changes(frame, was, now, config.kwadrant_namen)
    moved = (was["kwadrant"] != now["kwadrant"]).sum()
    assert len(table) == moved > 0
    row = table.iloc[0]
    code = row["buurtcode"]
    assert row["van"] == config.kwadrant_namen[was.loc[code, "kwadrant"]]
    assert row["naar"] == config.kwadrant_namen[now.loc[code, "kwadrant"]]
    assert quadrant_changes(frame, was, was, config.kwadrant_namen).empty


def test_trajectory_years_follow_the_heaviest_multi_year_indicator(voorbeeld, config):
    from wijkprofielen.ui.assenkruis import trajectory_years

    # Weight 1 is the heaviest; among those, building age has the most years.
    jaren, label = trajectory_years(voorbeeld, config.recipe, None)
    assert jaren == voorbeeld.jaren("pct_bouwjaar_voor_2000") == list(range(2018, 2025))
    assert label == voorbeeld.indicatoren["pct_bouwjaar_voor_2000"].label
    assert trajectory_years(voorbeeld, config.recipe, 2021)[0] == [2018, 2019, 2020, 2021]
