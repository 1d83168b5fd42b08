"""Workshop (gebiedsatelier): set up, join, place buurten together, facilitator's live view."""

from wijkprofielen.ui import workshop

workshop.render()
