"""Full dialog paths through the text front end, each checked in the call log afterwards."""

from __future__ import annotations

from datetime import date

from assistant.models import CallStatus

from .conftest import WORKDAY as FRIDAY_BEFORE


def calls(store):
    return store.recent_calls(limit=None)[::-1]


def test_disambiguation_answered_call_and_note_with_followup(run_text, book_store):
    run = run_text(
        "call jane about the renewal",
        "the second one",
        "yes",
        "she wants the updated quote by friday",
        clock=FRIDAY_BEFORE,
    )
    replies = run.replies()
    assert replies[0] == "I found Jane Doe at Acme and Jane Smith at Globex. Which one?"
    assert replies[1] == "Call Jane Smith on mobile, +1 415 555 0134, about the renewal?"
    assert replies[2] == "Calling Jane Smith... ringing... connected... call ended after 2:41."
    assert replies[3] == "How did it go? Any follow-up note?"
    assert replies[4] == 'Saved: "she wants the updated quote by friday". Follow-up on Friday 4 December.'
    [call] = calls(book_store)
    assert (call.contact_name, call.to_number, call.topic) == ("Jane Smith", "+14155550134", "the renewal")
    assert call.status == CallStatus.COMPLETED and call.outcome == "connected" and call.duration == 161
    assert call.answered_at is not None and call.ended_at is not None
    assert call.provider == "simulator" and call.provider_call_id.startswith("SM")
    [note] = call.notes
    assert note.text == "she wants the updated quote by friday"
    assert note.followup == date(2026, 12, 4) and note.status == "saved"


def test_busy(run_text, book_store):
    run = run_text("call robert martinez", "yes")
    assert "Robert Martinez's line is busy." in run.output
    [call] = calls(book_store)
    assert (call.status, call.outcome, call.answered_at) == (CallStatus.BUSY, "busy", None)
    assert call.notes == ()  # nobody to talk to: no note asked for


def test_no_answer(run_text, book_store):
    run = run_text("call kelly chen", "yes")
    assert "Kelly Chen didn't answer." in run.output
    [call] = calls(book_store)
    assert (call.status, call.outcome) == (CallStatus.NO_ANSWER, "no-answer")


def test_failed_call_keeps_its_reason(run_text, book_store):
    run = run_text("call sean murphy", "yes")
    assert "The call failed: the carrier could not connect the call." in run.output
    [call] = calls(book_store)
    assert (call.status, call.outcome) == (CallStatus.FAILED, "failed")
    assert "could not connect" in call.reason


def test_carrier_refusing_the_number_is_logged_not_raised(run_text, book_store):
    run = run_text("call jane doe", "yes", outcomes={"+14155550101": "invalid"})
    assert (
        "I couldn't place the call: the carrier says +14155550101 is not a valid phone number." in run.output
    )
    [call] = calls(book_store)
    assert call.status == CallStatus.FAILED and "21211" in call.reason
    assert run.carrier.placed == []


def test_no_at_confirmation_cancels_before_dialling(run_text, book_store):
    run = run_text("call jane doe", "no")
    assert run.replies()[-1] == "OK, not calling."
    assert run.carrier.placed == []
    [call] = calls(book_store)
    assert (call.status, call.outcome, call.reason) == (CallStatus.CANCELED, "canceled", "not confirmed")
    assert call.provider_call_id == ""


def test_cancel_window(run_text, book_store):
    run = run_text("call jane doe", "cancel", confirm="never", cancel_window=3)
    assert "Calling Jane Doe in 3 seconds. Say cancel to stop." in run.output
    assert run.carrier.placed == []
    [call] = calls(book_store)
    assert call.status == CallStatus.CANCELED and call.reason == "cancelled in the cancel window"


def test_hang_up_a_live_call(run_text, book_store):
    run = run_text("call grace okafor", "yes", "hang up", "no")
    assert "connected..." in run.output and "Hanging up." in run.output
    [call] = calls(book_store)
    assert (call.status, call.outcome) == (CallStatus.COMPLETED, "connected")
    assert call.notes == ()  # "no" to the note question saves nothing


def test_cancel_while_ringing_is_a_cancelled_call(book_store):
    """Real-time simulator: the call is still ringing when the user says cancel."""
    import io

    from assistant.console import PrintVoice, TextEar
    from assistant.contacts.book import ContactBook
    from assistant.session import Session, SessionSettings
    from assistant.telephony.simulator import Simulator

    class SlowEar(TextEar):
        def listen(self, expect, timeout=None):
            if expect.mode == "in-call":
                import time

                time.sleep(0.05)
            return super().listen(expect, timeout)

    carrier = Simulator(time_scale=1.0, answer_after=30)
    out = io.StringIO()
    Session(
        ear=SlowEar(io.StringIO("call jane doe\nyes\ncancel\n")),
        voice=PrintVoice(out),
        telephony=carrier,
        log=book_store,
        book=ContactBook(book_store),
        settings=SessionSettings(rep="tester", cancel_window=0, poll_interval=0.6),
        clock=FRIDAY_BEFORE,
    ).run()
    assert "Cancelling the call." in out.getvalue()
    assert "Call cancelled." in out.getvalue()
    [call] = calls(book_store)
    assert (call.status, call.outcome, call.answered_at) == (CallStatus.CANCELED, "canceled", None)


def test_unknown_name_never_dials(run_text, book_store):
    run = run_text("call zachary quinn")
    assert run.replies() == ["I don't have anyone called zachary quinn in your contacts, so I won't call."]
    assert run.carrier.placed == [] and calls(book_store) == []


def test_unmatched_text_is_not_guessed(run_text, book_store):
    run = run_text("what's the weather tomorrow")
    assert run.replies()[0].startswith("Sorry, I didn't catch that.")
    assert calls(book_store) == []


def test_nickname_and_phonetic_variant_reach_the_right_person(run_text, book_store):
    run = run_text("call bob martinez", "yes", "call kelli chen", "yes")
    assert "Call Robert Martinez on mobile, +1 415 555 0142?" in run.output
    assert "Call Kelly Chen on mobile, +1 646 555 0177?" in run.output
    assert [c.contact_name for c in calls(book_store)] == ["Robert Martinez", "Kelly Chen"]


def test_picking_a_runner_up_is_learned(run_text, book_store):
    first = run_text("call jen", "jennifer lopez", "no")
    assert "I found" in first.output and "Jen Park" in first.output
    assert "Got it: jen means Jennifer Lopez from now on." in first.output
    lopez = next(c for c in book_store.contacts() if c.name == "Jennifer Lopez")
    assert lopez.learned == ("jen",)
    second = run_text("call jen", "yes")
    assert second.replies()[0] == "Call Jennifer Lopez on mobile, +1 305 555 0190?"


def test_correction_at_confirmation_is_learned(run_text, book_store):
    run = run_text("call jon park", "no, I meant Jen Park", "yes")
    assert "Got it: jon park means Jen Park from now on." not in run.output  # a new name, not a pick
    assert "Call Jen Park on mobile, +1 650 555 0191?" in run.output
    logged = calls(book_store)
    assert [(c.contact_name, c.status) for c in logged] == [
        ("Jon Park", CallStatus.CANCELED),
        ("Jen Park", CallStatus.COMPLETED),
    ]


def test_label_fallback_is_said_not_silent(run_text, book_store):
    run = run_text("call jane doe on her work phone", "yes")
    assert "Jane Doe has no work number." in run.output
    assert "Call Jane Doe on mobile, +1 415 555 0101?" in run.output
    [call] = calls(book_store)
    assert call.label == "mobile"


def test_requested_label_is_used(run_text, book_store):
    run = run_text("call jane smith on work", "yes")
    assert "Call Jane Smith on work, +1 415 555 0135?" in run.output
    assert calls(book_store)[0].to_number == "+14155550135"


def test_call_a_number_by_digits_and_redial(run_text, book_store):
    run = run_text("call 415 555 0101", "yes", "no", "redial", "yes")
    assert "Call +1 415 555 0101 (Jane Doe)?" in run.output
    # redial: the same person on the same number, asked about first: they were just called
    assert "You called Jane Doe a minute ago. Call again?" in run.output
    assert [c.to_number for c in calls(book_store)] == ["+14155550101", "+14155550101"]


def test_who_did_i_call_last_and_repeat_the_note(run_text, book_store):
    run = run_text("call jane doe", "yes", "send the deck", "who did I call last", "repeat the note")
    assert "You last called Jane Doe on mobile " in run.output
    assert "The call lasted 2:41." in run.output
    assert run.replies()[-1] == 'The note says: "send the deck".'


def test_change_and_discard_a_note(run_text, book_store):
    run_text("call jane doe", "yes", "call back monday", "change it", "call back on tuesday instead")
    [call] = calls(book_store)
    [note] = call.notes
    assert note.text == "call back on tuesday instead" and note.status == "saved"
    run_text("call jane smith", "yes", "wrong note", "discard")
    latest = calls(book_store)[-1]
    assert [n.status for n in latest.notes] == ["discarded"]


def test_add_a_note_to_the_last_call(run_text, book_store):
    run_text("call jane doe", "yes", "no", "add a note", "she asked for pricing next week")
    [call] = calls(book_store)
    assert [n.text for n in call.notes] == ["she asked for pricing next week"]
    assert call.notes[0].followup is not None


def test_a_new_command_instead_of_an_answer_is_not_lost(run_text, book_store):
    run = run_text("call jane", "call kelly chen", "yes")
    assert "I found Jane Doe at Acme and Jane Smith at Globex. Which one?" in run.output
    assert "Call Kelly Chen on mobile, +1 646 555 0177?" in run.output
    assert [c.contact_name for c in calls(book_store)] == ["Kelly Chen"]


def test_input_ending_during_a_live_call_hangs_up_and_logs(run_text, book_store):
    run = run_text("call grace okafor", "yes")
    assert "Input ended while the call is live: hanging up." in run.output
    [call] = calls(book_store)
    assert call.status == CallStatus.COMPLETED


def test_confirmation_policy_always_and_never(run_text, book_store):
    never = run_text("call jane doe", confirm="never")
    assert "Call Jane Doe" not in never.output and len(never.carrier.placed) == 1
    always = run_text("call siobhan nguyen", "yes", confirm="always")
    assert "Call Siobhan Nguyen on mobile, +1 206 555 0160?" in always.output


def test_whats_due_today_and_call_the_next_one(run_text, book_store):
    from datetime import timedelta

    from .conftest import StepClock

    today = FRIDAY_BEFORE.now()
    run_text("call jane doe", "yes", "send pricing today", "call kelly chen", "yes", clock=StepClock(today))
    [note] = [n for r in calls(book_store) for n in r.notes]
    assert note.followup == today.date()
    after_lunch = StepClock(today + timedelta(hours=2))
    run = run_text(
        "what's due today",
        "call the next one",
        "yes",
        "done, she signed",
        "call the next one",
        clock=after_lunch,
    )
    assert "You have 1 due: Jane Doe: send pricing today. Say call the next one to start." in run.output
    assert "Call Jane Doe on mobile, +1 415 555 0101?" in run.output
    assert "Marked the follow-up with Jane Doe done." in run.output
    assert run.replies()[-1] == "There's no one left on today's list."
    assert book_store.due_followups(until=today.date()) == []
    assert [c.contact_name for c in calls(book_store)] == ["Jane Doe", "Kelly Chen", "Jane Doe"]


# -- the parts a second dialog mode reuses ---------------------------------------------------------------


def test_the_call_flow_hands_its_caller_the_final_record_and_decides_nothing_after(book_store):
    """A list-working mode places calls through the same flow and chooses its own next step."""
    import io

    from assistant.console import PrintVoice, TextEar
    from assistant.dialog.calls import CallFlow
    from assistant.dialog.turns import Turns
    from assistant.intents import IntentParser
    from assistant.language import Replies
    from assistant.models import CallRequest
    from assistant.telephony.simulator import Simulator

    out = io.StringIO()
    turns = Turns(TextEar(io.StringIO("")), PrintVoice(out), parser=IntentParser(), replies=Replies())
    flow = CallFlow(turns, Simulator({"+14155550142": "busy"}), book_store, poll_interval=0.01)
    busy = flow.dial(CallRequest(to="+14155550142", contact_name="Robert Martinez", rep="tester"))
    answered = flow.dial(CallRequest(to="+14155550134", contact_name="Jane Smith", rep="tester"))
    assert (busy.status, busy.outcome) == (CallStatus.BUSY, "busy")
    assert (answered.outcome, answered.duration) == ("connected", 161)
    assert "How did it go" not in out.getvalue()  # the note is the caller's to ask for
    assert [c.id for c in calls(book_store)] == [busy.id, answered.id]


def test_may_we_call_now_is_decided_from_values():
    from dataclasses import replace
    from datetime import timedelta

    from assistant import clearance
    from assistant.models import Action, CallRecord, CallRequest, Candidate, Contact, PhoneNumber, Resolution

    now = FRIDAY_BEFORE.now()
    jane = Contact("Jane Doe", (PhoneNumber("+14155550101"),), id=1)

    def call(status: CallStatus, minutes: float, carrier_id: str = "CA1") -> CallRecord:
        return CallRecord(
            id=f"c{minutes}",
            rep="ann",
            direction="outbound",
            contact_id=1,
            contact_name="Jane Doe",
            to_number="+14155550101",
            from_number="",
            label="mobile",
            topic="",
            status=status,
            outcome="",
            reason="",
            created_at=now - timedelta(minutes=minutes),
            provider_call_id=carrier_id,
        )

    stale = call(CallStatus.PENDING, 3)  # a crashed process's request: not live any more
    ringing = call(CallStatus.RINGING, 3)
    assert not clearance.recent(stale, now) and clearance.recent(ringing, now)
    assert clearance.line_busy([ringing], 1) == "another call is in progress (with Jane Doe)"
    assert clearance.line_busy([ringing], 2) is None
    assert clearance.placed([call(CallStatus.BLOCKED, 1, carrier_id="")]) == []
    assert clearance.minutes_since(call(CallStatus.COMPLETED, 0.2), now) == 1
    sure = Resolution(Action.DIAL, "jane", (Candidate(jane, 100.0),), contact=jane, certain=True)
    request = CallRequest(to="+14155550101", contact_name="Jane Doe")

    def confirm(policy: str, earlier: list[CallRecord], resolution: Resolution = sure) -> bool:
        return clearance.needs_confirmation(
            resolution, request, policy=policy, home_region="us", earlier=earlier
        )

    assert confirm("always", [ringing]) and not confirm("never", [])
    assert confirm("unsure", [])  # the first call to a number is confirmed
    assert not confirm("unsure", [ringing])  # a number called before, a sure match, at home: announced
    assert confirm("never", [ringing], replace(sure, certain=False))  # an unclear match, whatever the policy
    called = clearance.called_again(clearance.overridden(request, _verdict()), 3)
    assert called.override == "late: the user said call anyway; called again within 3 min"


def _verdict():
    from assistant.compliance import Verdict

    return Verdict(False, "hours", "late", may_override=True)
