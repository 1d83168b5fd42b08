"""A hosted installation under load: real Streamlit sessions over websockets.

``python -m wijkprofielen bench --alleen belasting --url http://127.0.0.1:8080 --sessies 50``

One session creates a workshop on the Workshop page as its facilitator; then every other
session, all at once, does what a participant of a regional meeting does: load the Kaart,
change a weight in the sidebar, open the workshop link, join with a name and place a few
buurten (each placement acknowledged by the app's "geplaatst" message). Finally the
facilitator's live view is refreshed and must count every stored placement.

Reported: sessions completed, p50/p95 of page loads and of reruns (weight change,
placement), errors, reconnects, and the resident memory of the app processes. When the
connection drops (an app process restarted or killed), a session reconnects through the
same URL (the proxy sends it to another replica), reopens its personal workshop link and
places again only what the page does not show as placed: nothing acknowledged is lost
and nothing is stored twice. Only addresses on 127.0.0.1/localhost are accepted.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import WebSocketException

from wijkprofielen.errors import WijkprofielenError
from ._streamlit_sessie import Run, Sessie, SessieFout

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
STATE_ENV = "WIJKPROFIELEN_LOKAAL"  # state folder of deploy/lokaal.sh (pid files)
RETRY_S = 1.0


def add_arguments(parser) -> None:
    parser.add_argument("--url", help="belasting: adres van de installatie, bijv. http://127.0.0.1:8080 (alleen loopback)")
    parser.add_argument("--sessies", type=int, default=10, metavar="N", help="belasting: aantal gelijktijdige sessies (standaard 10)")
    parser.add_argument("--plaatsingen", type=int, default=2, metavar="N",
                        help="belasting: plaatsingen per deelnemer (standaard 2)")
    parser.add_argument("--pids", help="belasting: proces-id's van de app-processen (komma's); standaard uit deploy/lokaal.sh")


@dataclass
class Plaatsing:
    buurtcode: str
    draagkracht: float
    fysieke_kansen: float
    bevestigd: bool = False  # the app said "geplaatst"
    opgeslagen: bool = False  # the page shows it as placed (✓)


@dataclass
class SessieVerslag:
    """What one simulated participant did and saw."""

    nummer: int
    token: str = ""
    voltooid: bool = False
    plaatsingen: list[Plaatsing] = field(default_factory=list)
    pagina_s: list[float] = field(default_factory=list)
    rerun_s: list[float] = field(default_factory=list)
    fouten: list[str] = field(default_factory=list)  # messages shown or failures, in order
    herverbonden: int = 0


@dataclass
class Belasting:
    """The outcome of :func:`belasting`."""

    workshopcode: str
    sleutel: str
    sessies: list[SessieVerslag]
    duur_s: float
    begeleider_plaatsingen: int | None

    def samenvatting(self) -> dict:
        pagina = [t for s in self.sessies for t in s.pagina_s]
        rerun = [t for s in self.sessies for t in s.rerun_s]
        return {
            "sessies": len(self.sessies),
            "voltooid": sum(s.voltooid for s in self.sessies),
            "plaatsingen_bevestigd": sum(p.bevestigd for s in self.sessies for p in s.plaatsingen),
            "plaatsingen_opgeslagen": sum(p.opgeslagen for s in self.sessies for p in s.plaatsingen),
            "begeleider_ziet_plaatsingen": self.begeleider_plaatsingen,
            "pagina_p50_s": _pct(pagina, 50), "pagina_p95_s": _pct(pagina, 95),
            "rerun_p50_s": _pct(rerun, 50), "rerun_p95_s": _pct(rerun, 95),
            "fouten": sum(len(s.fouten) for s in self.sessies),
            "foutmeldingen": sorted({f[:160] for s in self.sessies for f in s.fouten})[:10],
            "herverbonden": sum(s.herverbonden for s in self.sessies),
            "duur_s": round(self.duur_s, 2),
        }


def _pct(values: list[float], p: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 3)
    return round(statistics.quantiles(values, n=100, method="inclusive")[p - 1], 3)


def check_loopback(url: str) -> str:
    """The URL when it points at this machine; otherwise a Dutch error."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in LOOPBACK:
        raise WijkprofielenError(
            f"--url {url!r} wijst niet naar deze machine. De belastingtest verstuurt alleen verkeer naar "
            "127.0.0.1 of localhost, bijvoorbeeld --url http://127.0.0.1:8080."
        )
    return url


# -- steps as a user takes them -----------------------------------------------------------
def _button(run: Run, label: str):
    for e in run.by_type("button"):
        if e.proto.label == label:
            return e
    raise SessieFout(f"Knop '{label}' staat niet op de pagina. Meldingen: {run.errors or run.text()[:200]}")


def _input(run: Run, kind: str, label: str):
    for e in run.by_type(kind):
        if e.proto.label.startswith(label):
            return e
    raise SessieFout(f"Invoerveld '{label}' staat niet op de pagina. Meldingen: {run.errors or run.text()[:200]}")


async def create_workshop(url: str, buurten: int) -> tuple[str, str, Sessie]:
    """Create a workshop on the Workshop page; returns (code, facilitator key, session)."""
    s = Sessie(url)
    await s.connect()
    run = await s.run("workshop", "")
    s.set(_input(run, "text_input", "Naam van de workshop"), "Belastingtest")
    choose = _input(run, "multiselect", "Buurten op tafel")
    s.set(choose, list(choose.proto.options)[:buurten])
    run = await s.run(click=_button(run, "Workshop aanmaken"))
    match = re.search(r"Workshopcode voor de deelnemers: \*\*([A-Z0-9-]+)\*\*", run.text())
    codes = run.by_type("code")
    if not match or not codes:
        raise SessieFout(f"De workshop is niet aangemaakt: {run.errors or run.text()[:300]}")
    return match.group(1).replace("-", ""), codes[0].proto.code_text, s


async def facilitator_count(s: Sessie) -> int | None:
    """Refresh the facilitator's live view (as its timer does) and read 'Plaatsingen'."""
    if not s.fragments:
        return None
    run = await s.run(fragment=s.fragments[0])
    for e in run.by_type("metric"):
        if e.proto.label == "Plaatsingen":
            return int(e.proto.body)
    return None


async def join(s: Sessie, code: str, naam: str, v: SessieVerslag) -> Run:
    """Open the workshop link and join with ``naam``; the personal token lands in ``v.token``."""
    run = await s.run("workshop", f"ws={code}")
    v.pagina_s.append(run.seconds)
    s.set(_input(run, "text_input", "Uw naam"), naam)
    run = await s.run(click=_button(run, "Meedoen"))
    v.rerun_s.append(run.seconds)
    v.token = parse_qs(run.query_string).get("p", [""])[0]
    return run


def buurtcodes(run: Run) -> list[str]:
    """The buurtcodes on the participant's table, in the page's order."""
    box = run.widget("ws_buurt")
    return [re.search(r"\((BU\w+)\)", o).group(1) for o in box.proto.options] if box else []


async def participant_page(s: Sessie, code: str, v: SessieVerslag) -> Run:
    """The participant's personal link (``?ws=…&p=…``), as after a reload or a reconnect."""
    run = await s.run("workshop", f"ws={code}&p={v.token}")
    v.pagina_s.append(run.seconds)
    return run


def placed(run: Run, buurtcode: str) -> bool:
    """Whether the page marks ``buurtcode`` as placed by this participant (✓)."""
    box = run.widget("ws_buurt")
    return box is not None and any(buurtcode in o and o.endswith("✓") for o in box.proto.options)


async def place(s: Sessie, run: Run, p: Plaatsing, v: SessieVerslag) -> Run:
    """Choose the buurt, move both sliders, give a reason and press "Plaatsing opslaan"."""
    box = run.widget("ws_buurt")
    if box is None:
        raise SessieFout(f"De deelnemerspagina toont geen buurtkeuze: {run.errors or run.text()[:200]}")
    if run.widget(f"ws_dk_{p.buurtcode}") is None:  # another buurt is shown: choose this one
        s.set(box, next(o for o in box.proto.options if f"({p.buurtcode})" in o))
        run = await s.run()
        v.rerun_s.append(run.seconds)
        if run.widget(f"ws_dk_{p.buurtcode}") is None:  # e.g. the database is away: the page says so
            v.fouten.extend(run.errors or [f"Buurt {p.buurtcode} kon niet worden gekozen."])
            return run
    s.set(run.widget(f"ws_dk_{p.buurtcode}"), p.draagkracht)
    s.set(run.widget(f"ws_fk_{p.buurtcode}"), p.fysieke_kansen)
    s.set(run.widget(f"ws_reden_{p.buurtcode}"), f"belastingtest deelnemer {v.nummer}")
    run = await s.run(click=run.widget("ws_opslaan"))
    v.rerun_s.append(run.seconds)
    if any("geplaatst" in t for t in run.toasts):
        p.bevestigd = True
    v.fouten.extend(run.errors)
    return run


async def participant(url: str, code: str, nummer: int, plaatsingen: int, deadline: float,
                      rng: random.Random) -> SessieVerslag:
    """One participant's whole visit; reconnects and retries until ``deadline``."""
    v = SessieVerslag(nummer)
    s = Sessie(url)
    step = "kaart"
    todo: list[Plaatsing] = []
    while time.monotonic() < deadline:
        try:
            if not s.connected:
                await s.connect()
                if step != "kaart":
                    v.herverbonden += 1
            if step == "kaart":
                run = await s.run("", "")
                v.pagina_s.append(run.seconds)
                if not run.by_type("deck_gl_json_chart"):
                    raise SessieFout(f"De Kaart toont geen kaart: {run.errors or run.text()[:200]}")
                # The sliders are built once their panel is open: open it as a user does, by its label.
                panel = next((e for e in run.by_type("expandable") if e.proto.label == "Weging aanpassen"), None)
                if panel is not None:
                    s.set(panel, True)
                    run = await s.run()
                weight = next((e for e in run.by_type("slider") if e.key.startswith("gewicht__")), None)
                if weight is None:
                    raise SessieFout("Weging aanpassen toont geen schuif.")
                s.set(weight, 2.0)
                run = await s.run()
                v.rerun_s.append(run.seconds)
                step = "meedoen"
            if step == "meedoen":
                run = await join(s, code, f"Deelnemer {nummer}", v)
                if not v.token:
                    v.fouten.extend(run.errors or ["Meedoen gaf geen persoonlijke link."])
                    await asyncio.sleep(RETRY_S)
                    continue
                codes = buurtcodes(run)
                todo = [Plaatsing(c, round(rng.uniform(-1, 1) * 20) / 20, round(rng.uniform(-1, 1) * 20) / 20)
                        for c in codes[:plaatsingen]]
                v.plaatsingen = todo
                step = "plaatsen"
            if step == "plaatsen":
                run = await participant_page(s, code, v)
                for p in todo:
                    if p.opgeslagen:
                        continue
                    if placed(run, p.buurtcode):  # stored before a lost connection
                        p.opgeslagen = True
                        continue
                    run = await place(s, run, p, v)
                    if placed(run, p.buurtcode):
                        p.opgeslagen = True
                    else:
                        await asyncio.sleep(RETRY_S)
                        break
                if all(p.opgeslagen for p in todo):
                    v.voltooid = True
                    break
        except (OSError, SessieFout, TimeoutError, WebSocketException) as exc:
            v.fouten.append(f"{type(exc).__name__}: {exc}"[:300])
            await s.close()
            await asyncio.sleep(RETRY_S)
    await s.close()
    return v


async def belasting(url: str, sessies: int, plaatsingen: int = 2, *, timeout_s: float = 600.0,
                    seed: int = 21, during=None) -> Belasting:
    """Run the load test against ``url``.

    ``during`` is an optional coroutine function, called with the workshop code and run
    beside the participants (tests use it to kill an app process mid-run).
    """
    check_loopback(url)
    t0 = time.perf_counter()
    code, key, facilitator = await create_workshop(url, max(plaatsingen, 1))
    deadline = time.monotonic() + timeout_s
    rng = random.Random(seed)
    tasks = [participant(url, code, n + 1, plaatsingen, deadline, random.Random(rng.random())) for n in range(sessies)]
    extra = [during(code)] if during is not None else []
    results = await asyncio.gather(*tasks, *extra)
    verslagen = list(results[:sessies])
    try:
        seen = await facilitator_count(facilitator)
    except (OSError, SessieFout, TimeoutError, WebSocketException):
        seen = None  # its replica is gone; the test checks the store itself
    await facilitator.close()
    return Belasting(code, key, verslagen, time.perf_counter() - t0, seen)


# -- memory of the app processes ----------------------------------------------------------
def app_pids(explicit: str | None = None) -> list[int]:
    """Process ids of the app processes: ``--pids`` or the pid files of deploy/lokaal.sh."""
    if explicit:
        return [int(p) for p in explicit.split(",") if p.strip()]
    folder = Path(os.environ.get(STATE_ENV) or "/tmp/wijkprofielen-lokaal")
    out = []
    for f in sorted(folder.glob("app-*.pid")):
        try:
            out.append(int(f.read_text().strip()))
        except (OSError, ValueError):
            continue
    return out


def rss_mb(pid: int) -> float | None:
    """Resident memory of ``pid`` in MB (None when it is not running)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def run(options) -> dict:
    url = getattr(options, "url", None)
    if not url:
        return {"belasting": {"overgeslagen": "geen --url; start eerst een installatie (deploy/lokaal.sh start) "
                                              "en geef --url http://127.0.0.1:8080"}}
    check_loopback(url)
    sessies = int(getattr(options, "sessies", 10))
    if not 1 <= sessies <= 500:
        raise WijkprofielenError(f"--sessies {sessies}: kies 1 tot en met 500.")
    result = asyncio.run(belasting(url, sessies, int(getattr(options, "plaatsingen", 2))))
    out = result.samenvatting()
    out["geheugen_mb"] = {str(p): rss_mb(p) for p in app_pids(getattr(options, "pids", None))}
    return {"belasting": out}
