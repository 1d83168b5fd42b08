"""Afspraken: the uitvoeringsagenda of a year; afspraken made, changed and followed."""

from wijkprofielen.ui import afspraken

afspraken.render()
