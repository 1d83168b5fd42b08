"""Referenties vergelijken: buurten whose quadrant depends on the reference."""

from wijkprofielen.ui import referentie

referentie.render()
