"""A list session killed with SIGKILL (a real `callbot leads work` process) resumes at the right lead, with
the outcome it was waiting for asked again, nothing lost and nobody called twice."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from assistant.calllog.store import Store

from ..conftest import callbot

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "leads"


def env_for(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CALLBOT_DATA_DIR": str(tmp_path / "data"),
        "CALLBOT_CONFIG": str(_config(tmp_path)),
        "CALLBOT_NOW": "2026-11-27T10:00:00-08:00",  # a Friday, inside every lead's calling hours
        "CALLBOT_REP": "tester",
    }


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "callbot.toml"
    path.write_text('[voice]\nenabled = false\n[speech]\ncheck_with = ""\n')
    return path


def killed_when(env: dict[str, str], says: str, lines: list[str]) -> str:
    """Start working the list, type `lines` one at a time, and SIGKILL it once it prints `says`."""
    with subprocess.Popen(
        [sys.executable, "-m", "assistant", "leads", "work", "Acme", "--echo"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    ) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        for line in lines:
            proc.stdin.write(line + "\n")
        proc.stdin.flush()
        seen = ""
        deadline = time.monotonic() + 60
        while says not in seen:  # wait for the words, not for a while
            ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                proc.kill()
            assert ready, f"callbot never said {says!r}; it said:\n{seen}"
            chunk = os.read(proc.stdout.fileno(), 4096).decode()
            assert chunk, f"callbot ended before saying {says!r}:\n{seen}"
            seen += chunk
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return seen


def test_sigkill_while_the_outcome_is_asked_and_again_at_the_next_card(tmp_path: Path):
    env = env_for(tmp_path)
    callbot(env, "leads", "import", str(DATA / "hubspot-contacts.csv"), "--list", "Acme")
    store = Store(f"sqlite:///{tmp_path / 'data' / 'callbot.db'}")

    said = killed_when(env, "Outcome?", ["call"])
    assert "Calling Priya Shah" in said
    [priya] = [lead for lead in store.leads("Acme") if lead.name == "Priya Shah"]
    assert (priya.status, priya.attempts) == ("calling", 1)  # taken, called, its outcome not yet given

    said = killed_when(env, "Marcus Lee, Head of IT", ["meeting booked", "wants pricing in Q1"])
    assert "Your call with Priya Shah ended when callbot stopped." in said
    assert 'Saved: "wants pricing in Q1"' in said
    assert said.index("Your call with Priya Shah") < said.index("Marcus Lee, Head of IT")

    resumed = callbot(env, "leads", "work", "Acme", stdin="call\nno answer\nstop the list\n").stdout
    assert "Priya Shah" not in resumed  # done: never offered, never called again
    assert resumed.index("Marcus Lee, Head of IT") < resumed.index("Calling Marcus Lee")
    leads = {lead.name: lead for lead in store.leads("Acme")}
    assert (leads["Priya Shah"].status, leads["Priya Shah"].last_outcome) == ("done", "meeting booked")
    assert leads["Priya Shah"].attempts == 1 and leads["Marcus Lee"].attempts == 1
    placed = [c.to_number for c in store.recent_calls(limit=None)]
    assert sorted(placed) == sorted(["+13035550114", "+12125550189"])  # each called once
    [note] = [n for n in store.notes() if n.text]
    assert note.text == "wants pricing in Q1"
    store.close()
