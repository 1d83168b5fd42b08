"""``[workshop]`` settings read from the configuration, as plain values for :class:`WorkshopStore`."""

from __future__ import annotations

from ..config import Config, number_setting
from .store import DEFAULT_MAX_AFWIJKING, DEFAULT_VERVERSEN_S

# (default, lowest, highest)
_SETTINGS = {"max_afwijking": (DEFAULT_MAX_AFWIJKING, 0.1, 10.0), "verversen_s": (DEFAULT_VERVERSEN_S, 1.0, 60.0)}


def _setting(cfg: Config | None, key: str) -> float:
    default, lo, hi = _SETTINGS[key]
    return default if cfg is None else number_setting(cfg.section("workshop"), key, default, "workshop", lo, hi)


def max_afwijking_from_config(cfg: Config | None) -> float:
    """``[workshop] max_afwijking``: the distance on the assenkruis beyond which a reason is required (0.1 – 10)."""
    return _setting(cfg, "max_afwijking")


def verversen_from_config(cfg: Config | None) -> float:
    """``[workshop] verversen_s``: seconds between refreshes of the live view (1 – 60)."""
    return _setting(cfg, "verversen_s")


def store_settings(cfg: Config | None) -> dict[str, float]:
    """Keyword arguments for :class:`WorkshopStore` from ``[workshop]``."""
    return {"max_afwijking": max_afwijking_from_config(cfg), "verversen_s": verversen_from_config(cfg)}
