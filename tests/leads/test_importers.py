"""Lead lists from the four CRM export shapes and plain CSV: header mapping, details kept, bad rows named."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import ContactsError
from assistant.leads.importers import read_leads

DATA = Path(__file__).resolve().parent.parent / "data" / "leads"


def test_hubspot_contacts_export():
    result = read_leads(DATA / "hubspot-contacts.csv")
    assert result.format == "hubspot"
    priya = result.leads[0][0]
    assert (priya.key, priya.name, priya.number, priya.company, priya.title) == (
        "hubspot:51",
        "Priya Shah",
        "+13035550114",
        "Acme",
        "VP Operations",
    )
    assert priya.email == "priya.shah@acme.example" and priya.timezone == "America/Denver"
    assert dict(priya.details)["Lead Status"] == "Open"  # a column callbot has no field for is kept
    assert "Email" not in dict(priya.details) and "Job Title" not in dict(priya.details)
    assert [str(p) for p in result.problems] == [
        f"{DATA / 'hubspot-contacts.csv'}:6: Nobody Reachable: no phone number callbot can dial; skipped"
    ]


def test_salesforce_leads_report_with_its_footer():
    result = read_leads(DATA / "salesforce-leads.csv")
    assert result.format == "salesforce" and result.problems == []
    assert [(lead.name, lead.company, lead.number) for lead, _ in result.leads] == [
        ("Hiroshi Tanaka", "Soylent Corp", "+16175550142"),
        ("Grace Okafor", "Vandelay Industries", "+12025550175"),
        ("Luis Ortega", "Stark Supply", "+13055550190"),
    ]
    assert result.leads[0][0].key == "salesforce:00Q5g00000AbCdE"
    assert dict(result.leads[1][0].details)["Lead Source"] == "Trade Show"


def test_salesforce_contacts_report():
    result = read_leads(DATA / "salesforce-contacts.csv")
    assert [(lead.key, lead.title, lead.email) for lead, _ in result.leads] == [
        ("salesforce:0035g00000XyZaB", "Director of Ops", "jane.doe@acme.example"),
        ("salesforce:0035g00000XyZaC", "CTO", "olu@waynelabs.example"),
    ]


def test_pipedrive_people_export_and_a_bad_number_named_by_line():
    result = read_leads(DATA / "pipedrive-people.csv")
    assert result.format == "pipedrive"
    sofia, ben = (lead for lead, _ in result.leads)
    assert (sofia.key, sofia.name, sofia.company, sofia.title) == (
        "pipedrive:301",
        "Sofia Rossi",
        "Cyberdyne",
        "Operations Director",
    )
    assert {n.e164 for n in result.leads[1][1].numbers} == {"+15035550161", "+15035550162"}
    assert dict(ben.details)["Person - Label"] == "Warm lead"
    assert all(p.line == 4 and "Mia Wong" in p.message for p in result.problems) and result.problems


def test_close_lead_export():
    result = read_leads(DATA / "close-leads.csv")
    assert result.format == "close"
    nina = result.leads[0][0]
    assert (nina.key, nina.name, nina.company, nina.title, nina.number) == (
        "close:lead_8FkQ2a",
        "Nina Patel",
        "Oscorp",
        "Head of Sales",
        "+15125550119",
    )
    assert dict(nina.details)["description"] == "Wants a demo in January"


def test_plain_csv_with_a_malformed_row_imports_the_rest():
    result = read_leads(DATA / "plain-leads.csv")
    assert [lead.name for lead, _ in result.leads] == ["Priya Shah", "Chris Evans", "Leo Park"]
    assert dict(result.leads[1][0].details)["notes"] == 'asked about paper, "bulk" deals'
    [problem] = result.problems
    assert (problem.path, problem.line) == (str(DATA / "plain-leads.csv"), 4)
    assert "expected 7 fields, found 8" in problem.message


def test_a_file_that_is_no_lead_list_says_what_to_use(tmp_path: Path):
    bad = tmp_path / "x.csv"
    bad.write_text("foo,bar\n1,2\n")
    with pytest.raises(ContactsError, match="HubSpot contacts export, a Salesforce leads"):
        read_leads(bad)
