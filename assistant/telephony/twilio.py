"""Real calls through Twilio: the only module that imports the twilio SDK.

Bridge mode (the default) rings the rep's own phone first; when they answer, TwiML <Dial>s the lead with
the configured caller ID (answerOnBridge, so the rep hears the lead's ringing). Direct mode calls the lead
with TwiML the user configures (a softphone or SIP setup). The call is followed by status callbacks when a
public webhook URL is configured, else by polling the Call resource (and its child call) with backoff.

Failures become CallFailed with a reason a rep can act on. A create request that timed out is never sent
again blindly: the call is looked up first, so a retry can never ring anyone twice.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit
from xml.etree import ElementTree
from xml.parsers import expat

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.voice_response import Dial, Number, VoiceResponse

from ..errors import CallFailed, ConfigError
from ..models import CallEvent, CallRequest, CallStatus, PlacedCall
from .webhooks import EventBox, WebhookServer, create_app, event_from_form

log = logging.getLogger(__name__)

SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
EVENTS = ["initiated", "ringing", "answered", "completed"]
SAFETY_POLL = 15.0  # seconds between polls when status callbacks are expected
MAX_RETRY_AFTER = 10.0  # the longest a rate-limited request waits before its one retry

# Twilio error code -> (what the rep is told, whether trying again can help)
REASONS: dict[int, tuple[str, bool]] = {
    21211: ("the number is not a valid phone number", False),
    21217: ("the number does not appear to be a valid phone number", False),
    21214: ("the number cannot be reached", False),
    21210: ("your caller ID is not verified with Twilio: verify it or use one of your Twilio numbers", False),
    21212: ("your caller ID is not a valid phone number", False),
    21215: ("your Twilio account may not call this country (Voice geographic permissions)", False),
    13227: ("your Twilio account may not call this country (Voice geographic permissions)", False),
    32205: ("your Twilio account's geographic permissions block this call", False),
    21219: ("a Twilio trial account may only call verified numbers", False),
    21216: ("the number is blocked by Twilio", False),
    20003: (
        "Twilio refused the account SID or auth token: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN",
        False,
    ),
    20404: ("Twilio does not know that call", False),
    20429: ("Twilio is rate-limiting this account; wait a moment and try again", True),
}


class CallbotHttpClient(TwilioHttpClient):
    """The SDK's HTTP client, pointed at another base URL when configured (a local mock, a proxy, a gateway)
    instead of https://*.twilio.com, and keeping the last response's headers (Retry-After)."""

    def __init__(self, api_base: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        base = urlsplit(api_base) if api_base else None
        self._base = (base.scheme, base.netloc, base.path.rstrip("/")) if base else None
        self.last_headers: dict[str, str] = {}

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if self._base and (host == "twilio.com" or host.endswith(".twilio.com")):
            scheme, netloc, prefix = self._base
            url = urlunsplit((scheme, netloc, prefix + parts.path, parts.query, parts.fragment))
        self.last_headers = {}
        response = super().request(method, url, *args, **kwargs)
        self.last_headers = dict(response.headers or {})
        return response


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
            out.extend(_twiml_problems(self.direct_twiml))
        if self.record and self.mode == "bridge" and not self.webhook_url:
            out.append(
                "twilio.record needs twilio.webhook_url: the consent notice is played to the callee from it"
            )
        if self.webhook_url and not self.webhook_url.startswith(("https://", "http://")):
            out.append("twilio.webhook_url must be the public http(s) URL of callbot's webhook")
        if self.calls_per_second <= 0:
            out.append("twilio.calls_per_second must be above 0")
        return out


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


class TwilioCarrier:
    """The Telephony port over Twilio's REST API."""

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
        self.validator = RequestValidator(settings.auth_token)
        self.server: WebhookServer | None = None
        if settings.webhook_url and serve_webhooks:
            self.server = WebhookServer(self.webhook_app(), settings.webhook_port)

    # -- the webhook side -----------------------------------------------------------------------------

    def webhook_app(self) -> Any:
        consent = VoiceResponse()
        consent.say(self.settings.consent_notice)
        return create_app(self.settings.webhook_url, self.validator.validate, self.box, str(consent))

    def _callback(self, key: str, leg: str) -> str:
        return f"{self.settings.webhook_url.rstrip('/')}/status?{urlencode({'key': key, 'leg': leg})}"

    # -- placing ----------------------------------------------------------------------------------------

    def twiml(self, request: CallRequest) -> str:
        """What Twilio does with the call: bridge the rep to the lead, or the user's own direct TwiML."""
        s = self.settings
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
            status_callback=self._callback(request.key, "lead") if s.webhook_url else None,
            status_callback_event=" ".join(EVENTS) if s.webhook_url else None,
            status_callback_method="POST" if s.webhook_url else None,
            machine_detection="Enable" if s.machine_detection else None,
            url=f"{s.webhook_url.rstrip('/')}/consent" if s.record else None,
        )
        dial.append(number)
        response.append(dial)
        return str(response)

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
        if s.mode == "direct" and s.machine_detection:
            params["machine_detection"] = "Enable"
        if s.mode == "direct" and s.record:
            params["record"] = True
        started = datetime.now(UTC)
        call = self._create(params, to, started)
        status = _status(call.status)
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

    def _pace(self) -> None:
        """Keep call creation within the account's calls-per-second."""
        with self._pace_lock:
            wait = self._last_create + 1.0 / self.settings.calls_per_second - self._monotonic()
            if wait > 0:
                self._sleep(wait)
            self._last_create = self._monotonic()

    def _create(self, params: dict[str, Any], to: str, started: datetime) -> Any:
        for attempt in range(2):
            self._pace()
            try:
                return self.client.calls.create(**params)
            except (TwilioRestException, TwilioServiceException) as exc:
                retry_after = self._retry_after(exc)
                if retry_after is not None and attempt == 0:  # rate-limited: nothing was created
                    self._sleep(retry_after)
                    continue
                raise _failure(exc) from None
            except requests.exceptions.ConnectTimeout:  # never reached Twilio: safe to try once more
                if attempt == 0:
                    self._sleep(1.0)
                    continue
                raise CallFailed(
                    "Twilio could not be reached (connection timed out); check the network", retryable=True
                ) from None
            except requests.exceptions.ReadTimeout:
                # Sent, but no answer: the call may exist. Look for it; never send the request again.
                found = self._find_created(to, started)
                if found is not None:
                    return found
                raise CallFailed(
                    "Twilio did not answer in time, and no new call is in your account, so nothing was "
                    "placed. Try again.",
                    retryable=True,
                ) from None
            except requests.exceptions.ConnectionError as exc:
                if attempt == 0 and _refused(exc):
                    self._sleep(1.0)
                    continue
                raise CallFailed(
                    "Twilio could not be reached; check the network or twilio.api_base", retryable=True
                ) from None
            except (TwilioException, ValueError) as exc:  # malformed answers (not JSON, missing fields)
                found = self._find_created(to, started)
                if found is not None:
                    return found
                raise CallFailed(
                    f"Twilio gave an answer callbot could not read ({exc})", retryable=True
                ) from None
        raise CallFailed(
            "Twilio is rate-limiting this account; wait a moment and try again", code=20429, retryable=True
        )

    def _retry_after(self, exc: TwilioRestException | TwilioServiceException) -> float | None:
        """Seconds to wait before a rate-limited request may go again (capped), or None if it was not that."""
        if exc.status != 429 and exc.code != 20429:
            return None
        headers = getattr(self.client.http_client, "last_headers", {}) or {}
        value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
        return retry_after_seconds(value, self._now())

    def _find_created(self, to: str, started: datetime) -> Any:
        """The call a timed-out create request may have made: same To and From, created since we asked."""
        for delay in (0.0, 2.0):
            self._sleep(delay)
            try:
                calls = self.client.calls.list(
                    to=to,
                    from_=self.settings.caller_id,
                    start_time_after=started - timedelta(minutes=1),
                    limit=20,
                )
            except (TwilioException, requests.exceptions.RequestException):
                continue
            fresh = [
                c for c in calls if c.date_created is None or c.date_created >= started - timedelta(seconds=5)
            ]
            if fresh:
                return max(fresh, key=lambda c: c.date_created or started)
        return None

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
            event = _event_from_call(lead, "lead")
            if event is not None and self._fresh(followed, event):
                events.append(event)
        event = _event_from_call(main, main_leg)
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
                    raise _failure(again) from None
            raise _failure(exc) from None
        except requests.exceptions.RequestException:
            raise CallFailed(
                "Twilio could not be reached to end the call; hang up on your phone", retryable=True
            ) from None

    # -- config check -----------------------------------------------------------------------------------

    def verify(self) -> list[tuple[str, bool, str]]:
        """Read-only checks of the account and caller ID (for `callbot config check`)."""
        s = self.settings
        results: list[tuple[str, bool, str]] = []
        try:
            account = self.client.api.accounts(s.account_sid).fetch()
        except (TwilioRestException, TwilioServiceException) as exc:
            return [("twilio credentials", False, _failure(exc).reason)]
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


def retry_after_seconds(value: str | None, now: datetime) -> float:
    """How long a Retry-After header asks us to wait: delay-seconds or an HTTP date (RFC 9110 10.2.3),
    at most MAX_RETRY_AFTER (a rep is waiting); 1 s when it is missing or unreadable."""
    value = (value or "").strip()
    if not value:
        return 1.0
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 1.0
    if when.tzinfo is None:  # an obsolete date form without a zone: HTTP dates are GMT
        when = when.replace(tzinfo=UTC)
    return min(max((when - now).total_seconds(), 0.0), MAX_RETRY_AFTER)


def _twiml_problems(twiml: str) -> list[str]:
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


def _status(value: str | None) -> CallStatus | None:
    try:
        return CallStatus(value or "")
    except ValueError:
        return None


def _event_from_call(call: Any, leg: str) -> CallEvent | None:
    form = {
        "CallStatus": call.status or "",
        "CallSid": call.sid or "",
        "CallDuration": str(call.duration) if call.duration is not None else "",
        "AnsweredBy": getattr(call, "answered_by", "") or "",
    }
    return event_from_form(form, leg)


def _failure(exc: TwilioRestException | TwilioServiceException) -> CallFailed:
    code = exc.code if isinstance(exc.code, int) else None
    if code in REASONS:
        reason, retryable = REASONS[code]
        return CallFailed(reason, code=code, retryable=retryable)
    if exc.status == 429:
        return CallFailed(REASONS[20429][0], code=20429, retryable=True)
    if exc.status == 401:
        return CallFailed(REASONS[20003][0], code=20003)
    if exc.status and exc.status >= 500:
        return CallFailed("Twilio had a problem of its own; try again in a moment", code=code, retryable=True)
    text = getattr(exc, "msg", None) or getattr(exc, "detail", None) or getattr(exc, "title", None) or ""
    message = re.sub(r"^Unable to \w+ record: ", "", str(text)).strip() or f"HTTP {exc.status}"
    return CallFailed(f"Twilio refused the request: {message}", code=code)


def _refused(exc: Exception) -> bool:
    return "refused" in str(exc).lower()
