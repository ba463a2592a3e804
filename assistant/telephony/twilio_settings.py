"""Twilio's settings, and every one that is missing or wrong said by name at once (no SDK needed here)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree import ElementTree
from xml.parsers import expat

SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
E164 = re.compile(r"^\+[1-9]\d{6,14}$")


@dataclass(frozen=True)
class TwilioSettings:
    account_sid: str
    auth_token: str = field(repr=False)
    caller_id: str
    agent_number: str = ""
    mode: str = "bridge"
    direct_twiml: str = ""
    ring_timeout: int = 30
    record: bool = False
    consent_notice: str = "This call may be recorded."
    machine_detection: bool = False
    voicemail_drop: bool = False  # detect answering machines to the end of their greeting (DetectMessageEnd)
    webhook_url: str = ""
    webhook_port: int = 8765
    calls_per_second: float = 1.0
    api_base: str = ""
    http_timeout: float = 15.0

    def problems(self) -> list[str]:
        """Every missing or wrong setting, by name, at once."""
        out = []
        if not SID.match(self.account_sid):
            out.append(
                "twilio.account_sid (or TWILIO_ACCOUNT_SID) must be your account SID: AC and 32 hex digits"
            )
        if not self.auth_token:
            out.append("TWILIO_AUTH_TOKEN is not set (the auth token comes only from the environment)")
        if not E164.match(self.caller_id):
            out.append("telephony.caller_id must be the number callees see, in E.164 form (+14155550100)")
        if self.mode not in ("bridge", "direct"):
            out.append("twilio.mode must be bridge or direct")
        if self.mode == "bridge" and not E164.match(self.agent_number):
            out.append("telephony.agent_number must be your own phone (E.164): bridge mode rings it first")
        if self.mode == "direct" and self.direct_twiml:
            out.extend(twiml_problems(self.direct_twiml))
        if self.record and self.mode == "bridge" and not self.webhook_url:
            out.append(
                "twilio.record needs twilio.webhook_url: the consent notice is played to the callee from it"
            )
        if self.webhook_url and not self.webhook_url.startswith(("https://", "http://")):
            out.append("twilio.webhook_url must be the public http(s) URL of callbot's webhook")
        if self.calls_per_second <= 0:
            out.append("twilio.calls_per_second must be above 0")
        return out


def twiml_problems(twiml: str) -> list[str]:
    """What is wrong with the user's own TwiML, said plainly (empty if it is a <Response> document)."""
    try:
        root = ElementTree.fromstring(twiml)
    except ElementTree.ParseError as exc:
        line, column = exc.position  # expat counts columns from 0
        where = f"line {line}, column {column + 1}"
        return [f"twilio.direct_twiml is not well-formed XML at {where}: {expat.ErrorString(exc.code)}"]
    if root.tag != "Response":
        return [f"twilio.direct_twiml must be TwiML: its root element is <{root.tag}>, not <Response>"]
    return []
