"""The installed (non-editable) package runs without the repository: packaged defaults, package data."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


def _run(cmd, cwd, env, timeout=300):
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{cmd}: {proc.stderr[-2000:]}"
    return proc


@pytest.mark.slow
def test_installed_package_runs_outside_the_repository(tmp_path):
    # Build from a copy, so the worktree gets no build/ or egg-info.
    src = tmp_path / "src"
    shutil.copytree(ROOT / "wijkprofielen", src / "wijkprofielen", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", src)
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv], tmp_path, os.environ)
    py = venv / "bin" / "python"
    purelib = _run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path, os.environ).stdout.strip()
    # The runtime dependencies, pip and setuptools come from the test environment, after the venv's own packages.
    Path(purelib, "test_omgeving.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIJKPROFIELEN_", "PYTHON"))} | {"MPLBACKEND": "Agg"}
    _run([py, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", src], tmp_path, env)

    elders = tmp_path / "elders"
    elders.mkdir()
    where = _run([py, "-c", "import wijkprofielen; print(wijkprofielen.__file__)"], elders, env).stdout.strip()
    assert where.startswith(purelib), where  # the installed copy, not the repository
    _run([py, "-m", "wijkprofielen", "demo", "--out", "stad.parquet"], elders, env)
    _run([py, "-m", "wijkprofielen", "score", "--data", "stad.parquet", "--out", "scores.csv"], elders, env)
    header = (elders / "scores.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "kwadrant" in header and "stabiliteit" in header
    items = json.loads(_run([py, "-m", "wijkprofielen", "menukaart", "--format", "json"], elders, env).stdout)
    assert len(items) > 10
    _run([py, "-m", "wijkprofielen", "export", "--data", "stad.parquet", "--format", "csv", "--out", "alle.csv"], elders, env)
    assert len((elders / "alle.csv").read_text(encoding="utf-8").splitlines()) > 50
    assert not (elders / "werkmap").exists()  # nothing written besides what was asked
