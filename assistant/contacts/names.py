"""How names are compared: normalised tokens, phonetic keys and nickname relations."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

import jellyfish
from anyascii import anyascii

_NON_WORD = re.compile(r"[^a-z0-9 ]+")
_APOSTROPHES = re.compile(r"['’`]")
# Words people say around a name that are not part of it.
_FILLER = frozenset({"mr", "mrs", "ms", "miss", "dr", "doctor", "prof", "professor", "sir", "madam"})


def fold(text: str) -> str:
    """Lower-case ASCII without apostrophes, punctuation as spaces: "Ó Briain-Núñez" -> "o briain nunez"."""
    text = anyascii(unicodedata.normalize("NFC", text)).lower()
    text = _APOSTROPHES.sub("", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def tokens(text: str) -> tuple[str, ...]:
    return tuple(t for t in fold(text).split() if t not in _FILLER)


@functools.lru_cache(maxsize=200_000)
def phonetic_keys(token: str) -> tuple[str, ...]:
    """Two sound-alike keys (Metaphone, NYSIIS) so spelling variants a recogniser writes still meet."""
    if not token.isalpha():
        return ()
    return (jellyfish.metaphone(token), "n:" + jellyfish.nysiis(token))


@functools.cache
def _dataset() -> Any:
    """The `nicknames` dataset, read once for the process."""
    from nicknames import NickNamer

    return NickNamer()


@functools.cache
def nickname_dataset_names() -> frozenset[str]:
    """Every name the `nicknames` dataset holds, canonical or nickname, lower case."""
    lookup = _dataset().nickname_lookup
    return frozenset(lookup) | {name for nicks in lookup.values() for name in nicks}


class Nicknames:
    """Nickname relations from the `nicknames` dataset (Bob <-> Robert), loaded once on first use."""

    def nicknames_of(self, name: str) -> frozenset[str]:
        """Only the name's own nicknames (Jennifer -> Jen, Jenny), not its relatives."""
        return frozenset(_dataset().nicknames_of(name.lower()))

    def by_way_of_another(self, word: str, name: str) -> bool:
        """Whether `word` stands for `name` only as another name's nickname, both of them (Cassie and Lena,
        both Catherine's): not the name, its nickname, nor the name it is a nickname of."""
        word, name = word.lower(), name.lower()
        namer = _dataset()
        return (
            word != name
            and name in self.related(word)
            and name not in namer.nicknames_of(word) | namer.canonicals_of(word)
        )

    def related(self, name: str) -> frozenset[str]:
        """Names that may stand for `name`: its nicknames, its canonical forms, and their siblings."""
        return self._related(name.lower())

    @functools.lru_cache(maxsize=50_000)  # noqa: B019 - one instance per process
    def _related(self, name: str) -> frozenset[str]:
        namer = _dataset()
        direct = namer.nicknames_of(name) | namer.canonicals_of(name)
        siblings: set[str] = set()
        for canonical in namer.canonicals_of(name):
            siblings |= namer.nicknames_of(canonical)
        return frozenset((direct | siblings) - {name})
