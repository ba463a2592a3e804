"""Stoplight Prism serving Twilio's own OpenAPI spec (installed by `make test` into .tools/prism)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "twilio-oai"
PRISM = ROOT / ".tools" / "prism" / "node_modules" / ".bin" / "prism"
SID = "AC" + "0123456789abcdef" * 2
TOKEN = "test-auth-token-0123456789"

sys.path.insert(0, str(FIXTURES))
from prism_patch import write_patched  # noqa: E402


@dataclass
class Prism:
    url: str
    log: Path

    def log_text(self, timeout: float = 10.0) -> str:
        """The log with every request answered so far in it. Prism writes a request's lines just after
        answering it, in order: a marker request goes last, and the log is read once the marker is in it."""
        marker = f"/callbot-log-marker-{uuid.uuid4().hex}"
        try:
            urllib.request.urlopen(self.url + marker, timeout=5).close()
        except urllib.error.HTTPError as exc:  # 404 (no such route) is the answer expected
            exc.close()
        deadline = time.monotonic() + timeout
        while True:
            text = self.log.read_text(encoding="utf-8", errors="replace")
            if any(marker in line and "Request terminated" in line for line in text.splitlines()):
                return text
            if time.monotonic() > deadline:
                pytest.fail(f"Prism did not log a request within {timeout} s: {text[-2000:]}")
            time.sleep(0.01)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def run_prism(spec: Path, log: Path) -> Iterator[Prism]:
    if not PRISM.exists():
        message = (
            f"Prism is not installed at {PRISM}: run make test (it installs @stoplight/prism-cli@5.14.2)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    port = free_port()
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [str(PRISM), "mock", str(spec), "-h", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"Prism exited with {proc.returncode}: {log.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(url + "/", timeout=1)
                break
            except urllib.error.HTTPError:
                break  # any HTTP answer (404 on "/") means it is listening
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("Prism did not start within 90 s")
                time.sleep(0.2)
        yield Prism(url, log)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)


@pytest.fixture(scope="session")
def prism(tmp_path_factory) -> Iterator[Prism]:
    """Prism serving the test copy of the spec (see prism_patch.py for its one adjustment)."""
    folder = tmp_path_factory.mktemp("prism")
    spec = folder / "twilio_api_v2010.prism.json"
    write_patched(FIXTURES / "twilio_api_v2010.json", spec)
    with run_prism(spec, folder / "prism.log") as server:
        yield server


@pytest.fixture(scope="session")
def prism_unmodified(tmp_path_factory) -> Iterator[Prism]:
    """Prism serving Twilio's spec exactly as published."""
    folder = tmp_path_factory.mktemp("prism-original")
    with run_prism(FIXTURES / "twilio_api_v2010.json", folder / "prism.log") as server:
        yield server
