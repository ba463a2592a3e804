"""The rep's own voice: enrollment recordings through the real sphinxtrain tools, and pocketsphinx using the
adaptation they make."""

from __future__ import annotations

import json
import os
import shutil
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.calllog.store import Store
from assistant.contacts.book import ContactBook
from assistant.contacts.importers import read_contacts
from assistant.errors import SpeechError
from assistant.intents import IntentParser
from assistant.models import AudioClip
from assistant.ports import Expect, Listening
from assistant.speech.adapt import (
    Adaptation,
    Recording,
    adapt,
    find_tools,
    sendump_to_mixture_weights,
    sentences,
    words,
)
from assistant.speech.audio import read_audio
from assistant.speech.commands import GrammarCommands
from assistant.speech.sphinx import SphinxEngine, dictionary_path, model_dir

from ..conftest import EXAMPLE_CONTACTS, callbot

VOICE = "flite:awb"  # a voice the tests' other recordings rarely use: a Scottish speaker


@pytest.fixture(scope="module")
def enrollment(say: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The enrollment sentences read by one voice, as `callbot enroll --audio` takes them."""
    try:
        find_tools()
    except SpeechError as exc:
        pytest.fail(f"{exc} (make test installs them)")
    folder = tmp_path_factory.mktemp("enroll")
    for i, text in enumerate(sentences(), start=1):
        shutil.copy(say(text, VOICE), folder / f"{i:02d}.wav")
    (folder / "prompts.txt").write_text("".join(f"{t}\n" for t in sentences()))
    return folder


@pytest.fixture(scope="module", params=["map", "mllr"])
def adapted(
    request: pytest.FixtureRequest, enrollment: Path, tmp_path_factory: pytest.TempPathFactory
) -> Adaptation:
    recordings = [
        Recording(f.name, text, read_audio(f))
        for f, text in zip(sorted(enrollment.glob("*.wav")), sentences(), strict=True)
    ]
    return adapt(recordings, tmp_path_factory.mktemp("voice"), method=request.param)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> ContactBook:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('book') / 'callbot.db'}")
    store.import_contacts(read_contacts(EXAMPLE_CONTACTS).contacts, "example")
    return ContactBook(store)


def test_enrollment_makes_an_adaptation_pocketsphinx_decodes_with(adapted, say, book):
    assert len(adapted.used) >= 25, adapted.failed
    if adapted.path.name == "mllr_matrix":  # one transform: its count, the streams, each one's dimension
        assert [int(n) for n in adapted.path.read_text().split()[:3]] == [1, 3, 13]
    else:  # MAP: the model's own means file, each Gaussian's mean moved towards the voice
        assert adapted.path.name == "means"
        original = (Path(model_dir()) / "means").read_bytes()
        made = adapted.path.read_bytes()
        assert made.startswith(b"s3\n") and len(made) == len(original) and made != original
    assert {p.name for p in adapted.path.parent.iterdir()} == {adapted.path.name}  # one adaptation
    parser = IntentParser()
    plain = GrammarCommands(SphinxEngine(), parser.intents, book)
    own = GrammarCommands(SphinxEngine(adaptation=adapted.path.parent), parser.intents, book)
    assert own.engine.adaptation == adapted.path.parent
    for said in ("call robert martinez on mobile", "who did i call last"):
        clip = read_audio(say(said, VOICE))
        heard = own.recognize(clip, Expect(Listening.COMMAND))
        assert heard.text == said
        assert (heard.confidence or 0) >= 0.5
        # the adaptation changes what the model hears: the same audio scores otherwise than unadapted
        assert heard.confidence != plain.recognize(clip, Expect(Listening.COMMAND)).confidence


def test_a_file_pocketsphinx_cannot_load_is_refused(tmp_path):
    bad = tmp_path / "mllr_matrix"
    bad.write_text("not an adaptation\n")
    with pytest.raises(SpeechError, match="could not be loaded"):
        SphinxEngine(adaptation=bad)
    with pytest.raises(SpeechError, match="cannot load the voice adaptation"):
        SphinxEngine.check_adaptation(tmp_path)
    # pocketsphinx ends the process on a malformed means file: one of the wrong shape never reaches it,
    # and a check before keeping one runs in a child process
    means = tmp_path / "means"
    means.write_text("not an adaptation\n")
    with pytest.raises(SpeechError, match="not means for this model"):
        SphinxEngine(adaptation=means)
    size = (Path(model_dir()) / "means").stat().st_size
    head = b"s3\nversion 1.0\nendhdr\n"
    means.write_bytes(head + b"\x01" * (size - len(head)))  # the right length, no byte-order mark
    with pytest.raises(SpeechError, match="cannot load the voice adaptation"):
        SphinxEngine.check_adaptation(means)
    (tmp_path / "empty").mkdir()
    with pytest.raises(SpeechError, match="holds no voice adaptation"):
        SphinxEngine(adaptation=tmp_path / "empty")


def test_the_wheels_mixture_weights_unpack_for_bw(tmp_path):
    out = tmp_path / "mixture_weights"
    sendump_to_mixture_weights(Path(model_dir()) / "sendump", out)
    data = out.read_bytes()
    start = data.index(b"endhdr\n") + len(b"endhdr\n")
    assert start % 4 == 0  # sphinxtrain reads the numbers from a 4-byte boundary
    magic, senones, streams, codewords, count = struct.unpack_from("<iIIII", data, start)
    assert (magic, streams, codewords) == (0x11223344, 3, 128)
    assert senones == 5126 and count == senones * streams * codewords
    first = struct.unpack_from(f"<{codewords}f", data, start + 20)
    assert sum(first) == pytest.approx(1.0, abs=1e-4)  # a distribution over the stream's codewords


def test_missing_tools_name_the_packages_to_install(tmp_path):
    with pytest.raises(SpeechError) as missing:
        find_tools(search=[str(tmp_path)])
    message = str(missing.value)
    assert "bw, mllr_solve, map_adapt" in message
    assert "apt-get install sphinxbase-utils pocketsphinx sphinxtrain" in message


def test_too_few_usable_recordings_say_which_failed(enrollment):
    files = sorted(enrollment.glob("*.wav"))
    recordings = [
        Recording(files[0].name, sentences()[0], read_audio(files[0])),
        Recording("02.wav", sentences()[1], AudioClip(b"\0\0" * 16000)),  # a second of nothing
        Recording("03.wav", sentences()[2], AudioClip(b"\1\0" * 1000)),
    ]
    with pytest.raises(SpeechError) as few:
        adapt(recordings, enrollment / "out", minimum=2)
    assert "only 1 of 3 recordings are usable" in str(few.value)
    assert "02.wav: silent" in str(few.value) and "03.wav: too short" in str(few.value)


def test_enrollment_sentences_are_sayable_and_name_nobody():
    said = sentences()
    assert 25 <= len(said) <= 40
    engine = SphinxEngine()
    for text in said:
        assert all(engine.knows(w) for w in words(text)), text  # CMUdict's, not a guessed pronunciation
    first: dict[str, list[str]] = {}
    with open(dictionary_path()) as fh:
        for line in fh:
            word, *phones = line.split()
            first.setdefault(word, phones)
    said_phones = {p for t in said for w in words(t) for p in first[w]}
    assert {p for ps in first.values() for p in ps} - said_phones <= {"ZH"}  # every phone's codebook moves
    spoken = " ".join(" ".join(words(t)) for t in said)
    for contact in read_contacts(EXAMPLE_CONTACTS).contacts:
        assert " ".join(words(contact.name)) not in spoken


def test_corpus_enrollment_shares_no_sentence_with_its_commands():
    import random

    from spoken_corpus.items import commands

    spoken = {
        " ".join(words(item.text))
        for which in ("dev", "heldout")
        for item in commands(which, random.Random(7))
    }
    assert not spoken & {" ".join(words(t)) for t in sentences()}


def test_callbot_enroll_from_recordings_then_listen_uses_it(enrollment, speak, tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CALLBOT_", "TWILIO_"))}
    settings = tmp_path / "callbot.toml"
    settings.write_text(
        '[speech]\ncheck_with = ""\nnotes_engine = "sphinx"\n'
        "[dialog]\ncancel_window = 0\nask_for_note = false\n"
    )
    env = {
        **clean,
        "CALLBOT_DATA_DIR": str(tmp_path / "data"),
        "CALLBOT_CONFIG": str(settings),
        "CALLBOT_REP": "Dana Rep",
        "CALLBOT_NOW": "2026-11-27T10:00:00-08:00",  # a Friday morning in California: inside calling hours
    }
    done = callbot(env, "enroll", "--audio", str(enrollment))
    kept = tmp_path / "data" / "voices" / "Dana_Rep"
    assert "Adapted to your voice from" in done.stdout
    assert (kept / "means").is_file()
    assert len(list((kept / "recordings").glob("*.wav"))) == len(sentences())
    callbot(env, "contacts", "import", str(EXAMPLE_CONTACTS))
    session = tmp_path / "session"
    session.mkdir()
    shutil.copy(speak("call robert martinez on mobile"), session / "01.wav")
    shutil.copy(speak("yes"), session / "02.wav")
    heard = callbot(env, "listen", "--quiet", "--audio", str(session))
    assert f"voice adaptation {kept}" in heard.stdout
    assert "Calling Robert Martinez" in heard.stdout
    # the confirmed command is kept with its words, and the next refresh learns from it too
    assert [p.read_text() for p in (kept / "confirmed").glob("*.txt")] == [
        "call robert martinez on mobile\n"
    ], heard.stdout
    refreshed = callbot(env, "enroll", "--refresh", "--method", "mllr")
    assert f"of {len(sentences()) + 1} recordings" in refreshed.stdout
    assert (kept / "mllr_matrix").is_file() and not (kept / "means").exists()


def test_callbot_enroll_says_what_is_wrong_with_a_folder(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CALLBOT_", "TWILIO_"))}
    (tmp_path / "empty.toml").write_text("")
    env = {
        **clean,
        "CALLBOT_DATA_DIR": str(tmp_path / "data"),
        "CALLBOT_CONFIG": str(tmp_path / "empty.toml"),
    }
    (tmp_path / "none").mkdir()
    result = callbot(env, "enroll", "--audio", str(tmp_path / "none"), check=False)
    assert result.returncode == 1 and "has no audio files" in result.stderr
    refresh = callbot(env, "enroll", "--refresh", check=False)
    assert refresh.returncode == 1 and "run callbot enroll first" in refresh.stderr


def test_callbot_eval_enroll_measures_a_voice_without_and_with_its_adaptation(enrollment, say, tmp_path):
    """`callbot eval CORPUS --enroll RECORDINGS`: one voice's commands heard twice, with the wheel's model and
    adapted to that voice's enrollment, side by side."""
    corpus = tmp_path / "corpus"
    (corpus / "audio").mkdir(parents=True)
    shutil.copy(EXAMPLE_CONTACTS, corpus / "contacts.csv")
    said = {
        "call robert martinez on mobile": {"intent": "CallContact", "contact": "Robert Martinez"},
        "who did i call last": {"intent": "LastCall"},
    }
    lines = []
    for i, (text, expect) in enumerate(said.items(), start=1):
        shutil.copy(say(text, VOICE), corpus / "audio" / f"{i}.wav")
        item = {"id": f"c{i}", "audio": f"audio/{i}.wav", "kind": "command", "tags": ["clean"]}
        lines.append(json.dumps({**item, "text": text, "expect": expect}))
    (corpus / "manifest.jsonl").write_text("\n".join(lines) + "\n")
    settings = tmp_path / "callbot.toml"
    settings.write_text('[speech]\ncheck_with = ""\n')
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CALLBOT_", "TWILIO_"))}
    env = {**clean, "CALLBOT_DATA_DIR": str(tmp_path / "data"), "CALLBOT_CONFIG": str(settings)}
    report = tmp_path / "both.json"
    done = callbot(env, "eval", str(corpus), "--enroll", str(enrollment), "--json", str(report), timeout=300)
    assert f"Adapted to {len(sentences())} of {len(sentences())} recordings" in done.stdout
    assert "without the adaptation:" in done.stdout and "with the adaptation:" in done.stdout
    assert done.stdout.strip().splitlines()[-1].startswith("enrollment: ")
    both = json.loads(report.read_text())
    heard = {
        name: {o["id"]: (o["heard"], o["confidence"]) for o in run["items"]} for name, run in both.items()
    }
    assert set(heard) == {"without", "with"} and set(heard["with"]) == {"c1", "c2"}
    assert heard["with"]["c1"][0] == "call robert martinez on mobile"
    # the second run really heard with the adaptation: the same audio scores otherwise
    assert heard["with"] != heard["without"]
    assert not list(tmp_path.glob("data/voices/*"))  # measuring keeps no adaptation as the rep's own
