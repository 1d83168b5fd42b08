"""AppTests for a finished Dutch interface: errors, links, labels, numbers, no file system on screen."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

from streamlit.testing.v1 import AppTest

from wijkprofielen.config import load_config

ROOT = Path(__file__).resolve().parent.parent


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
