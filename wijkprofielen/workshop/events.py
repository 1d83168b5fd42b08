"""Workshops as seen by their users, and the current state replayed from the events.

Nothing in a workshop is updated in place: a placement or pin is an event, and what is on
the board now (optionally after the first ``tot`` events) is derived here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from ..config import Recipe, recipe_from_dict
from ..errors import DataError
from .schema import buurten, deelnemers, events

OPEN, GESLOTEN = "open", "gesloten"
PLAATS, PIN, UNPIN, SLUIT = "plaats", "pin", "unpin", "sluit"

PLACEMENT_COLUMNS = ["deelnemer", "naam", "buurtcode", "buurtnaam", "draagkracht", "fysieke_kansen", "reden",
                     "tijd", "data_draagkracht", "data_fysieke_kansen", "afwijking"]
EVENT_COLUMNS = ["volgnummer", "uid", "deelnemer", "naam", "soort", "buurtcode", "draagkracht", "fysieke_kansen",
                 "reden", "interventie", "tijd"]


@dataclass(frozen=True)
class Workshop:
    """A workshop as seen with its join code.

    ``facilitator_key`` is only set on the object returned by
    :meth:`WorkshopStore.create_workshop` (it is stored hashed, never shown again).
    ``aangemaakt`` and ``gesloten`` are timezone-aware (UTC).
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
    aangemaakt: datetime
    gesloten: datetime | None
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
    aangemaakt: datetime


def workshop_from_row(row, b: pd.DataFrame, facilitator_key: str | None = None) -> Workshop:
    return Workshop(
        code=row["code"], naam=row["naam"], status=row["status"], dataset_naam=row["dataset_naam"],
        dataset_fingerprint=row["dataset_fingerprint"], synthetisch=bool(row["synthetisch"]), jaar=row["jaar"],
        recept=json.loads(row["recept"]), max_afwijking=float(row["max_afwijking"]), bereik=float(row["bereik"]),
        aangemaakt=row["aangemaakt"], gesloten=row["gesloten"], buurten=b, facilitator_key=facilitator_key,
    )


def none_if_nan(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def buurt_row(conn: Connection, ws_id: int, buurtcode: str):
    row = conn.execute(select(buurten).where(buurten.c.workshop_id == ws_id,
                                             buurten.c.buurtcode == str(buurtcode))).mappings().first()
    if row is None:
        raise DataError(f"Buurt {str(buurtcode)[:20]!r} ligt niet op tafel in deze workshop. Kies een buurt uit de lijst.")
    return row


def pins_of(conn: Connection, ws_id: int, deelnemer_id: int, buurtcode: str) -> list[str]:
    """The interventions one participant has pinned on one buurt now."""
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


def buurten_frame(conn: Connection, ws_id: int) -> pd.DataFrame:
    rows = conn.execute(select(buurten).where(buurten.c.workshop_id == ws_id).order_by(buurten.c.volgorde)).mappings().all()
    df = pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in buurten.columns])
    df["data_draagkracht"] = pd.to_numeric(df["data_draagkracht"]).astype("float64")
    df["data_fysieke_kansen"] = pd.to_numeric(df["data_fysieke_kansen"]).astype("float64")
    return df.drop(columns="workshop_id")


def events_frame(conn: Connection, ws_id: int, buurtcode: str | None = None) -> pd.DataFrame:
    """The events of a workshop in order, with participant numbers and names."""
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
    df["tijd"] = pd.to_datetime(df["tijd"], utc=True)
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
    out["tijd"] = pd.to_datetime(out["tijd"], utc=True)
    return out
