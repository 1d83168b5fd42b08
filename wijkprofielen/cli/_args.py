"""Argument types of the commands, built on the configuration's validators (:mod:`wijkprofielen.options`):
one check and one Dutch message per kind of value, whether it comes from ``config.toml`` or the
command line. A bad value gets that message from the parser (exit code 2)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from .. import options
from ..errors import ConfigError
from ..options import CONFIG_PREFIX, Validator


def argument(naam: str, validator: Validator, parse: Callable[[str], Any] = str) -> Callable[[str], Any]:
    """An argparse ``type`` for the option ``naam``: the text through ``parse`` (``int``, ``float``),
    then ``validator``; text that ``parse`` refuses goes to the validator as it is, which names
    what the value should be."""

    def convert(text: str) -> Any:
        try:
            value = parse(text)
        except ValueError:
            value = text
        try:
            return validator(value, naam)
        except ConfigError as exc:
            raise argparse.ArgumentTypeError(str(exc).removeprefix(CONFIG_PREFIX)) from None

    return convert


def whole(naam: str, lo: int, hi: int | None = None) -> Callable[[str], int]:
    """A whole number from ``lo`` (to ``hi``) for the option ``naam``."""
    return argument(naam, options.integer(lo, hi), int)


def year(naam: str = "--jaar") -> Callable[[str], int]:
    """A year for the option ``naam``; whether the data has it is checked where the data is read."""
    return whole(naam, 1900, 2100)
