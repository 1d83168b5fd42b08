"""Real browser: clicking in the assenkruis chooses a position (Debian Chromium, no network)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian-Chromium (/usr/bin/chromium) ontbreekt")]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--disable-quic",
                     "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{tmp}/e2e.db"
    port = _free_port()
    env = {**os.environ, "WIJKPROFIELEN_DATABASE": url}
    env.pop("WIJKPROFIELEN_DATA", None)
    log = open(tmp / "server.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        pytest.fail("Streamlit-server start niet")
    yield base, url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


def _wait_ready(page) -> None:
    page.wait_for_selector("[data-test-connection-state='CONNECTED']", timeout=60_000)
    page.wait_for_timeout(250)
    page.wait_for_selector("[data-test-script-state='notRunning']", timeout=60_000)


def test_click_in_assenkruis_sets_sliders_and_saves(server, page):
    from wijkprofielen.config import load_config
    from wijkprofielen.synthetic import voorbeeldstad
    from wijkprofielen.workshop import WorkshopStore

    base, url = server
    ds = voorbeeldstad()
    store = WorkshopStore(url)
    ws = store.create_workshop("E2E", ds, ds.codes[:2], recipe=load_config().recipe, max_afwijking=10)
    pid = store.join(ws.code, "Klikker")
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{base}/workshop?ws={ws.code}&p={pid}")
    _wait_ready(page)
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
    page.wait_for_timeout(3000)
    _wait_ready(page)
    sliders = page.locator("[data-testid='stMain'] [data-testid='stSlider'] input[type=range]")  # not the sidebar's weight sliders
    dk = float(sliders.nth(0).input_value())
    fk = float(sliders.nth(1).input_value())
    assert dk > 1.0 and fk > 1.0, (dk, fk)
    page.get_by_role("button", name="Plaatsing opslaan").click()
    page.wait_for_timeout(400)
    _wait_ready(page)
    p = store.placements(ws.code)
    assert p["draagkracht"].item() == pytest.approx(dk) and p["fysieke_kansen"].item() == pytest.approx(fk)

    # Drag: press in the lower-left part, move with the button down, release lower right.
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(box["x"] + box["width"] * (0.3 + 0.045 * i), box["y"] + box["height"] * 0.7)
        page.wait_for_timeout(30)
    page.mouse.up()
    page.wait_for_timeout(3000)
    _wait_ready(page)
    dk2, fk2 = float(sliders.nth(0).input_value()), float(sliders.nth(1).input_value())
    assert dk2 > 1.0 and fk2 < -1.0, (dk2, fk2)
