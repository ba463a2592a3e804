"""The calls tables: one row per attempt, written before the carrier is asked, and its carrier events."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update

from ..errors import StoreError
from ..models import STATUS_RANK, CallEvent, CallRecord, CallRequest, CallStatus, Note, Outcome, PlacedCall
from .database import Database, insert_ignore, transaction
from .note_rows import notes_where
from .schema import call_events, calls, notes


class CallRows(Database):
    """Calls: placing, following and finding them."""

    def begin_call(self, request: CallRequest, *, provider: str, from_number: str = "") -> None:
        """Write the call row before the carrier is asked, so a crash or retry can never lose or repeat it."""
        self._insert_call(request, provider=provider, from_number=from_number, status=CallStatus.PENDING)

    def record_unplaced(
        self, request: CallRequest, status: CallStatus, reason: str, *, provider: str = ""
    ) -> None:
        """A call that never reached a carrier: blocked by a rule, or cancelled before dialling."""
        self._insert_call(request, provider=provider, status=status, reason=reason, final=True)

    @transaction
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
        with self.engine.begin() as conn:
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

    @transaction
    def note_override(self, key: str, override: str) -> None:
        with self.engine.begin() as conn:
            current = conn.execute(select(calls.c.override).where(calls.c.id == key)).scalar() or ""
            text = f"{current}; {override}" if current else override
            conn.execute(update(calls).where(calls.c.id == key).values(override=text, updated_at=self.now()))

    @transaction
    def call_placed(self, placed: PlacedCall) -> None:
        with self.engine.begin() as conn:
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

    @transaction
    def call_failed(self, key: str, reason: str, code: int | None = None) -> None:
        """The carrier refused the call: final, with the user-facing reason."""
        text = f"{reason} (error {code})" if code else reason
        with self.engine.begin() as conn:
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

    @transaction
    def apply_event(self, key: str, ev: CallEvent) -> bool:
        """Fold one status event into the call row; duplicate and late events change nothing."""
        with self.engine.begin() as conn:
            row = conn.execute(select(calls).where(calls.c.id == key)).first()
            if row is None:
                raise StoreError(f"no call {key} in the call log")
            if not insert_ignore(
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
                for note in notes_where(conn, notes.c.call_id.in_([r.id for r in rows])):
                    by_call.setdefault(note.call_id or "", []).append(note)
        return [_record(r, tuple(by_call.get(r.id, ()))) for r in rows]

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
