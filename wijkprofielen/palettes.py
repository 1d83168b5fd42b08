"""Every colour with a meaning: map classes, stability, chart series and workshop pins.

The one place for colours, so the map, its legend, the assenkruis, the exports and the
workshop agree. All palettes stay distinguishable with the common colour-vision
deficiencies and never ask for a red-to-green judgement: a score is a signal, not a
verdict. Grey (:data:`MISSING_HEX`) means "no value", never "bad".

A leaf module: no imports from the rest of the package.
"""

from __future__ import annotations

# Okabe-Ito colours per quadrant code.
QUADRANT_HEX = {
    "hoog_hoog": "#0072B2",
    "laag_hoog": "#E69F00",
    "laag_laag": "#CC79A7",
    "hoog_laag": "#009E73",
    "onvoldoende_data": "#BBBBBB",
}
MISSING_HEX = QUADRANT_HEX["onvoldoende_data"]

# Joshua Stevens' 3×3 blue–green bivariate scheme ("DkBlue"): draagkracht runs to blue,
# fysieke kansen to green. Index [fk_class][dk_class], class 0 = laag.
BIVARIATE_HEX = (
    ("#e8e8e8", "#b5c0da", "#6c83b5"),
    ("#b8d6be", "#90b2b3", "#567994"),
    ("#73ae80", "#5a9178", "#2a5a5b"),
)
# Status × dynamiek (2×3): the hue says where the draagkracht is going (orange falls, blue
# stays, purple rises; ColorBrewer PuOr and Blues ends), the lightness where it stands (dark:
# low draagkracht, light: high). Index [status][dynamiek]: status 0 = laag, 1 = hoog;
# dynamiek 0 = daalt, 1 = stabiel, 2 = stijgt. Dark orange is "aandacht: daalt".
STATUS_DYNAMIEK_HEX = (
    ("#b35806", "#4292c6", "#542788"),
    ("#fdb863", "#c6dbef", "#b2abd2"),
)
# Purple–orange diverging (ColorBrewer PuOr) for scores around 0.
DIVERGING_HEX = ("#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99")
# Single-hue sequential (ColorBrewer Blues) for quantities without a direction.
SEQUENTIAL_HEX = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
# Stability of the placement: light (least stable) to dark blue (always in the same quadrant).
STABILITY_HEX = ("#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d")

# Workshop pins: one Okabe-Ito colour per menukaart category; dark grey for anything beyond five.
PIN_HEX = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#666666")

# Chart series: the buurt against the gemeente median; the own and the others' placements.
BUURT_HEX = "#0072B2"
MEDIAAN_HEX = "#999999"
OWN_HEX = QUADRANT_HEX["hoog_hoog"]
OTHER_HEX = QUADRANT_HEX["laag_hoog"]
DATA_HEX = "#444444"  # the data's position in workshop charts

# Map lines and interaction. The hover fill and the selection outline are near-black: far
# darker than the darkest class colour, so they never read as a class.
BORDER_RGBA = (255, 255, 255, 180)  # between buurten
OUTLINE_RGBA = (60, 60, 60, 200)  # wijk outlines
GEMEENTE_RGBA = (20, 20, 20, 230)  # gemeente outlines
HOVER_RGBA = (17, 17, 17, 200)
SELECTED_RGBA = (0, 0, 0, 255)


def hex_to_rgba(hex_colour: str, alpha: int = 210) -> list[int]:
    """``"#0072B2"`` → ``[0, 114, 178, alpha]``.

    Examples
    --------
    >>> hex_to_rgba("#0072B2", 255)
    [0, 114, 178, 255]
    """
    h = hex_colour.lstrip("#")
    return [int(h[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]
