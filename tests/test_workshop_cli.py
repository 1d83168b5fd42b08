"""The ``workshop`` CLI: export, import (lossless), buurt placements, Dutch errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from wijkprofielen import opslag
from wijkprofielen.cli import main
from wijkprofielen.workshop import WorkshopStore

from workshop_helpers import small_dataset, small_recipe


@pytest.fixture
def setup(tmp_path):
    url = f"sqlite:///{tmp_path}/cli.db"
    store = WorkshopStore(url)
    ds = small_dataset()
    ws = store.create_workshop("CLI-atelier", ds, ds.codes[:2], recipe=small_recipe())
    pid = store.join(ws.code, "Anna")
    store.place(ws.code, pid, ds.codes[0], 0.1, 0.2, reden="r")
    yield url, store, ws, ds
    opslag.dispose_engines()


def test_export_import_round_trip_via_cli(setup, tmp_path, monkeypatch, capsys):
    url, store, ws, ds = setup
    out = tmp_path / "ws.json"
    monkeypatch.setenv("WIJKPROFIELEN_SLEUTEL", ws.facilitator_key)
    assert main(["workshop", "--database", url, "export", "--code", ws.code, "--out", str(out)]) == 0
    other = f"sqlite:///{tmp_path}/ander.db"
    assert main(["workshop", "--database", other, "import", str(out)]) == 0
    assert ws.code in capsys.readouterr().out
    assert WorkshopStore(other).export_json(ws.code, ws.facilitator_key) + "\n" == out.read_text(encoding="utf-8")  # files end with a newline
    csv = tmp_path / "ws.csv"
    assert main(["workshop", "--database", url, "export", "--code", ws.code, "--out", str(csv)]) == 0
    assert pd.read_csv(csv)["naam"].tolist() == ["Anna"]


def test_buurt_placements_via_cli(setup, tmp_path):
    url, store, ws, ds = setup
    out = tmp_path / "bp.json"
    assert main(["workshop", "--database", url, "plaatsingen", "--buurt", ds.codes[0], "--out", str(out)]) == 0
    rows = json.loads(out.read_text())
    assert [(r["workshop"], r["deelnemer"], r["draagkracht"]) for r in rows] == [("CLI-atelier", "Anna", 0.1)]
    assert main(["workshop", "--database", url, "plaatsingen", "--buurt", ds.codes[0], "--anoniem", "--out", str(out)]) == 0
    assert json.loads(out.read_text())[0]["deelnemer"] == "Deelnemer 1"
    assert main(["workshop", "--database", url, "plaatsingen", "--buurt", ds.codes[0], "--alleen-gesloten", "--out", str(out)]) == 0
    assert json.loads(out.read_text()) == []


@pytest.mark.parametrize("args, fragment, process", [
    (["export", "--code", "ZZZZZZZZ", "--sleutel", "x"], "bestaat niet", True),  # one real process
    (["export", "--code", "{code}", "--sleutel", "fout"], "begeleiderssleutel klopt niet", False),
    (["export", "--code", "{code}"], "WIJKPROFIELEN_SLEUTEL", False),
    (["import", "bestaat-niet.json"], "kan niet worden gelezen", False),
])
def test_errors_exit_2_in_dutch(setup, args, fragment, process, monkeypatch, cli):
    url, store, ws, ds = setup
    monkeypatch.delenv("WIJKPROFIELEN_SLEUTEL", raising=False)
    args = [a.replace("{code}", ws.code) for a in args]
    r = (cli.process if process else cli)("workshop", "--database", url, *args)
    assert r.returncode == 2
    assert r.stderr.startswith("fout: ") and fragment in r.stderr and "Traceback" not in r.stderr
