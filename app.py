"""wijkprofielen: the Streamlit entry point (navigation only; pages live in pages/)."""

from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent


def run() -> None:
    st.set_page_config(page_title="Wijkprofielen", page_icon=":material/grid_view:", layout="wide")
    pages = {
        "Verkennen": [
            st.Page(HERE / "pages/kaart.py", title="Kaart", icon=":material/map:", url_path="kaart", default=True),
            st.Page(HERE / "pages/assenkruis.py", title="Assenkruis", icon=":material/scatter_plot:", url_path="assenkruis"),
            st.Page(HERE / "pages/wijkprofiel.py", title="Wijkprofiel", icon=":material/description:", url_path="wijkprofiel"),
        ],
    }
    st.navigation(pages).run()


run()
