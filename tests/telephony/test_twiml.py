"""The user's own TwiML (direct mode) is edited as XML, and settings that are not TwiML say what is wrong."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from assistant.errors import ConfigError
from assistant.models import CallRequest
from assistant.telephony.twilio import TwilioCarrier, TwilioSettings

from .twilio_stub import SID

LEAD, CALLER = "+14155550134", "+14155550199"


def direct(twiml: str, **overrides: object) -> TwilioSettings:
    values: dict = {"account_sid": SID, "auth_token": "secret-token-value", "caller_id": CALLER}
    return TwilioSettings(**values, mode="direct", direct_twiml=twiml, **overrides)


@pytest.mark.parametrize(
    "own",
    [
        "<Response/>",
        "<Response></Response>",
        '<Response  xml:lang="en"\n><Dial><Sip>sip:rep@example.com</Sip></Dial></Response>',
        '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Play>https://x.example/a.mp3?a=1&amp;b=2</Play>'
        "<Hangup/></Response>",
    ],
)
def test_the_consent_notice_is_said_first_in_the_users_own_twiml(own: str):
    carrier = TwilioCarrier(direct(own, record=True, consent_notice="Recorded & kept <30 days>."))
    twiml = carrier.twiml(CallRequest(to=LEAD))
    root = ElementTree.fromstring(twiml)  # still a TwiML document
    assert root.tag == "Response" and root.attrib == ElementTree.fromstring(own).attrib
    first, *rest = root
    assert (first.tag, first.text) == ("Say", "Recorded & kept <30 days>.")
    assert [ElementTree.tostring(e) for e in rest] == [
        ElementTree.tostring(e) for e in ElementTree.fromstring(own)
    ]
    carrier.close()


def test_without_recording_the_users_twiml_goes_as_written():
    own = "<Response><Dial><Sip>sip:rep@example.com</Sip></Dial></Response>"
    carrier = TwilioCarrier(direct(own))
    assert carrier.twiml(CallRequest(to=LEAD)) == own
    carrier.close()


@pytest.mark.parametrize(
    ("own", "problem"),
    [
        (
            "<Response><Dial></Response>",
            "twilio.direct_twiml is not well-formed XML at line 1, column 19: mismatched tag",
        ),
        (
            "<Response><Say>hi</Say>",
            "twilio.direct_twiml is not well-formed XML at line 1, column 24: no element found",
        ),
        (
            "<Response/><Hangup/>",
            "twilio.direct_twiml is not well-formed XML at line 1, column 12: junk after document element",
        ),
        (
            "sip:rep@example.com",
            "twilio.direct_twiml is not well-formed XML at line 1, column 8: not well-formed (invalid token)",
        ),
        (
            "<Dial><Number>+14155550134</Number></Dial>",
            "twilio.direct_twiml must be TwiML: its root element is <Dial>, not <Response>",
        ),
        (
            "<!-- <Response> --><Hangup/>",
            "twilio.direct_twiml must be TwiML: its root element is <Hangup>, not <Response>",
        ),
    ],
)
def test_twiml_that_is_not_a_response_document_is_a_named_problem(own: str, problem: str):
    assert direct(own).problems() == [problem]
    with pytest.raises(ConfigError) as info:
        TwilioCarrier(direct(own))
    assert info.value.problems == [problem]
