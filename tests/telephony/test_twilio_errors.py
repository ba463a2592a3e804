"""Twilio's failures become clear reasons, and a retry never rings anyone twice (a local stub of the API)."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from assistant.errors import CallFailed, ConfigError
from assistant.models import CallRequest
from assistant.telephony.twilio import TwilioCarrier, TwilioSettings

from .twilio_stub import SID, Reply, TwilioStub, error

LEAD, AGENT, CALLER = "+14155550134", "+14155550100", "+14155550199"


@pytest.fixture
def stub():
    server = TwilioStub()
    yield server
    server.close()


_open: list[TwilioCarrier] = []


@pytest.fixture(autouse=True)
def _close_carriers():
    yield
    while _open:
        _open.pop().close()


def carrier(api_base: str, **overrides) -> TwilioCarrier:
    settings = TwilioSettings(
        account_sid=SID,
        auth_token="secret-token-value",
        caller_id=CALLER,
        agent_number=AGENT,
        api_base=api_base,
        http_timeout=2.0,
        **overrides,
    )
    made = TwilioCarrier(settings, sleep=lambda s: None)
    _open.append(made)
    return made


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (21211, "not a valid phone number"),
        (21217, "does not appear to be a valid phone number"),
        (21214, "cannot be reached"),
        (21210, "caller ID is not verified"),
        (21215, "geographic permissions"),
        (13227, "geographic permissions"),
        (32205, "geographic permissions"),
    ],
)
def test_twilio_error_codes_become_reasons(stub: TwilioStub, code: int, words: str):
    stub.replies = [error(code, "whatever Twilio says")]
    with pytest.raises(CallFailed) as info:
        carrier(stub.url).place(CallRequest(to=LEAD, contact_name="Jane Smith"))
    assert words in info.value.reason and info.value.code == code and not info.value.retryable
    assert stub.posts() == 1


def test_bad_credentials(stub: TwilioStub):
    stub.replies = [error(20003, "Authenticate", 401)]
    with pytest.raises(CallFailed, match="TWILIO_AUTH_TOKEN") as info:
        carrier(stub.url).place(CallRequest(to=LEAD))
    assert "secret-token-value" not in str(info.value)


def test_rate_limit_waits_retry_after_then_succeeds(stub: TwilioStub):
    slept: list[float] = []
    stub.replies = [
        Reply(429, {"code": 20429, "message": "Too Many Requests", "status": 429}, {"Retry-After": "2"}),
        Reply(),
    ]
    c = carrier(stub.url)
    c._sleep = slept.append  # record instead of waiting
    placed = c.place(CallRequest(to=LEAD))
    assert placed.provider_call_id.startswith("CA") and stub.posts() == 2 and len(stub.created) == 1
    assert 2.0 in slept


NOW = datetime(2026, 11, 27, 18, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("retry_after", "waited"),
    [
        (format_datetime(NOW + timedelta(seconds=4), usegmt=True), 4.0),  # an HTTP date (RFC 9110)
        ("Friday, 27-Nov-26 18:00:07 GMT", 7.0),  # its obsolete RFC 850 form
        ("Fri Nov 27 18:00:03 2026", 3.0),  # and asctime's
        (format_datetime(NOW - timedelta(seconds=30), usegmt=True), 0.0),  # already past: go now
        (format_datetime(NOW + timedelta(hours=1), usegmt=True), 10.0),  # a rep is waiting: capped
        ("3600", 10.0),
        ("soon", 1.0),
    ],
)
def test_rate_limit_waits_as_long_as_retry_after_says(stub: TwilioStub, retry_after: str, waited: float):
    slept: list[float] = []
    stub.replies = [
        Reply(
            429, {"code": 20429, "message": "Too Many Requests", "status": 429}, {"Retry-After": retry_after}
        ),
        Reply(),
    ]
    c = carrier(stub.url)
    c._sleep = slept.append  # record instead of waiting
    c._now = lambda: NOW
    c.place(CallRequest(to=LEAD))
    assert stub.posts() == 2 and len(stub.created) == 1
    assert slept[0] == waited  # then the pacing of creates (calls_per_second) may wait too


def test_rate_limit_twice_is_reported_as_retryable(stub: TwilioStub):
    limited = Reply(429, {"code": 20429, "message": "Too Many Requests", "status": 429})
    stub.replies = [limited, limited]
    with pytest.raises(CallFailed, match="rate-limiting") as info:
        carrier(stub.url).place(CallRequest(to=LEAD))
    assert info.value.retryable and stub.posts() == 2 and stub.created == []


def test_server_error(stub: TwilioStub):
    stub.replies = [Reply(500, {"code": 20500, "message": "Internal Server Error", "status": 500})]
    with pytest.raises(CallFailed, match="problem of its own") as info:
        carrier(stub.url).place(CallRequest(to=LEAD))
    assert info.value.retryable


def test_timeout_after_sending_finds_the_call_instead_of_ringing_twice(stub: TwilioStub):
    stub.replies = [Reply(delay=3.0)]  # created, but the answer comes after the client gave up
    c = carrier(stub.url)
    request = CallRequest(to=LEAD)
    placed = c.place(request)
    assert stub.posts() == 1 and len(stub.created) == 1
    assert placed.provider_call_id == stub.created[0]["sid"]
    assert c.place(request) is placed and stub.posts() == 1  # the same request again changes nothing


def test_malformed_answer_looks_the_call_up(stub: TwilioStub):
    stub.replies = [Reply(201, "{this is not json")]
    placed = carrier(stub.url).place(CallRequest(to=LEAD))
    assert placed.provider_call_id == stub.created[0]["sid"] and stub.posts() == 1


def test_connection_refused_is_a_clear_retryable_failure():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(CallFailed, match="could not be reached") as info:
        carrier(f"http://127.0.0.1:{port}").place(CallRequest(to=LEAD))
    assert info.value.retryable


def test_creation_is_paced_to_the_account_rate(stub: TwilioStub):
    c = carrier(stub.url, calls_per_second=0.5)
    clock = [100.0]
    waits: list[float] = []
    c._monotonic = lambda: clock[0]
    c._sleep = lambda s: (waits.append(s), clock.__setitem__(0, clock[0] + s))
    c.place(CallRequest(to=LEAD))
    c.place(CallRequest(to=LEAD))
    assert waits == [pytest.approx(2.0)]


def test_settings_are_checked_all_at_once():
    with pytest.raises(ConfigError) as info:
        TwilioCarrier(TwilioSettings(account_sid="nope", auth_token="", caller_id="555", agent_number=""))
    text = "\n".join(info.value.problems)
    for name in ("account_sid", "TWILIO_AUTH_TOKEN", "caller_id", "agent_number"):
        assert name in text
