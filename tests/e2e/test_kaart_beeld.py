"""The map keeps the user's view when the app reruns."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout, expect

from .conftest import wait_for_app

pytestmark = pytest.mark.e2e

# The deck's current view state, from the DeckGL component's props (Streamlit keeps it in React state).
VIEW_STATE = """() => {
  const canvas = document.querySelector('[data-testid=stDeckGlJsonChart] canvas');
  if (!canvas) return null;
  const key = Object.keys(canvas).find(k => k.startsWith('__reactFiber'));
  for (let f = canvas[key]; f; f = f.return) {
    const p = f.memoizedProps;
    if (p && p.viewState && typeof p.viewState.zoom === 'number') {
      const v = p.viewState;
      return {zoom: v.zoom, latitude: v.latitude, longitude: v.longitude};
    }
  }
  return null;
}"""


def test_zoom_survives_a_weight_change(page, server):
    # With a kwadrant filter the weight change also changes which buurten are shown.
    page.goto(server + "/?kwadrant=hoog_hoog")
    wait_for_app(page)
    chart = page.get_by_test_id("stDeckGlJsonChart")
    chart.wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    start = page.evaluate(VIEW_STATE)
    assert start is not None
    # A first visit may still rerun once (e.g. the URL gains the chosen buurt) and redraw the deck
    # under the wheel: zoom again until the deck reports it.
    for attempt in range(3):
        wait_for_app(page)
        box = chart.bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.4)
        page.mouse.wheel(0, -600)
        try:
            page.wait_for_function("z => { const v = (" + VIEW_STATE + ")(); return v && v.zoom > z + 0.5; }",
                                   arg=start["zoom"], timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    page.wait_for_timeout(800)  # the zoom's transition settles
    zoomed = page.evaluate(VIEW_STATE)

    page.get_by_test_id("stSidebar").get_by_text("Weging aanpassen").click()
    slider = page.get_by_test_id("stSidebar").get_by_role("slider").first
    slider.focus()
    slider.press("Home")  # the heaviest draagkracht indicator to weight 0: quadrants change
    wait_for_app(page)
    # The weight changed and the app reran with it.
    expect(page.get_by_text(re.compile(r"\d+ buurten wisselen van kwadrant"))).to_be_visible(timeout=15_000)
    page.wait_for_timeout(800)
    after = page.evaluate(VIEW_STATE)
    assert after["zoom"] == pytest.approx(zoomed["zoom"], abs=1e-6)
    assert after["latitude"] == pytest.approx(zoomed["latitude"], abs=1e-7)
    assert after["longitude"] == pytest.approx(zoomed["longitude"], abs=1e-7)
