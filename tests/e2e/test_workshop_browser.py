"""Workshop in a real browser: a click or a drag in the assenkruis chooses a position and saves it."""

from __future__ import annotations

import time

import pytest

from wijkprofielen.config import load_config
from wijkprofielen.synthetic import voorbeeldstad
from wijkprofielen.workshop import WorkshopStore

from .conftest import wait_for_app


def _positions(page, sliders, expected, timeout_s: float = 20.0) -> tuple[float, float]:
    """The two position sliders once they satisfy ``expected`` (or as they are after ``timeout_s``):
    on a busy machine the rerun that follows a click or a drag can come seconds later."""
    deadline = time.monotonic() + timeout_s
    while True:
        wait_for_app(page, timeout=60_000)
        values = float(sliders.nth(0).input_value()), float(sliders.nth(1).input_value())
        if expected(*values) or time.monotonic() > deadline:
            return values
        page.wait_for_timeout(250)


def test_click_and_drag_in_assenkruis_set_sliders_and_save(server, server_database, page):
    ds = voorbeeldstad()
    store = WorkshopStore(server_database)
    ws = store.create_workshop("E2E", ds, ds.codes[:2], recipe=load_config().recipe, max_afwijking=10)
    pid = store.join(ws.code, "Klikker")
    page.goto(f"{server}/workshop?ws={ws.code}&p={pid}")
    wait_for_app(page, timeout=60_000)
    chart = page.get_by_test_id("stVegaLiteChart").first
    chart.wait_for(timeout=60_000)
    plot = page.locator("[data-testid='stVegaLiteChart'] canvas").first
    plot.wait_for(timeout=60_000)
    box = plot.bounding_box()
    # Click in the top-right part of the plot area: high draagkracht, high fysieke kansen.
    x, y = box["x"] + box["width"] * 0.85, box["y"] + box["height"] * 0.15
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    sliders = page.locator("[data-testid='stMain'] [data-testid='stSlider'] input[type=range]")  # not the sidebar's weight sliders
    dk, fk = _positions(page, sliders, lambda d, f: d > 1.0 and f > 1.0)
    assert dk > 1.0 and fk > 1.0, (dk, fk)
    page.get_by_role("button", name="Plaatsing opslaan").click()
    page.wait_for_timeout(400)
    wait_for_app(page, timeout=60_000)
    p = store.placements(ws.code)
    assert p["draagkracht"].item() == pytest.approx(dk) and p["fysieke_kansen"].item() == pytest.approx(fk)

    # Drag: press in the lower-left part, move with the button down, release lower right.
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(box["x"] + box["width"] * (0.3 + 0.045 * i), box["y"] + box["height"] * 0.7)
        page.wait_for_timeout(30)
    page.mouse.up()
    dk2, fk2 = _positions(page, sliders, lambda d, f: d > 1.0 and f < -1.0)
    assert dk2 > 1.0 and fk2 < -1.0, (dk2, fk2)
