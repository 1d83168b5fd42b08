"""Real-browser fixtures: one Streamlit server per session, Debian's headless Chromium.

Never ``playwright install``: the browser is ``/usr/bin/chromium`` (``.ci/run`` installs it).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from wijkprofielen.dataset import save_dataset
from wijkprofielen.importers.pipeline import build_dataset

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SHARED_DATA = Path(os.environ.get("WIJKPROFIELEN_SHARED_DATA", ROOT.parent / "shared" / "data"))
REAL = "GM0796"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason="/usr/bin/chromium ontbreekt (apt-get install -y chromium)"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # SwiftShader gives headless Chromium a WebGL context; without it deck.gl draws nothing.
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM),
            "args": ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--disable-quic",
                     "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A fixed viewport, so a pixel on the map always lands in the same buurt.
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server_database(tmp_path_factory) -> str:
    """SQLAlchemy URL of the store the browser-test server uses: an empty SQLite file of its own."""
    return f"sqlite:///{tmp_path_factory.mktemp('e2e')}/e2e.db"


@pytest.fixture(scope="session")
def geodata(tmp_path_factory) -> Path:
    """A geodata folder (``WIJKPROFIELEN_GEODATA``); with ../shared/data it holds GM0796 imported from
    the real files, opened with ``?dataset=GM0796``."""
    folder = tmp_path_factory.mktemp("geodata")
    gm = SHARED_DATA / REAL
    if gm.is_dir():
        ds, _ = build_dataset(
            REAL, gm / "cbsgebiedsindelingen_buurt_2022_GM0796.geojson",
            kerncijfers=[gm / "kwb2024_85984NED_extract_GM0796.csv", gm / "kwb2017_83765NED_extract_GM0796.csv"],
            leefbaarometer=gm / "leefbaarometer3_buurten_GM0796_2018-2024.csv",
            inkomen=SHARED_DATA / "NL" / "cbs_maatwerk_inkomen_2020_gemeente_wijk_wb2023.csv")
        ds.meta["naam"] = REAL
        save_dataset(ds, folder / f"{REAL}.parquet")
    return folder


def skip_without_real(geodata: Path) -> None:
    if not (geodata / f"{REAL}.parquet").exists():
        pytest.skip(f"echte data niet gevonden in {SHARED_DATA} (../shared/data naast de repository): "
                    "alleen het synthetische voorbeeld is getest")


@contextlib.contextmanager
def streamlit_server(database: str | None = None, config: Path | None = None, **env_extra: str):
    """``streamlit run app.py`` on a free local port with extra environment variables; yields its base URL.

    ``config``: a configuration file for this server; None: the repository's.
    """
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("WIJKPROFIELEN_DATA", "WIJKPROFIELEN_CONFIG")}
    if database is not None:
        env["WIJKPROFIELEN_DATABASE"] = database
    if config is not None:
        env["WIJKPROFIELEN_CONFIG"] = str(config)
    env.update(env_extra)
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # not a PIPE: it can deadlock
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("Streamlit-server start niet: " + Path(log.name).read_text()[-2000:])
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        Path(log.name).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def server(server_database):
    """Base URL of ``streamlit run app.py`` on a free local port (the built-in synthetic data)."""
    with streamlit_server(server_database) as url:
        yield url


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until the websocket is connected, the script has finished and nothing is loading."""
    page.wait_for_selector("[data-test-connection-state='CONNECTED']", timeout=timeout)
    page.wait_for_timeout(250)  # selection debounce / rerun start, as Streamlit's own e2e helpers
    page.wait_for_selector("[data-test-script-state='notRunning']", timeout=timeout)
    page.wait_for_function("document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=timeout)
    page.wait_for_timeout(300)
