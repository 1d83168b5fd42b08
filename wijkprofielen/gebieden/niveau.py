"""Scores of wijken and gebieden, against wijken, and the spread of their buurten.

Like is compared with like: a wijk or gebied is normalised against the wijken of its own
gemeente (``referentie = "gemeente"``) or of the whole dataset (``"dataset"``), never against
buurten. The national extracts hold no wijk rows, so a national reference (``nederland``,
``stedelijkheid``) falls back to the own gemeente's wijken, and :attr:`Niveauprofiel.referentie`
says so. Gebieden are scored against the wijken without being part of that reference.

An average hides the spread: per unit the quadrant of each of its buurten, the lowest and
highest buurt per axis, and ``eenduidig = False`` when its buurten lie in opposite quadrants
("dit gebied is niet eenduidig").
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from ..config import Recipe
from ..dataset import Dataset
from ..domain import AXES, EXTERNAL_REFERENCES
from ..scoring import ScoreResult, score
from .aggregate import Eenheden

OPPOSITE = ({"hoog_hoog", "laag_laag"}, {"laag_hoog", "hoog_laag"})
NIET_EENDUIDIG = "dit gebied is niet eenduidig"
REFERENTIE_LABELS = {
    "gemeente": "de wijken van de eigen gemeente",
    "dataset": "alle wijken in de dataset",
}
SPREIDING_COLUMNS = ["eenheid", "n_buurten", "n_geplaatst", "kwadranten", "eenduidig", "toelichting"] + [
    f"{kant}_{axis}{suffix}" for axis in AXES for kant in ("laagste", "hoogste") for suffix in ("", "_naam", "_score")]


@dataclass
class Niveauprofiel:
    """The profile of every unit of one level.

    Attributes
    ----------
    niveau : str
        ``"wijk"`` or ``"gebied"``.
    eenheden : Eenheden
        The figures (:attr:`Eenheden.frame` one row per unit, :attr:`Eenheden.lang` with origin).
    frame : DataFrame
        The scored frame: :attr:`Eenheden.frame` with ``buurtcode`` set to the unit (the
        scoring's row key), one row per unit.
    result : ScoreResult
        Scores indexed by unit (wijkcode or gebied name).
    referentie : str
        Dutch: what the units were normalised against.
    buurten : DataFrame
        Per unit and buurt: ``eenheid``, ``buurtcode``, ``buurtnaam``, both axis scores and
        the buurt's ``kwadrant`` (scored as a buurt, against buurten).
    spreiding : DataFrame
        Per unit, columns :data:`SPREIDING_COLUMNS`: the number of buurten and placed buurten,
        the quadrant counts (``{kwadrant: n}``), ``eenduidig``, a Dutch ``toelichting`` and the
        lowest and highest buurt per axis (code, name, score).
    """

    niveau: str
    eenheden: Eenheden
    frame: pd.DataFrame
    result: ScoreResult
    referentie: str
    buurten: pd.DataFrame
    spreiding: pd.DataFrame

    def tabel(self) -> pd.DataFrame:
        """One row per unit: its name, the scores and the spread flag."""
        out = self.eenheden.frame[["eenheid", "naam", "n_buurten"]].join(self.result.scores, on="eenheid")
        return out.join(self.spreiding.set_index("eenheid")[["eenduidig"]], on="eenheid")


def unit_frame(eenheden: Eenheden, min_inwoners: int = 0) -> pd.DataFrame:
    """The units as a frame the scoring takes (``buurtcode`` = the unit).

    Where a unit's inhabitant count is missing (a buurt without a count) but its buurten with
    a count already reach ``min_inwoners``, that lower bound stands in for the inhabitant
    rule: it proves the unit is large enough.
    """
    frame = eenheden.frame.assign(buurtcode=eenheden.frame["eenheid"].astype(str))
    if "inwoners" in frame and eenheden.inwoners_ten_minste is not None and min_inwoners > 0:
        bound = eenheden.inwoners_ten_minste.reindex(frame["eenheid"]).to_numpy()
        frame["inwoners"] = frame["inwoners"].where(frame["inwoners"].notna() | ~(bound >= min_inwoners), bound)
    return frame


def score_units(eenheden: Eenheden, recipe: Recipe, wijken: Eenheden | None = None) -> tuple[pd.DataFrame, ScoreResult, str]:
    """Scores of the units against wijken: the units themselves when they are wijken, else ``wijken``.

    Returns ``(frame, result, referentie)``; ``result`` holds only the units' rows.
    """
    naam = recipe.referentie if recipe.referentie not in EXTERNAL_REFERENCES else "gemeente"
    label = REFERENTIE_LABELS[naam]
    if recipe.referentie in EXTERNAL_REFERENCES:
        label += " (de landelijke extracten hebben geen wijkcijfers)"
        recipe = recipe.with_options(referentie="gemeente")
    frame = unit_frame(eenheden, recipe.min_inwoners)
    if eenheden.niveau == "wijk" or wijken is None:
        return frame, score(frame, recipe), label
    ref = unit_frame(wijken, recipe.min_inwoners).assign(buurtcode=lambda f: "wijk:" + f["buurtcode"])
    both = pd.concat([ref, frame], ignore_index=True)
    in_ref = np.r_[np.ones(len(ref), dtype=bool), np.zeros(len(frame), dtype=bool)]
    full = score(both, recipe, in_referentie=in_ref)
    keep = frame["buurtcode"].tolist()
    result = ScoreResult(full.scores.loc[keep], full.bijdragen.loc[keep], full.genormaliseerd.loc[keep], full.recipe,
                         full.ontbrekende_kolommen, full.recept_dekking, None, [], {}, None, full.inwonersregel)
    return frame, result, label


def spread(eenheden: Eenheden, buurt_frame: pd.DataFrame, buurt_result: ScoreResult) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(buurten, spreiding)`` of every unit: see :class:`Niveauprofiel`."""
    names = buurt_frame.set_index(buurt_frame["buurtcode"].astype(str))["buurtnaam"]
    s = buurt_result.scores
    buurten = pd.DataFrame([(u, c) for u, codes in eenheden.leden.items() for c in codes], columns=["eenheid", "buurtcode"])
    buurten["buurtnaam"] = names.reindex(buurten["buurtcode"]).to_numpy()
    for col in (*AXES, "kwadrant"):
        buurten[col] = s[col].reindex(buurten["buurtcode"]).to_numpy()
    rows = []
    for u, part in buurten.groupby("eenheid", sort=False):
        placed = part[part["kwadrant"].isin(OPPOSITE[0] | OPPOSITE[1])]
        present = set(placed["kwadrant"])
        eenduidig = not any(pair <= present for pair in OPPOSITE)
        row = {"eenheid": u, "n_buurten": len(part), "n_geplaatst": len(placed),
               "kwadranten": placed["kwadrant"].value_counts().to_dict(), "eenduidig": eenduidig,
               "toelichting": "" if eenduidig else f"{NIET_EENDUIDIG}: buurten liggen in tegenovergestelde kwadranten"}
        for axis in AXES:
            vals = part.dropna(subset=[axis])
            for kant, idx in (("laagste", vals[axis].idxmin() if len(vals) else None),
                              ("hoogste", vals[axis].idxmax() if len(vals) else None)):
                row[f"{kant}_{axis}"] = None if idx is None else vals.at[idx, "buurtcode"]
                row[f"{kant}_{axis}_naam"] = None if idx is None else vals.at[idx, "buurtnaam"]
                row[f"{kant}_{axis}_score"] = np.nan if idx is None else float(vals.at[idx, axis])
        rows.append(row)
    return buurten, pd.DataFrame(rows, columns=SPREIDING_COLUMNS)


def dissolved(ds: Dataset, eenheden: Eenheden, web: bool = False) -> gpd.GeoDataFrame:
    """One outline per unit: the union of its buurten (RD New; EPSG:4326 with ``web``).

    Columns ``eenheid``, ``naam``, ``geometry``. Units whose buurten have no geometry get
    an empty geometry.
    """
    geom = ds.web_geometry if web and ds.web_geometry is not None else ds.gebieden.set_index("buurtcode").geometry
    if web and ds.web_geometry is None:
        geom = geom.to_crs("EPSG:4326")
    names = eenheden.frame.set_index("eenheid")["naam"]
    shapes = [geom.reindex(list(codes)).dropna().union_all() if len(geom.reindex(list(codes)).dropna()) else None
              for codes in eenheden.leden.values()]
    return gpd.GeoDataFrame({"eenheid": list(eenheden.leden), "naam": names.reindex(list(eenheden.leden)).to_numpy()},
                            geometry=gpd.GeoSeries(shapes, crs=geom.crs), crs=geom.crs)
