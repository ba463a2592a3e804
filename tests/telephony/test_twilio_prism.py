"""The Twilio provider, unchanged, against Twilio's own API contract served by Prism."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import pytest

from assistant.errors import CallFailed
from assistant.models import CallRequest, CallStatus
from assistant.telephony.twilio import TwilioCarrier, TwilioSettings

from .conftest import SID, TOKEN

LEAD, AGENT, CALLER = "+14155550134", "+14155550100", "+14155550199"


@pytest.fixture
def make(prism):
    made: list[TwilioCarrier] = []

    def build(**overrides) -> TwilioCarrier:
        values = {
            "account_sid": SID,
            "auth_token": TOKEN,
            "caller_id": CALLER,
            "agent_number": AGENT,
            "api_base": prism.url,
            **overrides,
        }
        settings = TwilioSettings(**values)
        carrier = TwilioCarrier(settings, serve_webhooks=False, sleep=lambda s: None)
        made.append(carrier)
        return carrier

    yield build
    for carrier in made:
        carrier.close()


def sent(carrier: TwilioCarrier) -> dict[str, list[str]]:
    request = carrier.client.http_client._test_only_last_request
    return {k: v if isinstance(v, list) else [v] for k, v in (request.data or {}).items()}


def verdicts(prism, method: str, path_pattern: str) -> list[str]:
    """Prism's validation verdict for each logged request matching METHOD and path."""
    out, current = [], None
    for line in prism.log_text().splitlines():
        if "[HTTP SERVER]" in line and "Request received" in line:
            current = line
        elif current and "[VALIDATOR]" in line:
            if f"{method} " in current and re.search(path_pattern, current):
                out.append("passed" if "passed the validation rules" in line else "failed")
            current = None
    return out


def test_bridge_call_rings_the_agent_then_dials_the_lead(make, prism):
    carrier = make(webhook_url="https://callbot.example.com/twilio")
    placed = carrier.place(CallRequest(to=LEAD, contact_name="Jane Smith"))
    assert re.fullmatch(r"CA[0-9a-f]{32}", placed.provider_call_id)
    data = sent(carrier)
    assert data["To"] == [AGENT] and data["From"] == [CALLER]
    assert data["StatusCallbackEvent"] == ["initiated", "ringing", "answered", "completed"]  # repeated keys
    twiml = data["Twiml"][0]
    assert (
        f'callerId="{CALLER}"' in twiml and 'answerOnBridge="true"' in twiml and f">{LEAD}</Number>" in twiml
    )
    assert "statusCallback=" in twiml and "leg=lead" in twiml
    assert verdicts(prism, "post", r"/Calls\.json")[-1] == "passed"


def test_an_extension_is_keyed_once_the_line_answers(make, prism):
    carrier = make(webhook_url="https://callbot.example.com/twilio")
    carrier.place(CallRequest(to=LEAD, contact_name="Jane Smith", extension="12"))
    assert 'sendDigits="ww12"' in sent(carrier)["Twiml"][0]  # bridged: on the lead's leg
    direct = make(mode="direct", agent_number="")
    direct.place(CallRequest(to=LEAD, extension="12"))
    assert sent(direct)["SendDigits"] == ["ww12"]
    assert verdicts(prism, "post", r"/Calls\.json")[-2:] == ["passed", "passed"]


def test_direct_call_with_the_users_twiml(make, prism):
    own = "<Response><Dial><Sip>sip:rep@example.com</Sip></Dial></Response>"
    carrier = make(mode="direct", direct_twiml=own, agent_number="")
    carrier.place(CallRequest(to=LEAD))
    data = sent(carrier)
    assert data["To"] == [LEAD] and data["Twiml"] == [own] and "StatusCallback" not in data
    assert verdicts(prism, "post", r"/Calls\.json")[-1] == "passed"


def test_following_by_polling_fetches_the_call_and_its_child(make, prism):
    carrier = make()
    placed = carrier.place(CallRequest(to=LEAD))
    events = carrier.poll(placed, timeout=2)
    assert events and all(e.provider_call_id for e in events)
    legs = {e.leg for e in events}
    assert "agent" in legs
    # Prism answers every fetch with the spec's example: a completed call
    assert any(e.leg == "agent" and e.status == CallStatus.COMPLETED for e in events)
    assert verdicts(prism, "get", rf"/Calls/{placed.provider_call_id}\.json")[-1] == "passed"
    children = carrier.client.http_client._test_only_last_request
    assert children.params["ParentCallSid"] == placed.provider_call_id  # the lead is the agent call's child
    assert verdicts(prism, "get", r"/Calls\.json ")[-1] == "passed"


def test_cancel_and_hang_up(make, prism):
    carrier = make()
    placed = carrier.place(CallRequest(to=LEAD))
    carrier.end(placed, answered=False)
    assert parse_qs("&".join(f"{k}={v[0]}" for k, v in sent(carrier).items()))["Status"] == ["canceled"]
    carrier.end(placed, answered=True)
    assert sent(carrier)["Status"] == ["completed"]
    assert verdicts(prism, "post", rf"/Calls/{placed.provider_call_id}\.json")[-2:] == ["passed", "passed"]


def test_request_validation_errors_are_reported(make):
    from assistant.models import PlacedCall

    carrier = make()
    with pytest.raises(CallFailed, match="Twilio refused the request"):
        carrier.end(PlacedCall("k", "twilio", "CA-not-a-sid"), answered=True)


def test_config_check_reads_the_account_and_caller_id(make):
    results = dict((name, (ok, msg)) for name, ok, msg in make().verify())
    assert results["twilio credentials"][0] is True
    assert results["telephony.caller_id"][0] is True


def test_recording_plays_the_consent_notice_first_and_is_logged(make, prism):
    direct = make(
        mode="direct",
        agent_number="",
        record=True,
        consent_notice="This call is recorded.",
        direct_twiml="<Response><Dial><Sip>sip:rep@example.com</Sip></Dial></Response>",
    )
    placed = direct.place(CallRequest(to=LEAD))
    twiml = sent(direct)["Twiml"][0]
    assert twiml.startswith("<Response><Say>This call is recorded.</Say><Dial>")
    assert sent(direct)["Record"] == ["true"] and "consent notice played first" in placed.recording
    bridge = make(
        record=True, consent_notice="This call is recorded.", webhook_url="https://cb.example.com/tw"
    )
    bridge.place(CallRequest(to=LEAD))
    twiml = sent(bridge)["Twiml"][0]
    assert 'url="https://cb.example.com/tw/consent"' in twiml and 'record="record-from-answer-dual"' in twiml
    consent = bridge.webhook_app().test_client()
    from twilio.request_validator import RequestValidator

    signature = RequestValidator(TOKEN).compute_signature("https://cb.example.com/tw/consent", {})
    answer = consent.post("/tw/consent", headers={"X-Twilio-Signature": signature})
    assert answer.status_code == 200 and b"<Say>This call is recorded.</Say>" in answer.data
    assert verdicts(prism, "post", r"/Calls\.json")[-2:] == ["passed", "passed"]
