"""Write the bad-input corpus: small hand-made files, one per way input can go wrong. Each
must give a clear Dutch message or import correctly (the expectations are in ``cases.py``).
Run from the repository root: ``.venv/bin/python tests/badinput/make_corpus.py``.
The output is deterministic; the files are committed; none is a copy of real data.
"""

from __future__ import annotations

import io
import json
import re
import warnings
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
LBM_HEADER = "bu_code,bu_naam,jaar,lbm,afw,fys,onv,soc,vrz,won\n"


def square(x: float, y: float, d: float = 0.01) -> list:
    return [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]


def feature(code: str, geometry: dict) -> dict:
    return {"type": "Feature", "properties": {"statcode": code, "statnaam": f"Buurt {code[-2:]}"}, "geometry": geometry}


def geojson(features: list, crs: str | None = "urn:ogc:def:crs:OGC:1.3:CRS84") -> str:
    doc = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(doc)


def fixed(data: bytes) -> bytes:
    """Zip entries with a fixed date, so the corpus is byte-for-byte reproducible."""
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", body)
            z.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0)), body)
    return out.getvalue()


def main() -> None:
    files: dict[str, bytes | str] = {
        "leeg.csv": "",
        "scheidingsteken.csv": LBM_HEADER.replace(",", "|") + "BU07960101|A|2024|4.2|0.1|0|0|0|0|0\n",
        "utf16.csv": (LBM_HEADER + "BU07960101,Binnenstad,2024,4.2,0.1,0,0,0,0,0\n").encode("utf-16"),
        "dubbele_codes.csv": LBM_HEADER + "BU07960101,A,2024,4.2,0.1,0,0,0,0,0\nBU07960102,B,2024,4.1,0.0,0,0,0,0,0\nBU07960101,A,2024,4.3,0.2,0,0,0,0,0\n",
        "andere_gemeente.csv": "buurtcode,plancap_hard_pct\nBU07960101,2.5\nBU03630101,1.0\n",
        "tekst_in_getallen.csv": "WijkenEnBuurten,SoortRegio_2,Codering_3,AantalInwoners_5\nBU07960101,Buurt,BU07960101,6025\nBU07960102,Buurt,BU07960102,1985\nBU07960103,Buurt,BU07960103,veel\n",
        "punten.geojson": geojson([feature("BU07960101", {"type": "Polygon", "coordinates": square(5.30, 51.69)}),
                                   feature("BU07960102", {"type": "Point", "coordinates": [5.31, 51.69]})]),
        "zelfdoorsnijdend.geojson": geojson([feature("BU07960101", {"type": "Polygon", "coordinates": square(5.30, 51.69)}),
                                             feature("BU07960102", {"type": "Polygon", "coordinates": [[[5.31, 51.69], [5.32, 51.70], [5.32, 51.69], [5.31, 51.70], [5.31, 51.69]]]})]),
        "rd_zonder_crs.geojson": geojson([feature("BU07960101", {"type": "Polygon", "coordinates": [[[149000, 411000], [149500, 411000], [149500, 411500], [149000, 411000]]]})], crs=None),
        "extra_kopregels.csv": "Plancapaciteit per buurt;;\nstand 1 januari 2024;;\nbuurtcode;plancap_hard_pct;opmerking\nBU07960101;2,5;\n",
        "te_groot.csv": LBM_HEADER + "".join(f"BU0796{i:04d},B,2024,4.1,0,0,0,0,0,0\n" for i in range(1, 40)),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("buurten.geojson", date_time=(2024, 1, 1, 0, 0, 0)), files["punten.geojson"])
    files["archief.zip"] = buf.getvalue()

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Plancapaciteit per buurt, stand 1 januari"])
    ws.append(["bron: afdeling Wonen"])
    ws.append(["buurtcode", "plancap_hard_pct"])
    ws.append(["BU07960101", 2.5])
    out = io.BytesIO()
    wb.save(out)
    files["extra_kopregels.xlsx"] = fixed(out.getvalue())

    files.update(number_files())
    files.update(boundary_files())
    files.update(excel_files())
    for name, data in files.items():
        path = HERE / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    # A shapefile without .prj: the CRS is unknown.
    import geopandas as gpd
    import shapely

    shp = HERE / "zonder_crs" / "buurten.shp"
    shp.parent.mkdir(exist_ok=True)
    gdf = gpd.GeoDataFrame({"BU_CODE": ["BU07960101"], "BU_NAAM": ["Binnenstad"]}, geometry=[shapely.box(149000, 411000, 149500, 411500)], crs=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the missing CRS is the point of this file
        gdf.to_file(shp)
    for p in shp.parent.glob("*.prj"):
        p.unlink()
    dbf = shp.with_suffix(".dbf")
    dbf.write_bytes(dbf.read_bytes()[:1] + bytes([124, 1, 1]) + dbf.read_bytes()[4:])  # fixed "last update" date


KWB_HEADER = "WijkenEnBuurten;Gemeentenaam_1;SoortRegio_2;Codering_3;AantalInwoners_5;HuishoudensTotaal_29;k_65JaarOfOuder_12\n"
KWB17_HEADER = ("WijkenEnBuurten,Gemeentenaam_1,SoortRegio_2,Codering_3,AantalInwoners_5,Bevolkingsdichtheid_33,"
                "HuishoudensTotaal_28,MateVanStedelijkheid_104,k_65JaarOfOuder_12\n")


def kwb(rows: list[tuple], header: str = KWB_HEADER, sep: str = ";") -> str:
    """A Kerncijfers extract: rows of (code, inwoners, huishoudens, 65+)."""
    return header + "".join(sep.join([code, "'s-Hertogenbosch", "Buurt", code, *map(str, vals)]) + "\n" for code, *vals in rows)


def lbm(rows: list[str]) -> str:
    return LBM_HEADER + "".join(r + "\n" for r in rows)


def number_files() -> dict[str, str]:
    """Thousands separators, non-finite values, ranges, years, codes and truncation in text tables."""
    good = [("BU07960101", "6025", "4000", "880"), ("BU07960102", "1985", "1280", "520"), ("BU07960103", "540", "300", "95")]
    lbm_ok = "BU07960102,B,2024,4.1,0.0,0,0,0,0,0"
    full = kwb(good)
    cut = full[: full.index("BU07960103") + 40]  # halfway through the last row
    odata = {"odata.metadata": "https://opendata.cbs.nl/ODataApi/OData/83765NED/$metadata#Cbs.OData.WebAPI.TypedDataSet",
             "value": [{"WijkenEnBuurten": c, "SoortRegio_2": "Buurt", "AantalInwoners_5": int(i)} for c, i, _, _ in good]}
    odata_inf = {"odata.metadata": "https://opendata.cbs.nl/ODataApi/OData/85984NED/$metadata#Cbs",
                 "value": [{"WijkenEnBuurten": "BU07960101", "SoortRegio_2": "Buurt", "AantalInwoners_5": 100,
                            "Koopwoningen_40": "__INF__"}]}
    return {
        # Thousands separators: decided per column.
        "kwb2024_85984NED_punt_duizendtal.csv": kwb([("BU07960101", "6.025", "4.000", "880"), ("BU07960102", "1.985", "1.280", "520"), good[2]]),
        "kwb2024_85984NED_komma_duizendtal.csv": kwb([("BU07960101", "6,025", "4,000", "880"), ("BU07960102", "1,985", "1,280", "520"), good[2]]),
        "kwb2024_85984NED_aantal_gemengd.csv": kwb([("BU07960101", "6.025", "4000", "880"), ("BU07960102", "1985.5", "1280", "520")]),
        "lokaal_pct_dubbelzinnig.csv": "buurtcode;pct_label_efg\nBU07960101;12.500\nBU07960102;8.250\n",
        "lokaal_duizendtal_en_decimaal.csv": "buurtcode;plancap_hard_pct;woningen\nBU07960101;2,5;1.250\nBU07960102;1,75;980\n",
        # Non-finite and absurd numbers.
        "lbm_inf.csv": lbm(["BU07960101,A,2024,4.2,inf,0,0,0,0,0", lbm_ok]),
        "lbm_min_inf.csv": lbm(["BU07960101,A,2024,4.2,-inf,0,0,0,0,0", lbm_ok]),
        "lbm_1e400.csv": lbm(["BU07960101,A,2024,4.2,1e400,0,0,0,0,0", lbm_ok]),
        "kwb2024_85984NED_odata_inf.json": json.dumps(odata_inf).replace('"__INF__"', "1e400"),
        "lokaal_300_cijfers.csv": "buurtcode,sloop_gepland\nBU07960101," + "9" * 300 + "\n",
        # Ranges from the indicator catalogue.
        "lokaal_pct_min35.csv": "buurtcode,pct_label_efg\nBU07960101,-35\nBU07960102,20\n",
        "lokaal_pct_250.csv": "buurtcode,pct_corporatiebezit\nBU07960101,40\nBU07960102,250\n",
        "kwb2024_85984NED_pct_300.csv": kwb([("BU07960101", "6025", "4000", "880", "300"), good[1] + ("55",)],
                                            KWB_HEADER.replace("\n", ";Koopwoningen_40\n")),
        "kwb2024_85984NED_65plus_te_veel.csv": kwb([good[0], ("BU07960102", "600", "300", "900"), good[2]]),
        "kwb2024_85984NED_inwoners_min500.csv": kwb([good[0], ("BU07960102", "-500", "300", "90"), good[2]]),
        "lbm_afw_55.csv": lbm(["BU07960101,A,2024,4.2,55,0,0,0,0,0", lbm_ok]),
        "lokaal_sociale_huur_1e9.csv": "buurtcode,pct_sociale_huur\nBU07960101,1e9\nBU07960102,30\n",
        # Years.
        "lokaal_jaar_inf.csv": "buurtcode,jaar,plancap_hard_pct\nBU07960101,inf,2.5\n",
        "lokaal_jaar_2024_7.csv": "buurtcode,jaar,plancap_hard_pct\nBU07960101,2024.7,2.5\n",
        "lokaal_jaar_99999.csv": "buurtcode,jaar,plancap_hard_pct\nBU07960101,99999,2.5\n",
        "lbm_jaar_inf.csv": lbm(["BU07960101,A,inf,4.2,0.1,0,0,0,0,0"]),
        # Codes: normalised before filtering.
        "kwb2024_85984NED_code_met_spatie.csv": kwb([good[0], ("BU0796 0102", "1985", "1280", "520"), good[2]]),
        "lbm_kleine_letters.csv": lbm(["bu07960101,A,2024,4.2,0.1,0,0,0,0,0", lbm_ok]),
        "kwb2024_85984NED_code_te_kort.csv": kwb([good[0], ("BU079601", "1985", "1280", "520")]),
        # Kerncijfers consistency.
        "kwb2024_85984NED_afgekapt.csv": cut,
        "kwb2024_85984NED_zonder_slotregel.csv": full[:-3],
        "kwb2024_85984NED_tabel_2017.csv": kwb([("BU07960101", "6025", "8454.0", "4000", "1", "880")], KWB17_HEADER, ","),
        "kwb2024_83765NED_odata.json": json.dumps(odata),
        "kwb2024_85984NED_tweede_versie.csv": kwb([good[0], ("BU07960102", "1990", "1280", "520"), good[2]]),
    }


def square_rd(x: float, y: float, d: float = 500.0) -> list:
    return [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]


def boundary_files() -> dict[str, str]:
    """Wrong CRS declarations, lower-case codes, GDAL warnings."""
    degrees = [feature(f"BU079601{i:02d}", {"type": "Polygon", "coordinates": square(5.30 + 0.01 * i, 51.69)}) for i in range(1, 4)]
    swapped = [feature(f"BU079601{i:02d}", {"type": "Polygon", "coordinates": [[[y, x] for x, y in square(5.30 + 0.01 * i, 51.69)[0]]]})
               for i in range(1, 4)]
    rd = [feature(f"BU079601{i:02d}", {"type": "Polygon", "coordinates": square_rd(149_000 + 500 * i, 411_000)}) for i in range(1, 4)]
    lower = [feature(f"bu079601{i:02d}" if i == 2 else f"BU079601{i:02d}", {"type": "Polygon", "coordinates": square(5.30 + 0.01 * i, 51.69)})
             for i in range(1, 4)]
    dup_ids = [{**f, "id": 1} for f in degrees]
    dup_ids[1]["geometry"] = {"type": "Polygon", "coordinates": [[[5.31, 51.69], [5.32, 51.70], [5.32, 51.69], [5.31, 51.70], [5.31, 51.69]]]}
    return {
        "grenzen.geojson": geojson(degrees),
        "graden_als_rd.geojson": geojson(degrees, "urn:ogc:def:crs:EPSG::28992"),
        "rd_als_3857.geojson": geojson(rd, "urn:ogc:def:crs:EPSG::3857"),
        "graden_als_3857.geojson": geojson(degrees, "urn:ogc:def:crs:EPSG::3857"),
        "lengte_breedte_verwisseld.geojson": geojson(swapped),
        "kleine_letters_statcode.geojson": geojson(lower),
        "gdal_waarschuwing.geojson": geojson(dup_ids),
    }


def excel_files() -> dict[str, bytes]:
    """A hidden first sheet, formulas without stored results, merged cells, a sheet to choose."""
    from openpyxl import Workbook

    def save(wb) -> bytes:
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    def book(*sheets, active: int = 0, hidden: tuple = ()):
        wb = Workbook()
        wb.remove(wb.active)
        for title, rows in sheets:
            ws = wb.create_sheet(title)
            for r in rows:
                ws.append(r)
        for i in hidden:
            wb.worksheets[i].sheet_state = "hidden"
        wb.active = active
        return wb

    data = [["buurtcode", "plancap_hard_pct"], ["BU07960101", 2.5], ["BU07960102", 1.0]]
    old = [["buurtcode", "plancap_hard_pct"], ["BU07960101", 99.0], ["BU07960102", 99.0]]
    formula = book(("Plancapaciteit", [["buurtcode", "woningen", "plancap_hard_pct"], ["BU07960101", 400, "=B2/100"], ["BU07960102", 200, 1.0]]))
    merged = book(("Plancapaciteit", [["buurtcode", "wijk", "plancap_hard_pct"], ["BU07960101", "Centrum", 2.5], ["BU07960102", None, 1.0]]))
    merged.active.merge_cells("B2:B3")
    merged.active.merge_cells("C2:C3")
    return {
        "verborgen_eerste_blad.xlsx": fixed(save(book(("Oud", old), ("Plancapaciteit", data), active=1, hidden=(0,)))),
        "formule_zonder_uitkomst.xlsx": fixed(save(formula)),
        "samengevoegde_cellen.xlsx": fixed(save(merged)),
        "blad_kiezen.xlsx": fixed(save(book(("Toelichting", [["Plancapaciteit per buurt"], ["zie blad Gegevens"]]), ("Gegevens", data)))),
    }


if __name__ == "__main__":
    main()
