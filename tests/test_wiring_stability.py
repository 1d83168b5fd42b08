"""Stability on the map, the assenkruis and in the exports."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from wijkprofielen.config import load_config
from wijkprofielen.mapping import MISSING_HEX, ColourContext, colour_buurten, hex_to_rgba
from wijkprofielen.stability import STABILITY_LABELS, STABILITY_STOPS, stability
from wijkprofielen.scoring import score
from wijkprofielen.synthetic import voorbeeldstad


def _ctx(values):
    scores = pd.DataFrame({"draagkracht": 0.0, "fysieke_kansen": 0.0}, index=[f"BU{i}" for i in range(len(values))])
    return ColourContext(pd.DataFrame(index=range(len(values))), scores, None, {}, stabiliteit=values)


def test_stability_mode_classes_legend_and_grey():
    c = colour_buurten("stabiliteit", _ctx([0.2, 0.6, 0.8, 0.95, 1.0, np.nan]))
    assert [i.label for i in c.legend] == [*STABILITY_LABELS, "geen waarde"]
    assert [i.aantal for i in c.legend] == [1, 1, 1, 1, 1, 1]
    assert [f[:3] for f in c.fill] == [hex_to_rgba(h)[:3] for h in (*STABILITY_STOPS, MISSING_HEX)]
    assert [i.aantal for i in c.legend_for([True, True, False, False, False, True])] == [1, 1, 0, 0, 0, 1]


def test_stability_mode_without_values_is_all_grey():
    c = colour_buurten("stabiliteit", ColourContext(pd.DataFrame(index=range(2)), pd.DataFrame(index=["a", "b"]), None, {}))
    assert c.legend[-1].label == "geen waarde" and c.legend[-1].aantal == 2
    assert sum(i.aantal for i in c.legend) == 2


def _layers(at) -> dict:
    decks = at.get("deck_gl_json_chart")
    return {layer["id"]: layer for layer in json.loads(decks[0].proto.json)["layers"]}


def _expected_stability():
    cfg = load_config()
    frame = voorbeeldstad().frame()
    base = score(frame, cfg.recipe)
    return stability(frame, cfg.recipe, cfg.stabiliteit, base).tabel["stabiliteit"]


def test_map_colours_by_stability_from_the_url(app):
    app.query_params["kleur"] = "stabiliteit"
    at = app.run()
    assert not at.exception
    assert at.selectbox(key="kleur").value == "stabiliteit"
    assert any("Stabiliteit van de plaatsing" in m.value for m in at.markdown)
    assert any("altijd (100%)" in m.value for m in at.markdown)
    stab = _expected_stability()
    allowed = {tuple(hex_to_rgba(h)[:3]) for h in (*STABILITY_STOPS, MISSING_HEX)}
    feats = _layers(at)["buurten"]["data"]
    assert {tuple(f["fill"][:3]) for f in feats} <= allowed
    darkest = tuple(hex_to_rgba(STABILITY_STOPS[-1])[:3])
    always = {f["buurtcode"] for f in feats if tuple(f["fill"][:3]) == darkest}
    assert always == set(stab.index[stab >= 0.999])


def _spec(at):
    chart = (at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart"))[0]
    return json.loads(chart.proto.spec)


def test_assenkruis_opacity_from_stability_and_cross_on_toggle(app):
    at = app.run()
    at.switch_page("views/assenkruis.py").run()
    assert not at.exception
    spec = _spec(at)
    circles = [layer for layer in spec["layer"] if layer["mark"]["type"] == "circle"]
    assert circles[0]["encoding"]["opacity"]["field"] == "zekerheid"
    rules = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    assert not any("x2" in layer["encoding"] or "y2" in layer["encoding"] for layer in rules)
    at.toggle(key="assenkruis_kruis").set_value(True).run()
    assert not at.exception
    rules = [layer for layer in _spec(at)["layer"] if layer["mark"]["type"] == "rule"]
    assert any(layer["encoding"].get("x2", {}).get("field") == "draagkracht_hoog" for layer in rules)
    assert any(layer["encoding"].get("y2", {}).get("field") == "fysieke_kansen_hoog" for layer in rules)
    at.toggle(key="assenkruis_stabiliteit").set_value(False)
    at.toggle(key="assenkruis_kruis").set_value(False).run()
    circles = [layer for layer in _spec(at)["layer"] if layer["mark"]["type"] == "circle"]
    assert "field" not in circles[0]["encoding"]["opacity"]


# -- exports ---------------------------------------------------------------------------------
def test_exporter_carries_stability_into_pdf_csv_and_manifest(voorbeeld, config):
    import io

    import pypdf

    from wijkprofielen.export import Exporter
    from wijkprofielen.stability import BADGES, badge

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


def test_cli_export_and_reproduce_with_stability(tmp_path, voorbeeld, capsys):
    import json as _json

    from wijkprofielen.cli import main
    from wijkprofielen.dataset import save_dataset

    data, manifest, bare = tmp_path / "stad.parquet", tmp_path / "m.json", tmp_path / "zonder.json"
    save_dataset(voorbeeld.subset(voorbeeld.codes[:30]), data)
    assert main(["export", "--data", str(data), "--format", "json", "--out", str(manifest)]) == 0
    assert main(["export", "--data", str(data), "--format", "json", "--out", str(bare), "--zonder-stabiliteit"]) == 0
    rows = _json.loads(manifest.read_text())["scores"]
    assert all("stabiliteit" in r and "grensgeval" in r for r in rows)
    assert all("stabiliteit" not in r for r in _json.loads(bare.read_text())["scores"])
    assert main(["reproduce", str(manifest)]) == 0
    assert main(["reproduce", str(bare)]) == 0
    m = _json.loads(manifest.read_text())
    m["scores"][0]["stabiliteit"] = 0.123
    manifest.write_text(_json.dumps(m))
    capsys.readouterr()
    assert main(["reproduce", str(manifest)]) == 1
    assert "stabiliteit" in capsys.readouterr().out


# -- map geometry ----------------------------------------------------------------------------
def test_map_geometry_uses_the_stored_web_geometry_when_it_fits(voorbeeld):
    import shapely

    from wijkprofielen.importers.pipeline import web_geometry
    from wijkprofielen.mapping import MapGeometry

    g = voorbeeld.gebieden
    web, _ = web_geometry(g)
    web.index = g["buurtcode"].to_numpy()
    geo = MapGeometry.build(g, web=web)
    assert geo.bron == "opgeslagen"
    assert geo.vertices == int(shapely.get_num_coordinates(web.to_numpy()).sum())
    assert set(geo.gemeente_outlines) == set(g["gemeentecode"]) and set(geo.wijk_outlines) == set(g["wijkcode"])
    assert MapGeometry.build(g, web=web.iloc[1:]).bron == "vereenvoudigd"  # one buurt without: simplify here
    assert MapGeometry.build(g, budget=10, web=web).bron == "vereenvoudigd"  # over budget: simplify here
    assert MapGeometry.for_dataset(voorbeeld).bron == "vereenvoudigd"  # the example stores none


# -- one reference ---------------------------------------------------------------------------
def test_manifest_records_reference_and_reproduce_checks_it(tmp_path, voorbeeld, capsys):
    import json as _json

    from wijkprofielen.cli import main
    from wijkprofielen.dataset import save_dataset

    data, manifest = tmp_path / "stad.parquet", tmp_path / "m.json"
    save_dataset(voorbeeld.subset(voorbeeld.codes[:20]), data)
    assert main(["export", "--data", str(data), "--format", "json", "--out", str(manifest), "--zonder-stabiliteit"]) == 0
    m = _json.loads(manifest.read_text())
    assert m["referentie"] == {"naam": "gemeente", "bron": None, "bestanden": []}
    assert main(["reproduce", str(manifest)]) == 0
    m["referentie"]["naam"] = "nederland"
    manifest.write_text(_json.dumps(m))
    capsys.readouterr()
    assert main(["reproduce", str(manifest)]) == 1
    assert "referentie verschilt: nederland → gemeente" in capsys.readouterr().out


def test_external_reference_files_are_hashed_and_compared(tmp_path, monkeypatch, config):
    import dataclasses

    from wijkprofielen.export.manifest import reference_files
    from wijkprofielen.reference import KWB_FILES

    monkeypatch.setenv("WIJKPROFIELEN_REFERENTIE", str(tmp_path))
    naam = next(iter(KWB_FILES.values()))
    (tmp_path / naam).write_bytes(b"een")
    cfg = dataclasses.replace(config, recipe=dataclasses.replace(config.recipe, referentie="nederland"))
    first = reference_files(cfg)
    assert [f["naam"] for f in first] == [naam] and len(first[0]["sha256"]) == 64
    (tmp_path / naam).write_bytes(b"twee")
    assert reference_files(cfg)[0]["sha256"] != first[0]["sha256"]
    assert reference_files(config) == []
