"""wijkprofielen: the Streamlit entry point (navigation and the shared sidebar).

The pages live in ``views/``, not ``pages/``: with a ``pages/`` folder Streamlit also
discovers the scripts on its own (the legacy mechanism), and a deep link such as
``/wijkprofiel`` could then run the page without this entry point.
"""

from pathlib import Path

import streamlit as st

from wijkprofielen.memory import release_unused
from wijkprofielen.ui import guard, navigatie, session, sidebar

HERE = Path(__file__).parent

# Per section: (script in views/, title, icon, url path); the first page is the start page.
PAGES = {
    "Verkennen": [
        ("kaart", "Kaart", "map", ""),
        ("assenkruis", "Assenkruis", "scatter_plot", "assenkruis"),
        ("wijkprofiel", "Wijkprofiel", "description", "wijkprofiel"),
        ("gebiedsprofiel", "Gebiedsprofiel", "hub", "gebiedsprofiel"),
    ],
    "Werken": [
        ("menukaart", "Menukaart", "restaurant_menu", "menukaart"),
        ("workshop", "Workshop", "groups", "workshop"),
        ("uitzoomen", "Uitzoomen", "zoom_out_map", "uitzoomen"),
        ("afspraken", "Afspraken", "handshake", "afspraken"),
        ("monitor", "Monitor", "monitoring", "monitor"),
    ],
    "Delen": [
        ("export", "Export", "download", "export"),
    ],
    "Over": [
        ("data", "Data", "database", "data"),
        ("methode", "Methode", "menu_book", "methode"),
        ("referentie", "Referenties vergelijken", "compare_arrows", "referenties"),
        ("toegankelijkheid", "Toegankelijkheid", "accessibility", "toegankelijkheid"),
    ],
}


def page(script: str, title: str, icon: str, url_path: str) -> st.Page:
    return st.Page(HERE / "views" / f"{script}.py", title=title, icon=f":material/{icon}:",
                   url_path=url_path or None, default=not url_path)


def run() -> None:
    st.set_page_config(page_title="Wijkprofielen", page_icon=str(HERE / "assets/icon.png"), layout="wide")
    sections = {section: [page(*p) for p in pages] for section, pages in PAGES.items()}
    # Streamlit's own menu is hidden: its list markup is invalid; navigatie draws accessible links.
    pg = st.navigation(sections, position="hidden")
    session.keep_dataset()
    navigatie.render(sections)
    sidebar.render()
    try:
        with guard.page_errors(f"pagina {pg.title}"):
            pg.run()
    finally:
        # Each run's thread keeps the heap it freed; a national page frees tens of MB per run.
        release_unused()


run()
