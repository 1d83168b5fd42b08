"""Shared pieces for the workshop tests: a small dataset, recipe and store URLs."""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable

import pytest

from wijkprofielen.testing import grid_dataset, simple_recipe

PG_ENV = "WIJKPROFIELEN_TEST_POSTGRES"
PINS = {"buurtbeheer", "renovatie", "sloop_nieuwbouw", "huismeester", "toewijzing", "buurtkamer", "groen"}


def small_dataset():
    return grid_dataset({"a": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "b": [6.0, 1.0, 5.0, 2.0, 4.0, 3.0]})


def small_recipe():
    return simple_recipe([("a", 1, 1.0)], [("b", 1, 1.0)])


def postgres_url_or_skip() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"geen PostgreSQL-server: zet {PG_ENV} (CI doet dat via .ci/postgres.sh)")
    return url


def postgres_schema_url(url: str):
    """A fresh schema in the test database, and a function that drops it again."""
    from sqlalchemy import create_engine, text

    schema = "t_" + secrets.token_hex(6)
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in url else "?"

    def drop():
        from wijkprofielen import opslag

        opslag.dispose_engines()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()

    return f"{url}{sep}options=-csearch_path%3D{schema}", drop


def menukaart_pin_id() -> str:
    """A valid pin id for the default check: from the menukaart once it exists."""
    try:
        from wijkprofielen.menukaart import load_menukaart
    except ImportError:
        return "buurtbeheer"
    return next(iter(load_menukaart()))


def store_url_fixture(filename: str):
    """A ``url`` fixture: an SQLite file in tmp_path, and a fresh PostgreSQL schema (marker ``postgres``)."""

    @pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
    def url(request, tmp_path):
        from wijkprofielen import opslag

        if request.param == "sqlite":
            yield f"sqlite:///{tmp_path}/{filename}"
            opslag.dispose_engines()
        else:
            u, drop = postgres_schema_url(postgres_url_or_skip())
            yield u
            drop()

    return url


def run_writers(count: int, write: Callable[[int], None]) -> list[str]:
    """Run ``write(n)`` for ``n`` in ``range(count)`` in threads that start together; the failures."""
    barrier = threading.Barrier(count)
    errors: list[str] = []

    def writer(n: int) -> None:
        try:
            barrier.wait(timeout=60)
            write(n)
        except Exception as exc:  # collected: the test reports every failure, not the first
            errors.append(f"{n}: {exc!r}")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return errors
