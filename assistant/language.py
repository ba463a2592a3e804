"""Language as data: the sentence templates, the ways speech strays from them, and the replies, read from
intents/<lang>/*.yaml (hassil's format; `_responses.yaml` holds the replies)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hassil import Intents
from hassil.sample import sample_expression
from hassil.util import merge_dict

from .config import data_path

RESPONSES_FILE = "_responses.yaml"
# Lists of words callbot reads beside hassil's templates (`Speechways`): each entry must be text. YAML reads
# an unquoted on/off/yes/no as true/false, which would quietly drop the word from its list.
WORD_LISTS = (
    "fillers", "repairs", "not_requests", "not_names", "negations", "articles", "topic_lead",
    "carrier_words", "after_name", "frames.before", "frames.after", "frames.compounds",
)  # fmt: skip
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when present: 10x faster


def language_dir(language: str = "en") -> Path:
    path = data_path("intents") / language
    if not path.is_dir():
        raise FileNotFoundError(f"no intents for language {language!r} in {path.parent}")
    return path


def intent_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.name != RESPONSES_FILE)


@functools.cache
def _merged(directory: Path) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in intent_files(directory):
        text = path.read_text(encoding="utf-8")
        data = _read_yaml(path, text) or {}
        _words_only(path, text, data)
        merge_dict(merged, data)
    return merged


def _read_yaml(path: Path, text: str) -> Any:
    """A language file's YAML; one that does not parse is refused naming its file, line and column."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:  # its message names the line and column
        raise ValueError(f"{path}: not valid YAML, mend it: {exc}") from None


def _words_only(path: Path, text: str, data: dict[str, Any]) -> None:
    """Refuse a word list (WORD_LISTS) with an entry that is not text, naming the file, line and key."""
    for key in WORD_LISTS:
        entries: Any = data
        for part in key.split("."):
            entries = entries.get(part) if isinstance(entries, dict) else None
        for at, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, str):
                line = _line_of(text, key, at)
                raise ValueError(
                    f"{path}, line {line}: entry {at + 1} of {key} is {entry!r}, not a word: "
                    f"put it in quotes (YAML reads an unquoted on, off, yes or no as true or false)"
                )


def _line_of(text: str, key: str, at: int) -> int:
    """The line (from 1) of entry `at` of the list `key` ("frames.before") in a YAML document."""
    node: Any = yaml.compose(text, Loader=_Loader)
    for part in key.split("."):
        node = next(v for k, v in node.value if k.value == part)
    return int(node.value[at].start_mark.line) + 1


@functools.cache
def load_intents(directory: Path) -> Intents:
    """The templates of one language directory, read once per process (hassil's own reader, faster)."""
    return Intents.from_dict(_merged(directory))


@dataclass(frozen=True)
class Speechways:
    """How speech strays from the templates: fillers to drop, and words that start a correction."""

    fillers: frozenset[str]
    repairs: tuple[tuple[str, ...], ...]  # longest first
    not_requests: frozenset[tuple[str, ...]]  # before a request, these make it a question or a refusal
    not_names: frozenset[str]  # "him", "somebody": where a name should be, these are none
    before: tuple[tuple[str, ...], ...]  # frames before a request ("could you"), longest first
    after: tuple[tuple[str, ...], ...]  # and after it ("for me please")

    @property
    def long_fillers(self) -> list[str]:
        return [f for f in self.fillers if " " in f]

    digits: frozenset[str]  # number words, which may repeat ("five five")
    carriers: frozenset[str] = frozenset()  # words around a spoken name ("get me Jane on her mobile")
    articles: frozenset[str] = frozenset()  # "the" before a name is no part of it (Whisper's "uh")
    after_name: frozenset[str] = frozenset()  # may start misheard words after a name ("... in his hem")
    negations: frozenset[str] = frozenset()  # words that say not to ("not", "don't"): never a misheard verb
    compounds: tuple[tuple[str, ...], ...] = ()  # end in a frame word, yet one noun: "the follow up"
    topic_lead: frozenset[str] = frozenset()  # words a topic starts with that tell nothing of it ("the")
    verb_words: frozenset[str] = frozenset()  # the words of the templates' call verbs ("get", "hold", "of")

    @staticmethod
    @functools.cache
    def of(directory: Path) -> Speechways:
        merged = _merged(directory)
        repairs = sorted((tuple(r.split()) for r in merged.get("repairs", [])), key=len, reverse=True)
        refusals = frozenset(tuple(w.split()) for w in merged.get("not_requests", []))
        digits = frozenset(
            w
            for phrase in sample_expression(load_intents(directory).expansion_rules["digit"].expression)
            for w in phrase.split()
        )
        intents = load_intents(directory)
        frames = merged.get("frames", {})

        def phrases(rule: str, extra: list[str]) -> tuple[tuple[str, ...], ...]:
            said = (
                set(sample_expression(intents.expansion_rules[rule].expression))
                if rule in intents.expansion_rules
                else set()
            )
            return tuple(
                sorted(
                    {tuple(p.split()) for p in [*said, *extra] if p.split()},
                    key=lambda p: (len(p), p),
                    reverse=True,
                )
            )

        return Speechways(
            frozenset(merged.get("fillers", [])),
            tuple(repairs),
            refusals,
            frozenset(merged.get("not_names", [])),
            phrases("ask", frames.get("before", [])),
            phrases("ask_end", frames.get("after", [])),
            digits,
            frozenset(merged.get("carrier_words", [])),
            frozenset(merged.get("articles", [])),
            frozenset(merged.get("after_name", [])),
            frozenset(merged.get("negations", [])),
            tuple(tuple(c.split()) for c in frames.get("compounds", [])),
            frozenset(merged.get("topic_lead", [])),
            frozenset(
                w
                for rule in ("any_call_verb", "call_verb")
                if rule in intents.expansion_rules
                for phrase in sample_expression(
                    intents.expansion_rules[rule].expression, intents.slot_lists, intents.expansion_rules
                )
                for w in phrase.split()
            ),
        )

    def unframed(self, words: list[str]) -> list[str]:
        """The request without the frames around it ("could you please ... for me")."""
        folded = [w.lower() for w in words]
        start, end = 0, len(words)
        while True:
            frame = next((f for f in self.before if tuple(folded[start : start + len(f)]) == f), None)
            if frame is None or start + len(frame) >= end:
                break
            start += len(frame)
        while True:
            frame = next((f for f in self.after if tuple(folded[end - len(f) : end]) == f), None)
            if frame is None or end - len(frame) <= start or self._compound_ends(folded, end):
                break
            end -= len(frame)
        return words[start:end]

    def _compound_ends(self, folded: list[str], end: int) -> bool:
        """Whether words ending at `end` make one noun whose last word is also a frame ("follow up")."""
        return any(end >= len(c) and tuple(folded[end - len(c) : end]) == c for c in self.compounds)

    def repair_at(self, words: list[str], at: int) -> bool:
        """Whether words that take back what was said ("no", "I mean") start at `at` (words lower-case)."""
        return any(tuple(words[at : at + len(r)]) == r for r in self.repairs)

    def questions(self, words: list[str]) -> bool:
        """Whether these words (said before a request) make it a question or a refusal."""
        folded = [w.lower() for w in words]
        return any(tuple(folded[i : i + len(n)]) == n for n in self.not_requests for i in range(len(folded)))


@functools.cache
def slot_words(slot: str, directory: Path | None = None) -> Mapping[str, str]:
    """Every way the templates' list `slot` is said -> the value it stands for ("mum" -> "mother")."""
    from hassil.intents import TextSlotList
    from hassil.sample import sample_expression

    values = load_intents(directory or language_dir()).slot_lists.get(slot)
    words: dict[str, str] = {}
    for value in values.values if isinstance(values, TextSlotList) else ():
        for phrase in sample_expression(value.text_in):
            words[" ".join(phrase.lower().split())] = str(value.value_out)
    return words


def relation_words(directory: Path | None = None) -> Mapping[str, str]:
    """Every word for a relation ("mum", "boss") -> its canonical name ("mother", "manager")."""
    return slot_words("relation", directory)


@functools.cache
def topic_words(directory: Path | None = None) -> frozenset[str]:
    """The one-word introducers of a topic in the templates ("about", "regarding"): never part of a name."""
    from hassil.intents import SlotList, TextSlotList
    from hassil.sample import sample_expression

    rule = load_intents(directory or language_dir()).expansion_rules.get("topic_part")
    if rule is None:
        return frozenset()
    marker: dict[str, SlotList] = {"topic": TextSlotList.from_strings(["topicwords"])}
    before = (phrase.split("topicwords")[0].split() for phrase in sample_expression(rule.expression, marker))
    return frozenset(words[0] for words in before if len(words) == 1)


def sounds(directory: Path | None = None) -> Mapping[str, tuple[str, ...]]:
    """Pronunciations of command words the recogniser's dictionary lacks, as ARPAbet phones ("mobile" said
    the British way, M OW B AY L): added beside the dictionary's own."""
    said = _merged(directory or language_dir()).get("sounds") or {}
    return {
        str(word).lower(): (phones,) if isinstance(phones, str) else tuple(str(p) for p in phones)
        for word, phones in said.items()
    }


def label_words(directory: Path | None = None) -> Mapping[str, str]:
    """Every word for a number label ("cell phone", "office") -> the label ("mobile", "work")."""
    return slot_words("label", directory)


def canonical_relation(text: str) -> str:
    """A relation as files and people write it ("Mom", "Spouse") in the words the templates use."""
    folded = " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
    return relation_words().get(folded, folded)


class Replies:
    """What callbot says: keyed templates from intents/<lang>/_responses.yaml."""

    def __init__(self, directory: Path | None = None):
        path = (directory or language_dir()) / RESPONSES_FILE
        self.templates: dict[str, str] = _read_yaml(path, path.read_text(encoding="utf-8"))["responses"]

    def __call__(self, key: str, **values: object) -> str:
        return self.templates[key].format(**values)
