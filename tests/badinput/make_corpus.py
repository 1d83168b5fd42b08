"""Write the bad-input corpus: small hand-made broken files, one per failure the import must
explain. Run from the repository root: ``.venv/bin/python tests/badinput/make_corpus.py``.
The files are committed; none is a copy of real data.
"""

from __future__ import annotations

import io
import json
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
        z.writestr("buurten.geojson", files["punten.geojson"])
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
    files["extra_kopregels.xlsx"] = out.getvalue()

    for name, data in files.items():
        path = HERE / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    # A shapefile without .prj: the CRS is unknown.
    import geopandas as gpd
    import shapely

    shp = HERE / "zonder_crs" / "buurten.shp"
    shp.parent.mkdir(exist_ok=True)
    gdf = gpd.GeoDataFrame({"BU_CODE": ["BU07960101"], "BU_NAAM": ["Binnenstad"]}, geometry=[shapely.box(149000, 411000, 149500, 411500)], crs=None)
    gdf.to_file(shp)
    for p in shp.parent.glob("*.prj"):
        p.unlink()


if __name__ == "__main__":
    main()
