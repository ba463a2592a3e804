"""Voicemail drop while a list is worked: the simulator's answering machine, "drop voicemail" said during a
call, the recorded messages, and the command line."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.calllog.store import Store
from assistant.console import PrintVoice, TextEar
from assistant.errors import CallbotError
from assistant.session import SessionSettings
from assistant.telephony.simulator import Simulator
from assistant.telephony.voicemail import Voicemails

from ..conftest import callbot
from .test_resume import DATA, env_for
from .test_work import EARLY, by_name, work


@pytest.fixture
def message_wav(tmp_path: Path) -> Path:
    path = tmp_path / "message.wav"
    subprocess.run(
        ["espeak-ng", "-w", str(path), "Hi, it's Dana from Acme, calling about your renewal."], check=True
    )
    return path


def test_messages_are_kept_the_first_is_the_default_and_a_bad_file_is_refused(tmp_path: Path, message_wav):
    box = Voicemails(tmp_path / "voicemail")
    assert box.default() is None
    first = box.add("default", message_wav)
    box.add("renewal", message_wav)
    assert box.default() == first and [m.name for m in box.messages()] == ["default", "renewal"]
    box.set_default("renewal")
    assert box.default() is not None and box.default().name == "renewal"  # type: ignore[union-attr]
    (tmp_path / "bad.wav").write_text("not audio")
    with pytest.raises(CallbotError, match="not a WAV recording"):
        box.add("bad", tmp_path / "bad.wav")
    with pytest.raises(CallbotError, match="no voicemail message 'nope'"):
        box.set_default("nope")


def test_an_answering_machine_gets_the_message_and_the_rep_moves_on(acme: Store, tmp_path: Path, message_wav):
    message = Voicemails(tmp_path / "vm").add("default", message_wav)
    run = work(acme, "call", "stop the list", outcomes={"+12125550189": "voicemail"}, voicemail=message)
    assert "Voicemail default dropped for Marcus Lee; moving on." in run.replies()
    assert not any(r.startswith("Outcome?") for r in run.replies())  # nothing to ask
    [placed] = run.carrier.placed
    assert run.carrier.dropped == {placed.key: "default"}
    marcus = by_name(acme)["Marcus Lee"]
    assert (marcus.status, marcus.last_outcome, marcus.reason) == (
        "done",
        "left voicemail",
        "voicemail 'default' dropped",
    )
    [call] = acme.calls_to("+12125550189")
    assert call.outcome == "voicemail"


def test_drop_voicemail_said_while_the_greeting_plays(acme: Store, tmp_path: Path, message_wav):
    message = Voicemails(tmp_path / "vm").add("default", message_wav)
    run = work(
        acme, "call", "drop voicemail", "stop the list", outcomes={"+12125550189": "hold"}, voicemail=message
    )
    assert "Voicemail default dropped for Marcus Lee; moving on." in run.replies()
    assert by_name(acme)["Marcus Lee"].last_outcome == "left voicemail"


def test_a_carrier_that_cannot_drop_says_so_and_the_rep_gives_the_outcome(acme: Store, tmp_path, message_wav):
    from assistant.leads.work import ListSession

    class NoDrop:  # a carrier without voicemail drop: the port's other three methods only
        def __init__(self) -> None:
            self.inner = Simulator({"+12125550189": "voicemail"})
            self.name = "nodrop"

        def place(self, request):
            return self.inner.place(request)

        def poll(self, call, timeout):
            return self.inner.poll(call, timeout)

        def end(self, call, answered):
            self.inner.end(call, answered)

    message = Voicemails(tmp_path / "vm").add("default", message_wav)
    out = io.StringIO()
    ListSession(
        "Acme",
        ear=TextEar(io.StringIO("call\nleft a voicemail\nstop the list\n")),
        voice=PrintVoice(out),
        telephony=NoDrop(),
        log=acme,
        contacts={},
        settings=SessionSettings(rep="tester", poll_interval=0.01, review_timeout=0),
        clock=EARLY,
        voicemail=message,
    ).run()
    assert "I couldn't drop the voicemail: the nodrop carrier cannot drop a voicemail." in out.getvalue()
    assert by_name(acme)["Marcus Lee"].last_outcome == "left voicemail"


def test_without_a_recorded_message_the_rep_gives_the_outcome(acme: Store):
    run = work(acme, "call", "left a voicemail", "stop the list", outcomes={"+12125550189": "voicemail"})
    assert any(r.startswith("Outcome?") for r in run.replies())
    assert run.carrier.dropped == {}
    assert by_name(acme)["Marcus Lee"].last_outcome == "left voicemail"


def test_voicemail_commands(tmp_path: Path, message_wav):
    env = env_for(tmp_path)
    kept = callbot(env, "voicemail", "record", "renewal", "--file", str(message_wav)).stdout
    assert "Voicemail 'renewal' kept at" in kept and "(the default)" in kept
    callbot(env, "voicemail", "record", "short", "--file", str(message_wav))
    callbot(env, "voicemail", "default", "short")
    listed = callbot(env, "voicemail", "list").stdout
    assert "renewal" in listed and "short" in listed
    assert (tmp_path / "data" / "voicemail" / "short.wav").exists()
    callbot(env, "leads", "import", str(DATA / "hubspot-contacts.csv"), "--list", "Acme")
    config = tmp_path / "callbot.toml"
    config.write_text(config.read_text() + '[simulator.outcomes]\n"+13035550114" = "voicemail"\n')
    worked = callbot(env, "leads", "work", "Acme", stdin="call\nstop the list\n").stdout
    assert "Voicemail short dropped for Priya Shah; moving on." in worked
    shutil.rmtree(tmp_path / "data" / "voicemail")
