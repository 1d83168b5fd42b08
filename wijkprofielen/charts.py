"""The assenkruis (two-axis grid) as an Altair chart. Pure Python."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from .config import Recipe
from .mapping import QUADRANT_HEX

QUADRANT_ORDER = ["hoog_hoog", "laag_hoog", "laag_laag", "hoog_laag", "onvoldoende_data"]


def assenkruis_data(frame: pd.DataFrame, scores: pd.DataFrame, namen: dict[str, str]) -> pd.DataFrame:
    """One row per scored buurt with name, scores, quadrant name and inwoners."""
    s = scores.reindex(frame["buurtcode"]).reset_index()
    data = pd.DataFrame({
        "buurtcode": s["buurtcode"],
        "buurtnaam": frame["buurtnaam"].to_numpy(),
        "wijknaam": frame["wijknaam"].to_numpy(),
        "draagkracht": s["draagkracht"].round(3),
        "fysieke_kansen": s["fysieke_kansen"].round(3),
        "kwadrant": s["kwadrant"],
        "kwadrantnaam": [namen.get(k, k) for k in s["kwadrant"]],
        "inwoners": frame["inwoners"].to_numpy() if "inwoners" in frame else np.nan,
    })
    return data.dropna(subset=["draagkracht", "fysieke_kansen"]).reset_index(drop=True)


def assenkruis(data: pd.DataFrame, namen: dict[str, str], recipe: Recipe, selected: str | None = None,
               height: int = 460) -> alt.LayerChart:
    """Points on the two axes with quadrant lines and quadrant names in the corners.

    A point selection named ``punt`` (field ``buurtcode``) lets Streamlit report clicks.
    """
    gx, gy = recipe.grens_draagkracht, recipe.grens_fysieke_kansen
    span = max(1.0, float(np.nanmax(np.abs(data[["draagkracht", "fysieke_kansen"]].to_numpy()))) * 1.1) if len(data) else 1.5
    dom = [-span, span]
    codes = [q for q in QUADRANT_ORDER if q != "onvoldoende_data"]
    colour = alt.Color("kwadrantnaam:N", title="Kwadrant",
                       scale=alt.Scale(domain=[namen[q] for q in codes], range=[QUADRANT_HEX[q] for q in codes]))
    pick = alt.selection_point(name="punt", fields=["buurtcode"], on="click")
    size = alt.Size("inwoners:Q", title="Inwoners", scale=alt.Scale(range=[30, 400])) if data["inwoners"].notna().any() else alt.value(80)
    points = alt.Chart(data).mark_circle(opacity=0.85, stroke="white", strokeWidth=0.5).encode(
        x=alt.X("draagkracht:Q", title="Draagkracht en weerbaarheid →", scale=alt.Scale(domain=dom)),
        y=alt.Y("fysieke_kansen:Q", title="Fysieke kansen →", scale=alt.Scale(domain=dom)),
        color=colour,
        size=size,
        tooltip=[alt.Tooltip("buurtnaam:N", title="Buurt"), alt.Tooltip("wijknaam:N", title="Wijk"),
                 alt.Tooltip("draagkracht:Q", title="Draagkracht", format="+.2f"),
                 alt.Tooltip("fysieke_kansen:Q", title="Fysieke kansen", format="+.2f"),
                 alt.Tooltip("kwadrantnaam:N", title="Kwadrant")],
    ).add_params(pick)
    rules = alt.Chart(pd.DataFrame({"x": [gx], "y": [gy]}))
    vline = rules.mark_rule(color="#555", strokeDash=[4, 3]).encode(x="x:Q")
    hline = rules.mark_rule(color="#555", strokeDash=[4, 3]).encode(y="y:Q")
    corners = pd.DataFrame({
        "x": [span * 0.97, -span * 0.97, -span * 0.97, span * 0.97],
        "y": [span * 0.95, span * 0.95, -span * 0.95, -span * 0.95],
        "label": [namen["hoog_hoog"], namen["laag_hoog"], namen["laag_laag"], namen["hoog_laag"]],
        "align": ["right", "left", "left", "right"],
    })
    labels = [
        alt.Chart(corners[corners["align"] == a]).mark_text(align=a, fontWeight="bold", color="#444", fontSize=12)
        .encode(x="x:Q", y="y:Q", text="label:N")
        for a in ("left", "right")
    ]
    layers = [vline, hline, *labels, points]
    if selected is not None and (data["buurtcode"] == selected).any():
        sel = data[data["buurtcode"] == selected]
        layers.append(alt.Chart(sel).mark_point(size=500, shape="circle", filled=False, color="black", strokeWidth=2)
                      .encode(x="draagkracht:Q", y="fysieke_kansen:Q"))
        layers.append(alt.Chart(sel).mark_text(dy=-18, fontWeight="bold").encode(x="draagkracht:Q", y="fysieke_kansen:Q", text="buurtnaam:N"))
    return alt.layer(*layers).properties(height=height)


def selected_point(event) -> str | None:
    """The buurtcode clicked in a ``st.altair_chart`` selection event, or None."""
    try:
        points = event["selection"]["punt"]
    except (KeyError, TypeError):
        return None
    if isinstance(points, list) and points:
        return points[0].get("buurtcode")
    return None


# --- issue 9: stability on the assenkruis ---------------------------------------------------
def with_stability(data: pd.DataFrame, tabel: pd.DataFrame, intervals: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add ``stabiliteit``, ``grensgeval``, ``zekerheid`` (point opacity) and optional score intervals.

    ``tabel`` is :attr:`StabilityResult.tabel`; ``intervals`` from :func:`~wijkprofielen.stability.score_intervals`.
    """
    from .stability import stability_opacity

    out = data.join(tabel[["stabiliteit", "grensgeval"]], on="buurtcode")
    out["zekerheid"] = stability_opacity(out["stabiliteit"]).round(3)
    if intervals is not None:
        out = out.join(intervals.round(3), on="buurtcode")
    return out


def uncertainty_layers(data: pd.DataFrame) -> list:
    """An uncertainty cross per buurt: the range of its axis scores over the alternative recipes."""
    base = alt.Chart(data.dropna(subset=["draagkracht_laag", "fysieke_kansen_laag"]))
    h = base.mark_rule(color="#666", opacity=0.45, strokeWidth=1).encode(
        x="draagkracht_laag:Q", x2="draagkracht_hoog:Q", y="fysieke_kansen:Q")
    v = base.mark_rule(color="#666", opacity=0.45, strokeWidth=1).encode(
        y="fysieke_kansen_laag:Q", y2="fysieke_kansen_hoog:Q", x="draagkracht:Q")
    return [h, v]
# --- end issue 9 ------------------------------------------------------------------------------
