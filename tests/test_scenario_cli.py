"""``python -m wijkprofielen scenario evaluate|compare``."""

import json

import pytest

from wijkprofielen.cli import main
from wijkprofielen.dataset import save_dataset
from wijkprofielen.testing import grid_dataset

A = {"naam": "A", "maatregelen": [
    {"buurtcode": "BU99990300", "interventie": "nieuwbouw", "segment": "sociale_huur", "aantal": 100, "jaar": 2027},
    {"buurtcode": "BU99990301", "interventie": "instroom_beperken", "segment": None, "aantal": 25, "jaar": None}]}


@pytest.fixture()
def files(tmp_path):
    a = tmp_path / "a.json"
    a.write_text(json.dumps(A))
    b = tmp_path / "b.json"
    b.write_text(json.dumps({"naam": "B", "maatregelen": [{**A["maatregelen"][0], "segment": "midden"}]}))
    return a, b


def test_evaluate_prints_targets_and_warnings_as_json(files, capsys):
    assert main(["scenario", "evaluate", "--scenario", str(files[0]), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    doelen = {d["doel"]: d for d in out["doelen"]}
    assert doelen["sociale_huur"] | {} == doelen["sociale_huur"] and doelen["sociale_huur"]["gepland"] == 100
    assert doelen["sociale_huur"]["streef"] == 1800 and doelen["sociale_huur"]["tekort"] == 1700
    assert any(w["soort"] == "waterbed" for w in out["waarschuwingen"])
    assert out["synthetisch"] is True


def test_evaluate_on_a_dataset_file_and_text_output(tmp_path, files, capsys):
    ds = grid_dataset({"woningen": [500, 500]}, gemeentecode="GM0796")
    path = save_dataset(ds, tmp_path / "d.parquet")
    sc = tmp_path / "s.json"
    sc.write_text(json.dumps({"naam": "S", "maatregelen": [{"buurtcode": ds.codes[1], "interventie": "nieuwbouw", "segment": "midden", "aantal": 2100, "jaar": 2030}]}))
    assert main(["scenario", "evaluate", "--data", str(path), "--scenario", str(sc), "--format", "tekst"]) == 0
    out = capsys.readouterr().out
    assert "'s-Hertogenbosch" in out and "Middenhuur/midden koop toegevoegd: gepland 2.100, streef 2.100, tekort 0" in out


def test_compare(files, capsys):
    assert main(["scenario", "compare", "--a", str(files[0]), "--b", str(files[1])]) == 0
    rows = {r["doel"]: r for r in json.loads(capsys.readouterr().out)["doelen"]}
    assert (rows["sociale_huur"]["gepland_a"], rows["sociale_huur"]["gepland_b"]) == (100, 0)
    assert rows["midden"]["verschil"] == 100


@pytest.mark.parametrize(
    ("scenario", "expected"),
    [
        ({"naam": "X", "maatregelen": [{"buurtcode": "BU12345678", "interventie": "nieuwbouw", "segment": "midden", "aantal": 1}]}, "maatregel 1 (buurtcode)"),
        ({"naam": "X", "maatregelen": [{"buurtcode": "BU99990300", "interventie": "nieuwbouw", "segment": "midden", "aantal": -1}]}, "maatregel 1 (aantal)"),
        ({"naam": "X", "maatregelen": [{"buurtcode": "BU99990300", "interventie": "nieuwbouw", "segment": "midden", "aantal": 1, "jaar": 2020}]}, "buiten de periode van de doelen (2025–2034)"),
        ("{kapot", "geen geldige JSON"),
    ],
)
def test_bad_scenarios_exit_2_with_dutch_message(tmp_path, capsys, scenario, expected):
    path = tmp_path / "s.json"
    path.write_text(scenario if isinstance(scenario, str) else json.dumps(scenario))
    assert main(["scenario", "evaluate", "--scenario", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fout: ") and expected in err and "Traceback" not in err


def test_dataset_without_targets_exits_2(tmp_path, files, capsys):
    path = save_dataset(grid_dataset({"woningen": [1, 2]}), tmp_path / "d.parquet")
    assert main(["scenario", "evaluate", "--data", str(path), "--scenario", str(files[0])]) == 2
    assert "Voeg [doelen.GM0001] toe aan config.toml" in capsys.readouterr().err


def test_missing_arguments_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["scenario", "evaluate"])
    assert exc.value.code == 2 and "fout: ongeldige argumenten" in capsys.readouterr().err


def test_store_commands_import_list_export(tmp_path, files, monkeypatch, capsys):
    monkeypatch.setenv("WIJKPROFIELEN_DATABASE", f"sqlite:///{tmp_path / 'w.db'}")
    assert main(["scenario", "import", "--scenario", str(files[0])]) == 0
    assert "opgeslagen als scenario 1: A" in capsys.readouterr().out
    assert main(["scenario", "lijst"]) == 0
    assert "\tGM9999\tversie 1\t" in capsys.readouterr().out
    out = tmp_path / "a-terug.json"
    assert main(["scenario", "export", "--id", "1", "--out", str(out)]) == 0
    assert json.loads(out.read_text()) == A
    assert main(["scenario", "export", "--id", "7"]) == 2
    assert "Scenario 7 bestaat niet" in capsys.readouterr().err


def test_gemeente_picks_one_gemeente_from_a_larger_dataset(tmp_path, capsys):
    import pandas as pd

    from wijkprofielen.dataset import Dataset

    a = grid_dataset({"woningen": [100, 100]}, gemeentecode="GM0796")
    b = grid_dataset({"woningen": [50]}, gemeentecode="GM0001")
    both = Dataset(pd.concat([a.gebieden, b.gebieden], ignore_index=True), pd.concat([a.waarden, b.waarden]), {}, {}, {"naam": "twee"})
    path = save_dataset(both, tmp_path / "twee.parquet")
    sc = tmp_path / "s.json"
    sc.write_text(json.dumps({"naam": "S", "maatregelen": [{"buurtcode": a.codes[0], "interventie": "flexwonen", "segment": None, "aantal": 40, "jaar": None}]}))
    assert main(["scenario", "evaluate", "--data", str(path), "--scenario", str(sc)]) == 2
    assert "2 gemeenten" in capsys.readouterr().err
    assert main(["scenario", "evaluate", "--data", str(path), "--scenario", str(sc), "--gemeente", "GM0796"]) == 0
    doelen = {d["doel"]: d for d in json.loads(capsys.readouterr().out)["doelen"]}
    assert doelen["flex"]["gepland"] == 40 and doelen["flex"]["streef"] == 500
    assert main(["scenario", "evaluate", "--data", str(path), "--scenario", str(sc), "--gemeente", "GM0363"]) == 2
    assert "GM0363 komt niet voor" in capsys.readouterr().err
