"""Small CBS tables in their published layout, for reader tests."""

from __future__ import annotations

_INKOMEN_KOP = """\ufeffTabel 1;;;;;
Gemiddeld persoonlijk inkomen, huishoudens met laagste en hoogste inkomen naar gemeente en wijk, {jaar};;;;;
;;;Gemiddeld;40% huishoudens;20% huishoudens
;;;persoonlijk ;met laagste;met hoogste
;;;inkomen per inwoner;besteedbaar;besteedbaar
Gemeentelijke indeling van 2023;;;;;
Gemeentecode;Wijkcode;Regionaam;;;
;;;x 1000 euro;%;
"""


def inkomen_table(jaar: int, rows: str) -> str:
    """The CBS maatwerk income table per gemeente and wijk (``;``, title lines, ``.`` suppressed) for ``jaar``."""
    return _INKOMEN_KOP.format(jaar=jaar) + rows
