"""Dynamiek: classes, thresholds, signaal, boundary changes, coverage, properties and real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkprofielen.config import DynamiekSettings
from wijkprofielen.dataset import Dataset
from wijkprofielen.dynamiek import (
    NEGATIEF, ONBEKEND, POSITIEF, SIGNAAL_HOOG_DAALT, SIGNAAL_LAAG_DAALT, STABIEL, buurt_tabel, dynamiek, klasse, signaal,
)
from wijkprofielen.scoring import score
from wijkprofielen.testing import grid_dataset, simple_recipe
from wijkprofielen.workspace import Workspace

RECIPE = simple_recipe([("lbm_soc", 1, 1.0), ("lbm_onv", 1, 1.0)], [("lbm_fys", -1, 1.0)], min_inwoners=0)
SETTINGS = DynamiekSettings(periode_jaren=6, drempel=0.25, min_dekking=0.3)


def multi_year(series: dict[tuple[str, int], list[float]], meta: dict | None = None) -> Dataset:
    """A grid dataset with values for several years: ``{(kolom, jaar): values}``."""
    n = len(next(iter(series.values())))
    base = grid_dataset({"x": [0.0] * n})
    waarden = pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in series.items()}, index=base.waarden.index)
    waarden.columns = pd.MultiIndex.from_tuples(list(waarden.columns), names=["kolom", "jaar"])
    return Dataset(base.gebieden, waarden, {}, {}, {"naam": "testraster", "synthetisch": True, **(meta or {})})


def run(ds: Dataset, recipe=RECIPE, cfg: DynamiekSettings = SETTINGS, jaar=None):
    result = score(ds.frame(jaar), recipe)
    return dynamiek(ds, result, cfg, jaar, recipe)


def simple(start: list[float], end: list[float], **kw) -> Dataset:
    return multi_year({("lbm_soc", 2018): start, ("lbm_soc", 2024): end,
                       ("lbm_onv", 2018): start, ("lbm_onv", 2024): end,
                       ("lbm_fys", 2018): start, ("lbm_fys", 2024): start}, **kw)


def test_classes_and_threshold():
    assert klasse([0.26, 0.25, -0.25, -0.26, np.nan], 0.25).tolist() == [POSITIEF, STABIEL, STABIEL, NEGATIEF, ONBEKEND]
    assert klasse([0.01, -0.01], 0.0).tolist() == [POSITIEF, NEGATIEF]


def test_signaal_words_are_neutral():
    out = signaal([-1.0, 0.0, 1.0, -1.0, np.nan], [NEGATIEF, NEGATIEF, NEGATIEF, STABIEL, NEGATIEF], 0.0).tolist()
    assert out == [SIGNAAL_LAAG_DAALT, SIGNAAL_HOOG_DAALT, SIGNAAL_HOOG_DAALT, "", ""]
    assert not any("probleem" in s for s in (SIGNAAL_LAAG_DAALT, SIGNAAL_HOOG_DAALT))


def test_change_in_reference_standard_deviations():
    # Start values 0, 1, 2, 3 (sd √1.25); buurt 3 falls by one unit, the others stay.
    ds = simple([0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 2.0, 2.0])
    d = run(ds)
    sd = np.std([0.0, 1.0, 2.0, 3.0])
    assert d.veranderingen["lbm_soc"].tolist() == pytest.approx([0, 0, 0, -1 / sd])
    assert d.tabel["dynamiek_draagkracht"].tolist() == pytest.approx([0, 0, 0, -1 / sd])
    assert d.tabel["klasse_draagkracht"].tolist() == [STABIEL, STABIEL, STABIEL, NEGATIEF]
    assert d.tabel["klasse_fysieke_kansen"].tolist() == [STABIEL] * 4
    assert (d.van_jaar, d.tot_jaar) == (2018, 2024)
    # Buurt 3 stands highest on draagkracht: falling from a good position.
    assert d.tabel["signaal"].tolist() == ["", "", "", SIGNAAL_HOOG_DAALT]
    rows = buurt_tabel(d, ds, RECIPE, ds.codes[3])
    assert rows.loc[rows["indicator"] == rows["indicator"].iloc[0], "verschil"].iloc[0] == -1.0


def test_direction_of_the_recipe_applies():
    # lbm_fys weighs with richting −1: a rise moves the buurt down on fysieke kansen.
    ds = multi_year({("lbm_soc", 2018): [0, 1, 2, 3], ("lbm_soc", 2024): [0, 1, 2, 3],
                     ("lbm_onv", 2018): [0, 1, 2, 3], ("lbm_onv", 2024): [0, 1, 2, 3],
                     ("lbm_fys", 2018): [0, 1, 2, 3], ("lbm_fys", 2024): [0, 1, 2, 5]})
    d = run(ds)
    assert d.tabel["klasse_fysieke_kansen"].iloc[3] == NEGATIEF
    assert d.tabel["klasse_draagkracht"].iloc[3] == STABIEL


def test_indicator_with_one_year_does_not_count_and_lowers_coverage():
    ds = multi_year({("lbm_soc", 2018): [0, 1, 2, 3], ("lbm_soc", 2024): [0, 1, 2, 0],
                     ("lbm_onv", 2024): [0, 1, 2, 3], ("lbm_fys", 2024): [0, 1, 2, 3]})
    d = run(ds)
    assert "lbm_onv" in d.overgeslagen and "lbm_onv" not in d.perioden
    assert d.tabel["dekking_dynamiek_draagkracht"].tolist() == pytest.approx([0.5] * 4)
    assert d.tabel["klasse_draagkracht"].iloc[3] == NEGATIEF
    # No indicator of fysieke kansen has two years: onbekend, with the reason.
    assert (d.tabel["klasse_fysieke_kansen"] == ONBEKEND).all()
    assert "twee jaren" in d.tabel["reden_fysieke_kansen"].iloc[0]
    # Above the coverage minimum nothing is known.
    strict = run(ds, cfg=DynamiekSettings(min_dekking=0.6))
    assert (strict.tabel["klasse_draagkracht"] == ONBEKEND).all()
    assert "dekking 50%" in strict.tabel["reden_draagkracht"].iloc[0]


def test_period_is_configurable():
    ds = multi_year({("lbm_soc", 2014): [9, 9, 9, 9], ("lbm_soc", 2018): [0, 1, 2, 3], ("lbm_soc", 2024): [0, 1, 2, 0]})
    recipe = simple_recipe([("lbm_soc", 1, 1.0)], [("lbm_soc", 1, 1.0)], min_inwoners=0)
    assert run(ds, recipe).perioden["lbm_soc"] == (2018, 2024)
    assert run(ds, recipe, DynamiekSettings(periode_jaren=10)).perioden["lbm_soc"] == (2014, 2024)
    assert run(ds, recipe, jaar=2018).perioden["lbm_soc"] == (2014, 2018)


def test_buurt_with_boundary_change_gets_no_dynamiek():
    meta = {"grenswijzigingen": {"2020": {"BU00010101": -0.16}, "2010": {"BU00010002": 0.3}}}
    ds = multi_year({("lbm_soc", 2018): [0, 1, 2, 3], ("lbm_soc", 2020): [0, 1, 2, 3], ("lbm_soc", 2024): [0, 3, 0, 3],
                     ("lbm_onv", 2018): [0, 1, 2, 3], ("lbm_onv", 2024): [0, 3, 0, 3],
                     ("lbm_fys", 2018): [0, 1, 2, 3], ("lbm_fys", 2024): [0, 1, 2, 3]}, meta)
    d = run(ds)
    assert d.tabel.loc["BU00010101", "klasse_draagkracht"] == ONBEKEND
    assert "andere grenzen in 2020" in d.tabel.loc["BU00010101", "reden_draagkracht"]
    # A change of boundaries before the period does not count.
    assert d.tabel.loc["BU00010002", "klasse_draagkracht"] == NEGATIEF


def test_level_change_between_years_does_not_count():
    from wijkprofielen.dataset import IndicatorMeta

    ds = simple([0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 2.0, 2.0])
    ds.indicatoren["lbm_onv"] = IndicatorMeta.from_catalogue("lbm_onv", per_jaar={"2024": {"niveau": "wijk"}})
    d = run(ds)
    assert "wijkcijfer 2024" in d.overgeslagen["lbm_onv"]


def test_too_few_inhabitants_is_onbekend():
    ds = multi_year({("inwoners", 2024): [500, 500, 50, 500], ("lbm_soc", 2018): [0, 1, 2, 3], ("lbm_soc", 2024): [0, 1, 0, 3],
                     ("lbm_onv", 2018): [0, 1, 2, 3], ("lbm_onv", 2024): [0, 1, 2, 3]})
    recipe = simple_recipe([("lbm_soc", 1, 1.0), ("lbm_onv", 1, 1.0)], [("lbm_soc", 1, 1.0)], min_inwoners=100)
    d = run(ds, recipe)
    assert d.tabel["klasse_draagkracht"].iloc[2] == ONBEKEND
    assert "inwoners" in d.tabel["reden_draagkracht"].iloc[2]


def test_workspace_uses_the_configured_settings(voorbeeld, config):
    ws = Workspace(config)
    frame, result = ws.scored(voorbeeld)
    d = ws.dynamiek(voorbeeld, result)
    assert d.instellingen == config.dynamiek
    assert set(d.tabel["klasse_draagkracht"]) <= {POSITIEF, STABIEL, NEGATIEF, ONBEKEND}
    assert d.tabel.index.tolist() == result.scores.index.tolist()
    assert d.tabel["dynamiek_draagkracht"].notna().sum() > len(d.tabel) / 2


def test_score_cli_and_exports_carry_the_dynamiek(voorbeeld, config, tmp_path, capsys):
    import io

    import pypdf

    from wijkprofielen.cli import main
    from wijkprofielen.dataset import save_dataset
    from wijkprofielen.export.exporter import Exporter

    ws = Workspace(config)
    d = ws.dynamiek(voorbeeld, ws.score(voorbeeld))
    data, out = tmp_path / "v.parquet", tmp_path / "s.csv"
    save_dataset(voorbeeld, data)
    assert main(["score", "--data", str(data), "--out", str(out), "--zonder-stabiliteit"]) == 0
    table = pd.read_csv(out, keep_default_na=False).set_index("buurtcode")
    assert list(table.columns[-4:]) == ["dynamiek_draagkracht", "dynamiek_fysieke_kansen", "dynamiek_klasse", "signaal"]
    assert table["dynamiek_klasse"].to_dict() == d.tabel["dynamiek_klasse"].to_dict()
    assert table["signaal"].to_dict() == d.tabel["signaal"].to_dict()
    assert "dynamiek 2018–2024: niet meegeteld" in capsys.readouterr().err

    ex = Exporter(voorbeeld, ws, menukaart=None)
    csv = pd.read_csv(io.BytesIO(ex.csv()), keep_default_na=False).set_index("buurtcode")
    assert csv["dynamiek_klasse"].to_dict() == d.tabel["dynamiek_klasse"].to_dict()
    code = d.tabel.index[d.tabel["signaal"] != ""][0]
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(ex.pdf(code))).pages)
    assert "Dynamiek: richting van de verandering" in text and d.tabel.at[code, "signaal"] in " ".join(text.split())


def test_status_dynamiek_colour_mode_counts_the_classes(voorbeeld, config):
    from wijkprofielen.mapping import ColourContext, colour_buurten

    ws = Workspace(config)
    frame, result = ws.scored(voorbeeld)
    d = ws.dynamiek(voorbeeld, result)
    ctx = ColourContext(frame, result.scores, result.recipe, config.kwadrant_namen,
                        dynamiek=d.tabel["dynamiek_klasse"].to_numpy())
    legend = {i.label: i for i in colour_buurten("status_dynamiek", ctx).legend}
    low = result.scores["draagkracht"] < result.recipe.grens_draagkracht
    assert legend["lage draagkracht, daalt"].aantal == int((low & (d.tabel["dynamiek_klasse"] == NEGATIEF)).sum())
    assert legend["lage draagkracht, daalt"].uitleg == SIGNAAL_LAAG_DAALT
    unknown = result.scores["draagkracht"].isna() | (d.tabel["dynamiek_klasse"] == ONBEKEND)
    assert legend["geen score of geen dynamiek"].aantal == int(unknown.sum())
    assert sum(i.aantal for i in legend.values()) == len(frame)


# -- properties --------------------------------------------------------------------------------
values = st.lists(st.floats(-5, 5, allow_nan=False, allow_infinity=False), min_size=4, max_size=8)


def _spread_out(xs: list[float]) -> list[float]:
    # The reference needs a spread in the start year: add a ramp.
    return [x + i for i, x in enumerate(xs)]


@settings(max_examples=25, deadline=None)
@given(values, values, st.integers(0, 7), st.floats(0.01, 10))
def test_raising_the_latest_value_never_lowers_dynamiek(start, end, which, plus):
    n = min(len(start), len(end))
    start, end = _spread_out(start[:n]), end[:n]
    which %= n
    raised = list(end)
    raised[which] += plus
    a = run(simple(start, end)).tabel["dynamiek_draagkracht"].iloc[which]
    b = run(simple(start, raised)).tabel["dynamiek_draagkracht"].iloc[which]
    assert b >= a - 1e-12


@settings(max_examples=25, deadline=None)
@given(values, values, st.integers(0, 7))
def test_equal_values_in_every_year_is_stabiel(start, end, which):
    n = min(len(start), len(end))
    start, end = _spread_out(start[:n]), end[:n]
    which %= n
    end[which] = start[which]
    ds = multi_year({("lbm_soc", 2018): start, ("lbm_soc", 2020): start, ("lbm_soc", 2024): end,
                     ("lbm_onv", 2018): start, ("lbm_onv", 2024): end,
                     ("lbm_fys", 2018): start, ("lbm_fys", 2022): start, ("lbm_fys", 2024): end})
    # The buurt's own values are equal in every year.
    for kolom, jaar in ds.waarden.columns:
        ds.waarden.loc[ds.codes[which], (kolom, jaar)] = start[which]
    d = run(ds).tabel.iloc[which]
    assert d["klasse_draagkracht"] == STABIEL and d["klasse_fysieke_kansen"] == STABIEL
    assert d["dynamiek_draagkracht"] == 0.0


@settings(max_examples=25, deadline=None)
@given(values, values, st.randoms(use_true_random=False))
def test_order_of_years_in_the_file_changes_nothing(start, end, rnd):
    n = min(len(start), len(end))
    start, end = _spread_out(start[:n]), end[:n]
    ds = multi_year({("lbm_soc", 2018): start, ("lbm_soc", 2020): end, ("lbm_soc", 2024): end,
                     ("lbm_onv", 2018): end, ("lbm_onv", 2024): start,
                     ("lbm_fys", 2018): start, ("lbm_fys", 2024): end})
    cols = list(ds.waarden.columns)
    rnd.shuffle(cols)
    shuffled = Dataset(ds.gebieden, ds.waarden[cols], {}, {}, dict(ds.meta))
    pd.testing.assert_frame_equal(run(ds).tabel, run(shuffled).tabel)


# -- real data ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hertogenbosch(gm0796):
    return gm0796[0]


@pytest.mark.realdata
def test_real_data_hertogenbosch(hertogenbosch, config):
    ws = Workspace(config.with_recept("landelijk"))
    frame, result = ws.scored(hertogenbosch)
    d = ws.dynamiek(hertogenbosch, result)
    assert (d.van_jaar, d.tot_jaar) == (2018, 2024)
    # The Leefbaarometer series carries the dynamiek; income has no two comparable years.
    assert set(d.perioden) == {"lbm_soc", "lbm_onv", "lbm_won", "lbm_fys"}
    counts = d.counts()
    assert sum(counts.values()) == len(hertogenbosch.codes)
    placed = result.geplaatst()
    # Every placed buurt has a dynamiek; most buurten move within the uncertainty band.
    assert (d.tabel.loc[placed, "klasse_draagkracht"] != ONBEKEND).all()
    assert counts[STABIEL] > max(counts[POSITIEF], counts[NEGATIEF])
    assert counts[POSITIEF] > 0 and counts[NEGATIEF] > 0
    # The class follows the Leefbaarometer: the most negative buurt lost on social cohesion or safety.
    worst = d.tabel["dynamiek_draagkracht"].idxmin()
    assert min(d.verschillen.at[worst, "lbm_soc"], d.verschillen.at[worst, "lbm_onv"]) < 0
    assert not d.tabel.loc[~placed, "signaal"].astype(bool).any()
