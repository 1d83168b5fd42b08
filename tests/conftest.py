"""Shared fixtures: small synthetic data, the test configuration, the real-data folder.

Unit tests read ``tests/data/config.toml`` (through ``WIJKPROFIELEN_CONFIG``), never the
repository's ``config.toml``, so tuning the domain configuration does not change a test.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("WIJKPROFIELEN_SHARED_DATA", ROOT.parent / "shared" / "data"))
TEST_CONFIG = ROOT / "tests" / "data" / "config.toml"

# A long property run: WIJKPROFIELEN_FUZZ=N gives every property test N times its examples.
FUZZ = int(os.environ.get("WIJKPROFIELEN_FUZZ", "1"))


def examples(n: int) -> int:
    """``max_examples`` for a property test: ``n`` in the normal run, ``n × WIJKPROFIELEN_FUZZ`` in a long one."""
    return n * FUZZ


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


def gm0796_files(shared: Path) -> dict[str, Path]:
    """The real 's-Hertogenbosch source files in ``shared`` (``../shared/data``)."""
    gm = shared / "GM0796"
    return {
        "buurten": gm / "cbsgebiedsindelingen_buurt_2022_GM0796.geojson",
        "kwb2024": gm / "kwb2024_85984NED_extract_GM0796.csv",
        "kwb2017": gm / "kwb2017_83765NED_extract_GM0796.csv",
        "lbm": gm / "leefbaarometer3_buurten_GM0796_2018-2024.csv",
        "inkomen": shared / "NL" / "cbs_maatwerk_inkomen_2020_gemeente_wijk_wb2023.csv",
    }


@pytest.fixture(scope="session")
def gm0796(shared_data, tmp_path_factory):
    """``(dataset, rapport)`` of GM0796 imported from the real files: built once per test run.

    The xdist workers of one run share it through a file in the run's temporary folder, so the
    import runs once, not once per worker. Read-only: copy before changing it.
    """
    from wijkprofielen.importers.pipeline import build_dataset

    files = gm0796_files(shared_data)
    missing = [p.name for p in files.values() if not p.is_file()]
    if missing:
        pytest.skip(f"bestanden van GM0796 ontbreken in {shared_data}: {', '.join(missing)}")
    base = tmp_path_factory.getbasetemp()
    run = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # the workers' common folder
    with open(run / "gm0796.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = run / "gm0796.pickle"
        if not built.exists():
            result = build_dataset("GM0796", files["buurten"], kerncijfers=[files["kwb2024"], files["kwb2017"]],
                                   leefbaarometer=files["lbm"], inkomen=files["inkomen"])
            built.write_bytes(pickle.dumps(result))
        return pickle.loads(built.read_bytes())


@pytest.fixture()
def cli(capsys):
    """Run ``python -m wijkprofielen ARGS`` in this process: a ``CompletedProcess`` with code, stdout, stderr.

    Much faster than a subprocess (no fresh import of pandas and geopandas); an uncaught
    exception fails the test instead of printing a traceback. ``cli.process(...)`` runs the
    real subprocess, for the few tests about the command line as a process.
    """
    from wijkprofielen.cli import main

    def run(*args: str) -> subprocess.CompletedProcess:
        capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse exits from the parser itself
            code = exc.code
        captured = capsys.readouterr()
        return subprocess.CompletedProcess(["wijkprofielen", *args], code, captured.out, captured.err)

    run.process = lambda *args, **kwargs: subprocess.run(
        [sys.executable, "-m", "wijkprofielen", *map(str, args)], capture_output=True, text=True, **kwargs)
    return run


@pytest.fixture()
def app(monkeypatch):
    """An AppTest of the whole app (entry point), on the built-in synthetic dataset.

    Switch pages with ``at.switch_page("views/x.py").run()`` after a first ``run()``.
    """
    from streamlit.testing.v1 import AppTest

    monkeypatch.delenv("WIJKPROFIELEN_DATA", raising=False)
    monkeypatch.setenv("WIJKPROFIELEN_CONFIG", str(TEST_CONFIG))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
