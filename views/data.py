"""Data: choose among imported datasets, import files, coverage report, save by name."""

from wijkprofielen.ui import data_page

data_page.render()
