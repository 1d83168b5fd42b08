"""The data behind an Altair chart as tables: the text alternative under every chart (WCAG 1.1.1, 1.4.1).

A chart's meaning lives in its tooltips (what a reader may ask about a mark), so the table of a
layer has the layer's tooltip fields under their tooltip titles. A chart without tooltips gets
the fields of its x, y, colour and text channels. Layers that give the same columns (a base and
its highlight) are one table.
"""

from __future__ import annotations

from collections.abc import Iterator

import altair as alt
import pandas as pd

CHANNELS = ("x", "y", "color", "text")


def _given(value) -> bool:
    return value is not alt.Undefined and value is not None


def _layers(spec, data=None) -> Iterator[tuple[object, pd.DataFrame]]:
    """Every leaf chart with the data frame it draws (its own, or the one it inherits)."""
    own = getattr(spec, "data", alt.Undefined)
    data = own if isinstance(own, pd.DataFrame) else data
    sub = getattr(spec, "layer", alt.Undefined)
    if _given(sub):
        for layer in sub:
            yield from _layers(layer, data)
    elif data is not None:
        yield spec, data


def _channel(enc, name: str) -> list:
    value = getattr(enc, name, alt.Undefined) if _given(enc) else alt.Undefined
    if not _given(value):
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _field(item) -> tuple[str | None, str | None]:
    """(field, title) of an encoding: a shorthand string "naam:N" or a channel object."""
    if isinstance(item, str):
        return item.split(":")[0], None
    try:
        d = item.to_dict(validate=False)
    except Exception:  # noqa: BLE001 - a channel Altair cannot express alone (a value, a datum) has no field
        return None, None
    field, title = d.get("field"), d.get("title")
    return (field if isinstance(field, str) else None), (title if isinstance(title, str) else None)


def _readable(field: str) -> str:
    text = field.replace("_", " ")
    return text[:1].upper() + text[1:]


def chart_tables(spec) -> list[tuple[pd.DataFrame, dict[str, str]]]:
    """The chart's data as tables: per distinct set of fields the rows and a readable header per field.

    >>> df = pd.DataFrame({"jaar": [2020, 2022], "waarde": [1.5, 2.0]})
    >>> c = alt.Chart(df).mark_line().encode(x="jaar:O", y=alt.Y("waarde:Q", title="Score"))
    >>> [(t.columns.tolist(), h) for t, h in chart_tables(c)]
    [(['jaar', 'waarde'], {'jaar': 'Jaar', 'waarde': 'Score'})]
    """
    layers = list(_layers(spec))
    titles: dict[str, str] = {}
    for layer, _ in layers:
        for name in ("tooltip", *CHANNELS):  # a tooltip title says most
            for item in _channel(getattr(layer, "encoding", alt.Undefined), name):
                field, title = _field(item)
                if field and title:
                    titles.setdefault(field, title)
    with_tips = [(lay, d) for lay, d in layers if _channel(getattr(lay, "encoding", alt.Undefined), "tooltip")]
    tables: dict[tuple[str, ...], list[pd.DataFrame]] = {}
    for layer, data in with_tips or layers:
        enc = getattr(layer, "encoding", alt.Undefined)
        names = ("tooltip",) if with_tips else CHANNELS
        fields = [f for n in names for f, _ in map(_field, _channel(enc, n)) if f in data.columns]
        if fields:
            tables.setdefault(tuple(dict.fromkeys(fields)), []).append(data)
    return [(pd.concat([d[list(f)] for d in parts], ignore_index=True).drop_duplicates().reset_index(drop=True),
             {c: titles.get(c, _readable(c)) for c in f}) for f, parts in tables.items()]
