"""Who did the user mean? Fuzzy, phonetic and nickname matching over an index of the contact book.

The index maps every name token (given, family, alias, company) to the contacts that carry it, so a query
only scores the contacts that share a token, a nickname or a sound with it: fast at 100k contacts.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..models import Action, Candidate, Contact, Resolution
from .common import sounds_like_given_name
from .companies import Companies
from .labels import canonical_label, pick_number
from .names import Nicknames, fold, phonetic_keys, tokens
from .relations import Relations

# Token scores (0-100) for the ways a heard word can meet a name word.
EXACT = 100.0
NICKNAME = 92.0
LEARNED = 104.0  # an alias the user taught us beats every other reading
FUZZY_CUTOFF = 72.0
WHOLE_WEIGHT = 0.1  # the whole-name similarity's share in a score (a tie-breaker between word matches)
WHOLE_PENALTY = 6.0  # a whole-name-only match scores this much below its similarity
SCORED = 300  # at most this many candidates are scored word by word
UNMATCHED_PENALTY = (
    3.0  # per name word the query did not say: "Jane Doe" beats "Jane Doe-Smith" for "jane doe"
)

# Policy thresholds on the final score.
DIAL_AT = 80.0  # a single winner at least this good is dialled (after confirmation if policy asks)
REFUSE_BELOW = 62.0  # nobody this close: say so, never dial
MARGIN = 10.0  # candidates within this of the best are "close": ask which one
# A name placed by its whole spelling alone, its first word another common given name (or said as one),
# scores at most this: "neena fischer" (said as Nina) is spelled almost as Lena Fischer, and
# may be a stranger who shares her surname: ask, never dial.
ANOTHER_GIVEN_NAME_AT_MOST = DIAL_AT - 1
MAX_CHOICES = 5
# Matches where every heard word is a word of the name (or the user's pick): no confirmation needed for these.
CERTAIN = frozenset({"name", "alias", "learned alias", "picked", "relation"})
EXACT_KINDS = frozenset({"name", "alias"})
MISHEARD_KINDS = frozenset({"sound-alike", "spelling", "partial"})


def phonetic_score(a: str, b: str) -> float:
    """A sound-alike pair scores by how close the spellings are too: Jon/John 94, Jane/John 80."""
    return 60.0 + 0.4 * fuzz.ratio(a, b)


@dataclass
class _Entry:
    contact: Contact
    forms: tuple[tuple[str, ...], ...]  # name, aliases: each a token tuple
    learned: frozenset[str]  # folded learned aliases
    company: str


class Resolver:
    """Resolve a spoken name to a contact and number, by the policy dial / ask / refuse."""

    def __init__(self, contacts: Iterable[Contact], nicknames: Nicknames | None = None):
        self.nicknames = nicknames or Nicknames()
        self._entries: list[_Entry] = []
        self._by_token: dict[str, set[int]] = defaultdict(set)  # a word of a name or alias -> contacts
        self._by_pair: dict[str, set[int]] = defaultdict(set)  # two words run together: "vander", "janedoe"
        self._by_sound: dict[str, set[str]] = defaultdict(set)
        self._companies = Companies()
        self._learned: dict[str, set[int]] = defaultdict(set)
        self._relations = Relations()
        for contact in contacts:
            self._add(contact)
        self._vocab = list(self._by_token)
        self._full = [" ".join(e.forms[0]) if e.forms else "" for e in self._entries]

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def contacts(self) -> list[Contact]:
        return [e.contact for e in self._entries]

    def _add(self, contact: Contact) -> None:
        index = len(self._entries)
        learned = frozenset(" ".join(tokens(a)) for a in contact.learned)
        forms = name_forms(contact)
        self._entries.append(_Entry(contact, forms, learned, fold(contact.company)))
        for form in forms:
            for word in form:
                self._by_token[word].add(index)
                for key in phonetic_keys(word):
                    self._by_sound[key].add(word)
            for i in range(len(form) - 1):
                self._by_pair[form[i] + form[i + 1]].add(index)
        for alias in learned:
            self._learned[alias].add(index)
        self._companies.add(index, contact.company)
        self._relations.add(index, contact)

    # -- matching -----------------------------------------------------------------------------------------

    def _token_matches(self, word: str) -> dict[str, tuple[float, str]]:
        """Every indexed word the heard `word` may stand for: (how well it matches, how)."""
        found: dict[str, tuple[float, str]] = {}

        def offer(other: str, score: float, how: str) -> None:
            if score > found.get(other, (0.0, ""))[0]:
                found[other] = (score, how)

        if word in self._by_token:
            offer(word, EXACT, "name")
        for name in self.nicknames.related(word):
            if name in self._by_token:
                offer(name, NICKNAME, "nickname")
        for key in phonetic_keys(word):
            for other in self._by_sound.get(key, ()):
                offer(other, phonetic_score(word, other), "sound-alike")
        if word not in self._by_token and len(word) > 2:
            for other, score, _ in process.extract(
                word, self._vocab, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=25
            ):
                offer(other, score, "spelling")
        return found

    def _contacts_of(self, matches: dict[str, tuple[float, str]]) -> set[int]:
        found: set[int] = set()
        for word in matches:
            found |= self._by_token[word]
        return found

    def _candidates(self, words: list[str], maps: list[dict[str, tuple[float, str]]]) -> set[int]:
        """Contacts worth scoring: those that match two or more of the heard words, if any do."""
        hits = [self._contacts_of(m) for m in maps]
        for i in range(len(words) - 1):  # two heard words that are one written word ("mc donald")
            joined = words[i] + words[i + 1]
            if joined in self._by_token:
                hits.append(self._by_token[joined])
        for word in words:  # one heard word that is two written ones ("janedoe")
            if word in self._by_pair:
                return set(self._by_pair[word]) | set().union(*hits)
        if len(hits) > 1:
            seen: set[int] = set()
            twice: set[int] = set()
            for group in hits:
                twice |= seen & group
                seen |= group
            if twice:
                return twice
        return set().union(*hits) if hits else set()

    def _score_query(self, query: str) -> dict[int, tuple[float, str]]:
        words = list(tokens(query))
        if not words:
            return {}
        scores: dict[int, tuple[float, str]] = {}
        learned = self._learned.get(" ".join(words), set())
        for index in learned:
            scores[index] = (LEARNED, "learned alias")
        maps = [self._token_matches(w) for w in words]
        # Two heard words may be one written word ("mc donald" for "mcdonald"): try them joined too.
        merged = {
            i: self._token_matches(words[i] + words[i + 1])
            for i in range(len(words) - 1)
            if words[i] + words[i + 1] in self._by_token
        }
        options = [maps] + [[*maps[:i], m, *maps[i + 2 :]] for i, m in merged.items()]
        candidates = self._candidates(words, maps) - learned
        heard = " ".join(words)
        # The whole name as heard, against the whole name as written: it catches what word by word misses
        # (run-together and split words, a dropped syllable) and breaks ties between word-level matches.
        # With many candidates (a common first name), only the closest whole names are scored word by word.
        whole = {
            i: score
            for _, score, i in process.extract(
                heard, {i: self._full[i] for i in candidates}, scorer=fuzz.WRatio, limit=SCORED
            )
        }
        candidates = set(whole)
        # WRatio's partial matching scores a name found inside other words as if it were the whole
        # utterance ("the chen bottle cup": Kelly Chen 85): where more was heard than the name, and for a
        # match on the whole name alone, the two are compared whole.
        alike = {i: _similarity(heard, self._full[i]) for i in candidates}
        tie = {i: whole[i] if len(heard) <= len(self._full[i]) else alike[i] for i in candidates}
        for index in candidates:
            entry = self._entries[index]
            best, how = 0.0, ""
            for form in entry.forms:
                for option in options:
                    score, kind = _form_score(form, option)
                    if score > best:
                        best, how = (
                            score,
                            ("alias" if kind == "name" and form is not entry.forms[0] else kind),
                        )
            whole_only = alike[index] - WHOLE_PENALTY > best
            if whole_only:
                best, how = alike[index] - WHOLE_PENALTY, "spelling"
            best += WHOLE_WEIGHT * tie[index]
            if best > 0:
                score = best / (1 + WHOLE_WEIGHT)
                if whole_only and _another_given_name(words, maps, entry):
                    score = min(score, ANOTHER_GIVEN_NAME_AT_MOST)
                scores[index] = (score, how)
        return scores

    # -- policy -------------------------------------------------------------------------------------------

    def rank(self, queries: Sequence[str], company: str = "", limit: int = 50) -> list[Candidate]:
        """The `limit` best candidates for the heard name (best hypothesis first, then runners-up)."""
        combined: dict[int, tuple[float, str]] = {}
        for rank, query in enumerate(q for q in queries if q.strip()):
            weight = 1.0 - 0.03 * rank  # a runner-up hypothesis counts a little less
            for index, (score, how) in self._score_query(query).items():
                weighted = score * weight
                if weighted > combined.get(index, (0.0, ""))[0]:
                    combined[index] = (weighted, how)
        if not combined and queries:
            # Nobody by that name: perhaps the words are a company ("call Globex").
            for index, score in self._companies.named(queries[0]).items():
                combined[index] = (score - 8, "company")
        if company:
            company_scores = self._companies.near(company)
            combined = {
                i: (s - 0.3 * (100 - company_scores.get(i, 0.0)), how) for i, (s, how) in combined.items()
            }
        ranked = heapq.nsmallest(
            limit, combined.items(), key=lambda item: (-item[1][0], self._entries[item[0]].contact.name)
        )
        return [Candidate(self._entries[i].contact, round(s, 1), how) for i, (s, how) in ranked]

    def at_company(self, company: str) -> list[Candidate]:
        """The contacts at a company said alone, nearest first ("the one at Hall Catering")."""
        near = sorted(self._companies.near(company).items(), key=lambda item: -item[1])
        return [Candidate(self._entries[i].contact, round(score, 1), "company") for i, score in near]

    def knows(self, word: str) -> bool:
        """Whether a word is a word of some contact's name or alias."""
        return fold(word) in self._by_token

    def sounds_like_a_name(self, word: str) -> bool:
        """Whether a word is a word of some contact's name or alias, or sounds like one (a Metaphone key)."""
        return self.knows(word) or any(key in self._by_sound for key in phonetic_keys(fold(word)))

    def says_whole_name(self, words: Sequence[str], contact: Contact) -> bool:
        """Whether these words hold the contact's whole name (or an alias of two words or more) as written,
        its words together, whatever misheard words are around it ("isabelle martin on their normal"), and
        no word of anyone else's name ("bjorn larsen on niamh")."""
        said = [fold(w) for w in words]
        forms = [f for f in name_forms(contact) if len(f) > 1]
        return not self.names_another(said, contact) and any(
            tuple(said[i : i + len(form)]) == form for form in forms for i in range(len(said))
        )

    def names_another(self, words: Iterable[str], contact: Contact) -> bool:
        """Whether any of these words is a word of another contact's name or alias, and not of this one's
        ("Call the Emily Marsh." placed on Emily Carter: Marsh is Beverly Marsh)."""
        for word in map(fold, words):
            owners = self._by_token.get(word, set())
            if owners and not any(self._entries[i].contact is contact for i in owners):
                return True
        return False

    @property
    def relations(self) -> list[str]:
        """The relations the book knows ("mother", "manager")."""
        return self._relations.names

    def related(self, relation: str) -> list[Contact]:
        return [self._entries[i].contact for i in self._relations.exactly(relation)]

    def resolve(
        self, queries: Sequence[str] | str, *, label: str = "", company: str = "", relation: str = ""
    ) -> Resolution:
        """Dial one clear winner, ask among close ones, refuse when nobody is close. A relation ("my boss")
        names whoever the book says it is; the words said are tried as a name only if nobody is."""
        if isinstance(queries, str):
            queries = [queries]
        if relation and self._relations.of(relation):
            return self._by_relation_word(relation, queries, label=label, company=company)
        if relation and not any(q.strip() for q in queries):
            return Resolution(Action.REFUSE, relation, reason="no_relation", label_requested=label)
        query = queries[0] if queries else ""
        ranked = self.rank(queries, company)
        if not ranked or ranked[0].score < REFUSE_BELOW:
            return Resolution(Action.REFUSE, query, tuple(ranked[:MAX_CHOICES]), reason="no_match")
        best = ranked[0].score
        close = [c for c in ranked if c.score >= best - MARGIN and c.score >= REFUSE_BELOW]
        learned = [c for c in close if c.matched == "learned alias"]
        exact = [c for c in close if c.matched in EXACT_KINDS]
        if len(learned) == 1:  # the user taught us who this name means
            close = learned
        elif len(exact) == 1 and all(c.matched in MISHEARD_KINDS for c in close if c is not exact[0]):
            close = exact  # the name as said beats names it might be a mishearing of
        if len(close) == 1 and best >= DIAL_AT:
            return self.choose(query, ranked[0], label=label, candidates=tuple(ranked[:MAX_CHOICES]))
        reason = "ambiguous" if len(close) > 1 else "unsure"
        return Resolution(Action.ASK, query, tuple(close[:MAX_CHOICES]), reason=reason, label_requested=label)

    def _by_relation_word(
        self, relation: str, queries: Sequence[str], *, label: str, company: str
    ) -> Resolution:
        indexes = self._relations.of(relation)
        if company and len(indexes) > 1:  # "my sister at Acme"
            scores = self._companies.near(company)
            indexes = [i for i in indexes if scores.get(i, 0.0) >= 90] or indexes
        named = [q for q in queries if q.strip()]
        people = [Candidate(self._entries[i].contact, 100.0, "relation") for i in indexes]
        if named:  # "my cousin Dylan", "Uncle Victor"
            related = {id(self._entries[i].contact) for i in indexes}
            close = [c for c in self.rank(named) if c.score >= REFUSE_BELOW]
            ranked = [c for c in close if id(c.contact) in related]
            if ranked:
                return self.choose(relation, Candidate(ranked[0].contact, 100.0, "relation"), label=label)
            # "my uncle Bob" when the book's uncle is Victor: ask, the people so named first.
            others = [c for c in close if id(c.contact) not in related]
            choices = tuple([*others, *people][:MAX_CHOICES])
            reason = "ambiguous" if len(choices) > 1 else "unsure"
            return Resolution(Action.ASK, relation, choices, reason=reason, label_requested=label)
        if len(people) == 1:
            return self.choose(relation, people[0], label=label)
        return Resolution(
            Action.ASK, relation, tuple(people[:MAX_CHOICES]), reason="ambiguous", label_requested=label
        )

    def choose(
        self, query: str, pick: Candidate, *, label: str = "", candidates: tuple[Candidate, ...] = ()
    ) -> Resolution:
        """The resolution for a contact that is settled (a clear winner, or the user's pick)."""
        contact = pick.contact
        certain = pick.matched in CERTAIN
        number, guessed, missing = pick_number(contact, label)
        if number is None:
            return Resolution(
                Action.REFUSE, query, candidates, contact=contact, reason="no_number", label_requested=label
            )
        return Resolution(
            Action.DIAL,
            query,
            candidates or (pick,),
            contact=contact,
            number=number,
            label_requested=canonical_label(label) if label else "",
            label_guessed=guessed,
            label_missing=missing,
            certain=certain,
            reason="clear",
        )


def name_forms(contact: Contact) -> tuple[tuple[str, ...], ...]:
    """The contact's name and each alias as folded words: the ways the book writes them."""
    return tuple(f for f in (tokens(contact.name), *(tokens(a) for a in contact.aliases)) if f)


def _another_given_name(
    words: Sequence[str], maps: Sequence[dict[str, tuple[float, str]]], entry: _Entry
) -> bool:
    """Whether the first of two or more heard words meets no word of the contact's name (`maps`: what each
    heard word may stand for) and is a common given name, or sounds like one: someone else's first name,
    who shares the rest. (Not a later word: *emily hahn* is Emily Zhang's surname misheard.)"""
    own = {word for form in entry.forms for word in form}
    return len(words) > 1 and not own & maps[0].keys() and sounds_like_given_name(words[0])


def _similarity(heard: str, name: str) -> float:
    """How alike the whole heard name and the whole written one are, spaces aside ("janedoe", "martin ez")."""
    return max(fuzz.ratio(heard, name), fuzz.ratio(heard.replace(" ", ""), name.replace(" ", "")))


def _form_score(form: tuple[str, ...], maps: Sequence[dict[str, tuple[float, str]]]) -> tuple[float, str]:
    """Average best match of each heard word with a distinct word of this name form; the weakest kind."""
    used: set[int] = set()
    total = 0.0
    weakest = (EXACT + 1, "name")
    for m in maps:
        best, best_i, kind = 0.0, -1, ""
        for i, word in enumerate(form):
            if i not in used:
                score, how = m.get(word, (0.0, ""))
                if score > best:
                    best, best_i, kind = score, i, how
        if best_i >= 0:
            used.add(best_i)
            weakest = min(weakest, (best, kind))
        else:
            weakest = (0.0, "partial")
        total += best
    if not used:
        return 0.0, ""
    return total / len(maps) - UNMATCHED_PENALTY * (len(form) - len(used)), weakest[1]
