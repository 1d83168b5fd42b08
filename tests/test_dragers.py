"""Which sub-score carries an axis: the wording behind the quadrant."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from wijkprofielen.config import recipe_from_dict
from wijkprofielen.dragers import axis_reading, carriers, quadrant_reading


def _recipe(**grenzen):
    def axis(label, *subs):
        return {"label": label, "indicatoren": [{"kolom": k, "richting": 1, "gewicht": 1, "subas": s} for k, s in subs]}
    return recipe_from_dict({"assen": {
        "draagkracht": axis("Draagkracht", ("lbm_soc", "draagkracht"), ("pct_laag_inkomen", "draaglast")),
        "fysieke_kansen": axis("Fysieke kansen", ("plancap_hard_pct", "ruimte"), ("pct_label_efg", "opgave"))},
        "kwadrant": grenzen})


R = _recipe()


def test_high_axis_through_opgave_does_not_claim_room():
    s = {"fysieke_kansen": 0.17, "sub_ruimte": -0.88, "sub_opgave": 1.22}
    assert carriers(s, R, "fysieke_kansen") == (["opgave"], ["ruimte"], [])
    assert axis_reading(s, R, "fysieke_kansen") == \
        "Fysieke kansen boven de grens (+0,17), gedragen door opgave (+1,22); ruimte is laag (-0,88)."
    assert axis_reading(s, R, "fysieke_kansen", short=True) == "fysieke kansen hoog door opgave (+1,22)"


def test_draaglast_reads_as_a_load():
    s = {"draagkracht": -0.4, "sub_draagkracht": 0.2, "sub_draaglast": 0.9}
    assert axis_reading(s, R, "draagkracht") == \
        "Draagkracht onder de grens (-0,40), door zware draaglast (+0,90); draagkracht is hoog (+0,20)."
    s = {"draagkracht": 0.3, "sub_draagkracht": 0.2, "sub_draaglast": -0.4}
    assert "gedragen door draagkracht (+0,20) en lichte draaglast (-0,40)" in axis_reading(s, R, "draagkracht")


def test_missing_scores_are_named_not_guessed():
    s = {"draagkracht": math.nan, "fysieke_kansen": 0.5, "sub_ruimte": 0.5, "sub_opgave": math.nan}
    assert quadrant_reading(s, R) == ("Draagkracht: geen score (te weinig gegevens). Fysieke kansen boven de grens "
                                      "(+0,50), gedragen door ruimte (+0,50); opgave onbekend (geen gegevens).")


def test_the_boundary_is_the_quadrant_boundary():
    r = _recipe(grens_fysieke_kansen=0.3)
    s = {"fysieke_kansen": 0.2, "sub_ruimte": 0.25, "sub_opgave": 0.1}
    assert axis_reading(s, r, "fysieke_kansen").startswith("Fysieke kansen onder de grens (+0,20), door lage ruimte")


@settings(deadline=None, max_examples=200)
@given(w=st.floats(0.01, 1), ruimte=st.floats(-3, 3), opgave=st.floats(-3, 3), grens=st.floats(-1, 1))
def test_a_weighted_mean_always_has_a_carrier(w, ruimte, opgave, grens):
    """The axis is a weighted mean of its sub-scores, so at least one lies on its side of the boundary."""
    r = _recipe(grens_fysieke_kansen=grens)
    s = {"fysieke_kansen": w * ruimte + (1 - w) * opgave, "sub_ruimte": ruimte, "sub_opgave": opgave}
    carry, other, unknown = carriers(s, r, "fysieke_kansen")
    assert carry and not unknown and sorted(carry + other) == ["opgave", "ruimte"]
