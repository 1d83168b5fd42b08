"""Reference sets for normalisation: the gemeente itself, the Netherlands, or peer gemeenten.

A score of 0 means "in the middle of the reference". Which reference that is changes the
picture, so the choice is explicit (``[scoring] referentie``) and shown with every score:

* ``gemeente`` (default) and ``dataset``: the buurten in the loaded data (see
  :func:`wijkprofielen.scoring.normalise`);
* ``nederland``: statistics of all buurten in the national CBS extracts (the folder of
  ``[referentie] map`` or ``$WIJKPROFIELEN_REFERENTIE``), computed when first needed and
  never stored as a data file;
* ``stedelijkheid``: the buurten of gemeenten with the same *mate van stedelijkheid* as
  the buurt's own gemeente (peer gemeenten).

Per indicator a :class:`ColumnStats` holds the mean, the standard deviation (ddof 0, as in
:func:`~wijkprofielen.scoring.normalise`) and the sorted values for percentiles.
Leefbaarometer ``afw`` and its dimensions are already deviations from the national mean,
so their national centre is 0 by definition; no national spread is available offline, so
their spread comes from the loaded buurten. Indicators the reference does not cover are
normalised against the buurt's own gemeente and listed as a fall-back
(:attr:`~wijkprofielen.scoring.ScoreResult.referentie_terugval`), never silently.

A reference statistic is only used for values of its own year and level: the national
extracts hold buurt figures of one year per indicator, so a wijk figure, or a buurt figure
of another year, falls back to the own gemeente with the reason
(:attr:`~wijkprofielen.scoring.ScoreResult.terugval_redenen`). Buurten with fewer than
``min_inwoners`` inhabitants (in the same year's table) stay out of the national statistics,
as they stay out of the own gemeente's.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .config import ReferentieSettings
from .dataset import UNKNOWN_YEAR, Dataset, parse_cbs_values
from .domain import REFERENCE_LABELS
from .errors import ConfigError, DataError

ENV_DIR = "WIJKPROFIELEN_REFERENTIE"
KWB_FILES = {2024: "kwb2024_85984NED_extract_NL.csv", 2017: "kwb2017_83765NED_extract_NL.csv"}
# Leefbaarometer columns: deviations from the national mean, so the national centre is 0.
LBM_RELATIVE = ("lbm_afw", "lbm_fys", "lbm_onv", "lbm_soc", "lbm_vrz", "lbm_won")
# kolom -> (StatLine stem, how to derive it); the newest table that has the stem wins.
_DIRECT = {
    "inwoners": "AantalInwoners",
    "huishoudens": "HuishoudensTotaal",
    "bevolkingsdichtheid": "Bevolkingsdichtheid",
    "stedelijkheid": "MateVanStedelijkheid",
    "gem_inkomen_per_inwoner": "GemiddeldInkomenPerInwoner",
    "pct_sociaal_minimum": "HuishOnderOfRondSociaalMinimum",
    "pct_laag_inkomen": "HuishoudensMetEenLaagInkomen",
    "pct_koopwoningen": "Koopwoningen",
    "pct_corporatiebezit": "InBezitWoningcorporatie",
    "gem_woz": "GemiddeldeWOZWaardeVanWoningen",
    "pct_bouwjaar_voor_2000": "BouwjaarVoor2000",
}
INWONERS_STEM = "AantalInwoners"
# kolom -> (numerator stem, per how many inhabitants)
_PER_INWONER = {"misdrijven_per_1000": ("GeregistreerdeMisdrijven", 1000.0), "pct_65plus": ("k_65JaarOfOuder", 100.0)}


@dataclass(frozen=True)
class ColumnStats:
    """Reference statistics of one indicator.

    ``sd`` None: take the spread from the loaded buurten (Leefbaarometer deviations).
    ``sorted`` None: no distribution for percentiles.
    """

    mean: float
    sd: float | None
    sorted: np.ndarray | None
    n: int
    jaar: int | None
    bron: str
    niveau: str = "buurt"

    def past_bij(self, herkomst) -> str | None:
        """None when values of ``herkomst`` ({(jaar, niveau), …}) may be compared with this
        statistic; else the Dutch reason why not. ``jaar`` None: any year (a deviation
        from the national mean of its own year)."""
        if not herkomst:
            return None
        other = sorted((int(j), str(n)) for j, n in herkomst if str(n) != self.niveau or (self.jaar is not None and int(j) != self.jaar))
        if not other:
            return None
        waarden = ", ".join(f"{n}cijfer {j if j != UNKNOWN_YEAR else 'jaar onbekend'}" for j, n in other)
        ref = f"{self.niveau}cijfers {self.jaar}" if self.jaar is not None else f"{self.niveau}cijfers"
        return f"de data heeft {waarden}, de referentie {ref}"


@dataclass
class ReferenceSet:
    """Reference statistics per group (``None`` = one national set, else per stedelijkheid class).

    Attributes
    ----------
    naam : str
        ``"nederland"`` or ``"stedelijkheid"``.
    stats : dict
        ``{group: {kolom: ColumnStats}}``.
    groep_per_gemeente : dict
        For peers: ``{gemeentecode: klasse}``.
    """

    naam: str
    stats: dict
    groep_per_gemeente: dict = field(default_factory=dict)
    bron: str = ""

    @property
    def label(self) -> str:
        return REFERENCE_LABELS[self.naam]


def reference_dir(settings: ReferentieSettings) -> Path | None:
    """Folder with the national extracts: ``$WIJKPROFIELEN_REFERENTIE``, else ``[referentie] map``; None: not set."""
    env = os.environ.get(ENV_DIR)
    return Path(env) if env else settings.map


def _folder(folder: Path | None) -> Path:
    if folder is None:
        raise ConfigError(
            "Er is geen map met de landelijke CBS-extracten ingesteld. Zet [referentie] map in config.toml "
            f"(of de omgevingsvariabele {ENV_DIR}), of kies referentie \"gemeente\" of \"dataset\"."
        )
    return Path(folder)


def _stem_column(columns, stem: str) -> str | None:
    # StatLine keys carry a numeric suffix that changes per year: match on the stem.
    pattern = re.compile(rf"^{re.escape(stem)}_\d+$")
    return next((c for c in columns if pattern.match(c) or c == stem), None)


def _read_kwb(path: Path) -> pd.DataFrame:
    """One national Kerncijfers extract as floats per buurt (CBS missing codes → NaN)."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except Exception as exc:
        raise DataError(f"Referentiebestand {path.name} kon niet worden gelezen ({exc}). Is het een CBS-CSV?") from exc
    code_col = _stem_column(raw.columns, "Codering") or "WijkenEnBuurten"
    if code_col not in raw.columns:
        raise DataError(f"Referentiebestand {path.name} mist de kolom Codering_… met de buurtcodes.")
    codes = raw[code_col].str.strip()
    if (soort := _stem_column(raw.columns, "SoortRegio")) is not None:
        raw = raw[raw[soort].str.strip() == "Buurt"]
        codes = codes[raw.index]
    out = pd.DataFrame(index=pd.Index(codes.to_numpy(), name="buurtcode"))
    stems = set(_DIRECT.values()) | {s for s, _ in _PER_INWONER.values()}
    for stem in stems:
        col = _stem_column(raw.columns, stem)
        if col is not None:
            out[stem] = parse_cbs_values(raw[col].rename(f"{path.name}: {col}"))[0].to_numpy()
    return out


def national_table(folder: Path) -> tuple[pd.DataFrame, dict[str, int]]:
    """All national buurten with the indicators the extracts carry, and each indicator's year."""
    return _national_table_cached(str(folder), _mtimes(folder))


def _mtimes(folder: Path) -> tuple:
    return tuple((f, (folder / f).stat().st_mtime) for f in KWB_FILES.values() if (folder / f).exists())


@lru_cache(maxsize=4)
def _national_table_cached(folder: str, mtimes: tuple) -> tuple[pd.DataFrame, dict[str, int]]:
    path = Path(folder)
    tables = {jaar: _read_kwb(path / name) for jaar, name in KWB_FILES.items() if (path / name).exists()}
    if not tables:
        raise DataError(
            f"Geen landelijke CBS-extracten gevonden in {path} ({', '.join(KWB_FILES.values())}). "
            "Zet ze daar neer, of kies in config.toml een andere referentie of [referentie] map."
        )
    # Older tables use older buurt codes: each indicator keeps the rows of its own table,
    # codes are never re-joined across years.
    index = pd.Index(sorted(set().union(*(t.index for t in tables.values()))), name="buurtcode")
    out = pd.DataFrame(index=index)
    jaren: dict[str, int] = {}
    newest_first = sorted(tables, reverse=True)
    for kolom, stem in _DIRECT.items():
        jaar = next((j for j in newest_first if stem in tables[j]), None)
        if jaar is not None:
            out[kolom] = tables[jaar][stem].reindex(index)
            jaren[kolom] = jaar
    for kolom, (stem, per) in _PER_INWONER.items():
        jaar = next((j for j in newest_first if stem in tables[j] and "AantalInwoners" in tables[j]), None)
        if jaar is not None:
            t = tables[jaar]
            out[kolom] = (t[stem] / t["AantalInwoners"].where(t["AantalInwoners"] > 0) * per).reindex(index)
            jaren[kolom] = jaar
    for jaar, t in tables.items():  # the inhabitants of each table, to leave out tiny buurten of that year
        if INWONERS_STEM in t:
            out[_inwoners_of(jaar)] = t[INWONERS_STEM].reindex(index)
    out["gemeentecode"] = "GM" + out.index.str[2:6]
    return out, jaren


def _inwoners_of(jaar: int) -> str:
    return f"_inwoners_{jaar}"


def _reference_values(table: pd.DataFrame, kolom: str, jaar: int, min_inwoners: int) -> pd.Series:
    """The values of ``kolom`` of buurten with at least ``min_inwoners`` inhabitants in the same year."""
    values = table[kolom]
    if min_inwoners > 0 and _inwoners_of(jaar) in table:
        values = values.where(table[_inwoners_of(jaar)] >= min_inwoners)
    return values


def _stats(values: pd.Series, jaar: int | None, bron: str) -> ColumnStats | None:
    v = values.dropna().to_numpy(dtype="float64")
    if len(v) < 2:
        return None
    return ColumnStats(float(v.mean()), float(v.std(ddof=0)), np.sort(v), len(v), jaar, bron)


def _lbm_stats() -> dict[str, ColumnStats]:
    return {k: ColumnStats(0.0, None, None, 0, None, "Leefbaarometer: afwijking van het landelijk gemiddelde") for k in LBM_RELATIVE}


def gemeente_klassen(table: pd.DataFrame) -> pd.Series:
    """Mate van stedelijkheid per gemeente: the inhabitant-weighted median of its buurten (1–5)."""
    t = table.dropna(subset=["stedelijkheid"])
    w = t["inwoners"].fillna(0) if "inwoners" in t else pd.Series(1.0, index=t.index)
    df = pd.DataFrame({"gm": t["gemeentecode"], "k": t["stedelijkheid"], "w": w.clip(lower=0) + 1e-9})
    df = df.sort_values(["gm", "k"])
    cum = df.groupby("gm")["w"].cumsum()
    half = df.groupby("gm")["w"].transform("sum") / 2
    return df[cum >= half].groupby("gm")["k"].first().astype(int)


def national_reference(folder: Path | None, min_inwoners: int = 0) -> ReferenceSet:
    """Statistics of all buurten (with at least ``min_inwoners`` inhabitants) in the national extracts in ``folder``."""
    folder = _folder(folder)
    table, jaren = national_table(folder)
    bron = f"CBS Kerncijfers wijken en buurten, landelijke extracten in {folder}"
    stats = {k: s for k in jaren if (s := _stats(_reference_values(table, k, jaren[k], min_inwoners), jaren[k], bron)) is not None}
    return ReferenceSet("nederland", {None: stats | _lbm_stats()}, bron=bron)


def peer_reference(frame: pd.DataFrame, folder: Path | None, min_inwoners: int = 0) -> ReferenceSet:
    """Statistics per stedelijkheid class, over the buurten of all gemeenten in that class.

    A gemeente's class comes from the national table; a gemeente the extracts do not know
    (such as the synthetic GM9999) gets the inhabitant-weighted median of its own buurten'
    ``stedelijkheid`` column.
    """
    folder = _folder(folder)
    table, jaren = national_table(folder)
    klassen = gemeente_klassen(table)
    table = table.assign(klasse=table["gemeentecode"].map(klassen))
    bron = f"CBS Kerncijfers wijken en buurten, gemeenten per mate van stedelijkheid ({folder})"
    gm = frame["gemeentecode"] if "gemeentecode" in frame else "GM" + frame["buurtcode"].astype(str).str[2:6]
    groep: dict[str, int] = {}
    for code in pd.unique(gm):
        if code in klassen.index:
            groep[code] = int(klassen[code])
            continue
        own = frame[gm == code]
        if "stedelijkheid" not in own or own["stedelijkheid"].isna().all():
            raise DataError(
                f"Gemeente {code} staat niet in de landelijke extracten en de data heeft geen kolom 'stedelijkheid'. "
                "Kies een andere referentie (gemeente of nederland) of voeg de mate van stedelijkheid toe."
            )
        sub = pd.DataFrame({"gemeentecode": code, "stedelijkheid": pd.to_numeric(own["stedelijkheid"], errors="coerce"),
                            "inwoners": pd.to_numeric(own.get("inwoners", 1.0), errors="coerce")})
        groep[code] = int(gemeente_klassen(sub).iloc[0])
    stats = {}
    for klasse in sorted(set(groep.values())):
        peers = table[table["klasse"] == klasse]
        stats[klasse] = {k: s for k in jaren
                         if (s := _stats(_reference_values(peers, k, jaren[k], min_inwoners), jaren[k], bron)) is not None
                         } | _lbm_stats()
    return ReferenceSet("stedelijkheid", stats, groep, bron=bron)


def resolve(naam: str, frame: pd.DataFrame, folder: Path | None, min_inwoners: int = 0) -> ReferenceSet | None:
    """The :class:`ReferenceSet` for an external reference name read from ``folder``; None for gemeente/dataset."""
    if naam == "nederland":
        return national_reference(folder, min_inwoners)
    if naam == "stedelijkheid":
        return peer_reference(frame, folder, min_inwoners)
    return None


def value_origins(ds: Dataset, jaar: int | None = None) -> dict[str, set[tuple[int, str]]]:
    """Per indicator of ``ds.frame(jaar)``: the set of ``(jaar, niveau)`` of its values.

    A column can mix a buurt's own older figure with a newer wijk figure (:meth:`Dataset.keuze`);
    the set then holds both, so no single reference statistic fits and the indicator is compared
    with the own gemeente, its reason naming the mix.
    """
    out = {}
    for kolom, years in ds.keuze(jaar).items():
        meta = ds.indicatoren.get(kolom)
        origins = set()
        for j in pd.unique(years):
            present = ds.waarden[(kolom, int(j))].notna().to_numpy() & (years == j).to_numpy()
            if present.any() or len(pd.unique(years)) == 1:
                origins.add((int(j), meta.niveau_in(int(j)) if meta is not None else "buurt"))
        out[kolom] = origins
    return out


def normalise_external(values: pd.DataFrame, method: str, ref: ReferenceSet, gemeentecodes: pd.Series,
                       clip: float, herkomst: dict | None = None,
                       include: np.ndarray | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """Normalise columns that the reference covers; return them and ``{kolom: reason}`` of those it does not.

    z-scores use the reference mean and sd (for Leefbaarometer deviations: centre 0 and the
    spread of the loaded buurten in ``include``); percentiles the mid-rank position in the
    sorted reference values, mapped to −1 … 1 like :func:`~wijkprofielen.scoring.normalise`.
    A column whose values (``herkomst``) are of another year or level than the reference
    statistic is not covered.
    """
    out = pd.DataFrame(index=values.index, columns=values.columns, dtype="float64")
    group_of = gemeentecodes.map(ref.groep_per_gemeente).to_numpy() if ref.groep_per_gemeente else np.full(len(values), None)
    include = np.ones(len(values), dtype=bool) if include is None else np.asarray(include, dtype=bool)
    uncovered: dict[str, str] = {}
    for kolom in values.columns:
        x = values[kolom].to_numpy(dtype="float64")
        res = np.full(len(x), np.nan)
        covered = True
        for g in pd.unique(group_of):
            st = ref.stats.get(g, {}).get(kolom)
            rows = group_of == g
            if st is None or (method == "percentiel" and st.sorted is None):
                uncovered[kolom] = "niet in de referentie"
                covered = False
                break
            if (reden := st.past_bij((herkomst or {}).get(kolom))) is not None:
                uncovered[kolom] = reden
                covered = False
                break
            xi = x[rows]
            if method == "zscore":
                sd = st.sd if st.sd is not None else float(np.nanstd(np.where(include, x, np.nan)))
                z = (xi - st.mean) / sd if sd and sd > 0 else np.where(np.isnan(xi), np.nan, 0.0)
                res[rows] = np.clip(z, -clip, clip)
            else:
                lo = np.searchsorted(st.sorted, xi, side="left")
                hi = np.searchsorted(st.sorted, xi, side="right")
                p = (lo + hi) / 2 / len(st.sorted)
                res[rows] = np.where(np.isnan(xi), np.nan, 2 * p - 1)
        if covered:
            out[kolom] = res
    return out.drop(columns=list(uncovered)), uncovered
