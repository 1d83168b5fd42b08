"""A store written before timestamps became DateTime columns opens with nothing lost.

``tests/data/opslag_v1.sql`` is a dump of an SQLite file made by that earlier version
(workshop and scenario schema 1): two workshops (one closed), three participants,
placements, pins and an unpin, a failed join, and a scenario with three versions next to a
deleted one. It is opened with the current code on SQLite, and copied into a PostgreSQL
database of schema 1 first; every row must come back with the same values and times.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from wijkprofielen import opslag
from wijkprofielen.scenario import store as scenario_store
from wijkprofielen.scenario.store import ScenarioStore
from wijkprofielen.workshop import WorkshopStore, schema

from workshop_helpers import postgres_schema_url, postgres_url_or_skip

DUMP = Path(__file__).parent / "data" / "opslag_v1.sql"
# Secrets of the fixture's workshops (test data only).
OOST, OOST_KEY, WEST, ANNA = "AQUZQP66", "WJBysc_NW28E1bx4OVBRGy-FEtaBStmL", "QANXW47N", "xAg9wFGd5CIZ5CEzBBXKyQ"
TABLES = ["ws_workshop", "ws_buurt", "ws_deelnemer", "ws_event", "ws_poging", "scenario", "scenario_versie"]
# Time columns of schema 1: ISO text with offset (workshop) or naive UTC (scenario).
TIMES = {**{t: set(c) for t, c in schema.TIME_COLUMNS.items()},
         "scenario": {"aangemaakt_op", "verwijderd_op"}, "scenario_versie": {"opgeslagen_op"}}
ORDER = {"ws_buurt": ("workshop_id", "buurtcode")}


def _as_utc(value):
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


@pytest.fixture
def old_file(tmp_path):
    path = tmp_path / "oud.db"
    con = sqlite3.connect(path)
    con.executescript(DUMP.read_text(encoding="utf-8"))
    con.close()
    return path


def _expected(path: Path) -> dict[str, list[dict]]:
    """Every row of schema 1 as the old code wrote it, times parsed as UTC instants."""
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    out = {}
    for table in TABLES:
        order = ", ".join(ORDER.get(table, ("id",)))
        rows = [dict(r) for r in con.execute(f"SELECT * FROM {table} ORDER BY {order}")]
        out[table] = [{k: _as_utc(v) if k in TIMES.get(table, ()) else v for k, v in r.items()} for r in rows]
    con.close()
    return out


def _stored(url: str) -> dict[str, list[dict]]:
    """Every row as the current code reads it."""
    tables = {**schema.metadata.tables, **scenario_store.metadata.tables}
    out = {}
    with opslag.get_engine(url).connect() as conn:
        for table in TABLES:
            t = tables[table]
            rows = conn.execute(sa.select(t).order_by(*(t.c[c] for c in ORDER.get(table, ("id",))))).mappings()
            out[table] = [{k: (int(v) if isinstance(v, bool) else v) for k, v in r.items()
                           if table != "ws_poging" or k in ("id", "bron", "tijd")} for r in rows]
    return out


def _check_everything_kept(url: str, expected: dict[str, list[dict]]) -> None:
    WorkshopStore(url)
    ScenarioStore(url)
    with opslag.get_engine(url).connect() as conn:
        assert opslag.schema_version(conn, "workshop") == len(schema.MIGRATIONS) == 3
    stored = _stored(url)
    assert {t: len(rows) for t, rows in stored.items()} == {t: len(rows) for t, rows in expected.items()}
    assert len(expected["ws_event"]) == 8 and len(expected["scenario_versie"]) == 4
    for table in TABLES:
        assert stored[table] == expected[table], table
    for table, cols in TIMES.items():
        for row in stored[table]:
            assert all(row[c] is None or row[c].utcoffset().total_seconds() == 0 for c in cols)


def _check_still_usable(url: str, expected: dict[str, list[dict]]) -> None:
    store = WorkshopStore(url, menukaart={"groen", "buurtbeheer"})
    exported = json.loads(store.export_json(OOST, OOST_KEY))
    old_times = [e["tijd"] for e in expected["ws_event"] if e["workshop_id"] == 1]
    assert [datetime.fromisoformat(e["tijd"]) for e in exported["events"]] == old_times
    assert [e["soort"] for e in exported["events"]] == ["plaats", "plaats", "pin", "pin", "unpin", "plaats", "sluit"]
    assert store.pins(OOST)["interventie"].tolist() == ["buurtbeheer"]
    assert store.placements(OOST)["reden"].tolist() == ["tweede keer", "nieuwe school"]
    # An existing participant of the open workshop carries on; new events sort after the old ones.
    assert store.participant(OOST, ANNA).naam == "Anna"
    chris = "-w-qWaPqSJmoQ7ojwCn_kA"
    store.place(WEST, chris, "BU00010103", 0.3, 0.1, reden="na de omzetting")
    ev = store.events(WEST)
    assert ev["tijd"].is_monotonic_increasing and ev["reden"].tolist() == ["", "na de omzetting"]
    scenarios = ScenarioStore(url)
    assert [(s.naam, s.versie) for s in scenarios.list()] == [("Plan A ter", 3)]
    assert [t for _, t in scenarios.versions(1)] == [r["opgeslagen_op"] for r in expected["scenario_versie"][:3]]
    assert scenarios.save(1, scenarios.load(1)) == 4


def test_sqlite_store_of_schema_1_keeps_everything(old_file):
    url = f"sqlite:///{old_file}"
    expected = _expected(old_file)
    try:
        _check_everything_kept(url, expected)
        _check_still_usable(url, expected)
    finally:
        opslag.dispose_engines()


def test_migration_is_one_transaction(old_file, monkeypatch):
    """A step that fails leaves the old schema and data as they were."""
    url = f"sqlite:///{old_file}"
    expected = _expected(old_file)

    def broken(conn):
        raise RuntimeError("stroom weg")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS[:2], broken])
    from wijkprofielen.workshop import store as store_module

    monkeypatch.setattr(store_module, "MIGRATIONS", schema.MIGRATIONS)
    with pytest.raises(RuntimeError):
        WorkshopStore(url)
    opslag.dispose_engines()
    assert _expected(old_file) == expected
    with sqlite3.connect(old_file) as con:
        assert con.execute("SELECT versie FROM wijkprofielen_schema WHERE component = 'workshop'").fetchone() == (1,)


@pytest.mark.postgres
def test_postgres_store_of_schema_1_keeps_everything(old_file):
    url, drop = postgres_schema_url(postgres_url_or_skip())
    try:
        engine = opslag.get_engine(url)
        opslag.migrate(engine, "workshop", schema.MIGRATIONS[:1])
        opslag.migrate(engine, "scenario", scenario_store.MIGRATIONS)
        v1 = sa.MetaData()
        schema.define(v1, version=1)
        old = {**v1.tables, **scenario_store.metadata.tables}
        expected = _expected(old_file)
        raw = sqlite3.connect(old_file)
        raw.row_factory = sqlite3.Row
        with engine.begin() as conn:
            for table in TABLES:
                rows = [dict(r) for r in raw.execute(f"SELECT * FROM {table}")]
                for r in rows:
                    if table == "ws_workshop":
                        r["synthetisch"] = bool(r["synthetisch"])
                    for c in TIMES.get(table, ()):
                        if table.startswith("scenario") and r[c] is not None:
                            r[c] = _as_utc(r[c])
                if rows:
                    conn.execute(sa.insert(old[table]), rows)
                if "id" in old[table].c:
                    conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                         f"(SELECT max(id) FROM {table}))"))
        raw.close()
        _check_everything_kept(url, expected)
        _check_still_usable(url, expected)
    finally:
        drop()
