"""Under the map: the buurten per colour class as a table, so the map is readable without colour
(WCAG 1.4.1) and without a mouse or a screen (1.1.1)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..mapping import Colouring
from . import layout


def class_table(colouring: Colouring, ordered: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """Per shown buurt its class label, ordered by class (as in the legend), then by name.

    ``ordered`` is the frame in map order (the order of the colouring); ``mask`` the shown buurten.
    """
    c = colouring.classification
    labels = np.array([*c.labels, c.missing_label], dtype=object)
    yb = np.asarray(c.yb)
    index = np.where(yb >= 0, yb, len(c.labels))
    out = pd.DataFrame({"klasse": labels[index], "buurtnaam": ordered["buurtnaam"].to_numpy(),
                        "wijknaam": ordered["wijknaam"].to_numpy(), "buurtcode": ordered["buurtcode"].to_numpy(),
                        "_volgorde": index})
    out = out[np.asarray(mask, dtype=bool)]
    return out.sort_values(["_volgorde", "buurtnaam"], kind="stable").drop(columns="_volgorde").reset_index(drop=True)


def render(colouring: Colouring, ordered: pd.DataFrame, mask: np.ndarray) -> None:
    """An expander with :func:`class_table` (the legend above it gives the counts per class)."""
    with layout.lazy_expander(f"Buurten per klasse als tabel ({colouring.titel.lower()})", "kaart_klassentabel") as box:
        if box.open:
            data = class_table(colouring, ordered, mask)
            layout.table(data, headers={"klasse": "Klasse", "buurtnaam": "Buurt", "wijknaam": "Wijk",
                                        "buurtcode": "Buurtcode"}, height=min(400, 38 + 35 * len(data)))
