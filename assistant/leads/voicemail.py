"""Voicemail drop while a list is worked: an answering machine (detected to the end of its greeting), or the
rep saying "drop voicemail" while it plays, gets the default recorded message and the rep moves on.

Both work at the ports, around the dialog's own call flow: the carrier is wrapped to watch its events, and
the ear to hear "drop voicemail" during a call.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import CallFailed
from ..intents import IntentParser
from ..models import CallEvent, CallRequest, PlacedCall, Utterance, Voicemail
from ..ports import DropsVoicemail, Ear, Expect, Listening, Telephony
from ..understanding import understand

# Twilio's AnsweredBy with DetectMessageEnd (and the simulator's): the greeting has ended, the beep is now.
GREETING_OVER = ("machine_end_beep", "machine_end_silence", "machine_end_other")


class DroppingCarrier:
    """The carrier as the list session sees it; answering machines get the default message."""

    def __init__(self, carrier: Telephony, message: Voicemail | None):
        self.carrier = carrier
        self.name = carrier.name
        self.message = message
        self.current: PlacedCall | None = None
        self.dropped: dict[str, str] = {}  # call key -> the message played
        self.failed: dict[str, str] = {}  # call key -> why a drop did not happen

    def place(self, request: CallRequest) -> PlacedCall:
        self.current = self.carrier.place(request)
        return self.current

    def poll(self, call: PlacedCall, timeout: float) -> Sequence[CallEvent]:
        events = self.carrier.poll(call, timeout)
        if any(e.answered_by in GREETING_OVER and e.leg != "agent" for e in events):
            self.drop(call)
        return events

    def end(self, call: PlacedCall, answered: bool) -> None:
        self.carrier.end(call, answered)

    def drop(self, call: PlacedCall | None = None) -> bool:
        """Play the default message on the call (the current one); False if there is none or it failed."""
        call = call or self.current
        carrier = self.carrier
        if call is None or self.message is None or call.key in self.dropped:
            return False
        if not isinstance(carrier, DropsVoicemail):
            self.failed[call.key] = f"the {carrier.name} carrier cannot drop a voicemail"
            return False
        try:
            carrier.drop(call, self.message)
        except CallFailed as exc:
            self.failed[call.key] = exc.reason
            return False
        self.dropped[call.key] = self.message.name
        return True


class DropEar:
    """The rep's ear, which also hears "drop voicemail" while a call is live."""

    def __init__(self, ear: Ear, parser: IntentParser, carrier: DroppingCarrier):
        self.ear = ear
        self.parser = parser
        self.carrier = carrier

    def listen(self, expect: Expect, timeout: float | None = None) -> Utterance | None:
        utterance = self.ear.listen(expect, timeout)
        if utterance is None or expect.mode != Listening.IN_CALL:
            return utterance
        intent = understand(utterance, self.parser, ("LeadDropVoicemail",), {"dialog": "lead"})
        if intent is not None and self.carrier.drop():
            return None  # done: the call ends by itself once the message plays
        return utterance
