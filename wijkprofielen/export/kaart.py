"""The map print: the Kaart on paper (A4/A3, staand or liggend) as PDF, SVG or 300 dpi PNG.

Drawn with matplotlib's object API in EPSG:28992 (RD New, metres), so the printed scale is
true: the map's extent is the selection's bounds with a small margin, widened to a round
scale (1 : 25.000) that fits the map box on the paper. Colours and classes come from the
app's colour modes (:func:`wijkprofielen.mapping.colour_buurten`): classify first, colour
second; this module only draws them. Text stays text in PDF and SVG (TrueType fonts in the
PDF, ``<text>`` elements in the SVG), so a council print can be searched and read aloud.

Colour is never the only carrier: class numbers on the buurten and hatching per class are
options, and the legend shows the same numbers and patterns.
"""

from __future__ import annotations

import io
import math
import textwrap
from dataclasses import dataclass, field
from datetime import datetime

import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle

from .. import __version__
from ..config import Config
from ..dataset import Dataset
from ..domain import REFERENCE_LABELS
from ..errors import DataError
from ..formatting import integer
from ..mapgeometry import outlines
from ..mapping import COLOUR_MODES, ColourContext, Colouring, LegendItem, colour_buurten, overview
from ..methode import CAUTION
from ..palettes import MISSING_HEX
from ..scoring import ScoreResult
from .content import ATTRIBUTIE, plain
from .figures import polygon_path, round_length
from .kaartopties import FORMATS, PAPIER, KaartOpties, check_opties, selection

PNG_DPI = 300
MM = 1 / 25.4  # inch per mm
TEXT = "#222222"
CONTEXT_HEX = "#ececec"  # buurten next to the selection: context, no class
WIJK_LINE = "#4d4d4d"
GEMEENTE_LINE = "#000000"
MARGE = 0.04  # of the selection's larger side, around it
# Round scales: 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 7.5 × 10^n.
NICE_SCALES = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 7.5, 10.0)
# One pattern per class (the missing class stays plain grey), so a black-and-white copy still reads.
HATCHES = ("//", "..", "xx", "\\\\", "++", "--", "||", "oo", "**", "OO")
MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")
RC = {"pdf.fonttype": 42, "svg.fonttype": "none"}


def nice_scale(denominator: float) -> int:
    """The smallest round scale denominator not below ``denominator``.

    Examples
    --------
    >>> nice_scale(23_400), nice_scale(26_000), nice_scale(100_000)
    (25000, 30000, 100000)
    """
    exp = 10 ** math.floor(math.log10(denominator))
    return int(round(next(m * exp for m in NICE_SCALES if m * exp >= denominator - 1e-9)))


def length_text(metres: float) -> str:
    """``500 m`` or ``2 km`` (Dutch decimal comma for a fraction of a km)."""
    if metres < 1000:
        return f"{metres:g} m"
    return f"{metres / 1000:g} km".replace(".", ",")


def date_text(moment: datetime) -> str:
    """``6 december 2026``."""
    return f"{moment.day} {MAANDEN[moment.month - 1]} {moment.year}"


def source_line(ds: Dataset) -> str:
    """Sources and licences of the dataset in one line (the importer's record where known)."""
    if ds.synthetisch:
        return ("Synthetische voorbeeldgegevens, geen echte buurten. Met echte gegevens: CBS / Kadaster, "
                "Leefbaarometer (BZK).")
    bronnen = [b for b in ds.meta.get("bronnen", []) if b.get("bron")]
    if not bronnen:
        return "Bronnen: " + (ds.meta.get("attributie") or ATTRIBUTIE)
    orgs = []
    for b in bronnen:
        name = str(b["bron"])
        org = "CBS / Kadaster" if name.startswith("CBS") else "Leefbaarometer (BZK)" if "Leefbaarometer" in name else name
        if org not in orgs:
            orgs.append(org)
    parts = {}
    for b in bronnen:
        jaren = parts.setdefault(str(b["bron"]), set())
        jaren.update(int(j) for j in b.get("jaren", []) if j)
    detail = "; ".join(f"{n} {', '.join(str(j) for j in sorted(js))}".strip() for n, js in parts.items())
    licenties = list(dict.fromkeys(str(b["licentie"]) for b in bronnen if b.get("licentie")))
    line = f"Bronnen: {', '.join(orgs)} — {detail}."
    return line + (f" Licentie: {'; '.join(licenties)}." if licenties else "")


def subtitle(ds: Dataset, result: ScoreResult, cfg: Config, jaar: int | None) -> str:
    """Dataset, peiljaar, recipe and reference in one line."""
    recipe = result.recipe
    choice = cfg.recepten.get(recipe.naam)
    recept = choice.label if choice else (recipe.naam or cfg.recept_label)
    if choice is not None and choice.recipe.fingerprint() != recipe.fingerprint():
        recept += " (aangepaste weging)"
    peil = f"peiljaar {jaar}" if jaar else "peiljaar: laatste jaar per indicator"
    ref = REFERENCE_LABELS.get(recipe.referentie, recipe.referentie)
    return f"Dataset {ds.naam} · {peil} · recept {recept} ({recipe.fingerprint()}) · referentie: {ref}"


@dataclass
class Schaalstok:
    """The drawn scale bar: its length in metres, its outline (data coordinates) and label."""

    lengte: float
    rand: Rectangle
    label: str


@dataclass
class KaartPrint:
    """A drawn map print: the figure and what tests and callers need to check it."""

    figure: Figure
    ax: Axes
    titel: str
    schaal: int  # 1 : schaal on paper
    extent: tuple[float, float, float, float]
    selectie: tuple[float, float, float, float]  # bounds of the selected buurten
    legenda: list[LegendItem]
    schaalstok: Schaalstok
    teksten: list[str] = field(default_factory=list)

    def save(self, fmt: str) -> bytes:
        """PDF or SVG (text as text) or PNG at 300 dpi."""
        if fmt not in FORMATS:
            raise DataError(f"Onbekend formaat '{fmt}' voor de kaart. Kies uit: {', '.join(FORMATS)}.")
        buf = io.BytesIO()
        with matplotlib.rc_context(RC):
            FigureCanvasAgg(self.figure)
            self.figure.savefig(buf, format=fmt, dpi=PNG_DPI if fmt == "png" else 72,
                                metadata=_metadata(fmt, self.titel))
        return buf.getvalue()


def _metadata(fmt: str, titel: str) -> dict:
    if fmt == "pdf":
        return {"Title": titel, "Creator": f"wijkprofielen {__version__}"}
    if fmt == "svg":
        return {"Title": titel}
    return {"Title": titel, "Software": f"wijkprofielen {__version__}"}


def _colouring(frame: pd.DataFrame, result: ScoreResult, cfg: Config, ds: Dataset, opties: KaartOpties,
               stabiliteit) -> Colouring:
    """The app's colouring of every buurt in frame order (classes over the whole dataset, as on the Kaart)."""
    codes = frame["buurtcode"].astype(str)
    scores = result.scores.reindex(codes)
    kolom = opties.indicator if COLOUR_MODES[opties.kleur].needs_kolom else None
    if kolom and kolom not in frame.columns:
        raise DataError(f"Indicator '{kolom}' staat niet in deze dataset. Kies een kolom uit: "
                        f"{', '.join(sorted(ds.kolommen)[:8])} …")
    label = ds.indicatoren[kolom].label if kolom in ds.indicatoren else kolom
    ctx = ColourContext(frame.reset_index(drop=True), scores, result.recipe, cfg.kwadrant_namen, kolom, label,
                        uitleg=cfg.kwadrant_uitleg)
    if opties.kleur == "stabiliteit":
        if stabiliteit is None and "stabiliteit" in scores.columns:
            stabiliteit = scores["stabiliteit"]
        if stabiliteit is None:
            raise DataError("Kleuring 'stabiliteit' heeft de stabiliteit van de plaatsing nodig; die is niet berekend.")
        ctx.stabiliteit = pd.Series(stabiliteit).reindex(codes).to_numpy(dtype=float) \
            if isinstance(stabiliteit, pd.Series) else np.asarray(stabiliteit, dtype=float)
    return colour_buurten(opties.kleur, ctx)


def _wrap(text: str, width_mm: float, size: float) -> str:
    chars = max(20, int(width_mm / (size * 0.3528 * 0.55)))  # DejaVu Sans: about 0.55 em per character
    return textwrap.fill(text, chars)


class _Page:
    """Paper coordinates in mm on a figure: add axes and text by their place on the sheet."""

    def __init__(self, papier: str, liggend: bool):
        w, h = PAPIER[papier]
        self.w, self.h = (h, w) if liggend else (w, h)
        self.fig = Figure(figsize=(self.w * MM, self.h * MM), dpi=72)

    def text(self, x: float, y: float, s: str, **kw):
        kw.setdefault("color", TEXT)
        return self.fig.text(x / self.w, y / self.h, s, **kw)

    def axes(self, x: float, y: float, w: float, h: float) -> Axes:
        return self.fig.add_axes((x / self.w, y / self.h, w / self.w, h / self.h))


def draw_kaart(ds: Dataset, frame: pd.DataFrame, result: ScoreResult, cfg: Config, opties: KaartOpties, *,
               jaar: int | None = None, stabiliteit=None, gemaakt: datetime | None = None) -> KaartPrint:
    """Draw the map print of ``frame``'s buurten in the colour mode and selection of ``opties``.

    ``stabiliteit`` (per buurtcode) is needed for the colour mode ``stabiliteit`` unless
    ``result.scores`` carries it. Raises :class:`DataError` for an unknown mode, gemeente or
    wijk, and for a dataset without boundaries.
    """
    check_opties(opties)
    if ds.meta.get("zonder_geometrie") or "geometry" not in frame.columns:
        raise DataError("Deze dataset heeft geen buurtgrenzen, dus geen kaart. Importeer de buurtgrenzen (--buurten).")
    frame = frame.reset_index(drop=True)
    mask, naam = selection(frame, opties)
    colouring = _colouring(frame, result, cfg, ds, opties, stabiliteit)
    geoms = frame.geometry.to_numpy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not (mask & present).any():
        raise DataError(f"De buurten van {naam} hebben geen grenzen in deze dataset.")
    sel = shapely.total_bounds(geoms[mask & present])
    page = _Page(opties.papier, opties.liggend)
    m = 12.0
    legend = colouring.legend_for(mask)
    # -- header ---------------------------------------------------------------------------
    titel = f"{colouring.titel} — {naam}"
    teksten = [titel]
    kop = _wrap(titel, page.w - 2 * m - (32 if ds.synthetisch else 0), 15 * 1.1)  # bold runs wider
    page.text(m, page.h - m, kop, fontsize=15, fontweight="bold", va="top", linespacing=1.15)
    top = 7.5 * (kop.count("\n") + 1) + 1
    sub = _wrap(subtitle(ds, result, cfg, jaar), page.w - 2 * m, 8)
    page.text(m, page.h - m - top, sub, fontsize=8, va="top")
    teksten.append(sub)
    header = top + 4 * (sub.count("\n") + 1) + 4
    if ds.synthetisch:
        page.text(page.w - m, page.h - m, "SYNTHETISCH", fontsize=11, fontweight="bold", va="top", ha="right",
                  color="#b2182b")
        teksten.append("SYNTHETISCH")
    # -- footer ---------------------------------------------------------------------------
    moment = gemaakt or datetime.now()
    footer_lines = [
        _wrap(source_line(ds), page.w - 2 * m, 6.5),
        _wrap(plain(CAUTION), page.w - 2 * m, 6.5),
    ]
    footer = "\n".join(footer_lines)
    page.text(m, m, footer, fontsize=6.5, va="bottom", linespacing=1.35)
    teksten += footer_lines
    footer_h = 3.2 * (footer.count("\n") + 2) + 4  # plus the line with scale and date above it
    # -- legend and map box -----------------------------------------------------------------
    text_w = 72.0 - 8 if opties.liggend else (page.w - 2 * m) / 2 - 8
    entries = _legend_entries(colouring, legend, opties, text_w)
    rows = sum(e[-1] for e in entries)
    if opties.liggend:
        legend_w = 72.0
        box = (m, m + footer_h, page.w - 2 * m - legend_w - 5, page.h - 2 * m - footer_h - header)
        legend_box = (box[0] + box[2] + 5, box[1], legend_w, box[3])
        cols = 1
    else:
        cols = 1 if rows <= 6 else 2
        legend_h = 9 + 4.2 * math.ceil(rows / cols) + 3
        box = (m, m + footer_h + legend_h, page.w - 2 * m, page.h - 2 * m - footer_h - header - legend_h)
        legend_box = (m, m + footer_h, page.w - 2 * m, legend_h - 2)
    schaal, extent = _fit(sel, box[2], box[3])
    ax = page.axes(*box)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.6)
        spine.set_color(TEXT)
    _draw_buurten(ax, frame, geoms, present, mask, colouring, opties, extent)
    _draw_outlines(ax, frame, geoms, present, extent, mask)
    if opties.labels or opties.klassenummers:
        _draw_labels(ax, frame, geoms, present & mask, colouring, opties, schaal, extent)
    stok = _scale_bar(ax, extent)
    _north_arrow(ax)
    info = f"Schaal 1 : {integer(schaal)} op {opties.papier} · RD New (EPSG:28992) · {date_text(moment)} · " \
           f"wijkprofielen {__version__}"
    page.text(m, m + footer_h - 4, info, fontsize=6.5, va="bottom")
    teksten.append(info)
    teksten += _draw_legend(page, legend_box, colouring, entries, opties, cols)
    return KaartPrint(page.fig, ax, titel, schaal, extent, tuple(float(v) for v in sel), legend, stok, teksten)


def _fit(bounds, box_w: float, box_h: float) -> tuple[int, tuple[float, float, float, float]]:
    """The round scale at which ``bounds`` plus a margin fits a box of ``box_w × box_h`` mm, and the extent."""
    x0, y0, x1, y1 = bounds
    pad = max(x1 - x0, y1 - y0, 500.0) * MARGE
    w, h = x1 - x0 + 2 * pad, y1 - y0 + 2 * pad
    schaal = nice_scale(max(w / box_w, h / box_h) * 1000)  # metres per mm × 1000 = the scale denominator
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = box_w * schaal / 2000, box_h * schaal / 2000
    return schaal, (cx - half_w, cy - half_h, cx + half_w, cy + half_h)


def _in_view(geoms, present, extent) -> np.ndarray:
    return present & shapely.intersects(geoms, shapely.box(*extent))


def _draw_buurten(ax: Axes, frame, geoms, present, mask, colouring: Colouring, opties: KaartOpties, extent) -> None:
    view = _in_view(geoms, present, extent)
    context = np.flatnonzero(view & ~mask)
    if len(context):
        ax.add_collection(PathCollection([polygon_path(geoms[i]) for i in context], facecolors=CONTEXT_HEX,
                                         edgecolors="white", linewidths=0.4))
    yb = colouring.classification.yb
    k = colouring.classification.k
    for cls in [*range(k), -1]:
        idx = np.flatnonzero(view & mask & (yb == cls))
        if not len(idx):
            continue
        colour = MISSING_HEX if cls < 0 else colouring.palette[cls]
        hatch = HATCHES[cls % len(HATCHES)] if opties.arcering and cls >= 0 else None
        ax.add_collection(PathCollection([polygon_path(geoms[i]) for i in idx], facecolors=colour,
                                         edgecolors="white", linewidths=0.35, hatch=hatch, hatchcolor="#333333"))


def _draw_outlines(ax: Axes, frame, geoms, present, extent, mask) -> None:
    """Wijk and gemeente boundaries, dissolved from the buurten in view (a buurt outside the view
    adds nothing to the part of a boundary inside it)."""
    view = _in_view(geoms, present, extent)
    part = frame.loc[view, ["wijkcode", "gemeentecode", "geometry"]]
    part = part.assign(selectie=mask[view])
    levels = [("gemeentecode", GEMEENTE_LINE, 1.3)]
    if not overview(mask.sum()):
        levels.insert(0, ("wijkcode", WIJK_LINE, 0.7))
    if not mask.all():
        levels.append(("selectie", GEMEENTE_LINE, 1.8))
    for by, colour, width in levels:
        merged = outlines(part, by)
        if by == "selectie":  # the selection itself, a little heavier than a gemeente boundary
            merged = merged[merged["selectie"]]
        paths = [polygon_path(g) for g in merged.geometry if g is not None and not g.is_empty
                 and g.geom_type in ("Polygon", "MultiPolygon")]
        ax.add_collection(PathCollection(paths, facecolors="none", edgecolors=colour, linewidths=width))


def _class_numbers(colouring: Colouring) -> np.ndarray:
    yb = colouring.classification.yb
    return np.where(yb >= 0, (yb + 1).astype(str), "")


def _draw_labels(ax: Axes, frame, geoms, shown, colouring: Colouring, opties: KaartOpties, schaal: int,
                 extent) -> None:
    """Names and/or class numbers inside each buurt; a label that would overlap a bigger buurt's is left out."""
    idx = np.flatnonzero(shown & _in_view(geoms, shown, extent))
    idx = idx[np.argsort(-shapely.area(geoms[idx]), kind="stable")]
    points = shapely.get_coordinates(shapely.point_on_surface(geoms[idx]))
    numbers = _class_numbers(colouring)
    size = 5.5
    mm_per_m = 1000 / schaal
    taken: list[tuple[float, float, float, float]] = []
    # A light box, not a stroke: a path effect turns the text into outlines in PDF and SVG.
    box = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7}
    for i, (x, y) in zip(idx, points):
        parts = []
        if opties.klassenummers and numbers[i]:
            parts.append(numbers[i])
        if opties.labels:
            parts.append(str(frame.at[i, "buurtnaam"]))
        if not parts:
            continue
        text = "\n".join(parts)
        w = max(len(p) for p in parts) * size * 0.3528 * 0.55 / 2
        h = len(parts) * size * 0.3528 * 1.2 / 2
        cx, cy = (x - extent[0]) * mm_per_m, (y - extent[1]) * mm_per_m
        rect = (cx - w, cy - h, cx + w, cy + h)
        if any(rect[0] < r[2] and r[0] < rect[2] and rect[1] < r[3] and r[1] < rect[3] for r in taken):
            continue
        taken.append(rect)
        ax.text(x, y, text, fontsize=size, ha="center", va="center", color=TEXT, bbox=box,
                linespacing=1.1, clip_on=True)


def _scale_bar(ax: Axes, extent) -> Schaalstok:
    """A bar of a round length (about a fifth of the map's width) in four black and white parts."""
    x0, y0, x1, y1 = extent
    width = x1 - x0
    lengte = round_length(width / 5)
    bx, by = x0 + width * 0.03, y0 + (y1 - y0) * 0.035
    hgt = width * 0.008
    ax.add_patch(Rectangle((bx - width * 0.012, by - hgt * 1.2), lengte + width * 0.05, hgt * 5.2, facecolor="white",
                           edgecolor="none", alpha=0.85))
    for j in range(4):
        ax.add_patch(Rectangle((bx + j * lengte / 4, by), lengte / 4, hgt, facecolor=TEXT if j % 2 == 0 else "white",
                               edgecolor="none"))
    rand = Rectangle((bx, by), lengte, hgt, facecolor="none", edgecolor=TEXT, linewidth=0.6)
    ax.add_patch(rand)
    label = length_text(lengte)
    ax.text(bx, by + hgt * 1.6, "0", fontsize=6.5, ha="center", va="bottom", color=TEXT)
    ax.text(bx + lengte, by + hgt * 1.6, label, fontsize=6.5, ha="center", va="bottom", color=TEXT)
    return Schaalstok(lengte, rand, label)


def _north_arrow(ax: Axes) -> None:
    """A north arrow in the top right corner (RD's grid north is up)."""
    x, y = 0.955, 0.90
    ax.add_patch(Polygon([(x, y + 0.05), (x - 0.014, y), (x, y + 0.012)], closed=True, transform=ax.transAxes,
                         facecolor=TEXT, edgecolor=TEXT, linewidth=0.5))
    ax.add_patch(Polygon([(x, y + 0.05), (x + 0.014, y), (x, y + 0.012)], closed=True, transform=ax.transAxes,
                         facecolor="white", edgecolor=TEXT, linewidth=0.5))
    ax.text(x, y + 0.055, "N", transform=ax.transAxes, fontsize=9, fontweight="bold", ha="center", va="bottom",
            color=TEXT)


def _legend_entries(colouring: Colouring, legend: list[LegendItem], opties: KaartOpties,
                    width: float) -> list[tuple[int, LegendItem, str, str, int]]:
    """Per legend row: class index, item, its text (number, label, count) and meaning, wrapped to
    ``width`` mm, and the number of lines both take."""
    out = []
    for n, item in enumerate(legend):
        is_missing = n >= colouring.classification.k
        nummer = "" if not opties.klassenummers else ("–  " if is_missing else f"{n + 1}  ")
        text = _wrap(f"{nummer}{item.label} ({item.aantal})", width, 7)
        uitleg = _wrap(item.uitleg, width, 6) if item.uitleg else ""
        out.append((n, item, text, uitleg, text.count("\n") + 1 + (uitleg.count("\n") + 1 if uitleg else 0)))
    return out


def _draw_legend(page: _Page, box, colouring: Colouring, entries, opties: KaartOpties, cols: int) -> list[str]:
    """The legend: title, then per class its swatch (with pattern and number), label and count."""
    x, y, w, h = box
    top = y + h
    page.text(x, top, _wrap(f"Legenda: {colouring.titel}", w, 8.5 * 1.1), fontsize=8.5, fontweight="bold", va="top")
    out = [colouring.titel]
    col_w = w / cols
    per_col = math.ceil(sum(e[-1] for e in entries) / cols)
    row, col = 0, 0
    for n, item, text, uitleg, lines in entries:
        if row + lines > per_col and row > 0 and col + 1 < cols:
            row, col = 0, col + 1
        cx, cy = x + col * col_w, top - 7 - row * 4.2
        is_missing = n >= colouring.classification.k
        hatch = HATCHES[n % len(HATCHES)] if opties.arcering and not is_missing else None
        swatch = page.axes(cx, cy - 3, 6, 3)
        swatch.set_axis_off()
        swatch.add_patch(Rectangle((0, 0), 1, 1, facecolor=item.hex, edgecolor="#888888", linewidth=0.5, hatch=hatch,
                                   hatchcolor="#333333", transform=swatch.transAxes))
        page.text(cx + 8, cy - 0.2, text, fontsize=7, va="top", linespacing=1.45)
        out.append(text)
        if uitleg:
            below = cy - 0.2 - 4.2 * (text.count("\n") + 1)
            page.text(cx + 8, below + 0.3, uitleg, fontsize=6, va="top", color="#555555", linespacing=1.7)
            out.append(uitleg)
        row += lines
    return out


def kaart_bytes(ds: Dataset, frame: pd.DataFrame, result: ScoreResult, cfg: Config, opties: KaartOpties, fmt: str,
                **kw) -> bytes:
    """The map print as ``fmt`` (pdf, png or svg); keyword arguments as :func:`draw_kaart`."""
    if fmt not in FORMATS:
        raise DataError(f"Onbekend formaat '{fmt}' voor de kaart. Kies uit: {', '.join(FORMATS)}.")
    return draw_kaart(ds, frame, result, cfg, opties, **kw).save(fmt)
