"""What each file of the bad-input corpus must do: give a clear Dutch message, or import correctly.

A case is ``Case(name, read, fout=[...])`` (the import is refused and the message holds the
file name and every fragment: where the problem is and how to fix it) or
``Case(name, read, goed=check)`` (the import succeeds and ``check(result)`` holds).
:func:`outcome` classifies one case; ``tabel.py`` prints the table over all cases.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from wijkprofielen.errors import WijkprofielenError
from wijkprofielen.importers.boundaries import read_boundaries
from wijkprofielen.importers.kerncijfers import read_kerncijfers
from wijkprofielen.importers.leefbaarometer import read_leefbaarometer
from wijkprofielen.importers.lokaal import read_lokaal
from wijkprofielen.importers.pipeline import build_dataset

BAD = Path(__file__).parent
GM = "GM0796"
CLEAR, CORRECT, SILENT, CRASH, UNCLEAR = "duidelijke fout", "correct geïmporteerd", "stil fout resultaat", "crash", "onduidelijke fout"


@dataclass
class Case:
    name: str
    read: Callable[[Path], Any]
    fout: list[str] = field(default_factory=list)
    goed: Callable[[Any], bool] | None = None
    klasse: str = ""

    @property
    def path(self) -> Path:
        return BAD / re.split(r"[#:]", self.name)[0]


def kwb(p, **kw):
    return read_kerncijfers(p, GM, **kw)


def lbm(p, **kw):
    return read_leefbaarometer(p, GM, **kw)


def lok(p, **kw):
    return read_lokaal(p, GM, **kw)


def grenzen(p):
    return read_boundaries(p, GM)


def value(b, kolom: str, jaar: int, code: str) -> float:
    return float(b.waarden.at[code, (kolom, jaar)])


def missing_because(b, kolom: str, jaar: int, code: str, reason: str) -> bool:
    return math.isnan(value(b, kolom, jaar, code)) and reason in b.redenen[(kolom, jaar)][code]


def two_years(p):
    return build_dataset(GM, BAD / "grenzen.geojson", kerncijfers=[BAD / "kwb2024_85984NED_punt_duizendtal.csv", p])


def ontbrekend(reader):
    return lambda p: reader(p, bij_afwijking="ontbrekend")


CASES = [
    # Existing structural checks.
    Case("leeg.csv", lbm, ["rij 1", "Kies het volledige"], klasse="structuur"),
    Case("scheidingsteken.csv", lbm, ["kolom 'bu_code'", "Gebruik komma of puntkomma"], klasse="structuur"),
    Case("utf16.csv", lbm, ["nul-bytes", "Sla het Leefbaarometer-bestand op als 'CSV UTF-8'"], klasse="structuur"),
    Case("dubbele_codes.csv", lbm, ["(rij 4)", "verwijder de dubbele rij"], klasse="structuur"),
    Case("andere_gemeente.csv", lok, ["kolom 'buurtcode', rij 3", "Verwijder die rij(en) of importeer voor GM0363"], klasse="structuur"),
    Case("tekst_in_getallen.csv", lambda p: kwb(p, jaar=2024), ["kolom 'AantalInwoners_5', rij 4: 'veel'", "Gebruik cijfers"], klasse="structuur"),
    Case("zonder_crs/buurten.shp", grenzen, ["geen coördinatenstelsel", "Sla het op met EPSG:28992"], klasse="structuur"),
    Case("rd_zonder_crs.geojson", grenzen, ["coördinaten (149000, 411000)", "sla het op met EPSG:28992"], klasse="structuur"),
    Case("punten.geojson", grenzen, ["object 2 (BU07960102) is een Point", "kies de vlakkenlaag"], klasse="structuur"),
    Case("zelfdoorsnijdend.geojson", grenzen, ["object 2 (BU07960102) is een ongeldig vlak (Self-intersection", "Repareer de geometrie"], klasse="structuur"),
    Case("te_groot.csv", lambda p: read_leefbaarometer(p, GM, max_mb=0.001), ["groter dan de grens van 0.001 MB", "verhoog [import] max_mb"], klasse="structuur"),
    Case("archief.zip", grenzen, ["ZIP-archief", "Pak het eerst uit"], klasse="structuur"),
    Case("extra_kopregels.csv", lok, ["kopregel staat op rij 3", "Verwijder de 2 regel(s) boven de kopregel"], klasse="structuur"),
    Case("extra_kopregels.xlsx", lok, ["kopregel staat op rij 3", "Verwijder de 2 regel(s) boven de kopregel"], klasse="structuur"),
    # Thousands separators.
    Case("kwb2024_85984NED_punt_duizendtal.csv", kwb, goed=lambda b: value(b, "inwoners", 2024, "BU07960101") == 6025
         and value(b, "huishoudens", 2024, "BU07960102") == 1280 and value(b, "inwoners", 2024, "BU07960103") == 540, klasse="duizendtallen"),
    Case("kwb2024_85984NED_komma_duizendtal.csv", kwb, goed=lambda b: value(b, "inwoners", 2024, "BU07960102") == 1985
         and value(b, "pct_65plus", 2024, "BU07960101") == 880 / 6025 * 100, klasse="duizendtallen"),
    Case("kwb2024_85984NED_aantal_gemengd.csv", kwb, ["kolom 'AantalInwoners_5'", "rijen 2 en 3", "gebroken getal", "scheidingsteken"],
         klasse="duizendtallen"),
    Case("lokaal_pct_dubbelzinnig.csv", lok, ["kolom 'pct_label_efg'", "rijen 2 en 3", "niet eenduidig", "één decimaalteken"], klasse="duizendtallen"),
    Case("lokaal_duizendtal_en_decimaal.csv", lok, goed=lambda b: value(b, "woningen", 0, "BU07960101") == 1250
         and value(b, "plancap_hard_pct", 0, "BU07960102") == 1.75, klasse="duizendtallen"),
    # CRS declarations.
    Case("graden_als_rd.geojson", grenzen, ["niet in Nederland", "lengte- en breedtegraden", "EPSG:4326"], klasse="crs"),
    Case("rd_als_3857.geojson", grenzen, ["niet in Nederland", "RD New", "EPSG:28992"], klasse="crs"),
    Case("graden_als_3857.geojson", grenzen, ["lengte- en breedtegraden", "EPSG:4326"], klasse="crs"),
    Case("lengte_breedte_verwisseld.geojson", grenzen, ["niet in Nederland", "verwisseld", "lengte, breedte"], klasse="crs"),
    Case("kleine_letters_statcode.geojson", grenzen, goed=lambda r: r[0]["buurtcode"].tolist() == ["BU07960101", "BU07960102", "BU07960103"],
         klasse="codes"),
    # Excel.
    Case("verborgen_eerste_blad.xlsx", lok, goed=lambda b: value(b, "plancap_hard_pct", 0, "BU07960101") == 2.5, klasse="excel"),
    Case("formule_zonder_uitkomst.xlsx", lok, ["cel C2", "=B2/100", "geen opgeslagen uitkomst", "sla het opnieuw op"], klasse="excel"),
    Case("samengevoegde_cellen.xlsx", lok, ["B2:B3", "samengevoegd", "maak het samenvoegen ongedaan"], klasse="excel"),
    Case("blad_kiezen.xlsx", lok, ["blad 'Toelichting'", "Andere bladen: Gegevens", "blad_kiezen.xlsx#BLAD"], klasse="excel"),
    Case("blad_kiezen.xlsx#Gegevens", lambda p: lok(f"{p}#Gegevens"), goed=lambda b: value(b, "plancap_hard_pct", 0, "BU07960102") == 1.0,
         klasse="excel"),
    # Non-finite numbers.
    Case("lbm_inf.csv", lbm, ["kolom 'afw', rij 2", "geen eindig getal", "Vul een gewoon getal in"], klasse="oneindig"),
    Case("lbm_min_inf.csv", lbm, ["kolom 'afw', rij 2", "'-inf'", "geen eindig getal"], klasse="oneindig"),
    Case("lbm_1e400.csv", lbm, ["kolom 'afw', rij 2", "'1e400'", "geen eindig getal"], klasse="oneindig"),
    Case("kwb2024_85984NED_odata_inf.json", kwb, ["kolom 'Koopwoningen_40', record 1", "geen eindig getal"], klasse="oneindig"),
    Case("lokaal_300_cijfers.csv", lok, ["kolom 'sloop_gepland', rij 2", "te groot", "corrigeer"], klasse="oneindig"),
    # Ranges.
    Case("lokaal_pct_min35.csv", lok, ["kolom 'pct_label_efg'", "rij 2", "-35", "buiten het bereik 0 tot en met 100 %", "--bij-afwijking ontbrekend"],
         klasse="bereik"),
    Case("lokaal_pct_250.csv", lok, ["kolom 'pct_corporatiebezit'", "rij 3", "250", "buiten het bereik"], klasse="bereik"),
    Case("kwb2024_85984NED_pct_300.csv", kwb, ["kolom 'Koopwoningen_40'", "rij 2", "300", "buiten het bereik"], klasse="bereik"),
    Case("kwb2024_85984NED_65plus_te_veel.csv", kwb, ["k_65JaarOfOuder_12 / AantalInwoners_5", "rij 3", "150", "buiten het bereik"],
         klasse="bereik"),
    Case("kwb2024_85984NED_inwoners_min500.csv", kwb, ["kolom 'AantalInwoners_5'", "rij 3", "-500", "buiten het bereik"], klasse="bereik"),
    Case("lbm_afw_55.csv", lbm, ["kolom 'afw'", "rij 2", "55", "buiten het bereik -2 tot en met 2"], klasse="bereik"),
    Case("lokaal_sociale_huur_1e9.csv", lok, ["kolom 'pct_sociale_huur'", "rij 2", "1e+09", "buiten het bereik"], klasse="bereik"),
    Case("lokaal_pct_250.csv:ontbrekend", ontbrekend(lok), goed=lambda b: missing_because(b, "pct_corporatiebezit", 0, "BU07960102", "buiten bereik (250")
         and value(b, "pct_corporatiebezit", 0, "BU07960101") == 40, klasse="bereik"),
    Case("kwb2024_85984NED_65plus_te_veel.csv:ontbrekend", ontbrekend(kwb),
         goed=lambda b: missing_because(b, "pct_65plus", 2024, "BU07960102", "buiten bereik (150") and value(b, "inwoners", 2024, "BU07960102") == 600,
         klasse="bereik"),
    Case("lbm_afw_55.csv:ontbrekend", ontbrekend(lbm), goed=lambda b: missing_because(b, "lbm_afw", 2024, "BU07960101", "buiten bereik (55"),
         klasse="bereik"),
    # Years.
    Case("lokaal_jaar_inf.csv", lok, ["kolom 'jaar', rij 2", "'inf' is geen geldig jaartal", "1990 tot en met 2100"], klasse="jaar"),
    Case("lokaal_jaar_2024_7.csv", lok, ["kolom 'jaar', rij 2", "'2024.7'", "heel jaar"], klasse="jaar"),
    Case("lokaal_jaar_99999.csv", lok, ["kolom 'jaar', rij 2", "'99999'", "1990 tot en met 2100"], klasse="jaar"),
    Case("lbm_jaar_inf.csv", lbm, ["kolom 'jaar', rij 2", "geen geldig jaartal"], klasse="jaar"),
    # Codes.
    Case("kwb2024_85984NED_code_met_spatie.csv", kwb, goed=lambda b: value(b, "inwoners", 2024, "BU07960102") == 1985, klasse="codes"),
    Case("lbm_kleine_letters.csv", lbm, goed=lambda b: value(b, "lbm_afw", 2024, "BU07960101") == 0.1, klasse="codes"),
    Case("kwb2024_85984NED_code_te_kort.csv", kwb, ["kolom 'Codering_3', rij 3", "'BU079601' is geen geldige buurtcode", "corrigeer"],
         klasse="codes"),
    # Kerncijfers consistency.
    Case("kwb2024_85984NED_afgekapt.csv", kwb, ["rij 4 heeft 4 velden, de kopregel 7", "afgekapt", "download"], klasse="kerncijfers"),
    Case("kwb2024_85984NED_zonder_slotregel.csv", kwb, ["laatste regel (4)", "afgekapt", "Download het bestand opnieuw"], klasse="kerncijfers"),
    Case("kwb2024_85984NED_tabel_2017.csv", kwb, ["passen niet bij 2024 (85984NED)", "HuishoudensTotaal_28", "2017 (83765NED)",
                                                  "kwb2024_85984NED_tabel_2017.csv@2017"], klasse="kerncijfers"),
    Case("kwb2024_83765NED_odata.json", kwb, ["tegenstrijdig", "2017 (83765NED)", "2024 (85984NED)"], klasse="kerncijfers"),
    Case("kwb2024_85984NED_tweede_versie.csv", two_years, ["verschillende waarden", "inwoners van BU07960102 is 1985",
                                                           "1990 in kwb2024_85984NED_tweede_versie.csv", "één bestand per jaar"], klasse="kerncijfers"),
    # GDAL warnings end up in the message, not on stderr.
    Case("gdal_waarschuwing.geojson", grenzen, ["ongeldig vlak", "GDAL meldde bij het lezen: Several features with id = 1"], klasse="gdal"),
]

_LONG_NUMBER = re.compile(r"\d{16,}")


def outcome(case: Case) -> tuple[str, str]:
    """``(class, detail)`` of one case: clear error, correct import, silent wrong result, crash or unclear error."""
    try:
        result = case.read(case.path)
    except WijkprofielenError as exc:
        message = str(exc)
        if case.goed is not None:
            return UNCLEAR, f"verwacht een import, kreeg: {message}"
        missing = [f for f in [case.path.name, *case.fout] if f not in message]
        if missing or _LONG_NUMBER.search(message):
            return UNCLEAR, f"ontbreekt {missing} in: {message}"
        return CLEAR, message
    except Exception as exc:  # the classification itself: anything else is a crash
        return CRASH, f"{type(exc).__name__}: {exc}"
    if case.goed is None:
        return SILENT, "geïmporteerd zonder melding"
    try:
        ok = bool(case.goed(result))
    except Exception as exc:  # a missing value where one was expected
        return SILENT, f"controle faalt: {type(exc).__name__}: {exc}"
    return (CORRECT, "") if ok else (SILENT, "andere waarden dan verwacht")
