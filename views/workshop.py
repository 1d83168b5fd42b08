"""Workshop (gebiedsatelier): set up, join, place buurten together, facilitator's live view."""

from wijkprofielen.ui.workshop import page

page()
