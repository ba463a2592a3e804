"""Whether a word is a common given name or surname at all: a name a recogniser wrote that is in nobody's
book may still be somebody's ("Tom" in "get me Tom Park", said for a stranger beside the contact Jon Park).

The lists: the 1990 US Census's given names and surnames by frequency (public domain; shipped by the `names`
package, MIT), and every name in the `nicknames` dataset (given names the census ranks low, such as Gareth).
Only the census's commonest are taken, so that a misheard ordinary word ("ai", a rare census name) is not
taken for a name; the nicknames dataset's short forms still are ("see", for Seymour).
"""

from __future__ import annotations

import functools

from .names import nickname_dataset_names, phonetic_keys

GIVEN_RANK = 1000  # a given name among the commonest this many of either sex
SURNAME_RANK = 10_000  # a surname among the commonest this many


@functools.cache
def given_names() -> frozenset[str]:
    """Common given names, lower case."""
    import names

    census = _ranked(names.FILES["first:male"], GIVEN_RANK) | _ranked(names.FILES["first:female"], GIVEN_RANK)
    return frozenset(census) | nickname_dataset_names()


def sounds_like_given_name(word: str) -> bool:
    """Whether a folded word is a common given name, or sounds the same as one by both phonetic keys
    ("neena" as Nina)."""
    return len(word) > 2 and (word in given_names() or phonetic_keys(word) in _given_name_keys())


@functools.cache
def _given_name_keys() -> frozenset[tuple[str, ...]]:
    return frozenset(phonetic_keys(name) for name in given_names())


@functools.cache
def surnames() -> frozenset[str]:
    """Common surnames, lower case."""
    import names

    return frozenset(_ranked(names.FILES["last"], SURNAME_RANK))


def _ranked(path: str, first: int) -> set[str]:
    """The commonest `first` names of a census list (one per line, commonest first: "SMITH  1.006 ...")."""
    with open(path, encoding="ascii") as lines:
        return {line.split()[0].lower() for _, line in zip(range(first), lines, strict=False) if line.strip()}
