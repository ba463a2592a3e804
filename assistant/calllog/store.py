"""The call log: contacts, calls, their events and notes, and the do-not-call list, in one SQL database.

SQLAlchemy Core, parameterised SQL, UTC timestamps; SQLite by default (WAL), PostgreSQL by URL.
Every write is one transaction; migrations (Alembic) run on first use.
"""

from __future__ import annotations

import contextlib
import functools
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    create_engine,
    delete,
    event,
    func,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError

from ..errors import StoreError
from ..models import (
    STATUS_RANK,
    CallEvent,
    CallRecord,
    CallRequest,
    CallStatus,
    Contact,
    FollowUp,
    Note,
    Outcome,
    PhoneNumber,
    PlacedCall,
)
from .schema import call_events, calls, contact_aliases, contact_numbers, contacts, dnc, metadata, notes

MIGRATIONS = Path(__file__).parent / "migrations"


@functools.cache
def head_revision() -> str:
    """The newest migration's revision, read from the migration files as Alembic reads them."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revisions |= set(re.findall(r'^revision = "(\w+)"', source, re.M))
        parents |= set(re.findall(r'^down_revision = "(\w+)"', source, re.M))
    (head,) = revisions - parents
    return head


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ImportResult:
    added: int = 0
    updated: int = 0


def outcome_for(status: str, answered_by: str = "") -> str:
    """The disposition a final status means for the rep and the CRM."""
    if status == CallStatus.COMPLETED:
        return (
            Outcome.VOICEMAIL
            if answered_by.startswith("machine") or answered_by == "fax"
            else Outcome.CONNECTED
        )
    mapping = {
        CallStatus.BUSY: Outcome.BUSY,
        CallStatus.NO_ANSWER: Outcome.NO_ANSWER,
        CallStatus.FAILED: Outcome.FAILED,
        CallStatus.CANCELED: Outcome.CANCELED,
        CallStatus.BLOCKED: Outcome.BLOCKED,
    }
    return str(mapping.get(CallStatus(status), ""))


class Store:
    """One call log database. `Store(url)` connects and brings the schema up to date."""

    def __init__(self, url: str, *, migrate: bool = True, clock: Callable[[], datetime] = utc_now):
        self.url = url
        self.now = clock  # every timestamp the log writes comes from here (tests and replays fix it)
        self.engine = _engine(url)
        if migrate:
            self.upgrade()

    # -- plumbing -----------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _tx(self) -> Iterator[Connection]:
        """One transaction; a locked SQLite database is retried briefly, then a clear error."""
        for attempt in range(5):
            try:
                with self.engine.begin() as conn:
                    yield conn
                return
            except OperationalError as exc:
                if "locked" in str(exc.orig).lower() and attempt < 4:
                    time.sleep(0.2 * (attempt + 1))
                    continue
                raise StoreError(
                    f"the call log at {_safe_url(self.url)} cannot be written: {exc.orig}"
                ) from None
            except DBAPIError as exc:
                if exc.connection_invalidated and attempt < 4:  # server restarted: reconnect and retry
                    time.sleep(0.2 * (attempt + 1))
                    continue
                raise StoreError(f"the call log at {_safe_url(self.url)} failed: {exc.orig}") from None

    def upgrade(self) -> None:
        """Apply pending migrations, in order (safe to call from several processes)."""
        if self._current():
            return  # the usual start: nothing to do, and no need to load Alembic to know it
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        for attempt in range(5):
            try:
                with self.engine.begin() as conn:
                    if self.engine.dialect.name == "postgresql":
                        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7140511)")
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
                return
            except (OperationalError, IntegrityError) as exc:
                # Another process migrating the same SQLite file at the same moment: wait and look again.
                if attempt == 4:
                    raise StoreError(
                        f"cannot prepare the call log at {_safe_url(self.url)}: {exc.orig}"
                    ) from None
                time.sleep(0.3 * (attempt + 1))
            except SQLAlchemyError as exc:
                raise StoreError(f"cannot open the call log at {_safe_url(self.url)}: {exc}") from None

    def _current(self) -> bool:
        """Whether the log is already at the newest migration."""
        try:
            with self.engine.connect() as conn:
                found = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except SQLAlchemyError:
            return False  # a new database (or one being created right now)
        return found == [head_revision()]

    def revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def close(self) -> None:
        self.engine.dispose()

    # -- contacts -----------------------------------------------------------------------------------------

    def contacts(self) -> list[Contact]:
        with self.engine.connect() as conn:
            numbers: dict[int, list[PhoneNumber]] = {}
            for row in conn.execute(select(contact_numbers).order_by(contact_numbers.c.position)):
                numbers.setdefault(row.contact_id, []).append(PhoneNumber(row.e164, row.label, row.preferred))
            aliases: dict[int, list[str]] = {}
            learned: dict[int, list[str]] = {}
            for row in conn.execute(select(contact_aliases).order_by(contact_aliases.c.id)):
                (learned if row.learned else aliases).setdefault(row.contact_id, []).append(row.alias)
            return [
                Contact(
                    name=row.name,
                    numbers=tuple(numbers.get(row.id, ())),
                    company=row.company,
                    aliases=tuple(aliases.get(row.id, ())),
                    learned=tuple(learned.get(row.id, ())),
                    timezone=row.timezone,
                    do_not_call=row.do_not_call,
                    id=row.id,
                    source_key=row.source_key,
                )
                for row in conn.execute(select(contacts).order_by(contacts.c.name, contacts.c.id))
            ]

    def contacts_version(self) -> tuple[int, int, datetime | None]:
        """Changes whenever contacts or aliases change: the speech grammar is rebuilt when it does."""
        with self.engine.connect() as conn:
            n, newest = conn.execute(select(func.count(), func.max(contacts.c.updated_at))).one()
            aliases = conn.execute(select(func.count()).select_from(contact_aliases)).scalar_one()
            if newest is not None and newest.tzinfo is None:
                newest = newest.replace(tzinfo=UTC)
            return n, aliases, newest

    def import_contacts(self, new: Iterable[Contact], source: str) -> ImportResult:
        """Add or update contacts by their source key (re-importing a file changes nothing twice)."""
        batch = {c.source_key: c for c in new}
        if not batch:
            return ImportResult()
        stamp = self.now()
        with self._tx() as conn:
            existing = (
                {
                    key: cid
                    for key, cid in conn.execute(
                        select(contacts.c.source_key, contacts.c.id).where(
                            contacts.c.source_key.in_(list(batch))
                        )
                    )
                }
                if len(batch) < 30_000
                else {key: cid for key, cid in conn.execute(select(contacts.c.source_key, contacts.c.id))}
            )
            fresh = [c for key, c in batch.items() if key not in existing]
            ids = dict(existing)
            if fresh:
                rows = conn.execute(
                    contacts.insert().returning(
                        contacts.c.id, contacts.c.source_key, sort_by_parameter_order=True
                    ),
                    [_contact_row(c, source, stamp) | {"created_at": stamp} for c in fresh],
                )
                ids.update({key: cid for cid, key in rows})
            for key, cid in existing.items():
                conn.execute(
                    update(contacts)
                    .where(contacts.c.id == cid)
                    .values(_contact_row(batch[key], source, stamp))
                )
            if existing:
                conn.execute(
                    delete(contact_numbers).where(contact_numbers.c.contact_id.in_(list(existing.values())))
                )
                conn.execute(
                    delete(contact_aliases).where(
                        and_(
                            contact_aliases.c.contact_id.in_(list(existing.values())),
                            ~contact_aliases.c.learned,
                        )
                    )
                )
            number_rows = [
                {
                    "contact_id": ids[key],
                    "label": n.label,
                    "e164": n.e164,
                    "preferred": n.preferred,
                    "position": i,
                }
                for key, c in batch.items()
                for i, n in enumerate(c.numbers)
            ]
            if number_rows:
                conn.execute(contact_numbers.insert(), number_rows)
            learned_now = (
                {
                    (cid, alias)
                    for cid, alias in conn.execute(
                        select(contact_aliases.c.contact_id, contact_aliases.c.alias)
                    )
                }
                if existing
                else set()
            )
            alias_rows = [
                {"contact_id": ids[key], "alias": a, "learned": False, "created_at": stamp}
                for key, c in batch.items()
                for a in dict.fromkeys(c.aliases)
                if (ids[key], a) not in learned_now
            ]
            if alias_rows:
                conn.execute(contact_aliases.insert(), alias_rows)
        return ImportResult(added=len(fresh), updated=len(existing))

    def learn_alias(self, contact_id: int, alias: str) -> None:
        """Remember that `alias` means this contact (the user corrected a pick); it wins next time."""
        alias = alias.strip()
        if not alias:
            return
        with self._tx() as conn:
            conn.execute(
                delete(contact_aliases).where(
                    and_(contact_aliases.c.alias == alias, contact_aliases.c.learned)
                )
            )
            conn.execute(
                delete(contact_aliases).where(
                    and_(contact_aliases.c.contact_id == contact_id, contact_aliases.c.alias == alias)
                )
            )
            conn.execute(
                contact_aliases.insert().values(
                    contact_id=contact_id, alias=alias, learned=True, created_at=self.now()
                )
            )
            conn.execute(update(contacts).where(contacts.c.id == contact_id).values(updated_at=self.now()))

    def set_do_not_call(self, contact_id: int, flag: bool) -> None:
        with self._tx() as conn:
            conn.execute(
                update(contacts)
                .where(contacts.c.id == contact_id)
                .values(do_not_call=flag, updated_at=self.now())
            )

    def contact_for_number(self, e164: str) -> Contact | None:
        with self.engine.connect() as conn:
            cid = conn.execute(
                select(contact_numbers.c.contact_id).where(contact_numbers.c.e164 == e164).limit(1)
            ).scalar()
        if cid is None:
            return None
        return next((c for c in self.contacts() if c.id == cid), None)

    # -- calls --------------------------------------------------------------------------------------------

    def begin_call(self, request: CallRequest, *, provider: str, from_number: str = "") -> None:
        """Write the call row before the carrier is asked, so a crash or retry can never lose or repeat it."""
        self._insert_call(request, provider=provider, from_number=from_number, status=CallStatus.PENDING)

    def record_unplaced(
        self, request: CallRequest, status: CallStatus, reason: str, *, provider: str = ""
    ) -> None:
        """A call that never reached a carrier: blocked by a rule, or cancelled before dialling."""
        self._insert_call(request, provider=provider, status=status, reason=reason, final=True)

    def _insert_call(
        self,
        request: CallRequest,
        *,
        provider: str,
        status: CallStatus,
        from_number: str = "",
        reason: str = "",
        final: bool = False,
    ) -> None:
        stamp = self.now()
        with self._tx() as conn:
            exists = conn.execute(select(calls.c.id).where(calls.c.id == request.key)).first()
            values = {
                "rep": request.rep,
                "contact_id": request.contact_id,
                "contact_name": request.contact_name,
                "to_number": request.to,
                "from_number": from_number,
                "label": request.label,
                "topic": request.topic,
                "status": str(status),
                "outcome": outcome_for(status) if final else "",
                "reason": reason,
                "override": request.override,
                "provider": provider,
                "updated_at": stamp,
            }
            if final:
                values["ended_at"] = stamp
            if exists:
                conn.execute(update(calls).where(calls.c.id == request.key).values(values))
            else:
                conn.execute(calls.insert().values(id=request.key, created_at=stamp, **values))

    def note_override(self, key: str, override: str) -> None:
        with self._tx() as conn:
            current = conn.execute(select(calls.c.override).where(calls.c.id == key)).scalar() or ""
            text = f"{current}; {override}" if current else override
            conn.execute(update(calls).where(calls.c.id == key).values(override=text, updated_at=self.now()))

    def call_placed(self, placed: PlacedCall) -> None:
        with self._tx() as conn:
            conn.execute(
                update(calls)
                .where(calls.c.id == placed.key)
                .values(
                    provider=placed.provider,
                    provider_call_id=placed.provider_call_id,
                    from_number=placed.from_number or calls.c.from_number,
                    status=str(placed.status),
                    recording=placed.recording,
                    updated_at=self.now(),
                )
            )

    def call_failed(self, key: str, reason: str, code: int | None = None) -> None:
        """The carrier refused the call: final, with the user-facing reason."""
        text = f"{reason} (error {code})" if code else reason
        with self._tx() as conn:
            conn.execute(
                update(calls)
                .where(calls.c.id == key)
                .values(
                    status=str(CallStatus.FAILED),
                    outcome=str(Outcome.FAILED),
                    reason=text,
                    ended_at=self.now(),
                    updated_at=self.now(),
                )
            )

    def apply_event(self, key: str, ev: CallEvent) -> bool:
        """Fold one status event into the call row; duplicate and late events change nothing."""
        with self._tx() as conn:
            row = conn.execute(select(calls).where(calls.c.id == key)).first()
            if row is None:
                raise StoreError(f"no call {key} in the call log")
            if not _insert_ignore(
                conn,
                call_events,
                {
                    "call_id": key,
                    "leg": ev.leg,
                    "status": str(ev.status),
                    "sequence": ev.sequence,
                    "provider_call_id": ev.provider_call_id,
                    "at": ev.at,
                },
            ):
                return False
            changes = _advance(row, ev)
            if changes:
                changes["updated_at"] = self.now()
                conn.execute(update(calls).where(calls.c.id == key).values(changes))
            return bool(changes)

    def call(self, key: str) -> CallRecord | None:
        found = self._records(calls.c.id == key, limit=1)
        return found[0] if found else None

    def call_by_provider_id(self, provider_call_id: str) -> CallRecord | None:
        found = self._records(
            or_(calls.c.provider_call_id == provider_call_id, calls.c.lead_call_id == provider_call_id),
            limit=1,
        )
        return found[0] if found else None

    def recent_calls(
        self,
        *,
        rep: str | None = None,
        contact: str | None = None,
        since: datetime | None = None,
        limit: int | None = 20,
    ) -> list[CallRecord]:
        conditions: list[Any] = []
        if rep:
            conditions.append(calls.c.rep == rep)
        if contact:
            conditions.append(func.lower(calls.c.contact_name).contains(contact.lower()))
        if since:
            conditions.append(calls.c.created_at >= since)
        return self._records(and_(*conditions) if conditions else None, limit=limit)

    def last_call(self, rep: str, *, placed_only: bool = True) -> CallRecord | None:
        condition = calls.c.rep == rep
        if placed_only:
            condition = and_(condition, calls.c.status.not_in([str(CallStatus.BLOCKED)]))
        found = self._records(condition, limit=1)
        return found[0] if found else None

    def known_topics(self, limit: int = 200) -> list[str]:
        """Topics of recent calls, most recent first (the speech grammar learns them)."""
        query = (
            select(calls.c.topic, func.max(calls.c.created_at).label("last"))
            .where(calls.c.topic != "")
            .group_by(calls.c.topic)
            .order_by(func.max(calls.c.created_at).desc())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [row.topic for row in conn.execute(query)]

    def live_calls(self, rep: str) -> list[CallRecord]:
        live = [str(s) for s in CallStatus if s.is_live] + [str(CallStatus.PENDING)]
        return self._records(and_(calls.c.rep == rep, calls.c.status.in_(live)), limit=None)

    def calls_to(self, e164: str, *, since: datetime | None = None) -> list[CallRecord]:
        condition = calls.c.to_number == e164
        if since:
            condition = and_(condition, calls.c.created_at >= since)
        return self._records(condition, limit=None)

    def _records(self, condition: Any, *, limit: int | None) -> list[CallRecord]:
        query = select(calls).order_by(calls.c.created_at.desc(), calls.c.id.desc())
        if condition is not None:
            query = query.where(condition)
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            by_call: dict[str, list[Note]] = {}
            if rows:
                for note in self._notes(conn, notes.c.call_id.in_([r.id for r in rows])):
                    by_call.setdefault(note.call_id or "", []).append(note)
        return [_record(r, tuple(by_call.get(r.id, ()))) for r in rows]

    # -- notes --------------------------------------------------------------------------------------------

    def add_note(
        self,
        *,
        call_id: str | None,
        rep: str,
        text: str = "",
        status: str = "saved",
        audio_path: str = "",
        followup: FollowUp | None = None,
        contact_id: int | None = None,
    ) -> int:
        stamp = self.now()
        with self._tx() as conn:
            if contact_id is None and call_id:
                contact_id = conn.execute(select(calls.c.contact_id).where(calls.c.id == call_id)).scalar()
            result = conn.execute(
                notes.insert().values(
                    call_id=call_id,
                    contact_id=contact_id,
                    rep=rep,
                    text=text,
                    status=status,
                    audio_path=audio_path,
                    followup_date=followup.due if followup else None,
                    followup_phrase=followup.phrase if followup else "",
                    created_at=stamp,
                    updated_at=stamp,
                )
            )
            return int(result.inserted_primary_key[0])  # type: ignore[index]

    def update_note(
        self,
        note_id: int,
        *,
        text: str | None = None,
        status: str | None = None,
        followup: FollowUp | bool | None = False,
    ) -> None:
        """Change a note; `followup=False` leaves its follow-up as it is, None clears it."""
        values: dict[str, Any] = {"updated_at": self.now()}
        if text is not None:
            values["text"] = text
        if status is not None:
            values["status"] = status
        if followup is not False:
            fu = followup if isinstance(followup, FollowUp) else None
            values["followup_date"] = fu.due if fu else None
            values["followup_phrase"] = fu.phrase if fu else ""
        with self._tx() as conn:
            conn.execute(update(notes).where(notes.c.id == note_id).values(values))

    def note(self, note_id: int) -> Note | None:
        with self.engine.connect() as conn:
            found = self._notes(conn, notes.c.id == note_id)
        return found[0] if found else None

    def notes(self, *, status: str | None = None, rep: str | None = None) -> list[Note]:
        conditions = []
        if status:
            conditions.append(notes.c.status == status)
        if rep:
            conditions.append(notes.c.rep == rep)
        with self.engine.connect() as conn:
            return self._notes(conn, and_(*conditions) if conditions else None)

    def _notes(self, conn: Connection, condition: Any) -> list[Note]:
        query = (
            select(notes, contacts.c.name.label("contact_name"))
            .select_from(notes.outerjoin(contacts, notes.c.contact_id == contacts.c.id))
            .order_by(notes.c.id)
        )
        if condition is not None:
            query = query.where(condition)
        return [
            Note(
                id=r.id,
                call_id=r.call_id,
                text=r.text,
                status=r.status,
                created_at=r.created_at,
                audio_path=r.audio_path,
                followup=r.followup_date,
                followup_done=r.followup_done_at is not None,
                contact_name=r.contact_name or "",
            )
            for r in conn.execute(query)
        ]

    def import_rows(self, rows: Iterable[tuple[int, dict[str, str]]], source: str = "") -> tuple[int, int]:
        """Calls from an export (export.read); a call already in the log (by id or carrier id) is skipped.

        Returns (imported, skipped). Each call and its note go in one transaction.
        """
        from .export import parse_date, parse_time

        by_name = {c.name: c.id for c in self.contacts()}
        imported = skipped = 0
        for line, row in rows:
            try:
                created = parse_time(row["hs_timestamp"]) or self.now()
                status = CallStatus(row.get("status") or _status_from_hubspot(row.get("hs_call_status", "")))
                values = {
                    "id": row["callbot_id"],
                    "rep": row.get("rep", ""),
                    "contact_id": by_name.get(row.get("contact", "")),
                    "contact_name": row.get("contact", ""),
                    "to_number": row["hs_call_to_number"],
                    "from_number": row.get("hs_call_from_number", ""),
                    "label": row.get("label", ""),
                    "topic": row.get("topic", ""),
                    "status": str(status),
                    "outcome": row.get("outcome", ""),
                    "reason": row.get("reason", ""),
                    "override": row.get("override", ""),
                    "recording": row.get("recording", ""),
                    "provider": row.get("provider", ""),
                    "provider_call_id": row.get("provider_call_id") or None,
                    "lead_call_id": row.get("lead_call_id", ""),
                    "created_at": created,
                    "answered_at": parse_time(row.get("answered_at", "")),
                    "ended_at": parse_time(row.get("ended_at", "")),
                    "duration": int(row.get("hs_call_duration") or 0) // 1000 or None,
                    "updated_at": self.now(),
                }
                followup = parse_date(row.get("followup_date", ""))
            except (KeyError, ValueError) as exc:
                raise StoreError(f"{source}:{line}: cannot import this row ({exc})") from None
            with self._tx() as conn:
                if (
                    values["provider_call_id"]
                    and conn.execute(
                        select(calls.c.id).where(calls.c.provider_call_id == values["provider_call_id"])
                    ).first()
                ):
                    skipped += 1
                    continue
                if not _insert_ignore(conn, calls, values):
                    skipped += 1
                    continue
                body = row.get("hs_call_body", "")
                if body or followup:
                    conn.execute(
                        notes.insert().values(
                            call_id=values["id"],
                            contact_id=values["contact_id"],
                            rep=values["rep"],
                            text=body,
                            status="saved",
                            followup_date=followup,
                            followup_done_at=self.now() if row.get("followup_done") == "true" else None,
                            created_at=created,
                            updated_at=self.now(),
                        )
                    )
                imported += 1
        return imported, skipped

    # -- search, follow-ups, backup ---------------------------------------------------------------------

    def search(self, words: str, *, rep: str | None = None, limit: int | None = 50) -> list[CallRecord]:
        """Calls whose topic or (kept) notes contain all these words, newest first."""
        terms = re.findall(r"\w+", words.lower())
        if not terms:
            return []
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "postgresql":
                query = " & ".join(terms)
                note_hits = select(notes.c.call_id).where(
                    notes.c.status != "discarded",
                    func.to_tsvector("english", notes.c.text).op("@@")(func.to_tsquery("english", query)),
                )
                topic_hit = func.to_tsvector("english", calls.c.topic).op("@@")(
                    func.to_tsquery("english", query)
                )
                condition: Any = or_(calls.c.id.in_(note_hits), topic_hit)
            else:
                match = " ".join(f'"{t}"' for t in terms)  # each word quoted: FTS5 syntax is never injected
                ids = [
                    r[0]
                    for r in conn.exec_driver_sql(
                        "SELECT DISTINCT call_id FROM call_search WHERE call_search MATCH ?", (match,)
                    )
                    if r[0]
                ]
                # FTS5 matches each row (a note or a topic) alone; keep calls where the words are anywhere
                condition = calls.c.id.in_(ids)
        if rep:
            condition = and_(condition, calls.c.rep == rep)
        return self._records(condition, limit=limit)

    def due_followups(self, *, until: date, rep: str | None = None) -> list[Note]:
        """Follow-ups not done yet and due on or before `until` (overdue ones included), soonest first."""
        condition = and_(
            notes.c.followup_date.is_not(None),
            notes.c.followup_date <= until,
            notes.c.followup_done_at.is_(None),
            notes.c.status == "saved",
        )
        if rep:
            condition = and_(condition, notes.c.rep == rep)
        with self.engine.connect() as conn:
            found = self._notes(conn, condition)
        return sorted(found, key=lambda n: (n.followup or until, n.id))

    def followup_done(self, note_id: int) -> bool:
        with self._tx() as conn:
            result = conn.execute(
                update(notes)
                .where(and_(notes.c.id == note_id, notes.c.followup_date.is_not(None)))
                .values(followup_done_at=self.now(), updated_at=self.now())
                .returning(notes.c.id)
            )
            return result.first() is not None

    def backup(self, target: Path) -> Path:
        """A consistent copy of a SQLite call log, taken while it may be in use."""
        if self.engine.dialect.name != "sqlite":
            raise StoreError("db backup copies SQLite files; for PostgreSQL use pg_dump")
        import sqlite3

        target = Path(target).expanduser()
        target.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(self.engine.url.database or "")
        try:
            with sqlite3.connect(target) as copy:
                source.backup(copy)
            copy.close()
        finally:
            source.close()
        return target

    # -- do not call --------------------------------------------------------------------------------------

    def dnc_add(self, numbers: Sequence[str], *, reason: str = "", source: str = "", rep: str = "") -> int:
        added = 0
        with self._tx() as conn:
            for e164 in dict.fromkeys(numbers):
                added += _insert_ignore(
                    conn,
                    dnc,
                    {"e164": e164, "reason": reason, "source": source, "rep": rep, "added_at": self.now()},
                )
        return added

    def dnc_remove(self, e164: str) -> bool:
        with self._tx() as conn:
            return conn.execute(delete(dnc).where(dnc.c.e164 == e164)).rowcount > 0

    def dnc_entries(self) -> list[tuple[str, str, str, datetime]]:
        with self.engine.connect() as conn:
            return [
                (r.e164, r.reason, r.source, r.added_at)
                for r in conn.execute(select(dnc).order_by(dnc.c.e164))
            ]

    def dnc_reason(self, e164: str) -> str | None:
        """Why this number is on the do-not-call list, or None when it is not."""
        with self.engine.connect() as conn:
            row = conn.execute(select(dnc.c.reason, dnc.c.source).where(dnc.c.e164 == e164)).first()
        if row is None:
            return None
        return row.reason or (f"listed in {row.source}" if row.source else "on the do-not-call list")


# -- helpers -----------------------------------------------------------------------------------------------


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:" and not path.startswith("file:"):
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 15})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=15000")
            if ":memory:" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        from ..errors import MissingExtra

        raise MissingExtra(f"the database driver for {_safe_url(url)} ({exc.name})", "postgres") from None
    except SQLAlchemyError as exc:
        raise StoreError(f"bad database URL {_safe_url(url)}: {exc}") from None


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unparseable database URL)"


def _status_from_hubspot(status: str) -> str:
    from .export import STATUSES

    return next((ours for ours, theirs in STATUSES.items() if theirs == status.upper()), "completed")


def _insert_ignore(conn: Connection, table: Any, values: dict[str, Any]) -> bool:
    """Insert a row unless it would break a unique key; True when inserted."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table).values(values).on_conflict_do_nothing()
    # rowcount is not reliable for this statement on every driver; a returned key is
    return conn.execute(stmt.returning(*table.primary_key.columns)).first() is not None


def _contact_row(c: Contact, source: str, stamp: datetime) -> dict[str, Any]:
    return {
        "name": c.name,
        "company": c.company,
        "timezone": c.timezone,
        "do_not_call": c.do_not_call,
        "source": source,
        "source_key": c.source_key,
        "updated_at": stamp,
    }


def _advance(row: Any, ev: CallEvent) -> dict[str, Any]:
    """The column changes one event makes; a leg never moves backwards and a final status is final.

    Legs: "call" (a direct call: the created call talks to the callee), "agent" (bridge mode: the rep's
    phone, the created call) and "lead" (bridge mode: the callee, dialled from the agent's call).
    """
    status = CallStatus(ev.status)
    main = ev.leg != "lead"  # the call we created: its end ends the attempt
    callee_side = ev.leg in ("call", "lead")  # the leg whose answer and talk time count
    current = row.status if main else row.lead_status
    if current:
        if CallStatus(current).is_final:
            return {}
        if not status.is_final and STATUS_RANK.get(status, 0) <= STATUS_RANK.get(CallStatus(current), 0):
            return {}
    changes: dict[str, Any] = {}
    if main:
        changes["status"] = str(status)
        if ev.provider_call_id and not row.provider_call_id:
            changes["provider_call_id"] = ev.provider_call_id
    else:
        changes["lead_status"] = str(status)
        if ev.provider_call_id:
            changes["lead_call_id"] = ev.provider_call_id
    if callee_side:
        if status == CallStatus.IN_PROGRESS and row.answered_at is None:
            changes["answered_at"] = ev.at
        if ev.answered_by:
            changes["answered_by"] = ev.answered_by
        if status.is_final and ev.duration is not None:
            changes["duration"] = ev.duration
    if status.is_final and ev.reason and (main or not row.reason):
        changes["reason"] = ev.reason
    if status.is_final and main:
        changes["ended_at"] = ev.at
        lead = row.lead_status if ev.leg == "agent" else ""
        answered_by = changes.get("answered_by") or row.answered_by
        if ev.leg == "agent" and not lead and status == CallStatus.COMPLETED:
            changes["outcome"] = str(Outcome.CANCELED)  # the rep hung up before the lead was dialled
        else:
            changes["outcome"] = outcome_for(lead or str(status), answered_by)
    return changes


def _record(r: Any, call_notes: tuple[Note, ...]) -> CallRecord:
    return CallRecord(
        id=r.id,
        rep=r.rep,
        direction=r.direction,
        contact_id=r.contact_id,
        contact_name=r.contact_name,
        to_number=r.to_number,
        from_number=r.from_number,
        label=r.label,
        topic=r.topic,
        status=CallStatus(r.status),
        outcome=r.outcome,
        reason=r.reason,
        created_at=r.created_at,
        answered_at=r.answered_at,
        ended_at=r.ended_at,
        duration=r.duration,
        provider=r.provider,
        provider_call_id=r.provider_call_id or "",
        lead_call_id=r.lead_call_id,
        lead_status=r.lead_status,
        answered_by=r.answered_by,
        override=r.override,
        recording=r.recording,
        notes=call_notes,
    )


__all__ = ["ImportResult", "Store", "metadata", "outcome_for"]
_ = (inspect, replace, date)
