"""The built-in synthetic example gemeente: GM9999 "Voorbeeldstad (synthetisch)".

Generated deterministically in code: the same call gives the same dataset, bit for bit.
No value describes a real place. The geometry is a Voronoi tessellation clipped to a
wiggly municipal outline, so neighbouring buurten share their edges exactly.

The town has a centre, three pre-war and post-war wijken in a first ring, three later
wijken (one VINEX-like) in a second ring, two villages with their outlying houses, and a
rural wijk. One business park and one nature area have too few residents for most
figures, as their real counterparts do.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .dataset import CRS, Dataset, IndicatorMeta, MISSING_CODES

GEMEENTECODE = "GM9999"
GEMEENTENAAM = "Voorbeeldstad (synthetisch)"
SYNTHETIC_LICENCE = "synthetisch voorbeeld, geen echte gegevens"
CENTRE = (152_000.0, 448_000.0)  # RD New; the outline lies inside the Netherlands
_S = 0.6  # layout scale: buurten of typical Dutch size (0.2–1 km² in town)
YEARS = tuple(range(2018, 2025))
LBM_YEARS = (2018, 2020, 2022, 2024)
INCOME_YEARS = tuple(range(2018, 2023))  # CBS publishes buurt incomes with a lag of two years

# wijk number, name, building type, number of buurten, buurt names
_WIJKEN = [
    ("01", "Centrum", "centrum", ["Binnenstad", "Marktkwartier", "Havenkwartier", "Stationsgebied", "Kerkbuurt", "Vestingwal"]),
    ("02", "Oude Noord", "vooroorlogs", ["Spoorzicht", "Noorderpoort", "Lindelaan", "Kanaalbuurt", "Ververij", "Gieterij", "Noorderplein", "Tuindorp Noord"]),
    ("03", "Bloemenwijk", "naoorlogs", ["Rozenhof", "Tulpenbuurt", "Seringenpark", "Dahliahof", "Irisbuurt", "Lavendelveld", "Klaverweide", "Zonnebloemhof"]),
    ("04", "Molenkwartier", "naoorlogs", ["Molenberg", "Korenbuurt", "Maalderij", "Wiekenhof", "Graanveld", "Stellingmolen", "Bakkersbuurt", "Meelbuurt"]),
    ("05", "Parkzoom", "jaren80", ["Parkrand", "Vijverhof", "Boomgaard", "Eikenlaan", "Beukenrode", "Wilgenhoek", "Esdoornpark", "Berkenhof", "Populierenlaan"]),
    ("06", "Het Veld", "jaren80", ["Veldkamp", "Hoevebuurt", "Bedrijventerrein De Hoven", "Driesveld", "Weidezicht", "Boerenerf", "Esakker", "Hooiland", "Schaapsdrift"]),
    ("07", "De Wetering", "vinex", ["Weteringpark", "Waterhof", "Eilandenbuurt", "Rietkraag", "Oeverbuurt", "Kreekzijde", "Sluiskwartier", "Dijkzicht", "Polderpoort"]),
    ("08", "Eikhorst", "dorp", ["Eikhorst-Dorp", "Eikhorst-Brink", "Eikhorst-Molenweg", "Eikhorst-Nieuwbouw", "Eikhorst-Kerkpad"]),
    ("09", "Lindenoord", "dorp", ["Lindenoord-Dorp", "Lindenoord-Haven", "Lindenoord-Beemd", "Lindenoord-Zuid", "Lindenoord-Akker"]),
    ("10", "Buitengebied", "buiten", []),
]
_RURAL_NAMES = {
    "08": ["Verspreide huizen Eikhorst", "Eikhorster Broek"],
    "09": ["Verspreide huizen Lindenoord", "Lindenoorder Veld"],
    "10": ["Buitengebied Noord", "Buitengebied Oost", "Natuurgebied De Venen", "Buitengebied Zuid", "Landgoed Hoge Rade", "Buitengebied West"],
}
NON_RESIDENTIAL = ("Bedrijventerrein De Hoven", "Natuurgebied De Venen")

# Mean latent welfare and housing profile per building type.
_PROFILE = {
    #               welvaart dichtheid hh   corp  <2000 45-75  meergez 65+
    "centrum":     (0.2,     6500,   1.6,  28,   94,   15,    85,     17),
    "vooroorlogs": (0.1,     7500,   1.9,  38,   97,   22,    55,     15),
    "naoorlogs":   (-1.0,    8000,   2.0,  58,   98,   72,    70,     21),
    "jaren80":     (0.2,     5000,   2.3,  30,   93,   8,     30,     19),
    "vinex":       (0.9,     4300,   2.6,  18,   20,   1,     25,     9),
    "dorp":        (0.5,     2400,   2.4,  16,   78,   30,    10,     24),
    "buiten":      (0.4,     160,    2.5,  6,    88,   25,    2,      22),
}


def _outline() -> shapely.Polygon:
    t = np.linspace(0, 2 * math.pi, 361)[:-1]
    r = _S * (8200 + 1100 * np.sin(3 * t + 0.4) + 500 * np.cos(5 * t) + 200 * np.sin(11 * t))
    return shapely.Polygon(np.c_[CENTRE[0] + r * np.cos(t), CENTRE[1] + r * np.sin(t)])


def _spread(rng: np.random.Generator, n: int, sample, min_dist: float, taken: list) -> list:
    """Rejection-sample ``n`` points at least ``min_dist`` from each other and from ``taken``."""
    out = []
    min_dist *= _S
    for _ in range(20_000):
        if len(out) == n:
            break
        p = sample()
        if all(math.dist(p, q) >= min_dist for q in out + taken):
            out.append(p)
    if len(out) < n:  # pragma: no cover - guards a change of parameters
        raise RuntimeError("synthetic layout: could not place all points")
    return out


def _polar(rng, r0, r1, a0, a1, centre=CENTRE):
    r0, r1 = _S * r0, _S * r1

    def sample():
        r = math.sqrt(rng.uniform(r0**2, r1**2))
        a = math.radians(rng.uniform(a0, a1))
        return (centre[0] + r * math.cos(a), centre[1] + r * math.sin(a))
    return sample


def _layout(rng: np.random.Generator) -> pd.DataFrame:
    rows, taken = [], []
    def add(wijk, pts):
        taken.extend(pts)
        rows.extend((wijk, p) for p in pts)
    add("01", _spread(rng, 6, _polar(rng, 0, 800, 0, 360), 380, taken))
    for wijk, (a0, a1) in zip(("02", "03", "04"), ((0, 120), (120, 240), (240, 360))):
        add(wijk, _spread(rng, 8, _polar(rng, 1000, 2300, a0 + 8, a1 - 8), 520, taken))
    for wijk, (a0, a1) in zip(("05", "06", "07"), ((-30, 90), (90, 210), (210, 330))):
        add(wijk, _spread(rng, 9, _polar(rng, 2600, 4100, a0 + 8, a1 - 8), 700, taken))
    villages = {"08": 40.0, "09": 200.0}
    for wijk, angle in villages.items():
        vc = (CENTRE[0] + _S * 6300 * math.cos(math.radians(angle)), CENTRE[1] + _S * 6300 * math.sin(math.radians(angle)))
        add(wijk, _spread(rng, 5, _polar(rng, 0, 600, 0, 360, vc), 300, taken))
    # Outlying houses of each village, then the remaining rural buurten.
    for wijk, angle in villages.items():
        add(wijk, _spread(rng, 2, _polar(rng, 6000, 7800, angle - 35, angle + 35), 1700, taken))
    rural = _spread(rng, 6, _polar(rng, 5400, 7800, 0, 360), 2600, taken)
    add("10", rural)
    return pd.DataFrame(rows, columns=["wijk", "punt"])


def _geometries(points: list) -> list:
    outline = _outline()
    cells = shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=outline.buffer(3000))
    by_point = {}
    for cell in shapely.get_parts(cells):
        for i, p in enumerate(points):
            if i not in by_point and cell.contains(shapely.Point(p)):
                by_point[i] = cell
                break
    geoms = [shapely.intersection(by_point[i], outline) for i in range(len(points))]
    # Snap to a 1 cm grid so shared edges are bit-identical after clipping.
    return list(shapely.set_precision(np.array(geoms), 0.01))


def voorbeeldstad(seed: int = 9999) -> Dataset:
    """Generate the synthetic example gemeente.

    Parameters
    ----------
    seed : int
        Random seed; the default gives the built-in dataset.

    Returns
    -------
    Dataset
        About 80 buurten in 10 wijken, with indicator values for 2018–2024, some
        suppressed with CBS codes. ``meta["synthetisch"]`` is True.

    Examples
    --------
    >>> ds = voorbeeldstad()
    >>> ds.synthetisch, ds.gebieden["gemeentecode"].unique().tolist()
    (True, ['GM9999'])
    """
    rng = np.random.default_rng(seed)
    layout = _layout(rng)
    wijk_info = {w: (naam, typ, namen) for w, naam, typ, namen in _WIJKEN}
    records = []
    counters: dict[str, int] = {}
    for wijk, _ in layout.itertuples(index=False):
        naam, typ, namen = wijk_info[wijk]
        k = counters.get(wijk, 0)
        counters[wijk] = k + 1
        names = namen + _RURAL_NAMES.get(wijk, [])
        buurtnaam = names[k]
        is_rural = buurtnaam in _RURAL_NAMES.get(wijk, [])
        records.append({
            "buurtcode": f"BU9999{wijk}{k:02d}",
            "buurtnaam": buurtnaam,
            "wijkcode": f"WK9999{wijk}",
            "wijknaam": naam,
            "gemeentecode": GEMEENTECODE,
            "gemeentenaam": GEMEENTENAAM,
            "_type": "buiten" if is_rural else typ,
        })
    gebieden = gpd.GeoDataFrame(records, geometry=_geometries(layout["punt"].tolist()), crs=CRS)
    types = gebieden.pop("_type")
    waarden, redenen = _values(rng, gebieden, types)
    indicatoren = {k: IndicatorMeta.from_catalogue(k, licentie=SYNTHETIC_LICENCE) for k in waarden.columns.get_level_values(0).unique()}
    meta = {
        "naam": GEMEENTENAAM,
        "synthetisch": True,
        "gemeenten": {GEMEENTECODE: GEMEENTENAAM},
        "bronnen": [{"bron": "synthetisch voorbeeld (wijkprofielen.synthetic)", "jaar": f"{YEARS[0]}–{YEARS[-1]}", "licentie": SYNTHETIC_LICENCE, "seed": seed}],
        "attributie": "Synthetische voorbeeldgegevens; geen CBS-, Kadaster- of Leefbaarometercijfers.",
    }
    return Dataset(gebieden, waarden, indicatoren, redenen, meta)


def _values(rng: np.random.Generator, g: gpd.GeoDataFrame, types: pd.Series):
    n = len(g)
    codes = g["buurtcode"].tolist()
    prof = np.array([_PROFILE[t] for t in types])
    welvaart = prof[:, 0] + rng.normal(0, 0.55, n)
    area_km2 = g.geometry.area.to_numpy() / 1e6
    name = g["buurtnaam"].to_numpy()
    nonres = np.isin(name, NON_RESIDENTIAL)
    density = prof[:, 1] * rng.lognormal(0, 0.25, n)
    inwoners0 = np.maximum(5, np.round(density * area_km2 / 5) * 5)
    inwoners0 = np.where(nonres, np.where(name == "Natuurgebied De Venen", 10.0, 15.0), inwoners0)
    hh_size = prof[:, 2] + rng.normal(0, 0.12, n)
    corp = np.clip(prof[:, 3] - 9 * (welvaart - prof[:, 0]) + rng.normal(0, 8, n), 0, 90)
    overig = np.clip(rng.normal(12, 5, n), 2, 35)
    koop = np.clip(100 - corp - overig, 2, 98)
    voor2000 = np.clip(prof[:, 4] + rng.normal(0, 4, n), 0, 100)
    b4575 = np.clip(prof[:, 5] + rng.normal(0, 8, n), 0, voor2000)
    meergezins = np.clip(prof[:, 6] + rng.normal(0, 10, n), 0, 100)
    pct65 = np.clip(prof[:, 7] + rng.normal(0, 4, n), 3, 45)
    # Buurt-specific trends: improvement where renewal is under way in post-war wijken.
    trend = rng.normal(0, 0.02, n) + np.where(types.to_numpy() == "naoorlogs", 0.02, 0)
    # Plancapaciteit hot spots: renewal in post-war wijken, the station area, the VINEX edge, villages.
    # Growth locations at the edges: villages and the VINEX wijk get plans more often.
    hot = rng.random(n) * np.where(np.isin(types.to_numpy(), ["vinex", "dorp", "buiten"]), 0.4, 1.0)
    plan_hard = np.where(hot < 0.18, rng.uniform(4, 25, n), np.where(hot < 0.3, rng.uniform(0.5, 4, n), 0.0))
    plan_hard = np.where(np.isin(name, ["Stationsgebied", "Korenbuurt", "Dahliahof", "Polderpoort", "Eikhorst-Nieuwbouw"]), rng.uniform(12, 30, n), plan_hard)
    plan_zacht = np.where(rng.random(n) < 0.35, rng.uniform(1, 15, n), 0.0)
    plan_pot = np.where(rng.random(n) < 0.4, rng.uniform(1, 20, n), 0.0)

    cols: dict[tuple[str, int], np.ndarray] = {}
    redenen: dict[tuple[str, int], dict[str, str]] = {}
    for y in YEARS:
        t = y - YEARS[0]
        growth = 1 + 0.006 * t + rng.normal(0, 0.01, n)
        inwoners = np.round(inwoners0 * growth / 5) * 5
        huishoudens = np.round(inwoners / hh_size / 5) * 5
        woningen = np.round(huishoudens * 1.03 / 5) * 5
        cols[("inwoners", y)] = inwoners
        cols[("huishoudens", y)] = huishoudens
        cols[("woningen", y)] = woningen
        cols[("bevolkingsdichtheid", y)] = np.round(inwoners / area_km2)
        cols[("stedelijkheid", y)] = np.select([density > 2500, density > 1500, density > 1000, density > 500], [1, 2, 3, 4], 5).astype(float)
        cols[("pct_65plus", y)] = np.round(pct65 + 0.3 * t, 1)
        cols[("pct_koopwoningen", y)] = np.round(koop + 0.3 * t, 0)
        cols[("pct_corporatiebezit", y)] = np.round(np.clip(corp - 0.3 * t, 0, None), 0)
        cols[("pct_eigendom_overige_verhuurders", y)] = np.round(overig, 0)
        cols[("gem_woz", y)] = np.round((210 + 85 * welvaart + 10 * (types.to_numpy() == "centrum")) * (1 + 0.06 * t) + rng.normal(0, 8, n))
        cols[("pct_meergezinswoning", y)] = np.round(meergezins, 0)
        cols[("pct_bouwjaar_voor_2000", y)] = np.round(voor2000 * (1 - 0.004 * t), 0)
        cols[("misdrijven_per_1000", y)] = np.round(np.clip(38 - 12 * welvaart + 45 * (types.to_numpy() == "centrum") + rng.normal(0, 6, n), 3, None), 1)
        if y in INCOME_YEARS:
            w = welvaart + trend * t
            cols[("gem_inkomen_per_inwoner", y)] = np.round((29 + 7 * w + rng.normal(0, 1.2, n)) * (1 + 0.025 * t), 1)
            cols[("pct_laag_inkomen", y)] = np.round(np.clip(9 - 5 * w + rng.normal(0, 1.2, n), 1, 45), 1)
            cols[("pct_sociaal_minimum", y)] = np.round(np.clip(7 - 4 * w + rng.normal(0, 1.0, n), 1, 35), 1)
            cols[("pct_laagste_40_inkomen", y)] = np.round(np.clip(40 - 14 * w + rng.normal(0, 3, n), 8, 85), 0)
            cols[("pct_hoogste_20_inkomen", y)] = np.round(np.clip(20 + 9 * w + rng.normal(0, 3, n), 2, 65), 0)
        if y in LBM_YEARS:
            w = welvaart + trend * t
            soc = 0.030 * w + rng.normal(0, 0.012, n)
            onv = 0.035 * w - 0.05 * (types.to_numpy() == "centrum") + rng.normal(0, 0.015, n)
            fys = 0.02 * (types.to_numpy() != "naoorlogs") - 0.02 * (density > 7000) + rng.normal(0, 0.015, n)
            vrz = 0.14 * (types.to_numpy() == "centrum") + 0.05 * (density > 3000) - 0.06 * (types.to_numpy() == "buiten") + rng.normal(0, 0.02, n)
            won = 0.04 * w - 0.035 * (types.to_numpy() == "naoorlogs") + rng.normal(0, 0.015, n)
            parts = {"lbm_soc": soc, "lbm_onv": onv, "lbm_fys": fys, "lbm_vrz": vrz, "lbm_won": won}
            for k, v in parts.items():
                cols[(k, y)] = np.round(v, 4)
            afw = np.round(sum(np.round(v, 4) for v in parts.values()), 4)
            cols[("lbm_afw", y)] = afw
            cols[("lbm_score", y)] = np.round(4.1023 + afw, 4)
    # Local registrations: recent years only, as gemeenten and corporaties hold them.
    for y in (2022, 2024):
        cols[("pct_label_efg", y)] = np.round(np.clip(0.45 * b4575 + 0.2 * (voor2000 - b4575) * 0.5 + rng.normal(0, 4, n) - 3 * (y - 2022), 0, 90), 0)
        cols[("overlast_per_1000", y)] = np.round(np.clip(20 - 8 * welvaart + rng.normal(0, 4, n), 1, None), 1)
    cols[("pct_bouwjaar_1945_1975", 2024)] = np.round(b4575, 0)
    cols[("pct_sociale_huur", 2024)] = np.round(corp * 0.92, 0)
    cols[("plancap_hard_pct", 2024)] = np.round(plan_hard, 1)
    cols[("plancap_zacht_pct", 2024)] = np.round(plan_zacht, 1)
    cols[("plancap_potentieel_pct", 2024)] = np.round(plan_pot, 1)

    waarden = pd.DataFrame(cols, index=pd.Index(codes, name="buurtcode"))
    waarden.columns = pd.MultiIndex.from_tuples(list(cols), names=["kolom", "jaar"])
    waarden = waarden.sort_index(axis=1, level=[0, 1], sort_remaining=False)

    def suppress(mask: np.ndarray, kolommen, code: str) -> None:
        for key in [c for c in waarden.columns if c[0] in kolommen]:
            hit = mask & waarden[key].notna().to_numpy()
            if hit.any():
                waarden.loc[hit, key] = np.nan
                redenen.setdefault(key, {}).update({str(c): MISSING_CODES[code] for c in np.array(codes)[hit]})

    hh = waarden[("huishoudens", 2024)].to_numpy()
    won = waarden[("woningen", 2024)].to_numpy()
    income = ("gem_inkomen_per_inwoner", "pct_laag_inkomen", "pct_sociaal_minimum", "pct_laagste_40_inkomen", "pct_hoogste_20_inkomen")
    housing = ("pct_koopwoningen", "pct_corporatiebezit", "pct_eigendom_overige_verhuurders", "gem_woz", "pct_meergezinswoning",
               "pct_bouwjaar_voor_2000", "pct_bouwjaar_1945_1975", "pct_label_efg", "pct_sociale_huur")
    # CBS small-number rules: income needs >= 100 households, housing shares >= 20 dwellings.
    suppress(hh < 100, income, "-99997")
    suppress(won < 20, housing + ("plancap_hard_pct", "plancap_zacht_pct", "plancap_potentieel_pct"), "-99997")
    suppress(nonres, tuple(k for k in waarden.columns.get_level_values(0).unique() if k.startswith("lbm_")), "-99995")
    suppress(nonres | (waarden[("inwoners", 2024)].to_numpy() < 50), ("misdrijven_per_1000", "overlast_per_1000"), "-99997")
    # A few values CBS did not publish for other reasons.
    pick = rng.choice(np.flatnonzero(~nonres), 3, replace=False)
    mask = np.zeros(n, bool)
    mask[pick] = True
    suppress(mask, ("gem_woz",), "-99995")
    return waarden, redenen
