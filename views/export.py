"""Export: all scored buurten (GeoPackage, CSV), the snapshot manifest, and batches."""

from wijkprofielen.ui import export

export.render()
