"""A worked list back to the CRM (HubSpot calls, Salesforce Tasks) and its figures in `callbot report`."""

from __future__ import annotations

import csv
from pathlib import Path

from assistant.calllog.store import Store
from assistant.leads.export import HUBSPOT_OUTCOMES
from assistant.leads.figures import list_figures

from ..conftest import callbot
from .test_resume import DATA, env_for


def test_export_both_shapes_and_report_figures(tmp_path: Path):
    env = env_for(tmp_path)
    callbot(env, "leads", "import", str(DATA / "hubspot-contacts.csv"), "--list", "Acme")
    callbot(env, "leads", "import", str(DATA / "salesforce-leads.csv"), "--list", "Boston")
    lines = "call\nmeeting booked\nwants pricing in Q1\ncall\n5\ncall\nnot interested\nno\nstop the list\n"
    callbot(env, "leads", "work", "Acme", stdin=lines)
    callbot(env, "leads", "work", "Boston", stdin="call\nwrong number\nstop the list\n")

    callbot(env, "leads", "export", "acme", str(tmp_path / "hubspot.csv"))
    rows = list(csv.DictReader((tmp_path / "hubspot.csv").read_text().splitlines()))
    assert [(r["record_id"], r["callbot_outcome"]) for r in rows] == [
        ("51", "meeting booked"),
        ("52", "left voicemail"),
        ("53", "not interested"),
    ]
    assert rows[0]["hs_call_disposition"] == HUBSPOT_OUTCOMES["connected"]
    assert rows[1]["hs_call_disposition"] == HUBSPOT_OUTCOMES["left voicemail"]
    assert rows[0]["hs_call_body"] == "wants pricing in Q1" and rows[0]["email"] == "priya.shah@acme.example"
    assert rows[0]["hs_call_duration"] == "161000"  # milliseconds, as HubSpot counts them

    callbot(env, "leads", "export", "boston", str(tmp_path / "tasks.csv"), "--format", "salesforce")
    [task] = list(csv.DictReader((tmp_path / "tasks.csv").read_text().splitlines()))
    assert (task["WhoId"], task["TaskSubtype"], task["CallDisposition"]) == (
        "00Q5g00000AbCdE",
        "Call",
        "wrong number",
    )
    assert task["Status"] == "Completed" and task["ActivityDate"] == "2026-11-27"

    report = callbot(env, "report", "--out", str(tmp_path / "report")).stdout
    assert "Acme: 3 dials" in report and "67% connected, 1 voicemails, 1 meetings" in report
    page = (tmp_path / "report" / "report.html").read_text()
    assert "<h2>Lead lists</h2>" in page and "<td>Boston</td>" in page

    store = Store(f"sqlite:///{tmp_path / 'data' / 'callbot.db'}")
    acme = store.lead_list("Acme")
    assert acme is not None
    figures = list_figures(acme, store.list_calls("Acme"))
    assert (figures.dials, figures.connects, figures.meetings, figures.voicemails) == (3, 2, 1, 1)
    assert set(figures.best_hours) == {11, 12}  # Priya at 11:00 in Denver, Ana at 12:00 in Chicago
    store.close()

    lists = callbot(env, "leads").stdout  # every list with its progress
    assert "Acme" in lists and "75%" in lists and "Boston" in lists and "33%" in lists
    shown = callbot(env, "leads", "show", "acme").stdout
    assert "meeting booked" in shown and "left voicemail" in shown and "4 leads, 1 waiting." in shown

    missing = callbot(env, "leads", "export", "nope", str(tmp_path / "x.csv"), check=False)
    assert missing.returncode == 1 and "no lead list named 'nope'. Lists: Acme, Boston." in missing.stderr
