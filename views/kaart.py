"""Kaart: the buurten in a chosen colour mode, with wijk/gemeente outlines and no basemap."""

from wijkprofielen.ui.explore import kaart_page

kaart_page()
