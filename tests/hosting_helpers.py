"""The hosted setup of deploy/lokaal.sh for tests: start it on free ports, read where things run."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from glob import glob
from pathlib import Path

import pytest

from wijkprofielen import opslag

ROOT = Path(__file__).resolve().parent.parent
LOKAAL = ROOT / "deploy" / "lokaal.sh"
HEADER = "X-Wijkprofielen-Beheerder"


def missing() -> str | None:
    """Why the setup cannot run here, or None."""
    if not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")):
        return "nginx ontbreekt (apt-get install nginx; .ci/run doet dat)"
    if not glob("/usr/lib/postgresql/*/bin/initdb"):
        return "PostgreSQL ontbreekt (apt-get install postgresql; .ci/run doet dat)"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "runuser ontbreekt: als root draait PostgreSQL als gebruiker postgres"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lokaal:
    """A running setup: proxy URL, database URL, app ports and pids, the nginx log."""

    def __init__(self, state: Path, env: dict[str, str]) -> None:
        self.state, self.env = state, env
        values = {}
        for line in (state / "omgeving").read_text().splitlines():
            key, _, value = line.partition("=")
            values[key] = value.strip('"')
        self.url = values["PROXY_URL"]
        self.database = values["DATABASE"]
        self.app_ports = [int(p) for p in values["APP_POORTEN"].split()]

    def sh(self, *args: str) -> None:
        subprocess.run([str(LOKAAL), *args], env=self.env, check=True, timeout=120, capture_output=True)

    def app_pid(self, i: int) -> int:
        """The pid of app process ``i`` (1-based, in the order of ``app_ports``)."""
        return int((self.state / f"app-{i}.pid").read_text())

    def websocket_upstreams(self) -> Counter:
        """Finished websocket connections per app process, from nginx's access log."""
        lines = (self.state / "nginx" / "access.log").read_text().splitlines()
        return Counter(line.split()[5] for line in lines if "/_stcore/stream" in line and " 101 " in line)


@contextmanager
def running_lokaal(folder: Path, processes: int = 3) -> Iterator[Lokaal]:
    """``deploy/lokaal.sh start`` in ``folder`` on a free proxy port; stopped afterwards.

    Skips the test with the reason when nginx or PostgreSQL is not installed.
    """
    reason = missing()
    if reason:
        pytest.skip(reason)
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKPROFIELEN_")}
    env.update({"WIJKPROFIELEN_LOKAAL": str(folder / "run"), "WIJKPROFIELEN_PROXY_POORT": str(_free_port()),
                "PYTHON": sys.executable, "WIJKPROFIELEN_VERTROUWDE_KOP": HEADER})
    started = subprocess.run([str(LOKAAL), "start", "--processen", str(processes)], env=env, timeout=300,
                             capture_output=True, text=True)
    try:
        assert started.returncode == 0, started.stderr
        yield Lokaal(folder / "run", env)
    finally:
        subprocess.run([str(LOKAAL), "stop"], env=env, timeout=120, capture_output=True)
        opslag.dispose_engines()
