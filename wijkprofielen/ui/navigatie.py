"""The page navigation in the sidebar: one heading per group and a link per page.

``st.navigation`` draws its own sidebar menu with list items outside a list (``<li>`` in a
``<div>``), which screen readers announce wrongly (axe rules ``list`` and ``listitem``, WCAG 1.3.1).
``app.py`` therefore hides that menu and this module draws the same pages as ``st.page_link``:
plain links that the keyboard reaches with Tab, the current page marked ``aria-current="page"``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st


def render(sections: Mapping[str, Sequence[st.Page]]) -> None:
    """A group heading and a link per page, at the top of the sidebar, in the order given."""
    with st.sidebar.container(key="navigatie"):
        for section, pages in sections.items():
            st.markdown(f"**{section}**")
            for p in pages:
                st.page_link(p, label=p.title, icon=p.icon or None)
