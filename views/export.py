"""Export: GeoPackage, CSV, manifest and batches of wijkprofielen; per wijk or gebied at that level."""

from wijkprofielen.ui import export, export_niveau, session

(export.render if session.niveau() == "buurt" else export_niveau.render)()
