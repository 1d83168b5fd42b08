import json

import pandas as pd
import pytest

from wijkprofielen.cli import main


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    p = tmp_path_factory.mktemp("demo") / "voorbeeld.parquet"
    assert main(["demo", "--out", str(p)]) == 0
    return p


def test_demo_then_score_gives_all_four_quadrants(demo, tmp_path, capsys):
    out = tmp_path / "s.csv"
    assert main(["score", "--data", str(demo), "--out", str(out)]) == 0
    table = pd.read_csv(out)
    for col in ["buurtcode", "buurtnaam", "draagkracht", "fysieke_kansen", "kwadrant", "dekking_draagkracht",
                "dekking_fysieke_kansen", "sub_draagkracht", "sub_draaglast", "sub_ruimte", "sub_opgave"]:
        assert col in table
    assert {"hoog_hoog", "laag_hoog", "laag_laag", "hoog_laag"} <= set(table["kwadrant"])
    assert "synthetisch" in capsys.readouterr().err


def test_score_json_and_stdout(demo, tmp_path, capsys):
    out = tmp_path / "s.json"
    assert main(["score", "--data", str(demo), "--out", str(out)]) == 0
    rows = json.loads(out.read_text())
    assert len(rows) == 77 and rows[0]["buurtcode"].startswith("BU9999")
    assert main(["score", "--data", str(demo)]) == 0
    assert capsys.readouterr().out.startswith("buurtcode,buurtnaam,draagkracht")


def test_score_on_plain_csv(tmp_path, capsys):
    p = tmp_path / "i.csv"
    p.write_text("buurtcode,lbm_afw,lbm_won\nBU00010001,0.1,0.1\nBU00010002,-0.1,-0.1\nBU00010003,0.0,0.05\n")
    assert main(["score", "--data", str(p)]) == 0
    err = capsys.readouterr().err
    # Absent indicators are missing weight: named, with how to add them, and the axis has no score.
    assert "ontbreekt" in err and "pct_sociaal_minimum" in err and "import --kerncijfers" in err
    assert "minder dan min_dekking" in err
    assert "geen kolom inwoners" in err


def test_score_with_another_recipe_and_a_composite_warning(demo, tmp_path, capsys):
    out = tmp_path / "s.csv"
    assert main(["score", "--data", str(demo), "--recept", "landelijk", "--out", str(out), "--zonder-stabiliteit"]) == 0
    assert set(pd.read_csv(out)["recept"]) == {"landelijk"}
    assert main(["score", "--data", str(demo), "--recept", "landelijkk"]) == 2
    assert "Bedoelde u 'landelijk'?" in capsys.readouterr().err
    cfg = tmp_path / "c.toml"
    cfg.write_text('[[assen.draagkracht.indicatoren]]\nkolom = "lbm_afw"\n[[assen.draagkracht.indicatoren]]\nkolom = "lbm_soc"\n'
                   '[[assen.fysieke_kansen.indicatoren]]\nkolom = "lbm_won"\nrichting = -1\n', encoding="utf-8")
    assert main(["score", "--data", str(demo), "--config", str(cfg), "--zonder-stabiliteit", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "let op: Recept 'eigen' gebruikt 'lbm_afw' samen met 'lbm_soc', 'lbm_won'" in err


@pytest.mark.parametrize(
    "config_text, fragment",
    [
        ("[scoring\n", "geen geldige TOML"),
        ('[[assen.draagkracht.indicatoren]]\nkolom = "bestaat_niet"\n[[assen.fysieke_kansen.indicatoren]]\nkolom = "lbm_won"\n', "bestaat_niet"),
        ('[[assen.draagkracht.indicatoren]]\nkolom = "lbm_afw"\ngewicht = -1\n[[assen.fysieke_kansen.indicatoren]]\nkolom = "lbm_won"\n', "negatief"),
        ('[[assen.draagkracht.indicatoren]]\nkolom = "lbm_afw"\ngewicht = 0\n[[assen.fysieke_kansen.indicatoren]]\nkolom = "lbm_won"\n', "alle gewichten"),
    ],
)
def test_errors_exit_2_with_dutch_message_and_no_traceback(demo, tmp_path, config_text, fragment, cli):
    cfg = tmp_path / "c.toml"
    cfg.write_text(config_text)
    r = cli("score", "--data", str(demo), "--config", str(cfg))
    assert r.returncode == 2
    assert fragment in r.stderr and "Traceback" not in r.stderr


def test_missing_file_and_bad_arguments(cli):
    # One real process: the exit code and stderr of `python -m wijkprofielen` itself.
    r = cli.process("score", "--data", "bestaat/niet.parquet")
    assert r.returncode == 2 and "bestaat niet" in r.stderr and "Traceback" not in r.stderr
    r = cli("score")
    assert r.returncode == 2 and "ongeldige argumenten" in r.stderr
    r = cli("demo", "--out", "x.csv")
    assert r.returncode == 2 and ".parquet" in r.stderr


@pytest.mark.parametrize("args, message", [
    (["score", "--jaar", "twintig"], "--jaar moet een geheel getal zijn, niet 'twintig'."),
    (["score", "--jaar", "24"], "--jaar = 24 ligt buiten het bereik 1900 – 2100."),
    (["export", "--jaar", "2024.5"], "--jaar moet een geheel getal zijn, niet '2024.5'."),
    (["demo", "--out", "x.parquet", "--seed", "-1"], "--seed = -1 ligt buiten het bereik 0 – 4294967295."),
    (["scenario", "export", "--id", "0"], "--id = 0 ligt buiten het bereik ≥ 1."),
    (["import", "--max-mb", "0"], "--max-mb = 0.0 ligt buiten het bereik 0.0001 – 100000."),
    (["menukaart", "--top", "drie"], "--top moet een geheel getal zijn, niet 'drie'."),
    (["bronnen", "controleer", "--wfs-jaar", "x"], "--wfs-jaar moet een geheel getal zijn, niet 'x'."),
])
def test_a_bad_number_on_the_command_line_gets_the_configurations_dutch_message(cli, args, message):
    r = cli(*args)
    assert r.returncode == 2 and message in r.stderr
    assert "invalid" not in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("args, message", [
    (["score"], "deze argumenten ontbreken: --data"),
    (["importeer"], "argument COMMANDO: onbekende keuze 'importeer' (kies uit: 'agenda', "),
    (["demo", "--out", "x.parquet", "--kleur", "blauw"], "onbekende argumenten: --kleur blauw"),
    (["score", "--data"], "argument --data: hier hoort één waarde bij"),
])
def test_the_parsers_own_refusals_are_dutch(cli, args, message):
    r = cli(*args)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("args, hint", [
    (["importeer"], "Zie 'python -m wijkprofielen --help'."),
    (["score"], "Zie 'python -m wijkprofielen score --help'."),
    (["scenario", "export"], "Zie 'python -m wijkprofielen scenario export --help'."),
])
def test_a_refusal_points_to_the_help_of_the_command_itself(cli, args, hint):
    assert hint in cli(*args).stderr
