"""The Dynamiek block of the Wijkprofiel page: where the buurt is going on each axis, and why."""

from __future__ import annotations

import functools

import streamlit as st

from .. import indicators
from ..config import Config
from ..dataset import Dataset
from ..dynamiek import KLASSE_LABELS, ONBEKEND, buurt_tabel, uitleg
from ..formatting import number, score
from ..scoring import ScoreResult
from . import layout, loaders

HEADERS = {"as": "As", "indicator": "Indicator", "van_jaar": "Van (jaar)", "van": "Van", "tot_jaar": "Tot (jaar)",
           "tot": "Tot", "verschil": "Verschil", "in_sd": "In sd", "op_de_as": "Op de as"}
SIGNED = functools.partial(number, digits=2, signed=True)
FORMATS = {"van_jaar": str, "tot_jaar": str, "verschil": SIGNED, "in_sd": SIGNED, "op_de_as": SIGNED}


def block(cfg: Config, ds: Dataset, result: ScoreResult, code: str) -> None:
    """The buurt's dynamiek per axis with its class, the signaal and the measured changes per indicator."""
    dyn = loaders.dynamiek(ds, cfg)
    st.markdown(f"#### Dynamiek {dyn.periode}")
    row = dyn.tabel.loc[code]
    for col, axis in zip(st.columns(2), result.recipe.assen):
        k = row[f"klasse_{axis.naam}"]
        col.metric(f"Dynamiek {axis.label.lower()}", KLASSE_LABELS[k],
                   None if k == ONBEKEND else score(row[f"dynamiek_{axis.naam}"]), delta_color="off",
                   help="Verandering in standaarddeviaties van de referentie; positief = hoger op de as.")
        if k == ONBEKEND:
            col.caption(f"Geen dynamiek: {row[f'reden_{axis.naam}']}.")
    if row["signaal"]:
        st.info(f"Signaal: **{row['signaal']}**. Bespreek het met wie de buurt kent; het is geen oordeel.",
                icon=":material/trending_down:")
    changes = buurt_tabel(dyn, ds, result.recipe, code)
    if len(changes):
        layout.table(changes, FORMATS, headers=HEADERS, widths={"indicator": "large"})
    if dyn.overgeslagen:
        st.caption("Niet meegeteld: " + "; ".join(f"{indicators.info(k).label} ({r})" for k, r in dyn.overgeslagen.items())
                   + ".")
    st.caption(uitleg(dyn.instellingen))
