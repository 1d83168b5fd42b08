"""The Workspace: the configured catalogue and reference reach suggestions, scenarios, exports and workshops."""

from __future__ import annotations

import json

import pytest
from conftest import TEST_CONFIG
from test_menukaart import with_catalogue

from wijkprofielen.cli import main
from wijkprofielen.config import load_config
from wijkprofielen.errors import ConfigError, DataError
from wijkprofielen.export.exporter import Exporter
from wijkprofielen.scenario.model import Maatregel, Scenario, parse_scenario
from wijkprofielen.scenario.run import evaluate_dataset
from wijkprofielen.scoring import score
from wijkprofielen.workshop import WorkshopStore, store_settings
from wijkprofielen.workspace import Workspace


def _item(iid: str, titel: str, extra: str = "") -> str:
    return (f'[[interventie]]\nid = "{iid}"\ncategorie = "participatie"\ntrekker = ["gemeente"]\n'
            'kwadranten = ["hoog_hoog", "laag_hoog", "laag_laag", "hoog_laag"]\n'
            f'titel = "{titel}"\nwaarom = "Met de buurt."\nbron = "Eigen beleid, gemeente Voorbeeldstad, 2025"\n'
            f'bewijs = "Nog niet geëvalueerd."\n{extra}\n')


# Two own interventions for every quadrant; the second has a contra-indication that holds wherever draagkracht is known.
OWN = _item("eigen_buurtbudget", "Eigen buurtbudget") + _item("eigen_overleg", "Eigen overleg", 'contra = ["draagkracht > -100"]\n')


@pytest.fixture()
def own_config(tmp_path):
    """The test configuration with ``[menukaart] pad`` set to an own catalogue, relative to the config's folder."""
    (tmp_path / "mk").mkdir()
    (tmp_path / "mk" / "eigen.toml").write_text(OWN, encoding="utf-8")
    p = tmp_path / "config.toml"
    p.write_text(with_catalogue(TEST_CONFIG.read_text(encoding="utf-8"), "mk/eigen.toml"), encoding="utf-8")
    return p


@pytest.fixture()
def ws(own_config):
    return Workspace(load_config(own_config))


def test_own_catalogue_is_the_workspace_menukaart(ws, own_config):
    assert ws.cfg.menukaart_pad == own_config.parent / "mk" / "eigen.toml"
    assert list(ws.menukaart) == ["eigen_buurtbudget", "eigen_overleg"]
    assert "eigen_buurtbudget" in ws.known_interventions() and "nieuwbouw" in ws.known_interventions()


def test_own_catalogue_in_suggestions(ws, voorbeeld):
    frame, result = ws.scored(voorbeeld)
    out = ws.suggest(frame, result, "BU99990300")
    assert [s.interventie.id for s in out] == ["eigen_buurtbudget"]
    assert out[0].redenen[0].startswith("past bij kwadrant ") and "_" not in out[0].redenen[0]  # configured names
    advies = ws.advise(frame, result, "BU99990300")
    assert list(advies.suggesties) == out and all(s.interventie.id in ws.menukaart for s in advies.te_controleren)


def test_own_catalogue_in_suggest_cli(own_config, voorbeeld, tmp_path, capsys):
    from wijkprofielen.dataset import save_dataset

    data = tmp_path / "stad.parquet"
    save_dataset(voorbeeld, data)
    assert main(["menukaart", "--config", str(own_config), "--data", str(data), "--buurt", "BU99990300", "--json"]) == 0
    assert [s["id"] for s in json.loads(capsys.readouterr().out)] == ["eigen_buurtbudget"]


def test_own_catalogue_in_scenarios(ws, voorbeeld):
    raw = {"naam": "Eigen", "maatregelen": [{"buurtcode": "BU99990300", "interventie": "eigen_overleg", "aantal": 0}]}
    with pytest.raises(DataError, match="staat niet op de menukaart"):
        parse_scenario(raw)  # without the catalogue only the scenario catalogue's ids
    scenario = parse_scenario(raw, menukaart=ws.menukaart)
    ev = evaluate_dataset(scenario, voorbeeld, ws)
    assert [w.soort for w in ev.waarschuwingen if "Eigen overleg" in w.tekst] == ["contra_indicatie"]


def test_own_catalogue_in_scenario_cli(own_config, tmp_path, capsys):
    sc = tmp_path / "s.json"
    sc.write_text(Scenario("Eigen", [Maatregel("BU99990300", "eigen_overleg")]).to_json(), encoding="utf-8")
    assert main(["scenario", "evaluate", "--config", str(own_config), "--scenario", str(sc)]) == 0
    assert "Eigen overleg" in capsys.readouterr().out  # its contra-indication, from the own catalogue
    assert main(["scenario", "evaluate", "--scenario", str(sc)]) == 2  # the test configuration has the built-in catalogue
    assert "staat niet op de menukaart" in capsys.readouterr().err


def test_own_catalogue_in_exports(ws, voorbeeld):
    profiel = Exporter(voorbeeld, ws).profiel("BU99990300", figures=False)
    assert [m.titel for m in profiel.menukaart] == ["Eigen buurtbudget"]
    assert [m.titel for m in Exporter(voorbeeld, ws.cfg).profiel("BU99990300", figures=False).menukaart] == ["Eigen buurtbudget"]


def test_own_catalogue_in_workshop_pins(ws, voorbeeld, tmp_path):
    store = WorkshopStore(f"sqlite:///{tmp_path}/w.db", menukaart=ws.menukaart, **store_settings(ws.cfg))
    assert (store.max_afwijking, store.verversen_s) == (ws.cfg.workshop.max_afwijking, ws.cfg.workshop.verversen_s)
    frame = voorbeeld.frame()
    workshop = store.create_workshop("Eigen", voorbeeld, voorbeeld.codes[:2], recipe=ws.cfg.recipe,
                                     reference=ws.reference(frame))
    pid = store.join(workshop.code, "Anna")
    assert store.pin(workshop.code, pid, voorbeeld.codes[0], "eigen_buurtbudget")
    with pytest.raises(DataError, match="niet op de menukaart"):
        store.pin(workshop.code, pid, voorbeeld.codes[0], "nieuwbouw_niet_in_eigen_menukaart")


def test_external_reference_is_explicit(voorbeeld, monkeypatch, tmp_path):
    monkeypatch.delenv("WIJKPROFIELEN_REFERENTIE", raising=False)
    p = tmp_path / "config.toml"
    p.write_text('[scoring]\nreferentie = "nederland"\n', encoding="utf-8")
    ws = Workspace(load_config(p))  # over the packaged defaults: no [referentie] map
    assert ws.reference_dir is None
    with pytest.raises(ConfigError, match=r"geen map met de landelijke CBS-extracten.*\[referentie\] map"):
        ws.score(voorbeeld)
    # Scoring itself never reads a default folder: the caller passes the reference.
    with pytest.raises(ConfigError, match="geef die referentie mee"):
        score(voorbeeld.frame(), ws.cfg.recipe)
    assert ws.reference(voorbeeld.frame(), "gemeente") is None


def test_workspace_scores_like_scoring_with_the_gemeente_reference(voorbeeld, config):
    ws = Workspace(config)
    frame, result = ws.scored(voorbeeld)
    assert result.scores.equals(score(frame, config.recipe).scores)
    assert ws.doelen_for(frame["gemeentecode"]).gemeentecode == "GM9999"
    assert ws.stability(frame, result).settings == config.stabiliteit
