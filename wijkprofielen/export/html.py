"""The wijkprofiel as one self-contained HTML file (Jinja2, autoescaped).

Images are inlined as ``data:`` URIs and the CSS is inline: the file opens offline and
loads nothing from the network. Every text from the data is escaped, so a buurtnaam such
as ``<script>`` prints as text.
"""

from __future__ import annotations

import base64
from functools import cache

import jinja2

from ..formatting import number
from .content import KERNCIJFERS_UITLEG, Profiel


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("wijkprofielen", "templates"),
        autoescape=True,  # always, also for the .j2 extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["num"] = lambda v, digits=2, signed=False: number(v, digits, signed=signed)
    return env.get_template("wijkprofiel.html.j2")


def render_html(p: Profiel) -> bytes:
    """The HTML one-pager of ``p`` as UTF-8 bytes."""
    fig = {name: "data:image/png;base64," + base64.b64encode(png).decode("ascii") for name, png in p.figuren.items()}
    fig = {k: fig.get(k, "") for k in ("kaart", "assenkruis", "trend")}
    return _template().render(p=p, fig=fig, kerncijfers_uitleg=KERNCIJFERS_UITLEG).encode("utf-8")
