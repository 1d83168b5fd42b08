"""Tables for one buurt's profile: indicator values with year and source, contributions."""

from __future__ import annotations

import pandas as pd

from . import indicators
from .dataset import UNKNOWN_YEAR, Dataset
from .scoring import ScoreResult


def indicator_table(ds: Dataset, buurtcode: str, jaar: int | None = None, kolommen: list[str] | None = None) -> pd.DataFrame:
    """The buurt's indicator values at the peiljaar, with unit, year, source, level and missing reason.

    The value is the one :meth:`~wijkprofielen.dataset.Dataset.keuze` picks for this buurt
    (its own figure before a newer wijk figure within the configured age). ``jaar`` is the
    year the figure describes (its source year: income in the Kerncijfers 2017 is of 2014);
    ``bron`` names the table year where that differs. ``niveau`` is ``buurt`` or ``wijk``;
    ``grenswijziging`` the change of the buurt's area in that year against the reference
    year where the boundaries differed (else NaN). Missing values keep their reason
    ("geheim (CBS -99997)") and are never shown as zero.
    """
    lang = ds.waarden_lang(jaar, [buurtcode], kolommen).set_index("kolom")
    rows = []
    for kolom in kolommen or list(lang.index):
        info = indicators.info(kolom)
        if kolom not in lang.index:
            rows.append({"kolom": kolom, "indicator": info.label, "waarde": None, "eenheid": info.eenheid, "jaar": None,
                         "bron": "niet in deze dataset", "status": "ontbreekt in dataset", "niveau": None,
                         "grenswijziging": float("nan")})
            continue
        r = lang.loc[kolom]
        meta = ds.indicatoren[kolom]
        value = r["waarde"]
        status = "" if pd.notna(value) else (r["reden"] or "onbekend")
        label = meta.label
        if r["niveau"] == "wijk":
            # A wijk figure applied to the buurt: say so next to the value.
            label += " (wijkcijfer)"
            status = "wijkcijfer" if pd.notna(value) else status
        bron = r["bron"]
        if r["jaar"] != UNKNOWN_YEAR and r["bronjaar"] != r["jaar"]:
            bron += f" (tabel {r['jaar']}, cijfers over {r['bronjaar']})"
        rows.append({"kolom": kolom, "indicator": label, "waarde": value, "eenheid": meta.eenheid,
                     "jaar": None if r["jaar"] == UNKNOWN_YEAR else int(r["bronjaar"]), "bron": bron, "status": status,
                     "niveau": r["niveau"], "grenswijziging": r["grenswijziging"]})
    return pd.DataFrame(rows)


def score_basis(result: ScoreResult, ds: Dataset, buurtcode: str, axis: str, jaar: int | None = None) -> dict[str, list[str]]:
    """What one buurt's axis score rests on.

    Returns ``{"gebruikt": [...], "ontbreekt": [...], "niet_in_dataset": [...]}`` with
    indicator labels; used ones carry their year and "wijkcijfer" where applicable.
    """
    keuze = ds.keuze(jaar)
    out: dict[str, list[str]] = {"gebruikt": [], "ontbreekt": [], "niet_in_dataset": []}
    for ind in result.recipe.axis(axis).indicatoren:
        label = indicators.info(ind.kolom).label
        if ind.kolom in result.ontbrekende_kolommen:
            out["niet_in_dataset"].append(label)
            continue
        value = result.genormaliseerd.at[buurtcode, ind.kolom]
        j = int(keuze[ind.kolom][buurtcode]) if ind.kolom in keuze and buurtcode in keuze[ind.kolom].index else None
        if pd.isna(value):
            out["ontbreekt"].append(label)
            continue
        meta = ds.indicatoren.get(ind.kolom)
        extra = [str(meta.bronjaar_in(j) if meta is not None else j)] if j and j != UNKNOWN_YEAR else []
        if meta is not None and meta.niveau_in(j) == "wijk":
            extra.append("wijkcijfer")
        if j and buurtcode in ds.grenswijziging(j):
            extra.append("andere grenzen")
        out["gebruikt"].append(f"{label} ({', '.join(extra)})" if extra else label)
    return out


def score_basis_text(basis: dict[str, list[str]]) -> str:
    """The :func:`score_basis` as one Dutch sentence block (Markdown)."""
    parts = [f"**Rust op:** {'; '.join(basis['gebruikt']) or 'geen indicatoren'}."]
    if basis["ontbreekt"]:
        parts.append(f"**Ontbreekt voor deze buurt:** {'; '.join(basis['ontbreekt'])}.")
    if basis["niet_in_dataset"]:
        parts.append(f"**Niet in deze dataset:** {'; '.join(basis['niet_in_dataset'])}.")
    return "  \n".join(parts)


def contributions_table(result: ScoreResult, buurtcode: str, axis: str) -> pd.DataFrame:
    """Per indicator of one axis: direction, weight, normalised value and contribution."""
    rows = []
    for ind in result.recipe.axis(axis).indicatoren:
        if ind.kolom in result.ontbrekende_kolommen:
            continue
        rows.append({
            "kolom": ind.kolom,
            "indicator": indicators.info(ind.kolom).label,
            "subas": ind.subas,
            "richting": "+" if ind.richting > 0 else "−",
            "gewicht": ind.gewicht,
            "genormaliseerd": result.genormaliseerd.at[buurtcode, ind.kolom],
            "bijdrage": result.bijdragen.at[buurtcode, (axis, ind.kolom)],
        })
    table = pd.DataFrame(rows)
    if len(table):
        table = table.sort_values("bijdrage", key=lambda s: -s.abs(), na_position="last").reset_index(drop=True)
    return table


# --- kerncijfers, badges and the Leefbaarometer trend for the Wijkprofiel page ---

#: A value whose year lies this many years or more before the newest year in the dataset is
#: flagged as outdated.
OUTDATED_YEARS = 3

BADGES = {
    "onderdrukt": "onderdrukt (CBS-geheimhouding)",
    "ontbreekt": "ontbreekt",
    "wijkcijfer": "wijkcijfer",
    "verouderd": "verouderd",
    "andere_grenzen": "andere grenzen",
}
BADGE_SEP = ", "


def badges(status: str, jaar, newest: int | None, niveau: str | None = None, grenswijziging: float = float("nan")) -> list[str]:
    """The badges of one value, in :data:`BADGES` order.

    A missing value is ``onderdrukt`` or ``ontbreekt``; a present one can be a ``wijkcijfer``,
    ``verouderd`` (its source year lies :data:`OUTDATED_YEARS` or more before the newest year)
    and from a year with ``andere_grenzen`` than now, all at once.
    """
    if status and status != "wijkcijfer":
        return ["onderdrukt" if "geheim" in status or "-99997" in status else "ontbreekt"]
    out = []
    if status == "wijkcijfer" or niveau == "wijk":
        out.append("wijkcijfer")
    if newest is not None and jaar is not None and pd.notna(jaar) and newest - int(jaar) >= OUTDATED_YEARS:
        out.append("verouderd")
    if pd.notna(grenswijziging):
        out.append("andere_grenzen")
    return out


def badge_text(keys: list[str], grenswijziging: float = float("nan")) -> str:
    """The badges as a reader sees them: ``"wijkcijfer, andere grenzen (oppervlakte −16%)"``."""
    texts = [BADGES[k] + (f" (oppervlakte {grenswijziging:+.0%} t.o.v. nu)".replace("-", "−")
                          if k == "andere_grenzen" and pd.notna(grenswijziging) else "") for k in keys]
    return BADGE_SEP.join(texts)


def kerncijfers(ds: Dataset, buurtcode: str, jaar: int | None = None, kolommen: list[str] | None = None) -> pd.DataFrame:
    """:func:`indicator_table` plus the gemeente median and the badges per value.

    ``mediaan`` is the median over the buurten of the buurt's own gemeente in the year of the
    buurt's value;
    ``badge`` holds the keys of :data:`BADGES` that apply (``onderdrukt``, ``ontbreekt``,
    ``wijkcijfer``, ``verouderd``, ``andere_grenzen``), joined by ", ", or is empty.
    Missing values stay missing (never zero) and do not enter the median.
    """
    table = indicator_table(ds, buurtcode, jaar, kolommen)
    gm = ds.gebieden.set_index("buurtcode")["gemeentecode"]
    peers = gm.index[gm == gm.loc[buurtcode]]
    peil = ds.peiljaren(jaar)
    keuze = ds.keuze(jaar)
    newest = max((j for j in peil.values() if j != UNKNOWN_YEAR), default=None)
    medians, keys = [], []
    for row in table.itertuples(index=False):
        if row.kolom in keuze:
            medians.append(float(ds.waarden.loc[peers, (row.kolom, int(keuze[row.kolom][buurtcode]))].median()))
        else:
            medians.append(float("nan"))
        keys.append(BADGE_SEP.join(badges(row.status, row.jaar, newest, row.niveau, row.grenswijziging)))
    table.insert(table.columns.get_loc("waarde") + 1, "mediaan", medians)
    table["badge"] = keys
    return table


def badge_counts(table: pd.DataFrame) -> dict[str, int]:
    """How many values carry each badge, in :data:`BADGES` order, zeros left out."""
    counts = table["badge"].str.split(BADGE_SEP).explode().value_counts()
    return {b: int(counts[b]) for b in BADGES if counts.get(b, 0)}


def lbm_trend(ds: Dataset, buurtcode: str, kolom: str = "lbm_score") -> pd.DataFrame:
    """The Leefbaarometer score over the years for the buurt and the gemeente median.

    Returns long format ``jaar, reeks, waarde`` (``reeks``: "buurt" or "gemeente (mediaan)");
    empty when the dataset has no such column. Missing years stay missing.
    """
    if kolom not in ds.kolommen:
        return pd.DataFrame(columns=["jaar", "reeks", "waarde"])
    series = ds.reeks(kolom)
    series = series.loc[:, [j for j in series.columns if j != UNKNOWN_YEAR]]
    gm = ds.gebieden.set_index("buurtcode")["gemeentecode"]
    peers = gm.index[gm == gm.loc[buurtcode]]
    rows = []
    for j in sorted(series.columns):
        rows.append({"jaar": int(j), "reeks": "buurt", "waarde": series.at[buurtcode, j]})
        rows.append({"jaar": int(j), "reeks": "gemeente (mediaan)", "waarde": series.loc[peers, j].median()})
    return pd.DataFrame(rows).dropna(subset=["waarde"]).reset_index(drop=True)
