"""``score`` output carries stabiliteit, grensgeval and the reference; bad input exits 2."""

import json

import pandas as pd
import pytest

from wijkprofielen.cli import main
from wijkprofielen.dataset import save_dataset
from wijkprofielen.domain import PLACED_QUADRANTS


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    p = tmp_path_factory.mktemp("demo9") / "voorbeeld.parquet"
    assert main(["demo", "--out", str(p)]) == 0
    return p


def test_score_has_stability_columns(demo, tmp_path):
    out = tmp_path / "s.csv"
    assert main(["score", "--data", str(demo), "--out", str(out)]) == 0
    t = pd.read_csv(out)
    placed = t["kwadrant"].isin(PLACED_QUADRANTS)
    assert t.loc[placed, "stabiliteit"].between(0, 1).all() and t.loc[~placed, "stabiliteit"].isna().all()
    assert t["grensgeval"].dtype == bool and t["grensgeval"].any()
    assert (t["referentie"] == "gemeente").all()
    assert main(["score", "--data", str(demo), "--out", str(out), "--zonder-stabiliteit"]) == 0
    assert "stabiliteit" not in pd.read_csv(out)


def test_score_against_national_reference_from_folder(demo, tmp_path, monkeypatch, capsys):
    nl = tmp_path / "NL"
    nl.mkdir()
    (nl / "kwb2024_85984NED_extract_NL.csv").write_text(
        "WijkenEnBuurten,SoortRegio_2,Codering_3,AantalInwoners_5,Bevolkingsdichtheid_34\n"
        "BU00010001,Buurt,BU00010001,100,1000\nBU00010002,Buurt,BU00010002,100,3000\n", encoding="utf-8")
    monkeypatch.setenv("WIJKPROFIELEN_REFERENTIE", str(nl))
    out = tmp_path / "s.json"
    assert main(["score", "--data", str(demo), "--referentie", "nederland", "--out", str(out)]) == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert {r["referentie"] for r in rows} == {"nederland"}
    assert "vergeleken met de eigen gemeente" in capsys.readouterr().err


def test_missing_reference_data_exits_2_without_traceback(demo, tmp_path, monkeypatch, cli):
    monkeypatch.setenv("WIJKPROFIELEN_REFERENTIE", str(tmp_path / "leeg"))
    monkeypatch.setenv("PATH", "")
    p = cli("score", "--data", demo, "--referentie", "nederland")
    assert p.returncode == 2
    assert p.stderr.startswith("fout: ") and "Geen landelijke CBS-extracten" in p.stderr and "Traceback" not in p.stderr


def test_stability_bench_runs_small(capsys, config):
    assert main(["bench", "--alleen", "stabiliteit", "--stab-buurten", "300", "--stab-trekkingen", "40"]) == 0
    out = json.loads(capsys.readouterr().out)
    left_out = sum(len(a.indicatoren) for a in config.recipe.assen)  # each indicator left out once
    assert out["stabiliteit_buurten"] == 300 and out["stabiliteit_trekkingen"] == 40 + left_out
    assert 0 < out["stabiliteit_gemiddeld"] <= 1


def test_cli_export_and_reproduce_with_stability(tmp_path, voorbeeld, capsys):
    data, manifest, bare = tmp_path / "stad.parquet", tmp_path / "m.json", tmp_path / "zonder.json"
    save_dataset(voorbeeld.subset(voorbeeld.codes[:30]), data)
    assert main(["export", "--data", str(data), "--format", "json", "--out", str(manifest)]) == 0
    assert main(["export", "--data", str(data), "--format", "json", "--out", str(bare), "--zonder-stabiliteit"]) == 0
    rows = json.loads(manifest.read_text())["scores"]
    assert all("stabiliteit" in r and "grensgeval" in r for r in rows)
    assert all("stabiliteit" not in r for r in json.loads(bare.read_text())["scores"])
    assert main(["reproduce", str(manifest)]) == 0
    assert main(["reproduce", str(bare)]) == 0
    m = json.loads(manifest.read_text())
    m["scores"][0]["stabiliteit"] = 0.123
    manifest.write_text(json.dumps(m))
    capsys.readouterr()
    assert main(["reproduce", str(manifest)]) == 1
    assert "stabiliteit" in capsys.readouterr().out
