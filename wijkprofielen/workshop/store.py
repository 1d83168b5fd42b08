"""The workshop store: append-only events in SQLite or PostgreSQL.

Every placement and pin is an event row (participant, buurt, values, time). Nothing is
updated or overwritten; the current state is derived from the events, so a workshop can be
replayed up to any event. Writes run in one transaction each, so a crash never leaves half
an event; on SQLite the write lock is taken at ``BEGIN`` (see :mod:`wijkprofielen.opslag`),
on PostgreSQL writers share a row lock on the workshop that closing takes exclusively.

Secrets: the join code (8 characters from a 31-letter alphabet, ~40 bits, plus a
rate limit on failed attempts), the facilitator key and the participant tokens
(``secrets.token_urlsafe``, 192 and 128 bits). Only SHA-256 hashes of the key and tokens
are stored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
import secrets
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd
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
    case,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from .. import opslag
from ..config import Config, Recipe, recipe_from_dict
from ..errors import DataError, WijkprofielenError

# -- limits ------------------------------------------------------------------------------
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a room
CODE_LENGTH = 8
MAX_NAAM = 60
MAX_WORKSHOPNAAM = 120
MAX_REDEN = 500
MAX_BUURTEN = 100
MAX_PINS = 5
MAX_DEELNEMERS = 200
# Failed joins (wrong code or key) per source within the window, and for all sources
# together (against guessing from many sources at once).
POGING_VENSTER_S = 15 * 60
MAX_POGINGEN_BRON = 10
# A source may be "group|member" (e.g. "ip:…|sessie:…"): a room behind one NAT address
# shares the group limit, so one person's typos do not lock out the whole workshop.
MAX_POGINGEN_GROEP = 60
MAX_POGINGEN_TOTAAL = 300
DEFAULT_MAX_AFWIJKING = 1.0
EXPORT_FORMAAT = "wijkprofielen-workshop"
EXPORT_VERSIE = 1

OPEN, GESLOTEN = "open", "gesloten"
PLAATS, PIN, UNPIN, SLUIT = "plaats", "pin", "unpin", "sluit"


# -- schema ------------------------------------------------------------------------------
metadata = MetaData()

workshops = Table(
    "ws_workshop", metadata,
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
    Column("aangemaakt", String(40), nullable=False),
    Column("gesloten", String(40), nullable=True),
)

buurten = Table(
    "ws_buurt", metadata,
    Column("workshop_id", Integer, ForeignKey("ws_workshop.id", ondelete="CASCADE"), primary_key=True),
    Column("buurtcode", String(20), primary_key=True),
    Column("volgorde", Integer, nullable=False),
    Column("buurtnaam", String(200), nullable=False),
    Column("wijknaam", String(200), nullable=False),
    Column("data_draagkracht", Double, nullable=True),
    Column("data_fysieke_kansen", Double, nullable=True),
    Column("kwadrant", String(40), nullable=False),
)

deelnemers = Table(
    "ws_deelnemer", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", Integer, ForeignKey("ws_workshop.id", ondelete="CASCADE"), nullable=False),
    Column("nummer", Integer, nullable=False),
    Column("naam", String(MAX_NAAM), nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("aangemaakt", String(40), nullable=False),
    UniqueConstraint("workshop_id", "nummer", name="uq_ws_deelnemer_nummer"),
    UniqueConstraint("workshop_id", "token_hash", name="uq_ws_deelnemer_token"),
)

events = Table(
    "ws_event", metadata,
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
    Column("tijd", String(40), nullable=False),
    UniqueConstraint("workshop_id", "uid", name="uq_ws_event_uid"),
    Index("ix_ws_event_workshop", "workshop_id", "id"),
    Index("ix_ws_event_buurt", "buurtcode"),
)

pogingen = Table(
    "ws_poging", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("bron", String(80), nullable=False),
    Column("tijd", Double, nullable=False),
    Index("ix_ws_poging_tijd", "tijd"),
)


def _v1(conn: Connection) -> None:
    metadata.create_all(conn)


# Migrations of the workshop tables; index i takes version i to i + 1. Append, never edit.
MIGRATIONS: list[Callable[[Connection], None]] = [_v1]


# -- helpers -----------------------------------------------------------------------------
def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_code() -> str:
    """A random join code, e.g. ``'K7QW-3MZP'`` without the dash (``secrets``-based)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: Any) -> str:
    """Upper-case, without spaces or dashes: how people type a code they heard."""
    return re.sub(r"[\s-]", "", str(code or "")).upper()


def format_code(code: str) -> str:
    """``'K7QW3MZP'`` → ``'K7QW-3MZP'``, easier to read aloud."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def clean_text(value: Any, what: str, limit: int, required: bool = True) -> str:
    """Trim, normalise (NFC) and drop control characters; check the length.

    Raises
    ------
    DataError
        When the text is empty (and required) or longer than ``limit`` characters.
    """
    text = unicodedata.normalize("NFC", str(value if value is not None else ""))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()
    if required and not text:
        raise DataError(f"Vul {what} in.")
    if len(text) > limit:
        raise DataError(f"{what[0].upper()}{what[1:]} is te lang ({len(text)} tekens); maximaal {limit}. Maak het korter.")
    return text


def _finite(value: Any, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DataError(f"{what} moet een getal zijn, niet {value!r}.") from None
    if not math.isfinite(number):
        raise DataError(f"{what} moet een eindig getal zijn, niet {value!r}.")
    return number


def default_interventie_check() -> Callable[[str], bool]:
    """Pins are menukaart ids, validated against the menukaart."""
    from ..menukaart import default_menukaart

    mk = default_menukaart()
    return lambda iid: iid in mk


# [workshop] settings: (default, lowest, highest).
_SETTINGS = {"max_afwijking": (DEFAULT_MAX_AFWIJKING, 0.1, 10.0), "verversen_s": (3.0, 1.0, 60.0)}


def _setting(cfg: Config | None, key: str) -> float:
    from ..config import number_setting

    default, lo, hi = _SETTINGS[key]
    return default if cfg is None else number_setting(cfg.section("workshop"), key, default, "workshop", lo, hi)


def max_afwijking_from_config(cfg: Config | None) -> float:
    """``[workshop] max_afwijking``: the distance on the assenkruis beyond which a reason is required (0.1 – 10)."""
    return _setting(cfg, "max_afwijking")


def verversen_from_config(cfg: Config | None) -> float:
    """``[workshop] verversen_s``: seconds between refreshes of the live view (1 – 60)."""
    return _setting(cfg, "verversen_s")


@dataclass(frozen=True)
class Workshop:
    """A workshop as seen with its join code.

    ``facilitator_key`` is only set on the object returned by
    :meth:`WorkshopStore.create_workshop` (it is stored hashed, never shown again).
    """

    code: str
    naam: str
    status: str
    dataset_naam: str
    dataset_fingerprint: str
    synthetisch: bool
    jaar: int | None
    recept: dict[str, Any]
    max_afwijking: float
    bereik: float
    aangemaakt: str
    gesloten: str | None
    buurten: pd.DataFrame = field(repr=False, compare=False)
    facilitator_key: str | None = field(default=None, repr=False)

    @property
    def open(self) -> bool:
        return self.status == OPEN

    @property
    def recipe(self) -> Recipe:
        """The frozen scoring recipe of this workshop."""
        return recipe_from_dict(self.recept)


@dataclass(frozen=True)
class Deelnemer:
    """A participant: public number and name (the token stays with the participant)."""

    nummer: int
    naam: str
    aangemaakt: str


PLACEMENT_COLUMNS = ["deelnemer", "naam", "buurtcode", "buurtnaam", "draagkracht", "fysieke_kansen", "reden",
                     "tijd", "data_draagkracht", "data_fysieke_kansen", "afwijking"]


class WorkshopStore:
    """Workshops in a database (SQLite file or PostgreSQL).

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL; defaults to ``$WIJKPROFIELEN_DATABASE`` or ``[opslag] database``.
    cfg : Config, optional
        For ``[opslag] database`` and ``[workshop] max_afwijking``.
    interventie_check : callable, optional
        ``id -> bool``: which pin ids are valid; default: the menukaart ids.

    Examples
    --------
    >>> from wijkprofielen.testing import grid_dataset
    >>> store = WorkshopStore("sqlite://")
    >>> ds = grid_dataset({"a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0]})
    >>> from wijkprofielen.testing import simple_recipe
    >>> ws = store.create_workshop("Proef", ds, ds.codes[:2], recipe=simple_recipe([("a", 1, 1)], [("b", 1, 1)]))
    >>> pid = store.join(ws.code, "Anna")
    >>> _ = store.place(ws.code, pid, ds.codes[0], 0.5, -0.5, reden="ken de buurt")
    >>> store.placements(ws.code)[["naam", "buurtcode", "draagkracht"]].to_dict("records")
    [{'naam': 'Anna', 'buurtcode': 'BU00010000', 'draagkracht': 0.5}]
    """

    def __init__(self, url: str | None = None, *, cfg: Config | None = None,
                 interventie_check: Callable[[str], bool] | None = None) -> None:
        self.url = opslag.resolve_url(url or opslag.configured_url(cfg))
        self.engine = opslag.get_engine(self.url)
        self.max_afwijking = max_afwijking_from_config(cfg)
        self.verversen_s = verversen_from_config(cfg)
        self._interventie_check = interventie_check
        opslag.migrate(self.engine, "workshop", MIGRATIONS)

    # -- access checks --------------------------------------------------------------------
    @property
    def interventie_check(self) -> Callable[[str], bool]:
        if self._interventie_check is None:
            self._interventie_check = default_interventie_check()
        return self._interventie_check

    def _check_rate(self, conn: Connection, bron: str) -> None:
        # One query: own, group and total failed attempts within the window.
        since = time.time() - POGING_VENSTER_S
        prefix = bron.split("|", 1)[0] + "|" if "|" in bron else None
        groep_expr = (func.substr(pogingen.c.bron, 1, len(prefix)) == prefix) if prefix else (pogingen.c.id < 0)
        eigen, groep, totaal = conn.execute(select(
            func.coalesce(func.sum(case((pogingen.c.bron == bron, 1), else_=0)), 0),
            func.coalesce(func.sum(case((groep_expr, 1), else_=0)), 0),
            func.count(),
        ).where(pogingen.c.tijd > since)).one()
        if eigen >= MAX_POGINGEN_BRON or groep >= MAX_POGINGEN_GROEP or totaal >= MAX_POGINGEN_TOTAAL:
            raise WijkprofielenError(
                f"Te veel mislukte pogingen met een verkeerde code of sleutel. Wacht {POGING_VENSTER_S // 60} minuten "
                "en controleer de code bij de begeleider."
            )

    def _failed(self, bron: str) -> None:
        # Its own transaction: the attempt must count even though the caller gets an error.
        with self.engine.begin() as conn:
            conn.execute(insert(pogingen).values(bron=bron[:80], tijd=time.time()))
            conn.execute(delete(pogingen).where(pogingen.c.tijd < time.time() - 4 * POGING_VENSTER_S))

    def _workshop_row(self, conn: Connection, code: str, bron: str, lock: str | None = None):
        code = normalise_code(code)
        self._check_rate(conn, bron)
        q = select(workshops).where(workshops.c.code == code)
        if lock == "share":
            q = q.with_for_update(read=True)
        elif lock == "update":
            q = q.with_for_update()
        row = conn.execute(q).mappings().first() if code else None
        if row is None:
            raise _UnknownCode()
        return row

    def _guarded(self, bron: str, fn: Callable[[Connection], Any], write: bool = False) -> Any:
        """Run ``fn`` in one transaction; wrong codes/keys are counted against ``bron``."""
        try:
            if write:
                with self.engine.begin() as conn:
                    return fn(conn)
            with opslag.read_only(self.engine.connect()) as conn:
                return fn(conn)
        except _UnknownCode:
            self._failed(bron)
            raise WijkprofielenError(
                "Deze workshopcode bestaat niet. Controleer de code (8 tekens, bijvoorbeeld K7QW-3MZP) bij de begeleider."
            ) from None
        except _WrongKey:
            self._failed(bron)
            raise WijkprofielenError(
                "De begeleiderssleutel klopt niet. Gebruik de sleutel die u kreeg bij het aanmaken van de workshop."
            ) from None

    @staticmethod
    def _check_key(row, facilitator_key: str) -> None:
        if not hmac.compare_digest(row["facilitator_hash"], _hash(str(facilitator_key or ""))):
            raise _WrongKey()

    @staticmethod
    def _participant(conn: Connection, ws_id: int, pid: str):
        row = conn.execute(select(deelnemers).where(deelnemers.c.token_hash == _hash(str(pid or "")),
                                                    deelnemers.c.workshop_id == ws_id)).mappings().first()
        if row is None:
            raise WijkprofielenError(
                "U bent (nog) geen deelnemer van deze workshop. Meld u opnieuw aan met de code en uw naam, "
                "of open uw persoonlijke link."
            )
        return row

    @staticmethod
    def _require_open(row) -> None:
        if row["status"] != OPEN:
            raise WijkprofielenError(
                f"Workshop '{row['naam']}' is gesloten en alleen nog te bekijken; wijzigingen worden niet opgeslagen."
            )

    # -- setting up -----------------------------------------------------------------------
    def create_workshop(self, naam: str, dataset, buurtcodes: Iterable[str], *, recipe: Recipe | None = None,
                        jaar: int | None = None, max_afwijking: float | None = None) -> Workshop:
        """Create a workshop with a frozen copy of the recipe and the data positions.

        Parameters
        ----------
        naam : str
            Shown to participants (max. 120 characters).
        dataset : Dataset
            The buurten are scored on this dataset (all its buurten are the reference).
        buurtcodes : iterable of str
            The buurten on the table (1 – 100, in this order).
        recipe : Recipe, optional
            Defaults to the recipe in ``config.toml``; stored as a frozen copy.
        jaar : int, optional
            Peiljaar of the data positions.
        max_afwijking : float, optional
            Distance from the data position beyond which a reason is required.

        Returns
        -------
        Workshop
            With ``code`` (join code) and ``facilitator_key`` (shown once).
        """
        from ..scoring import score

        naam = clean_text(naam, "de naam van de workshop", MAX_WORKSHOPNAAM)
        codes = list(dict.fromkeys(str(c).strip() for c in buurtcodes))
        if not codes:
            raise DataError("Kies ten minste één buurt voor de workshop.")
        if len(codes) > MAX_BUURTEN:
            raise DataError(f"Een workshop heeft hoogstens {MAX_BUURTEN} buurten ({len(codes)} gekozen). Kies er minder.")
        unknown = [c for c in codes if c not in set(dataset.codes)]
        if unknown:
            raise DataError(f"Deze buurtcodes staan niet in de dataset: {', '.join(unknown[:10])}. Kies buurten uit de dataset.")
        if recipe is None:
            from ..config import load_config

            recipe = load_config().recipe
        afwijking = self.max_afwijking if max_afwijking is None else _finite(max_afwijking, "De maximale afwijking")
        if afwijking <= 0:
            raise DataError("De maximale afwijking moet groter dan 0 zijn.")
        frame = dataset.frame(jaar)
        result = score(frame, recipe)
        info = frame.set_index("buurtcode").loc[codes]
        s = result.scores.reindex(codes)
        bereik = recipe.clip if recipe.normalisatie == "zscore" else 1.0
        facilitator_key = secrets.token_urlsafe(24)
        now = _now()
        rows = [
            {
                "buurtcode": c, "volgorde": i, "buurtnaam": str(info.at[c, "buurtnaam"]), "wijknaam": str(info.at[c, "wijknaam"]),
                "data_draagkracht": _none_if_nan(s.at[c, "draagkracht"]),
                "data_fysieke_kansen": _none_if_nan(s.at[c, "fysieke_kansen"]),
                "kwadrant": str(s.at[c, "kwadrant"]),
            }
            for i, c in enumerate(codes)
        ]
        for _ in range(10):
            code = new_code()
            try:
                with self.engine.begin() as conn:
                    ws_id = conn.execute(insert(workshops).values(
                        code=code, naam=naam, facilitator_hash=_hash(facilitator_key), status=OPEN,
                        dataset_naam=str(dataset.naam)[:200], dataset_fingerprint=str(dataset.fingerprint),
                        synthetisch=bool(dataset.synthetisch), jaar=jaar, recept=json.dumps(recipe.to_dict(), sort_keys=True),
                        max_afwijking=afwijking, bereik=float(bereik), aangemaakt=now, gesloten=None,
                    )).inserted_primary_key[0]
                    conn.execute(insert(buurten), [{"workshop_id": ws_id, **r} for r in rows])
                break
            except IntegrityError:  # code collision: astronomically rare, try another
                continue
        else:  # pragma: no cover
            raise WijkprofielenError("Er kon geen unieke workshopcode worden gemaakt. Probeer het opnieuw.")
        return self.workshop(code, facilitator_key=facilitator_key)

    def workshop(self, code: str, *, bron: str = "", facilitator_key: str | None = None) -> Workshop:
        """The workshop behind a join code (a wrong code counts as a failed attempt)."""

        def fn(conn):
            row = self._workshop_row(conn, code, bron)
            return _workshop_from_row(row, _buurten_frame(conn, row["id"]), facilitator_key)

        return self._guarded(bron, fn)

    def check_facilitator(self, code: str, facilitator_key: str, *, bron: str = "") -> Workshop:
        """The workshop if ``facilitator_key`` is right, else a :class:`WijkprofielenError`."""

        def fn(conn):
            row = self._workshop_row(conn, code, bron)
            self._check_key(row, facilitator_key)
            return _workshop_from_row(row, _buurten_frame(conn, row["id"]))

        return self._guarded(bron, fn)

    # -- joining ----------------------------------------------------------------------------
    def join(self, code: str, naam: str, *, bron: str = "") -> str:
        """Join as a participant; returns the participant id (a secret token).

        Parameters
        ----------
        bron : str
            Who is trying (e.g. a browser session id): failed attempts are rate-limited
            per source and in total.
        """
        naam = clean_text(naam, "uw naam", MAX_NAAM)
        token = secrets.token_urlsafe(16)

        def fn(conn):
            row = self._workshop_row(conn, code, bron, lock="update")
            self._require_open(row)
            n = conn.execute(select(func.coalesce(func.max(deelnemers.c.nummer), 0))
                             .where(deelnemers.c.workshop_id == row["id"])).scalar_one()
            if n >= MAX_DEELNEMERS:
                raise WijkprofielenError(f"Deze workshop is vol ({MAX_DEELNEMERS} deelnemers).")
            conn.execute(insert(deelnemers).values(workshop_id=row["id"], nummer=n + 1, naam=naam,
                                                   token_hash=_hash(token), aangemaakt=_now()))
            return token

        return self._guarded(bron, fn, write=True)

    def participant(self, code: str, pid: str, *, bron: str = "") -> Deelnemer:
        """Who ``pid`` is in this workshop (for a reconnecting browser)."""

        def fn(conn):
            row = self._workshop_row(conn, code, bron)
            p = self._participant(conn, row["id"], pid)
            return Deelnemer(p["nummer"], p["naam"], p["aangemaakt"])

        return self._guarded(bron, fn)

    def participants(self, code: str, *, bron: str = "") -> list[Deelnemer]:
        def fn(conn):
            row = self._workshop_row(conn, code, bron)
            rows = conn.execute(select(deelnemers).where(deelnemers.c.workshop_id == row["id"])
                                .order_by(deelnemers.c.nummer)).mappings()
            return [Deelnemer(p["nummer"], p["naam"], p["aangemaakt"]) for p in rows]

        return self._guarded(bron, fn)

    # -- placing and pinning ----------------------------------------------------------------
    def place(self, code: str, pid: str, buurtcode: str, draagkracht: float, fysieke_kansen: float,
              reden: str = "", *, event_id: str | None = None, bron: str = "") -> str:
        """Place a buurt on the assenkruis (a new event; earlier placements stay).

        A reason is required when the placement lies further than the workshop's
        ``max_afwijking`` from the data position. ``event_id`` makes a retry after a lost
        connection idempotent: the same id is stored once.

        Returns
        -------
        str
            The event id.
        """
        dk = _finite(draagkracht, "Draagkracht")
        fk = _finite(fysieke_kansen, "Fysieke kansen")
        reden = clean_text(reden, "de reden", MAX_REDEN, required=False)
        uid = _event_uid(event_id)

        def fn(conn):
            row = self._workshop_row(conn, code, bron, lock="share")
            self._require_open(row)
            p = self._participant(conn, row["id"], pid)
            b = _buurt_row(conn, row["id"], buurtcode)
            lim = row["bereik"]
            if not (-lim <= dk <= lim and -lim <= fk <= lim):
                raise DataError(f"Een plaatsing ligt tussen −{lim:g} en {lim:g} op beide assen; kies een punt binnen het assenkruis.")
            if b["data_draagkracht"] is not None and b["data_fysieke_kansen"] is not None:
                afstand = math.hypot(dk - b["data_draagkracht"], fk - b["data_fysieke_kansen"])
                if afstand > row["max_afwijking"] and not reden:
                    raise DataError(
                        f"Uw plaatsing van {b['buurtnaam']} ligt {afstand:.1f} van de datapositie (meer dan "
                        f"{row['max_afwijking']:g}). Geef kort aan waarom: die kennis is juist waardevol."
                    )
            if _event_exists(conn, row["id"], uid):
                return uid
            conn.execute(insert(events).values(workshop_id=row["id"], uid=uid, deelnemer_id=p["id"], soort=PLAATS,
                                               buurtcode=b["buurtcode"], draagkracht=dk, fysieke_kansen=fk,
                                               reden=reden, interventie=None, tijd=_now()))
            return uid

        return self._write_idempotent(bron, fn, uid)

    def pin(self, code: str, pid: str, buurtcode: str, interventie_id: str, *, event_id: str | None = None,
            bron: str = "") -> bool:
        """Pin a menukaart intervention on a buurt (at most 5 per participant and buurt).

        Returns
        -------
        bool
            False when this participant had already pinned it (nothing changes).
        """
        return self._pin(code, pid, buurtcode, interventie_id, PIN, event_id, bron)

    def unpin(self, code: str, pid: str, buurtcode: str, interventie_id: str, *, event_id: str | None = None,
              bron: str = "") -> bool:
        """Take a pin away again (an ``unpin`` event). False when it was not pinned."""
        return self._pin(code, pid, buurtcode, interventie_id, UNPIN, event_id, bron)

    def _pin(self, code, pid, buurtcode, interventie_id, soort, event_id, bron) -> bool:
        iid = str(interventie_id or "").strip()
        if not iid or not self.interventie_check(iid):
            raise DataError(f"Interventie {iid[:80]!r} staat niet op de menukaart. Kies een interventie uit de menukaart.")
        uid = _event_uid(event_id)

        def fn(conn):
            row = self._workshop_row(conn, code, bron, lock="share")
            self._require_open(row)
            # Lock the participant row: two pins of one participant cannot both pass the limit.
            p = self._participant(conn, row["id"], pid)
            if conn.dialect.name == "postgresql":
                conn.execute(select(deelnemers.c.id).where(deelnemers.c.id == p["id"]).with_for_update())
            b = _buurt_row(conn, row["id"], buurtcode)
            if _event_exists(conn, row["id"], uid):
                return True
            current = _pins_of(conn, row["id"], p["id"], b["buurtcode"])
            if soort == PIN:
                if iid in current:
                    return False
                if len(current) >= MAX_PINS:
                    raise DataError(
                        f"U heeft al {MAX_PINS} interventies geprikt bij {b['buurtnaam']}. Haal er eerst één weg."
                    )
            elif iid not in current:
                return False
            conn.execute(insert(events).values(workshop_id=row["id"], uid=uid, deelnemer_id=p["id"], soort=soort,
                                               buurtcode=b["buurtcode"], interventie=iid, tijd=_now()))
            return True

        return self._write_idempotent(bron, fn, True)

    def _write_idempotent(self, bron: str, fn, on_duplicate):
        try:
            return self._guarded(bron, fn, write=True)
        except IntegrityError:
            # A concurrent retry with the same event id won the race: it is stored once.
            return on_duplicate

    # -- facilitator ------------------------------------------------------------------------
    def close(self, code: str, facilitator_key: str, *, bron: str = "") -> None:
        """Close the workshop: from now on it is read-only."""

        def fn(conn):
            row = self._workshop_row(conn, code, bron, lock="update")
            self._check_key(row, facilitator_key)
            if row["status"] == GESLOTEN:
                return
            now = _now()
            conn.execute(update(workshops).where(workshops.c.id == row["id"]).values(status=GESLOTEN, gesloten=now))
            conn.execute(insert(events).values(workshop_id=row["id"], uid=uuid.uuid4().hex, deelnemer_id=None,
                                               soort=SLUIT, tijd=now))

        self._guarded(bron, fn, write=True)

    def delete(self, code: str, facilitator_key: str, *, bron: str = "") -> None:
        """Delete the workshop and everything in it (facilitator only; cannot be undone)."""

        def fn(conn):
            row = self._workshop_row(conn, code, bron, lock="update")
            self._check_key(row, facilitator_key)
            for table in (events, deelnemers, buurten):
                conn.execute(delete(table).where(table.c.workshop_id == row["id"]))
            conn.execute(delete(workshops).where(workshops.c.id == row["id"]))

        self._guarded(bron, fn, write=True)

    # -- reading --------------------------------------------------------------------------
    def events(self, code: str, *, bron: str = "") -> pd.DataFrame:
        """All events of a workshop in order: the complete, append-only history."""

        def fn(conn):
            row = self._workshop_row(conn, code, bron)
            return _events_frame(conn, row["id"])

        return self._guarded(bron, fn)

    def placements(self, code: str, *, tot: int | None = None, bron: str = "") -> pd.DataFrame:
        """Current positions: one row per participant and placed buurt.

        Parameters
        ----------
        tot : int, optional
            Replay: the state after the first ``tot`` events of the workshop.

        Returns
        -------
        DataFrame
            Columns ``deelnemer`` (number), ``naam``, ``buurtcode``, ``buurtnaam``,
            ``draagkracht``, ``fysieke_kansen``, ``reden``, ``tijd``, ``data_draagkracht``,
            ``data_fysieke_kansen`` and ``afwijking`` (distance to the data position).
        """

        def fn(conn):
            row = self._workshop_row(conn, code, bron)
            return current_placements(_events_frame(conn, row["id"]), _buurten_frame(conn, row["id"]), tot)

        return self._guarded(bron, fn)

    def pins(self, code: str, *, tot: int | None = None, bron: str = "") -> pd.DataFrame:
        """Current pins: ``deelnemer``, ``naam``, ``buurtcode``, ``interventie``, ``tijd``."""

        def fn(conn):
            row = self._workshop_row(conn, code, bron)
            return current_pins(_events_frame(conn, row["id"]), tot)

        return self._guarded(bron, fn)

    def snapshot(self, code: str, *, bron: str = "") -> tuple[Workshop, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """``(workshop, placements, pins, events)`` read in one go (for the live views)."""

        def fn(conn):
            row = self._workshop_row(conn, code, bron)
            b = _buurten_frame(conn, row["id"])
            ev = _events_frame(conn, row["id"])
            return _workshop_from_row(row, b), current_placements(ev, b), current_pins(ev), ev

        return self._guarded(bron, fn)

    def buurt_placements(self, buurtcode: str, *, alleen_gesloten: bool = False, anoniem: bool = False) -> pd.DataFrame:
        """All workshops' current placements of one buurt (for the wijkprofiel export).

        This reads across workshops without their codes: it is meant for exports made by
        someone with access to the store. ``alleen_gesloten`` keeps only closed (finished)
        workshops; ``anoniem`` replaces names by "Deelnemer n".

        Returns
        -------
        DataFrame
            ``workshop``, ``status``, ``deelnemer`` (name), ``draagkracht``,
            ``fysieke_kansen``, ``reden``, ``tijd``, plus ``data_draagkracht`` and
            ``data_fysieke_kansen`` (the frozen data position in that workshop),
            sorted by workshop creation and time.
        """
        cols = ["workshop", "status", "deelnemer", "draagkracht", "fysieke_kansen", "reden", "tijd",
                "data_draagkracht", "data_fysieke_kansen"]
        with opslag.read_only(self.engine.connect()) as conn:
            ids = conn.execute(select(buurten.c.workshop_id).where(buurten.c.buurtcode == str(buurtcode))).scalars().all()
            parts = []
            for ws_id in ids:
                w = conn.execute(select(workshops).where(workshops.c.id == ws_id)).mappings().first()
                if alleen_gesloten and w["status"] != GESLOTEN:
                    continue
                b = _buurten_frame(conn, ws_id)
                p = current_placements(_events_frame(conn, ws_id, buurtcode=str(buurtcode)), b)
                if len(p):
                    if anoniem:
                        p = p.assign(naam=[f"Deelnemer {n}" for n in p["deelnemer"]])
                    p = p.drop(columns="deelnemer").rename(columns={"naam": "deelnemer"})
                    parts.append(p.assign(workshop=w["naam"], status=w["status"], aangemaakt=w["aangemaakt"]))
        if not parts:
            return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("draagkracht", "fysieke_kansen", "data_draagkracht", "data_fysieke_kansen") else "object") for c in cols})
        out = pd.concat(parts, ignore_index=True).sort_values(["aangemaakt", "tijd"], kind="stable")
        return out[cols].reset_index(drop=True)

    # -- export / import ----------------------------------------------------------------
    def export_dict(self, code: str, facilitator_key: str, *, bron: str = "") -> dict[str, Any]:
        """Everything of a workshop as plain data; :meth:`import_dict` reads it back losslessly."""

        def fn(conn):
            row = self._workshop_row(conn, code, bron)
            self._check_key(row, facilitator_key)
            return _export(conn, row)

        return self._guarded(bron, fn)

    def export_json(self, code: str, facilitator_key: str, *, bron: str = "") -> str:
        """JSON export; ``<``, ``>`` and ``&`` are escaped (``\\u003c`` …) so it is safe in HTML too."""
        return to_safe_json(self.export_dict(code, facilitator_key, bron=bron))

    def export_csv(self, code: str, facilitator_key: str, *, bron: str = "") -> str:
        """CSV of all events with participant names and buurt names (one row per event).

        Texts that a spreadsheet would run as a formula (starting with ``= + - @``) get a
        leading apostrophe.
        """
        data = self.export_dict(code, facilitator_key, bron=bron)
        return events_csv(data)

    def import_dict(self, data: dict[str, Any], *, nieuwe_code: bool = False) -> Workshop:
        """Restore an exported workshop.

        The join code is kept unless it is taken (then a :class:`DataError`) or
        ``nieuwe_code`` is set: the copy then gets a new code and facilitator key.

        Returns
        -------
        Workshop
            With ``facilitator_key`` set only when a new one was made.
        """
        w, b_rows, d_rows, e_rows = _validate_export(data)
        facilitator_key = None
        if nieuwe_code:
            facilitator_key = secrets.token_urlsafe(24)
            w = {**w, "code": new_code(), "facilitator_hash": _hash(facilitator_key)}
        try:
            with self.engine.begin() as conn:
                if conn.execute(select(workshops.c.id).where(workshops.c.code == w["code"])).first():
                    raise DataError(
                        f"Er bestaat al een workshop met code {format_code(w['code'])}. Importeer als kopie met een nieuwe code."
                    )
                ws_id = conn.execute(insert(workshops).values(**w)).inserted_primary_key[0]
                conn.execute(insert(buurten), [{"workshop_id": ws_id, **r} for r in b_rows])
                ids = {}
                for d in d_rows:
                    ids[d["nummer"]] = conn.execute(insert(deelnemers).values(workshop_id=ws_id, **d)).inserted_primary_key[0]
                if e_rows:
                    conn.execute(insert(events), [
                        {"workshop_id": ws_id, **{k: v for k, v in e.items() if k != "deelnemer"},
                         "deelnemer_id": ids.get(e["deelnemer"])}
                        for e in e_rows
                    ])
        except IntegrityError:
            raise DataError(
                "Deze export bevat dubbele deelnemers of gebeurtenissen en kan niet worden geïmporteerd. "
                "Gebruik een onbewerkte export van wijkprofielen."
            ) from None
        return self.workshop(w["code"], facilitator_key=facilitator_key)

    def import_json(self, text: str | bytes, *, nieuwe_code: bool = False) -> Workshop:
        """Restore a workshop from :meth:`export_json` output."""
        try:
            data = json.loads(text)
        except (ValueError, UnicodeDecodeError) as exc:
            raise DataError(f"Het bestand is geen geldige JSON ({exc}). Gebruik een workshopexport (.json).") from None
        return self.import_dict(data, nieuwe_code=nieuwe_code)


# -- derived state (pure functions on the event table) -------------------------------------
class _UnknownCode(Exception):
    pass


class _WrongKey(Exception):
    pass


def _none_if_nan(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def _event_uid(event_id: str | None) -> str:
    if event_id is None:
        return uuid.uuid4().hex
    uid = str(event_id)
    if not re.fullmatch(r"[A-Za-z0-9_-]{8,40}", uid):
        raise DataError("Ongeldige gebeurtenis-id (8–40 letters, cijfers, _ of -).")
    return uid


def _event_exists(conn: Connection, ws_id: int, uid: str) -> bool:
    return conn.execute(select(events.c.id).where(events.c.workshop_id == ws_id, events.c.uid == uid)).first() is not None


def _buurt_row(conn: Connection, ws_id: int, buurtcode: str):
    row = conn.execute(select(buurten).where(buurten.c.workshop_id == ws_id,
                                             buurten.c.buurtcode == str(buurtcode))).mappings().first()
    if row is None:
        raise DataError(f"Buurt {str(buurtcode)[:20]!r} ligt niet op tafel in deze workshop. Kies een buurt uit de lijst.")
    return row


def _pins_of(conn: Connection, ws_id: int, deelnemer_id: int, buurtcode: str) -> list[str]:
    rows = conn.execute(select(events.c.soort, events.c.interventie).where(
        events.c.workshop_id == ws_id, events.c.deelnemer_id == deelnemer_id, events.c.buurtcode == buurtcode,
        events.c.soort.in_([PIN, UNPIN])).order_by(events.c.id)).all()
    current: dict[str, None] = {}
    for soort, iid in rows:
        if soort == PIN:
            current[iid] = None
        else:
            current.pop(iid, None)
    return list(current)


def _buurten_frame(conn: Connection, ws_id: int) -> pd.DataFrame:
    rows = conn.execute(select(buurten).where(buurten.c.workshop_id == ws_id).order_by(buurten.c.volgorde)).mappings().all()
    df = pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in buurten.columns])
    df["data_draagkracht"] = pd.to_numeric(df["data_draagkracht"]).astype("float64")
    df["data_fysieke_kansen"] = pd.to_numeric(df["data_fysieke_kansen"]).astype("float64")
    return df.drop(columns="workshop_id")


EVENT_COLUMNS = ["volgnummer", "uid", "deelnemer", "naam", "soort", "buurtcode", "draagkracht", "fysieke_kansen",
                 "reden", "interventie", "tijd"]


def _events_frame(conn: Connection, ws_id: int, buurtcode: str | None = None) -> pd.DataFrame:
    q = (select(events.c.id, events.c.uid, deelnemers.c.nummer, deelnemers.c.naam, events.c.soort, events.c.buurtcode,
                events.c.draagkracht, events.c.fysieke_kansen, events.c.reden, events.c.interventie, events.c.tijd)
         .select_from(events.outerjoin(deelnemers, events.c.deelnemer_id == deelnemers.c.id))
         .where(events.c.workshop_id == ws_id).order_by(events.c.id))
    if buurtcode is not None:
        q = q.where(events.c.buurtcode == buurtcode)
    rows = conn.execute(q).all()
    df = pd.DataFrame([tuple(r) for r in rows], columns=["id", *EVENT_COLUMNS[1:]])
    # The stored ids are global; the per-workshop sequence number is what replays use.
    df.insert(0, "volgnummer", np.arange(1, len(df) + 1))
    df = df.drop(columns="id")
    for c in ("draagkracht", "fysieke_kansen"):
        df[c] = pd.to_numeric(df[c]).astype("float64")
    df["deelnemer"] = df["deelnemer"].astype("Int64")
    return df


def current_placements(ev: pd.DataFrame, b: pd.DataFrame, tot: int | None = None) -> pd.DataFrame:
    """The latest placement per participant and buurt, from the events (optionally the first ``tot``)."""
    if tot is not None:
        ev = ev[ev["volgnummer"] <= tot]
    p = ev[ev["soort"] == PLAATS].drop_duplicates(["deelnemer", "buurtcode"], keep="last")
    p = p.merge(b[["buurtcode", "buurtnaam", "volgorde", "data_draagkracht", "data_fysieke_kansen"]], on="buurtcode", how="left")
    p["afwijking"] = np.hypot(p["draagkracht"] - p["data_draagkracht"], p["fysieke_kansen"] - p["data_fysieke_kansen"])
    p = p.sort_values(["volgorde", "deelnemer"], kind="stable")
    p["deelnemer"] = p["deelnemer"].astype("int64")
    return p[PLACEMENT_COLUMNS].reset_index(drop=True)


def current_pins(ev: pd.DataFrame, tot: int | None = None) -> pd.DataFrame:
    """Pins that are on the board now (pin events not undone by a later unpin)."""
    if tot is not None:
        ev = ev[ev["volgnummer"] <= tot]
    pe = ev[ev["soort"].isin([PIN, UNPIN])]
    state: dict[tuple, Any] = {}
    for r in pe.itertuples(index=False):
        key = (r.deelnemer, r.buurtcode, r.interventie)
        if r.soort == PIN:
            state[key] = r
        else:
            state.pop(key, None)
    cols = ["deelnemer", "naam", "buurtcode", "interventie", "tijd"]
    out = pd.DataFrame([{c: getattr(r, c) for c in cols} for r in state.values()], columns=cols)
    out["deelnemer"] = out["deelnemer"].astype("int64")
    return out


def _workshop_from_row(row, b: pd.DataFrame, facilitator_key: str | None = None) -> Workshop:
    return Workshop(
        code=row["code"], naam=row["naam"], status=row["status"], dataset_naam=row["dataset_naam"],
        dataset_fingerprint=row["dataset_fingerprint"], synthetisch=bool(row["synthetisch"]), jaar=row["jaar"],
        recept=json.loads(row["recept"]), max_afwijking=float(row["max_afwijking"]), bereik=float(row["bereik"]),
        aangemaakt=row["aangemaakt"], gesloten=row["gesloten"], buurten=b, facilitator_key=facilitator_key,
    )


# -- export format ------------------------------------------------------------------------
_WS_FIELDS = ["code", "naam", "facilitator_hash", "status", "dataset_naam", "dataset_fingerprint", "synthetisch",
              "jaar", "recept", "max_afwijking", "bereik", "aangemaakt", "gesloten"]
_B_FIELDS = ["buurtcode", "volgorde", "buurtnaam", "wijknaam", "data_draagkracht", "data_fysieke_kansen", "kwadrant"]
_D_FIELDS = ["nummer", "naam", "token_hash", "aangemaakt"]
_E_FIELDS = ["uid", "deelnemer", "soort", "buurtcode", "draagkracht", "fysieke_kansen", "reden", "interventie", "tijd"]


def _export(conn: Connection, row) -> dict[str, Any]:
    w = {k: row[k] for k in _WS_FIELDS}
    w["recept"] = json.loads(w["recept"])
    w["synthetisch"] = bool(w["synthetisch"])
    b = [{k: r[k] for k in _B_FIELDS} for r in conn.execute(
        select(buurten).where(buurten.c.workshop_id == row["id"]).order_by(buurten.c.volgorde)).mappings()]
    d = [{k: r[k] for k in _D_FIELDS} for r in conn.execute(
        select(deelnemers).where(deelnemers.c.workshop_id == row["id"]).order_by(deelnemers.c.nummer)).mappings()]
    q = (select(events, deelnemers.c.nummer.label("deelnemer"))
         .select_from(events.outerjoin(deelnemers, events.c.deelnemer_id == deelnemers.c.id))
         .where(events.c.workshop_id == row["id"]).order_by(events.c.id))
    e = [{k: r[k] for k in _E_FIELDS} for r in conn.execute(q).mappings()]
    return {"formaat": EXPORT_FORMAAT, "versie": EXPORT_VERSIE, "workshop": w, "buurten": b, "deelnemers": d, "events": e}


def _validate_export(data: Any) -> tuple[dict, list, list, list]:
    def bad(what: str):
        return DataError(f"Dit is geen geldige workshopexport: {what}. Gebruik een .json-export van wijkprofielen.")

    if not isinstance(data, dict) or data.get("formaat") != EXPORT_FORMAAT:
        raise bad("het veld 'formaat' ontbreekt of klopt niet")
    if data.get("versie") != EXPORT_VERSIE:
        raise bad(f"versie {data.get('versie')!r} wordt niet ondersteund (verwacht {EXPORT_VERSIE})")
    try:
        w = {k: data["workshop"][k] for k in _WS_FIELDS}
        b = [{k: r[k] for k in _B_FIELDS} for r in data["buurten"]]
        d = [{k: r[k] for k in _D_FIELDS} for r in data["deelnemers"]]
        e = [{k: r[k] for k in _E_FIELDS} for r in data["events"]]
    except (KeyError, TypeError) as exc:
        raise bad(f"veld {exc} ontbreekt") from None
    w["code"] = normalise_code(w["code"])
    if not re.fullmatch(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}", w["code"]):
        raise bad("de code is ongeldig")
    recipe_from_dict(w["recept"])  # raises ConfigError on a broken recipe
    w["recept"] = json.dumps(w["recept"], sort_keys=True)
    w["naam"] = clean_text(w["naam"], "de naam van de workshop", MAX_WORKSHOPNAAM)
    if w["status"] not in (OPEN, GESLOTEN):
        raise bad(f"status {w['status']!r}")
    for r in d:
        if r["naam"] != clean_text(r["naam"], "de naam van een deelnemer", MAX_NAAM):
            raise bad("een deelnemersnaam bevat ongeldige tekens")
    nummers = {r["nummer"] for r in d}
    codes = {r["buurtcode"] for r in b}
    for r in e:
        if r["soort"] not in (PLAATS, PIN, UNPIN, SLUIT):
            raise bad(f"onbekende gebeurtenis {r['soort']!r}")
        if r["soort"] != SLUIT and (r["deelnemer"] not in nummers or r["buurtcode"] not in codes):
            raise bad("een gebeurtenis verwijst naar een onbekende deelnemer of buurt")
        if r["reden"] is not None and len(r["reden"]) > MAX_REDEN:
            raise bad("een reden is te lang")
    return w, b, d, e


def to_safe_json(data: Any) -> str:
    """JSON with ``<``, ``>``, ``&`` escaped as unicode escapes: identical after parsing."""
    text = json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in a text cell (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def events_csv(data: dict[str, Any]) -> str:
    """One CSV row per event of an export dict, with names resolved."""
    namen = {d["nummer"]: d["naam"] for d in data["deelnemers"]}
    bn = {b["buurtcode"]: b["buurtnaam"] for b in data["buurten"]}
    rows = [{
        "workshop": data["workshop"]["naam"], "volgnummer": i, "tijd": e["tijd"], "soort": e["soort"],
        "deelnemer": e["deelnemer"], "naam": namen.get(e["deelnemer"]), "buurtcode": e["buurtcode"],
        "buurtnaam": bn.get(e["buurtcode"]), "draagkracht": e["draagkracht"], "fysieke_kansen": e["fysieke_kansen"],
        "reden": e["reden"], "interventie": e["interventie"],
    } for i, e in enumerate(data["events"], 1)]
    df = pd.DataFrame(rows, columns=["workshop", "volgnummer", "tijd", "soort", "deelnemer", "naam", "buurtcode",
                                     "buurtnaam", "draagkracht", "fysieke_kansen", "reden", "interventie"])
    for c in ("workshop", "naam", "buurtnaam", "reden", "interventie"):
        df[c] = df[c].map(csv_safe)
    return df.to_csv(index=False)
