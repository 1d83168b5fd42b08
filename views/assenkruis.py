"""Assenkruis: every buurt (or wijk or gebied) on the two axes, with quadrant lines, names and trajectories."""

from wijkprofielen.ui import assenkruis, session

(assenkruis.render if session.niveau() == "buurt" else assenkruis.render_units)()
