"""``python -m wijkprofielen agenda import|lijst|export`` and ``monitor``."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from wijkprofielen.cli import main
from wijkprofielen.dataset import save_dataset

AFSPRAKEN = {"afspraken": [
    {"id": "A-1", "buurtcode": "BU99990101", "titel": "Huismeester", "interventie": "", "trekker": "corporatie",
     "start_jaar": 2020, "eind_jaar": 2023, "indicatoren": [{"kolom": "lbm_onv", "richting": "omhoog"}], "status": "in uitvoering"},
    {"id": "A-2", "buurtcode": "WK999902", "titel": "Wijkaanpak", "interventie": "", "trekker": "gemeente",
     "start_jaar": 2022, "eind_jaar": 2026, "indicatoren": [], "status": "gepland"},
]}


@pytest.fixture()
def files(tmp_path, monkeypatch, voorbeeld):
    monkeypatch.setenv("WIJKPROFIELEN_DATABASE", f"sqlite:///{tmp_path}/a.db")
    a = tmp_path / "a.json"
    a.write_text(json.dumps(AFSPRAKEN))
    return a, save_dataset(voorbeeld, tmp_path / "vs.parquet")


def test_import_list_and_export_every_format(files, tmp_path, capsys):
    a, data = files
    assert main(["agenda", "import", "--afspraken", str(a), "--data", str(data), "--door", "Anna"]) == 0
    assert "2 nieuw, 0 met een nieuwe versie, 0 ongewijzigd" in capsys.readouterr().out
    assert main(["agenda", "import", "--afspraken", str(a)]) == 0
    assert "2 ongewijzigd" in capsys.readouterr().out
    assert main(["agenda", "lijst", "--jaar", "2025"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("A-2\tWK999902\tGemeente\t2022–2026\tgepland\tversie 1")

    assert main(["agenda", "export", "--jaar", "2023", "--format", "csv", "--data", str(data)]) == 0
    csv = capsys.readouterr().out.splitlines()
    assert csv[0].startswith("Partij,Wijk,Buurt,Code,Kwadrant") and csv[1].startswith("Corporatie,Centrum,Marktkwartier,BU99990101,")
    assert main(["agenda", "export", "--jaar", "2023", "--out", str(tmp_path / "ag.xlsx")]) == 0
    assert load_workbook(tmp_path / "ag.xlsx").sheetnames == ["Corporatie", "Gemeente"]
    assert main(["agenda", "export", "--jaar", "2023", "--out", str(tmp_path / "ag.pdf"), "--data", str(data)]) == 0
    assert "Uitvoeringsagenda 2023 – Voorbeeldstad" in PdfReader(tmp_path / "ag.pdf").pages[0].extract_text()
    assert main(["agenda", "export", "--out", str(tmp_path / "alles.json")]) == 0
    exported = json.loads((tmp_path / "alles.json").read_text())
    assert [(x["id"], x["gewijzigd_door"]) for x in exported["afspraken"]] == [("A-1", "Anna"), ("A-2", "Anna")]


def test_export_needs_a_year_and_a_file(files, capsys):
    assert main(["agenda", "export", "--format", "pdf"]) == 2
    assert "Geef met --jaar het jaar" in capsys.readouterr().err
    assert main(["agenda", "export", "--jaar", "2024", "--format", "xlsx"]) == 2
    assert "Geef --out agenda.xlsx" in capsys.readouterr().err


def test_import_refuses_a_code_outside_the_dataset(files, tmp_path, capsys):
    _, data = files
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"afspraken": [{**AFSPRAKEN["afspraken"][0], "buurtcode": "BU07960101"}]}))
    assert main(["agenda", "import", "--afspraken", str(bad), "--data", str(data)]) == 2
    assert "BU07960101 komt niet voor in de dataset" in capsys.readouterr().err


def test_monitor_json_and_markdown(files, voorbeeld, capsys):
    a, data = files
    assert main(["monitor", "--data", str(data), "--afspraken", str(a), "--jaar", "2025"]) == 0
    out = json.loads(capsys.readouterr().out)
    first = out["afspraken"][0]
    assert (first["id"], first["buurtcode"], first["status"]) == ("A-1", "BU99990101", "in uitvoering")
    ind = first["indicatoren"][0]
    w = voorbeeld.waarden
    van, tot = w.at["BU99990101", ("lbm_onv", 2020)], w.at["BU99990101", ("lbm_onv", 2024)]
    assert (ind["kolom"], ind["van_jaar"], ind["van"], ind["tot_jaar"], ind["tot"]) == ("lbm_onv", 2020, van, 2024, tot)
    assert ind["verschil"] == tot - van and ind["richting_goed"] == (tot > van)
    assert any(s["soort"] == "eindjaar_voorbij" for s in first["signalen"])
    assert set(first["dynamiek"]) == {"toen", "nu", "reden"}
    assert first["dynamiek"]["nu"] in ("positief", "stabiel", "negatief", "onbekend") and "2018–2024" in first["dynamiek"]["reden"]
    assert main(["monitor", "--data", str(data), "--afspraken", str(a), "--format", "md", "--jaar", "2025"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("# Monitor prestatieafspraken (2025, gegevens tot 2024)") and "**Bijsturen?**" in md
    # Without --afspraken: the stored afspraken of the dataset's gemeente (none yet).
    assert main(["monitor", "--data", str(data)]) == 0
    assert json.loads(capsys.readouterr().out)["afspraken"] == []
