"""The shared store: resolve the database URL and create SQLAlchemy engines.

Workshops and scenarios live in one database, configured as ``[opslag] database`` in
``config.toml`` (an SQLAlchemy URL; the environment variable ``WIJKPROFIELEN_DATABASE``
overrides it). The default is an SQLite file in ``werkmap/``; PostgreSQL works through
psycopg 3. A relative SQLite path in the configuration resolves against the folder of the
configuration file (see :mod:`wijkprofielen.config`), so the app, the CLI and the tests
find the same file whatever the working directory; one in the environment variable
against the working directory.

>>> resolve_url("sqlite://")
'sqlite://'
>>> resolve_url("postgresql://u:p@127.0.0.1/db")
'postgresql+psycopg://u:p@127.0.0.1/db'
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column, Connection, DateTime, Engine, ForeignKey, Integer, MetaData, Select, String, Table, Text, UniqueConstraint,
    create_engine, event, func, select, text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.types import TypeDecorator

from .config import Config, OpslagSettings
from .errors import ConfigError, WijkprofielenError

ENV_VAR = "WIJKPROFIELEN_DATABASE"
DEFAULT_URL = OpslagSettings.database
# SQLite waits this long for a lock before giving up; concurrent workshop writers queue.
SQLITE_BUSY_TIMEOUT_MS = 30_000

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def configured_url(cfg: Config | None = None) -> str:
    """The database URL from ``$WIJKPROFIELEN_DATABASE`` or ``[opslag] database``.

    Parameters
    ----------
    cfg : Config, optional
        Loaded configuration; without it only the environment variable and the default
        are consulted.

    """
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return env
    return DEFAULT_URL if cfg is None else cfg.opslag.database


def resolve_url(url: str, root: Path | None = None) -> str:
    """Normalise a database URL.

    Relative SQLite paths become absolute (against ``root``, default the working directory)
    and their folder is created;
    ``postgresql://`` uses the psycopg 3 driver.

    Raises
    ------
    ConfigError
        When the URL cannot be parsed or names an unsupported database.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"Database-URL {url!r} is ongeldig. Gebruik bijvoorbeeld '{DEFAULT_URL}' "
            "of 'postgresql+psycopg://gebruiker:wachtwoord@host/database'."
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        db = parsed.database
        if db and db != ":memory:" and not db.startswith("file:"):
            path = Path(db)
            if not path.is_absolute():
                path = (root or Path.cwd()) / path
            path.parent.mkdir(parents=True, exist_ok=True)
            parsed = parsed.set(database=str(path))
        return parsed.render_as_string(hide_password=False)
    if backend == "postgresql":
        if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        return parsed.render_as_string(hide_password=False)
    raise ConfigError(
        f"Database {backend!r} wordt niet ondersteund. Gebruik SQLite ('sqlite:///pad/naar/bestand.db') "
        "of PostgreSQL ('postgresql+psycopg://…')."
    )


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy, not pysqlite, decide when transactions start (see _sqlite_begin).
    dbapi_conn.isolation_level = None
    # WAL lets readers (the facilitator view) run while participants write.
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


READ_ONLY = "alleen_lezen"


def _sqlite_begin(conn: Any) -> None:
    # BEGIN IMMEDIATE takes the write lock up front, so two writers never deadlock on an
    # upgrade from a read lock (which SQLite answers with "database is locked" at once).
    # Readers (``read_only(conn)``) use a plain BEGIN and run beside the writer in WAL mode.
    conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")


def read_only(conn: Connection) -> Connection:
    """Mark a fresh connection as a reader: on SQLite it does not take the write lock.

    Call before the first statement, e.g. ``with read_only(engine.connect()) as conn:``.
    """
    return conn.execution_options(**{READ_ONLY: True})


def create_store_engine(url: str) -> Engine:
    """A new engine for ``url`` (already resolved or not), configured for concurrent use.

    SQLite: WAL journal, busy timeout, foreign keys, transactions that take the write lock
    at ``BEGIN``. PostgreSQL: psycopg 3 with pre-ping, so a restarted server is survived.
    """
    url = resolve_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        kwargs: dict[str, Any] = {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}}
        if parsed.database in (None, "", ":memory:"):
            from sqlalchemy.pool import StaticPool

            kwargs["poolclass"] = StaticPool
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def get_engine(url: str | None = None, cfg: Config | None = None) -> Engine:
    """A shared engine per resolved URL (one pool per process).

    Parameters
    ----------
    url : str, optional
        An SQLAlchemy URL; defaults to :func:`configured_url`.
    cfg : Config, optional
        Used to read ``[opslag] database`` when ``url`` is not given.
    """
    resolved = resolve_url(url or configured_url(cfg))
    with _lock:
        engine = _engines.get(resolved)
        if engine is None:
            engine = _engines[resolved] = create_store_engine(resolved)
        return engine


def dispose_engines() -> None:
    """Close all shared engines (tests; after ``fork``)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def _forget_engines_after_fork() -> None:
    # A forked child must not reuse the parent's pooled connections; it opens its own.
    for engine in _engines.values():
        engine.dispose(close=False)
    _engines.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_engines_after_fork)


def next_version(conn: Connection, versie: Column, parent: Column, key: Any) -> int:
    """The next version number of ``key`` in an append-only versions table.

    The caller holds a row lock on the parent (``SELECT … FOR UPDATE``; SQLite serialises writers),
    so two saves never get the same number.
    """
    last = conn.execute(select(func.max(versie)).where(parent == key)).scalar_one()
    return int(last or 0) + 1


def versioned_tables(metadata: MetaData, name: str) -> tuple[Table, Table]:
    """The two tables of a named item stored as append-only versions (scenarios, gebieden).

    ``name``: id, naam, gemeentecode, aangemaakt_op, verwijderd_op (set when deleted; no row
    is removed). ``name_versie``: the item's id in ``name_id``, versie, inhoud (JSON) and
    opgeslagen_op, unique per item and version.
    """
    items = Table(
        name, metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("naam", String(200), nullable=False),
        Column("gemeentecode", String(6), nullable=True),
        Column("aangemaakt_op", UTCDateTime, nullable=False),
        Column("verwijderd_op", UTCDateTime, nullable=True),
    )
    versies = Table(
        f"{name}_versie", metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column(f"{name}_id", Integer, ForeignKey(f"{name}.id"), nullable=False, index=True),
        Column("versie", Integer, nullable=False),
        Column("inhoud", Text, nullable=False),
        Column("opgeslagen_op", UTCDateTime, nullable=False),
        UniqueConstraint(f"{name}_id", "versie"),
    )
    return items, versies


def latest_versions(items: Table, versies: Table) -> Select:
    """The items of :func:`versioned_tables` that are not deleted, each with its latest version
    (columns id, naam, gemeentecode, versie, opgeslagen_op, inhoud)."""
    key = versies.c[f"{items.name}_id"]
    last = select(key.label("item"), func.max(versies.c.versie).label("versie")).group_by(key).subquery()
    return (
        select(items.c.id, items.c.naam, items.c.gemeentecode, last.c.versie, versies.c.opgeslagen_op, versies.c.inhoud)
        .join(last, last.c.item == items.c.id)
        .join(versies, (key == items.c.id) & (versies.c.versie == last.c.versie))
        .where(items.c.verwijderd_op.is_(None))
    )


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC: what every stored timestamp holds."""
    return datetime.now(timezone.utc)


def parse_utc(value: Any) -> datetime | None:
    """ISO 8601 text with a time zone as a UTC ``datetime``; None when it is not that.

    >>> parse_utc("2024-05-01T14:00:00+02:00").isoformat(), parse_utc("2024-05-01 12:00")
    ('2024-05-01T12:00:00+00:00', None)
    """
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return None if moment.tzinfo is None else moment.astimezone(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A point in time, stored and read back as a timezone-aware UTC ``datetime``.

    PostgreSQL stores ``TIMESTAMP WITH TIME ZONE``; SQLite has no time zones, so the UTC
    wall time is stored and UTC is attached again on reading. A naive ``datetime`` is
    refused: its time zone would be a guess.

    >>> UTCDateTime().process_result_value(datetime(2024, 5, 1, 12, 0), None).isoformat()
    '2024-05-01T12:00:00+00:00'
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"Tijdstip zonder tijdzone: {value!r}")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def describe_url(url: str) -> str:
    """The URL with the password hidden, for messages and the UI."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<ongeldige URL>"


# ---------------------------------------------------------------------------
# Schema versions. Each component (``workshop``, ``scenario``, …) owns its tables and a
# list of migrations; the version reached is kept in one shared table.
# ---------------------------------------------------------------------------

SCHEMA_TABLE = "wijkprofielen_schema"


def schema_version(conn: Connection, component: str) -> int:
    """The schema version of ``component`` in the database (0: not created yet)."""
    from sqlalchemy import inspect

    if not inspect(conn).has_table(SCHEMA_TABLE):
        return 0
    row = conn.execute(text(f"SELECT versie FROM {SCHEMA_TABLE} WHERE component = :c"), {"c": component}).first()
    return int(row[0]) if row else 0


def migrate(engine: Engine, component: str, migrations: list[Callable[[Connection], None]]) -> int:
    """Bring ``component`` up to ``len(migrations)`` in one transaction.

    ``migrations[i]`` takes the schema from version ``i`` to ``i + 1``. Concurrent callers
    (several app processes starting at once) are serialised: PostgreSQL with an advisory
    lock, SQLite by its write lock. A database newer than this code is refused.

    Returns
    -------
    int
        The version reached.

    Raises
    ------
    ConfigError
        When the database was written by a newer version of wijkprofielen.
    """
    target = len(migrations)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"{SCHEMA_TABLE}.{component}"})
        conn.execute(text(
            f"CREATE TABLE IF NOT EXISTS {SCHEMA_TABLE} (component VARCHAR(40) PRIMARY KEY, "
            "versie INTEGER NOT NULL, bijgewerkt VARCHAR(40) NOT NULL)"
        ))
        current = schema_version(conn, component)
        if current > target:
            raise ConfigError(
                f"De database ({describe_url(str(engine.url))}) heeft schema {component} versie {current}, "
                f"nieuwer dan deze versie van wijkprofielen kent ({target}). Werk wijkprofielen bij."
            )
        for step in range(current, target):
            migrations[step](conn)
        if current != target:
            now = datetime.now(timezone.utc).isoformat()
            updated = conn.execute(text(f"UPDATE {SCHEMA_TABLE} SET versie = :v, bijgewerkt = :t WHERE component = :c"),
                                   {"v": target, "t": now, "c": component})
            if updated.rowcount == 0:
                conn.execute(text(f"INSERT INTO {SCHEMA_TABLE} (component, versie, bijgewerkt) VALUES (:c, :v, :t)"),
                             {"v": target, "t": now, "c": component})
    return target


def open_component(target: str | Engine | None, cfg: Config | None, component: str,
                   migrations: list[Callable[[Connection], None]]) -> Engine:
    """The engine of a store: ``target`` (a URL or an engine; default :func:`configured_url`),
    with the tables of ``component`` created or migrated.

    Raises
    ------
    ConfigError
        When the URL is invalid or the schema is newer than this code.
    WijkprofielenError
        When the database cannot be reached.
    """
    engine = target if isinstance(target, Engine) else get_engine(resolve_url(target or configured_url(cfg)))
    try:
        migrate(engine, component, migrations)
    except (OperationalError, ImportError) as exc:
        raise WijkprofielenError(
            f"De database {describe_url(str(engine.url))} is niet bereikbaar: {getattr(exc, 'orig', exc)}"
        ) from None
    return engine
