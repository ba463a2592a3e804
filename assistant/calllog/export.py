"""The call log as rows a CRM imports: HubSpot's call engagement fields, plus callbot's own columns.

`callbot log export` writes them (CSV or JSON lines); `callbot log import` reads the same rows back, so a
log can move between machines; importing a row twice changes nothing.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..crm import HUBSPOT_CALL_FIELDS, HUBSPOT_OUTCOMES
from ..errors import CallbotError
from ..models import CallRecord

HUBSPOT = list(HUBSPOT_CALL_FIELDS)
OWN = [
    "callbot_id",
    "rep",
    "contact",
    "label",
    "topic",
    "status",
    "outcome",
    "reason",
    "override",
    "recording",
    "followup_date",
    "followup_done",
    "provider",
    "provider_call_id",
    "lead_call_id",
    "answered_at",
    "ended_at",
]
COLUMNS = HUBSPOT + OWN

# A call's outcome as HubSpot's default call outcome
DISPOSITIONS = {
    "connected": HUBSPOT_OUTCOMES["connected"],
    "busy": HUBSPOT_OUTCOMES["busy"],
    "no-answer": HUBSPOT_OUTCOMES["no answer"],
    "voicemail": HUBSPOT_OUTCOMES["left voicemail"],
}
STATUSES = {
    "pending": "QUEUED",
    "queued": "QUEUED",
    "initiated": "CONNECTING",
    "ringing": "RINGING",
    "in-progress": "IN_PROGRESS",
    "completed": "COMPLETED",
    "busy": "BUSY",
    "no-answer": "NO_ANSWER",
    "failed": "FAILED",
    "canceled": "CANCELED",
    "blocked": "CANCELED",
}


def _iso(at: datetime | None) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z") if at else ""


def to_row(record: CallRecord) -> dict[str, Any]:
    kept = [n for n in record.notes if n.status != "discarded"]
    followups = [n for n in kept if n.followup]
    title = f"Call with {record.contact_name}" if record.contact_name else f"Call to {record.to_number}"
    return {
        "hs_timestamp": _iso(record.created_at),
        "hs_call_title": title + (f" about {record.topic}" if record.topic else ""),
        "hs_call_direction": record.direction.upper(),
        "hs_call_status": STATUSES.get(str(record.status), str(record.status).upper()),
        "hs_call_disposition": DISPOSITIONS.get(record.outcome, ""),
        "hs_call_duration": (record.duration or 0) * 1000 if record.answered_at else 0,
        "hs_call_from_number": record.from_number,
        "hs_call_to_number": record.to_number,
        "hs_call_body": "\n".join(n.text for n in kept if n.text),
        "callbot_id": record.id,
        "rep": record.rep,
        "contact": record.contact_name,
        "label": record.label,
        "topic": record.topic,
        "status": str(record.status),
        "outcome": record.outcome,
        "reason": record.reason,
        "override": record.override,
        "recording": record.recording,
        "followup_date": followups[0].followup.isoformat() if followups and followups[0].followup else "",
        "followup_done": "true" if followups and followups[0].followup_done else "",
        "provider": record.provider,
        "provider_call_id": record.provider_call_id,
        "lead_call_id": record.lead_call_id,
        "answered_at": _iso(record.answered_at),
        "ended_at": _iso(record.ended_at),
    }


def write(records: Iterable[CallRecord], path: Path, fmt: str) -> int:
    rows = [to_row(r) for r in records]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    elif fmt == "jsonl":
        with open(path, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        raise CallbotError(f"unknown export format {fmt!r}: use csv or jsonl")
    return len(rows)


def read(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) from an export, CSV or JSON lines, told apart by the first character."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CallbotError(f"cannot read {path}: {exc.strerror}") from None
    if text.lstrip().startswith("{"):
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    yield number, {k: "" if v is None else str(v) for k, v in json.loads(line).items()}
                except json.JSONDecodeError as exc:
                    raise CallbotError(f"{path}:{number}: not JSON ({exc.msg})") from None
        return
    reader = csv.DictReader(text.splitlines())
    missing = {"callbot_id", "hs_timestamp", "hs_call_to_number"} - set(reader.fieldnames or [])
    if missing:
        raise CallbotError(f"{path} is not a callbot export: it lacks {', '.join(sorted(missing))}")
    for row in reader:
        yield reader.line_num, row


def parse_time(text: str) -> datetime | None:
    if not text:
        return None
    if text.isdigit():  # HubSpot also writes milliseconds since 1970
        return datetime.fromtimestamp(int(text) / 1000, UTC)
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def parse_date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None
