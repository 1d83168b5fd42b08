"""What the facilitator sees: spread, disagreement with the data, pin tally. Pure pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..palettes import PIN_HEX


def disagreement(placements: pd.DataFrame, buurten: pd.DataFrame) -> pd.DataFrame:
    """Per buurt on the table: participants' mean position, spread and distance to the data.

    Parameters
    ----------
    placements : DataFrame
        :meth:`WorkshopStore.placements` output.
    buurten : DataFrame
        ``Workshop.buurten`` (buurtcode, buurtnaam, data position).

    Returns
    -------
    DataFrame
        One row per buurt: ``buurtcode``, ``buurtnaam``, ``data_draagkracht``,
        ``data_fysieke_kansen``, ``aantal`` (participants who placed it),
        ``gem_draagkracht``, ``gem_fysieke_kansen``, ``spreiding`` (root mean square
        distance of the placements to their mean; NaN below two placements),
        ``afwijking_data`` (distance from that mean to the data position; NaN without a
        data position), ``redenen`` (list of ``"naam: reden"``), and the ranks
        ``rang_onderling`` and ``rang_data`` (1 = most disagreement).

    Examples
    --------
    >>> p = pd.DataFrame({"buurtcode": ["A", "A"], "naam": ["x", "y"], "draagkracht": [0.0, 2.0],
    ...                   "fysieke_kansen": [0.0, 0.0], "reden": ["", "ken het"]})
    >>> b = pd.DataFrame({"buurtcode": ["A", "B"], "buurtnaam": ["Aa", "Bb"],
    ...                   "data_draagkracht": [1.0, None], "data_fysieke_kansen": [1.0, None]})
    >>> d = disagreement(p, b)
    >>> d[["buurtcode", "aantal", "spreiding", "afwijking_data"]].to_dict("records")
    [{'buurtcode': 'A', 'aantal': 2, 'spreiding': 1.0, 'afwijking_data': 1.0}, {'buurtcode': 'B', 'aantal': 0, 'spreiding': nan, 'afwijking_data': nan}]
    """
    rows = []
    for b in buurten.itertuples(index=False):
        p = placements[placements["buurtcode"] == b.buurtcode]
        n = len(p)
        gx = float(p["draagkracht"].mean()) if n else np.nan
        gy = float(p["fysieke_kansen"].mean()) if n else np.nan
        spread = float(np.sqrt(((p["draagkracht"] - gx) ** 2 + (p["fysieke_kansen"] - gy) ** 2).mean())) if n >= 2 else np.nan
        dist = float(np.hypot(gx - b.data_draagkracht, gy - b.data_fysieke_kansen)) if n else np.nan
        redenen = [f"{r.naam}: {r.reden}" for r in p.itertuples(index=False) if isinstance(r.reden, str) and r.reden]
        rows.append({
            "buurtcode": b.buurtcode, "buurtnaam": b.buurtnaam,
            "data_draagkracht": b.data_draagkracht, "data_fysieke_kansen": b.data_fysieke_kansen,
            "aantal": n, "gem_draagkracht": gx, "gem_fysieke_kansen": gy,
            "spreiding": spread, "afwijking_data": dist, "redenen": redenen,
        })
    out = pd.DataFrame(rows, columns=["buurtcode", "buurtnaam", "data_draagkracht", "data_fysieke_kansen", "aantal",
                                      "gem_draagkracht", "gem_fysieke_kansen", "spreiding", "afwijking_data", "redenen"])
    for c in ("data_draagkracht", "data_fysieke_kansen", "gem_draagkracht", "gem_fysieke_kansen", "spreiding", "afwijking_data"):
        out[c] = pd.to_numeric(out[c]).astype("float64")
    out["rang_onderling"] = out["spreiding"].rank(ascending=False, method="min").astype("Int64")
    out["rang_data"] = out["afwijking_data"].rank(ascending=False, method="min").astype("Int64")
    return out


def pin_tally(pins: pd.DataFrame) -> pd.DataFrame:
    """How often each intervention is pinned per buurt, most pinned first.

    >>> pins = pd.DataFrame({"buurtcode": ["A", "A", "B"], "interventie": ["x", "x", "y"], "deelnemer": [1, 2, 1]})
    >>> pin_tally(pins).to_dict("records")
    [{'buurtcode': 'A', 'interventie': 'x', 'aantal': 2}, {'buurtcode': 'B', 'interventie': 'y', 'aantal': 1}]
    """
    if pins.empty:
        return pd.DataFrame({"buurtcode": pd.Series(dtype=object), "interventie": pd.Series(dtype=object),
                             "aantal": pd.Series(dtype="int64")})
    out = pins.groupby(["buurtcode", "interventie"], sort=False).size().rename("aantal").reset_index()
    return out.sort_values(["buurtcode", "aantal", "interventie"], ascending=[True, False, True], kind="stable").reset_index(drop=True)


def pin_colours(interventies: list[str], categorie: dict[str, str] | None = None) -> dict[str, str]:
    """A pin colour per intervention: one colour per menukaart category (Portaal's coloured pins).

    Without categories every intervention gets its own colour, in the given order.

    >>> pin_colours(["a", "b", "c"], {"a": "sociaal", "b": "fysiek", "c": "sociaal"})
    {'a': '#0072B2', 'b': '#E69F00', 'c': '#0072B2'}
    """
    groups: dict[str, int] = {}
    out = {}
    for iid in interventies:
        g = (categorie or {}).get(iid, iid)
        if g not in groups:
            groups[g] = min(len(groups), len(PIN_HEX) - 1)
        out[iid] = PIN_HEX[groups[g]]
    return out
