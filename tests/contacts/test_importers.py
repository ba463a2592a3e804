"""Every importer on realistic files, each with a deliberately bad row: the row is named, the rest imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.contacts.importers import iana_zone, read_contacts
from assistant.errors import ContactsError

DATA = Path(__file__).parent / "data"


def by_name(result):
    return {c.name: c for c in result.contacts}


def numbers(contact):
    return {(n.label, n.e164) for n in contact.numbers}


def test_google_csv():
    result = read_contacts(DATA / "google.csv")
    assert result.format == "google"
    people = by_name(result)
    assert len(people) == 7
    priya = people["Priya Raghunathan"]
    assert priya.company == "Acme Robotics" and priya.aliases == ("PR",)
    # "* Mobile" is the primary; " ::: " holds two work numbers; the fax is not dialable
    assert numbers(priya) == {("mobile", "+14155550134"), ("work", "+14155550199"), ("work", "+14155550198")}
    assert priya.numbers[0].preferred
    [problem] = result.problems
    assert problem.line == 8 and "José Luis García-Márquez" in problem.message and "n/a" in problem.message
    assert str(problem).startswith(f"{DATA / 'google.csv'}:8: ")
    assert numbers(people["José Luis García-Márquez"])  # the rest of that row still imported


def test_google_legacy_utf16():
    result = read_contacts(DATA / "google_legacy.csv")
    assert result.format == "google" and len(result.contacts) == 4
    assert by_name(result)["Tomás Ó Briain"].company == "Ó Briain & Daughters Ltd"


def test_outlook_csv_in_windows_1252():
    result = read_contacts(DATA / "outlook.csv")
    assert result.format == "outlook"
    people = by_name(result)
    assert {"Björn Lindqvist", "Renée Dubois", "Marcus O'Neill", "Sofía Navarro"} <= set(people)
    marcus = people["Marcus O'Neill"]
    assert ("mobile", "+16175550123") in numbers(marcus) and ("main", "+16175550100") in numbers(marcus)
    # Björn's Australian numbers are written nationally; his business country tells us where they are
    assert ("home", "+61255504411") in numbers(people["Björn Lindqvist"])


def test_outlook_com_with_bom():
    result = read_contacts(DATA / "outlook_com.csv")
    assert result.format == "outlook" and len(result.contacts) == 3


def test_hubspot_export():
    result = read_contacts(DATA / "hubspot.csv")
    assert result.format == "hubspot"
    people = by_name(result)
    assert people["Aisha Khan"].timezone == "America/Chicago"  # from HubSpot's zone slug
    assert people["Liam Murphy"].do_not_call
    assert people["Aisha Khan"].source_key == "hubspot:51234501"
    [problem] = result.problems
    assert problem.line == 4 and "expected 20 fields, found 21" in problem.message
    assert "Camila Rojas" not in people and len(people) == 6


def test_salesforce_export():
    result = read_contacts(DATA / "salesforce.csv")
    assert result.format == "salesforce"
    people = by_name(result)
    assert people["Rahul Iyer"].do_not_call and people["Rahul Iyer"].company == "Bayview Health"
    assert numbers(people["Rahul Iyer"]) == {
        ("mobile", "+14155550146"),
        ("work", "+14155550145"),
        ("home", "+14155550147"),
    }
    lines = {p.line for p in result.problems}
    assert lines == {6} and any("no phone number callbot can dial" in p.message for p in result.problems)


def test_salesforce_report_stops_at_the_footer():
    result = read_contacts(DATA / "salesforce_report.csv")
    assert result.format == "salesforce" and len(result.contacts) == 3 and result.problems == []


def test_plain_csv():
    result = read_contacts(DATA / "plain.csv")
    assert result.format == "plain"
    people = by_name(result)
    assert "Min-jun Lee" in people  # "Lee, Min-jun" turned round
    assert people["Priya Raghunathan"].aliases == ("PR", "Priya R")
    assert people["Priya Raghunathan"].timezone == "America/Los_Angeles"
    dmitri = people["Dmitri Volkov"]
    assert (
        dmitri.timezone == "" and dmitri.do_not_call
    )  # unknown zone dropped; "maybe" treated as do-not-call
    messages = [p.message for p in result.problems if p.line == 8]
    assert any("did you mean America/New_York" in m for m in messages)
    assert any("'maybe'" in m for m in messages)


def test_vcard():
    result = read_contacts(DATA / "contacts.vcf")
    assert result.format == "vcard"
    people = by_name(result)
    assert len(people) == 7
    priya = people["Priya Raghunathan"]
    assert ("other", "+14155550188") in numbers(priya)  # Apple's custom label "Studio"
    assert all(n.e164 != "+14155550177" for n in priya.numbers)  # the work fax is skipped
    noa = people["Noa Ben-David"]
    assert noa.timezone == "America/New_York" and noa.aliases == ("Noa B.", "Noush")
    assert ("work", "+17185550108") in numbers(noa)  # vCard 4.0 tel: URI with ;ext=
    # a national number is read in the country of the person's other numbers
    assert ("other", "+442079460400") in numbers(people["Tomás Ó Briain"])
    assert people["Mei-Ling Chen"].timezone == "Etc/GMT-10"  # TZ:+10:00
    [problem] = result.problems
    assert problem.line == 75 and "END:VCARD" in problem.message
    assert "José Luis García-Márquez" in people  # the card without END still imports


def test_unterminated_quote_resumes_on_the_next_line():
    result = read_contacts(DATA / "broken_quote.csv")
    assert [c.name for c in result.contacts] == ["Ada Lovelace", "Alan Turing", "Edsger Dijkstra"]
    [problem] = result.problems
    assert problem.line == 3 and "never closes" in problem.message


def test_unknown_format_says_what_to_use():
    with pytest.raises(ContactsError, match="name, company, mobile, work, home"):
        read_contacts(DATA / "unknown_format.csv")


def test_missing_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(ContactsError, match="cannot read"):
        read_contacts(tmp_path / "nope.csv")


def test_duplicate_names_in_one_file_stay_two_people(tmp_path: Path):
    path = tmp_path / "dupes.csv"
    path.write_text("name,mobile\nAlex Kim,+1 415 555 0101\nAlex Kim,+1 415 555 0102\n")
    result = read_contacts(path)
    assert len({c.source_key for c in result.contacts}) == 2


@pytest.mark.parametrize(
    ("written", "zone"),
    [
        ("America/Chicago", "America/Chicago"),
        ("america_slash_new_york", "America/New_York"),
        ("-05:00", "Etc/GMT+5"),
        ("UTC+10", "Etc/GMT-10"),
        ("Mars/Base", ""),
    ],
)
def test_time_zones(written: str, zone: str):
    assert iana_zone(written) == zone
