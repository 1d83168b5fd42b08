"""Static figures for the one-pager: map, assenkruis position and Leefbaarometer trend.

Drawn with matplotlib's object API (``Figure`` + Agg canvas, no pyplot state), in
EPSG:28992 and without tiles. :class:`FigureContext` prepares what all buurten of one
scored dataset share (polygon paths, colours, the spatial index, the point cloud) once,
so a batch of 100 buurten only draws, it does not recompute.
"""

from __future__ import annotations

import io
import textwrap
from functools import cached_property

import numpy as np
import pandas as pd
from PIL import Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath
from matplotlib.ticker import FuncFormatter

from ..config import Config
from ..dataset import Dataset
from ..formatting import compact
from ..palettes import BUURT_HEX, MEDIAAN_HEX, MISSING_HEX, QUADRANT_HEX
from ..scoring import ScoreResult
from .content import TREND_COLUMNS

DPI = 150
TEXT = "#333333"
# Figure sizes (inches) at which they are printed: three side by side across an A4 page, so
# the font sizes below are the sizes on paper.
SQUARE = (2.45, 2.2)
WIDE = (2.45, 1.3)


def polygon_path(geom) -> MplPath:
    """One compound path per (multi)polygon, holes included."""
    verts, codes = [], []
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            verts.append(xy)
            c = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
            c[0], c[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            codes.append(c)
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def _encode(canvas: FigureCanvasAgg) -> bytes:
    # Low zlib effort: these small flat-colour images barely shrink more at level 6.
    buf = io.BytesIO()
    w, h = canvas.get_width_height(physical=True)
    Image.frombuffer("RGBA", (w, h), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).save(buf, format="png", compress_level=2)
    return buf.getvalue()


def _png(fig: Figure) -> bytes:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return _encode(canvas)


class _Blitted:
    """A figure drawn once, with one animated artist redrawn per buurt (matplotlib blitting)."""

    def __init__(self, fig: Figure, artists: list):
        self.fig, self.artists = fig, artists
        self.canvas = FigureCanvasAgg(fig)
        for a in artists:
            a.set_animated(True)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(fig.bbox)

    def render(self) -> bytes:
        self.canvas.restore_region(self.background)
        for a in self.artists:
            self.fig.draw_artist(a)
        return _encode(self.canvas)


def cache_method(fn):
    """Cache a method per instance and argument (the instance lives as long as its export)."""
    name = f"_cache_{fn.__name__}"

    def wrapper(self, key):
        store = self.__dict__.setdefault(name, {})
        if key not in store:
            store[key] = fn(self, key)
        return store[key]

    wrapper.__doc__ = fn.__doc__
    return wrapper


class FigureContext:
    """Shared drawing data for all buurten of one scored dataset.

    Parameters
    ----------
    ds, frame, result, cfg
        The dataset, the frame that was scored, its scores and the config (quadrant names).
    """

    def __init__(self, ds: Dataset, frame: pd.DataFrame, result: ScoreResult, cfg: Config):
        self.ds, self.frame, self.result, self.cfg = ds, frame.reset_index(drop=True), result, cfg
        self.codes = self.frame["buurtcode"].astype(str).to_numpy()
        self.position = {c: i for i, c in enumerate(self.codes)}
        kw = result.scores["kwadrant"].reindex(self.codes).fillna("onvoldoende_data")
        self.colours = np.array([QUADRANT_HEX.get(k, MISSING_HEX) for k in kw])
        self.gemeente = self.frame["gemeentecode"].astype(str).to_numpy()

    def path(self, i: int) -> MplPath | None:
        """The matplotlib path of buurt ``i``, built on first use (a national dataset has 15,000)."""
        cache = self.__dict__.setdefault("_paths", {})
        if i not in cache:
            g = self.frame.geometry.iloc[i]
            cache[i] = None if g is None or g.is_empty else polygon_path(g)
        return cache[i]

    @cached_property
    def sindex(self):
        return self.frame.sindex

    @cached_property
    def trend_series(self) -> tuple[str | None, pd.DataFrame | None]:
        col = next((c for c in TREND_COLUMNS if c in self.ds.kolommen), None)
        return col, (self.ds.reeks(col) if col else None)

    # -- figures -------------------------------------------------------------------------
    def kaart(self, buurtcode: str) -> bytes | None:
        """The buurt (thick outline) among its neighbours, coloured by quadrant, no tiles.

        None when the dataset has no boundary for this buurt (e.g. a plain CSV).
        """
        i = self.position[buurtcode]
        geom = self.frame.geometry.iloc[i]
        if self.path(i) is None:
            return None
        x0, y0, x1, y1 = geom.bounds
        pad = max(x1 - x0, y1 - y0, 400.0) * 0.9
        box = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
        near = [j for j in self.sindex.query(_box(*box)) if self.path(j) is not None]
        fig = Figure(figsize=SQUARE, dpi=DPI)
        ax = fig.add_axes((0, 0.06, 1, 0.94))
        ax.add_collection(PathCollection([self.path(j) for j in near], facecolors=self.colours[near], alpha=0.55,
                                         edgecolors="white", linewidths=0.6))
        ax.add_collection(PathCollection([self.path(i)], facecolors="none", edgecolors="black", linewidths=2.2))
        cx, cy = geom.representative_point().coords[0]
        ax.annotate(str(self.frame.at[i, "buurtnaam"]), (cx, cy), ha="center", va="center", fontsize=7, color="black",
                    fontweight="bold", bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8})
        ax.set_xlim(box[0], box[2])
        ax.set_ylim(box[1], box[3])
        ax.set_aspect("equal")
        ax.set_axis_off()
        # Scale bar: a round length of about a fifth of the width.
        width = box[2] - box[0]
        bar = round_length(width / 5)
        bx, by = box[0] + width * 0.04, box[1] + (box[3] - box[1]) * 0.04
        ax.plot([bx, bx + bar], [by, by], color=TEXT, lw=2)
        ax.text(bx + bar / 2, by + width * 0.015, f"{bar / 1000:g} km" if bar >= 1000 else f"{bar:g} m", ha="center",
                va="bottom", fontsize=6, color=TEXT)
        bron = "synthetische grenzen" if self.ds.synthetisch else "Grenzen: CBS / Kadaster"
        fig.text(0.01, 0.01, f"{bron} · RD New (EPSG:28992)", fontsize=5.5, color=TEXT)
        return _png(fig)

    def assenkruis(self, buurtcode: str) -> bytes:
        """The buurt's position among all scored buurten of its gemeente."""
        gm = self.gemeente[self.position[buurtcode]]
        base = self._assenkruis_base(gm)
        me = self.result.scores.loc[buurtcode]
        ring, note = base.artists
        placed = pd.notna(me["draagkracht"]) and pd.notna(me["fysieke_kansen"])
        ring.set_offsets([[me["draagkracht"], me["fysieke_kansen"]]] if placed else np.empty((0, 2)))
        note.set_visible(not placed)
        return base.render()

    @cache_method
    def _assenkruis_base(self, gm: str) -> _Blitted:
        s = self.result.scores.reindex(self.codes)
        same = self.gemeente == gm
        x, y = s["draagkracht"].to_numpy()[same], s["fysieke_kansen"].to_numpy()[same]
        ok = ~(np.isnan(x) | np.isnan(y))
        recipe = self.result.recipe
        span = max(1.0, float(np.nanmax(np.abs(np.concatenate([x[ok], y[ok]])))) * 1.1) if ok.any() else 1.5
        fig = Figure(figsize=SQUARE, dpi=DPI)
        ax = fig.add_axes((0.16, 0.15, 0.81, 0.82))
        ax.axvline(recipe.grens_draagkracht, color="#777", lw=0.8, ls="--")
        ax.axhline(recipe.grens_fysieke_kansen, color="#777", lw=0.8, ls="--")
        ax.scatter(x[ok], y[ok], s=12, c=self.colours[same][ok], alpha=0.75, linewidths=0)
        ring = ax.scatter([], [], s=110, facecolors="none", edgecolors="black", linewidths=1.8)
        note = ax.text(0, 0, "onvoldoende gegevens\nom deze buurt te plaatsen", ha="center", va="center", fontsize=7,
                       color=TEXT, bbox={"fc": "white", "ec": "none"})
        namen = self.cfg.kwadrant_namen
        for q, (hx, hy, ha, va) in {"hoog_hoog": (0.98, 0.98, "right", "top"), "laag_hoog": (0.02, 0.98, "left", "top"),
                                    "laag_laag": (0.02, 0.02, "left", "bottom"), "hoog_laag": (0.98, 0.02, "right", "bottom")}.items():
            ax.text(hx, hy, textwrap.fill(namen.get(q, q), 16), transform=ax.transAxes, multialignment=ha, ha=ha, va=va, fontsize=5.5, color=QUADRANT_HEX[q],
                    fontweight="bold")
        ax.set_xlim(-span, span)
        ax.set_ylim(-span, span)
        ax.set_xlabel("Draagkracht en weerbaarheid →", fontsize=7, color=TEXT)
        ax.set_ylabel("Fysieke kansen →", fontsize=7, color=TEXT)
        ax.tick_params(labelsize=6, colors=TEXT)
        _dutch_ticks(ax.xaxis, ax.yaxis)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return _Blitted(fig, [ring, note])

    def trend(self, buurtcode: str) -> bytes | None:
        """The Leefbaarometer trend of the buurt against the gemeente median, or None.

        The y-axis spans all buurten of the gemeente, so profiles can be compared.
        """
        col, reeks = self.trend_series
        if col is None:
            return None
        me = reeks.loc[buurtcode, self.trend_years].to_numpy(dtype=float)
        if np.isnan(me).all():
            return None
        base = self._trend_base(self.gemeente[self.position[buurtcode]])
        base.artists[0].set_ydata(me)
        return base.render()

    @cached_property
    def trend_years(self) -> list[int]:
        _, reeks = self.trend_series
        return [j for j in sorted(reeks.columns) if j]

    @cache_method
    def _trend_base(self, gm: str) -> _Blitted:
        _, reeks = self.trend_series
        years = self.trend_years
        values = reeks.loc[reeks.index.isin(self.codes[self.gemeente == gm]), years].to_numpy(dtype=float)
        lo, hi = np.nanmin(values), np.nanmax(values)
        pad = (hi - lo) * 0.08 or 0.1
        fig = Figure(figsize=WIDE, dpi=DPI)
        ax = fig.add_axes((0.14, 0.17, 0.83, 0.62))
        ax.plot(years, np.nanmedian(values, axis=0), color=MEDIAAN_HEX, lw=1.2, ls="--", label="mediaan gemeente")
        (line,) = ax.plot(years, np.full(len(years), np.nan), color=BUURT_HEX, lw=2, marker="o", ms=3.5, label="buurt")
        ax.set_xticks(years)
        ax.set_ylim(lo - pad, hi + pad)
        ax.tick_params(labelsize=6, colors=TEXT)
        _dutch_ticks(ax.yaxis)
        fig.legend(fontsize=6, frameon=False, loc="upper left", ncols=2, bbox_to_anchor=(0.12, 1.02),
                   handlelength=2.6)  # above the lines: both line styles stay readable
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return _Blitted(fig, [line])

    def all(self, buurtcode: str) -> dict[str, bytes]:
        """All figures of one buurt, by name (``kaart``, ``assenkruis``, ``trend``)."""
        out = {"kaart": self.kaart(buurtcode), "assenkruis": self.assenkruis(buurtcode), "trend": self.trend(buurtcode)}
        return {k: v for k, v in out.items() if v is not None}


def _dutch_ticks(*axes) -> None:
    """Tick labels with a decimal comma (as in the text), not matplotlib's point."""
    for axis in axes:
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: compact(v, 3)))


def _box(x0, y0, x1, y1):
    import shapely

    return shapely.box(x0, y0, x1, y1)


def round_length(value: float) -> float:
    """The largest 1, 2 or 5 × 10^n not above ``value``.

    Examples
    --------
    >>> round_length(730.0), round_length(2400.0)
    (500.0, 2000.0)
    """
    exp = 10 ** np.floor(np.log10(value))
    return float(max(m * exp for m in (1, 2, 5) if m * exp <= value))
