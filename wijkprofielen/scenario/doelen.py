"""City targets per gemeente: choose the targets of a dataset's gemeente.

The targets themselves (``[doelen.GMxxxx]`` and ``[uitzoomen]`` in ``config.toml``) are
validated when the configuration loads (:class:`wijkprofielen.config.Doelen`, ``Config.doelen``).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..config import Doelen, doelen_from_dict
from ..errors import ConfigError

__all__ = ["Doelen", "doelen_for", "doelen_from_dict"]


def doelen_for(doelen: Mapping[str, Doelen], gemeentecodes: list[str]) -> Doelen:
    """The targets for the (single) gemeente of a dataset, from ``Config.doelen``.

    Raises
    ------
    ConfigError
        When the dataset spans several gemeenten or no ``[doelen.GMxxxx]`` exists for it.
    """
    codes = sorted(set(gemeentecodes))
    if len(codes) != 1:
        raise ConfigError(
            f"Uitzoomen werkt per gemeente; deze dataset bevat {len(codes)} gemeenten ({', '.join(codes[:5])}). "
            "Kies een dataset van één gemeente."
        )
    if codes[0] not in doelen:
        raise ConfigError(
            f"Er zijn geen stedelijke doelen voor {codes[0]}. Voeg [doelen.{codes[0]}] toe aan config.toml "
            f"(bekend: {', '.join(sorted(doelen)) or 'geen'})."
        )
    return doelen[codes[0]]
