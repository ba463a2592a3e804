"""Typed or transcribed text -> Intent, by hassil over the sentence templates (language.py reads them)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from hassil import recognize_all
from hassil.models import MatchEntity

from .language import Speechways, language_dir, load_intents, topic_words
from .models import Intent

_DIGITS = re.compile(r"(?<=\d)[\s().-]+(?=\d)")


class IntentParser:
    """Typed or transcribed text -> the best matching Intent, or None (never a guess)."""

    def __init__(self, directory: Path | None = None):
        self.directory = directory or language_dir()
        self.intents = load_intents(self.directory)
        self.ways = Speechways.of(self.directory)
        self._cache: dict[Any, tuple[tuple[int, int, int], Intent] | None] = {}

    @property
    def names(self) -> list[str]:
        return sorted(self.intents.intents)

    def parse(
        self,
        text: str,
        *,
        allowed: Iterable[str] | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> Intent | None:
        """The intent with the most matched template words among `allowed`; ties go to fewer wildcards.

        Fillers ("uh") are dropped first; a correction mid-sentence ("call Jane, no, Jen Park") is applied.
        """
        prepared = prepare(text, self.ways)
        if not prepared:
            return None
        allowed_set = set(allowed) if allowed is not None else None
        repaired = self._repaired(prepared, allowed_set, context)
        if repaired is not None:
            return Intent(repaired.name, repaired.slots, text=text)
        intent = self._match(prepared, allowed_set, context) or self._after_lead_in(
            prepared, allowed_set, context
        )
        if intent is None or self._corrected_away(intent):
            return None
        return Intent(intent.name, intent.slots, text=text)

    def _corrected_away(self, intent: Intent) -> bool:
        """A name that holds a correction nobody could apply ("Kenji Sato, I mean <mumble>"): the user took
        the first name back, so it is no longer the request."""
        for slot in _NAME_SLOTS & set(intent.slots):
            words = tuple(str(intent.slots[slot]).lower().split())
            for marker in self.ways.repairs:
                if any(words[i : i + len(marker)] == marker for i in range(1, len(words))):
                    return True
        return False

    def _nameish(self, value: str) -> bool:
        if not re.search(r"[^\W\d_]", value) or re.search(r"\d", value):
            return False
        words = value.lower().split()
        if " ".join(words) in self.ways.not_names or words[0] in self.ways.not_names:
            return False
        if not topic_words(self.directory).isdisjoint(words):  # "grace okafor about the" + "work"
            return False
        if all(w in self.ways.digits for w in words) or any(w.endswith("n't") for w in words):
            return False  # "phone four one five ...", "i don't want to call my brother"
        return not self.ways.questions(words[:1])

    def _after_lead_in(
        self, prepared: str, allowed: set[str] | None, context: Mapping[str, Any] | None
    ) -> Intent | None:
        """ "ok so next one, call Jane": a request after words that are neither a question nor a refusal."""
        words = prepared.split()
        for at in range(1, len(words)):
            if self.ways.questions(words[:at]):
                return None
            intent = self._match(" ".join(words[at:]), allowed, context)
            if intent is not None and intent.name in LEAD_IN_OK and len(words) - at > 1:
                return intent
        return None

    def _match(
        self, prepared: str, allowed: set[str] | None, context: Mapping[str, Any] | None
    ) -> Intent | None:
        """The best match of the words as they are, or without their frames ("could you ... for me")."""
        words = prepared.split()
        bare = self.ways.unframed(words)
        whole = self._ranked(prepared, allowed, context)
        if len(bare) == len(words):
            return whole[1] if whole else None
        inner = self._ranked(" ".join(bare), allowed, context, credit=len(words) - len(bare))
        best = max((r for r in (inner, whole) if r is not None), key=lambda r: r[0], default=None)
        return best[1] if best else None

    def _ranked(
        self, prepared: str, allowed: set[str] | None, context: Mapping[str, Any] | None, credit: int = 0
    ) -> tuple[tuple[int, int, int], Intent] | None:
        key = (
            prepared,
            frozenset(allowed) if allowed is not None else None,
            tuple(sorted((context or {}).items())),
        )
        if key not in self._cache:
            if len(self._cache) > 2048:
                self._cache.clear()
            self._cache[key] = self._recognized(prepared, allowed, context)
        found = self._cache[key]
        return ((found[0][0] + credit, *found[0][1:]), found[1]) if found else None

    def _recognized(
        self, prepared: str, allowed: set[str] | None, context: Mapping[str, Any] | None
    ) -> tuple[tuple[int, int, int], Intent] | None:
        best: tuple[tuple[int, int, int], Any] | None = None
        # A context is always given, so templates that need another one (Choose: "which one?") are skipped.
        for result in recognize_all(prepared, self.intents, intent_context=dict(context or NO_CONTEXT)):
            if allowed is not None and result.intent.name not in allowed:
                continue
            if not all(_whole_words(prepared, e) for e in result.entities_list):
                continue  # "call my br|other": a list value inside a word
            wildcards = [e for e in result.entities_list if e.is_wildcard]
            if any(e.name in _NAME_SLOTS and not self._nameish(_slot_value(e)) for e in wildcards):
                continue  # "call 415 ... extension 12", "ring him back", "what's my mom's cell"
            # Most words matched by the template itself rather than by a wildcard; then fewer wildcards.
            free = sum(len(_slot_value(e).split()) for e in wildcards)
            rank = (
                len(prepared.split()) - free,
                -len(wildcards),
                -sum(len(_slot_value(e)) for e in wildcards),
            )
            if best is None or rank > best[0]:
                best = (rank, result)
        if best is None:
            return None
        result = best[1]
        slots = {e.name: _slot_value(e) for e in result.entities_list}
        for slot in _NAME_SLOTS & set(slots):
            words = slots[slot].split()
            while len(words) > 1 and words[0].lower() in self.ways.articles:
                words = words[1:]
            slots[slot] = " ".join(words)
        return best[0], Intent(result.intent.name, {k: v for k, v in slots.items() if v}, text=prepared)

    def _repaired(
        self, prepared: str, allowed: set[str] | None, context: Mapping[str, Any] | None
    ) -> Intent | None:
        """ "call jane no jen park": the request with the words after the correction in place of the part
        they correct (the name, unless they start like another part: "no, about the invoice")."""
        words = prepared.split()
        for at in range(len(words) - 1, 0, -1):
            said = tuple(w.lower() for w in words[at : at + 3])
            marker = next((m for m in self.ways.repairs if said[: len(m)] == m), None)
            if marker is None:
                continue
            left, right = words[:at], words[at + len(marker) :]
            if not right:
                continue
            alone = self._match(" ".join(right), allowed, context)
            if alone is not None and alone.name != "Correct" and (alone.slots or len(right) > 1):
                return alone
            base = self._match(" ".join(left), allowed, context)
            if base is None:
                continue
            for joint in ([], ["on"]):  # "call jane, sorry, her cell": more of the same request
                longer = self._match(" ".join([*left, *joint, *right]), allowed, context)
                if (
                    longer is not None
                    and longer.name == base.name
                    and set(longer.slots) > set(base.slots)
                    and all(longer.slots[k] == v for k, v in base.slots.items())
                ):
                    return longer
            for slot in sorted(base.slots, key=lambda s: (right[0] not in _before(left, base.slots[s]), s)):
                fixed = _replace(left, base.slots[slot], right)
                intent = self._match(" ".join(fixed), allowed, context) if fixed else None
                if intent is not None and intent.name == base.name and intent.slots.get(slot):
                    return intent
        return None


# Requests that may follow chatter; an answer ("yes") after chatter is not one.
NO_CONTEXT = {"dialog": "command"}
LEAD_IN_OK = frozenset({"CallContact", "CallNumber", "MakeCall", "CallANumber"})

# Slots that name a person: never digits, a pronoun or a question.
_NAME_SLOTS = frozenset({"contact", "name"})


def _whole_words(text: str, entity: MatchEntity) -> bool:
    if entity.text_span is None:
        return True
    start, end = entity.text_span
    piece = text[start:end]
    start += len(piece) - len(piece.lstrip())
    end -= len(piece) - len(piece.rstrip())
    return not (start > 0 and text[start - 1].isalnum()) and not (end < len(text) and text[end].isalnum())


def _before(words: list[str], value: str) -> set[str]:
    """The word just before a slot's value in the sentence."""
    at = _find(words, value.split())
    return {words[at - 1]} if at and at > 0 else set()


def _find(words: list[str], part: list[str]) -> int | None:
    folded = [w.lower() for w in words]
    wanted = [w.lower() for w in part]
    for i in range(len(words) - len(part), -1, -1):
        if folded[i : i + len(part)] == wanted:
            return i
    return None


def _replace(words: list[str], value: str, correction: list[str]) -> list[str] | None:
    """The sentence with a slot's value replaced by the correction (minus a repeated leading word)."""
    at = _find(words, value.split())
    if at is None:
        return None
    if at > 0 and correction[0] == words[at - 1]:
        correction = correction[1:]
    return [*words[:at], *correction, *words[at + len(value.split()) :]] if correction else None


def prepare(text: str, ways: Speechways | None = None) -> str:
    """Text as the templates expect it: digits spelt one by one ("415-555" -> "4 1 5 5 5 5"), "+" as plus,
    a possessive glued to its word ("jane 's" -> "jane's"), without fillers and commas."""
    text = " ".join(text.replace("’", "'").split())
    text = re.sub(r"\((?=\d)|(?<=\d)\)", " ", text)  # "(415) 555" -> " 415  555"
    text = _DIGITS.sub("", text)
    text = re.sub(r"\+(?=\s*\d)", " plus ", text)
    text = re.sub(r"(?<=\d)(?=\d)", " ", text)
    text = re.sub(r"(?<=\w) 's\b", "'s", text)  # a recogniser's "jane 's mobile"
    text = re.sub(r"[,;!?]+", " ", text)
    if ways is not None:
        for filler in ways.long_fillers:  # "call, er, what's his name, Patrick": a phrase said while thinking
            text = re.sub(rf"(?<!\w){re.escape(filler)}(?!\w)", " ", text, flags=re.I)
    words: list[str] = []
    for word in text.split():
        bare = word.strip(" .:").lower()
        if ways is not None and bare in ways.fillers:
            continue
        if ways is not None and words and bare == words[-1].lower() and bare not in ways.digits:
            continue  # "call the the wife": a stammer, not a word twice
        words.append(word)
    return " ".join(" ".join(words).strip(" .").split())


def _slot_value(entity: MatchEntity) -> str:
    value = entity.value if entity.value is not None else entity.text
    return " ".join(str(value).strip(" .!?,;:").split())
