"""Fitting the decision model to a spoken corpus, and the curve of dial rate against wrong-dial rate.

`callbot eval` keeps, for each command the second engine was asked about, every reading the decision
weighed (its evidence and probability) and whether acting on it would have done what the corpus expects;
`callbot eval --train` fits the model (speech/decision.py) on those.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .speech.decision import Evidence, Model, Point, fit


def reading_right(meaning: Sequence[str], expect: dict[str, Any], alike: Iterable[str] = ()) -> bool:
    """Whether acting on a reading's meaning (intent, who, label) does what the command asked. A name that
    sounds like the wanted person's (`alike`) is right too: heard, the dialog asks which of them, or the
    command's label or company settles it."""
    intent, who, label = meaning
    action = expect.get("action")
    one = intent == "CallContact" and bool(who) and "|" not in who and who != "nobody"
    if action == "refuse":  # a stranger's name, or speech that is no command: anything but a call is right
        return not one
    if expect.get("intent") and intent != expect["intent"]:
        return False
    if intent != "CallContact":
        return True
    if action == "ask":  # several people answer to it: a reading naming them is right, the dialog asks;
        wanted = set(expect.get("candidates", ()))  # one naming only one of them would dial that one
        return "|" in who and bool(set(who.split("|")) & wanted)
    if action == "dial":
        wanted = {expect.get("contact"), *alike}
        return one and who in wanted and label in ("", expect.get("label", ""))
    return False


def readings(recognizer: Any, expect: dict[str, Any], alike: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The readings the recogniser weighed for its last command, labelled right or wrong for `expect`."""
    alike = tuple(alike)
    out = []
    for reading, p in getattr(recognizer, "last", []):
        out.append(
            {
                "text": reading.text,
                "source": reading.source,
                "meaning": list(reading.meaning),
                "p": round(p, 4),
                "right": reading_right(reading.meaning, expect, alike),
                "dials": reading.meaning[0] == "CallContact"
                and reading.evidence.values.get("one_person", 0) > 0,
                "held": reading.held,
                "evidence": dict(reading.evidence.values),
                **({"rival": reading.rival} if reading.rival else {}),  # the book check's best rival sentence
            }
        )
    return out


Command = tuple[str, dict[str, Any], list[str], list[dict[str, Any]]]  # id, expect, sound-alikes, readings


def commands(corpus: Path, items: Iterable[dict[str, Any]]) -> list[Command]:
    """Each command of an eval of `corpus` (its report's items) with the names that sound like the one it
    wants, for labelling its readings."""
    from .evaluate import SimpleBook, alike_names, load_corpus

    book = SimpleBook(load_corpus(corpus)[0])
    by_name = {c.name: c for c in book.contacts()}
    return [
        (i["id"], i.get("expect", {}), alike_names(book, by_name, i.get("expect", {})), i.get("readings", []))
        for i in items
    ]


def report_items(report: Path) -> list[dict[str, Any]]:
    """The items of an earlier `callbot eval --json` report."""
    try:
        return list(json.loads(report.read_text())["items"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{report}: not a callbot eval --json report ({exc})") from None


def train(
    items: Iterable[tuple[str, dict[str, Any], Iterable[str], list[dict[str, Any]]]], name: str, out: Path
) -> Model:
    """Fit on every weighed reading of every command ((id, expect, the names that sound like the wanted
    person's, readings)), each labelled afresh, and save the model to `out`."""
    rows, right, dials, groups, held = [], [], [], [], []
    for item_id, expect, alike, weighed in items:
        alike = tuple(alike)
        for r in weighed:
            rows.append(Evidence(dict(r["evidence"])))
            right.append(reading_right(r["meaning"], expect, alike))
            dials.append(bool(r["dials"]))
            groups.append(item_id)
            held.append(bool(r.get("held", False)))
    if not rows:
        raise ValueError("no command in the corpus was checked by the second engine: nothing to fit on")
    model = fit(rows, right, dials, groups, name, held)
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save(out)
    return model


def curve_lines(model: Model, marks: Sequence[float] = (0.0, 0.005, 0.01, 0.02, 0.05)) -> list[str]:
    """The model's curve, as `callbot eval` prints it: at each wrong-dial rate, the threshold and how many
    of the checked commands are acted on without asking."""
    lines = ["| wrong-dial rate at most | threshold | commands acted on without asking |", "|---|---|---|"]
    for rate in marks:
        threshold = model.dial_threshold(rate)
        point = _at(model.curve, threshold)
        acted = f"{100 * point.dial_rate:.1f}%" if point else "0.0%"
        lines.append(f"| {100 * rate:.1f}% | {threshold:.3f} | {acted} |")
    return lines


def _at(curve: Sequence[Point], threshold: float) -> Point | None:
    return next((p for p in sorted(curve, key=lambda p: p.threshold) if p.threshold >= threshold), None)
