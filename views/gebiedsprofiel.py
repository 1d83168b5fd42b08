"""Gebiedsprofiel: the profile of a wijk or an own gebied; making, importing and exporting gebieden."""

from wijkprofielen.ui import gebiedsprofiel

gebiedsprofiel.render()
