"""The Data page's "Gegevens ophalen": choose a gemeente by name, a year and the sources; watch
the progress; see the coverage report; the new dataset opens."""

from __future__ import annotations

import streamlit as st

from ..dataset import save_dataset
from ..errors import WijkprofielenError
from ..formatting import integer
from ..importers.download import BRON_NAMEN, GEMEENTEN_JAREN, STANDAARD_BRONNEN, download_gemeente, gemeenten
from ..importers.kerncijfers import YEARS
from ..importers.opslag import dataset_path
from . import session

ANDERE = "Andere gemeente (code invullen)"


class StatusProgress:
    """One ``st.progress`` bar per source inside an ``st.status``."""

    def __init__(self, box):
        self.box = box
        self.bars: dict[str, object] = {}

    def __call__(self, label: str, done: int, total: int | None, unit: str) -> None:
        if label not in self.bars:
            self.bars[label] = self.box.progress(0.0, text=label)
        amount = f"{done / 1e6:.1f} MB" if unit == "B" else f"{integer(done)} {unit}"
        frac = min(done / total, 1.0) if total else 0.0
        self.bars[label].progress(frac, text=f"{label}: {amount}" + (f" van {integer(total) if unit != 'B' else f'{total / 1e6:.1f} MB'}" if total else ""))


def _gemeente_label(item: tuple[str, str]) -> str:
    return f"{item[1]} ({item[0]})"


def render_ophalen(cfg, show_rapport) -> None:
    """The form and its result; ``show_rapport`` draws the coverage report (from the Data page)."""
    st.markdown("Haal de open gegevens van één gemeente op bij de bronnen zelf: buurtgrenzen en kerncijfers van PDOK, "
                "de Kerncijfers van CBS StatLine en de Leefbaarometer. Opgehaalde bestanden blijven bewaard in "
                "`geodata/bronnen/` met hun herkomst; een tweede keer gaat sneller.")
    jaren = sorted(YEARS, reverse=True)
    lijst = gemeenten()
    keuzes = [*lijst, (ANDERE, "")]
    with st.form("ophalen"):
        jaar = st.selectbox("Jaar", jaren, index=jaren.index(2024) if 2024 in jaren else 0, key="ophalen_jaar",
                            help="Jaar van de buurtgrenzen en de Kerncijfers-tabel.")
        start = next((i for i, g in enumerate(keuzes) if g[0] == "GM0796"), 0)
        keuze = st.selectbox("Gemeente", keuzes, index=start, key="ophalen_gemeente", format_func=lambda g: g[0] if g[0] == ANDERE else _gemeente_label(g),
                             help=f"De lijst volgt de gemeentelijke indeling van {GEMEENTEN_JAREN[0]}–{GEMEENTEN_JAREN[-1]}. "
                                  "Voor een oudere indeling: kies 'Andere gemeente' en vul de code in.")
        code = st.text_input("Gemeentecode (bij 'Andere gemeente')", value="", placeholder="GM0796", key="ophalen_code")
        bronnen = st.multiselect("Bronnen", list(BRON_NAMEN), default=list(STANDAARD_BRONNEN), format_func=BRON_NAMEN.get,
                                 key="ophalen_bronnen")
        vernieuw = st.checkbox("Opnieuw ophalen, ook wat al bewaard is", key="ophalen_vernieuw")
        go = st.form_submit_button("Gegevens ophalen", type="primary", key="ophalen_knop")
    if jaar not in GEMEENTEN_JAREN:
        st.caption(f"Let op: de gemeentelijke indeling van {jaar} kan afwijken van de lijst; controleer de code.")
    if go:
        gemeente = code.strip().upper() if keuze[0] == ANDERE else keuze[0]
        _fetch(cfg, gemeente, int(jaar), bronnen, vernieuw)
    result = st.session_state.get("ophalen_resultaat")
    if result:
        naam, rapport = result
        st.success(f"Dataset '{naam}' opgehaald, opgeslagen en geopend.")
        show_rapport(rapport)


def _fetch(cfg, gemeente: str, jaar: int, bronnen: list[str], vernieuw: bool) -> None:
    settings = cfg.imports
    st.session_state.pop("ophalen_resultaat", None)
    with st.status(f"Gegevens van {gemeente} ({jaar}) ophalen …", expanded=True) as status:
        try:
            naam = f"{gemeente}-{jaar}"
            ds, rapport = download_gemeente(settings, gemeente, jaar, bronnen, vernieuw, progress=StatusProgress(status), naam=naam)
            status.write(f"Importeren: {integer(len(ds.codes))} buurten, {len(ds.kolommen)} indicatoren.")
            save_dataset(ds, dataset_path(naam))
        except WijkprofielenError as exc:
            status.update(label="Ophalen mislukt", state="error")
            st.error(str(exc))
            return
        except OSError as exc:
            status.update(label="Opslaan mislukt", state="error")
            st.error(f"De dataset kon niet worden opgeslagen ({exc.strerror}). Controleer de rechten op de map geodata/.")
            return
        for h in ds.meta.get("herkomst", []):
            status.write(f"{h['bron']}: {h['bestand']} ({'bewaard' if h.get('uit_cache') else 'opgehaald'})")
        status.update(label=f"Klaar: {gemeente} ({jaar})", state="complete", expanded=False)
    st.session_state["ophalen_resultaat"] = (naam, rapport.to_dict())
    session.choose_dataset(naam)
    st.rerun()
