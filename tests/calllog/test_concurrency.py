"""Two callbot processes writing to one log at once lose nothing and never duplicate a call."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from assistant.calllog.export import write
from assistant.calllog.schema import calls, notes
from assistant.calllog.store import Store
from assistant.models import CallRequest, CallStatus, PlacedCall

WRITER = Path(__file__).with_name("concurrent_writer.py")
CALLS = 60
SHARED = 20


def shared_export(tmp_path: Path) -> Path:
    """An export of 20 calls both processes import: they must end up in the log once."""
    source = Store(f"sqlite:///{tmp_path / 'source.db'}")
    for i in range(SHARED):
        request = CallRequest(to="+14155550101", contact_name=f"Shared {i}", rep="team")
        source.begin_call(request, provider="test")
        source.call_placed(PlacedCall(request.key, "test", f"CAshared{i:026d}", status=CallStatus.QUEUED))
        source.add_note(call_id=request.key, rep="team", text=f"shared note {i}")
    path = tmp_path / "shared.jsonl"
    write(source.recent_calls(limit=None), path, "jsonl")
    source.close()
    return path


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_two_processes_write_at_once(database: str, tmp_path: Path, request: pytest.FixtureRequest):
    if database == "sqlite":
        url = f"sqlite:///{tmp_path / 'team.db'}"  # WAL mode, as callbot opens it
    else:
        url = request.getfixturevalue("postgres").database("concurrency")
    shared = shared_export(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    writers = [
        subprocess.Popen(
            [sys.executable, str(WRITER), url, name, str(CALLS), str(shared)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("alice", "bob")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    store = Store(url)
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(calls)).scalar_one()
        carrier_ids = conn.execute(select(func.count(func.distinct(calls.c.provider_call_id)))).scalar_one()
        note_count = conn.execute(select(func.count()).select_from(notes)).scalar_one()
        per_rep = dict(conn.execute(select(calls.c.rep, func.count()).group_by(calls.c.rep)).all())
    assert total == 2 * CALLS + SHARED == carrier_ids
    assert note_count == 2 * CALLS + SHARED
    assert per_rep == {"alice": CALLS, "bob": CALLS, "team": SHARED}
    assert all(r.status == CallStatus.COMPLETED for r in store.recent_calls(rep="alice", limit=None))
    if database == "sqlite":
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.close()
