"""Twilio's REST side: the SDK's HTTP client pointed at a configured base, errors as CallFailed, statuses."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient

from ..errors import CallFailed
from ..models import CallEvent, CallStatus
from .webhooks import event_from_form

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


def status_of(value: str | None) -> CallStatus | None:
    try:
        return CallStatus(value or "")
    except ValueError:
        return None


def event_from_call(call: Any, leg: str) -> CallEvent | None:
    form = {
        "CallStatus": call.status or "",
        "CallSid": call.sid or "",
        "CallDuration": str(call.duration) if call.duration is not None else "",
        "AnsweredBy": getattr(call, "answered_by", "") or "",
    }
    return event_from_form(form, leg)


def failure(exc: TwilioRestException | TwilioServiceException) -> CallFailed:
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


def refused(exc: Exception) -> bool:
    return "refused" in str(exc).lower()
