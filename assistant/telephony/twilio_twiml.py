"""TwiML: what Twilio does with a call (bridge the rep to the lead, or the user's own direct TwiML)."""

from __future__ import annotations

from xml.etree import ElementTree

from twilio.twiml.voice_response import Dial, Number, VoiceResponse

from ..models import CallRequest
from .twilio_settings import TwilioSettings

EVENTS = ["initiated", "ringing", "answered", "completed"]


def consent_twiml(settings: TwilioSettings) -> str:
    """The consent notice the callee hears first when calls are recorded."""
    consent = VoiceResponse()
    consent.say(settings.consent_notice)
    return str(consent)


def call_twiml(s: TwilioSettings, request: CallRequest, lead_callback: str) -> str:
    """Bridge the rep to the lead (lead_callback follows the lead's leg), or the user's own direct TwiML."""
    response = VoiceResponse()
    if s.mode == "direct":
        own = s.direct_twiml or str(response)
        if not s.record:
            return own
        root = ElementTree.fromstring(own)  # well-formed: problems() checked it before we got here
        notice = ElementTree.Element("Say")
        notice.text = s.consent_notice
        root.insert(0, notice)  # the callee hears it before anything the user's TwiML does
        return ElementTree.tostring(root, encoding="unicode")
    if request.contact_name:
        response.say(f"Connecting you to {request.contact_name}.")
    dial = Dial(
        caller_id=s.caller_id,
        answer_on_bridge=True,
        timeout=s.ring_timeout,
        record="record-from-answer-dual" if s.record else None,
    )
    number = Number(
        request.to,
        status_callback=lead_callback if s.webhook_url else None,
        status_callback_event=" ".join(EVENTS) if s.webhook_url else None,
        status_callback_method="POST" if s.webhook_url else None,
        machine_detection=machine_detection(s),
        url=f"{s.webhook_url.rstrip('/')}/consent" if s.record else None,
        # an extension, keyed once the line answers, after a second's pause ("w" is half a second)
        send_digits=f"ww{request.extension}" if request.extension else None,
    )
    dial.append(number)
    response.append(dial)
    return str(response)


def machine_detection(s: TwilioSettings) -> str | None:
    """Twilio's MachineDetection: to the end of the greeting when a voicemail is to be dropped."""
    if s.voicemail_drop:
        return "DetectMessageEnd"
    return "Enable" if s.machine_detection else None


def drop_twiml(url: str) -> str:
    """Play the recorded voicemail to the answering machine, then hang up."""
    response = VoiceResponse()
    response.play(url)
    response.hangup()
    return str(response)
