"""Free topics: what a grammar put after "about" gives way to the topic words of the free-form reading."""

from __future__ import annotations

from assistant.intents import IntentParser
from assistant.speech.topics import Topics


def test_topic_words_come_from_the_other_reading():
    parser = IntentParser()
    topics = Topics(parser.intents, parser)
    assert topics.introducers == {"about", "regarding"}  # not "on": that starts a number label
    heard = "call jane doe about the contract at their home"  # the grammar's nearest topic, and a label
    assert topics.fill(heard, 4, "Call Jane Doe about the kickoff agenda.") == (
        "call jane doe about the kickoff agenda",
        "the kickoff agenda",
    )
    to_discuss = topics.fill(heard, 4, "Call Jen, to discuss the Q3 invoice")
    assert to_discuss == ("call jane doe about the q3 invoice", "the q3 invoice")
    # a configured topic the other reading also heard stays the grammar's; so does a label both heard
    same = topics.fill(heard, 4, "Call Jane Doe about the contracts at home")
    assert same == ("call jane doe about the contract at their home", "the contract")
    assert topics.fill(heard, 4, "Hello there.") == (heard, "")  # no topic heard: the reading stands
    assert topics.fill("call jane doe", None, "Call Jane Doe about pricing.") == ("call jane doe", "")
