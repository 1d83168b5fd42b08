"""The map print: text in the PDF and SVG, a true scale bar, the extent of the selection, 300 dpi PNG, CLI."""

from __future__ import annotations

import io
import re
from datetime import datetime

import numpy as np
import pypdf
import pytest
import shapely
from PIL import Image

from wijkprofielen.cli import main
from wijkprofielen.errors import DataError
from wijkprofielen.export.kaart import MARGE, NICE_SCALES, KaartOpties, draw_kaart, source_line
from wijkprofielen.ui import kaart_print
from wijkprofielen.workspace import Workspace

MOMENT = datetime(2026, 3, 4, 10, 0)


@pytest.fixture(scope="module")
def scored(voorbeeld, config):
    frame = voorbeeld.frame()
    return voorbeeld, frame, Workspace(config).score(frame), config


def _draw(scored, **opties):
    ds, frame, result, cfg = scored
    return draw_kaart(ds, frame, result, cfg, KaartOpties(**opties), gemaakt=MOMENT)


@pytest.fixture(scope="module")
def whole(scored):
    return _draw(scored, labels=True)


@pytest.fixture(scope="module")
def pdf_text(whole) -> str:
    reader = pypdf.PdfReader(io.BytesIO(whole.save("pdf")))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


def _metres(label: str) -> float:
    value, unit = re.fullmatch(r"([\d,]+) (m|km)", label).groups()
    return float(value.replace(",", ".")) * (1000 if unit == "km" else 1)


def _paper_mm(fig, pixels: float) -> float:
    return pixels / fig.dpi * 25.4


def test_pdf_text_has_title_legend_sources_caution_and_date(whole, pdf_text, voorbeeld):
    assert whole.titel in pdf_text and whole.titel.startswith("Kwadrant — ")
    assert len(whole.legenda) == 5 and whole.legenda[-1].label.startswith("Onvoldoende gegevens")  # incl. missing
    for item in whole.legenda:
        assert f"{item.label} ({item.aantal})" in pdf_text
    assert sum(i.aantal for i in whole.legenda) == len(voorbeeld.gebieden)
    assert "CBS / Kadaster, Leefbaarometer (BZK)" in pdf_text
    assert "signalen, geen oordelen" in pdf_text and "SYNTHETISCH" in pdf_text
    assert "4 maart 2026" in pdf_text and f"Schaal 1 : {whole.schaal:,}".replace(",", ".") in pdf_text
    assert "peiljaar" in pdf_text and "referentie: de eigen gemeente" in pdf_text
    assert whole.schaalstok.label in pdf_text and " N " in f" {pdf_text} "
    names = set(voorbeeld.gebieden["buurtnaam"])
    assert sum(n in pdf_text for n in names) >= len(names) // 2  # names that would overlap are left out


@pytest.mark.parametrize("opties", [{}, {"papier": "A3", "liggend": True, "wijk": "WK999903"}])
def test_scale_bar_matches_the_map_scale(scored, opties):
    kp = _draw(scored, **opties)
    fig, ax = kp.figure, kp.ax
    w, h = (420, 297) if opties else (210, 297)
    assert tuple(np.round(fig.get_size_inches() * 25.4)) == (w, h)
    box = ax.get_window_extent()
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    per_mm_x = (x1 - x0) / _paper_mm(fig, box.width)
    per_mm_y = (y1 - y0) / _paper_mm(fig, box.height)
    assert per_mm_x == pytest.approx(per_mm_y, rel=0.02)  # true shape: one scale both ways
    assert per_mm_x * 1000 == pytest.approx(kp.schaal, rel=0.02)  # the printed "1 : N"
    r = kp.schaalstok.rand
    (ax0, _), (ax1, _) = ax.transData.transform([(r.get_x(), r.get_y()), (r.get_x() + r.get_width(), r.get_y())])
    drawn_mm = _paper_mm(fig, ax1 - ax0)
    assert _metres(kp.schaalstok.label) / drawn_mm == pytest.approx(per_mm_x, rel=0.02)
    assert 0.1 <= drawn_mm / _paper_mm(fig, box.width) <= 0.25  # about a fifth of the map, a round length
    assert kp.schaal / 10 ** np.floor(np.log10(kp.schaal)) in NICE_SCALES  # 1 : 12.500, not 1 : 12.345


def _extent_fits(kp, bounds) -> None:
    x0, y0, x1, y1 = kp.extent
    b = np.asarray(bounds)
    assert x0 < b[0] and y0 < b[1] and x1 > b[2] and y1 > b[3]
    assert ((x0 + x1) / 2, (y0 + y1) / 2) == pytest.approx(((b[0] + b[2]) / 2, (b[1] + b[3]) / 2), abs=1)
    # The tighter side: the selection plus its margin, widened to the next round scale (at most 4/3).
    tight = min((x1 - x0) / (b[2] - b[0]), (y1 - y0) / (b[3] - b[1]))
    assert tight <= (1 + 2 * MARGE) * 4 / 3 + 0.01


def test_extent_is_the_selection_wijk_or_gemeente(scored, whole):
    ds, frame, result, cfg = scored
    _extent_fits(whole, shapely.total_bounds(frame.geometry.to_numpy()))
    wijk = _draw(scored, wijk="WK999905")
    in_wijk = frame["wijkcode"] == "WK999905"
    _extent_fits(wijk, shapely.total_bounds(frame.geometry[in_wijk].to_numpy()))
    assert wijk.selectie == pytest.approx(tuple(shapely.total_bounds(frame.geometry[in_wijk].to_numpy())))
    assert sum(i.aantal for i in wijk.legenda) == int(in_wijk.sum())
    assert "wijk" in wijk.titel and "WK999905" in wijk.titel
    # A second gemeente: three wijken under another code.
    two = frame.copy()
    other = two["wijkcode"].isin(["WK999901", "WK999902", "WK999903"])
    two.loc[other, ["gemeentecode", "gemeentenaam"]] = ["GM9998", "Buurdorp"]
    kp = draw_kaart(ds, two, result, cfg, KaartOpties(gemeente="GM9998"), gemaakt=MOMENT)
    _extent_fits(kp, shapely.total_bounds(two.geometry[other].to_numpy()))
    assert "Buurdorp" in kp.titel and sum(i.aantal for i in kp.legenda) == int(other.sum())


def test_class_numbers_and_hatching_carry_the_classes_without_colour(scored):
    kp = _draw(scored, kleur="bivariaat", klassenummers=True, arcering=True, liggend=True)
    numbered = [t for t in kp.teksten if re.match(r"\d  draagkracht", t)]
    assert len(numbered) == 9
    hatches = {c.get_hatch() for c in kp.ax.collections if c.get_hatch()}
    assert len(hatches) >= 5
    on_map = {t.get_text() for t in kp.ax.texts} - {"0", "N", kp.schaalstok.label}
    assert on_map and on_map <= {str(i) for i in range(1, 10)}


def test_svg_keeps_text_and_png_is_300_dpi(whole):
    svg = whole.save("svg").decode()
    assert svg.count("<text") > 20 and whole.titel.replace("'", "&#x27;") in svg.replace("&apos;", "&#x27;")
    png = Image.open(io.BytesIO(whole.save("png")))
    assert png.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    assert png.size == pytest.approx((210 / 25.4 * 300, 297 / 25.4 * 300), abs=1)  # A4 at 300 dpi


def test_source_line_lists_the_imported_sources(voorbeeld):
    real = voorbeeld.subset(voorbeeld.codes[:3])
    real.meta = {"naam": "x", "bronnen": [
        {"bron": "CBS Wijk- en buurtkaart (PDOK)", "jaren": [2022], "licentie": "CC-BY 4.0, CBS / Kadaster"},
        {"bron": "Leefbaarometer 3.0 (BZK)", "jaren": [2020, 2018], "licentie": "open data, Ministerie van BZK"}]}
    line = source_line(real)
    assert line.startswith("Bronnen: CBS / Kadaster, Leefbaarometer (BZK) — ")
    assert "Leefbaarometer 3.0 (BZK) 2018, 2020" in line and "Licentie: CC-BY 4.0, CBS / Kadaster" in line


@pytest.mark.parametrize(("opties", "melding"), [
    ({"kleur": "regenboog"}, "Onbekende kleuring 'regenboog'"),
    ({"wijk": "WK000000"}, "Wijk 'WK000000' staat niet in deze dataset"),
    ({"gemeente": "GM0001"}, "Gemeente 'GM0001' staat niet"),
    ({"kleur": "stabiliteit"}, "stabiliteit van de plaatsing nodig"),
    ({"kleur": "indicator", "indicator": "bestaat_niet"}, "Indicator 'bestaat_niet' staat niet"),
])
def test_bad_options_say_what_is_wrong(scored, opties, melding):
    with pytest.raises(DataError, match=re.escape(melding)):
        _draw(scored, **opties)


def test_cli_writes_the_map(small_data, tmp_path, capsys):
    out = tmp_path / "kaart.svg"
    args = ["export", "--data", str(small_data), "--kaart", "--kleur", "draagkracht", "--wijk", "WK999901", "--format",
            "svg", "--out", str(out), "--papier", "a3", "--liggend", "--labels"]
    assert main(args) == 0
    svg = out.read_text()
    assert "<text" in svg and "Draagkracht en weerbaarheid" in svg
    assert "kaart geschreven" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "melding"), [
    (["--kaart", "--kleur", "regenboog", "--format", "pdf"], "Onbekende kleuring 'regenboog'. Kies uit: kwadrant"),
    (["--kaart", "--gemeente", "GM0001", "--format", "pdf"], "Gemeente 'GM0001' staat niet in deze dataset"),
    (["--kaart", "--wijk", "WK000000", "--format", "pdf"], "Wijk 'WK000000' staat niet in deze dataset"),
    (["--kaart", "--format", "csv"], "De kaart wordt pdf, png, svg, niet csv"),
    (["--kaart", "--format", "png", "--naar", ".pdf"], "eindigt op .pdf maar --format is png"),
    (["--kaart", "--buurt", "BU99990101", "--format", "pdf"], "geen losse buurt"),
    (["--kaart", "--papier", "A5", "--format", "pdf"], "Onbekend papierformaat 'A5'"),
    (["--kaart", "--kleur", "indicator", "--format", "pdf"], "heeft een indicator nodig"),
    (["--labels", "--format", "csv"], "--labels hoort bij de kaart: voeg --kaart toe"),
    (["--format", "svg"], "--format svg is er alleen voor de kaart"),
])
def test_cli_bad_arguments_exit_2_in_dutch(small_data, tmp_path, capsys, args, melding):
    suffix = args.pop(args.index("--naar") + 1) if "--naar" in args else ".pdf"
    args = [a for a in args if a != "--naar"]
    out = tmp_path / f"kaart{suffix}"
    assert main(["export", "--data", str(small_data), *args, "--out", str(out)]) == 2
    assert melding in capsys.readouterr().err
    assert not out.exists()


def test_kaart_page_offers_the_print_of_the_shown_map(app):
    assert not app.run().get("download_button")  # the print panel is built only while open
    app.session_state[kaart_print.OPEN] = True
    at = app.run()
    assert not at.exception and not at.error
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Kaart als PDF" in labels
    at.radio(key="kaartprint_formaat").set_value("svg")
    at.selectbox(key="wijk").select("WK999905").run()
    assert not at.exception
    assert "Kaart als SVG" in [b.proto.label for b in at.get("download_button")]
    assert any("WK999905" in c.value and "kleuring van de zijbalk" in c.value for c in at.caption)
    at.session_state[kaart_print.OPEN] = False
    at.run()
    at.run()  # closed for two runs: the options are kept meanwhile
    assert not at.get("download_button")
    at.session_state[kaart_print.OPEN] = True
    at.run()
    assert "Kaart als SVG" in [b.proto.label for b in at.get("download_button")]
