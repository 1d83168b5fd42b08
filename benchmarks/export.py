"""Export speed: one wijkprofiel PDF, and a batch of 100 buurten in one PDF.

The example gemeente has 77 buurten; the batch repeats buurten to reach ``--export-batch``
(default 100), which measures the same work per profile. CPU time is reported next to
wall time because the machine may be shared.
"""

from __future__ import annotations

import time

from wijkprofielen.config import load_config
from wijkprofielen.export.exporter import Exporter
from wijkprofielen.synthetic import voorbeeldstad
from . import timed


def add_arguments(parser) -> None:
    parser.add_argument("--export-batch", type=int, default=100, metavar="N", help="export: aantal buurten in de batch (standaard 100)")


def run(options) -> dict:
    ds = voorbeeldstad()
    cfg = load_config(options.config)
    n = max(1, getattr(options, "export_batch", 100))
    codes = (ds.codes * (n // len(ds.codes) + 1))[:n]
    # A cold exporter per PDF: what a user's first click costs (figure bases not yet drawn).
    t0 = time.perf_counter()
    cold = Exporter(ds, cfg).pdf(codes[0])
    cold_s = time.perf_counter() - t0
    ex = Exporter(ds, cfg)
    ex.pdf(codes[0])
    pdf, warm_s = timed(ex.pdf, codes[1], repeat=3)
    html, html_s = timed(ex.html, codes[1], repeat=3)
    c0 = time.process_time()
    batch, batch_s = timed(Exporter(ds, cfg).batch_pdf, codes)
    batch_cpu = time.process_time() - c0
    gpkg, gpkg_s = timed(ex.gpkg)
    return {
        "export_pdf_eerste_s": round(cold_s, 3),
        "export_pdf_s": round(warm_s, 3),
        "export_pdf_kb": round(len(pdf) / 1024),
        "export_pdf_kb_eerste": round(len(cold) / 1024),
        "export_html_s": round(html_s, 3),
        "export_html_kb": round(len(html) / 1024),
        "export_batch_buurten": n,
        "export_batch_pdf_s": round(batch_s, 2),
        "export_batch_pdf_cpu_s": round(batch_cpu, 2),
        "export_batch_pdf_mb": round(len(batch) / 2**20, 1),
        "export_gpkg_s": round(gpkg_s, 3),
    }
