"""Shared fixtures: small synthetic data, the test configuration, the real-data folder.

Unit tests read ``tests/data/config.toml`` (through ``WIJKPROFIELEN_CONFIG``), never the
repository's ``config.toml``, so tuning the domain configuration does not change a test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("WIJKPROFIELEN_SHARED_DATA", ROOT.parent / "shared" / "data"))
TEST_CONFIG = ROOT / "tests" / "data" / "config.toml"

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ["WIJKPROFIELEN_CONFIG"] = str(TEST_CONFIG)


@pytest.fixture(scope="session")
def voorbeeld():
    """The built-in synthetic example dataset (generated once per session)."""
    from wijkprofielen.synthetic import voorbeeldstad

    return voorbeeldstad()


@pytest.fixture(scope="session")
def small_data(tmp_path_factory, voorbeeld) -> Path:
    """The first 12 buurten of the example (wijken WK999901 and WK999902) as a GeoParquet file, for CLI tests."""
    from wijkprofielen.dataset import save_dataset

    path = tmp_path_factory.mktemp("data") / "klein.parquet"
    save_dataset(voorbeeld.subset(voorbeeld.codes[:12]), path)
    return path


@pytest.fixture(scope="session")
def config():
    from wijkprofielen.config import load_config

    return load_config(TEST_CONFIG)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``; tests that need it skip with a reason where it is absent."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED_DATA} ontbreekt op CI; de echte-data-tests moeten daar draaien.")
        pytest.skip(f"echte data niet gevonden in {SHARED_DATA} (../shared/data naast de repository)")
    return SHARED_DATA


@pytest.fixture()
def app(monkeypatch):
    """An AppTest of the whole app (entry point), on the built-in synthetic dataset.

    Switch pages with ``at.switch_page("views/x.py").run()`` after a first ``run()``.
    """
    from streamlit.testing.v1 import AppTest

    monkeypatch.delenv("WIJKPROFIELEN_DATA", raising=False)
    monkeypatch.setenv("WIJKPROFIELEN_CONFIG", str(TEST_CONFIG))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
