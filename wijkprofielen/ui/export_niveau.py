"""The Export page at wijk and gebied level: every unit as GeoPackage, CSV and manifest, and one
unit's one-pager as PDF or HTML (the core's export functions, cached)."""

from __future__ import annotations

import streamlit as st

from ..config import Config
from ..dataset import Dataset
from ..domain import NIVEAU_LABELS
from ..errors import WijkprofielenError
from ..export import slug
from ..export.eenheid import level_html, level_pdf
from ..export.niveau import level_csv, level_gpkg, level_manifest_bytes
from ..gebieden import Niveauprofiel
from . import gebieden, layout, loaders, niveau, session
from .export import MIME, ready

SUFFIX = {"gpkg": "_rd_new.gpkg", "csv": ".csv", "json": "_manifest.json", "pdf": ".pdf", "html": ".html"}


@st.cache_data(show_spinner=False, max_entries=32)
def _bytes_cached(fingerprint: str, recipe_key: str, jaar: int | None, niveau_: str, definitie: tuple, what: str,
                  eenheid: str | None, _ds: Dataset, _profile: Niveauprofiel, _cfg: Config) -> bytes:
    if what == "gpkg":
        return level_gpkg(_ds, _profile)
    if what == "csv":
        return level_csv(_ds, _profile)
    if what == "json":
        return level_manifest_bytes(_ds, _profile, _cfg, jaar=jaar)
    return (level_pdf if what == "pdf" else level_html)(_ds, _profile, _cfg, eenheid)


def level_bytes(ds: Dataset, cfg: Config, profile: Niveauprofiel, what: str, eenheid: str | None = None) -> bytes:
    definitie = tuple((g.naam, g.versie, g.buurtcodes) for g in profile.eenheden.gebieden)
    return _bytes_cached(ds.fingerprint, loaders.recipe_key(profile.result.recipe), session.peiljaar(ds), profile.niveau,
                         definitie, what, eenheid, ds, profile, cfg)


def render() -> None:
    start = niveau.page_start("Export")
    if start is None:
        return
    cfg, ds, profile = start
    label = NIVEAU_LABELS[profile.niveau]
    base = f"{profile.niveau}en_{slug(ds.naam)}"
    st.markdown(f"#### Alle eenheden (niveau {label})")
    st.caption(f"{len(profile.eenheden.leden)} eenheden met scores, kwadrant, spreiding (eenduidig), cijfers en per cijfer "
               "de herkomst (gepubliceerd of berekend). De GeoPackage bevat de samengevoegde grenzen in RD New "
               "(EPSG:28992); het manifest noemt het niveau, de referentie en elk gebied met zijn versie.")
    key = f"niveau:{ds.fingerprint}:{loaders.recipe_key(profile.result.recipe)}:{profile.niveau}"
    if ready(key, "Bestanden voor alle eenheden maken", "GeoPackage, CSV en manifest van dit niveau."):
        try:
            for col, (what, text) in zip(st.columns(3), (("gpkg", "GeoPackage (RD New)"), ("csv", "CSV"),
                                                          ("json", "Manifest (JSON)"))):
                col.download_button(text, level_bytes(ds, cfg, profile, what), base + SUFFIX[what], MIME[what],
                                    on_click="ignore", key=f"niveau_download_{what}")
        except WijkprofielenError as exc:
            st.error(f"De bestanden kunnen niet worden gemaakt: {exc}")
    st.markdown("#### Profiel van één eenheid")
    code = gebieden.unit_selectbox(profile)
    name = f"gebiedsprofiel_{slug(gebieden.unit_names(profile)[code])}"
    c1, c2 = st.columns(2)
    c1.download_button("PDF downloaden", level_bytes(ds, cfg, profile, "pdf", code), name + ".pdf", MIME["pdf"],
                       on_click="ignore", icon=":material/picture_as_pdf:", key="niveau_download_pdf")
    c2.download_button("HTML downloaden", level_bytes(ds, cfg, profile, "html", code), name + ".html", MIME["html"],
                       on_click="ignore", icon=":material/html:", key="niveau_download_html")
    st.caption("Per buurt exporteert u met niveau Buurt in de zijbalk.")
    layout.caution()
