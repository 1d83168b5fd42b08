"""What a user waits for in a real browser: the Kaart of a gemeente and of the nation, against the ten-line peer.

``python -m wijkprofielen bench --alleen browser [--json PAD]``

Debian's ``/usr/bin/chromium`` (headless, SwiftShader WebGL, as the browser tests) opens
``streamlit run app.py`` on a free local port, once for the gemeente example (the real
GM0796 import when ``../shared/data`` is there, else the built-in example) and once for the
synthetic nation (:func:`benchmarks.landelijk.synthetic_nation`). Per app:

* ``server_klaar_s``: process start until ``/_stcore/health`` answers;
* ``eerste_bezoek_s``: page open until the map is drawn whole (the first redraw of the Kaart's
  canvas with at least 95 % of the primitives of its final redraw: fill, outlines and names,
  not an earlier redraw of the outlines alone), in a fresh server;
* ``tweede_bezoek_s``: the same in a new tab with the server's caches warm: the median of three
  such visits (all three in ``tweede_bezoeken_s``). Each visit waits until the page is settled
  (1.5 s without a draw, a long task or a message), so one visit's leftover work never counts
  in the next;
* ``..._server_s`` / ``..._browser_s``: of that, until the last websocket message handled
  before the map was drawn (the server's part) and from there until drawn (the browser's
  part, including fetching layers served as files);
* ``gewicht_naar_kaart_s``: a weight slider moved until the map's last redraw;
* ``rss_4_sessies_mb``: the server's resident memory with the four visits' sessions open.

The peer is what a user writes by hand: ``gpd.read_parquet(...).to_crs(4326)``, ``simplify``,
one ``GeoJsonLayer`` in ``st.pydeck_chart`` and ``st.cache_resource``; it gets ``--peer-timeout``
seconds to draw. Every app gets a fresh browser, so none inherits another's compiled shaders
or cached scripts. Only 127.0.0.1 is used.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from wijkprofielen.config import SOURCE_ROOT as REPO_ROOT
from wijkprofielen.dataset import save_dataset
from wijkprofielen.errors import WijkprofielenError
from wijkprofielen.importers.pipeline import build_dataset
from .belasting import rss_mb
from .importers import shared_data
from .landelijk import synthetic_nation

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]
SESSIONS = 4

# Records websocket messages, long tasks and every draw call on the map's canvas with its
# primitive count (no pixel read-backs: with SwiftShader those cost seconds and would slow what
# is measured).
PROBE = """(() => {
  window.__ws = [];
  window.__draws = [];
  window.__long = [];
  const WS = window.WebSocket;
  window.WebSocket = function (...a) {
    const s = new WS(...a);
    s.addEventListener('message', () => window.__ws.push(performance.now()));
    return s;
  };
  window.WebSocket.prototype = WS.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push(e.startTime + e.duration);
  }).observe({type: 'longtask', buffered: true});
  const wrap = (orig, name) => function (...a) {
    if (this.canvas && this.canvas.closest && this.canvas.closest('[data-testid=stDeckGlJsonChart]')) {
      const count = name.startsWith('drawArrays') ? a[2] : a[1];
      const instances = name.endsWith('Instanced') ? a[a.length - 1] : 1;
      window.__draws.push([performance.now(), count * instances]);
    }
    return orig.apply(this, a);
  };
  for (const name of ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced']) {
    const proto = WebGL2RenderingContext.prototype;
    if (proto[name]) proto[name] = wrap(proto[name], name);
  }
})();"""

# The page is settled when for this long nothing was drawn, no long task ran and no message came.
QUIET_MS = 1500
SETTLED = f"""() => {{
  const now = performance.now();
  const last = Math.max(0, ...window.__ws, ...window.__long, ...window.__draws.map(d => d[0]));
  return window.__draws.length > 0 && now - last > {QUIET_MS}
    && document.querySelector('[data-test-script-state=notRunning]') !== null;
}}"""
FRAME_GAP_MS = 30  # draw calls closer together than this belong to one redraw


def frames(draws: list[list[float]]) -> list[tuple[float, float]]:
    """Draw calls grouped into redraws: ``(start ms, primitives drawn)`` each."""
    out: list[list[float]] = []
    last = None
    for t, n in draws:
        if last is None or t - last > FRAME_GAP_MS:
            out.append([t, 0.0])
        out[-1][1] += n
        last = t
    return [(t, n) for t, n in out]


def first_full(draws: list[list[float]]) -> float:
    """When the map was first drawn whole: the first redraw that draws at least 95 % of the
    primitives of the last one (the map as it stays). An earlier redraw with only the outlines,
    or the fill without the names, does not count."""
    shown = frames(draws)
    final = shown[-1][1]
    return next(t for t, n in shown if n >= 0.95 * final)


PEER_APP = '''import os
import geopandas as gpd
import pydeck as pdk
import streamlit as st

@st.cache_resource
def load():
    g = gpd.read_parquet(os.environ["PEER_DATA"]).to_crs(4326)
    g["geometry"] = g.simplify(0.0005)
    return g[["buurtcode", "buurtnaam", "geometry"]]

g = load()
st.pydeck_chart(pdk.Deck(layers=[pdk.Layer("GeoJsonLayer", g, id="buurten", pickable=True, get_fill_color=[0, 114, 178, 160])],
                         map_provider=None, initial_view_state=pdk.ViewState(latitude=52.2, longitude=5.3, zoom=6.5),
                         tooltip={"text": "{buurtnaam}"}))
'''


def add_arguments(parser) -> None:
    parser.add_argument("--browser-buurten", type=int, default=15_000, metavar="N",
                        help="browser: buurten van het synthetische land (standaard 15000)")
    parser.add_argument("--peer-timeout", type=float, default=120.0, metavar="S",
                        help="browser: seconden die de tienregelige peer krijgt om te tekenen (standaard 120)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _server(script: Path, env_extra: dict[str, str], cwd: Path):
    """``streamlit run script`` on a free port; yields (url, pid, seconds until healthy)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("WIJKPROFIELEN_DATA", "WIJKPROFIELEN_CONFIG")}
    env.update(env_extra)
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # not a PIPE: it can deadlock
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true", "--server.address",
         "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"], cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - t0 > 120:
                    raise WijkprofielenError("De Streamlit-server start niet: " + Path(log.name).read_text()[-1500:])
                time.sleep(0.1)
        yield url, proc.pid, time.perf_counter() - t0
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        Path(log.name).unlink(missing_ok=True)


def _settle(page, timeout_s: float) -> bool:
    """Wait until the page is settled (see :data:`SETTLED`); False when it was not within ``timeout_s``."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        page.wait_for_function(SETTLED, timeout=timeout_s * 1000, polling=100)
    except PlaywrightError:
        return False
    return True


def _visit(context, url: str, timeout_s: float):
    """Open ``url`` in a new tab; (page, figures) with the seconds until the map is drawn whole
    (``s``) and its server and browser parts, or (page, None) when it was not. Waits until the
    page is settled, so work left over from this visit never counts in the next one."""
    page = context.new_page()
    page.goto(url, timeout=timeout_s * 1000, wait_until="commit")
    if not _settle(page, timeout_s):
        return page, None
    draws, ws = page.evaluate("[window.__draws, window.__ws]")
    drawn = first_full(draws)
    server = max((t for t in ws if t <= drawn), default=0.0)
    return page, {"s": round(drawn / 1000, 2), "server_s": round(server / 1000, 2),
                  "browser_s": round((drawn - server) / 1000, 2)}


def _weight_change(page, timeout_s: float) -> float | None:
    """Set the first weight slider to 0 with the keyboard; seconds until the map's last redraw
    (None when the page did not settle within ``timeout_s``)."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        page.get_by_test_id("stSidebar").get_by_text("Weging aanpassen").click(timeout=timeout_s * 1000)
        slider = page.get_by_test_id("stSidebar").get_by_role("slider").first
        slider.wait_for(timeout=timeout_s * 1000)
        if not _settle(page, timeout_s):
            return None
        slider.focus()
        t0 = page.evaluate("performance.now()")
        slider.press("Home")  # the heaviest draagkracht indicator to weight 0: quadrants change
        page.wait_for_function(f"window.__draws.some(d => d[0] > {t0})", timeout=timeout_s * 1000, polling=100)
    except PlaywrightError:
        return None
    if not _settle(page, timeout_s):
        return None
    # Colours change, the geometry stays: the last redraw is the recoloured map.
    last = frames([d for d in page.evaluate("window.__draws") if d[0] > t0])[-1][0]
    return round((last - t0) / 1000, 2)


def measure(browser, script: Path, env: dict[str, str], cwd: Path, timeout_s: float, full: bool = True) -> dict:
    """The figures of one app (see the module's docstring)."""
    out: dict = {}
    with _server(script, env, cwd) as (url, pid, ready):
        out["server_klaar_s"] = round(ready, 2)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.add_init_script(PROBE)
        try:
            visits = []
            while len(visits) < SESSIONS:
                page, figures = _visit(context, url, timeout_s)
                if figures is None:
                    break
                visits.append(figures)
            out.update({f"eerste_bezoek_{k}": v for k, v in (visits[0] if visits else {"s": None}).items()})
            warm = visits[1:]
            if warm:
                # The median of the warm visits: one tab on a busy machine can take twice as long.
                median = sorted(warm, key=lambda f: f["s"])[len(warm) // 2]
                out.update({f"tweede_bezoek_{k}": v for k, v in median.items()})
                out["tweede_bezoeken_s"] = [f["s"] for f in warm]
            if full and len(visits) == SESSIONS:
                out["gewicht_naar_kaart_s"] = _weight_change(page, timeout_s)
                out[f"rss_{SESSIONS}_sessies_mb"] = rss_mb(pid)
        finally:
            context.close()
    return out


def _gemeente(data: Path, tmp: Path) -> tuple[Path | None, str]:
    """The real 's-Hertogenbosch import when the shared data is there, else None (the built-in example)."""
    gm = data / "GM0796"
    if not (gm / "cbsgebiedsindelingen_buurt_2022_GM0796.geojson").exists():
        return None, "ingebouwd voorbeeld"
    built = build_dataset("GM0796", gm / "cbsgebiedsindelingen_buurt_2022_GM0796.geojson",
                          kerncijfers=[gm / "kwb2024_85984NED_extract_GM0796.csv",
                                       gm / "kwb2017_83765NED_extract_GM0796.csv"],
                          leefbaarometer=gm / "leefbaarometer3_buurten_GM0796_2018-2024.csv",
                          inkomen=data / "NL" / "cbs_maatwerk_inkomen_2020_gemeente_wijk_wb2023.csv")
    ds = built[0] if isinstance(built, tuple) else built
    path = tmp / "GM0796.parquet"
    save_dataset(ds, path)
    return path, "GM0796 (echte import)"


def _ratio(a, b):
    return round(a / b, 2) if a and b else None


def run(options) -> dict:
    if "browser" not in (getattr(options, "alleen", None) or []):
        return {"browser": {"overgeslagen": "alleen met --alleen browser: start een echte browser en duurt minuten"}}
    try:
        from playwright.sync_api import sync_playwright  # here: only this benchmark needs it
    except ImportError as exc:
        raise WijkprofielenError("Playwright ontbreekt: installeer de testafhankelijkheden "
                                 "(pip install -r requirements-dev.txt).") from exc
    if not CHROMIUM.exists():
        raise WijkprofielenError(f"Chromium ontbreekt ({CHROMIUM}): installeer het met 'apt-get install -y chromium'. "
                                 "Gebruik nooit 'playwright install'.")
    timeout = float(getattr(options, "peer_timeout", 120.0))
    n = int(getattr(options, "browser_buurten", 15_000))
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        gemeente, out["browser_gemeente"] = _gemeente(shared_data(options), tmp)
        nation = tmp / "nederland.parquet"
        save_dataset(synthetic_nation(n), nation)
        out["browser_land_buurten"] = n
        peer = tmp / "peer.py"
        peer.write_text(PEER_APP, encoding="utf-8")
        app = REPO_ROOT / "app.py"
        apps = {"gemeente": (app, {"WIJKPROFIELEN_DATA": str(gemeente)} if gemeente else {}, REPO_ROOT, 180, True),
                "land": (app, {"WIJKPROFIELEN_DATA": str(nation)}, REPO_ROOT, 300, True)}
        if gemeente is not None:
            apps["peer_gemeente"] = (peer, {"PEER_DATA": str(gemeente)}, tmp, timeout, False)
        apps["peer_land"] = (peer, {"PEER_DATA": str(nation)}, tmp, timeout, False)
        runs = {}
        with sync_playwright() as pw:
            for name, (script, env, cwd, limit, full) in apps.items():
                # A fresh browser per app: one app's compiled shaders and caches never help the next.
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    runs[name] = measure(browser, script, env, cwd, limit, full=full)
                finally:
                    browser.close()
    for name, figures in runs.items():
        out.update({f"browser_{name}_{k}": v for k, v in figures.items()})
    g, land = runs["gemeente"], runs["land"]
    out["verhouding_land_gemeente_eerste_bezoek"] = _ratio(land.get("eerste_bezoek_s"), g.get("eerste_bezoek_s"))
    out["verhouding_land_gemeente_tweede_bezoek"] = _ratio(land.get("tweede_bezoek_s"), g.get("tweede_bezoek_s"))
    peer_g = runs.get("peer_gemeente", {})
    out["verhouding_gemeente_peer_eerste_bezoek"] = _ratio(g.get("eerste_bezoek_s"), peer_g.get("eerste_bezoek_s"))
    out["verhouding_gemeente_peer_tweede_bezoek"] = _ratio(g.get("tweede_bezoek_s"), peer_g.get("tweede_bezoek_s"))
    if runs["peer_land"].get("eerste_bezoek_s") is None:
        out["browser_peer_land_opmerking"] = f"niet getekend binnen {timeout:g} s"
    return out
