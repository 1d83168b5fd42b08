"""A finished Dutch interface in a real browser, on the synthetic example and on real data.

Every page and tab is visited; the example and primary buttons are pressed. A page fails on an
exception box or the error guard's message, a visible ``None``/``nan``/``-0,00``, a catalogue
code (outside the Methode page and the template's column names), an English widget default the
product can avoid, or an absolute path. The link test copies an address into a fresh browser.
Screenshots of the real-data pages go to ``$WIJKPROFIELEN_SCREENSHOTS`` when that is set.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from wijkprofielen import indicators
from wijkprofielen.menukaart import default_menukaart

from .conftest import REAL, ROOT, skip_without_real, streamlit_server, wait_for_app

pytestmark = pytest.mark.e2e

# (url path, title); the tabs of each page are found and clicked.
PAGES = [("", "Kaart"), ("assenkruis", "Assenkruis"), ("wijkprofiel", "Wijkprofiel"), ("menukaart", "Menukaart"),
         ("workshop", "Workshop"), ("uitzoomen", "Uitzoomen"), ("export", "Export"), ("data", "Data"),
         ("methode", "Methode"), ("referenties", "Referenties vergelijken")]
# Defaults Streamlit shows unless the product passes a placeholder, select_all=False or a limit.
AVOIDABLE_ENGLISH = ("Choose an option", "Choose options", "Select all", "200MB per file", "No options to select")
CODES = sorted({k for k in indicators.catalogue() if "_" in k} | {i for i in default_menukaart() if "_" in i})
CODE_RE = re.compile(r"(?<![\w/.=-])(" + "|".join(map(re.escape, CODES)) + r")(?![\w/-])")
MISSING_RE = re.compile(r"(?<![\w-])(None|nan|NaN|-0,00)(?![\w,])")
PATH_RE = re.compile(r"(?<![\w.:/~-])/(?:[\w.-]+/)+[\w.-]+")


@pytest.fixture(scope="module")
def app_url(geodata, tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('e2e-interface')}/w.db"
    with streamlit_server(WIJKPROFIELEN_DATABASE=db, WIJKPROFIELEN_GEODATA=str(geodata)) as url:
        yield url, db


def _text(page) -> str:
    """What a user reads: the visible text of the page and sidebar, plus the values and placeholders
    of the inputs (a selectbox shows its choice in an input, not as text)."""
    inputs = page.evaluate("""() => [...document.querySelectorAll(
        "[data-testid='stMain'] input, [data-testid='stMain'] textarea, [data-testid='stSidebar'] input")]
        .filter(e => e.type !== 'hidden' && e.type !== 'file' && e.offsetParent !== null)
        .map(e => e.value || e.placeholder).join('\\n')""")  # a placeholder shows only when empty
    main = page.locator("[data-testid='stMain']").inner_text()
    return main + "\n" + page.locator("[data-testid='stSidebar']").inner_text() + "\n" + inputs


def _problems(page, where: str, *, codes_allowed: bool = False) -> list[str]:
    text = _text(page)
    found = []
    if page.locator("[data-testid='stException']").count():
        found.append(f"{where}: uitzonderingsvak")
    if "Er ging iets mis" in text:
        found.append(f"{where}: onverwachte fout: " + text[text.index("Er ging iets mis"):][:120])
    found += [f"{where}: ontbrekende waarde '{m}'" for m in set(MISSING_RE.findall(text))]
    found += [f"{where}: Engels '{e}'" for e in AVOIDABLE_ENGLISH if e in text]
    found += [f"{where}: pad '{p}'" for p in set(PATH_RE.findall(text))]
    if not codes_allowed:
        found += [f"{where}: code '{c}'" for c in set(CODE_RE.findall(text))]
    return found


def _click(page, locator) -> None:
    locator.click()
    wait_for_app(page, timeout=90_000)


def _visit_all(page, base: str, query: str, shots: Path | None) -> list[str]:
    problems = []
    for path, title in PAGES:
        page.goto(f"{base}/{path}{query}")
        wait_for_app(page, timeout=90_000)
        page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
        methode = path == "methode"
        problems += _problems(page, title, codes_allowed=methode)
        if path == "uitzoomen":
            _click(page, page.get_by_role("button", name="Voorbeeldscenario maken"))
            problems += _problems(page, "Uitzoomen na het voorbeeld")
        if path == "export":
            _click(page, page.get_by_role("button", name="Bestanden voor alle buurten maken"))
            problems += _problems(page, "Export na maken")
        if shots is not None:
            page.screenshot(path=str(shots / f"{path or 'kaart'}.png"), full_page=True)
        tabs = page.locator("[data-testid='stMain'] [role='tab']")
        for i in range(tabs.count()):
            name = tabs.nth(i).inner_text().strip()
            tabs.nth(i).click()  # tabs switch in the browser, without a rerun
            page.wait_for_timeout(300)
            # The template and the column mapping name the CSV columns a user must write.
            technical = name.startswith("Sjabloon") or name == "Importeren"
            problems += _problems(page, f"{title} / {name}", codes_allowed=methode or technical)
            if name == "Importeren":
                text = _text(page)
                limit = re.search(r"Grens per bestand: (\d+) MB", text).group(1)
                assert f"{limit}MB per file" in text, "de uploadgrens op het scherm wijkt af van de ingestelde"
                _click(page, page.get_by_role("button", name="Importeren", exact=True))
                assert "Kies eerst een bestand met buurtgrenzen" in _text(page)
            if name == "Nieuwe workshop":
                page.get_by_label("Naam van de workshop").fill("Gebiedsatelier test")
                _click(page, page.get_by_role("button", name="Workshop aanmaken"))
                problems += _problems(page, "Workshop na aanmaken")
            if shots is not None:
                page.screenshot(path=str(shots / f"{path or 'kaart'}-{i + 1}.png"), full_page=True)
    return problems


def test_every_page_and_tab_on_the_synthetic_example(page, app_url):
    base, _ = app_url
    problems = _visit_all(page, base, "", None)
    assert not problems, "\n".join(problems)


def test_every_page_and_tab_on_real_data(page, app_url, geodata):
    skip_without_real(geodata)
    base, _ = app_url
    shots = os.environ.get("WIJKPROFIELEN_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
    problems = _visit_all(page, base, f"?dataset={REAL}", Path(shots) if shots else None)
    assert not problems, "\n".join(problems)


def test_a_copied_link_opens_the_same_dataset_and_buurt(page, browser, app_url, geodata):
    skip_without_real(geodata)
    base, _ = app_url
    page.goto(f"{base}/?dataset={REAL}")
    wait_for_app(page, timeout=90_000)
    _click(page, page.locator(".st-key-navigatie").get_by_role("link", name="Wijkprofiel"))
    page.wait_for_function("() => location.href.includes('dataset=GM0796')", timeout=15_000)
    box = page.get_by_test_id("stSelectbox").filter(has_text="Buurt (zoek op naam of code)")
    box.click()
    page.keyboard.type("Binnenstad-Oost")
    page.keyboard.press("Enter")
    wait_for_app(page, timeout=90_000)
    page.wait_for_function("() => location.href.includes('buurt=BU')", timeout=15_000)
    heading = page.locator("[data-testid='stMain'] h3").first.inner_text()
    url = page.evaluate("location.href")
    assert "dataset=GM0796" in url and "/wijkprofiel" in url
    fresh = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        other = fresh.new_page()
        other.goto(url)
        wait_for_app(other, timeout=90_000)
        assert other.locator("[data-testid='stMain'] h3").first.inner_text() == heading
        assert "Dataset GM0796" in _text(other) and "Voorbeeldstad" not in _text(other)
    finally:
        fresh.close()


def test_a_link_to_a_missing_dataset_says_so(page, app_url):
    base, _ = app_url
    page.goto(f"{base}/wijkprofiel?dataset=bestaat-niet")
    wait_for_app(page, timeout=90_000)
    assert "Dataset 'bestaat-niet' uit de link is op deze server niet gevonden" in _text(page)


def test_workshop_participants_see_the_workshop_dataset(page, app_url, geodata):
    skip_without_real(geodata)
    from wijkprofielen.config import load_config
    from wijkprofielen.dataset import load_dataset
    from wijkprofielen.workshop import WorkshopStore

    base, db = app_url
    ds = load_dataset(geodata / f"{REAL}.parquet")
    store = WorkshopStore(db)
    ws = store.create_workshop("Atelier", ds, ds.codes[:3], recipe=load_config(ROOT / "config.toml").recipe)
    pid = store.join(ws.code, "Deelnemer")
    page.goto(f"{base}/workshop?ws={ws.code}&p={pid}")
    wait_for_app(page, timeout=90_000)
    page.wait_for_function("() => location.href.includes('dataset=GM0796')", timeout=15_000)
    assert "Gemeente: 's-Hertogenbosch (GM0796)" in _text(page) and "Voorbeeldstad" not in _text(page)
    assert not _problems(page, "Workshop deelnemer")
