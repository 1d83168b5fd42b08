"""AppTests for the Methode page, the reference comparison and the stability badge."""

from wijkprofielen.config import options_table
from wijkprofielen.dynamiek import KLASSE_LABELS
from wijkprofielen.formatting import percent_floor
from wijkprofielen.stability import BADGES


def test_methode_page_is_generated_from_config(app):
    at = app.run()
    at.switch_page("views/methode.py").run()
    assert not at.exception and not at.error
    heads = [s.value for s in at.subheader]
    assert heads[:3] == ["Indicatoren", "Recept", "Normalisatie"] and "Voorzichtig gebruiken" in heads
    assert {"Dekking", "Kleine buurten", "Geen dubbeltelling", "Kwadranten"} <= set(heads)
    assert len(at.dataframe) == 3  # one indicator table per axis, then the settings
    assert "lbm_soc" in at.dataframe[0].value["kolom"].tolist()
    assert any("Spearman" in m.value for m in at.markdown)  # the correlation between the axes
    instellingen = at.dataframe[2].value.set_index("Instelling")
    assert list(instellingen.columns) == ["Standaard", "Waarden", "Betekenis"]
    assert instellingen.at["scoring.clip", "Standaard"] == "3.0"
    assert "Instellingen" in heads and len(instellingen) == len(options_table())
    metrics = {m.label: m.value for m in at.metric}
    badges = {label: metrics[label] for label, _ in BADGES.values()}
    assert sum(int(v.split()[0]) for v in badges.values()) == 77
    dynamiek = {k: v for k, v in metrics.items() if k.startswith("Dynamiek ")}
    assert set(dynamiek) == {f"Dynamiek {w}" for w in KLASSE_LABELS.values()} and set(metrics) == set(badges) | set(dynamiek)
    assert sum(int(v.split()[0]) for v in dynamiek.values()) == 77 and "Dynamiek en signaal" in heads
    assert "synthetisch" in at.info[0].value


def test_reference_comparison_and_badge(app, shared_data):
    at = app.run()
    at.switch_page("views/referentie.py").run()
    assert not at.exception and not at.error and not at.warning
    assert "afhangt van de referentie" in at.metric[0].label
    at.session_state["buurt"] = "BU99990300"
    at.switch_page("views/wijkprofiel.py").run()
    assert not at.exception
    from wijkprofielen.config import load_config
    from wijkprofielen.stability import badge, stability
    from wijkprofielen.synthetic import voorbeeldstad

    cfg = load_config()
    row = stability(voorbeeldstad().frame(), cfg.recipe, cfg.stabiliteit).tabel.loc["BU99990300"]
    label = BADGES[badge(row["stabiliteit"], row["grensgeval"], cfg.stabiliteit, row["afhankelijk_van"])][0]
    shown = percent_floor(row["stabiliteit"])
    assert any(f"{label} · {shown}" in m.value for m in at.markdown)
    assert any(f"Stabiliteit {shown}" in c.value for c in at.caption)
    if row["afhankelijk_van"]:
        assert any(f"Afhankelijk van: {row['afhankelijk_van']}" in m.value for m in at.markdown)
    assert any("referentie: de eigen gemeente" in c.value for c in at.caption)


def test_profile_says_when_the_quadrant_depends_on_the_reference(app, shared_data):
    from wijkprofielen.synthetic import voorbeeldstad
    from wijkprofielen.workspace import Workspace

    comp = Workspace().compare_references(voorbeeldstad().frame())
    dependent = comp.afhankelijk[comp.afhankelijk].index[0]
    steady = comp.afhankelijk[~comp.afhankelijk].index[0]
    at = app.run()
    at.session_state["buurt"] = dependent
    at.switch_page("views/wijkprofiel.py").run()
    assert any("hangt af van de referentie" in c.value for c in at.caption)
    at.session_state["buurt"] = steady
    at.switch_page("views/wijkprofiel.py").run()
    assert not any("hangt af van de referentie" in c.value for c in at.caption)


def test_comparison_without_national_data_warns_and_stays_up(app, monkeypatch, tmp_path):
    monkeypatch.setenv("WIJKPROFIELEN_REFERENTIE", str(tmp_path / "leeg"))
    at = app.run()
    at.switch_page("views/referentie.py").run()
    assert not at.exception and not at.error
    assert len(at.warning) == 2 and all("Geen landelijke CBS-extracten" in w.value for w in at.warning)
    assert at.metric[0].value == "0 van 77"  # only the gemeente reference: nothing can depend on it


def test_national_reference_without_data_is_a_clear_page_error(app, monkeypatch, tmp_path):
    from conftest import TEST_CONFIG

    cfg = tmp_path / "config.toml"
    cfg.write_text(TEST_CONFIG.read_text(encoding="utf-8").replace('referentie = "gemeente"', 'referentie = "nederland"'),
                   encoding="utf-8")
    monkeypatch.setenv("WIJKPROFIELEN_CONFIG", str(cfg))
    monkeypatch.setenv("WIJKPROFIELEN_REFERENTIE", str(tmp_path / "leeg"))
    at = app
    at.run()
    at.switch_page("views/methode.py").run()
    assert not at.exception
    assert "Geen landelijke CBS-extracten" in at.error[0].value and "referentie" in at.error[0].value


def test_recipe_from_the_link_changes_axes_names_and_missing_indicators(app):
    app.query_params["recept"] = "landelijk"
    at = app.run()
    at.switch_page("views/methode.py").run()
    assert not at.exception and not at.error
    assert at.selectbox(key="recept").value == "landelijk"
    assert any("Fysieke opgave (landelijke open data)" in m.value for m in at.markdown)
    assert any("Vernieuwen met draagkracht" in m.value for m in at.markdown)  # the recipe's own quadrant names
    at.selectbox(key="recept").set_value("volledig").run()
    assert not at.exception
    assert at.query_params.get("recept") in (None, [], "")  # the configured recipe is the default: not in the link
    assert any("Kansen benutten" in m.value for m in at.markdown)
