"""Colours stay apart with the common colour-vision deficiencies, and hover or selection never looks like a class.

Colour-vision deficiency is simulated with the matrices of Machado, Oliveira and Fernandes
(2009, severity 1.0) in linear RGB; distances are CIE 1976 ΔE in CIELAB (about 2.3 is just
noticeable; 10 is clearly different at a glance on a map).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from wijkprofielen import palettes as P

MACHADO = {
    "normaal": np.eye(3),
    "deuteranopie": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopie": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
}
CATEGORICAL = {
    "kwadrant": tuple(P.QUADRANT_HEX.values()),
    "pins": P.PIN_HEX,
    "bivariaat": sum(P.BIVARIATE_HEX, ()),
    "divergerend": P.DIVERGING_HEX,
    "status_dynamiek": (*sum(P.STATUS_DYNAMIEK_HEX, ()), P.MISSING_HEX),
}
ORDERED = {"sequentieel": P.SEQUENTIAL_HEX, "stabiliteit": P.STABILITY_HEX}
CLASS_COLOURS = {h for pal in (*CATEGORICAL.values(), *ORDERED.values()) for h in pal} | {P.MISSING_HEX}


def _lab(colour, vision: str = "normaal") -> np.ndarray:
    rgb = np.asarray(P.hex_to_rgba(colour)[:3] if isinstance(colour, str) else colour[:3], dtype=float) / 255
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    lin = np.clip(MACHADO[vision] @ lin, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ lin
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _delta_e(a, b, vision: str = "normaal") -> float:
    return float(np.linalg.norm(_lab(a, vision) - _lab(b, vision)))


def test_lab_of_known_colours():
    assert _lab("#FFFFFF") == pytest.approx([100, 0, 0], abs=0.1)
    assert _lab("#000000") == pytest.approx([0, 0, 0], abs=0.1)
    # Pure red and pure green, far apart normally, nearly merge for a deuteranope: the simulation works.
    assert _delta_e("#FF0000", "#00FF00") > 150 and _delta_e("#C00000", "#6E8A00", "deuteranopie") < 12


@pytest.mark.parametrize("vision", list(MACHADO))
@pytest.mark.parametrize("name", list(CATEGORICAL))
def test_categorical_colours_stay_apart(name, vision):
    pal = CATEGORICAL[name]
    closest = min(_delta_e(a, b, vision) for a, b in itertools.combinations(pal, 2))
    assert closest >= 10, f"{name} bij {vision}: twee kleuren liggen {closest:.1f} ΔE uit elkaar"


@pytest.mark.parametrize("vision", list(MACHADO))
@pytest.mark.parametrize("name", list(ORDERED))
def test_ordered_palettes_read_by_lightness_alone(name, vision):
    lightness = [_lab(h, vision)[0] for h in ORDERED[name]]
    assert all(b - a <= -10 for a, b in zip(lightness, lightness[1:])), (name, vision, lightness)


@pytest.mark.parametrize("vision", list(MACHADO))
def test_diverging_palette_gets_lighter_towards_the_middle(vision):
    lightness = [_lab(h, vision)[0] for h in P.DIVERGING_HEX]
    mid = len(lightness) // 2
    assert all(a < b for a, b in zip(lightness[:mid], lightness[1 : mid + 1]))
    assert all(a > b for a, b in zip(lightness[mid:], lightness[mid + 1 :]))


@pytest.mark.parametrize("vision", list(MACHADO))
@pytest.mark.parametrize("name", ["hover", "selectie"])
def test_hover_and_selection_differ_from_every_class_colour(name, vision):
    colour = {"hover": P.HOVER_RGBA, "selectie": P.SELECTED_RGBA}[name]
    closest = min(_delta_e(colour, h, vision) for h in CLASS_COLOURS)
    assert closest >= 25, f"{name} bij {vision}: {closest:.1f} ΔE van een klassekleur"
    assert _lab(colour, vision)[0] < min(_lab(h, vision)[0] for h in CLASS_COLOURS) - 15  # clearly darker


def test_no_red_to_green_palette():
    # Neither end of any palette is a red next to a green: scores are signals, not verdicts.
    for pal in (*CATEGORICAL.values(), *ORDERED.values()):
        rgb = [P.hex_to_rgba(h)[:3] for h in pal]
        reds = [c for c in rgb if c[0] > 180 and c[1] < 90 and c[2] < 90]
        greens = [c for c in rgb if c[1] > 150 and c[0] < 90 and c[2] < 90]
        assert not (reds and greens), pal
