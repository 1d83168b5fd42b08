"""The hosted setup on loopback (deploy/lokaal.sh): PostgreSQL, three app processes, nginx.

Real Streamlit sessions over websockets through the proxy: many participants at once,
one app process killed mid-run, the database restarted during a workshop, and the
trusted administrator header. Needs Debian's nginx and postgresql packages (``.ci/run``
installs them); skipped with the reason when they are absent.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
import signal
from collections import Counter

import pytest

from benchmarks import belasting as bl
from benchmarks._streamlit_sessie import Sessie
from wijkprofielen.workshop import WorkshopStore

from hosting_helpers import HEADER, running_lokaal

pytestmark = pytest.mark.hosting


def _run(coro):
    # A thread of its own: the browser tests' Playwright keeps an event loop in the main thread.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


@pytest.fixture(scope="module")
def lokaal(tmp_path_factory):
    with running_lokaal(tmp_path_factory.mktemp("lokaal")) as setup:
        yield setup


def _placement_events(database: str, code: str) -> Counter:
    events = WorkshopStore(database).events(code)
    plaats = events[events["soort"] == "plaats"]
    return Counter(zip(plaats["naam"], plaats["buurtcode"]))


def _acknowledged(result: bl.Belasting) -> set[tuple[str, str]]:
    return {(f"Deelnemer {v.nummer}", p.buurtcode) for v in result.sessies for p in v.plaatsingen if p.bevestigd}


def test_thirty_sessions_over_three_processes_store_each_placement_once(lokaal):
    result = _run(bl.belasting(lokaal.url, 30, 2, timeout_s=400))
    summary = result.samenvatting()
    assert summary["voltooid"] == 30, summary
    assert summary["fouten"] == 0, summary["foutmeldingen"]
    assert summary["plaatsingen_bevestigd"] == 60
    stored = _placement_events(lokaal.database, result.workshopcode)
    assert set(stored) == _acknowledged(result) and set(stored.values()) == {1}
    # The facilitator sits on one process and sees the placements made on all three.
    assert summary["begeleider_ziet_plaatsingen"] == 60
    assert len(lokaal.websocket_upstreams()) == 3


def test_facilitator_on_one_process_sees_a_placement_made_on_another(lokaal):
    a, b = (f"http://127.0.0.1:{p}" for p in lokaal.app_ports[:2])

    async def scenario():
        code, _key, facilitator = await bl.create_workshop(a, 1)
        before = await bl.facilitator_count(facilitator)
        s, v = Sessie(b), bl.SessieVerslag(1)
        await s.connect()
        run = await bl.join(s, code, "Deelnemer 1", v)
        p = bl.Plaatsing(bl.buurtcodes(run)[0], 0.5, -0.5)
        run = await bl.place(s, run, p, v)
        after = await bl.facilitator_count(facilitator)
        await s.close()
        await facilitator.close()
        return before, after, p.bevestigd

    assert _run(scenario()) == (0, 1, True)


def test_trusted_header_counts_only_when_the_proxy_sets_it(lokaal):
    direct = f"http://127.0.0.1:{lokaal.app_ports[0]}"

    async def data_page(url):
        s = Sessie(url, headers={HEADER: "anna"})
        await s.connect()
        run = await s.run("data", "")
        await s.close()
        return run

    behind_proxy = _run(data_page(lokaal.url))  # nginx overwrites the header with ""
    assert not behind_proxy.by_type("file_uploader")
    assert "Alleen beheerders kunnen bestanden importeren" in behind_proxy.text()
    as_admin = _run(data_page(direct))  # what the administrators' entrance sends
    assert len(as_admin.by_type("file_uploader")) >= 4


def test_database_restart_during_a_workshop(lokaal):
    async def scenario():
        code, _key, facilitator = await bl.create_workshop(lokaal.url, 2)
        await facilitator.close()
        s, v = Sessie(lokaal.url), bl.SessieVerslag(1)
        await s.connect()
        run = await bl.join(s, code, "Deelnemer 1", v)
        first, second = (bl.Plaatsing(c, 0.25, 0.25) for c in bl.buurtcodes(run)[:2])
        run = await bl.place(s, run, first, v)
        assert first.bevestigd
        lokaal.sh("pg", "stop")
        try:
            down = await bl.place(s, run, second, v)
            reload = await bl.participant_page(s, code, v)
        finally:
            lokaal.sh("pg", "start")
        run = await bl.participant_page(s, code, v)
        again = await bl.place(s, run, second, v)
        await s.close()
        return code, down, reload, again, first, second

    code, down, reload, again, first, second = _run(scenario())
    message = "De workshopdatabase is even niet bereikbaar"
    assert any(message in e for e in down.errors) and not down.by_type("exception")
    assert not bl.placed(down, second.buurtcode)
    assert any(message in e for e in reload.errors) and not reload.by_type("exception")
    assert second.bevestigd and bl.placed(again, second.buurtcode) and not again.errors
    # Both placements exactly once; the attempt while the database was away left nothing.
    assert _placement_events(lokaal.database, code) == Counter(
        {("Deelnemer 1", first.buurtcode): 1, ("Deelnemer 1", second.buurtcode): 1})


def test_killed_process_sessions_move_on_and_nothing_acknowledged_is_lost(lokaal):
    victim = lokaal.app_pid(2)

    async def kill_mid_run(code):
        # Once a tenth of the placements is stored: every process still has work in hand.
        while sum(_placement_events(lokaal.database, code).values()) < 6:
            await asyncio.sleep(0.5)
        os.kill(victim, signal.SIGKILL)

    result = _run(bl.belasting(lokaal.url, 20, 3, timeout_s=400, during=kill_mid_run))
    summary = result.samenvatting()
    with pytest.raises(ProcessLookupError):
        os.kill(victim, 0)
    assert summary["voltooid"] == 20, summary
    assert summary["herverbonden"] > 0, "no session was on the killed process"
    stored = _placement_events(lokaal.database, result.workshopcode)
    assert _acknowledged(result) <= set(stored)  # nothing acknowledged is lost
    assert set(stored.values()) == {1}  # nothing stored twice
    assert len(stored) == 60  # every participant finished all three placements
