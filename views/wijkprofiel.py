"""Wijkprofiel: one buurt's scores, coverage, contributions, indicator values and menukaart."""

from wijkprofielen.ui import wijkprofiel

wijkprofiel.render()
