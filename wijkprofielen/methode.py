"""Texts about the method that every page and every export shows, defined once."""

from __future__ import annotations

CAUTION = (
    "Scores zijn **signalen, geen oordelen**. Ze vatten openbare cijfers samen en vervangen "
    "de kennis van bewoners en professionals in de buurt niet. Bespreek ze samen."
)

# Standard attribution for real data: CBS geometry and Kerncijfers are CC BY 4.0.
ATTRIBUTIE = "Buurtgrenzen en kerncijfers: CBS / Kadaster (CC BY 4.0). Leefbaarometer: ministerie van BZK."


def plain(text: str) -> str:
    """Markdown emphasis removed, for PDF and plain-text output.

    Examples
    --------
    >>> plain("Scores zijn **signalen**.")
    'Scores zijn signalen.'
    """
    return text.replace("**", "")
