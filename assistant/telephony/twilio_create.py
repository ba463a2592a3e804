"""Creating a Twilio call exactly once: paced to the account's rate, retried only when nothing can have been
created (rate-limited, never connected), and looked up rather than sent again when the request went out but
no answer came back."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException

from ..errors import CallFailed
from .twilio_rest import failure, refused, retry_after_seconds
from .twilio_settings import TwilioSettings


class CallCreation:
    """Mixed into TwilioCarrier, which holds the client, the settings and the clocks."""

    client: Any
    settings: TwilioSettings
    _pace_lock: threading.Lock
    _last_create: float
    _monotonic: Callable[[], float]
    _sleep: Callable[[float], None]
    _now: Callable[[], datetime]

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
                raise failure(exc) from None
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
                if attempt == 0 and refused(exc):
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
