"""WCAG 2.1 AA in a real browser: an axe-core scan of every page, two tasks with the keyboard alone,
and text at 200 % zoom.

axe-core is the copy bundled in the ``axe-playwright-python`` package (requirements-dev.txt),
injected from disk, never from a CDN. One app server serves the synthetic example and, with
``?dataset=GM0796``, the real import; one browser page visits every page.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import expect

from wijkprofielen.config import load_config
from wijkprofielen.synthetic import voorbeeldstad
from wijkprofielen.workshop import WorkshopStore

from .conftest import REAL, ROOT, skip_without_real, streamlit_server, wait_for_app

pytestmark = pytest.mark.e2e

AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


def app_pages() -> list[tuple[str, str]]:
    """(url path, title) of every page registered in app.py's PAGES table ("" is the start page)."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    table = next(n.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "PAGES")
    return [(p[3], p[1]) for pages in ast.literal_eval(table).values() for p in pages]


@pytest.fixture(scope="module")
def app_url(geodata, tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('e2e-a11y')}/w.db"
    with streamlit_server(db, WIJKPROFIELEN_GEODATA=str(geodata)) as url:
        yield url, db


@pytest.fixture(scope="module")
def tab(browser):
    """One browser page for the whole module."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


def scan_all(page, base: str, query: str) -> list[str]:
    """Open the start page once, then every page through the sidebar's links (no reload: axe-core is
    injected once) and run axe-core with the WCAG 2.0/2.1 A and AA rules; the serious and critical findings."""
    page.goto(f"{base}/{query}")
    wait_for_app(page, timeout=90_000)
    page.add_script_tag(path=str(AXE_JS))
    found = []
    for path, title in app_pages():
        if path:
            page.locator(".st-key-navigatie").get_by_role("link", name=title, exact=True).click()
        page.get_by_role("heading", level=1, name=title).first.wait_for(timeout=60_000)
        wait_for_app(page, timeout=90_000)
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
                               " resultTypes: ['violations']})", WCAG_AA)
        assert result["testEngine"]["name"] == "axe-core"
        for v in result["violations"]:
            if v["impact"] in BLOCKING:
                targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
                found.append(f"/{path}: {v['id']} ({v['impact']}, {len(v['nodes'])}x) {v['help']}: {targets}")
    return found


def test_axe_finds_no_serious_violation_on_the_synthetic_example(tab, app_url):
    found = scan_all(tab, app_url[0], "")
    assert not found, "\n".join(found)


def test_axe_finds_no_serious_violation_on_real_data(tab, app_url, geodata):
    skip_without_real(geodata)
    found = scan_all(tab, app_url[0], f"?dataset={REAL}")
    assert tab.evaluate("location.href.includes('dataset=GM0796')")  # the links kept the dataset
    assert not found, "\n".join(found)


def tab_to(page, accessible_name: str, key: str = "Tab", presses: int = 120):
    """Press Tab (or Shift+Tab) until the focused element has this label or text; return its locator."""
    for _ in range(presses):
        page.keyboard.press(key)
        if page.evaluate("n => { const e = document.activeElement; return !!e && (e.getAttribute('aria-label') === n"
                         " || [...(e.labels || [])].some(l => l.innerText.trim().startsWith(n))"
                         " || (e.innerText || '').trim().split('\\n').pop().trim() === n); }", accessible_name):
            return page.locator("*:focus")
    raise AssertionError(f"'{accessible_name}' is met {key} niet te bereiken")


def test_keyboard_only_choose_a_buurt_and_read_its_profile(tab, app_url):
    ds = voorbeeldstad()
    naam = ds.gebieden["buurtnaam"].iloc[5]
    tab.goto(f"{app_url[0]}/wijkprofiel")
    wait_for_app(tab, timeout=90_000)
    tab_to(tab, "Buurt (zoek op naam of code)")
    tab.keyboard.type(naam)
    tab.keyboard.press("Enter")
    wait_for_app(tab, timeout=90_000)
    # The profile's heading: "<buurt> · <wijk> · <gemeente>".
    expect(tab.get_by_role("heading", level=3, name=re.compile("^" + re.escape(naam) + " · "))).to_be_visible(
        timeout=15_000)
    # The page links are reachable too (back through the sidebar): Enter on one opens that page.
    tab_to(tab, "Methode", key="Shift+Tab")
    tab.keyboard.press("Enter")
    wait_for_app(tab, timeout=90_000)
    expect(tab.get_by_role("heading", name="Methode", level=1)).to_be_visible(timeout=15_000)


def test_keyboard_only_join_a_workshop_and_place_with_the_sliders(tab, app_url):
    ds = voorbeeldstad()
    store = WorkshopStore(app_url[1])
    ws = store.create_workshop("Toetsenbord", ds, ds.codes[:2], recipe=load_config().recipe, max_afwijking=10)
    tab.goto(f"{app_url[0]}/workshop?ws={ws.code}")
    wait_for_app(tab, timeout=90_000)
    tab_to(tab, "Uw naam")
    tab.keyboard.type("Toetsenbord")
    tab.keyboard.press("Enter")  # submits the form
    wait_for_app(tab, timeout=90_000)
    slider = tab_to(tab, "Draagkracht en weerbaarheid")
    start = float(slider.input_value())
    for _ in range(4):
        tab.keyboard.press("ArrowRight")
    wait_for_app(tab, timeout=90_000)
    tab_to(tab, "Plaatsing opslaan")
    tab.keyboard.press("Enter")
    wait_for_app(tab, timeout=90_000)
    p = store.placements(ws.code)
    assert len(p) == 1 and p["draagkracht"].item() == pytest.approx(start + 4 * 0.05)


def test_text_at_200_percent_zoom_needs_no_sideways_scrolling(browser, app_url):
    # 200 % zoom of a 1280 px window is a 640 px wide viewport.
    context = browser.new_context(viewport={"width": 640, "height": 900})
    try:
        page = context.new_page()
        for path in ("wijkprofiel", "methode"):
            page.goto(f"{app_url[0]}/{path}")
            wait_for_app(page, timeout=90_000)
            wide = page.evaluate("""() => [...document.querySelectorAll(
                "[data-testid='stMain'] [data-testid='stMarkdownContainer'], [data-testid='stMain'] h1")]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.innerText.slice(0, 60))""")
            assert not wide, f"/{path}: tekst breder dan het venster: {wide}"
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"/{path} schuift opzij"
    finally:
        context.close()

