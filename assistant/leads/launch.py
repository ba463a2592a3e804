"""Said to `callbot text` or `callbot listen`, "start the Acme list" or "work my list" works the list
right there, and the session goes on after "stop".

It listens at the ear (a port), before the dialog hears the command, so the session itself stays as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..intents import IntentParser
from ..language import Replies
from ..models import LeadList, Utterance
from ..ports import Ear, Expect, Listening, Voice
from ..understanding import understand


class ListLauncher:
    """The rep's ear, which also hears "work the Acme list" as a command and works that list."""

    def __init__(
        self,
        ear: Ear,
        voice: Voice,
        parser: IntentParser,
        lists: Callable[[], Sequence[LeadList]],
        work: Callable[[str], None],
        say: Replies,
    ):
        self.ear = ear
        self.voice = voice
        self.parser = parser
        self.say = say
        self.lists = lists
        self.work = work  # runs a list session on the same ear and voice until "stop"

    def listen(self, expect: Expect, timeout: float | None = None) -> Utterance | None:
        utterance = self.ear.listen(expect, timeout)
        if utterance is None or expect.mode != Listening.COMMAND:
            return utterance
        intent = understand(utterance, self.parser, ("WorkList",))
        if intent is None:
            return utterance
        self.voice.status("heard", utterance.text)  # the dialog never hears it, so it is shown here
        name = self._which(intent.slot("list"))
        if name is not None:
            self.work(name)
            self.voice.say(self.say("list_back"))
        return None  # the list was worked (or the rep was told why not): nothing left for the dialog

    def _which(self, said: str) -> str | None:
        """The list named, or "my list": the one list, else the newest with leads waiting."""
        lists = list(self.lists())
        if said:
            found = next((x for x in lists if x.name.lower() == said.lower()), None)
            if found is None:
                known = ", ".join(x.name for x in lists)
                self.voice.say(self.say("list_unknown", name=said, lists=known or "none yet"))
            return found.name if found else None
        waiting = [x for x in lists if x.total > x.worked]
        if not waiting:
            self.voice.say(self.say("list_none_waiting"))
            return None
        return max(waiting, key=lambda x: x.created_at).name
