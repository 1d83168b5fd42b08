"""The method description, generated from the config and the dataset so it never drifts.

Everything shown here is read from the objects that compute the scores: the recipe (axes,
directions, weights, normalisation, reference, coverage rule, quadrant boundaries), the
dataset (source, year and coverage per indicator) and the stability settings. The cautions
of the product live here once (:data:`CAUTION`, :data:`CAUTIONS`) and the UI imports them.
"""

from __future__ import annotations

import pandas as pd

from . import indicators
from .config import Config, Recipe
from .domain import AXES
from .dataset import UNKNOWN_YEAR, Dataset
from .reference import REFERENCE_LABELS
from .scoring import ScoreResult
from .stability import StabilitySettings

CAUTION = (
    "Scores zijn **signalen, geen oordelen**. Ze vatten openbare cijfers samen en vervangen "
    "de kennis van bewoners en professionals in de buurt niet. Bespreek ze samen."
)

# The cautions the product must respect, in the words shown to users.
CAUTIONS = (
    ("Signalen, geen oordelen",
     "Een score vat cijfers samen; het is een aanleiding voor een gesprek, geen oordeel over een buurt of haar bewoners."),
    ("Geen ranglijsten die stigmatiseren",
     "Kleuren zijn neutraal en kleurenblind-veilig, zonder rood-naar-groen-schaal; kwadrantnamen beschrijven een aanpak, geen probleem."),
    ("Cijfers en praktijkkennis verschillen vaak",
     "Waar bewoners en professionals de buurt anders zien dan de data, is dat waardevolle informatie: leg het vast en verberg het niet."),
    ("Grenzen veranderen",
     "Buurtgrenzen en -codes wijzigen tussen jaren en beïnvloeden de uitkomst; gewijzigde of nieuwe codes worden gemarkeerd, nooit stil gekoppeld."),
    ("Geld dat een score volgt, wordt bespeeld",
     "Koppel budget niet blind aan een positie; bekijk altijd ook de ontwikkeling door de jaren."),
    ("Gevoelige registraties alleen geaggregeerd",
     "Overlast, huurachterstanden en instroom van kwetsbare huishoudens worden alleen samengevat getoond, kleine aantallen onderdrukt."),
)

NORMALISATION_TEXT = {
    "zscore": "z-score: (waarde − gemiddelde) / standaardafwijking van de referentie, afgekapt op ±{clip:g}.",
    "percentiel": "percentiel: de middenrang van de waarde in de referentie, omgerekend naar −1 … 1 (0 = mediaan).",
}


def indicator_overview(recipe: Recipe, ds: Dataset, jaar: int | None = None,
                       result: ScoreResult | None = None) -> pd.DataFrame:
    """Every recipe indicator with axis, sub-axis, direction, weight, source, year and coverage.

    ``dekking`` is the share of buurten in the dataset with a value at the peiljaar; an
    indicator the dataset does not carry has coverage 0 and source "niet in deze dataset".
    ``vergeleken_met`` says which reference the indicator was normalised against (with
    ``result``: an external reference falls back to the gemeente for columns it lacks).
    """
    peil = ds.peiljaren(jaar)
    n = len(ds.gebieden)
    rows = []
    for axis in recipe.assen:
        total = sum(i.gewicht for i in axis.indicatoren)
        for ind in axis.indicatoren:
            info = indicators.info(ind.kolom)
            present = ind.kolom in peil
            j = peil.get(ind.kolom)
            meta = ds.indicatoren.get(ind.kolom)
            rows.append({
                "as": axis.label,
                "subas": ind.subas,
                "kolom": ind.kolom,
                "indicator": meta.label if meta else info.label,
                "richting": "hoger is hoger op de as" if ind.richting > 0 else "lager is hoger op de as",
                "gewicht": ind.gewicht,
                "aandeel_gewicht": ind.gewicht / total if total else 0.0,
                "bron": (meta.bron if meta else info.bron) if present else "niet in deze dataset",
                "jaar": None if not present or j == UNKNOWN_YEAR else int(j),
                "dekking": float(ds.waarden[(ind.kolom, j)].notna().sum() / n) if present and n else 0.0,
                "vergeleken_met": _compared_with(recipe, ind.kolom, present, result),
            })
    return pd.DataFrame(rows)


def _compared_with(recipe: Recipe, kolom: str, present: bool, result: ScoreResult | None) -> str:
    if not present:
        return "—"
    if result is not None and kolom in result.referentie_terugval:
        return REFERENCE_LABELS["gemeente"] + " (niet in de referentie)"
    return REFERENCE_LABELS.get(recipe.referentie, recipe.referentie).split(" (")[0]


def reference_text(recipe: Recipe, result: ScoreResult | None = None) -> str:
    """What each buurt is compared with, including the fall-back columns of an external reference."""
    text = f"Referentie: **{REFERENCE_LABELS.get(recipe.referentie, recipe.referentie)}** (`referentie = \"{recipe.referentie}\"`)."
    ref = result.referentie if result is not None else None
    if ref is not None:
        text += f" Bron: {ref.bron}."
        if ref.naam == "stedelijkheid" and ref.groep_per_gemeente:
            klassen = ", ".join(f"{gm}: klasse {k}" for gm, k in sorted(ref.groep_per_gemeente.items()))
            text += f" Stedelijkheidsklasse (inwonergewogen mediaan van de buurten): {klassen}."
        text += (" Leefbaarometerscores zijn al een afwijking van het landelijk gemiddelde: hun midden is 0; "
                 "de spreiding komt uit de geladen buurten (geen landelijke spreiding beschikbaar).")
    if result is not None and result.referentie_terugval:
        text += (" Niet in de referentie, daarom vergeleken met de eigen gemeente: "
                 + ", ".join(f"`{k}`" for k in result.referentie_terugval) + ".")
    return text


def rules(cfg: Config, result: ScoreResult | None = None) -> list[tuple[str, str]]:
    """The normalisation, reference, coverage and quadrant rules as ``(title, markdown)``."""
    r = cfg.recipe
    labels = {a.naam: a.label for a in r.assen}
    quadrant_lines = "\n".join(
        f"- **{cfg.kwadrant_namen[q]}** (`{q}`): {labels['draagkracht']} {'≥' if q.startswith('hoog') else '<'} "
        f"{r.grens_draagkracht:g} en {labels['fysieke_kansen']} {'≥' if q.endswith('_hoog') else '<'} {r.grens_fysieke_kansen:g}."
        for q in ("hoog_hoog", "laag_hoog", "laag_laag", "hoog_laag")
    )
    return [
        ("Normalisatie",
         "Elke indicator wordt vergelijkbaar gemaakt met een "
         + NORMALISATION_TEXT[r.normalisatie].format(clip=r.clip)
         + " Daarna telt de richting: bij richting −1 telt een lage waarde als hoog op de as. "
           "De asscore is het gewogen gemiddelde van de beschikbare indicatoren."),
        ("Referentie", reference_text(r, result)),
        ("Dekking",
         f"Een ontbrekende waarde telt nooit als nul: ze verlaagt de *dekking*, het aandeel van het gewicht van de as "
         f"dat beschikbaar is. Onder {r.min_dekking:.0%} dekking krijgt de as geen score en staat de buurt als "
         f"**{cfg.kwadrant_namen['onvoldoende_data']}** buiten het assenkruis. CBS-codes voor geheime of ontbrekende "
         "waarden (−99997, −99995, −99991, '.') zijn ontbrekend, met hun reden."
         + (" Indicatoren die de dataset helemaal niet heeft, vallen buiten de score: "
            + ", ".join(f"`{k}`" for k in result.ontbrekende_kolommen) + "." if result and result.ontbrekende_kolommen else "")),
        ("Kwadranten",
         "Een score precies op een grens telt als hoog.\n\n" + quadrant_lines),
    ]


def stability_text(opts: StabilitySettings, recipe: Recipe) -> str:
    """How ``stabiliteit`` and ``grensgeval`` are computed, with the configured numbers."""
    other = "percentiel" if recipe.normalisatie == "zscore" else "zscore"
    parts = []
    if opts.gewichten_varieren:
        parts.append(f"{opts.trekkingen} trekkingen van de gewichten rond het recept (Dirichlet, concentratie {opts.concentratie:g}; "
                     "hoe hoger, hoe kleiner de afwijking)")
    else:
        parts.append(f"{opts.trekkingen} herhalingen met de gewichten van het recept")
    if opts.andere_normalisatie:
        parts.append(f"de helft daarvan met de andere normalisatie ({other})")
    if opts.weglaten:
        parts.append("elke indicator één keer weggelaten")
    return (
        "**Stabiliteit** is het aandeel van redelijke alternatieve recepten waarin een buurt in hetzelfde kwadrant blijft "
        f"(0 … 1; seed {opts.seed}, dus herhaalbaar). De alternatieven: " + "; ".join(parts) + ". "
        f"Een buurt binnen {opts.grensgeval_marge:g} van een kwadrantgrens is een **grensgeval**. Vanaf stabiliteit "
        f"{opts.drempel_stevig:.0%} (en geen grensgeval) heet een buurt *stevig geplaatst*, anders *gevoelig voor keuzes*. "
        "Een lage stabiliteit zegt niets over de buurt zelf, wel dat de plaats afhangt van keuzes in het recept."
    )


def cautions_markdown() -> str:
    return "\n".join(f"- **{t}.** {u}" for t, u in CAUTIONS)


def methode_markdown(cfg: Config, ds: Dataset, result: ScoreResult, opts: StabilitySettings, jaar: int | None = None) -> str:
    """The whole method page as one Markdown document (for the CLI and exports)."""
    lines = [f"# Methode — {ds.naam}", ""]
    if ds.synthetisch:
        lines += ["*Synthetische voorbeeldgegevens, geen echte buurten.*", ""]
    lines += [f"Recept {cfg.recipe.fingerprint()} uit {cfg.bron}.", "", "## Indicatoren", ""]
    table = indicator_overview(result.recipe, ds, jaar, result)
    for axis in AXES:
        label = cfg.recipe.axis(axis).label
        lines += [f"### {label}", "", "| indicator | subas | richting | gewicht | bron | jaar | dekking |", "|---|---|---|---|---|---|---|"]
        for row in table[table["as"] == label].itertuples():
            jaar_txt = "" if row.jaar is None or row.jaar != row.jaar else str(int(row.jaar))
            lines.append(f"| {row.indicator} (`{row.kolom}`) | {row.subas} | {'+' if row.richting.startswith('hoger') else '−'} | "
                         f"{row.gewicht:g} ({row.aandeel_gewicht:.0%}) | {row.bron} | {jaar_txt} | {row.dekking:.0%} |")
        lines.append("")
    for title, text in rules(cfg, result):
        lines += [f"## {title}", "", text, ""]
    lines += ["## Stabiliteit en grensgevallen", "", stability_text(opts, cfg.recipe), "", "## Voorzichtig gebruiken", "",
              cautions_markdown(), ""]
    return "\n".join(lines)
