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
