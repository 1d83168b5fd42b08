"""The one-pager of one wijk or gebied, as HTML and PDF.

The same content as the Gebiedsprofiel page, on one sheet: scores and coverage, the reference,
the spread of the buurten (with the "niet eenduidig" flag), and the figures with year, source
and origin (gepubliceerd, or berekend uit N buurten).
"""

from __future__ import annotations

import html

import pandas as pd

from .. import indicators
from ..config import Config
from ..dataset import Dataset
from ..domain import AXES, NIVEAU_LABELS
from ..formatting import measure, percent, score
from ..gebieden import Niveauprofiel
from .pdf import ProfielPDF

FIGURE_WIDTHS = (64, 26, 14, 82)
BUURT_WIDTHS = (70, 30, 30, 56)


def onepager(ds: Dataset, profiel: Niveauprofiel, cfg: Config, eenheid: str) -> dict:
    """The texts and tables of one unit's one-pager."""
    names = dict(zip(profiel.eenheden.frame["eenheid"].astype(str), profiel.eenheden.frame["naam"].astype(str)))
    s = profiel.result.scores.loc[eenheid]
    spread = profiel.spreiding.set_index("eenheid").loc[eenheid]
    definitie = next((g for g in profiel.eenheden.gebieden if g.naam == eenheid), None)
    lang = profiel.eenheden.lang
    rows = lang[lang["eenheid"].astype(str) == str(eenheid)]
    figures = [[indicators.info(k).label, measure(v, indicators.info(k).eenheid, reason=r or None),
                "" if pd.isna(j) else str(int(j)),
                (t or "berekend") if h == "berekend" else (h or "") + (f" · {b}" if b else "")]
               for k, v, j, h, t, r, b in zip(rows["kolom"], rows["waarde"], rows["jaar"], rows["herkomst"].fillna(""),
                                             rows["toelichting"].fillna(""), rows["reden"].fillna(""), rows["bron"].fillna(""))]
    b = profiel.buurten[profiel.buurten["eenheid"].astype(str) == str(eenheid)]
    buurten = [[n, score(dk), score(fk), cfg.kwadrant_namen.get(q, q)]
               for n, dk, fk, q in zip(b["buurtnaam"], b["draagkracht"], b["fysieke_kansen"], b["kwadrant"])]
    return {
        "titel": f"{names[eenheid]} — {NIVEAU_LABELS[profiel.niveau]}",
        "ondertitel": f"{ds.naam} · {len(b)} buurten" + (f" · versie {definitie.versie}" if definitie and definitie.versie else "")
                      + (f" · {definitie.beschrijving}" if definitie and definitie.beschrijving else ""),
        "kwadrant": f"Kwadrant: {cfg.kwadrant_namen.get(s['kwadrant'], s['kwadrant'])}",
        "scores": [f"{profiel.result.recipe.axis(a).label}: {score(s[a], reason='onvoldoende gegevens')} "
                   f"(dekking {percent(s[f'dekking_{a}'])})" for a in AXES],
        "referentie": f"Genormaliseerd tegen {profiel.referentie}, niet tegen buurten.",
        "eenduidig": "" if bool(spread["eenduidig"]) else "Niet eenduidig: de buurten liggen in tegenovergestelde kwadranten.",
        "buurten": buurten,
        "cijfers": figures,
    }


def level_html(ds: Dataset, profiel: Niveauprofiel, cfg: Config, eenheid: str) -> bytes:
    """One unit's one-pager as a standalone HTML page."""
    p = onepager(ds, profiel, cfg, eenheid)
    e = html.escape

    def table(head: list[str], rows: list[list[str]]) -> str:
        return ("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>"
                + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows) + "</table>")

    body = [f"<h1>{e(p['titel'])}</h1>", f"<p class='sub'>{e(p['ondertitel'])}</p>", f"<p><b>{e(p['kwadrant'])}</b></p>",
            *[f"<p>{e(t)}</p>" for t in p["scores"]], f"<p class='sub'>{e(p['referentie'])}</p>",
            *([f"<p class='let'>{e(p['eenduidig'])}</p>"] if p["eenduidig"] else []),
            "<h2>Buurten</h2>", table(["Buurt", "Draagkracht", "Fysieke kansen", "Kwadrant"], p["buurten"]),
            "<h2>Cijfers</h2>", table(["Indicator", "Waarde", "Jaar", "Herkomst"], p["cijfers"])]
    style = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}.sub{color:#555}"
             ".let{color:#8a4b00;font-weight:bold}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;"
             "padding:.2em .6em;text-align:left}")
    return (f"<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>{e(p['titel'])}</title>"
            f"<style>{style}</style></head><body>{''.join(body)}</body></html>").encode("utf-8")


def level_pdf(ds: Dataset, profiel: Niveauprofiel, cfg: Config, eenheid: str) -> bytes:
    """One unit's one-pager as an A4 PDF."""
    p = onepager(ds, profiel, cfg, eenheid)
    pdf = ProfielPDF()
    pdf.voettekst = f"wijkprofielen · {ds.naam} · {p['titel']}"
    pdf.add_page()
    pdf.para(p["titel"], 14, bold=True)
    pdf.para(p["ondertitel"])
    pdf.para(p["kwadrant"], bold=True)
    for text in (*p["scores"], p["referentie"], *([p["eenduidig"]] if p["eenduidig"] else [])):
        pdf.para(text)
    pdf.heading("Buurten")
    pdf.grid([["Buurt", "Draagkracht", "Fysieke kansen", "Kwadrant"], *p["buurten"]], BUURT_WIDTHS)
    pdf.heading("Cijfers")
    pdf.grid([["Indicator", "Waarde", "Jaar", "Herkomst"], *p["cijfers"]], FIGURE_WIDTHS)
    return bytes(pdf.output())
