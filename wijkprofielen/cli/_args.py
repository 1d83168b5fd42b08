"""Argument types of the commands: a bad value gets a Dutch message from the parser (exit code 2)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable


def whole_number(naam: str, lo: int, hi: int) -> Callable[[str], int]:
    """A whole number from ``lo`` to ``hi`` for the option ``naam``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{naam} moet een geheel getal van {lo} tot en met {hi} zijn, niet '{text}'.")
        return value

    return parse


def one_of(naam: str, options: Iterable[str]) -> Callable[[str], str]:
    """One of ``options`` for the option ``naam``."""
    options = tuple(options)

    def parse(text: str) -> str:
        if text not in options:
            raise argparse.ArgumentTypeError(f"{naam} '{text}' is onbekend. Kies uit: {', '.join(options)}.")
        return text

    return parse
