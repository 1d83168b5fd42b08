"""AppTest of the Data page's "Gegevens ophalen" against the local replay server: choose the
gemeente by name, fetch, see the coverage report, and the new dataset opens."""

from __future__ import annotations

import pytest

from bronnen_server import small_world, start
from wijkprofielen.config import DOWNLOAD_ENV


@pytest.fixture()
def services(tmp_path, monkeypatch):
    replay, srv = start(small_world())
    for key, url in replay.urls().items():
        monkeypatch.setenv(DOWNLOAD_ENV[key], url)
    monkeypatch.setenv("WIJKPROFIELEN_GEODATA", str(tmp_path))
    yield replay
    srv.shutdown()
    srv.server_close()


def test_fetch_a_gemeente_on_the_data_page(app, services, tmp_path):
    at = app.run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    gemeente = at.selectbox(key="ophalen_gemeente")
    assert gemeente.value == ("GM0796", "'s-Hertogenbosch")
    assert "Voorne aan Zee (GM1992)" in gemeente.options and len(gemeente.options) == 343
    at.button(key="ophalen_knop").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert (tmp_path / "GM0796-2024.parquet").is_file()
    assert (tmp_path / "bronnen" / "bronnen.json").is_file()
    assert any("GM0796-2024" in s.value and "geopend" in s.value for s in at.success)
    rapport = next(d.value for d in at.dataframe if "gekoppeld" in d.value.columns)
    assert set(rapport["bron"]) >= {"Leefbaarometer 3.0 (BZK)", "CBS Kerncijfers wijken en buurten"}
    assert at.selectbox(key="data_keuze").value == "GM0796-2024"


def test_a_failing_service_shows_its_message(app, services):
    services.faults = {"/ogc/": [("status", 503)] * 10}
    at = app.run()
    at.switch_page("views/data.py").run()
    at.button(key="ophalen_knop").click().run()
    assert not at.exception
    assert any("PDOK OGC API wijken en buurten" in e.value and "HTTP 503" in e.value for e in at.error)
