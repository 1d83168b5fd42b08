"""CLI: ``menukaart`` and ``suggest``."""

from __future__ import annotations

import json

import pytest

from wijkprofielen.cli import main
from wijkprofielen.menukaart import load_menukaart


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    p = tmp_path_factory.mktemp("demo") / "voorbeeld.parquet"
    assert main(["demo", "--out", str(p)]) == 0
    return p


def test_menukaart_json_lists_every_item_with_all_fields(capsys):
    assert main(["menukaart", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == len(load_menukaart())
    assert {"id", "titel", "categorie", "trekker", "kwadranten", "voorwaarden", "contra", "waarom", "bron", "bewijs"} <= set(rows[0])


def test_menukaart_md_is_grouped_by_category(capsys):
    assert main(["menukaart"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Menukaart") and "## Huurbeleid" in out and "## Schuldpreventie/woonlasten" in out


def test_suggest_json_and_menukaart_alias(demo, capsys):
    assert main(["suggest", "--data", str(demo), "--buurt", "BU99990100", "--format", "json"]) == 0
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert rows and {"id", "titel", "categorie", "trekker", "redenen"} <= set(rows[0])
    assert "synthetisch" in captured.err
    assert main(["menukaart", "--data", str(demo), "--buurt", "BU99990100", "--json", "--top", "3"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [r["id"] for r in rows[:3]]
    assert main(["suggest", "--data", str(demo), "--buurt", "BU99990100"]) == 0
    assert "signalen, geen oordelen" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["suggest", "--data", "{demo}", "--buurt", "BU00000000"], "Buurtcode 'BU00000000' staat niet in de data"),
    (["menukaart", "--buurt", "BU99990100"], "--data en --buurt samen"),
    (["menukaart", "--top", "3"], "--top en --jaar horen bij suggesties"),
])
def test_bad_input_exits_2_with_dutch_message(demo, capsys, args, message):
    assert main([a.replace("{demo}", str(demo)) for a in args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fout: ") and message in err and "Traceback" not in err


def test_a_top_below_one_is_refused_by_the_parser(demo, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["suggest", "--data", str(demo), "--buurt", "BU99990100", "--top", "0"])
    assert stop.value.code == 2
    assert "--top = 0 ligt buiten het bereik 1 – 10000." in capsys.readouterr().err


def test_broken_user_catalogue_exits_2(tmp_path, capsys):
    from tests.conftest import TEST_CONFIG
    from tests.test_menukaart import with_catalogue
    (tmp_path / "mk.toml").write_text('[[interventie]]\nid = "x"\n', encoding="utf-8")
    cfg = tmp_path / "config.toml"
    cfg.write_text(with_catalogue(TEST_CONFIG.read_text(encoding="utf-8"), "mk.toml"), encoding="utf-8")
    assert main(["menukaart", "--config", str(cfg)]) == 2
    assert "mk.toml, interventie 'x'" in capsys.readouterr().err


def test_bad_format_is_an_argparse_error_in_dutch(demo, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["suggest", "--data", str(demo), "--buurt", "BU99990100", "--format", "xml"])
    assert exc.value.code == 2
    assert "fout: ongeldige argumenten" in capsys.readouterr().err


def test_suggest_lists_te_controleren_apart_with_what_to_check(demo, voorbeeld, config, capsys):
    from wijkprofielen.menukaart import advise
    from wijkprofielen.scoring import score

    frame = voorbeeld.frame()
    result = score(frame, config.recipe)
    code = next(c for c in voorbeeld.codes if result.scores.at[c, "kwadrant"] == "onvoldoende_data")
    advies = advise(frame, result, code)
    assert main(["suggest", "--data", str(demo), "--buurt", code, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    statuses = [r["status"] for r in rows]
    assert statuses == sorted(statuses, key=lambda s: s == "te_controleren") and "te_controleren" in statuses
    first = next(r for r in rows if r["status"] == "te_controleren")
    assert first["id"] == advies.te_controleren[0].interventie.id
    assert first["te_controleren"] == list(advies.te_controleren[0].onbekend)
    assert main(["suggest", "--data", str(demo), "--buurt", code]) == 0
    out = capsys.readouterr().out
    assert "## Te controleren" in out and f"   - {advies.te_controleren[0].controles[0].tekst}" in out
