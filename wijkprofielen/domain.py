"""Domain constants: the two axes, their sub-axes, the quadrants, the normalisations and references.

A leaf module: it imports nothing of the project, so every layer may use it.
"""

from __future__ import annotations

AXES = ("draagkracht", "fysieke_kansen")
SUBAXES = {"draagkracht": ("draagkracht", "draaglast"), "fysieke_kansen": ("ruimte", "opgave")}
# Shown the other way round: a high draaglast means a heavier load, i.e. lower on the axis.
INVERTED_SUBAXES = frozenset({"draaglast"})
NORMALISATIONS = ("zscore", "percentiel")
REFERENCES = ("gemeente", "dataset", "nederland", "stedelijkheid")
# References read from the national extracts rather than from the loaded buurten.
EXTERNAL_REFERENCES = ("nederland", "stedelijkheid")
REFERENCE_LABELS = {
    "gemeente": "de eigen gemeente",
    "dataset": "alle buurten in de dataset",
    "nederland": "Nederland (alle buurten in de landelijke CBS-extracten)",
    "stedelijkheid": "vergelijkbare gemeenten (zelfde mate van stedelijkheid)",
}
QUADRANT_MISSING = "onvoldoende_data"
QUADRANTS = ("hoog_hoog", "laag_hoog", "laag_laag", "hoog_laag", QUADRANT_MISSING)
