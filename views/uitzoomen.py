"""Uitzoomen: a scenario's measures per buurt against the city's targets."""

from wijkprofielen.ui import uitzoomen

uitzoomen.render()
