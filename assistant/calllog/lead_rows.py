"""The lead-list tables: lists, each lead's place and state, and every call made from a list.

A lead is a contact of the book (matched by number, email or source key; never duplicated) plus its list
state. Re-importing a list updates the leads' details and keeps their state. Taking a lead for a call is
one transaction that only succeeds for a lead still waiting, so no lead is ever called twice.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update

from ..models import Contact, Lead, LeadList, LeadStatus, ListCall
from .contact_rows import ContactRows
from .database import transaction
from .note_rows import notes_where
from .schema import calls, contact_numbers, contacts, lead_calls, lead_lists, leads, notes

WAITING = (LeadStatus.PENDING, LeadStatus.CALLBACK)


@dataclass(frozen=True)
class LeadImport:
    added: int = 0
    updated: int = 0
    new_contacts: int = 0  # people the book did not have yet
    matched_contacts: int = 0  # leads that are contacts already (by number, email or source key)


class LeadRows(ContactRows):
    """Lead lists: importing, the queue, and each lead's state."""

    def import_leads(self, name: str, source: str, found: Sequence[tuple[Lead, Contact]]) -> LeadImport:
        """Add or update a list from a file's leads (each with the contact it describes)."""
        matched = self._match_contacts(found)
        fresh = [c for (lead, c), cid in zip(found, matched, strict=True) if cid is None]
        created = self.import_contacts(fresh, source).added if fresh else 0
        if fresh:
            by_key = self._ids_by_source_key([c.source_key for c in fresh])
            matched = [
                cid if cid is not None else by_key.get(c.source_key)
                for (_, c), cid in zip(found, matched, strict=True)
            ]
        added, updated = self._upsert_leads(name, source, [lead for lead, _ in found], matched)
        return LeadImport(added, updated, created, len(found) - len(fresh))

    def _match_contacts(self, found: Sequence[tuple[Lead, Contact]]) -> list[int | None]:
        with self.engine.connect() as conn:
            by_number = {
                e: cid
                for e, cid in conn.execute(select(contact_numbers.c.e164, contact_numbers.c.contact_id))
            }
            by_email = {
                e.lower(): cid
                for e, cid in conn.execute(
                    select(leads.c.email, leads.c.contact_id).where(
                        and_(leads.c.email != "", leads.c.contact_id.is_not(None))
                    )
                )
            }
            by_key = {k: cid for k, cid in conn.execute(select(contacts.c.source_key, contacts.c.id))}
        out: list[int | None] = []
        for lead, contact in found:
            cid = next((by_number[n.e164] for n in contact.numbers if n.e164 in by_number), None)
            if cid is None and lead.email:
                cid = by_email.get(lead.email.lower())
            if cid is None:
                cid = by_key.get(contact.source_key)
            out.append(cid)
        return out

    def _ids_by_source_key(self, keys: list[str]) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(contacts.c.source_key, contacts.c.id).where(contacts.c.source_key.in_(keys))
            )
            return {k: cid for k, cid in rows}

    @transaction
    def _upsert_leads(
        self, name: str, source: str, found: Sequence[Lead], contact_ids: Sequence[int | None]
    ) -> tuple[int, int]:
        stamp = self.now()
        with self.engine.begin() as conn:
            list_id = conn.execute(select(lead_lists.c.id).where(lead_lists.c.name == name)).scalar()
            if list_id is None:
                list_id = conn.execute(
                    lead_lists.insert()
                    .values(name=name, source=source, created_at=stamp, updated_at=stamp)
                    .returning(lead_lists.c.id)
                ).scalar_one()
            else:
                conn.execute(
                    update(lead_lists)
                    .where(lead_lists.c.id == list_id)
                    .values(source=source, updated_at=stamp)
                )
            existing: dict[str, int] = {}
            by_contact: dict[int, int] = {}
            for key, lid, cid in conn.execute(
                select(leads.c.lead_key, leads.c.id, leads.c.contact_id).where(leads.c.list_id == list_id)
            ):
                existing[key] = lid
                if cid is not None:
                    by_contact[cid] = lid
            last = (
                conn.execute(select(func.max(leads.c.position)).where(leads.c.list_id == list_id)).scalar()
                or 0
            )
            fresh: list[dict[str, Any]] = []
            updated = 0
            for i, (lead, cid) in enumerate(zip(found, contact_ids, strict=True), start=1):
                values = {
                    "contact_id": cid,
                    "name": lead.name,
                    "company": lead.company,
                    "title": lead.title,
                    "email": lead.email,
                    "e164": lead.number,
                    "timezone": lead.timezone,
                    "details": json.dumps(dict(lead.details)),
                    "updated_at": stamp,
                }
                # The same lead again (by its key, or the contact it is): its list state stays as it was.
                known = existing.get(lead.key) or (by_contact.get(cid) if cid is not None else None)
                if known is not None and known > 0:
                    conn.execute(update(leads).where(leads.c.id == known).values(values))
                    updated += 1
                elif known is None:
                    existing[lead.key] = -1  # twice in one file: its first row counts
                    if cid is not None:
                        by_contact[cid] = -1
                    fresh.append(
                        values
                        | {
                            "list_id": list_id,
                            "lead_key": lead.key,
                            "position": last + i,
                            "created_at": stamp,
                        }
                    )
            if fresh:
                conn.execute(leads.insert(), fresh)
        return len(fresh), updated

    def lead_lists(self) -> list[LeadList]:
        with self.engine.connect() as conn:
            counts: dict[int, dict[str, int]] = {}
            for list_id, status, n in conn.execute(
                select(leads.c.list_id, leads.c.status, func.count()).group_by(
                    leads.c.list_id, leads.c.status
                )
            ):
                counts.setdefault(list_id, {})[status] = n
            return [
                LeadList(row.name, row.source, counts.get(row.id, {}), row.created_at, row.id)
                for row in conn.execute(select(lead_lists).order_by(lead_lists.c.created_at, lead_lists.c.id))
            ]

    def lead_list(self, name: str) -> LeadList | None:
        return next((lst for lst in self.lead_lists() if lst.name.lower() == name.lower()), None)

    def leads(self, name: str, *, due_by: datetime | None = None) -> list[Lead]:
        """A list's leads in queue order; with `due_by`, only those waiting and due by then."""
        query = _select_leads(name)
        if due_by is not None:
            waiting = leads.c.status.in_([str(s) for s in WAITING])
            due = or_(leads.c.due_at.is_(None), leads.c.due_at <= due_by)
            query = query.where(and_(waiting, due))
        with self.engine.connect() as conn:
            return [_lead(row, name) for row in conn.execute(query.order_by(leads.c.position))]

    def lead(self, lead_id: int) -> Lead | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(leads, lead_lists.c.name.label("list_name"))
                .join(lead_lists, lead_lists.c.id == leads.c.list_id)
                .where(leads.c.id == lead_id)
            ).first()
            return _lead(row, row.list_name) if row is not None else None

    @transaction
    def claim_lead(self, lead_id: int, call_key: str) -> bool:
        """Take a waiting lead for a call (status calling, one more attempt, the call noted) in one
        transaction; False when it is not waiting any more (another session took it, or it was called)."""
        stamp = self.now()
        with self.engine.begin() as conn:
            taken = conn.execute(
                update(leads)
                .where(and_(leads.c.id == lead_id, leads.c.status.in_([str(s) for s in WAITING])))
                .values(
                    status=str(LeadStatus.CALLING),
                    attempts=leads.c.attempts + 1,
                    last_call_id=call_key,
                    updated_at=stamp,
                )
            ).rowcount
            if taken:
                conn.execute(
                    lead_calls.insert().values(
                        lead_id=lead_id, call_id=call_key, created_at=stamp, updated_at=stamp
                    )
                )
            return bool(taken)

    @transaction
    def set_lead(
        self,
        lead_id: int,
        status: LeadStatus,
        *,
        reason: str = "",
        due_at: datetime | None = None,
        outcome: str | None = None,
    ) -> None:
        """A lead's new state; an outcome is also the disposition of its last call."""
        stamp = self.now()
        values: dict[str, Any] = {
            "status": str(status),
            "reason": reason,
            "due_at": due_at,
            "updated_at": stamp,
        }
        if outcome is not None:
            values["last_outcome"] = outcome
        with self.engine.begin() as conn:
            conn.execute(update(leads).where(leads.c.id == lead_id).values(values))
            if outcome is not None:
                last = conn.execute(select(leads.c.last_call_id).where(leads.c.id == lead_id)).scalar()
                if last:
                    conn.execute(
                        update(lead_calls)
                        .where(lead_calls.c.call_id == last)
                        .values(disposition=outcome, updated_at=stamp)
                    )

    def list_calls(self, name: str) -> list[ListCall]:
        """Every call made from a list, oldest first, with its disposition and the call's own record."""
        query = (
            select(
                leads,
                lead_lists.c.name.label("list_name"),
                lead_calls.c.call_id,
                lead_calls.c.disposition,
                lead_calls.c.created_at.label("called_at"),
                calls.c.duration,
                calls.c.outcome,
                calls.c.answered_at,
                calls.c.from_number,
            )
            .join(lead_lists, lead_lists.c.id == leads.c.list_id)
            .join(lead_calls, lead_calls.c.lead_id == leads.c.id)
            .join(calls, calls.c.id == lead_calls.c.call_id, isouter=True)
            .where(func.lower(lead_lists.c.name) == name.lower())
            .order_by(lead_calls.c.created_at, lead_calls.c.id)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            said: dict[str, list[str]] = {}
            if rows:
                for note in notes_where(conn, notes.c.call_id.in_([r.call_id for r in rows])):
                    if note.status == "saved" and note.text:
                        said.setdefault(note.call_id or "", []).append(note.text)
        return [
            ListCall(
                _lead(row, row.list_name),
                row.call_id,
                row.disposition,
                row.called_at,
                row.duration,
                row.outcome or "",
                row.answered_at,
                "; ".join(said.get(row.call_id, [])),
                row.from_number or "",
            )
            for row in rows
        ]


def _select_leads(name: str) -> Any:
    return (
        select(leads)
        .join(lead_lists, lead_lists.c.id == leads.c.list_id)
        .where(func.lower(lead_lists.c.name) == name.lower())
    )


def _lead(row: Any, list_name: str) -> Lead:
    return Lead(
        list_name=list_name,
        key=row.lead_key,
        name=row.name,
        number=row.e164,
        company=row.company,
        title=row.title,
        email=row.email,
        timezone=row.timezone,
        details=tuple(json.loads(row.details or "{}").items()),
        contact_id=row.contact_id,
        id=row.id,
        position=row.position,
        status=LeadStatus(row.status),
        reason=row.reason,
        due_at=row.due_at,
        attempts=row.attempts,
        last_outcome=row.last_outcome,
        last_call_id=row.last_call_id,
    )


__all__ = ["LeadImport", "LeadRows"]
