"""Gebieden: exchange formats (lossless), bad input, the versioned store, and the command line."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from workshop_helpers import store_url_fixture

from wijkprofielen.cli import main
from wijkprofielen.errors import DataError
from wijkprofielen.gebieden import Gebied, GebiedenStore, from_json, read_gebieden, to_csv, to_json

ORTHEN = Gebied("Orthen-links", ("BU07960914", "BU07960403"), "West van de Dommel; een, twee")
BOSCHVELD = Gebied("Boschveld", ("BU07961101",), "")


def test_json_and_csv_round_trip_losslessly(tmp_path):
    gebieden = [ORTHEN.with_versie(3), BOSCHVELD]
    assert from_json(to_json(gebieden)) == gebieden
    p = tmp_path / "g.csv"
    p.write_bytes(to_csv(gebieden))
    assert read_gebieden(p) == gebieden
    x = tmp_path / "g.xlsx"
    pd.DataFrame({"gebied": ["A", "A", "B"], "buurtcode": ["BU07960101", "bu07960102 ", "BU07960101"]}).to_excel(x, index=False)
    assert [g.buurtcodes for g in read_gebieden(x)] == [("BU07960101", "BU07960102"), ("BU07960101",)]


@pytest.mark.parametrize("text, message", [
    ("gebied,buurtcode\nA,BU07960101\na,BU07960102\n", "meer dan eens"),
    ("naam,code\nA,BU07960101\n", "kolom 'gebied' en 'buurtcode' ontbreekt"),
    ("gebied,buurtcode\n,BU07960101\n", "geen gebiedsnaam"),
    ("gebied,buurtcode\nA,\n", "geen buurten"),
    ("gebied,buurtcode\n", "bevat geen gebieden"),
    ("", "is leeg"),
])
def test_bad_files_get_dutch_messages(tmp_path, text, message):
    p = tmp_path / "g.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        read_gebieden(p)


def test_unknown_codes_are_named(tmp_path):
    p = tmp_path / "g.csv"
    p.write_text("gebied,buurtcode\nA,BU07960101\nA,BU00000001\nB,BU00000002\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"A: BU00000001; B: BU00000002"):
        read_gebieden(p, ["BU07960101"])


url = store_url_fixture("gebieden.db")


def test_store_round_trip_and_versions(url):
    store = GebiedenStore(url)
    gid = store.create(ORTHEN, "GM0796")
    assert store.load(gid) == ORTHEN.with_versie(1)
    bigger = Gebied(ORTHEN.naam, ORTHEN.buurtcodes + ("BU07960913",), ORTHEN.beschrijving)
    assert store.save(gid, bigger) == 2
    assert store.load(gid) == bigger.with_versie(2) and store.load(gid, 1) == ORTHEN.with_versie(1)
    assert [v for v, _ in store.versions(gid)] == [1, 2]
    with pytest.raises(DataError, match="al een gebied"):
        store.create(Gebied("orthen-LINKS", ("BU07960101",)))
    # Import: an unchanged gebied keeps its version, a changed one gets a new one, a new name a new gebied.
    assert store.import_gebieden([bigger, BOSCHVELD], "GM0796") == {"Orthen-links": 2, "Boschveld": 1}
    assert store.import_gebieden([ORTHEN]) == {"Orthen-links": 3}
    assert [(g.naam, g.versie, g.n_buurten) for g in store.list("GM0796")] == [("Boschveld", 1, 1), ("Orthen-links", 3, 2)]
    store.delete(store.find("Boschveld").id)
    assert [g.naam for g in store.load_all()] == ["Orthen-links"]


def test_cli_import_list_export_and_score_per_level(tmp_path, capsys, voorbeeld):
    from wijkprofielen.dataset import save_dataset

    data = tmp_path / "v.parquet"
    save_dataset(voorbeeld, data)
    db = f"sqlite:///{tmp_path}/g.db"
    codes = voorbeeld.codes
    src = tmp_path / "in.csv"
    src.write_text(f"gebied,buurtcode\nNoord,{codes[0]}\nNoord,{codes[1]}\nZuid,{codes[2]}\n", encoding="utf-8")
    assert main(["gebieden", "--database", db, "import", str(src), "--data", str(data), "--gemeente", "GM9999"]) == 0
    assert "gebied 'Noord' opgeslagen (versie 1)" in capsys.readouterr().out
    assert main(["gebieden", "--database", db, "lijst"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("Noord,GM9999,1,2,")
    out = tmp_path / "uit.json"
    assert main(["gebieden", "--database", db, "export", "--out", str(out)]) == 0
    assert [g.naam for g in from_json(out.read_text())] == ["Noord", "Zuid"]
    assert main(["gebieden", "--database", db, "export", "--naam", "Bestaatniet"]) == 2
    assert "staat niet in de opslag" in capsys.readouterr().err

    table = tmp_path / "gebied.csv"
    assert main(["score", "--data", str(data), "--niveau", "gebied", "--gebieden", str(out), "--met-waarden",
                 "--out", str(table)]) == 0
    t = pd.read_csv(table)
    assert t["gebied"].tolist() == ["Noord", "Zuid"]
    assert {"draagkracht", "fysieke_kansen", "kwadrant", "referentie", "inwoners", "pct_65plus", "lbm_afw"} <= set(t.columns)
    assert t.loc[1, "inwoners"] == voorbeeld.frame().set_index("buurtcode").at[codes[2], "inwoners"]
    wijk = tmp_path / "wijk.json"
    assert main(["score", "--data", str(data), "--niveau", "wijk", "--out", str(wijk)]) == 0
    rows = json.loads(wijk.read_text())
    assert {r["wijkcode"] for r in rows} == set(voorbeeld.gebieden["wijkcode"]) and "wijknaam" in rows[0]
    assert main(["score", "--data", str(data), "--niveau", "gebied"]) == 2
    assert "vraagt om --gebieden" in capsys.readouterr().err


def test_export_per_level_names_the_level_and_the_gebied_version(tmp_path, voorbeeld):
    import geopandas as gpd

    from wijkprofielen.dataset import save_dataset

    data = tmp_path / "v.parquet"
    save_dataset(voorbeeld, data)
    src = tmp_path / "g.json"
    src.write_text(to_json([Gebied("Noord", tuple(voorbeeld.codes[:3]), "drie buurten", 4)]), encoding="utf-8")
    gpkg, manifest = tmp_path / "g.gpkg", tmp_path / "g.json.out"
    base = ["export", "--data", str(data), "--niveau", "gebied", "--gebieden", str(src)]
    assert main(base + ["--format", "gpkg", "--out", str(gpkg)]) == 0
    g = gpd.read_file(gpkg, layer="gebieden_rd_new")
    area = voorbeeld.gebieden.set_index("buurtcode").loc[voorbeeld.codes[:3]].area.sum()
    assert g["gebied"].tolist() == ["Noord"] and g.area.iloc[0] == pytest.approx(area, rel=1e-6)
    assert g["herkomst_inwoners"].iloc[0] == "berekend"
    assert main(base + ["--format", "json", "--out", str(manifest)]) == 0
    m = json.loads(manifest.read_text())
    assert m["niveau"] == "gebied" and m["gebieden"][0]["versie"] == 4 and m["gebieden"][0]["naam"] == "Noord"
    assert m["referentie"] == "de wijken van de eigen gemeente"
    csv = tmp_path / "w.csv"
    assert main(["export", "--data", str(data), "--niveau", "wijk", "--format", "csv", "--out", str(csv)]) == 0
    assert pd.read_csv(csv)["wijkcode"].nunique() == voorbeeld.gebieden["wijkcode"].nunique()
