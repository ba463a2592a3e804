"""Lead lists in the call log (SQLite and PostgreSQL): leads are contacts never duplicated, re-importing
keeps each lead's state, and a lead is taken for a call at most once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from assistant.calllog.store import Store
from assistant.leads.importers import read_leads
from assistant.models import Contact, LeadStatus, PhoneNumber

DATA = Path(__file__).resolve().parent.parent / "data" / "leads"


def _import(store: Store, file: str, name: str = "Acme"):
    found = read_leads(DATA / file)
    return store.import_leads(name, file, [(replace(lead, list_name=name), c) for lead, c in found.leads])


def test_leads_match_existing_contacts_by_number_and_email_never_duplicated(store: Store):
    store.import_contacts(
        [Contact("Priya Shah", (PhoneNumber("+13035550114"),), source_key="book:priya")], "x"
    )
    result = _import(store, "hubspot-contacts.csv")
    assert (result.added, result.matched_contacts, result.new_contacts) == (4, 1, 3)
    assert sum(1 for c in store.contacts() if c.name == "Priya Shah") == 1
    # The same people from another export (Priya by number; by email in a second list) stay one each.
    again = _import(store, "plain-leads.csv")
    assert (again.added, again.updated) == (2, 1)
    assert _import(store, "plain-leads.csv", "Other").matched_contacts == 3
    assert len(store.contacts()) == 6
    assert [lead.name for lead in store.leads("acme")][:2] == ["Priya Shah", "Marcus Lee"]


def test_reimport_keeps_each_leads_state(store: Store):
    _import(store, "salesforce-leads.csv")
    first = store.leads("Acme")[0]
    assert first.id is not None and store.claim_lead(first.id, "k1")
    store.set_lead(first.id, LeadStatus.DONE, outcome="meeting booked")
    later = datetime(2026, 11, 28, 17, 0, tzinfo=UTC)
    second = store.leads("Acme")[1]
    assert second.id is not None
    store.set_lead(second.id, LeadStatus.CALLBACK, due_at=later)
    assert _import(store, "salesforce-leads.csv").updated == 3
    leads = store.leads("Acme")
    assert (leads[0].status, leads[0].attempts, leads[0].last_outcome) == ("done", 1, "meeting booked")
    assert (leads[1].status, leads[1].due_at) == ("callback", later)
    [lst] = store.lead_lists()
    assert (lst.total, lst.worked, lst.counts["pending"]) == (3, 1, 1)


def test_a_lead_is_taken_for_a_call_once(store: Store):
    _import(store, "close-leads.csv")
    lead = store.leads("Acme")[0]
    assert lead.id is not None
    assert store.claim_lead(lead.id, "call-1") is True
    assert store.claim_lead(lead.id, "call-2") is False  # a second session, or a resumed one
    stored = store.lead(lead.id)
    assert stored is not None and (stored.status, stored.attempts, stored.last_call_id) == (
        "calling",
        1,
        "call-1",
    )
    store.set_lead(lead.id, LeadStatus.DONE, outcome="no answer")
    [call] = store.list_calls("acme")
    assert (call.call_id, call.disposition) == ("call-1", "no answer")
