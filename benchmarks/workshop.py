"""Workshop store under load: many participants placing at once from separate processes.

Each process is one participant placing every buurt on the table a few times; the
benchmark reports the median and 95th-percentile time of one placement (a full
transaction: checks, insert, commit) and the time to read the derived state. By default
on a temporary SQLite file; ``--workshop-url`` adds another database (e.g. PostgreSQL).
"""

from __future__ import annotations

import multiprocessing as mp
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from wijkprofielen.config import load_config
from wijkprofielen.errors import WijkprofielenError
from wijkprofielen.synthetic import voorbeeldstad
from wijkprofielen.workshop import WorkshopStore

BUURTEN = 12
ROUNDS = 3


def add_arguments(parser) -> None:
    parser.add_argument("--workshop-processen", type=int, default=24, metavar="N",
                        help="workshop-benchmark: aantal gelijktijdige deelnemers (processen), standaard 24")
    parser.add_argument("--workshop-url", metavar="URL",
                        help="workshop-benchmark: ook meten op deze database (bijv. postgresql+psycopg://…)")


def _participant(url, code, pid, codes, barrier, out) -> None:
    try:
        store = WorkshopStore(url)
        barrier.wait(timeout=120)
        times = []
        for r in range(ROUNDS):
            for i, c in enumerate(codes):
                t0 = time.perf_counter()
                store.place(code, pid, c, r / 10, i / 100, reden="bench")
                times.append(time.perf_counter() - t0)
        out.put(times)
    except BaseException as exc:  # report instead of hanging the parent
        out.put(repr(exc))


def _measure(url: str, processes: int) -> dict:
    ds = voorbeeldstad()
    store = WorkshopStore(url)
    ws = store.create_workshop("Benchmark", ds, ds.codes[:BUURTEN], recipe=load_config().recipe, max_afwijking=10)
    pids = [store.join(ws.code, f"Deelnemer {n}") for n in range(processes)]
    ctx = mp.get_context("fork")
    barrier, out = ctx.Barrier(processes), ctx.Queue()
    procs = [ctx.Process(target=_participant, args=(url, ws.code, pid, ds.codes[:BUURTEN], barrier, out)) for pid in pids]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    results = [out.get(timeout=600) for _ in procs]
    wall = time.perf_counter() - t0
    for p in procs:
        p.join(timeout=60)
    errors = [r for r in results if isinstance(r, str)]
    if errors:
        raise WijkprofielenError(f"Workshopbenchmark mislukt: {errors[0]}")
    times = sorted(t for r in results for t in r)
    n_events = len(store.events(ws.code))
    t1 = time.perf_counter()
    placements = store.placements(ws.code)
    read_s = time.perf_counter() - t1
    store.delete(ws.code, ws.facilitator_key)
    return {
        "processen": processes,
        "plaatsingen": len(times),
        "opgeslagen": n_events,
        "plaatsing_mediaan_ms": round(statistics.median(times) * 1000, 2),
        "plaatsing_p95_ms": round(times[int(0.95 * (len(times) - 1))] * 1000, 2),
        "doorvoer_per_s": round(len(times) / wall, 1),
        "stand_lezen_ms": round(read_s * 1000, 2),
        "stand_rijen": len(placements),
    }


def run(options) -> dict:
    processes = getattr(options, "workshop_processen", 24)
    if not 1 <= processes <= 200:
        raise WijkprofielenError("--workshop-processen moet tussen 1 en 200 liggen.")
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        out["workshop_sqlite"] = _measure(f"sqlite:///{Path(tmp) / 'bench.db'}", processes)
    url = getattr(options, "workshop_url", None)
    if url:
        out[f"workshop_{make_url(url).get_backend_name()}"] = _measure(url, processes)
    return out
