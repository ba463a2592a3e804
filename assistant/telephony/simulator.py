"""A carrier that places no real calls but walks each one through Twilio's lifecycle.

Outcomes are set per number in config ([simulator.outcomes]) so a demo or a test can show every path:
connected, busy, no-answer, failed, voicemail, hold (connected until hung up).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ..errors import CallFailed
from ..models import CallEvent, CallRequest, CallStatus, PlacedCall, Voicemail

OUTCOMES = ("connected", "busy", "no-answer", "failed", "voicemail", "hold", "invalid")
RING_TIMEOUT = 30.0


@dataclass
class _Call:
    t0: float  # monotonic time the call was placed
    pending: list[tuple[float, CallEvent]]  # (simulated seconds after placing, event) not yet delivered
    answered_at: float | None = None  # simulated seconds
    ended: bool = False


class Simulator:
    """A pretend carrier. `time_scale` 0 delivers each call's events at once; 1 plays them in real time."""

    name = "simulator"

    def __init__(
        self,
        outcomes: Mapping[str, str] | None = None,
        *,
        answer_after: float = 3,
        duration: float = 161,
        time_scale: float = 0.0,
        caller_id: str = "+15005550006",
        monotonic: Callable[[], float] = time.monotonic,
    ):
        bad = {n: o for n, o in (outcomes or {}).items() if o not in OUTCOMES}
        if bad:
            raise ValueError(f"unknown simulator outcomes {bad}; use one of {', '.join(OUTCOMES)}")
        self.outcomes = dict(outcomes or {})
        self.answer_after = answer_after
        self.duration = duration
        self.time_scale = time_scale
        self.caller_id = caller_id
        self._monotonic = monotonic
        self._calls: dict[str, _Call] = {}
        self._by_key: dict[str, PlacedCall] = {}
        self.placed: list[CallRequest] = []  # every request that reached the "carrier"
        self.dropped: dict[str, str] = {}  # call key -> the voicemail message played to the machine

    def place(self, request: CallRequest) -> PlacedCall:
        if request.key in self._by_key:  # the same request again: the same call, never a second one
            return self._by_key[request.key]
        outcome = self.outcomes.get(request.to, "connected")
        if outcome == "invalid":
            raise CallFailed(f"the carrier says {request.to} is not a valid phone number", code=21211)
        sid = f"SM{uuid.uuid4().hex}"
        self.placed.append(request)
        self._calls[sid] = _Call(self._monotonic(), self._timeline(sid, outcome))
        placed = PlacedCall(request.key, self.name, sid, from_number=self.caller_id, status=CallStatus.QUEUED)
        self._by_key[request.key] = placed
        return placed

    def _timeline(self, sid: str, outcome: str) -> list[tuple[float, CallEvent]]:
        def ev(offset: float, status: CallStatus, **kw: object) -> tuple[float, CallEvent]:
            at = datetime.now(UTC) + timedelta(seconds=offset)
            return offset, CallEvent(status, at, provider_call_id=sid, **kw)  # type: ignore[arg-type]

        ring, talk = self.answer_after, self.duration
        steps = [ev(0, CallStatus.INITIATED), ev(0.5, CallStatus.RINGING)]
        if outcome == "connected":
            steps += [
                ev(ring, CallStatus.IN_PROGRESS),
                ev(ring + talk, CallStatus.COMPLETED, duration=int(talk)),
            ]
        elif outcome == "voicemail":
            steps += [
                ev(ring, CallStatus.IN_PROGRESS, answered_by="machine_end_beep"),
                ev(ring + 25, CallStatus.COMPLETED, duration=25, answered_by="machine_end_beep"),
            ]
        elif outcome == "hold":
            steps += [ev(ring, CallStatus.IN_PROGRESS)]
        elif outcome == "busy":
            steps += [ev(1.5, CallStatus.BUSY, duration=0)]
        elif outcome == "no-answer":
            steps += [ev(RING_TIMEOUT, CallStatus.NO_ANSWER, duration=0)]
        elif outcome == "failed":
            steps = [ev(0, CallStatus.FAILED, duration=0, reason="the carrier could not connect the call")]
        return steps

    def _elapsed(self, state: _Call) -> float:
        """Simulated seconds since the call was placed (time_scale 0: everything has happened)."""
        if self.time_scale <= 0:
            return float("inf")
        return (self._monotonic() - state.t0) / self.time_scale

    def poll(self, call: PlacedCall, timeout: float) -> Sequence[CallEvent]:
        state = self._calls[call.provider_call_id]
        deadline = self._monotonic() + timeout
        while True:
            elapsed = self._elapsed(state)
            due = [(t, e) for t, e in state.pending if t <= elapsed]
            if due:
                state.pending = state.pending[len(due) :]
                for t, e in due:
                    if e.status == CallStatus.IN_PROGRESS:
                        state.answered_at = t
                    state.ended = state.ended or e.status.is_final
                return [e for _, e in due]
            wait = deadline - self._monotonic()
            if state.pending and self.time_scale > 0:
                wait = min(wait, (state.pending[0][0] - elapsed) * self.time_scale)
            if wait <= 0:
                return []
            time.sleep(wait)

    def end(self, call: PlacedCall, answered: bool) -> None:
        state = self._calls[call.provider_call_id]
        if state.ended:
            return
        state.pending.clear()  # what has not happened yet never will
        now = datetime.now(UTC)
        if answered and state.answered_at is not None:
            talked = 0 if self.time_scale <= 0 else self._elapsed(state) - state.answered_at
            final = CallEvent(
                CallStatus.COMPLETED,
                now,
                provider_call_id=call.provider_call_id,
                duration=max(0, int(talked)),
            )
        else:
            final = CallEvent(CallStatus.CANCELED, now, provider_call_id=call.provider_call_id, duration=0)
        state.pending.append((0.0, final))

    def drop(self, call: PlacedCall, message: Voicemail) -> None:
        """Play a recorded message to the answering machine: the call ends once it has played."""
        state = self._calls[call.provider_call_id]
        self.dropped[call.key] = message.name
        if state.ended:
            return
        state.pending.clear()
        now = datetime.now(UTC)
        final = CallEvent(
            CallStatus.COMPLETED,
            now,
            provider_call_id=call.provider_call_id,
            duration=20,
            answered_by="machine_end_beep",
        )
        state.pending.append((0.0, final))
