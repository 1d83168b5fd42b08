"""The one-pager is two A4 pages for every buurt, with room left for more blocks on the second."""

from __future__ import annotations

import io

import pypdf
import pytest

from wijkprofielen.export.exporter import Exporter
from wijkprofielen.export.pdf import ProfielPDF, add_profiel

ROOM_MM = 40  # free at the end of page 2, for blocks still to come (checks, badges)


def _layout(ex: Exporter, code: str, pdf: ProfielPDF | None = None) -> tuple[int, float]:
    """Pages used and the free height (mm) left on the last one; profiles follow each other in ``pdf``
    as in a batch export (one document: the fonts are loaded once)."""
    pdf = pdf or ProfielPDF()
    before = pdf.page_no()
    add_profiel(pdf, ex.profiel(code))
    return pdf.page_no() - before, pdf.page_break_trigger - pdf.get_y()


def _check_every_buurt(ex: Exporter, codes) -> None:
    bad = {}
    pdf = ProfielPDF()
    for code in codes:
        pages, free = _layout(ex, code, pdf)
        if pages != 2 or free < ROOM_MM:
            bad[code] = (pages, round(free))
    assert not bad, f"(pagina's, vrije mm op pagina 2): {bad}"


def test_every_synthetic_buurt_fits_on_two_pages(voorbeeld, config):
    _check_every_buurt(Exporter(voorbeeld, config), voorbeeld.gebieden["buurtcode"])


def test_layout_count_agrees_with_the_written_pdf(voorbeeld, config):
    ex = Exporter(voorbeeld, config)
    code = voorbeeld.gebieden["buurtcode"].iloc[0]
    assert len(pypdf.PdfReader(io.BytesIO(ex.pdf(code))).pages) == _layout(ex, code)[0] == 2


@pytest.mark.realdata
def test_every_real_buurt_fits_on_two_pages(gm0796, config):
    ds, _rapport = gm0796
    _check_every_buurt(Exporter(ds, config), ds.gebieden["buurtcode"])
