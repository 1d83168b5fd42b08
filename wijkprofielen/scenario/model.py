"""Scenarios: a named set of measures (maatregelen) per buurt, validated.

A scenario file is JSON::

    {"naam": str,
     "maatregelen": [{"buurtcode": str, "interventie": id,
                      "segment": "sociale_huur" | "midden" | "vrij" | "flex" | null,
                      "aantal": int, "jaar": int | null}]}

What a measure *does* to the housing stock follows from the kind (:class:`Soort`) of its
intervention. The scenario catalogue below names the kinds the arithmetic needs; ids of
the configured menukaart (passed in as ``menukaart``) are accepted too, their kind derived
from the id. A negative ``aantal`` means removal and is allowed only for sloop, verkoop and
liberalisatie, for which it is required (they only remove homes from a segment).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import Enum
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ..errors import DataError

SEGMENTS = ("sociale_huur", "midden", "vrij", "flex")
SEGMENT_LABELS = {"sociale_huur": "sociale huur", "midden": "middenhuur/midden koop", "vrij": "vrije sector/duur", "flex": "flexwoningen"}


class Soort(str, Enum):
    """What a measure does to the numbers."""

    TOEVOEGEN = "toevoegen"  # homes added in a segment
    SLOOP = "sloop"  # homes demolished (negative aantal)
    VERKOOP = "verkoop"  # homes sold from a rental segment (negative aantal)
    LIBERALISATIE = "liberalisatie"  # social rent moved to the free sector (negative aantal)
    VERDUURZAMING = "verduurzaming"  # homes with label E/F/G brought to at least B
    INSTROOM_BEPERKEN = "instroom_beperken"  # cap on the inflow of vulnerable households
    INSTROOM_OPVANGEN = "instroom_opvangen"  # extra capacity for that inflow
    OVERIG = "overig"  # social or physical measures without a count that adds up (sociaal beheer …)


REMOVALS = frozenset({Soort.SLOOP, Soort.VERKOOP, Soort.LIBERALISATIE})


@dataclass(frozen=True)
class Interventie:
    """An intervention a scenario can use: id, label, kind and the segment it implies."""

    id: str
    label: str
    soort: Soort
    segment: str | None = None


# The scenario's own catalogue: the kinds of measure whose numbers add up to city targets.
CATALOGUE: dict[str, Interventie] = {
    i.id: i
    for i in (
        Interventie("nieuwbouw", "Nieuwbouw", Soort.TOEVOEGEN),
        Interventie("verdichting", "Verdichting / inbreiding", Soort.TOEVOEGEN),
        Interventie("transformatie", "Transformatie van gebouwen naar woningen", Soort.TOEVOEGEN),
        Interventie("flexwonen", "Flexwoningen op tijdelijke locaties", Soort.TOEVOEGEN, "flex"),
        Interventie("sloop_nieuwbouw", "Sloop-nieuwbouw (negatief: gesloopt, positief: teruggebouwd)", Soort.SLOOP, "sociale_huur"),
        Interventie("verkoop", "Verkoop van huurwoningen", Soort.VERKOOP, "sociale_huur"),
        Interventie("liberalisatie", "Liberalisatie van sociale huurwoningen", Soort.LIBERALISATIE, "sociale_huur"),
        Interventie("verduurzaming", "Verduurzaming (label E/F/G naar ten minste B)", Soort.VERDUURZAMING),
        Interventie("instroom_beperken", "Instroom van kwetsbare huishoudens beperken", Soort.INSTROOM_BEPERKEN),
        Interventie("instroom_opvangen", "Extra ruimte voor instroom van kwetsbare huishoudens", Soort.INSTROOM_OPVANGEN),
        Interventie("sociaal_beheer", "Sociaal beheer en leefbaarheid", Soort.OVERIG),
    )
}

# Items of the menukaart (wijkprofielen/menukaart.toml) whose numbers count towards targets:
# their kind and implied segment. Items not listed count as "overig" (no numbers).
MENUKAART_SOORTEN: dict[str, tuple[Soort, str | None]] = {
    "sociale_huur_toevoegen": (Soort.TOEVOEGEN, "sociale_huur"),
    "middenhuur_toevoegen": (Soort.TOEVOEGEN, "midden"),
    "middeldure_dure_woningen_toevoegen": (Soort.TOEVOEGEN, None),
    "gemengde_gebiedsontwikkeling": (Soort.TOEVOEGEN, None),
    "levensloopbestendig_bouwen": (Soort.TOEVOEGEN, None),
    "kleinschalig_verdichten": (Soort.TOEVOEGEN, None),
    "optoppen": (Soort.TOEVOEGEN, None),
    "woningsplitsen": (Soort.TOEVOEGEN, None),
    "transformatie_leegstaand_vastgoed": (Soort.TOEVOEGEN, None),
    "flexwonen_tijdelijke_locaties": (Soort.TOEVOEGEN, "flex"),
    "sloop_nieuwbouw_vergelijkbare_huur": (Soort.SLOOP, "sociale_huur"),
    "verkoop_eenzijdig_corporatiebezit": (Soort.VERKOOP, "sociale_huur"),
    "liberaliseren_in_wijkaanpak": (Soort.LIBERALISATIE, "sociale_huur"),
    "efg_labels_eerst": (Soort.VERDUURZAMING, None),
    "sturen_op_instroom": (Soort.INSTROOM_BEPERKEN, None),
    "woningcontingent_met_veto_gebiedsteam": (Soort.INSTROOM_BEPERKEN, None),
    "uitstroom_naar_buurten_met_draagkracht": (Soort.INSTROOM_OPVANGEN, None),
    "geclusterd_wonen_uitstroom": (Soort.INSTROOM_OPVANGEN, None),
}

# For other ids: the first keyword found in the id decides the kind.
_KEYWORDS = (
    ("instroom_beperk", Soort.INSTROOM_BEPERKEN), ("sloop", Soort.SLOOP), ("verkoop", Soort.VERKOOP),
    ("liberalis", Soort.LIBERALISATIE), ("verduurzam", Soort.VERDUURZAMING), ("nieuwbouw", Soort.TOEVOEGEN),
    ("verdicht", Soort.TOEVOEGEN), ("transformatie", Soort.TOEVOEGEN), ("flex", Soort.TOEVOEGEN),
    ("toevoeg", Soort.TOEVOEGEN),
)


def _base(interventie_id: str) -> tuple[Soort, str | None]:
    if interventie_id in CATALOGUE:
        return CATALOGUE[interventie_id].soort, CATALOGUE[interventie_id].segment
    if interventie_id in MENUKAART_SOORTEN:
        return MENUKAART_SOORTEN[interventie_id]
    low = interventie_id.lower()
    for word, soort in _KEYWORDS:
        if word in low:
            return soort, ("flex" if word == "flex" else None)
    return Soort.OVERIG, None


def soort_van(interventie_id: str, aantal: int | None = None) -> Soort:
    """The kind of a measure: from the catalogues, else from keywords in the id.

    Sloop-nieuwbouw is one intervention with two numbers: a negative ``aantal`` counts
    the homes demolished, a positive one the homes built back.

    Examples
    --------
    >>> soort_van("sloop_nieuwbouw", -40).value, soort_van("sloop_nieuwbouw", 40).value
    ('sloop', 'toevoegen')
    """
    soort, _ = _base(interventie_id)
    if soort == Soort.SLOOP and "nieuwbouw" in interventie_id and aantal is not None and aantal > 0:
        return Soort.TOEVOEGEN
    return soort


def default_segment(interventie_id: str) -> str | None:
    """The segment an intervention implies (e.g. flex for flexwonen), or None."""
    return _base(interventie_id)[1]


def known_interventions(menukaart: Mapping | None = None) -> dict[str, str]:
    """``{id: label}`` of every intervention a scenario may use: the scenario catalogue and,
    when given, the items of ``menukaart`` (the configured catalogue)."""
    out = {k: v.label for k, v in CATALOGUE.items()}
    for key in menukaart or ():
        out.setdefault(key, f"{menukaart[key].titel} (menukaart)")
    return out


@dataclass(frozen=True)
class Maatregel:
    """One measure in one buurt."""

    buurtcode: str
    interventie: str
    segment: str | None = None
    aantal: int = 0
    jaar: int | None = None

    @property
    def soort(self) -> Soort:
        return soort_van(self.interventie, self.aantal)


@dataclass
class Scenario:
    """A named list of measures."""

    naam: str
    maatregelen: list[Maatregel] = field(default_factory=list)
    toelichting: str = ""

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"naam": self.naam, "maatregelen": [asdict(m) for m in self.maatregelen]}
        if self.toelichting:
            d["toelichting"] = self.toelichting
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def parse_scenario(
    raw: Any,
    buurtcodes: Iterable[str] | None = None,
    periode: tuple[int, int] | None = None,
    interventies: Iterable[str] | None = None,
    menukaart: Mapping | None = None,
) -> Scenario:
    """Validate a scenario (parsed JSON) and return a :class:`Scenario`.

    Parameters
    ----------
    raw : dict
        The parsed JSON.
    buurtcodes : iterable of str, optional
        Buurten of the dataset; other codes are refused.
    periode : (int, int), optional
        First and last year of the targets; a ``jaar`` outside it is refused.
    interventies : iterable of str, optional
        Allowed intervention ids (default: :func:`known_interventions` of ``menukaart``).
    menukaart : Mapping, optional
        The configured catalogue whose ids are allowed besides the scenario catalogue.

    Raises
    ------
    DataError
        With a Dutch message naming the measure's number and the field.

    Examples
    --------
    >>> s = parse_scenario({"naam": "A", "maatregelen": [{"buurtcode": "BU00010000",
    ...     "interventie": "nieuwbouw", "segment": "midden", "aantal": 40, "jaar": 2026}]})
    >>> s.maatregelen[0].aantal
    40
    """
    if not isinstance(raw, dict):
        raise DataError("Scenario: het bestand moet een JSON-object zijn met 'naam' en 'maatregelen'.")
    naam = raw.get("naam")
    if not isinstance(naam, str) or not naam.strip():
        raise DataError("Scenario: 'naam' ontbreekt of is leeg. Geef het scenario een naam.")
    items = raw.get("maatregelen")
    if not isinstance(items, list):
        raise DataError("Scenario: 'maatregelen' moet een lijst zijn (mag leeg zijn: []).")
    codes = set(buurtcodes) if buurtcodes is not None else None
    if interventies is None:
        interventies = set(known_interventions(menukaart))
    allowed = interventies if hasattr(interventies, "__contains__") else set(interventies)
    out = []
    for n, item in enumerate(items, 1):
        where = f"Scenario '{naam}', maatregel {n}"
        if not isinstance(item, dict):
            raise DataError(f"{where}: moet een object zijn met buurtcode, interventie, segment, aantal en jaar.")
        unknown_keys = set(item) - {"buurtcode", "interventie", "segment", "aantal", "jaar", "toelichting"}
        if unknown_keys:
            raise DataError(f"{where}: onbekend veld {', '.join(sorted(unknown_keys))}. Toegestaan: buurtcode, interventie, segment, aantal, jaar.")
        code = item.get("buurtcode")
        if not isinstance(code, str) or not code:
            raise DataError(f"{where} (buurtcode): ontbreekt. Geef een buurtcode als BU07960101.")
        if codes is not None and code not in codes:
            raise DataError(f"{where} (buurtcode): {code!r} is geen buurt in deze dataset. Controleer de code (BU + 8 cijfers) en het jaar van de indeling.")
        iv = item.get("interventie")
        if not isinstance(iv, str) or iv not in allowed:
            raise DataError(f"{where} (interventie): {iv!r} staat niet op de menukaart. Kies uit: {', '.join(sorted(allowed))}.")
        aantal = _int(item.get("aantal", 0))
        if aantal is None:
            raise DataError(f"{where} (aantal): {item.get('aantal')!r} is geen geheel getal.")
        soort = soort_van(iv, aantal)
        implied = _base(iv)[1]
        segment = item.get("segment")
        if segment is not None and segment not in SEGMENTS:
            raise DataError(f"{where} (segment): {segment!r} is onbekend. Kies uit: {', '.join(SEGMENTS)} of null.")
        if implied == "flex" and segment not in (None, "flex"):
            raise DataError(f"{where} (segment): '{iv}' hoort bij segment 'flex', niet {segment!r}.")
        if segment is None and soort in (Soort.TOEVOEGEN, *REMOVALS):
            segment = implied  # e.g. flex for flexwonen; corporaties demolish, sell and liberalise social rent
        if soort == Soort.TOEVOEGEN and segment is None:
            raise DataError(f"{where} (segment): bij '{iv}' is een segment nodig ({', '.join(SEGMENTS)}).")
        if soort == Soort.LIBERALISATIE and segment != "sociale_huur":
            raise DataError(f"{where} (segment): liberalisatie gaat over sociale huur; gebruik segment 'sociale_huur' of null.")
        if aantal < 0 and soort not in REMOVALS:
            raise DataError(
                f"{where} (aantal): een negatief aantal ({aantal}) betekent weghalen en mag alleen bij sloop, verkoop en liberalisatie, niet bij '{iv}'."
            )
        if soort in REMOVALS and aantal > 0:
            raise DataError(f"{where} (aantal): bij {soort.value} geeft u het aantal woningen dat verdwijnt als negatief getal, bijvoorbeeld {-aantal}.")
        if abs(aantal) > 1_000_000:
            raise DataError(f"{where} (aantal): {aantal} is onwaarschijnlijk groot. Controleer het getal.")
        jaar = item.get("jaar")
        if jaar is not None:
            jaar = _int(jaar)
            if jaar is None:
                raise DataError(f"{where} (jaar): {item.get('jaar')!r} is geen jaartal. Geef bijvoorbeeld 2027 of null.")
            if periode is not None and not (periode[0] <= jaar <= periode[1]):
                raise DataError(f"{where} (jaar): {jaar} ligt buiten de periode van de doelen ({periode[0]}–{periode[1]}).")
        out.append(Maatregel(code, iv, segment, aantal, jaar))
    toelichting = raw.get("toelichting", "")
    return Scenario(naam.strip(), out, toelichting if isinstance(toelichting, str) else "")


def load_scenario_json(text: str | bytes, **kwargs: Any) -> Scenario:
    """Parse and validate scenario JSON text (see :func:`parse_scenario` for ``kwargs``)."""
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"Scenario: geen geldige JSON ({exc}). Controleer het bestand.") from None
    return parse_scenario(raw, **kwargs)


def voorbeeldscenario(per_buurt_frame, scores, periode: tuple[int, int], grens_draagkracht: float = 0.0) -> Scenario:
    """The worked example of the Prestatieafspraken 's-Hertogenbosch 2021–2025 on any dataset: a buurt
    with high draagkracht adds social rent, one with low draagkracht mid-priced homes.

    The first is the buurt with high draagkracht and the most plancapaciteit (without
    plancapaciteit: the highest draagkracht); the second a one-sided buurt with low draagkracht
    and room to build, else the one with the highest social share, else the lowest draagkracht.
    The second also caps the inflow of vulnerable households and the first offers part of
    that room, so the waterbed check has something to show. Both are named in the scenario.
    """
    f = per_buurt_frame.set_index("buurtcode")
    dk = pd.to_numeric(scores["draagkracht"].reindex(f.index), errors="coerce")

    def column(*names: str) -> pd.Series:
        """The first present column as numbers; all NaN when the dataset has none of them."""
        for name in names:
            if name in f.columns:
                return pd.to_numeric(f[name], errors="coerce")
        return pd.Series(float("nan"), index=f.index)

    plancap = [c for c in ("plancap_hard_pct", "plancap_zacht_pct") if c in f.columns]
    plan = (column("woningen") * sum(column(c).fillna(0) for c in plancap) / 100) if plancap else column()
    social = column("pct_sociale_huur", "pct_corporatiebezit")
    hoog, laag = dk[dk >= grens_draagkracht].index, dk[dk < grens_draagkracht].index
    if hoog.empty or laag.empty:
        return Scenario("Voorbeeld (leeg)", [], "Geen buurten met hoge en met lage draagkracht gevonden: het voorbeeld "
                        "heeft van elk één nodig.")
    high = plan.reindex(hoog).dropna().sort_values()
    x = high.index[-1] if len(high) else dk.reindex(hoog).idxmax()
    low = social.reindex(laag).dropna()
    room = plan.reindex(low.index).fillna(0)
    one_sided = low >= 40
    if (one_sided & (room >= 20)).any():  # as in the worked example: a one-sided buurt with room to build
        low = room[one_sided & (room >= 20)]
    low = low.sort_values()
    y = low.index[-1] if len(low) else dk.reindex(laag).idxmin()

    def capacity(code: str) -> float:
        value = plan.get(code)
        return 0.0 if value is None or pd.isna(value) else float(value)

    jaar = periode[0] + 2
    n_x = max(10, int(round(capacity(x) * 0.5 / 10) * 10))
    n_y = max(10, int(capacity(y) * 0.8 / 10) * 10)
    names = f["buurtnaam"] if "buurtnaam" in f.columns else pd.Series(f.index, index=f.index)
    naam_x, naam_y = str(names.get(x, x)), str(names.get(y, y))
    return Scenario(
        f"Voorbeeld: {naam_x} en {naam_y}",
        [
            Maatregel(x, "nieuwbouw", "sociale_huur", n_x, jaar),
            Maatregel(y, "nieuwbouw", "midden", n_y, jaar + 1),
            Maatregel(y, "verkoop", "sociale_huur", -20, jaar + 2),
            Maatregel(y, "instroom_beperken", None, 15, None),
            Maatregel(x, "instroom_opvangen", None, 10, None),
        ],
        f"Naar het uitgewerkte voorbeeld in de Prestatieafspraken 's-Hertogenbosch 2021–2025: {naam_x} (hoge "
        f"draagkracht) voegt sociale huur toe en vangt instroom op, {naam_y} (lage draagkracht) voegt middenhuur "
        "toe, verkoopt sociale huur en beperkt de instroom. Pas de aantallen aan de eigen plancapaciteit aan.",
    )
