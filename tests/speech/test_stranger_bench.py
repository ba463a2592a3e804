"""The stranger bench (`scripts/corpus.py --strangers`): people no book holds, said to the set's book."""

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
