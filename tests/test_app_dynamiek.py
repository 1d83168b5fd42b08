"""AppTests of the dynamiek: the block on the Wijkprofiel page and the status × dynamiek map legend."""

from __future__ import annotations

from wijkprofielen.config import load_config
from wijkprofielen.dynamiek import KLASSE_LABELS
from wijkprofielen.synthetic import voorbeeldstad
from wijkprofielen.workspace import Workspace

CODE = "BU99990300"


def _dynamiek():
    ds, ws = voorbeeldstad(), Workspace(load_config())
    return ws.dynamiek(ds, ws.score(ds))


def test_wijkprofiel_shows_the_dynamiek_block_and_the_map_its_classes(app):
    dyn = _dynamiek()
    app.query_params["kleur"] = "status_dynamiek"
    app.query_params["buurt"] = CODE
    at = app.run()
    assert not at.exception
    # The map legend: every class with its count, from the same dynamiek.
    legend = next(m.value for m in at.markdown if "Draagkracht: stand × richting" in m.value)
    klasse, status = dyn.tabel["dynamiek_klasse"], at.session_state["buurt"]
    assert status == CODE
    falling_low = int(((klasse == "negatief") & (dyn.tabel["signaal"] == "aandacht: daalt")).sum())
    assert f"<b>lage draagkracht, daalt</b> ({falling_low})" in legend

    at.switch_page("views/wijkprofiel.py").run()
    assert not at.exception
    assert any(m.value == f"#### Dynamiek {dyn.periode}" for m in at.markdown)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Dynamiek draagkracht en weerbaarheid"] == KLASSE_LABELS[dyn.klasse(CODE)]
    assert any("standaarddeviaties van de referentie" in c.value for c in at.caption)
