"""Persisting scenarios: SQLAlchemy Core, the same database as the workshops.

Append-only: saving a scenario adds a version, deleting sets ``verwijderd_op``; no row
is ever updated in place or removed, so nothing stored is lost. Works on SQLite (the
default) and PostgreSQL. Tables are prefixed ``scenario`` so they sit next to the
workshop tables in one database. Times are timezone-aware UTC (:class:`opslag.UTCDateTime`).

Version numbers are given out one writer at a time: a save locks its scenario row
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite writers hold the database write lock), so
concurrent saves get consecutive numbers without gaps or conflicts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .. import opslag
from ..config import Config
from ..errors import WijkprofielenError
from .model import Scenario, load_scenario_json, parse_scenario

metadata = sa.MetaData()

scenarios, versies = opslag.versioned_tables(metadata, "scenario")


def _v1(conn: Connection) -> None:
    metadata.create_all(conn)


# Migrations of the scenario tables (see :func:`opslag.migrate`); append, never edit.
# (UTCDateTime has the DDL of the DateTime(timezone=True) columns of version 1: no step needed.)
MIGRATIONS: list[Callable[[Connection], None]] = [_v1]


@dataclass(frozen=True)
class ScenarioInfo:
    """A stored scenario: id, name and its latest version."""

    id: int
    naam: str
    gemeentecode: str | None
    versie: int
    opgeslagen_op: datetime


class ScenarioStore:
    """Scenarios in a database.

    Parameters
    ----------
    target : str or sqlalchemy.Engine, optional
        A database URL (shared engine from :func:`opslag.get_engine`) or an engine;
        default: ``$WIJKPROFIELEN_DATABASE`` or ``[opslag] database`` of ``cfg``.
        Tables are created or migrated (component ``scenario``) on opening.
    cfg : Config, optional
        Configuration to read ``[opslag] database`` from. Opening fails as
        :func:`opslag.open_component` does.

    Examples
    --------
    >>> store = ScenarioStore(opslag.create_store_engine("sqlite://"))
    >>> sid = store.create(Scenario("Plan A"), "GM9999")
    >>> [s.naam for s in store.list()]
    ['Plan A']
    """

    def __init__(self, target: str | Engine | None = None, *, cfg: Config | None = None) -> None:
        self.engine = opslag.open_component(target, cfg, "scenario", MIGRATIONS)

    # -- writing ----------------------------------------------------------------------
    def create(self, scenario: Scenario, gemeentecode: str | None = None) -> int:
        """Store a new scenario (version 1); return its id."""
        with self.engine.begin() as con:
            sid = con.execute(scenarios.insert().values(naam=scenario.naam, gemeentecode=gemeentecode, aangemaakt_op=opslag.utcnow())).inserted_primary_key[0]
            con.execute(versies.insert().values(scenario_id=sid, versie=1, inhoud=scenario.to_json(), opgeslagen_op=opslag.utcnow()))
        return int(sid)

    def save(self, scenario_id: int, scenario: Scenario) -> int:
        """Add a new version of an existing scenario; return the version number."""
        with self.engine.begin() as con:
            self._require(con, scenario_id, lock=True)
            versie = opslag.next_version(con, versies.c.versie, versies.c.scenario_id, scenario_id)
            con.execute(versies.insert().values(scenario_id=scenario_id, versie=versie, inhoud=scenario.to_json(), opgeslagen_op=opslag.utcnow()))
            con.execute(scenarios.update().where(scenarios.c.id == scenario_id).values(naam=scenario.naam))
        return versie

    def copy(self, scenario_id: int, naam: str | None = None) -> int:
        """A new scenario with the latest content of another; return the new id."""
        original = self.load(scenario_id)
        info = self.info(scenario_id)
        original.naam = naam or f"Kopie van {original.naam}"
        return self.create(original, info.gemeentecode)

    def delete(self, scenario_id: int) -> None:
        """Hide a scenario from the list; its versions stay in the database."""
        with self.engine.begin() as con:
            self._require(con, scenario_id)
            con.execute(scenarios.update().where(scenarios.c.id == scenario_id).values(verwijderd_op=opslag.utcnow()))

    def import_json(self, text: str | bytes, gemeentecode: str | None = None, **validation) -> int:
        """Validate scenario JSON (see :func:`parse_scenario`) and store it as a new scenario."""
        return self.create(load_scenario_json(text, **validation), gemeentecode)

    # -- reading ----------------------------------------------------------------------
    def _require(self, con, scenario_id: int, lock: bool = False) -> None:
        q = sa.select(scenarios.c.verwijderd_op).where(scenarios.c.id == scenario_id)
        row = con.execute(q.with_for_update() if lock else q).first()
        if row is None or row[0] is not None:
            raise WijkprofielenError(f"Scenario {scenario_id} bestaat niet (of is verwijderd).")

    def list(self, gemeentecode: str | None = None) -> list[ScenarioInfo]:
        """Scenarios that are not deleted, newest first."""
        q = opslag.latest_versions(scenarios, versies).order_by(scenarios.c.id.desc())
        if gemeentecode:
            q = q.where(scenarios.c.gemeentecode == gemeentecode)
        with self.engine.connect() as con:
            return [ScenarioInfo(int(r.id), r.naam, r.gemeentecode, int(r.versie), r.opgeslagen_op) for r in con.execute(q)]

    def info(self, scenario_id: int) -> ScenarioInfo:
        for s in self.list():
            if s.id == scenario_id:
                return s
        raise WijkprofielenError(f"Scenario {scenario_id} bestaat niet (of is verwijderd).")

    def versions(self, scenario_id: int) -> list[tuple[int, datetime]]:
        """``(versie, opgeslagen_op)`` of every stored version, oldest first."""
        with self.engine.connect() as con:
            rows = con.execute(sa.select(versies.c.versie, versies.c.opgeslagen_op).where(versies.c.scenario_id == scenario_id).order_by(versies.c.versie))
            return [(int(v), t) for v, t in rows]

    def export_json(self, scenario_id: int, versie: int | None = None) -> str:
        """The stored JSON of a version (default: the latest)."""
        q = sa.select(versies.c.inhoud).where(versies.c.scenario_id == scenario_id)
        q = q.where(versies.c.versie == versie) if versie else q.order_by(versies.c.versie.desc()).limit(1)
        with self.engine.connect() as con:
            text = con.execute(q).scalar()
        if text is None:
            raise WijkprofielenError(f"Scenario {scenario_id}{f' versie {versie}' if versie else ''} bestaat niet.")
        return text

    def load(self, scenario_id: int, versie: int | None = None) -> Scenario:
        """A stored scenario (not re-validated against a dataset; do that before evaluating)."""
        return parse_scenario(json.loads(self.export_json(scenario_id, versie)), interventies=_ANY)


class _Anything:
    def __contains__(self, item) -> bool:
        return isinstance(item, str)

    def __iter__(self):
        return iter(())


_ANY = _Anything()


def store_from_config(cfg: Config) -> ScenarioStore:
    """The store at ``[opslag] database`` (or ``$WIJKPROFIELEN_DATABASE``)."""
    return ScenarioStore(cfg=cfg)
