"""The scenario store: append-only versions on SQLite, and PostgreSQL when configured."""

import json
import os

import pytest
import sqlalchemy as sa

from wijkprofielen import opslag
from wijkprofielen.errors import ConfigError, DataError, WijkprofielenError
from wijkprofielen.scenario.model import Maatregel, Scenario
from wijkprofielen.scenario.store import MIGRATIONS, ScenarioStore, metadata

from workshop_helpers import run_writers, store_url_fixture

PLAN = Scenario("Plan A", [Maatregel("BU00010000", "nieuwbouw", "sociale_huur", 40, 2025)])


def _exercise(store: ScenarioStore) -> None:
    sid = store.create(PLAN, "GM0001")
    assert [(s.naam, s.versie) for s in store.list("GM0001")] == [("Plan A", 1)]
    changed = Scenario("Plan A", [*PLAN.maatregelen, Maatregel("BU00010101", "verkoop", "sociale_huur", -10, None)])
    assert store.save(sid, changed) == 2
    assert store.load(sid) == changed and store.load(sid, versie=1) == PLAN  # nothing overwritten
    assert [v for v, _ in store.versions(sid)] == [1, 2]
    cid = store.copy(sid)
    assert store.load(cid).naam == "Kopie van Plan A" and store.load(cid).maatregelen == changed.maatregelen
    store.delete(sid)
    assert [s.id for s in store.list("GM0001")] == [cid]
    assert json.loads(store.export_json(sid, 2))["maatregelen"][1]["aantal"] == -10  # still stored
    with pytest.raises(WijkprofielenError, match="bestaat niet"):
        store.save(sid, PLAN)
    assert store.list("GM9999") == []


def test_store_on_sqlite_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    store = ScenarioStore(url)
    _exercise(store)
    # A second store on the same file sees the same scenarios (persisted, not in memory).
    again = ScenarioStore(opslag.create_store_engine(url))
    assert [s.naam for s in again.list()] == ["Kopie van Plan A"]
    # The shared schema table records the scenario component next to the others.
    with again.engine.connect() as conn:
        assert opslag.schema_version(conn, "scenario") == len(MIGRATIONS)


def test_import_validates_and_export_roundtrips(tmp_path):
    store = ScenarioStore(opslag.create_store_engine("sqlite://"))
    sid = store.import_json(PLAN.to_json(), "GM0001", buurtcodes=["BU00010000"], periode=(2020, 2030))
    assert json.loads(store.export_json(sid)) == PLAN.to_dict()
    bad = json.dumps({"naam": "B", "maatregelen": [{"buurtcode": "BU00010000", "interventie": "nieuwbouw", "segment": "midden", "aantal": 5, "jaar": 2040}]})
    with pytest.raises(DataError, match=r"maatregel 1 \(jaar\): 2040 ligt buiten de periode"):
        store.import_json(bad, buurtcodes=["BU00010000"], periode=(2020, 2030))
    with pytest.raises(DataError, match="geen geldige JSON"):
        store.import_json(b"\xff\xfe")
    assert len(store.list()) == 1  # failed imports store nothing


def test_store_uses_configured_url_and_rejects_bad_url(monkeypatch, tmp_path, config):
    monkeypatch.setenv("WIJKPROFIELEN_DATABASE", f"sqlite:///{tmp_path}/x.db")
    store = ScenarioStore(cfg=config)
    assert store.engine.url.database == str(tmp_path / "x.db")
    store.create(PLAN)
    assert [s.naam for s in ScenarioStore(f"sqlite:///{tmp_path}/x.db").list()] == ["Plan A"]
    with pytest.raises(ConfigError, match="Database-URL 'geen-url' is ongeldig"):
        ScenarioStore("geen-url")


def test_newer_schema_is_refused(tmp_path):
    engine = opslag.create_store_engine(f"sqlite:///{tmp_path / 'n.db'}")
    opslag.migrate(engine, "scenario", [*MIGRATIONS, lambda conn: None])
    with pytest.raises(ConfigError, match="nieuwer dan deze versie"):
        ScenarioStore(engine)


def test_unreachable_database_gives_dutch_message(tmp_path):
    with pytest.raises(WijkprofielenError, match="niet bereikbaar"):
        ScenarioStore(sa.create_engine(f"sqlite:///{tmp_path}/bestaat/niet/x.db"))


@pytest.mark.postgres
def test_store_on_postgres():
    url = os.environ.get("WIJKPROFIELEN_TEST_POSTGRES")
    if not url:
        pytest.skip("WIJKPROFIELEN_TEST_POSTGRES is niet gezet (zie .ci/postgres.sh); PostgreSQL-test overgeslagen")
    engine = opslag.create_store_engine(url)

    def clean() -> None:
        metadata.drop_all(engine)
        with engine.begin() as conn:
            if sa.inspect(conn).has_table(opslag.SCHEMA_TABLE):
                conn.execute(sa.text(f"DELETE FROM {opslag.SCHEMA_TABLE} WHERE component = 'scenario'"))

    clean()
    try:
        _exercise(ScenarioStore(engine))
        with engine.connect() as conn:
            assert opslag.schema_version(conn, "scenario") == len(MIGRATIONS)
    finally:
        clean()
        with engine.connect() as conn:
            assert opslag.schema_version(conn, "scenario") == 0
        engine.dispose()


url = store_url_fixture("scenario.db")
WRITERS, SAVES = 20, 5


def test_concurrent_saves_get_consecutive_versions(url):
    """Twenty writers saving the same scenario at once: every save gets its own number."""
    store = ScenarioStore(url)
    sid = store.create(PLAN, "GM0001")
    versions: list[int] = []

    def writer(n: int) -> None:
        for k in range(SAVES):
            versions.append(store.save(sid, Scenario(f"Plan A schrijver {n} nr {k}")))

    assert run_writers(WRITERS, writer) == []
    assert sorted(versions) == list(range(2, WRITERS * SAVES + 2))
    stored = store.versions(sid)
    assert [v for v, _ in stored] == list(range(1, WRITERS * SAVES + 2))
    # Each version holds what its writer saved, and times never go back.
    assert {store.load(sid, v).naam for v in range(2, WRITERS * SAVES + 2)} == {
        f"Plan A schrijver {n} nr {k}" for n in range(WRITERS) for k in range(SAVES)}
    times = [t for _, t in stored]
    assert times == sorted(times) and all(t.tzinfo is not None and t.utcoffset().total_seconds() == 0 for t in times)
