"""Assenkruis: every buurt (or wijk or gebied) on the two axes, with quadrant lines, names and trajectories."""

from wijkprofielen.ui import assenkruis, niveau, session

(assenkruis.render if session.niveau() == "buurt" else niveau.render_assenkruis)()
