"""Kaart: the buurten (or the wijken or gebieden) in a chosen colour mode, with their outlines."""

from wijkprofielen.ui import kaart, niveau, session

(kaart.render if session.niveau() == "buurt" else niveau.render_kaart)()
