"""The do-not-call table: numbers nobody may call, with why, where from and when."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select

from .database import Database, insert_ignore, transaction
from .schema import dnc


class DoNotCallRows(Database):
    """The log's own do-not-call list."""

    @transaction
    def dnc_add(self, numbers: Sequence[str], *, reason: str = "", source: str = "", rep: str = "") -> int:
        added = 0
        with self.engine.begin() as conn:
            for e164 in dict.fromkeys(numbers):
                added += insert_ignore(
                    conn,
                    dnc,
                    {"e164": e164, "reason": reason, "source": source, "rep": rep, "added_at": self.now()},
                )
        return added

    @transaction
    def dnc_remove(self, e164: str) -> bool:
        with self.engine.begin() as conn:
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
