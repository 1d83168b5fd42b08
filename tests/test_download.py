"""The real download code against a local HTTP server (127.0.0.1) that serves payloads in the
formats of PDOK WFS (GeoJSON, paged), CBS OData (``odata.nextLink``) and the Leefbaarometer CSV."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import geopandas as gpd
import pytest
import shapely

from wijkprofielen.cli import main
from wijkprofielen.dataset import load_dataset
from wijkprofielen.errors import DataError
from wijkprofielen.importers import download as dl
from wijkprofielen.config import ImportSettings

CODES = [f"BU0796{w:02d}{b:02d}" for w in (1, 2) for b in range(1, 4)]  # 6 buurten in 2 wijken


def features() -> list[dict]:
    geoms = [shapely.box(149_000 + 400 * i, 411_000, 149_400 + 400 * i, 411_400) for i in range(len(CODES))]
    gdf = gpd.GeoDataFrame({"buurtcode": CODES, "buurtnaam": [f"Buurt {c[-4:]}" for c in CODES], "wijkcode": ["WK0796" + c[6:8] for c in CODES],
                            "gemeentecode": "GM0796", "gemeentenaam": "'s-Hertogenbosch", "jaarstatcode": [f"2024{c}" for c in CODES],
                            "aantalInwoners": [1000, 1500, -99997, 800, 900, 1200], "percentageKoopwoningen": [40, 50, 60, 30, 20, 70]},
                           geometry=geoms, crs="EPSG:28992")
    return json.loads(gdf.to_json())["features"]


LBM = "bu_code,bu_naam,jaar,lbm,afw,fys,onv,soc,vrz,won\n" + "".join(
    f"\"{c}\",x,2024,4.{i},0.{i},0.01,0.02,0.03,0.04,0.0{i}\n" for i, c in enumerate(CODES[:5])) + "BU03630101,elders,2024,4,0,0,0,0,0,0\n"


class Handler(BaseHTTPRequestHandler):
    requests: list[str] = []

    def log_message(self, *args):  # keep test output clean
        pass

    def send(self, body: bytes, ctype: str = "application/json", status: int = 200):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(url.query)
        Handler.requests.append(self.path)
        host = f"http://127.0.0.1:{self.server.server_address[1]}"
        if url.path == "/wfs/2024":
            assert "GM0796" in q["filter"][0]
            start, count = int(q["startIndex"][0]), int(q["count"][0])
            page = features()[start:start + count]
            self.send(json.dumps({"type": "FeatureCollection", "numberMatched": len(CODES), "numberReturned": len(page), "features": page}).encode())
        elif url.path == "/odata/85984NED/TypedDataSet":
            rows = [{"ID": i, "WijkenEnBuurten": f"{c}  ", "SoortRegio_2": "Buurt     ", "Codering_3": f"{c}  ",
                     "AantalInwoners_5": 1000 + i, "Bevolkingsdichtheid_34": 5000 - 300 * i} for i, c in enumerate(CODES)]
            if "skip" not in q:
                body = {"odata.metadata": f"{host}/odata/85984NED/$metadata", "value": rows[:4],
                        "odata.nextLink": f"{host}/odata/85984NED/TypedDataSet?skip=4"}
            else:
                body = {"odata.metadata": f"{host}/odata/85984NED/$metadata", "value": rows[4:]}
            self.send(json.dumps(body).encode())
        elif url.path == "/lbm.csv":
            self.send(LBM.encode("utf-8"), "text/csv")
        elif url.path == "/traag":
            time.sleep(1.5)
            self.send(b"{}")
        elif url.path == "/half.csv":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"bu_code,jaar\n")  # then close: the body is cut short
        else:
            self.send(b"niet gevonden", "text/plain", 404)


@pytest.fixture(scope="module")
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def settings_for(base: str, **over) -> ImportSettings:
    urls = {"pdok_wfs": f"{base}/wfs/{{jaar}}", "cbs_odata": f"{base}/odata", "leefbaarometer_csv": f"{base}/lbm.csv", "timeout_s": 1.0}
    return ImportSettings(download={**ImportSettings().download, **urls, **over})


def test_download_and_import_via_cli(server, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(dl, "PAGE", 4)  # force two WFS pages
    monkeypatch.setenv("WIJKPROFIELEN_PDOK_WFS", f"{server}/wfs/{{jaar}}")
    monkeypatch.setenv("WIJKPROFIELEN_CBS_ODATA", f"{server}/odata")
    monkeypatch.setenv("WIJKPROFIELEN_LBM_CSV", f"{server}/lbm.csv")
    out, bronnen = tmp_path / "GM0796.parquet", tmp_path / "bronnen"
    assert main(["download", "--gemeente", "GM0796", "--jaar", "2024", "--out", str(out), "--bronmap", str(bronnen)]) == 0
    captured = capsys.readouterr()
    assert "Buurtgrenzen (PDOK WFS) [########################] 100% 6 buurten" in captured.err
    assert "Kerncijfers (CBS OData)" in captured.err and "6 rijen uit 85984NED" in captured.err
    assert "Leefbaarometer 3.0 (BZK) 2024: 5 gekoppeld, 1 ontbrekend" in captured.out
    ds = load_dataset(out)
    assert ds.codes == CODES
    # Same indicator and year from WFS attributes and OData: the first source wins, the second fills its gaps.
    assert ds.waarden[("inwoners", 2024)].tolist() == [1000, 1500, 1002, 800, 900, 1200]
    assert ds.waarden[("bevolkingsdichtheid", 2024)].tolist() == [5000, 4700, 4400, 4100, 3800, 3500]
    assert sorted(p.name for p in bronnen.iterdir()) == ["buurten_GM0796_2024.geojson", "kerncijfers_85984NED_GM0796.json", "leefbaarometer3_GM0796.csv"]
    assert "BU0363" not in (bronnen / "leefbaarometer3_GM0796.csv").read_text()


@pytest.mark.parametrize(("over", "expected"), [
    ({"leefbaarometer_csv": "/traag"}, "geen antwoord binnen 1 s"),
    ({"leefbaarometer_csv": "/bestaat-niet.csv"}, "HTTP 404"),
    ({"leefbaarometer_csv": "/half.csv"}, "verbinding"),
])
def test_errors_leave_no_partial_files(server, tmp_path, over, expected):
    s = settings_for(server, **{k: server + v for k, v in over.items()})
    with pytest.raises(DataError, match=expected):
        dl.download_leefbaarometer(s, "GM0796", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_unreachable_server_and_unknown_year(tmp_path):
    s = settings_for("http://127.0.0.1:9")  # discard port: nothing listens
    with pytest.raises(DataError, match="niet bereikbaar"):
        dl.download_boundaries(s, "GM0796", 2024, tmp_path)
    with pytest.raises(DataError, match="--jaar 2012: geen Kerncijfers-tabel bekend"):
        dl.download_kerncijfers(s, "GM0796", 2012, tmp_path)
    assert list(tmp_path.iterdir()) == []
