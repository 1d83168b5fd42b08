"""The whole country from the CBS wijk- en buurtkaart: ``import --wijkbuurtkaart ZIP --landelijk``
and ``download --landelijk`` (through a local server), each in its own process, with wall time and
peak memory (RSS) of that process.

The real national file is not available offline, so a GeoPackage is generated in the published
schema: layers ``buurten``, ``wijken``, ``gemeenten``; the 43 columns of the 2025 edition
(``buurtcode`` … ``jaar``) plus the Kerncijfers attributes of a full edition, ~150 in all;
``water`` JA/NEE; ``-99997`` for suppressed values; about 210 vertices per buurt (shared,
wiggly borders, see :func:`benchmarks.landelijk.synthetic_nation`). It is zipped as
``WijkBuurtkaart_2024_v1.zip``, next to a national Leefbaarometer zip (15 years).
"""

from __future__ import annotations

import http.server
import io
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from functools import partial
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from wijkprofielen import indicators
from wijkprofielen.config import SOURCE_ROOT as REPO_ROOT
from . import landelijk
from .landelijk import synthetic_nation

JAAR = 2024
LBM_MEMBER = "Leefbaarometer 3.0 - Meting 2024 - open data/Leefbaarometer-scores buurten 2002-2024.csv"
LBM_JAREN = (2002, 2008, *range(2012, 2025))
# The columns of the 2025 edition in the order PDOK publishes them (the first edition of a year).
POPULATION = (
    "indelingswijziging_wijken_en_buurten", "water", "meest_voorkomende_postcode", "dekkingspercentage",
    "omgevingsadressendichtheid", "stedelijkheid_adressen_per_km2", "bevolkingsdichtheid_inwoners_per_km2",
    "aantal_inwoners", "mannen", "vrouwen", "percentage_personen_0_tot_15_jaar", "percentage_personen_15_tot_25_jaar",
    "percentage_personen_25_tot_45_jaar", "percentage_personen_45_tot_65_jaar", "percentage_personen_65_jaar_en_ouder",
    "percentage_ongehuwd", "percentage_gehuwd", "percentage_gescheid", "percentage_verweduwd", "aantal_huishoudens",
    "percentage_eenpersoonshuishoudens", "percentage_huishoudens_zonder_kinderen", "percentage_huishoudens_met_kinderen",
    "gemiddelde_huishoudsgrootte", "percentage_met_herkomstland_nederland", "percentage_met_herkomstland_uit_europa_excl_nl",
    "percentage_met_herkomstland_buiten_europa", "percentage_geb_in_nl_met_herkomstland_nederland",
    "perc_geb_in_nl_met_herkomstland_in_europa_ex_nl", "perc_geb_in_nl_met_herkomstland_buiten_europa",
    "perc_geb_buiten_nl_met_herkomstlnd_in_europa_ex_nl", "perc_geb_buiten_nl_met_herkomstlnd_buiten_europa",
    "oppervlakte_totaal_in_ha", "oppervlakte_land_in_ha", "oppervlakte_water_in_ha",
)
TOTAL_ATTRIBUTES = 150


def add_arguments(parser) -> None:
    parser.add_argument("--import-buurten", type=int, default=14_500,
                        help="aantal buurten van de gegenereerde wijk- en buurtkaart (standaard 14500)")
    parser.add_argument("--zonder-download", action="store_true", help="meet alleen de import, niet 'download --landelijk'")


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def attribute_names() -> list[str]:
    """The population columns, the catalogue's Kerncijfers attributes in snake_case, then filler
    attributes up to :data:`TOTAL_ATTRIBUTES`."""
    names = list(POPULATION)
    names += [snake(i.wfs) for i in indicators.catalogue().values() if i.wfs and snake(i.wfs) not in names]
    names += [f"kerncijfer_{k:03d}" for k in range(TOTAL_ATTRIBUTES - len(names))]
    return names


def generate(folder: Path, n: int, seed: int = 2024, water_share: float = 0.02) -> tuple[Path, Path, int]:
    """Write ``WijkBuurtkaart_2024_v1.zip`` and the Leefbaarometer zip into ``folder``.

    Returns the two paths and the number of vertices of the buurten layer.
    """
    # Fewer buurten: a smaller country, so each buurt keeps a realistic area and vertex count.
    f = min(1.0, (n / 14_500) ** 0.5)
    segment = landelijk.SEGMENT_M
    landelijk.SEGMENT_M = segment / f
    try:
        ds = synthetic_nation(n, seed)
    finally:
        landelijk.SEGMENT_M = segment
    g = ds.gebieden
    if f < 1.0:
        g = g.set_geometry(shapely.transform(g.geometry.to_numpy(), lambda c: (c - [155_000, 460_000]) * f + [155_000, 460_000]))
    rng = np.random.default_rng(seed)
    m = len(g)
    cols: dict[str, object] = {c: g[c].to_numpy() for c in ("buurtcode", "buurtnaam", "wijkcode", "gemeentecode", "gemeentenaam")}
    # Letters occur in real codes (BU0363AA01): give a few buurten such a code.
    letters = rng.random(m) < 0.01
    cols["buurtcode"] = np.where(letters, [c[:6] + chr(65 + int(c[6])) + chr(65 + int(c[7])) + c[8:] for c in cols["buurtcode"]],
                                 cols["buurtcode"])
    # Attributes the catalogue knows stay within its plausible range.
    ranges = {snake(i.wfs): (int(i.min or 0), int(min(i.max if i.max is not None else 5000, 5000)))
              for i in indicators.catalogue().values() if i.wfs}
    for name in attribute_names():
        if name == "water":
            cols[name] = np.where(rng.random(m) < water_share, "JA", "NEE")
        elif name == "meest_voorkomende_postcode":
            cols[name] = [f"{p:04d}" for p in rng.integers(1000, 9999, m)]
        elif name == "gemiddelde_huishoudsgrootte":
            cols[name] = np.round(rng.uniform(1.2, 3.4, m), 1)
        elif name == "aantal_inwoners":
            cols[name] = rng.integers(0, 9000, m)
        elif name == "indelingswijziging_wijken_en_buurten":
            cols[name] = rng.integers(1, 3, m)
        elif name in ranges:
            lo, hi = ranges[name]
            cols[name] = rng.integers(lo, hi + 1, m)
        else:
            hi = 100 if name.startswith(("percentage", "perc_")) else 5 if "stedelijkheid" in name else 5000
            cols[name] = rng.integers(0, hi, m)
        if name not in ("water", "meest_voorkomende_postcode", "indelingswijziging_wijken_en_buurten"):
            values = np.asarray(cols[name], dtype="float64")
            values[rng.random(m) < 0.03] = -99997  # suppressed, as CBS publishes it
            cols[name] = values.astype("int64") if name != "gemiddelde_huishoudsgrootte" else values
    cols["jrstatcode"] = [f"{JAAR}{c}" for c in cols["buurtcode"]]
    cols["jaar"] = np.full(m, JAAR)
    buurten = gpd.GeoDataFrame(cols, geometry=g.geometry.to_numpy(), crs=g.crs)
    gpkg = folder / f"wijkenbuurten_{JAAR}_v1.gpkg"
    pyogrio.write_dataframe(buurten, gpkg, layer="buurten", driver="GPKG")
    for layer, key in (("wijken", "wijkcode"), ("gemeenten", "gemeentecode")):
        env = buurten.groupby(key).geometry.agg(lambda s: shapely.box(*s.total_bounds))
        pyogrio.write_dataframe(gpd.GeoDataFrame({key: env.index}, geometry=list(env.values), crs=g.crs), gpkg, layer=layer, driver="GPKG")
    wbk = folder / f"WijkBuurtkaart_{JAAR}_v1.zip"
    with zipfile.ZipFile(wbk, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.write(gpkg, gpkg.name)
    gpkg.unlink()
    lbm = pd.DataFrame({"bu_code": np.repeat(buurten["buurtcode"].to_numpy(), len(LBM_JAREN)),
                        "jaar": np.tile(LBM_JAREN, m)})
    lbm["lbm"] = np.round(rng.normal(4.1, 0.15, len(lbm)), 4)
    for dim in ("afw", "fys", "onv", "soc", "vrz", "won"):
        v = np.round(rng.normal(0, 0.1, len(lbm)), 4)
        lbm[dim] = np.where(lbm["jaar"].isin([2014, *range(2018, 2025)]), v, np.nan)
    text = io.StringIO()
    lbm.to_csv(text, index=False, lineterminator="\n")
    lbm_zip = folder / "open-data-leefbaarometer-meting-2024.zip"
    with zipfile.ZipFile(lbm_zip, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr(LBM_MEMBER, text.getvalue())
    return wbk, lbm_zip, int(shapely.get_num_coordinates(buurten.geometry.to_numpy()).sum())


def measure(cmd: list[str], env: dict | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one child process; raises with its stderr on failure.

    CPU time is reported next to wall time because a shared machine stretches the wall time.
    """
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=REPO_ROOT)
        _, status, usage = os.wait4(p.pid, 0)  # reaps the child and gives its own rusage
        secs = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd[3:5])} faalde: {err.read().decode()[-600:]}")
    return secs, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve(folder: Path):
    handler = partial(_Quiet, directory=str(folder))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def run(options) -> dict:
    n = getattr(options, "import_buurten", 14_500)
    py = [sys.executable, "-m", "wijkprofielen"]
    config = getattr(options, "config", None)
    extra = ["--config", config] if config else []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        wbk, lbm, vertices = generate(folder, n)
        gen_s = time.perf_counter() - t0
        out = folder / "Nederland.parquet"
        load = os.getloadavg()[0]
        secs, cpu, rss = measure(py + ["import", "--wijkbuurtkaart", str(wbk), "--landelijk", "--leefbaarometer", str(lbm),
                                     "--out", str(out)] + extra)
        from wijkprofielen.dataset import load_dataset

        ds = load_dataset(out)
        result = {
            "landelijk_import_buurten_gegenereerd": n,
            "landelijk_import_buurten": len(ds.codes),
            "landelijk_import_hoekpunten": vertices,
            "landelijk_import_zip_mb": round(wbk.stat().st_size / 1e6, 1),
            "landelijk_import_genereren_s": round(gen_s, 1),
            "landelijk_import_s": round(secs, 1),
            "landelijk_import_cpu_s": round(cpu, 1),
            "belasting_machine_bij_start": round(load, 1),
            "landelijk_import_piek_rss_mb": round(rss),
            "landelijk_import_indicatoren": len(ds.kolommen),
        }
        if not getattr(options, "zonder_download", False):
            srv = _serve(folder)
            base = f"http://127.0.0.1:{srv.server_address[1]}"
            env = os.environ | {"WIJKPROFIELEN_DOWNLOAD_WIJKBUURTKAART": base + "/WijkBuurtkaart_{jaar}_v{versie}.zip",
                                "WIJKPROFIELEN_DOWNLOAD_PDOK_GPKG": base + "/wijkenbuurten_{jaar}.gpkg",
                                "WIJKPROFIELEN_DOWNLOAD_LEEFBAAROMETER_ZIP": base + "/" + lbm.name}
            try:
                secs, cpu, rss = measure(py + ["download", "--landelijk", "--jaar", str(JAAR), "--bronmap", str(folder / "bronnen"),
                                             "--out", str(folder / "NL-download.parquet")] + extra, env)
            finally:
                srv.shutdown()
                srv.server_close()
            result |= {"landelijk_download_s": round(secs, 1), "landelijk_download_cpu_s": round(cpu, 1),
                       "landelijk_download_piek_rss_mb": round(rss)}
    return result
