"""Contacts whose names sound the same: Jon Reid and John Reed, Catherine and Kathryn, Thompson and Thomson.

No recogniser can tell them apart by sound, so a name *heard* (not typed) that is one of them names them
all, and the dialog asks which one. Two names are the same to the ear when a pronunciation of one equals a
pronunciation of the other, or does after one weak sound is left out ("Thom(p)son", "Cathe(r)ine"): the
recogniser's own dictionary and its generated pronunciations decide, not the spelling.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ..models import Action, Candidate, Contact, Resolution
from .labels import canonical_label, pick_number
from .names import fold, phonetic_keys

# Sounds a speaker drops or a listener does not hear inside a name: a pronunciation without one of them is
# the same name ("Thom(p)son", "Cathe(r)ine"). Not the first sound: "Hannah" is not "Ana", and Whisper
# hears which.
WEAK = frozenset({"P", "T", "D", "K", "HH", "AH", "IH", "Y", "R"})

LABEL_LIKE = 80.0  # a misheard word this close to a label's word, in spelling or in sound, is taken for it

Pronounce = Callable[[Iterable[str]], Mapping[str, Iterable[str]]]  # folded names -> phone strings


def _keys(phones: str) -> set[str]:
    """A pronunciation and its forms with one weak sound after the first left out."""
    parts = phones.split()
    keys = {phones}
    for i, phone in enumerate(parts):
        if i > 0 and phone in WEAK and len(parts) > 3:
            keys.add(" ".join(parts[:i] + parts[i + 1 :]))
    return keys


class SoundAlikes:
    """Which contacts' full names sound like which others', for one contact book."""

    def __init__(self, contacts: Iterable[Contact], pronounce: Pronounce):
        people = [c for c in contacts if fold(c.name)]
        sounds = pronounce(fold(c.name) for c in people)
        by_key: dict[str, set[int]] = defaultdict(set)
        for i, contact in enumerate(people):
            for phones in sounds.get(fold(contact.name), ()):
                for key in _keys(phones):
                    by_key[key].add(i)
        alike: dict[int, set[int]] = defaultdict(set)
        for group in by_key.values():
            if len(group) > 1:
                for i in group:
                    alike[i] |= group - {i}
        self._people = people
        self._alike = {
            people[i].name: tuple(people[j] for j in sorted(others)) for i, others in alike.items()
        }
        # each word of a name, for a name heard in part ("call John": Jon Park as well as John Reed)
        words = {w for c in people for w in fold(c.name).split()}
        self._pronounce = pronounce
        self._word_sounds = {w: {k for p in ps for k in _keys(p)} for w, ps in pronounce(words).items()}
        self._by_word: dict[str, set[int]] = defaultdict(set)
        for i, contact in enumerate(people):
            for word in fold(contact.name).split():
                self._by_word[word].add(i)

    def of(self, contact: Contact) -> tuple[Contact, ...]:
        """The other contacts whose names sound like this one's (none for most)."""
        return tuple(c for c in self._alike.get(contact.name, ()) if c != contact)

    def heard_as(self, contact: Contact, said: list[str]) -> tuple[Contact, ...]:
        """The other contacts the words said for this one could name by their sound: those whose names
        sound like theirs, and for a name heard in part ("call John") those with a word like it."""
        twins = self.of(contact)
        if len(said) == 1 and len(fold(contact.name).split()) > 1:
            twins = (*twins, *(c for c in self.saying(said[0]) if c != contact and c not in twins))
        return twins

    def saying(self, word: str) -> tuple[Contact, ...]:
        """The contacts with a word in their name that sounds like this one ("john": Jon Park, John Reed)."""
        heard = fold(word)
        keys = self._word_sounds.get(heard)
        if keys is None:
            keys = {k for p in self._pronounce([heard]).get(heard, ()) for k in _keys(p)}
        found = {i for w, sounds in self._word_sounds.items() if sounds & keys for i in self._by_word[w]}
        return tuple(self._people[i] for i in sorted(found))

    def groups(self) -> list[tuple[Contact, ...]]:
        """Every set of contacts that sound alike, for `callbot contacts check`."""
        seen: set[str] = set()
        out = []
        for contact in self._people:
            if contact.name in seen or contact.name not in self._alike:
                continue
            group = (contact, *self._alike[contact.name])
            seen.update(c.name for c in group)
            out.append(group)
        return out


def settled(resolution: Resolution, alikes: SoundAlikes, *, company: str = "", label: str = "") -> Resolution:
    """A heard name that sounds like several contacts names them all, unless the command itself tells them
    apart: a company or a number label only one of them has, or an alias or relation that is only theirs."""
    if resolution.action == Action.ASK:
        extra = [a for c in resolution.candidates for a in alikes.of(c.contact)]
        known = {c.contact.name for c in resolution.candidates}
        added = [Candidate(a, 0.0, "sound-alike") for a in dict.fromkeys(extra) if a.name not in known]
        return replace(resolution, candidates=(*resolution.candidates, *added)) if added else resolution
    contact = resolution.contact
    if resolution.action != Action.DIAL or contact is None:
        return resolution
    twins = alikes.heard_as(contact, fold(resolution.query).split())
    top = resolution.candidates[0] if resolution.candidates else None
    if not twins or (top is not None and top.matched in ("alias", "learned alias", "relation", "picked")):
        return resolution
    group = (contact, *twins)
    for test in (_at(company), _has(canonical_label(label) if label else "")):
        fits = [c for c in group if test(c)]
        if len(fits) == 1:
            return resolution if fits[0] == contact else _only(resolution, fits[0], label)
    return Resolution(
        Action.ASK,
        resolution.query,
        tuple(
            Candidate(c, resolution.candidates[0].score if resolution.candidates else 0.0, "sound-alike")
            for c in group
        ),
        reason="sound-alike",
        label_requested=resolution.label_requested,
    )


def _at(company: str) -> Callable[[Contact], bool]:
    wanted = fold(company)
    return lambda c: bool(wanted) and fuzz.WRatio(wanted, fold(c.company)) >= 90


def _has(label: str) -> Callable[[Contact], bool]:
    return lambda c: bool(label) and c.number(label) is not None


def _only(resolution: Resolution, contact: Contact, label: str) -> Resolution:
    """The same call, to the one twin the command described."""
    number, guessed, missing = pick_number(contact, label)
    return replace(resolution, contact=contact, number=number, label_guessed=guessed, label_missing=missing)


def label_sounding_like(words: Iterable[str]) -> str:
    """The number label misheard words most likely were ("hem": home, "mebail": mobile; by spelling or by
    Metaphone key), or "" when none is close. Words under three letters are too short to tell."""
    from ..language import label_words

    best, label = LABEL_LIKE, ""
    for word in (fold(w) for w in words):
        keys = phonetic_keys(word)
        if len(word) < 3 or not keys:
            continue
        for spoken, value in label_words().items():
            if " " in spoken:
                continue
            score = max(fuzz.ratio(word, spoken), fuzz.ratio(keys[0], phonetic_keys(spoken)[0]))
            if score >= best:
                best, label = score, value
    return label


def sounds_like_one_of(word: str, words: frozenset[str]) -> bool:
    """Whether a word is one of `words` or sounds like one: the same Metaphone key, or one letter off a key
    of three letters or more ("gold" for "hold")."""
    said = word.lower()
    key = (phonetic_keys(said) or ("",))[0]
    return said in words or any(
        k == key or (len(key) > 2 and Levenshtein.distance(k, key) <= 1) for k in _first_keys(words)
    )


@functools.cache
def _first_keys(words: frozenset[str]) -> frozenset[str]:
    return frozenset((phonetic_keys(w) or ("",))[0] for w in words)


def spelled_alike(one: str, other: str) -> float:
    """How alike two words are spelled, 0..100 (rapidfuzz's ratio: "jonson", "johnson" 92)."""
    return fuzz.ratio(one, other)


def sentences_alike(one: str, other: str) -> float:
    """How alike two sentences sound, 0..1: their words' Metaphone keys run together and compared as strings.
    A recogniser that misheard a sentence still writes much of its sound ("Call Begged in Pipscu and their
    Mebail." for "call bogdan popescu on their mobile"); one that heard another sentence does not."""
    keys = [
        "".join(k[0] for k in (phonetic_keys(w) for w in fold(text).split()) if k) for text in (one, other)
    ]
    return fuzz.ratio(*keys) / 100 if all(keys) else 0.0


def sound_similarity(one: str, other: str, pronounce: Pronounce) -> float:
    """How alike two words sound, 0..1: the best edit similarity of their phone sequences over every
    pronunciation of each ("tom", "jon": 0.33; "mario", "maria": 0.5); 0 when either has none."""
    sounds = pronounce([one, other])
    return max(
        (
            Levenshtein.normalized_similarity(a.split(), b.split())
            for a in sounds.get(one, ())
            for b in sounds.get(other, ())
        ),
        default=0.0,
    )
