"""Large map layers as files served by Streamlit's static file serving (``/app/static/kaart/…``).

Streamlit's frontend parses a deck spec with JSON5, character by character: for a national
map of 5 MB that took most of the time before the map appeared. A layer whose ``data`` is a
URL is fetched by deck.gl and parsed by the browser's own JSON parser instead, and a second
visit can reuse the browser's copy. Files are named by their content (sha256), so the same
map is written once and a changed colouring gets a new name.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ..importers.opslag import atomic_write, keep_newest

FOLDER = "kaart"  # under the app's static folder
_NAME = re.compile(rf"/app/static/{FOLDER}/([0-9a-f]{{24}}\.json)")
KEEP = 64  # files kept (the newest); a national colouring is about 5 MB


def static_dir() -> Path | None:
    """``static/`` next to the app's main script, or None when static serving is off."""
    if not st.get_option("server.enableStaticServing"):
        return None
    ctx = get_script_run_ctx()
    if ctx is None or not getattr(ctx, "main_script_path", None):
        return None
    return Path(ctx.main_script_path).resolve().parent / "static"


def store(text: str, folder: Path) -> str:
    """Write ``text`` to ``folder`` under its content hash (once) and return the file name."""
    name = hashlib.sha256(text.encode()).hexdigest()[:24] + ".json"
    path = folder / name
    if not path.exists():
        def write(tmp: Path) -> None:
            tmp.write_text(text, encoding="utf-8")
            tmp.chmod(0o644)  # readable like the app's other static files

        atomic_write(path, write)
        keep_newest(folder, "*.json", KEEP)
    return name


def publisher() -> Callable[[str], str] | None:
    """A function that stores a JSON text and returns its URL; None when the app cannot serve files
    (static serving off, or the folder not writable): the map then carries its data inline."""
    root = static_dir()
    if root is None:
        return None
    folder = root / FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    base = "/" + str(st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = base.rstrip("/") + f"/app/static/{FOLDER}/"
    return lambda text: prefix + store(text, folder)


def missing(spec: str) -> bool:
    """Whether a file a deck spec refers to is gone (older files are removed, see :data:`KEEP`)."""
    root = static_dir()
    names = _NAME.findall(spec)
    return bool(names) and (root is None or not all((root / FOLDER / n).exists() for n in names))
