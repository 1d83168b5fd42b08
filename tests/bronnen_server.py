"""A local HTTP server (127.0.0.1) that answers like the open sources, in their published shapes.

It serves one *world* (buurten with attributes, a Kerncijfers table, Leefbaarometer scores,
optionally a national wijk- en buurtkaart zip) through the paths below, taking the envelopes
from the templates in ``tests/data/bronnen/``:

* ``/ogc/{jaar}/collections/buurten/items``: PDOK OGC API (cursor paging, ``crs``, ``gemeentecode``)
* ``/wfs/{jaar}``: PDOK WFS 2.0 (``startIndex``/``count``, FES filter, camelCase properties)
* ``/odata/{tabel}/DataProperties`` and ``/TypedDataSet``: CBS OData feed (``odata.nextLink``, padded keys)
* ``/lbm/<zip>``: the Leefbaarometer open-data zip (``Range``, ``ETag``)
* ``/lbm/ows``: the Leefbaarometer WFS (``lbm3:buurtscoreJJ``)
* ``/wbk/WijkBuurtkaart_{jaar}_v{N}.zip``: the wijk- en buurtkaart (only version ``world.wbk_versie`` exists)

Faults are queued per path prefix in ``server.faults``: ``("status", 503)``,
``("retry_after", 429, seconds)``, ``("cut",)`` (half the body, then the connection closes),
``("body", bytes, content_type)``.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import json
import re
import threading
import urllib.parse
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

TEMPLATES = Path(__file__).parent / "data" / "bronnen"
LBM_FOLDER = "Leefbaarometer 3.0 - Meting 2024 - open data"
LBM_CSV = "Leefbaarometer-scores buurten 2002-2024.csv"
LBM_ZIP = "open-data-leefbaarometer-meting-2024.zip"


def template(name: str) -> dict:
    return json.loads((TEMPLATES / name).read_text(encoding="utf-8"))


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def lbm_zip(csv_text: str, member: str = f"{LBM_FOLDER}/{LBM_CSV}") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{LBM_FOLDER}/Leesmij.txt", "Leefbaarometer 3.0, open data (CC0)\n")
        zf.writestr(member, csv_text)
    return buf.getvalue()


@dataclass
class World:
    """What the services know: ``buurten`` (GeoDataFrame in RD with snake_case attributes),
    ``kerncijfers`` per table (records with CBS keys), ``lbm`` (long frame)."""

    buurten: gpd.GeoDataFrame
    kerncijfers: dict[str, list[dict]]
    lbm: pd.DataFrame
    lbm_zip: bytes = b""
    wbk_zip: bytes = b""
    wbk_versie: int = 2
    odata_page: int = 4

    def __post_init__(self):
        if not self.lbm_zip:
            self.lbm_zip = lbm_zip(self.lbm.to_csv(index=False, lineterminator="\n"))


@dataclass
class Replay:
    world: World
    url: str = ""
    faults: dict[str, list[tuple]] = field(default_factory=dict)
    log: list[tuple[str, str, dict]] = field(default_factory=list)

    def requests_to(self, prefix: str) -> list[tuple[str, str, dict]]:
        return [r for r in self.log if r[1].startswith(prefix)]

    def urls(self) -> dict[str, str]:
        u = self.url
        return {"pdok_ogc": f"{u}/ogc/{{jaar}}", "pdok_wfs": f"{u}/wfs/{{jaar}}", "cbs_odata": f"{u}/odata",
                "leefbaarometer_zip": f"{u}/lbm/{LBM_ZIP}", "leefbaarometer_wfs": f"{u}/lbm/ows",
                "wijkbuurtkaart": f"{u}/wbk/WijkBuurtkaart_{{jaar}}_v{{versie}}.zip",
                "pdok_gpkg": f"{u}/pdokgpkg/wijkenbuurten_{{jaar}}.gpkg"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    replay: Replay

    def log_message(self, *args):
        pass

    # -- sending ----------------------------------------------------------------------------

    def send(self, body: bytes, ctype: str = "application/json", status: int = 200, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, doc, headers=None):
        self.send(json.dumps(doc).encode(), "application/json", 200, headers)

    def fault(self, path: str) -> bool:
        for prefix, queue in self.replay.faults.items():
            if path.startswith(prefix) and queue:
                kind, *args = queue.pop(0)
                if kind == "status":
                    self.send(b"<html>Service Unavailable</html>", "text/html", args[0])
                elif kind == "retry_after":
                    self.send(b"te veel verzoeken", "text/plain", args[0], {"Retry-After": str(args[1])})
                elif kind == "body":
                    self.send(args[0], args[1] if len(args) > 1 else "application/json")
                elif kind == "cut":
                    return self.serve_file(self.replay.world.lbm_zip if "lbm" in path else self.replay.world.wbk_zip, cut=True)
                return True
        return False

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = {k: v[0] for k, v in urllib.parse.parse_qs(url.query, keep_blank_values=True).items()}
        self.replay.log.append((self.command, url.path, {**q, **({"Range": self.headers["Range"]} if self.headers.get("Range") else {})}))
        if self.fault(url.path):
            return
        w = self.replay.world
        host = f"http://127.0.0.1:{self.server.server_address[1]}"
        if m := re.fullmatch(r"/ogc/(\d{4})/collections/buurten/items", url.path):
            return self.ogc(q, host, int(m[1]))
        if re.fullmatch(r"/wfs/\d{4}", url.path):
            return self.wfs(q)
        if m := re.fullmatch(r"/odata/(\w+)/(DataProperties|TypedDataSet)", url.path):
            if m[1] not in w.kerncijfers:
                return self.send(b'{"odata.error": {"message": {"value": "Table not found"}}}', status=404)
            return self.odata(m[1], m[2], q, host)
        if url.path == f"/lbm/{LBM_ZIP}":
            return self.serve_file(w.lbm_zip)
        if url.path == "/lbm/ows":
            return self.lbm_wfs(q)
        if m := re.fullmatch(r"/wbk/WijkBuurtkaart_(\d{4})_v(\d+)\.zip", url.path):
            if int(m[2]) == w.wbk_versie and w.wbk_zip:
                return self.serve_file(w.wbk_zip)
        self.send(b"Not Found", "text/plain", 404)

    def serve_file(self, data: bytes, cut: bool = False) -> bool:
        etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": "Mon, 02 Jun 2025 08:00:00 GMT", "Accept-Ranges": "bytes"}
        rng = re.match(r"bytes=(\d+)-(\d*)$", self.headers.get("Range", ""))
        partial = bool(rng) and self.headers.get("If-Range") in (None, etag)
        start, end = (int(rng[1]), min(int(rng[2] or len(data) - 1), len(data) - 1)) if partial else (0, len(data) - 1)
        if partial:
            headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
        body = data[start:end + 1]
        self.send_response(206 if partial else 200)
        self.send_header("Content-Type", "application/zip")
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command == "HEAD":
            return True
        if cut:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return True
        self.wfile.write(body)
        return True

    # -- services ----------------------------------------------------------------------------

    def _gdf(self, gemeente: str | None, rd: bool = True) -> gpd.GeoDataFrame:
        gdf = self.replay.world.buurten
        if gemeente:
            gdf = gdf[gdf["gemeentecode"] == gemeente]
        return gdf if rd else gdf.to_crs("OGC:CRS84")

    def ogc(self, q: dict, host: str, jaar: int):
        limit = min(int(q.get("limit", 10)), 1000)
        rd = q.get("crs") == "http://www.opengis.net/def/crs/EPSG/0/28992"
        gdf = self._gdf(q.get("gemeentecode"), rd)
        offset = int(base64.urlsafe_b64decode(q["cursor"]).decode().split("|")[0]) if q.get("cursor") else 0
        page = gdf.iloc[offset:offset + limit]
        doc = template("ogc_items.json")
        doc["features"] = json.loads(page.to_json(drop_id=True))["features"]
        doc["numberMatched"], doc["numberReturned"] = len(gdf), len(page)
        base = f"{host}/ogc/{jaar}/collections/buurten/items"
        keep = {k: v for k, v in q.items() if k != "cursor"}
        doc["links"] = [{"rel": "self", "type": "application/geo+json", "href": f"{base}?{urllib.parse.urlencode(q)}"}]
        if offset + limit < len(gdf):
            cursor = base64.urlsafe_b64encode(f"{offset + limit}|{jaar}".encode()).decode()
            doc["links"].append({"rel": "next", "type": "application/geo+json",
                                 "href": f"{base}?{urllib.parse.urlencode({**keep, 'cursor': cursor})}"})
        crs = "<http://www.opengis.net/def/crs/EPSG/0/28992>" if rd else "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"
        self.send(json.dumps(doc).encode(), "application/geo+json", 200, {"Content-Crs": crs})

    def wfs(self, q: dict):
        gemeente = re.search(r"<fes:Literal>(GM\d{4})</fes:Literal>", q.get("filter", ""))
        gdf = self._gdf(gemeente[1] if gemeente else None)
        start, count = int(q.get("startIndex", 0)), min(int(q.get("count", 1000)), 1000)
        page = gdf.iloc[start:start + count].rename(columns=camel)
        doc = template("wfs_getfeature.json")
        doc["features"] = json.loads(page.to_json(drop_id=True))["features"]
        doc["numberMatched"], doc["numberReturned"] = len(gdf), len(page)
        self.send_json(doc)

    def odata(self, tabel: str, what: str, q: dict, host: str):
        rows = self.replay.world.kerncijfers[tabel]
        keys = list(rows[0])
        if what == "DataProperties":
            doc = template("odata_dataproperties.json")
            doc["value"] = [{"Type": "GeoDimension" if k == "WijkenEnBuurten" else "Topic", "Key": k, "Title": k} for k in keys if k != "ID"]
            return self.send_json(doc)
        prefix = re.search(r"startswith\(WijkenEnBuurten,'(\w+)'\)", q.get("$filter", ""))
        sel = [k for k in q.get("$select", "").split(",") if k] or keys
        hits = [r for r in rows if not prefix or r["WijkenEnBuurten"].startswith(prefix[1])]
        top = int(q["$top"]) if "$top" in q else None
        skip = int(q.get("$skip", 0))
        size = self.replay.world.odata_page
        page = hits[skip:skip + min(size, top or size)]
        doc = template("odata_typeddataset.json")
        doc["odata.metadata"] = f"{host}/odata/{tabel}/$metadata#Cbs.OData.WebAPI.TypedDataSet"
        doc["value"] = [{"ID": r.get("ID")} | {k: r.get(k) for k in sel} for r in page]
        doc.pop("odata.nextLink")
        if top is None and skip + size < len(hits):
            nq = {k: v for k, v in q.items() if k != "$skip"} | {"$skip": skip + size}
            doc["odata.nextLink"] = f"{host}/odata/{tabel}/TypedDataSet?{urllib.parse.urlencode(nq)}"
        self.send_json(doc)

    def lbm_wfs(self, q: dict):
        m = re.fullmatch(r"lbm3:buurtscore(\d\d)", q.get("typeNames", q.get("typeName", "")))
        if not m:
            return self.send(b"<ows:ExceptionReport>unknown type</ows:ExceptionReport>", "text/xml", 400)
        like = re.search(r"<fes:Literal>(BU\w+)\*</fes:Literal>", q.get("filter", ""))
        lbm = self.replay.world.lbm
        rows = lbm[lbm["jaar"].astype(int) == 2000 + int(m[1])]
        if like:
            rows = rows[rows["bu_code"].str.startswith(like[1])]
        start, count = int(q.get("startIndex", 0)), int(q.get("count", 1000))
        page = rows.iloc[start:start + count]
        doc = template("lbm_wfs_getfeature.json")
        feats = []
        for n, r in enumerate(page.itertuples(index=False), start + 1):
            props = {"gemeente": "", "name": getattr(r, "bu_naam", ""), "id": r.bu_code, "scale": "buurt", "kscore": 5}
            props |= {s: (None if pd.isna(getattr(r, s)) else float(getattr(r, s))) for s in ("afw", "fys", "onv", "soc", "vrz", "won")}
            props["year"] = str(int(r.jaar))
            feats.append({"type": "Feature", "id": f"buurtscore{m[1]}.{n}", "geometry": None, "geometry_name": "geom", "properties": props})
        doc["features"] = feats
        doc["totalFeatures"] = doc["numberMatched"] = len(rows)
        doc["numberReturned"] = len(feats)
        self.send_json(doc)


def start(world: World) -> tuple[Replay, ThreadingHTTPServer]:
    replay = Replay(world)
    handler = type("BoundHandler", (Handler,), {"replay": replay})
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    replay.url = f"http://127.0.0.1:{srv.server_address[1]}"
    return replay, srv


# -- worlds ---------------------------------------------------------------------------------------

CODES = [f"BU0796{w:02d}{b:02d}" for w in (1, 2) for b in range(1, 4)]


def small_world() -> World:
    """Six buurten of GM0796 in two wijken, with attributes, a 2024 and a 2025 table, and scores."""
    geoms = [shapely.box(149_000 + 400 * i, 411_000, 149_400 + 400 * i, 411_400) for i in range(len(CODES))]
    buurten = gpd.GeoDataFrame({
        "buurtcode": CODES, "buurtnaam": [f"Buurt {c[-4:]}" for c in CODES], "wijkcode": ["WK" + c[2:8] for c in CODES],
        "wijknaam": [f"Wijk {c[6:8]}" for c in CODES], "gemeentecode": "GM0796", "gemeentenaam": "'s-Hertogenbosch",
        "water": "NEE", "jrstatcode": [f"2024{c}" for c in CODES], "jaar": 2024,
        "aantal_inwoners": [1000, 1500, -99997, 800, 900, 1200], "percentage_koopwoningen": [40, 50, 60, 30, 20, 70],
    }, geometry=geoms, crs="EPSG:28992")
    k2024 = [{"ID": i, "WijkenEnBuurten": f"{c}", "Gemeentenaam_1": "'s-Hertogenbosch".ljust(50), "SoortRegio_2": "Buurt     ",
              "Codering_3": c, "AantalInwoners_5": 1000 + i, "Bevolkingsdichtheid_34": 5000 - 300 * i} for i, c in enumerate(CODES)]
    k2024 += [{"ID": 90, "WijkenEnBuurten": "WK079601  ", "Gemeentenaam_1": "'s-Hertogenbosch", "SoortRegio_2": "Wijk      ",
               "Codering_3": "WK079601", "AantalInwoners_5": 9999, "Bevolkingsdichtheid_34": 1}]
    # 2025: the same stems under other suffixes, as every new table has them.
    k2025 = [{"ID": i, "WijkenEnBuurten": f"{c}", "Gemeentenaam_1": "'s-Hertogenbosch", "SoortRegio_2": "Buurt     ",
              "Codering_3": c, "AantalInwoners_6": 2000 + i, "Bevolkingsdichtheid_37": 6000 - 100 * i} for i, c in enumerate(CODES)]
    for rows in (k2024, k2025):
        for r in rows:
            r["WijkenEnBuurten"] = r["WijkenEnBuurten"].strip().ljust(10)
    lbm = pd.DataFrame([{"bu_code": c, "jaar": j, "lbm": 4.0 + i / 10, "afw": i / 10 - 0.2, "fys": 0.01, "onv": 0.02,
                         "soc": 0.03, "vrz": 0.04, "won": 0.05}
                        for i, c in enumerate(CODES[:5]) for j in (2020, 2022, 2024)]
                       + [{"bu_code": "BU03630101", "jaar": 2024, "lbm": 4.0, "afw": 0, "fys": 0, "onv": 0, "soc": 0, "vrz": 0, "won": 0}])
    return World(buurten, {"85984NED": k2024, "86165NED": k2025}, lbm)


def _typed(v):
    if v is None or (isinstance(v, float) and pd.isna(v)) or v == "":
        return None
    try:
        x = float(v)
    except ValueError:
        return v
    return int(x) if x.is_integer() and "." not in str(v) else x


def real_world(gm: Path) -> World:
    """'s-Hertogenbosch from ../shared/data: the 2022 boundaries, the 2024 Kerncijfers and the
    Leefbaarometer, as the services would answer them."""
    geo = gpd.read_file(gm / "cbsgebiedsindelingen_buurt_2022_GM0796.geojson").to_crs("EPSG:28992")
    kwb = pd.read_csv(gm / "kwb2024_85984NED_extract_GM0796.csv", dtype=str, keep_default_na=False)
    codes = geo["statcode"].str.strip()
    buurten = gpd.GeoDataFrame({
        "buurtcode": codes, "buurtnaam": geo["statnaam"], "wijkcode": "WK" + codes.str[2:8], "gemeentecode": "GM0796",
        "gemeentenaam": "'s-Hertogenbosch", "water": "NEE", "jrstatcode": geo["jrstatcode"],
    }, geometry=geo.geometry.to_numpy(), crs="EPSG:28992")
    rows = []
    for i, r in enumerate(kwb.to_dict("records")):
        rec = {"ID": i, **{k: _typed(v) for k, v in r.items()}}
        rec["WijkenEnBuurten"] = str(r["WijkenEnBuurten"]).ljust(10)
        rec["Gemeentenaam_1"] = r["Gemeentenaam_1"].ljust(50)
        rows.append(rec)
    lbm_text = (gm / "leefbaarometer3_buurten_GM0796_2018-2024.csv").read_text(encoding="utf-8")
    lbm = pd.read_csv(io.StringIO(lbm_text))
    return World(buurten, {"85984NED": rows}, lbm, lbm_zip=lbm_zip(lbm_text), odata_page=25)


def copy_world(world: World) -> World:
    return copy.deepcopy(world)
