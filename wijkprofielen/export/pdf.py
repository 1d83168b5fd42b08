"""The wijkprofiel as an A4 PDF (fpdf2) with an embedded Unicode font.

fpdf2's core fonts are Latin-1 only, so "€", "–" and "’" need a TTF: DejaVu Sans ships
with matplotlib. One document can hold many profiles (batch export).
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
from fpdf import FPDF

from ..formatting import number
from .content import KERNCIJFERS_UITLEG, Profiel
from .figures import SQUARE, WIDE

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
MARGIN = 12
GREY = (90, 90, 90)
PAD = 0.8
GAP = 4  # mm between columns
NO_MAP = "Geen kaart: deze dataset bevat geen buurtgrenzen."
# Column widths (mm, 186 in all): the indicator and the remark get the room, so a row seldom
# needs a third line.
KERNCIJFERS_WIDTHS = (56, 30, 10, 44, 46)
MENUKAART_WIDTHS = (50, 34, 28, 74)


class ProfielPDF(FPDF):
    """An A4 document with the profile's provenance in every footer."""

    def __init__(self) -> None:
        super().__init__(format="A4", unit="mm")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=16)
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_creator("wijkprofielen")
        self.voettekst = ""

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 6.5)
        self.set_text_color(*GREY)
        for line in self.lines(f"{self.voettekst} · pagina {self.page_no()}", self.w - 2 * MARGIN + 2 * PAD):
            self.cell(0, 3, line, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    # -- building blocks ------------------------------------------------------------------
    def heading(self, text: str, size: float = 10) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(1)
        self.para(text, size, bold=True)

    def lines(self, text: str, width: float) -> list[str]:
        """``text`` wrapped at spaces into lines of at most ``width`` mm in the current font.

        A greedy wrap on measured words: fpdf2's own line breaker re-measures the line for
        every character, which made it the slowest part of a batch export.
        """
        avail = width - 2 * PAD
        if "\n" not in text and self.get_string_width(text) <= avail:
            return [text]
        space = self.get_string_width(" ")
        out: list[str] = []
        for paragraph in text.split("\n"):
            cur: list[str] = []
            cur_w = 0.0
            for word in paragraph.split(" "):
                w = self.get_string_width(word)
                while w > avail and len(word) > 1:  # longer than the column: break the word
                    if cur:
                        out.append(" ".join(cur))
                        cur, cur_w = [], 0.0
                    n, acc = 0, 0.0
                    while n < len(word) and acc + self.get_string_width(word[n]) <= avail:
                        acc += self.get_string_width(word[n])
                        n += 1
                    n = max(n, 1)
                    out.append(word[:n])
                    word = word[n:]
                    w = self.get_string_width(word)
                if cur and cur_w + space + w > avail:
                    out.append(" ".join(cur))
                    cur, cur_w = [word], w
                else:
                    cur_w += (space if cur else 0.0) + w
                    cur.append(word)
            out.append(" ".join(cur))
        return out

    def para(self, text: str, size: float = 8.5, bold: bool = False, x: float | None = None, width: float | None = None) -> None:
        """A wrapped paragraph at ``x`` (default the left margin), ``width`` mm wide."""
        self.set_font(FONT, "B" if bold else "", size)
        lh = size * 0.48
        x = self.l_margin if x is None else x
        width = width or self.w - x - self.r_margin
        for line in self.lines(text, width + 2 * PAD):
            self.set_x(x)
            self.cell(width, lh, line, new_x="LEFT", new_y="NEXT")
        self.set_x(self.l_margin)

    def grid(self, rows: list[list[str]], widths: tuple[float, ...], size: float = 7.5, x: float | None = None) -> None:
        """A table with a bold shaded first row and thin lines between rows, starting at ``x``."""
        left = self.l_margin if x is None else x
        lh = size * 0.47
        for n, row in enumerate(rows):
            self.set_font(FONT, "B" if n == 0 else "", size)
            cells = [self.lines(str(text), w) for text, w in zip(row, widths)]
            height = max(len(c) for c in cells) * lh + 1
            if self.get_y() + height > self.page_break_trigger:
                self.add_page()
                if n:  # repeat the header row on the new page
                    self.grid(rows[:1], widths, size, left)
                    self.set_font(FONT, "", size)
            x, y = left, self.get_y()
            if n == 0:
                self.set_fill_color(235, 235, 235)
                self.rect(x, y, sum(widths), height, style="F")
            for cell, w in zip(cells, widths):
                for k, line in enumerate(cell):
                    self.set_xy(x + PAD, y + 0.5 + k * lh)
                    self.cell(w - 2 * PAD, lh, line)
                x += w
            self.set_draw_color(210, 210, 210)
            self.line(left, y + height, left + sum(widths), y + height)
            self.set_xy(left, y + height)


def figures_row(pdf: ProfielPDF, p: Profiel) -> None:
    """Map, assenkruis and trend side by side, each a third of the width, at their printed size."""
    top = pdf.get_y() + 1.5
    third = (pdf.w - 2 * MARGIN - 2 * GAP) / 3
    xs = [MARGIN + k * (third + GAP) for k in range(3)]
    bottom = top + third * SQUARE[1] / SQUARE[0]
    if "kaart" in p.figuren:
        pdf.image(io.BytesIO(p.figuren["kaart"]), x=xs[0], y=top, w=third)
    else:
        pdf.set_xy(xs[0], top + 20)
        pdf.para(NO_MAP, 8, x=xs[0], width=third)
    if "assenkruis" in p.figuren:
        pdf.image(io.BytesIO(p.figuren["assenkruis"]), x=xs[1], y=top, w=third)
    if "trend" in p.figuren:
        pdf.set_xy(xs[2], top)
        pdf.para(f"Trend: {p.trend_label}", 8, bold=True, x=xs[2], width=third)
        y = pdf.get_y() + 0.5
        pdf.image(io.BytesIO(p.figuren["trend"]), x=xs[2], y=y, w=third)
        pdf.set_xy(xs[2], y + third * WIDE[1] / WIDE[0] + 0.5)
        pdf.para("Buurt tegen de mediaan van de gemeente. " + ", ".join(f"{j}: {number(v, 2)}" for j, v in p.trend)
                 + ".", 6.8, x=xs[2], width=third)
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(MARGIN, bottom + 1)


def add_profiel(pdf: ProfielPDF, p: Profiel) -> None:
    """Append one wijkprofiel (one or two pages) to ``pdf``."""
    pdf.voettekst = p.voettekst
    pdf.add_page()
    pdf.set_title(p.titel)
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 8, p.titel, new_x="LMARGIN", new_y="NEXT")
    pdf.para(p.ondertitel, 8.5)
    if p.synthetisch:
        pdf.set_fill_color(255, 243, 205)
        pdf.set_font(FONT, "B", 8)
        pdf.multi_cell(0, 4.5, "Synthetische voorbeeldgegevens – geen echte buurt, geen echte cijfers.", fill=True,
                       new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.para(f"Kwadrant: {p.kwadrant_naam}", 10, bold=True)
    if p.kwadrant_uitleg:
        pdf.para(p.kwadrant_uitleg, 8.5)

    figures_row(pdf, p)
    pdf.heading("Scores op de twee assen")
    # The two axes side by side: the profile then fits on two pages with a full menukaart.
    half = (pdf.w - 2 * MARGIN - GAP) / 2
    top = pdf.get_y()
    bottom = top
    for n, a in enumerate(p.assen):
        x = MARGIN + n * (half + GAP)
        pdf.set_xy(x, top)
        score = "onvoldoende gegevens" if a.score is None else number(a.score, signed=True)
        pdf.para(f"{a.label}: {score}", 9, bold=True, x=x, width=half)
        pdf.para(f"Dekking {a.dekking:.0%} van het gewicht", 7.5, x=x, width=half)
        pdf.para("Deelscores: " + "; ".join(f"{label} {number(v, signed=True)}" for label, v in a.subscores), 7.5,
                 x=x, width=half)
        if a.bijdragen:
            rows = [["Grootste bijdragen", "Subas", "Gewicht", "Bijdrage"]]
            rows += [[f"{b.indicator} ({b.richting})", b.subas, number(b.gewicht, 2), number(b.bijdrage, 3, signed=True)]
                     for b in a.bijdragen]
            pdf.grid(rows, (half - 48, 18, 13, 17), size=6.8, x=x)
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(MARGIN, bottom + 1)
    if p.stabiliteit:
        pdf.para(f"Stabiliteit van de plaatsing: {p.stabiliteit}", 8)
    if p.dynamiek:
        pdf.heading("Dynamiek: richting van de verandering")
        for line in p.dynamiek:
            pdf.para(line, 8, bold=line.startswith("Signaal"))
        pdf.para(p.dynamiek_uitleg, 7)

    pdf.heading("Kerncijfers")
    pdf.para(KERNCIJFERS_UITLEG, 7)
    rows = [["Indicator", "Waarde", "Jaar", "Bron", "Opmerking"]]
    rows += [[i.indicator, i.waarde, i.jaar, i.bron, i.opmerking] for i in p.indicatoren]
    pdf.grid(rows, KERNCIJFERS_WIDTHS, size=6.6)

    pdf.heading("Menukaart: mogelijke interventies")
    if p.menukaart is None:
        pdf.para("De menukaart is in deze installatie niet beschikbaar.", 8)
    elif not p.menukaart:
        pdf.para("Geen suggesties voor deze buurt." if not p.te_controleren else
                 "Met de bekende gegevens past geen interventie zeker bij deze buurt.", 8)
    else:
        rows = [["Interventie", "Categorie", "Trekker", "Waarom hier"]]
        rows += [[m.titel, m.categorie, m.trekker, m.redenen or m.waarom] for m in p.menukaart]
        pdf.grid(rows, MENUKAART_WIDTHS, size=6.8)
    if p.te_controleren:
        pdf.para(f"Te controleren ({p.te_controleren_totaal}): een beslissend cijfer ontbreekt; geen suggestie "
                 "zolang het niet is gecontroleerd." + (f" De eerste {len(p.te_controleren)}; de rest staat in de app."
                 if p.te_controleren_totaal > len(p.te_controleren) else ""), 7.5, bold=True)
        rows = [["Interventie", "Wat te controleren"]]
        rows += [[m.titel, m.redenen] for m in p.te_controleren]
        pdf.grid(rows, (48, 138), size=6.8)

    if p.plaatsingen:
        pdf.heading("Plaatsingen in workshops")
        if p.plaatsingen_toelichting:
            pdf.para(p.plaatsingen_toelichting, 8)
        rows = [["Workshop", "Deelnemer", "Draagkracht", "Fysieke kansen", "Reden"]]
        rows += [[str(r.get("workshop") or ""), str(r.get("deelnemer") or ""), number(r.get("draagkracht"), signed=True),
                  number(r.get("fysieke_kansen"), signed=True), str(r.get("reden") or "")] for r in p.plaatsingen]
        pdf.grid(rows, (36, 30, 22, 24, 74), size=7)

    pdf.heading("Lees dit eerst")
    for line in p.voorbehoud:
        pdf.para(f"• {line}", 8)

    pdf.heading("Gebruikt recept")
    r = p.recept
    pdf.para(f"Normalisatie {r['normalisatie']}, referentie {r['referentie']}, minimale dekking {r['min_dekking']:.0%}, "
             f"clip ±{number(r['clip'], 1)}; kwadrantgrenzen draagkracht {number(r['grenzen']['draagkracht'], 2)}, "
             f"fysieke kansen {number(r['grenzen']['fysieke_kansen'], 2)}. Per indicator: richting, gewicht, subas.", 6.8)
    for a in r["assen"]:
        pdf.para(a["label"] + ": " + "; ".join(
            f"{i['indicator']} ({i['richting']}, {number(i['gewicht'], 2)}, {i['subas']}"
            + ("" if i["in_dataset"] else ", niet in dataset") + ")" for i in a["indicatoren"]), 6.5)

    pdf.heading("Bronnen")
    for line in p.attributie:
        pdf.para(line, 6.8)


def render_pdf(profielen: Profiel | list[Profiel], progress=None) -> bytes:
    """One PDF with the given profile(s); ``progress(i, n, naam)`` after each one."""
    items = [profielen] if isinstance(profielen, Profiel) else list(profielen)
    pdf = ProfielPDF()
    for n, p in enumerate(items, 1):
        add_profiel(pdf, p)
        if progress:
            progress(n, len(items), p.buurtnaam)
    return bytes(pdf.output())
