"""Charts on a page: Vega-Lite through Altair with Dutch numbers, and the same data as a table.

Apart from :mod:`.layout` so that a page without charts (the Kaart) does not load Altair.
"""

from __future__ import annotations

import altair as alt
import streamlit as st

from ..charttable import chart_tables
from ..formatting import VEGA_LOCALE
from . import layout


def dutch(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart with the Dutch number locale (Streamlit passes ``config.locale`` on to Vega;
    ``usermeta.embedOptions.formatLocale`` it drops)."""
    out = chart.copy(deep=False)
    config = out.config.to_dict() if out.config is not alt.Undefined else {}
    out.config = alt.Config(**{**config, "locale": VEGA_LOCALE})
    return out


def chart(spec: alt.TopLevelMixin, **kwargs):
    """``st.altair_chart`` with Dutch numbers on axes, legends and tooltips, and under it the same
    data as a table in an expander "Als tabel" (for screen readers and where colour is no help)."""
    event = st.altair_chart(dutch(spec), **kwargs)
    tables = chart_tables(spec)
    if tables:
        key = kwargs.get("key")
        with layout.lazy_expander("Als tabel", f"{key}__tabel" if key else None) as box:
            if box.open is not False:
                for data, headers in tables:
                    layout.table(data, headers=headers, height=min(400, 38 + 35 * len(data)))
    return event
