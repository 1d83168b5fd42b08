"""wijkprofielen: the Streamlit entry point (navigation only).

The pages live in ``views/``, not ``pages/``: with a ``pages/`` folder Streamlit also
discovers the scripts on its own (the legacy mechanism), and a deep link such as
``/wijkprofiel`` could then run the page without this entry point.
"""

from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent


def run() -> None:
    st.set_page_config(page_title="Wijkprofielen", page_icon=":material/grid_view:", layout="wide")
    pages = {
        "Verkennen": [
            st.Page(HERE / "views/kaart.py", title="Kaart", icon=":material/map:", default=True),
            st.Page(HERE / "views/assenkruis.py", title="Assenkruis", icon=":material/scatter_plot:", url_path="assenkruis"),
            st.Page(HERE / "views/wijkprofiel.py", title="Wijkprofiel", icon=":material/description:", url_path="wijkprofiel"),
        ],
        # "Werken": workshop, menukaart, uitzoomen.
        "Werken": [
            # issue 8
            st.Page(HERE / "views/uitzoomen.py", title="Uitzoomen", icon=":material/zoom_out_map:", url_path="uitzoomen"),
        ],
        # "Delen": export.
        # "Over": data, methode.
    }
    st.navigation(pages).run()


run()
