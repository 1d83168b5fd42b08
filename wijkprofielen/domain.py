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
# No quadrant because the buurt has too few inhabitants, or no Kerncijfers row at all.
QUADRANT_TOO_SMALL = "te_weinig_inwoners"
QUADRANT_NO_INHABITANTS = "geen_inwonersaantal"
PLACED_QUADRANTS = ("hoog_hoog", "laag_hoog", "laag_laag", "hoog_laag")
UNPLACED_QUADRANTS = (QUADRANT_MISSING, QUADRANT_TOO_SMALL, QUADRANT_NO_INHABITANTS)
QUADRANTS = PLACED_QUADRANTS + UNPLACED_QUADRANTS
# Composite indicators and the components they already contain. A recipe that uses both
# counts the components twice (and, with opposite signs, builds a correlation between the axes).
# Leefbaarometer 3: lbm = the national mean + afw; afw = the sum of the five dimensions.
# Kerncijfers: all rented homes = corporatie + overige verhuurders; before 2000 includes 1945–1975.
COMPOSITES = {
    "lbm_score": ("lbm_afw", "lbm_fys", "lbm_onv", "lbm_soc", "lbm_vrz", "lbm_won"),
    "lbm_afw": ("lbm_fys", "lbm_onv", "lbm_soc", "lbm_vrz", "lbm_won"),
    "pct_huurwoningen": ("pct_corporatiebezit", "pct_eigendom_overige_verhuurders"),
    "pct_bouwjaar_voor_2000": ("pct_bouwjaar_1945_1975",),
}

# Import rules (defaults of the [import] options; an imported dataset records the values used).
# A buurt's own figure beats a newer wijk figure when it is at most this many years older.
MAX_LEEFTIJD_BUURTCIJFER = 4
# Rates per 1.000 inhabitants need at least this many inhabitants in the same year.
MIN_INWONERS_RATE = 200
# A buurt whose implied area differs more than this share from the reference year changed boundaries.
GRENS_DREMPEL = 0.05
# CBS rounds counts (inhabitants, households, crimes) to multiples of 5.
CBS_AFRONDING = 5

# Levels of a profile: a CBS buurt, a CBS wijk, or a gebied (a named set of buurten a team defines).
NIVEAUS = ("buurt", "wijk", "gebied")
NIVEAU_LABELS = {"buurt": "buurt", "wijk": "wijk (CBS)", "gebied": "eigen gebied"}
# Where a wijk or gebied figure comes from: published by the source for the unit itself, or
# computed from its buurten.
GEPUBLICEERD = "gepubliceerd"
BEREKEND = "berekend"
# How an indicator is aggregated over buurten (indicatoren.toml `aggregatie`): counts are summed,
# shares and rates weighted by their own denominator (`noemer`), averages per person and
# Leefbaarometer scores weighted by inhabitants.
AGGREGATIES = ("som", "aandeel", "gemiddelde_per_persoon", "lbm")
# `oppervlakte`: a buurt's land area in km², implied by its inhabitants and density.
NOEMERS = ("inwoners", "huishoudens", "woningen", "oppervlakte")
# A computed wijk or gebied figure needs at least this share of its inhabitants to have a value.
MIN_AANDEEL_INWONERS = 0.8
