"""Assenkruis: every buurt on the two axes, with quadrant lines, names and trajectories."""

from wijkprofielen.ui.explore import assenkruis_page

assenkruis_page()
