"""The uitvoeringsagenda of one year: the afspraken per party, per wijk and buurt, and what is due.

Downloads: XLSX with one sheet per party (each a real Excel table with filters), CSV, and a
PDF for the bestuurlijk overleg (per party, grouped by wijk, with the buurt's quadrant and
signal from the :class:`~.monitor.Monitor`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from ..export.pdf import MARGIN, ProfielPDF
from ..formatting import integer
from .model import Afspraak, woningen_text
from .monitor import Monitor

COLUMNS = {
    "partij": "Partij", "wijk": "Wijk", "buurt": "Buurt", "gebiedscode": "Code", "kwadrant": "Kwadrant",
    "signaal": "Signaal", "id": "Id", "titel": "Afspraak", "interventie": "Interventie", "partners": "Partners",
    "start_jaar": "Start", "eind_jaar": "Eind", "dit_jaar": "Dit jaar", "status": "Status", "woningen": "Woningen",
    "budget": "Budget (€)", "indicatoren": "Beoogd effect", "toelichting": "Toelichting", "herkomst": "Herkomst",
}
EXCEL_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def due(a: Afspraak, jaar: int) -> str:
    """What the afspraak asks in ``jaar``: ``'start'``, ``'afronden'``, both, or ``'loopt door'``."""
    parts = (["start"] if a.start_jaar == jaar else []) + (["afronden"] if a.eind_jaar == jaar else [])
    return " en ".join(parts) or "loopt door"


def agenda_table(afspraken: Iterable[Afspraak], jaar: int, frame: pd.DataFrame | None = None,
                 monitor: Monitor | None = None, kwadrant_namen: Mapping[str, str] | None = None,
                 interventies: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The afspraken that run in ``jaar`` (not vervallen), sorted by party, wijk and buurt.

    Parameters
    ----------
    frame : DataFrame, optional
        Buurten with ``buurtcode``, ``buurtnaam``, ``wijkcode``, ``wijknaam`` (for the names).
    monitor : Monitor, optional
        For the buurt's quadrant (now) and signal.
    interventies : mapping, optional
        ``{id: label}`` of the menukaart, for readable intervention names.
    """
    names: dict[str, str] = {}
    wijk_of: dict[str, str] = {}
    if frame is not None:
        names = dict(zip(frame["buurtcode"].astype(str), frame["buurtnaam"].astype(str)))
        wijk_of = dict(zip(frame["buurtcode"].astype(str), frame["wijkcode"].astype(str)))
        names |= dict(zip(frame["wijkcode"].astype(str), frame["wijknaam"].astype(str)))
    stand = {m.afspraak.id: m.stand for m in monitor.afspraken} if monitor else {}
    qn = kwadrant_namen or {}
    labels = interventies or {}
    rows = []
    for a in afspraken:
        if not a.loopt_in(jaar):
            continue
        wijkcode = a.buurtcode if a.is_wijk else wijk_of.get(a.buurtcode, "")
        s = stand.get(a.id)
        rows.append({
            "partij": a.partij, "wijk": names.get(wijkcode, wijkcode) or "onbekende wijk",
            "buurt": "hele wijk" if a.is_wijk else names.get(a.buurtcode, a.buurtcode), "gebiedscode": a.buurtcode,
            "kwadrant": "" if s is None or s.kwadrant_nu is None else qn.get(s.kwadrant_nu, s.kwadrant_nu),
            "signaal": (s.signaal or "") if s else "", "id": a.id, "titel": a.titel,
            "interventie": labels.get(a.interventie, a.interventie), "partners": ", ".join(a.partners),
            "start_jaar": a.start_jaar, "eind_jaar": a.eind_jaar, "dit_jaar": due(a, jaar), "status": a.status,
            "woningen": woningen_text(a), "budget": a.budget,
            "indicatoren": ", ".join(f"{i.kolom} {i.richting}" for i in a.indicatoren),
            "toelichting": a.toelichting, "herkomst": a.herkomst.label(),
        })
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    return out.sort_values(["partij", "wijk", "buurt", "id"], kind="stable").reset_index(drop=True)


def _sheet_name(partij: str, taken: set[str]) -> str:
    base = EXCEL_FORBIDDEN.sub("-", partij)[:31] or "Partij"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def xlsx_bytes(table: pd.DataFrame, jaar: int) -> bytes:
    """One sheet per party, each an Excel table (with filter buttons) of its afspraken."""
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    parties = list(dict.fromkeys(table["partij"])) or ["Geen afspraken"]
    for n, partij in enumerate(parties, 1):
        ws = wb.create_sheet(_sheet_name(partij, taken))
        sub = table[table["partij"] == partij].drop(columns="partij")
        headers = [COLUMNS[c] for c in sub.columns]
        ws.append(headers)
        for row in sub.itertuples(index=False):
            ws.append([None if (isinstance(v, float) and pd.isna(v)) else v for v in row])
        if len(sub) == 0:  # an Excel table needs a data row
            ws.append([None] * len(headers))
        ref = f"A1:{get_column_letter(len(headers))}{ws.max_row}"
        t = Table(displayName=f"Agenda{jaar}_{n}", ref=ref)
        t.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        ws.add_table(t)
        ws.freeze_panes = "A2"
        for k, col in enumerate(sub.columns, 1):
            width = max([len(str(COLUMNS[col]))] + [len(str(v)) for v in sub[col].head(200)])
            ws.column_dimensions[get_column_letter(k)].width = min(max(width + 2, 8), 60)
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        budget = list(sub.columns).index("budget") + 1
        for (cell,) in ws.iter_rows(min_row=2, min_col=budget, max_col=budget):
            cell.number_format = "#,##0"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(table: pd.DataFrame) -> bytes:
    """All rows as UTF-8 CSV with BOM (Excel shows € and ë); Dutch headers."""
    return table.rename(columns=COLUMNS).to_csv(index=False).encode("utf-8-sig")


def pdf_bytes(table: pd.DataFrame, jaar: int, gemeente: str = "", synthetisch: bool = False) -> bytes:
    """The agenda for the bestuurlijk overleg: per party, grouped by wijk, with quadrant and signal."""
    pdf = ProfielPDF()
    titel = f"Uitvoeringsagenda {jaar}" + (f" – {gemeente}" if gemeente else "")
    pdf.voettekst = f"{titel} · wijkprofielen · kwadrant en signaal zijn signalen, geen oordelen"
    pdf.set_title(titel)
    pdf.add_page()
    pdf.para(titel, 16, bold=True)
    pdf.para(f"Wat de partijen in {jaar} doen: de lopende prestatieafspraken per partij en wijk, met wat dit jaar "
             "start of wordt afgerond. Kwadrant: de positie van de buurt nu; signaal: de draagkracht daalt (vanuit een "
             "lage of een goede positie) of ging sinds de start van de afspraak van hoog naar laag.", 8.5)
    if synthetisch:
        pdf.para("Synthetische voorbeeldgegevens – geen echte buurten, geen echte afspraken.", 8, bold=True)
    if table.empty:
        pdf.para(f"Geen lopende afspraken in {jaar}.", 9)
    widths = (34, 54, 24, 30, 20, 24)
    for partij, sub in table.groupby("partij", sort=False):
        pdf.heading(f"{partij} ({integer(len(sub))} {'afspraak' if len(sub) == 1 else 'afspraken'})", 12)
        for wijk, rows in sub.groupby("wijk", sort=False):
            pdf.heading(f"Wijk {wijk}", 9.5)
            grid = [["Buurt", "Afspraak", "Dit jaar", "Kwadrant", "Status", "Signaal"]]
            for r in rows.itertuples(index=False):
                extra = f" – {r.woningen}" if r.woningen else ""
                grid.append([f"{r.buurt} ({r.gebiedscode})", f"{r.titel}{extra} [{r.start_jaar}–{r.eind_jaar}]",
                             r.dit_jaar, r.kwadrant or "–", r.status, r.signaal or "–"])
            pdf.grid(grid, widths, size=7, x=MARGIN)
    return bytes(pdf.output())
