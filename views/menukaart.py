"""Menukaart: browse and filter every intervention in the catalogue."""

from wijkprofielen.ui import menukaart

menukaart.render()
