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

# Import rules (defaults of the [import] options; an imported dataset records the values used).
# A buurt's own figure beats a newer wijk figure when it is at most this many years older.
MAX_LEEFTIJD_BUURTCIJFER = 4
# Rates per 1.000 inhabitants need at least this many inhabitants in the same year.
MIN_INWONERS_RATE = 200
# A buurt whose implied area differs more than this share from the reference year changed boundaries.
GRENS_DREMPEL = 0.05
# CBS rounds counts (inhabitants, households, crimes) to multiples of 5.
CBS_AFRONDING = 5
