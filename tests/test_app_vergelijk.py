"""AppTest: the Wijkprofiel page shows the vergelijkbare buurten and opens one."""

from __future__ import annotations

from wijkprofielen.config import load_config
from wijkprofielen.dynamiek import KLASSE_LABELS
from wijkprofielen.synthetic import voorbeeldstad
from wijkprofielen.workspace import Workspace


def test_wijkprofiel_shows_peers_and_opens_one(app):
    code = "BU99990300"
    cfg = load_config()
    ws = Workspace(cfg)
    frame, result = ws.scored(voorbeeldstad())
    peers = ws.peers(frame, result, code)
    at = app.run()
    at.session_state["buurt"] = code
    at.switch_page("views/wijkprofiel.py").run()
    assert not at.exception
    assert any(m.value == "#### Vergelijkbare buurten" for m in at.markdown)
    table = next(d.value for d in at.dataframe if "afstand" in d.value.columns)
    assert list(table["buurtnaam"]) == list(peers["buurtnaam"])
    assert set(table["kwadrant"]) <= set(cfg.kwadrant_namen.values())
    dyn = ws.dynamiek(voorbeeldstad(), result)
    assert list(table["dynamiek"]) == [KLASSE_LABELS[dyn.klasse(c)] for c in peers["buurtcode"]]
    diff = next(d.value for d in at.dataframe if "vergelijkbaar" in d.value.columns)
    assert diff["verschil"].abs().dropna().is_monotonic_decreasing
    first = peers.iloc[0]
    at.button(key=f"peer_{first['buurtcode']}").click().run()
    assert not at.exception
    assert at.selectbox(key="buurt").value == first["buurtcode"]
    assert first["buurtnaam"] in at.subheader[0].value
