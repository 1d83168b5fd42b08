"""The Export page and the export parts of the Wijkprofiel page: cached bytes and download buttons.

Bytes are built only when the user asks (a button), once per buurt, recipe and dataset
(cached); the download buttons use ``on_click="ignore"`` so a download does not rerun
the app.
"""

from __future__ import annotations

import streamlit as st

from ..config import Config
from ..dataset import Dataset
from ..errors import WijkprofielenError
from ..export import slug
from ..export.exporter import Exporter
from ..formatting import integer, number
from . import layout, loaders, session, workshop_plaatsingen
from .session import DataSource

MIME = {"pdf": "application/pdf", "html": "text/html", "gpkg": "application/geopackage+sqlite3", "csv": "text/csv",
        "json": "application/json", "zip": "application/zip"}


@st.cache_resource(show_spinner=False, max_entries=4)
def _exporter_cached(fingerprint: str, recipe_key: str, jaar: int | None, data_pad: str | None, plaatsingen_key: str,
                     _ds: Dataset, _cfg: Config, _frame, _result, _plaatsingen) -> Exporter:
    return Exporter(_ds, _cfg, jaar=jaar, data_pad=data_pad, frame=_frame, result=_result, plaatsingen=_plaatsingen)


def exporter(ds: Dataset, src: DataSource, cfg: Config, frame, result, jaar: int | None = None) -> Exporter:
    """One shared exporter per dataset, recipe and peiljaar (its figure bases are reused).

    Wijkprofielen include the placements of closed workshops (anonymised) from the store
    at ``[opslag] database``; when that store cannot be opened, the page says so and the
    export goes without them.
    """
    if jaar is None:  # the frame and scores are those of the sidebar's year
        jaar = session.peiljaar(ds)
    plaatsingen, key, problem = workshop_plaatsingen.source(cfg)
    workshop_plaatsingen.note_unavailable(problem)
    ex = _exporter_cached(ds.fingerprint, loaders.recipe_key(result.recipe), jaar, src.pad, key, ds, cfg, frame, result, plaatsingen)
    if "stabiliteit" not in ex.result.scores.columns:  # stability as on the Kaart and Assenkruis pages
        ex.add_stability(loaders.stability(ds, cfg, jaar))
    return ex


@st.cache_data(show_spinner=False, max_entries=64)
def _bytes_cached(fingerprint: str, recipe_key: str, jaar: int | None, what: str, code: str | None, _ex: Exporter,
                  plaatsingen_key: str = "") -> bytes:
    if what == "pdf":
        return _ex.pdf(code)
    if what == "html":
        return _ex.html(code)
    return {"gpkg": _ex.gpkg, "csv": _ex.csv, "json": _ex.manifest_json}[what]()


def export_bytes(ex: Exporter, what: str, code: str | None = None) -> bytes:
    # A workshop closed since the last build changes the wijkprofiel: key on its placements.
    extra = ex.plaatsingen(code).to_json() if code and ex.plaatsingen else ""
    return _bytes_cached(ex.ds.fingerprint, loaders.recipe_key(ex.result.recipe), ex.jaar, what, code, ex, extra)


def ready(key: str, label: str, help: str) -> bool:
    """A button that, once pressed, stays 'pressed' for this key during the session."""
    done = st.session_state.setdefault("_export_klaar", set())
    if key in done:
        return True
    if st.button(label, key=f"maak_{key}", help=help):
        done.add(key)
        return True
    return False


def profiel_downloads(ex: Exporter, code: str) -> None:
    """PDF and HTML download buttons for one buurt's wijkprofiel."""
    name = f"wijkprofiel_{code}_{slug(ex.frame.set_index('buurtcode').at[code, 'buurtnaam'])}"
    key = f"profiel:{ex.ds.fingerprint}:{loaders.recipe_key(ex.result.recipe)}:{code}"
    if not ready(key, "Wijkprofiel exporteren (PDF en HTML)", "Maakt een A4-wijkprofiel en een HTML-pagina om te delen."):
        return
    try:
        with st.spinner("Wijkprofiel maken …"):
            pdf, html = export_bytes(ex, "pdf", code), export_bytes(ex, "html", code)
    except WijkprofielenError as exc:
        st.error(f"Het wijkprofiel kan niet worden gemaakt: {exc}")
        return
    c1, c2 = st.columns(2)
    c1.download_button("PDF downloaden", pdf, f"{name}.pdf", MIME["pdf"], on_click="ignore", icon=":material/picture_as_pdf:",
                       key="download_pdf")
    c2.download_button("HTML downloaden", html, f"{name}.html", MIME["html"], on_click="ignore", icon=":material/html:",
                       key="download_html")


def table_downloads(ex: Exporter) -> None:
    """GeoPackage, CSV and manifest of all scored buurten."""
    key = f"tabellen:{ex.ds.fingerprint}:{loaders.recipe_key(ex.result.recipe)}"
    if not ready(key, "Bestanden voor alle buurten maken", "GeoPackage (EPSG:28992), CSV en manifest."):
        return
    base = f"wijkprofielen_{slug(ex.ds.naam)}"
    cols = st.columns(3)
    for col, (what, label, suffix) in zip(cols, (("gpkg", "GeoPackage (RD New)", "_rd_new.gpkg"), ("csv", "CSV", ".csv"),
                                                   ("json", "Manifest (JSON)", "_manifest.json"))):
        col.download_button(label, export_bytes(ex, what), base + suffix, MIME[what], on_click="ignore", key=f"download_{what}")


def batch(ex: Exporter) -> None:
    """Every buurt of a wijk or the gemeente as one PDF or ZIP, with a progress bar."""
    f = ex.frame
    scope = st.radio("Alle buurten van", ["een wijk", "de gemeente"], horizontal=True, key="batch_scope")
    if scope == "een wijk":
        wijken = f.drop_duplicates("wijkcode").sort_values("wijknaam")
        labels = dict(zip(wijken["wijkcode"], wijken["wijknaam"] + " (" + wijken["wijkcode"] + ")"))
        code = st.selectbox("Wijk", list(labels), format_func=labels.get, key="batch_wijk")
        codes = ex.codes(wijk=code)
    else:
        gemeenten = f.drop_duplicates("gemeentecode")
        labels = dict(zip(gemeenten["gemeentecode"], gemeenten["gemeentenaam"]))
        code = st.selectbox("Gemeente", list(labels), format_func=labels.get, key="batch_gemeente")
        codes = ex.codes(gemeente=code)
    fmt = st.radio("Formaat", ["pdf", "zip"], horizontal=True, key="batch_format",
                   format_func={"pdf": "één PDF", "zip": "ZIP (PDF en HTML per buurt, CSV, manifest)"}.get)
    key = (ex.ds.fingerprint, loaders.recipe_key(ex.result.recipe), code, fmt)
    if st.button(f"Batch maken ({len(codes)} buurten)", key="batch_maak"):
        bar = st.progress(0.0, text="Batch maken …")

        def progress(i: int, n: int, naam: str) -> None:
            bar.progress(i / n, text=f"{i} van {n}: {naam}")

        make = ex.batch_pdf if fmt == "pdf" else ex.batch_zip
        st.session_state["_export_batch"] = (key, make(codes, progress=progress))
        bar.progress(1.0, text=f"Klaar: {len(codes)} wijkprofielen.")
    held = st.session_state.get("_export_batch")
    if held and held[0] == key:
        st.download_button(f"Batch downloaden ({number(len(held[1]) / 2**20, 1)} MB)", held[1],
                           f"wijkprofielen_{code}.{fmt}", MIME[fmt], on_click="ignore", key="download_batch")


def render() -> None:
    """All scored buurten (GeoPackage, CSV), the snapshot manifest, and batches of wijkprofielen."""
    cfg, ds, src, frame, result = layout.page_start("Export")
    ex = exporter(ds, src, cfg, frame, result)
    st.markdown("#### Alle buurten")
    st.caption(f"{integer(len(frame))} buurten met scores, kwadrant, dekking en indicatoren. De GeoPackage staat in RD "
               "New (EPSG:28992), de standaard van Nederlandse GIS-pakketten. Het manifest legt dataset (met hash), "
               "recept, drempels, appversie en alle scores vast; `python -m wijkprofielen reproduce manifest.json` "
               "rekent het na.")
    table_downloads(ex)
    st.markdown("#### Wijkprofielen in één keer")
    st.caption("Alle wijkprofielen van een wijk of de gemeente als één PDF of als ZIP. Eén wijkprofiel exporteert u op "
               "de pagina Wijkprofiel.")
    batch(ex)
    layout.caution()
