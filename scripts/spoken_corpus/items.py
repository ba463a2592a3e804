"""What a rep says, with what callbot must make of it, tagged by kind so results can be read per kind.

Kinds: basic, label, topic, stranger, other, confirm, choice (as the corpus always had), and from issue 16:
phrasing (how people ask for a call), free-topic (a topic outside the configured list), same-sounding
(two contacts said alike), relation ("call my boss"), no-name ("make a call"), filler (uh, um, restarts).
The held-out set says the same kinds of thing to other people in other words.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .people import (
    DEV_PEOPLE,
    DEV_STRANGERS,
    HELDOUT_PEOPLE,
    HELDOUT_STRANGERS,
    SAME_SOUNDING,
    STRANGER_BENCH,
    Person,
    sound,
)

# The topics callbot is configured with (config/default.toml), which its command grammar knows.
TOPICS = [
    "the renewal",
    "the contract",
    "the invoice",
    "the quote",
    "the proposal",
    "the demo",
    "pricing",
    "the meeting",
    "the order",
    "the delivery",
    "the shipment",
    "the upgrade",
    "the budget",
]


@dataclass
class Item:
    text: str
    expect: dict
    kind: str = "command"
    context: dict = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Wording:
    """One set's way of saying things. Phrasings are (template, label it names or None for the default)."""

    verbs: list[str]
    phrasings: list[tuple[str, str | None]]
    topic_frames: list[str]
    free_topics: list[str]
    relations: list[tuple[str, str, str | None]]  # (said, relation, label)
    no_name: list[tuple[str, str]]
    fillers: list[str]  # "{name}" templates
    restarts: list[str]  # "{wrong}" ... "{right}" templates
    notes: list[str]


NOTES = [
    "she wants the updated quote by friday",
    "call back next week about pricing",
    "left a voicemail, try again on monday",
    "he asked for the contract on the third",
    "not interested right now, follow up in march",
    "they are reviewing the proposal with their finance team",
    "send the samples and check in tomorrow",
    "meeting booked for next tuesday at ten",
    "she is on vacation until the fifteenth",
    "wants a demo for three people next thursday",
    "the invoice was paid, no follow up needed",
    "asked us to email the brochure and call in two weeks",
    "budget approved, send the order form today",
    "he will talk to his manager and get back to us",
    "price is too high, offer the annual discount",
    "the delivery arrived damaged, open a support ticket",
    "great call, they want to upgrade all twelve seats",
    "ring her again on wednesday morning",
    "decision maker is out until december tenth",
    "happy with the service, ask for a referral next month",
]

DEV_WORDING = Wording(
    verbs=["call", "dial", "ring", "phone", "get me", "call", "call"],
    phrasings=[
        ("give {name} a call", None),
        ("give {name} a ring", None),
        ("I'd like to call {name} please", None),
        ("can you ring {name}", None),
        ("could you get {name} on the phone", None),
        ("put me through to {name}", None),
        ("connect me with {name}", None),
        ("I need to reach {name}", None),
        ("try {name}'s mobile", "mobile"),
        ("{name}'s work number please", "work"),
        ("call {name} at the office", "work"),
        ("ring {name}'s house", "home"),
        ("let's call {name}", None),
        ("make a call to {name}", None),
        ("get hold of {name}", None),
    ],
    topic_frames=[
        "call {name} about {topic}",
        "ring {name} regarding {topic}",
        "call {name} to talk about {topic}",
    ],
    free_topics=[
        "the kickoff agenda",
        "the Q3 invoice",
        "the new floor plan",
        "the trade show booth",
        "the payroll change",
        "the office move",
        "the safety audit",
        "the training schedule",
        "the late payment",
        "the hiring plan",
        "the quarterly review",
        "their new warehouse",
        "the insurance claim",
        "the parking permit",
    ],
    relations=[
        ("call my boss", "boss", None),
        ("ring my wife on her mobile", "wife", "mobile"),
        ("get my boss on his work phone", "boss", "work"),
        ("phone my wife", "wife", None),
    ],
    no_name=[
        ("make a call", "MakeCall"),
        ("place a call", "MakeCall"),
        ("I need to make a call", "MakeCall"),
        ("call a number", "CallANumber"),
        ("dial a number", "CallANumber"),
    ],
    fillers=["call, uh, {name}", "um, ring {name}", "call, um, {name} please"],
    restarts=["call {wrong}, no, {right}", "ring {wrong}, no, {right}"],
    notes=NOTES,
)

HELDOUT_WORDING = Wording(
    verbs=["call", "phone", "ring", "dial", "call"],
    phrasings=[
        ("give {name} a buzz", None),
        ("could you ring {name} for me", None),
        ("I want to phone {name}", None),
        ("would you call {name} please", None),
        ("please get {name} on the line", None),
        ("connect me to {name}", None),
        ("I have to get hold of {name}", None),
        ("contact {name}", None),
        ("place a call to {name}", None),
        ("let's ring {name}", None),
        ("try the mobile for {name}", "mobile"),
        ("{name}'s office number please", "work"),
        ("phone {name} at home", "home"),
        ("reach {name} at work", "work"),
        ("dial {name}'s cell", "mobile"),
    ],
    topic_frames=[
        "phone {name} about {topic}",
        "call {name} concerning {topic}",
        "I need to call {name} to discuss {topic}",
    ],
    free_topics=[
        "the board presentation",
        "the software license",
        "the holiday rota",
        "the customer survey",
        "the supplier contract",
        "the server migration",
        "the catering order",
        "the press release",
        "the spring catalog",
        "the audit findings",
        "the team offsite",
        "the tax return",
    ],
    relations=[
        ("call my mother", "mother", None),
        ("ring my mom on her mobile", "mother", "mobile"),
        ("phone my brother", "brother", None),
        ("call my brother at work", "brother", "work"),
    ],
    no_name=[
        ("I want to make a call", "MakeCall"),
        ("can I place a call", "MakeCall"),
        ("I'd like to make a phone call", "MakeCall"),
        ("I want to dial a number", "CallANumber"),
        ("call a phone number", "CallANumber"),
    ],
    fillers=["er, phone {name}", "ring, um, {name}", "uh, call {name} please"],
    restarts=["ring {wrong}, sorry, {right}", "call {wrong}, I mean {right}"],
    notes=[n.replace("friday", "thursday") for n in NOTES[::-1]],
)

SETS = {
    "dev": (DEV_PEOPLE, DEV_STRANGERS, DEV_WORDING),
    "heldout": (HELDOUT_PEOPLE, HELDOUT_STRANGERS, HELDOUT_WORDING),
}


def dial(p: Person, text: str, tag: str, label: str | None = None, topic: str = "") -> Item:
    expect = {"intent": "CallContact", "action": "dial", "contact": p.name, "label": label or p.default_label}
    if topic:
        expect["topic"] = topic
    return Item(text, expect, tags=[tag])


def ask(names: list[str], text: str, tag: str) -> Item:
    return Item(text, {"intent": "CallContact", "action": "ask", "candidates": sorted(names)}, tags=[tag])


def choose(target: Person, names: list[str], text: str, tag: str) -> Item:
    return Item(
        text,
        {"intent": "Choose", "contact": target.name},
        context={"mode": "choice", "choices": names},
        tags=[tag],
    )


def commands(which: str, rng: random.Random) -> list[Item]:
    """Every command of a set, kind by kind."""
    people, strangers, wording = SETS[which]
    paired = {name for pair in SAME_SOUNDING[which] for name in pair}
    plain = [p for p in people if p.name not in paired]
    return [
        *per_person(plain, wording, rng),
        *first_names(people, rng),
        *phrasings(plain, wording, rng),
        *free_topics(plain, wording, rng),
        *same_sounding(people, SAME_SOUNDING[which], wording, rng),
        *relations(people, wording),
        *[Item(text, {"intent": intent}, tags=["no-name"]) for text, intent in wording.no_name],
        *fillers(plain, wording, rng),
        *[
            Item(f"call {name}", {"intent": "CallContact", "action": "refuse"}, tags=["stranger"])
            for name in strangers
        ],
        *others(),
    ]


# How the stranger bench asks for each stranger, in turn
STRANGER_FORMS = [
    "call {name}",
    "ring {name}",
    "I need to reach {name}",
    "get me {name} on the mobile",
    "phone {name} about the invoice",
]


def strangers(which: str) -> list[Item]:
    """The stranger bench: each of the set's STRANGER_BENCH people asked for once, the forms in turn."""
    return [
        Item(
            STRANGER_FORMS[i % len(STRANGER_FORMS)].format(name=name),
            {"intent": "CallContact", "action": "refuse"},
            tags=["stranger", "first-name-only" if " " not in name else "full-name"],
        )
        for i, name in enumerate(STRANGER_BENCH[which])
    ]


# How the first-name bench asks for each person, in turn (two forms each)
FIRST_NAME_FORMS = ["call {first}", "ring {first}", "phone {first}", "get me {first}", "dial {first}"]


def first_name_bench(which: str) -> list[Item]:
    """The first-name bench: each person whose first name no one else in the book's sounds like, asked for
    by it alone, twice, the forms in turn; a first name that may stand for another's (Jen for Jennifer) is
    left out too. A name said in one word is the shortest evidence a command has, and the one-word
    confusions between two contacts (*call Thabo* heard as *Call, Niamh,*) are too rare in a draw to choose
    a rule on."""
    from assistant.contacts.names import Nicknames

    people = SETS[which][0]
    heard = [sound(p.first) for p in people]
    related = Nicknames().related
    alone = [
        p
        for p, key in zip(people, heard, strict=True)
        if heard.count(key) == 1 and not any(p.first.lower() in related(q.first) for q in people if q != p)
    ]
    return [
        dial(p, FIRST_NAME_FORMS[(2 * i + turn) % len(FIRST_NAME_FORMS)].format(first=p.first), "first-name")
        for i, p in enumerate(alone)
        for turn in range(2)
    ]


def per_person(people: list[Person], wording: Wording, rng: random.Random) -> list[Item]:
    """Each person by full name: plainly, on a number label, and about a configured topic."""
    items = []
    for p in people:
        items.append(dial(p, f"{rng.choice(wording.verbs)} {p.name}", "basic"))
        label = rng.choice(list(p.numbers))
        pronoun = rng.choice(["", "his ", "her ", "their "])
        items.append(dial(p, f"call {p.name} on {pronoun}{label}", "label", label))
        topic = rng.choice(TOPICS)
        items.append(dial(p, f"{rng.choice(wording.verbs)} {p.name} about {topic}", "topic", topic=topic))
    return items


def first_names(people: list[Person], rng: random.Random) -> list[Item]:
    """'call Jane': one Jane is dialled; several (by sound: Jon and John meet) are asked about, then chosen.

    The answer by last name is only offered for someone whose last name no other in the group sounds like.
    """
    groups: dict[str, list[Person]] = {}
    for p in people:
        groups.setdefault(sound(p.first), []).append(p)
    items = []
    for group in groups.values():
        if len(group) == 1:
            items.append(dial(group[0], f"call {group[0].first}", "basic"))
            continue
        names = [p.name for p in group]
        tag = "same-sounding" if len({p.first for p in group}) > 1 else "basic"
        items.append(ask(names, f"call {rng.choice(group).first}", tag))
        lasts = [sound(p.last) for p in group]
        unique = [p for p in group if lasts.count(sound(p.last)) == 1]
        target = unique[-1] if unique else group[-1]
        items.append(dial(target, f"call {target.first} at {target.company}", tag))
        items.append(choose(group[1], names, "the second one", "choice"))
        items.append(choose(target, names, f"the one at {target.company}", "choice"))
        if unique:
            items.append(choose(target, names, target.last, "choice"))
    return items


def phrasings(people: list[Person], wording: Wording, rng: random.Random) -> list[Item]:
    """Each way of asking for a call, said of two people (who have the number it names)."""
    items = []
    for template, label in wording.phrasings:
        able = [p for p in people if label is None or label in p.numbers]
        for p in rng.sample(able, 2):
            items.append(dial(p, template.format(name=p.name), "phrasing", label))
    return items


def free_topics(people: list[Person], wording: Wording, rng: random.Random) -> list[Item]:
    """A call about something the grammar was never told of; the topic is expected word for word."""
    said_by = rng.sample(people, len(wording.free_topics))
    return [
        dial(p, rng.choice(wording.topic_frames).format(name=p.name, topic=topic), "free-topic", topic=topic)
        for p, topic in zip(said_by, wording.free_topics, strict=True)
    ]


def same_sounding(
    people: list[Person], pairs: list[tuple[str, str]], wording: Wording, rng: random.Random
) -> list[Item]:
    """Two contacts said alike: naming one is asked about; a company or a label only one has settles it."""
    by_name = {p.name: p for p in people}
    items = []
    for a, b in ((by_name[x], by_name[y]) for x, y in pairs):
        names = sorted([a.name, b.name])
        items.append(ask(names, f"call {a.name}", "same-sounding"))
        items.append(ask(names, f"{rng.choice(wording.verbs)} {b.name}", "same-sounding"))
        for p in (a, b):
            items.append(dial(p, f"call {p.name} at {p.company}", "same-sounding"))
        for p, other in ((a, b), (b, a)):
            for label in sorted(set(p.numbers) - set(other.numbers))[:1]:
                items.append(dial(p, f"call {p.name} on {label}", "same-sounding", label))
        second = by_name[names[1]]
        items.append(choose(a, names, f"the one at {a.company}", "same-sounding"))
        items.append(choose(second, names, "the second one", "same-sounding"))
        items.append(choose(b, names, b.company, "same-sounding"))
    return items


def relations(people: list[Person], wording: Wording) -> list[Item]:
    """ "call my boss": the person whose relation to the user is boss."""
    by_relation = {p.relation: p for p in people if p.relation}
    return [
        dial(by_relation[relation], said, "relation", label) for said, relation, label in wording.relations
    ]


def fillers(people: list[Person], wording: Wording, rng: random.Random) -> list[Item]:
    """Hesitations (uh, um) and restarts ("call Jane, no, Jen Park"), where the last name said counts."""
    items = []
    for template in wording.fillers:
        for p in rng.sample(people, 2):
            items.append(dial(p, template.format(name=p.name), "filler"))
    for template in wording.restarts:
        for _ in range(2):
            wrong, right = rng.sample(people, 2)
            items.append(dial(right, template.format(wrong=wrong.name, right=right.name), "filler"))
    return items


def others() -> list[Item]:
    """Commands that name nobody, and answers to "Call Jane Doe on mobile?"."""
    items = [
        Item(text, {"intent": intent}, tags=["other"])
        for text, intent in [
            ("redial", "Redial"),
            ("who did I call last", "LastCall"),
            ("cancel", "Cancel"),
            ("hang up", "HangUp"),
            ("add a note", "AddNote"),
            ("call her back", "Redial"),
            ("never mind", "Cancel"),
            ("repeat the note", "RepeatNote"),
        ]
    ]
    items += [
        Item(text, {"intent": intent}, context={"mode": "confirm"}, tags=["confirm"])
        for text, intent in [
            ("yes", "Yes"),
            ("no", "No"),
            ("yes please", "Yes"),
            ("cancel", "Cancel"),
            ("go ahead", "Yes"),
            ("nope", "No"),
        ]
    ]
    return items


def notes(which: str) -> list[Item]:
    return [Item(n, {}, kind="note", tags=["note"]) for n in SETS[which][2].notes]
