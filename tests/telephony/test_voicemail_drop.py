"""Voicemail drop through Twilio, proven against Twilio's own API contract served by Prism: machine detection
to the end of the greeting, the live call updated with TwiML through the SDK, and the recording served by
callbot's webhook app under an unguessable URL."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from assistant.errors import CallFailed
from assistant.models import CallRequest, Voicemail
from assistant.telephony.twilio import TwilioCarrier, TwilioSettings

from .conftest import SID, TOKEN
from .test_twilio_prism import AGENT, CALLER, LEAD, sent, verdicts

HOOK = "https://callbot.example.com/twilio"


@pytest.fixture
def make(prism):
    made: list[TwilioCarrier] = []

    def build(**overrides) -> TwilioCarrier:
        values = {"account_sid": SID, "auth_token": TOKEN, "caller_id": CALLER, "agent_number": AGENT}
        settings = TwilioSettings(**{**values, "api_base": prism.url, **overrides})
        made.append(TwilioCarrier(settings, serve_webhooks=False, sleep=lambda s: None))
        return made[-1]

    yield build
    for carrier in made:
        carrier.close()


@pytest.fixture
def message(tmp_path: Path) -> Voicemail:
    path = tmp_path / "default.wav"
    subprocess.run(["espeak-ng", "-w", str(path), "Hi, it's Dana from Acme."], check=True)
    return Voicemail("default", str(path))


def test_machine_detection_waits_for_the_end_of_the_greeting(make):
    bridge = make(webhook_url=HOOK, voicemail_drop=True)
    bridge.place(CallRequest(to=LEAD))
    assert 'machineDetection="DetectMessageEnd"' in sent(bridge)["Twiml"][0]
    direct = make(mode="direct", agent_number="", voicemail_drop=True)
    direct.place(CallRequest(to=LEAD))
    assert sent(direct)["MachineDetection"] == ["DetectMessageEnd"]


def test_drop_updates_the_live_call_with_twiml_that_plays_the_message(make, prism, message):
    carrier = make(webhook_url=HOOK, voicemail_drop=True)
    placed = carrier.place(CallRequest(to=LEAD))
    carrier.drop(placed, message)
    request = carrier.client.http_client._test_only_last_request
    assert request.method == "POST" and request.url.endswith(f"/Calls/{placed.provider_call_id}.json")
    [twiml] = sent(carrier)["Twiml"]
    play = rf"<Play>{re.escape(HOOK)}/voicemail/([\w-]+)\.wav</Play>"
    match = re.fullmatch(rf"<\?xml[^>]*\?><Response>{play}<Hangup ?/></Response>", twiml)
    assert match, twiml
    assert verdicts(prism, "post", r"/Calls/CA[0-9a-f]{32}\.json")[-1] == "passed"
    # callbot's webhook app serves the recording under that unguessable URL, and nothing else.
    client = carrier.webhook_app().test_client()
    served = client.get(f"/twilio/voicemail/{match.group(1)}.wav")
    assert served.status_code == 200 and served.data == Path(message.path).read_bytes()
    assert client.get("/twilio/voicemail/guessed.wav").status_code == 404
    assert len(match.group(1)) >= 32


def test_a_drop_needs_the_public_webhook_url(make, message):
    carrier = make(voicemail_drop=True)
    placed = carrier.place(CallRequest(to=LEAD))
    with pytest.raises(CallFailed, match=r"needs twilio\.webhook_url"):
        carrier.drop(placed, message)
