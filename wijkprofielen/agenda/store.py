"""Persisting afspraken: SQLAlchemy Core, the same database as workshops and scenarios.

Append-only: every change of content or status is a new version with who made it and when
(:class:`opslag.UTCDateTime`); no row is ever updated in place or removed. Tables are prefixed
``agenda``. Version numbers are given out one writer at a time: a save locks its afspraak row
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite writers hold the database write lock), so
concurrent saves get consecutive numbers.

The exchange JSON (:meth:`AgendaStore.export_json`) holds the latest afspraken in the
format of :mod:`.model` plus every stored version under ``versies``; importing it into an
empty store restores all versions with their authors and times.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from .. import opslag
from ..config import Config
from ..errors import DataError, WijkprofielenError
from .model import MAX_NAAM, Afspraak, _text, load_afspraken_json, parse_afspraak

FORMAT = "wijkprofielen-afspraken"
FORMAT_VERSION = 1

metadata = sa.MetaData()

afspraken = sa.Table(
    "agenda_afspraak",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sleutel", sa.String(60), nullable=False, unique=True),
    sa.Column("gemeentecode", sa.String(6), nullable=False, index=True),
    sa.Column("aangemaakt_op", opslag.UTCDateTime, nullable=False),
)

versies = sa.Table(
    "agenda_versie",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("afspraak_id", sa.Integer, sa.ForeignKey("agenda_afspraak.id"), nullable=False, index=True),
    sa.Column("versie", sa.Integer, nullable=False),
    sa.Column("inhoud", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("door", sa.String(MAX_NAAM), nullable=False),
    sa.Column("opgeslagen_op", opslag.UTCDateTime, nullable=False),
    sa.UniqueConstraint("afspraak_id", "versie"),
)


def _v1(conn: Connection) -> None:
    metadata.create_all(conn)


# Migrations of the agenda tables (see :func:`opslag.migrate`); append, never edit.
MIGRATIONS: list[Callable[[Connection], None]] = [_v1]


@dataclass(frozen=True)
class Versie:
    """One stored version of an afspraak: number, author, time and content."""

    versie: int
    door: str
    opgeslagen_op: datetime
    afspraak: Afspraak


@dataclass(frozen=True)
class ImportResultaat:
    """What an import did: ids added, given a new version, and unchanged."""

    nieuw: list[str]
    bijgewerkt: list[str]
    ongewijzigd: list[str]


def gemeentecode_of(code: str) -> str:
    """``'BU07960101'`` or ``'WK079601'`` → ``'GM0796'``."""
    return "GM" + code[2:6]


def _door(door: str) -> str:
    return _text(door, "de naam van wie de wijziging doet ('door')", MAX_NAAM, required=True)


def _load(inhoud: str) -> Afspraak:
    return parse_afspraak(json.loads(inhoud))


class AgendaStore:
    """Afspraken in a database.

    Parameters
    ----------
    target : str or sqlalchemy.Engine, optional
        A database URL (shared engine) or an engine; default ``$WIJKPROFIELEN_DATABASE`` or
        ``[opslag] database`` of ``cfg``. Tables are created or migrated (component
        ``agenda``) on opening.
    cfg : Config, optional

    Examples
    --------
    >>> store = AgendaStore(opslag.create_store_engine("sqlite://"))
    >>> a = Afspraak("A1", "BU07960101", "Huismeester", "corporatie", 2025, 2027)
    >>> store.add(a, door="Anna")
    1
    >>> store.set_status("A1", "in uitvoering", door="Bram")
    2
    >>> [(v.versie, v.door, v.afspraak.status) for v in store.history("A1")]
    [(1, 'Anna', 'gepland'), (2, 'Bram', 'in uitvoering')]
    """

    def __init__(self, target: str | Engine | None = None, *, cfg: Config | None = None) -> None:
        self.engine = opslag.open_component(target, cfg, "agenda", MIGRATIONS)

    # -- writing ----------------------------------------------------------------------
    def add(self, afspraak: Afspraak, door: str) -> int:
        """Store a new afspraak (version 1). An id that exists already is refused."""
        door = _door(door)
        try:
            with self.engine.begin() as con:
                self._insert(con, afspraak, door, opslag.utcnow())
        except IntegrityError:
            raise DataError(f"Er bestaat al een afspraak met id {afspraak.id!r}. Kies een andere id of wijzig die afspraak.") from None
        return 1

    def _insert(self, con: Connection, afspraak: Afspraak, door: str, tijd: datetime) -> int:
        aid = con.execute(afspraken.insert().values(sleutel=afspraak.id, gemeentecode=gemeentecode_of(afspraak.buurtcode),
                                                    aangemaakt_op=tijd)).inserted_primary_key[0]
        con.execute(versies.insert().values(afspraak_id=aid, versie=1, inhoud=afspraak.to_json(), status=afspraak.status,
                                            door=door, opgeslagen_op=tijd))
        return int(aid)

    def save(self, afspraak: Afspraak, door: str) -> int:
        """Add a new version of an existing afspraak (same id); return the version number."""
        door = _door(door)
        with self.engine.begin() as con:
            aid = self._row(con, afspraak.id, lock=True)
            versie = opslag.next_version(con, versies.c.versie, versies.c.afspraak_id, aid)
            con.execute(versies.insert().values(afspraak_id=aid, versie=versie, inhoud=afspraak.to_json(),
                                                status=afspraak.status, door=door, opgeslagen_op=opslag.utcnow()))
        return versie

    def set_status(self, ident: str, status: str, door: str) -> int:
        """A new version with only the status changed."""
        return self.save(self.get(ident).with_status(status), door)

    # -- reading ----------------------------------------------------------------------
    def _row(self, con: Connection, ident: str, lock: bool = False) -> int:
        q = sa.select(afspraken.c.id).where(afspraken.c.sleutel == ident)
        aid = con.execute(q.with_for_update() if lock else q).scalar()
        if aid is None:
            raise WijkprofielenError(f"Afspraak {ident!r} bestaat niet. Kies een id uit 'agenda lijst' of de pagina Afspraken.")
        return int(aid)

    def get(self, ident: str, versie: int | None = None) -> Afspraak:
        """The latest (or the given) version of an afspraak."""
        with opslag.read_only(self.engine.connect()) as con:
            aid = self._row(con, ident)
            q = sa.select(versies.c.inhoud).where(versies.c.afspraak_id == aid)
            q = q.where(versies.c.versie == versie) if versie else q.order_by(versies.c.versie.desc()).limit(1)
            inhoud = con.execute(q).scalar()
        if inhoud is None:
            raise WijkprofielenError(f"Afspraak {ident!r} heeft geen versie {versie}.")
        return _load(inhoud)

    def history(self, ident: str) -> list[Versie]:
        """Every version of one afspraak, oldest first."""
        with opslag.read_only(self.engine.connect()) as con:
            aid = self._row(con, ident)
            rows = con.execute(sa.select(versies.c.versie, versies.c.door, versies.c.opgeslagen_op, versies.c.inhoud)
                               .where(versies.c.afspraak_id == aid).order_by(versies.c.versie)).all()
        return [Versie(int(v), d, t, _load(i)) for v, d, t, i in rows]

    def _latest(self, gemeentecode: str | None = None) -> list[tuple[Versie, str]]:
        last = sa.select(versies.c.afspraak_id, sa.func.max(versies.c.versie).label("versie")).group_by(versies.c.afspraak_id).subquery()
        q = (sa.select(versies.c.versie, versies.c.door, versies.c.opgeslagen_op, versies.c.inhoud)
             .join(last, (last.c.afspraak_id == versies.c.afspraak_id) & (last.c.versie == versies.c.versie))
             .join(afspraken, afspraken.c.id == versies.c.afspraak_id).order_by(afspraken.c.id))
        if gemeentecode:
            q = q.where(afspraken.c.gemeentecode == gemeentecode)
        with opslag.read_only(self.engine.connect()) as con:
            return [(Versie(int(v), d, t, _load(i)), i) for v, d, t, i in con.execute(q)]

    def list(self, gemeentecode: str | None = None) -> list[Afspraak]:
        """The latest version of every afspraak (of one gemeente), in the order they were added."""
        return [v.afspraak for v, _ in self._latest(gemeentecode)]

    def latest(self, gemeentecode: str | None = None) -> list[Versie]:
        """Like :meth:`list` with version number, author and time."""
        return [v for v, _ in self._latest(gemeentecode)]

    # -- exchange -----------------------------------------------------------------------
    def export_dict(self, gemeentecode: str | None = None) -> dict[str, Any]:
        """The latest afspraken plus all versions (``versies``): :meth:`import_dict` restores them losslessly."""
        latest = self.latest(gemeentecode)
        out: list[dict[str, Any]] = []
        history: list[dict[str, Any]] = []
        for v in latest:
            out.append({**v.afspraak.to_dict(), "versie": v.versie, "gewijzigd_door": v.door,
                        "gewijzigd_op": v.opgeslagen_op.isoformat()})
            history += [{"id": v.afspraak.id, "versie": h.versie, "door": h.door, "opgeslagen_op": h.opgeslagen_op.isoformat(),
                         "afspraak": h.afspraak.to_dict()} for h in self.history(v.afspraak.id)]
        return {"formaat": FORMAT, "formaatversie": FORMAT_VERSION, "afspraken": out, "versies": history}

    def export_json(self, gemeentecode: str | None = None) -> str:
        return json.dumps(self.export_dict(gemeentecode), ensure_ascii=False, indent=1)

    def import_dict(self, data: dict[str, Any], afspraken_: Iterable[Afspraak], door: str) -> ImportResultaat:
        """Store validated afspraken (see :meth:`import_json`) in one transaction.

        An id that is new is added, with its full history when ``data["versies"]`` holds
        it; an existing id whose content differs gets a new version by ``door``; an equal
        one is left alone.
        """
        door = _door(door)
        history = _history(data.get("versies"))
        nieuw, bijgewerkt, ongewijzigd = [], [], []
        with self.engine.begin() as con:
            for a in afspraken_:
                aid = con.execute(sa.select(afspraken.c.id).where(afspraken.c.sleutel == a.id).with_for_update()).scalar()
                if aid is None:
                    steps = history.get(a.id)
                    if steps and steps[-1][3] == a:
                        self._restore(con, a, steps)
                    else:
                        self._insert(con, a, door, opslag.utcnow())
                    nieuw.append(a.id)
                    continue
                last = con.execute(sa.select(versies.c.versie, versies.c.inhoud).where(versies.c.afspraak_id == aid)
                                   .order_by(versies.c.versie.desc()).limit(1)).first()
                if _load(last.inhoud) == a:
                    ongewijzigd.append(a.id)
                    continue
                con.execute(versies.insert().values(afspraak_id=aid, versie=int(last.versie) + 1, inhoud=a.to_json(),
                                                    status=a.status, door=door, opgeslagen_op=opslag.utcnow()))
                bijgewerkt.append(a.id)
        return ImportResultaat(nieuw, bijgewerkt, ongewijzigd)

    def _restore(self, con: Connection, a: Afspraak, steps: list[tuple[int, str, datetime, Afspraak]]) -> None:
        aid = con.execute(afspraken.insert().values(sleutel=a.id, gemeentecode=gemeentecode_of(a.buurtcode),
                                                    aangemaakt_op=steps[0][2])).inserted_primary_key[0]
        con.execute(versies.insert(), [{"afspraak_id": aid, "versie": v, "inhoud": s.to_json(), "status": s.status,
                                        "door": d, "opgeslagen_op": t} for v, d, t, s in steps])

    def import_json(self, text: str | bytes, door: str, **validation: Any) -> ImportResultaat:
        """Validate an afsprakenbestand (see :func:`~.model.parse_afspraak` for ``validation``) and store it."""
        items, raw = load_afspraken_json(text, **validation)
        return self.import_dict(raw, items, door)


def _history(raw: Any) -> dict[str, list[tuple[int, str, datetime, Afspraak]]]:
    """The ``versies`` of an export, per id in version order; checked, because they are restored verbatim."""
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise DataError("Afsprakenbestand: 'versies' moet een lijst zijn (zoals een export van wijkprofielen die schrijft).")
    out: dict[str, list[tuple[int, str, datetime, Afspraak]]] = {}
    for n, item in enumerate(raw, 1):
        where = f"Afsprakenbestand, versies {n}"
        if not isinstance(item, dict):
            raise DataError(f"{where}: moet een object zijn met id, versie, door, opgeslagen_op en afspraak.")
        tijd = opslag.parse_utc(item.get("opgeslagen_op"))
        if tijd is None:
            raise DataError(f"{where}: 'opgeslagen_op' is geen tijdstip met tijdzone (ISO 8601, bijvoorbeeld 2025-03-01T10:00:00+00:00).")
        versie = item.get("versie")
        if isinstance(versie, bool) or not isinstance(versie, int) or versie < 1:
            raise DataError(f"{where}: 'versie' moet een geheel getal vanaf 1 zijn.")
        a = parse_afspraak(item.get("afspraak"), n)
        if a.id != item.get("id"):
            raise DataError(f"{where}: het id {item.get('id')!r} hoort niet bij de afspraak {a.id!r}.")
        out.setdefault(a.id, []).append((versie, _door(item.get("door")), tijd, a))
    for ident, steps in out.items():
        steps.sort(key=lambda s: s[0])
        if [s[0] for s in steps] != list(range(1, len(steps) + 1)):
            raise DataError(f"Afsprakenbestand: de versies van {ident!r} lopen niet door vanaf 1. Gebruik een onbewerkte export.")
    return out


def store_from_config(cfg: Config) -> AgendaStore:
    """The store at ``[opslag] database`` (or ``$WIJKPROFIELEN_DATABASE``)."""
    return AgendaStore(cfg=cfg)
