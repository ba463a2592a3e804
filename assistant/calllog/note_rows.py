"""The notes table: spoken notes, their status (pending, saved, discarded) and follow-up dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, select, update

from ..models import FollowUp, Note
from .database import Database, transaction
from .schema import calls, contacts, notes


class NoteRows(Database):
    """Notes and the follow-ups read from them."""

    @transaction
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
        with self.engine.begin() as conn:
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

    @transaction
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
        with self.engine.begin() as conn:
            conn.execute(update(notes).where(notes.c.id == note_id).values(values))

    def note(self, note_id: int) -> Note | None:
        with self.engine.connect() as conn:
            found = notes_where(conn, notes.c.id == note_id)
        return found[0] if found else None

    def notes(self, *, status: str | None = None, rep: str | None = None) -> list[Note]:
        conditions = []
        if status:
            conditions.append(notes.c.status == status)
        if rep:
            conditions.append(notes.c.rep == rep)
        with self.engine.connect() as conn:
            return notes_where(conn, and_(*conditions) if conditions else None)

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
            found = notes_where(conn, condition)
        return sorted(found, key=lambda n: (n.followup or until, n.id))

    @transaction
    def followup_done(self, note_id: int) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(
                update(notes)
                .where(and_(notes.c.id == note_id, notes.c.followup_date.is_not(None)))
                .values(followup_done_at=self.now(), updated_at=self.now())
                .returning(notes.c.id)
            )
            return result.first() is not None


def notes_where(conn: Connection, condition: Any) -> list[Note]:
    """Notes matching a condition (None: every note), oldest first, with their contact's name."""
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
