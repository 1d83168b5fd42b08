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
from .domain import AXES, COMPOSITES, EXTERNAL_REFERENCES, QUADRANT_MISSING, QUADRANT_NO_INHABITANTS, QUADRANT_TOO_SMALL
from .dataset import UNKNOWN_YEAR, Dataset
from .formatting import integer, number, percent
from .gebieden.niveau import NIET_EENDUIDIG, REFERENTIE_LABELS
from .reference import REFERENCE_LABELS
from .scoring import ScoreResult, axis_correlation
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
        return REFERENCE_LABELS["gemeente"] + f" ({result.terugval_redenen.get(kolom, 'niet in de referentie')})"
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
    if ref is not None:
        text += (" Een referentiecijfer geldt alleen voor waarden van hetzelfde jaar en niveau (buurtcijfer of wijkcijfer): "
                 "een wijkcijfer, of een buurtcijfer van een ander jaar, wordt met de eigen gemeente vergeleken.")
    if result is not None and result.referentie_terugval:
        text += (" Daarom vergeleken met de eigen gemeente: "
                 + "; ".join(f"`{k}` ({result.terugval_redenen.get(k, 'niet in de referentie')})"
                             for k in result.referentie_terugval) + ".")
    return text


def missing_hint(kolom: str) -> str:
    """How to add an indicator the dataset lacks, in Dutch."""
    info = indicators.info(kolom)
    if info.lbm:
        return "Leefbaarometer-buurtscores: importeer met `import --leefbaarometer` of haal ze op via de pagina Data."
    if info.cbs_stem:
        return (f"CBS Kerncijfers wijken en buurten (StatLine-kolom `{info.cbs_stem}_…`): importeer een tabel met die kolom met "
                "`import --kerncijfers` of haal de volledige tabel op via de pagina Data.")
    if info.bron.startswith("CBS"):
        return f"{info.bron}: importeer met `import --inkomen`."
    bron = info.bron.lower() if info.bron.startswith("Lokale") else "lokale gegevens"
    return (f"{bron}: vul kolom `{kolom}` in het sjabloon op de pagina Data (tab *Sjabloon eigen gegevens*) en "
            "importeer het met `import --lokaal` of op de pagina Data.")


def missing_indicators(result: ScoreResult) -> list[dict[str, str]]:
    """Every recipe indicator the dataset lacks: axis, column, label, weight share and how to add it."""
    rows = []
    for axis in result.recipe.assen:
        total = sum(i.gewicht for i in axis.indicatoren)
        for i in axis.indicatoren:
            if i.kolom in result.ontbrekende_kolommen and i.gewicht > 0:
                rows.append({"as": axis.label, "kolom": i.kolom, "indicator": indicators.info(i.kolom).label,
                             "aandeel_gewicht": percent(i.gewicht / total if total else 0.0),
                             "toevoegen": missing_hint(i.kolom)})
    return rows


def coverage_text(result: ScoreResult) -> str:
    """Per axis: the share of the recipe's weight that the dataset carries, and whether it can score."""
    parts = []
    for axis in result.recipe.assen:
        share = result.recept_dekking[axis.naam]
        gone = result.ontbrekend(axis.naam)
        line = f"**{axis.label}**: deze dataset heeft {percent(share)} van het gewicht van het recept"
        if share < result.recipe.min_dekking - 1e-12:
            line += f", minder dan de {percent(result.recipe.min_dekking)} voor een score: **deze as krijgt geen score**"
        if gone:
            line += "; ontbreekt: " + ", ".join(f"`{k}`" for k in gone)
        parts.append(line + ".")
    return "\n".join(f"- {p}" for p in parts)


def inhabitants_text(cfg: Config, result: ScoreResult | None = None) -> str:
    """The min_inwoners rule with its default, why, and what it did to this dataset."""
    r = cfg.recipe
    namen = cfg.kwadrant_namen
    if r.min_inwoners <= 0:
        return "`min_inwoners = 0`: elke buurt met genoeg gegevens krijgt een kwadrant, hoe klein ook."
    text = (f"Een buurt met minder dan {integer(r.min_inwoners)} inwoners (`min_inwoners`, standaard 100) krijgt geen "
            f"kwadrant (**{namen[QUADRANT_TOO_SMALL]}**), net als een buurt zonder inwonersaantal in de CBS Kerncijfers "
            f"(**{namen[QUADRANT_NO_INHABITANTS]}**, vaak een bedrijventerrein, natuurgebied of nieuwe buurt). Ze blijven grijs "
            "op de kaart en tellen niet mee in de referentie: gemiddelde, spreiding en percentielen komen alleen uit buurten "
            "boven de drempel, dus een kleine buurt erbij of eraf verschuift geen andere buurt. Waarom 100: CBS publiceert "
            "inkomenscijfers pas vanaf 100 huishoudens en woningpercentages vanaf 20 woningen, en rondt aantallen af op "
            "vijftallen; onder 100 inwoners rust een score op een handvol woningen en belanden zulke buurten aan beide uitersten. "
            "Tussen 100 inwoners en 100 huishoudens ontbreken de inkomenscijfers gewoon: dat verlaagt de dekking.")
    if result is not None:
        k = result.scores["kwadrant"]
        if result.inwonersregel == "geen inwoners":
            text += " **Deze dataset heeft geen kolom `inwoners`: de regel kon niet worden toegepast.**"
        else:
            text += (f" In deze dataset: {int((k == QUADRANT_TOO_SMALL).sum())} buurten met te weinig inwoners, "
                     f"{int((k == QUADRANT_NO_INHABITANTS).sum())} zonder inwonersaantal.")
    return text


def composites_text(cfg: Config) -> str:
    """Why no recipe uses a composite with its own components, and the warnings for this one."""
    pairs = "; ".join(f"`{c}` bevat {', '.join(f'`{p}`' for p in parts)}" for c, parts in COMPOSITES.items())
    text = ("Een samengestelde indicator en haar eigen onderdelen samen in één recept tellen die onderdelen dubbel; met "
            "tegengestelde richtingen op de twee assen maken ze de assen bovendien kunstmatig tegengesteld. Geen meegeleverd "
            f"recept doet dat; de configuratie waarschuwt als een eigen recept het doet. Bekende combinaties: {pairs}.")
    for w in cfg.waarschuwingen:
        text += f"\n\n**Let op:** {w}"
    return text


def correlation_text(result: ScoreResult) -> str:
    """The correlation between the two axes over the placed buurten."""
    c = axis_correlation(result)
    labels = [result.recipe.axis(a).label for a in AXES]
    if c["n"] < 3 or c["pearson"] != c["pearson"]:
        return f"Samenhang tussen de assen: te weinig geplaatste buurten (n = {c['n']}) om te berekenen."
    return (f"Samenhang tussen {labels[0]} en {labels[1]} over {c['n']} geplaatste buurten: Pearson r = "
            f"{number(c['pearson'], 2)}, Spearman ρ = {number(c['spearman'], 2)}. Dicht bij 0 betekent dat de assen iets "
            "verschillends meten; sterk negatief of positief dat buurten vooral op één diagonaal belanden (toets dan of "
            "dezelfde bron op beide assen meetelt).")


def recipe_text(cfg: Config) -> str:
    """Which recipe scores, which others there are and why this default."""
    choice = cfg.recepten.get(cfg.recept)
    if choice is None:
        return f"Recept {cfg.recipe.fingerprint()}."
    others = ", ".join(f"*{c.label}* (`{n}`)" for n, c in cfg.recepten.items() if n != cfg.recept)
    text = f"Recept **{choice.label}** (`recept = \"{cfg.recept}\"`). {choice.toelichting}"
    if others:
        text += f" Ook beschikbaar: {others}; kies in de zijbalk, met `--recept` of in config.toml."
    return text + (" Standaard is *landelijk*: het enige recept dat elke gemeente scoort zonder lokale gegevens, met "
                   "openbare, herhaalbare bronnen, en dat de fysieke as naar wat ze meet noemt (opgave), niet naar wat ze "
                   "niet meet (ruimte om te bouwen). Wie plancapaciteit, energielabels en overlast heeft, kiest *volledig*.")


AGGREGATIE_TEXT = {
    "som": "opgeteld (alleen als elke buurt een waarde heeft)",
    "aandeel": "gewogen met de eigen noemer",
    "gemiddelde_per_persoon": "gewogen met het aantal inwoners",
    "lbm": "Leefbaarometer, gewogen met het aantal inwoners",
}


def levels_text(cfg: Config) -> str:
    """How wijk and gebied figures and scores are made, with the reference this recipe uses at those levels."""
    r = cfg.recipe
    wijk_ref = REFERENTIE_LABELS["gemeente" if r.referentie in EXTERNAL_REFERENCES else r.referentie]
    if r.referentie in EXTERNAL_REFERENCES:
        wijk_ref += (f" (de referentie {REFERENCE_LABELS[r.referentie]} heeft alleen buurtcijfers; wijken en gebieden "
                     "worden daarom met de wijken van de eigen gemeente vergeleken)")
    kinds: dict[str, list[str]] = {}
    for info in indicators.catalogue().values():
        key = f"{AGGREGATIE_TEXT[info.aggregatie]}" + (f" ({info.noemer})" if info.aggregatie == "aandeel" else "") \
            if info.aggregatie else "niet samengevoegd"
        kinds.setdefault(key, []).append(f"`{info.kolom}`")
    lines = "\n".join(f"- {k}: {', '.join(v)}" for k, v in kinds.items())
    return (
        "Naast buurten zijn er twee niveaus: de **wijk** (CBS) en het **gebied**, een set buurten die een team zelf "
        "benoemt (een buurt mag in meer gebieden liggen).\n\n"
        "**Gepubliceerd eerst.** Waar een bron het niveau zelf publiceert, geldt dat cijfer (*gepubliceerd*): een "
        "wijkcijfer dat de import op alle buurten van de wijk zette, zoals de CBS-inkomenstabel per wijk. Het cijfer "
        "berekend uit de buurten staat ernaast. Een gebied krijgt alleen een gepubliceerd cijfer als het precies één wijk is.\n\n"
        "**Anders berekend**, per soort indicator uit de catalogus; nooit een gewoon gemiddelde van percentages:\n\n"
        + lines + "\n\n"
        f"Een berekend cijfer heet *berekend uit N buurten*, met het aandeel van de inwoners met een waarde; onder "
        f"{percent(cfg.gebieden.min_aandeel_inwoners)} (`[gebieden] min_aandeel_inwoners`) ontbreekt het. "
        "Een door CBS geheim gehouden waarde telt nooit mee: een som met zo'n buurt ontbreekt, en naast een "
        "gepubliceerd cijfer wordt geen berekend cijfer getoond dat die buurt zou onthullen.\n\n"
        f"**Gelijk met gelijk vergeleken.** Een wijk of gebied wordt genormaliseerd tegen {wijk_ref}, nooit tegen buurten; "
        "een gebied telt zelf niet mee in die referentie.\n\n"
        "**Wat een gemiddelde verbergt.** Bij elk wijk- of gebiedsprofiel staat de spreiding van de buurten: het kwadrant "
        "van elke buurt (als buurt gescoord) en de laagste en hoogste buurt per as. Liggen buurten in tegenovergestelde "
        f"kwadranten, dan staat erbij: *{NIET_EENDUIDIG}*."
    )


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
        ("Recept", recipe_text(cfg)),
        ("Normalisatie",
         "Elke indicator wordt vergelijkbaar gemaakt met een "
         + NORMALISATION_TEXT[r.normalisatie].format(clip=r.clip)
         + " Daarna telt de richting: bij richting −1 telt een lage waarde als hoog op de as. "
           "De asscore is het gewogen gemiddelde van de beschikbare indicatoren."),
        ("Referentie", reference_text(r, result)),
        ("Dekking",
         f"Een ontbrekende waarde telt nooit als nul: ze verlaagt de *dekking*, het aandeel van het gewicht van de as "
         f"in het **hele recept** dat beschikbaar is. Een indicator die de dataset helemaal niet heeft, is ontbrekend gewicht "
         f"voor elke buurt: zo zegt de dekking wat de score werkelijk draagt. Onder {percent(r.min_dekking)} dekking "
         f"(`min_dekking`, standaard 60%: meer dan de helft van het recept moet er zijn) krijgt de as geen score en staat "
         f"de buurt als **{cfg.kwadrant_namen[QUADRANT_MISSING]}** buiten het assenkruis. CBS-codes voor geheime of "
         "ontbrekende waarden (−99997, −99995, −99991, '.') zijn ontbrekend, met hun reden."
         + ("\n\n" + coverage_text(result) if result is not None else "")),
        ("Kleine buurten", inhabitants_text(cfg, result)),
        ("Geen dubbeltelling", composites_text(cfg)),
        ("Kwadranten",
         "Een score precies op een grens telt als hoog.\n\n" + quadrant_lines
         + "".join(f"\n- **{cfg.kwadrant_namen[q]}** (`{q}`): {cfg.kwadrant_uitleg.get(q, '')}"
                   for q in (QUADRANT_MISSING, QUADRANT_TOO_SMALL, QUADRANT_NO_INHABITANTS))
         + ("\n\n" + correlation_text(result) if result is not None else "")),
        ("Wijken en gebieden", levels_text(cfg)),
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
        f"{percent(opts.drempel_stevig)} (en geen grensgeval) heet een buurt *stevig geplaatst*, anders *gevoelig voor keuzes*. "
        "Eén indicator weglaten is maar een handvol van de trekkingen; daarom wordt ook apart bijgehouden welke indicator "
        "de buurt in zijn eentje van kwadrant doet wisselen (`afhankelijk_van`). Zo'n buurt heet nooit stevig geplaatst, "
        "maar *hangt af van één indicator*, met die indicator erbij. Aandelen van trekkingen worden naar beneden afgerond "
        "(1009 van 1010 is 99,9%, nooit 100%). "
        "Een lage stabiliteit zegt niets over de buurt zelf, wel dat de plaats afhangt van keuzes in het recept."
    )


def cautions_markdown() -> str:
    return "\n".join(f"- **{t}.** {u}" for t, u in CAUTIONS)


def methode_markdown(cfg: Config, ds: Dataset, result: ScoreResult, opts: StabilitySettings, jaar: int | None = None) -> str:
    """The whole method page as one Markdown document (for the CLI and exports)."""
    lines = [f"# Methode — {ds.naam}", ""]
    if ds.synthetisch:
        lines += ["*Synthetische voorbeeldgegevens, geen echte buurten.*", ""]
    lines += [f"Recept {cfg.recept_label} ({cfg.recipe.fingerprint()}) uit {cfg.bron}.", ""]
    lines += [f"**Let op:** {w}" for w in cfg.waarschuwingen] + ([""] if cfg.waarschuwingen else [])
    lines += ["## Indicatoren", ""]
    table = indicator_overview(result.recipe, ds, jaar, result)
    for axis in AXES:
        label = cfg.recipe.axis(axis).label
        lines += [f"### {label}", "", "| indicator | subas | richting | gewicht | bron | jaar | dekking |", "|---|---|---|---|---|---|---|"]
        for row in table[table["as"] == label].itertuples():
            jaar_txt = "" if row.jaar is None or row.jaar != row.jaar else str(int(row.jaar))
            lines.append(f"| {row.indicator} (`{row.kolom}`) | {row.subas} | {'+' if row.richting.startswith('hoger') else '−'} | "
                         f"{row.gewicht:g} ({row.aandeel_gewicht:.0%}) | {row.bron} | {jaar_txt} | {row.dekking:.0%} |")
        lines.append("")
    missing = missing_indicators(result)
    if missing:
        lines += ["### Ontbrekende indicatoren", "", "| as | indicator | aandeel gewicht | toevoegen |", "|---|---|---|---|"]
        lines += [f"| {m['as']} | {m['indicator']} (`{m['kolom']}`) | {m['aandeel_gewicht']} | {m['toevoegen']} |" for m in missing]
        lines.append("")
    for title, text in rules(cfg, result):
        lines += [f"## {title}", "", text, ""]
    lines += ["## Stabiliteit en grensgevallen", "", stability_text(opts, cfg.recipe), "", "## Voorzichtig gebruiken", "",
              cautions_markdown(), ""]
    return "\n".join(lines)
