"""Administrator rights on the pages: the key form, or the name from the proxy's trusted header.

The rule comes from :mod:`wijkprofielen.toegang`. An administrator recognised by key stays
one for this browser session (in this app process); after a move to another app process
the key is asked once more.
"""

from __future__ import annotations

import streamlit as st

from .. import toegang
from ..errors import ConfigError

SESSION_KEY = "_beheerder"


def _rule() -> toegang.Toegang | None:
    try:
        return toegang.from_env()
    except ConfigError as exc:
        st.error(f"Beheerderstoegang is verkeerd ingesteld: {exc} Tot dat is hersteld, is beheer niet mogelijk.")
        return None


def _header_admin(rule: toegang.Toegang) -> str | None:
    try:
        headers = dict(st.context.headers)
    except Exception:  # no request (AppTest, bare script run): no trusted header
        headers = {}
    return rule.beheerder_uit_kop(headers)


def allowed() -> bool:
    """Whether this session may do administrator actions (draws nothing)."""
    rule = _rule()
    if rule is None:
        return False
    if not rule.beperkt:
        return True
    return bool(_header_admin(rule) or st.session_state.get(SESSION_KEY))


def require(doel: str, key: str) -> bool:
    """True when this session may ``doel`` (e.g. "datasets importeren"); otherwise explain why
    not and, when the installation has an administrator key, ask for it."""
    rule = _rule()
    if rule is None:
        return False
    if not rule.beperkt:
        return True
    naam = _header_admin(rule)
    if naam:
        st.caption(f"Aangemeld als beheerder: {naam}.")
        return True
    if st.session_state.get(SESSION_KEY):
        return True
    if not rule.sleutel:
        st.info(f"Alleen beheerders kunnen {doel}. Meld u aan via de beheerderstoegang van uw organisatie.",
                icon=":material/lock:")
        return False
    with st.form(f"beheer_{key}"):
        st.markdown(f"Alleen beheerders kunnen {doel}.")
        gegeven = st.text_input("Beheersleutel", type="password", max_chars=256, key=f"beheer_sleutel_{key}")
        if st.form_submit_button("Aanmelden als beheerder"):
            if rule.sleutel_klopt(gegeven):
                st.session_state[SESSION_KEY] = True
                st.rerun()
            st.error("Deze beheersleutel klopt niet. Vraag de sleutel aan wie de installatie beheert.")
    return False
