"""The call log as a team's record, on SQLite and PostgreSQL: search, follow-ups, export and import."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from assistant.calllog.export import DISPOSITIONS, read, write
from assistant.calllog.store import Store
from assistant.errors import StoreError
from assistant.models import CallEvent, CallRequest, CallStatus, FollowUp, PlacedCall

T0 = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)


def a_call(
    store: Store,
    *,
    to: str = "+14155550134",
    name: str = "Jane Smith",
    topic: str = "",
    status: str = "completed",
    talk: int = 95,
    note: str = "",
    followup: date | None = None,
    rep: str = "ann",
) -> str:
    request = CallRequest(to=to, contact_name=name, topic=topic, rep=rep)
    store.begin_call(request, provider="test", from_number="+14155550199")
    store.call_placed(PlacedCall(request.key, "test", "CA" + request.key))
    if status == "completed":
        store.apply_event(request.key, CallEvent(CallStatus.IN_PROGRESS, T0))
    store.apply_event(request.key, CallEvent(CallStatus(status), T0 + timedelta(seconds=talk), duration=talk))
    if note:
        store.add_note(
            call_id=request.key,
            rep=rep,
            text=note,
            followup=FollowUp(followup, "by then") if followup else None,
        )
    return request.key


def test_search_finds_calls_by_note_text_and_topic(store: Store):
    quote = a_call(store, topic="the renewal", note="she wants the updated quote by friday")
    contract = a_call(
        store, name="Bob Jones", topic="the contract", note="legal is reviewing the contract terms"
    )
    gone = a_call(store, name="Kelly Chen", note="wrong number, nothing useful")
    store.update_note(store.call(gone).notes[0].id, status="discarded")
    assert [r.id for r in store.search("quote")] == [quote]
    assert [r.id for r in store.search("renewal")] == [quote]  # the topic
    assert {r.id for r in store.search("contract")} == {contract}
    assert store.search("updated quote") and not store.search("quote contract")
    assert store.search("useful") == []  # a discarded note is not found
    assert store.search("'; DROP TABLE calls; --") == []  # words only: no query syntax gets through


def test_followups_due_and_done(store: Store):
    today = date(2026, 11, 27)
    overdue = a_call(store, note="send pricing", followup=today - timedelta(days=2))
    due_today = a_call(store, name="Bob Jones", note="call back", followup=today)
    later = a_call(store, name="Kelly Chen", note="check in", followup=today + timedelta(days=5))
    a_call(store, name="Ana Souza", note="far away", followup=today + timedelta(days=30))
    due = store.due_followups(until=today + timedelta(days=6))
    assert [n.call_id for n in due] == [overdue, due_today, later]
    assert store.followup_done(due[0].id)
    assert [n.call_id for n in store.due_followups(until=today)] == [due_today]
    assert not store.followup_done(999_999)


def test_export_has_hubspot_columns_and_import_is_idempotent(store: Store, tmp_path: Path):
    connected = a_call(store, topic="the renewal", note="quote by friday", followup=date(2026, 12, 4))
    a_call(store, name="Bob Jones", status="busy", talk=0)
    csv_path, jsonl_path = tmp_path / "log.csv", tmp_path / "log.jsonl"
    records = store.recent_calls(limit=None)
    assert write(records, csv_path, "csv") == 2 and write(records, jsonl_path, "jsonl") == 2
    rows = list(csv.DictReader(csv_path.read_text().splitlines()))
    first = next(r for r in rows if r["callbot_id"] == connected)
    assert first["hs_call_direction"] == "OUTBOUND" and first["hs_call_status"] == "COMPLETED"
    assert first["hs_call_disposition"] == DISPOSITIONS["connected"] and first["hs_call_duration"] == "95000"
    assert first["hs_call_body"] == "quote by friday" and first["followup_date"] == "2026-12-04"
    assert first["hs_call_to_number"] == "+14155550134" and first["hs_call_from_number"] == "+14155550199"
    assert first["hs_timestamp"].endswith("Z") and first["topic"] == "the renewal"
    assert json.loads(jsonl_path.read_text().splitlines()[0])["callbot_id"] in {r["callbot_id"] for r in rows}

    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    assert other.import_rows(read(csv_path), "log.csv") == (2, 0)
    assert other.import_rows(read(csv_path), "log.csv") == (0, 2)  # twice: nothing new
    assert other.import_rows(read(jsonl_path), "log.jsonl") == (0, 2)
    moved = other.call(connected)
    assert moved is not None and moved.outcome == "connected" and moved.duration == 95
    assert [(n.text, n.followup) for n in moved.notes] == [("quote by friday", date(2026, 12, 4))]
    assert store.import_rows(read(csv_path), "log.csv") == (0, 2)  # and into the log it came from
    other.close()


def test_backup_of_a_sqlite_log(store: Store, tmp_path: Path):
    a_call(store, note="kept")
    if store.engine.dialect.name != "sqlite":
        with pytest.raises(StoreError, match="pg_dump"):
            store.backup(tmp_path / "copy.db")
        return
    copy = Store(f"sqlite:///{store.backup(tmp_path / 'copy.db')}")
    assert [n.text for r in copy.recent_calls() for n in r.notes] == ["kept"]
    copy.close()
