"""Zooming out: what a scenario's measures add up to against the city targets.

:func:`evaluate` turns a :class:`~wijkprofielen.scenario.model.Scenario` plus the buurt
data and scores into an :class:`Evaluatie`: totals per target with the gap, per year,
contributions per buurt and wijk, the mix per buurt before and after, the concessions,
the waterbed and the warnings. Pure pandas, no Streamlit.

Assumptions, stated where they are made:

* targets count homes *added* (realised) in the period; flexwoningen count only towards
  the flex target and are left out of the buurt mix (they stand on temporary locations);
* sloop, verkoop and liberalisatie remove social rent unless their segment says otherwise;
  liberalised homes stay corporatiebezit, sold ones do not; new social rent is built by
  corporaties;
* a buurt's plancapaciteit in homes is its stock times the configured plancapaciteit
  columns (% of stock); its room for social rent is that times the city's minimum share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import indicators
from ..formatting import percent
from .doelen import Doelen
from .model import SEGMENTS, Scenario, Soort

GEEN_JAAR = "zonder jaar"
ONE_SIDED_PCT = 50.0  # social share (%) from which a buurt counts as one-sided
LOW_SOCIAL_PCT = 30.0  # below this, selling social rent makes a mixed buurt less mixed


@dataclass(frozen=True)
class Waarschuwing:
    """A check that failed: kind, buurt (or None for the city) and a Dutch text."""

    soort: str
    buurtcode: str | None
    tekst: str

    def to_dict(self) -> dict[str, Any]:
        return {"soort": self.soort, "buurtcode": self.buurtcode, "tekst": self.tekst}


@dataclass
class Evaluatie:
    """The outcome of :func:`evaluate`.

    Attributes
    ----------
    doelen : DataFrame
        One row per target: ``doel``, ``label``, ``gepland``, ``streef``, ``tekort``
        (≥ 0; in percentage points for shares), ``eenheid`` ("woningen" or "%").
    per_jaar : DataFrame
        ``doel``, ``jaar`` (int or "zonder jaar"), ``aantal``, ``cumulatief``.
    per_buurt : DataFrame
        Indexed by buurtcode: contributions, stock and mix before and after, capacity.
    per_wijk : DataFrame
        The same contributions summed per wijk, shares recomputed.
    concessies : DataFrame
        Buurten where the plan concedes on the city target, with the effect.
    waterbed : dict
        Inflow capped, capacity offered in high/low-draagkracht buurten, the shortfall.
    waarschuwingen : list of Waarschuwing
    """

    scenario: Scenario
    doelen_def: Doelen
    doelen: pd.DataFrame
    per_jaar: pd.DataFrame
    per_buurt: pd.DataFrame
    per_wijk: pd.DataFrame
    concessies: pd.DataFrame
    waterbed: dict[str, Any]
    waarschuwingen: list[Waarschuwing] = field(default_factory=list)
    notities: list[str] = field(default_factory=list)

    def doel(self, naam: str) -> pd.Series:
        """One target's row."""
        return self.doelen.set_index("doel").loc[naam]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (the CLI's output)."""
        touched = self.per_buurt[self.per_buurt["maatregelen"] > 0]
        return {
            "scenario": self.scenario.naam,
            "doelen_van": self.doelen_def.naam,
            "synthetisch": self.doelen_def.synthetisch,
            "periode": list(self.doelen_def.periode),
            "doelen": _records(self.doelen[["doel", "label", "gepland", "streef", "tekort", "eenheid"]]),
            "per_jaar": _records(self.per_jaar),
            "per_wijk": _records(self.per_wijk.reset_index()),
            "per_buurt": _records(touched.reset_index()),
            "concessies": _records(self.concessies),
            "waterbed": self.waterbed,
            "waarschuwingen": [w.to_dict() for w in self.waarschuwingen],
            "notities": self.notities,
        }


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    clean = df.astype(object).where(df.notna(), None)
    out = []
    for row in clean.to_dict("records"):
        rec = {}
        for k, v in row.items():
            if isinstance(v, np.generic):
                v = v.item()
            if isinstance(v, float):
                v = round(v, 2)
            rec[str(k)] = v
        out.append(rec)
    return out


def measures_frame(scenario: Scenario) -> pd.DataFrame:
    """The measures as a table with their kind."""
    rows = [
        {"nr": n, "buurtcode": m.buurtcode, "interventie": m.interventie, "soort": m.soort.value,
         "segment": m.segment, "aantal": m.aantal, "jaar": m.jaar}
        for n, m in enumerate(scenario.maatregelen, 1)
    ]
    cols = ["nr", "buurtcode", "interventie", "soort", "segment", "aantal", "jaar"]
    return pd.DataFrame(rows, columns=cols)


def _contributions(m: pd.DataFrame, codes: pd.Index) -> pd.DataFrame:
    """Per buurt: homes added per segment, removed, made sustainable, inflow capped/offered."""
    out = pd.DataFrame(index=codes)
    out["maatregelen"] = m.groupby("buurtcode").size().reindex(codes, fill_value=0)

    def total(mask: pd.Series, sign: int = 1) -> pd.Series:
        return (sign * m.loc[mask].groupby("buurtcode")["aantal"].sum()).reindex(codes, fill_value=0).astype("int64")

    add = m["soort"] == Soort.TOEVOEGEN.value
    for seg in SEGMENTS:
        out[f"toegevoegd_{seg}"] = total(add & (m["segment"] == seg))
    out["toegevoegd"] = out[[f"toegevoegd_{s}" for s in SEGMENTS if s != "flex"]].sum(axis=1)
    for soort, name in ((Soort.SLOOP, "sloop"), (Soort.VERKOOP, "verkoop"), (Soort.LIBERALISATIE, "liberalisatie")):
        is_kind = m["soort"] == soort.value
        out[name] = total(is_kind, -1)
        out[f"{name}_sociale_huur"] = total(is_kind & (m["segment"] == "sociale_huur"), -1)
    out["verduurzaamd"] = total(m["soort"] == Soort.VERDUURZAMING.value)
    out["instroom_beperkt"] = total(m["soort"] == Soort.INSTROOM_BEPERKEN.value)
    out["instroom_extra"] = total(m["soort"] == Soort.INSTROOM_OPVANGEN.value)
    out["netto_sociale_huur"] = out["toegevoegd_sociale_huur"] - out["sloop_sociale_huur"] - out["verkoop_sociale_huur"] - out["liberalisatie_sociale_huur"]
    return out


def _column(frame: pd.DataFrame, kolom: str) -> pd.Series:
    if kolom in frame.columns:
        return pd.to_numeric(frame[kolom], errors="coerce").astype("float64")
    return pd.Series(np.nan, index=frame.index, dtype="float64")


def _mix(b: pd.DataFrame) -> pd.DataFrame:
    """Stock, social share and corporatiebezit before and after (shares in %)."""
    na = b["woningen"] + b["toegevoegd"] - b["sloop"]
    b["woningen_na"] = na
    soc_na = (b["sociale_huur_voor"] + b["netto_sociale_huur"]).clip(lower=0)
    corp_na = (b["corporatie_voor"] + b["toegevoegd_sociale_huur"] - b["sloop_sociale_huur"] - b["verkoop_sociale_huur"]).clip(lower=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        b["pct_sociale_huur_voor"] = 100 * b["sociale_huur_voor"] / b["woningen"]
        b["pct_sociale_huur_na"] = 100 * soc_na / na.where(na > 0)
        b["pct_corporatiebezit_voor"] = 100 * b["corporatie_voor"] / b["woningen"]
        b["pct_corporatiebezit_na"] = 100 * corp_na / na.where(na > 0)
    return b


def evaluate(scenario: Scenario, frame: pd.DataFrame, scores: pd.DataFrame, doelen: Doelen, grens_draagkracht: float = 0.0) -> Evaluatie:
    """Add up a scenario against the city targets.

    Parameters
    ----------
    scenario : Scenario
        Validated (see :func:`~wijkprofielen.scenario.model.parse_scenario`).
    frame : DataFrame
        One row per buurt: ``buurtcode``, ``buurtnaam``, ``wijkcode``, ``wijknaam``,
        ``woningen`` and, where the data has them, ``pct_sociale_huur``,
        ``pct_corporatiebezit``, ``pct_label_efg`` and the plancapaciteit columns.
    scores : DataFrame
        ``ScoreResult.scores`` (``draagkracht``, ``kwadrant``), indexed by buurtcode.
    doelen : Doelen
    grens_draagkracht : float
        Draagkracht at or above this counts as high (the quadrant boundary).
    """
    f = frame.set_index(frame["buurtcode"].astype(str))
    codes = pd.Index(f.index, name="buurtcode")
    m = measures_frame(scenario)
    b = _contributions(m, codes)
    for col in ("buurtnaam", "wijkcode", "wijknaam"):
        b.insert(len(b.columns) if col != "buurtnaam" else 0, col, f[col] if col in f.columns else "")
    woningen = _column(f, "woningen")
    b["woningen"] = woningen  # unknown stays unknown: never a zero stock
    b["sociale_huur_voor"] = woningen * _column(f, "pct_sociale_huur") / 100
    b["corporatie_voor"] = woningen * _column(f, "pct_corporatiebezit") / 100
    plancols = [c for c in doelen.plancapaciteit if c in f.columns]
    notities: list[str] = []
    if plancols:
        b["plancapaciteit"] = woningen * f[plancols].apply(pd.to_numeric, errors="coerce").sum(axis=1, min_count=1) / 100
    else:
        b["plancapaciteit"] = np.nan
        notities.append("Geen plancapaciteit in deze dataset (" + ", ".join(indicators.info(c).label for c in doelen.plancapaciteit)
                        + "): de controle op plancapaciteit en de concessies vallen weg.")
    b["efg_woningen"] = woningen * _column(f, "pct_label_efg") / 100
    s = scores.reindex(codes)
    b["draagkracht"] = s["draagkracht"].astype("float64") if "draagkracht" in s else np.nan
    b["kwadrant"] = s["kwadrant"] if "kwadrant" in s else None
    b["hoge_draagkracht"] = b["draagkracht"] >= grens_draagkracht
    b = _mix(b)

    totals = _targets(b, doelen, notities)
    per_jaar = _per_year(m, doelen)
    per_wijk = _per_wijk(b)
    waarschuwingen = _checks(b, m)
    concessies = _concessions(b, doelen)
    waterbed, wb_warn = _waterbed(b)
    waarschuwingen += wb_warn
    return Evaluatie(scenario, doelen, totals, per_jaar, b, per_wijk, concessies, waterbed, waarschuwingen, notities)


def _targets(b: pd.DataFrame, d: Doelen, notities: list[str]) -> pd.DataFrame:
    rows = []

    def count(doel: str, label: str, gepland: float, streef: float | None) -> None:
        if streef is not None:
            rows.append({"doel": doel, "label": label, "gepland": float(gepland), "streef": float(streef), "eenheid": "woningen"})

    def share(doel: str, label: str, part: float, whole: float, streef: float | None) -> None:
        if streef is not None:
            pct = 100 * part / whole if whole > 0 else 0.0
            rows.append({"doel": doel, "label": label, "gepland": pct, "streef": 100 * streef, "eenheid": "%"})

    soc = int(b["toegevoegd_sociale_huur"].sum())
    totaal = int(b["toegevoegd"].sum())
    count("woningen", "Woningen toegevoegd (zonder flex)", totaal, d.woningen)
    count("sociale_huur", "Sociale huur toegevoegd", soc, d.sociale_huur)
    share("aandeel_sociale_huur", "Aandeel sociale huur in de toevoeging", soc, totaal, d.min_aandeel_sociale_huur)
    count("midden", "Middenhuur/midden koop toegevoegd", b["toegevoegd_midden"].sum(), d.midden)
    share("aandeel_midden", "Aandeel midden in de toevoeging", b["toegevoegd_midden"].sum(), totaal, d.min_aandeel_midden)
    count("flex", "Flexwoningen", b["toegevoegd_flex"].sum(), d.flex)
    if d.sociale_huur_netto_aandeel is not None:
        count("sociale_huur_netto", f"Sociale huur netto toegevoegd (≥ {percent(d.sociale_huur_netto_aandeel)} van de toevoeging)",
              b["netto_sociale_huur"].sum(), round(d.sociale_huur_netto_aandeel * soc))
    if d.verduurzaming_efg_aandeel is not None:
        efg = b["efg_woningen"]
        if efg.notna().any():
            count("verduurzaming", "Woningen van label E/F/G naar ten minste B", b["verduurzaamd"].sum(),
                  round(d.verduurzaming_efg_aandeel * efg.sum()))
            if efg.isna().any():
                notities.append(f"Labeldata ontbreekt voor {int(efg.isna().sum())} buurten; het verduurzamingsdoel telt alleen buurten met labels.")
        else:
            notities.append(f"Geen energielabels ({indicators.info('pct_label_efg').label}) in deze dataset: het verduurzamingsdoel wordt niet getoond.")
    out = pd.DataFrame(rows, columns=["doel", "label", "gepland", "streef", "eenheid"])
    out["tekort"] = (out["streef"] - out["gepland"]).clip(lower=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["voortgang"] = np.where(out["streef"] > 0, out["gepland"] / out["streef"], 1.0)
    return out


_YEAR_TARGETS = (
    ("woningen", lambda m: (m["soort"] == "toevoegen") & (m["segment"] != "flex")),
    ("sociale_huur", lambda m: (m["soort"] == "toevoegen") & (m["segment"] == "sociale_huur")),
    ("midden", lambda m: (m["soort"] == "toevoegen") & (m["segment"] == "midden")),
    ("flex", lambda m: (m["soort"] == "toevoegen") & (m["segment"] == "flex")),
    ("verduurzaming", lambda m: m["soort"] == "verduurzaming"),
)


def _per_year(m: pd.DataFrame, d: Doelen) -> pd.DataFrame:
    """Homes per target per delivery year, cumulative; measures without a year come last."""
    rows = []
    for doel, sel in _YEAR_TARGETS:
        sub = m.loc[sel(m)] if len(m) else m
        if sub.empty:
            continue
        with_year = sub[sub["jaar"].notna()]
        by_year = with_year.groupby(with_year["jaar"].astype(int))["aantal"].sum()
        cum = 0
        for jaar in range(d.periode[0], d.periode[1] + 1):
            n = int(by_year.get(jaar, 0))
            cum += n
            rows.append({"doel": doel, "jaar": jaar, "aantal": n, "cumulatief": cum})
        rest = int(sub.loc[sub["jaar"].isna(), "aantal"].sum())
        if rest:
            rows.append({"doel": doel, "jaar": GEEN_JAAR, "aantal": rest, "cumulatief": cum + rest})
    return pd.DataFrame(rows, columns=["doel", "jaar", "aantal", "cumulatief"])


_SUM_COLUMNS = [
    "maatregelen", *[f"toegevoegd_{s}" for s in SEGMENTS], "toegevoegd", "sloop", "sloop_sociale_huur", "verkoop",
    "verkoop_sociale_huur", "liberalisatie", "liberalisatie_sociale_huur", "verduurzaamd", "instroom_beperkt",
    "instroom_extra", "netto_sociale_huur",
]


def _per_wijk(b: pd.DataFrame) -> pd.DataFrame:
    g = b.groupby("wijkcode", sort=True)
    w = g[_SUM_COLUMNS].sum()
    w.insert(0, "wijknaam", g["wijknaam"].first())
    # Stock sums only where known, so a missing share is not read as zero.
    for col in ("woningen", "plancapaciteit", "sociale_huur_voor", "corporatie_voor"):
        w[col] = g[col].sum(min_count=1)
    return _mix(w)


def _checks(b: pd.DataFrame, m: pd.DataFrame) -> list[Waarschuwing]:
    out: list[Waarschuwing] = []
    touched = b[b["maatregelen"] > 0]
    for code, r in touched.iterrows():
        naam = f"{r['buurtnaam']} ({code})"
        if pd.notna(r["plancapaciteit"]) and r["toegevoegd"] > r["plancapaciteit"] + 0.5:
            out.append(Waarschuwing("plancapaciteit", code, f"{naam}: {int(r['toegevoegd'])} woningen toegevoegd, meer dan de plancapaciteit van ongeveer {r['plancapaciteit']:.0f}."))
        if r["sloop_sociale_huur"] > r["toegevoegd_sociale_huur"]:
            tekort = int(r["sloop_sociale_huur"] - r["toegevoegd_sociale_huur"])
            out.append(Waarschuwing(
                "sloop_zonder_vervanging", code,
                f"{naam}: {int(r['sloop_sociale_huur'])} sociale huurwoningen gesloopt, {int(r['toegevoegd_sociale_huur'])} teruggebouwd; "
                f"{tekort} zonder vervanging tegen een vergelijkbare huur (sloop alleen waar de goedkope voorraad "
                "terugkomt; Discussiedagen Sociale Huisvesting 2020, Vastenhoud).",
            ))
        removed = r["sloop_sociale_huur"] + r["verkoop_sociale_huur"] + r["liberalisatie_sociale_huur"]
        if pd.notna(r["sociale_huur_voor"]) and removed > r["sociale_huur_voor"] + 0.5:
            out.append(Waarschuwing("voorraad", code, f"{naam}: {int(removed)} sociale huurwoningen weg, maar de buurt heeft er ongeveer {r['sociale_huur_voor']:.0f}."))
        if pd.notna(r["efg_woningen"]) and r["verduurzaamd"] > r["efg_woningen"] + 0.5:
            out.append(Waarschuwing("voorraad", code, f"{naam}: {int(r['verduurzaamd'])} woningen verduurzaamd, maar er zijn er ongeveer {r['efg_woningen']:.0f} met label E/F/G."))
        laag = pd.notna(r["draagkracht"]) and not r["hoge_draagkracht"]
        pct = r["pct_sociale_huur_voor"] if pd.notna(r["pct_sociale_huur_voor"]) else r["pct_corporatiebezit_voor"]
        if laag and r["instroom_extra"] > 0:
            out.append(Waarschuwing("contra_indicatie", code, f"{naam}: extra instroom van kwetsbare huishoudens ({int(r['instroom_extra'])}) in een buurt met lage draagkracht "
                "(Volkshuisvestelijke prioriteiten 2021–2025: spreiden naar buurten die de draagkracht hebben)."))
        if laag and r["toegevoegd_sociale_huur"] > 0 and pd.notna(pct) and pct >= ONE_SIDED_PCT:
            out.append(Waarschuwing("contra_indicatie", code, f"{naam}: sociale huur toevoegen in een buurt met lage draagkracht en al {pct:.0f}% sociale huur maakt de buurt eenzijdiger "
                "(Prestatieafspraken 's-Hertogenbosch 2021–2025, buurt Y: juist midden of duur toevoegen)."))
        sold = r["verkoop_sociale_huur"] + r["liberalisatie_sociale_huur"]
        if sold > 0 and pd.notna(pct) and pct < LOW_SOCIAL_PCT:
            out.append(Waarschuwing("contra_indicatie", code, f"{naam}: verkoop/liberalisatie van {int(sold)} sociale huurwoningen in een buurt met maar {pct:.0f}% sociale huur "
                "(prestatieafspraken Hengelo 2017 en Tynaarlo 2023: verkoop alleen in eenzijdige corporatiebuurten)."))
    unknown = touched[touched["plancapaciteit"].isna() & (touched["toegevoegd"] > 0)]
    if len(unknown) and b["plancapaciteit"].notna().any():
        out.append(Waarschuwing("data", None, f"Plancapaciteit onbekend voor {len(unknown)} buurt(en) met toevoegingen ({', '.join(unknown.index[:5])}); daar is niet gecontroleerd."))
    return out


def _concessions(b: pd.DataFrame, d: Doelen) -> pd.DataFrame:
    """Buurten (with measures) that add less social rent than their room, or cap inflow."""
    cols = ["buurtcode", "buurtnaam", "wijknaam", "kwadrant", "draagkracht", "reden", "ruimte_sociale_huur",
            "toegevoegd_sociale_huur", "minder_sociale_huur", "aandeel_van_doel", "instroom_beperkt"]
    touched = b[b["maatregelen"] > 0]
    rows = []
    share = d.min_aandeel_sociale_huur
    for code, r in touched.iterrows():
        redenen = []
        ruimte = share * r["plancapaciteit"] if share is not None and pd.notna(r["plancapaciteit"]) else np.nan
        minder = max(0.0, ruimte - r["toegevoegd_sociale_huur"]) if pd.notna(ruimte) else 0.0
        if minder >= 0.5:
            redenen.append(f"minder sociale huur dan de ruimte ({percent(share)} van de plancapaciteit)")
        if r["instroom_beperkt"] > 0:
            redenen.append("instroom van kwetsbare huishoudens beperkt")
        if not redenen:
            continue
        rows.append({
            "buurtcode": code, "buurtnaam": r["buurtnaam"], "wijknaam": r["wijknaam"], "kwadrant": r["kwadrant"],
            "draagkracht": r["draagkracht"], "reden": "; ".join(redenen), "ruimte_sociale_huur": ruimte,
            "toegevoegd_sociale_huur": int(r["toegevoegd_sociale_huur"]), "minder_sociale_huur": round(minder),
            "aandeel_van_doel": (minder / d.sociale_huur if d.sociale_huur else np.nan),
            "instroom_beperkt": int(r["instroom_beperkt"]),
        })
    return pd.DataFrame(rows, columns=cols)


def _waterbed(b: pd.DataFrame) -> tuple[dict[str, Any], list[Waarschuwing]]:
    """Inflow capped somewhere must be absorbed in buurten that have the draagkracht for it."""
    nodig = int(b["instroom_beperkt"].sum())
    hoog = b["hoge_draagkracht"].fillna(False).astype(bool)
    geboden_hoog = int(b.loc[hoog, "instroom_extra"].sum())
    geboden_overig = int(b.loc[~hoog, "instroom_extra"].sum())
    tekort = max(0, nodig - geboden_hoog)
    info = {
        "instroom_beperkt": nodig, "opvang_hoge_draagkracht": geboden_hoog,
        "opvang_overige_buurten": geboden_overig, "tekort": tekort,
    }
    warn = []
    if nodig and tekort:
        tekst = (
            f"Waterbed: de instroom van {nodig} kwetsbare huishoudens wordt beperkt, maar buurten met hoge draagkracht bieden "
            f"ruimte aan {geboden_hoog}. {tekort} huishoudens moeten ergens anders terecht: het plan verschuift het probleem."
        )
        if geboden_overig:
            tekst += f" {geboden_overig} worden opgevangen in buurten zonder hoge draagkracht."
        warn.append(Waarschuwing("waterbed", None, tekst))
    return info, warn


def compare(a: Evaluatie, b: Evaluatie) -> pd.DataFrame:
    """Scenario A against B per target: planned totals, gaps and the difference (B − A)."""
    da = a.doelen.set_index("doel")
    db = b.doelen.set_index("doel")
    doelen = list(dict.fromkeys([*da.index, *db.index]))
    out = pd.DataFrame(index=pd.Index(doelen, name="doel"))
    out["label"] = da["label"].combine_first(db["label"])
    out["streef"] = da["streef"].combine_first(db["streef"])
    out["gepland_a"] = da["gepland"]
    out["gepland_b"] = db["gepland"]
    out["verschil"] = out["gepland_b"] - out["gepland_a"]
    out["tekort_a"] = da["tekort"]
    out["tekort_b"] = db["tekort"]
    out["eenheid"] = da["eenheid"].combine_first(db["eenheid"])
    return out.reset_index()


def compare_buurten(a: Evaluatie, b: Evaluatie) -> pd.DataFrame:
    """Per buurt where either scenario has measures: homes added, net social rent and mix in A and B."""
    cols = ["toegevoegd", "netto_sociale_huur", "pct_sociale_huur_na"]
    left = a.per_buurt[cols + ["buurtnaam", "maatregelen"]]
    right = b.per_buurt[cols + ["maatregelen"]]
    out = left.merge(right, left_index=True, right_index=True, suffixes=("_a", "_b"))
    out = out[(out["maatregelen_a"] > 0) | (out["maatregelen_b"] > 0)].drop(columns=["maatregelen_a", "maatregelen_b"])
    out["verschil_toegevoegd"] = out["toegevoegd_b"] - out["toegevoegd_a"]
    out = out[["buurtnaam", *[f"{c}_{s}" for c in cols for s in ("a", "b")], "verschil_toegevoegd"]]
    return out.reset_index()
