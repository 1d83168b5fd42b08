"""The benchmarks outside the package, run through ``python -m wijkprofielen bench``."""

import json
from types import SimpleNamespace

import pydeck as pdk

from benchmarks import importers as bench_importers
from benchmarks import landelijk
from wijkprofielen.cli import bench as cli_bench
from wijkprofielen.cli import main
from wijkprofielen.config import load_config
from wijkprofielen.scoring import score


def test_bench_prints_json_with_scoring_figures(cli):
    r = cli.process("bench", "--alleen", "scoring")  # one real process: stdout is the JSON alone
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["voorbeeld_buurten"] == 77 and out["voorbeeld_score_ms"] > 0
    r = cli("bench", "--alleen", "bestaat_niet")
    assert r.returncode == 2 and "Onbekende benchmark" in r.stderr


def test_bench_outside_a_checkout_says_so(monkeypatch, capsys):
    monkeypatch.setattr(cli_bench, "BENCHMARKS", None)
    assert main(["bench", "--alleen", "scoring"]) == 2
    err = capsys.readouterr().err
    assert "bench draait vanuit een checkout van de repository" in err and "Traceback" not in err


def test_the_package_does_not_carry_the_benchmarks():
    assert cli_bench.BENCHMARKS is not None
    assert cli_bench.BENCHMARKS.__file__.startswith(str(cli_bench.CHECKOUT / "benchmarks"))
    assert not (cli_bench.CHECKOUT / "wijkprofielen" / "benchmarks").exists()


def test_bench_landelijk_small_run_reports_the_fields(capsys):
    code = main(["bench", "--alleen", "landelijk", "--buurten", "120", "--zonder-naief", "--zonder-koude-start"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["buurten"] == 120
    assert 0 < out["payload_bytes"] < 6_000_000
    assert out["hoekpunten_kaart"] <= out["hoekpunten"]
    for key in ("rescore_ms", "recolour_ms", "rescore_recolour_ms"):
        assert out[key] > 0


def test_bench_landelijk_rejects_too_few_buurten(capsys):
    assert main(["bench", "--alleen", "landelijk", "--buurten", "3"]) == 2
    err = capsys.readouterr().err
    assert "fout: --buurten 3 is te klein" in err and "Traceback" not in err


def test_naive_peer_is_a_plain_deck_of_the_same_buurten(voorbeeld, config):
    frame = voorbeeld.frame()
    deck = landelijk.naive_deck(frame, score(frame, config.recipe).scores, config.kwadrant_namen)
    assert type(deck) is pdk.Deck
    spec = json.loads(deck.to_json())
    buurten = spec["layers"][0]["data"]
    assert len(buurten) == len(frame)
    assert set(buurten[0]) == {"buurtcode", "buurtnaam", "dk", "fk", "kwadrant", "fill", "geometry"}
    assert "\n" in deck.to_json()  # pydeck's own indented serialiser, as a straightforward implementation sends


def test_bench_module_skips_without_real_data(tmp_path):
    out = bench_importers.run(SimpleNamespace(shared_data=str(tmp_path), config=None))
    assert out == {"importers_overgeslagen": f"echte data niet gevonden in {tmp_path}"}


def test_synthetic_nation_scores():
    ds = landelijk.synthetic_nation(40)
    assert ds.meta["synthetisch"] and len(ds.gebieden) >= 30
    assert score(ds.frame(), load_config().recipe).scores["kwadrant"].notna().all()


def test_bench_landelijk_import_small_run_reports_time_and_memory(capsys):
    code = main(["bench", "--alleen", "landelijk_import", "--import-buurten", "150", "--zonder-download"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["landelijk_import_buurten_gegenereerd"] == 150
    assert 100 < out["landelijk_import_buurten"] < 150  # water buurten are left out
    assert out["landelijk_import_s"] > 0 and out["landelijk_import_cpu_s"] > 0 and out["landelijk_import_piek_rss_mb"] > 50


def test_bench_vergelijk_small_run_agrees_with_the_naive_search(capsys):
    assert main(["bench", "--alleen", "vergelijk", "--buurten", "150"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["vergelijk_buurten"] == 150 and out["vergelijk_gelijk"] is True
    assert out["vergelijk_query_ms_mediaan"] > 0 and out["vergelijk_naief_ms_mediaan"] > 0
