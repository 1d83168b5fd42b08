"""Unexpected errors as a Dutch message with a short reference; the details go to the server log.

``app.py`` runs every page inside :func:`page_errors`; fragments (which rerun on their own,
outside the page) carry :func:`guarded`. ``st.stop()`` and ``st.rerun()`` are not errors: they
raise ``BaseException`` subclasses, which pass through untouched.
"""

from __future__ import annotations

import functools
import logging
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st

log = logging.getLogger("wijkprofielen.ui")


def report(exc: BaseException, where: str) -> str:
    """Log ``exc`` with its traceback under a new short reference, and return that reference."""
    ref = uuid.uuid4().hex[:8]
    log.error("Onverwachte fout in %s (melding %s)", where, ref, exc_info=exc)
    return ref


def message(ref: str) -> str:
    return (f"Er ging iets mis bij het tonen van dit onderdeel (melding **{ref}**). De details staan in het "
            "logboek van de server. Probeer het opnieuw of kies een andere pagina; blijft het misgaan, geef dan "
            "de meldingscode door aan de beheerder.")


_ABSOLUTE = re.compile(r"(?<![\w.~])(?:[A-Za-z]:)?[/\\](?:[^\s'\"()<>/\\]+[/\\])+([^\s'\"()<>:,;/\\]+)")


def redact(text: str) -> str:
    r"""``text`` with every absolute path replaced by its file name: error messages from the
    readers name their files, and a hosted installation does not show its file system.

    >>> redact("Bestand /srv/app/geodata/GM0796.parquet ontbreekt; zie C:\\data\\x.csv")
    'Bestand GM0796.parquet ontbreekt; zie x.csv'
    """
    return _ABSOLUTE.sub(r"\1", text)


@contextmanager
def page_errors(where: str, container=st) -> Iterator[None]:
    """Show an unexpected error in ``with`` as a Dutch message with its reference."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - the point: nothing unexpected reaches the user as a traceback
        container.error(message(report(exc, where)), icon=":material/error:")


def guarded(fn: Callable) -> Callable:
    """:func:`page_errors` around a function (for fragments, which rerun without the page)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with page_errors(fn.__qualname__):
            return fn(*args, **kwargs)
    return wrapper
