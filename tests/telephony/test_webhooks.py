"""The call lifecycle from signed status callbacks: ordered, de-duplicated, and forgeries refused."""

from __future__ import annotations

import io
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence

import pytest
from twilio.request_validator import RequestValidator

from assistant.console import PrintVoice, TextEar
from assistant.contacts.book import ContactBook
from assistant.models import CallEvent, CallRequest, CallStatus, PlacedCall
from assistant.session import Session, SessionSettings
from assistant.telephony.twilio import TwilioCarrier, TwilioSettings
from assistant.telephony.webhooks import EventBox, event_from_form

from ..conftest import WORKDAY
from .conftest import SID, TOKEN, free_port

AGENT, CALLER = "+14155550100", "+14155550199"


def sign(url: str, form: dict[str, str], token: str = TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, form)


def post(url: str, form: dict[str, str], signature: str | None) -> int:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    request = urllib.request.Request(url, urllib.parse.urlencode(form).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture
def carrier(prism, monkeypatch):
    # Prism answers every fetch with a completed call: keep the safety-net poll out of these runs
    monkeypatch.setattr("assistant.telephony.twilio.SAFETY_POLL", 600.0)
    port = free_port()
    settings = TwilioSettings(
        account_sid=SID,
        auth_token=TOKEN,
        caller_id=CALLER,
        agent_number=AGENT,
        api_base=prism.url,
        webhook_url=f"http://127.0.0.1:{port}/hooks",
        webhook_port=port,
    )
    made = TwilioCarrier(settings)
    yield made
    made.close()


def callback(carrier: TwilioCarrier, key: str, leg: str) -> str:
    return carrier._callback(key, leg)


class Placing:
    """The Telephony port over the real carrier, telling the test (playing Twilio) when a call is created
    and when the dialog has taken each event, so Twilio's next callback can come after it, as in life."""

    def __init__(self, carrier: TwilioCarrier):
        self.carrier = carrier
        self.name = carrier.name
        self.placed = threading.Event()
        self.call: PlacedCall | None = None
        self.taken: list[CallEvent] = []
        self._took = threading.Condition()

    def place(self, request: CallRequest) -> PlacedCall:
        self.call = self.carrier.place(request)
        self.placed.set()
        return self.call

    def poll(self, call: PlacedCall, timeout: float) -> Sequence[CallEvent]:
        events = self.carrier.poll(call, timeout)
        with self._took:
            self.taken.extend(events)
            self._took.notify_all()
        return events

    def has_taken(self, count: int, timeout: float = 20) -> None:
        """Wait until the dialog has taken `count` events in all."""
        with self._took:
            assert self._took.wait_for(lambda: len(self.taken) >= count, timeout), self.taken

    def end(self, call: PlacedCall, answered: bool) -> None:
        self.carrier.end(call, answered)

    def created(self, timeout: float = 20) -> PlacedCall:
        """The call the dialog placed, once it has (the session runs on the test's main thread)."""
        assert self.placed.wait(timeout), f"no call was placed within {timeout} s"
        assert self.call is not None
        return self.call


def test_forged_and_unsigned_callbacks_get_403_and_change_nothing(carrier):
    app = carrier.webhook_app().test_client()
    url = callback(carrier, "k1", "lead")
    path = url.split("127.0.0.1", 1)[1].split("/", 1)[1]
    path = "/" + path
    form = {"CallSid": "CA" + "1" * 32, "CallStatus": "completed", "SequenceNumber": "3"}
    assert app.post(path, data=form).status_code == 403
    assert (
        app.post(path, data=form, headers={"X-Twilio-Signature": sign(url, form, "wrong-token")}).status_code
        == 403
    )
    assert carrier.box.take("k1", 0) == []
    assert app.post(path, data=form, headers={"X-Twilio-Signature": sign(url, form)}).status_code == 204
    [event] = carrier.box.take("k1", 0)
    assert event.status == CallStatus.COMPLETED and event.leg == "lead"


def test_duplicates_and_late_events_are_dropped(carrier):
    app = carrier.webhook_app().test_client()
    url = callback(carrier, "k2", "lead")
    path = "/" + url.split("127.0.0.1", 1)[1].split("/", 1)[1]
    sid = "CA" + "2" * 32

    def send(status: str, seq: int) -> None:
        form = {"CallSid": sid, "CallStatus": status, "SequenceNumber": str(seq)}
        assert app.post(path, data=form, headers={"X-Twilio-Signature": sign(url, form)}).status_code == 204

    send("in-progress", 2)
    send("ringing", 1)  # late
    send("in-progress", 2)  # Twilio retried it
    send("completed", 3)
    assert [e.status for e in carrier.box.take("k2", 0)] == [CallStatus.IN_PROGRESS, CallStatus.COMPLETED]


def test_callbacks_of_both_legs_taken_together_keep_the_order_they_came_in():
    box = EventBox()
    agent, lead = "CA" + "b" * 32, "CA" + "9" * 32
    box.put("k", event_from_form({"CallSid": agent, "CallStatus": "ringing", "SequenceNumber": "1"}, "agent"))
    box.put(
        "k", event_from_form({"CallSid": agent, "CallStatus": "in-progress", "SequenceNumber": "2"}, "agent")
    )
    box.put("k", event_from_form({"CallSid": lead, "CallStatus": "ringing", "SequenceNumber": "0"}, "lead"))
    taken = [(e.leg, str(e.status)) for e in box.take("k", 0)]
    assert taken == [("agent", "ringing"), ("agent", "in-progress"), ("lead", "ringing")]


@pytest.mark.parametrize(
    ("lead_final", "outcome", "answered"),
    [
        ("completed", "connected", True),
        ("busy", "busy", False),
        ("no-answer", "no-answer", False),
        ("failed", "failed", False),
        ("canceled", "canceled", False),
    ],
)
def test_lifecycle_through_the_dialog(carrier, book_store, lead_final, outcome, answered):
    """Prism takes the create request; the test plays Twilio, posting signed callbacks over HTTP."""
    jane = next(c for c in book_store.contacts() if c.name == "Jane Doe")
    out = io.StringIO()
    lines = ["call jane doe", "yes", *(["sent the deck, follow up friday"] if answered else [])]
    telephony = Placing(carrier)
    session = Session(
        ear=TextEar(io.StringIO("\n".join(lines) + "\n")),
        voice=PrintVoice(out),
        telephony=telephony,
        log=book_store,
        book=ContactBook(book_store),
        clock=WORKDAY,
        settings=SessionSettings(
            rep="tester", confirm="always", cancel_window=0, poll_interval=0.2, review_timeout=0
        ),
    )
    played = threading.Event()

    def play_twilio() -> None:
        placed = telephony.created()
        key, agent_sid, lead_sid = placed.key, placed.provider_call_id, "CA" + "9" * 32

        def send(leg: str, sid: str, status: str, seq: int, *, news: int = 0, **extra: str) -> int:
            """Post a callback; `news`: the dialog's count of events once it has taken this one."""
            url = callback(carrier, key, leg)
            form = {"CallSid": sid, "CallStatus": status, "SequenceNumber": str(seq), **extra}
            answer = post(url, form, sign(url, form))
            if news:
                telephony.has_taken(news)
            return answer

        assert send("agent", agent_sid, "ringing", 1, news=1) == 204
        assert send("agent", agent_sid, "in-progress", 2, news=2) == 204
        assert send("lead", lead_sid, "ringing", 0, news=3, ParentCallSid=agent_sid) == 204
        forged_url = callback(carrier, key, "agent")
        forged = {"CallSid": agent_sid, "CallStatus": "completed", "SequenceNumber": "9"}
        assert post(forged_url, forged, sign(forged_url, forged, "not-the-token")) == 403
        if answered:
            assert send("lead", lead_sid, "in-progress", 1, news=4) == 204
            assert send("lead", lead_sid, "in-progress", 1) == 204  # duplicate
            assert send("lead", lead_sid, "ringing", 0) == 204  # late
            assert send("lead", lead_sid, lead_final, 2, news=5, CallDuration="42") == 204
        else:
            assert send("lead", lead_sid, lead_final, 2, news=4, CallDuration="0") == 204
        assert send("agent", agent_sid, "completed", 3, CallDuration="50") == 204
        played.set()

    player = threading.Thread(target=play_twilio)
    player.start()
    session.run()
    player.join(timeout=30)
    assert played.is_set()  # every callback went as planned (a failed assert in the thread leaves it unset)
    [call] = book_store.recent_calls()
    assert call.provider == "twilio" and call.contact_id == jane.id
    assert (call.status, call.lead_status, call.outcome) == (CallStatus.COMPLETED, lead_final, outcome)
    assert call.lead_call_id == "CA" + "9" * 32
    if answered:
        assert call.duration == 42 and call.answered_at is not None
        assert (
            "Calling Jane Doe... ringing your phone... ringing... connected... call ended after 0:42."
            in out.getvalue()
        )
        assert call.notes[0].text == "sent the deck, follow up friday"
    else:
        assert call.answered_at is None and call.notes == ()


def test_when_the_reps_own_phone_does_not_answer_the_lead_is_not_called(carrier, book_store):
    out = io.StringIO()
    telephony = Placing(carrier)
    session = Session(
        ear=TextEar(io.StringIO("call jane doe\nyes\n")),
        voice=PrintVoice(out),
        telephony=telephony,
        log=book_store,
        book=ContactBook(book_store),
        clock=WORKDAY,
        settings=SessionSettings(rep="tester", confirm="always", cancel_window=0, poll_interval=0.2),
    )
    played = threading.Event()

    def play_twilio() -> None:
        placed = telephony.created()
        url = callback(carrier, placed.key, "agent")
        for seq, status in enumerate(("ringing", "no-answer")):
            form = {"CallSid": placed.provider_call_id, "CallStatus": status, "SequenceNumber": str(seq)}
            assert post(url, form, sign(url, form)) == 204
        played.set()

    player = threading.Thread(target=play_twilio)
    player.start()
    session.run()
    player.join(timeout=30)
    assert played.is_set()
    assert "ringing your phone..." in out.getvalue()
    assert "Your own phone didn't answer, so Jane Doe was not called." in out.getvalue()
    [call] = book_store.recent_calls()
    assert (call.status, call.outcome, call.lead_call_id) == (CallStatus.NO_ANSWER, "no-answer", "")
