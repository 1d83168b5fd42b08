"""Every broken file in tests/badinput gets a Dutch message naming the file, where, and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijkprofielen.cli import main
from wijkprofielen.errors import DataError
from wijkprofielen.importers.boundaries import read_boundaries
from wijkprofielen.importers.kerncijfers import read_kerncijfers
from wijkprofielen.importers.leefbaarometer import read_leefbaarometer
from wijkprofielen.importers.lokaal import read_lokaal
from wijkprofielen.testing import grid_dataset

BAD = Path(__file__).parent / "badinput"
GM = "GM0796"

# (file, reader, where the problem is, how to fix it)
CASES = [
    ("leeg.csv", lambda p: read_leefbaarometer(p, GM), "rij 1", "Kies het volledige"),
    ("scheidingsteken.csv", lambda p: read_leefbaarometer(p, GM), "kolom 'bu_code'", "Gebruik komma of puntkomma"),
    ("utf16.csv", lambda p: read_leefbaarometer(p, GM), "nul-bytes", "Sla het Leefbaarometer-bestand op als 'CSV UTF-8'"),
    ("dubbele_codes.csv", lambda p: read_leefbaarometer(p, GM), "(rij 4)", "verwijder de dubbele rij"),
    ("andere_gemeente.csv", lambda p: read_lokaal(p, GM), "kolom 'buurtcode', rij 3", "Verwijder die rij(en) of importeer voor GM0363"),
    ("tekst_in_getallen.csv", lambda p: read_kerncijfers(p, GM, 2024), "kolom 'AantalInwoners_5', rij 4: 'veel'", "Gebruik cijfers"),
    ("zonder_crs/buurten.shp", lambda p: read_boundaries(p, GM), "geen coördinatenstelsel", "Sla het op met EPSG:28992"),
    ("rd_zonder_crs.geojson", lambda p: read_boundaries(p, GM), "coördinaten (149000, 411000)", "sla het op met EPSG:28992"),
    ("punten.geojson", lambda p: read_boundaries(p, GM), "object 2 (BU07960102) is een Point", "kies de vlakkenlaag"),
    ("zelfdoorsnijdend.geojson", lambda p: read_boundaries(p, GM), "object 2 (BU07960102) is een ongeldig vlak (Self-intersection", "Repareer de geometrie"),
    ("te_groot.csv", lambda p: read_leefbaarometer(p, GM, max_mb=0.001), "groter dan de grens van 0.001 MB", "verhoog [import] max_mb"),
    ("archief.zip", lambda p: read_boundaries(p, GM), "ZIP-archief", "Pak het eerst uit"),
    ("extra_kopregels.csv", lambda p: read_lokaal(p, GM), "kopregel staat op rij 3", "Verwijder de 2 regel(s) boven de kopregel"),
    ("extra_kopregels.xlsx", lambda p: read_lokaal(p, GM), "kopregel staat op rij 3", "Verwijder de 2 regel(s) boven de kopregel"),
]


@pytest.mark.parametrize(("name", "reader", "where", "fix"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_gets_a_dutch_message(name, reader, where, fix):
    path = BAD / name
    assert path.exists(), "run tests/badinput/make_corpus.py"
    with pytest.raises(DataError) as info:
        reader(path)
    message = str(info.value)
    assert path.name in message
    assert where in message
    assert fix in message


def test_failed_import_leaves_the_existing_dataset_intact(tmp_path, capsys):
    from wijkprofielen.dataset import load_dataset, save_dataset

    out = tmp_path / "GM0796.parquet"
    save_dataset(grid_dataset({"x": [1.0, 2.0]}), out)
    before = out.read_bytes()
    code = main(["import", "--gemeente", GM, "--buurten", str(BAD / "zelfdoorsnijdend.geojson"), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("fout: zelfdoorsnijdend.geojson") and "Traceback" not in err
    assert out.read_bytes() == before
    assert load_dataset(out).codes == grid_dataset({"x": [1.0, 2.0]}).codes
    assert [p.name for p in tmp_path.iterdir()] == ["GM0796.parquet"]  # no temporary files left


@pytest.mark.parametrize(("argv", "expected"), [
    (["--gemeente", "796"], "Gemeentecode '796' is ongeldig"),
    (["--gemeente", GM, "--out", "x.csv"], "Gebruik een naam op .parquet"),
    (["--gemeente", GM, "--out", "/nonexistent/dir/x.parquet"], "Map /nonexistent/dir bestaat niet"),
    (["--gemeente", GM, "--buurten", "bestaat_niet.geojson"], "Bestand bestaat_niet.geojson bestaat niet"),
    (["--gemeente", GM, "--max-mb", "0.0001"], "punten.geojson is 0.0 MB, groter dan de grens van 0.0001 MB"),
    (["--gemeente", GM, "--max-mb", "veel"], "fout: ongeldige argumenten: argument --max-mb"),
])
def test_cli_arguments_errors(argv, expected, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = {"--buurten": str(BAD / "punten.geojson"), "--out": str(tmp_path / "o.parquet")}
    for k, v in zip(argv[::2], argv[1::2]):
        args[k] = v
    flat = [x for kv in args.items() for x in kv]
    if "--gemeente" not in args:
        flat += ["--gemeente", GM]
    try:
        code = main(["import", *flat])
    except SystemExit as exc:  # argparse's own errors exit from the parser
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
