"""One scored dataset to every export format: :class:`Exporter`, used by the CLI, the app and the
benchmark. See :mod:`.content` for what a one-pager shows.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from functools import cached_property
from typing import Callable

import pandas as pd

from ..config import Config
from ..dataset import Dataset
from ..dynamiek import DynamiekResult
from ..errors import DataError
from ..scoring import ScoreResult
from ..stability import join_stability
from ..workspace import Workspace
from . import slug
from .content import Profiel, build_profiel
from .figures import FigureContext
from .html import render_html
from .kaart import KaartOpties, kaart_bytes
from .manifest import build_manifest, manifest_bytes
from .pdf import ProfielPDF, add_profiel, render_pdf
from .tables import csv_bytes, gpkg_bytes, scored_buurten

Progress = Callable[[int, int, str], None]
_CONFIGURED: Callable = lambda *_: None  # noqa: E731  (marks the default: the configured catalogue's suggestions)


class Exporter:
    """All exports of one scored dataset.

    Parameters
    ----------
    ds : Dataset
    cfg : Config or Workspace
        The configuration, or a workspace that already holds its catalogue.
    jaar : int, optional
        Peiljaar (latest value per indicator up to this year); None: the latest.
    data_pad : path, optional
        The dataset file, recorded with its hash in the manifest; None: built-in example.
    menukaart : callable or None
        ``(frame, result, buurtcode, cfg) -> suggestions``; default: the configured
        catalogue's suggestions and items te controleren (``Workspace.advise``); None: no menukaart.
    plaatsingen : callable, optional
        ``buurtcode -> DataFrame`` of workshop placements.
    frame, result : optional
        Reuse an already scored frame (as the app has it cached).
    stabiliteit : StabilityResult or DataFrame, optional
        Stability per buurt (:func:`~wijkprofielen.stability.stability`); its ``stabiliteit``
        and ``grensgeval`` columns then appear in the one-pager, the tables and the manifest.
    """

    def __init__(self, ds: Dataset, cfg: Config | Workspace, *, jaar: int | None = None, data_pad=None,
                 menukaart: Callable | None = _CONFIGURED, plaatsingen: Callable[[str], pd.DataFrame] | None = None,
                 frame: pd.DataFrame | None = None, result: ScoreResult | None = None,
                 gemaakt: datetime | None = None, stabiliteit=None):
        self.ws = cfg if isinstance(cfg, Workspace) else Workspace(cfg)
        cfg = self.ws.cfg
        self.ds, self.cfg, self.jaar, self.data_pad = ds, cfg, jaar, data_pad
        if frame is None and jaar is not None and not set(ds.peiljaren(jaar)) & set(cfg.recipe.kolommen):
            jaren = ds.jaren()
            span = f"{jaren[0]}–{jaren[-1]}" if jaren else "geen"
            raise DataError(f"Peiljaar {jaar}: geen indicator van het recept heeft een waarde in of voor dat jaar "
                            f"(jaren in de dataset: {span}). Kies een later peiljaar.")
        self.frame = ds.frame(jaar) if frame is None else frame
        self.result = self.ws.score(self.frame) if result is None else result
        if stabiliteit is not None:
            self.add_stability(stabiliteit)
        self.menukaart = self._suggestions if menukaart is _CONFIGURED else menukaart
        self.plaatsingen = plaatsingen
        self.gemaakt = gemaakt  # None: the moment each file is built

    def add_stability(self, stabiliteit) -> None:
        """Add ``stabiliteit`` and ``grensgeval`` (a StabilityResult or its ``tabel``) to the exported scores."""
        self.result = join_stability(self.result, stabiliteit)
        for derived in ("figures", "table"):  # built from the old result: build again when asked
            self.__dict__.pop(derived, None)

    def _suggestions(self, frame: pd.DataFrame, result: ScoreResult, code: str, cfg: Config):
        return self.ws.advise(frame, result, code)

    @cached_property
    def figures(self) -> FigureContext:
        """Figure parts shared by every buurt of the export, drawn once on first use."""
        return FigureContext(self.ds, self.frame, self.result, self.cfg)

    @cached_property
    def _codes(self) -> set[str]:
        return set(self.frame["buurtcode"].astype(str))

    def check_buurt(self, code: str) -> str:
        if code not in self._codes:
            raise DataError(f"Buurt {code!r} staat niet in dataset '{self.ds.naam}'. Kies een bestaande buurtcode, "
                            "bijvoorbeeld " + min(self._codes) + ".")
        return code

    def profiel(self, code: str, figures: bool = True) -> Profiel:
        """The content of one buurt's one-pager (with figures unless ``figures=False``)."""
        self.check_buurt(code)
        extra = self.plaatsingen(code) if self.plaatsingen else None
        p = build_profiel(self.ds, self.frame, self.result, self.cfg, code, jaar=self.jaar, menukaart=self.menukaart,
                          plaatsingen=extra, gemaakt=self.gemaakt, dynamiek=self.dynamiek)
        if figures:
            p.figuren = self.figures.all(code)
        return p

    def pdf(self, code: str) -> bytes:
        return render_pdf(self.profiel(code))

    def kaart(self, opties: KaartOpties, fmt: str) -> bytes:
        """The map print (:mod:`.kaart`) as pdf, png or svg."""
        return kaart_bytes(self.ds, self.frame, self.result, self.cfg, opties, fmt, jaar=self.jaar, gemaakt=self.gemaakt)

    def html(self, code: str) -> bytes:
        return render_html(self.profiel(code))

    @cached_property
    def dynamiek(self) -> DynamiekResult:
        """The direction of change of every buurt, against the exported scores (period ending at ``jaar``)."""
        return self.ws.dynamiek(self.ds, self.result, jaar=self.jaar)

    # -- all buurten -----------------------------------------------------------------------
    @cached_property
    def table(self):
        return scored_buurten(self.frame, self.result, self.cfg, self.ds, self.jaar, self.dynamiek)

    def gpkg(self) -> bytes:
        return gpkg_bytes(self.table)

    def csv(self) -> bytes:
        return csv_bytes(self.table)

    def manifest(self) -> dict:
        return build_manifest(self.ds, self.frame, self.result, self.cfg, jaar=self.jaar, data_pad=self.data_pad,
                              gemaakt=self.gemaakt)

    def manifest_json(self) -> bytes:
        return manifest_bytes(self.manifest())

    # -- batch -------------------------------------------------------------------------
    def codes(self, wijk: str | None = None, gemeente: str | None = None) -> list[str]:
        """The buurtcodes of one wijk or gemeente, sorted by name."""
        f = self.frame
        if wijk:
            sel, what = f["wijkcode"] == wijk, f"Wijk {wijk!r}"
        elif gemeente:
            sel, what = f["gemeentecode"] == gemeente, f"Gemeente {gemeente!r}"
        else:
            raise DataError("Kies een wijk (WK + 6 cijfers) of een gemeente (GM + 4 cijfers) voor de batch.")
        rows = f[sel].sort_values(["buurtnaam", "buurtcode"])
        if rows.empty:
            kind = "wijkcode" if wijk else "gemeentecode"
            voorbeeld = sorted(f[kind].astype(str).unique())[:3]
            raise DataError(f"{what} heeft geen buurten in dataset '{self.ds.naam}'. Bestaande codes zijn bijvoorbeeld "
                            + ", ".join(voorbeeld) + ".")
        return rows["buurtcode"].astype(str).tolist()

    def batch_pdf(self, codes: list[str], progress: Progress | None = None) -> bytes:
        """One PDF with the profiles of all ``codes``; ``progress(i, n, buurtnaam)`` after each."""
        pdf = ProfielPDF()
        for i, code in enumerate(codes, 1):
            p = self.profiel(code)
            add_profiel(pdf, p)
            if progress:
                progress(i, len(codes), p.buurtnaam)
        return bytes(pdf.output())

    def batch_zip(self, codes: list[str], progress: Progress | None = None) -> bytes:
        """A ZIP with one PDF and one HTML per buurt, plus the CSV and the manifest."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for i, code in enumerate(codes, 1):
                p = self.profiel(code)
                name = f"{code}_{slug(p.buurtnaam)}"
                zf.writestr(f"{name}.pdf", render_pdf(p))
                zf.writestr(f"{name}.html", render_html(p))
                if progress:
                    progress(i, len(codes), p.buurtnaam)
            zf.writestr("buurten.csv", self.csv())
            zf.writestr("manifest.json", self.manifest_json())
        return buf.getvalue()
