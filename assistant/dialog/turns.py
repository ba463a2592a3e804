"""Turn-taking: hearing the user and answering, shared by every part of one dialog."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..intents import IntentParser
from ..language import Replies
from ..models import Intent, Utterance
from ..ports import Ear, Expect, Voice
from ..understanding import understand


class Turns:
    """One user's ear and callbot's voice. Something said while callbot waited for another answer (a
    new command instead of "yes") is kept, and is the next thing heard, whichever part listens next."""

    def __init__(
        self,
        ear: Ear,
        voice: Voice,
        *,
        parser: IntentParser,
        replies: Replies,
        min_confidence: float = 0.3,
    ):
        self.ear = ear
        self.voice = voice
        self.parser = parser
        self.say = replies  # key and values -> the words, unsaid
        self.min_confidence = min_confidence
        self.pending: Utterance | None = None

    def reply(self, key: str, **values: Any) -> None:
        self.voice.say(self.say(key, **values))

    def status(self, state: str, detail: str = "") -> None:
        self.voice.status(state, detail)

    def hear(self, expect: Expect, timeout: float | None = None) -> Utterance | None:
        """The next utterance (a kept one first); None on silence or when too unsure to act on."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            return pending
        utterance = self.ear.listen(expect, timeout)
        if utterance is None:
            return None
        transcript = utterance.transcript
        if transcript is not None and transcript.text:
            self.voice.status("heard", transcript.text)
            if transcript.confidence is not None and transcript.confidence < self.min_confidence:
                self.reply("not_sure_heard")
                return None
        return utterance

    def keep(self, utterance: Utterance) -> None:
        """Heard while waiting for something else: the next command."""
        self.pending = utterance

    def understand(
        self, utterance: Utterance, allowed: Sequence[str], context: dict[str, Any] | None = None
    ) -> Intent | None:
        return understand(utterance, self.parser, allowed, context)
