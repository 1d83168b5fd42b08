"""The workshop store: append-only events in SQLite or PostgreSQL.

Every placement and pin is an event row (participant, buurt, values, time). Nothing is
updated or overwritten; the current state is derived from the events (:mod:`.events`), so
a workshop can be replayed up to any event. Writes run in one transaction each, so a crash
never leaves half an event; on SQLite the write lock is taken at ``BEGIN`` (see
:mod:`wijkprofielen.opslag`), on PostgreSQL writers share a row lock on the workshop that
closing takes exclusively.

Secrets: the join code (8 characters from a 31-letter alphabet, ~40 bits, plus the limits
on failed attempts in :mod:`.ratelimit`), the facilitator key and the participant tokens
(``secrets.token_urlsafe``, 192 and 128 bits). Only SHA-256 hashes of the key and tokens
are stored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import secrets
import uuid
from collections.abc import Callable, Collection, Iterable
from typing import Any

import pandas as pd
from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from .. import opslag
from ..config import Recipe, WorkshopSettings
from ..errors import DataError, WijkprofielenError
from ..menukaart import default_menukaart
from ..reference import ReferenceSet
from ..scoring import score
from . import ratelimit
from .events import (
    GESLOTEN,
    OPEN,
    PIN,
    PLAATS,
    SLUIT,
    UNPIN,
    Deelnemer,
    Workshop,
    buurt_row,
    buurten_frame,
    current_placements,
    current_pins,
    events_frame,
    none_if_nan,
    pins_of,
    workshop_from_row,
)
from .exchange import events_csv, export_workshop, to_safe_json, validate_export
from .schema import MIGRATIONS, buurten, deelnemers, events, workshops
from .text import (
    MAX_BUURTEN,
    MAX_DEELNEMERS,
    MAX_NAAM,
    MAX_PINS,
    MAX_REDEN,
    MAX_WORKSHOPNAAM,
    clean_text,
    event_uid,
    finite_number,
    format_code,
    new_code,
    normalise_code,
)

DEFAULT_MAX_AFWIJKING = WorkshopSettings.max_afwijking
DEFAULT_VERVERSEN_S = WorkshopSettings.verversen_s


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class _UnknownCode(Exception):
    pass


class _WrongKey(Exception):
    pass


class _NotParticipant(Exception):
    pass


class WorkshopStore:
    """Workshops in a database (SQLite file or PostgreSQL).

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL; defaults to ``$WIJKPROFIELEN_DATABASE`` or the default SQLite file.
    menukaart : Menukaart or collection of str, optional
        The catalogue whose ids may be pinned (``id in menukaart``): pass the configured
        one (``[menukaart] pad``); default the built-in catalogue.
    max_afwijking : float
        Default distance from the data position beyond which a reason is required.
    verversen_s : float
        Seconds between refreshes of the live view (read by the page).

    Examples
    --------
    >>> from wijkprofielen.testing import grid_dataset, simple_recipe
    >>> store = WorkshopStore("sqlite://", menukaart={"groen"})
    >>> ds = grid_dataset({"a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0]})
    >>> ws = store.create_workshop("Proef", ds, ds.codes[:2], recipe=simple_recipe([("a", 1, 1)], [("b", 1, 1)]))
    >>> pid = store.join(ws.code, "Anna")
    >>> _ = store.place(ws.code, pid, ds.codes[0], 0.5, -0.5, reden="ken de buurt")
    >>> store.pin(ws.code, pid, ds.codes[0], "groen")
    True
    >>> store.placements(ws.code)[["naam", "buurtcode", "draagkracht"]].to_dict("records")
    [{'naam': 'Anna', 'buurtcode': 'BU00010000', 'draagkracht': 0.5}]
    """

    def __init__(self, url: str | None = None, *, menukaart: Collection[str] | None = None,
                 max_afwijking: float = DEFAULT_MAX_AFWIJKING, verversen_s: float = DEFAULT_VERVERSEN_S) -> None:
        self.url = opslag.resolve_url(url or opslag.configured_url())
        self.engine = opslag.get_engine(self.url)
        self.max_afwijking = float(max_afwijking)
        self.verversen_s = float(verversen_s)
        self._menukaart = menukaart
        opslag.migrate(self.engine, "workshop", MIGRATIONS)

    @property
    def menukaart(self) -> Collection[str]:
        """The ids that may be pinned."""
        if self._menukaart is None:
            self._menukaart = default_menukaart()
        return self._menukaart

    # -- access checks --------------------------------------------------------------------
    def _open(self, conn: Connection, code: str, bron: str, lock: str | None = None, *,
              key: str | None = None, pid: str | None = None):
        """The workshop row of ``code`` (and the participant row when ``pid`` is given).

        A valid facilitator key or participant token passes at once; everything else is
        first checked against the limits on failed attempts of ``bron``.
        """
        code = normalise_code(code)
        q = select(workshops).where(workshops.c.code == code)
        if lock == "share":
            q = q.with_for_update(read=True)
        elif lock == "update":
            q = q.with_for_update()
        row = conn.execute(q).mappings().first() if code else None
        participant = None
        if row is not None:
            if key is not None and hmac.compare_digest(row["facilitator_hash"], _hash(str(key))):
                return row, None
            if pid is not None:
                participant = conn.execute(select(deelnemers).where(
                    deelnemers.c.token_hash == _hash(str(pid)), deelnemers.c.workshop_id == row["id"])).mappings().first()
                if participant is not None:
                    return row, participant
        ratelimit.check(conn, bron, code)
        if row is None:
            raise _UnknownCode(code)
        if key is not None:
            raise _WrongKey(code)
        if pid is not None:
            raise _NotParticipant(code)
        return row, None

    def _guarded(self, bron: str, fn: Callable[[Connection], Any], write: bool = False) -> Any:
        """Run ``fn`` in one transaction; a wrong code, key or link counts against ``bron``."""
        try:
            if write:
                with self.engine.begin() as conn:
                    return fn(conn)
            with opslag.read_only(self.engine.connect()) as conn:
                return fn(conn)
        except _UnknownCode as exc:
            ratelimit.record(self.engine, bron, str(exc))
            raise WijkprofielenError(
                "Deze workshopcode bestaat niet. Controleer de code (8 tekens, bijvoorbeeld K7QW-3MZP) bij de begeleider."
            ) from None
        except _WrongKey:
            ratelimit.record(self.engine, bron)
            raise WijkprofielenError(
                "De begeleiderssleutel klopt niet. Gebruik de sleutel die u kreeg bij het aanmaken van de workshop."
            ) from None
        except _NotParticipant:
            ratelimit.record(self.engine, bron)
            raise WijkprofielenError(
                "U bent (nog) geen deelnemer van deze workshop. Meld u opnieuw aan met de code en uw naam, "
                "of open uw persoonlijke link."
            ) from None

    @staticmethod
    def _require_open(row) -> None:
        if row["status"] != OPEN:
            raise WijkprofielenError(
                f"Workshop '{row['naam']}' is gesloten en alleen nog te bekijken; wijzigingen worden niet opgeslagen."
            )

    # -- setting up -----------------------------------------------------------------------
    def create_workshop(self, naam: str, dataset, buurtcodes: Iterable[str], *, recipe: Recipe,
                        reference: ReferenceSet | None = None, jaar: int | None = None,
                        max_afwijking: float | None = None) -> Workshop:
        """Create a workshop with a frozen copy of the recipe and the data positions.

        Parameters
        ----------
        naam : str
            Shown to participants (max. 120 characters).
        dataset : Dataset
            The buurten are scored on this dataset.
        buurtcodes : iterable of str
            The buurten on the table (1 – 100, in this order).
        recipe : Recipe
            The scoring recipe; stored as a frozen copy.
        reference : ReferenceSet, optional
            The recipe's external reference (``Workspace.reference``); required when the
            recipe compares with ``nederland`` or ``stedelijkheid``.
        jaar : int, optional
            Peiljaar of the data positions.
        max_afwijking : float, optional
            Distance from the data position beyond which a reason is required; default
            the store's ``max_afwijking``.

        Returns
        -------
        Workshop
            With ``code`` (join code) and ``facilitator_key`` (shown once).
        """
        naam = clean_text(naam, "de naam van de workshop", MAX_WORKSHOPNAAM)
        codes = list(dict.fromkeys(str(c).strip() for c in buurtcodes))
        if not codes:
            raise DataError("Kies ten minste één buurt voor de workshop.")
        if len(codes) > MAX_BUURTEN:
            raise DataError(f"Een workshop heeft hoogstens {MAX_BUURTEN} buurten ({len(codes)} gekozen). Kies er minder.")
        unknown = [c for c in codes if c not in set(dataset.codes)]
        if unknown:
            raise DataError(f"Deze buurtcodes staan niet in de dataset: {', '.join(unknown[:10])}. Kies buurten uit de dataset.")
        afwijking = self.max_afwijking if max_afwijking is None else finite_number(max_afwijking, "De maximale afwijking")
        if afwijking <= 0:
            raise DataError("De maximale afwijking moet groter dan 0 zijn.")
        frame = dataset.frame(jaar)
        result = score(frame, recipe, reference)
        info = frame.set_index("buurtcode").loc[codes]
        s = result.scores.reindex(codes)
        bereik = recipe.clip if recipe.normalisatie == "zscore" else 1.0
        facilitator_key = secrets.token_urlsafe(24)
        now = opslag.utcnow()
        rows = [
            {
                "buurtcode": c, "volgorde": i, "buurtnaam": str(info.at[c, "buurtnaam"]), "wijknaam": str(info.at[c, "wijknaam"]),
                "data_draagkracht": none_if_nan(s.at[c, "draagkracht"]),
                "data_fysieke_kansen": none_if_nan(s.at[c, "fysieke_kansen"]),
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
        """The workshop behind a join code (a wrong code counts as a failed attempt).

        ``facilitator_key`` is only copied onto the result (for the creator), not checked.
        """

        def fn(conn):
            row, _ = self._open(conn, code, bron)
            return workshop_from_row(row, buurten_frame(conn, row["id"]), facilitator_key)

        return self._guarded(bron, fn)

    def check_facilitator(self, code: str, facilitator_key: str, *, bron: str = "") -> Workshop:
        """The workshop if ``facilitator_key`` is right, else a :class:`WijkprofielenError`."""

        def fn(conn):
            row, _ = self._open(conn, code, bron, key=facilitator_key or "")
            return workshop_from_row(row, buurten_frame(conn, row["id"]))

        return self._guarded(bron, fn)

    # -- joining ----------------------------------------------------------------------------
    def join(self, code: str, naam: str, *, bron: str = "") -> str:
        """Join as a participant; returns the participant id (a secret token).

        Parameters
        ----------
        bron : str
            Who is trying (e.g. ``"ip:…|sessie:…"``): failed attempts slow down that
            source, its network address and the unknown code it tried (:mod:`.ratelimit`).
        """
        naam = clean_text(naam, "uw naam", MAX_NAAM)
        token = secrets.token_urlsafe(16)

        def fn(conn):
            row, _ = self._open(conn, code, bron, lock="update")
            self._require_open(row)
            n = conn.execute(select(func.coalesce(func.max(deelnemers.c.nummer), 0))
                             .where(deelnemers.c.workshop_id == row["id"])).scalar_one()
            if n >= MAX_DEELNEMERS:
                raise WijkprofielenError(f"Deze workshop is vol ({MAX_DEELNEMERS} deelnemers).")
            conn.execute(insert(deelnemers).values(workshop_id=row["id"], nummer=n + 1, naam=naam,
                                                   token_hash=_hash(token), aangemaakt=opslag.utcnow()))
            return token

        return self._guarded(bron, fn, write=True)

    def participant(self, code: str, pid: str, *, bron: str = "") -> Deelnemer:
        """Who ``pid`` is in this workshop (for a reconnecting browser)."""

        def fn(conn):
            _, p = self._open(conn, code, bron, pid=pid or "")
            return Deelnemer(p["nummer"], p["naam"], p["aangemaakt"])

        return self._guarded(bron, fn)

    def participants(self, code: str, *, bron: str = "") -> list[Deelnemer]:
        def fn(conn):
            row, _ = self._open(conn, code, bron)
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
        connection idempotent: the same placement by the same participant is stored once;
        the id used for anything else is refused.

        Returns
        -------
        str
            The event id.
        """
        dk = finite_number(draagkracht, "Draagkracht")
        fk = finite_number(fysieke_kansen, "Fysieke kansen")
        reden = clean_text(reden, "de reden", MAX_REDEN, required=False)
        uid = event_uid(event_id)

        def fn(conn):
            row, p = self._open(conn, code, bron, lock="share", pid=pid or "")
            self._require_open(row)
            b = buurt_row(conn, row["id"], buurtcode)
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
            content = {"deelnemer_id": p["id"], "soort": PLAATS, "buurtcode": b["buurtcode"], "draagkracht": dk,
                       "fysieke_kansen": fk, "reden": reden, "interventie": None}
            if _stored_before(conn, row["id"], uid, content):
                return uid
            conn.execute(insert(events).values(workshop_id=row["id"], uid=uid, tijd=opslag.utcnow(), **content))
            return uid

        return self._write_idempotent(bron, fn)

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
        if not iid or iid not in self.menukaart:
            raise DataError(f"Interventie {iid[:80]!r} staat niet op de menukaart. Kies een interventie uit de menukaart.")
        uid = event_uid(event_id)

        def fn(conn):
            row, p = self._open(conn, code, bron, lock="share", pid=pid or "")
            self._require_open(row)
            # Lock the participant row: two pins of one participant cannot both pass the limit.
            if conn.dialect.name == "postgresql":
                conn.execute(select(deelnemers.c.id).where(deelnemers.c.id == p["id"]).with_for_update())
            b = buurt_row(conn, row["id"], buurtcode)
            content = {"deelnemer_id": p["id"], "soort": soort, "buurtcode": b["buurtcode"], "draagkracht": None,
                       "fysieke_kansen": None, "reden": None, "interventie": iid}
            if _stored_before(conn, row["id"], uid, content):
                return True
            current = pins_of(conn, row["id"], p["id"], b["buurtcode"])
            if soort == PIN:
                if iid in current:
                    return False
                if len(current) >= MAX_PINS:
                    raise DataError(
                        f"U heeft al {MAX_PINS} interventies geprikt bij {b['buurtnaam']}. Haal er eerst één weg."
                    )
            elif iid not in current:
                return False
            conn.execute(insert(events).values(workshop_id=row["id"], uid=uid, tijd=opslag.utcnow(), **content))
            return True

        return self._write_idempotent(bron, fn)

    def _write_idempotent(self, bron: str, fn):
        try:
            return self._guarded(bron, fn, write=True)
        except IntegrityError:
            # A concurrent write with the same event id won the race: the second attempt
            # finds it (the same event: success, stored once; another: refused).
            return self._guarded(bron, fn, write=True)

    # -- facilitator ------------------------------------------------------------------------
    def close(self, code: str, facilitator_key: str, *, bron: str = "") -> None:
        """Close the workshop: from now on it is read-only."""

        def fn(conn):
            row, _ = self._open(conn, code, bron, lock="update", key=facilitator_key or "")
            if row["status"] == GESLOTEN:
                return
            now = opslag.utcnow()
            conn.execute(update(workshops).where(workshops.c.id == row["id"]).values(status=GESLOTEN, gesloten=now))
            conn.execute(insert(events).values(workshop_id=row["id"], uid=uuid.uuid4().hex, deelnemer_id=None,
                                               soort=SLUIT, tijd=now))

        self._guarded(bron, fn, write=True)

    def delete(self, code: str, facilitator_key: str, *, bron: str = "") -> None:
        """Delete the workshop and everything in it (facilitator only; cannot be undone)."""

        def fn(conn):
            row, _ = self._open(conn, code, bron, lock="update", key=facilitator_key or "")
            for table in (events, deelnemers, buurten):
                conn.execute(delete(table).where(table.c.workshop_id == row["id"]))
            conn.execute(delete(workshops).where(workshops.c.id == row["id"]))

        self._guarded(bron, fn, write=True)

    # -- reading --------------------------------------------------------------------------
    def events(self, code: str, *, bron: str = "") -> pd.DataFrame:
        """All events of a workshop in order: the complete, append-only history."""

        def fn(conn):
            row, _ = self._open(conn, code, bron)
            return events_frame(conn, row["id"])

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
            ``draagkracht``, ``fysieke_kansen``, ``reden``, ``tijd`` (UTC),
            ``data_draagkracht``, ``data_fysieke_kansen`` and ``afwijking`` (distance to
            the data position).
        """

        def fn(conn):
            row, _ = self._open(conn, code, bron)
            return current_placements(events_frame(conn, row["id"]), buurten_frame(conn, row["id"]), tot)

        return self._guarded(bron, fn)

    def pins(self, code: str, *, tot: int | None = None, bron: str = "") -> pd.DataFrame:
        """Current pins: ``deelnemer``, ``naam``, ``buurtcode``, ``interventie``, ``tijd``."""

        def fn(conn):
            row, _ = self._open(conn, code, bron)
            return current_pins(events_frame(conn, row["id"]), tot)

        return self._guarded(bron, fn)

    def snapshot(self, code: str, *, bron: str = "") -> tuple[Workshop, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """``(workshop, placements, pins, events)`` read in one go (for the live views)."""

        def fn(conn):
            row, _ = self._open(conn, code, bron)
            b = buurten_frame(conn, row["id"])
            ev = events_frame(conn, row["id"])
            return workshop_from_row(row, b), current_placements(ev, b), current_pins(ev), ev

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
                b = buurten_frame(conn, ws_id)
                p = current_placements(events_frame(conn, ws_id, buurtcode=str(buurtcode)), b)
                if len(p):
                    if anoniem:
                        p = p.assign(naam=[f"Deelnemer {n}" for n in p["deelnemer"]])
                    p = p.drop(columns="deelnemer").rename(columns={"naam": "deelnemer"})
                    parts.append(p.assign(workshop=w["naam"], status=w["status"], aangemaakt=w["aangemaakt"]))
        if not parts:
            floats = ("draagkracht", "fysieke_kansen", "data_draagkracht", "data_fysieke_kansen")
            return pd.DataFrame({c: pd.Series(dtype="float64" if c in floats else "datetime64[ns, UTC]" if c == "tijd"
                                              else "object") for c in cols})
        out = pd.concat(parts, ignore_index=True).sort_values(["aangemaakt", "tijd"], kind="stable")
        return out[cols].reset_index(drop=True)

    # -- export / import ----------------------------------------------------------------
    def export_dict(self, code: str, facilitator_key: str, *, bron: str = "") -> dict[str, Any]:
        """Everything of a workshop as plain data; :meth:`import_dict` reads it back losslessly."""

        def fn(conn):
            row, _ = self._open(conn, code, bron, key=facilitator_key or "")
            return export_workshop(conn, row)

        return self._guarded(bron, fn)

    def export_json(self, code: str, facilitator_key: str, *, bron: str = "") -> str:
        """JSON export; ``<``, ``>`` and ``&`` are escaped (``\\u003c`` …) so it is safe in HTML too."""
        return to_safe_json(self.export_dict(code, facilitator_key, bron=bron))

    def export_csv(self, code: str, facilitator_key: str, *, bron: str = "", titels: dict[str, str] | None = None) -> str:
        """CSV of all events with participant names and buurt names (one row per event), and with
        ``titels`` (menukaart id → title) the title of each pinned intervention.

        Texts that a spreadsheet would run as a formula (starting with ``= + - @``) get a
        leading apostrophe.
        """
        return events_csv(self.export_dict(code, facilitator_key, bron=bron), titels)

    def import_dict(self, data: dict[str, Any], *, nieuwe_code: bool = False) -> Workshop:
        """Restore an exported workshop.

        The join code is kept unless it is taken (then a :class:`DataError`) or
        ``nieuwe_code`` is set: the copy then gets a new code and facilitator key.

        Returns
        -------
        Workshop
            With ``facilitator_key`` set only when a new one was made.
        """
        w, b_rows, d_rows, e_rows = validate_export(data)
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


def _stored_before(conn: Connection, ws_id: int, uid: str, content: dict[str, Any]) -> bool:
    """True when event ``uid`` is already stored with this content (a retry).

    Raises
    ------
    DataError
        When the id is taken by another event (another participant's, or different content).
    """
    stored = conn.execute(select(*(events.c[k] for k in content)).where(
        events.c.workshop_id == ws_id, events.c.uid == uid)).mappings().first()
    if stored is None:
        return False
    if dict(stored) != content:
        raise DataError(
            f"Gebeurtenis-id {uid!r} is al gebruikt voor een andere plaatsing of prikker; er is niets opgeslagen. "
            "Probeer het opnieuw zonder die id (de app kiest dan zelf een nieuwe)."
        )
    return True
