"""A Streamlit session over its websocket, as the browser opens one (for load tests).

The browser loads ``/`` over HTTP (the proxy sets its route cookie there), opens the
websocket ``/_stcore/stream`` with the subprotocol ``streamlit`` and sends ``BackMsg``
protobufs: a ``rerun_script`` carrying the query string, the page and the widget values.
The server answers with ``ForwardMsg`` protobufs (a ``new_session`` per run, ``delta``
elements by path, ``page_info_changed`` when the app writes the URL, ``script_finished``).

:class:`Sessie` keeps what is on screen (elements by delta path) and the widget values
it set, as the frontend does, so a test or benchmark can click buttons and move sliders
by the widget's ``key``. Only 127.0.0.1 is meant: this drives the app, it does not browse.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED_EARLY_FOR_RERUN = 2
# Widget element types and the WidgetState field the frontend fills for them.
_VALUE_FIELD = {
    "slider": "double_array_value", "selectbox": "string_value", "text_input": "string_value",
    "text_area": "string_value", "radio": "string_value", "checkbox": "bool_value",
    "number_input": "double_value", "multiselect": "string_array_value", "expandable": "bool_value",
}


class SessieFout(Exception):
    """The session could not be opened or a run did not finish."""


@dataclass
class Element:
    """One element on screen: its type, widget id (empty for non-widgets) and protobuf."""

    type: str
    id: str
    proto: Any

    @property
    def key(self) -> str:
        """The widget's user key (the id ends with ``-key``)."""
        return self.id.rsplit("-", 1)[-1] if self.id.startswith("$$ID-") else ""


@dataclass
class Run:
    """The outcome of one script run as the user would see it."""

    seconds: float
    elements: list[Element]
    toasts: list[str] = field(default_factory=list)
    query_string: str = ""

    def widget(self, key: str) -> Element | None:
        """The widget whose key is ``key`` (or ends with it), if shown."""
        for e in self.elements:
            if e.key == key or (e.id and e.id.endswith("-" + key)):
                return e
        return None

    def by_type(self, kind: str) -> list[Element]:
        return [e for e in self.elements if e.type == kind]

    @property
    def errors(self) -> list[str]:
        """Error boxes (``st.error``) and exceptions shown in this run."""
        out = [e.proto.body for e in self.by_type("alert") if e.proto.format == e.proto.ERROR]
        return out + [f"{e.proto.type}: {e.proto.message}" for e in self.by_type("exception")]

    def text(self) -> str:
        """All markdown, alerts, captions and toasts as one text (for assertions)."""
        parts = [e.proto.body for e in self.elements if e.type in ("markdown", "alert", "heading")]
        return "\n".join(parts + self.toasts)


class Sessie:
    """One browser tab's session with a Streamlit app at ``url`` (``http://127.0.0.1:8080``).

    Parameters
    ----------
    url : str
        The app's base URL (through the proxy or one app process).
    timeout : float
        Seconds a run may take before :class:`SessieFout`.
    headers : dict, optional
        Extra request headers (as a proxy or a browser extension would add them).
    """

    def __init__(self, url: str, timeout: float = 120.0, headers: dict[str, str] | None = None) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.headers = dict(headers or {})
        self.cookies: dict[str, str] = {}
        self.pages: dict[str, str] = {}  # url path -> page_script_hash
        self.page = ""
        self.query_string = ""
        self.fragments: list[str] = []  # fragments the server asked to rerun on a timer
        self._values: dict[str, WidgetState] = {}
        self._screen: dict[tuple[int, ...], Element] = {}
        self._ws = None

    # -- connection ---------------------------------------------------------------------
    def _get_cookies(self) -> None:
        req = urllib.request.Request(self.url + "/", headers={**self.headers, "Cookie": self._cookie_header()})
        with urllib.request.urlopen(req, timeout=30) as resp:
            resp.read()
            for header in resp.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(header)
                self.cookies.update({k: m.value for k, m in jar.items()})

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def connect(self) -> float:
        """Load the page over HTTP and open the websocket; returns the seconds it took."""
        t0 = time.perf_counter()
        await asyncio.to_thread(self._get_cookies)
        parts = urlsplit(self.url)
        ws_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}{parts.path}/_stcore/stream"
        headers = {**self.headers, **({"Cookie": self._cookie_header()} if self.cookies else {})}
        self._ws = await websockets.connect(ws_url, subprotocols=["streamlit"], additional_headers=headers,
                                            max_size=None, open_timeout=30, ping_interval=None)
        self._screen.clear()
        return time.perf_counter() - t0

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    @property
    def connected(self) -> bool:
        return self._ws is not None

    # -- runs ---------------------------------------------------------------------------
    def set(self, element: Element, value: Any) -> None:
        """Give a widget a value for the next run (as a user moving it would)."""
        field_name = _VALUE_FIELD.get(element.type)
        if field_name is None:
            raise SessieFout(f"Widgettype {element.type} wordt niet ondersteund.")
        state = WidgetState(id=element.id)
        if field_name == "double_array_value":
            state.double_array_value.data.extend([float(value)])
        elif field_name == "string_array_value":
            state.string_array_value.data.extend([str(v) for v in value])
        else:
            setattr(state, field_name, value)
        self._values[element.id] = state

    async def run(self, page: str | None = None, query_string: str | None = None, *,
                  click: Element | None = None, fragment: str | None = None) -> Run:
        """Rerun the script (optionally on another page or URL, or with a button click).

        ``page`` is the URL path of a page (``""`` for the start page, ``"workshop"``).
        """
        if self._ws is None:
            raise SessieFout("De sessie is niet verbonden.")
        if page is not None:
            self.page = page
        if query_string is not None:
            self.query_string = query_string
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query_string
        if self.page in self.pages:
            cs.page_script_hash = self.pages[self.page]
        else:
            cs.page_name = self.page
        states = list(self._values.values())
        if click is not None:
            states.append(WidgetState(id=click.id, trigger_value=True))
        cs.widget_states.widgets.extend(states)
        if fragment:
            cs.fragment_id = fragment
            cs.is_auto_rerun = True
        t0 = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        toasts: list[str] = []
        async with asyncio.timeout(self.timeout):
            while True:
                fm = ForwardMsg()
                fm.ParseFromString(await self._ws.recv())
                kind = fm.WhichOneof("type")
                if kind == "new_session":
                    self._screen.clear()
                elif kind == "navigation":
                    self.pages = {p.url_pathname: p.page_script_hash for p in fm.navigation.app_pages}
                elif kind == "page_info_changed":
                    self.query_string = fm.page_info_changed.query_string
                elif kind == "auto_rerun":
                    if fm.auto_rerun.fragment_id not in self.fragments:
                        self.fragments.append(fm.auto_rerun.fragment_id)
                elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                    el = fm.delta.new_element
                    et = el.WhichOneof("type")
                    proto = getattr(el, et)
                    if et == "toast":
                        toasts.append(proto.body)
                    self._screen[tuple(fm.metadata.delta_path)] = Element(et, getattr(proto, "id", "") or "", proto)
                elif kind == "delta" and fm.delta.WhichOneof("type") == "add_block":
                    block = fm.delta.add_block
                    if block.WhichOneof("type") == "expandable" and block.expandable.id:  # an expander with a key
                        self._screen[tuple(fm.metadata.delta_path)] = Element("expandable", block.expandable.id,
                                                                               block.expandable)
                elif kind == "script_finished" and fm.script_finished != FINISHED_EARLY_FOR_RERUN:
                    break
        elements = [self._screen[p] for p in sorted(self._screen)]
        return Run(time.perf_counter() - t0, elements, toasts, self.query_string)
