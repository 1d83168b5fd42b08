"""The optional background map in a real browser, against a tile server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import http.server
import io
import re
import threading
from urllib.parse import urlparse

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from .conftest import streamlit_server, wait_for_app

pytestmark = pytest.mark.e2e
TILE_RGB = (255, 0, 255)  # no class colour is anywhere near magenta
TILE_PATH = re.compile(r"^/tegels/(\d+)/(\d+)/(\d+)\.png$")


@pytest.fixture(scope="module")
def tile_server(tmp_path_factory):
    """A tiny http.server serving one flat PNG tile from a temp dir for every z/x/y; it records the requests."""
    folder = tmp_path_factory.mktemp("tegels")
    Image.new("RGB", (256, 256), TILE_RGB).save(folder / "tegel.png")
    requests: list[str] = []

    class Tiles(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def do_GET(self):  # noqa: N802 - http.server's name
            requests.append(self.path)
            if not TILE_PATH.match(self.path):
                self.send_error(404)
                return
            self.path = "/tegel.png"
            super().do_GET()

        def end_headers(self):
            self.send_header("Access-Control-Allow-Origin", "*")  # the map fetches tiles cross-origin
            super().end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    httpd.shutdown()
    httpd.server_close()


def _server_with_tiles(tile_server, tmp_path_factory, achtergrond: str):
    """A Streamlit server whose [kaart] names the local tile server, with the given choice."""
    base, _ = tile_server
    folder = tmp_path_factory.mktemp("config")
    config = folder / "config.toml"
    config.write_text(f'[kaart]\nachtergrond = "{achtergrond}"\ntegels_url = "{base}/tegels/{{z}}/{{x}}/{{y}}.png"\n'
                      'attributie = "Testtegels Kadaster"\n', encoding="utf-8")
    return streamlit_server(f"sqlite:///{folder}/e2e.db", config)


@pytest.fixture(scope="module")
def tiled_server(tile_server, tmp_path_factory):
    with _server_with_tiles(tile_server, tmp_path_factory, "eigen") as url:
        yield url


@pytest.fixture(scope="module")
def untiled_server(tile_server, tmp_path_factory):
    with _server_with_tiles(tile_server, tmp_path_factory, "geen") as url:
        yield url


def test_background_tiles_come_from_the_configured_server_and_are_drawn(page, tiled_server, tile_server):
    base, requests = tile_server
    outside = []
    allowed = {urlparse(tiled_server).netloc, urlparse(base).netloc}
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).scheme in ("http", "https", "ws", "wss")
            and urlparse(r.url).netloc not in allowed else None)
    page.goto(tiled_server + "/")
    wait_for_app(page)
    chart = page.get_by_test_id("stDeckGlJsonChart")
    chart.wait_for(timeout=30_000)
    # The deck asks for tiles once it has drawn; on a busy machine that can take a while.
    for _ in range(80):
        tiles = [r for r in requests if TILE_PATH.match(r)]
        if tiles:
            break
        page.wait_for_timeout(250)
    page.wait_for_timeout(1000)  # the first tiles are drawn
    tiles = [r for r in requests if TILE_PATH.match(r)]
    assert tiles, f"geen tegel opgevraagd; verzoeken: {requests[:5]}"
    z = {int(TILE_PATH.match(r).group(1)) for r in tiles}
    assert all(8 <= level <= 16 for level in z), z  # tiles at the gemeente's zoom, not the world
    px = np.asarray(Image.open(io.BytesIO(chart.screenshot())).convert("RGB"), dtype=int)
    drawn = (np.abs(px - np.array(TILE_RGB)).sum(axis=-1) < 40).mean()
    assert drawn > 0.05, f"de tegels zijn niet getekend ({drawn:.1%} van de kaart)"
    expect(chart.get_by_text("Testtegels Kadaster")).to_be_visible()  # the attribution is on the map
    expect(page.get_by_text("Achtergrondkaart: Testtegels Kadaster.", exact=False)).to_be_visible()
    assert outside == []


def test_without_background_no_tile_is_requested(page, untiled_server, tile_server):
    # The tile address is configured, but achtergrond = "geen": the browser must not ask for one tile.
    _, requests = tile_server
    before = len(requests)
    page.goto(untiled_server + "/")
    wait_for_app(page)
    page.get_by_test_id("stDeckGlJsonChart").wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    assert len(requests) == before
