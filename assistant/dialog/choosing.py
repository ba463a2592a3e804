""" "Which one?": asked until the user picks one of the candidates, gives up, or says something else."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from ..contacts.book import ContactBook
from ..contacts.resolver import Resolver
from ..models import Action, Contact, Resolution
from ..phrasing import listing, when
from ..ports import ANSWERS, COMMANDS, CallsRead, Expect, Listening
from ..understanding import pick, picked
from .turns import Turns


class Chooser:
    """Settles an unsure resolution by asking; a pick other than callbot's first guess is remembered."""

    def __init__(
        self,
        turns: Turns,
        book: ContactBook,
        calls: CallsRead | None = None,
        *,
        now: Callable[[], datetime] | None = None,
        answer_timeout: float | None = None,
    ):
        self.turns = turns
        self.book = book
        self.calls = calls  # for "last called on Tuesday", telling same-sounding names apart
        self.now = now or (lambda: datetime.now().astimezone())
        self.answer_timeout = answer_timeout

    def ask_which(self, resolution: Resolution, resolver: Resolver) -> Resolution | None:
        """The resolution the user picked, or None when they gave up or moved on to something else."""
        reply = self.turns.reply
        candidates = list(resolution.candidates)
        top = candidates[0]
        choices = listing(self.turns.say, [c.contact.display for c in candidates])
        if resolution.reason == "sound-alike":
            reply(
                "which_one_alike",
                choices=listing(self.turns.say, [self._told_apart(c.contact) for c in candidates]),
            )
        elif len(candidates) == 1:
            reply("did_you_mean", choice=top.contact.display)
        elif resolution.reason == "ambiguous" and len(candidates) >= 5:
            reply("which_one_many", count=len(candidates), name=resolution.query, choices=choices)
        else:
            reply("which_one", choices=choices)
        expect = Expect(Listening.CHOICE, tuple(c.contact for c in candidates))
        for attempt in range(3):
            utterance = self.turns.hear(expect, self.answer_timeout)
            if utterance is None:
                break
            intent = self.turns.understand(
                utterance, (*ANSWERS[Listening.CHOICE], *COMMANDS), {"dialog": "choosing"}
            )
            if intent is None or intent.name in ("No", "Cancel"):
                if intent is None and attempt < 2:
                    reply("pick_again")
                    continue
                reply("not_calling")
                return None
            if intent.name == "Yes" and len(candidates) == 1:
                # "Did you mean X?" "Yes": that was the confirmation
                settled = resolver.choose(resolution.query, picked(top), label=resolution.label_requested)
                return replace(settled, reason="confirmed") if settled.action == Action.DIAL else settled
            if intent.name in ("Choose", "Correct"):
                chosen = pick(candidates, intent, self.book.nicknames)
                if chosen is not None:
                    if chosen.score < top.score:  # we preferred someone else: remember the user's answer
                        self._learn(resolution.query, chosen.contact)
                    return resolver.choose(resolution.query, picked(chosen), label=resolution.label_requested)
                if attempt < 2:
                    reply("pick_again")
                    continue
                reply("not_calling")
                return None
            self.turns.keep(utterance)  # a new command instead of an answer
            return None
        reply("not_calling")
        return None

    def _told_apart(self, contact: Contact) -> str:
        """A same-sounding name with what tells it apart: "Jon Reid at Stark in Denver, last called today"."""
        say = self.turns.say
        last = None
        if self.calls is not None:
            placed = [c for n in contact.numbers for c in self.calls.calls_to(n.e164) if c.provider_call_id]
            last = max((c.created_at for c in placed), default=None)
        return say(
            "alike_choice",
            name=contact.name,
            company_part=say("company_part", company=contact.company) if contact.company else "",
            city_part=say("city_part", city=contact.city) if contact.city else "",
            last_part=say("last_part", when=when(say, last, self.now())) if last else "",
        )

    def _learn(self, query: str, contact: Contact) -> None:
        """The user corrected our best guess: remember that this name means this contact."""
        alias = " ".join(query.split())
        if alias and alias.lower() != contact.name.lower():
            self.book.learn(contact, alias)
            self.turns.reply("learned", alias=alias, name=contact.name)
