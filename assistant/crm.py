"""What CRMs' imports expect of a call, shared by the call log's export and a lead list's: HubSpot's call
engagement fields and its default call outcomes (the same GUIDs in every portal)."""

from __future__ import annotations

HUBSPOT_CALL_FIELDS = (
    "hs_timestamp",
    "hs_call_title",
    "hs_call_direction",
    "hs_call_status",
    "hs_call_disposition",
    "hs_call_duration",
    "hs_call_from_number",
    "hs_call_to_number",
    "hs_call_body",
)
HUBSPOT_OUTCOMES = {
    "busy": "9d9162e7-6cf3-4944-bf63-4dff82258764",
    "connected": "f240bbac-87c9-4f6e-bf70-924b57d47db7",
    "left live message": "a4c4c377-d246-4b32-a13b-75a56a4cd0ff",
    "left voicemail": "b2cf5968-551e-4856-9783-52b3da59a7d0",
    "no answer": "73a0d17f-1163-4015-bdd5-ec830791da20",
    "wrong number": "17b47fee-58de-441e-a44c-c6300d46f273",
}
