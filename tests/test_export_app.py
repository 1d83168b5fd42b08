"""AppTests for the export: download buttons on Wijkprofiel and the Export page."""


def _downloads(at):
    return {b.proto.label: b for b in at.get("download_button")}


def test_wijkprofiel_builds_pdf_and_html_only_when_asked(app):
    at = app.run()
    at.session_state["buurt"] = "BU99990103"
    at.switch_page("views/wijkprofiel.py").run()
    assert not at.exception
    assert not _downloads(at)  # nothing is generated on a plain visit

    key = next(b.key for b in at.button if b.key and b.key.startswith("maak_profiel:"))
    at.button(key=key).click().run()
    assert not at.exception and not at.error
    downloads = _downloads(at)
    assert set(downloads) == {"PDF downloaden", "HTML downloaden"}
    # The button stays available on the next rerun (cached bytes, no new click needed).
    at.run()
    assert set(_downloads(at)) == {"PDF downloaden", "HTML downloaden"}


def test_export_page_tables_and_batch(app):
    at = app.run()
    at.switch_page("views/export.py").run()
    assert not at.exception
    assert "synthetisch" in at.info[0].value
    at.button(key=next(b.key for b in at.button if b.key.startswith("maak_tabellen:"))).click().run()
    assert {"GeoPackage (RD New)", "CSV", "Manifest (JSON)"} <= set(_downloads(at))
    at.selectbox(key="batch_wijk").set_value("WK999901").run()
    at.button(key="batch_maak").click().run()
    assert not at.exception and not at.error
    label = next(label for label in _downloads(at) if label.startswith("Batch downloaden"))
    assert "MB" in label
