"""The Toegankelijkheid page: the accessibility statement from docs/toegankelijkheid.md."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

STATEMENT = Path(__file__).resolve().parents[2] / "docs" / "toegankelijkheid.md"


def statement_body(text: str) -> tuple[str, str]:
    """(title, rest) of a Markdown document whose first line is its ``# title``.

    >>> statement_body("# Verklaring\\n\\nTekst.")
    ('Verklaring', 'Tekst.')
    """
    first, _, rest = text.partition("\n")
    return first.lstrip("#").strip(), rest.strip()


def render() -> None:
    if not STATEMENT.is_file():
        st.title("Toegankelijkheid")
        st.info("De toegankelijkheidsverklaring staat in docs/toegankelijkheid.md van de broncode; die map is in "
                "deze installatie niet meegeleverd.", icon=":material/accessibility:")
        return
    title, body = statement_body(STATEMENT.read_text(encoding="utf-8"))
    st.title(title)
    st.markdown(body)
