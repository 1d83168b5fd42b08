"""From buurten to wijken and gebieden: the honest aggregation.

Per unit (a CBS wijk, or a :class:`~wijkprofielen.gebieden.model.Gebied`) and indicator:

1. **Published first.** Where the source publishes the unit itself, that figure is used and
   marked ``gepubliceerd``: a wijk figure the importer applied to every buurt of the wijk
   (e.g. the CBS income table per wijk, ``niveau = "wijk"``), or a table of wijk figures
   passed in as ``gepubliceerd``. A gebied gets a published figure only when it is exactly
   one wijk.
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
    """

    niveau: str
    leden: dict[str, tuple[str, ...]]
    frame: pd.DataFrame
    lang: pd.DataFrame
    gebieden: list[Gebied] = field(default_factory=list)

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


def _published(values: pd.Series, niveau: pd.Series, leden: dict[str, tuple[str, ...]],
               wijken: dict[str, tuple[str, ...]], extra: pd.Series | None) -> dict[str, float]:
    """A unit's published figure: a wijk figure carried by all its buurten, or from ``extra`` (by wijkcode)."""
    per_set = {}
    for wijk, codes in wijken.items():
        if extra is not None and wijk in extra.index and pd.notna(extra[wijk]):
            per_set[codes] = float(extra[wijk])
            continue
        v = values.loc[list(codes)]
        if (niveau.loc[list(codes)] == "wijk").all() and v.notna().all() and v.nunique() == 1:
            per_set[codes] = float(v.iloc[0])
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
    mem = pd.DataFrame([(u, c) for u, codes in leden.items() for c in codes], columns=["eenheid", "buurtcode"])
    units = pd.Index(list(leden), name="eenheid")
    totals = mem.groupby("eenheid").size().reindex(units)
    inw = values["inwoners"] if "inwoners" in values else pd.Series(np.nan, index=values.index)
    inw_total = mem.assign(w=inw.reindex(mem["buurtcode"]).to_numpy()).groupby("eenheid")["w"].sum(min_count=1).reindex(units)
    rows = []
    for kolom in values.columns:
        info = indicators.info(kolom)
        meta = ds.indicatoren[kolom]
        v = values[kolom]
        extra = gepubliceerd[kolom] if gepubliceerd is not None and kolom in gepubliceerd.columns else None
        published = _published(v, niveaus[kolom], leden, wijken, extra)
        weight = None
        if info.aggregatie:
            weight = values[info.gewicht] if info.gewicht in values else pd.Series(np.nan, index=values.index)
        m = mem.assign(v=v.reindex(mem["buurtcode"]).to_numpy(), inw=inw.reindex(mem["buurtcode"]).to_numpy(),
                       geheim=geheim[kolom].reindex(mem["buurtcode"]).to_numpy(),
                       jaar=years[kolom].reindex(mem["buurtcode"]).to_numpy(),
                       wijk=niveaus[kolom].reindex(mem["buurtcode"]).to_numpy() == "wijk")
        m["w"] = 1.0 if weight is None or info.aggregatie == "som" else weight.reindex(m["buurtcode"]).to_numpy()
        m["ok"] = m["v"].notna() & m["w"].notna()
        ok = m[m["ok"]]
        g = m.groupby("eenheid")
        n_ok = ok.groupby("eenheid").size().reindex(units, fill_value=0)
        inw_ok = ok.groupby("eenheid")["inw"].sum(min_count=1).reindex(units)
        share = (inw_ok.fillna(0) / inw_total).where(inw_total > 0, n_ok / totals)
        n_secret = g["geheim"].sum().reindex(units, fill_value=0)
        all_wijk = ok.groupby("eenheid")["wijk"].all().reindex(units, fill_value=False)
        newest = ok.groupby("eenheid")["jaar"].max().reindex(units)
        if info.aggregatie == "som":
            computed = ok.groupby("eenheid")["v"].sum().reindex(units).where(n_ok == totals)
        elif info.aggregatie:
            wsum = ok.groupby("eenheid")["w"].sum().reindex(units)
            vw = ok.assign(vw=ok["v"] * ok["w"]).groupby("eenheid")["vw"].sum().reindex(units)
            computed = (vw / wsum).where(wsum > 0)
        else:
            computed = pd.Series(np.nan, index=units)
        for u in units:
            pub = published.get(u, np.nan)
            calc = float(computed[u]) if pd.notna(computed[u]) else np.nan
            reden = None
            if not info.aggregatie:
                reden = "wordt niet samengevoegd: de catalogus geeft geen aggregatie"
            elif info.aggregatie == "som" and n_secret[u] and np.isnan(pub):
                reden = "een buurt heeft een geheim cijfer (CBS); een som zonder die buurt zou het onthullen"
            elif info.aggregatie == "som" and n_ok[u] < totals[u]:
                reden = f"{int(totals[u] - n_ok[u])} van {int(totals[u])} buurten zonder waarde; een som is dan onvolledig"
            elif not np.isnan(calc) and share[u] < min_aandeel - 1e-12:
                reden = f"buurten met een waarde hebben {share[u]:.0%} van de inwoners, minder dan {min_aandeel:.0%}"
                calc = np.nan
            elif np.isnan(calc):
                reden = "geen buurt met een waarde"
            if not np.isnan(pub) and n_secret[u] and not np.isnan(calc):
                calc, reden = np.nan, "naast het gepubliceerde cijfer zou dit een geheim buurtcijfer onthullen"
            if info.aggregatie == "som" and reden:
                calc = np.nan
            if not np.isnan(pub):
                waarde, herkomst, toelichting = pub, GEPUBLICEERD, f"gepubliceerd ({meta.bron_in(_int(newest[u]))})"
                reden = None
            elif not np.isnan(calc):
                waarde, herkomst = calc, BEREKEND
                toelichting = f"berekend uit {int(n_ok[u])} {'buurt' if n_ok[u] == 1 else 'buurten'}" + (
                    " (wijkcijfers)" if all_wijk[u] else "")
                reden = None
            else:
                waarde, herkomst, toelichting = np.nan, None, ""
            jaar_u = _int(newest[u])
            rows.append((u, kolom, waarde, herkomst, pub, calc, int(n_ok[u]), int(totals[u]),
                         float(share[u]) if pd.notna(share[u]) else np.nan, toelichting, reden, jaar_u,
                         meta.bron_in(jaar_u) if jaar_u is not None else meta.bron))
    lang = pd.DataFrame(rows, columns=LANG_COLUMNS)
    wide = lang.pivot(index="eenheid", columns="kolom", values="waarde").reindex(index=units, columns=list(values.columns))
    frame = _names(ds, niveau, leden).join(wide, on="eenheid")
    frame.insert(4, "n_buurten", totals.to_numpy())
    return Eenheden(niveau, leden, frame, lang, list(gebieden or []) if niveau == "gebied" else [])


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _names(ds: Dataset, niveau: str, leden: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    g = ds.gebieden.set_index("buurtcode")
    out = []
    for u, codes in leden.items():
        first = g.loc[list(codes)]
        gm = first["gemeentecode"].mode().iloc[0]
        naam = first["wijknaam"].iloc[0] if niveau == "wijk" else u
        out.append({"eenheid": u, "naam": naam, "gemeentecode": gm,
                    "gemeentenaam": first.loc[first["gemeentecode"] == gm, "gemeentenaam"].iloc[0]})
    return pd.DataFrame(out, columns=["eenheid", "naam", "gemeentecode", "gemeentenaam"])
