"""Assenkruis: every buurt on the two axes, with quadrant lines, names and trajectories."""

from wijkprofielen.ui import assenkruis

assenkruis.render()
