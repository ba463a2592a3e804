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


KNOWN = ("the renewal", "the contract", "the order", "the payment", "the meeting")


def test_a_configured_topic_said_in_other_words_is_read_as_it():
    """Whisper's "about order" and "about to the order" for "about the order" (held-out draw 97): the
    configured topic, whether or not the grammar heard it; a free topic near one is left as it is."""
    parser = IntentParser()
    topics = Topics(parser.intents, parser, KNOWN)
    assert topics.known_as("order") == "the order"
    assert topics.known_as("to the order") == "the order"
    assert topics.known_as("the payload change") is None  # not "the payment"
    heard = "phone thabo nkosi about the order"
    assert topics.fill(heard, 4, "Phone Thabo Nkosi about order.") == (heard, "the order")
    # the grammar's topic fitted the audio, but Whisper heard another configured one: Whisper's
    fitted = topics.fill(
        "dial aisha khan about the contract", 4, "Dial Aisha Khan about the order.", fits=True
    )
    assert fitted == ("dial aisha khan about the order", "the order")
    # the grammar's "the follow up" (a configured topic the speaker did not say), Whisper's "to the order"
    guessed = topics.fill("call ravi shankar about the follow up", 4, "Call Ravi Shankar about to the order.")
    assert guessed == ("call ravi shankar about the order", "the order")
    # a fitted topic stands when Whisper's words are no configured topic at all
    assert topics.fill(heard, 4, "Phone Thabo Nkosi about the odor thing.", fits=True)[1] == "the order"


def test_the_topic_of_another_reading_of_the_same_call_is_carried_over():
    parser = IntentParser()
    topics = Topics(parser.intents, parser, KNOWN)
    said = "I need to call Lena Fischer to discuss the server migration."
    assert (
        topics.carry("please call lena fischer", said)
        == "please call lena fischer about the server migration"
    )
    assert topics.carry("call lena fischer", "Call Lena Fischer.") == "call lena fischer"
    assert (
        topics.carry("call lena fischer", "Call Lena Fischer about order.")
        == "call lena fischer about the order"
    )
