"""The ``vergelijk`` command, called in-process: JSON and Markdown, and each bad argument."""

from __future__ import annotations

import json

import pytest

from wijkprofielen.cli import main
from wijkprofielen.dataset import save_dataset
from wijkprofielen.synthetic import voorbeeldstad

BUURT = "BU99990300"


@pytest.fixture(scope="module")
def demo(tmp_path_factory, voorbeeld):
    path = tmp_path_factory.mktemp("vergelijk") / "voorbeeld.parquet"
    save_dataset(voorbeeld, path)
    return path


def test_json_lists_the_peers_sorted_by_distance(demo, capsys, config):
    assert main(["vergelijk", "--data", str(demo), "--buurt", BUURT]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == config.vergelijk.k
    assert all(set(r) == {"buurtcode", "buurtnaam", "gemeentenaam", "afstand", "gedeelde_indicatoren", "kwadrant"} for r in rows)
    assert BUURT not in {r["buurtcode"] for r in rows}
    afstand = [r["afstand"] for r in rows]
    assert afstand == sorted(afstand) and afstand[0] > 0
    namen = voorbeeldstad().gebieden.set_index("buurtcode")["buurtnaam"]
    assert all(r["buurtnaam"] == namen[r["buurtcode"]] for r in rows)


def test_k_referentie_and_markdown_to_a_file(demo, tmp_path, capsys):
    assert main(["vergelijk", "--data", str(demo), "--buurt", BUURT.lower(), "--k", "3", "--referentie", "dataset"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    out = tmp_path / "peers.md"
    assert main(["vergelijk", "--data", str(demo), "--buurt", BUURT, "--k", "2", "--format", "md", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Vergelijkbare buurten van") and "| Buurt | Gemeente | Afstand |" in text
    assert text.count("| BU") == 0 and text.count("(BU9999") == 3  # the buurt in the title, two peers in the table


def test_unknown_buurt_says_so_in_dutch(demo, capsys):
    assert main(["vergelijk", "--data", str(demo), "--buurt", "BU99990399"]) == 2
    err = capsys.readouterr().err
    assert "Buurt 'BU99990399' staat niet in de dataset" in err and "Bedoelde u" in err


@pytest.mark.parametrize("args, message", [
    (["--k", "0"], "--k = 0 ligt buiten het bereik 1 – 100."),
    (["--k", "acht"], "--k moet een geheel getal zijn, niet 'acht'."),
    (["--k", "2.5"], "--k moet een geheel getal zijn, niet '2.5'."),
    (["--referentie", "provincie"], "--referentie = 'provincie' is onbekend. Kies uit: gemeente, dataset, nederland"),
])
def test_bad_arguments_exit_2_with_a_dutch_message(demo, capsys, args, message):
    with pytest.raises(SystemExit) as stop:
        main(["vergelijk", "--data", str(demo), "--buurt", BUURT, *args])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "fout: ongeldige argumenten" in err and message in err
