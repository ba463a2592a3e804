"""The phrasing test set (tests/intents/data/phrasings.yaml): typed requests for a call, from public
datasets and our own, each with the intent and the person it must reach.

The set is split in two by a hash of each sentence: the "tune" half is the one the templates were
shaped on (its failures may be read), the "held" half was only scored until the templates were
final, then read once (eight misses, six of them mended; see README). A second set written for
tuning (phrasings_tune.yaml) is all "tune". A third (phrasings_fresh.yaml, "fresh") was written
later by someone who had not seen the templates, and is only ever scored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.contacts.importers import read_contacts
from assistant.contacts.numbers import BadNumber, normalize
from assistant.contacts.resolver import Resolver
from assistant.intents import IntentParser
from assistant.models import Action

DATA = Path(__file__).resolve().parent.parent / "tests" / "intents" / "data"
CALLS = frozenset({"CallContact", "CallNumber", "MakeCall", "CallANumber", "Redial"})


@dataclass(frozen=True)
class Verdict:
    text: str
    half: str  # tune | held | fresh
    family: str
    right: bool  # the intent, and the person or number callbot would call
    dialled: bool  # right without a question (a "which one?" or "did you mean?" first is not)
    got: str


def half(item: dict[str, Any]) -> str:
    if item.get("set"):
        return str(item["set"])
    return "tune" if hashlib.sha1(item["text"].encode()).digest()[0] % 2 == 0 else "held"


def load() -> tuple[list[dict[str, Any]], Resolver]:
    """The public set (split in halves), the set written for tuning and the fresh set."""
    items = yaml.safe_load((DATA / "phrasings.yaml").read_text())["utterances"]
    extra = [
        {**item, "set": which}
        for which, name in (("tune", "phrasings_tune.yaml"), ("fresh", "phrasings_fresh.yaml"))
        for item in yaml.safe_load((DATA / name).read_text())["utterances"]
    ]
    contacts = read_contacts(DATA / "phrasing_contacts.csv").contacts
    return [*items, *extra], Resolver(contacts)


def judge(item: dict[str, Any], parser: IntentParser, resolver: Resolver) -> Verdict:
    """What callbot makes of one typed sentence, against what the set says it means."""
    text, expected = item["text"], item.get("intent")
    intent = parser.parse(text)
    name = intent.name if intent is not None else None
    got = f"{name} {dict(intent.slots) if intent else ''}"
    right = dialled = False
    if expected in (None, "None"):
        right = dialled = name not in CALLS
    elif name == expected == "CallContact" and intent is not None:
        resolution = resolver.resolve(
            [intent.slot("contact")] if intent.slot("contact") else [],
            label=intent.slot("label"),
            company=intent.slot("company"),
            relation=intent.slot("relation"),
        )
        first = resolution.contact or (resolution.candidates[0].contact if resolution.candidates else None)
        who = first.name if first is not None else None
        number = resolution.number.label if resolution.number else None
        got += f" -> {resolution.action} {who} {number or ''}"
        label_ok = "label" not in item or number == item["label"] or resolution.action != Action.DIAL
        right = who == item.get("contact") and resolution.action != Action.REFUSE and label_ok
        dialled = right and resolution.action == Action.DIAL
    elif name == expected == "CallNumber" and intent is not None:
        try:
            e164 = normalize(intent.slot("number"), "US")
        except BadNumber:
            e164 = ""
        right = dialled = e164 == item.get("number")
        got += f" -> {e164}"
    else:
        right = dialled = name == expected
    return Verdict(text, half(item), item.get("family", ""), right, dialled, got)


def run() -> list[Verdict]:
    items, resolver = load()
    parser = IntentParser()
    return [judge(item, parser, resolver) for item in items]


def table(verdicts: list[Verdict]) -> str:
    lines = ["| phrasings | tune half | held half | fresh set |", "|---|---:|---:|---:|"]
    groups = ["all", *sorted({v.family for v in verdicts})]
    for group in groups:
        cells = []
        for which in ("tune", "held", "fresh"):
            chosen = [v for v in verdicts if v.half == which and group in ("all", v.family)]
            right = sum(v.right for v in chosen)
            cells.append(f"{100 * right / len(chosen):.1f}% ({right}/{len(chosen)})" if chosen else "-")
        lines.append(f"| {group} | {' | '.join(cells)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    verdicts = run()
    print(table(verdicts))
    if "--failures" in sys.argv:  # the tune half only: the held half is scored, never read
        for v in verdicts:
            if v.half == "tune" and not v.right:
                print(f"{v.family:9} {v.text!r:60} got {v.got}")
