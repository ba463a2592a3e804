"""The call log on a real database: migrations, contacts, call lifecycle, notes, do-not-call."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import inspect

from assistant.calllog.schema import metadata
from assistant.calllog.store import Store
from assistant.models import CallEvent, CallRequest, CallStatus, Contact, FollowUp, PhoneNumber, PlacedCall

T0 = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_migrations_build_exactly_the_schema(store: Store):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from assistant.calllog.schema import in_metadata

    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": in_metadata})
        diff = compare_metadata(context, metadata)
    assert diff == []
    assert store.revision() is not None
    assert set(inspect(store.engine).get_table_names()) >= {
        "contacts",
        "calls",
        "notes",
        "dnc",
        "call_events",
    }


def test_a_log_at_the_newest_migration_opens_without_alembic(store: Store, monkeypatch):
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from assistant.calllog.database import HEAD
    from assistant.calllog.store import MIGRATIONS, head_revision

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    alembics = ScriptDirectory.from_config(config).get_current_head()
    assert HEAD == head_revision() == alembics == store.revision()  # a new migration moves HEAD too
    monkeypatch.setattr("alembic.command.upgrade", lambda *a, **k: pytest.fail("migrated again"))
    Store(store.url).close()


def test_the_head_is_alembics_own_even_for_a_migration_written_from_our_template(tmp_path):
    """`alembic revision` writes `revision = '0004'` (script.py.mako uses repr): the head must be it."""
    import shutil

    from alembic import command
    from alembic.config import Config

    from assistant.calllog.store import MIGRATIONS, head_revision

    migrations = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    config = Config()
    config.set_main_option("script_location", str(migrations))
    newest = head_revision(migrations)
    command.revision(config, message="a later change", rev_id="0099")
    assert "revision = '0099'" in next((migrations / "versions").glob("0099_*.py")).read_text()
    head_revision.cache_clear()
    assert head_revision(migrations) == "0099" != newest


def test_reimporting_updates_instead_of_duplicating(store: Store):
    jane = Contact(
        "Jane Doe", (PhoneNumber("+14155550101"),), company="Acme", source_key="k1", aliases=("JD",)
    )
    assert store.import_contacts([jane], "a.csv").added == 1
    moved = Contact("Jane Doe", (PhoneNumber("+14155550999", "work"),), company="Acme", source_key="k1")
    result = store.import_contacts([moved], "a.csv")
    assert (result.added, result.updated) == (0, 1)
    [stored] = store.contacts()
    assert stored.numbers == (PhoneNumber("+14155550999", "work"),) and stored.aliases == ()


def test_learned_alias_survives_reimport_and_moves_to_the_latest_pick(store: Store):
    store.import_contacts(
        [
            Contact("Jennifer Lopez", (PhoneNumber("+13055550190"),), source_key="a"),
            Contact("Jen Park", (PhoneNumber("+16505550191"),), source_key="b"),
        ],
        "x",
    )
    lopez = next(c for c in store.contacts() if c.name == "Jennifer Lopez")
    park = next(c for c in store.contacts() if c.name == "Jen Park")
    before = store.contacts_version()
    store.learn_alias(lopez.id, "jen")
    assert store.contacts_version() != before
    store.import_contacts([Contact("Jennifer Lopez", (PhoneNumber("+13055550190"),), source_key="a")], "x")
    assert next(c for c in store.contacts() if c.id == lopez.id).learned == ("jen",)
    store.learn_alias(park.id, "jen")
    learned = {c.name: c.learned for c in store.contacts()}
    assert learned == {"Jennifer Lopez": (), "Jen Park": ("jen",)}


def _call(store: Store, **kw) -> CallRequest:
    request = CallRequest(to="+14155550101", contact_name="Jane Doe", rep="ann", **kw)
    store.begin_call(request, provider="test")
    store.call_placed(PlacedCall(request.key, "test", "CA" + request.key))
    return request


def test_lifecycle_is_ordered_and_deduplicated(store: Store):
    request = _call(store)
    events = [
        CallEvent(CallStatus.RINGING, at(1)),
        CallEvent(CallStatus.IN_PROGRESS, at(5)),
        CallEvent(CallStatus.RINGING, at(2)),  # late: must not move the call backwards
        CallEvent(CallStatus.COMPLETED, at(65), duration=60),
        CallEvent(CallStatus.COMPLETED, at(65), duration=60),  # duplicate callback
    ]
    applied = [store.apply_event(request.key, e) for e in events]
    assert applied == [True, True, False, True, False]
    call = store.call(request.key)
    assert (call.status, call.outcome, call.duration) == (CallStatus.COMPLETED, "connected", 60)
    assert (call.answered_at, call.ended_at) == (at(5), at(65))


def test_bridge_legs_make_the_outcome(store: Store):
    request = _call(store)
    store.apply_event(request.key, CallEvent(CallStatus.IN_PROGRESS, at(3), leg="agent"))
    store.apply_event(
        request.key, CallEvent(CallStatus.RINGING, at(4), leg="lead", provider_call_id="CAlead")
    )
    store.apply_event(request.key, CallEvent(CallStatus.BUSY, at(6), leg="lead", duration=0))
    store.apply_event(request.key, CallEvent(CallStatus.COMPLETED, at(7), leg="agent", duration=4))
    call = store.call(request.key)
    assert (call.status, call.lead_status, call.outcome) == (CallStatus.COMPLETED, "busy", "busy")
    assert call.lead_call_id == "CAlead" and call.answered_at is None
    assert store.call_by_provider_id("CAlead").id == request.key


def test_voicemail_outcome(store: Store):
    request = _call(store)
    store.apply_event(request.key, CallEvent(CallStatus.IN_PROGRESS, at(3), answered_by="machine_end_beep"))
    store.apply_event(request.key, CallEvent(CallStatus.COMPLETED, at(30), duration=27))
    assert store.call(request.key).outcome == "voicemail"


def test_blocked_and_cancelled_calls_are_rows_too(store: Store):
    blocked = CallRequest(to="+14155550101", contact_name="Jane Doe", rep="ann")
    store.record_unplaced(blocked, CallStatus.BLOCKED, "on the do-not-call list")
    call = store.call(blocked.key)
    assert (call.status, call.outcome, call.reason) == (
        CallStatus.BLOCKED,
        "blocked",
        "on the do-not-call list",
    )
    assert store.last_call("ann") is None  # a blocked call is not "the last call" to redial
    assert store.last_call("ann", placed_only=False).id == blocked.key


def test_notes_pending_then_saved(store: Store):
    request = _call(store)
    note_id = store.add_note(call_id=request.key, rep="ann", status="pending", audio_path="/tmp/n.wav")
    assert [n.id for n in store.notes(status="pending")] == [note_id]
    store.update_note(
        note_id, text="quote by friday", status="saved", followup=FollowUp(date(2026, 12, 4), "by friday")
    )
    [note] = store.call(request.key).notes
    assert (note.text, note.status, note.followup, note.audio_path) == (
        "quote by friday",
        "saved",
        date(2026, 12, 4),
        "/tmp/n.wav",
    )


def test_do_not_call_list(store: Store):
    assert store.dnc_add(["+14155550101", "+14155550101"], reason="asked us not to call") == 1
    assert store.dnc_reason("+14155550101") == "asked us not to call"
    assert store.dnc_reason("+14155550102") is None
    assert store.dnc_remove("+14155550101") and store.dnc_reason("+14155550101") is None


def test_timestamps_must_be_aware(store: Store):
    from sqlalchemy.exc import StatementError

    request = _call(store)
    with pytest.raises(StatementError, match="timezone-aware"):
        store.apply_event(request.key, CallEvent(CallStatus.RINGING, datetime(2026, 1, 1)))


def test_bad_database_url_is_a_clear_error():
    from assistant.errors import CallbotError

    with pytest.raises(CallbotError, match="nosuchdb"):
        Store("nosuchdb://whatever")


def test_recording_consent_and_overrides_are_kept_on_the_row(store: Store):
    request = CallRequest(
        to="+14155550101", rep="ann", override="outside calling hours: the user said call anyway"
    )
    store.begin_call(request, provider="twilio")
    store.call_placed(
        PlacedCall(request.key, "twilio", "CA" + "1" * 32, recording="recorded; consent notice played")
    )
    call = store.call(request.key)
    assert call.override.startswith("outside calling hours") and call.recording.startswith("recorded")


def test_relations_and_city_are_stored_and_a_taught_relation_outranks_the_file(store: Store):
    from assistant.models import Contact, PhoneNumber

    def person(name: str, *relations: str) -> Contact:
        return Contact(
            name, (PhoneNumber("+14155550100"),), relations=relations, city="Denver", source_key=f"t:{name}"
        )

    store.import_contacts([person("Priya Shah", "manager"), person("Omar Haddad")], "file")
    people = {c.name: c for c in store.contacts()}
    assert people["Priya Shah"].relations == ("manager",) and people["Priya Shah"].city == "Denver"
    before = store.contacts_version()
    store.set_relation(people["Omar Haddad"].id, "manager")  # "my boss is Omar Haddad"
    assert store.contacts_version() != before  # the grammar and resolver are rebuilt
    store.import_contacts([person("Priya Shah", "manager"), person("Omar Haddad")], "file")  # again
    people = {c.name: c for c in store.contacts()}
    assert people["Omar Haddad"].relations == ("manager",) and people["Priya Shah"].relations == ()
