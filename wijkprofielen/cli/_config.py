"""The configuration options shared by the commands that score: ``--config`` and ``--recept``."""

from __future__ import annotations

import sys

from ..config import Config, load_config


def add_config_options(p) -> None:
    p.add_argument("--config", help="configuratiebestand (standaard config.toml)")
    p.add_argument("--recept", help="recept uit [recepten], bijvoorbeeld landelijk of volledig (standaard: [scoring] recept)")


def configured(args) -> Config:
    """The configuration of ``--config`` with the recipe of ``--recept``; its warnings go to stderr."""
    cfg = load_config(args.config).with_recept(getattr(args, "recept", None))
    for w in cfg.waarschuwingen:
        print(f"let op: {w}", file=sys.stderr)
    return cfg
