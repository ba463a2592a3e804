"""The dialog from the command line: typed (`callbot text`) or spoken (`callbot listen`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..ports import Clock, Ear, Voice
from .runtime import Runtime
from .shared import out, runtime

if TYPE_CHECKING:
    from ..leads.work import ListSession
    from ..session import Session


def text(
    ctx: typer.Context,
    provider: Annotated[
        str | None, typer.Option(help="simulator or twilio (default: from settings).")
    ] = None,
    echo: Annotated[
        bool, typer.Option(help="Print each line read, so a piped session reads as a transcript.")
    ] = False,
) -> None:
    """Type commands instead of speaking them, one per line (a terminal or a pipe)."""
    from ..console import PrintVoice, TextEar

    rt = runtime(ctx)
    if provider:
        rt.overrides["telephony"]["provider"] = provider
    ear, voice = TextEar(), PrintVoice(echo=echo)
    session = rt.session(rt.list_launcher(ear, voice), voice)  # "work the Acme list" works it here
    session.run()


def listen(
    ctx: typer.Context,
    audio: Annotated[
        Path | None,
        typer.Option(
            help="Play a WAV/FLAC/AIFF file, or a directory of them in order, instead of the microphone."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print replies instead of speaking them.")] = False,
    mode: Annotated[str | None, typer.Option(help="push-to-talk or wake (default: from settings).")] = None,
    engine: Annotated[
        str | None, typer.Option(help="Command engine: sphinx, whisper, or a speechrecognition one.")
    ] = None,
    provider: Annotated[
        str | None, typer.Option(help="simulator or twilio (default: from settings).")
    ] = None,
) -> None:
    """Hands-free: speak commands, answer callbot's questions, and dictate follow-up notes."""
    rt = runtime(ctx)
    if provider:
        rt.overrides["telephony"]["provider"] = provider
    run_voice_session(rt, audio=audio, quiet=quiet, mode=mode, engine=engine)


def run_voice_session(
    rt: Runtime,
    *,
    audio: Path | None,
    quiet: bool,
    mode: str | None = None,
    engine: str | None = None,
    clock: Clock | None = None,
    lead_list: str | None = None,
    page: int | None = None,
) -> None:
    """Compose the voice front end from settings: source, recogniser, voice, display, and run the dialog
    (or, given `lead_list`, work that list; with `page` a port, showing it on the live page too)."""
    from ..console import TerminalDisplay
    from ..speech.audio import FileSource, MicrophoneSource
    from ..speech.ear import VoiceEar
    from ..speech.voice import SpokenVoice, has_audio_output

    settings = rt.settings
    speech = settings.speech
    display = TerminalDisplay(echo=True)
    voice: TerminalDisplay | SpokenVoice = display
    if not quiet and settings.voice.enabled:
        if has_audio_output():
            voice = SpokenVoice(display, rate=settings.voice.rate, voice=settings.voice.voice)
            if voice.error:
                out.print(voice.error)
        else:
            out.print("No audio output device: replies are printed.")
    mode = mode or speech.mode
    source = FileSource.of(audio) if audio else MicrophoneSource()
    commands = rt.command_recognizer(engine, say=out.print)
    ptt = None
    if audio is None and mode == "push-to-talk":
        ptt = _push_to_talk(speech.ptt_key)
    ear = VoiceEar(
        source,
        commands,
        mode=mode if audio is None else "push-to-talk",
        wake_phrase=speech.wake_phrase,
        listen_timeout=speech.listen_timeout,
        phrase_limit=speech.phrase_time_limit,
        note_limit=speech.note_time_limit,
        wait_for_key=ptt,
        status=display.status,
    )
    transcriber = rt.note_transcriber(out.print)
    live = audio is None
    timeouts: dict[str, float | None] = {
        "answer_timeout": speech.listen_timeout if live else None,
        "note_timeout": speech.listen_timeout if live else None,
        "review_timeout": 6.0 if live else None,
    }
    archive = rt.note_archive()
    screen = None
    heard: Ear = ear
    said: Voice = voice
    if lead_list and page is not None:  # the live page: its buttons beside the rep's voice
        from ..web.live import LivePage, PageEar, PageVoice

        screen = LivePage(page)
        out.print(f"The live page: {screen.url}")
        heard, said = PageEar(screen, ear), PageVoice(voice, screen)
    session: Session | ListSession = (
        rt.list_session(
            lead_list,
            heard,
            said,
            screen=screen,
            transcriber=transcriber,
            archive=archive,
            answer_timeout=timeouts["answer_timeout"],
            note_timeout=timeouts["note_timeout"],
            review_timeout=timeouts["review_timeout"],
            clock=clock,
        )
        if lead_list
        else rt.session(
            # "work the Acme list" works it here (heard by a free-form engine: the grammars lack it)
            rt.list_launcher(ear, voice, transcriber=transcriber, archive=archive, clock=clock, **timeouts),
            voice,
            transcriber=transcriber,
            archive=archive,
            clock=clock,
            **timeouts,
        )
    )
    if hasattr(commands, "refresh"):
        commands.refresh()
    # Only now, with the command grammar built, the second engine and notes model (Whisper) loads, while the
    # first command is spoken, and which contacts' names sound alike is worked out: started before the
    # grammar, their Python work took turns with its building and listening began about 0.35 s later (1,000
    # contacts; bench.startup gives when each is ready)
    if hasattr(transcriber, "preload"):
        transcriber.preload()
    threading.Thread(target=rt.book.sound_alikes, name="sound-alikes", daemon=True).start()
    if live:
        how = (
            f'say "{speech.wake_phrase}" and a command'
            if mode == "wake"
            else f"press {speech.ptt_key} and speak"
        )
        out.print(f"callbot is listening: {how}. Ctrl-C to stop.")
    try:
        session.run()
    finally:
        if screen is not None:
            screen.close()


def _push_to_talk(key: str) -> Callable[[], None]:
    """Wait for the push-to-talk key (Enter by default) before each command."""
    import click

    wanted = {"enter": ("\r", "\n"), "space": (" ",)}.get(key.lower(), (key,))

    def wait() -> None:
        out.print(f"[dim]press {key} to talk[/]")
        while click.getchar() not in wanted:
            pass

    return wait
