"""Workshop placements in the wijkprofiel: closed workshops only, anonymised (package, CLI, app)."""

from __future__ import annotations

import io

import pypdf
import pytest

from wijkprofielen import opslag
from wijkprofielen.cli import main
from wijkprofielen.dataset import save_dataset
from wijkprofielen.export.exporter import Exporter
from wijkprofielen.workshop import WorkshopStore
from wijkprofielen.workshop.export_link import TOELICHTING, closed_placements

CODE = "BU99990103"
DICHT, OPEN = "dichte reden <script>x</script>", "reden uit open workshop"


@pytest.fixture()
def store_url(tmp_path, voorbeeld, config, monkeypatch):
    """A store with one closed and one open workshop, both placing CODE; used as the configured store."""
    url = f"sqlite:///{tmp_path / 'ws.db'}"
    store = WorkshopStore(url)
    codes = [CODE, *[c for c in voorbeeld.codes if c != CODE][:2]]
    dicht = store.create_workshop("Atelier Oost", voorbeeld, codes, recipe=config.recipe)
    anna = store.join(dicht.code, "Anna Jansen")
    store.place(dicht.code, anna, CODE, 1.5, -1.0, reden=DICHT)
    store.close(dicht.code, dicht.facilitator_key)
    open_ = store.create_workshop("Atelier West", voorbeeld, codes, recipe=config.recipe)
    bram = store.join(open_.code, "Bram de Vries")
    store.place(open_.code, bram, CODE, -1.5, 1.0, reden=OPEN)
    monkeypatch.setenv("WIJKPROFIELEN_DATABASE", url)
    yield url
    opslag.dispose_engines()  # close the shared pooled connections to this tmp file


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages).split())


def test_pdf_and_html_show_closed_workshop_anonymised_not_the_open_one(store_url, voorbeeld, config):
    ex = Exporter(voorbeeld, config, menukaart=None, plaatsingen=closed_placements(store_url))
    pdf, html = _pdf_text(ex.pdf(CODE)), ex.html(CODE).decode()
    for text in (pdf, html.replace("&lt;", "<").replace("&gt;", ">")):
        assert "Plaatsingen in workshops" in text and "Atelier Oost" in text and "Deelnemer 1" in text
        assert "dichte reden <script>x</script>" in text
        assert "Anna" not in text  # anonymised
        assert OPEN not in text and "Atelier West" not in text and "Bram" not in text  # open workshop left out
    assert "Alleen afgesloten workshops" in pdf and "Alleen afgesloten workshops" in html
    assert "<script>x</script>" not in html  # participants' text is escaped in HTML
    # A buurt without closed placements gets no workshop section at all.
    other = next(c for c in voorbeeld.codes if c != CODE)
    assert "Plaatsingen in workshops" not in ex.html(other).decode()


def test_missing_sqlite_store_gives_no_source_and_creates_nothing(tmp_path):
    path = tmp_path / "nooit.db"
    assert closed_placements(f"sqlite:///{path}") is None
    assert not path.exists()


@pytest.fixture()
def data_file(tmp_path, voorbeeld):
    path = tmp_path / "stad.parquet"
    save_dataset(voorbeeld, path)
    return path


def test_cli_export_uses_configured_store_and_flags(store_url, data_file, tmp_path, capsys, monkeypatch):
    out = tmp_path / "p.html"
    base = ["export", "--data", str(data_file), "--buurt", CODE, "--format", "html", "--out", str(out)]
    assert main(base) == 0
    html = out.read_text()
    assert "Deelnemer 1" in html and "Atelier Oost" in html and OPEN not in html
    assert main([*base, "--geen-workshops"]) == 0
    assert "Plaatsingen in workshops" not in out.read_text()
    # No store: the default exports without placements; --workshops insists and fails cleanly.
    monkeypatch.setenv("WIJKPROFIELEN_DATABASE", f"sqlite:///{tmp_path / 'leeg' / 'geen.db'}")
    assert main(base) == 0
    assert "Plaatsingen in workshops" not in out.read_text()
    capsys.readouterr()
    assert main([*base, "--workshops"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fout: --workshops: er is geen workshopopslag") and "Traceback" not in err
    monkeypatch.setenv("WIJKPROFIELEN_DATABASE", "mysql://x@127.0.0.1/db")
    assert main(base) == 0
    assert "let op: export zonder workshopplaatsingen: Database 'mysql' wordt niet ondersteund" in capsys.readouterr().err
    assert main([*base, "--workshops"]) == 2
    assert "fout: Database 'mysql' wordt niet ondersteund" in capsys.readouterr().err


def test_wijkprofiel_page_shows_closed_placements_escaped(app, store_url):
    at = app.run()
    at.session_state["buurt"] = CODE
    at.switch_page("views/wijkprofiel.py").run()
    assert not at.exception and not at.error
    exp = next(e for e in at.expander if e.label == "Workshopplaatsingen")
    df = exp.dataframe[0].value
    assert df[["Workshop", "Deelnemer", "Reden"]].values.tolist() == [["Atelier Oost", "Deelnemer 1", DICHT]]
    assert TOELICHTING in [c.value for c in exp.caption]


def test_wijkprofiel_page_stays_up_when_store_cannot_be_opened(app, monkeypatch):
    monkeypatch.setenv("WIJKPROFIELEN_DATABASE", "mysql://x@127.0.0.1/db")
    at = app.run()
    at.session_state["buurt"] = CODE
    at.switch_page("views/wijkprofiel.py").run()
    assert not at.exception and not at.error
    assert any("Workshopplaatsingen staan niet in de export" in c.value for c in at.caption)
    key = next(b.key for b in at.button if b.key and b.key.startswith("maak_profiel:"))
    at.button(key=key).click().run()
    assert not at.exception and not at.error
    assert {"PDF downloaden", "HTML downloaden"} <= {b.proto.label for b in at.get("download_button")}
