"""Wijkprofiel export: PDF, HTML, GeoPackage, CSV, manifest and reproduce, batch, CLI."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone

import geopandas as gpd
import numpy as np
import pandas as pd
import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkprofielen import menukaart
from wijkprofielen.cli import main
from wijkprofielen.dataset import Dataset, save_dataset
from wijkprofielen.errors import DataError
from wijkprofielen.export import slug
from wijkprofielen.export.exporter import Exporter
from wijkprofielen.formatting import number
from wijkprofielen.export.manifest import reference_files
from wijkprofielen.export.tables import LAYER
from wijkprofielen.reference import KWB_FILES
from wijkprofielen.scoring import score
from wijkprofielen.stability import BADGES, badge, stability

NASTY = "’t Hof <script>alert(1)</script>"
WHEN = datetime(2026, 1, 15, 9, 30, tzinfo=timezone.utc)


@dataclass(frozen=True)
class _Interventie:
    titel: str
    categorie: str
    trekker: tuple
    waarom: str
    bron: str = ""


@dataclass(frozen=True)
class _Suggestie:
    interventie: _Interventie
    score: float
    redenen: tuple
    onbekend: tuple = ()


def fake_menukaart(frame, result, code, cfg=None):
    """Stands in for wijkprofielen.menukaart.suggest (same shape)."""
    return [
        _Suggestie(_Interventie("Buurtbeheer met bewoners", "sociaal beheer", ("corporatie", "gemeente"), "draagkracht laag"),
                   0.9, ("draagkracht onder de grens",)),
        _Suggestie(_Interventie("Sociale huur toevoegen", "voorraad", ("corporatie",), "ruimte"), 0.5, ("veel plancapaciteit",)),
    ]


@pytest.fixture(scope="module")
def real_like(voorbeeld) -> Dataset:
    """The example, relabelled as non-synthetic with a hostile buurtnaam (never written to the repo)."""
    g = voorbeeld.gebieden.copy()
    g.loc[g["buurtcode"] == "BU99990103", "buurtnaam"] = NASTY
    meta = {k: v for k, v in voorbeeld.meta.items() if k not in ("attributie", "bronnen")} | {"naam": "Testgemeente", "synthetisch": False}
    return Dataset(g, voorbeeld.waarden.copy(), dict(voorbeeld.indicatoren), dict(voorbeeld.redenen), meta)


@pytest.fixture(scope="module")
def exporter(real_like, config) -> Exporter:
    return Exporter(real_like, config, menukaart=fake_menukaart, gemaakt=WHEN)


@pytest.fixture(scope="module")
def pdf_bytes(exporter) -> bytes:
    return exporter.pdf("BU99990103")


@pytest.fixture(scope="module")
def pdf_text(pdf_bytes) -> str:
    # Whitespace normalised: table cells wrap, which splits phrases over lines.
    return " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf_bytes)).pages).split())


@pytest.fixture(scope="module")
def html_text(exporter) -> str:
    return exporter.html("BU99990103").decode("utf-8")


# -- PDF -------------------------------------------------------------------------------------
def test_pdf_names_buurt_axes_scores_and_menukaart(pdf_text, exporter):
    s = exporter.result.scores.loc["BU99990103"]
    assert "Wijkprofiel ’t Hof <script>" in pdf_text  # PDF text is not HTML: printed as is
    assert "Centrum" in pdf_text and "peiljaar 2024" in pdf_text
    assert "Draagkracht en weerbaarheid: " + number(s["draagkracht"], signed=True) in pdf_text
    assert "Fysieke kansen: " + number(s["fysieke_kansen"], signed=True) in pdf_text
    assert "Dekking 100% van het gewicht" in pdf_text
    assert "Buurtbeheer met bewoners" in pdf_text and "corporatie, gemeente" in pdf_text
    assert "draagkracht onder de grens" in pdf_text
    assert "Sociale huur toevoegen" in pdf_text


def test_pdf_prints_unicode_attribution_and_provenance(pdf_text, pdf_bytes, exporter):
    assert "€" in pdf_text and "–" in pdf_text and "’" in pdf_text
    assert "CBS / Kadaster" in pdf_text and "BZK" in pdf_text
    assert exporter.ds.fingerprint in pdf_text and exporter.result.recipe.fingerprint() in pdf_text
    assert "signalen, geen oordelen" in pdf_text
    assert "niet beschikbaar (CBS -99995)" in pdf_text  # missing WOZ keeps its reason
    fonts = pypdf.PdfReader(io.BytesIO(pdf_bytes)).pages[0]["/Resources"]["/Font"]
    descriptors = [f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts.values()]
    assert all("/FontFile2" in d for d in descriptors)  # embedded TrueType
    assert any("DejaVu" in str(d["/FontName"]) for d in descriptors)


def test_pdf_is_one_or_two_a4_pages(pdf_bytes):
    pages = pypdf.PdfReader(io.BytesIO(pdf_bytes)).pages
    assert 1 <= len(pages) <= 2
    assert round(float(pages[0].mediabox.width)) == 595 and round(float(pages[0].mediabox.height)) == 842


def test_synthetic_profile_says_so_and_does_not_claim_cbs_data(voorbeeld, config):
    p = Exporter(voorbeeld, config, menukaart=None, gemaakt=WHEN).profiel("BU99990300", figures=False)
    assert p.synthetisch and p.voorbehoud[0].startswith("Synthetische voorbeeldgegevens")
    assert p.attributie[0].startswith("Synthetische voorbeeldgegevens; geen CBS")
    assert p.menukaart is None


def test_workshop_placements_and_missing_values_in_content(real_like, config):
    placements = pd.DataFrame([{"workshop": "Ronde 1", "deelnemer": "Corporatie", "draagkracht": -0.4,
                                "fysieke_kansen": 0.2, "reden": "veel jonge gezinnen"}])
    ex = Exporter(real_like, config, menukaart=None, plaatsingen=lambda code: placements, gemaakt=WHEN)
    code = next(c for c, why in real_like.redenen[("gem_woz", 2024)].items() if "-99995" in why)
    p = ex.profiel(code, figures=False)
    assert p.plaatsingen == [placements.iloc[0].to_dict()]
    woz = next(i for i in p.indicatoren if i.indicator.startswith("Gemiddelde WOZ"))
    assert woz.waarde == "–" and woz.status == "niet beschikbaar (CBS -99995)"
    html = __import__("wijkprofielen.export.html", fromlist=["render_html"]).render_html(p).decode()
    assert "veel jonge gezinnen" in html and "Plaatsingen in workshops" in html


# -- HTML ------------------------------------------------------------------------------------
def test_html_is_self_contained(html_text):
    assert "<link" not in html_text and "@import" not in html_text
    srcs = re.findall(r'\bsrc="([^"]*)"', html_text)
    assert len(srcs) == 3 and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert not re.search(r"https?://", html_text)
    assert not re.search(r"url\(", html_text)


def test_html_escapes_buurtnaam(html_text):
    assert "<script>" not in html_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text
    assert "Buurtbeheer met bewoners" in html_text and "CBS / Kadaster" in html_text


# -- tables ----------------------------------------------------------------------------------
def test_gpkg_round_trips_in_rd_new(exporter, tmp_path):
    path = tmp_path / "b.gpkg"
    path.write_bytes(exporter.gpkg())
    back = gpd.read_file(path, layer=LAYER)
    assert back.crs.to_epsg() == 28992
    assert len(back) == 77 and back["buurtcode"].is_unique
    scores = exporter.result.scores.reindex(back["buurtcode"])
    np.testing.assert_allclose(back["draagkracht"].to_numpy(dtype=float), scores["draagkracht"].to_numpy(dtype=float))
    assert {"kwadrant", "kwadrant_naam", "dekking_draagkracht", "lbm_afw", "gemeentenaam"} <= set(back.columns)
    assert back.loc[back["buurtcode"] == "BU99990103", "buurtnaam"].item() == NASTY
    woz_missing = exporter.frame["gem_woz"].isna().sum()
    assert woz_missing > 0 and back["gem_woz"].isna().sum() == woz_missing  # missing stays missing


def test_csv_has_same_rows_and_blank_missing(exporter):
    table = pd.read_csv(io.BytesIO(exporter.csv()), encoding="utf-8-sig")
    assert len(table) == 77 and "geometry" not in table
    assert set(table["kwadrant_naam"].dropna()) <= set(exporter.cfg.kwadrant_namen.values())
    assert table["gem_woz"].isna().sum() == exporter.frame["gem_woz"].isna().sum()


# -- batch -----------------------------------------------------------------------------------
def test_batch_pdf_and_zip_report_progress(voorbeeld, config):
    ex = Exporter(voorbeeld, config, menukaart=None, gemaakt=WHEN)
    codes = ex.codes(wijk="WK999901")
    assert len(codes) == 6
    seen = []
    pdf = ex.batch_pdf(codes[:3], progress=lambda i, n, naam: seen.append((i, n)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    names = voorbeeld.gebieden.set_index("buurtcode").loc[codes[:3], "buurtnaam"]
    assert all(f"Wijkprofiel {n}" in text for n in names)
    zf = zipfile.ZipFile(io.BytesIO(ex.batch_zip(codes[:2])))
    assert sorted(zf.namelist()) == sorted([f"{c}_{slug(n)}.{e}" for c, n in zip(codes[:2], names) for e in ("pdf", "html")]
                                           + ["buurten.csv", "manifest.json"])
    with pytest.raises(DataError, match="heeft geen buurten"):
        ex.codes(wijk="WK000000")


# -- manifest and reproduce ----------------------------------------------------------------
@pytest.fixture()
def snapshot(tmp_path, voorbeeld):
    data = tmp_path / "stad.parquet"
    save_dataset(voorbeeld.subset(voorbeeld.codes[:30]), data)
    manifest = tmp_path / "manifest.json"
    assert main(["export", "--data", str(data), "--format", "json", "--out", str(manifest)]) == 0
    return data, manifest


def test_manifest_records_inputs_and_scores(snapshot):
    data, manifest = snapshot
    m = json.loads(manifest.read_text())
    f = m["dataset"]["bestanden"][0]
    assert f["naam"] == "stad.parquet" and len(f["sha256"]) == 64
    assert m["recept"]["assen"]["draagkracht"]["indicatoren"][0]["kolom"] == "lbm_soc"
    assert m["recept"]["naam"] == "volledig" and m["recept"]["min_inwoners"] == 100
    assert m["config"]["kwadrant"]["namen"]["laag_laag"] == "Versterken en beheren"
    assert m["drempels"]["min_dekking"] == 0.6 and len(m["scores"]) == 30
    assert m["app_versie"] and m["gemaakt"].endswith("+00:00")


def test_reproduce_identical_exits_0(snapshot, capsys):
    _, manifest = snapshot
    assert main(["reproduce", str(manifest)]) == 0
    assert "identiek" in capsys.readouterr().out


def test_reproduce_fails_when_data_file_changed(snapshot, capsys):
    data, manifest = snapshot
    from wijkprofielen.dataset import load_dataset

    ds = load_dataset(data)
    ds.waarden.iloc[0, ds.waarden.columns.get_loc(("lbm_soc", 2024))] += 0.5
    save_dataset(ds, data)
    assert main(["reproduce", str(manifest)]) == 1
    out = capsys.readouterr().out
    assert "databestand stad.parquet is gewijzigd" in out
    assert "score(s) verschillen" in out and ds.codes[0] in out


def test_reproduce_names_tampered_config(snapshot, capsys):
    _, manifest = snapshot
    m = json.loads(manifest.read_text())
    m["config"]["recepten"]["volledig"]["assen"]["draagkracht"]["indicatoren"][0]["gewicht"] = 5.0
    manifest.write_text(json.dumps(m))
    assert main(["reproduce", str(manifest)]) == 1
    out = capsys.readouterr().out
    assert "assen.draagkracht.indicatoren[1].gewicht: 1.0 → 5.0" in out
    assert "score(s) verschillen" in out  # a heavier weight moves the draagkracht scores


def test_reproduce_names_tampered_score(snapshot, capsys):
    _, manifest = snapshot
    m = json.loads(manifest.read_text())
    row = m["scores"][3]
    old = row["kwadrant"]
    row["kwadrant"] = "hoog_hoog" if old != "hoog_hoog" else "laag_laag"
    manifest.write_text(json.dumps(m))
    assert main(["reproduce", str(manifest)]) == 1
    out = capsys.readouterr().out
    assert f"1 score(s) verschillen, bijvoorbeeld: {row['buurtcode']} kwadrant: '{row['kwadrant']}' → '{old}'" in out


@pytest.mark.parametrize("content, expected", [
    ("{niet json", "geen geldige JSON"),
    ('{"soort": "iets anders"}', "geen wijkprofielen-manifest"),
    ('{"soort": "wijkprofielen-snapshot", "dataset": {}}', "mist de velden"),
])
def test_reproduce_bad_manifest_exits_2_in_dutch(tmp_path, capsys, content, expected):
    path = tmp_path / "m.json"
    path.write_text(content)
    assert main(["reproduce", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fout: ") and expected in err and "Traceback" not in err


def test_reproduce_builtin_example(voorbeeld, config, tmp_path):
    from wijkprofielen.export.manifest import reproduce

    path = tmp_path / "m.json"
    path.write_bytes(Exporter(voorbeeld, config, menukaart=None).manifest_json())
    assert reproduce(path) == ([], [])


# -- CLI -------------------------------------------------------------------------------------
def test_cli_exports_single_and_batch(small_data, tmp_path, capsys):
    out = tmp_path / "p.html"
    assert main(["export", "--data", str(small_data), "--buurt", "BU99990103", "--format", "html", "--out", str(out)]) == 0
    assert "Stationsgebied" in out.read_text()
    out = tmp_path / "w.pdf"
    assert main(["export", "--data", str(small_data), "--wijk", "WK999901", "--format", "pdf", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "[6/6]" in err and "6 wijkprofielen van WK999901" in err
    assert len(pypdf.PdfReader(out).pages) >= 6
    out = tmp_path / "b.gpkg"
    assert main(["export", "--data", str(small_data), "--format", "gpkg", "--out", str(out)]) == 0
    assert gpd.read_file(out).crs.to_epsg() == 28992


@pytest.mark.parametrize("args, expected", [
    (["--buurt", "BU99990103", "--format", "zip"], "Met --buurt kan --format alleen pdf of html"),
    (["--wijk", "WK999901", "--format", "csv"], "Een batch (--wijk/--gemeente) wordt pdf of zip"),
    (["--format", "pdf"], "hoort bij één buurt"),
    (["--buurt", "BU00000000", "--format", "pdf"], "staat niet in dataset"),
    (["--gemeente", "GM0000", "--format", "zip"], "heeft geen buurten"),
    (["--jaar", "1900", "--format", "csv"], "Peiljaar 1900: geen indicator"),
])
def test_cli_export_errors_exit_2(small_data, tmp_path, capsys, args, expected):
    out = tmp_path / "x.out"
    assert main(["export", "--data", str(small_data), *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fout: ") and expected in err
    assert not out.exists()


def test_cli_export_missing_folder_keeps_nothing_half_written(small_data, tmp_path, capsys):
    assert main(["export", "--data", str(small_data), "--format", "csv", "--out", str(tmp_path / "nee" / "x.csv")]) == 2
    assert "bestaat niet" in capsys.readouterr().err


# -- small helpers -------------------------------------------------------------------------
@settings(deadline=None, max_examples=60)
@given(st.text(max_size=40))
def test_slug_is_always_a_safe_file_name(text):
    s = slug(text)
    assert s and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s)


def test_csv_dataset_without_boundaries_exports_without_map(tmp_path, capsys):
    data = tmp_path / "k.csv"
    data.write_text("buurtcode,lbm_afw,gem_inkomen_per_inwoner,pct_laag_inkomen,plancap_hard_pct,pct_label_efg\n"
                    "BU00010001,0.1,30,10,2,10\nBU00010002,-0.1,25,-99997,1,20\nBU00010103,0.05,28,12,.,15\n")
    out = tmp_path / "k.html"
    assert main(["export", "--data", str(data), "--buurt", "BU00010002", "--format", "html", "--out", str(out)]) == 0
    html = out.read_text()
    assert "Geen kaart: deze dataset bevat geen buurtgrenzen." in html
    assert "geheim (CBS -99997)" in html  # the suppressed value keeps its reason
    manifest = tmp_path / "m.json"
    assert main(["export", "--data", str(data), "--format", "json", "--out", str(manifest)]) == 0
    assert main(["reproduce", str(manifest)]) == 0


@settings(deadline=None, max_examples=40)
@given(st.text(alphabet=st.sampled_from("ab c€–’ WWW"), max_size=120), st.floats(min_value=8, max_value=80))
def test_pdf_line_wrap_keeps_every_word_and_fits(text, width):
    from wijkprofielen.export.pdf import FONT, PAD, ProfielPDF

    pdf = ProfielPDF()
    pdf.set_font(FONT, "", 8)
    lines = pdf.lines(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(pdf.get_string_width(line) <= width - 2 * PAD + 1e-6 or len(line.strip()) <= 1 for line in lines)


def test_pdf_shows_top_menukaart_items_of_the_real_catalogue(voorbeeld, config):
    ex = Exporter(voorbeeld, config, gemaakt=WHEN)
    code = "BU99990103"
    top = menukaart.suggest(ex.frame, ex.result, code, top=3, kwadrant_namen=config.kwadrant_namen)
    assert top, "the example buurt should get suggestions"
    reader = pypdf.PdfReader(io.BytesIO(ex.pdf(code)))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for s in top:
        assert " ".join(s.interventie.titel.split()[:3]) in text
        assert s.interventie.trekker[0] in text
    assert len(reader.pages) <= 2


def test_stability_column_is_shown_when_scores_carry_one(voorbeeld, config):
    from wijkprofielen.export.content import build_profiel

    frame = voorbeeld.frame()
    result = score(frame, config.recipe)
    assert build_profiel(voorbeeld, frame, result, config, "BU99990103", menukaart=None).stabiliteit is None
    result.scores["stabiliteit"] = 0.85
    p = build_profiel(voorbeeld, frame, result, config, "BU99990103", menukaart=None)
    assert p.stabiliteit == "85,0%"
    result.scores["stabiliteit"] = 1009 / 1010  # a share of draws is never rounded up to 100%
    assert build_profiel(voorbeeld, frame, result, config, "BU99990103", menukaart=None).stabiliteit == "99,9%"


def test_exporter_carries_stability_into_pdf_csv_and_manifest(voorbeeld, config):
    ex = Exporter(voorbeeld, config, gemaakt=None)
    stab = stability(ex.frame, ex.result.recipe, config.stabiliteit, ex.result)
    assert "stabiliteit" not in ex.csv().decode().splitlines()[0]
    ex.add_stability(stab)
    code = "BU99990300"
    row = stab.tabel.loc[code]
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(ex.pdf(code))).pages).split())
    titel = BADGES[badge(row["stabiliteit"], bool(row["grensgeval"]))][0]
    assert f"Stabiliteit van de plaatsing: {titel}" in text
    csv = pd.read_csv(io.BytesIO(ex.csv()), encoding="utf-8-sig", dtype={"buurtcode": str})
    assert {"stabiliteit", "grensgeval"} <= set(csv.columns)
    got = csv.set_index("buurtcode")["stabiliteit"].reindex(stab.tabel.index)
    assert np.allclose(got.to_numpy(float), stab.tabel["stabiliteit"].to_numpy(float), equal_nan=True, atol=1e-6)
    records = {r["buurtcode"]: r for r in ex.manifest()["scores"]}
    assert records[code]["grensgeval"] == bool(row["grensgeval"])
    assert "stabiliteit" not in score(ex.frame, config.recipe).scores  # the shared result is not changed


def test_manifest_records_reference_and_reproduce_checks_it(tmp_path, voorbeeld, capsys):
    data, manifest = tmp_path / "stad.parquet", tmp_path / "m.json"
    save_dataset(voorbeeld.subset(voorbeeld.codes[:20]), data)
    assert main(["export", "--data", str(data), "--format", "json", "--out", str(manifest), "--zonder-stabiliteit"]) == 0
    m = json.loads(manifest.read_text())
    assert m["referentie"] == {"naam": "gemeente", "bron": None, "bestanden": []}
    assert main(["reproduce", str(manifest)]) == 0
    m["referentie"]["naam"] = "nederland"
    manifest.write_text(json.dumps(m))
    capsys.readouterr()
    assert main(["reproduce", str(manifest)]) == 1
    assert "referentie verschilt: nederland → gemeente" in capsys.readouterr().out


def test_external_reference_files_are_hashed_and_compared(tmp_path, monkeypatch, config):
    monkeypatch.setenv("WIJKPROFIELEN_REFERENTIE", str(tmp_path))
    naam = next(iter(KWB_FILES.values()))
    (tmp_path / naam).write_bytes(b"een")
    cfg = dataclasses.replace(config, recipe=dataclasses.replace(config.recipe, referentie="nederland"))
    first = reference_files(cfg)
    assert [f["naam"] for f in first] == [naam] and len(first[0]["sha256"]) == 64
    (tmp_path / naam).write_bytes(b"twee")
    assert reference_files(cfg)[0]["sha256"] != first[0]["sha256"]
    assert reference_files(config) == []


def test_one_pager_names_the_carrying_subscores_and_lists_te_controleren_apart(voorbeeld, config):
    from wijkprofielen.dragers import quadrant_reading

    ex = Exporter(voorbeeld, config, gemaakt=WHEN)
    placed = next(c for c in voorbeeld.codes if ex.result.scores.at[c, "kwadrant"] == "laag_hoog")
    p = ex.profiel(placed, figures=False)
    assert p.kwadrant_uitleg.endswith(quadrant_reading(ex.result.scores.loc[placed], ex.result.recipe))
    assert not p.te_controleren and p.te_controleren_totaal == 0
    assert all(m.redenen.startswith("past bij het kwadrant") for m in p.menukaart)

    code = next(c for c in voorbeeld.codes if ex.result.scores.at[c, "kwadrant"] == "onvoldoende_data")
    advies = ex.ws.advise(ex.frame, ex.result, code)
    p = ex.profiel(code, figures=False)
    assert p.te_controleren_totaal == len(advies.te_controleren) > len(p.te_controleren) > 0
    first = advies.te_controleren[0]
    assert p.te_controleren[0].titel == first.interventie.titel
    assert p.te_controleren[0].redenen == "; ".join(f"{c.wat}: {c.beslist}" for c in first.controles)
    assert [m.titel for m in p.menukaart] == [s.interventie.titel for s in advies.suggesties[:5]]
    reader = pypdf.PdfReader(io.BytesIO(ex.pdf(code)))
    text = " ".join(" ".join(pg.extract_text() for pg in reader.pages).split())
    assert f"Te controleren ({p.te_controleren_totaal})" in text
    assert " ".join(first.interventie.titel.split()[:3]) in text
    assert len(reader.pages) <= 2
    html = ex.html(code).decode("utf-8")
    assert f"<h3>Te controleren ({p.te_controleren_totaal})</h3>" in html
