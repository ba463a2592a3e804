"""Real calls through Twilio: the carrier (placing, following, ending); twilio_*.py hold its other parts.

Bridge mode (the default) rings the rep's own phone first; when they answer, TwiML <Dial>s the lead with
the configured caller ID (answerOnBridge, so the rep hears the lead's ringing). Direct mode calls the lead
with TwiML the user configures (a softphone or SIP setup). The call is followed by status callbacks when a
public webhook URL is configured, else by polling the Call resource (and its child call) with backoff.

Failures become CallFailed with a reason a rep can act on. A create request that timed out is never sent
again blindly: the call is looked up first, so a retry can never ring anyone twice.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from ..errors import CallFailed, ConfigError
from ..models import CallEvent, CallRequest, CallStatus, PlacedCall, Voicemail
from .twilio_create import CallCreation
from .twilio_rest import (
    REASONS,
    CallbotHttpClient,
    event_from_call,
    failure,
    retry_after_seconds,
    status_of,
)
from .twilio_settings import TwilioSettings
from .twilio_twiml import EVENTS, call_twiml, consent_twiml, drop_twiml, machine_detection
from .webhooks import EventBox, WebhookServer, create_app

__all__ = ["REASONS", "TwilioCarrier", "TwilioSettings", "retry_after_seconds"]

log = logging.getLogger(__name__)

SAFETY_POLL = 15.0  # seconds between polls when status callbacks are expected


@dataclass
class _Leg:
    sid: str
    status: str = ""


@dataclass
class _Followed:
    placed: PlacedCall
    main: _Leg
    lead: _Leg | None = None
    next_poll: float = 0.0
    interval: float = 0.5


class TwilioCarrier(CallCreation):
    """The Telephony port over Twilio's REST API (creating a call exactly once: twilio_create.py)."""

    name = "twilio"

    def __init__(
        self,
        settings: TwilioSettings,
        *,
        client: Client | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        serve_webhooks: bool = True,
    ):
        problems = settings.problems()
        if problems:
            raise ConfigError(problems)
        self.settings = settings
        if client is None:
            http = CallbotHttpClient(settings.api_base, timeout=settings.http_timeout)
            client = Client(settings.account_sid, settings.auth_token, http_client=http)
        self.client = client
        self._monotonic = monotonic
        self._sleep = sleep
        self._now = now
        self._pace_lock = threading.Lock()
        self._last_create = -1e9
        self._placed: dict[str, PlacedCall] = {}
        self._followed: dict[str, _Followed] = {}
        self.box = EventBox()
        self.recordings: dict[str, str] = {}  # unguessable token -> a voicemail message's WAV
        self.validator = RequestValidator(settings.auth_token)
        self.server: WebhookServer | None = None
        if settings.webhook_url and serve_webhooks:
            self.server = WebhookServer(self.webhook_app(), settings.webhook_port)

    # -- the webhook side -----------------------------------------------------------------------------

    def webhook_app(self) -> Any:
        return create_app(
            self.settings.webhook_url,
            self.validator.validate,
            self.box,
            consent_twiml(self.settings),
            recordings=self.recordings,
        )

    def _callback(self, key: str, leg: str) -> str:
        return f"{self.settings.webhook_url.rstrip('/')}/status?{urlencode({'key': key, 'leg': leg})}"

    # -- placing ----------------------------------------------------------------------------------------

    def twiml(self, request: CallRequest) -> str:
        """What Twilio does with the call: bridge the rep to the lead, or the user's own direct TwiML."""
        lead_callback = self._callback(request.key, "lead") if self.settings.webhook_url else ""
        return call_twiml(self.settings, request, lead_callback)

    def place(self, request: CallRequest) -> PlacedCall:
        if request.key in self._placed:  # the same request again: never a second call
            return self._placed[request.key]
        s = self.settings
        to = s.agent_number if s.mode == "bridge" else request.to
        params: dict[str, Any] = {
            "to": to,
            "from_": s.caller_id,
            "twiml": self.twiml(request),
            "timeout": s.ring_timeout,
        }
        if s.webhook_url:
            params["status_callback"] = self._callback(request.key, "agent" if s.mode == "bridge" else "call")
            params["status_callback_event"] = EVENTS
            params["status_callback_method"] = "POST"
        if s.mode == "direct" and (s.machine_detection or s.voicemail_drop):
            params["machine_detection"] = machine_detection(s)
        if s.mode == "direct" and s.record:
            params["record"] = True
        if s.mode == "direct" and request.extension:
            params["send_digits"] = f"ww{request.extension}"  # keyed once the callee's line answers
        started = datetime.now(UTC)
        call = self._create(params, to, started)
        status = status_of(call.status)
        if status is None or status.is_final:  # how it ends is for the follow-up to tell
            status = CallStatus.QUEUED
        recording = f"recorded; consent notice played first: {s.consent_notice!r}" if s.record else ""
        placed = PlacedCall(
            request.key, self.name, call.sid, from_number=s.caller_id, status=status, recording=recording
        )
        self._placed[request.key] = placed
        # With callbacks, polling is a safety net for callbacks that never come: it starts after a while.
        first_poll = self._monotonic() + (SAFETY_POLL if s.webhook_url else 0.0)
        self._followed[request.key] = _Followed(placed, _Leg(call.sid), next_poll=first_poll)
        return placed

    # -- following --------------------------------------------------------------------------------------

    def poll(self, call: PlacedCall, timeout: float) -> Sequence[CallEvent]:
        followed = self._followed[call.key]
        deadline = self._monotonic() + timeout
        while True:
            events = [e for e in self.box.take(call.key, 0) if self._fresh(followed, e)]
            now = self._monotonic()
            if not events and now >= followed.next_poll:
                events = self._fetch(followed)
                slow = SAFETY_POLL if self.settings.webhook_url else 3.0
                followed.interval = min(followed.interval * 1.5, slow)
                followed.next_poll = now + followed.interval
            if events or self._monotonic() >= deadline:
                return events
            wait = min(deadline, followed.next_poll) - self._monotonic()
            if self.settings.webhook_url:
                events = [e for e in self.box.take(call.key, max(wait, 0)) if self._fresh(followed, e)]
                if events:
                    return events
            elif wait > 0:
                self._sleep(min(wait, 0.5))

    def _fresh(self, followed: _Followed, event: CallEvent) -> bool:
        """Record the event on its leg; False if it tells nothing new."""
        if event.leg == "lead":
            if followed.lead is None:
                followed.lead = _Leg(event.provider_call_id)
            leg = followed.lead
        else:
            leg = followed.main
        if leg.status and CallStatus(leg.status).is_final:
            return False
        if leg.status == str(event.status):
            return False
        leg.status = str(event.status)
        return True

    def _fetch(self, followed: _Followed) -> list[CallEvent]:
        """Poll the call (and in bridge mode its child, the lead) for changes."""
        main_leg = "agent" if self.settings.mode == "bridge" else "call"
        events: list[CallEvent] = []
        try:
            main = self.client.calls(followed.main.sid).fetch()
            children = []
            if self.settings.mode == "bridge":
                children = list(self.client.calls.page(parent_call_sid=followed.main.sid, page_size=5))
        except (TwilioException, requests.exceptions.RequestException) as exc:
            log.warning("polling Twilio for %s failed: %s", followed.main.sid, exc)
            return []
        lead = next((c for c in children if c.parent_call_sid == followed.main.sid), None) or (
            children[0] if children else None
        )
        if lead is not None:
            event = event_from_call(lead, "lead")
            if event is not None and self._fresh(followed, event):
                events.append(event)
        event = event_from_call(main, main_leg)
        if event is not None and self._fresh(followed, event):
            events.append(event)
        return events

    def end(self, call: PlacedCall, answered: bool) -> None:
        """Cancel a call still queued or ringing; hang up (completed) one that was answered."""
        followed = self._followed.get(call.key)
        live = followed.main.status if followed else ""
        status = "completed" if answered or live == "in-progress" else "canceled"
        try:
            self.client.calls(call.provider_call_id).update(status=status)
        except TwilioRestException as exc:
            if status == "canceled" and exc.status == 400:  # answered meanwhile: cancel no longer applies
                try:
                    self.client.calls(call.provider_call_id).update(status="completed")
                    return
                except TwilioRestException as again:
                    raise failure(again) from None
            raise failure(exc) from None
        except requests.exceptions.RequestException:
            raise CallFailed(
                "Twilio could not be reached to end the call; hang up on your phone", retryable=True
            ) from None

    def drop(self, call: PlacedCall, message: Voicemail) -> None:
        """Play a recorded voicemail to the lead's answering machine: the lead's leg is redirected to TwiML
        that plays it from callbot's webhook server (an unguessable URL) and hangs up; in bridge mode that
        ends the <Dial>, so the rep's phone is free at once."""
        s = self.settings
        if not s.webhook_url:
            raise CallFailed(
                "a voicemail drop needs twilio.webhook_url: Twilio fetches the recording from callbot's "
                "webhook server"
            )
        token = secrets.token_urlsafe(24)
        self.recordings[token] = message.path
        url = f"{s.webhook_url.rstrip('/')}/voicemail/{token}.wav"
        followed = self._followed.get(call.key)
        sid = followed.lead.sid if followed and followed.lead else call.provider_call_id
        try:
            self.client.calls(sid).update(twiml=drop_twiml(url))
        except (TwilioRestException, TwilioServiceException) as exc:
            raise failure(exc) from None
        except requests.exceptions.RequestException:
            raise CallFailed(
                "Twilio could not be reached to drop the voicemail; the call goes on", retryable=True
            ) from None

    # -- config check -----------------------------------------------------------------------------------

    def verify(self) -> list[tuple[str, bool, str]]:
        """Read-only checks of the account and caller ID (for `callbot config check`)."""
        s = self.settings
        results: list[tuple[str, bool, str]] = []
        try:
            account = self.client.api.accounts(s.account_sid).fetch()
        except (TwilioRestException, TwilioServiceException) as exc:
            return [("twilio credentials", False, failure(exc).reason)]
        except requests.exceptions.RequestException as exc:
            return [("twilio credentials", False, f"Twilio could not be reached ({type(exc).__name__})")]
        status = getattr(account, "status", "")
        results.append(
            ("twilio credentials", status == "active", f"account {account.friendly_name!r} is {status}")
        )
        try:
            owned = self.client.incoming_phone_numbers.list(phone_number=s.caller_id, limit=1)
            verified = (
                [] if owned else self.client.outgoing_caller_ids.list(phone_number=s.caller_id, limit=1)
            )
        except (TwilioException, requests.exceptions.RequestException) as exc:
            results.append(("telephony.caller_id", False, f"could not be checked ({exc})"))
            return results
        if owned:
            results.append(("telephony.caller_id", True, f"{s.caller_id} is one of your Twilio numbers"))
        elif verified:
            results.append(("telephony.caller_id", True, f"{s.caller_id} is a verified caller ID"))
        else:
            results.append(
                (
                    "telephony.caller_id",
                    False,
                    f"{s.caller_id} is neither your Twilio number nor a verified caller ID; verify it in "
                    "the Twilio console (Phone Numbers > Verified Caller IDs)",
                )
            )
        return results

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
        session = getattr(self.client.http_client, "session", None)
        if session is not None:
            session.close()
