"""Speech tests hear real recordings from two synthesisers: espeak-ng (the root conftest's `speak`) and flite,
whose voices and letter-to-sound rules are its own. callbot takes the pronunciations of names its dictionary
lacks from espeak-ng, so audio from espeak-ng alone could never show one of them to be wrong."""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
import zlib
from collections.abc import Callable
from pathlib import Path

import corpus  # scripts/corpus.py, put on the path by the root conftest
import numpy as np
import pytest
import speech_recognition as sr

from assistant.contacts.book import ContactBook
from assistant.intents import IntentParser
from assistant.speech.commands import GrammarCommands
from assistant.speech.sphinx import SphinxEngine

FLITE_VOICES = ("slt", "rms", "awb", "kal16")  # built into Debian's flite: US female, US male, Scottish, US


def flite(text: str, voice: str, folder: Path) -> np.ndarray:
    """flite speech as 16 kHz int16 samples, with the pauses around it espeak-ng's get in corpus.speak."""
    out = folder / f"flite-{voice}-{zlib.crc32(text.encode()):08x}.wav"
    subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(out)], check=True, capture_output=True)
    with sr.AudioFile(str(out)) as source:
        audio = sr.Recognizer().record(source)
    with warnings.catch_warnings():  # speechrecognition resamples with audioop, deprecated on 3.11-3.12
        warnings.simplefilter("ignore", DeprecationWarning)
        pcm = audio.get_raw_data(convert_rate=corpus.RATE, convert_width=2)
    pad = np.zeros(int(0.3 * corpus.RATE), dtype=np.int16)
    return np.concatenate([pad, np.frombuffer(pcm, dtype=np.int16), pad])


def example_book(folder: Path) -> ContactBook:
    """The example contacts (config/contacts.example.csv) in a fresh SQLite store in `folder`."""
    from assistant.calllog.store import Store
    from assistant.contacts.importers import read_contacts

    from ..conftest import EXAMPLE_CONTACTS

    store = Store(f"sqlite:///{folder / 'contacts.db'}")
    store.import_contacts(read_contacts(EXAMPLE_CONTACTS).contacts, "example")
    return ContactBook(store)


@pytest.fixture(scope="module")
def grammar(tmp_path_factory: pytest.TempPathFactory) -> GrammarCommands:
    """The command grammars over the example book, with the real recogniser (the two-engine tests')."""
    commands = GrammarCommands(
        SphinxEngine(), IntentParser().intents, example_book(tmp_path_factory.mktemp("book"))
    )
    commands.refresh()
    return commands


@pytest.fixture(scope="session")
def say(tmp_path_factory: pytest.TempPathFactory, speak: Callable[..., Path]) -> Callable[..., Path]:
    """Say a line with either synthesiser into a 16 kHz WAV with a room-noise floor (and noise at `snr`):
    voice "flite:slt" (a flite voice) or an espeak-ng voice such as "en-us+klatt2"."""
    if shutil.which("flite") is None:
        pytest.fail("flite is missing: make test installs it (apt-get install flite)")
    folder = tmp_path_factory.mktemp("flite")

    def said(text: str, voice: str, snr: float | None = None) -> Path:
        if not voice.startswith("flite:"):
            return speak(text, voice=voice, snr=snr, name=re.sub(r"[^a-z0-9]+", "-", f"{voice} {snr} {text}"))
        name = voice.removeprefix("flite:")
        rng = np.random.default_rng(zlib.crc32(f"{text}|{voice}|{snr}".encode()))  # same words, same file
        samples = corpus.mix(flite(text, name, folder), 45, "pink", rng)
        if snr is not None:
            samples = corpus.mix(samples, snr, "white", rng)
        path = folder / f"{re.sub(r'[^a-z0-9]+', '-', f'{voice} {snr} {text}'.lower())}.wav"
        corpus.write_wav(path, samples)
        return path

    return said
