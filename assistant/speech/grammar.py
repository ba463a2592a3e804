"""JSGF grammars for pocketsphinx, generated from the hassil sentence templates and the user's own words.

Each listening state gets its own grammar (commands; "which one?"; yes/no ...), so the recogniser only
chooses among what makes sense at that moment. Wildcard slots (contact, company, topic, name) become the
runtime phrase lists: contact names, nicknames and aliases, companies, known topics.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from hassil import Intents
from hassil.expression import Alternative, Expression, ListReference, Permutation, RuleReference, TextChunk
from hassil.expression import Sequence as Seq
from hassil.intents import TextSlotList
from hassil.sample import sample_expression

from ..contacts.names import fold

VOID = "<VOID>"  # an alternative that cannot be said (digits, free text): dropped

# Lists whose spoken form the grammar writes itself. A phone number is "3 to 15 digits" in the text
# templates; expanded as nested optionals it swamps the decoder and fits any noise, so the grammar takes
# the lengths a dialable number has: 10 digits (area code first) or "plus" and 11-13.
_D = "<rule_digit>"
# Of the skip words, only these may surround a spoken command: the others ("ok", "hey", "can you") fit too
# much stray sound when the grammar may put them anywhere.
GRAMMAR_SKIP_WORDS = ("please",)
GRAMMAR_LISTS = {
    "number": f"({' '.join([_D] * 10)} | plus {' '.join([_D] * 11)} [{_D} [{_D}]])",
}
NULL = "<NULL>"  # nothing at all


def _phrase(text: str, *, name: bool = False) -> str:
    """Dictionary words for template text (keeping "don't", "that's") or for a name ("O'Brien" -> obrien)."""
    if re.search(r"\d", text):
        return VOID  # "1st", "0"-"9": said as words elsewhere in the templates
    words = fold(text).split() if name else re.sub(r"[^a-z']+", " ", text.lower().replace("’", "'")).split()
    return " ".join(w.strip("'") for w in words if w.strip("'")) or NULL


def _alt(options: Iterable[str], optional: bool = False) -> str:
    unique = [o for o in dict.fromkeys(options) if o != VOID]
    real = [o for o in unique if o != NULL]
    if optional or (NULL in unique and real):
        return "[" + " | ".join(real) + "]" if real else NULL
    if not real:
        return VOID
    return real[0] if len(real) == 1 else "(" + " | ".join(real) + ")"


@dataclass(frozen=True)
class Grammar:
    name: str
    jsgf: str
    words: frozenset[str]  # every word it can produce, for the pronunciation check


class GrammarBuilder:
    """Turns the intents of one listening state into a JSGF grammar over the given phrase lists."""

    def __init__(self, intents: Intents):
        self.intents = intents

    def build(
        self, name: str, intent_names: Sequence[str], phrases: Mapping[str, Sequence[str]], prefix: str = ""
    ) -> Grammar:
        """One grammar over these intents; a `prefix` (the wake phrase) must come first, the command after."""
        self._phrases = {k: [p for p in v if p.strip()] for k, v in phrases.items()}
        self._rules: dict[str, str] = {}
        self._lists: dict[str, str] = {}
        alternatives = []
        for intent_name in intent_names:
            intent = self.intents.intents.get(intent_name)
            if intent is None:
                continue
            for data in intent.data:
                if (data.metadata or {}).get("voice") is False:
                    continue  # phrasings for typing only
                self._expansion = {**self.intents.expansion_rules, **data.expansion_rules}
                self._slot_lists = {**self.intents.slot_lists, **data.slot_lists}
                sentences = [self._expr(s.expression) for s in data.sentences]
                for phrase_list in self._phrases:  # within one block of sentences: each keeps its own rules
                    sentences = _share(sentences, f"<{_list_rule(phrase_list)}>")
                alternatives += sentences
        body = _alt(alternatives)
        if body in (VOID, NULL):
            raise ValueError(f"grammar {name!r} has nothing to say")
        skip = _alt(_phrase(w) for w in GRAMMAR_SKIP_WORDS if fold(w) != fold(prefix))
        lines = ["#JSGF V1.0;", f"grammar {re.sub(r'[^a-z0-9_]', '_', name)};"]
        command = f"[<skip>] {_group(body)} [<skip>]" if skip not in (VOID, NULL) else body
        top = f"{_phrase(prefix, name=True)} [{command}]" if prefix else command
        lines.append(f"public <top> = {top};")
        if skip not in (VOID, NULL):
            lines.append(f"<skip> = {skip};")
        lines += [f"<{rule}> = {text};" for rule, text in {**self._rules, **self._lists}.items()]
        jsgf = "\n".join(lines) + "\n"
        return Grammar(name, jsgf, frozenset(_vocabulary(jsgf)))

    def _expr(self, e: Expression) -> str:
        if isinstance(e, TextChunk):
            return _phrase(e.text)
        if isinstance(e, ListReference):
            return self._list(e.list_name)
        if isinstance(e, RuleReference):
            return self._rule(e.rule_name)
        if isinstance(e, Alternative):
            items = e.items
            if e.is_optional:
                items = [i for i in items if not (isinstance(i, TextChunk) and i.is_empty)]
            return _alt((self._expr(i) for i in items), optional=e.is_optional)
        if isinstance(e, Permutation):
            orders = [
                " ".join(p for p in (self._expr(i) for i in perm) if p != NULL)
                for perm in itertools.permutations(e.items)
            ]
            return _alt(o for o in orders if VOID not in o)
        if isinstance(e, Seq):
            parts = [self._cluster(c) for c in _clusters(e.items)]
            if VOID in parts:
                return VOID
            return " ".join(p for p in parts if p != NULL) or NULL
        raise TypeError(f"unknown template expression {e!r}")

    def _rule(self, name: str) -> str:
        rule = "rule_" + re.sub(r"\W", "_", name)
        if rule not in self._rules:
            self._rules[rule] = VOID  # placeholder against recursion
            self._rules[rule] = self._expr(self._expansion[name].expression)
        return VOID if self._rules[rule] == VOID else f"<{rule}>"

    def _list(self, name: str) -> str:
        rule = _list_rule(name)
        if rule not in self._lists:
            if name in GRAMMAR_LISTS:
                self._rule("digit")
                body = GRAMMAR_LISTS[name]
            elif name in self._phrases:
                body = _factored(_phrase(p, name=True) for p in self._phrases[name])
            else:
                slot_list = self._slot_lists.get(name)
                if isinstance(slot_list, TextSlotList):
                    body = _alt(
                        self._expr(v.text_in)
                        for v in slot_list.values
                        if (v.metadata or {}).get("voice") is not False
                    )
                else:
                    body = VOID  # a wildcard with no phrases given: not sayable here
            self._lists[rule] = body
        return VOID if self._lists[rule] == VOID else f"<{rule}>"

    def _cluster(self, cluster: list[Expression]) -> str:
        """Words glued without a space ("{contact}'s", "light[s]") become whole-word alternatives."""
        if len(cluster) == 1:
            return self._expr(cluster[0])
        if any(isinstance(i, ListReference) and i.list_name in self._phrases for i in cluster):
            return VOID  # "jane's": every name twice over is not worth its confusions
        strings = [list(sample_expression(i, dict(self._slot_lists), self._expansion)) for i in cluster]
        return _alt(_phrase("".join(combo)) for combo in itertools.product(*strings))


def _list_rule(name: str) -> str:
    return "list_" + re.sub(r"\W", "_", name)


def _share(sentences: list[str], reference: str) -> list[str]:
    """An intent's sentences that each say a phrase list once become one sentence around one copy of it.

    pocketsphinx copies a list for every place a grammar refers to it, and a book's names are most of a
    grammar's size: "(don't call | put) {contact} (again | on the do not call list)" keeps one copy. The
    merged sentence also admits mixtures ("put Jane Doe again"), which the intent parser then refuses. A copy
    per sentence, without them, was measured and not kept (README, Performance): the decoder did take mixtures
    for names said in phrasings the grammar lacks, but they were also where strangers' names went, and it
    made the grammar slower to load.
    """
    parts = {}
    for sentence in sentences:
        tokens = sentence.split()
        depth, at = 0, []
        for i, token in enumerate(tokens):
            if token == reference and depth == 0:
                at.append(i)
            depth += token.count("(") + token.count("[") - token.count(")") - token.count("]")
        if len(at) == 1:
            parts[sentence] = (" ".join(tokens[: at[0]]) or NULL, " ".join(tokens[at[0] + 1 :]) or NULL)
    if len(parts) < 2:
        return sentences
    before, after = ([p[i] for p in parts.values()] for i in (0, 1))
    merged = " ".join(_alt(part) for part in (before, [reference], after) if any(p != NULL for p in part))
    return [*(s for s in sentences if s not in parts), merged]


def _factored(phrases: Iterable[str]) -> str:
    """The same phrases as `_alt`, written as a tree that shares words: "(jeffrey | jeff) [moreau | smith]".

    pocketsphinx builds decoder state for every word of every alternative; a book's names share most
    of their words (first names above all), so the shared form is several times smaller and faster to load.
    """
    said = [tuple(p.split()) for p in dict.fromkeys(phrases) if p not in (VOID, NULL)]
    if not said:
        return VOID
    return _tree(said) or NULL


def _tree(phrases: Sequence[tuple[str, ...]]) -> str:
    rests: dict[str, list[tuple[str, ...]]] = {}
    for words in phrases:
        if words:
            rests.setdefault(words[0], []).append(words[1:])
    heads: dict[str, list[str]] = {}  # what may follow -> the first words it follows
    for first, after in rests.items():
        heads.setdefault(_tree(after), []).append(first)
    options = sorted(
        " ".join(part for part in (_alt(sorted(firsts)), after) if part) for after, firsts in heads.items()
    )
    if not options:
        return ""
    if any(not words for words in phrases):
        return "[" + " | ".join(options) + "]"
    return options[0] if len(options) == 1 else "(" + " | ".join(options) + ")"


def _group(body: str) -> str:
    return body if body.startswith("(") and body.endswith(")") else f"( {body} )"


def _clusters(items: list[Expression]) -> list[list[Expression]]:
    """Split a template sequence where it has whitespace; pieces with no space between them stay glued."""
    clusters: list[list[Expression]] = [[]]
    for item in items:
        if isinstance(item, TextChunk):
            text = item.text
            if not text.strip():
                if text:
                    clusters.append([])
                continue
            if text[0].isspace():
                clusters.append([])
            for i, piece in enumerate(text.split()):
                if i:
                    clusters.append([])
                clusters[-1].append(TextChunk(piece))
            if text[-1].isspace():
                clusters.append([])
        else:
            clusters[-1].append(item)
    return [c for c in clusters if c]


def _vocabulary(jsgf: str) -> set[str]:
    words: set[str] = set()
    for line in jsgf.splitlines()[2:]:
        body = line.split("=", 1)[1] if "=" in line else ""
        body = re.sub(r"<[^>]+>", " ", body)
        words |= {w for w in re.split(r"[\s()\[\]|;]+", body) if w}
    return words
