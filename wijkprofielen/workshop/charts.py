"""Altair charts for the workshop: placing on the assenkruis and the facilitator's overview.

Clicking or dragging places: an invisible grid of points (step 0.1) covers the assenkruis
and a ``nearest`` point selection named ``plek`` follows the pointer while the button is
down; Streamlit receives the grid point where it is released. Names and reasons
reach Vega only as data (text marks and tooltips), never as HTML or markdown.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ..palettes import DATA_HEX, OTHER_HEX, OWN_HEX

GRID_STEP = 0.1


def grid(bereik: float, step: float = GRID_STEP) -> pd.DataFrame:
    """Grid points covering ``[-bereik, bereik]²``, the click targets.

    >>> len(grid(1.0, 0.5))
    25
    """
    ticks = np.round(np.arange(-bereik, bereik + step / 2, step), 6)
    x, y = np.meshgrid(ticks, ticks)
    return pd.DataFrame({"draagkracht": x.ravel(), "fysieke_kansen": y.ravel()})


def clicked_point(selection) -> tuple[float, float] | None:
    """``(draagkracht, fysieke_kansen)`` from a ``st.altair_chart`` selection state, or None.

    >>> clicked_point({"selection": {"plek": [{"draagkracht": 0.5, "fysieke_kansen": -1.0}]}})
    (0.5, -1.0)
    >>> clicked_point({"selection": {}}) is None
    True
    """
    try:
        points = selection["selection"]["plek"]
        p = points[0]
        return float(p["draagkracht"]), float(p["fysieke_kansen"])
    except (KeyError, TypeError, IndexError, ValueError):
        return None


def _frame(bereik: float, grens: tuple[float, float], namen: dict[str, str]) -> list[alt.Chart]:
    dom = [-bereik, bereik]
    rules = alt.Chart(pd.DataFrame({"x": [grens[0]], "y": [grens[1]]}))
    layers = [
        rules.mark_rule(color="#777", strokeDash=[4, 3]).encode(x=alt.X("x:Q", scale=alt.Scale(domain=dom))),
        rules.mark_rule(color="#777", strokeDash=[4, 3]).encode(y=alt.Y("y:Q", scale=alt.Scale(domain=dom))),
    ]
    s = bereik * 0.97
    corners = pd.DataFrame({
        "x": [s, -s, -s, s], "y": [s, s, -s, -s],
        "label": [namen.get(q, q) for q in ("hoog_hoog", "laag_hoog", "laag_laag", "hoog_laag")],
        "align": ["right", "left", "left", "right"],
    })
    for a in ("left", "right"):
        layers.append(alt.Chart(corners[corners["align"] == a]).mark_text(align=a, color="#666", fontSize=11)
                      .encode(x="x:Q", y="y:Q", text="label:N"))
    return layers


def _axes(bereik: float):
    dom = [-bereik, bereik]
    return (alt.X("draagkracht:Q", title="Draagkracht en weerbaarheid →", scale=alt.Scale(domain=dom, nice=False)),
            alt.Y("fysieke_kansen:Q", title="Fysieke kansen →", scale=alt.Scale(domain=dom, nice=False)))


def _circle(x: float, y: float, r: float, n: int = 72) -> pd.DataFrame:
    t = np.linspace(0, 2 * np.pi, n)
    return pd.DataFrame({"draagkracht": x + r * np.cos(t), "fysieke_kansen": y + r * np.sin(t), "i": np.arange(n)})


def placement_chart(buurt: dict, bereik: float, grens: tuple[float, float], namen: dict[str, str],
                    max_afwijking: float, eigen: tuple[float, float] | None = None,
                    voorstel: tuple[float, float] | None = None, height: int = 440) -> alt.LayerChart:
    """The participant's assenkruis for one buurt.

    Shows the data position (diamond) with a dashed circle of radius ``max_afwijking``
    (outside it a reason is asked), the stored placement (filled circle) and the
    position being chosen (open circle). Click anywhere to choose a position.
    """
    x, y = _axes(bereik)
    layers = _frame(bereik, grens, namen)
    # Press to place, keep the button down and drag to move: the selection follows the
    # pointer in the browser (the open circle), Streamlit gets the point where it is released.
    pick = alt.selection_point(name="plek", fields=["draagkracht", "fysieke_kansen"], nearest=True, clear=False,
                               empty=False, on="pointerdown, [pointerdown, pointerup] > pointermove")
    layers.append(alt.Chart(grid(bereik)).mark_point(color=OWN_HEX, strokeWidth=3).encode(
        x=x, y=y,
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.001)),
        size=alt.condition(pick, alt.value(320), alt.value(40)),
    ).add_params(pick))
    dx, dy = buurt.get("data_draagkracht"), buurt.get("data_fysieke_kansen")
    if dx is not None and dy is not None and not (pd.isna(dx) or pd.isna(dy)):
        layers.append(alt.Chart(_circle(dx, dy, max_afwijking)).mark_line(color=DATA_HEX, strokeDash=[2, 3], opacity=0.6, clip=True)
                      .encode(x=x, y=y, order="i:Q"))
        d = pd.DataFrame({"draagkracht": [dx], "fysieke_kansen": [dy], "label": ["data"]})
        layers.append(alt.Chart(d).mark_point(shape="diamond", size=220, filled=True, color=DATA_HEX)
                      .encode(x=x, y=y, tooltip=[alt.Tooltip("draagkracht:Q", format="+.2f"),
                                                 alt.Tooltip("fysieke_kansen:Q", format="+.2f")]))
        layers.append(alt.Chart(d).mark_text(dy=-16, color=DATA_HEX).encode(x=x, y=y, text="label:N"))
    if eigen is not None:
        e = pd.DataFrame({"draagkracht": [eigen[0]], "fysieke_kansen": [eigen[1]], "label": ["opgeslagen"]})
        layers.append(alt.Chart(e).mark_circle(size=240, color=OWN_HEX, opacity=0.9).encode(x=x, y=y))
    if voorstel is not None and voorstel != eigen:
        v = pd.DataFrame({"draagkracht": [voorstel[0]], "fysieke_kansen": [voorstel[1]]})
        layers.append(alt.Chart(v).mark_point(size=320, color=OWN_HEX, strokeWidth=3).encode(x=x, y=y))
    # Square: one score unit is as long on both axes, so distances look like distances.
    return alt.layer(*layers).properties(width=height, height=height)


def facilitator_chart(buurt: dict, placements: pd.DataFrame, bereik: float, grens: tuple[float, float],
                      namen: dict[str, str], height: int = 420) -> alt.LayerChart:
    """One buurt: the data position, every participant's placement (with name), their mean and spread."""
    x, y = _axes(bereik)
    layers = _frame(bereik, grens, namen)
    dx, dy = buurt.get("data_draagkracht"), buurt.get("data_fysieke_kansen")
    has_data = dx is not None and dy is not None and not (pd.isna(dx) or pd.isna(dy))
    tip = [alt.Tooltip("naam:N", title="Deelnemer"), alt.Tooltip("draagkracht:Q", format="+.2f"),
           alt.Tooltip("fysieke_kansen:Q", format="+.2f"), alt.Tooltip("reden:N", title="Reden")]
    if len(placements):
        p = placements[["naam", "draagkracht", "fysieke_kansen", "reden"]]
        mx, my = float(p["draagkracht"].mean()), float(p["fysieke_kansen"].mean())
        if len(p) >= 2:
            r = float(np.sqrt(((p["draagkracht"] - mx) ** 2 + (p["fysieke_kansen"] - my) ** 2).mean()))
            layers.append(alt.Chart(_circle(mx, my, max(r, 0.02))).mark_line(color=OTHER_HEX, opacity=0.7, clip=True)
                          .encode(x=x, y=y, order="i:Q"))
        if has_data:
            seg = pd.DataFrame({"draagkracht": [dx, mx], "fysieke_kansen": [dy, my], "i": [0, 1]})
            layers.append(alt.Chart(seg).mark_line(color=DATA_HEX, strokeDash=[5, 3]).encode(x=x, y=y, order="i:Q"))
        layers.append(alt.Chart(p).mark_circle(size=120, color=OTHER_HEX, opacity=0.85).encode(x=x, y=y, tooltip=tip))
        layers.append(alt.Chart(p).mark_text(dy=-12, fontSize=10, color="#333").encode(x=x, y=y, text="naam:N"))
        m = pd.DataFrame({"draagkracht": [mx], "fysieke_kansen": [my]})
        layers.append(alt.Chart(m).mark_point(shape="cross", size=260, filled=True, color=OTHER_HEX).encode(x=x, y=y))
    if has_data:
        d = pd.DataFrame({"draagkracht": [dx], "fysieke_kansen": [dy], "label": ["data"]})
        layers.append(alt.Chart(d).mark_point(shape="diamond", size=220, filled=True, color=DATA_HEX).encode(x=x, y=y))
        layers.append(alt.Chart(d).mark_text(dy=-16, color=DATA_HEX).encode(x=x, y=y, text="label:N"))
    return alt.layer(*layers).properties(width=height, height=height)


def overview_chart(overzicht: pd.DataFrame, bereik: float, grens: tuple[float, float], namen: dict[str, str],
                   height: int = 460) -> alt.LayerChart:
    """All buurten: from the data position (diamond) to the participants' mean (circle)."""
    x, y = _axes(bereik)
    layers = _frame(bereik, grens, namen)
    o = overzicht.dropna(subset=["data_draagkracht", "data_fysieke_kansen"])
    data = pd.DataFrame({"draagkracht": o["data_draagkracht"], "fysieke_kansen": o["data_fysieke_kansen"],
                         "buurtnaam": o["buurtnaam"]})
    layers.append(alt.Chart(data).mark_point(shape="diamond", size=120, filled=True, color=DATA_HEX)
                  .encode(x=x, y=y, tooltip=[alt.Tooltip("buurtnaam:N", title="Buurt (data)")]))
    placed = o.dropna(subset=["gem_draagkracht"])
    if len(placed):
        seg = pd.concat([
            pd.DataFrame({"draagkracht": placed["data_draagkracht"], "fysieke_kansen": placed["data_fysieke_kansen"],
                          "buurtcode": placed["buurtcode"], "i": 0}),
            pd.DataFrame({"draagkracht": placed["gem_draagkracht"], "fysieke_kansen": placed["gem_fysieke_kansen"],
                          "buurtcode": placed["buurtcode"], "i": 1}),
        ])
        layers.append(alt.Chart(seg).mark_line(color=OTHER_HEX, opacity=0.7, clip=True)
                      .encode(x=x, y=y, detail="buurtcode:N", order="i:Q"))
        mean = pd.DataFrame({"draagkracht": placed["gem_draagkracht"], "fysieke_kansen": placed["gem_fysieke_kansen"],
                             "buurtnaam": placed["buurtnaam"], "aantal": placed["aantal"],
                             "spreiding": placed["spreiding"]})
        layers.append(alt.Chart(mean).mark_circle(size=110, color=OTHER_HEX).encode(
            x=x, y=y, tooltip=[alt.Tooltip("buurtnaam:N", title="Buurt (deelnemers)"), alt.Tooltip("aantal:Q", title="Plaatsingen"),
                               alt.Tooltip("spreiding:Q", title="Spreiding", format=".2f")]))
        layers.append(alt.Chart(mean).mark_text(dy=-12, fontSize=10, color="#333").encode(x=x, y=y, text="buurtnaam:N"))
    return alt.layer(*layers).properties(width=height, height=height)


def pin_chart(tally: pd.DataFrame, height_per_row: int = 30) -> alt.Chart:
    """Pins per buurt as coloured dots (Portaal's prikkers): one row per buurt and intervention.

    ``tally`` has ``buurt``, ``interventie`` (label), ``aantal`` and ``kleur`` (hex).
    """
    rows = max(1, len(tally))
    tally = tally.assign(label=tally["buurt"].astype(str) + " — " + tally["interventie"].astype(str))
    return alt.Chart(tally).mark_circle(opacity=0.95).encode(
        x=alt.X("aantal:Q", title="Aantal prikkers", axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=420)),
        color=alt.Color("kleur:N", scale=None, legend=None),
        size=alt.Size("aantal:Q", scale=alt.Scale(range=[80, 400]), legend=None),
        tooltip=[alt.Tooltip("buurt:N", title="Buurt"), alt.Tooltip("interventie:N", title="Interventie"),
                 alt.Tooltip("aantal:Q", title="Prikkers")],
    ).properties(height=max(60, height_per_row * rows))
