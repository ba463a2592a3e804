"""Pronunciations for words the recogniser's dictionary lacks (Siobhan, Nguyen, Wojciech ...).

espeak-ng spells a word as phoneme mnemonics (`espeak-ng -x --sep=_`); we map them onto the 39 ARPAbet
phones of pocketsphinx's en-us model. One espeak-ng process serves a whole batch of words.
"""

from __future__ import annotations

import bisect
import functools
import re
import shutil
import subprocess
from collections.abc import Iterable

from ..errors import SpeechError

# espeak-ng en-us mnemonic -> ARPAbet phones ([] drops a marker)
ESPEAK_TO_ARPABET: dict[str, list[str]] = {
    # vowels and diphthongs
    "a": ["AE"], "aa": ["AE"], "a#": ["AH"], "a2": ["AH"], "A:": ["AA"], "A@": ["AA", "R"], "A": ["AA"],
    "0": ["AA"], "0#": ["AA"], "@": ["AH"], "@2": ["AH"], "@5": ["AH"], "@-": ["AH"], "V": ["AH"],
    "@L": ["AH", "L"], "@r": ["ER"], "3": ["ER"], "3:": ["ER"], "3:r": ["ER"], "E": ["EH"], "E2": ["EH"],
    "E3": ["EH"], "e": ["EY"], "e@": ["EH", "R"], "eI": ["EY"], "I": ["IH"], "I2": ["IH"], "I#": ["IH"],
    "I2#": ["IH"], "i": ["IY"], "i:": ["IY"], "i@": ["IY", "AH"], "i@3": ["IH", "R"], "O": ["AO"],
    "O:": ["AO"], "O2": ["AO"], "O@": ["AO", "R"], "o@": ["AO", "R"], "o": ["OW"], "oU": ["OW"],
    "oU#": ["OW"], "OI": ["OY"], "u": ["UW"], "u:": ["UW"], "U": ["UH"], "U@": ["UH", "R"], "aI": ["AY"],
    "aI@": ["AY", "ER"], "aI3": ["AY", "ER"], "aU": ["AW"], "aU@": ["AW", "ER"], "y": ["UW"], "Y": ["UW"],
    "W": ["UW"],
    # consonants
    "p": ["P"], "b": ["B"], "t": ["T"], "t#": ["T"], "t2": ["T"], "?": ["T"], "d": ["D"], "d#": ["D"],
    "k": ["K"], "g": ["G"], "x": ["K"], "C": ["HH"], "f": ["F"], "v": ["V"], "T": ["TH"], "D": ["DH"],
    "s": ["S"], "z": ["Z"], "S": ["SH"], "Z": ["ZH"], "h": ["HH"], "tS": ["CH"], "dZ": ["JH"],
    "ts": ["T", "S"], "dz": ["D", "Z"], "m": ["M"], "n": ["N"], "N": ["NG"], "n-": ["AH", "N"],
    "m-": ["AH", "M"], "l-": ["AH", "L"], "l": ["L"], "l/": ["L"], "r": ["R"], "r-": [], "j": ["Y"],
    "w": ["W"], "R": ["R"], "z/": ["Z"], "s/": ["S"],
    # markers
    ";": [], "|": [], "": [],
}  # fmt: skip
_STRESS = re.compile(r"^[',%=]+")


def arpabet(espeak_line: str) -> list[str]:
    """ARPAbet phones for one line of `espeak-ng -x --sep=_` output; unknown mnemonics are dropped."""
    phones: list[str] = []
    for word in espeak_line.split():
        for mnemonic in word.split("_"):
            mnemonic = _STRESS.sub("", mnemonic).rstrip("'")
            mapped = ESPEAK_TO_ARPABET.get(mnemonic)
            if mapped is None:
                mapped = ESPEAK_TO_ARPABET.get(mnemonic[:-1], [])  # an unknown diacritic suffix
            phones.extend(mapped)
    out: list[str] = []
    for phone in phones:
        if not (phone == "R" and out and out[-1] == "ER"):  # "ER R" is one rhotic vowel
            out.append(phone)
    return out


def guess(words: Iterable[str], voice: str = "en-us") -> dict[str, str]:
    """{word: "PH PH ..."} from espeak-ng, in one process for the whole batch."""
    words = [w.lower() for w in dict.fromkeys(words) if w.strip()]
    if not words:
        return {}
    if shutil.which("espeak-ng") is None:
        raise SpeechError(
            f"espeak-ng is needed to pronounce names the dictionary lacks ({', '.join(words[:5])}); "
            "install it (apt-get install espeak-ng)"
        )
    text = "".join(f"{w}.\n" for w in words)
    result = subprocess.run(
        ["espeak-ng", "-v", voice, "-q", "-x", "--sep=_"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [ln for ln in result.stdout.splitlines() if ln.strip()]
    if result.returncode != 0 or len(lines) != len(words):  # rare: fall back to one word at a time
        lines = [
            subprocess.run(
                ["espeak-ng", "-v", voice, "-q", "-x", "--sep=_", w],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
            for w in words
        ]
    out = {}
    for word, line in zip(words, lines, strict=True):
        phones = arpabet(line)
        if phones:
            out[word] = " ".join(phones)
    return out


class Pronouncer:
    """How names sound: the recogniser's own dictionary (CMUdict, every variant), and espeak-ng's guess for
    the words it lacks. The dictionary is read once, on first use, and looked up by halving: it is sorted by
    word, so a word's lines are found without making a table of its 135,000 (0.3 s at every start)."""

    def __init__(self, dictionary: str | None = None):
        """`dictionary`: a pronunciation dictionary sorted by word, as pocketsphinx's CMUdict is."""
        self._path = dictionary
        self._lines: list[str] | None = None
        self._known: dict[str, list[str]] = {}
        self._guessed: dict[str, str] = {}

    def _read(self) -> list[str]:
        if self._lines is None:
            path = self._path
            if path is None:
                from .sphinx import dictionary_path

                path = dictionary_path()
            with open(path, encoding="utf-8") as fh:
                self._lines = list(filter(None, fh.read().split("\n")))
        return self._lines

    def _lookup(self, word: str) -> list[str]:
        """The dictionary's pronunciations of `word` ("jon", "jon(2)" ...), [] if it has none."""
        if word not in self._known:
            lines = self._read()
            at = bisect.bisect_left(lines, word, key=_headword)
            found = []
            while at < len(lines) and _headword(lines[at]) == word:
                found.append(lines[at].partition(" ")[2].strip())
                at += 1
            self._known[word] = found
        return self._known[word]

    def words(self, words: Iterable[str]) -> dict[str, list[str]]:
        """Every pronunciation of each word (lower case); espeak-ng's guess where the dictionary has none."""
        wanted = [w.lower() for w in dict.fromkeys(words) if w.strip()]
        missing = [w for w in wanted if not self._lookup(w) and w not in self._guessed]
        if missing:
            self._guessed.update(guess(missing))
        return {w: self._lookup(w) or ([self._guessed[w]] if w in self._guessed else []) for w in wanted}

    def names(self, names: Iterable[str]) -> dict[str, frozenset[str]]:
        """{name: its pronunciations as phone strings}, names as folded words ("jon reid")."""
        names = list(dict.fromkeys(names))
        sounds = self.words(w for name in names for w in name.split())
        out: dict[str, frozenset[str]] = {}
        for name in names:
            variants = [""]
            for word in name.split():
                options = sounds.get(word) or []
                if not options:
                    variants = []
                    break
                variants = [f"{v} {o}".strip() for v in variants for o in options[:3]][:16]
            out[name] = frozenset(variants)
        return out


def _headword(line: str) -> str:
    """The word a dictionary line pronounces: "jon(2) JH AA N" -> "jon"."""
    return line.partition(" ")[0].partition("(")[0]


@functools.cache
def shared() -> Pronouncer:
    """One Pronouncer for the process: its dictionary is read once."""
    return Pronouncer()
