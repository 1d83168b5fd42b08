"""Wijkprofiel: one buurt's scores, coverage, contributions, indicator values and menukaart."""

from wijkprofielen.ui import niveau, wijkprofiel

niveau.profile_hint()
wijkprofiel.render()
