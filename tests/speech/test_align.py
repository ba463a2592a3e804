"""pocketsphinx fitting given sentences to a recording: the check of Whisper's reading by the grammar
engine's acoustic model (speech/align.py), on real audio."""

from __future__ import annotations

import pytest

from assistant.models import AudioClip
from assistant.speech.align import fits, words
from assistant.speech.audio import read_audio
from assistant.speech.sphinx import SphinxEngine


@pytest.fixture(scope="module")
def engine() -> SphinxEngine:
    return SphinxEngine()


@pytest.mark.parametrize("voice", ["flite:slt", "en-us+klatt2"])
def test_what_was_said_fits_the_audio_better_than_another_reading(engine, say, voice: str):
    clip = read_audio(say("call catherine oneill about the invoice", voice))
    said, other, made_up = fits(
        engine,
        clip,
        [
            "call catherine oneill about the invoice",
            "Call Kathryn O'Neill about the invoice.",  # the same sounds, written otherwise
            "Call Niamh Gallagher.",  # a reading made up from the prompt's names
        ],
    )
    assert said is not None and other is not None and made_up is not None
    assert abs(said - other) < 1.0  # sound-alike spellings fit alike: the margin is acoustic only
    assert said > made_up + 2.0


def test_a_sentence_it_cannot_say_or_empty_audio_has_no_fit(engine, say):
    clip = read_audio(say("call jane doe", "flite:slt"))
    assert fits(engine, clip, ["", "call jane doe"])[0] is None
    assert fits(engine, AudioClip(b""), ["call jane doe"]) == [None]
    # the grammar's searches still work afterwards: aligning left the decoder as it found it
    assert engine.decoder.current_search() == "phones"


def test_a_free_form_reading_becomes_dictionary_words():
    assert words("Call Kathryn O'Neill, about the Q3 invoice!") == [
        "call",
        "kathryn",
        "oneill",
        "about",
        "the",
        "q",
        "invoice",
    ]
