"""The app loads nothing from the internet: no tiles, no CDN fonts or icons."""

from __future__ import annotations

from urllib.parse import urlparse

from .conftest import wait_for_app

PAGES = ["/", "/assenkruis", "/wijkprofiel", "/menukaart", "/workshop", "/uitzoomen", "/afspraken", "/monitor", "/export", "/data", "/methode"]


def test_pages_request_only_the_local_server(page, server):
    local = urlparse(server).netloc
    outside = []
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).scheme in ("http", "https", "ws", "wss")
            and urlparse(r.url).netloc != local else None)
    for path in PAGES:
        page.goto(server + path)
        wait_for_app(page)
        page.wait_for_timeout(500)
    assert outside == []
