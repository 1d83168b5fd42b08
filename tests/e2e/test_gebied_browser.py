"""Making a gebied in a real browser: click buurten on the map, name it, save, open its profile."""

from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import expect

from wijkprofielen.mapgeometry import TILE_PX, MapGeometry, _mercator
from wijkprofielen.synthetic import voorbeeldstad

from .conftest import wait_for_app

pytestmark = pytest.mark.e2e


def _pixel(view: dict, lon: float, lat: float, box: dict) -> tuple[float, float]:
    """Where a lon/lat lands in the map element for a deck.gl view state (Web Mercator)."""
    scale = 2 ** view["zoom"]
    cx, cy = _mercator(view["longitude"], view["latitude"])
    x, y = _mercator(lon, lat)
    return (box["x"] + box["width"] / 2 + float(x - cx) * scale, box["y"] + box["height"] / 2 + float(y - cy) * scale)


def test_build_a_gebied_on_the_map_and_open_its_profile(page, server):
    assert TILE_PX == 512
    geo = MapGeometry.build(voorbeeldstad().gebieden)
    view = geo.view()
    # Two large buurten: a click near their inner point cannot miss them.
    targets = [int(i) for i in np.argsort(-geo.areas)[:2]]
    names = [voorbeeldstad().gebieden.set_index("buurtcode").at[geo.codes[i], "buurtnaam"] for i in targets]

    page.goto(f"{server}/gebiedsprofiel")
    wait_for_app(page, timeout=120_000)  # the first run also scores the buurten and their stability
    page.get_by_role("tab", name="Gebied maken").click()
    wait_for_app(page, timeout=60_000)
    chart = page.get_by_test_id("stDeckGlJsonChart")
    chart.wait_for(timeout=30_000)
    page.wait_for_timeout(1500)  # deck.gl draws after the element appears
    # A freshly drawn deck may swallow its first click: click an empty corner first.
    box = chart.bounding_box()
    page.mouse.click(box["x"] + 8, box["y"] + box["height"] - 8)
    wait_for_app(page, timeout=60_000)
    chosen = page.get_by_test_id("stMultiSelect").filter(has_text="Buurten van het gebied")
    for i, naam in zip(targets, names):
        for _ in range(3):  # deck.gl may still be setting up picking on a busy machine
            x, y = _pixel(view, *geo.label_points[i], chart.bounding_box())
            page.mouse.move(x, y, steps=8)  # deck.gl picks what is under the pointer while it moves
            page.wait_for_timeout(400)
            page.mouse.click(x, y)
            wait_for_app(page, timeout=60_000)
            try:
                expect(chosen.get_by_text(naam, exact=False)).to_be_visible(timeout=5_000)
                break
            except AssertionError:
                page.mouse.move(1, 1)
        expect(chosen.get_by_text(naam, exact=False)).to_be_visible(timeout=10_000)
    page.get_by_role("textbox", name="Naam", exact=True).fill("Orthen-links")
    page.get_by_role("button", name="Gebied opslaan").click()
    wait_for_app(page, timeout=60_000)
    page.get_by_role("tab", name="Profiel").click()
    expect(page.get_by_role("heading", name="Orthen-links · eigen gebied · 2 buurten")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Spreiding van de buurten")).to_be_visible()
    assert "niveau=gebied" in page.evaluate("location.href")  # the link opens the same gebied
