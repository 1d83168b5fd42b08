"""Text and numbers from participants: cleaning, length limits, join codes.

Everything a participant or facilitator types passes through here before it is stored.
"""

from __future__ import annotations

import math
import re
import secrets
import unicodedata
import uuid
from typing import Any

from ..errors import DataError

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a room
CODE_LENGTH = 8
MAX_NAAM = 60
MAX_WORKSHOPNAAM = 120
MAX_REDEN = 500
MAX_BUURTEN = 100
MAX_PINS = 5
MAX_DEELNEMERS = 200


def new_code() -> str:
    """A random join code, e.g. ``'K7QW-3MZP'`` without the dash (``secrets``-based)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: Any) -> str:
    """Upper-case, without spaces or dashes: how people type a code they heard.

    >>> normalise_code(" k7qw-3mzp ")
    'K7QW3MZP'
    """
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


def finite_number(value: Any, what: str) -> float:
    """``value`` as a finite float, else a :class:`DataError` naming ``what``."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DataError(f"{what} moet een getal zijn, niet {value!r}.") from None
    if not math.isfinite(number):
        raise DataError(f"{what} moet een eindig getal zijn, niet {value!r}.")
    return number


def event_uid(event_id: str | None) -> str:
    """The stored id of an event: the caller's (for idempotent retries) or a new random one."""
    if event_id is None:
        return uuid.uuid4().hex
    uid = str(event_id)
    if not re.fullmatch(r"[A-Za-z0-9_-]{8,40}", uid):
        raise DataError("Ongeldige gebeurtenis-id (8–40 letters, cijfers, _ of -).")
    return uid
