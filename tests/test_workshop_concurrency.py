"""Many participants writing at once from separate processes, and crashes mid-write."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time

from sqlalchemy import insert, text

from wijkprofielen.workshop import WorkshopStore
from wijkprofielen import opslag
from wijkprofielen.workshop import schema

from workshop_helpers import small_dataset, small_recipe, store_url_fixture

PROCESSES = 24
ROUNDS = 2
CTX = mp.get_context("fork")  # children inherit the imports: fast start, own connections (opslag)


url = store_url_fixture("conc.db")


def _participant(url, code, pid, codes, n, barrier, out):
    try:
        store = WorkshopStore(url)
        barrier.wait(timeout=60)
        for r in range(ROUNDS):
            for i, c in enumerate(codes):
                uid = f"p{n:02d}-r{r}-b{i}"
                store.place(code, pid, c, (n % 7) / 10, r / 10 + i / 100, reden=f"deelnemer {n}", event_id=uid)
        # A retry of an already stored event (lost answer): must not be stored twice.
        store.place(code, pid, codes[0], (n % 7) / 10, 0.0, reden=f"deelnemer {n}", event_id=f"p{n:02d}-r0-b0")
        out.put(("ok", n))
    except BaseException as exc:  # report, never hang the parent
        out.put(("fout", f"{n}: {exc!r}"))


def test_concurrent_participants_each_placement_stored_once(url):
    ds = small_dataset()
    store = WorkshopStore(url)
    ws = store.create_workshop("Druk", ds, ds.codes, recipe=small_recipe(), max_afwijking=10)
    pids = [store.join(ws.code, f"Deelnemer {n}") for n in range(PROCESSES)]
    barrier, out = CTX.Barrier(PROCESSES), CTX.Queue()
    procs = [CTX.Process(target=_participant, args=(url, ws.code, pid, ds.codes, n, barrier, out))
             for n, pid in enumerate(pids)]
    for p in procs:
        p.start()
    results = [out.get(timeout=240) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert [r for r in results if r[0] != "ok"] == []
    ev = store.events(ws.code)
    expected = PROCESSES * ROUNDS * len(ds.codes)
    assert len(ev) == expected
    assert ev["uid"].is_unique
    assert set(ev["uid"]) == {f"p{n:02d}-r{r}-b{i}" for n in range(PROCESSES) for r in range(ROUNDS)
                              for i in range(len(ds.codes))}
    now = store.placements(ws.code)
    assert len(now) == PROCESSES * len(ds.codes)
    # The latest round wins for every participant and buurt.
    assert (now["fysieke_kansen"] >= (ROUNDS - 1) / 10 - 1e-9).all()


def _crash_inside_transaction(url, code, pid, buurtcode):
    store = WorkshopStore(url)
    with store.engine.begin() as conn:
        ws_id = conn.execute(text("SELECT id FROM ws_workshop WHERE code = :c"), {"c": code}).scalar_one()
        conn.execute(insert(schema.events).values(
            workshop_id=ws_id, uid="halfweg-0001", deelnemer_id=None, soort="plaats", buurtcode=buurtcode,
            draagkracht=0.5, fysieke_kansen=None, reden="", interventie=None, tijd=opslag.utcnow()))
        os._exit(1)  # the process dies before COMMIT


def _write_forever(url, code, pid, buurtcode, ready):
    store = WorkshopStore(url)
    n = 0
    while True:
        store.place(code, pid, buurtcode, 0.0, (n % 20) / 10, reden=f"schrijver {n}")
        n += 1
        if n == 5:
            ready.set()


def test_killed_process_leaves_database_consistent(url):
    ds = small_dataset()
    store = WorkshopStore(url)
    ws = store.create_workshop("Crash", ds, ds.codes[:2], recipe=small_recipe(), max_afwijking=10)
    pid = store.join(ws.code, "Anna")
    store.place(ws.code, pid, ds.codes[0], 0.1, 0.1)

    # 1. Exit in the middle of a transaction: nothing of it is stored.
    p = CTX.Process(target=_crash_inside_transaction, args=(url, ws.code, pid, ds.codes[1]))
    p.start()
    p.join(timeout=60)
    assert p.exitcode == 1
    assert "halfweg-0001" not in set(store.events(ws.code)["uid"])

    # 2. SIGKILL while writing as fast as possible: every stored event is complete.
    ready = CTX.Event()
    p = CTX.Process(target=_write_forever, args=(url, ws.code, pid, ds.codes[1], ready))
    p.start()
    assert ready.wait(timeout=60)
    time.sleep(0.2)
    os.kill(p.pid, signal.SIGKILL)
    p.join(timeout=30)
    assert p.exitcode == -signal.SIGKILL

    ev = store.events(ws.code)
    assert len(ev) >= 6
    assert ev[["draagkracht", "fysieke_kansen", "tijd", "naam"]].notna().all().all()
    assert ev["reden"].iloc[1:].str.match(r"^schrijver \d+$").all()
    with store.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    # The store keeps working after the crash.
    store.place(ws.code, pid, ds.codes[0], -0.1, -0.1)
    assert store.placements(ws.code).set_index("buurtcode").at[ds.codes[0], "draagkracht"] == -0.1
