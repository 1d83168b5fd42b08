"""The Data page: choose a dataset, fetch a gemeente from the open sources, import uploaded files,
see the coverage, save by name."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..dataset import Dataset, save_dataset
from ..errors import WijkprofielenError
from ..formatting import integer, percent
from ..importers.invoer import Invoer
from ..importers.lokaal import parse_mapping_text, template_csv, template_legend
from ..importers.opslag import check_name, dataset_path, list_datasets
from ..importers.pipeline import Rapport, build_dataset, dekking_per_indicator
from . import beheer, layout, loaders, session
from .ophalen import render_ophalen

STANDARD = "(standaard)"


def _invoer(upload) -> Invoer:
    return Invoer(upload.name, upload.getvalue())


def sources_table(ds: Dataset) -> pd.DataFrame:
    """The sources of a dataset: source, file, years, licence, short hash."""
    rows = [{"bron": b.get("bron", ""), "bestand": b.get("bestand", ""),
             "jaren": ", ".join(map(str, b.get("jaren", []))) if isinstance(b.get("jaren"), list) else str(b.get("jaar", "")),
             "niveau": b.get("niveau", ""), "licentie": b.get("licentie", ""), "sha256": str(b.get("sha256", ""))[:12]}
            for b in ds.meta.get("bronnen", [])]
    return pd.DataFrame(rows)


def _on_choice() -> None:
    keuze = st.session_state["data_keuze"]
    session.choose_dataset(None if keuze == STANDARD else keuze)


def choose_dataset() -> None:
    """The dataset choice for all pages; follows a choice made elsewhere (URL, after saving)."""
    found = list_datasets()
    options = [STANDARD, *found]
    current = session.current_dataset_name() or STANDARD
    st.session_state["data_keuze"] = current if current in options else STANDARD
    st.selectbox("Dataset voor alle pagina's", options, key="data_keuze", on_change=_on_choice,
                 help="Datasets die op deze server zijn geïmporteerd. '(standaard)': de dataset van de installatie "
                      "of het synthetische voorbeeld.")


def show_rapport(rapport: dict | Rapport) -> None:
    r = rapport if isinstance(rapport, Rapport) else Rapport(**rapport)
    st.markdown(f"**{r.gemeente}**: {r.buurten} buurten in {r.wijken} wijken.")
    layout.table(r.tabel(), widths={"bron": "medium", "ontbrekend": "medium", "extra codes": "medium"})
    if any(b.get("andere_indeling") for b in r.bronnen):
        st.caption(f"*Andere indeling*: bron uit een ander jaar dan de grenzen ({r.grenzen_jaar}). Codes zijn op code gekoppeld; "
                   "een buurt met dezelfde code kan toen een ander gebied hebben beslagen.")
    if any(b["extra"] for b in r.bronnen):
        st.caption("*Extra*: codes in een bron die niet in de grenzen voorkomen (nieuwe of gewijzigde buurten). "
                   "Ze zijn niet gekoppeld; gebruik grenzen van hetzelfde jaar om ze mee te nemen.")


def import_form(cfg) -> None:
    settings = cfg.imports
    limit = layout.upload_limit(settings.max_mb)
    st.markdown(f"Bestanden gaan door dezelfde controles als `python -m wijkprofielen import`. Grens per bestand: {limit} MB.")
    if limit < settings.max_mb:
        st.warning(f"De configuratie staat bestanden tot {settings.max_mb:g} MB toe, de server neemt er hoogstens {limit} MB "
                   "aan. Zet `maxUploadSize` onder `[server]` in .streamlit/config.toml gelijk aan `max_mb`.")
    with st.form("importeren"):
        gemeente = st.text_input("Gemeentecode", value="GM0796", help="GM + 4 cijfers")
        buurten = st.file_uploader("Buurtgrenzen (PDOK/CBS: GeoJSON of GeoPackage)", type=["geojson", "json", "gpkg"], max_upload_size=limit)
        kerncijfers = st.file_uploader("CBS Kerncijfers wijken en buurten (CSV of OData-JSON)", type=["csv", "json"], accept_multiple_files=True, max_upload_size=limit)
        kwb_jaar = st.number_input("Jaar van de Kerncijfers (0 = uit tabelnummer of bestandsnaam)", 0, 2100, 0, step=1)
        lbm = st.file_uploader("Leefbaarometer 3 buurtscores (CSV)", type=["csv"], max_upload_size=limit)
        inkomen = st.file_uploader("CBS-maatwerk inkomen per wijk (CSV met ';')", type=["csv"], max_upload_size=limit)
        lokaal = st.file_uploader("Eigen gegevens per buurtcode (CSV of XLSX)", type=["csv", "xlsx"], accept_multiple_files=True, max_upload_size=limit)
        koppeling = st.text_area(
            "Kolomkoppeling eigen gegevens (optioneel)", key="koppeling",
            placeholder="Harde plancapaciteit = plancap_hard_pct; %\nSloop gepland = sloop_gepland; woningen",
            help="Eén regel per kolom: 'kolom in bestand = indicatorkolom; eenheid'. Aanvulling op [lokaal.kolommen] in config.toml. "
                 "Voeg '; gevoelig' toe voor gevoelige aantallen (1 t/m 4 worden onderdrukt). "
                 "Kolommen die al zo heten als een indicator (zie het sjabloon) hebben geen koppeling nodig.",
        )
        go = st.form_submit_button("Importeren", type="primary")
    if go:
        if buurten is None:
            st.error("Kies eerst een bestand met buurtgrenzen; zonder grenzen kan niets worden gekoppeld.")
            return
        try:
            mapping = {**settings.kolommen, **parse_mapping_text(koppeling)}
            with st.spinner("Importeren …"):
                ds, rapport = build_dataset(
                    gemeente, _invoer(buurten),
                    kerncijfers=[(_invoer(f), int(kwb_jaar) or None) for f in kerncijfers],
                    leefbaarometer=_invoer(lbm) if lbm else None,
                    inkomen=_invoer(inkomen) if inkomen else None,
                    lokaal=[_invoer(f) for f in lokaal], mapping=mapping,
                    max_mb=settings.max_mb, tolerance_m=settings.web_tolerantie_m, regels=settings.regels,
                )
        except WijkprofielenError as exc:
            st.error(f"Importeren mislukt: {exc}")
            return
        st.session_state["import_resultaat"] = (ds, rapport)
    result = st.session_state.get("import_resultaat")
    if result is None:
        return
    ds, rapport = result
    st.success(f"Geïmporteerd: {integer(len(ds.codes))} buurten, {len(ds.kolommen)} indicatoren. Nog niet opgeslagen.")
    show_rapport(rapport)
    save_form(ds)


def save_form(ds: Dataset) -> None:
    with st.form("opslaan"):
        naam = st.text_input("Naam van de dataset", value=ds.meta.get("gemeente", ds.naam))
        overschrijven = st.checkbox("Een bestaande dataset met deze naam vervangen")
        save = st.form_submit_button("Opslaan als dataset")
    if not save:
        return
    try:
        naam = check_name(naam)
        path = dataset_path(naam)
        if path.exists() and not overschrijven:
            st.error(f"Dataset '{naam}' bestaat al. Kies een andere naam of vink 'vervangen' aan.")
            return
        ds.meta["naam"] = naam
        save_dataset(ds, path)
    except WijkprofielenError as exc:
        st.error(f"Opslaan mislukt: {exc}")
        return
    except OSError as exc:
        st.error(f"Opslaan mislukt: de map met datasets is niet beschrijfbaar ({exc.strerror}). Vraag de beheerder "
                 "de rechten op de map geodata (of WIJKPROFIELEN_GEODATA) te controleren.")
        return
    st.session_state.pop("import_resultaat", None)
    session.choose_dataset(naam)
    st.toast(f"Dataset '{naam}' opgeslagen en gekozen.")
    st.rerun()


def render() -> None:
    st.title("Data")
    cfg = loaders.config()
    choose_dataset()
    ds, src = loaders.dataset(cfg)
    layout.dataset_banner(ds, src)

    tab_bron, tab_import, tab_ophalen, tab_sjabloon = st.tabs(
        ["Bronnen en dekking", "Importeren", "Gegevens ophalen", "Sjabloon eigen gegevens"])
    with tab_bron:
        st.markdown(f"**{ds.naam}**: {integer(len(ds.codes))} buurten, {len(ds.kolommen)} indicatoren, jaren {', '.join(map(str, ds.jaren())) or '–'}.")
        layout.table(sources_table(ds), headers={"bron": "Bron", "bestand": "Bestand", "jaren": "Jaren", "niveau": "Niveau",
                                                 "licentie": "Licentie", "sha256": "Controlegetal"},
                     widths={"bron": "medium", "bestand": "medium", "jaren": "small", "niveau": "small", "licentie": "small",
                             "sha256": "small"})
        st.markdown("#### Dekking per indicator (laatste jaar)")
        dekking = dekking_per_indicator(ds).drop(columns=["kolom"])
        layout.table(dekking, {"dekking": percent}, widths={"indicator": "large", "redenen": "large"},
                     headers={"indicator": "Indicator", "jaar": "Jaar", "niveau": "Niveau", "met waarde": "Met waarde",
                              "zonder waarde": "Zonder waarde", "dekking": "Dekking", "redenen": "Redenen"})
        if ds.meta.get("rapport"):
            st.markdown("#### Dekkingsrapport")
            show_rapport(ds.meta["rapport"])
        if ds.meta.get("web_geometrie"):
            st.caption(f"Kaartgeometrie: {ds.meta['web_geometrie']}.")
    with tab_import:
        if beheer.require("bestanden importeren en datasets opslaan", "data"):
            import_form(cfg)
    with tab_ophalen:
        if beheer.require("gegevens ophalen en datasets opslaan", "ophalen"):
            render_ophalen(cfg, show_rapport)
    with tab_sjabloon:
        st.markdown("Lokale cijfers die geen landelijke tabel heeft (plancapaciteit, corporatiebezit, energielabels, "
                    "sloop/renovatie, overlast): één rij per buurtcode. Lege cel = ontbreekt (telt niet als 0).")
        layout.table(pd.DataFrame(template_legend()), widths={"betekenis": "large"},
                     headers={"kolom": "Kolomnaam in het sjabloon", "betekenis": "Betekenis", "eenheid": "Eenheid"})
        buurten = None if ds.synthetisch else ds.gebieden
        st.download_button("Sjabloon downloaden (CSV)", template_csv(buurten), file_name=f"sjabloon_lokaal_{ds.meta.get('gemeente', 'gemeente')}.csv",
                           mime="text/csv", on_click="ignore")
    layout.caution()
