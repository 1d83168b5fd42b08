"""Combine boundaries and sources into one :class:`~wijkprofielen.dataset.Dataset`, with a
coverage report.

Values are joined on code only. Codes in a source that are not among the boundaries are
reported as ``extra`` (code or boundary changes between years) and never joined; buurten
without a row in a source get the missing reason "niet in bron …". Wijk figures (income)
are applied to the buurten of the wijk and marked ``niveau = "wijk"`` for that year.

Three rules (``regels``, the ``[import]`` options) are applied and recorded in the dataset:
``max_leeftijd_buurtcijfer`` (a buurt's own figure beats a newer wijk figure, see
:meth:`~wijkprofielen.dataset.Dataset.keuze`), ``min_inwoners_rate`` (a rate per 1.000
inhabitants of a buurt with fewer inhabitants is missing with a reason) and ``grens_drempel``
(buurten whose area changed between years are flagged per year, see :mod:`.grenswijziging`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import indicators
from ..dataset import WEB_CRS, WEB_GEOMETRY, Dataset, IndicatorMeta, empty_values
from ..domain import CBS_AFRONDING, GRENS_DREMPEL, MAX_LEEFTIJD_BUURTCIJFER, MIN_INWONERS_RATE
from ..errors import DataError
from .boundaries import BRON as GRENZEN_BRON, LICENTIE as GRENZEN_LICENTIE, read_boundaries
from .grenswijziging import changes_from_density, changes_from_geometry
from .inkomen import read_inkomen
from .invoer import Bronwaarden, open_input, sha256
from .kerncijfers import read_kerncijfers
from .leefbaarometer import read_leefbaarometer
from .lokaal import read_lokaal
from .validate import BUITEN_BEREIK, WEIGEREN, check_bij_afwijking, check_no_conflict

ATTRIBUTIE = "Bronnen: CBS / Kadaster (CC-BY 4.0); Leefbaarometer 3.0, open data van het Ministerie van BZK."
DEFAULT_TOLERANCE_M = 10.0
REGELS = {"max_leeftijd_buurtcijfer": MAX_LEEFTIJD_BUURTCIJFER, "min_inwoners_rate": MIN_INWONERS_RATE,
          "grens_drempel": GRENS_DREMPEL}


@dataclass
class Rapport:
    """The coverage report: per source and year, which buurten were coupled."""

    gemeente: str
    buurten: int
    wijken: int
    bronnen: list[dict[str, Any]] = field(default_factory=list)
    grenzen_jaar: int | None = None
    meldingen: list[str] = field(default_factory=list)  # rows left out, GDAL warnings
    # Buurten whose area differs from the reference year: {jaar: {buurtcode: relative change}}.
    grenswijzigingen: dict[int, dict[str, float]] = field(default_factory=dict)
    grens_referentiejaar: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"gemeente": self.gemeente, "buurten": self.buurten, "wijken": self.wijken, "grenzen_jaar": self.grenzen_jaar,
                "bronnen": self.bronnen, "meldingen": self.meldingen,
                "grenswijzigingen": {str(j): v for j, v in self.grenswijzigingen.items()},
                "grens_referentiejaar": self.grens_referentiejaar}

    def tabel(self) -> pd.DataFrame:
        """One row per source and year, for the Data page."""
        rows = [{"bron": b["bron"], "jaar": b["jaar"], "gekoppeld": b["gekoppeld"], "ontbrekend": len(b["ontbrekend"]),
                 "extra (niet gekoppeld)": len(b["extra"]), "onderdrukt": b["onderdrukt"],
                 "buiten bereik": b.get("buiten_bereik", 0),
                 "andere indeling": "ja" if b.get("andere_indeling") else "",
                 "ontbrekende codes": ", ".join(b["ontbrekend"][:12]) + (" …" if len(b["ontbrekend"]) > 12 else ""),
                 "extra codes": ", ".join(b["extra"][:12]) + (" …" if len(b["extra"]) > 12 else "")} for b in self.bronnen]
        return pd.DataFrame(rows)

    def tekst(self) -> str:
        lines = [f"{self.gemeente}: {self.buurten} buurten in {self.wijken} wijken"]
        for b in self.bronnen:
            line = f"  {b['bron']} {b['jaar']}: {b['gekoppeld']} gekoppeld, {len(b['ontbrekend'])} ontbrekend"
            if b["extra"]:
                line += f", extra (niet gekoppeld, codewijziging?): {', '.join(b['extra'])}"
            if b["onderdrukt"]:
                line += f", {b['onderdrukt']} onderdrukte waarden"
            if b.get("buiten_bereik"):
                line += f", {b['buiten_bereik']} waarden buiten bereik (als ontbrekend bewaard)"
            if b.get("andere_indeling"):
                line += " *"
            lines.append(line)
        if any(b.get("andere_indeling") for b in self.bronnen):
            lines.append(f"  * ander jaar dan de grenzen ({self.grenzen_jaar}): op code gekoppeld; een gelijke code kan toen een ander gebied zijn")
        for jaar, changed in sorted(self.grenswijzigingen.items()):
            lines.append(f"  Andere grenzen in {jaar} dan in {self.grens_referentiejaar} (oppervlakte): "
                         + ", ".join(f"{c} {v:+.0%}" for c, v in sorted(changed.items())) + "; hun cijfers van dat jaar zijn gemarkeerd")
        lines += [f"  {m}" for m in self.meldingen]
        return "\n".join(lines)


def web_geometry(gebieden: gpd.GeoDataFrame, tolerance_m: float = DEFAULT_TOLERANCE_M, decimals: int = 5) -> tuple[gpd.GeoSeries, str]:
    """Coverage-simplified geometry in EPSG:4326 for web maps, and how it was made.

    Shared edges stay matched (``simplify_coverage``); where the boundaries are no valid
    coverage, each polygon is simplified on its own and the note says so.
    """
    geoms = gebieden.geometry
    if len(geoms) and bool(shapely.coverage_is_valid(geoms.values)):
        simple = geoms.simplify_coverage(tolerance_m)
        how = f"simplify_coverage({tolerance_m:g} m)"
    else:
        simple = geoms.simplify(tolerance_m / 2, preserve_topology=True)
        how = f"simplify({tolerance_m / 2:g} m) per vlak: de grenzen vormen geen geldige dekking"
    web = gpd.GeoSeries(simple, crs=gebieden.crs).to_crs(WEB_CRS)
    rounded = shapely.transform(web.values, lambda c: np.round(c, decimals))
    ok = shapely.is_valid(rounded)
    web = gpd.GeoSeries(np.where(ok, rounded, shapely.make_valid(rounded)), index=gebieden.index, crs=WEB_CRS)
    return web, f"{how}, EPSG:4326, {decimals} decimalen"


def _suppressed(b: Bronwaarden, jaar: int, codes: list[str]) -> int:
    keep = set(codes)
    return sum(1 for (k, j), why in b.redenen.items() if j == jaar for c, r in why.items()
               if c in keep and ("CBS" in str(r) or str(r).startswith("onderdrukt")))


def _out_of_range(b: Bronwaarden, jaar: int) -> int:
    return sum(1 for (k, j), why in b.redenen.items() if j == jaar for r in why.values() if str(r).startswith(BUITEN_BEREIK))


class _Builder:
    def __init__(self, gemeente: str, gebieden: gpd.GeoDataFrame, grenzen_jaar: int | None = None):
        self.gemeente = gemeente
        self.gebieden = gebieden
        self.codes = gebieden["buurtcode"].tolist()
        self.waarden = empty_values(self.codes)
        self.redenen: dict = {}
        self.indicatoren: dict[str, IndicatorMeta] = {}
        self.bronnen: list[dict] = []
        self.herkomst: dict[tuple[str, int], tuple[str, str]] = {}  # (kolom, jaar) -> (bron, bestand) that set it
        self.rapport = Rapport(gemeente, len(self.codes), gebieden["wijkcode"].nunique(), grenzen_jaar=grenzen_jaar)

    def add(self, b: Bronwaarden, invoer_sha: str | None = None) -> None:
        codeset = set(self.codes)
        if b.niveau == "wijk":
            wijk_of = self.gebieden.set_index("buurtcode")["wijkcode"]
            known = set(wijk_of)
            values = b.waarden.reindex(wijk_of.to_numpy())
            values.index = pd.Index(self.codes, name="buurtcode")
        else:
            known = codeset
            values = b.waarden.reindex(self.codes)
        for jaar in b.jaren:
            present = set(b.aanwezig[jaar])
            if b.niveau == "wijk":
                coupled = [c for c in self.codes if wijk_of[c] in present]
            else:
                coupled = [c for c in self.codes if c in present]
            coupled_set = set(coupled)
            missing = [c for c in self.codes if c not in coupled_set]
            missing_set = set(missing)
            extra = sorted(present - known)
            self.rapport.bronnen.append({"bron": b.bron, "jaar": int(jaar), "bestand": b.bestand, "niveau": b.niveau,
                                         "gekoppeld": len(coupled), "ontbrekend": missing, "extra": extra,
                                         "onderdrukt": _suppressed(b, jaar, coupled if b.niveau == "buurt" else list(present)),
                                         "buiten_bereik": _out_of_range(b, jaar),
                                         # Codes are joined as they are; a source of another year than the
                                         # boundaries may describe a changed area under the same code.
                                         "andere_indeling": bool(self.rapport.grenzen_jaar and jaar and jaar != self.rapport.grenzen_jaar)})
            for kolom, j in [c for c in values.columns if c[1] == jaar]:
                if (kolom, j) in self.waarden.columns and self.waarden[(kolom, j)].notna().any():
                    earlier = self.herkomst.get((kolom, j))
                    if earlier is not None and earlier[0] == b.bron:
                        check_no_conflict(kolom, j, self.waarden[(kolom, j)], values[(kolom, j)], earlier[1], b.bestand)
                    # Same indicator and year from an earlier source: keep the earlier values, fill gaps only.
                    self.waarden[(kolom, j)] = self.waarden[(kolom, j)].fillna(values[(kolom, j)])
                else:
                    self.waarden[(kolom, j)] = values[(kolom, j)].to_numpy()
                    self.herkomst[(kolom, j)] = (b.bron, b.bestand)
                why = {}
                src_why = b.redenen.get((kolom, j), {})
                for c in self.codes:
                    key = wijk_of[c] if b.niveau == "wijk" else c
                    if key in src_why:
                        why[c] = src_why[key] + (" (wijkcijfer)" if b.niveau == "wijk" else "")
                    elif c in missing_set:
                        why[c] = f"niet in bron ({b.bron} {j})"
                if why:
                    self.redenen[(kolom, j)] = {**why, **self.redenen.get((kolom, j), {})}
                self._meta(kolom, j, b)
        self.bronnen.append({"bron": b.bron, "bestand": b.bestand, "sha256": b.sha256, "jaren": b.jaren,
                             "licentie": b.licentie, "niveau": b.niveau})
        self.rapport.meldingen += b.meldingen

    def dataset(self, tolerance_m: float, grens: dict, **meta: Any) -> tuple[Dataset, Rapport]:
        """The dataset of everything added, with the stored web geometry; ``meta`` names it."""
        gebieden = self.gebieden.copy()
        gebieden[WEB_GEOMETRY], web_how = web_geometry(gebieden, tolerance_m)
        meta = {"synthetisch": False, **meta, "bronnen": [grens, *self.bronnen], "attributie": ATTRIBUTIE,
                "web_geometrie": web_how, "rapport": self.rapport.to_dict()}
        waarden = self.waarden
        if len(waarden.columns):
            waarden.columns = pd.MultiIndex.from_tuples([(k, int(j)) for k, j in waarden.columns], names=["kolom", "jaar"])
        return Dataset(gebieden.reset_index(drop=True), waarden, self.indicatoren, self.redenen, meta), self.rapport

    def _meta(self, kolom: str, jaar: int, b: Bronwaarden) -> None:
        bron = b.bronnen.get(kolom, b.bron)
        bronjaar = {"bronjaar": str(b.bronjaren[(kolom, jaar)])} if (kolom, jaar) in b.bronjaren else {}
        if kolom not in self.indicatoren:
            base = (b.indicatoren or {}).get(kolom) or IndicatorMeta.from_catalogue(kolom)
            self.indicatoren[kolom] = IndicatorMeta(base.kolom, base.label, base.eenheid, bron, b.licentie, b.niveau)
        m = self.indicatoren[kolom]
        if m.bron != bron or m.niveau != b.niveau or bronjaar:
            m.per_jaar[str(jaar)] = {"bron": bron, "niveau": b.niveau, "licentie": b.licentie, **bronjaar}

    def min_denominator(self, minimum: float) -> None:
        """Rates per 1.000 inhabitants of buurten with fewer than ``minimum`` inhabitants become missing, with the reason."""
        inw_years = sorted(j for k, j in self.waarden.columns if k == "inwoners")
        for kolom, jaar in list(self.waarden.columns):
            if not indicators.info(kolom).per_inwoners or not inw_years:
                continue
            inw_jaar = min(inw_years, key=lambda j: (abs(j - jaar), -j))  # the same year, else the nearest
            inw = self.waarden[("inwoners", inw_jaar)]
            small = (inw < minimum) & self.waarden[(kolom, jaar)].notna()
            if not small.any():
                continue
            self.waarden.loc[small, (kolom, jaar)] = np.nan
            why = self.redenen.setdefault((kolom, jaar), {})
            for code in small.index[small]:
                why[code] = (f"te weinig inwoners voor een betrouwbaar cijfer ({inw[code]:.0f} inwoners in {inw_jaar}, "
                             f"minimum {minimum:.0f}; CBS rondt aantallen af op {CBS_AFRONDING})")
            self.rapport.meldingen.append(
                f"{kolom} {jaar}: {int(small.sum())} buurt(en) met minder dan {minimum:.0f} inwoners, als ontbrekend bewaard "
                "(te weinig inwoners voor een betrouwbaar cijfer)")

    def boundary_changes(self, drempel: float, andere: list[tuple[gpd.GeoDataFrame, int]]) -> dict[str, dict[str, float]]:
        """Flag buurten whose area changed: from the implied areas, and from other years' boundaries where given."""
        ref, changes = changes_from_density(self.waarden, drempel, self.rapport.grenzen_jaar)
        for gebieden, jaar in andere:
            changes[jaar] = changes_from_geometry(self.gebieden, gebieden, drempel)
            ref = ref if ref is not None else self.rapport.grenzen_jaar
        changes = {j: v for j, v in changes.items() if v}
        self.rapport.grenswijzigingen = changes
        self.rapport.grens_referentiejaar = ref
        return {str(j): v for j, v in sorted(changes.items())}


def build_dataset(
    gemeente: str,
    buurten,
    kerncijfers: list = (),
    leefbaarometer=None,
    inkomen=None,
    lokaal: list = (),
    mapping: dict | None = None,
    naam: str | None = None,
    max_mb: float | None = None,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    bij_afwijking: str = WEIGEREN,
    regels: dict | None = None,
    andere_grenzen: list = (),
) -> tuple[Dataset, Rapport]:
    """Import the files of one gemeente into a dataset.

    Parameters
    ----------
    gemeente : str
        ``GM`` + 4 digits.
    buurten : path or Invoer
        Boundaries (see :func:`~.boundaries.read_boundaries`).
    kerncijfers, lokaal : list of path, Invoer or ``(source, jaar)``
        A year of None is taken from the file.
    leefbaarometer, inkomen : path, Invoer or None (inkomen may be ``(source, jaar)``)
    mapping : dict, optional
        Column mapping for the local files (``[lokaal.kolommen]``).
    bij_afwijking : {"weigeren", "ontbrekend"}
        Values outside the catalogue range (``min``/``max``): refuse the import (default), or
        keep them as missing with the reason "buiten bereik", counted in the coverage report.
    regels : dict, optional
        ``max_leeftijd_buurtcijfer``, ``min_inwoners_rate`` and ``grens_drempel`` (the
        ``[import]`` options); absent keys take the defaults of :data:`REGELS`.
    andere_grenzen : list of path, Invoer or ``(source, jaar)``
        Boundaries of other years: buurten whose geometry differs are flagged in that year.
    """
    gemeente = check_gemeente(gemeente)
    check_bij_afwijking(bij_afwijking)
    opts = {"max_mb": max_mb, "bij_afwijking": bij_afwijking}

    def split(src):
        return src if isinstance(src, tuple) else (src, None)

    grens_src, grens_jaar = split(buurten)
    grens_inv = open_input(grens_src, max_mb)
    gebieden, attributen = read_boundaries(grens_inv, gemeente, grens_jaar, bij_afwijking=bij_afwijking)
    grenzen_jaar = gebieden.attrs.pop("jaar", None)
    grens_meldingen = gebieden.attrs.pop("meldingen", [])
    sources: list[Bronwaarden] = []
    if attributen is not None:
        sources.append(attributen)
    for src in kerncijfers:
        s, j = split(src)
        sources.append(read_kerncijfers(s, gemeente, j, **opts))
    if leefbaarometer is not None:
        sources.append(read_leefbaarometer(leefbaarometer, gemeente, **opts))
    if inkomen is not None:
        s, j = split(inkomen)
        sources.append(read_inkomen(s, gemeente, j, **opts))
    for src in lokaal:
        s, j = split(src)
        sources.append(read_lokaal(s, gemeente, mapping, j, **opts))

    # Names the boundaries lack: gemeente name from the Kerncijfers, wijk names from the income table.
    gm_naam = next((b.gemeentenaam for b in sources if b.gemeentenaam), None)
    if gm_naam is not None:
        gebieden.loc[gebieden["gemeentenaam"] == gebieden["gemeentecode"], "gemeentenaam"] = gm_naam
    for b in sources:
        if b.niveau == "wijk" and b.namen:
            unnamed = gebieden["wijknaam"] == gebieden["wijkcode"]
            gebieden.loc[unnamed, "wijknaam"] = gebieden.loc[unnamed, "wijkcode"].map(b.namen).fillna(gebieden.loc[unnamed, "wijkcode"])

    regels = {**REGELS, **(regels or {})}
    andere = []
    for src in andere_grenzen:
        s, j = split(src)
        other, _ = read_boundaries(open_input(s, max_mb), gemeente, j, bij_afwijking=bij_afwijking)
        other_jaar = other.attrs.pop("jaar", None)
        if other_jaar is None:
            raise DataError(f"{getattr(s, 'naam', s)}: het jaar van deze grenzen is onbekend. Geef het mee als BESTAND@JAAR.")
        andere.append((other, other_jaar))

    builder = _Builder(gemeente, gebieden, grenzen_jaar)
    builder.rapport.meldingen += grens_meldingen
    for b in sources:
        builder.add(b)
    builder.min_denominator(regels["min_inwoners_rate"])
    grenswijzigingen = builder.boundary_changes(regels["grens_drempel"], andere)
    grens = {"bron": GRENZEN_BRON, "bestand": grens_inv.naam, "sha256": sha256(grens_inv), "licentie": GRENZEN_LICENTIE,
             "jaren": [grenzen_jaar] if grenzen_jaar else [], "niveau": "buurt"}
    return builder.dataset(tolerance_m, grens, naam=naam or gemeente, gemeente=gemeente,
                           gemeenten={gemeente: gebieden["gemeentenaam"].iloc[0]}, regels=regels,
                           grenswijzigingen=grenswijzigingen)


def check_gemeente(code: str) -> str:
    """Validate a gemeentecode (``GM`` + 4 digits)."""
    code = (code or "").strip().upper()
    if not (len(code) == 6 and code.startswith("GM") and code[2:].isdigit()):
        raise DataError(f"Gemeentecode {code!r} is ongeldig. Gebruik GM + 4 cijfers, bijvoorbeeld GM0796 voor 's-Hertogenbosch.")
    return code


def dekking_per_indicator(ds: Dataset) -> pd.DataFrame:
    """Per indicator at its latest year: how many buurten have a value, and why others lack one."""
    rows = []
    n = len(ds.codes)
    for kolom, jaar in ds.peiljaren().items():
        values = ds.waarden[(kolom, jaar)]
        meta = ds.indicatoren[kolom]
        why = pd.Series(ds.redenen.get((kolom, jaar), {}), dtype="object").reindex(values.index[values.isna()])
        reasons = why.fillna("onbekend").str.replace(r" \(.*$", "", regex=True).value_counts()
        rows.append({"kolom": kolom, "indicator": meta.label, "jaar": jaar or None, "niveau": meta.niveau_in(jaar),
                     "met waarde": int(values.notna().sum()), "zonder waarde": int(values.isna().sum()),
                     "dekking": values.notna().sum() / n if n else 0.0,
                     "redenen": ", ".join(f"{r} ({c})" for r, c in reasons.items())})
    return pd.DataFrame(rows)
