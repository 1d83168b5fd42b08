"""From buurten to wijken and gebieden: the honest aggregation.

Per unit (a CBS wijk, or a :class:`~wijkprofielen.gebieden.model.Gebied`) and indicator:

1. **Published first.** Where the source publishes the unit itself, that figure is used and
   marked ``gepubliceerd``: the newest wijk figure at or before the peiljaar that the
   importer applied to every buurt of the wijk (e.g. the CBS income table per wijk,
   ``niveau = "wijk"``; also where the buurten themselves show an own, older buurt figure),
   or a table of wijk figures passed in as ``gepubliceerd``. The figure computed from the
   buurten is kept beside it. A gebied gets a published figure only when it is exactly one wijk.
2. **Computed otherwise**, by the indicator's ``aggregatie`` in the catalogue: ``som``
   adds counts (and is missing unless every buurt has a value); ``aandeel`` weights a share,
   rate or mean by its own ``noemer`` (inwoners, huishoudens, woningen);
   ``gemiddelde_per_persoon`` and ``lbm`` weight by inhabitants. The figure is marked
   ``berekend`` with the number of buurten it rests on and the share of the unit's
   inhabitants that had a value; below ``min_aandeel`` it is missing. An indicator without
   ``aggregatie`` is not aggregated.
3. **Suppression carries over.** A value CBS kept secret (``geheim``) never enters a sum or
   a mean, whatever number the data holds for it; a sum over a unit with such a buurt is
   missing; and where a unit has a published figure, no computed figure that leaves a
   secret buurt out is shown beside it (the difference would reveal that buurt).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import indicators
from ..dataset import Dataset
from ..domain import BEREKEND, GEPUBLICEERD, MIN_AANDEEL_INWONERS, NIVEAUS
from ..errors import DataError
from .model import Gebied, check_codes, check_names

LANG_COLUMNS = ["eenheid", "kolom", "waarde", "herkomst", "gepubliceerd", "berekend", "n_buurten", "n_buurten_totaal",
                "aandeel_inwoners", "toelichting", "reden", "jaar", "bron"]
GEHEIM = "geheim"


@dataclass
class Eenheden:
    """The units of one level with their figures.

    Attributes
    ----------
    niveau : str
        ``"wijk"`` or ``"gebied"``.
    leden : dict
        ``{eenheid: (buurtcode, …)}``; ``eenheid`` is the wijkcode or the gebied's name.
    frame : DataFrame
        One row per unit: ``eenheid``, ``naam``, ``gemeentecode``, ``gemeentenaam``,
        ``n_buurten`` and one column per indicator with the value used (published, else
        computed; NaN when missing).
    lang : DataFrame
        One row per unit and indicator, columns :data:`LANG_COLUMNS`: the value used, its
        ``herkomst`` (``gepubliceerd``/``berekend``/None), both candidate figures, the number
        of buurten with a value and in total, the share of inhabitants with a value, a Dutch
        ``toelichting`` ("berekend uit 5 buurten"), why it is missing (``reden``), the
        newest year among its buurten and its source.
    gebieden : list of Gebied
        The definitions (empty for wijken).
    inwoners_ten_minste : Series
        By unit, the inhabitants of its buurten with a known count: a lower bound where the
        sum itself is missing (enough to apply ``min_inwoners``, not to show as the count).
    """

    niveau: str
    leden: dict[str, tuple[str, ...]]
    frame: pd.DataFrame
    lang: pd.DataFrame
    gebieden: list[Gebied] = field(default_factory=list)
    inwoners_ten_minste: pd.Series | None = None

    def waarden(self, kolom: str) -> pd.Series:
        """The values of one indicator by unit."""
        return self.frame.set_index("eenheid")[kolom]


def wijk_members(ds: Dataset) -> dict[str, tuple[str, ...]]:
    """``{wijkcode: buurtcodes}`` of the dataset."""
    g = ds.gebieden
    return {w: tuple(sorted(codes)) for w, codes in g.groupby("wijkcode", sort=True)["buurtcode"]}


def _members(ds: Dataset, niveau: str, gebieden: Sequence[Gebied] | None) -> dict[str, tuple[str, ...]]:
    if niveau not in NIVEAUS or niveau == "buurt":
        raise DataError(f"Niveau {niveau!r} kan niet worden samengevoegd. Kies 'wijk' of 'gebied'.")
    if niveau == "wijk":
        return wijk_members(ds)
    if not gebieden:
        raise DataError("Niveau 'gebied' vraagt om gebieden. Geef een gebiedenbestand op (--gebieden) of maak een gebied.")
    check_names(gebieden)
    check_codes(gebieden, ds.codes)
    return {g.naam: g.buurtcodes for g in gebieden}


def _buurt_tables(ds: Dataset, jaar: int | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Per buurt and indicator: value, year, level (``buurt``/``wijk``) and whether it is secret."""
    keuze = ds.keuze(jaar)
    index = ds.waarden.index
    values = pd.DataFrame({k: ds.frame_values(k, y) for k, y in keuze.items()}, index=index)
    years = pd.DataFrame(keuze, index=index)
    niveau = pd.DataFrame(index=index)
    geheim = pd.DataFrame(index=index)
    for kolom, y in keuze.items():
        meta = ds.indicatoren[kolom]
        niveau[kolom] = y.map(lambda j: meta.niveau_in(int(j)))
        secret = np.zeros(len(index), dtype=bool)
        for j in y.unique():
            why = ds.redenen.get((kolom, int(j)), {})
            if why:
                at = (y == j).to_numpy()
                secret |= at & index.map(lambda c: str(why.get(c, "")).startswith(GEHEIM)).to_numpy(dtype=bool)
        geheim[kolom] = secret
    return values, years, niveau, geheim


def _wijk_year(ds: Dataset, kolom: str, jaar: int | None) -> int | None:
    """The newest year at or before ``jaar`` whose values of ``kolom`` are wijk figures, if any."""
    meta = ds.indicatoren[kolom]
    years = [j for j in ds.jaren(kolom) if (jaar is None or j <= jaar) and meta.niveau_in(j) == "wijk"]
    return max(years) if years else None


def _published(ds: Dataset, kolom: str, jaar: int | None, leden: dict[str, tuple[str, ...]],
               wijken: dict[str, tuple[str, ...]], extra: pd.Series | None) -> dict[str, tuple[float, int | None]]:
    """``{unit: (figure, year)}``: a published wijk figure (the one the importer applied to every
    buurt of the wijk, or from ``extra`` by wijkcode) for each unit that is exactly one wijk."""
    j = _wijk_year(ds, kolom, jaar)
    values = ds.waarden[(kolom, j)] if j is not None else None
    per_set = {}
    for wijk, codes in wijken.items():
        if extra is not None and wijk in extra.index and pd.notna(extra[wijk]):
            per_set[codes] = (float(extra[wijk]), jaar)
        elif values is not None:
            v = values.loc[list(codes)]
            if v.notna().all() and v.nunique() == 1:
                per_set[codes] = (float(v.iloc[0]), j)
    return {u: per_set[codes] for u, codes in leden.items() if codes in per_set}


def aggregate(ds: Dataset, niveau: str, gebieden: Sequence[Gebied] | None = None, jaar: int | None = None,
              min_aandeel: float = MIN_AANDEEL_INWONERS, gepubliceerd: pd.DataFrame | None = None) -> Eenheden:
    """The figures of every wijk (``niveau="wijk"``) or gebied of ``ds`` at peiljaar ``jaar``.

    Parameters
    ----------
    gebieden : list of Gebied
        Required for ``niveau="gebied"``; their buurtcodes must lie in ``ds``.
    min_aandeel : float
        A computed figure needs buurten with at least this share of the unit's inhabitants.
    gepubliceerd : DataFrame, optional
        Published wijk figures (index wijkcode, one column per indicator), e.g. a source's
        wijk rows; they beat figures computed from the buurten.

    Raises
    ------
    DataError
        Unknown level, no gebieden, duplicate names or buurtcodes not in the dataset.
    """
    leden = _members(ds, niveau, gebieden)
    wijken = wijk_members(ds)
    values, years, niveaus, geheim = _buurt_tables(ds, jaar)
    values = values.mask(geheim)  # a secret never counts, whatever number the file holds
    units = list(leden)
    # Membership as index arrays: row k says buurt b_idx[k] belongs to unit u_idx[k].
    position = {c: i for i, c in enumerate(values.index)}
    u_idx = np.array([i for i, codes in enumerate(leden.values()) for _ in codes], dtype=np.int64)
    b_idx = np.array([position[c] for codes in leden.values() for c in codes], dtype=np.int64)
    n_units = len(units)

    def per_unit(x: np.ndarray) -> np.ndarray:
        return np.bincount(u_idx, weights=x, minlength=n_units)

    totals = np.bincount(u_idx, minlength=n_units)
    inw = (values["inwoners"] if "inwoners" in values else pd.Series(np.nan, index=values.index)).to_numpy(dtype=float)[b_idx]
    inw_known = per_unit(np.nan_to_num(inw))
    area = None
    rows = []
    for kolom in values.columns:
        info = indicators.info(kolom)
        meta = ds.indicatoren[kolom]
        v = values[kolom].to_numpy(dtype=float)[b_idx]
        extra = gepubliceerd[kolom] if gepubliceerd is not None and kolom in gepubliceerd.columns else None
        published = _published(ds, kolom, jaar, leden, wijken, extra)
        if info.gewicht == "oppervlakte":
            area = _area(ds, values) if area is None else area
            w = area.to_numpy(dtype=float)[b_idx]
        elif info.gewicht:
            w = values[info.gewicht].to_numpy(dtype=float)[b_idx] if info.gewicht in values else np.full(len(b_idx), np.nan)
        else:
            w = np.ones(len(b_idx))
        ok = ~np.isnan(v) & ~np.isnan(w)
        n_ok = np.bincount(u_idx, weights=ok, minlength=n_units).astype(int)
        inw_ok = per_unit(np.where(ok, np.nan_to_num(inw), 0.0))
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(inw_known > 0, inw_ok / inw_known, n_ok / totals)
            if info.aggregatie == "som":
                computed = np.where(n_ok == totals, per_unit(np.where(ok, v, 0.0)), np.nan)
            elif info.aggregatie:
                wsum = per_unit(np.where(ok, w, 0.0))
                computed = np.where(wsum > 0, per_unit(np.where(ok, v * w, 0.0)) / wsum, np.nan)
            else:
                computed = np.full(n_units, np.nan)
        n_secret = np.bincount(u_idx, weights=geheim[kolom].to_numpy()[b_idx], minlength=n_units)
        all_wijk = np.bincount(u_idx, weights=ok & (niveaus[kolom].to_numpy()[b_idx] == "wijk"), minlength=n_units) == n_ok
        y = np.where(ok, years[kolom].to_numpy(dtype=float)[b_idx], -np.inf)
        newest = np.full(n_units, -np.inf)
        np.maximum.at(newest, u_idx, y)
        for i, u in enumerate(units):
            pub, pub_jaar = published.get(u, (np.nan, None))
            calc = float(computed[i])
            reden = None
            if not info.aggregatie:
                reden = "wordt niet samengevoegd: de catalogus geeft geen aggregatie"
            elif info.aggregatie == "som" and n_secret[i] and np.isnan(pub):
                reden = "een buurt heeft een geheim cijfer (CBS); een som zonder die buurt zou het onthullen"
            elif info.aggregatie == "som" and n_ok[i] < totals[i]:
                reden = f"{int(totals[i] - n_ok[i])} van {int(totals[i])} buurten zonder waarde; een som is dan onvolledig"
            elif not np.isnan(calc) and share[i] < min_aandeel - 1e-12:
                reden = f"buurten met een waarde hebben {share[i]:.0%} van de inwoners, minder dan {min_aandeel:.0%}"
            elif np.isnan(calc):
                reden = "geen buurt met een waarde"
            if not np.isnan(pub) and n_secret[i] and not np.isnan(calc):
                reden = "naast het gepubliceerde cijfer zou dit een geheim buurtcijfer onthullen"
            if reden:
                calc = np.nan
            jaar_u = int(newest[i]) if np.isfinite(newest[i]) else None
            if not np.isnan(pub):
                waarde, herkomst, toelichting = pub, GEPUBLICEERD, f"gepubliceerd ({meta.bron_in(pub_jaar)})"
                if reden:
                    toelichting += f"; geen berekend cijfer: {reden}"
                reden, jaar_u = None, pub_jaar
            elif not np.isnan(calc):
                waarde, herkomst = calc, BEREKEND
                toelichting = f"berekend uit {n_ok[i]} {'buurt' if n_ok[i] == 1 else 'buurten'}" + (
                    " (wijkcijfers)" if all_wijk[i] else "")
            else:
                waarde, herkomst, toelichting = np.nan, None, ""
            rows.append((u, kolom, waarde, herkomst, pub, calc, int(n_ok[i]), int(totals[i]),
                         float(share[i]) if np.isfinite(share[i]) else np.nan, toelichting, reden, jaar_u,
                         meta.bron_in(jaar_u) if jaar_u is not None else meta.bron))
    lang = pd.DataFrame(rows, columns=LANG_COLUMNS)
    wide = pd.DataFrame(lang["waarde"].to_numpy(dtype=float).reshape(len(values.columns), n_units).T,
                        index=pd.Index(units, name="eenheid"), columns=list(values.columns))
    frame = _names(ds, niveau, leden).join(wide, on="eenheid")
    frame.insert(4, "n_buurten", totals)
    known = pd.Series(inw_known, index=pd.Index(units, name="eenheid"))
    return Eenheden(niveau, leden, frame, lang, list(gebieden or []) if niveau == "gebied" else [], known)


def _area(ds: Dataset, values: pd.DataFrame) -> pd.Series:
    """A buurt's land area (km²): inhabitants / density; the geometry's area where that is 0/0."""
    implied = pd.Series(np.nan, index=values.index)
    if "inwoners" in values and "bevolkingsdichtheid" in values:
        implied = (values["inwoners"] / values["bevolkingsdichtheid"]).where(values["bevolkingsdichtheid"] > 0)
    geometry = ds.gebieden.set_index("buurtcode").geometry.reindex(values.index)
    drawn = pd.Series(geometry.area.to_numpy() / 1e6, index=values.index).where(geometry.notna().to_numpy())
    return implied.fillna(drawn.where(values.get("inwoners", pd.Series(np.nan, index=values.index)) == 0))


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _names(ds: Dataset, niveau: str, leden: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    g = ds.gebieden
    info = dict(zip(g["buurtcode"], zip(g["wijknaam"], g["gemeentecode"], g["gemeentenaam"])))
    out = []
    for u, codes in leden.items():
        rows = [info[c] for c in codes]
        gm = pd.Series([r[1] for r in rows]).mode().iloc[0]  # a gebied across a border: its main gemeente
        out.append((u, rows[0][0] if niveau == "wijk" else u, gm, next(r[2] for r in rows if r[1] == gm)))
    return pd.DataFrame(out, columns=["eenheid", "naam", "gemeentecode", "gemeentenaam"])
