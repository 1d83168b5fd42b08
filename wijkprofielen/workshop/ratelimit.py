"""Failed attempts (wrong code, key or participant link) and exponential backoff.

Failures count per source (a browser session), per network address the source shares
with others (``"ip:…|sessie:…"``: a room behind one NAT address) and per unknown code
tried. Each counter allows a few failures, then doubles the wait after every further one,
up to the window. There is no limit over all sources together: one client rotating
sessions cannot lock out everyone else. The store checks a valid facilitator key or
participant link before it asks here, so they are never slowed by anyone's failures; a
valid code never gathers failures of its own, so joining another workshop stays possible
during an attack.
"""

from __future__ import annotations

import math
import time

from sqlalchemy import Connection, Engine, delete, func, insert, select

from ..errors import WijkprofielenError
from .schema import pogingen

POGING_VENSTER_S = 15 * 60
# Failures allowed before the backoff starts; then 1 s, 2 s, 4 s, … up to the window.
VRIJ_BRON = 5
VRIJ_GROEP = 30
VRIJ_CODE = 10
# Old failures are removed at most this often (seconds), not on every failure.
OPRUIMEN_S = 60.0

_last_cleanup = 0.0
_clock = time.time  # replaced in tests to let time pass


def split_bron(bron: str) -> tuple[str, str]:
    """``(source, group)``; the group is the part before ``|``, or empty.

    >>> split_bron("ip:10.0.0.1|sessie:ab12")
    ('ip:10.0.0.1|sessie:ab12', 'ip:10.0.0.1')
    """
    bron = str(bron or "")[:80]
    return bron, bron.split("|", 1)[0] if "|" in bron else ""


def wait_s(failures: int, last: float | None, free: int, now: float) -> float:
    """Seconds still to wait after ``failures`` failures, the latest at ``last``.

    >>> wait_s(5, 100.0, 5, 100.5), wait_s(7, 100.0, 5, 100.5), wait_s(4, 100.0, 5, 100.0)
    (0.5, 3.5, 0.0)
    """
    if failures < free or last is None:
        return 0.0
    backoff = min(2.0 ** (failures - free), float(POGING_VENSTER_S))
    return max(0.0, last + backoff - now)


def check(conn: Connection, bron: str, code: str) -> None:
    """Raise when ``bron`` (or its group, or ``code``) must wait before trying again.

    Raises
    ------
    WijkprofielenError
        In Dutch, with the time to wait.
    """
    now = _clock()
    since = now - POGING_VENSTER_S
    source, group = split_bron(bron)
    wait = 0.0
    for column, key, free in ((pogingen.c.bron, source, VRIJ_BRON), (pogingen.c.groep, group, VRIJ_GROEP),
                              (pogingen.c.code, code[:16], VRIJ_CODE)):
        if column is not pogingen.c.bron and not key:
            continue
        n, last = conn.execute(select(func.count(), func.max(pogingen.c.tijd))
                               .where(column == key, pogingen.c.tijd > since)).one()
        wait = max(wait, wait_s(int(n), last, free, now))
    if wait > 0:
        raise WijkprofielenError(
            f"Te veel mislukte pogingen met een verkeerde code of sleutel. Wacht nog {_duration(wait)} "
            "en controleer de code bij de begeleider."
        )


def record(engine: Engine, bron: str, code: str = "") -> None:
    """Count one failure of ``bron``; ``code`` is the unknown code it tried (if any)."""
    global _last_cleanup
    source, group = split_bron(bron)
    now = _clock()
    # Its own transaction: the attempt must count even though the caller gets an error.
    with engine.begin() as conn:
        conn.execute(insert(pogingen).values(bron=source, groep=group, code=code[:16], tijd=now))
        if now - _last_cleanup > OPRUIMEN_S:
            conn.execute(delete(pogingen).where(pogingen.c.tijd < now - POGING_VENSTER_S))
            _last_cleanup = now


def _duration(seconds: float) -> str:
    if seconds <= 90:
        n = max(1, math.ceil(seconds))
        return f"{n} seconde{'n' if n != 1 else ''}"
    return f"{math.ceil(seconds / 60)} minuten"
