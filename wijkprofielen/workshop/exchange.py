"""The workshop exchange format: a lossless JSON export, its validation on import, and CSV.

Times travel as ISO 8601 text with the UTC offset (``2024-05-01T12:00:00.000000+00:00``).
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import Connection, select

from ..config import recipe_from_dict
from ..opslag import parse_utc
from ..errors import DataError
from .events import GESLOTEN, OPEN, PIN, PLAATS, SLUIT, UNPIN
from .schema import buurten, deelnemers, events
from .text import CODE_ALPHABET, CODE_LENGTH, MAX_NAAM, MAX_REDEN, MAX_WORKSHOPNAAM, clean_text, normalise_code

EXPORT_FORMAAT = "wijkprofielen-workshop"
EXPORT_VERSIE = 1

WS_FIELDS = ["code", "naam", "facilitator_hash", "status", "dataset_naam", "dataset_fingerprint", "synthetisch",
             "jaar", "recept", "max_afwijking", "bereik", "aangemaakt", "gesloten"]
B_FIELDS = ["buurtcode", "volgorde", "buurtnaam", "wijknaam", "data_draagkracht", "data_fysieke_kansen", "kwadrant"]
D_FIELDS = ["nummer", "naam", "token_hash", "aangemaakt"]
E_FIELDS = ["uid", "deelnemer", "soort", "buurtcode", "draagkracht", "fysieke_kansen", "reden", "interventie", "tijd"]
# Per part of the export: the fields that hold a time.
_TIME_FIELDS = {"workshop": ("aangemaakt", "gesloten"), "deelnemers": ("aangemaakt",), "events": ("tijd",)}


def iso(moment: datetime | None) -> str | None:
    """A stored time as export text (UTC, microseconds)."""
    return None if moment is None else moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _times_to_text(rec: dict, part: str) -> dict:
    return {**rec, **{k: iso(rec[k]) for k in _TIME_FIELDS[part]}}


def export_workshop(conn: Connection, row) -> dict[str, Any]:
    """Everything of one workshop (its table row ``row``) as plain data."""
    w = _times_to_text({k: row[k] for k in WS_FIELDS}, "workshop")
    w["recept"] = json.loads(w["recept"])
    w["synthetisch"] = bool(w["synthetisch"])
    b = [{k: r[k] for k in B_FIELDS} for r in conn.execute(
        select(buurten).where(buurten.c.workshop_id == row["id"]).order_by(buurten.c.volgorde)).mappings()]
    d = [_times_to_text({k: r[k] for k in D_FIELDS}, "deelnemers") for r in conn.execute(
        select(deelnemers).where(deelnemers.c.workshop_id == row["id"]).order_by(deelnemers.c.nummer)).mappings()]
    q = (select(events, deelnemers.c.nummer.label("deelnemer"))
         .select_from(events.outerjoin(deelnemers, events.c.deelnemer_id == deelnemers.c.id))
         .where(events.c.workshop_id == row["id"]).order_by(events.c.id))
    e = [_times_to_text({k: r[k] for k in E_FIELDS}, "events") for r in conn.execute(q).mappings()]
    return {"formaat": EXPORT_FORMAAT, "versie": EXPORT_VERSIE, "workshop": w, "buurten": b, "deelnemers": d, "events": e}


def _bad(what: str) -> DataError:
    return DataError(f"Dit is geen geldige workshopexport: {what}. Gebruik een .json-export van wijkprofielen.")


def _parse_time(value: Any, what: str) -> datetime:
    moment = parse_utc(value)
    if moment is None:
        raise _bad(f"{what} {str(value)[:40]!r} is geen tijdstip met tijdzone")
    return moment


def _times_from_text(rec: dict, part: str) -> dict:
    return {**rec, **{k: None if rec[k] is None and k == "gesloten" else _parse_time(rec[k], f"het tijdstip {k}")
                      for k in _TIME_FIELDS[part]}}


def validate_export(data: Any) -> tuple[dict, list, list, list]:
    """Check an export and return its rows ``(workshop, buurten, deelnemers, events)`` ready to insert.

    Raises
    ------
    DataError
        In Dutch, naming what is wrong.
    """
    if not isinstance(data, dict) or data.get("formaat") != EXPORT_FORMAAT:
        raise _bad("het veld 'formaat' ontbreekt of klopt niet")
    if data.get("versie") != EXPORT_VERSIE:
        raise _bad(f"versie {data.get('versie')!r} wordt niet ondersteund (verwacht {EXPORT_VERSIE})")
    try:
        w = _times_from_text({k: data["workshop"][k] for k in WS_FIELDS}, "workshop")
        b = [{k: r[k] for k in B_FIELDS} for r in data["buurten"]]
        d = [_times_from_text({k: r[k] for k in D_FIELDS}, "deelnemers") for r in data["deelnemers"]]
        e = [_times_from_text({k: r[k] for k in E_FIELDS}, "events") for r in data["events"]]
    except (KeyError, TypeError) as exc:
        raise _bad(f"veld {exc} ontbreekt") from None
    w["code"] = normalise_code(w["code"])
    if not re.fullmatch(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}", w["code"]):
        raise _bad("de code is ongeldig")
    recipe_from_dict(w["recept"])  # raises ConfigError on a broken recipe
    w["recept"] = json.dumps(w["recept"], sort_keys=True)
    w["naam"] = clean_text(w["naam"], "de naam van de workshop", MAX_WORKSHOPNAAM)
    if w["status"] not in (OPEN, GESLOTEN):
        raise _bad(f"status {w['status']!r}")
    for r in d:
        if r["naam"] != clean_text(r["naam"], "de naam van een deelnemer", MAX_NAAM):
            raise _bad("een deelnemersnaam bevat ongeldige tekens")
    nummers = {r["nummer"] for r in d}
    codes = {r["buurtcode"] for r in b}
    for r in e:
        if r["soort"] not in (PLAATS, PIN, UNPIN, SLUIT):
            raise _bad(f"onbekende gebeurtenis {r['soort']!r}")
        if r["soort"] != SLUIT and (r["deelnemer"] not in nummers or r["buurtcode"] not in codes):
            raise _bad("een gebeurtenis verwijst naar een onbekende deelnemer of buurt")
        if r["reden"] is not None and len(r["reden"]) > MAX_REDEN:
            raise _bad("een reden is te lang")
    return w, b, d, e


def to_safe_json(data: Any) -> str:
    """JSON with ``<``, ``>``, ``&`` escaped as unicode escapes: identical after parsing.

    >>> to_safe_json({"a": "<b>&"})
    '{\\n "a": "\\\\u003cb\\\\u003e\\\\u0026"\\n}'
    """
    text = json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in a text cell (CSV injection).

    >>> csv_safe("=SOM(A1)"), csv_safe("gewoon")
    ("'=SOM(A1)", 'gewoon')
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def events_csv(data: dict[str, Any], titels: Mapping[str, str] | None = None) -> str:
    """One CSV row per event of an export dict, with names resolved; ``titels`` (menukaart id →
    title) adds the title of each pinned intervention beside its id."""
    namen = {d["nummer"]: d["naam"] for d in data["deelnemers"]}
    bn = {b["buurtcode"]: b["buurtnaam"] for b in data["buurten"]}
    rows = [{
        "workshop": data["workshop"]["naam"], "volgnummer": i, "tijd": e["tijd"], "soort": e["soort"],
        "deelnemer": e["deelnemer"], "naam": namen.get(e["deelnemer"]), "buurtcode": e["buurtcode"],
        "buurtnaam": bn.get(e["buurtcode"]), "draagkracht": e["draagkracht"], "fysieke_kansen": e["fysieke_kansen"],
        "reden": e["reden"], "interventie": e["interventie"],
        "interventie_titel": (titels or {}).get(e["interventie"]) if e["interventie"] else None,
    } for i, e in enumerate(data["events"], 1)]
    df = pd.DataFrame(rows, columns=["workshop", "volgnummer", "tijd", "soort", "deelnemer", "naam", "buurtcode",
                                     "buurtnaam", "draagkracht", "fysieke_kansen", "reden", "interventie",
                                     "interventie_titel"])
    for c in ("workshop", "naam", "buurtnaam", "reden", "interventie", "interventie_titel"):
        df[c] = df[c].map(csv_safe)
    return df.to_csv(index=False)
