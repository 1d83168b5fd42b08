"""Tables for one buurt's profile: indicator values with year and source, contributions."""

from __future__ import annotations

import pandas as pd

from . import indicators
from .dataset import UNKNOWN_YEAR, Dataset
from .scoring import ScoreResult


def indicator_table(ds: Dataset, buurtcode: str, jaar: int | None = None, kolommen: list[str] | None = None) -> pd.DataFrame:
    """The buurt's indicator values at the peiljaar, with unit, year, source and missing reason.

    Missing values keep their reason ("geheim (CBS -99997)") and are never shown as zero.
    """
    peil = ds.peiljaren(jaar)
    rows = []
    for kolom in kolommen or list(peil):
        if kolom not in peil:
            rows.append({"kolom": kolom, "indicator": indicators.info(kolom).label, "waarde": None,
                         "eenheid": indicators.info(kolom).eenheid, "jaar": None, "bron": "niet in deze dataset",
                         "status": "ontbreekt in dataset"})
            continue
        j = peil[kolom]
        meta = ds.indicatoren[kolom]
        value = ds.waarden.at[buurtcode, (kolom, j)]
        reason = ds.reden(kolom, j, buurtcode)
        status = "" if pd.notna(value) else (reason or "onbekend")
        label = meta.label
        if meta.niveau_in(j) == "wijk":
            # A wijk figure applied to the buurt: say so next to the value.
            label += " (wijkcijfer)"
            status = "wijkcijfer" if pd.notna(value) else status
        rows.append({"kolom": kolom, "indicator": label, "waarde": value, "eenheid": meta.eenheid,
                     "jaar": None if j == UNKNOWN_YEAR else j, "bron": meta.bron_in(j), "status": status})
    return pd.DataFrame(rows)


def score_basis(result: ScoreResult, ds: Dataset, buurtcode: str, axis: str, jaar: int | None = None) -> dict[str, list[str]]:
    """What one buurt's axis score rests on.

    Returns ``{"gebruikt": [...], "ontbreekt": [...], "niet_in_dataset": [...]}`` with
    indicator labels; used ones carry their year and "wijkcijfer" where applicable.
    """
    peil = ds.peiljaren(jaar)
    out: dict[str, list[str]] = {"gebruikt": [], "ontbreekt": [], "niet_in_dataset": []}
    for ind in result.recipe.axis(axis).indicatoren:
        label = indicators.info(ind.kolom).label
        if ind.kolom in result.ontbrekende_kolommen:
            out["niet_in_dataset"].append(label)
            continue
        value = result.genormaliseerd.at[buurtcode, ind.kolom]
        j = peil.get(ind.kolom)
        if pd.isna(value):
            out["ontbreekt"].append(label)
            continue
        extra = [str(j)] if j and j != UNKNOWN_YEAR else []
        meta = ds.indicatoren.get(ind.kolom)
        if meta is not None and meta.niveau_in(j) == "wijk":
            extra.append("wijkcijfer")
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
}


def _badge(status: str, jaar, newest: int | None) -> str:
    if "geheim" in status or "-99997" in status:
        return "onderdrukt"
    if status == "wijkcijfer":
        return "wijkcijfer"
    if status:
        return "ontbreekt"
    if newest is not None and jaar is not None and pd.notna(jaar) and newest - int(jaar) >= OUTDATED_YEARS:
        return "verouderd"
    return ""


def kerncijfers(ds: Dataset, buurtcode: str, jaar: int | None = None, kolommen: list[str] | None = None) -> pd.DataFrame:
    """:func:`indicator_table` plus the gemeente median and a badge per value.

    ``mediaan`` is the median over the buurten of the buurt's own gemeente at the same year;
    ``badge`` is ``onderdrukt``, ``ontbreekt``, ``wijkcijfer``, ``verouderd`` or empty.
    Missing values stay missing (never zero) and do not enter the median.
    """
    table = indicator_table(ds, buurtcode, jaar, kolommen)
    gm = ds.gebieden.set_index("buurtcode")["gemeentecode"]
    peers = gm.index[gm == gm.loc[buurtcode]]
    peil = ds.peiljaren(jaar)
    newest = max((j for j in peil.values() if j != UNKNOWN_YEAR), default=None)
    medians, badges = [], []
    for row in table.itertuples(index=False):
        if row.kolom in peil:
            medians.append(float(ds.waarden.loc[peers, (row.kolom, peil[row.kolom])].median()))
        else:
            medians.append(float("nan"))
        badges.append(_badge(row.status, row.jaar, newest))
    table.insert(table.columns.get_loc("waarde") + 1, "mediaan", medians)
    table["badge"] = badges
    return table


def badge_counts(table: pd.DataFrame) -> dict[str, int]:
    """How many values carry each badge, in :data:`BADGES` order, zeros left out."""
    counts = table["badge"].value_counts()
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
