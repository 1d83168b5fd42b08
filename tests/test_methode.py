"""The Methode text is generated from config and dataset: it follows every change."""

import dataclasses
from pathlib import Path

import numpy as np
import pytest

import wijkprofielen
from wijkprofielen.export.exporter import Exporter
from wijkprofielen.export.content import plain
from wijkprofielen.methode import CAUTION, CAUTIONS, indicator_overview, methode_markdown, rules
from wijkprofielen.scoring import score
from wijkprofielen.stability import StabilitySettings
from wijkprofielen.testing import grid_dataset, simple_recipe


def test_overview_lists_every_indicator_with_weight_direction_source_year_coverage(voorbeeld, config):
    table = indicator_overview(config.recipe, voorbeeld).set_index("kolom")
    assert list(table.index) == [i.kolom for a in config.recipe.assen for i in a.indicatoren]
    soc = table.loc["lbm_soc"]
    assert soc["gewicht"] == 1.0 and soc["richting"].startswith("hoger") and soc["jaar"] == 2024
    assert soc["bron"] == voorbeeld.indicatoren["lbm_soc"].bron
    assert soc["dekking"] == pytest.approx(voorbeeld.waarden[("lbm_soc", 2024)].notna().mean())
    assert table.loc["pct_laag_inkomen", "richting"].startswith("lager")
    for label, group in table.groupby("as"):
        assert group["aandeel_gewicht"].sum() == pytest.approx(1.0)


def test_overview_marks_indicators_the_dataset_lacks():
    ds = grid_dataset({"a": [1.0, np.nan, 3.0, 4.0]})
    recipe = simple_recipe([("a", 1, 1.0), ("lbm_soc", 1, 1.0)], [("a", -1, 1.0)])
    table = indicator_overview(recipe, ds).set_index(["as", "kolom"])
    assert table.loc[("draagkracht", "a"), "dekking"] == pytest.approx(0.75)
    missing = table.loc[("draagkracht", "lbm_soc")]
    assert missing["bron"] == "niet in deze dataset" and missing["dekking"] == 0.0


def test_text_follows_the_config(voorbeeld, config):
    result = score(voorbeeld.frame(), config.recipe)
    text = methode_markdown(config, voorbeeld, result, StabilitySettings())
    assert "Synthetische voorbeeldgegevens" in text
    assert "z-score" in text and "±3" in text and "60%" in text
    for q, naam in config.kwadrant_namen.items():
        assert naam in text
    for title, _ in CAUTIONS:
        assert title in text
    assert "1000 trekkingen" in text and "concentratie 50" in text
    changed = dataclasses.replace(config, recipe=config.recipe.with_options(normalisatie="percentiel", min_dekking=0.8))
    other = dict(rules(changed, None))
    assert "percentiel" in other["Normalisatie"] and "80%" in other["Dekking"]


def test_one_definition_of_the_caution():
    from wijkprofielen.ui import layout

    assert layout.CAUTION is CAUTION


def test_the_caution_is_defined_once_and_printed_on_every_exported_profile(voorbeeld, config):
    assert "signalen, geen oordelen" in CAUTION
    package = Path(wijkprofielen.__file__).parent
    holders = [p.relative_to(package).as_posix() for p in package.rglob("*.py")
               if "Ze vatten openbare cijfers samen" in p.read_text(encoding="utf-8")]
    assert holders == ["methode.py"]
    html = Exporter(voorbeeld, config).html("BU99990103").decode("utf-8")
    assert " ".join(plain(CAUTION).split()) in " ".join(html.split())


def test_overview_says_what_each_indicator_is_compared_with(voorbeeld, config, tmp_path):
    import csv

    d = tmp_path / "NL"
    d.mkdir()
    with open(d / "kwb2024_85984NED_extract_NL.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["SoortRegio_2", "Codering_3", "AantalInwoners_5", "Bevolkingsdichtheid_34"])
        w.writerows([["Buurt", "BU00010001", "100", "1000"], ["Buurt", "BU00010002", "100", "3000"]])
    from wijkprofielen.reference import national_reference

    recipe = config.recipe.with_options(referentie="nederland")
    result = score(voorbeeld.frame(), recipe, national_reference(d))
    table = indicator_overview(recipe, voorbeeld, result=result).set_index("kolom")
    assert table.loc["bevolkingsdichtheid", "vergeleken_met"] == "Nederland"
    assert table.loc["lbm_soc", "vergeleken_met"] == "Nederland"  # centre 0 = national mean
    assert table.loc["pct_label_efg", "vergeleken_met"].startswith("de eigen gemeente")
    assert set(indicator_overview(config.recipe, voorbeeld)["vergeleken_met"]) == {"de eigen gemeente"}
