"""Wijkprofiel snapshot export: PDF and HTML one-pagers, GeoPackage, CSV, manifest, batch, the map print.

:class:`~.exporter.Exporter` ties one scored dataset to every export format; the CLI, the app
and the benchmark all use it. See :mod:`.content` for what a one-pager shows. This package
module itself stays light (no matplotlib, no PDF library): the app's pages import the export
modules they need, and a page that only offers a download loads the drawing code when the
download is asked for.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["slug"]


def slug(text: str) -> str:
    """A safe file-name part.

    Examples
    --------
    >>> slug("’t Zand – Oost <script>")
    't-zand-oost-script'
    """
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "buurt"
