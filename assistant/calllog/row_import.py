"""Calls read back from an export (another machine's log): each call and its note in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from ..errors import StoreError
from ..models import CallStatus
from .database import Database, insert_ignore, transaction
from .export import STATUSES, parse_date, parse_time
from .schema import calls, contacts, notes


class RowImport(Database):
    """`callbot log import`: moving a log between machines; importing twice is harmless."""

    def import_rows(self, rows: Iterable[tuple[int, dict[str, str]]], source: str = "") -> tuple[int, int]:
        """Calls from an export (export.read); a call already in the log (by id or carrier id) is skipped.

        Returns (imported, skipped). Each call and its note go in one transaction.
        """
        with self.engine.connect() as conn:
            # the last of several contacts with one name wins, as it always has
            by_name = {
                name: cid
                for name, cid in conn.execute(
                    select(contacts.c.name, contacts.c.id).order_by(contacts.c.name, contacts.c.id)
                )
            }
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
            if self._import_call(values, row, followup, created):
                imported += 1
            else:
                skipped += 1
        return imported, skipped

    @transaction
    def _import_call(
        self, values: dict[str, Any], row: dict[str, str], followup: date | None, created: datetime
    ) -> bool:
        """One exported call and its note; False when the log already has it."""
        with self.engine.begin() as conn:
            if (
                values["provider_call_id"]
                and conn.execute(
                    select(calls.c.id).where(calls.c.provider_call_id == values["provider_call_id"])
                ).first()
            ):
                return False
            if not insert_ignore(conn, calls, values):
                return False
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
            return True


def _status_from_hubspot(status: str) -> str:
    return next((ours for ours, theirs in STATUSES.items() if theirs == status.upper()), "completed")
