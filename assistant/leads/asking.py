"""What a list session asks the rep between leads: the next command at a lead's card, and a call's outcome."""

from __future__ import annotations

from ..dialog.turns import Turns
from ..models import Intent
from ..ports import Expect, Listening
from . import plan

CONTEXT = {"dialog": "lead"}


def hear(turns: Turns, allowed: tuple[str, ...], timeout: float | None) -> Intent | None:
    """The rep's next command at a lead's card, among `allowed`."""
    utterance = turns.hear(Expect(Listening.COMMAND), timeout)
    if utterance is None:
        return None
    return turns.understand(utterance, allowed, CONTEXT)


def outcome(turns: Turns, timeout: float | None) -> str:
    """The disposition, by voice ("meeting booked") or key (1-9); asked again until it is one."""
    turns.reply("list_ask_outcome")
    while True:
        utterance = turns.hear(Expect(Listening.COMMAND), timeout)
        text = utterance.text.strip() if utterance is not None else ""
        if text in plan.KEYS:
            return plan.KEYS[text]
        intent = turns.understand(utterance, ("LeadOutcome",), CONTEXT) if utterance else None
        if intent is not None and intent.slot("disposition"):
            return intent.slot("disposition")
        guess = plan.closest_disposition(text) if utterance and utterance.audio is not None else None
        if guess is not None:  # heard by a free-form engine, near one of the nine: said back, kept
            return guess
        turns.reply("list_outcome_again")
