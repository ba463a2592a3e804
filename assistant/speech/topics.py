"""Free topics in spoken commands. A grammar holds only the topics it was given, so it approximates any
other ("about the kickoff agenda" decoded as "about the contract at their home"); the words of a topic come
from a free-form recogniser's reading of the same audio instead, and what the grammar put after "about"
(its nearest topic, a number label nobody said) is dropped. Configured topics stay a hint: they are in the
free-form recogniser's prompt and the grammar, and a free-form reading that says one in other words ("about
order", "about to the order") is read as it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from hassil import Intents
from hassil.intents import SlotList, TextSlotList
from hassil.sample import sample_expression
from rapidfuzz import fuzz, process

from ..contacts.names import fold
from ..language import Speechways, language_dir

# How alike (rapidfuzz ratio) the grammar's topic and the free-form reading's must be for the grammar's to
# stand: "the contract" / "the contracts" yes, "the contract" / "the kickoff agenda" no.
SAME_TOPIC = 75
# How alike (rapidfuzz ratio, leading "the"/"to" left out) a free-form reading's topic and a configured one
# must be to be read as it: "order" / "the order" yes, "the payload change" / "the payment" no. Chosen by
# replaying the clean topic commands of dev seed 7 and held-out seeds 89, 97: 3 more topics right, none lost.
KNOWN_TOPIC = 85


class Parser(Protocol):
    def parse(self, text: str) -> Any: ...


class Topics:
    """Where a topic starts in a command, and its words from another reading."""

    def __init__(self, intents: Intents, parser: Parser, known: Sequence[str] = ()):
        """`known`: the configured topics (and those of past calls)."""
        self.parser = parser
        self.lead = Speechways.of(language_dir()).topic_lead
        self.known = {gist: t for t in known if (gist := self._gist(t))}
        said: set[str] = set()
        marker: dict[str, SlotList] = {"topic": TextSlotList.from_strings(["topicwords"])}
        for rule in ("topic_part", "any_topic_part"):
            if rule in intents.expansion_rules:
                for phrase in sample_expression(intents.expansion_rules[rule].expression, marker, {}):
                    said.add(" ".join(phrase.replace("topicwords", "").split()))
        for intent in intents.intents.values():  # an intent's own topic rule ("about" or "regarding")
            for data in intent.data:
                own = data.expansion_rules.get("topic_part")
                if own is not None:
                    for phrase in sample_expression(own.expression, marker, {}):
                        said.add(" ".join(phrase.replace("topicwords", "").split()))
        self.starts = sorted((s for s in said if s), key=len, reverse=True)  # "to talk about", "about"
        # The words a topic follows in what the grammar hears ("about", "regarding"; not the typed-only
        # "to check on": "on" starts a number label).
        self.introducers = frozenset(w for w in voice_introducers(intents) if w)

    def fill(self, text: str, free_from: int | None, heard: str, *, fits: bool = False) -> tuple[str, str]:
        """(the grammar's reading up to its topic then the topic `heard` names, `heard` being another
        engine's reading of the same audio; that topic). The grammar's own topic stands where the other
        reading says much the same (a configured topic, which the grammar hears better); a label the grammar
        put after it stays only if the other reading has it too. Without a topic in `heard`, the grammar's
        reading as it is. `fits`: the grammar's topic fitted the audio well (one of the configured topics,
        said), and stands unless the other reading says another configured topic."""
        words = text.split()
        if free_from is None or not 0 < free_from <= len(words):
            return text, ""
        topic = self.topic_of(heard)
        if not topic:
            return text, ""
        own = self.parser.parse(text)
        own_topic = own.slot("topic") if own is not None and hasattr(own, "slot") else ""
        known = self.known_as(topic)
        if own_topic and (
            known == self.known.get(self._gist(own_topic))
            if known
            else fits or fuzz.ratio(fold(own_topic), fold(topic)) >= SAME_TOPIC
        ):
            topic = " ".join(words[free_from : free_from + len(own_topic.split())])
        elif known:
            topic = known
        rest = words[free_from + len(own_topic.split()) :] if own_topic else []
        other = self.parser.parse(heard)
        label = own.slot("label") if own is not None and hasattr(own, "slot") else ""
        keep = bool(rest) and bool(label) and other is not None and other.slot("label") == label
        return " ".join([*words[:free_from], topic, *(rest if keep else [])]), topic

    def carry(self, text: str, heard: str) -> str:
        """`text`, a reading without a topic, with the topic `heard` names (another engine's reading of the
        same audio, meaning the same call): "please call lena fischer" + "I need to call Lena Fischer to
        discuss the server migration." The grammar, hearing no topic, had made a company of it."""
        topic = self.topic_of(heard)
        return f"{text} about {self.known_as(topic) or topic}" if topic else text

    def known_as(self, topic: str) -> str | None:
        """The configured topic these words say ("order", "to the order": "the order"), if one."""
        gist = self._gist(topic)
        if not gist or not self.known:
            return None
        found = process.extractOne(gist, self.known.keys(), scorer=fuzz.ratio, score_cutoff=KNOWN_TOPIC)
        return self.known[found[0]] if found else None

    def _gist(self, topic: str) -> str:
        """A topic's words without those it starts with that tell nothing ("the", "this", "to")."""
        words = fold(topic).split()
        while words and words[0] in self.lead:
            words = words[1:]
        return " ".join(words)

    def topic_of(self, heard: str) -> str:
        """The topic of a free-form reading: its parse's, or what follows the last "about"/"regarding"."""
        if not heard.strip():
            return ""
        intent = self.parser.parse(heard)
        topic = intent.slot("topic") if intent is not None and hasattr(intent, "slot") else ""
        if not topic:
            folded = f" {fold(heard)} "
            for start in self.starts:
                at = folded.rfind(f" {start} ")
                if at >= 0:
                    topic = folded[at + len(start) + 2 :]
                    break
        return " ".join(re.sub(r"[^\w'\s-]", " ", topic.lower()).split())


def voice_introducers(intents: Intents) -> set[str]:
    """The word before {topic} in each spoken (grammar) template's topic rule."""
    marker: dict[str, SlotList] = {"topic": TextSlotList.from_strings(["topicwords"])}
    found: set[str] = set()
    for intent in intents.intents.values():
        for data in intent.data:
            if (data.metadata or {}).get("voice") is False:
                continue
            rule = data.expansion_rules.get("topic_part")
            if rule is None:
                continue
            for phrase in sample_expression(rule.expression, marker, {}):
                before = phrase.split("topicwords")[0].split()
                if before:
                    found.add(before[-1])
    return found
