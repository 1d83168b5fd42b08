"""Everything a wijkprofiel one-pager shows, as one plain data structure.

:func:`build_profiel` collects the buurt's names, scores, coverage, contributions,
indicators, trend, menukaart, workshop placements, cautions, recipe and provenance into a
:class:`Profiel`. The PDF and HTML renderers only lay this out, so they never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

import pandas as pd

from .. import __version__, indicators
from ..config import Config
from ..dataset import Dataset
from ..domain import AXES, SUBAXES
from ..dragers import quadrant_reading
from ..dynamiek import DynamiekResult, beschrijving, uitleg as dynamiek_uitleg
from ..errors import DataError
from ..formatting import MISSING, measure, percent_floor
from ..menukaart import QUADRANT_REASON
from ..methode import CAUTION
from ..profiel import badge_text, contributions_table, kerncijfers
from ..scoring import ScoreResult
from ..stability import BADGES, badge

# Standard attribution for real data: CBS geometry and Kerncijfers are CC BY 4.0.
ATTRIBUTIE = "Buurtgrenzen en kerncijfers: CBS / Kadaster (CC BY 4.0). Leefbaarometer: ministerie van BZK."
SUBAS_LABELS = {"draagkracht": "Draagkracht", "draaglast": "Draaglast (hoger = zwaarder)", "ruimte": "Ruimte", "opgave": "Opgave"}
# Leefbaarometer columns for the trend, in order of preference.
TREND_COLUMNS = ("lbm_score", "lbm_afw")
TOP_BIJDRAGEN = 4
KERNCIJFERS_UITLEG = ("Jaar: het jaar waarover het cijfer gaat. Wijkcijfer: een cijfer van de hele wijk, toegepast op de buurt. "
                      "Verouderd: drie jaar of meer ouder dan het nieuwste cijfer. Andere grenzen: de buurt had dat jaar een "
                      "andere oppervlakte dan nu.")
# Key indicators besides the recipe's: context every meeting asks for.
CONTEXT_INDICATORS = ("inwoners", "woningen", "pct_sociale_huur", "pct_koopwoningen", "gem_woz")


@dataclass
class Bijdrage:
    """One indicator's contribution to an axis score."""

    indicator: str
    subas: str
    richting: str
    gewicht: float
    bijdrage: float | None


@dataclass
class AsScore:
    """One axis: score, coverage, sub-scores and the largest contributions."""

    naam: str
    label: str
    score: float | None
    dekking: float
    subscores: list[tuple[str, float | None]]
    bijdragen: list[Bijdrage]


@dataclass
class Indicator:
    """One indicator value as shown: formatted value, its own year and source, missing reason, badges.

    ``jaar`` is the year the figure describes; ``badges`` the same marks the Wijkprofiel page
    shows (wijkcijfer, verouderd, andere grenzen …).
    """

    indicator: str
    waarde: str
    jaar: str
    bron: str
    status: str
    badges: str = ""

    @property
    def opmerking(self) -> str:
        """Missing reason and badges in one cell, without saying "wijkcijfer" twice."""
        parts = [self.status] if self.status and self.status != "wijkcijfer" else []
        return "; ".join(parts + ([self.badges] if self.badges else []))


@dataclass
class MenuItem:
    """One intervention of the menukaart: suggested (``redenen``: why here) or te controleren
    (``redenen``: what to check)."""

    titel: str
    categorie: str
    trekker: str
    waarom: str
    redenen: str
    bron: str = ""


@dataclass
class Profiel:
    """The complete content of one wijkprofiel export. See the module docstring."""

    buurtcode: str
    buurtnaam: str
    wijkcode: str
    wijknaam: str
    gemeentecode: str
    gemeentenaam: str
    peildatum: str
    kwadrant: str
    kwadrant_naam: str
    kwadrant_uitleg: str
    assen: list[AsScore]
    indicatoren: list[Indicator]
    trend_label: str
    trend: list[tuple[int, float | None]]
    menukaart: list[MenuItem] | None  # None: no menukaart available in this installation
    plaatsingen: list[dict[str, Any]]
    stabiliteit: str | None
    recept: dict[str, Any]
    voorbehoud: list[str]
    attributie: list[str]
    dataset_naam: str
    synthetisch: bool
    dataset_hash: str
    recept_hash: str
    app_versie: str
    gemaakt: str
    figuren: dict[str, bytes] = field(default_factory=dict)
    plaatsingen_toelichting: str = ""  # where the placements come from (closed workshops, anonymised)
    te_controleren: list[MenuItem] = field(default_factory=list)  # items whose deciding value is missing
    te_controleren_totaal: int = 0  # how many there are (the list holds the first few)
    dynamiek: list[str] = field(default_factory=list)  # one line per axis, then the signaal (empty: not computed)
    dynamiek_uitleg: str = ""

    @property
    def titel(self) -> str:
        return f"Wijkprofiel {self.buurtnaam}"

    @property
    def ondertitel(self) -> str:
        return f"{self.buurtnaam} ({self.buurtcode}) · wijk {self.wijknaam} · gemeente {self.gemeentenaam} · {self.peildatum}"

    @property
    def voettekst(self) -> str:
        return (f"wijkprofielen {self.app_versie} · dataset {self.dataset_naam}, hash {self.dataset_hash} · "
                f"recept {self.recept_hash} · gemaakt {self.gemaakt}")


def plain(text: str) -> str:
    """Markdown emphasis removed, for PDF and plain-text output.

    Examples
    --------
    >>> plain("Scores zijn **signalen**.")
    'Scores zijn signalen.'
    """
    return text.replace("**", "")


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _indicator_rows(table: pd.DataFrame) -> list[Indicator]:
    rows = []
    for r in table.itertuples(index=False):
        eenheid = r.eenheid or ""
        waarde = measure(r.waarde, eenheid)
        if waarde != MISSING and eenheid:
            waarde = f"€ {waarde}" if eenheid == "euro" else f"{waarde} {eenheid}"
        jaar_txt = "" if r.jaar is None or pd.isna(r.jaar) else str(int(r.jaar))
        keys = [k for k in r.badge.split(", ") if k not in ("onderdrukt", "ontbreekt")] if r.badge else []
        rows.append(Indicator(r.indicator, waarde, jaar_txt, r.bron, r.status or "", badge_text(keys, r.grenswijziging)))
    return rows


def _reasons(s) -> str:
    """Why here, without the quadrant's carriers: the one-pager states those once at the top."""
    redenen = [("past bij het kwadrant" if r.startswith(QUADRANT_REASON) else r)
               for r in getattr(s, "redenen", ()) or ()]
    return "; ".join(redenen)


def _menu_items(suggesties, te_controleren: bool = False) -> list[MenuItem]:
    items = []
    for s in suggesties:
        iv = s.interventie
        trekker = iv.trekker if isinstance(iv.trekker, str) else ", ".join(iv.trekker)
        # What to check, short: the missing value and the value that decides (the app adds the source).
        checks = ([f"{c.wat}: {c.beslist}" for c in getattr(s, "controles", ())]
                  or [str(o) for o in getattr(s, "onbekend", ())])
        redenen = "; ".join(checks) if te_controleren else _reasons(s)
        categorie = getattr(iv, "categorie_label", None) or getattr(iv, "categorie", "")
        items.append(MenuItem(iv.titel, categorie, trekker, getattr(iv, "waarom", ""), redenen,
                              getattr(iv, "bron", "") or ""))
    return items


def _split_menu(menukaart) -> tuple[list, list]:
    """(suggestions, te controleren) from an ``Advies`` or a plain list of suggestions."""
    if hasattr(menukaart, "suggesties"):
        return list(menukaart.suggesties), list(menukaart.te_controleren)
    items = list(menukaart)
    return ([s for s in items if not getattr(s, "te_controleren", False)],
            [s for s in items if getattr(s, "te_controleren", False)])


MENUKAART_TOP = 5
#: Items te controleren printed on the one-pager; the rest are counted.
CONTROLEREN_TOP = 3


def build_profiel(
    ds: Dataset,
    frame: pd.DataFrame,
    result: ScoreResult,
    cfg: Config,
    buurtcode: str,
    *,
    jaar: int | None = None,
    menukaart: list | None | Callable = None,
    plaatsingen: pd.DataFrame | None = None,
    gemaakt: datetime | None = None,
    dynamiek: DynamiekResult | None = None,
) -> Profiel:
    """Collect the content of one buurt's wijkprofiel (without figures).

    Parameters
    ----------
    ds, frame, result, cfg
        The dataset, its frame at ``jaar``, the scores of that frame and the config.
    buurtcode : str
    menukaart : Advies, list of Suggestie, callable or None
        An ``Advies`` (suggestions and items te controleren), a list of suggestions
        (``interventie.titel/.categorie/.trekker/.waarom``, ``redenen``), a callable
        ``(frame, result, buurtcode, cfg) -> either`` (the :class:`~wijkprofielen.export.exporter.Exporter`
        passes the configured catalogue's) or None for "not available". The first
        ``MENUKAART_TOP`` suggestions and ``CONTROLEREN_TOP`` items te controleren are kept.
    plaatsingen : DataFrame, optional
        Workshop placements with workshop, deelnemer, draagkracht, fysieke_kansen, reden.
    gemaakt : datetime, optional
        Timestamp printed on the export (default: now, UTC).
    dynamiek : DynamiekResult, optional
        The direction of change (:meth:`~wijkprofielen.workspace.Workspace.dynamiek`); None: no dynamiek block.
    """
    rows = frame.set_index("buurtcode")
    if buurtcode not in rows.index:
        raise DataError(f"Buurt {buurtcode!r} staat niet in dataset '{ds.naam}'. Kies een bestaande buurtcode (BU + 8 cijfers).")
    row = rows.loc[buurtcode]
    s = result.scores.loc[buurtcode]
    recipe = result.recipe

    assen = []
    for axis in AXES:
        table = contributions_table(result, buurtcode, axis)
        top = [Bijdrage(r.indicator, r.subas, r.richting, float(r.gewicht), _num(r.bijdrage))
               for r in table.head(TOP_BIJDRAGEN).itertuples(index=False)]
        subs = [(SUBAS_LABELS[sub], _num(s.get(f"sub_{sub}"))) for sub in SUBAXES[axis]]
        assen.append(AsScore(axis, recipe.axis(axis).label, _num(s[axis]), float(s[f"dekking_{axis}"]), subs, top))

    peil = ds.peiljaren(jaar)
    used_years = [peil[k] for k in recipe.kolommen if k in peil and peil[k]]
    peildatum = f"peiljaar {max(used_years)}" if used_years else "peiljaar onbekend"
    if used_years and min(used_years) != max(used_years):
        peildatum += f" (indicatoren {min(used_years)}–{max(used_years)})"

    kolommen = [k for k in CONTEXT_INDICATORS if k in peil] + [k for k in recipe.kolommen if k not in CONTEXT_INDICATORS]
    waarden = kerncijfers(ds, buurtcode, jaar, kolommen)
    trend_col = next((c for c in TREND_COLUMNS if c in ds.kolommen), None)
    trend = []
    if trend_col:
        reeks = ds.reeks(trend_col)
        trend = [(int(j), _num(reeks.at[buurtcode, j])) for j in sorted(reeks.columns) if j and (jaar is None or j <= jaar)]

    if callable(menukaart):
        menukaart = menukaart(frame, result, buurtcode, cfg)
    menu, controle, n_controle = None, [], 0
    if menukaart is not None:
        firm, open_ = _split_menu(menukaart)
        menu, controle = _menu_items(firm[:MENUKAART_TOP]), _menu_items(open_[:CONTROLEREN_TOP], True)
        n_controle = len(open_)

    plaats, plaats_uitleg = [], ""
    if plaatsingen is not None and len(plaatsingen):
        plaats_uitleg = str(plaatsingen.attrs.get("toelichting", ""))
        for r in plaatsingen.to_dict("records"):
            plaats.append({k: r.get(k) for k in ("workshop", "deelnemer", "draagkracht", "fysieke_kansen", "reden")})

    stab = None
    if "stabiliteit" in result.scores.columns and pd.notna(s.get("stabiliteit")):
        v = s["stabiliteit"]
        stab = percent_floor(v) if isinstance(v, float) else str(v)
        afhankelijk = s.get("afhankelijk_van") if isinstance(s.get("afhankelijk_van"), str) else ""
        if "grensgeval" in result.scores.columns and isinstance(v, float):  # the badge text
            titel, uitleg = BADGES[badge(v, bool(s["grensgeval"]), afhankelijk_van=afhankelijk)]
            stab = f"{titel}: in {stab} van de alternatieve recepten in hetzelfde kwadrant. {uitleg}"
            if afhankelijk:
                stab += f" Wisselt van kwadrant zonder: {afhankelijk}."

    voorbehoud = [plain(CAUTION)]
    gone = result.ontbrekende_kolommen
    if gone:
        voorbehoud.append("Niet in deze dataset (telt als ontbrekend gewicht in de dekking): " + ", ".join(indicators.info(k).label for k in gone) + ".")
    for a in assen:
        if a.dekking < 1:
            voorbehoud.append(f"{a.label}: {a.dekking:.0%} van het gewicht is beschikbaar; ontbrekende cijfers tellen niet als nul.")
    wijk = waarden[waarden["niveau"] == "wijk"]
    if len(wijk):
        voorbehoud.append("Wijkcijfers, toegepast op alle buurten van de wijk (deze buurt heeft geen eigen cijfer "
                          "dat recent genoeg is): " + ", ".join(wijk["indicator"].str.replace(" (wijkcijfer)", "", regex=False)) + ".")
    grens = waarden[waarden["grenswijziging"].notna() & waarden["waarde"].notna()]
    if len(grens):
        voorbehoud.append("Andere grenzen: " + ", ".join(f"{r.indicator} ({int(r.jaar)})" for r in grens.itertuples())
                          + " gelden voor de buurt zoals die toen begrensd was, met een andere oppervlakte dan nu; "
                          "vergelijk ze niet zonder meer met recentere cijfers.")
    if ds.synthetisch:
        voorbehoud.insert(0, "Synthetische voorbeeldgegevens: geen echte buurt, geen echte cijfers.")

    attributie = []
    if ds.synthetisch:
        attributie.append(ds.meta.get("attributie") or "Synthetische voorbeeldgegevens.")
        attributie.append("Met echte gegevens geldt de bronvermelding: " + ATTRIBUTIE)
    else:
        attributie.append(ds.meta.get("attributie") or ATTRIBUTIE)
        if "CBS / Kadaster" not in attributie[0]:
            attributie.append(ATTRIBUTIE)
    for b in ds.meta.get("bronnen", []):
        attributie.append(" · ".join(str(b[k]) for k in ("bron", "jaar", "licentie") if b.get(k)))

    recept = {
        "naam": recipe.naam,
        "min_inwoners": recipe.min_inwoners,
        "normalisatie": recipe.normalisatie,
        "referentie": recipe.referentie,
        "min_dekking": recipe.min_dekking,
        "clip": recipe.clip,
        "grenzen": {"draagkracht": recipe.grens_draagkracht, "fysieke_kansen": recipe.grens_fysieke_kansen},
        "assen": [
            {"label": a.label, "indicatoren": [
                {"indicator": indicators.info(i.kolom).label, "kolom": i.kolom, "richting": "+" if i.richting > 0 else "−",
                 "gewicht": i.gewicht, "subas": i.subas, "in_dataset": i.kolom not in gone}
                for i in a.indicatoren]}
            for a in recipe.assen
        ],
    }
    q = s["kwadrant"]
    stamp = (gemaakt or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return Profiel(
        buurtcode=buurtcode, buurtnaam=str(row["buurtnaam"]), wijkcode=str(row["wijkcode"]), wijknaam=str(row["wijknaam"]),
        gemeentecode=str(row["gemeentecode"]), gemeentenaam=str(row["gemeentenaam"]), peildatum=peildatum,
        kwadrant=q, kwadrant_naam=cfg.kwadrant_namen.get(q, q),
        kwadrant_uitleg=" ".join(t for t in (cfg.kwadrant_uitleg.get(q, ""), quadrant_reading(s, recipe)) if t),
        assen=assen, indicatoren=_indicator_rows(waarden),
        trend_label=indicators.info(trend_col).label if trend_col else "", trend=trend,
        menukaart=menu, plaatsingen=plaats, stabiliteit=stab, recept=recept, voorbehoud=voorbehoud,
        attributie=attributie, dataset_naam=ds.naam, synthetisch=ds.synthetisch, dataset_hash=ds.fingerprint,
        recept_hash=recipe.fingerprint(), app_versie=__version__, gemaakt=stamp, plaatsingen_toelichting=plaats_uitleg,
        te_controleren=controle, te_controleren_totaal=n_controle,
        dynamiek=beschrijving(dynamiek, recipe, buurtcode) if dynamiek is not None else [],
        dynamiek_uitleg=dynamiek_uitleg(dynamiek.instellingen) if dynamiek is not None else "",
    )
