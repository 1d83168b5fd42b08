"""Methode: how the scores are made, generated from the configuration and the dataset."""

from wijkprofielen.ui import methode

methode.render()
