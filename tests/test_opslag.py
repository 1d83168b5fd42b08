"""The shared store module: URL resolution and engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from wijkprofielen import opslag
from wijkprofielen.config import load_config
from wijkprofielen.errors import ConfigError


def test_relative_sqlite_path_resolves_against_root_and_creates_folder(tmp_path):
    url = opslag.resolve_url("sqlite:///sub/dir/x.db", root=tmp_path)
    assert url == f"sqlite:///{tmp_path}/sub/dir/x.db"
    assert (tmp_path / "sub" / "dir").is_dir()


def test_absolute_sqlite_path_kept(tmp_path):
    assert opslag.resolve_url(f"sqlite:///{tmp_path}/a.db") == f"sqlite:///{tmp_path}/a.db"


def test_postgres_gets_psycopg_driver():
    assert opslag.resolve_url("postgresql://u:geheim@h/db") == "postgresql+psycopg://u:geheim@h/db"
    assert "geheim" not in opslag.describe_url("postgresql://u:geheim@h/db")


@pytest.mark.parametrize("bad", ["mysql://u@h/db", "geen url"])
def test_unsupported_or_invalid_url_is_dutch_config_error(bad):
    with pytest.raises(ConfigError, match="Database|URL"):
        opslag.resolve_url(bad)


def test_env_overrides_config(monkeypatch, tmp_path):
    cfg = load_config()
    monkeypatch.delenv(opslag.ENV_VAR, raising=False)
    # A relative SQLite path in the config resolves against the config file's folder.
    assert opslag.configured_url(cfg) == f"sqlite:///{Path(cfg.bron).parent / 'werkmap' / 'wijkprofielen.db'}"
    monkeypatch.setenv(opslag.ENV_VAR, f"sqlite:///{tmp_path}/env.db")
    assert opslag.configured_url(cfg) == f"sqlite:///{tmp_path}/env.db"


def test_bad_config_value_names_key(monkeypatch):
    from wijkprofielen.config import config_from_dict

    monkeypatch.delenv(opslag.ENV_VAR, raising=False)
    raw = load_config().raw | {"opslag": {"database": 5}}
    with pytest.raises(ConfigError, match="opslag.database"):
        opslag.configured_url(config_from_dict(raw))


def test_sqlite_engine_uses_wal_and_busy_timeout(tmp_path):
    engine = opslag.create_store_engine(f"sqlite:///{tmp_path}/w.db")
    with engine.begin() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == opslag.SQLITE_BUSY_TIMEOUT_MS
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 1
    engine.dispose()


def test_rollback_on_error_leaves_nothing(tmp_path):
    engine = opslag.create_store_engine(f"sqlite:///{tmp_path}/r.db")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    with pytest.raises(RuntimeError):
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
            raise RuntimeError("boom")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 0
    engine.dispose()


def test_get_engine_is_shared_per_url(tmp_path):
    a = opslag.get_engine(f"sqlite:///{tmp_path}/s.db")
    assert opslag.get_engine(f"sqlite:///{tmp_path}/s.db") is a
    opslag.dispose_engines()


def test_migrate_runs_each_step_once_and_refuses_newer_schema(tmp_path):
    engine = opslag.create_store_engine(f"sqlite:///{tmp_path}/m.db")
    calls = []

    def v1(conn):
        calls.append(1)
        conn.execute(text("CREATE TABLE a (x INTEGER)"))

    def v2(conn):
        calls.append(2)
        conn.execute(text("ALTER TABLE a ADD COLUMN y INTEGER"))

    assert opslag.migrate(engine, "proef", [v1]) == 1
    assert opslag.migrate(engine, "proef", [v1]) == 1
    assert opslag.migrate(engine, "proef", [v1, v2]) == 2
    assert calls == [1, 2]
    with engine.connect() as conn:
        assert opslag.schema_version(conn, "proef") == 2
        assert opslag.schema_version(conn, "ander") == 0
    with pytest.raises(ConfigError, match="nieuwer"):
        opslag.migrate(engine, "proef", [v1])
    engine.dispose()


def test_failed_migration_rolls_back(tmp_path):
    engine = opslag.create_store_engine(f"sqlite:///{tmp_path}/f.db")

    def broken(conn):
        conn.execute(text("CREATE TABLE b (x INTEGER)"))
        raise RuntimeError("kapot")

    with pytest.raises(RuntimeError):
        opslag.migrate(engine, "proef", [broken])
    with engine.connect() as conn:
        assert opslag.schema_version(conn, "proef") == 0
        assert not conn.execute(text("SELECT name FROM sqlite_master WHERE name='b'")).first()
    engine.dispose()


def test_reader_runs_beside_a_writer_on_sqlite(tmp_path):
    engine = opslag.create_store_engine(f"sqlite:///{tmp_path}/rw.db")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    with engine.begin() as writer:  # holds the write lock
        writer.execute(text("INSERT INTO t VALUES (2)"))
        with opslag.read_only(engine.connect()) as reader:
            assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 1  # sees the committed state
    with opslag.read_only(engine.connect()) as reader:
        assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 2
    engine.dispose()
