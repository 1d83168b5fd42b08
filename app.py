"""wijkprofielen: the Streamlit entry point (navigation only).

The pages live in ``views/``, not ``pages/``: with a ``pages/`` folder Streamlit also
discovers the scripts on its own (the legacy mechanism), and a deep link such as
``/wijkprofiel`` could then run the page without this entry point.
"""

from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent


def run() -> None:
    st.set_page_config(page_title="Wijkprofielen", page_icon=str(HERE / "assets/icon.png"), layout="wide")
    pages = {
        "Verkennen": [
            st.Page(HERE / "views/kaart.py", title="Kaart", icon=":material/map:", default=True),
            st.Page(HERE / "views/assenkruis.py", title="Assenkruis", icon=":material/scatter_plot:", url_path="assenkruis"),
            st.Page(HERE / "views/wijkprofiel.py", title="Wijkprofiel", icon=":material/description:", url_path="wijkprofiel"),
        ],
        # "Werken": workshop, menukaart, uitzoomen.
        "Werken": [
            st.Page(HERE / "views/menukaart.py", title="Menukaart", icon=":material/restaurant_menu:", url_path="menukaart"),  # issue 4
            st.Page(HERE / "views/workshop.py", title="Workshop", icon=":material/groups:", url_path="workshop"),
            st.Page(HERE / "views/uitzoomen.py", title="Uitzoomen", icon=":material/zoom_out_map:", url_path="uitzoomen"),
        ],
        # "Delen": export.
        # issue 7: export
        "Delen": [
            st.Page(HERE / "views/export.py", title="Export", icon=":material/download:", url_path="export"),
        ],
        # end issue 7
        # "Over": data, methode.
        "Over": [
            st.Page(HERE / "views/data.py", title="Data", icon=":material/database:", url_path="data"),  # issue 3
            st.Page(HERE / "views/methode.py", title="Methode", icon=":material/menu_book:", url_path="methode"),
            st.Page(HERE / "views/referentie.py", title="Referenties vergelijken", icon=":material/compare_arrows:",
                    url_path="referenties"),
        ],
    }
    pg = st.navigation(pages)
    # issue 5: shared sidebar (URL-bound view settings, weights) for every page.
    from wijkprofielen.ui import state

    state.sidebar()
    # end issue 5
    pg.run()


run()
