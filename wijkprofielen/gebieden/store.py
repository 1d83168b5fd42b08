"""Gebieden in the shared store (SQLite by default, PostgreSQL by URL), versioned.

Append-only like the scenario and afspraken stores: every change of a gebied is a new
version, deleting sets ``verwijderd_op``; nothing stored is lost. Names are unique among the
gebieden that are not deleted (compared without case).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .. import opslag
from ..config import Config
from ..errors import DataError, WijkprofielenError
from .model import Gebied, check_names, from_json

metadata = sa.MetaData()

gebieden_tabel, versies = opslag.versioned_tables(metadata, "gebied")


def _v1(conn: Connection) -> None:
    metadata.create_all(conn)


# Migrations of the gebied tables (see :func:`opslag.migrate`); append, never edit.
MIGRATIONS: list[Callable[[Connection], None]] = [_v1]


@dataclass(frozen=True)
class GebiedInfo:
    """A stored gebied: id, name, gemeente, latest version, its time and number of buurten."""

    id: int
    naam: str
    gemeentecode: str | None
    versie: int
    opgeslagen_op: datetime
    n_buurten: int


def _content(gebied: Gebied) -> str:
    return json.dumps({"naam": gebied.naam, "beschrijving": gebied.beschrijving, "buurtcodes": list(gebied.buurtcodes)},
                      ensure_ascii=False)


class GebiedenStore:
    """Gebieden in a database.

    Parameters
    ----------
    target : str or sqlalchemy.Engine, optional
        A database URL or an engine; default ``$WIJKPROFIELEN_DATABASE`` or ``[opslag] database``.
    cfg : Config, optional

    Examples
    --------
    >>> store = GebiedenStore(opslag.create_store_engine("sqlite://"))
    >>> gid = store.create(Gebied("Orthen-links", ("BU07960401",)), "GM0796")
    >>> store.load(gid).versie
    1
    """

    def __init__(self, target: str | Engine | None = None, *, cfg: Config | None = None) -> None:
        self.engine = opslag.open_component(target, cfg, "gebied", MIGRATIONS)

    # -- writing ----------------------------------------------------------------------
    def create(self, gebied: Gebied, gemeentecode: str | None = None) -> int:
        """Store a new gebied (version 1); return its id. A name in use raises :class:`DataError`."""
        with self.engine.begin() as con:
            self._check_free(con, gebied.naam)
            gid = con.execute(gebieden_tabel.insert().values(naam=gebied.naam, gemeentecode=gemeentecode,
                                                             aangemaakt_op=opslag.utcnow())).inserted_primary_key[0]
            con.execute(versies.insert().values(gebied_id=gid, versie=1, inhoud=_content(gebied), opgeslagen_op=opslag.utcnow()))
        return int(gid)

    def save(self, gebied_id: int, gebied: Gebied) -> int:
        """Add a new version of a stored gebied (also to rename it); return the version number."""
        with self.engine.begin() as con:
            self._require(con, gebied_id, lock=True)
            self._check_free(con, gebied.naam, gebied_id)
            versie = opslag.next_version(con, versies.c.versie, versies.c.gebied_id, gebied_id)
            con.execute(versies.insert().values(gebied_id=gebied_id, versie=versie, inhoud=_content(gebied),
                                                opgeslagen_op=opslag.utcnow()))
            con.execute(gebieden_tabel.update().where(gebieden_tabel.c.id == gebied_id).values(naam=gebied.naam))
        return versie

    def delete(self, gebied_id: int) -> None:
        """Hide a gebied from the list; its versions stay in the database."""
        with self.engine.begin() as con:
            self._require(con, gebied_id)
            con.execute(gebieden_tabel.update().where(gebieden_tabel.c.id == gebied_id).values(verwijderd_op=opslag.utcnow()))

    def import_gebieden(self, gebieden: Sequence[Gebied], gemeentecode: str | None = None) -> dict[str, int]:
        """Store each gebied: a new name becomes a new gebied, a known name a new version when it
        changed. Returns ``{naam: versie}`` after the import."""
        check_names(gebieden)
        out = {}
        for g in gebieden:
            info = self.find(g.naam)
            if info is None:
                self.create(g, gemeentecode)
                out[g.naam] = 1
            elif self.load(info.id).same_definition(g):
                out[g.naam] = info.versie
            else:
                out[g.naam] = self.save(info.id, g)
        return out

    # -- reading ----------------------------------------------------------------------
    def _require(self, con, gebied_id: int, lock: bool = False) -> None:
        q = sa.select(gebieden_tabel.c.verwijderd_op).where(gebieden_tabel.c.id == gebied_id)
        row = con.execute(q.with_for_update() if lock else q).first()
        if row is None or row[0] is not None:
            raise WijkprofielenError(f"Gebied {gebied_id} bestaat niet (of is verwijderd).")

    def _check_free(self, con, naam: str, own_id: int | None = None) -> None:
        q = sa.select(gebieden_tabel.c.id).where(gebieden_tabel.c.verwijderd_op.is_(None),
                                                 sa.func.lower(gebieden_tabel.c.naam) == naam.lower())
        other = [i for (i,) in con.execute(q) if i != own_id]
        if other:
            raise DataError(f"Er is al een gebied met de naam '{naam}'. Kies een andere naam of werk dat gebied bij.")

    def list(self, gemeentecode: str | None = None) -> list[GebiedInfo]:
        """Gebieden that are not deleted, by name."""
        q = opslag.latest_versions(gebieden_tabel, versies).order_by(gebieden_tabel.c.naam)
        if gemeentecode:
            q = q.where(gebieden_tabel.c.gemeentecode == gemeentecode)
        with self.engine.connect() as con:
            return [GebiedInfo(int(r.id), r.naam, r.gemeentecode, int(r.versie), r.opgeslagen_op,
                               len(json.loads(r.inhoud)["buurtcodes"])) for r in con.execute(q)]

    def find(self, naam: str) -> GebiedInfo | None:
        """The stored gebied of this name (case-insensitive), or None."""
        return next((g for g in self.list() if g.naam.casefold() == naam.casefold()), None)

    def versions(self, gebied_id: int) -> list[tuple[int, datetime]]:
        """``(versie, opgeslagen_op)`` of every stored version, oldest first."""
        with self.engine.connect() as con:
            rows = con.execute(sa.select(versies.c.versie, versies.c.opgeslagen_op)
                               .where(versies.c.gebied_id == gebied_id).order_by(versies.c.versie))
            return [(int(v), t) for v, t in rows]

    def load(self, gebied_id: int, versie: int | None = None) -> Gebied:
        """A stored gebied (default: its latest version), with :attr:`Gebied.versie` set."""
        q = sa.select(versies.c.versie, versies.c.inhoud).where(versies.c.gebied_id == gebied_id)
        q = q.where(versies.c.versie == versie) if versie else q.order_by(versies.c.versie.desc()).limit(1)
        with self.engine.connect() as con:
            row = con.execute(q).first()
        if row is None:
            raise WijkprofielenError(f"Gebied {gebied_id}{f' versie {versie}' if versie else ''} bestaat niet.")
        return from_json({"gebieden": [{**json.loads(row.inhoud), "versie": int(row.versie)}]})[0]

    def load_all(self, gemeentecode: str | None = None) -> list[Gebied]:
        """The latest version of every gebied that is not deleted."""
        return [self.load(g.id) for g in self.list(gemeentecode)]
