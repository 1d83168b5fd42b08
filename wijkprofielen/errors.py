"""User-facing errors.

Every error a user can cause (a file, a config value, a URL parameter, a CLI argument)
is raised as a subclass of :class:`WijkprofielenError` with a Dutch message that says
what is wrong and how to fix it. The CLI prints it and exits with code 2; the app shows
it with ``st.error`` and keeps running.
"""

from __future__ import annotations


class WijkprofielenError(ValueError):
    """An input problem with a Dutch message for the user."""


class ConfigError(WijkprofielenError):
    """The configuration (``config.toml`` or a recipe) is invalid."""


class DataError(WijkprofielenError):
    """A dataset or input file cannot be used."""
