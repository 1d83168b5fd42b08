"""Toegankelijkheid: the accessibility statement (docs/toegankelijkheid.md)."""

from wijkprofielen.ui import toegankelijkheid

toegankelijkheid.render()
