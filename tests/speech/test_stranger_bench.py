"""The benches beside a draw: the stranger bench (`scripts/corpus.py --strangers`), people no book holds,
said to the set's book; the first-name bench (`--first-names`), contacts by their first name alone."""

from __future__ import annotations

import json
from pathlib import Path

import corpus  # scripts/corpus.py, put on the path by conftest
import pytest
from spoken_corpus.people import DEV_PEOPLE, HELDOUT_PEOPLE, STRANGER_BENCH

from assistant.evaluate import SimpleBook, load_corpus
from assistant.models import Action


@pytest.mark.parametrize("which", ["dev", "heldout"])
def test_the_stranger_bench_asks_for_people_not_in_the_book(which: str, tmp_path: Path):
    assert (
        corpus.main([str(tmp_path), "--set", which, "--strangers", "--families", "espeak", "--no-noise"]) == 0
    )
    contacts, items = load_corpus(tmp_path)
    assert [c.name for c in contacts] == [p.name for p in (DEV_PEOPLE if which == "dev" else HELDOUT_PEOPLE)]
    assert len(items) == len(STRANGER_BENCH[which]) == 40
    assert all(i["expect"] == {"intent": "CallContact", "action": "refuse"} for i in items)
    assert all("stranger" in i["tags"] and (tmp_path / i["audio"]).stat().st_size > 0 for i in items)
    said = " | ".join(i["text"] for i in items)
    assert all(name in said for name in STRANGER_BENCH[which])
    assert json.loads((tmp_path / "corpus.json").read_text())["strangers"] is True
    # typed, no stranger is dialled as a contact without a question: the bench holds no contact's name
    resolver = SimpleBook(contacts).resolver()
    for name in STRANGER_BENCH[which]:
        resolution = resolver.resolve(name)
        assert not (resolution.action == Action.DIAL and resolution.certain), name


def test_the_two_stranger_lists_are_disjoint_and_name_nobody_in_either_book():
    dev, heldout = set(STRANGER_BENCH["dev"]), set(STRANGER_BENCH["heldout"])
    assert not dev & heldout
    booked = {p.name for p in (*DEV_PEOPLE, *HELDOUT_PEOPLE)}
    assert not (dev | heldout) & booked


@pytest.mark.parametrize("which", ["dev", "heldout"])
def test_the_first_name_bench_asks_for_contacts_by_a_first_name_no_one_else_has(which: str, tmp_path: Path):
    from spoken_corpus.people import SAME_SOUNDING

    argv = [str(tmp_path), "--set", which, "--first-names", "--families", "espeak", "--no-noise"]
    assert corpus.main(argv) == 0
    contacts, items = load_corpus(tmp_path)
    assert json.loads((tmp_path / "corpus.json").read_text())["first_names"] is True
    asked = {i["expect"]["contact"] for i in items}
    assert len(items) == 2 * len(asked) and len(asked) > len(contacts) / 2
    resolver = SimpleBook(contacts).resolver()
    for item in items:
        expect = item["expect"]
        first = expect["contact"].split()[0]
        assert expect["action"] == "dial" and "first-name" in item["tags"]
        assert item["text"] in {f"{verb} {first}" for verb in ("call", "ring", "phone", "get me", "dial")}
        # typed, the first name alone places the contact
        resolution = resolver.resolve(first)
        assert resolution.action == Action.DIAL and resolution.contact.name == expect["contact"], first
    # a first name said like another contact's (Jon, John) or standing for one (Jen, Jennifer) is left out
    assert not asked & {name for pair in SAME_SOUNDING[which] for name in pair}
    assert "Jen Park" not in asked if which == "dev" else "Lena Fischer" not in asked
