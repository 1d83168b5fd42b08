"""Reference sets: national and peer statistics, external normalisation, comparison, real data."""

import csv
import dataclasses
import statistics

import numpy as np
import pandas as pd
import pytest

from wijkprofielen.config import config_from_dict, load_config
from wijkprofielen.errors import ConfigError, DataError
from wijkprofielen.reference import (
    ColumnStats, ReferenceSet, gemeente_klassen, national_reference, national_table,
    normalise_external, peer_reference,
)
from wijkprofielen.scoring import normalised_values, score
from wijkprofielen.testing import simple_recipe
from wijkprofielen.workspace import compare_references

HEADER = ["WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3", "AantalInwoners_5",
          "Bevolkingsdichtheid_34", "MateVanStedelijkheid_122", "GeregistreerdeMisdrijven_1"]
ROWS = [
    ["GM0001", "Een", "Gemeente", "GM0001", "3000", "9999", "1", "999"],  # not a buurt: left out
    ["BU00010001", "Een", "Buurt", "BU00010001", "1000", "1000.0", "1.0", "50.0"],
    ["BU00010002", "Een", "Buurt", "BU00010002", "2000", "3000.0", "1.0", "100.0"],
    ["BU00020001", "Twee", "Buurt", "BU00020001", "500", "200.0", "4.0", "-99997"],
    ["BU00020002", "Twee", "Buurt", "BU00020002", "500", ".", "5.0", "10.0"],
]


@pytest.fixture()
def nl_dir(tmp_path):
    """A national extract in the real CBS format, four buurten in two gemeenten."""
    d = tmp_path / "NL"
    d.mkdir()
    with open(d / "kwb2024_85984NED_extract_NL.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(ROWS)
    return d


def test_national_table_reads_buurten_only_and_keeps_missing_codes_missing(nl_dir):
    table, jaren = national_table(nl_dir)
    assert list(table.index) == ["BU00010001", "BU00010002", "BU00020001", "BU00020002"]
    assert np.isnan(table.loc["BU00020002", "bevolkingsdichtheid"])  # "." is missing, not 0
    assert np.isnan(table.loc["BU00020001", "misdrijven_per_1000"])  # -99997 is missing
    assert table.loc["BU00010002", "misdrijven_per_1000"] == pytest.approx(50.0)
    assert jaren["bevolkingsdichtheid"] == 2024


def test_national_reference_statistics(nl_dir):
    st = national_reference(nl_dir).stats[None]
    dens = st["bevolkingsdichtheid"]
    assert dens.n == 3 and dens.mean == pytest.approx(1400.0)
    assert dens.sd == pytest.approx(statistics.pstdev([1000.0, 3000.0, 200.0]))
    assert list(dens.sorted) == [200.0, 1000.0, 3000.0]
    assert st["lbm_afw"].mean == 0.0 and st["lbm_afw"].sd is None


def test_missing_folder_is_a_clear_dutch_error(tmp_path):
    with pytest.raises(DataError, match="Geen landelijke CBS-extracten gevonden"):
        national_reference(tmp_path / "leeg")


def test_external_zscore_percentile_and_lbm_spread():
    ref = ReferenceSet("nederland", {None: {
        "x": ColumnStats(10.0, 2.0, np.array([6.0, 8.0, 10.0, 12.0]), 4, 2024, "test"),
        "lbm_afw": ColumnStats(0.0, None, None, 0, None, "lbm"),
    }})
    values = pd.DataFrame({"x": [10.0, 14.0, 8.0, np.nan], "lbm_afw": [0.1, -0.1, 0.3, -0.3]})
    gm = pd.Series(["GM0001"] * 4)
    z, uncovered = normalise_external(values, "zscore", ref, gm, clip=1.5)
    assert uncovered == {}
    assert z["x"].tolist()[:3] == [0.0, 1.5, -1.0] and np.isnan(z["x"].iloc[3])  # 14 → 2.0, clipped
    assert np.allclose(z["lbm_afw"], values["lbm_afw"] / values["lbm_afw"].std(ddof=0))  # centre 0, local spread
    p, uncovered = normalise_external(values, "percentiel", ref, gm, clip=3)
    assert uncovered == {"lbm_afw": "niet in de referentie"}  # no national distribution: falls back, reported
    assert p["x"].tolist()[:3] == pytest.approx([2 * 2.5 / 4 - 1, 1.0, 2 * 1.5 / 4 - 1])


def test_score_with_national_reference_and_fallback(nl_dir, monkeypatch):
    monkeypatch.setenv("WIJKPROFIELEN_REFERENTIE", str(nl_dir))
    recipe = simple_recipe([("bevolkingsdichtheid", 1, 1.0), ("eigen", 1, 1.0)], [("eigen2", 1, 1.0)],
                           scoring={"referentie": "nederland"})
    f = pd.DataFrame({"buurtcode": ["BU07960001", "BU07960002"], "bevolkingsdichtheid": [1400.0, 2000.0],
                      "eigen": [1.0, 3.0], "eigen2": [1.0, 2.0]})
    from wijkprofielen.reference import reference_dir

    cfg = load_config()
    assert reference_dir(cfg.referentie) == nl_dir
    r = score(f, recipe, national_reference(nl_dir))
    sd = statistics.pstdev([1000.0, 3000.0, 200.0])
    assert r.genormaliseerd["bevolkingsdichtheid"].tolist() == pytest.approx([0.0, 600 / sd])
    assert r.genormaliseerd["eigen"].tolist() == pytest.approx([-1.0, 1.0])  # against the gemeente
    assert r.referentie_terugval == ["eigen", "eigen2"]
    assert r.referentie.naam == "nederland"


def test_peer_reference_by_stedelijkheid(nl_dir):
    table, _ = national_table(nl_dir)
    klassen = gemeente_klassen(table)
    assert klassen.to_dict() == {"GM0001": 1, "GM0002": 4}  # inhabitant-weighted median (tie → lower)
    f = pd.DataFrame({"buurtcode": ["BU00020005", "BU99990001", "BU99990002"],
                      "stedelijkheid": [np.nan, 1.0, 2.0], "inwoners": [10.0, 300.0, 100.0]})
    ref = peer_reference(f, nl_dir)
    assert ref.groep_per_gemeente == {"GM0002": 4, "GM9999": 1}  # unknown gemeente: from its own buurten
    assert ref.stats[1]["bevolkingsdichtheid"].mean == pytest.approx(2000.0)
    with pytest.raises(DataError, match="stedelijkheid"):
        peer_reference(pd.DataFrame({"buurtcode": ["BU88880001"]}), nl_dir)


def test_reference_options_are_validated():
    raw = load_config().raw
    with pytest.raises(ConfigError, match="scoring.referentie"):
        config_from_dict({**raw, "scoring": {**raw["scoring"], "referentie": "wereld"}})
    with pytest.raises(ConfigError, match=r"\[referentie\]"):
        config_from_dict({**raw, "referentie": {"pad": "x"}})
    with pytest.raises(ConfigError, match="referentie.map"):
        config_from_dict({**raw, "referentie": {"map": 3}})


def test_compare_references_lists_dependent_buurten(nl_dir, tmp_path):
    recipe = simple_recipe([("bevolkingsdichtheid", 1, 1.0)], [("bevolkingsdichtheid", -1, 1.0)])
    f = pd.DataFrame({"buurtcode": ["BU00010003", "BU00010004", "BU00010005"], "bevolkingsdichtheid": [1500.0, 1600.0, 5000.0]})
    comp = compare_references(f, recipe, ("gemeente", "nederland"), folder=nl_dir)
    # Against the gemeente 1500 and 1600 are below its mean; against NL (mean 1400) they are above.
    assert comp.kwadranten["gemeente"].tolist() == ["laag_hoog", "laag_hoog", "hoog_laag"]
    assert comp.kwadranten["nederland"].tolist() == ["hoog_laag", "hoog_laag", "hoog_laag"]
    assert comp.afhankelijk.tolist() == [True, True, False]
    missing = compare_references(f, recipe, ("gemeente", "nederland"), folder=tmp_path / "leeg")
    assert list(missing.kwadranten) == ["gemeente"] and "nederland" in missing.niet_beschikbaar


# ---------------------------------------------------------------------------------------------
# Real national extracts (../shared/data/NL)
# ---------------------------------------------------------------------------------------------
def _read_column(path, stem):
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    key = next(k for k in rows[0] if k.split("_")[0] == stem or k.rsplit("_", 1)[0] == stem)
    return {r["Codering_3"]: r for r in rows if r["SoortRegio_2"].strip() == "Buurt"}, key


def test_national_reference_reproduces_hand_computed_zscores(shared_data):
    nl = shared_data / "NL"
    rows, dens_key = _read_column(nl / "kwb2024_85984NED_extract_NL.csv", "Bevolkingsdichtheid")
    dens = [float(r[dens_key]) for r in rows.values() if r[dens_key].strip() not in ("", ".", "-99997", "-99995", "-99991")]
    mean, sd = statistics.fmean(dens), statistics.pstdev(dens)
    rows17, inc_key = _read_column(nl / "kwb2017_83765NED_extract_NL.csv", "GemiddeldInkomenPerInwoner")
    inc = [float(r[inc_key]) for r in rows17.values() if r[inc_key].strip() not in ("", ".", "-99997", "-99995", "-99991")]
    inc_mean, inc_sd = statistics.fmean(inc), statistics.pstdev(inc)
    # Three real 's-Hertogenbosch buurten: Binnenstad-Centrum, Het Zand, Rosmalen A2 zone noord.
    codes = ["BU07960101", "BU07960102", "BU07960608"]
    f = pd.DataFrame({
        "buurtcode": codes,
        "bevolkingsdichtheid": [float(rows[c][dens_key]) for c in codes],
        "gem_inkomen_per_inwoner": [float(rows17[c][inc_key]) if c in rows17 else np.nan for c in codes],
    })
    recipe = simple_recipe([("gem_inkomen_per_inwoner", 1, 1.0)], [("bevolkingsdichtheid", -1, 1.0)],
                           scoring={"referentie": "nederland", "clip": 100.0})
    normed = normalised_values(f, recipe, national_reference(nl))[0]
    expected = [(float(rows[c][dens_key]) - mean) / sd for c in codes]
    assert normed["bevolkingsdichtheid"].tolist() == pytest.approx(expected, rel=1e-9)
    assert expected[0] > 1  # the city centre is far denser than the national buurt
    got_inc = normed["gem_inkomen_per_inwoner"].dropna()
    assert len(got_inc) >= 2
    for c in got_inc.index:
        assert got_inc[c] == pytest.approx((float(rows17[c][inc_key]) - inc_mean) / inc_sd, rel=1e-9)


def test_real_peer_class_of_s_hertogenbosch(shared_data):
    table, _ = national_table(shared_data / "NL")
    assert gemeente_klassen(table)["GM0796"] == 2  # sterk stedelijk
    assert table["bevolkingsdichtheid"].notna().sum() > 13_000


def test_real_s_hertogenbosch_buurten_whose_quadrant_depends_on_the_reference(shared_data):
    d = shared_data / "GM0796"
    k = pd.read_csv(d / "kwb2024_85984NED_extract_GM0796.csv")
    lbm = pd.read_csv(d / "leefbaarometer3_buurten_GM0796_2018-2024.csv")
    lbm = lbm[lbm["jaar"] == 2024].set_index("bu_code")[["afw", "soc", "onv", "won", "fys"]].add_prefix("lbm_")
    inw = k["AantalInwoners_5"].where(k["AantalInwoners_5"] > 0)
    f = pd.DataFrame({"buurtcode": k["Codering_3"].str.strip(), "bevolkingsdichtheid": k["Bevolkingsdichtheid_34"],
                      "misdrijven_per_1000": k["GeregistreerdeMisdrijven_1"] / inw * 1000})
    f = f.merge(lbm, left_on="buurtcode", right_index=True, how="outer")
    recipe = simple_recipe([("lbm_afw", 1, 2.0), ("lbm_soc", 1, 1.0), ("lbm_onv", 1, 1.0), ("misdrijven_per_1000", -1, 0.5)],
                           [("bevolkingsdichtheid", -1, 0.5), ("lbm_won", -1, 1.0), ("lbm_fys", -1, 0.5)])
    comp = compare_references(f, recipe, folder=shared_data / "NL")
    assert comp.niet_beschikbaar == {} and len(comp.kwadranten) == 104
    changed = comp.kwadranten["gemeente"] != comp.kwadranten["nederland"]
    assert 0 < changed.sum() < 104 / 2  # the reference moves some buurten, not the city
    assert (comp.afhankelijk >= changed).all()


def test_a_reference_statistic_is_only_used_for_values_of_its_year_and_level():
    ref = ReferenceSet("nederland", {None: {
        "x": ColumnStats(10.0, 2.0, np.array([6.0, 8.0, 10.0, 12.0]), 4, 2017, "test"),
        "lbm_soc": ColumnStats(0.0, None, None, 0, None, "lbm"),
    }})
    values = pd.DataFrame({"x": [10.0, 14.0, 8.0], "lbm_soc": [0.1, -0.1, 0.3]})
    gm = pd.Series(["GM0001"] * 3)
    z, uncovered = normalise_external(values, "zscore", ref, gm, clip=3, herkomst={"x": {(2017, "buurt")},
                                                                                   "lbm_soc": {(2024, "buurt")}})
    assert uncovered == {} and z["x"].tolist() == [0.0, 2.0, -1.0]  # same year and level; lbm: any year
    for herkomst, reden in (({(2020, "wijk")}, "de data heeft wijkcijfer 2020, de referentie buurtcijfers 2017"),
                            ({(2020, "buurt")}, "de data heeft buurtcijfer 2020, de referentie buurtcijfers 2017"),
                            ({(2017, "buurt"), (2020, "wijk")}, "de data heeft wijkcijfer 2020")):
        _, uncovered = normalise_external(values, "zscore", ref, gm, clip=3, herkomst={"x": herkomst})
        assert list(uncovered) == ["x"] and uncovered["x"].startswith(reden)
    _, uncovered = normalise_external(values, "zscore", ref, gm, clip=3, herkomst={"lbm_soc": {(2024, "wijk")}})
    assert list(uncovered) == ["lbm_soc"]


def test_a_wijk_figure_falls_back_to_the_own_gemeente_and_is_listed(tmp_path):
    from wijkprofielen.dataset import IndicatorMeta
    from wijkprofielen.testing import grid_dataset
    from wijkprofielen.workspace import Workspace

    nl = tmp_path / "NL"
    nl.mkdir()
    (nl / "kwb2024_85984NED_extract_NL.csv").write_text(
        "WijkenEnBuurten,SoortRegio_2,Codering_3,AantalInwoners_5,Bevolkingsdichtheid_34,GemiddeldInkomenPerInwoner_66\n"
        + "".join(f"BU0002000{i},Buurt,BU0002000{i},{500 + i},{1000 * i},{20 + i}\n" for i in range(1, 6))
        + "BU00020009,Buurt,BU00020009,20,99999,99\n", encoding="utf-8")
    ds = grid_dataset({"gem_inkomen_per_inwoner": [25.0, 30.0, 35.0, 40.0], "bevolkingsdichtheid": [500.0, 1500, 2500, 3500],
                       "inwoners": [500.0, 600, 700, 800]})
    ds.indicatoren["gem_inkomen_per_inwoner"] = IndicatorMeta.from_catalogue("gem_inkomen_per_inwoner", niveau="wijk")
    recipe = simple_recipe([("gem_inkomen_per_inwoner", 1, 1.0)], [("bevolkingsdichtheid", -1, 1.0)],
                           scoring={"referentie": "nederland"})
    ws = Workspace(load_config())
    ws.cfg = dataclasses.replace(ws.cfg, referentie=dataclasses.replace(ws.cfg.referentie, map=nl))
    _, result = ws.scored(ds, recipe=recipe)
    assert result.referentie_terugval == ["gem_inkomen_per_inwoner"]
    assert result.terugval_redenen["gem_inkomen_per_inwoner"] == "de data heeft wijkcijfer 2024, de referentie buurtcijfers 2024"
    # The tiny national buurt (20 inhabitants) stays out of the national statistics.
    assert ws.reference(ds.frame(), "nederland", 100).stats[None]["bevolkingsdichtheid"].n == 5
    assert ws.reference(ds.frame(), "nederland", 0).stats[None]["bevolkingsdichtheid"].n == 6
