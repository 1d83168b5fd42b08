"""``[workshop]`` settings (validated once in :mod:`wijkprofielen.config`) as keyword
arguments for :class:`~wijkprofielen.workshop.store.WorkshopStore`."""

from __future__ import annotations

from dataclasses import asdict

from ..config import Config


def store_settings(cfg: Config) -> dict[str, float]:
    """``max_afwijking`` and ``verversen_s`` of the typed ``[workshop]`` section."""
    return asdict(cfg.workshop)
