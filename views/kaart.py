"""Kaart: the buurten in a chosen colour mode, with wijk and gemeente outlines."""

from wijkprofielen.ui import kaart

kaart.render()
