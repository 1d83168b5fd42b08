"""AppTests for a finished Dutch interface: errors, links, labels, numbers, no file system on screen."""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path

import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from wijkprofielen import indicators
from wijkprofielen.config import load_config
from wijkprofielen.dataset import save_dataset
from wijkprofielen.testing import grid_dataset
from wijkprofielen.ui.sidebar import WEIGHTS_OPEN

ROOT = Path(__file__).resolve().parent.parent


def shown(table):
    """The text a styled ``st.dataframe`` shows (its Styler display values)."""
    return convert_arrow_bytes_to_pandas_df(table.proto.arrow_data.styler.display_values)


def _broken_page():
    import streamlit as st

    from wijkprofielen.ui import guard

    with guard.page_errors("testpagina"):
        st.write("voor de fout")
        raise ValueError("geheime details /srv/pad")
    st.write("na de fout")


def test_an_unexpected_error_is_a_dutch_message_with_a_logged_reference(caplog):
    at = AppTest.from_function(_broken_page).run()
    assert not at.exception
    message = at.error[0].value
    assert "melding" in message and "geheime details" not in message and "/srv" not in message
    ref = message.split("melding **")[1][:8]
    logged = [r for r in caplog.records if ref in r.getMessage()]
    assert logged and logged[0].exc_info[0] is ValueError  # the traceback is in the server log
    assert at.markdown[-1].value == "na de fout"


def test_the_shipped_streamlit_config_hides_error_details_and_agrees_on_the_upload_limit():
    streamlit_cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert streamlit_cfg["client"]["showErrorDetails"] == "none"
    app_cfg = load_config(ROOT / "config.toml")
    assert streamlit_cfg["server"]["maxUploadSize"] == math.ceil(app_cfg.imports.max_mb)


def test_the_workshop_csv_names_each_intervention_beside_its_id():
    import io

    import pandas as pd

    from wijkprofielen.workshop.exchange import events_csv

    event = {"tijd": "2026-01-01T10:00:00Z", "soort": "pin", "deelnemer": 1, "buurtcode": "BU1", "draagkracht": None,
             "fysieke_kansen": None, "reden": None, "interventie": "sturen_op_instroom"}
    data = {"workshop": {"naam": "W"}, "deelnemers": [{"nummer": 1, "naam": "An"}],
            "buurten": [{"buurtcode": "BU1", "buurtnaam": "Noord"}], "events": [event]}
    rows = pd.read_csv(io.StringIO(events_csv(data, {"sturen_op_instroom": "Sturen op instroom"})))
    assert rows.loc[0, ["interventie", "interventie_titel"]].tolist() == ["sturen_op_instroom", "Sturen op instroom"]


@pytest.fixture()
def small(tmp_path, monkeypatch, app):
    """A named dataset with two of the recipe's indicators, chosen by its link."""
    ds = grid_dataset({"lbm_soc": [0.1, -0.2, 0.3, 0.0, 0.2], "bevolkingsdichtheid": [100.0, 2000, 3000, 500, 800]},
                      gemeentecode="GM0001")
    ds.meta.update({"naam": "GM0001", "synthetisch": False, "gemeente": "GM0001"})
    save_dataset(ds, tmp_path / "geodata" / "GM0001.parquet")
    monkeypatch.setenv("WIJKPROFIELEN_GEODATA", str(tmp_path / "geodata"))
    app.query_params["dataset"] = "GM0001"
    return app


def test_weights_only_for_indicators_in_the_dataset_and_the_others_in_one_line(small):
    small.session_state[WEIGHTS_OPEN] = True
    at = small.run()
    assert not at.exception
    sliders = {s.key: s.label for s in at.sidebar.slider}
    assert {k.rsplit("__", 1)[1] for k in sliders} == {"lbm_soc", "bevolkingsdichtheid"}
    assert indicators.info("lbm_soc").label in sliders.values()
    line = next(c.value for c in at.sidebar.caption if c.value.startswith("Niet in deze dataset"))
    assert indicators.info("pct_laag_inkomen").label in line and "pct_laag_inkomen" not in line
    assert "sjabloon" in line


def test_a_dataset_of_one_gemeente_names_it_instead_of_offering_a_list_of_one(small):
    small.query_params["gemeente"] = "GM0001"  # a link that names the only gemeente
    at = small.run()
    assert not at.exception
    assert "gemeente" not in [box.key for box in at.sidebar.selectbox]
    line = next(m.value for m in at.sidebar.markdown if m.value.startswith("Gemeente:"))
    assert line.endswith("(GM0001)")
    assert at.session_state["gemeente"] == "GM0001"  # the pages filter on it as before
    assert "gemeente" not in at.query_params  # the default stays out of the link


def test_the_dataset_stays_in_the_url_on_every_page_and_no_path_is_shown(small, tmp_path):
    at = small.run()
    for view in ("assenkruis", "wijkprofiel", "menukaart", "methode", "data", "referentie"):
        at.query_params.pop("dataset", None)  # what a page switch in the browser does
        at.switch_page(f"views/{view}.py").run()
        assert not at.exception, view
        assert at.query_params["dataset"] in ("GM0001", ["GM0001"]), view
        shown = " ".join(e.value for kind in (at.caption, at.markdown, at.info, at.warning, at.error)
                         for e in kind if isinstance(e.value, str))
        assert str(tmp_path) not in shown and str(ROOT) not in shown, view
        assert "Voorbeeldstad" not in shown, view


def test_the_methode_page_names_the_configuration_not_its_path(app):
    at = app.run()
    at.switch_page("views/methode.py").run()
    caption = next(c.value for c in at.caption if c.value.startswith("Gegenereerd uit"))
    assert "de configuratie config.toml" in caption and str(ROOT) not in caption


def test_the_reference_is_chosen_in_the_sidebar_and_kept_in_the_url(app):
    at = app.run()
    box = at.sidebar.selectbox(key="referentie")
    assert box.value == "gemeente" and "Alle buurten in de dataset" in box.options
    box.set_value("dataset").run()
    assert not at.exception
    assert at.query_params["referentie"] in ("dataset", ["dataset"])
    assert any("referentie: alle buurten in de dataset" in c.value for c in at.caption)
    at.switch_page("views/referentie.py").run()
    assert at.button(key="ref_kies_dataset").disabled
    at.button(key="ref_kies_gemeente").click().run()
    assert at.sidebar.selectbox(key="referentie").value == "gemeente"


def test_every_table_shows_dutch_numbers(app):
    """The number formatter on every table of every page: no None, nan, -0,00 or a decimal point."""
    at = app.run()
    at.session_state["buurt"] = "BU99990300"
    seen = 0
    for view in ("wijkprofiel", "menukaart", "data", "methode", "referentie"):
        at.switch_page(f"views/{view}.py").run()
        assert not at.exception, view
        for table in at.dataframe:
            cells = set(shown(table).to_numpy().ravel().tolist())
            assert not {"None", "nan", "NaN", "-0,00", "-0,000"} & cells, view
            if "Instelling" in table.value.columns:
                continue  # the settings as written in config.toml (TOML has a decimal point)
            assert not [c for c in cells if re.fullmatch(r"-?\d+\.(\d{1,2}|\d{4,})", str(c))], (view, "decimale punt")
            seen += 1
    assert seen >= 8
