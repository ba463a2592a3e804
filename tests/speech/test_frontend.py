"""The grammar's front end: RNNoise for a steadily noisy room, Conv-TasNet over other voices, the recording as
it is otherwise, on real audio through the real recogniser."""

from __future__ import annotations

import zlib
from pathlib import Path

import corpus  # scripts/corpus.py
import numpy as np
from spoken_corpus.noise import babble_talkers

from assistant.evaluate import SimpleBook
from assistant.intents import IntentParser
from assistant.models import AudioClip, Contact, PhoneNumber
from assistant.ports import Expect, Listening
from assistant.speech.commands import GrammarCommands
from assistant.speech.frontend import Denoiser, FrontEnd, Separator, loudness_db
from assistant.speech.sphinx import SphinxEngine

from .conftest import flite

BOOK = SimpleBook(
    [
        Contact(name, (PhoneNumber(f"+1415555{n:04d}", "mobile"),))
        for n, name in enumerate(["Jane Doe", "Omar Haddad", "Priya Shah", "Ana Lopez", "Kenji Sato"])
    ]
)


def said(text: str, kind: str | None, tmp_path: Path) -> np.ndarray:
    """flite's "slt" saying `text` (0.3 s pause each side) in a quiet room, or in `kind` noise at 10 dB."""
    rng = np.random.default_rng(zlib.crc32(f"{text}|{kind}".encode()))
    samples = corpus.mix(flite(text, "slt", tmp_path), 45, "pink", rng)
    if kind == "babble":
        return corpus.mix(samples, 10, "babble", rng, babble_talkers())
    return corpus.mix(samples, 10, kind, rng) if kind else samples


def through(samples: np.ndarray) -> tuple[bool, bytes]:
    """Whether the front end cleaned the recording, and what it passed on, fed in 100 ms pieces."""
    out = bytearray()
    front = FrontEnd(out.extend)
    pcm = samples.tobytes()
    for at in range(0, len(pcm), 3200):
        front.feed(pcm[at : at + 3200])
    cleaning = front.cleaning
    front.finish()
    return cleaning, bytes(out)


def test_a_command_in_steady_noise_is_cleaned_and_heard_through_the_real_recogniser(tmp_path: Path):
    noisy = said("call omar haddad", "office", tmp_path)
    cleaning, _ = through(noisy)
    assert cleaning
    commands = GrammarCommands(SphinxEngine(), IntentParser().intents, BOOK)
    commands.refresh()
    clip = AudioClip(noisy.tobytes())
    stream = commands.start(Expect(Listening.COMMAND))
    for at in range(0, len(clip.pcm), 3200):
        stream.feed(clip.pcm[at : at + 3200])
    heard = IntentParser().parse(stream.finish(clip).text)
    assert heard is not None and heard.name == "CallContact" and heard.slot("contact") == "omar haddad"
    assert stream.cleaned is not None and abs(len(stream.cleaned.pcm) - len(clip.pcm)) < 0.02 * len(clip.pcm)
    assert loudness_db(stream.cleaned.pcm[:3200]) < loudness_db(clip.pcm[:3200]) - 10  # the lead-in is quiet


def test_a_quiet_room_is_passed_on_as_recorded(tmp_path: Path):
    recording = said("call jane doe", None, tmp_path)
    cleaning, out = through(recording)
    assert not cleaning and out == recording.tobytes()


def heard(clip: AudioClip) -> tuple[str | None, AudioClip | None]:
    """The contact the real recogniser hears in `clip`, fed in 100 ms pieces, and what its front end passed on
    when it cleaned the recording."""
    commands = GrammarCommands(SphinxEngine(), IntentParser().intents, BOOK)
    commands.refresh()
    stream = commands.start(Expect(Listening.COMMAND))
    for at in range(0, len(clip.pcm), 3200):
        stream.feed(clip.pcm[at : at + 3200])
    intent = IntentParser().parse(stream.finish(clip).text)
    return (intent.slot("contact") if intent is not None else None), stream.cleaned


def test_a_command_over_other_voices_is_separated_and_heard_through_the_real_recogniser(tmp_path: Path):
    """Four colleagues talking at 10 dB below the rep: as recorded the grammar hears *Ana Lopez*."""
    clip = AudioClip(said("call jane doe", "babble", tmp_path).tobytes())
    cleaning, _ = through(np.frombuffer(clip.pcm, dtype=np.int16))
    assert cleaning
    contact, cleaned = heard(clip)
    assert contact == "jane doe"
    assert cleaned is not None and len(cleaned.pcm) == len(clip.pcm) and cleaned.pcm != clip.pcm


def test_the_separator_cleans_a_second_at_a_time_whatever_pieces_the_audio_comes_in(tmp_path: Path):
    pcm = said("call kenji sato", "babble", tmp_path).tobytes()
    whole, pieces = Separator(), Separator()
    at_once = whole.feed(pcm)
    assert len(at_once) == len(pcm) // 32000 * 32000  # every whole second, handed on as it is separated
    by_pieces = b"".join(pieces.feed(pcm[at : at + 1234]) for at in range(0, len(pcm), 1234))
    out = at_once + whole.finish()
    assert len(out) == len(pcm) and out == by_pieces + pieces.finish()  # seconds counted from the start
    assert loudness_db(out) < loudness_db(pcm)  # at the separator's own level (PIECE_PEAK), below the mix's


def test_the_denoiser_takes_steady_noise_down_and_keeps_the_length():
    noise = np.random.default_rng(7).normal(0, 1000, 16000).astype(np.int16)  # a second of a fan's hiss
    denoiser = Denoiser()
    head, _ = denoiser.process(noise[:8000].tobytes())
    tail, more = denoiser.process(noise[8000:].tobytes(), last=True)
    denoiser.close()
    cleaned = head + tail
    assert abs(len(cleaned) - len(noise.tobytes())) <= 2 * 480
    assert loudness_db(cleaned[8000:]) < loudness_db(noise.tobytes()[8000:]) - 15
    assert sum(more) / len(more) < 0.5  # no speech in it, once RNNoise has heard a little of it
