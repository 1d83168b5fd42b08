"""Chart specs: a legend entry for every line style, labels that do not overlap, number formats for the Dutch locale."""

from __future__ import annotations

import itertools

import pandas as pd

from wijkprofielen.charts import (
    GRENS,
    LABEL_PX,
    VERLOOP,
    assenkruis,
    assenkruis_data,
    spaced_labels,
    trajectory_data,
    trend_chart,
)
from wijkprofielen.scoring import score


def _layers(spec):
    return spec.get("layer", [spec])


def test_trend_legend_shows_both_line_styles():
    trend = pd.DataFrame({"jaar": [2018, 2020, 2018, 2020], "waarde": [4.1, 4.2, 4.0, 4.05],
                          "reeks": ["buurt", "buurt", "gemeente (mediaan)", "gemeente (mediaan)"]})
    enc = trend_chart(trend).to_dict()["encoding"]
    # Colour and dash on the same field with the same legend: Vega-Lite draws one legend whose
    # symbols are the lines themselves (solid buurt, dashed median).
    assert enc["color"]["field"] == enc["strokeDash"]["field"] == "reeks"
    assert enc["color"]["legend"] == enc["strokeDash"]["legend"] and enc["strokeDash"]["legend"] is not None
    assert enc["color"]["legend"]["symbolType"] == "stroke"
    dashes = dict(zip(enc["strokeDash"]["scale"]["domain"], enc["strokeDash"]["scale"]["range"]))
    assert dashes["buurt"] == [1, 0] and dashes["gemeente (mediaan)"] != [1, 0]
    assert "," in enc["y"]["axis"]["format"] and enc["tooltip"][2]["format"].startswith(",")


def _assenkruis_with_trajectories(voorbeeld, config, codes):
    frame = voorbeeld.frame()
    data = assenkruis_data(frame, score(frame, config.recipe).scores, config.kwadrant_namen)
    by_year = {j: score(voorbeeld.frame(j), config.recipe).scores for j in (2018, 2020, 2022, 2024)
               if j in voorbeeld.jaren()}
    traj = trajectory_data(by_year, codes, {})
    return traj, assenkruis(data, config.kwadrant_namen, config.recipe, trajecten=traj).to_dict()


def test_assenkruis_lists_its_dashed_and_solid_lines(voorbeeld, config):
    codes = voorbeeld.gebieden.loc[voorbeeld.gebieden["wijkcode"] == "WK999903", "buurtcode"].tolist()
    _, spec = _assenkruis_with_trajectories(voorbeeld, config, codes)
    dashed = [layer["encoding"]["strokeDash"] for layer in _layers(spec) if "strokeDash" in layer.get("encoding", {})]
    assert len(dashed) == 3  # both quadrant boundaries and the trajectory lines
    assert all(d["scale"]["domain"] == [GRENS, VERLOOP] for d in dashed)
    assert any(d.get("legend") for d in dashed)
    # Without trajectories there is one line style, explained by the corner names: no legend.
    frame = voorbeeld.frame()
    data = assenkruis_data(frame, score(frame, config.recipe).scores, config.kwadrant_namen)
    plain = assenkruis(data, config.kwadrant_namen, config.recipe).to_dict()
    assert all(not layer["encoding"]["strokeDash"].get("legend") for layer in _layers(plain)
               if "strokeDash" in layer.get("encoding", {}))


def test_trajectory_year_labels_do_not_overlap(voorbeeld, config):
    codes = voorbeeld.gebieden["buurtcode"].tolist()[:40]
    traj, spec = _assenkruis_with_trajectories(voorbeeld, config, codes)
    text = next(layer for layer in _layers(spec) if layer["mark"]["type"] == "text" and "jaar" in str(layer["encoding"]))
    rows = spec["datasets"][text["data"]["name"]]
    assert 0 < len(rows) < 2 * len(set(traj["buurtcode"]))  # some were left out
    points = next(layer for layer in _layers(spec) if layer["mark"]["type"] == "circle")
    span = points["encoding"]["x"]["scale"]["domain"][1]
    per_px = 2 * span / 460  # the chart's default height
    for a, b in itertools.combinations(rows, 2):
        apart_x = abs(a["draagkracht"] - b["draagkracht"]) >= LABEL_PX[0] * per_px * 0.999
        apart_y = abs(a["fysieke_kansen"] - b["fysieke_kansen"]) >= LABEL_PX[1] * per_px * 0.999
        assert apart_x or apart_y, (a, b)


def test_spaced_labels_keep_the_first_of_a_cluster():
    p = pd.DataFrame({"draagkracht": [0.0, 0.05, 0.0, 2.0], "fysieke_kansen": [0.0, 0.02, 0.5, 2.0]},
                     index=["eind", "begin", "ander", "ver"])
    assert spaced_labels(p, span=3, height=460).index.tolist() == ["eind", "ander", "ver"]


def test_assenkruis_axes_and_legends_carry_number_formats(voorbeeld, config):
    frame = voorbeeld.frame()
    data = assenkruis_data(frame, score(frame, config.recipe).scores, config.kwadrant_namen)
    spec = assenkruis(data, config.kwadrant_namen, config.recipe).to_dict()
    points = next(layer for layer in _layers(spec) if layer["mark"]["type"] == "circle")
    enc = points["encoding"]
    assert enc["x"]["axis"]["format"] == enc["y"]["axis"]["format"] == "+.1f"
    assert enc["size"]["legend"]["format"] == ",.0f"  # "6.000 inwoners" with the Dutch locale
    assert {t.get("format") for t in enc["tooltip"]} >= {"+.2f", ",.0f"}
