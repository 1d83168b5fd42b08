"""Texts about the method that every page and every export shows, defined once."""

from __future__ import annotations

CAUTION = (
    "Scores zijn **signalen, geen oordelen**. Ze vatten openbare cijfers samen en vervangen "
    "de kennis van bewoners en professionals in de buurt niet. Bespreek ze samen."
)
