"""Questions that fill in what a command left out: "Who should I call?", "What number should I call?",
and who someone is to the rep ("my boss is Priya Shah")."""

from __future__ import annotations

from typing import Protocol

from ..contacts.book import ContactBook
from ..contacts.resolver import Resolver
from ..intents import IntentParser
from ..models import Action, Intent, Resolution, Utterance
from ..ports import ANSWERS, COMMANDS, Expect, Listening
from ..understanding import resolve_heard, slot_hypotheses
from .choosing import Chooser
from .turns import Turns

# Up to this many contacts, "Who should I call?" listens for their names alone; a bigger book is heard as
# a whole command ("call Jane Doe"), as its names are too many to tell apart without one.
NAMES_TO_LIST = 300


class Relations(Protocol):
    def set_relation(self, contact_id: int, relation: str) -> None: ...


class Asker:
    """Asks, and hands back what the answer settles; a new command instead is kept for the session."""

    def __init__(
        self,
        turns: Turns,
        book: ContactBook,
        chooser: Chooser,
        relations: Relations,
        *,
        parser: IntentParser,
        sure_confidence: float,
        answer_timeout: float | None = None,
    ):
        self.turns = turns
        self.book = book
        self.chooser = chooser
        self.relations = relations
        self.parser = parser
        self.sure_confidence = sure_confidence
        self.answer_timeout = answer_timeout

    def who(self) -> tuple[Intent, Utterance] | None:
        """ "Make a call" -> "Who should I call?" -> the answer as a CallContact, or None."""
        people = self.book.contacts()
        choices = tuple(people) if len(people) <= NAMES_TO_LIST else ()
        intent, utterance = self._ask("ask_who", Expect(Listening.NAME, choices), {"dialog": "choosing"})
        if intent is None or utterance is None:
            return None
        if intent.name == "Choose":  # a name alone: the request it completes
            slots = {
                "contact": intent.slot("name") or intent.slot("contact"),
                "company": intent.slot("company"),
            }
            intent = Intent("CallContact", {k: v for k, v in slots.items() if v}, text=intent.text)
        return (intent, utterance) if intent.slot("contact") or intent.slot("relation") else None

    def number(self) -> tuple[Intent, Utterance] | None:
        """ "Call a number" -> "What number should I call?" -> the digits as a CallNumber, or None."""
        intent, utterance = self._ask("ask_number", Expect(Listening.NUMBER), {"dialog": "number"})
        if intent is None or utterance is None:
            return None
        return Intent("CallNumber", dict(intent.slots), text=intent.text), utterance

    def _ask(
        self, question: str, expect: Expect, context: dict[str, str]
    ) -> tuple[Intent | None, Utterance | None]:
        self.turns.reply(question)
        for attempt in range(2):
            utterance = self.turns.hear(expect, self.answer_timeout)
            if utterance is None:
                break
            intent = self.turns.understand(utterance, (*ANSWERS[expect.mode], *COMMANDS), context)
            if intent is None and attempt == 0:
                self.turns.reply("didnt_catch")
                continue
            if intent is None or intent.name in ("Cancel", "No"):
                break
            if intent.name in ANSWERS[expect.mode]:
                return intent, utterance
            self.turns.keep(utterance)  # another command instead of an answer
            return None, None
        self.turns.reply("not_calling")
        return None, None

    def teach(self, intent: Intent, utterance: Utterance) -> None:
        """ "My boss is Priya Shah": that person is the rep's manager from now on."""
        relation = intent.slot("relation")
        resolver = self.book.resolver()
        queries = slot_hypotheses(utterance, self.parser, intent, "contact")
        resolution: Resolution | None = resolver.resolve(queries)
        if resolution is not None and resolution.action == Action.ASK:
            resolution = self.chooser.ask_which(resolution, resolver)
        if resolution is None:
            return
        contact = resolution.contact
        if resolution.action == Action.REFUSE or contact is None or contact.id is None:
            self.turns.reply("no_such_contact", name=resolution.query)
            return
        self.relations.set_relation(contact.id, relation)
        self.turns.reply("relation_saved", name=contact.name, relation=relation)

    def resolve(self, intent: Intent, utterance: Utterance, resolver: Resolver) -> Resolution:
        """Who a CallContact means as heard: names that sound alike are asked about (typed ones are not)."""
        heard = utterance.transcript is not None and utterance.transcript.engine != "text"
        alikes = self.book.sound_alikes() if heard else None
        return resolve_heard(resolver, utterance, intent, self.parser, self.sure_confidence, alikes)
