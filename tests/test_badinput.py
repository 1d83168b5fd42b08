"""Every broken file in tests/badinput gets a Dutch message naming the file, where, and the fix."""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from badinput.cases import CASES, CLEAR, CORRECT, GM, outcome
from wijkprofielen.cli import main
from wijkprofielen.errors import WijkprofielenError
from wijkprofielen.importers.boundaries import read_boundaries
from wijkprofielen.importers.inkomen import read_inkomen
from wijkprofielen.importers.invoer import Invoer
from wijkprofielen.importers.kerncijfers import read_kerncijfers
from wijkprofielen.importers.leefbaarometer import read_leefbaarometer
from wijkprofielen.importers.lokaal import read_lokaal
from wijkprofielen.importers.validate import getal, parse_numbers
from wijkprofielen.testing import grid_dataset

from conftest import examples

BAD = Path(__file__).parent / "badinput"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_corpus_case_gives_a_clear_message_or_imports_correctly(case):
    assert case.path.exists(), "run tests/badinput/make_corpus.py"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing may reach stderr before the message
        kind, detail = outcome(case)
    assert kind == (CORRECT if case.goed else CLEAR), detail


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


@pytest.mark.parametrize(("option", "name", "expected"), [
    ("--lokaal", "lokaal_pct_250.csv", "buiten het bereik"),
    ("--lokaal", "lokaal_jaar_inf.csv", "geen geldig jaartal"),
    ("--leefbaarometer", "lbm_1e400.csv", "geen eindig getal"),
    ("--kerncijfers", "kwb2024_85984NED_afgekapt.csv", "afgekapt"),
    ("--kerncijfers", "kwb2024_85984NED_tabel_2017.csv", "passen niet bij 2024"),
    ("--buurten", "graden_als_rd.geojson", "niet in Nederland"),
    ("--buurten", "gdal_waarschuwing.geojson", "GDAL meldde"),
    ("--lokaal", "formule_zonder_uitkomst.xlsx", "geen opgeslagen uitkomst"),
])
def test_refused_corpus_file_leaves_the_dataset_byte_identical(option, name, expected, tmp_path, capsys):
    from wijkprofielen.dataset import save_dataset

    out = tmp_path / "GM0796.parquet"
    save_dataset(grid_dataset({"x": [1.0, 2.0]}), out)
    before = out.read_bytes()
    args = {"--buurten": str(BAD / "grenzen.geojson"), option: str(BAD / name)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code = main(["import", "--gemeente", GM, *[x for kv in args.items() for x in kv], "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"fout: {name}") and expected in err and "Traceback" not in err and "Warning" not in err
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["GM0796.parquet"]


def test_continue_with_out_of_range_values_as_missing(tmp_path, capsys):
    out = tmp_path / "GM0796.parquet"
    rapport = tmp_path / "rapport.json"
    code = main(["import", "--gemeente", GM, "--buurten", str(BAD / "grenzen.geojson"), "--lokaal", str(BAD / "lokaal_pct_250.csv"),
                 "--bij-afwijking", "ontbrekend", "--out", str(out), "--rapport", str(rapport)])
    assert code == 0
    from wijkprofielen.dataset import load_dataset

    ds = load_dataset(out)
    assert ds.waarden[("pct_corporatiebezit", 0)].tolist()[:2] == [40.0, pytest.approx(float("nan"), nan_ok=True)]
    assert ds.reden("pct_corporatiebezit", 0, "BU07960102").startswith("buiten bereik (250; 0 tot en met 100 %)")
    bron = json.loads(rapport.read_text())["bronnen"][0]
    assert bron["buiten_bereik"] == 1
    assert "1 waarden buiten bereik (als ontbrekend bewaard)" in capsys.readouterr().out


def test_dropped_rows_are_reported_with_their_reason():
    b = read_kerncijfers(Invoer("kwb2024_85984NED.csv", (
        "WijkenEnBuurten,SoortRegio_2,Codering_3,AantalInwoners_5\n"
        "GM0796,Gemeente,GM0796,150000\nBU07960101,Buurt,BU07960101,100\nBU03630101,Buurt,BU03630101,50\n").encode()), GM)
    assert b.meldingen == [
        "kwb2024_85984NED.csv: 1 rij overgeslagen: geen buurt (wijk, gemeente, land of zonder code) (rij 2)",
        "kwb2024_85984NED.csv: 1 rij overgeslagen: buurten van andere gemeenten (rij 4)",
    ]


@pytest.mark.parametrize(("cells", "geheel", "expected"), [
    (["6.025", "540", "1.985"], True, [6025, 540, 1985]),  # counts: grouping
    (["6,025", "540"], True, [6025, 540]),
    (["4.123", "4.1274"], False, [4.123, 4.1274]),  # the column uses '.' as decimal mark
    (["1.234,5", "6.960"], False, [1234.5, 6960]),  # Dutch: '.' groups, ',' is decimal
    (["1,234.5", "6,960"], False, [1234.5, 6960]),
    (["12,5", "6.960"], False, [12.5, 6960]),  # ',' is decimal, so '.' groups
    ([" 6 960 ", "-99997", ""], True, [6960, None, None]),
])
def test_thousands_separators_are_decided_per_column(cells, geheel, expected):
    import pandas as pd

    nums, _ = parse_numbers(pd.Series(cells, index=range(2, 2 + len(cells)), dtype=object), "f.csv", "k", geheel=geheel)
    assert [None if v != v else v for v in nums.tolist()] == expected


def test_numbers_in_messages_stay_short():
    assert getal(1e300) == "1e+300" and getal(float("inf")) == "oneindig" and getal(12.5) == "12,5"


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


# -- Fuzzing: every reader, bounded in time; nothing but the project's own errors ---------
# About 2,000 inputs per normal run; WIJKPROFIELEN_FUZZ multiplies them for a longer run.
FUZZ = settings(max_examples=examples(450), deadline=None, suppress_health_check=list(HealthCheck), database=None)
TOKENS = ["BU07960101", "bu0796 0102", "BU0796", "WK079601", "GM0796", "", " ", ".", "-99997", "-99995", "6.960", "6,960", "1.234,5",
          "12.5", "0", "-500", "250", "1e400", "inf", "-inf", "nan", "2024", "2024.7", "99999", "\"", "'", ";", ",", "\t", "é", "9" * 40,
          "AantalInwoners_5", "Codering_3", "WijkenEnBuurten", "k_65JaarOfOuder_12", "Koopwoningen_40", "jaar", "afw", "lbm", "bu_code",
          "buurtcode", "pct_sociale_huur", "Wijkcode", "Gemeentecode", "x 1000 euro"]
cell = st.one_of(st.sampled_from(TOKENS), st.text(max_size=6))
table = st.lists(st.lists(cell, min_size=1, max_size=7), min_size=1, max_size=6)


def csv_bytes(header: list[str], rows: list[list[str]], sep: str, end: str) -> bytes:
    return (sep.join(header) + "\n" + "\n".join(sep.join(r) for r in rows) + end).encode("utf-8")


def mutate(data: bytes, cuts: list[tuple[int, int, bytes]]) -> bytes:
    for pos, n, insert in cuts:
        pos %= len(data) + 1
        data = data[:pos] + insert + data[pos + n:]
    return data


def only_own_errors(read, inv: Invoer) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would reach stderr
        try:
            read(inv)
        except WijkprofielenError:
            pass


mutations = st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 20), st.binary(max_size=6)), max_size=4)
HEADERS = {
    "kwb": "WijkenEnBuurten;SoortRegio_2;Codering_3;AantalInwoners_5;HuishoudensTotaal_29;k_65JaarOfOuder_12;Koopwoningen_40".split(";"),
    "lbm": "bu_code,bu_naam,jaar,lbm,afw,fys,onv,soc,vrz,won".split(","),
    "lokaal": ["buurtcode", "jaar", "pct_sociale_huur", "woningen", "Eigen kolom"],
}
READERS = {
    "kwb": lambda inv: read_kerncijfers(inv, GM),
    "lbm": lambda inv: read_leefbaarometer(inv, GM),
    "lokaal": lambda inv: read_lokaal(inv, GM),
}


@FUZZ
@given(st.sampled_from(sorted(READERS)), table, st.sampled_from([",", ";"]), st.sampled_from(["\n", "", "\r\n"]), st.booleans())
def test_fuzz_text_readers(kind, rows, sep, end, keep_header):
    header = HEADERS[kind] if keep_header else rows[0]
    only_own_errors(READERS[kind], Invoer(f"kwb2024_85984NED_{kind}.csv", csv_bytes(header, rows, sep, end)))


@FUZZ
@given(st.sampled_from([p.name for p in sorted(BAD.glob("*.csv"))] + [p.name for p in sorted(BAD.glob("*.json"))]),
       st.sampled_from(sorted(READERS)), mutations)
def test_fuzz_mutated_corpus_files(name, kind, cuts):
    only_own_errors(READERS[kind], Invoer(name, mutate((BAD / name).read_bytes(), cuts)))


json_value = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
                       st.sampled_from(TOKENS), st.lists(st.integers(), max_size=2))


@FUZZ
@given(st.lists(st.dictionaries(st.sampled_from(HEADERS["kwb"] + ["ID", "Gemeentenaam_1"]), json_value, max_size=8), max_size=5),
       st.sampled_from(["85984NED", "83765NED", ""]))
def test_fuzz_kerncijfers_odata(rows, table):
    doc = json.dumps({"odata.metadata": f"https://opendata.cbs.nl/ODataApi/OData/{table}/$metadata", "value": rows}, allow_nan=True)
    only_own_errors(READERS["kwb"], Invoer("kwb2024_85984NED.json", doc.encode()))


@FUZZ
@given(st.lists(st.lists(cell, min_size=6, max_size=6), min_size=1, max_size=6), mutations)
def test_fuzz_inkomen(rows, cuts):
    head = "Tabel 1;;;;;\ninkomen naar gemeente en wijk, 2020;;;;;\n;;;Gemiddeld;40% huishoudens;20% huishoudens\n;;;per inwoner;met laagste;met hoogste\nGemeentecode;Wijkcode;Regionaam;;;\n"
    body = ";;;;;\n".join([";".join(r) + "\n" for r in rows]) + "GM0796;Totaal;X;1;2;3\n;WK079601;Centrum;36,9;53,7;.\n"
    only_own_errors(lambda inv: read_inkomen(inv, GM), Invoer("inkomen.csv", mutate((head + body).encode(), cuts)))


excel_cell = st.one_of(st.none(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False, width=32), st.sampled_from(TOKENS),
                       st.sampled_from(["=A1*2", "=1/0"]))


@settings(max_examples=examples(120), deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.lists(st.lists(excel_cell, min_size=1, max_size=5), min_size=1, max_size=5), st.booleans(), st.booleans(), st.booleans())
def test_fuzz_lokaal_excel(rows, keep_header, hide_first, merge):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Eerste"
    second = wb.create_sheet("Tweede")
    for sheet in (ws, second):
        if keep_header:
            sheet.append(HEADERS["lokaal"])
        for r in rows:
            sheet.append(r)
    if hide_first:
        ws.sheet_state = "hidden"
        wb.active = 1
    if merge:
        second.merge_cells("A2:B3")
    out = io.BytesIO()
    wb.save(out)
    only_own_errors(READERS["lokaal"], Invoer("lokaal.xlsx", out.getvalue()))


coord = st.floats(-1e7, 1e7, allow_nan=False) | st.sampled_from([5.3, 51.69, 150_000.0, 450_000.0, float("inf")])


@settings(max_examples=examples(240), deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.lists(st.tuples(st.sampled_from(TOKENS[:5] + ["BU07960102", "BU07960103", None]), st.lists(st.tuples(coord, coord), min_size=0, max_size=5),
                          st.sampled_from(["Polygon", "Point", "LineString"])), min_size=1, max_size=4),
       st.sampled_from([None, "urn:ogc:def:crs:EPSG::28992", "urn:ogc:def:crs:EPSG::3857", "urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:999999"]),
       mutations)
def test_fuzz_boundaries(features, crs, cuts):
    feats = []
    for code, ring, kind in features:
        pts = [list(p) for p in ring]
        geometry = {"Polygon": {"type": "Polygon", "coordinates": [pts + pts[:1]]}, "Point": {"type": "Point", "coordinates": pts[0] if pts else []},
                    "LineString": {"type": "LineString", "coordinates": pts}}[kind]
        feats.append({"type": "Feature", "properties": {"statcode": code, "aantalInwoners": "6.960"}, "geometry": geometry})
    doc = {"type": "FeatureCollection", "features": feats}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    data = mutate(json.dumps(doc).encode(), cuts)
    only_own_errors(lambda inv: read_boundaries(inv, GM), Invoer("buurten.geojson", data))
