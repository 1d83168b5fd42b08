"""The workshop tables and their migrations (component ``workshop`` in :mod:`wijkprofielen.opslag`).

Schema versions:

1. workshops, buurten on the table, participants, events, failed attempts; times as ISO text.
2. Times become timezone-aware timestamps (UTC), like the scenario tables.
3. Failed attempts also record the network address (``groep``) and the code tried.

A database of any older version is migrated on opening; nothing stored is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    text,
    update,
)

from ..errors import ConfigError
from ..opslag import UTCDateTime, parse_utc
from .text import MAX_NAAM, MAX_WORKSHOPNAAM

# Columns holding a point in time, per table (migration 2 converts them).
TIME_COLUMNS = {"ws_workshop": ("aangemaakt", "gesloten"), "ws_deelnemer": ("aangemaakt",), "ws_event": ("tijd",)}


def define(md: MetaData, version: int) -> dict[str, Table]:
    """The tables as they are at schema ``version`` (so old migration steps stay fixed)."""

    def tijd(name: str, nullable: bool = False) -> Column:
        return Column(name, String(40) if version < 2 else UTCDateTime, nullable=nullable)

    poging_extra = [] if version < 3 else [
        Column("groep", String(80), nullable=False, server_default=""),
        Column("code", String(16), nullable=False, server_default=""),
        Index("ix_ws_poging_bron", "bron", "tijd"),
        Index("ix_ws_poging_groep", "groep", "tijd"),
        Index("ix_ws_poging_code", "code", "tijd"),
    ]
    return {
        "workshops": Table(
            "ws_workshop", md,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("code", String(16), nullable=False, unique=True),
            Column("naam", String(MAX_WORKSHOPNAAM), nullable=False),
            Column("facilitator_hash", String(64), nullable=False),
            Column("status", String(16), nullable=False),
            Column("dataset_naam", String(200), nullable=False),
            Column("dataset_fingerprint", String(64), nullable=False),
            Column("synthetisch", Boolean, nullable=False),
            Column("jaar", Integer, nullable=True),
            Column("recept", Text, nullable=False),
            Column("max_afwijking", Double, nullable=False),
            Column("bereik", Double, nullable=False),
            tijd("aangemaakt"),
            tijd("gesloten", nullable=True),
        ),
        "buurten": Table(
            "ws_buurt", md,
            Column("workshop_id", Integer, ForeignKey("ws_workshop.id", ondelete="CASCADE"), primary_key=True),
            Column("buurtcode", String(20), primary_key=True),
            Column("volgorde", Integer, nullable=False),
            Column("buurtnaam", String(200), nullable=False),
            Column("wijknaam", String(200), nullable=False),
            Column("data_draagkracht", Double, nullable=True),
            Column("data_fysieke_kansen", Double, nullable=True),
            Column("kwadrant", String(40), nullable=False),
        ),
        "deelnemers": Table(
            "ws_deelnemer", md,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("workshop_id", Integer, ForeignKey("ws_workshop.id", ondelete="CASCADE"), nullable=False),
            Column("nummer", Integer, nullable=False),
            Column("naam", String(MAX_NAAM), nullable=False),
            Column("token_hash", String(64), nullable=False),
            tijd("aangemaakt"),
            UniqueConstraint("workshop_id", "nummer", name="uq_ws_deelnemer_nummer"),
            UniqueConstraint("workshop_id", "token_hash", name="uq_ws_deelnemer_token"),
        ),
        "events": Table(
            "ws_event", md,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("workshop_id", Integer, ForeignKey("ws_workshop.id", ondelete="CASCADE"), nullable=False),
            Column("uid", String(40), nullable=False),
            Column("deelnemer_id", Integer, ForeignKey("ws_deelnemer.id", ondelete="CASCADE"), nullable=True),
            Column("soort", String(16), nullable=False),
            Column("buurtcode", String(20), nullable=True),
            Column("draagkracht", Double, nullable=True),
            Column("fysieke_kansen", Double, nullable=True),
            Column("reden", Text, nullable=True),
            Column("interventie", String(80), nullable=True),
            tijd("tijd"),
            UniqueConstraint("workshop_id", "uid", name="uq_ws_event_uid"),
            Index("ix_ws_event_workshop", "workshop_id", "id"),
            Index("ix_ws_event_buurt", "buurtcode"),
        ),
        "pogingen": Table(
            "ws_poging", md,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("bron", String(80), nullable=False),
            # Seconds since the epoch: a short-lived counter, compared with arithmetic.
            Column("tijd", Double, nullable=False),
            Index("ix_ws_poging_tijd", "tijd"),
            *poging_extra,
        ),
    }


metadata = MetaData()
_tables = define(metadata, version=3)
workshops = _tables["workshops"]
buurten = _tables["buurten"]
deelnemers = _tables["deelnemers"]
events = _tables["events"]
pogingen = _tables["pogingen"]


def _v1(conn: Connection) -> None:
    md = MetaData()
    define(md, version=1)
    md.create_all(conn)


def _parse_iso(value: str, where: str) -> datetime:
    moment = parse_utc(value)
    if moment is None:
        raise ConfigError(f"De workshopdatabase bevat een ongeldig tijdstip {value!r} in {where}; "
                          "de omzetting is teruggedraaid. Herstel die waarde of meld het.")
    return moment


def _v2(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        for table, cols in TIME_COLUMNS.items():
            alter = ", ".join(f"ALTER COLUMN {c} TYPE TIMESTAMP WITH TIME ZONE USING {c}::timestamptz" for c in cols)
            conn.execute(text(f"ALTER TABLE {table} {alter}"))
        return
    # SQLite keeps the declared column type; the values are rewritten in the format the
    # timestamp type reads (UTC wall time).
    for table, cols in TIME_COLUMNS.items():
        target = metadata.tables[table]
        rows = conn.execute(text(f"SELECT id, {', '.join(cols)} FROM {table}")).all()
        params = [
            {"_id": r[0], **{f"_{c}": None if v is None else _parse_iso(v, f"{table}.{c} (id {r[0]})")
                            for c, v in zip(cols, r[1:])}}
            for r in rows
        ]
        if params:
            stmt = (update(target).where(target.c.id == bindparam("_id"))
                    .values({c: bindparam(f"_{c}", type_=UTCDateTime()) for c in cols}))
            conn.execute(stmt, params)


def _v3(conn: Connection) -> None:
    for col, size in (("groep", 80), ("code", 16)):
        conn.execute(text(f"ALTER TABLE ws_poging ADD COLUMN {col} VARCHAR({size}) NOT NULL DEFAULT ''"))
    for index in pogingen.indexes:
        if index.name != "ix_ws_poging_tijd":
            index.create(conn)


# Index i takes the schema from version i to i + 1. Append, never edit.
MIGRATIONS: list[Callable[[Connection], None]] = [_v1, _v2, _v3]
