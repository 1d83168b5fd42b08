"""A participant's browser behind nginx: its app process is killed, the tab carries on elsewhere."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess

import pytest
from playwright.sync_api import Page, expect

from wijkprofielen.config import load_config
from wijkprofielen.synthetic import voorbeeldstad
from wijkprofielen.workshop import WorkshopStore

from hosting_helpers import running_lokaal

pytestmark = pytest.mark.hosting


@pytest.fixture(scope="module")
def lokaal(tmp_path_factory):
    with running_lokaal(tmp_path_factory.mktemp("lokaal-browser")) as setup:
        yield setup


def _ports_with_a_connection(ports: list[int]) -> list[int]:
    out = subprocess.run(["ss", "-tnH", "state", "established"], capture_output=True, text=True, check=True).stdout
    return [p for p in ports if f"127.0.0.1:{p} " in out]


@pytest.mark.skipif(shutil.which("ss") is None, reason="ss (iproute2) ontbreekt: nodig om het app-proces van de tab te vinden")
def test_participant_tab_reconnects_to_another_process_and_keeps_its_work(lokaal, page: Page):
    ds = voorbeeldstad()
    store = WorkshopStore(lokaal.database)
    ws = store.create_workshop("Atelier", ds, ds.codes[:3], recipe=load_config().recipe)
    token = store.join(ws.code, "Bea")
    store.place(ws.code, token, ds.codes[0], 0.2, 0.2, reden="ken de buurt")
    page.goto(f"{lokaal.url}/workshop?ws={ws.code}&p={token}")
    expect(page.get_by_text("1 van 3 buurten geplaatst")).to_be_visible(timeout=60_000)
    (own,) = _ports_with_a_connection(lokaal.app_ports)  # only this tab's websocket is open
    os.kill(lokaal.app_pid(lokaal.app_ports.index(own) + 1), signal.SIGKILL)
    page.wait_for_timeout(1_000)
    # Streamlit's frontend reconnects; nginx sends it to a live process, which reruns from the URL.
    expect(page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']")).to_be_attached(timeout=60_000)
    expect(page.get_by_text("1 van 3 buurten geplaatst")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("U doet mee als deelnemer 1: Bea")).to_be_visible()
    now = _ports_with_a_connection(lokaal.app_ports)
    assert now and own not in now
