"""The import pipeline on the real 's-Hertogenbosch files in ../shared/data (skipped where absent).

Expected counts are computed from the raw files with the standard library, and checked
against the published numbers.
"""

from __future__ import annotations

import csv
import json

import pytest
import shapely

from wijkprofielen.cli import main
from wijkprofielen.config import load_config
from wijkprofielen.dataset import load_dataset
from wijkprofielen.peers import candidates_of, column_weights, peers_brute_force
from wijkprofielen.profiel import indicator_table, kerncijfers, score_basis
from wijkprofielen.scoring import score
from wijkprofielen.workspace import Workspace

from conftest import gm0796_files

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def files(shared_data):
    return gm0796_files(shared_data)


@pytest.fixture(scope="module")
def imported(gm0796):
    return gm0796


@pytest.fixture(scope="module")
def raw(files):
    """Expected sets straight from the raw files."""
    feats = json.loads(files["buurten"].read_text(encoding="utf-8"))["features"]
    grens = {f["properties"]["statcode"] for f in feats if f["properties"]["statcode"].startswith("BU0796")}
    with open(files["lbm"], encoding="utf-8") as fh:
        lbm24 = {r["bu_code"] for r in csv.DictReader(fh) if r["jaar"] == "2024"}
    with open(files["kwb2024"], encoding="utf-8") as fh:
        kwb = {r["Codering_3"].strip() for r in csv.DictReader(fh) if r["Codering_3"].startswith("BU0796")}
    return grens, lbm24, kwb


def _bron(rapport, bron_start, jaar):
    return next(b for b in rapport.bronnen if b["bron"].startswith(bron_start) and b["jaar"] == jaar)


def test_counts_match_the_raw_files(imported, raw):
    ds, rapport = imported
    grens, lbm24, kwb = raw
    assert rapport.buurten == len(grens) == len(ds.codes) == 107
    assert rapport.wijken == 14
    lbm = _bron(rapport, "Leefbaarometer", 2024)
    assert lbm["gekoppeld"] == len(lbm24 & grens) == 103
    assert lbm["extra"] == sorted(lbm24 - grens) == ["BU07960708"]
    k = _bron(rapport, "CBS Kerncijfers", 2024)
    assert k["gekoppeld"] == len(kwb & grens) == 101
    assert len(k["ontbrekend"]) == 6 and set(k["ontbrekend"]) == grens - kwb
    assert k["extra"] == ["BU07960708"]
    # Extra codes are flagged, never joined.
    assert "BU07960708" not in ds.codes


def test_the_national_recipe_places_every_buurt_with_enough_inhabitants(imported):
    ds, _ = imported
    cfg = load_config()
    result = score(ds.frame(), cfg.with_recept("landelijk").recipe)
    k = result.scores["kwadrant"]
    # 107 buurten: 13 below 100 inhabitants, 6 without a Kerncijfers row. Of the others, only buurten under
    # 200 inhabitants (their crime rate is missing: rates need 200) can fall below the minimum coverage.
    assert (k == "te_weinig_inwoners").sum() == 13 and (k == "geen_inwonersaantal").sum() == 6
    thin = k.index[k == "onvoldoende_data"]
    inwoners = ds.frame().set_index("buurtcode")["inwoners"]
    assert len(thin) <= 10 and (inwoners.reindex(thin) < 200).all()
    assert result.geplaatst().sum() == len(k) - 19 - len(thin)
    # Without local data the physical axis rests on what exists: density and Leefbaarometer won/fys.
    assert set(result.gebruikte_kolommen("fysieke_kansen")) == {"bevolkingsdichtheid", "lbm_won", "lbm_fys"}
    assert result.recept_dekking["fysieke_kansen"] == pytest.approx(2.5 / 4)
    # The full recipe cannot score the physical axis without local data: coverage against the whole recipe.
    full = score(ds.frame(), cfg.with_recept("volledig").recipe)
    assert full.recept_dekking["fysieke_kansen"] == pytest.approx(2.0 / 6.25)
    assert full.scores["fysieke_kansen"].isna().all() and not full.geplaatst().any()


def test_missing_rows_keep_a_reason_and_wijk_income_is_marked(imported):
    ds, _ = imported
    assert ds.reden("inwoners", 2024, "BU07960201") == "niet in bron (CBS Kerncijfers wijken en buurten 2024)"
    # De Lanen has no buurt figure of its own: wijk De Groote Wielen's 2020 income, marked as such.
    table = indicator_table(ds, "BU07960707").set_index("kolom")
    assert table.loc["gem_inkomen_per_inwoner", "indicator"].endswith("(wijkcijfer)")
    assert table.loc["gem_inkomen_per_inwoner", "waarde"] == pytest.approx(32.9)
    assert table.loc["gem_inkomen_per_inwoner", "jaar"] == 2020 and table.loc["gem_inkomen_per_inwoner", "niveau"] == "wijk"
    # Binnenstad-Centrum keeps its own figure of the 2017 table (income of 2014) before the 2020 wijk figure.
    own = indicator_table(ds, "BU07960101").set_index("kolom").loc["gem_inkomen_per_inwoner"]
    assert own["waarde"] == pytest.approx(37.0) and own["niveau"] == "buurt" and own["jaar"] == 2014
    assert "tabel 2017" in own["bron"]
    assert ds.indicatoren["pct_sociaal_minimum"].niveau_in(2017) == "buurt"
    assert ds.gebieden.set_index("buurtcode").loc["BU07960101", "wijknaam"] == "Binnenstad"
    assert ds.gebieden["gemeentenaam"].unique().tolist() == ["'s-Hertogenbosch"]
    result = score(ds.frame(), load_config().recipe)
    assert "Gemiddeld inkomen per inwoner (2014)" in score_basis(result, ds, "BU07960101", "draagkracht")["gebruikt"]
    assert "Gemiddeld inkomen per inwoner (2020, wijkcijfer)" in score_basis(result, ds, "BU07960707", "draagkracht")["gebruikt"]


def test_paleiskwartier_keeps_its_own_income(imported):
    ds, _ = imported
    frame = ds.frame().set_index("buurtcode")
    assert frame.at["BU07961102", "gem_inkomen_per_inwoner"] == pytest.approx(42.3)  # not wijk West's 27.3
    assert frame.at["BU07961101", "gem_inkomen_per_inwoner"] == pytest.approx(22.9)  # Boschveld, own figure too
    # Every buurt without a usable own figure shows its wijk's 2020 figure, never an empty cell.
    chosen = ds.keuze()["gem_inkomen_per_inwoner"]
    assert set(chosen.unique()) == {2017, 2020}
    assert frame.loc[chosen.index[chosen == 2020], "gem_inkomen_per_inwoner"].notna().all()


def test_boundary_changes_are_flagged_per_buurt(imported):
    """The audit's finding: Vughterpoort and De Watertuinen covered another area in 2017 than in 2024."""
    ds, rapport = imported
    changed = ds.grenswijziging(2017)
    assert changed["BU07960106"] == pytest.approx(-0.157, abs=0.005)  # Vughterpoort: 2017 area 16% smaller
    assert changed["BU07960705"] == pytest.approx(0.179, abs=0.005)  # De Watertuinen: 2024 area 15% smaller than 2017
    assert set(changed) == {"BU07960106", "BU07960705", "BU07961104"}  # Deuteren +6%, beyond rounding too
    assert ds.grenswijziging(2024) == {} and rapport.grens_referentiejaar == 2024
    row = kerncijfers(ds, "BU07960106").set_index("kolom").loc["gem_inkomen_per_inwoner"]
    assert "andere_grenzen" in row["badge"].split(", ")
    assert "andere_grenzen" not in kerncijfers(ds, "BU07961102").set_index("kolom").loc["gem_inkomen_per_inwoner", "badge"]


def test_crime_rates_need_enough_inhabitants(imported):
    ds, rapport = imported
    rates = ds.waarden[("misdrijven_per_1000", 2024)]
    inw = ds.waarden[("inwoners", 2024)]
    assert rates[inw < 200].isna().all() and rates[inw >= 200].notna().sum() > 70
    assert rates.max() < 1100  # was 13.400 per 1.000 for De Rietvelden-West (20 inhabitants); now Orthenpoort, 665
    assert "te weinig inwoners voor een betrouwbaar cijfer" in ds.reden("misdrijven_per_1000", 2024, "BU07960204")
    assert ds.indicatoren["misdrijven_per_1000"].bron == "Politie, geregistreerde misdrijven via CBS"


def test_metadata_and_web_geometry(imported, files):
    ds, _ = imported
    assert ds.meta["attributie"].startswith("Bronnen: CBS / Kadaster")
    bestanden = {b["bestand"]: b for b in ds.meta["bronnen"]}
    assert set(bestanden) == {p.name for p in files.values()}
    assert all(len(b["sha256"]) == 64 for b in bestanden.values())
    web = ds.gebieden["geometry_web"]
    assert web.crs.to_epsg() == 4326 and web.is_valid.all()
    assert bool(shapely.coverage_is_valid(ds.gebieden.geometry.values))


def test_cli_import_writes_dataset_and_report(files, tmp_path, capsys):
    out, rap = tmp_path / "GM0796.parquet", tmp_path / "rapport.json"
    code = main(["import", "--gemeente", "GM0796", "--buurten", str(files["buurten"]),
                 "--kerncijfers", str(files["kwb2024"]), "--leefbaarometer", str(files["lbm"]),
                 "--inkomen", str(files["inkomen"]), "--out", str(out), "--rapport", str(rap)])
    assert code == 0
    report = json.loads(rap.read_text(encoding="utf-8"))
    assert {"gemeente", "buurten", "wijken", "bronnen"} <= set(report)
    assert report["buurten"] == 107
    assert {"bron", "jaar", "gekoppeld", "ontbrekend", "extra", "onderdrukt"} <= set(report["bronnen"][0])
    assert "103 gekoppeld" in capsys.readouterr().out
    ds = load_dataset(out)
    assert len(ds.codes) == 107 and ds.gebieden["geometry_web"].crs.to_epsg() == 4326


def test_kerncijfers_cp1252_and_semicolons(files, tmp_path):
    from wijkprofielen.importers.kerncijfers import read_kerncijfers

    text = files["kwb2024"].read_text(encoding="utf-8").replace(",", ";")
    p = tmp_path / "kwb_85984NED_puntkomma.csv"
    p.write_bytes(text.encode("cp1252"))
    b = read_kerncijfers(p, "GM0796")
    assert b.jaren == [2024] and len(b.waarden) == 102
    assert b.gemeentenaam == "'s-Hertogenbosch"


def test_sources_of_another_year_than_the_boundaries_are_flagged(imported):
    _, rapport = imported
    assert rapport.grenzen_jaar == 2022
    assert _bron(rapport, "Leefbaarometer", 2022)["andere_indeling"] is False
    assert _bron(rapport, "CBS Kerncijfers", 2017)["andere_indeling"] is True
    assert "ander jaar dan de grenzen (2022)" in rapport.tekst()


def test_every_page_renders_the_imported_dataset(imported, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from conftest import ROOT

    from wijkprofielen.dataset import save_dataset

    ds, _ = imported
    save_dataset(ds, tmp_path / "GM0796.parquet")
    monkeypatch.setenv("WIJKPROFIELEN_GEODATA", str(tmp_path))
    monkeypatch.delenv("WIJKPROFIELEN_DATA", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["dataset"] = "GM0796"
    at.run()
    for page in ("views/kaart.py", "views/assenkruis.py", "views/wijkprofiel.py", "views/data.py"):
        at.switch_page(page).run()
        assert not at.exception and not at.error, page
        assert any("Dataset **GM0796**" in c.value for c in at.caption), page
    at.session_state["buurt"] = "BU07960201"  # Het Bossche Broek: no Leefbaarometer score
    at.switch_page("views/wijkprofiel.py").run()
    assert not at.exception
    assert at.metric[0].value == "onvoldoende gegevens"
    assert any("Ontbreekt voor deze buurt:** Leefbaarometer" in c.value for c in at.caption)


def test_coverage_per_indicator(imported):
    from wijkprofielen.importers.pipeline import dekking_per_indicator

    table = dekking_per_indicator(imported[0]).set_index("kolom")
    assert table.loc["lbm_afw", "met waarde"] == 103 and table.loc["lbm_afw", "redenen"] == "niet in bron (4)"
    assert table.loc["gem_inkomen_per_inwoner", "niveau"] == "wijk" and table.loc["gem_inkomen_per_inwoner", "met waarde"] == 107
    assert table.loc["inwoners", "zonder waarde"] == 6


def test_vergelijkbare_buurten_equal_brute_force(imported, config):
    ws = Workspace(config)
    frame, result = ws.scored(imported[0])
    index = ws.peer_index(frame, result)
    opts = config.vergelijk
    w = column_weights(result.recipe, result.genormaliseerd.columns, opts.metriek)
    for code in result.scores.index:
        got = ws.peers(frame, result, code, index=index)
        want = peers_brute_force(result.genormaliseerd, code, opts.k, opts.min_gedeelde_indicatoren, w, candidates_of(result))
        assert list(got["buurtcode"]) == list(want["buurtcode"])
    centrum = ws.peers(frame, result, "BU07960101", index=index)
    assert len(centrum) == opts.k and (centrum["gemeentenaam"] == "'s-Hertogenbosch").all()
    # The old city centre's nearest peer is another buurt of wijk Binnenstad.
    assert centrum.iloc[0]["buurtcode"].startswith("BU079601")
