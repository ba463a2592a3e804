"""A list worked in text mode through the real parser, gate, call flow, notes, simulator and database."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from assistant.calllog.store import Store
from assistant.console import PrintVoice, TextEar
from assistant.leads.work import ListSession
from assistant.models import Lead, LeadStatus, Voicemail
from assistant.phrasing import no_note_words
from assistant.ports import FixedClock
from assistant.session import SessionSettings
from assistant.telephony.simulator import Simulator

NEW_YORK = ZoneInfo("America/New_York")
# 08:30 in New York, 07:30 in Chicago: New York may be called, Chicago not yet.
EARLY = FixedClock(datetime(2026, 11, 27, 8, 30, tzinfo=NEW_YORK))

LEADS = """name,company,title,phone,email,timezone,deal stage
Marcus Lee,Globex,Head of IT,+1 212 555 0189,marcus@globex.example,America/New_York,demo
Ana Gomez,Initech,Buyer,+1 312 555 0123,ana@initech.example,America/Chicago,
Olu Adeyemi,Wayne Labs,CTO,+1 646 555 0133,olu@wayne.example,America/New_York,
Sofia Rossi,Cyberdyne,COO,+1 718 555 0147,sofia@cyberdyne.example,America/New_York,
Ben Carter,Tyrell,IT Manager,+1 917 555 0161,ben@tyrell.example,America/New_York,
Nina Patel,Oscorp,Head of Sales,+1 347 555 0119,nina@oscorp.example,America/New_York,
Leo Park,Hooli,Buyer,+1 929 555 0156,leo@hooli.example,America/New_York,
"""


@dataclass
class Worked:
    output: str
    carrier: Simulator

    def replies(self) -> list[str]:
        return [ln.removeprefix("callbot: ") for ln in self.output.splitlines() if ln.startswith("callbot: ")]


def work(
    store: Store,
    *lines: str,
    outcomes: Mapping[str, str] | None = None,
    auto_advance: bool = False,
    cancel_window: float = 0,
    voicemail: Voicemail | None = None,
) -> Worked:
    carrier = Simulator(outcomes or {})
    out = io.StringIO()
    session = ListSession(
        "Acme",
        ear=TextEar(io.StringIO("\n".join(lines) + "\n")),
        voice=PrintVoice(out, echo=True),
        telephony=carrier,
        log=store,
        contacts={c.id: c for c in store.contacts() if c.id is not None},
        settings=SessionSettings(
            rep="tester", cancel_window=cancel_window, poll_interval=0.01, review_timeout=0
        ),
        auto_advance=auto_advance,
        clock=EARLY,
        listed=store.dnc_reason,
        no_note=no_note_words(),
        voicemail=voicemail,
    )
    session.run()
    return Worked(out.getvalue(), carrier)


def by_name(store: Store) -> dict[str, Lead]:
    return {lead.name: lead for lead in store.leads("Acme")}


def test_a_list_worked_call_defer_block_busy_later_remove_voicemail_and_stop(acme: Store):
    acme.dnc_add(["+16465550133"], reason="asked not to be called")
    run = work(
        acme,
        "what did we talk about last time",
        "call",
        "meeting booked",
        "send the deck by friday",
        "call",  # Sofia: busy, settled without asking
        "call her back tomorrow at ten",  # Ben
        "remove her, not a fit",  # Nina
        "call",  # Leo: an answering machine
        "5",  # the outcome by key: 5 is "left voicemail"
        outcomes={"+17185550147": "busy", "+19295550156": "voicemail"},
    )
    replies = run.replies()
    assert replies[1] == "Marcus Lee, Head of IT at Globex, 08:30 in New York."
    assert "(deal stage: demo)" in replies
    assert "No notes yet for Marcus Lee." in replies
    assert (
        "It's 07:30 for Ana Gomez in Chicago, outside calling hours. I'll keep Ana Gomez for today at 08:00."
        in replies
    )
    assert any(
        r.startswith("I won't call Olu Adeyemi: Olu Adeyemi's number is on the do-not-call list")
        for r in replies
    )
    assert "OK, I'll bring Ben Carter back tomorrow at 10:00, their time." in replies
    assert "Removed Nina Patel from the list: not a fit." in replies
    # Nobody called twice; the deferred and blocked leads never reached the carrier.
    assert [r.to for r in run.carrier.placed] == ["+12125550189", "+17185550147", "+19295550156"]
    leads = by_name(acme)
    assert (leads["Marcus Lee"].status, leads["Marcus Lee"].last_outcome) == ("done", "meeting booked")
    assert leads["Ana Gomez"].status == "pending"
    assert leads["Ana Gomez"].due_at == datetime(2026, 11, 27, 8, 0, tzinfo=ZoneInfo("America/Chicago"))
    assert (leads["Olu Adeyemi"].status, leads["Olu Adeyemi"].attempts) == ("blocked", 0)
    assert (leads["Sofia Rossi"].status, leads["Sofia Rossi"].last_outcome) == ("pending", "busy")
    assert leads["Ben Carter"].status == "callback"
    assert leads["Ben Carter"].due_at == datetime(2026, 11, 28, 10, 0, tzinfo=NEW_YORK)
    assert (leads["Nina Patel"].status, leads["Nina Patel"].reason) == ("removed", "not a fit")
    assert (leads["Leo Park"].status, leads["Leo Park"].last_outcome) == ("done", "left voicemail")
    # The note is saved on Marcus's call, with its follow-up date; the blocked call is a row too.
    [marcus_call] = acme.calls_to("+12125550189")
    assert [n.text for n in marcus_call.notes] == ["send the deck by friday"]
    [blocked] = acme.calls_to("+16465550133")
    assert blocked.status == "blocked"
    assert acme.list_calls("Acme")[0].disposition == "meeting booked"


def test_the_last_note_is_on_the_card_and_said_when_asked(acme: Store):
    work(acme, "call", "not interested", "wants pricing in Q1", "stop the list")
    marcus = by_name(acme)["Marcus Lee"]
    assert marcus.id is not None
    acme.set_lead(marcus.id, LeadStatus.CALLBACK, due_at=EARLY.now())
    run = work(acme, "what did we talk about last time", "stop the list")
    replies = run.replies()
    assert (
        replies[1] == "Callback due. Marcus Lee, Head of IT at Globex, 08:30 in New York; "
        "last note: wants pricing in Q1."
    )
    assert "Last time with Marcus Lee, today at 08:30: wants pricing in Q1" in replies
    assert replies[-1] == "Stopped. 7 leads still waiting on the Acme list."
    assert run.carrier.placed == []


def test_auto_advance_calls_the_next_lead_after_the_cancel_window_and_cancel_stops_it(acme: Store):
    run = work(
        acme,
        "call",
        "connected",
        "no",  # no note
        # Ana is deferred (Chicago is not open yet); Olu: the cancel window, and cancel
        "cancel",
        "skip",
        "",  # Sofia: the window passes with nothing said, and she is called
        "left live message",
        "no",
        "stop the list",
        auto_advance=True,
        cancel_window=3,
    )
    replies = run.replies()
    assert "Calling Olu Adeyemi in 3 seconds. Say cancel to stop." in replies
    assert "Skipped Olu Adeyemi." in replies
    assert [r.to for r in run.carrier.placed] == ["+12125550189", "+17185550147"]
    assert by_name(acme)["Sofia Rossi"].last_outcome == "left live message"
