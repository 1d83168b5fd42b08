"""The assenkruis (two-axis grid) as an Altair chart. Pure Python."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from .config import Recipe
from .palettes import BUURT_HEX, MEDIAAN_HEX, QUADRANT_HEX
from .stability import stability_opacity

QUADRANT_ORDER = ["hoog_hoog", "laag_hoog", "laag_laag", "hoog_laag", "onvoldoende_data"]
# d3-format strings: with the app's Dutch Vega-Lite locale "," groups with a dot and "." is a comma.
SCORE_FORMAT = "+.1f"
SCORE_TOOLTIP = "+.2f"
COUNT_FORMAT = ",.0f"
# Line styles of the assenkruis, each with a legend entry.
GRENS = "Kwadrantgrens"
VERLOOP = "Verloop over de jaren"
DYNAMIEK = "Dynamiek (richting van de verandering)"
LINE_DASH = {GRENS: [4, 3], VERLOOP: [1, 0], DYNAMIEK: [2, 2]}
LABEL_PX = (30, 14)  # the box a year label needs (width, height in pixels)


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
               height: int = 460, compact: bool = False, trajecten: pd.DataFrame | None = None,
               extra: list | None = None, dynamiek: pd.DataFrame | None = None,
               rondom: pd.DataFrame | None = None) -> alt.LayerChart:
    """Points on the two axes with quadrant lines and quadrant names in the corners.

    ``compact`` (a small assenkruis on the Wijkprofiel page): no legends, no corner names.

    A point selection named ``punt`` (field ``buurtcode``) lets Streamlit report clicks.
    With a ``zekerheid`` column (:func:`with_stability`) the point opacity follows the
    stability; ``extra`` layers (e.g. :func:`uncertainty_layers`) are drawn below the points.
    ``dynamiek`` (:func:`dynamiek_arrows`): a thin dotted arrow per buurt, the direction of change.
    ``rondom``: small points around the selected unit (a gebied's buurten, see :func:`around_layers`);
    they count for the axes' extent.
    """
    gx, gy = recipe.grens_draagkracht, recipe.grens_fysieke_kansen
    extent = [data[["draagkracht", "fysieke_kansen"]].to_numpy()]
    for more in (trajecten, dynamiek, rondom):
        if more is not None and len(more):
            extent.append(more[["draagkracht", "fysieke_kansen"]].to_numpy())
    values = np.concatenate([e.ravel() for e in extent])
    span = max(1.0, float(np.nanmax(np.abs(values))) * 1.1) if np.isfinite(values).any() else 1.5
    dom = [-span, span]
    codes = [q for q in QUADRANT_ORDER if q != "onvoldoende_data"]
    colour = alt.Color("kwadrantnaam:N", title="Kwadrant",
                       scale=alt.Scale(domain=[namen[q] for q in codes], range=[QUADRANT_HEX[q] for q in codes]),
                       legend=None if compact else alt.Legend())
    pick = alt.selection_point(name="punt", fields=["buurtcode"], on="click")
    size = (alt.Size("inwoners:Q", title="Inwoners", scale=alt.Scale(range=[30, 400]),
                     legend=None if compact else alt.Legend(format=COUNT_FORMAT))
            if data["inwoners"].notna().any() else alt.value(80))
    tooltip = [alt.Tooltip("buurtnaam:N", title="Buurt"), alt.Tooltip("wijknaam:N", title="Wijk"),
               alt.Tooltip("draagkracht:Q", title="Draagkracht", format=SCORE_TOOLTIP),
               alt.Tooltip("fysieke_kansen:Q", title="Fysieke kansen", format=SCORE_TOOLTIP),
               alt.Tooltip("kwadrantnaam:N", title="Kwadrant")]
    if data["inwoners"].notna().any():
        tooltip.append(alt.Tooltip("inwoners:Q", title="Inwoners", format=COUNT_FORMAT))
    opacity = alt.value(0.85)
    if "zekerheid" in data:  # a less stable placement is drawn fainter
        opacity = alt.Opacity("zekerheid:Q", scale=None, legend=None)
        tooltip.append(alt.Tooltip("stabiliteit:Q", title="Stabiliteit", format=".0%"))
    points = alt.Chart(data).mark_circle(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("draagkracht:Q", title="Draagkracht en weerbaarheid →", scale=alt.Scale(domain=dom),
                axis=alt.Axis(format=SCORE_FORMAT)),
        y=alt.Y("fysieke_kansen:Q", title="Fysieke kansen →", scale=alt.Scale(domain=dom),
                axis=alt.Axis(format=SCORE_FORMAT)),
        color=colour,
        size=size,
        opacity=opacity,
        tooltip=tooltip,
    ).add_params(pick)
    with_trajectories = trajecten is not None and len(trajecten) > 0
    with_dynamiek = dynamiek is not None and len(dynamiek) > 0
    lijnen = (GRENS, *([VERLOOP] if with_trajectories else []), *([DYNAMIEK] if with_dynamiek else []))
    rules = alt.Chart(pd.DataFrame({"x": [gx], "y": [gy], "lijn": [GRENS]}))
    dash = line_style(len(lijnen) > 1 and not compact, lijnen)
    vline = rules.mark_rule(color="#555").encode(x="x:Q", strokeDash=dash)
    hline = rules.mark_rule(color="#555").encode(y="y:Q", strokeDash=dash)
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
    layers = [vline, hline, *([] if compact else labels)]
    if with_dynamiek:
        layers += trajectory_layers(dynamiek, span, height, legend=not compact, lijnen=lijnen, lijn=DYNAMIEK)
    if with_trajectories:
        layers += trajectory_layers(trajecten, span, height, legend=not compact, lijnen=lijnen)
    layers += extra or []
    if rondom is not None and len(rondom) and selected is not None and (data["buurtcode"] == selected).any():
        centre = data.loc[data["buurtcode"] == selected].iloc[0]
        layers += around_layers(rondom, float(centre["draagkracht"]), float(centre["fysieke_kansen"]))
    layers.append(points)
    if selected is not None and (data["buurtcode"] == selected).any():
        sel = data[data["buurtcode"] == selected]
        layers.append(alt.Chart(sel).mark_point(size=500, shape="circle", filled=False, color="black", strokeWidth=2)
                      .encode(x="draagkracht:Q", y="fysieke_kansen:Q"))
        layers.append(alt.Chart(sel).mark_text(dy=-18, fontWeight="bold").encode(x="draagkracht:Q", y="fysieke_kansen:Q", text="buurtnaam:N"))
    return alt.layer(*layers).properties(height=height)


def around_layers(buurten: pd.DataFrame, x: float, y: float) -> list:
    """A unit's buurten as small points, each with a thin line to the unit's own point at (``x``, ``y``).

    ``buurten``: :func:`assenkruis_data` of the unit's buurten. The points show what the unit's
    average hides; they are not clickable (the unit's point is).
    """
    lines = buurten.assign(x0=x, y0=y)
    spokes = alt.Chart(lines).mark_rule(color="#888", opacity=0.5, strokeWidth=0.8).encode(
        x="x0:Q", y="y0:Q", x2="draagkracht:Q", y2="fysieke_kansen:Q")
    # The colour as a value (scale=None): a second colour scale would merge with the units' one.
    kleur = buurten["kwadrant"].map(QUADRANT_HEX).fillna(QUADRANT_HEX["onvoldoende_data"])
    dots = alt.Chart(buurten.assign(kleur=kleur)).mark_circle(size=28, opacity=0.9, stroke="#333", strokeWidth=0.6).encode(
        x="draagkracht:Q", y="fysieke_kansen:Q", color=alt.Color("kleur:N", scale=None),
        tooltip=[alt.Tooltip("buurtnaam:N", title="Buurt"),
                 alt.Tooltip("draagkracht:Q", title="Draagkracht", format=SCORE_TOOLTIP),
                 alt.Tooltip("fysieke_kansen:Q", title="Fysieke kansen", format=SCORE_TOOLTIP),
                 alt.Tooltip("kwadrantnaam:N", title="Kwadrant")])
    return [spokes, dots]


def line_style(legend: bool, lijnen: tuple[str, ...] = (GRENS, VERLOOP)) -> alt.StrokeDash:
    """The assenkruis' line styles (dashed quadrant boundaries, solid trajectories, dotted
    dynamiek) of ``lijnen`` on one scale, listed in a legend when ``legend``."""
    return alt.StrokeDash("lijn:N", scale=alt.Scale(domain=list(lijnen), range=[LINE_DASH[x] for x in lijnen]),
                          legend=alt.Legend(title=None, symbolType="stroke", symbolStrokeColor="#333") if legend else None)


def selected_point(event) -> str | None:
    """The buurtcode clicked in a ``st.altair_chart`` selection event, or None."""
    try:
        points = event["selection"]["punt"]
    except (KeyError, TypeError):
        return None
    if isinstance(points, list) and points:
        return points[0].get("buurtcode")
    return None


def trend_chart(trend: pd.DataFrame, title: str = "Leefbaarometer", height: int = 220) -> alt.Chart:
    """Lines for the buurt and the gemeente median over the years (neutral colours).

    Colour and dash are one legend: the solid blue buurt, the dashed grey median.
    """
    domain = ["buurt", "gemeente (mediaan)"]
    legend = alt.Legend(title=None, orient="top", symbolType="stroke", symbolStrokeWidth=2.5, symbolSize=300)
    return alt.Chart(trend).mark_line(point=True).encode(
        x=alt.X("jaar:O", title="Jaar", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("waarde:Q", title=title, scale=alt.Scale(zero=False), axis=alt.Axis(format=",.2~f")),
        color=alt.Color("reeks:N", scale=alt.Scale(domain=domain, range=[BUURT_HEX, MEDIAAN_HEX]), legend=legend),
        strokeDash=alt.StrokeDash("reeks:N", scale=alt.Scale(domain=domain, range=[[1, 0], [4, 3]]), legend=legend),
        tooltip=[alt.Tooltip("jaar:O", title="Jaar"), alt.Tooltip("reeks:N", title="Reeks"),
                 alt.Tooltip("waarde:Q", title=title, format=",.3f")],
    ).properties(height=height)


def trajectory_data(scores_by_year: dict[int, pd.DataFrame], codes, namen: dict[str, str]) -> pd.DataFrame:
    """Each buurt's position per year, for the trajectory arrows.

    Parameters
    ----------
    scores_by_year : dict
        ``{jaar: ScoreResult.scores}``.
    codes : iterable of str
        The buurten to follow.
    namen : dict
        ``{buurtcode: buurtnaam}``.

    Returns
    -------
    DataFrame
        ``buurtcode, buurtnaam, jaar, draagkracht, fysieke_kansen`` for the years in which
        the buurt has both scores (a year without enough data is skipped, never guessed),
        plus ``hoek``: the arrowhead's angle towards the next position (degrees, 0 = up).
    """
    rows = []
    for jaar in sorted(scores_by_year):
        s = scores_by_year[jaar].reindex(list(codes))
        for code, dk, fk in zip(s.index, s["draagkracht"], s["fysieke_kansen"]):
            if np.isfinite(dk) and np.isfinite(fk):
                rows.append((code, namen.get(code, code), int(jaar), round(float(dk), 3), round(float(fk), 3)))
    out = pd.DataFrame(rows, columns=["buurtcode", "buurtnaam", "jaar", "draagkracht", "fysieke_kansen"])
    out = out.sort_values(["buurtcode", "jaar"]).reset_index(drop=True)
    prev = out.groupby("buurtcode")[["draagkracht", "fysieke_kansen"]].shift(1)
    dx = out["draagkracht"] - prev["draagkracht"]
    dy = out["fysieke_kansen"] - prev["fysieke_kansen"]
    out["hoek"] = np.degrees(np.arctan2(dx, dy)).round(1)  # NaN for each buurt's first year
    out["van_jaar"] = out.groupby("buurtcode")["jaar"].shift(1)
    return out


def dynamiek_arrows(data: pd.DataFrame, tabel: pd.DataFrame, van_jaar: int, tot_jaar: int) -> pd.DataFrame:
    """Each buurt's dynamiek as an arrow ending at its position, in :func:`trajectory_data`'s shape.

    The arrow starts at the position minus the dynamiek of both axes: the change in reference
    standard deviations, on the same scale as the z-scores of the axes. Buurten without a
    dynamiek on both axes get no arrow.

    Examples
    --------
    >>> d = pd.DataFrame({"buurtcode": ["a"], "buurtnaam": ["A"], "draagkracht": [0.5], "fysieke_kansen": [0.0]})
    >>> t = pd.DataFrame({"dynamiek_draagkracht": [0.5], "dynamiek_fysieke_kansen": [0.0]}, index=["a"])
    >>> dynamiek_arrows(d, t, 2018, 2024)[["jaar", "draagkracht", "hoek"]].to_dict("list")
    {'jaar': [2018, 2024], 'draagkracht': [0.0, 0.5], 'hoek': [nan, 90.0]}
    """
    dyn = tabel.reindex(data["buurtcode"])[["dynamiek_draagkracht", "dynamiek_fysieke_kansen"]].to_numpy(dtype=float)
    ok = np.isfinite(dyn).all(axis=1)
    end = data.loc[ok, ["buurtcode", "buurtnaam", "draagkracht", "fysieke_kansen"]].assign(jaar=tot_jaar)
    start = end.assign(jaar=van_jaar, draagkracht=(end["draagkracht"] - dyn[ok, 0]).round(3),
                       fysieke_kansen=(end["fysieke_kansen"] - dyn[ok, 1]).round(3))
    out = pd.concat([start, end]).sort_values(["buurtcode", "jaar"]).reset_index(drop=True)
    dx = out.groupby("buurtcode")["draagkracht"].diff()
    dy = out.groupby("buurtcode")["fysieke_kansen"].diff()
    out["hoek"] = np.degrees(np.arctan2(dx, dy)).round(1)
    out["van_jaar"] = out.groupby("buurtcode")["jaar"].shift(1)
    return out


def spaced_labels(points: pd.DataFrame, span: float, height: int, box: tuple[int, int] = LABEL_PX) -> pd.DataFrame:
    """The rows of ``points`` whose labels do not overlap one placed earlier (rows in priority order).

    ``points`` has ``draagkracht`` and ``fysieke_kansen``; the chart shows ``[-span, span]``
    on both axes in about ``height`` pixels, and a label takes ``box`` pixels to the upper
    right of its point.

    Examples
    --------
    >>> p = pd.DataFrame({"draagkracht": [0.0, 0.01, 1.0], "fysieke_kansen": [0.0, 0.0, 0.0]})
    >>> spaced_labels(p, span=2, height=400).index.tolist()
    [0, 2]
    """
    per_px = 2 * span / max(height, 1)
    w, h = box[0] * per_px, box[1] * per_px
    placed: list[tuple[float, float]] = []
    keep = []
    for idx, x, y in zip(points.index, points["draagkracht"], points["fysieke_kansen"]):
        if all(abs(x - px) >= w or abs(y - py) >= h for px, py in placed):
            placed.append((x, y))
            keep.append(idx)
    return points.loc[keep]


def trajectory_layers(traj: pd.DataFrame, span: float = 3.0, height: int = 460, legend: bool = True,
                      lijnen: tuple[str, ...] = (GRENS, VERLOOP), lijn: str = VERLOOP) -> list:
    """Lines through the years and an arrowhead at each later year; the first and last year labelled.

    Labels that would overlap another are left out (the last year first, so the end of each
    arrow keeps its year); the arrow's tooltip still names both years. ``lijn`` =
    :data:`DYNAMIEK`: thin grey arrows for many buurten, without year labels.
    """
    thin = lijn == DYNAMIEK
    colour, width, opacity, head = ("#777", 1.0, 0.6, 40) if thin else ("#333", 1.5, 0.8, 90)
    line = alt.Chart(traj.assign(lijn=lijn)).mark_line(color=colour, strokeWidth=width, opacity=opacity).encode(
        x="draagkracht:Q", y="fysieke_kansen:Q", detail="buurtcode:N", order="jaar:O", strokeDash=line_style(legend, lijnen))
    heads = traj.dropna(subset=["hoek"])
    arrows = alt.Chart(heads).mark_point(shape="triangle", filled=True, size=head, color=colour, opacity=opacity).encode(
        x="draagkracht:Q", y="fysieke_kansen:Q", angle=alt.Angle("hoek:Q", scale=None),
        tooltip=[alt.Tooltip("buurtnaam:N", title="Buurt"), alt.Tooltip("van_jaar:O", title="Van"),
                 alt.Tooltip("jaar:O", title="Naar")])
    if thin:
        return [line, arrows]
    first = traj["jaar"] == traj.groupby("buurtcode")["jaar"].transform("min")
    last = traj["jaar"] == traj.groupby("buurtcode")["jaar"].transform("max")
    ends = pd.concat([traj[last], traj[first & ~last]])
    years = alt.Chart(spaced_labels(ends, span, height)).mark_text(
        align="left", baseline="bottom", dx=5, dy=-3, fontSize=10, color="#333").encode(
        x="draagkracht:Q", y="fysieke_kansen:Q", text="jaar:O")
    return [line, arrows, years]


def with_stability(data: pd.DataFrame, tabel: pd.DataFrame, intervals: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add ``stabiliteit``, ``grensgeval``, ``zekerheid`` (point opacity) and optional score intervals.

    ``tabel`` is :attr:`StabilityResult.tabel`; ``intervals`` from :func:`~wijkprofielen.stability.score_intervals`.
    """
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
