"""The monitor prestatieafspraken: looking back and forward on every afspraak.

For each afspraak and each indicator it aims to move: the dataset's value in (or last
before) the start year and the latest value, the difference ``tot − van``, whether it moved
the intended way, the source, and next to it the **median change of comparable buurten
without an afspraak** over exactly the same years, so a change is not read as the
afspraak's effect. Comparable are the vergelijkbare buurten of :mod:`wijkprofielen.peers` in
the start year: the ``[vergelijk] k`` buurten without an afspraak nearest to the buurt over the
recipe's normalised indicators (for a wijk: those of each of its buurten together).

The buurt's quadrant then (scored at the start year) and now, and its *dynamiek* on the
draagkracht axis then (the period ending in the start year) and now (the period ending in
the latest year; :mod:`wijkprofielen.dynamiek`). The buurt's signal (:func:`status_signaal`)
is the dynamiek's signaal (low or high draagkracht and falling), or else a change of
position: from high to low draagkracht between then and now. Without a dynamiek function
(:func:`build_monitor` ``dynamiek_at=None``) the dynamiek stays ``None`` with the reason
:data:`DYNAMIEK_REDEN`.

Flags for *bijsturen*: an afspraak in uitvoering whose indicators move the wrong way; an
afspraak past its end year that is not gereed (vervallen ones ask for nothing); a buurt
whose signal turned negative without any afspraak (a signal now, none in the start year).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from ..dataset import UNKNOWN_YEAR, Dataset
from ..dynamiek import KLASSE_LABELS, ONBEKEND, SIGNAAL_AS, DynamiekResult
from ..config import VergelijkSettings
from ..formatting import number
from ..peers import PeerIndex, candidates_of, peer_index
from ..scenario.doelen import Doelen
from ..scenario.evaluate import measures_frame
from ..scenario.model import SEGMENT_LABELS, SEGMENTS, Scenario, Soort
from ..scoring import ScoreResult
from ..workspace import Workspace
from .model import Afspraak

DYNAMIEK_REDEN = "nog niet berekend"
DYNAMIEK_WIJK = "niet van toepassing (afspraak voor de hele wijk)"
SIGNAAL_GEDAALD = "aandacht: van hoge naar lage draagkracht"
SIGNAAL_UITLEG = ("Dynamiek: de richting van de verandering op de as draagkracht over de laatste jaren (stijgt, stabiel, "
                  "daalt), toen (de periode tot het startjaar) en nu. Signaal: lage draagkracht en dalend (aandacht: daalt), "
                  "hoge draagkracht maar dalend (let op: daalt vanaf een goede positie), of een verschuiving van hoge naar "
                  "lage draagkracht tussen het startjaar en nu. Een signaal vraagt om het gesprek met wie de buurt kent, "
                  "het is geen oordeel.")
PEERS_UITLEG = ("Vergelijkbare buurten: de buurten zonder afspraak die in het startjaar het meest op de buurt leken "
                "(kleinste afstand over de genormaliseerde indicatoren van het recept). Hun mediane verandering over dezelfde jaren staat naast die van "
                "de buurt: beweegt de buurt net als zij, dan is de verandering niet als effect van de afspraak te lezen.")


@dataclass(frozen=True)
class Verloop:
    """One aimed indicator from the start year to the latest year."""

    kolom: str
    label: str
    richting: str
    van_jaar: int | None
    van: float | None
    tot_jaar: int | None
    tot: float | None
    verschil: float | None
    richting_goed: bool | None
    bron: str
    peers_verschil: float | None = None
    peers_aantal: int = 0
    opmerking: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"kolom": self.kolom, "label": self.label, "richting": self.richting, "van_jaar": self.van_jaar,
                "van": self.van, "tot_jaar": self.tot_jaar, "tot": self.tot, "verschil": self.verschil,
                "richting_goed": self.richting_goed, "bron": self.bron,
                "vergelijkbare_buurten": {"mediaan_verschil": self.peers_verschil, "aantal": self.peers_aantal},
                "opmerking": self.opmerking}


@dataclass(frozen=True)
class Stand:
    """The buurt's position then (start year) and now, and its dynamiek class then and now."""

    jaar_toen: int
    kwadrant_toen: str | None
    jaar_nu: int
    kwadrant_nu: str | None
    signaal: str | None
    dynamiek_toen: str | None = None
    dynamiek_nu: str | None = None
    dynamiek_reden: str = DYNAMIEK_REDEN

    def to_dict(self) -> dict[str, Any]:
        return {"toen": {"jaar": self.jaar_toen, "kwadrant": self.kwadrant_toen},
                "nu": {"jaar": self.jaar_nu, "kwadrant": self.kwadrant_nu},
                "dynamiek": {"toen": self.dynamiek_toen, "nu": self.dynamiek_nu, "reden": self.dynamiek_reden},
                "signaal": self.signaal}


@dataclass(frozen=True)
class Signaal:
    """A reason to look again (*bijsturen*): a kind and a Dutch text."""

    soort: str
    tekst: str

    def to_dict(self) -> dict[str, str]:
        return {"soort": self.soort, "tekst": self.tekst}


@dataclass
class AfspraakMonitor:
    afspraak: Afspraak
    stand: Stand
    indicatoren: list[Verloop]
    signalen: list[Signaal] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        a = self.afspraak
        return {"id": a.id, "buurtcode": a.buurtcode, "titel": a.titel, "trekker": a.partij, "status": a.status,
                "start_jaar": a.start_jaar, "eind_jaar": a.eind_jaar,
                "indicatoren": [v.to_dict() for v in self.indicatoren], **self.stand.to_dict(),
                "signalen": [s.to_dict() for s in self.signalen]}


@dataclass
class Monitor:
    """The monitor of a set of afspraken on one dataset.

    Attributes
    ----------
    jaar : int
        The year the afspraken are checked against (past their end year or not).
    peiljaar : int
        The latest year in the dataset.
    afspraken : list of AfspraakMonitor
    buurten : list of dict
        Buurten whose signal turned negative without any afspraak: ``buurtcode``,
        ``buurtnaam``, ``kwadrant_toen``, ``kwadrant_nu``, ``jaar_toen``, ``tekst``.
    """

    jaar: int
    peiljaar: int
    afspraken: list[AfspraakMonitor]
    buurten: list[dict[str, Any]]
    synthetisch: bool = False

    def to_dict(self) -> dict[str, Any]:
        out = {"jaar": self.jaar, "peiljaar": self.peiljaar, "afspraken": [m.to_dict() for m in self.afspraken],
               "buurten_zonder_afspraak": self.buurten, "vergelijkbare_buurten": PEERS_UITLEG}
        if self.synthetisch:
            out["let_op"] = "synthetische voorbeeldgegevens"
        return out

    def signalen(self) -> list[tuple[str, Signaal]]:
        """Every flag: ``(afspraak id or buurtcode, Signaal)``."""
        out = [(m.afspraak.id, s) for m in self.afspraken for s in m.signalen]
        return out + [(b["buurtcode"], Signaal("zonder_afspraak", b["tekst"])) for b in self.buurten]

    def table(self) -> pd.DataFrame:
        """One row per afspraak and aimed indicator (afspraken without indicators: one row)."""
        rows = []
        for m in self.afspraken:
            a = m.afspraak
            base = {"id": a.id, "buurtcode": a.buurtcode, "titel": a.titel, "trekker": a.partij, "status": a.status,
                    "start_jaar": a.start_jaar, "eind_jaar": a.eind_jaar, "kwadrant_toen": m.stand.kwadrant_toen,
                    "kwadrant_nu": m.stand.kwadrant_nu, "dynamiek_toen": m.stand.dynamiek_toen,
                    "dynamiek_nu": m.stand.dynamiek_nu, "signalen": "; ".join(s.tekst for s in m.signalen)}
            for v in m.indicatoren or [None]:
                rows.append({**base, **({} if v is None else {
                    "indicator": v.label, "richting": v.richting, "van_jaar": v.van_jaar, "van": v.van,
                    "tot_jaar": v.tot_jaar, "tot": v.tot, "verschil": v.verschil, "richting_goed": v.richting_goed,
                    "vergelijkbaar_verschil": v.peers_verschil, "vergelijkbaar_aantal": v.peers_aantal, "bron": v.bron})})
        return pd.DataFrame(rows, columns=["id", "buurtcode", "titel", "trekker", "status", "start_jaar", "eind_jaar",
                                           "indicator", "richting", "van_jaar", "van", "tot_jaar", "tot", "verschil",
                                           "richting_goed", "vergelijkbaar_verschil", "vergelijkbaar_aantal", "bron",
                                           "kwadrant_toen", "kwadrant_nu", "dynamiek_toen", "dynamiek_nu", "signalen"])

    def to_markdown(self, kwadrant_namen: dict[str, str] | None = None) -> str:
        names = kwadrant_namen or {}

        def q(code: str | None) -> str:
            return "onbekend" if code is None else names.get(code, code)

        lines = [f"# Monitor prestatieafspraken ({self.jaar}, gegevens tot {self.peiljaar})", ""]
        if self.synthetisch:
            lines += ["*Synthetische voorbeeldgegevens.*", ""]
        for m in self.afspraken:
            a, s = m.afspraak, m.stand
            lines += [f"## {a.titel} ({a.id})", "",
                      f"{a.buurtcode} · {a.partij} · {a.start_jaar}–{a.eind_jaar} · status **{a.status}**  ",
                      ("Kwadrant: niet van toepassing (afspraak voor de hele wijk). " if a.is_wijk else
                       f"Kwadrant {s.jaar_toen}: {q(s.kwadrant_toen)}; {s.jaar_nu}: {q(s.kwadrant_nu)}. ")
                      + f"Dynamiek: {s.dynamiek_reden}.", ""]
            if m.indicatoren:
                lines += ["| Indicator | Van | Tot | Verschil | Goede richting | Vergelijkbare buurten | Bron |",
                          "|---|---|---|---|---|---|---|"]
                for v in m.indicatoren:
                    lines.append(
                        f"| {v.label} ({v.richting}) | {_md_value(v.van, v.van_jaar)} | {_md_value(v.tot, v.tot_jaar)} | "
                        f"{number(v.verschil, 2, signed=True) if v.verschil is not None else '–'} | "
                        f"{ {True: 'ja', False: 'nee', None: '–'}[v.richting_goed] } | "
                        f"{number(v.peers_verschil, 2, signed=True) if v.peers_verschil is not None else '–'} "
                        f"(n = {v.peers_aantal}) | {v.bron} |")
                lines.append("")
            for sig in m.signalen:
                lines.append(f"- **Bijsturen?** {sig.tekst}")
            if m.signalen:
                lines.append("")
        if self.buurten:
            lines += ["## Buurten zonder afspraak met een negatief signaal", ""]
            lines += [f"- {b['buurtnaam']} ({b['buurtcode']}): {b['tekst']}" for b in self.buurten]
            lines.append("")
        lines += [PEERS_UITLEG, ""]
        return "\n".join(lines)


def _md_value(value: float | None, jaar: int | None) -> str:
    return "–" if value is None else f"{number(value, 2)} ({jaar})"


def status_signaal(toen: str | None, nu: str | None, dynamiek_signaal: str | None = None) -> str | None:
    """The buurt's signal: the dynamiek's signaal when it has one, else :data:`SIGNAAL_GEDAALD`
    when draagkracht went from high to low between the quadrants ``toen`` and ``nu``.

    >>> status_signaal("hoog_laag", "laag_laag"), status_signaal("laag_laag", "laag_laag")
    ('aandacht: van hoge naar lage draagkracht', None)
    >>> status_signaal("laag_laag", "laag_laag", "aandacht: daalt")
    'aandacht: daalt'
    """
    if dynamiek_signaal:
        return dynamiek_signaal
    if toen and nu and toen.startswith("hoog_") and nu.startswith("laag_"):
        return SIGNAAL_GEDAALD
    return None


def _dynamiek_stand(toen: DynamiekResult | None, nu: DynamiekResult | None, code: str) -> dict[str, Any]:
    """The Stand fields of the dynamiek: the classes then and now, and why one is unknown."""
    if toen is None or nu is None:
        return {}
    klassen = [toen.klasse(code), nu.klasse(code)]
    reden = []
    for when, d, k in (("toen", toen, klassen[0]), ("nu", nu, klassen[1])):
        why = str(d.tabel[f"reden_{SIGNAAL_AS}"].get(code, "onbekende buurt")) if k == ONBEKEND else ""
        reden.append(f"{when} ({d.periode}): {KLASSE_LABELS[k]}" + (f", {why}" if why else ""))
    return {"dynamiek_toen": klassen[0], "dynamiek_nu": klassen[1], "dynamiek_reden": "; ".join(reden)}


def _signaal_of(d: DynamiekResult | None, code: str) -> str | None:
    return (str(d.tabel["signaal"].get(code, "")) or None) if d is not None else None


def _series(ds: Dataset, kolom: str, codes: list[str]) -> pd.Series:
    """Values of ``kolom`` per year for one buurt, or the mean of several (a wijk)."""
    reeks = ds.reeks(kolom)
    reeks = reeks[[c for c in reeks.columns if c != UNKNOWN_YEAR]]
    sub = reeks.reindex(codes)
    return (sub.iloc[0] if len(codes) == 1 else sub.mean(axis=0, skipna=True)).dropna().sort_index()


def _verloop(ds: Dataset, a: Afspraak, kolom: str, richting: str, codes: list[str], peers: list[str]) -> Verloop:
    meta = ds.indicatoren.get(kolom)
    label = meta.label if meta else kolom
    values = _series(ds, kolom, codes) if kolom in ds.kolommen else pd.Series(dtype="float64")
    note = "gemiddelde van de buurten in de wijk" if a.is_wijk else ""
    if values.empty:
        return Verloop(kolom, label, richting, None, None, None, None, None, None, meta.bron if meta else "",
                       opmerking="geen waarden voor dit gebied in de dataset")
    years = [int(j) for j in values.index]
    before = [j for j in years if j <= a.start_jaar]
    van_jaar = max(before) if before else min(years)
    if not before:
        note = "; ".join(filter(None, [note, f"eerste meting na de start: {van_jaar}"]))
    tot_jaar = max(years)
    van, tot = float(values[van_jaar]), float(values[tot_jaar])
    bron = meta.bron_in(tot_jaar) if meta else ""
    if tot_jaar <= van_jaar:
        return Verloop(kolom, label, richting, van_jaar, van, tot_jaar, tot, None, None, bron,
                       opmerking="; ".join(filter(None, [note, f"nog geen meting na {van_jaar}"])))
    verschil = tot - van
    goed = verschil > 0 if richting == "omhoog" else verschil < 0
    reeks = ds.reeks(kolom).reindex(peers)
    diffs = (reeks[tot_jaar] - reeks[van_jaar]).dropna() if peers else pd.Series(dtype="float64")
    peer = float(np.median(diffs)) if len(diffs) else None
    return Verloop(kolom, label, richting, van_jaar, van, tot_jaar, tot, verschil, bool(goed), bron, peer, int(len(diffs)), note)


def _clip(jaar: int, years: list[int]) -> int:
    return min(max(jaar, years[0]), years[-1])


def build_monitor(afspraken: Iterable[Afspraak], ds: Dataset, score_at: Callable[[int], ScoreResult],
                  jaar: int | None = None, dynamiek_at: Callable[[int], DynamiekResult] | None = None,
                  vergelijk: VergelijkSettings | None = None) -> Monitor:
    """The monitor of ``afspraken`` on ``ds``.

    Parameters
    ----------
    score_at : callable
        ``score_at(jaar)`` → the scores of ``ds`` at that year (e.g.
        ``lambda j: Workspace.score(ds, jaar=j)``; the app passes its cached scores).
    jaar : int, optional
        The year the end years are checked against; default this calendar year.
    dynamiek_at : callable, optional
        ``dynamiek_at(jaar)`` → the dynamiek of the period ending in that year (e.g.
        ``lambda j: Workspace.dynamiek(ds, Workspace.score(ds, jaar=j), jaar=j)``); None:
        the dynamiek stays "nog niet berekend".
    vergelijk : VergelijkSettings, optional
        How the comparable buurten are found (``[vergelijk]``); default its defaults.
    """
    items = list(afspraken)
    years = ds.jaren()
    jaar = date.today().year if jaar is None else int(jaar)
    peil = years[-1]
    settings = vergelijk or VergelijkSettings()
    cache: dict[int, ScoreResult] = {}
    indexes: dict[int, PeerIndex] = {}

    dyn_cache: dict[int, DynamiekResult | None] = {}

    def kwadrant(j: int) -> pd.Series:
        if j not in cache:
            cache[j] = score_at(j)
        return cache[j].scores["kwadrant"]

    def peers_of(j: int, codes: list[str]) -> list[str]:
        if j not in indexes:
            kwadrant(j)
            result = cache[j]
            free = candidates_of(result) & result.scores.index.isin(without)
            indexes[j] = peer_index(result, settings, ds.gebieden, free)
        index = indexes[j]
        found = [index.query(c, settings.k, exclude=codes)["buurtcode"] for c in codes if c in index]
        return sorted(set().union(*found))

    def dyn(j: int) -> DynamiekResult | None:
        if j not in dyn_cache:
            dyn_cache[j] = dynamiek_at(j) if dynamiek_at is not None else None
        return dyn_cache[j]

    frame = ds.gebieden.set_index("buurtcode")
    wijk_of = frame["wijkcode"].astype(str)
    active = [a for a in items if a.status != "vervallen"]
    covered = {a.buurtcode for a in active if not a.is_wijk}
    covered |= set(wijk_of[wijk_of.isin({a.buurtcode for a in active if a.is_wijk})].index)
    without = [c for c in frame.index if c not in covered]
    now = kwadrant(peil)
    out = []
    for a in items:
        codes = list(wijk_of[wijk_of == a.buurtcode].index) if a.is_wijk else [a.buurtcode]
        toen_jaar = _clip(a.start_jaar, years)
        toen = kwadrant(toen_jaar)
        q_toen = None if a.is_wijk else _str(toen.get(a.buurtcode))
        q_nu = None if a.is_wijk else _str(now.get(a.buurtcode))
        peers = peers_of(toen_jaar, codes)
        sig = None if a.is_wijk else status_signaal(q_toen, q_nu, _signaal_of(dyn(peil), a.buurtcode))
        extra = (_dynamiek_stand(dyn(toen_jaar), dyn(peil), a.buurtcode) if not a.is_wijk
                 else {"dynamiek_reden": DYNAMIEK_WIJK} if dynamiek_at is not None else {})
        stand = Stand(toen_jaar, q_toen, peil, q_nu, sig, **extra)
        verloop = [_verloop(ds, a, i.kolom, i.richting, codes, peers) for i in a.indicatoren]
        out.append(AfspraakMonitor(a, stand, verloop, _flags(a, verloop, jaar)))
    start = _clip(min((a.start_jaar for a in items), default=years[0]), years)
    then = kwadrant(start)
    names = frame["buurtnaam"].astype(str)
    buurten = []
    for c in without:
        signaal = status_signaal(_str(then.get(c)), _str(now.get(c)), _signaal_of(dyn(peil), c))
        if signaal and not _signaal_of(dyn(start), c):  # turned negative: no signal in the start year
            buurten.append({"buurtcode": c, "buurtnaam": names[c], "jaar_toen": start, "kwadrant_toen": _str(then.get(c)),
                            "kwadrant_nu": _str(now.get(c)), "tekst": f"{signaal} sinds {start}, zonder afspraak"})
    return Monitor(jaar, peil, out, buurten, ds.synthetisch)


def monitor_dataset(afspraken: Iterable[Afspraak], ds: Dataset, ws: Workspace, jaar: int | None = None) -> Monitor:
    """:func:`build_monitor` with the configured scores and dynamiek of ``ds`` (recipe and reference of ``ws``)."""
    scores: dict[int, ScoreResult] = {}

    def score_at(j: int) -> ScoreResult:
        if j not in scores:
            scores[j] = ws.score(ds, jaar=j)
        return scores[j]

    return build_monitor(afspraken, ds, score_at, jaar, lambda j: ws.dynamiek(ds, score_at(j), jaar=j), ws.cfg.vergelijk)


def _str(x: Any) -> str | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else str(x)


def _flags(a: Afspraak, verloop: list[Verloop], jaar: int) -> list[Signaal]:
    out = []
    wrong = [v for v in verloop if v.richting_goed is False]
    if a.status == "in uitvoering" and wrong:
        out.append(Signaal("verkeerde_richting", "In uitvoering, maar " + ", ".join(
            f"{v.label} ({number(v.verschil, 2, signed=True)} sinds {v.van_jaar}, bedoeld {v.richting})" for v in wrong)
            + " beweegt de verkeerde kant op."))
    if jaar > a.eind_jaar and a.status not in ("gereed", "vervallen"):
        out.append(Signaal("eindjaar_voorbij", f"Het eindjaar {a.eind_jaar} is voorbij en de afspraak is niet gereed "
                                               f"(status: {a.status})."))
    return out


# -- the city view -------------------------------------------------------------------------------
STAD_ROWS = (("woningen", "Woningen toegevoegd (zonder flex)"), ("sociale_huur", SEGMENT_LABELS["sociale_huur"]),
             ("midden", SEGMENT_LABELS["midden"]), ("vrij", SEGMENT_LABELS["vrij"]), ("flex", SEGMENT_LABELS["flex"]))


def _per_segment(pairs: Iterable[tuple[str, int]]) -> dict[str, int]:
    out = dict.fromkeys(SEGMENTS, 0)
    for segment, aantal in pairs:
        if aantal > 0:  # homes added; removals do not count towards the targets
            out[segment] += int(aantal)
    out["woningen"] = sum(out[s] for s in SEGMENTS if s != "flex")
    return out


def city_view(afspraken: Iterable[Afspraak], doelen: Doelen, scenario: Scenario | None = None) -> pd.DataFrame:
    """Homes added per segment against the targets: planned in a scenario, agreed, delivered.

    Agreed: afspraken that are not vervallen and overlap the target period; delivered: those
    that are gereed. Only positive numbers count (homes added), as for the targets.

    Returns
    -------
    DataFrame
        ``doel``, ``label``, ``streef`` (None without a target), ``gepland``, ``afgesproken``,
        ``gerealiseerd``.
    """
    p0, p1 = doelen.periode
    inside = [a for a in afspraken if a.status != "vervallen" and a.start_jaar <= p1 and a.eind_jaar >= p0]
    agreed = _per_segment(p for a in inside for p in a.woningen)
    done = _per_segment(p for a in inside if a.status == "gereed" for p in a.woningen)
    planned = dict.fromkeys([*SEGMENTS, "woningen"], 0)
    if scenario is not None:
        m = measures_frame(scenario)
        m = m[(m["soort"] == Soort.TOEVOEGEN.value) & m["segment"].notna()]
        planned = _per_segment(zip(m["segment"], m["aantal"]))
    rows = [{"doel": d, "label": label, "streef": getattr(doelen, d, None), "gepland": planned[d],
             "afgesproken": agreed[d], "gerealiseerd": done[d]} for d, label in STAD_ROWS]
    return pd.DataFrame(rows, columns=["doel", "label", "streef", "gepland", "afgesproken", "gerealiseerd"])
