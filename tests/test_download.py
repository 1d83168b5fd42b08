"""``download`` against a local server (127.0.0.1) that answers in each service's published shape:
paging, the cache with provenance, retries, resume, and the messages when something is off."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
import pytest

from bronnen_server import CODES, LBM_FOLDER, lbm_zip, small_world, start
from wijkprofielen.cli import main
from wijkprofielen.config import DOWNLOAD_ENV, ImportSettings, config_from_dict, load_config
from wijkprofielen.dataset import load_dataset
from wijkprofielen.errors import ConfigError, DataError
from wijkprofielen.importers import download as dl, pdok
from wijkprofielen.importers.cache import BronCache

ODATA_2024 = "/odata/85984NED/TypedDataSet"


@pytest.fixture()
def server(monkeypatch):
    replay, srv = start(small_world())
    for key, url in replay.urls().items():
        monkeypatch.setenv(DOWNLOAD_ENV[key], url)
    yield replay
    srv.shutdown()
    srv.server_close()


@pytest.fixture()
def settings():
    return load_config().imports


def test_download_via_cli_pages_every_service_and_records_provenance(server, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pdok, "PAGE", 4)  # two OGC pages; the OData server pages by 4 as well
    out, bronnen = tmp_path / "GM0796.parquet", tmp_path / "bronnen"
    assert main(["download", "--gemeente", "GM0796", "--jaar", "2024", "--out", str(out), "--bronmap", str(bronnen)]) == 0
    captured = capsys.readouterr()
    assert "Buurtgrenzen (PDOK)" in captured.err and "6/6" in captured.err  # tqdm: 6 of numberMatched 6
    assert "Leefbaarometer 3.0 (BZK) 2024: 5 gekoppeld, 1 ontbrekend" in captured.out
    ogc = server.requests_to("/ogc/")
    assert len(ogc) == 2 and "cursor" in ogc[1][2] and ogc[1][2]["crs"].endswith("EPSG/0/28992")
    assert ogc[0][2]["gemeentecode"] == "GM0796" and ogc[0][2]["limit"] == "4"
    odata = server.requests_to(ODATA_2024)
    assert len(odata) == 2 and "$skip" in odata[1][2]
    assert set(odata[0][2]["$select"].split(",")) >= {"WijkenEnBuurten", "AantalInwoners_5", "Bevolkingsdichtheid_34", "Codering_3"}
    ds = load_dataset(out)
    assert ds.codes == CODES
    # OGC attributes come first (-99997 is missing there), the OData table fills the gap.
    assert ds.waarden[("inwoners", 2024)].tolist() == [1000, 1500, 1002, 800, 900, 1200]
    assert ds.waarden[("bevolkingsdichtheid", 2024)].tolist() == [5000, 4700, 4400, 4100, 3800, 3500]
    assert ds.waarden[("lbm_afw", 2022)].round(3).tolist()[:5] == [-0.2, -0.1, 0.0, 0.1, 0.2]
    herkomst = {h["soort"]: h for h in ds.meta["herkomst"]}
    # The 2024 Kerncijfers have no income: the SES-WOA table of the indeling was fetched too.
    assert set(herkomst) == {"buurten", "kerncijfers", "inkomen_ses", "leefbaarometer"}
    zip_rec = herkomst["leefbaarometer"]
    assert zip_rec["url"].endswith("open-data-leefbaarometer-meting-2024.zip") and zip_rec["etag"] and zip_rec["last_modified"]
    assert zip_rec["licentie"].startswith("CC0") and len(zip_rec["sha256"]) == 64
    assert herkomst["kerncijfers"]["tabel"] == "85984NED"
    index = json.loads((bronnen / "bronnen.json").read_text())["bestanden"]
    assert sorted(index) == sorted(p.name for p in bronnen.iterdir() if p.name != "bronnen.json")
    assert not [p for p in bronnen.iterdir() if p.name.startswith(".")]  # no temporary files left

    # A second run takes every file from the cache; --vernieuw fetches again.
    n = len(server.log)
    assert main(["download", "--gemeente", "GM0796", "--jaar", "2024", "--out", str(out), "--bronmap", str(bronnen)]) == 0
    assert len(server.log) == n and "uit de cache" in capsys.readouterr().err
    assert main(["download", "--gemeente", "GM0796", "--jaar", "2024", "--out", str(out), "--bronmap", str(bronnen),
                 "--bronnen", "pdok", "--vernieuw"]) == 0
    assert len(server.log) == n + 2


def test_a_503_then_success_and_a_429_with_retry_after_are_retried(server, settings, tmp_path):
    server.faults = {"/ogc/": [("status", 503)], ODATA_2024: [("retry_after", 429, 1)]}
    t0 = time.perf_counter()
    got = dl.fetch_gemeente(settings, "GM0796", 2024, "pdok,cbs", folder=tmp_path)
    assert time.perf_counter() - t0 >= 0.9  # Retry-After: 1 was honoured
    assert len(server.requests_to("/ogc/")) == 2 and len(server.requests_to(ODATA_2024)) == 3  # 429, page 1, page 2
    assert set(got.bestanden) == {"buurten", "kerncijfers", "inkomen_ses"}


def test_a_service_that_stays_down_names_itself_and_the_way_by_hand(server, settings, tmp_path):
    server.faults = {"/ogc/": [("status", 503)] * 10}
    with pytest.raises(DataError) as exc:
        dl.fetch_gemeente(settings, "GM0796", 2024, "pdok", folder=tmp_path)
    msg = str(exc.value)
    assert msg.startswith("PDOK OGC API wijken en buurten:") and "HTTP 503" in msg and "na 4 pogingen" in msg
    assert "import --buurten BESTAND" in msg
    assert list(tmp_path.iterdir()) == []


def test_a_connection_cut_halfway_through_the_zip_is_resumed_with_range(server, settings, tmp_path):
    server.world.lbm_zip = big_zip(server.world.lbm_zip)
    server.faults = {"/lbm/open-data": [("cut",)]}
    got = dl.fetch_gemeente(settings, "GM0796", 2024, "pdok,lbm", folder=tmp_path)
    calls = server.requests_to("/lbm/open-data")
    assert len(calls) == 2 and calls[1][2]["Range"].startswith("bytes=") and calls[1][2]["Range"] != "bytes=0-"
    assert got.bestanden["leefbaarometer"].read_bytes() == server.world.lbm_zip
    rec = BronCache(tmp_path).lookup(got.bestanden["leefbaarometer"].name)
    assert rec is not None and rec["grootte"] == len(server.world.lbm_zip)


def big_zip(data: bytes) -> bytes:
    """The zip with a large incompressible member, so a cut halfway falls after many chunks."""
    import io
    import zipfile

    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_STORED) as zf:
        zf.writestr(f"{LBM_FOLDER}/Leefbaarometer-scores grid 2024.bin", np.random.default_rng(1).bytes(600_000))
    return buf.getvalue()


def test_cuts_beyond_the_attempts_leave_no_partial_file(server, settings, tmp_path):
    server.faults = {"/lbm/open-data": [("cut",)] * 10}
    with pytest.raises(DataError, match="Leefbaarometer 3.0 open data \\(zip\\): de verbinding .* werd 4 keer verbroken"):
        dl.fetch_gemeente(settings, "GM0796", 2024, "pdok,lbm", folder=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bronnen.json", "buurten_GM0796_2024.geojson"]


def test_a_renamed_column_suffix_is_resolved_from_dataproperties(server, settings, tmp_path):
    ds, _ = dl.download_gemeente(settings, "GM0796", 2025, "pdok,cbs", folder=tmp_path)
    sel = server.requests_to("/odata/86165NED/TypedDataSet")[0][2]["$select"].split(",")
    assert "AantalInwoners_6" in sel and "Bevolkingsdichtheid_37" in sel
    assert ds.waarden[("bevolkingsdichtheid", 2025)].tolist() == [6000, 5900, 5800, 5700, 5600, 5500]


def test_a_year_without_a_known_table_names_the_known_years_and_tabel(server, settings, tmp_path):
    with pytest.raises(DataError) as exc:
        dl.fetch_gemeente(settings, "GM0796", 2031, folder=tmp_path)
    assert "2024 (85984NED)" in str(exc.value) and "--tabel" in str(exc.value)
    assert server.log == []  # nothing was fetched
    server.world.kerncijfers["87000NED"] = server.world.kerncijfers["86165NED"]
    got = dl.fetch_gemeente(settings, "GM0796", 2031, "pdok,cbs", folder=tmp_path, tabel="87000ned")
    assert got.herkomst[1]["tabel"] == "87000NED"


def test_a_zip_without_the_expected_csv_says_what_it_holds(server, settings, tmp_path):
    server.world.lbm_zip = lbm_zip("x\n", member=f"{LBM_FOLDER}/Leefbaarometer-scores gemeenten 2002-2024.csv")
    with pytest.raises(DataError) as exc:
        dl.download_gemeente(settings, "GM0796", 2024, "pdok,lbm", folder=tmp_path)
    msg = str(exc.value)
    assert "geen CSV met de Leefbaarometer-scores per buurt" in msg and "scores gemeenten" in msg and "--leefbaarometer" in msg


@pytest.mark.parametrize(("fault", "expected"), [
    (("body", b"<html><body>Onderhoud</body></html>", "text/html"), "geen JSON maar text/html, beginnend met '<html>"),
    (("body", json.dumps({"type": "Feature", "properties": {}}).encode()), "verwacht een GeoJSON FeatureCollection"),
    (("body", json.dumps({"type": "FeatureCollection", "features": [{"properties": {"statcode": "BU07960101"}}]}).encode()),
     "geen eigenschap 'buurtcode' (wel: statcode)"),
])
def test_an_answer_in_the_wrong_shape_is_named(server, settings, tmp_path, fault, expected):
    server.faults = {"/ogc/": [fault]}
    with pytest.raises(DataError) as exc:
        dl.fetch_gemeente(settings, "GM0796", 2024, "pdok", folder=tmp_path)
    msg = str(exc.value)
    assert expected in msg and "onverwachte vorm" in msg and "bronnen controleer" in msg and "import --buurten" in msg
    assert list(tmp_path.iterdir()) == []


def test_unreachable_service(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("WIJKPROFIELEN_DOWNLOAD_PDOK_OGC", "http://127.0.0.1:9/ogc/{jaar}")  # nothing listens
    with pytest.raises(DataError, match="PDOK OGC API wijken en buurten: .* is niet bereikbaar"):
        dl.fetch_gemeente(settings, "GM0796", 2024, "pdok", folder=tmp_path)


def test_older_years_come_from_the_wfs_and_the_leefbaarometer_from_its_wfs(server, settings, tmp_path):
    ds, _ = dl.download_gemeente(settings, "GM0796", 2022, "pdok,lbm-wfs", folder=tmp_path)
    wfs = server.requests_to("/wfs/2022")
    assert wfs and "GM0796" in wfs[0][2]["filter"] and wfs[0][2]["typeNames"] == "wijkenbuurten:buurten"
    assert sorted(q["typeNames"] for _, p, q in server.requests_to("/lbm/ows")) == [f"lbm3:buurtscore{y}" for y in (20, 22, 24)]
    assert ds.waarden[("inwoners", 2024)].tolist()[:2] == [1000, 1500]  # camelCase aantalInwoners
    assert ds.waarden[("lbm_afw", 2024)].round(2).tolist()[:5] == [-0.2, -0.1, 0.0, 0.1, 0.2]
    assert ("lbm_score", 2024) not in ds.waarden.columns and ("lbm_score", 2022) not in ds.waarden.columns  # the WFS has no lbm total


def test_bronnen_option_and_gemeente_are_checked(settings, tmp_path):
    with pytest.raises(DataError, match="'osm' is onbekend"):
        dl.fetch_gemeente(settings, "GM0796", 2024, "pdok,osm", folder=tmp_path)
    with pytest.raises(DataError, match="'pdok' is nodig"):
        dl.fetch_gemeente(settings, "GM0796", 2024, "cbs", folder=tmp_path)
    assert main(["download", "--jaar", "2024"]) == 2


def test_download_keys_environment_and_the_old_key(monkeypatch):
    assert DOWNLOAD_ENV["pdok_ogc"] == "WIJKPROFIELEN_DOWNLOAD_PDOK_OGC"
    assert set(DOWNLOAD_ENV) == {"pdok_ogc", "pdok_wfs", "cbs_odata", "leefbaarometer_zip", "leefbaarometer_wfs",
                                 "wijkbuurtkaart", "pdok_gpkg"}
    monkeypatch.setenv("WIJKPROFIELEN_DOWNLOAD_CBS_ODATA", "http://127.0.0.1:1/feed/")
    assert ImportSettings().url("cbs_odata") == "http://127.0.0.1:1/feed"
    base = {k: v for k, v in load_config().raw.items() if k != "download"}
    with pytest.raises(ConfigError, match="download.leefbaarometer_csv bestaat niet meer.*download.leefbaarometer_zip"):
        config_from_dict(base | {"download": {"leefbaarometer_csv": "https://example.org/x.csv"}})
    with pytest.raises(ConfigError, match="ODataApi van CBS, die hoogstens 10.000 cellen"):
        config_from_dict(base | {"download": {"cbs_odata": "https://opendata.cbs.nl/ODataApi/odata"}})


def test_the_shipped_gemeenten_list():
    rows = dl.gemeenten()
    assert len(rows) == 342 and ("GM0796", "'s-Hertogenbosch") in rows and ("GM1992", "Voorne aan Zee") in rows
    assert len({c for c, _ in rows}) == 342


@pytest.fixture()
def real_server(shared_data, monkeypatch):
    from bronnen_server import real_world

    replay, srv = start(real_world(shared_data / "GM0796"))
    for key, url in replay.urls().items():
        monkeypatch.setenv(DOWNLOAD_ENV[key], url)
    yield replay, shared_data / "GM0796"
    srv.shutdown()
    srv.server_close()


def test_s_hertogenbosch_download_equals_import_of_the_same_files(real_server, tmp_path):
    _, gm = real_server
    out_dl, out_imp = tmp_path / "dl.parquet", tmp_path / "imp.parquet"
    assert main(["download", "--gemeente", "GM0796", "--jaar", "2024", "--out", str(out_dl), "--bronmap", str(tmp_path / "b")]) == 0
    assert main(["import", "--gemeente", "GM0796", "--buurten", str(gm / "cbsgebiedsindelingen_buurt_2022_GM0796.geojson"),
                 "--kerncijfers", str(gm / "kwb2024_85984NED_extract_GM0796.csv"),
                 "--leefbaarometer", str(gm / "leefbaarometer3_buurten_GM0796_2018-2024.csv"), "--out", str(out_imp)]) == 0
    a, b = load_dataset(out_dl), load_dataset(out_imp)
    assert a.codes == b.codes and len(a.codes) > 100
    assert sorted(a.waarden.columns) == sorted(b.waarden.columns)
    pd.testing.assert_frame_equal(a.waarden[sorted(b.waarden.columns)], b.waarden[sorted(b.waarden.columns)], check_exact=False, rtol=1e-12)
    assert np.isfinite(a.waarden[("lbm_afw", 2024)]).sum() > 100


def test_bronnen_controleer_reports_each_source(server, capsys):
    server.world.wbk_zip = server.world.lbm_zip  # any zip: only its presence is asked
    assert main(["bronnen", "controleer", "--json"]) == 0
    rows = {r["bron"]: r for r in json.loads(capsys.readouterr().out)}
    assert len(rows) == 6 and {r["status"] for r in rows.values()} == {"in orde"}
    assert "rel=next" in rows["PDOK OGC API wijken en buurten"]["toelichting"]
    assert "aangevuld tot 10 tekens" in rows["CBS StatLine OData-feed"]["toelichting"]
    assert "hervatten met Range kan" in rows["Leefbaarometer 3.0 open data (zip)"]["toelichting"]
    assert "geen lbm-totaal" in rows["Leefbaarometer 3.0 WFS"]["toelichting"]
    assert "versie 2 van 2024" in rows["CBS wijk- en buurtkaart"]["toelichting"]
    # A changed service: the OGC page lost its next link, and the WFS is down.
    page = json.loads((server_templates() / "ogc_items.json").read_text())
    page["links"] = page["links"][:1]
    server.faults = {"/ogc/": [("body", json.dumps(page).encode(), "application/geo+json")], "/wfs/": [("status", 503)] * 10}
    assert main(["bronnen", "controleer"]) == 1
    out = capsys.readouterr().out
    assert "afwijkend  PDOK OGC API wijken en buurten: geen link rel=next" in out
    assert "niet bereikbaar  PDOK WFS wijken en buurten" in out and "HTTP 503" in out


def server_templates():
    from bronnen_server import TEMPLATES

    return TEMPLATES


def test_ses_woa_income_per_wijk_en_buurt_fills_what_the_kerncijfers_leave_empty(server, settings, tmp_path):
    ds, rapport = dl.download_gemeente(settings, "GM0796", 2024, "pdok,cbs,ses", folder=tmp_path)
    calls = server.requests_to("/odata/86092NED/TypedDataSet")
    q = calls[0][2]
    assert len(calls) == 2 and "$skip" in calls[1][2]  # 8 rows of GM0796, pages of 4
    assert "startswith(WijkenEnBuurten,'BU0796') or startswith(WijkenEnBuurten,'WK0796')" in q["$filter"]
    assert "Marges eq 'MW00000'" in q["$filter"]
    assert set(q["$select"].split(",")) == {"WijkenEnBuurten", "Perioden", "Marges", "GemiddeldGestandaardiseerdInkomenVanHuishoudens_3",
                                            "HuishoudensMetEenLaagInkomen_4", "k_20HuishoudensMetHoogsteInkomen_5"}
    inkomen = ds.waarden[("gem_gestandaardiseerd_inkomen", 2024)]
    assert inkomen.round(1).tolist()[:2] == [30.0, 31.0] and np.isnan(inkomen["BU07960203"])  # the margin row is not taken
    assert ds.redenen[("gem_gestandaardiseerd_inkomen", 2024)]["BU07960203"].startswith("onderdrukt")
    assert ds.waarden[("pct_laag_inkomen", 2024)].tolist()[:2] == [5.0, 6.0]
    meta = ds.indicatoren["gem_gestandaardiseerd_inkomen"]
    assert meta.bron_in(2024) == "CBS SES-WOA (tabel 86092NED)" and meta.niveau_in(2024) == "buurt"
    assert meta.label == "Gemiddeld gestandaardiseerd inkomen van huishoudens" and meta.eenheid == "× € 1.000"
    # No buurt has the share of the highest incomes: the wijk figure, marked as such.
    hoog = ds.waarden[("pct_hoogste_20_inkomen", 2024)]
    assert hoog.tolist() == [26.0] * 3 + [27.0] * 3
    assert ds.indicatoren["pct_hoogste_20_inkomen"].niveau_in(2024) == "wijk"
    assert any(b["bron"] == "CBS SES-WOA (tabel 86092NED)" and b["niveau"] == "wijk" for b in rapport.bronnen)
    rec = next(h for h in ds.meta["herkomst"] if h["soort"] == "inkomen_ses")
    assert rec["tabel"] == "86092NED" and "/odata/86092NED/TypedDataSet" in rec["url"]
    assert meta.bronjaar_in(2024) == 2022  # indeling 2024, figures of 2022 (Perioden 2022JJ00)


def test_ses_woa_is_fetched_by_default_only_when_the_kerncijfers_have_no_income(server, settings, tmp_path):
    got = dl.fetch_gemeente(settings, "GM0796", 2024, "pdok,cbs", folder=tmp_path)
    assert "inkomen_ses" in got.bestanden
    for r in server.world.kerncijfers["85984NED"]:
        r["HuishoudensMetEenLaagInkomen_70"] = 7.0
    got = dl.fetch_gemeente(settings, "GM0796", 2024, "pdok,cbs", folder=tmp_path / "met", vernieuw=True)
    assert "inkomen_ses" not in got.bestanden
    # Not asked for and not available: the download goes on and says why the income is missing.
    del server.world.kerncijfers["86092NED"]
    for r in server.world.kerncijfers["85984NED"]:
        del r["HuishoudensMetEenLaagInkomen_70"]
    ds, rapport = dl.download_gemeente(settings, "GM0796", 2024, "pdok,cbs", folder=tmp_path / "zonder")
    assert ("pct_laag_inkomen", 2024) not in ds.waarden.columns
    assert any("SES-WOA, tabel 86092NED" in m for m in rapport.meldingen)


def test_ses_woa_for_a_year_without_a_known_table_names_the_tables_and_the_option(server, settings, tmp_path):
    with pytest.raises(DataError) as exc:
        dl.fetch_gemeente(settings, "GM0796", 2025, "pdok,ses", folder=tmp_path)
    msg = str(exc.value)
    assert "geen SES-WOA-tabel" in msg and "2023 (85900NED)" in msg and "2024 (86092NED)" in msg and "--ses-tabel" in msg
    assert server.log == []
    got = dl.fetch_gemeente(settings, "GM0796", 2025, "pdok,ses", folder=tmp_path, ses_tabel="86092ned")
    assert got.herkomst[-1]["tabel"] == "86092NED"
    with pytest.raises(DataError, match="vijf cijfers en NED"):
        dl.fetch_gemeente(settings, "GM0796", 2025, "pdok,ses", folder=tmp_path, ses_tabel="86092")


def test_ses_via_cli(server, tmp_path):
    out = tmp_path / "GM0796.parquet"
    assert main(["download", "--gemeente", "GM0796", "--jaar", "2025", "--bronnen", "pdok,ses", "--ses-tabel", "86092NED",
                 "--out", str(out), "--bronmap", str(tmp_path / "b")]) == 0
    assert load_dataset(out).waarden[("pct_laag_inkomen", 2025)].notna().sum() == 5
