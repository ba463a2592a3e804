"""A list's outcomes back to the CRM: HubSpot's call import shape (as `callbot log export` writes it) and a
Salesforce Task shape (Data Import Wizard / Data Loader), one row per call made from the list.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..crm import HUBSPOT_CALL_FIELDS, HUBSPOT_OUTCOMES
from ..errors import CallbotError
from ..models import ListCall

HUBSPOT = [
    *HUBSPOT_CALL_FIELDS,
    "email",  # how HubSpot's import associates the call with its contact
    "record_id",
    "callbot_list",
    "callbot_outcome",
    "callbot_call_id",
]
SALESFORCE = [
    "WhoId",
    "Subject",
    "Status",
    "Priority",
    "TaskSubtype",
    "Type",
    "CallType",
    "ActivityDate",
    "CallDurationInSeconds",
    "CallDisposition",
    "Description",
    "Phone",
    "Email",
    "callbot_list",
    "callbot_call_id",
]
FORMATS = ("hubspot", "salesforce")

# The list's own outcomes (meeting booked, not interested, call back) go to HubSpot as connected calls;
# their words are in callbot_outcome.
_STATUS = {"connected": "COMPLETED", "busy": "BUSY", "no-answer": "NO_ANSWER", "failed": "FAILED"}


def hubspot_row(call: ListCall) -> dict[str, Any]:
    lead = call.lead
    outcome = call.disposition
    guid = HUBSPOT_OUTCOMES.get(outcome) or (HUBSPOT_OUTCOMES["connected"] if outcome else "")
    return {
        "hs_timestamp": _iso(call.created_at),
        "hs_call_title": f"Call with {lead.name} ({lead.list_name} list)",
        "hs_call_direction": "OUTBOUND",
        "hs_call_status": _STATUS.get(call.outcome, "COMPLETED" if call.outcome else "CANCELED"),
        "hs_call_disposition": guid,
        "hs_call_duration": str((call.duration or 0) * 1000) if call.answered_at else "0",  # milliseconds
        "hs_call_from_number": call.from_number,
        "hs_call_to_number": lead.number,
        "hs_call_body": call.note,
        "email": lead.email,
        "record_id": _crm_id(lead.key, "hubspot"),
        "callbot_list": lead.list_name,
        "callbot_outcome": outcome,
        "callbot_call_id": call.call_id,
    }


def salesforce_row(call: ListCall) -> dict[str, Any]:
    lead = call.lead
    return {
        "WhoId": _crm_id(lead.key, "salesforce"),
        "Subject": f"Call: {call.disposition or call.outcome or 'no outcome'}",
        "Status": "Completed",
        "Priority": "Normal",
        "TaskSubtype": "Call",
        "Type": "Call",
        "CallType": "Outbound",
        "ActivityDate": call.created_at.astimezone(UTC).date().isoformat(),
        "CallDurationInSeconds": str(call.duration or 0) if call.answered_at else "0",
        "CallDisposition": call.disposition,
        "Description": call.note,
        "Phone": lead.number,
        "Email": lead.email,
        "callbot_list": lead.list_name,
        "callbot_call_id": call.call_id,
    }


def write(calls: Sequence[ListCall], path: Path, fmt: str) -> int:
    """Write the rows; returns how many."""
    if fmt not in FORMATS:
        raise CallbotError(f"--format {fmt!r}: use hubspot or salesforce")
    columns, row = (HUBSPOT, hubspot_row) if fmt == "hubspot" else (SALESFORCE, salesforce_row)
    try:
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            for call in calls:
                writer.writerow(row(call))
    except OSError as exc:
        raise CallbotError(f"cannot write {path}: {exc.strerror}") from None
    return len(calls)


def _crm_id(key: str, crm: str) -> str:
    """The CRM's own record id when the lead came from that CRM ("hubspot:51" -> "51")."""
    prefix, _, rest = key.partition(":")
    return rest if prefix == crm else ""


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")
