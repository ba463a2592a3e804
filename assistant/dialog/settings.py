"""How a dialog behaves: who the rep is, the safety rules, when to confirm, how long to listen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from ..compliance import Rules


@dataclass(frozen=True)
class SessionSettings:
    rep: str
    region: str = "US"
    rules: Rules = field(default_factory=lambda: Rules({i: (time(8), time(21)) for i in range(7)}))
    repeat_window: float = 300.0  # seconds: the same person asked for again within this asks before ringing
    max_concurrent: int = 1  # live calls per rep (across callbot processes sharing the log)
    confirm: str = "unsure"  # always | unsure | never
    cancel_window: float = 3.0
    ask_for_note: bool = True
    min_confidence: float = 0.3
    sure_confidence: float = 0.85  # a name heard less surely than this is asked about ("Did you mean ...?")
    answer_timeout: float | None = None  # seconds to wait for an answer; None = until input ends
    note_timeout: float | None = None
    review_timeout: float | None = 6.0  # after a note is read back, how long "repeat/change/discard" is heard
    poll_interval: float = 0.5
