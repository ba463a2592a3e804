"""Twilio's status callbacks: a small Flask app that checks each request's signature and hands on events.

Twilio posts a form for every status change of a call (initiated, ringing, in-progress, completed ...).
A request without a valid X-Twilio-Signature gets 403 and changes nothing. Events are ordered by their
SequenceNumber and de-duplicated per call before they reach the dialog.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, request

from ..models import CallEvent, CallStatus

Validate = Callable[[str, Any, str], bool]


def event_from_form(form: dict[str, str], leg: str) -> CallEvent | None:
    """A CallEvent from a Twilio status callback (or a fetched call); None for statuses we do not know."""
    try:
        status = CallStatus(form.get("CallStatus", ""))
    except ValueError:
        return None
    at = datetime.now(UTC)
    if form.get("Timestamp"):
        with contextlib.suppress(TypeError, ValueError):  # a bad timestamp: the time it arrived will do
            at = parsedate_to_datetime(form["Timestamp"]).astimezone(UTC)
    duration = form.get("CallDuration") or form.get("DialCallDuration")
    sequence = form.get("SequenceNumber")
    return CallEvent(
        status=status,
        at=at,
        leg=leg,
        provider_call_id=form.get("CallSid", ""),
        duration=int(duration) if duration and duration.isdigit() else None,
        answered_by=form.get("AnsweredBy", ""),
        sequence=int(sequence) if sequence and sequence.isdigit() else None,
    )


class EventBox:
    """Per call request key: events in sequence order, each (call, status) delivered once."""

    def __init__(self) -> None:
        self._queues: dict[str, queue.Queue[CallEvent]] = defaultdict(queue.Queue)
        self._seen: set[tuple[str, str, str]] = set()
        self._last_sequence: dict[str, int] = {}
        self._lock = threading.Lock()

    def put(self, key: str, event: CallEvent) -> bool:
        """False for a duplicate or for an event older than one already delivered for that call."""
        with self._lock:
            ident = (event.provider_call_id, event.leg, str(event.status))
            if ident in self._seen:
                return False
            if event.sequence is not None:
                last = self._last_sequence.get(event.provider_call_id, -1)
                if event.sequence < last and not event.status.is_final:
                    return False  # a late "ringing" after "in-progress": the call does not go backwards
                self._last_sequence[event.provider_call_id] = max(last, event.sequence)
            self._seen.add(ident)
            self._queues[key].put(event)
            return True

    def take(self, key: str, timeout: float) -> list[CallEvent]:
        """Events for this call, waiting up to `timeout` for the first; each call's in sequence order."""
        box = self._queues[key]
        events: list[CallEvent] = []
        try:
            events.append(box.get(timeout=timeout) if timeout > 0 else box.get_nowait())
        except queue.Empty:
            return []
        while True:
            try:
                events.append(box.get_nowait())
            except queue.Empty:
                break
        return _in_order(events)


def _in_order(events: list[CallEvent]) -> list[CallEvent]:
    """Each call's events by sequence number, in the places its events arrived in: two legs' callbacks
    taken in one batch keep the order they came in (the rep's phone ringing before the lead's)."""
    by_call: dict[str, list[CallEvent]] = defaultdict(list)
    for event in events:
        by_call[event.provider_call_id].append(event)
    for call in by_call.values():
        call.sort(key=lambda e: e.sequence if e.sequence is not None else 0)
    return [by_call[event.provider_call_id].pop(0) for event in events]


def create_app(
    public_url: str,
    validate: Validate,
    box: EventBox,
    consent_twiml: str = "",
    recordings: Mapping[str, str] | None = None,
) -> Flask:
    """The webhook app. `public_url` is where Twilio reaches it (the signed URL starts with it).
    `recordings` (unguessable token -> WAV path) are the voicemail messages a dropped call plays."""
    app = Flask("callbot-webhooks")
    public = urlsplit(public_url.rstrip("/"))
    origin, prefix = f"{public.scheme}://{public.netloc}", public.path  # a tunnel forwards the path as it is

    def signed_ok() -> bool:
        url = origin + (request.full_path if request.query_string else request.path)
        # The form as a MultiDict: Twilio signs repeated keys one by one, as they came.
        return validate(url, request.form, request.headers.get("X-Twilio-Signature", ""))

    @app.post(f"{prefix}/status")
    def status() -> Response:
        if not signed_ok():
            return Response(
                "forbidden: bad or missing X-Twilio-Signature\n", status=403, mimetype="text/plain"
            )
        key = request.args.get("key", "")
        leg = request.args.get("leg", "call")
        event = event_from_form(request.form.to_dict(), leg)
        if key and event is not None:
            box.put(key, event)
        return Response(status=204)

    @app.post(f"{prefix}/consent")
    def consent() -> Response:
        """TwiML the callee hears before the bridge when calls are recorded."""
        if not signed_ok():
            return Response(status=403)
        return Response(consent_twiml, mimetype="application/xml")

    @app.get(f"{prefix}/voicemail/<token>.wav")
    def voicemail(token: str) -> Response:
        """A voicemail message, only under its unguessable URL (Twilio fetches it to play it)."""
        path = (recordings or {}).get(token)
        if path is None:
            return Response(status=404)
        with open(path, "rb") as fh:
            return Response(fh.read(), mimetype="audio/wav")

    return app


class WebhookServer:
    """The app on a local port, in a background thread (the dialog stays synchronous)."""

    def __init__(self, app: Flask, port: int, host: str = "0.0.0.0"):
        from werkzeug.serving import make_server

        self._server = make_server(host, port, app, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="twilio-webhooks", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
