"""Stability on the assenkruis and in the exports; the recorded reference."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from wijkprofielen.stability import settings, stability
from wijkprofielen.scoring import score


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
    stab = stability(ex.frame, ex.result.recipe, settings(config), ex.result)
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
