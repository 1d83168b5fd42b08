"""Map and chart of an evaluation (pydeck and Altair specs; no Streamlit here)."""

from __future__ import annotations

import altair as alt
import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk

from ..formatting import percent
from ..mapgeometry import CompactDeck, outlines, to_web, view_for
from ..palettes import BORDER_RGBA, OUTLINE_RGBA
from .evaluate import GEEN_JAAR, Evaluatie

# One neutral hue, light to dark: more homes, darker. No red-to-green judgement; grey = no measures.
_LIGHT = np.array([222, 235, 247])
_DARK = np.array([8, 69, 148])
_NONE = [210, 210, 210, 160]
_REMOVAL = [230, 159, 0, 210]  # Okabe-Ito orange: net fewer homes


def contribution_colours(netto: pd.Series, touched: pd.Series) -> list[list[int]]:
    """RGBA per buurt: blue shades by homes added, orange where net removed, grey without measures."""
    top = max(float(netto.clip(lower=0).max()), 1.0)
    out = []
    for n, t in zip(netto, touched):
        if not t:
            out.append(_NONE)
        elif n < 0:
            out.append(_REMOVAL)
        else:
            f = (n / top) ** 0.5
            out.append([int(v) for v in (_LIGHT + f * (_DARK - _LIGHT))] + [220])
    return out


def _pct(v: float) -> str:
    return percent(v, 1, fraction=False)


def contribution_deck(frame: gpd.GeoDataFrame, ev: Evaluatie) -> CompactDeck:
    """Buurten coloured by the homes the scenario adds (net), wijk outlines, no basemap."""
    b = ev.per_buurt.reindex(frame["buurtcode"])
    netto = b["toegevoegd"] - b["sloop"]
    web = to_web(frame)
    features = gpd.GeoDataFrame(
        {
            "buurtcode": web["buurtcode"].to_numpy(),
            "buurtnaam": web["buurtnaam"].to_numpy(),
            "toegevoegd": b["toegevoegd"].astype(int).to_numpy(),
            "netto": netto.astype(int).to_numpy(),
            "sociaal": b["netto_sociale_huur"].astype(int).to_numpy(),
            "mix": [f"{_pct(v)} → {_pct(n)}" for v, n in zip(b["pct_sociale_huur_voor"], b["pct_sociale_huur_na"])],
            "fill": contribution_colours(netto, b["maatregelen"] > 0),
        },
        geometry=web.geometry.to_numpy(),
        crs=web.crs,
    )
    layers = [
        pdk.Layer("GeoJsonLayer", features, id="bijdragen", pickable=True, auto_highlight=True, stroked=True, filled=True,
                  get_fill_color="fill", get_line_color=BORDER_RGBA, line_width_min_pixels=0.5),
        pdk.Layer("GeoJsonLayer", outlines(web, "wijkcode")[["geometry"]], id="wijken", pickable=False, filled=False,
                  stroked=True, get_line_color=OUTLINE_RGBA, line_width_min_pixels=1.5),
    ]
    return CompactDeck(
        layers=layers,
        map_provider=None,  # no tiles; do NOT also pass map_style=None (that brings Carto back)
        initial_view_state=view_for(web),
        tooltip={"text": "{buurtnaam} ({buurtcode})\nToegevoegd: {toegevoegd} (netto {netto})\nSociale huur netto: {sociaal}\nAandeel sociale huur: {mix}"},
    )


def year_chart(ev: Evaluatie) -> alt.Chart | None:
    """Cumulative homes per target over the delivery years, with the target as a dashed line."""
    pj = ev.per_jaar[ev.per_jaar["jaar"] != GEEN_JAAR].copy()
    if pj.empty or not pj["aantal"].any():
        return None
    labels = ev.doelen.set_index("doel")["label"]
    streef = ev.doelen.set_index("doel")["streef"]
    pj = pj[pj["doel"].isin(labels.index)]
    pj["jaar"] = pj["jaar"].astype(int)
    pj["doel_label"] = pj["doel"].map(labels)
    pj["streef"] = pj["doel"].map(streef)
    base = alt.Chart(pj).encode(x=alt.X("jaar:O", title="Jaar van oplevering"))
    line = base.mark_line(point=True).encode(
        y=alt.Y("cumulatief:Q", title="Woningen (cumulatief)"),
        color=alt.Color("doel_label:N", title="Doel", scale=alt.Scale(scheme="tableau10")),
        tooltip=["doel_label", "jaar", "aantal", "cumulatief", "streef"],
    )
    rule = alt.Chart(pj.drop_duplicates("doel")).mark_rule(strokeDash=[4, 4]).encode(
        y="streef:Q", color=alt.Color("doel_label:N", legend=None)
    )
    return (line + rule).properties(height=280)
